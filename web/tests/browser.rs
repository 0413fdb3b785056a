//! Browser tests: the real page code and real Burn backends inside headless Chromium
//! (`cargo test --target wasm32-unknown-unknown -p orbit-web --test browser`, or
//! `wasm-pack test --headless --chrome web`). WebGPU comes from Chromium's software adapter
//! (`--enable-unsafe-webgpu --enable-unsafe-swiftshader`, see webdriver.json).
#![cfg(target_arch = "wasm32")]

use burn::tensor::Device;
use orbit_labs::backend::{StepTiming, WebGpuProbe};
use orbit_labs::{BackendKind, BackendPreference, Experiment, LabSettings, Run};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A short baseline run.
fn short_experiment(steps: usize) -> Experiment {
    let mut e = Experiment::default();
    let LabSettings::Baseline(s) = &mut e.lab else {
        panic!("a baseline experiment")
    };
    s.steps = steps;
    s.eval = steps;
    e
}

/// Mean loss of the first and last five of `steps` steps, and the final report's test accuracy.
async fn train(device: &Device, steps: usize) -> (f64, f64, f64) {
    let mut run = Run::new(&short_experiment(steps), device);
    let mut losses = Vec::new();
    let mut accuracy = f64::NAN;
    for _ in 0..steps {
        let out = run.step().await.expect("a training step");
        losses.push(out.losses[0].1);
        if let Some(r) = out.report {
            accuracy = r.get("test_accuracy").unwrap_or(f64::NAN);
        }
    }
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    (mean(&losses[..5]), mean(&losses[steps - 5..]), accuracy)
}

#[wasm_bindgen_test]
async fn the_mlp_learns_on_both_cpu_backends_in_the_browser() {
    for kind in [BackendKind::Flex, BackendKind::Ndarray] {
        let device = kind.cpu_device().unwrap();
        let (first, last, accuracy) = train(&device, 80).await;
        assert!(last < 0.6 * first, "{kind}: loss {first} → {last}");
        assert!(accuracy > 0.8, "{kind}: test accuracy {accuracy}");
    }
}

#[wasm_bindgen_test]
async fn the_mlp_learns_on_webgpu_in_the_browser() {
    let device = match orbit_web::backend::webgpu_probe().await {
        WebGpuProbe::Ready {
            device, adapter, ..
        } => {
            web_sys::console::log_1(&format!("WebGPU adapter: {adapter}").into());
            device
        }
        other => panic!("Chromium with --enable-unsafe-webgpu should grant an adapter: {other:?}"),
    };
    let (first, last, accuracy) = train(&device, 40).await;
    assert!(last < 0.7 * first, "WebGPU: loss {first} → {last}");
    assert!(accuracy > 0.5, "WebGPU: test accuracy {accuracy}");
}

#[wasm_bindgen_test]
async fn the_same_link_gives_the_same_curve_on_the_cpu_backend() {
    let device = Device::flex();
    let e = short_experiment(10);
    let losses = |e: Experiment| {
        let device = device.clone();
        async move {
            let mut run = Run::new(&e, &device);
            let mut l = Vec::new();
            for _ in 0..10 {
                l.push(run.step().await.unwrap().losses[0].1);
            }
            l
        }
    };
    assert_eq!(losses(e.clone()).await, losses(e).await);
}

#[wasm_bindgen_test]
async fn auto_stops_timing_webgpu_once_it_has_lost_and_the_device_still_trains() {
    let WebGpuProbe::Ready { device, .. } = orbit_web::backend::webgpu_probe().await else {
        panic!("Chromium with --enable-unsafe-webgpu should grant an adapter")
    };
    // Against a CPU step of a microsecond the first timed WebGPU step already loses.
    let timing =
        orbit_labs::backend::time_steps(&short_experiment(10), &device, 3, Some(1e-3)).await;
    assert!(
        matches!(timing, StepTiming::Timed { steps: 1, ms } if ms > 0.0),
        "{timing:?}"
    );
    let (first, last, _) = train(&device, 40).await;
    assert!(
        last < 0.7 * first,
        "WebGPU after the timing: loss {first} → {last}"
    );
}

/// The page's own module asks for the adapter through JavaScript (it has no WebGPU runtime); it
/// must call it a fallback exactly when Burn's runtime does, since that decides which module a
/// run gets: `auto` on a fallback adapter (or none) stays with the page's module, `webgpu` and
/// `ndarray` always load the module with every backend when it can serve them.
#[wasm_bindgen_test]
async fn the_page_asks_for_the_module_its_run_needs() {
    use orbit_web::adapter::{self, Adapter};
    use orbit_web::worker_module::TrainingModule;
    let seen = adapter::probe().await;
    let burn = orbit_web::backend::webgpu_probe().await;
    web_sys::console::log_1(&format!("adapter through JavaScript: {seen:?}").into());
    match (&seen, &burn) {
        (Adapter::Fallback(_), WebGpuProbe::Ready { fallback, .. }) => assert!(fallback),
        (Adapter::Hardware(_), WebGpuProbe::Ready { fallback, .. }) => assert!(!fallback),
        (Adapter::Missing(_), WebGpuProbe::Failed(_)) => {}
        other => panic!("the two probes disagree: {other:?}"),
    }
    let module = TrainingModule::for_run;
    let hardware = matches!(seen, Adapter::Hardware(_));
    let every_if = |yes: bool| {
        if yes {
            TrainingModule::EveryBackend
        } else {
            TrainingModule::Page
        }
    };
    assert_eq!(module(BackendPreference::Auto).await, every_if(hardware));
    assert_eq!(module(BackendPreference::Cpu).await, TrainingModule::Page);
    assert_eq!(module(BackendPreference::Flex).await, TrainingModule::Page);
    assert_eq!(
        module(BackendPreference::Ndarray).await,
        TrainingModule::EveryBackend
    );
    let any = !matches!(seen, Adapter::Missing(_));
    assert_eq!(module(BackendPreference::Webgpu).await, every_if(any));
}

/// `auto` times a real adapter against the CPU and keeps the faster; a fallback (software)
/// adapter, Chromium's SwiftShader here, it does not time: the CPU is kept and the reason says
/// so. (The timed branch is tested natively with a stand-in device, `backend::choice`.)
#[wasm_bindgen_test]
async fn auto_keeps_the_faster_backend_and_does_not_time_a_fallback_adapter() {
    let mut e = short_experiment(10);
    e.backend = BackendPreference::Auto;
    let fallback = matches!(
        orbit_web::backend::webgpu_probe().await,
        WebGpuProbe::Ready { fallback: true, .. }
    );
    let choice = orbit_web::backend::choose(&e).await;
    let timings = &choice.warmup_ms;
    web_sys::console::log_1(
        &format!(
            "auto: {:?}, fallback adapter {fallback}, timings {timings:?}, reason {:?}",
            choice.kind, choice.reason
        )
        .into(),
    );
    let ms = |k: BackendKind| timings.iter().find(|t| t.0 == k).map(|t| t.1);
    let cpu = ms(orbit_labs::backend::DEFAULT_CPU).unwrap();
    if fallback {
        assert_eq!(choice.kind, orbit_labs::backend::DEFAULT_CPU);
        assert_eq!(
            ms(BackendKind::Webgpu),
            None,
            "the fallback adapter is not timed"
        );
        assert!(choice.reason.unwrap().contains("fallback adapter"));
        return;
    }
    let gpu = ms(BackendKind::Webgpu).unwrap();
    let expected = if cpu < gpu {
        orbit_labs::backend::DEFAULT_CPU
    } else {
        BackendKind::Webgpu
    };
    assert_eq!(choice.kind, expected);
}

#[wasm_bindgen_test]
fn a_panic_shows_the_error_panel_with_a_reset_link() {
    orbit_web::panic::show_panel("index out of bounds <script>");
    let document = web_sys::window().unwrap().document().unwrap();
    let panel = document
        .get_element_by_id("panic-panel")
        .expect("the panel exists");
    let html = panel.inner_html();
    assert!(
        html.contains("index out of bounds &lt;script&gt;"),
        "{html}"
    );
    assert!(html.contains("Reset"), "{html}");
    // The message is text, never markup: a message quoting a hostile link adds no element.
    orbit_web::panic::show_panel("bad link <img src=x id=injected>");
    assert!(document.get_element_by_id("injected").is_none(), "{html}");
    let shown = document
        .query_selector("#panic-panel pre")
        .unwrap()
        .unwrap();
    assert_eq!(
        shown.text_content().as_deref(),
        Some("bad link <img src=x id=injected>")
    );
}

/// Every layer and the logits of P4 and P4M, on every backend in the page, before and after
/// training: the equivariance the group-action lab shows, checked where it runs.
/// Both CPU backends and WebGPU (Chromium's software adapter under the test's flags).
async fn every_device() -> Vec<Device> {
    let mut devices = vec![Device::flex(), BackendKind::Ndarray.cpu_device().unwrap()];
    if let WebGpuProbe::Ready { device, .. } = orbit_web::backend::webgpu_probe().await {
        devices.push(device);
    }
    assert_eq!(
        devices.len(),
        3,
        "WebGPU should be available under --enable-unsafe-webgpu"
    );
    devices
}

#[wasm_bindgen_test]
async fn the_ace_networks_f_eq_is_equivariant_in_the_browser_on_both_cpu_backends() {
    use orbit_labs::ace::{AceRun, AceSettings};
    // Not on SwiftShader's WebGPU: its 1,000-set evaluation held the page (and the test
    // runner's WebDriver calls) for over two minutes.
    for device in [Device::flex(), BackendKind::Ndarray.cpu_device().unwrap()] {
        let settings = AceSettings {
            steps: 5,
            eval: 5,
            ..Default::default()
        };
        let mut run = AceRun::new(&settings, 1, &device);
        for _ in 0..5 {
            run.step().await.unwrap();
        }
        // The report turns and relabels 32 held-out sets; strict is f_eq (no branch).
        let report = run.report().await.unwrap();
        let error = |key: &str| report.get(key).unwrap();
        let strict = error("strict_equivariance_error");
        assert!(
            strict < 1e-5,
            "{device:?}: f_eq's equivariance error {strict}"
        );
        // The unconstrained network (γ near 1 after 5 steps) is not equivariant.
        let free = error("free_equivariance_error");
        assert!(
            free > 1e-3,
            "{device:?}: the unconstrained network's error {free}"
        );
        // The arrows panel: the shown set turned by 73°.
        let panels = run.panels(0, 73.0).await.unwrap();
        let turned = panels.arrows[0].equivariance_error;
        assert!(turned < 1e-5, "{device:?}: strict arrows off by {turned}");
    }
}

#[wasm_bindgen_test]
async fn group_cnns_are_equivariant_in_the_browser_on_every_backend() {
    use orbit_labs::groups::{Family, GroupsRun, GroupsSettings, PanelRequest, Transform};
    for device in every_device().await {
        let settings = GroupsSettings {
            steps: 10,
            eval: 10,
            ..Default::default()
        };
        let mut run = GroupsRun::new(&settings, 1, &device);
        for trained in [false, true] {
            if trained {
                for _ in 0..10 {
                    run.step().await.unwrap();
                }
            }
            for (family, transform) in [
                (Family::P4, Transform::R90),
                (Family::P4m, Transform::R90),
                (Family::P4m, Transform::M),
            ] {
                for layer in 1..=3 {
                    let request = PanelRequest {
                        family,
                        image: 3,
                        layer,
                        transform,
                        angle: 0.0,
                    };
                    let p = run.panel(request).await.unwrap().unwrap();
                    assert!(
                        p.layer_error < 1e-5,
                        "{family:?} {transform:?} layer {layer} trained={trained}: {}",
                        p.layer_error
                    );
                    assert!(
                        p.logit_error < 1e-5,
                        "{family:?} logits trained={trained}: {}",
                        p.logit_error
                    );
                }
            }
            let z2 = run
                .panel(PanelRequest {
                    family: Family::Z2,
                    image: 3,
                    layer: 1,
                    transform: Transform::R90,
                    angle: 0.0,
                })
                .await
                .unwrap()
                .unwrap();
            assert!(
                z2.layer_error > 1e-3,
                "the Z2-CNN is not equivariant: {}",
                z2.layer_error
            );
        }
    }
}

/// What the training worker posts reaches the page whole: a report with a NaN and every lab's
/// view, encoded as the worker encodes them (CBOR bytes), structured-cloned as `postMessage`
/// clones them, and decoded as the page decodes them.
#[wasm_bindgen_test]
async fn events_cross_the_worker_boundary_whole() {
    use orbit_labs::registry::SentView;
    use orbit_labs::{LabId, Metrics};
    use orbit_web::training::events::{self, Envelope, Event};
    use wasm_bindgen::{JsCast, JsValue};

    let clone = |value: &JsValue| -> JsValue {
        let f = js_sys::Reflect::get(&js_sys::global(), &"structuredClone".into())
            .expect("structuredClone")
            .unchecked_into::<js_sys::Function>();
        f.call1(&JsValue::NULL, value).expect("clones")
    };
    let cross = |event: Event| -> Event {
        let sent = events::encode(&Envelope {
            generation: 7,
            event,
        })
        .expect("encodes");
        let back: Envelope = events::decode(&clone(&sent)).expect("decodes");
        assert_eq!(back.generation, 7);
        back.event
    };

    let report = Metrics::new(3).with("loss", 0.5).with("gap", f64::NAN);
    let Event::Progress { steps, reports, .. } = cross(Event::Progress {
        steps: 3,
        losses: vec![("MLP".into(), 3.0, 0.5)],
        reports: vec![report],
        advice: None,
    }) else {
        panic!("a progress event comes back as one")
    };
    assert_eq!(steps, 3);
    assert_eq!(reports[0].get("loss"), Some(0.5));
    assert!(
        reports[0].get("gap").is_some_and(f64::is_nan),
        "NaN stays NaN"
    );

    for id in LabId::ALL {
        let experiment = Experiment {
            lab: LabSettings::default_for(id),
            ..Default::default()
        };
        let mut run = Run::new(&experiment, &Device::flex());
        run.step().await.expect("a step");
        run.report().await.expect("a report");
        let Some(view) = run.view(&experiment.lab).await.expect("a view") else {
            continue;
        };
        let text = serde_json::to_string(&SentView(view.clone())).unwrap();
        let Event::View(Some(back)) = cross(Event::View(Some(SentView(view.clone())))) else {
            panic!("{id:?}: a view comes back as one")
        };
        assert_eq!((*back.0).type_id(), (*view).type_id(), "{id:?}");
        assert_eq!(serde_json::to_string(&back).unwrap(), text, "{id:?}");
    }
}

//! Share links: the whole [`Experiment`] in a URL query, versioned, with short readable keys.
//!
//! `v=1&lab=baseline&seed=1&backend=auto&hidden=64&…`. Decoding never fails: unknown keys are
//! ignored, bad values fall back to defaults, out-of-range values are clamped, and every such
//! change is listed in [`Decoded::notices`] for the page to show.

use serde_json::Value;

use crate::experiment::{Experiment, LabId};
use crate::presentation::{PRESENTATION_KEYS, Presentation};

/// The link format version this build writes.
pub const LINK_VERSION: u32 = 1;

/// Longest query the decoder looks at; the rest of a longer one is dropped with a notice.
pub const MAX_QUERY_LEN: usize = 4096;

/// The outcome of reading a link.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The experiment to run (always valid).
    pub experiment: Experiment,
    /// What was changed on the way in, one sentence each; empty for a clean link.
    pub notices: Vec<String>,
    /// How the page shows it (hidden controls and panels, presenter mode).
    pub presentation: Presentation,
}

/// The query string (without `?`) for an experiment.
pub fn encode(experiment: &Experiment) -> String {
    let map = experiment.to_map();
    let mut parts = vec![format!("v={LINK_VERSION}")];
    for knob in experiment.knobs() {
        if let Some(value) = map.get(knob.key) {
            parts.push(format!(
                "{}={}",
                knob.key,
                percent_encode(&knob.format(value))
            ));
        }
    }
    parts.join("&")
}

/// The query string for an experiment shown as `presentation` says (a classroom link).
pub fn encode_shown(experiment: &Experiment, presentation: &Presentation) -> String {
    std::iter::once(encode(experiment))
        .chain(presentation.query_parts())
        .collect::<Vec<_>>()
        .join("&")
}

/// Reads a full link (`https://…/?v=1&…#…`), a query with or without `?`, or an empty string.
pub fn decode(link: &str) -> Decoded {
    let mut notices = Vec::new();
    let query = query_part(link);
    let query = if query.len() > MAX_QUERY_LEN {
        notices.push(format!(
            "the link is longer than {MAX_QUERY_LEN} characters; the rest was ignored"
        ));
        let mut end = MAX_QUERY_LEN;
        while !query.is_char_boundary(end) {
            end -= 1;
        }
        &query[..end]
    } else {
        query
    };
    let pairs = parse_query(query);
    let get = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };

    if let Some(v) = get("v")
        && v.trim() != LINK_VERSION.to_string()
    {
        notices.push(format!(
            "link version v={v} is not known; read as v={LINK_VERSION}"
        ));
    }

    let lab = match get("lab") {
        None => LabId::Baseline,
        Some(raw) => LabId::parse(raw.trim().to_ascii_lowercase().as_str()).unwrap_or_else(|| {
            notices.push(format!("lab={raw:?} is not a lab; opened the baseline lab"));
            LabId::Baseline
        }),
    };
    let defaults = Experiment::for_lab(lab);
    let mut map = defaults.to_map();
    for knob in defaults.knobs().filter(|k| k.key != "lab") {
        let Some(raw) = get(knob.key) else { continue };
        match knob.read(raw) {
            Ok(read) => {
                notices.extend(read.note);
                map.insert(knob.key.to_string(), read.value);
            }
            Err(reason) => {
                let default = map
                    .get(knob.key)
                    .map(|v| knob.format(v))
                    .unwrap_or_default();
                notices.push(format!("{reason}; using the default {default}"));
            }
        }
    }
    let presentation = Presentation::read(get("hide"), get("present"), &mut notices);
    let known: Vec<&str> = defaults
        .knobs()
        .map(|k| k.key)
        .chain(["v"])
        .chain(PRESENTATION_KEYS.iter().copied())
        .collect();
    let mut unknown: Vec<&str> = pairs
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !k.is_empty() && !known.contains(k))
        .collect();
    unknown.dedup();
    if !unknown.is_empty() {
        let shown: Vec<String> = unknown.iter().take(5).map(|k| format!("{k:?}")).collect();
        let more = if unknown.len() > 5 {
            format!(" and {} more", unknown.len() - 5)
        } else {
            String::new()
        };
        notices.push(format!("ignored unknown keys {}{more}", shown.join(", ")));
    }
    map.insert("lab".into(), Value::from(lab.as_str()));
    let mut experiment = Experiment::from_map(map).unwrap_or_else(|e| {
        notices.push(format!(
            "the link could not be read ({e}); opened the defaults"
        ));
        defaults
    });
    notices.extend(experiment.lab.fit_budget());
    Decoded {
        experiment,
        notices,
        presentation,
    }
}

/// Whether a link is the site's bare root (no query at all), which shows the landing page;
/// any link with settings opens a lab (the baseline when it names none).
pub fn is_landing(link: &str) -> bool {
    parse_query(query_part(link)).is_empty()
}

/// The query part of a link: after the first `?` (or the whole text when it has none and looks
/// like a query), before any `#`.
fn query_part(link: &str) -> &str {
    let link = link.trim();
    let link = link.split('#').next().unwrap_or("");
    match link.split_once('?') {
        Some((_, q)) => q,
        None if link.contains('=') => link,
        None => "",
    }
}

/// `key=value` pairs, percent-decoded; `+` reads as a space.
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split(['&', ';'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k).to_ascii_lowercase(), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendPreference;
    use crate::experiment::LabSettings;
    use proptest::prelude::*;

    #[test]
    fn only_the_bare_root_is_the_landing_page() {
        assert!(is_landing(""));
        assert!(is_landing("http://127.0.0.1:8080/"));
        assert!(is_landing("http://127.0.0.1:8080/?#top"));
        assert!(!is_landing("?backend=cpu"));
        assert!(!is_landing("?lab=groups"));
        assert!(!is_landing("http://h/?v=1&LAB=nonsense#x"));
    }

    #[test]
    fn a_classroom_link_round_trips_its_hidden_panels_and_presenter_mode() {
        let e = Experiment::for_lab(LabId::Groups);
        let mut notices = Vec::new();
        let shown = Presentation::read(Some("lr,share,loss"), Some("1"), &mut notices);
        let q = encode_shown(&e, &shown);
        assert!(q.ends_with("&hide=loss,lr,share&present=1"), "{q}");
        let d = decode(&q);
        assert_eq!(d.experiment, e);
        assert_eq!(d.presentation, shown);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(decode(&encode(&e)).presentation, Presentation::default());
    }

    #[test]
    fn default_link_round_trips_without_notices() {
        let e = Experiment::default();
        let q = encode(&e);
        assert!(
            q.starts_with("v=1&lab=baseline&seed=1&backend=auto&"),
            "{q}"
        );
        let d = decode(&format!("http://127.0.0.1:8080/?{q}#top"));
        assert_eq!(d.experiment, e);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
    }

    #[test]
    fn empty_and_bare_links_give_defaults_silently() {
        for link in ["", "http://127.0.0.1:8080/", "?", "https://x.org/#v=3"] {
            let d = decode(link);
            assert_eq!(d.experiment, Experiment::default(), "{link}");
            assert!(d.notices.is_empty(), "{link}: {:?}", d.notices);
        }
    }

    #[test]
    fn a_mangled_link_is_repaired_and_every_change_is_listed() {
        let d =
            decode("?v=7&lab=baseline&seed=banana&lr=1e9&hidden=-5&backend=quantum&zzz=1&batch=64");
        let LabSettings::Baseline(b) = &d.experiment.lab else {
            panic!("a baseline experiment")
        };
        assert_eq!(d.experiment.seed, 1);
        assert_eq!(d.experiment.backend, BackendPreference::Auto);
        assert_eq!(b.batch, 64);
        assert_eq!(b.lr, 10.0);
        assert!(b.hidden >= 4);
        let all = d.notices.join("\n");
        for needle in ["v=7", "seed", "lr=1e9", "hidden=-5", "backend", "\"zzz\""] {
            assert!(all.contains(needle), "no notice about {needle}: {all}");
        }
    }

    #[test]
    fn an_unknown_lab_opens_the_baseline_with_a_notice() {
        let d = decode("lab=teleport&seed=4");
        assert_eq!(d.experiment.seed, 4);
        assert_eq!(d.experiment.lab.id(), LabId::Baseline);
        assert!(d.notices[0].contains("teleport"));
    }

    #[test]
    fn percent_escapes_and_case_are_tolerated() {
        let d = decode("V=1&BACKEND=%63pu&seed=%31%32&lr=0%2E05");
        assert_eq!(d.experiment.backend, BackendPreference::Cpu);
        assert_eq!(d.experiment.seed, 12);
        let LabSettings::Baseline(b) = &d.experiment.lab else {
            panic!("a baseline experiment")
        };
        assert_eq!(b.lr, 0.05);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn an_overlong_link_is_cut_with_a_notice() {
        let d = decode(&format!("seed=3&pad={}", "x".repeat(10_000)));
        assert_eq!(d.experiment.seed, 3);
        assert!(d.notices.iter().any(|n| n.contains("longer")));
    }

    /// Any valid experiment, drawn knob by knob within bounds.
    fn valid_experiment() -> impl Strategy<Value = Experiment> {
        let lab = prop::sample::select(LabId::ALL.to_vec());
        (lab, any::<u64>())
            .prop_map(|(lab, bits)| Experiment::random(lab, &mut orbit_math::Rng::new(bits)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn every_valid_experiment_round_trips(e in valid_experiment()) {
            let d = decode(&encode(&e));
            prop_assert!(d.notices.is_empty(), "{:?}", d.notices);
            prop_assert_eq!(d.experiment, e);
        }

        #[test]
        fn arbitrary_text_never_panics_and_gives_a_valid_experiment(s in ".{0,300}") {
            let d = decode(&s);
            let map = d.experiment.to_map();
            for k in d.experiment.knobs() {
                prop_assert!(k.accepts(&map[k.key]));
            }
        }

        #[test]
        fn mutated_links_never_panic_and_stay_in_bounds(
            e in valid_experiment(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), ".{0,4}"), 1..6),
        ) {
            let mut q = encode(&e).into_bytes();
            for (at, text) in edits {
                let i = at.index(q.len() + 1);
                q.splice(i..i.min(q.len()), text.bytes());
            }
            let d = decode(&String::from_utf8_lossy(&q));
            let map = d.experiment.to_map();
            for k in d.experiment.knobs() {
                prop_assert!(k.accepts(&map[k.key]), "{} = {}", k.key, map[k.key]);
            }
        }
    }
}

//! Files the page hands to the user: text (CSV, JSON), a chart as SVG, or as PNG rendered from
//! that SVG on a canvas. Everything is made in the tab; nothing is uploaded.

use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// Saves `text` as a file called `name` of type `mime` (the browser's download).
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    save_blob(name, &blob)
}

/// Saves `bytes` as a file called `name`.
pub fn save_bytes(name: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map_err(|_| "the browser could not make the file".to_string())?;
    save_blob(name, &blob)
}

/// Saves a blob as a file called `name`.
pub fn save_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the browser could not make a link to the file".to_string())?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link element")?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A figure drawn as a standalone SVG document, with its size in CSS pixels.
pub struct Drawing {
    /// The SVG document.
    pub markup: String,
    /// Width in CSS pixels (as shown in the page).
    pub width: f64,
    /// Height in CSS pixels.
    pub height: f64,
}

/// What each element of an exported drawing takes from its computed style (the page draws with
/// its stylesheet and theme, a file has to carry them itself), with the initial value of those
/// that are not inherited. An inherited property is written only where it differs from the
/// parent's, a non-inherited one only where it differs from its initial value, which keeps a
/// drawing of thousands of shapes small.
const DRAWN_STYLE: [(&str, Option<&str>); 13] = [
    ("fill", None),
    ("fill-opacity", None),
    ("stroke", None),
    ("stroke-width", None),
    ("stroke-opacity", None),
    ("stroke-dasharray", None),
    ("font-family", None),
    ("font-size", None),
    ("font-weight", None),
    ("text-anchor", None),
    ("dominant-baseline", None),
    ("opacity", Some("1")),
    ("display", Some("inline")),
];

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The first `<svg>` in `figure` as a standalone SVG document: every element carries its
/// computed look (so the file looks as the figure does in the page, in either theme), the
/// figure's background is painted behind it, and its caption and legend become the drawing's
/// `<title>` and `<desc>`.
pub fn figure_svg(figure: &web_sys::Element) -> Result<Drawing, String> {
    let svg = figure
        .query_selector("svg")
        .ok()
        .flatten()
        .ok_or("this figure has no drawing")?;
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| "could not copy the figure")?
        .unchecked_into();
    inline_computed_style(&svg, &copy);
    let view_box = view_box(&svg);
    let shown = svg.get_bounding_client_rect();
    let (width, height) = if shown.width() >= 1.0 && shown.height() >= 1.0 {
        (shown.width().round(), shown.height().round())
    } else {
        (view_box[2].max(1.0), view_box[3].max(1.0))
    };
    let _ = copy.set_attribute("xmlns", SVG_NS);
    let _ = copy.set_attribute("width", &width.to_string());
    let _ = copy.set_attribute("height", &height.to_string());
    let _ = copy.remove_attribute("class");
    let caption = first_text(figure, &[".plot-title", "figcaption"]);
    let legend = first_text(figure, &[".legend", ".colour-legend"]);
    let markup = web_sys::XmlSerializer::new()
        .and_then(|s| s.serialize_to_string(&copy))
        .map_err(|_| "could not write the figure")?;
    let open_end = markup.find('>').ok_or("bad figure markup")? + 1;
    let [x, y, w, h] = view_box;
    let head = format!(
        "<title>{}</title><desc>{}</desc><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>",
        escape(&caption),
        escape(&legend),
        background(figure)
    );
    Ok(Drawing {
        markup: format!("{}{head}{}", &markup[..open_end], &markup[open_end..]),
        width,
        height,
    })
}

/// `viewBox` of `svg` as `[x, y, width, height]`, or its client size from the origin.
fn view_box(svg: &web_sys::Element) -> [f64; 4] {
    let parsed: Vec<f64> = svg
        .get_attribute("viewBox")
        .unwrap_or_default()
        .split([' ', ','])
        .filter_map(|v| v.parse().ok())
        .collect();
    match parsed[..] {
        [x, y, w, h] => [x, y, w, h],
        _ => [
            0.0,
            0.0,
            f64::from(svg.client_width()),
            f64::from(svg.client_height()),
        ],
    }
}

/// Writes the computed [`DRAWN_STYLE`] of every element under `original` (itself included)
/// into the `style` attribute of the same element of `copy`, a deep clone of it.
fn inline_computed_style(original: &web_sys::Element, copy: &web_sys::Element) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let computed = |e: &web_sys::Element| window.get_computed_style(e).ok().flatten();
    let style_of = |from: &web_sys::Element, to: &web_sys::Element, root: bool| {
        let Some(own) = computed(from) else {
            return;
        };
        let parent = if root {
            None
        } else {
            from.parent_element().as_ref().and_then(computed)
        };
        let value = |style: &web_sys::CssStyleDeclaration, p: &str| {
            style.get_property_value(p).unwrap_or_default()
        };
        let css: Vec<String> = DRAWN_STYLE
            .iter()
            .filter_map(|&(p, initial)| {
                let v = value(&own, p);
                let same = match (initial, &parent) {
                    _ if v.is_empty() => true,
                    (Some(initial), _) => v == initial,
                    (None, Some(parent)) => v == value(parent, p),
                    (None, None) => false,
                };
                (!same).then(|| format!("{p}:{v}"))
            })
            .collect();
        if !css.is_empty() {
            let _ = to.set_attribute("style", &css.join(";"));
        }
    };
    style_of(original, copy, true);
    let (Ok(from), Ok(to)) = (
        original.query_selector_all("*"),
        copy.query_selector_all("*"),
    ) else {
        return;
    };
    for i in 0..from.length().min(to.length()) {
        if let (Some(a), Some(b)) = (from.item(i), to.item(i))
            && let (Ok(a), Ok(b)) = (
                a.dyn_into::<web_sys::Element>(),
                b.dyn_into::<web_sys::Element>(),
            )
        {
            style_of(&a, &b, false);
        }
    }
}

/// The colour behind `element`: the first opaque background among it and its ancestors.
fn background(element: &web_sys::Element) -> String {
    let window = web_sys::window();
    let mut at = Some(element.clone());
    while let Some(e) = at {
        let colour = window
            .as_ref()
            .and_then(|w| w.get_computed_style(&e).ok().flatten())
            .and_then(|s| s.get_property_value("background-color").ok())
            .unwrap_or_default();
        if !colour.is_empty() && colour != "transparent" && !colour.starts_with("rgba(0, 0, 0, 0)")
        {
            return colour;
        }
        at = e.parent_element();
    }
    "#ffffff".to_string()
}

/// The text of the first element under `root` that one of `selectors` matches, or empty.
fn first_text(root: &web_sys::Element, selectors: &[&str]) -> String {
    selectors
        .iter()
        .map(|s| text_of(root, s))
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

/// A canvas's picture as a PNG blob.
pub async fn canvas_png(canvas: &web_sys::HtmlCanvasElement) -> Result<web_sys::Blob, String> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let callback = Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = refuse.call0(&JsValue::NULL);
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        if canvas
            .to_blob_with_type(callback.unchecked_ref(), "image/png")
            .is_err()
        {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    JsFuture::from(done)
        .await
        .map(|b| b.unchecked_into())
        .map_err(|_| "the browser could not make the PNG".to_string())
}

/// The text of the first element under `root` that `selector` matches, or empty.
fn text_of(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// `text` with the five XML specials escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Renders an SVG document to a PNG blob of `width × height` pixels.
pub async fn svg_to_png(svg: &str, width: u32, height: u32) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "could not make the drawing")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL")?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "no image element")?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let load = JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    load.map_err(|_| "the browser could not draw the chart")?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("no 2D canvas")?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| "could not draw the chart")?;
    canvas_png(&canvas).await
}

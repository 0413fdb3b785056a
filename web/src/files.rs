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

/// A standalone SVG document of the chart in `figure` (its `<svg>`, with the page's chart
/// styles written in so that it looks the same outside the page).
pub fn chart_svg(figure: &web_sys::Element) -> Result<String, String> {
    let svg = figure
        .query_selector("svg")
        .ok()
        .flatten()
        .ok_or("this chart has no drawing")?;
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| "could not copy the chart")?
        .unchecked_into();
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("width", "1120");
    let _ = copy.set_attribute("height", "520");
    let title = text_of(figure, ".plot-title");
    let legend = text_of(figure, ".legend");
    let markup = web_sys::XmlSerializer::new()
        .and_then(|s| s.serialize_to_string(&copy))
        .map_err(|_| "could not write the chart")?;
    // The chart's look lives in the page's stylesheet; a file needs it inline.
    let style = "<style>text{font:12px system-ui,sans-serif;fill:#1f2433}.grid{stroke:#e5e7eb}\
        .frame{stroke:#9ca3af}.axis-label{font-weight:600}.empty{fill:#6b7280}</style>";
    let desc = format!(
        "<title>{}</title><desc>{}</desc>",
        escape(&title),
        escape(&legend)
    );
    let open_end = markup.find('>').ok_or("bad chart markup")? + 1;
    Ok(format!(
        "{}{style}{desc}<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{}",
        &markup[..open_end],
        &markup[open_end..]
    ))
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

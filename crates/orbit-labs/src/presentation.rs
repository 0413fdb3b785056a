//! How the page shows an experiment, carried in the share link beside it but not part of the
//! run: what a classroom link hides (`hide=lr,seed,loss`) and presenter mode (`present=1`).
//!
//! A hidden control keeps the value the link gives it; hiding only changes what is drawn.
//! Names are knob keys (`lr`) or the page's panel names (`share`, `tour`, a plot's name), in
//! lower case letters, digits, `-` and `_`.

/// The link keys this module reads.
pub const PRESENTATION_KEYS: &[&str] = &["hide", "present"];

/// Most names one link hides; the rest are dropped with a notice.
pub const MAX_HIDDEN: usize = 64;

/// Longest name of a hidden control or panel.
const MAX_NAME_LEN: usize = 40;

/// What the page hides and how it is laid out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presentation {
    /// Controls (by knob key) and panels (by panel name) not drawn, sorted, without repeats.
    pub hide: Vec<String>,
    /// Presenter mode: large type, high contrast, the results full width.
    pub present: bool,
}

/// Whether `name` can name a control or panel.
pub fn is_panel_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl Presentation {
    /// Reads the `hide` and `present` values of a link, noting what it could not use.
    pub fn read(hide: Option<&str>, present: Option<&str>, notices: &mut Vec<String>) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut bad = Vec::new();
        for raw in hide.unwrap_or("").split(',') {
            let name = raw.trim().to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if is_panel_name(&name) {
                names.push(name);
            } else {
                bad.push(format!("{raw:?}"));
            }
        }
        if !bad.is_empty() {
            notices.push(format!(
                "hide: {} cannot name a control or panel; shown",
                bad.join(", ")
            ));
        }
        names.sort();
        names.dedup();
        if names.len() > MAX_HIDDEN {
            notices.push(format!(
                "hide names {} things; only the first {MAX_HIDDEN} are hidden",
                names.len()
            ));
            names.truncate(MAX_HIDDEN);
        }
        let present = match present.map(|p| p.trim().to_ascii_lowercase()) {
            None => false,
            Some(p) if ["1", "true", "yes", "on"].contains(&p.as_str()) => true,
            Some(p) if ["0", "false", "no", "off", ""].contains(&p.as_str()) => false,
            Some(p) => {
                notices.push(format!(
                    "present={p:?} is not 0 or 1; presenter mode is off"
                ));
                false
            }
        };
        Self {
            hide: names,
            present,
        }
    }

    /// Whether the control or panel `name` is hidden.
    pub fn hides(&self, name: &str) -> bool {
        self.hide.iter().any(|h| h == name)
    }

    /// The same presentation with `name` hidden (`hidden`) or shown.
    pub fn with_hidden(&self, name: &str, hidden: bool) -> Self {
        let mut next = self.clone();
        next.hide.retain(|h| h != name);
        if hidden && is_panel_name(name) {
            next.hide.push(name.to_string());
            next.hide.sort();
        }
        next
    }

    /// The link's `key=value` parts for this presentation; none for the default.
    pub fn query_parts(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if !self.hide.is_empty() {
            parts.push(format!("hide={}", self.hide.join(",")));
        }
        if self.present {
            parts.push("present=1".to_string());
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sorts_and_drops_what_cannot_be_a_name() {
        let mut notices = Vec::new();
        let p = Presentation::read(Some("seed, LR,,lr,<b>x</b>"), Some("1"), &mut notices);
        assert_eq!(p.hide, vec!["lr", "seed"]);
        assert!(p.present);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains("<b>x</b>"));
        assert_eq!(p.query_parts(), vec!["hide=lr,seed", "present=1"]);
    }

    #[test]
    fn a_bad_present_is_off_with_a_notice_and_the_default_writes_nothing() {
        let mut notices = Vec::new();
        let p = Presentation::read(None, Some("maybe"), &mut notices);
        assert!(!p.present);
        assert_eq!(notices.len(), 1);
        assert!(Presentation::default().query_parts().is_empty());
    }

    #[test]
    fn too_many_names_are_cut_to_the_limit() {
        let many: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
        let mut notices = Vec::new();
        let p = Presentation::read(Some(&many.join(",")), None, &mut notices);
        assert_eq!(p.hide.len(), MAX_HIDDEN);
        assert_eq!(notices.len(), 1);
    }

    #[test]
    fn hiding_and_showing_toggle_one_name() {
        let p = Presentation::default().with_hidden("share", true);
        assert!(p.hides("share"));
        let p = p.with_hidden("lr", true).with_hidden("share", false);
        assert_eq!(p.hide, vec!["lr"]);
        assert!(!p.with_hidden("Not A Name", true).hides("Not A Name"));
    }
}

//! The 8×8 handwritten digits of UCI's "Optical Recognition of Handwritten Digits" (Alpaydin &
//! Kaynak, 1998; CC BY 4.0), as shipped by scikit-learn: 1,797 rows of 64 pixel values 0–16
//! followed by the label 0–9.

use std::fmt;

/// Side of one digit image in pixels.
pub const SIDE: usize = 8;
/// Pixels per image.
pub const PIXELS: usize = SIDE * SIDE;
/// Number of classes.
pub const CLASSES: usize = 10;
/// Largest pixel value in the raw data.
pub const MAX_PIXEL: f32 = 16.0;

/// The digits table: images row-major (`y * 8 + x`), scaled to `[0, 1]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    /// `len × 64` pixel intensities in `[0, 1]`, one image after another.
    pub pixels: Vec<f32>,
    /// `len` labels in `0..10`.
    pub labels: Vec<u8>,
}

/// Why a digits CSV could not be read; names the 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigitsError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong there.
    pub reason: String,
}

impl fmt::Display for DigitsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "digits line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for DigitsError {}

impl Digits {
    /// Parses the CSV text (65 integers a line: 64 pixels 0–16, then the label 0–9).
    pub fn parse_csv(text: &str) -> Result<Self, DigitsError> {
        let mut pixels = Vec::new();
        let mut labels = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let err = |reason: String| DigitsError {
                line: i + 1,
                reason,
            };
            let values: Vec<&str> = line.split(',').collect();
            if values.len() != PIXELS + 1 {
                return Err(err(format!(
                    "{} fields, expected {}",
                    values.len(),
                    PIXELS + 1
                )));
            }
            for v in &values[..PIXELS] {
                let p: f32 = v
                    .trim()
                    .parse()
                    .map_err(|_| err(format!("pixel {v:?} is not a number")))?;
                if !(0.0..=MAX_PIXEL).contains(&p) {
                    return Err(err(format!("pixel {p} outside 0..=16")));
                }
                pixels.push(p / MAX_PIXEL);
            }
            let label: u8 = values[PIXELS]
                .trim()
                .parse()
                .ok()
                .filter(|l| usize::from(*l) < CLASSES)
                .ok_or_else(|| err(format!("label {:?} is not a digit 0–9", values[PIXELS])))?;
            labels.push(label);
        }
        Ok(Self { pixels, labels })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the table holds no image.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The 64 pixels of image `i`.
    pub fn image(&self, i: usize) -> &[f32] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// Gathers the given rows into (pixels, labels) in that order.
    pub fn gather(&self, rows: &[usize]) -> (Vec<f32>, Vec<u8>) {
        let mut px = Vec::with_capacity(rows.len() * PIXELS);
        let mut lb = Vec::with_capacity(rows.len());
        for &r in rows {
            px.extend_from_slice(self.image(r));
            lb.push(self.labels[r]);
        }
        (px, lb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_scales_pixels() {
        let row: Vec<String> = (0..64)
            .map(|i| (i % 17).to_string())
            .chain(["7".into()])
            .collect();
        let d = Digits::parse_csv(&format!("{}\n\n{}\n", row.join(","), row.join(","))).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d.labels, vec![7, 7]);
        assert_eq!(d.image(1)[16], 1.0);
        assert_eq!(d.image(0)[1], 1.0 / 16.0);
    }

    #[test]
    fn malformed_lines_are_named() {
        let good: Vec<String> = (0..64)
            .map(|_| "0".to_string())
            .chain(["1".into()])
            .collect();
        let good = good.join(",");
        let e = Digits::parse_csv(&format!("{good}\n1,2,3\n")).unwrap_err();
        assert_eq!(e.line, 2);
        let e = Digits::parse_csv(&good.replace(",1", ",12")).unwrap_err();
        assert!(e.reason.contains("label"), "{e}");
        let e = Digits::parse_csv(&good.replacen('0', "17", 1)).unwrap_err();
        assert!(e.to_string().contains("outside"), "{e}");
        let e = Digits::parse_csv(&good.replacen('0', "x", 1)).unwrap_err();
        assert!(e.reason.contains("not a number"));
    }
}

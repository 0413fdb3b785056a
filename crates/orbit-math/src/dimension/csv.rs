//! Reading a point cloud from CSV text: one point per row, numbers separated by commas,
//! semicolons, tabs or spaces; blank lines and `#` comments skipped; one header row allowed.

use super::points::Points;

/// Limits on what a user may load, so that a file cannot hang the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvLimits {
    /// Most points (rows).
    pub max_points: usize,
    /// Most coordinates per point.
    pub max_dim: usize,
}

/// The page's and the CLI's bounds: 20,000 points × 1,000 dimensions.
pub const CSV_LIMITS: CsvLimits = CsvLimits {
    max_points: 20_000,
    max_dim: 1_000,
};

/// Why a file could not be read, naming the line (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// The line at fault (0 when the file as a whole is at fault).
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for CsvError {}

fn fields(line: &str) -> impl Iterator<Item = &str> {
    line.split([',', ';', '\t', ' '])
        .map(str::trim)
        .filter(|f| !f.is_empty())
}

/// Parses CSV text into points, within `limits`.
pub fn parse_points(text: &str, limits: CsvLimits) -> Result<Points, CsvError> {
    let mut dim = 0;
    let mut coords = Vec::new();
    let mut rows = 0;
    let mut header_allowed = true;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let values: Result<Vec<f64>, &str> = fields(content)
            .map(|f| f.parse::<f64>().map_err(|_| f))
            .collect();
        let values = match values {
            Ok(v) => v,
            Err(_) if header_allowed => {
                header_allowed = false;
                continue;
            }
            Err(bad) => {
                return Err(CsvError {
                    line,
                    message: format!("{bad:?} is not a number"),
                });
            }
        };
        header_allowed = false;
        if let Some(pos) = values.iter().position(|v| !v.is_finite()) {
            return Err(CsvError {
                line,
                message: format!("value {} is not finite", pos + 1),
            });
        }
        if dim == 0 {
            dim = values.len();
            if dim > limits.max_dim {
                return Err(CsvError {
                    line,
                    message: format!("{dim} coordinates; at most {} allowed", limits.max_dim),
                });
            }
        } else if values.len() != dim {
            return Err(CsvError {
                line,
                message: format!("{} values, but the first row has {dim}", values.len()),
            });
        }
        rows += 1;
        if rows > limits.max_points {
            return Err(CsvError {
                line,
                message: format!("more than {} points", limits.max_points),
            });
        }
        coords.extend(values);
    }
    if rows < 3 {
        return Err(CsvError {
            line: 0,
            message: format!("{rows} points found; at least 3 are needed"),
        });
    }
    Ok(Points::new(dim, coords))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_separators_and_comments() {
        let p = parse_points("x,y\n# note\n1,2\n\n3;4\n5 6\n", CSV_LIMITS).unwrap();
        assert_eq!((p.len(), p.dim), (3, 2));
        assert_eq!(p.coords, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_points("1,2\n3,4\n5,x\n", CSV_LIMITS).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("line 3:"), "{e}");
        assert_eq!(parse_points("1,2\n3\n", CSV_LIMITS).unwrap_err().line, 2);
        assert_eq!(
            parse_points("1,2\n3,inf\n", CSV_LIMITS).unwrap_err().line,
            2
        );
        assert_eq!(parse_points("1,2\n", CSV_LIMITS).unwrap_err().line, 0);
        let small = CsvLimits {
            max_points: 3,
            max_dim: 2,
        };
        assert_eq!(parse_points("1,2,3\n", small).unwrap_err().line, 1);
        assert_eq!(
            parse_points("1,2\n1,2\n1,2\n1,2\n", small)
                .unwrap_err()
                .line,
            4
        );
    }
}

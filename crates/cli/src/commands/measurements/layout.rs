//! The header of a measurements file and where each field's problems are reported.
use touchpoint_core::{ValidationErrors, feedback::CellError};

pub const REQUIRED: [&str; 6] = [
    "service",
    "moment",
    "metric",
    "site",
    "observed_at",
    "value",
];
pub const OPTIONAL: &str = "measurement_id";

/// Which cell holds which column (0-based), in `REQUIRED` order then `measurement_id`.
pub struct Layout {
    pub names: Vec<String>,
    pub at: [usize; 6],
    pub id: Option<usize>,
}

impl Layout {
    pub fn parse(headers: &csv::StringRecord) -> Result<Layout, Vec<CellError>> {
        let mut errors = Vec::new();
        let mut found: [Option<usize>; 7] = [None; 7];
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        for (i, name) in names.iter().enumerate() {
            let slot = REQUIRED
                .iter()
                .position(|r| r == name)
                .or_else(|| (name == OPTIONAL).then_some(6));
            let reason = match slot {
                Some(s) if found[s].is_some() => format!("column '{name}' appears twice"),
                Some(s) => {
                    found[s] = Some(i);
                    continue;
                }
                None => format!(
                    "unknown column '{name}': expected {}, and optionally {OPTIONAL}",
                    REQUIRED.join(", ")
                ),
            };
            errors.push(cell(1, i + 1, name, reason));
        }
        for (name, slot) in REQUIRED.iter().zip(found) {
            if slot.is_none() {
                errors.push(cell(
                    1,
                    0,
                    name,
                    format!("the required column '{name}' is missing"),
                ));
            }
        }
        match found {
            [Some(a), Some(b), Some(c), Some(d), Some(e), Some(f), id] if errors.is_empty() => {
                Ok(Layout {
                    names,
                    at: [a, b, c, d, e, f],
                    id,
                })
            }
            _ => Err(errors),
        }
    }

    /// An error about a field of the draft, placed on the column it came from.
    pub fn field_error(&self, line: u64, field: &str, message: &str) -> CellError {
        let column = match field {
            "service_key" => Some(0),
            "moment_key" => Some(1),
            "metric" => Some(2),
            "site_key" => Some(3),
            "observed_at" => Some(4),
            "value" => Some(5),
            _ => None,
        };
        match column.map(|c| self.at[c]) {
            Some(i) => cell(line, i + 1, &self.names[i], message.to_string()),
            None => cell(line, 0, "", format!("{field}: {message}")),
        }
    }

    pub fn errors(&self, line: u64, e: &ValidationErrors) -> Vec<CellError> {
        e.0.iter()
            .map(|f| self.field_error(line, &f.field, &f.message))
            .collect()
    }
}

pub fn cell(line: u64, column: usize, name: &str, reason: String) -> CellError {
    CellError {
        line,
        column,
        column_name: name.to_string(),
        reason,
    }
}

//! The header of an import file: which named column sits where, and where each field's
//! problems are reported (`line L, column C (name): reason`).
use touchpoint_core::{ValidationErrors, feedback::CellError};

pub struct Columns {
    names: Vec<String>,
    /// Index of each known column (required first, then optional), if present.
    at: Vec<Option<usize>>,
    known: Vec<String>,
}

/// Which columns a file must and may have. Fixed for Touchpoint's own formats; for files
/// exported by other systems (read through a mapping) the mapping names the columns it needs
/// and every other column is ignored.
#[derive(Debug, Clone, Default)]
pub struct HeaderSpec {
    pub required: Vec<String>,
    pub optional: Vec<String>,
    pub others_ignored: bool,
}

impl HeaderSpec {
    pub fn fixed(required: &[&str], optional: &[&str]) -> Self {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Self {
            required: owned(required),
            optional: owned(optional),
            others_ignored: false,
        }
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

impl Columns {
    /// Every problem of the header at once: unknown, repeated and missing columns.
    pub fn parse(
        headers: &csv::StringRecord,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Columns, Vec<CellError>> {
        Self::parse_spec(headers, &HeaderSpec::fixed(required, optional))
    }

    /// Every problem of the header at once, by `spec`.
    pub fn parse_spec(
        headers: &csv::StringRecord,
        spec: &HeaderSpec,
    ) -> Result<Columns, Vec<CellError>> {
        let (required, optional) = (&spec.required, &spec.optional);
        let known: Vec<String> = required.iter().chain(optional).cloned().collect();
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let mut at: Vec<Option<usize>> = vec![None; known.len()];
        let mut errors = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match known.iter().position(|k| k == name) {
                Some(k) if at[k].is_some() => errors.push(cell(
                    1,
                    i + 1,
                    name,
                    format!("column '{name}' appears twice"),
                )),
                Some(k) => at[k] = Some(i),
                None if spec.others_ignored => {}
                None => errors.push(cell(
                    1,
                    i + 1,
                    name,
                    format!(
                        "unknown column '{name}': expected {}, and optionally {}",
                        required.join(", "),
                        optional.join(", ")
                    ),
                )),
            }
        }
        for (k, name) in required.iter().enumerate() {
            if at[k].is_none() {
                errors.push(cell(
                    1,
                    0,
                    name,
                    format!("the required column '{name}' is missing"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Columns { names, at, known })
        } else {
            Err(errors)
        }
    }

    fn index(&self, column: &str) -> Option<usize> {
        let k = self.known.iter().position(|k| *k == column)?;
        self.at[k]
    }

    /// The trimmed cell of `column`, or `""` when the file has no such column.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index(column)
            .and_then(|i| record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    /// A problem placed on `column` (by name), or on the whole line when it is absent.
    pub fn error(&self, line: u64, column: &str, message: &str) -> CellError {
        match self.index(column) {
            Some(i) => cell(line, i + 1, &self.names[i], message.to_string()),
            None => cell(line, 0, "", format!("{column}: {message}")),
        }
    }

    /// Validation problems, each placed on the column `column_of(field)` names.
    pub fn errors(
        &self,
        line: u64,
        e: &ValidationErrors,
        column_of: fn(&str) -> &str,
    ) -> Vec<CellError> {
        e.0.iter()
            .map(|f| self.error(line, column_of(&f.field), &f.message))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_header_problem() {
        let h = csv::StringRecord::from(vec!["\u{feff}ref", "ref", "colour"]);
        let e = Columns::parse(&h, &["ref", "name"], &["email"])
            .err()
            .unwrap();
        let shown: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "line 1, column 2 (ref): column 'ref' appears twice",
                "line 1, column 3 (colour): unknown column 'colour': expected ref, name, and optionally email",
                "line 1: the required column 'name' is missing",
            ]
        );
    }

    #[test]
    fn cells_and_errors_find_their_column() {
        let h = csv::StringRecord::from(vec!["name", "ref"]);
        let c = Columns::parse(&h, &["ref", "name"], &["email"]).unwrap();
        let r = csv::StringRecord::from(vec![" Ana ", "C-1"]);
        assert_eq!((c.get(&r, "name"), c.get(&r, "email")), ("Ana", ""));
        assert_eq!(
            c.error(5, "ref", "bad").to_string(),
            "line 5, column 2 (ref): bad"
        );
    }
}

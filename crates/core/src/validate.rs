//! Small reusable checks that produce field errors.
use crate::error::ValidationErrors;

pub(crate) const MAX_NAME: usize = 200;
pub(crate) const MAX_TEXT: usize = 4000;
pub(crate) const MAX_KEY: usize = 64;

/// A non-blank name of sensible length; returns it trimmed.
pub(crate) fn name(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(field, "must not be empty");
    } else if v.chars().count() > MAX_NAME {
        errors.push(field, format!("must be at most {MAX_NAME} characters"));
    }
    v.to_string()
}

/// Optional free text of bounded length; returns it trimmed.
pub(crate) fn text(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.chars().count() > MAX_TEXT {
        errors.push(field, format!("must be at most {MAX_TEXT} characters"));
    }
    v.to_string()
}

/// A stable machine key: lowercase letters, digits, `-` and `_`, starting with a letter.
pub(crate) fn key(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(field, "must not be empty");
    } else if v.len() > MAX_KEY {
        errors.push(field, format!("must be at most {MAX_KEY} characters"));
    } else if !is_key(v) {
        errors.push(
            field,
            "must start with a lowercase letter and use only lowercase letters, digits, '-' or '_'",
        );
    }
    v.to_string()
}

pub fn is_key(v: &str) -> bool {
    let mut chars = v.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Turn a human name into a key candidate ("Cash a cheque" → "cash-a-cheque").
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "x-");
    }
    out.truncate(MAX_KEY);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_valid_keys() {
        assert_eq!(slugify("Cash a cheque"), "cash-a-cheque");
        assert_eq!(slugify("  Hotel check-in!  "), "hotel-check-in");
        assert!(is_key(&slugify("3rd ring")));
    }

    #[test]
    fn keys_reject_uppercase_and_spaces() {
        assert!(is_key("wait-turn_2"));
        assert!(!is_key("Wait"));
        assert!(!is_key("wait turn"));
        assert!(!is_key("2wait"));
    }
}

//! Complaint references: `C-<year>-<sequence>`, e.g. `C-2026-000123`.
//!
//! Human-friendly (short enough to read over the phone, no ambiguous letters), unique (the
//! sequence is per year and kept by the store in a counter row updated inside the complaint's
//! transaction), and not a secret: the customer status page uses a separate random token.
//! The sequence is zero-padded to six digits and simply grows wider past 999 999.

/// The reference of the `sequence`-th complaint registered in `year`.
pub fn format_reference(year: i32, sequence: i64) -> String {
    format!("C-{year}-{sequence:06}")
}

/// `(year, sequence)` of a reference, accepting lowercase and surrounding spaces.
pub fn parse_reference(text: &str) -> Option<(i32, i64)> {
    let t = text.trim().to_ascii_uppercase();
    let rest = t.strip_prefix("C-")?;
    let (year, seq) = rest.split_once('-')?;
    if year.len() != 4
        || seq.len() < 6
        || !(year.bytes().chain(seq.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((year.parse().ok()?, seq.parse().ok()?))
}

/// The reference in canonical form (so `c-2026-000123 ` finds `C-2026-000123`).
pub fn normalize_reference(text: &str) -> String {
    match parse_reference(text) {
        Some((y, s)) => format_reference(y, s),
        None => text.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn references_read_well() {
        assert_eq!(format_reference(2026, 123), "C-2026-000123");
        assert_eq!(format_reference(2026, 1_234_567), "C-2026-1234567");
        assert_eq!(parse_reference(" c-2026-000123"), Some((2026, 123)));
        assert_eq!(normalize_reference("c-2026-000123"), "C-2026-000123");
        for bad in ["C-26-000001", "C-2026-12", "X-2026-000001", "C-2026-00a001"] {
            assert_eq!(parse_reference(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips_and_stays_unique(year in 2000i32..2100, a in 1i64..10_000_000, b in 1i64..10_000_000) {
            prop_assert_eq!(parse_reference(&format_reference(year, a)), Some((year, a)));
            prop_assert_eq!(format_reference(year, a) == format_reference(year, b), a == b);
        }
    }
}

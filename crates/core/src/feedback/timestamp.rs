//! Instants as written by people and survey tools: RFC 3339, or `YYYY-MM-DD HH:MM:SS` in UTC.
//!
//! The plain form is parsed by hand because it is by far the most common in exported files and
//! this runs once per row of imports with millions of rows.
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Parse an instant; the error is a friendly sentence naming both accepted forms.
pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    parse_plain_utc(text)
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
        .ok_or_else(|| {
            format!(
                "'{text}' is not a date and time; use RFC 3339 (2026-05-01T14:30:00Z) \
                 or YYYY-MM-DD HH:MM:SS in UTC"
            )
        })
}

/// `YYYY-MM-DD HH:MM:SS` with optional `.fraction` (up to nanoseconds), read as UTC.
fn parse_plain_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let value = num(20..b.len())?;
            value * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let time = NaiveTime::from_hms_nano_opt(num(11..13)?, num(14..16)?, num(17..19)?, nanos)?;
    Some(NaiveDateTime::new(date, time).and_utc())
}

/// The canonical export form: RFC 3339 in UTC with `Z`, fractions only when present.
pub fn format_timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn both_forms_are_accepted() {
        let expected = Utc.with_ymd_and_hms(2026, 3, 9, 14, 5, 7).unwrap();
        assert_eq!(parse_timestamp("2026-03-09 14:05:07"), Ok(expected));
        assert_eq!(parse_timestamp(" 2026-03-09T14:05:07Z "), Ok(expected));
        assert_eq!(parse_timestamp("2026-03-09T09:05:07-05:00"), Ok(expected));
        let frac = parse_timestamp("2026-03-09 14:05:07.25").unwrap();
        assert_eq!(frac.timestamp_subsec_millis(), 250);
    }

    #[test]
    fn impossible_or_sloppy_dates_are_refused() {
        for bad in [
            "2026-02-30 10:00:00",
            "2026-03-09",
            "09/03/2026 10:00",
            "2026-03-09 24:00:00",
            "2026-03-09 10:00:00.",
            "2026-03-09T10:00:00",
            "",
        ] {
            let e = parse_timestamp(bad).unwrap_err();
            assert!(e.contains("RFC 3339"), "{bad}: {e}");
        }
    }

    proptest! {
        #[test]
        fn export_form_parses_back(secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000) {
            let t = Utc.timestamp_opt(secs, nanos).unwrap();
            prop_assert_eq!(parse_timestamp(&format_timestamp(&t)), Ok(t));
        }

        #[test]
        fn plain_form_matches_chrono(secs in 0i64..4_000_000_000) {
            let t = Utc.timestamp_opt(secs, 0).unwrap();
            let text = t.format("%Y-%m-%d %H:%M:%S").to_string();
            prop_assert_eq!(parse_timestamp(&text), Ok(t));
        }
    }
}

//! A calendar month in UTC, the period of a recognition.
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// `YYYY-MM`; starts at 00:00 UTC on the 1st, ends (exclusive) at the start of the next month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=9998).contains(&year))
            .then_some(Month { year, month })
    }

    /// The month containing `t`.
    pub fn of(t: DateTime<Utc>) -> Month {
        Month {
            year: t.year(),
            month: t.month(),
        }
    }

    /// The last complete month before the one containing `t`: the default recognition period.
    pub fn previous_complete(t: DateTime<Utc>) -> Month {
        Month::of(t).previous()
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("validated month")
    }

    /// Inclusive start.
    pub fn start(self) -> DateTime<Utc> {
        Utc.from_utc_datetime(&self.first_day().and_hms_opt(0, 0, 0).expect("midnight"))
    }

    /// Exclusive end: the start of the next month.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// Parse `YYYY-MM` (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Month, String> {
        const HINT: &str = "must be a month written YYYY-MM, such as 2026-03";
        let t = text.trim();
        let (y, m) = t.split_once('-').ok_or(HINT)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(HINT.into());
        }
        let (year, month) = (y.parse().map_err(|_| HINT)?, m.parse().map_err(|_| HINT)?);
        Month::new(year, month).ok_or_else(|| HINT.into())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Month::parse(&s)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

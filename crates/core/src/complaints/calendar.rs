//! Business calendars: weekly opening hours and holidays of a site, in the site's local time.
//!
//! The local time is a fixed UTC offset (`utc_offset_minutes`) rather than an IANA zone, to
//! avoid a time-zone database dependency; a site that observes daylight saving updates its
//! offset twice a year. Response policies count their durations in business time through
//! [`BusinessCalendar::add_business_time`].
use crate::error::ValidationErrors;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

const DAY_MINUTES: u32 = 24 * 60;
/// Furthest ahead a deadline is searched (a calendar of holidays only would loop forever).
const MAX_DAYS: i64 = 366 * 10;

/// Opening hours on one weekday, as minutes after local midnight (`close` ≤ 1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BusinessHours {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    pub open_minute: u32,
    pub close_minute: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BusinessCalendar {
    /// Local time = UTC + this many minutes (e.g. -300 for Bogotá).
    pub utc_offset_minutes: i32,
    pub hours: Vec<BusinessHours>,
    /// Local dates on which the site is closed all day.
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
}

impl BusinessCalendar {
    /// Monday to Friday, `open`–`close` o'clock local time, no holidays.
    pub fn weekdays(utc_offset_minutes: i32, open: u32, close: u32) -> Self {
        Self {
            utc_offset_minutes,
            hours: (0..5)
                .map(|weekday| BusinessHours {
                    weekday,
                    open_minute: open * 60,
                    close_minute: close * 60,
                })
                .collect(),
            holidays: Vec::new(),
        }
    }

    /// Check offsets and hours; returns the calendar with hours sorted and holidays deduped.
    pub fn validate(&self) -> Result<BusinessCalendar, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.utc_offset_minutes.abs() > 14 * 60 {
            errors.push("utc_offset_minutes", "must be between -840 and 840");
        }
        if self.hours.is_empty() {
            errors.push("hours", "give at least one opening period");
        }
        for (i, h) in self.hours.iter().enumerate() {
            if h.weekday > 6 {
                errors.push(
                    format!("hours[{i}].weekday"),
                    "must be 0 (Monday) to 6 (Sunday)",
                );
            }
            if h.open_minute >= h.close_minute || h.close_minute > DAY_MINUTES {
                errors.push(
                    format!("hours[{i}].close_minute"),
                    "must be after the opening minute and at most 1440",
                );
            }
        }
        let mut sorted = self.clone();
        sorted
            .hours
            .sort_by_key(|h| (h.weekday, h.open_minute, h.close_minute));
        for w in sorted.hours.windows(2) {
            if w[0].weekday == w[1].weekday && w[1].open_minute < w[0].close_minute {
                errors.push(
                    "hours",
                    format!("periods overlap on weekday {}", w[0].weekday),
                );
            }
        }
        sorted.holidays.sort();
        sorted.holidays.dedup();
        errors.into_result(sorted)
    }

    fn offset(&self) -> Duration {
        Duration::minutes(i64::from(self.utc_offset_minutes))
    }

    fn to_local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        (t + self.offset()).naive_utc()
    }

    fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        local.and_utc() - self.offset()
    }

    /// Opening periods of a local date as local instants, in order (none on holidays).
    fn periods(&self, date: NaiveDate) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        if !self.holidays.contains(&date) {
            let weekday = date.weekday().num_days_from_monday() as u8;
            let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
            let mut out: Vec<_> = self
                .hours
                .iter()
                .filter(|h| h.weekday == weekday && h.open_minute < h.close_minute)
                .map(|h| {
                    (
                        midnight + Duration::minutes(i64::from(h.open_minute)),
                        midnight + Duration::minutes(i64::from(h.close_minute)),
                    )
                })
                .collect();
            out.sort();
            out
        } else {
            Vec::new()
        }
    }

    /// Whether `t` lies in an opening period, ends included.
    pub fn is_business_time(&self, t: DateTime<Utc>) -> bool {
        let local = self.to_local(t);
        self.periods(local.date())
            .iter()
            .any(|(o, c)| *o <= local && local <= *c)
            // A period closing at midnight ends at 00:00 of the next date.
            || self
                .periods(local.date() - Duration::days(1))
                .iter()
                .any(|(_, c)| *c == local)
    }

    /// The instant `duration` of business time after `start`.
    ///
    /// Time outside opening periods and on holidays does not count. A zero duration outside
    /// business hours moves to the next opening; a positive one that is used up exactly at a
    /// closing time ends at that closing time (so "within 8 business hours" from 09:00 is
    /// 17:00 the same day, not 09:00 the next). Negative durations count as zero. A calendar
    /// without any opening period counts wall-clock time.
    pub fn add_business_time(&self, start: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
        let mut remaining = duration.max(Duration::zero());
        if self.hours.iter().all(|h| h.open_minute >= h.close_minute) {
            return start + remaining;
        }
        let mut local = self.to_local(start);
        let mut date = local.date();
        for _ in 0..MAX_DAYS {
            for (open, close) in self.periods(date) {
                if close <= local {
                    continue;
                }
                let from = open.max(local);
                let available = close - from;
                if remaining <= available {
                    return self.to_utc(from + remaining);
                }
                remaining -= available;
                local = close;
            }
            date = date.succ_opt().unwrap_or(date);
        }
        // Only reachable when no opening is left within ten years (all holidays).
        start + duration.max(Duration::zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// Bogotá (UTC-5), Monday–Friday 08:00–12:00 and 14:00–18:00, Saturday 09:00–13:00.
    fn bogota() -> BusinessCalendar {
        let mut hours = Vec::new();
        for weekday in 0..5 {
            hours.push(BusinessHours {
                weekday,
                open_minute: 8 * 60,
                close_minute: 12 * 60,
            });
            hours.push(BusinessHours {
                weekday,
                open_minute: 14 * 60,
                close_minute: 18 * 60,
            });
        }
        hours.push(BusinessHours {
            weekday: 5,
            open_minute: 9 * 60,
            close_minute: 13 * 60,
        });
        BusinessCalendar {
            utc_offset_minutes: -300,
            hours,
            // Thursday 2026-04-02 and Friday 2026-04-03 (Holy week).
            holidays: vec![
                NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
                NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(),
            ],
        }
        .validate()
        .unwrap()
    }

    /// Local Bogotá time as UTC.
    fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, d, h + 5, m, 0).unwrap()
    }

    #[test]
    fn hours_count_only_when_open() {
        let cal = bogota();
        // Monday 30 March 2026, 11:00 + 2 h = 1 h before lunch + 1 h after → 15:00.
        let monday = Utc.with_ymd_and_hms(2026, 3, 30, 16, 0, 0).unwrap();
        assert_eq!(
            cal.add_business_time(monday, Duration::hours(2)),
            Utc.with_ymd_and_hms(2026, 3, 30, 20, 0, 0).unwrap()
        );
        // Wednesday 1 April 17:00 + 2 h skips the holidays to Saturday 10:00.
        assert_eq!(
            cal.add_business_time(local(1, 17, 0), Duration::hours(2)),
            local(4, 10, 0)
        );
        // Used up exactly at closing: ends at closing.
        assert_eq!(
            cal.add_business_time(local(1, 14, 0), Duration::hours(4)),
            local(1, 18, 0)
        );
        // Zero duration outside hours waits for the next opening.
        assert_eq!(
            cal.add_business_time(local(1, 12, 30), Duration::zero()),
            local(1, 14, 0)
        );
    }

    #[test]
    fn validation_reports_bad_periods() {
        let mut cal = bogota();
        cal.utc_offset_minutes = 900;
        cal.hours.push(BusinessHours {
            weekday: 7,
            open_minute: 600,
            close_minute: 500,
        });
        cal.hours.push(BusinessHours {
            weekday: 0,
            open_minute: 9 * 60,
            close_minute: 10 * 60,
        });
        let e = cal.validate().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "utc_offset_minutes",
                "hours[11].weekday",
                "hours[11].close_minute",
                "hours"
            ]
        );
    }

    #[test]
    fn an_empty_calendar_counts_wall_clock_time() {
        let cal = BusinessCalendar {
            utc_offset_minutes: 0,
            hours: vec![],
            holidays: vec![],
        };
        assert_eq!(
            cal.add_business_time(local(1, 0, 0), Duration::hours(30)),
            local(2, 6, 0)
        );
    }

    fn any_calendar() -> impl Strategy<Value = BusinessCalendar> {
        (
            -720i32..=720,
            // At least an hour a week, so 20 000 minutes fit well inside the search horizon.
            proptest::collection::vec((0u8..7, 0u32..1380, 60u32..600), 1..8),
            proptest::collection::vec(0i64..60, 0..10),
        )
            .prop_map(|(offset, raw, holidays)| {
                // Keep periods that do not overlap an earlier one of the same day.
                let mut hours: Vec<BusinessHours> = Vec::new();
                for (weekday, open, len) in raw {
                    let close = (open + len).min(DAY_MINUTES);
                    let clash = hours.iter().any(|h| {
                        h.weekday == weekday && open < h.close_minute && h.open_minute < close
                    });
                    if !clash {
                        hours.push(BusinessHours {
                            weekday,
                            open_minute: open,
                            close_minute: close,
                        });
                    }
                }
                let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
                BusinessCalendar {
                    utc_offset_minutes: offset,
                    hours,
                    holidays: holidays
                        .into_iter()
                        .map(|d| base + Duration::days(d))
                        .collect(),
                }
                .validate()
                .unwrap()
            })
    }

    fn any_start() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..90 * 24 * 60)
            .prop_map(|m| Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(m))
    }

    proptest! {
        #[test]
        fn lands_in_business_hours_on_a_working_day(
            cal in any_calendar(), start in any_start(), minutes in 0i64..20_000
        ) {
            let end = cal.add_business_time(start, Duration::minutes(minutes));
            prop_assert!(end >= start);
            prop_assert!(cal.is_business_time(end), "{end} is outside business hours");
            let day = cal.to_local(end).date();
            let on_holiday = cal.holidays.contains(&day)
                && !cal.periods(day - Duration::days(1)).iter().any(|(_, c)| *c == cal.to_local(end));
            prop_assert!(!on_holiday, "{end} is on a holiday");
        }

        #[test]
        fn monotonic_in_start_and_duration(
            cal in any_calendar(), s1 in any_start(), s2 in any_start(),
            d1 in 0i64..20_000, d2 in 0i64..20_000
        ) {
            let (s1, s2) = (s1.min(s2), s1.max(s2));
            let (d1, d2) = (d1.min(d2), d1.max(d2));
            let add = |s, d| cal.add_business_time(s, Duration::minutes(d));
            prop_assert!(add(s1, d1) <= add(s1, d2));
            prop_assert!(add(s1, d1) <= add(s2, d1));
        }

        #[test]
        fn adding_in_two_steps_equals_adding_once(
            cal in any_calendar(), s in any_start(), a in 1i64..10_000, b in 1i64..10_000
        ) {
            let add = |s, d| cal.add_business_time(s, Duration::minutes(d));
            prop_assert_eq!(add(add(s, a), b), add(s, a + b));
        }
    }
}

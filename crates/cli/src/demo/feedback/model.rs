//! The shape of the demo's synthetic year: how many customers come when, and how good each
//! moment of truth is at each site. One weakness is planted on purpose — the wait for the turn
//! at the Norte branch — so the analytics have something true to find.
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rand::{Rng, rngs::StdRng};

/// The branch where customers wait too long.
pub const WEAK_SITE: &str = "norte";
/// The critical moment that fails there.
pub const WEAK_MOMENT: &str = "wait-turn";
/// The hotel site.
pub const HOTEL_SITE: &str = "hotel-reforma";
/// Days of history generated, ending yesterday.
pub const DAYS: i64 = 365;

/// The days of the demo year, oldest first, ending the day before `today`.
/// The day the demo's year ends before: today at the westernmost site. Evidence is dated at
/// local hours of each day, so with today's UTC date a late local evening of "yesterday" at
/// a site west of UTC could still lie ahead of `now` shortly after midnight UTC (and the
/// store refuses evidence from the future); every local hour of the days before this one has
/// passed everywhere.
pub fn demo_today(now: DateTime<Utc>) -> NaiveDate {
    let westernmost = [HOTEL_SITE, ""]
        .into_iter()
        .map(utc_offset)
        .min()
        .unwrap_or(0);
    (now + Duration::hours(westernmost)).date_naive()
}

pub fn year(today: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    (1..=DAYS).rev().map(move |k| today - Duration::days(k))
}

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.r#gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A Poisson draw (Knuth; the means here are small).
pub fn poisson(rng: &mut StdRng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let (mut k, mut p) = (0, 1.0);
    loop {
        p *= rng.r#gen::<f64>();
        if p <= limit {
            return k;
        }
        k += 1;
    }
}

/// Round and clamp a latent score onto a scale.
pub fn score(x: f64, lo: i32, hi: i32) -> i32 {
    (x.round() as i32).clamp(lo, hi)
}

/// Relative traffic of a bank branch on a day: busy Mondays and Fridays, quiet Saturdays,
/// closed on Sundays; paydays (the 15th and the last days of the month) and December are busier.
pub fn bank_traffic(day: NaiveDate) -> f64 {
    let weekday = match day.weekday() {
        Weekday::Mon => 1.3,
        Weekday::Tue | Weekday::Thu => 1.0,
        Weekday::Wed => 0.9,
        Weekday::Fri => 1.4,
        Weekday::Sat => 0.6,
        Weekday::Sun => 0.0,
    };
    let payday = if day.day() == 15 || day.day() >= 28 {
        1.3
    } else {
        1.0
    };
    let season = if day.month() == 12 { 1.2 } else { 1.0 };
    weekday * payday * season
}

/// Relative arrivals at the hotel: weekends and the July–August and December holidays.
pub fn hotel_traffic(day: NaiveDate) -> f64 {
    let weekday = match day.weekday() {
        Weekday::Fri | Weekday::Sat => 1.5,
        Weekday::Sun => 1.1,
        _ => 0.8,
    };
    let season = match day.month() {
        7 | 8 | 12 => 1.3,
        1 | 2 => 0.8,
        _ => 1.0,
    };
    weekday * season
}

/// Mean 1–5 satisfaction with a moment at a site, before each customer's mood.
pub fn moment_quality(site: &str, moment: &str, critical: bool) -> f64 {
    match (site, moment) {
        (WEAK_SITE, WEAK_MOMENT) => 2.4,
        (_, WEAK_MOMENT) => 4.0,
        (_, "travel-to-branch" | "travel-home" | "arrive-at-hotel") => 3.9,
        (_, "phone-reservation" | "front-desk-queue") => 3.9,
        (_, "get-paid" | "reservation-found") => 4.6,
        _ if critical => 4.3,
        _ => 4.4,
    }
}

/// Share of respondents who rate a moment (steps outside the premises are often skipped).
pub fn answer_rate(moment: &str, critical: bool) -> f64 {
    match moment {
        "travel-to-branch" | "travel-home" | "arrive-at-hotel" | "settling-call" => 0.45,
        _ if critical => 0.92,
        _ => 0.7,
    }
}

/// How good the wait is at a site for an NPS respondent (same latent as the CSAT answers).
pub fn wait_experience(site: &str, rng: &mut StdRng) -> f64 {
    moment_quality(site, WEAK_MOMENT, true) + 0.8 * normal(rng)
}

/// An instant on `day` at a local business hour of a site at UTC`offset_hours`.
pub fn business_instant(
    rng: &mut StdRng,
    day: NaiveDate,
    open: u32,
    close: u32,
    offset_hours: i64,
) -> DateTime<Utc> {
    let minute = rng.gen_range(open * 60..close * 60);
    let local = day.and_hms_opt(minute / 60, minute % 60, rng.gen_range(0..60));
    let local = local.unwrap_or_default();
    Utc.from_utc_datetime(&local) - Duration::hours(offset_hours)
}

/// UTC offset of the demo sites' time zones (none observes daylight saving time).
pub fn utc_offset(site_key: &str) -> i64 {
    match site_key {
        HOTEL_SITE => -6,
        _ => -5,
    }
}

#[cfg(test)]
mod demo_today_tests {
    use super::*;

    #[test]
    fn just_after_midnight_utc_the_year_ends_before_the_western_sites_today() {
        let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 30, h, m, 0).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        assert_eq!(demo_today(at(0, 5)), d(29));
        assert_eq!(demo_today(at(5, 59)), d(29));
        assert_eq!(demo_today(at(6, 0)), d(30));
        // The last local minute of the year's last day has passed at every site.
        let last = year(demo_today(at(0, 5))).last().unwrap();
        for site in [HOTEL_SITE, "centro"] {
            let local_end = Utc.from_utc_datetime(&last.and_hms_opt(23, 59, 0).unwrap())
                - Duration::hours(utc_offset(site));
            assert!(local_end <= at(0, 5), "{site}: {local_end}");
        }
    }
}

//! Reading roll-ups: the daily rows as kept, and a period's roll-ups with its whole calendar
//! months read from the per-month table (see `ResponseStore::rollup_totals`).
use crate::{rollups::month_start, rows::map_err};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, Row, params_from_iter, types::Value};
use touchpoint_core::{
    StoreResult,
    feedback::records::{RollupPart, RollupQuery, RollupRow},
};

fn row(r: &Row<'_>) -> rusqlite::Result<RollupRow> {
    let part = match r.get::<_, i64>(2)? {
        1 => RollupPart::Expectation,
        2 => RollupPart::Perception,
        _ => RollupPart::Score,
    };
    let id = |v: i64| (v != 0).then_some(v);
    let mut histogram = [0i64; 11];
    for (i, h) in histogram.iter_mut().enumerate() {
        *h = r.get(9 + i)?;
    }
    Ok(RollupRow {
        survey_id: r.get(0)?,
        question_code: r.get(1)?,
        part,
        moment_id: id(r.get(3)?),
        site_id: id(r.get(4)?),
        day: r.get(5)?,
        count: r.get(6)?,
        sum: r.get(7)?,
        sum_sq: r.get(8)?,
        histogram,
    })
}

/// Roll-up rows matching `q` (of one staff member's responses when `q.staff_id` is set),
/// ordered by day, question, part, moment, site (absent first), survey.
pub(crate) fn query(conn: &Connection, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
    // The per-staff table holds only what names a staff member; without a staff filter the
    // per-site table answers (it is the same figures summed over staff and the unnamed).
    let table = if q.staff_id.is_some() {
        "response_staff_rollups"
    } else {
        "response_rollups"
    };
    select(conn, q, table, "day", q.from, q.to)
}

/// `q`'s roll-ups with whole calendar months read from the per-month table and only the days
/// of the partial months at the range's edges from the daily one (per staff member: all
/// daily, there is no per-month staff table). See `ResponseStore::rollup_totals`.
pub(crate) fn totals(conn: &Connection, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
    if q.staff_id.is_some() {
        return query(conn, q);
    }
    let split = MonthSplit::of(q.from, q.to);
    let mut rows = Vec::new();
    for (from, to) in split.days {
        rows.extend(select(conn, q, "response_rollups", "day", from, to)?);
    }
    if let Some((from, to)) = split.months {
        rows.extend(select(
            conn,
            q,
            "response_month_rollups",
            "month",
            from,
            to,
        )?);
    }
    Ok(rows)
}

/// An inclusive range of days cut into the whole calendar months it holds and the days
/// before and after them. `None` bounds are open.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct MonthSplit {
    /// First days of the first and last whole month, when there is one.
    pub months: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    /// Ranges of days read day by day (at most two: before and after the months).
    pub days: Vec<(Option<NaiveDate>, Option<NaiveDate>)>,
}

impl MonthSplit {
    pub(crate) fn of(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        // The first day of the first whole month, and the first day of the last one.
        let first = from.map(|f| match f.day() {
            1 => f,
            _ => next_month(f),
        });
        let last = to.map(|t| {
            let start = month_start(t);
            if t.succ_opt().is_some_and(|d| d.day() == 1) {
                start
            } else {
                start.pred_opt().map_or(start, month_start)
            }
        });
        let any_month = match (first, last) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        };
        if !any_month {
            return Self {
                months: None,
                days: vec![(from, to)],
            };
        }
        let mut days = Vec::new();
        if let (Some(f), Some(a)) = (from, first)
            && f < a
        {
            days.push((Some(f), a.pred_opt()));
        }
        if let (Some(t), Some(b)) = (to, last) {
            let after = next_month(b);
            if after <= t {
                days.push((Some(after), Some(t)));
            }
        }
        Self {
            months: Some((first, last)),
            days,
        }
    }
}

/// The first day of the month after `day`'s.
fn next_month(day: NaiveDate) -> NaiveDate {
    let start = month_start(day);
    start
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(start)
}

/// Rows of `table` matching `q`'s filters with `date_column` in `from..=to`, ordered by
/// date, question, part, moment, site (absent first), survey.
fn select(
    conn: &Connection,
    q: &RollupQuery,
    table: &str,
    date_column: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> StoreResult<Vec<RollupRow>> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut push = |cond: String, v: Value| {
        args.push(v);
        conds.push(cond.replace("{n}", &args.len().to_string()));
    };
    if let Some(id) = q.survey_id {
        push("survey_id = ?{n}".into(), Value::Integer(id));
    }
    if let Some(code) = &q.question_code {
        push("question_code = ?{n}".into(), Value::Text(code.clone()));
    }
    if let Some(id) = q.moment_id {
        push("moment_id = ?{n}".into(), Value::Integer(id));
    }
    if let Some(id) = q.site_id {
        push("site_id = ?{n}".into(), Value::Integer(id));
    }
    if let Some(id) = q.staff_id {
        push("staff_id = ?{n}".into(), Value::Integer(id));
    }
    if let Some(d) = from {
        push(
            format!("{date_column} >= ?{{n}}"),
            Value::Text(d.format("%Y-%m-%d").to_string()),
        );
    }
    if let Some(d) = to {
        push(
            format!("{date_column} <= ?{{n}}"),
            Value::Text(d.format("%Y-%m-%d").to_string()),
        );
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let sql = format!(
        "SELECT survey_id, question_code, part, moment_id, site_id, {date_column}, count, sum,
                sum_sq, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10
         FROM {table}{filter}
         ORDER BY {date_column}, question_code, part, moment_id, site_id, survey_id"
    );
    conn.prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(params_from_iter(args.iter()), row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(map_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn split(from: &str, to: &str) -> MonthSplit {
        MonthSplit::of(Some(d(from)), Some(d(to)))
    }

    #[test]
    fn a_year_is_whole_months_plus_the_edge_days() {
        assert_eq!(
            split("2025-11-30", "2026-11-29"),
            MonthSplit {
                months: Some((Some(d("2025-12-01")), Some(d("2026-10-01")))),
                days: vec![
                    (Some(d("2025-11-30")), Some(d("2025-11-30"))),
                    (Some(d("2026-11-01")), Some(d("2026-11-29"))),
                ],
            }
        );
    }

    #[test]
    fn whole_months_need_no_days() {
        assert_eq!(
            split("2026-01-01", "2026-03-31"),
            MonthSplit {
                months: Some((Some(d("2026-01-01")), Some(d("2026-03-01")))),
                days: vec![],
            }
        );
        // February of a leap year ends on the 29th.
        assert_eq!(
            split("2024-02-01", "2024-02-29").months,
            Some((Some(d("2024-02-01")), Some(d("2024-02-01"))))
        );
        assert_eq!(split("2024-02-01", "2024-02-28").months, None);
    }

    #[test]
    fn ranges_without_a_whole_month_are_read_by_day() {
        for (from, to) in [
            ("2026-03-02", "2026-03-30"),
            ("2026-03-15", "2026-04-14"),
            ("2026-03-05", "2026-03-05"),
            ("2026-03-31", "2026-04-30"),
        ] {
            let s = split(from, to);
            if from == "2026-03-31" {
                assert_eq!(
                    s.months,
                    Some((Some(d("2026-04-01")), Some(d("2026-04-01"))))
                );
                assert_eq!(s.days, vec![(Some(d(from)), Some(d(from)))]);
            } else {
                assert_eq!(s.months, None, "{from}..{to}");
                assert_eq!(s.days, vec![(Some(d(from)), Some(d(to)))]);
            }
        }
        // An empty range stays empty.
        assert_eq!(split("2026-05-01", "2026-04-01").months, None);
    }

    #[test]
    fn open_bounds_take_every_month_on_their_side() {
        assert_eq!(
            MonthSplit::of(None, Some(d("2026-03-10"))),
            MonthSplit {
                months: Some((None, Some(d("2026-02-01")))),
                days: vec![(Some(d("2026-03-01")), Some(d("2026-03-10")))],
            }
        );
        assert_eq!(
            MonthSplit::of(Some(d("2026-03-10")), None),
            MonthSplit {
                months: Some((Some(d("2026-04-01")), None)),
                days: vec![(Some(d("2026-03-10")), Some(d("2026-03-31")))],
            }
        );
        assert_eq!(
            MonthSplit::of(None, None),
            MonthSplit {
                months: Some((None, None)),
                days: vec![],
            }
        );
    }
}

//! Roll-ups: exact per-day aggregates of every score (and per month, per site), kept in the
//! responses' transaction. Reading them back is in `rollup_reads`.
//!
//! A batch adds its responses up in memory before it reaches the writer ([`Rollups::count`],
//! off the writer thread), the writer takes back the few that were not created (duplicates,
//! used invitations: [`Rollups::uncount`]) and hands the rest to the end of the transaction
//! ([`crate::pending`]), where the increments of every job of the group commit are merged
//! ([`Rollups::merge`]) and each distinct (survey, day, question, part, moment, site) is
//! written once with an additive upsert ([`Rollups::flush`]). A 10k-row import, or 500
//! single submissions committed together, touch each roll-up row once.
use crate::rows::map_err;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, ToSql};
use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
    ops::Range,
    sync::LazyLock,
};
use touchpoint_core::{
    StoreResult,
    feedback::{
        AnswerValue, QuestionKind,
        records::{RollupPart, StoredAnswer},
    },
};

fn part_code(p: RollupPart) -> i64 {
    match p {
        RollupPart::Score => 0,
        RollupPart::Expectation => 1,
        RollupPart::Perception => 2,
    }
}

/// A small, fast hasher for the batch's own integer keys and question codes (no untrusted
/// key can make a batch slower than its size).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    survey: i64,
    day: NaiveDate,
    /// Index into [`Rollups::codes`].
    code: u32,
    part: RollupPart,
    /// 0 = no moment.
    moment: i64,
    /// 0 = no site.
    site: i64,
    /// 0 = no staff member (counted in the per-site table only).
    staff: i64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Acc {
    count: i64,
    sum: i64,
    sum_sq: i64,
    histogram: [i64; 11],
}

impl Acc {
    fn add(&mut self, score: i32, sign: i64) {
        let s = i64::from(score);
        self.count += sign;
        self.sum += sign * s;
        self.sum_sq += sign * s * s;
        if let Some(h) = usize::try_from(score)
            .ok()
            .and_then(|i| self.histogram.get_mut(i))
        {
            *h += sign;
        }
    }

    fn absorb(&mut self, other: &Acc) {
        self.count += other.count;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        for (m, h) in self.histogram.iter_mut().zip(other.histogram) {
            *m += h;
        }
    }
}

/// Roll-up increments of a batch, with each response's share so it can be taken back.
#[derive(Debug, Default)]
pub(crate) struct Rollups {
    codes: Vec<String>,
    code_ids: FxMap<String, u32>,
    rows: Vec<(Key, Acc)>,
    index: FxMap<Key, usize>,
    /// (row, score) per counted score, response after response.
    shares: Vec<(usize, i32)>,
}

/// Where one response's scores are in [`Rollups`].
pub(crate) type Share = Range<usize>;

impl Rollups {
    fn code_id(&mut self, code: &str) -> u32 {
        if let Some(id) = self.code_ids.get(code) {
            return *id;
        }
        let id = self.codes.len() as u32;
        self.codes.push(code.to_string());
        self.code_ids.insert(code.to_string(), id);
        id
    }

    /// Count the scores of one response (assumed created until [`Self::uncount`]).
    pub(crate) fn count(
        &mut self,
        survey: i64,
        day: NaiveDate,
        site: Option<i64>,
        staff: Option<i64>,
        answers: &[StoredAnswer],
    ) -> Share {
        let start = self.shares.len();
        for a in answers {
            let scores = match (a.kind, &a.value) {
                (
                    QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Effort,
                    AnswerValue::Score(s),
                ) => [Some((RollupPart::Score, *s)), None],
                (
                    QuestionKind::Servqual,
                    AnswerValue::Servqual {
                        expectation,
                        perception,
                    },
                ) => [
                    Some((RollupPart::Expectation, *expectation)),
                    Some((RollupPart::Perception, *perception)),
                ],
                _ => continue,
            };
            let code = self.code_id(&a.question_code);
            for (part, score) in scores.into_iter().flatten() {
                let key = Key {
                    survey,
                    day,
                    code,
                    part,
                    moment: a.moment_id.unwrap_or(0),
                    site: site.unwrap_or(0),
                    staff: staff.unwrap_or(0),
                };
                let row = self.row(key);
                self.rows[row].1.add(score, 1);
                self.shares.push((row, score));
            }
        }
        start..self.shares.len()
    }

    fn row(&mut self, key: Key) -> usize {
        let next = self.rows.len();
        let row = *self.index.entry(key).or_insert(next);
        if row == next {
            self.rows.push((key, Acc::default()));
        }
        row
    }

    /// Add `other`'s increments to these (the shares of `other` are dropped).
    pub(crate) fn merge(&mut self, other: Rollups) {
        for (mut key, acc) in other.rows {
            if acc.count == 0 {
                continue;
            }
            key.code = self.code_id(&other.codes[key.code as usize]);
            let row = self.row(key);
            self.rows[row].1.absorb(&acc);
        }
    }

    /// Take back a response that was not written.
    pub(crate) fn uncount(&mut self, share: Share) {
        for &(row, score) in &self.shares[share] {
            self.rows[row].1.add(score, -1);
        }
    }

    /// Add every increment to the stored rows: one upsert per distinct key in the per-site
    /// table (staff members summed), and one per key that names a staff member in the
    /// per-staff table.
    pub(crate) fn flush(&self, conn: &Connection) -> StoreResult<()> {
        if self.rows.iter().all(|(_, a)| a.count == 0) {
            return Ok(());
        }
        let per_site = fold(self.rows.iter().filter(|(_, a)| a.count != 0), |k| Key {
            staff: 0,
            ..*k
        });
        self.upsert(conn, &SITE_UPSERT, per_site.iter(), false)?;
        let per_month = fold(per_site.iter(), |k| Key {
            day: month_start(k.day),
            ..*k
        });
        self.upsert(conn, &MONTH_UPSERT, per_month.iter(), false)?;
        self.upsert(
            conn,
            &STAFF_UPSERT,
            self.rows
                .iter()
                .filter(|(k, a)| k.staff != 0 && a.count != 0),
            true,
        )
    }

    fn upsert<'a>(
        &self,
        conn: &Connection,
        sql: &str,
        rows: impl Iterator<Item = &'a (Key, Acc)>,
        with_staff: bool,
    ) -> StoreResult<()> {
        let mut upsert = conn.prepare_cached(sql).map_err(map_err)?;
        for (k, a) in rows {
            let code = &self.codes[k.code as usize];
            let part = part_code(k.part);
            let mut values: Vec<&dyn ToSql> = vec![
                &k.survey, &k.day, code, &part, &k.moment, &k.site, &a.count, &a.sum, &a.sum_sq,
            ];
            values.extend(a.histogram.iter().map(|h| h as &dyn ToSql));
            if with_staff {
                values.push(&k.staff);
            }
            upsert.execute(&*values).map_err(map_err)?;
        }
        Ok(())
    }
}

/// `rows` summed under the keys `key` maps them to, in first-seen order.
fn fold<'a>(
    rows: impl Iterator<Item = &'a (Key, Acc)>,
    key: impl Fn(&Key) -> Key,
) -> Vec<(Key, Acc)> {
    let mut out: Vec<(Key, Acc)> = Vec::new();
    let mut index: FxMap<Key, usize> = FxMap::default();
    for (k, acc) in rows {
        let k = key(k);
        let next = out.len();
        let at = *index.entry(k).or_insert(next);
        if at == next {
            out.push((k, Acc::default()));
        }
        out[at].1.absorb(acc);
    }
    out
}

/// The first day of `day`'s month.
pub(crate) fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

/// Additive upsert of one per-site roll-up row.
static SITE_UPSERT: LazyLock<String> =
    LazyLock::new(|| upsert_sql("response_rollups", "day", false));
/// Additive upsert of one per-site, per-month roll-up row (`day` = the month's first day).
static MONTH_UPSERT: LazyLock<String> =
    LazyLock::new(|| upsert_sql("response_month_rollups", "month", false));
/// Additive upsert of one per-staff roll-up row.
static STAFF_UPSERT: LazyLock<String> =
    LazyLock::new(|| upsert_sql("response_staff_rollups", "day", true));

/// `INSERT … ON CONFLICT DO UPDATE` adding one row's increments to `table`, whose date
/// column is `date`; parameters as [`Rollups::upsert`] binds them.
fn upsert_sql(table: &str, date: &str, with_staff: bool) -> String {
    let (staff_column, staff_param, staff_key) = if with_staff {
        (", staff_id", ", ?21", "staff_id, ")
    } else {
        ("", "", "")
    };
    let histogram = (0..=10).map(|h| format!("h{h}")).collect::<Vec<_>>();
    let sums = ["count", "sum", "sum_sq"]
        .into_iter()
        .map(String::from)
        .chain(histogram.iter().cloned())
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let params = (1..=20).map(|i| format!("?{i}")).collect::<Vec<_>>();
    format!(
        "INSERT INTO {table} (survey_id, {date}, question_code, part, moment_id, site_id, \
           count, sum, sum_sq, {}{staff_column}) \
         VALUES ({}{staff_param}) \
         ON CONFLICT (survey_id, {staff_key}{date}, question_code, part, moment_id, site_id) \
         DO UPDATE SET {sums}",
        histogram.join(", "),
        params.join(", ")
    )
}

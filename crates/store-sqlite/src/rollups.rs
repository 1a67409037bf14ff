//! Roll-ups: exact per-day aggregates of every score, kept in the responses' transaction.
//!
//! A batch adds its responses up in memory before it reaches the writer ([`Rollups::count`],
//! off the writer thread), the writer takes back the few that were not created (duplicates,
//! used invitations: [`Rollups::uncount`]) and hands the rest to the end of the transaction
//! ([`crate::pending`]), where the increments of every job of the group commit are merged
//! ([`Rollups::merge`]) and each distinct (survey, day, question, part, moment, site) is
//! written once with an additive upsert ([`Rollups::flush`]). A 10k-row import, or 500
//! single submissions committed together, touch each roll-up row once.
use crate::rows::map_err;
use chrono::NaiveDate;
use rusqlite::{Connection, Row, ToSql, params_from_iter, types::Value};
use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
    ops::Range,
};
use touchpoint_core::{
    StoreResult,
    feedback::{
        AnswerValue, QuestionKind,
        records::{RollupPart, RollupQuery, RollupRow, StoredAnswer},
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
        let mut per_site: Vec<(Key, Acc)> = Vec::with_capacity(self.rows.len());
        let mut index: FxMap<Key, usize> = FxMap::default();
        for (key, acc) in self.rows.iter().filter(|(_, a)| a.count != 0) {
            let site_key = Key { staff: 0, ..*key };
            let next = per_site.len();
            let at = *index.entry(site_key).or_insert(next);
            if at == next {
                per_site.push((site_key, Acc::default()));
            }
            per_site[at].1.absorb(acc);
        }
        self.upsert(conn, SITE_UPSERT, per_site.iter(), false)?;
        self.upsert(
            conn,
            STAFF_UPSERT,
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

/// Additive upsert of one per-site roll-up row.
const SITE_UPSERT: &str = "INSERT INTO response_rollups (survey_id, day, question_code, part,
         moment_id, site_id, count, sum, sum_sq, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20)
     ON CONFLICT (survey_id, day, question_code, part, moment_id, site_id)
     DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
         sum_sq = sum_sq + excluded.sum_sq,
         h0 = h0 + excluded.h0, h1 = h1 + excluded.h1, h2 = h2 + excluded.h2,
         h3 = h3 + excluded.h3, h4 = h4 + excluded.h4, h5 = h5 + excluded.h5,
         h6 = h6 + excluded.h6, h7 = h7 + excluded.h7, h8 = h8 + excluded.h8,
         h9 = h9 + excluded.h9, h10 = h10 + excluded.h10";

/// Additive upsert of one per-staff roll-up row.
const STAFF_UPSERT: &str = "INSERT INTO response_staff_rollups (survey_id, day, question_code,
         part, moment_id, site_id, count, sum, sum_sq, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9,
         h10, staff_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21)
     ON CONFLICT (survey_id, staff_id, day, question_code, part, moment_id, site_id)
     DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
         sum_sq = sum_sq + excluded.sum_sq,
         h0 = h0 + excluded.h0, h1 = h1 + excluded.h1, h2 = h2 + excluded.h2,
         h3 = h3 + excluded.h3, h4 = h4 + excluded.h4, h5 = h5 + excluded.h5,
         h6 = h6 + excluded.h6, h7 = h7 + excluded.h7, h8 = h8 + excluded.h8,
         h9 = h9 + excluded.h9, h10 = h10 + excluded.h10";

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
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut push = |cond: &str, v: Value| {
        args.push(v);
        conds.push(cond.replace("{n}", &args.len().to_string()));
    };
    if let Some(id) = q.survey_id {
        push("survey_id = ?{n}", Value::Integer(id));
    }
    if let Some(code) = &q.question_code {
        push("question_code = ?{n}", Value::Text(code.clone()));
    }
    if let Some(id) = q.moment_id {
        push("moment_id = ?{n}", Value::Integer(id));
    }
    if let Some(id) = q.site_id {
        push("site_id = ?{n}", Value::Integer(id));
    }
    if let Some(id) = q.staff_id {
        push("staff_id = ?{n}", Value::Integer(id));
    }
    if let Some(d) = q.from {
        push("day >= ?{n}", Value::Text(d.format("%Y-%m-%d").to_string()));
    }
    if let Some(d) = q.to {
        push("day <= ?{n}", Value::Text(d.format("%Y-%m-%d").to_string()));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    // The per-staff table holds only what names a staff member; without a staff filter the
    // per-site table answers (it is the same figures summed over staff and the unnamed).
    let table = if q.staff_id.is_some() {
        "response_staff_rollups"
    } else {
        "response_rollups"
    };
    let sql = format!(
        "SELECT survey_id, question_code, part, moment_id, site_id, day, count, sum, sum_sq,
                h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10
         FROM {table}{filter}
         ORDER BY day, question_code, part, moment_id, site_id, survey_id"
    );
    conn.prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(params_from_iter(args.iter()), row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(map_err)
}

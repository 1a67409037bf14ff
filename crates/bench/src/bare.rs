//! The yardstick of the import benchmark: the same rows inserted with one prepared statement
//! into a table with the same columns as `responses`, in the same SQLite file, with the same
//! settings (WAL, synchronous=FULL, 64 MiB cache) and the same transaction size. Nothing else:
//! no parsing, no validation, no roll-ups.
use crate::setup::Row;
use rusqlite::{Connection, params};
use std::{path::Path, time::Instant};

/// What to insert and where.
pub struct Spec<'a> {
    pub path: &'a Path,
    pub rows: u64,
    pub questions: usize,
    pub site_ids: &'a [i64],
    pub batch: usize,
    pub survey_id: i64,
    pub version_id: i64,
}

/// Insert the rows into a copy of the `responses` table named `table`, with the same indexes
/// when `indexed`; returns rows per second. The copy is dropped afterwards.
pub fn insert(spec: &Spec<'_>, table: &str, indexed: bool) -> anyhow::Result<f64> {
    let Spec {
        path,
        rows,
        questions,
        site_ids,
        batch,
        survey_id,
        version_id,
    } = *spec;
    let conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
    )?;
    let ddl: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'responses'",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch(&format!("DROP TABLE IF EXISTS {table}"))?;
    conn.execute_batch(&ddl.replacen("responses", table, 1))?;
    if indexed {
        let mut stmt = conn.prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'responses'
             AND sql IS NOT NULL",
        )?;
        let indexes: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for (n, sql) in indexes.iter().enumerate() {
            let sql = sql
                .replacen("ON responses", &format!("ON {table}"), 1)
                .replacen("INDEX ", &format!("INDEX {table}_{n}_"), 1);
            conn.execute_batch(&sql)?;
        }
    }
    let insert = format!(
        "INSERT INTO {table} (survey_id, survey_version_id, source, external_id,
            idempotency_key, link_id, submitted_at, received_at, customer, site_id, staff_id,
            language, answers)
         VALUES (?1, ?2, 'import', ?3, NULL, NULL, ?4, ?5, ?6, ?7, NULL, ?8, ?9)"
    );
    let started = Instant::now();
    let received = chrono::Utc::now().timestamp_micros();
    let mut answers = String::with_capacity(128);
    let mut i = 0;
    while i < rows {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        {
            let mut stmt = conn.prepare_cached(&insert)?;
            for _ in 0..batch.min((rows - i) as usize) {
                let row = Row::new(i, questions, site_ids.len());
                row.stored_answers(&mut answers);
                stmt.execute(params![
                    survey_id,
                    version_id,
                    row.response_id,
                    row.submitted_at.timestamp_micros(),
                    received,
                    row.customer,
                    site_ids[row.site],
                    row.language,
                    answers
                ])?;
                i += 1;
            }
        }
        conn.execute_batch("COMMIT")?;
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    conn.execute_batch(&format!("DROP TABLE {table}"))?;
    Ok(rate)
}

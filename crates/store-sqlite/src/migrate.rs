//! Embedded, ordered migrations tracked in `schema_migrations`.
//!
//! Each migration runs in its own savepoint together with its bookkeeping row, so it is applied
//! entirely or not at all. Shipped migrations are never edited: add a new file to [`MIGRATIONS`].
use crate::rows::{map_err, ts};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use touchpoint_core::{
    StoreResult, dimension::default_dimensions, portfolio::customer::default_lost_reasons,
};

/// `(version, sql)` in the order they apply.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_foundation.sql")),
    (2, include_str!("../migrations/0002_feedback.sql")),
    (3, include_str!("../migrations/0003_customers.sql")),
    (4, include_str!("../migrations/0004_complaints.sql")),
    (
        5,
        include_str!("../migrations/0005_complaint_imports_and_surveys.sql"),
    ),
    (6, include_str!("../migrations/0006_improvement.sql")),
    (7, include_str!("../migrations/0007_recognition.sql")),
    (8, include_str!("../migrations/0008_portfolio_revision.sql")),
    (9, include_str!("../migrations/0009_staff_rollups.sql")),
    (10, include_str!("../migrations/0010_month_rollups.sql")),
    (
        11,
        include_str!("../migrations/0011_site_managers_and_notification_outbox.sql"),
    ),
];

/// Apply every pending migration, then seed the default quality dimensions if absent and
/// rebuild the roll-ups a migration asked for.
/// Works inside or outside an open transaction.
pub(crate) fn migrate(conn: &Connection, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TEXT NOT NULL
         )",
    )
    .map_err(map_err)?;
    for (version, sql) in MIGRATIONS {
        let applied: Option<i64> = conn
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()
            .map_err(map_err)?;
        if applied.is_some() {
            continue;
        }
        conn.execute_batch("SAVEPOINT migration").map_err(map_err)?;
        let step = conn.execute_batch(sql).and_then(|()| {
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, ts(now)],
            )
        });
        match step {
            Ok(_) => conn.execute_batch("RELEASE migration").map_err(map_err)?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK TO migration; RELEASE migration");
                return Err(touchpoint_core::StoreError::Backend(format!(
                    "migration {version} failed: {e}"
                )));
            }
        }
    }
    seed_dimensions(conn)?;
    seed_lost_reasons(conn)?;
    // One transaction for all the rebuilds (a savepoint starts one when none is open).
    conn.execute_batch("SAVEPOINT rollup_rebuild")
        .map_err(map_err)?;
    match crate::rebuild::rebuild_pending(conn, now) {
        Ok(()) => conn
            .execute_batch("RELEASE rollup_rebuild")
            .map_err(map_err),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO rollup_rebuild; RELEASE rollup_rebuild");
            Err(e)
        }
    }
}

/// Insert the default lost reasons that are missing; configured ones are left alone.
fn seed_lost_reasons(conn: &Connection) -> StoreResult<()> {
    let mut insert = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO lost_reasons (key, label_en, label_es, active)
             VALUES (?1, ?2, ?3, 1)",
        )
        .map_err(map_err)?;
    for r in default_lost_reasons() {
        insert
            .execute(params![r.key, r.label_en, r.label_es])
            .map_err(map_err)?;
    }
    Ok(())
}

/// Insert the ten default dimensions that are missing; existing rows are left as configured.
fn seed_dimensions(conn: &Connection) -> StoreResult<()> {
    let mut insert = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO quality_dimensions (key, name_en, name_es, servqual, position)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(map_err)?;
    let present: i64 = conn
        .query_row("SELECT count(*) FROM quality_dimensions", [], |r| r.get(0))
        .map_err(map_err)?;
    if present > 0 {
        return Ok(());
    }
    for d in default_dimensions() {
        insert
            .execute(params![
                d.key,
                d.name_en,
                d.name_es,
                d.servqual.as_str(),
                d.position
            ])
            .map_err(map_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{MIGRATIONS, migrate};
    use chrono::Utc;
    use rusqlite::Connection;

    #[test]
    fn migrating_twice_changes_nothing() {
        let c = Connection::open_in_memory().unwrap();
        migrate(&c, Utc::now()).unwrap();
        migrate(&c, Utc::now()).unwrap();
        let applied: i64 = c
            .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(applied, MIGRATIONS.len() as i64);
        let dims: i64 = c
            .query_row("SELECT count(*) FROM quality_dimensions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(dims, 10);
    }

    #[test]
    fn escalations_waiting_in_the_old_outbox_survive_its_generalisation() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .unwrap();
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v < 11) {
            c.execute_batch(sql).unwrap();
            c.execute(
                "INSERT INTO schema_migrations VALUES (?1, '2026-01-01T00:00:00Z')",
                [version],
            )
            .unwrap();
        }
        // Without foreign keys the escalation need not exist (in a real database it does).
        c.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO escalation_outbox (id, escalation_id, created_at, attempts, leased_by)
             VALUES (4, 9, '2026-01-02T00:00:00Z', 2, 'node-a')",
        )
        .unwrap();
        migrate(&c, Utc::now()).unwrap();
        let row: (i64, i64, i64, String, Option<String>) = c
            .query_row(
                "SELECT id, escalation_id, attempts, leased_by, message_key
                 FROM notification_outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(row, (4, 9, 2, "node-a".to_string(), None));
    }

    #[test]
    fn versions_are_increasing() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

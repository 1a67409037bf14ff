//! `migrate`: bring the schema up to date. Opening a store already migrates; running the
//! migrations again proves they are idempotent and reports the result.
use super::SharedStore;
use crate::{config::Settings, store_url::redact};
use anyhow::Context;

pub async fn run(settings: &Settings, store: SharedStore) -> anyhow::Result<()> {
    store.migrate().await.context("migration failed")?;
    store.ping().await.context("the database does not answer")?;
    println!(
        "database {} ({}) is up to date",
        redact(&settings.database),
        store.backend()
    );
    Ok(())
}

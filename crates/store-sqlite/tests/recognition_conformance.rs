//! The shared recognition conformance suite on SQLite.
use std::sync::Arc;
use touchpoint_core::store::Store;
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::fixed_clock;

async fn fresh() -> Option<Arc<dyn Store>> {
    let store = SqliteStore::open("sqlite::memory:", fixed_clock()).expect("open sqlite");
    Some(Arc::new(store))
}

touchpoint_test_support::recognition_conformance_tests!(fresh);

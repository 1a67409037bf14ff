//! The shared recognition conformance suite against a real PostgreSQL server.
//!
//! Needs `TOUCHPOINT_TEST_POSTGRES_URL`; each test runs on its own fresh database. Without it
//! the tests are skipped loudly, or fail when `CI` is set.
use std::sync::Arc;
use touchpoint_core::store::Store;
use touchpoint_store_postgres::testing;

async fn fresh() -> Option<Arc<dyn Store>> {
    let admin = testing::admin_url_from_env("recognition_conformance")?;
    let store = testing::fresh_store(&admin, touchpoint_test_support::fixed_clock())
        .await
        .expect("create a fresh PostgreSQL test database");
    Some(Arc::new(store))
}

touchpoint_test_support::recognition_conformance_tests!(fresh);

//! The shared store conformance suite, plus SQLite-specific durability and group commit.
use std::sync::Arc;
use touchpoint_core::{
    listing::ListQuery,
    store::{OrgStore, ServiceStore, Store},
};
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::{actor, block_on, fixed_clock, sample_cycle, sample_service_fields};

async fn fresh() -> Option<Arc<dyn Store>> {
    let store = SqliteStore::open("sqlite::memory:", fixed_clock()).expect("open sqlite");
    Some(Arc::new(store))
}

touchpoint_test_support::conformance_tests!(fresh);

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("tp-sqlite-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn acknowledged_writes_survive_reopening() {
    let dir = TempDir::new("reopen");
    let url = format!("sqlite://{}", dir.0.join("tp.db").display());
    block_on(async {
        let store = SqliteStore::open(&url, fixed_clock()).unwrap();
        let s = store
            .create_service(&actor(), &sample_service_fields("durable"))
            .await
            .unwrap();
        let v = store
            .publish_cycle(&actor(), s.id, &sample_cycle(3, &[2]))
            .await
            .unwrap();
        drop(store);

        let store = SqliteStore::open(&url, fixed_clock()).unwrap();
        let back = store.get_service_by_key("durable").await.unwrap();
        assert_eq!(back.id, s.id);
        assert_eq!(back.current_version, Some(1));
        assert_eq!(store.current_cycle(s.id).await.unwrap(), v);
        assert_eq!(store.list_dimensions().await.unwrap().len(), 10);
        store.migrate().await.unwrap();
        assert_eq!(
            store.list_services(&ListQuery::all()).await.unwrap().total,
            1
        );
    });
}

#[test]
fn many_concurrent_writers_all_land() {
    block_on(async {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory(fixed_clock()).unwrap());
        let tasks: Vec<_> = (0..300)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let key = format!("svc-{i:03}");
                    store
                        .create_service(&actor(), &sample_service_fields(&key))
                        .await
                })
            })
            .collect();
        // Failing jobs in the same batches roll back only themselves.
        let dupes: Vec<_> = (0..20)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .create_service(&actor(), &sample_service_fields("svc-000"))
                        .await
                })
            })
            .collect();
        // Any one of the 21 writers of `svc-000` may win the race; exactly one does.
        let mut svc_000 = Vec::new();
        for (i, t) in tasks.into_iter().enumerate() {
            let result = t.await.unwrap();
            if i == 0 {
                svc_000.push(result);
            } else {
                result.unwrap();
            }
        }
        for t in dupes {
            svc_000.push(t.await.unwrap());
        }
        assert_eq!(svc_000.iter().filter(|r| r.is_ok()).count(), 1);
        assert!(svc_000.iter().filter_map(|r| r.as_ref().err()).all(
            |e| matches!(e, touchpoint_core::StoreError::Conflict { field, .. } if field == "key")
        ));
        let all = store.list_services(&ListQuery::all()).await.unwrap();
        assert_eq!(all.total, 300);
        let audit = store.list_audit(&Default::default(), 500, 0).await.unwrap();
        assert_eq!(audit.total, 300);
    });
}

#[test]
fn opens_relative_and_rejects_foreign_urls() {
    assert!(SqliteStore::open("postgres://localhost/x", fixed_clock()).is_err());
    let dir = TempDir::new("abs");
    let path = dir.0.join("new.db");
    let store = SqliteStore::open(&format!("sqlite://{}", path.display()), fixed_clock()).unwrap();
    assert!(path.exists());
    assert_eq!(store.path(), path.as_path());
}

#[test]
fn search_folds_non_ascii_case() {
    block_on(async {
        let store = SqliteStore::open_in_memory(fixed_clock()).unwrap();
        let mut f = sample_service_fields("bogota");
        f.name = "Atención en BOGOTÁ".into();
        store.create_service(&actor(), &f).await.unwrap();
        let q = ListQuery {
            search: Some("bogotá".into()),
            ..ListQuery::default()
        };
        assert_eq!(store.list_services(&q).await.unwrap().total, 1);
        let q = ListQuery {
            search: Some("ATENCIÓN".into()),
            ..ListQuery::default()
        };
        assert_eq!(store.list_services(&q).await.unwrap().total, 1);
    });
}

//! The portfolio conformance suite: customers, statuses, sales, totals and erasure, written
//! only against [`Store`]. Run it with
//! [`portfolio_conformance_tests!`](crate::portfolio_conformance_tests); each function gets a
//! fresh, empty, migrated store whose clock stands still at [`t0`](crate::t0).
//!
//! # Contract pinned down here (beyond the trait docs in `touchpoint_core::portfolio::store`)
//! Unknown customer ids are `NotFound { entity: "customer" }`. A new customer without a status
//! is `unknown`. The history gets one row at creation and one per change of status (an update
//! that leaves the status as it was adds none). `customer_totals` returns every customer in
//! an order of no particular kind (callers sort with `portfolio::rank`), each with the
//! position of its reference in byte order, so ties rank the same on every backend;
//! `customer_identities` leaves out ids with no customer. Erasure sets `ref` to
//! `erased-<id>` and blanks name, email, phone and notes.
mod erasure;
mod revision;

pub use erasure::*;
pub use revision::*;

use crate::{Store, actor, sample_site_fields, t0};
use chrono::{Duration, NaiveDate};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    audit::AuditQuery,
    feedback::records::SubmitOutcome,
    listing::{ListQuery, SortField},
    portfolio::{
        CustomerFields, CustomerFilter, CustomerInput, CustomerStatus, LostReason, Money,
        RankingSettings, SaleInput, SaveOutcome, StatusFields, ValidSale, identify, rank,
        sale::import_sale_id,
    },
};

fn fields(
    reference: &str,
    name: &str,
    status: Option<&str>,
    reason: Option<&str>,
) -> CustomerFields {
    CustomerInput {
        reference: reference.into(),
        name: name.into(),
        email: format!("{}@example.com", reference.to_lowercase()),
        phone: "+57 1 555 0100".into(),
        segment: "retail".into(),
        status: status.map(str::to_string),
        lost_reason: reason.map(str::to_string),
        ..Default::default()
    }
    .validate()
    .expect("valid customer")
}

fn sale(customer: &str, date: &str, amount: &str, id: Option<&str>) -> ValidSale {
    SaleInput {
        customer: customer.into(),
        date: date.into(),
        amount: Money::parse(amount).unwrap(),
        currency: "usd".into(),
        service: None,
        sale_id: id.map(str::to_string),
    }
    .validate()
    .expect("valid sale")
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn invalid_field(e: StoreError) -> String {
    match e {
        StoreError::Invalid(v) => v.first_field().unwrap_or_default().to_string(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub async fn customer_create_get_and_conflict(store: Arc<dyn Store>) {
    let a = actor();
    let c = store
        .create_customer(&a, &fields("C-1", "Ana Pérez", None, None))
        .await
        .unwrap();
    assert_eq!(
        (c.reference.as_str(), c.status, c.created_at),
        ("C-1", CustomerStatus::Unknown, t0())
    );
    assert_eq!(store.get_customer(c.id).await.unwrap(), c);
    assert_eq!(store.get_customer_by_ref("C-1").await.unwrap(), c);
    match store
        .create_customer(&a, &fields("C-1", "Other", None, None))
        .await
    {
        Err(StoreError::Conflict { field, .. }) => assert_eq!(field, "ref"),
        other => panic!("expected a conflict on ref, got {other:?}"),
    }
    assert!(matches!(
        store.get_customer(9999).await,
        Err(StoreError::NotFound { entity: "customer" })
    ));
}

pub async fn customer_refs_must_exist(store: Arc<dyn Store>) {
    let a = actor();
    let mut f = fields("C-1", "Ana", None, None);
    f.site_id = Some(4242);
    assert_eq!(
        invalid_field(store.create_customer(&a, &f).await.unwrap_err()),
        "site_id"
    );
    let f = fields("C-1", "Ana", Some("lost"), Some("abducted_by_aliens"));
    assert_eq!(
        invalid_field(store.create_customer(&a, &f).await.unwrap_err()),
        "lost_reason"
    );
    let site = store
        .create_site(&a, &sample_site_fields("centro"))
        .await
        .unwrap();
    let mut f = fields("C-1", "Ana", Some("lost"), Some("price"));
    f.site_id = Some(site.id);
    let c = store.create_customer(&a, &f).await.unwrap();
    assert_eq!(
        (c.site_id, c.lost_reason.as_deref()),
        (Some(site.id), Some("price"))
    );
}

pub async fn customer_status_history_records_every_change(store: Arc<dyn Store>) {
    let a = actor();
    let c = store
        .create_customer(&a, &fields("C-1", "Ana", Some("potential"), None))
        .await
        .unwrap();
    // An update that keeps the status adds no history.
    let mut f = fields("C-1", "Ana María", None, None);
    f.segment = "premium".into();
    let c2 = store.update_customer(&a, c.id, &f).await.unwrap();
    assert_eq!(
        (c2.name.as_str(), c2.status),
        ("Ana María", CustomerStatus::Potential)
    );
    let lost = StatusFields {
        status: CustomerStatus::Lost,
        lost_reason: Some("service_failure".into()),
        lost_note: "waited 40 minutes".into(),
        lost_moment_key: Some("wait".into()),
        since: None,
    };
    let c3 = store.set_customer_status(&a, c.id, &lost).await.unwrap();
    assert_eq!(c3.lost_moment_key.as_deref(), Some("wait"));
    let h = store.status_history(c.id).await.unwrap();
    let statuses: Vec<_> = h.iter().map(|x| x.status).collect();
    assert_eq!(statuses, [CustomerStatus::Potential, CustomerStatus::Lost]);
    assert_eq!(h[1].lost_note, "waited 40 minutes");
    assert_eq!(h[1].changed_by, a.label);
    let bad = StatusFields {
        lost_reason: Some("nope".into()),
        ..lost
    };
    assert_eq!(
        invalid_field(store.set_customer_status(&a, c.id, &bad).await.unwrap_err()),
        "lost_reason"
    );
    assert_eq!(store.status_history(c.id).await.unwrap().len(), 2);
}

pub async fn customer_list_filters_sorts_and_searches(store: Arc<dyn Store>) {
    let a = actor();
    for (r, n, s) in [
        ("B-2", "bruno", "active"),
        ("A-1", "Álvaro", "active"),
        ("C-3", "Carla", "potential"),
    ] {
        store
            .create_customer(&a, &fields(r, n, Some(s), None))
            .await
            .unwrap();
    }
    let q = ListQuery {
        sort: SortField::Key,
        ..ListQuery::default()
    };
    let all = store
        .list_customers(&q, &CustomerFilter::default())
        .await
        .unwrap();
    let refs: Vec<_> = all.items.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!((refs, all.total), (vec!["A-1", "B-2", "C-3"], 3));
    let active = CustomerFilter {
        status: Some(CustomerStatus::Active),
        ..Default::default()
    };
    assert_eq!(store.list_customers(&q, &active).await.unwrap().total, 2);
    let search = ListQuery {
        search: Some("c-3".into()),
        ..q.clone()
    };
    let found = store
        .list_customers(&search, &CustomerFilter::default())
        .await
        .unwrap();
    assert_eq!(found.items[0].name, "Carla");
    let paged = ListQuery {
        limit: 1,
        offset: 1,
        descending: true,
        ..q
    };
    let page = store
        .list_customers(&paged, &CustomerFilter::default())
        .await
        .unwrap();
    assert_eq!((page.items[0].reference.as_str(), page.total), ("B-2", 3));
}

pub async fn save_customers_creates_updates_and_skips(store: Arc<dyn Store>) {
    let a = actor();
    let first = vec![
        fields("C-1", "Ana", Some("active"), None),
        fields("C-2", "Beto", None, None),
    ];
    let out = store.save_customers(&a, &first).await.unwrap();
    assert!(matches!(
        out[..],
        [Ok(SaveOutcome::Created(_)), Ok(SaveOutcome::Created(_))]
    ));
    let mut bad = fields("C-3", "Cleo", None, None);
    bad.site_id = Some(777);
    let second = vec![
        fields("C-1", "Ana", Some("active"), None),
        fields("C-2", "Beto Gómez", None, None),
        bad,
    ];
    let out = store.save_customers(&a, &second).await.unwrap();
    assert!(matches!(out[0], Ok(SaveOutcome::Unchanged(_))));
    assert!(matches!(out[1], Ok(SaveOutcome::Updated(_))));
    assert_eq!(slot_field(&out[2]), "site_id");
    assert!(store.get_customer_by_ref("C-3").await.is_err());
    assert_eq!(
        store.get_customer_by_ref("C-2").await.unwrap().name,
        "Beto Gómez"
    );
}

/// The field an `Invalid` outcome names.
fn slot_field<T: std::fmt::Debug>(r: &Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(v)) => v.first_field().unwrap_or_default().to_string(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub async fn sales_are_idempotent_and_name_bad_refs(store: Arc<dyn Store>) {
    let a = actor();
    let c = store
        .create_customer(&a, &fields("C-1", "Ana", None, None))
        .await
        .unwrap();
    let mut by_service = sale("C-1", "2026-01-02", "10", Some("S-2"));
    by_service.service_key = Some("nope".into());
    let batch = vec![
        sale("C-1", "2026-01-01", "12.5", Some("S-1")),
        sale("C-9", "2026-01-01", "1", Some("S-9")),
        by_service,
        sale("C-1", "2026-01-03", "7", None),
    ];
    let out = store.record_sales(&a, &batch).await.unwrap();
    assert!(matches!(out[0], Ok(SubmitOutcome::Created(_))));
    assert_eq!(slot_field(&out[1]), "customer");
    assert_eq!(slot_field(&out[2]), "service");
    assert!(matches!(out[3], Ok(SubmitOutcome::Created(_))));
    let again = store.record_sales(&a, &batch[..1]).await.unwrap();
    assert_eq!(
        again[0].as_ref().unwrap(),
        &SubmitOutcome::AlreadyExists(out[0].as_ref().unwrap().id())
    );
    let sales = store.list_sales(c.id, &ListQuery::default()).await.unwrap();
    assert_eq!(sales.total, 2);
    assert_eq!(
        (
            sales.items[0].amount.to_string(),
            sales.items[1].amount.to_string()
        ),
        ("7".into(), "12.50".into())
    );
    assert_eq!(sales.items[1].currency, "USD");
}

/// The sources' example, over several rows each, plus a customer without sales, one outside the
/// period and one in another currency: the same figures on every backend.
pub async fn totals_rank_the_portfolio_exactly(store: Arc<dyn Store>) {
    let a = actor();
    for (r, n) in [
        ("P", "Perez"),
        ("A", "Antunez"),
        ("F", "Fernandez"),
        ("G", "Gomez"),
        ("Z", "Zapata"),
    ] {
        store
            .create_customer(&a, &fields(r, n, Some("active"), None))
            .await
            .unwrap();
    }
    let rows = [
        ("P", "2026-02-01", "20000"),
        ("P", "2026-02-20", "500"),
        ("A", "2026-02-03", "16500"),
        ("F", "2026-02-04", "10000.25"),
        ("F", "2026-02-05", "1799.75"),
        ("G", "2026-02-28", "700"),
        ("G", "2026-03-01", "999"),
        ("G", "2026-01-31", "999"),
    ];
    let mut batch: Vec<ValidSale> = rows.iter().map(|(c, d, m)| sale(c, d, m, None)).collect();
    for (i, s) in batch.iter_mut().enumerate() {
        s.sale_id = Some(import_sale_id(s, i as u32));
    }
    let mut eur = sale("Z", "2026-02-10", "100000", Some("EUR-1"));
    eur.currency = "EUR".into();
    batch.push(eur);
    store.record_sales(&a, &batch).await.unwrap();
    let (from, to) = (day("2026-02-01"), day("2026-02-28"));
    assert_eq!(
        store.sales_currencies(from, to).await.unwrap(),
        ["EUR", "USD"]
    );
    let totals = store.customer_totals(from, to, "USD").await.unwrap();
    assert_eq!(totals.len(), 5);
    let r = rank(totals, &RankingSettings::default());
    let got: Vec<_> = identify(&*store, &r.rows)
        .await
        .unwrap()
        .iter()
        .map(|x| {
            (
                x.rank,
                x.name.clone(),
                x.sales.to_string(),
                x.cumulative.to_string(),
                x.cumulative_percent(),
            )
        })
        .collect();
    let s = |v: &str| v.to_string();
    assert_eq!(
        got,
        [
            (1, s("Perez"), s("20500"), s("20500"), s("41.41")),
            (2, s("Antunez"), s("16500"), s("37000"), s("74.75")),
            (3, s("Fernandez"), s("11800"), s("48800"), s("98.59")),
            (4, s("Gomez"), s("700"), s("49500"), s("100.00")),
            (5, s("Zapata"), s("0"), s("49500"), s("100.00")),
        ]
    );
}

/// Equal sales rank by reference in byte order (capitals before small letters, `-` before
/// digits) on every backend, whatever the database's own collation would say; and the
/// identities of a page are read by id.
pub async fn ties_rank_by_reference_bytes_on_every_backend(store: Arc<dyn Store>) {
    let a = actor();
    let refs = ["b", "a-1", "A-10", "a", "B-2", "a1", "Ä"];
    for r in refs {
        store
            .create_customer(&a, &fields(r, &format!("Name {r}"), Some("active"), None))
            .await
            .unwrap();
    }
    let mut batch: Vec<ValidSale> = ["a-1", "A-10", "a1", "b"]
        .iter()
        .map(|c| sale(c, "2026-02-01", "100", None))
        .collect();
    for (i, s) in batch.iter_mut().enumerate() {
        s.sale_id = Some(import_sale_id(s, i as u32));
    }
    store.record_sales(&a, &batch).await.unwrap();
    let (from, to) = (day("2026-02-01"), day("2026-02-28"));
    let r = rank(
        store.customer_totals(from, to, "USD").await.unwrap(),
        &RankingSettings::default(),
    );
    let shown = identify(&*store, &r.rows).await.unwrap();
    let got: Vec<(&str, String)> = shown
        .iter()
        .map(|x| (x.reference.as_str(), x.sales.to_string()))
        .collect();
    let want = [
        ("A-10", "100"),
        ("a-1", "100"),
        ("a1", "100"),
        ("b", "100"),
        ("B-2", "0"),
        ("a", "0"),
        ("Ä", "0"),
    ];
    assert_eq!(got, want.map(|(r, s)| (r, s.to_string())));
    assert!(
        shown
            .iter()
            .all(|x| x.name == format!("Name {}", x.reference))
    );
    let unknown = store.customer_identities(&[i64::MAX]).await.unwrap();
    assert!(unknown.is_empty());
}

pub async fn status_counts_and_lost_reasons(store: Arc<dyn Store>) {
    let a = actor();
    store
        .create_customer(&a, &fields("C-1", "Ana", Some("active"), None))
        .await
        .unwrap();
    store
        .create_customer(&a, &fields("C-2", "Beto", Some("active"), None))
        .await
        .unwrap();
    let lost = store
        .create_customer(&a, &fields("C-3", "Cleo", Some("lost"), Some("price")))
        .await
        .unwrap();
    let now = store.status_counts_at(t0()).await.unwrap();
    assert_eq!(
        (
            now[&CustomerStatus::Active],
            now[&CustomerStatus::Lost],
            now[&CustomerStatus::Unknown]
        ),
        (2, 1, 0)
    );
    let before = store
        .status_counts_at(t0() - Duration::seconds(1))
        .await
        .unwrap();
    assert!(before.values().all(|n| *n == 0));
    let today = t0().date_naive();
    let counts = store.lost_counts(today, today).await.unwrap();
    assert_eq!(
        (
            counts.len(),
            counts[0].lost_reason.as_deref(),
            counts[0].customers
        ),
        (1, Some("price"), 1)
    );
    assert!(
        store
            .lost_counts(today.succ_opt().unwrap(), today.succ_opt().unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    // Reasons are configurable: a new one can be used, a deactivated one cannot.
    let reasons = store.lost_reasons().await.unwrap();
    assert!(reasons.iter().any(|r| r.key == "service_failure"));
    let custom = LostReason {
        key: "merger".into(),
        label_en: "Merged".into(),
        label_es: "Fusión".into(),
        active: true,
    };
    store.save_lost_reason(&a, &custom).await.unwrap();
    let s = StatusFields {
        status: CustomerStatus::Lost,
        lost_reason: Some("merger".into()),
        lost_note: String::new(),
        lost_moment_key: None,
        since: None,
    };
    store.set_customer_status(&a, lost.id, &s).await.unwrap();
    store
        .save_lost_reason(
            &a,
            &LostReason {
                active: false,
                ..custom
            },
        )
        .await
        .unwrap();
    assert_eq!(
        invalid_field(
            store
                .set_customer_status(&a, lost.id, &s)
                .await
                .unwrap_err()
        ),
        "lost_reason"
    );
}

pub async fn portfolio_writes_are_audited(store: Arc<dyn Store>) {
    let a = actor();
    let c = store
        .create_customer(&a, &fields("C-1", "Ana", None, None))
        .await
        .unwrap();
    store
        .update_customer(&a, c.id, &fields("C-1", "Ana B", None, None))
        .await
        .unwrap();
    let s = StatusFields {
        status: CustomerStatus::Active,
        lost_reason: None,
        lost_note: String::new(),
        lost_moment_key: None,
        since: None,
    };
    store.set_customer_status(&a, c.id, &s).await.unwrap();
    store
        .record_sales(&a, &[sale("C-1", "2026-01-01", "5", Some("S-1"))])
        .await
        .unwrap();
    let trail = store
        .list_audit(&AuditQuery::default(), 100, 0)
        .await
        .unwrap();
    let mut actions: Vec<_> = trail.items.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "customer.create",
            "customer.status",
            "customer.update",
            "sales.record"
        ]
    );
    // A rejected change leaves no record.
    let _ = store
        .create_customer(&a, &fields("C-1", "Dup", None, None))
        .await;
    assert_eq!(
        store
            .list_audit(&AuditQuery::default(), 100, 0)
            .await
            .unwrap()
            .total,
        4
    );
}

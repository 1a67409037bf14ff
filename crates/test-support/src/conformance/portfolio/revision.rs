//! The portfolio revision servers use to keep a computed ranking, and the currencies of a
//! period read without scanning every sale.
use super::{day, fields, sale};
use crate::{Store, actor, sample_site_fields};
use std::sync::Arc;
use touchpoint_core::portfolio::StatusFields;

pub async fn portfolio_revision_moves_with_every_customer_and_sale_write(store: Arc<dyn Store>) {
    let a = actor();
    let mut seen = vec![store.portfolio_revision().await.unwrap()];
    let mut moved = async |what: &str| {
        let now = store.portfolio_revision().await.unwrap();
        assert!(
            now > *seen.last().unwrap(),
            "{what} must move the revision (was {seen:?}, now {now})"
        );
        seen.push(now);
    };
    let c = store
        .create_customer(&a, &fields("R-1", "Rosa", Some("active"), None))
        .await
        .unwrap();
    moved("creating a customer").await;
    store
        .record_sales(&a, &[sale("R-1", "2026-02-01", "10", Some("R-S1"))])
        .await
        .unwrap();
    moved("recording a sale").await;
    store
        .update_customer(&a, c.id, &fields("R-1", "Rosa María", None, None))
        .await
        .unwrap();
    moved("renaming a customer").await;
    store
        .set_customer_status(&a, c.id, &StatusFields::unknown())
        .await
        .unwrap();
    moved("changing a status").await;
    store
        .save_customers(&a, &[fields("R-2", "Raúl", None, None)])
        .await
        .unwrap();
    moved("importing customers").await;
    store.erase_customer(&a, c.id).await.unwrap();
    moved("erasing a customer").await;

    let before = store.portfolio_revision().await.unwrap();
    store
        .create_site(&a, &sample_site_fields("elsewhere"))
        .await
        .unwrap();
    store
        .customer_totals(day("2026-01-01"), day("2026-12-31"), "USD")
        .await
        .unwrap();
    assert_eq!(
        store.portfolio_revision().await.unwrap(),
        before,
        "reads and writes outside the portfolio leave it alone"
    );
}

pub async fn sales_currencies_are_those_with_sales_in_the_period(store: Arc<dyn Store>) {
    let a = actor();
    let (from, to) = (day("2026-02-01"), day("2026-02-28"));
    assert!(store.sales_currencies(from, to).await.unwrap().is_empty());
    store
        .create_customer(&a, &fields("K-1", "Karla", Some("active"), None))
        .await
        .unwrap();
    let mut batch = Vec::new();
    for (id, currency, date) in [
        ("K-AUD", "AUD", "2026-01-31"), // the day before the period
        ("K-CHF", "CHF", "2026-02-01"),
        ("K-EUR", "EUR", "2026-03-01"), // the day after
        ("K-MXN", "MXN", "2026-02-28"),
        ("K-USD", "USD", "2026-02-14"),
        ("K-USD2", "USD", "2026-02-15"),
        ("K-ZAR", "ZAR", "2025-02-14"),
    ] {
        let mut s = sale("K-1", date, "5", Some(id));
        s.currency = currency.into();
        batch.push(s);
    }
    for outcome in store.record_sales(&a, &batch).await.unwrap() {
        outcome.unwrap();
    }
    assert_eq!(
        store.sales_currencies(from, to).await.unwrap(),
        ["CHF", "MXN", "USD"]
    );
}

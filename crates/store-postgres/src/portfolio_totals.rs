//! The ranking's input: every customer with its sales total for a period and the position of
//! its reference in byte order (`COLLATE "C"`, the order SQLite compares in, the documented
//! tie-break); names are read only for the rows shown.
//!
//! Three reads run side by side on three connections, as on SQLite: the ids in reference
//! order (an index-only scan of `customers_ref_bytes_idx`) and the period's sums for the lower
//! and the upper half of the customer ids (each a grouped scan of `sales_customer_idx`). Each
//! answers one row of arrays rather than a row per customer: a binary array decodes in one
//! pass, where a row each costs a protocol message and an allocation on both sides. They
//! see one snapshot — the first transaction exports it (`pg_export_snapshot`) and the others
//! adopt it — so the result is as consistent as one query's. One computation at a time in a
//! process reads side by side ([`SIDE_BY_SIDE`]), so concurrent ones can never hold every
//! pooled connection while waiting for more; the others, and a pool too small for three
//! connections, make the same reads one after the other in one transaction.
use crate::errors::Db;
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use std::collections::HashMap;
use tokio::sync::Semaphore;
use touchpoint_core::{
    StoreError, StoreResult,
    portfolio::{CustomerTotal, Money},
};

/// Held by the computation reading on three connections.
static SIDE_BY_SIDE: Semaphore = Semaphore::const_new(1);

/// A read-only repeatable-read transaction (rolled back if dropped on an error).
async fn begin_read_only(pool: &PgPool) -> StoreResult<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await.db()?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await
        .db()?;
    Ok(tx)
}

/// A read-only transaction that sees the snapshot `lead` exported.
async fn follow(pool: &PgPool, snapshot: &str) -> StoreResult<Transaction<'static, Postgres>> {
    // A snapshot id is hex digits and dashes; it cannot be a bind parameter here.
    if snapshot.is_empty() || !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(StoreError::backend("unexpected snapshot id"));
    }
    let mut tx = begin_read_only(pool).await?;
    sqlx::query(&format!("SET TRANSACTION SNAPSHOT '{snapshot}'"))
        .execute(&mut *tx)
        .await
        .db()?;
    Ok(tx)
}

/// The ids in reference byte order. The aggregate takes them as the sorted subquery hands
/// them out (an index-only scan, no sort); `ORDER BY` inside `array_agg` would sort a million
/// references again (measured 0.47 s against 0.17 s). A serial plan is what keeps that order
/// — a parallel partial aggregate would concatenate pieces in any order — so parallel
/// workers are turned off for this (read-only) transaction.
async fn ids_in_reference_order(conn: &mut PgConnection) -> StoreResult<Vec<i64>> {
    sqlx::query("SET LOCAL max_parallel_workers_per_gather = 0")
        .execute(&mut *conn)
        .await
        .db()?;
    let ids: Option<Vec<i64>> = sqlx::query_scalar(
        "SELECT array_agg(id) FROM (SELECT id FROM customers ORDER BY ref COLLATE \"C\") o",
    )
    .fetch_one(conn)
    .await
    .db()?;
    Ok(ids.unwrap_or_default())
}

/// Per customer whose id is in `ids`, the sum of its sales in the period and currency.
async fn sums(
    conn: &mut PgConnection,
    (from, to, currency): (NaiveDate, NaiveDate, &str),
    ids: (i64, i64),
) -> StoreResult<Vec<(i64, i64)>> {
    let (customers, totals): (Option<Vec<i64>>, Option<Vec<i64>>) = sqlx::query_as(
        "SELECT array_agg(customer_id), array_agg(total) FROM ( \
             SELECT customer_id, sum(amount)::BIGINT AS total FROM sales \
             WHERE currency = $1 AND sale_date BETWEEN $2 AND $3 \
               AND customer_id BETWEEN $4 AND $5 \
             GROUP BY customer_id) s",
    )
    .bind(currency)
    .bind(from)
    .bind(to)
    .bind(ids.0)
    .bind(ids.1)
    .fetch_one(conn)
    .await
    .db()?;
    let (customers, totals) = (customers.unwrap_or_default(), totals.unwrap_or_default());
    if customers.len() != totals.len() {
        return Err(StoreError::backend("sums of unequal length"));
    }
    Ok(customers.into_iter().zip(totals).collect())
}

type Sums = tokio::task::JoinHandle<StoreResult<Vec<(i64, i64)>>>;

/// [`sums`] in a task of its own, committing `tx` after it.
fn spawn_sums(
    mut tx: Transaction<'static, Postgres>,
    (from, to, currency): (NaiveDate, NaiveDate, String),
    ids: (i64, i64),
) -> Sums {
    tokio::spawn(async move {
        let out = sums(&mut tx, (from, to, &currency), ids).await?;
        tx.commit().await.db()?;
        Ok(out)
    })
}

fn joined<T>(r: Result<StoreResult<T>, tokio::task::JoinError>) -> StoreResult<T> {
    r.map_err(|e| StoreError::backend(format!("a ranking read stopped: {e}")))?
}

/// The totals by customer id: a plain array over the id range when ids are dense (identity
/// columns, customers never deleted), which spares a million hash lookups; a map otherwise.
enum TotalsById {
    Dense { first: i64, totals: Vec<i64> },
    Sparse(HashMap<i64, i64>),
}

impl TotalsById {
    fn new(customers: usize, sums: Vec<(i64, i64)>) -> TotalsById {
        let (first, last) = sums.iter().fold((i64::MAX, i64::MIN), |(lo, hi), (id, _)| {
            (lo.min(*id), hi.max(*id))
        });
        let span = last
            .checked_sub(first)
            .and_then(|d| usize::try_from(d).ok());
        match span {
            Some(span) if span < customers.saturating_mul(4).max(1024) => {
                let mut totals = vec![0; span + 1];
                for (id, total) in sums {
                    // In range by construction of `first` and `span`.
                    totals[(id - first) as usize] = total;
                }
                TotalsById::Dense { first, totals }
            }
            _ => TotalsById::Sparse(sums.into_iter().collect()),
        }
    }

    fn get(&self, id: i64) -> i64 {
        match self {
            TotalsById::Dense { first, totals } => id
                .checked_sub(*first)
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| totals.get(i))
                .copied()
                .unwrap_or(0),
            TotalsById::Sparse(map) => map.get(&id).copied().unwrap_or(0),
        }
    }
}

/// Every customer, in reference order, with its total (zero without sales).
fn merge(order: Vec<i64>, sums: Vec<(i64, i64)>) -> StoreResult<Vec<CustomerTotal>> {
    let totals = TotalsById::new(order.len(), sums);
    order
        .into_iter()
        .enumerate()
        .map(|(position, customer_id)| {
            Ok(CustomerTotal {
                customer_id,
                ref_order: u32::try_from(position)
                    .map_err(|_| StoreError::backend("more customers than a ranking holds"))?,
                sales: Money::from_minor(totals.get(customer_id)),
            })
        })
        .collect()
}

pub(crate) async fn customer_totals(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
    currency: &str,
) -> StoreResult<Vec<CustomerTotal>> {
    let period = (from, to, currency);
    let permit = SIDE_BY_SIDE.try_acquire().ok();
    let mut lead = begin_read_only(pool).await?;
    if permit.is_none() || pool.options().get_max_connections() < 3 {
        let order = ids_in_reference_order(&mut lead).await?;
        let all = sums(&mut lead, period, (i64::MIN, i64::MAX)).await?;
        lead.commit().await.db()?;
        return merge(order, all);
    }
    let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
        .fetch_one(&mut *lead)
        .await
        .db()?;
    let (low, high): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT min(id), max(id) FROM customers")
            .fetch_one(&mut *lead)
            .await
            .db()?;
    let (low, high) = (low.unwrap_or(0), high.unwrap_or(0));
    let middle = low + (high - low) / 2;
    let lower = follow(pool, &snapshot).await?;
    let upper = follow(pool, &snapshot).await?;
    // Separate tasks, so the rows of the three answers are also decoded on both cores.
    let currency = currency.to_string();
    let below = spawn_sums(lower, (from, to, currency.clone()), (i64::MIN, middle));
    let above = spawn_sums(upper, (from, to, currency), (middle + 1, i64::MAX));
    let order = ids_in_reference_order(&mut lead).await?;
    lead.commit().await.db()?;
    let (mut below, above) = (joined(below.await)?, joined(above.await)?);
    below.extend(above);
    merge(order, below)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PgStore, testing};
    use touchpoint_core::{
        audit::Actor,
        clock::SystemClock,
        portfolio::store::CustomerStore,
        portfolio::{CustomerInput, SaleInput},
    };

    async fn seeded(admin: &str, connections: u32) -> PgStore {
        let url = testing::fresh_database(admin).await.unwrap();
        let store = PgStore::connect_with(&url, std::sync::Arc::new(SystemClock), connections)
            .await
            .unwrap();
        let actor = Actor::system("test");
        // References whose byte order differs from their creation order and from a
        // locale's order; some customers have no sales, one only in another currency.
        let refs = ["b-2", "B-10", "a", "Ä", "z", "0-1", "C-3", "c-3"];
        let customers: Vec<_> = refs
            .iter()
            .map(|r| {
                CustomerInput {
                    reference: (*r).into(),
                    name: format!("Name {r}"),
                    ..Default::default()
                }
                .validate()
                .unwrap()
            })
            .collect();
        for o in store.save_customers(&actor, &customers).await.unwrap() {
            o.unwrap();
        }
        let sale = |customer: &str, amount: i64, currency: &str, date: &str| {
            SaleInput {
                customer: customer.into(),
                date: date.into(),
                amount: Money::from_minor(amount),
                currency: currency.into(),
                ..Default::default()
            }
            .validate()
            .unwrap()
        };
        let sales = [
            sale("b-2", 500, "USD", "2026-03-01"),
            sale("b-2", 700, "USD", "2026-04-01"),
            sale("z", 500, "USD", "2026-05-01"),
            sale("Ä", 9_000, "USD", "2026-06-01"),
            sale("a", 100, "USD", "2025-12-31"),
            sale("C-3", 300, "EUR", "2026-03-01"),
            sale("c-3", 1, "USD", "2026-12-31"),
        ];
        store.record_sales(&actor, &sales).await.unwrap();
        store
    }

    fn by_position(totals: &[CustomerTotal]) -> Vec<(u32, i64, i64)> {
        totals
            .iter()
            .map(|t| (t.ref_order, t.customer_id, t.sales.minor()))
            .collect()
    }

    #[test]
    fn totals_by_id_answer_the_same_dense_or_sparse() {
        let sums = vec![(7, 70), (9, 90), (8, 80)];
        let dense = TotalsById::new(3, sums.clone());
        assert!(matches!(dense, TotalsById::Dense { .. }));
        let sparse = TotalsById::new(3, vec![(1, 10), (1 << 40, 20)]);
        assert!(matches!(sparse, TotalsById::Sparse(_)));
        let empty = TotalsById::new(5, Vec::new());
        for id in [i64::MIN, -1, 0, 6, 7, 8, 9, 10, i64::MAX] {
            let want = sums.iter().find(|s| s.0 == id).map_or(0, |s| s.1);
            assert_eq!(dense.get(id), want, "{id}");
            assert_eq!(empty.get(id), 0);
        }
        assert_eq!(
            (sparse.get(1), sparse.get(1 << 40), sparse.get(2)),
            (10, 20, 0)
        );
    }

    #[tokio::test]
    async fn side_by_side_and_one_after_the_other_read_the_same() {
        let Some(admin) = testing::admin_url_from_env("portfolio_totals_paths") else {
            return;
        };
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let store = seeded(&admin, 4).await;
        let side_by_side = customer_totals(store.pool(), from, to, "USD")
            .await
            .unwrap();
        let held = SIDE_BY_SIDE.try_acquire().unwrap();
        let in_turn = customer_totals(store.pool(), from, to, "USD")
            .await
            .unwrap();
        drop(held);
        assert_eq!(by_position(&side_by_side), by_position(&in_turn));
        let small = seeded(&admin, 2).await;
        let in_small_pool = customer_totals(small.pool(), from, to, "USD")
            .await
            .unwrap();
        let positions: Vec<(u32, i64)> = in_small_pool
            .iter()
            .map(|t| (t.ref_order, t.sales.minor()))
            .collect();
        let expected: Vec<(u32, i64)> = side_by_side
            .iter()
            .map(|t| (t.ref_order, t.sales.minor()))
            .collect();
        assert_eq!(positions, expected);
        // Byte order of the references: "0-1" "B-10" "C-3" "a" "b-2" "c-3" "z" "Ä".
        let sales: Vec<i64> = side_by_side.iter().map(|t| t.sales.minor()).collect();
        assert_eq!(sales, [0, 0, 0, 0, 1200, 1, 500, 9000]);
    }
}

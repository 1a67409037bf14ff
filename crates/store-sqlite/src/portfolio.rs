//! Sales, the figures of the portfolio, lost reasons, erasure, and the `CustomerStore` impl.
use crate::{
    SqliteStore, audit,
    customers::{self, customer, customer_by_ref},
    rows::{get_parsed, get_ts, map_err, ts},
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::{collections::BTreeMap, ops::RangeInclusive};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    feedback::records::SubmitOutcome,
    listing::{ListQuery, Page},
    portfolio::{
        Customer, CustomerFields, CustomerFilter, CustomerIdentity, CustomerStatus, CustomerStore,
        CustomerTotal, LostCount, LostReason, Money, Sale, SaveOutcome, StatusChange, StatusFields,
        ValidSale,
    },
};

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid(ValidationErrors::single(field, message))
}

/// Midnight UTC at the start of `day`, as stored text: the bounds of a day range.
fn day_start(day: NaiveDate) -> String {
    ts(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

fn record_sale(
    conn: &Connection,
    s: &ValidSale,
    now: &str,
) -> StoreResult<StoreResult<SubmitOutcome>> {
    let customer_id: Option<i64> = conn
        .prepare_cached("SELECT id FROM customers WHERE ref = ?1")
        .and_then(|mut st| st.query_row([&s.customer_ref], |r| r.get(0)).optional())
        .map_err(map_err)?;
    let Some(customer_id) = customer_id else {
        return Ok(Err(invalid(
            "customer",
            format!("there is no customer with ref '{}'", s.customer_ref),
        )));
    };
    let service_id: Option<i64> = match &s.service_key {
        None => None,
        Some(key) => {
            let id = conn
                .prepare_cached("SELECT id FROM services WHERE key = ?1")
                .and_then(|mut st| st.query_row([key], |r| r.get(0)).optional())
                .map_err(map_err)?;
            match id {
                Some(id) => Some(id),
                None => {
                    return Ok(Err(invalid(
                        "service",
                        format!("there is no service with key '{key}'"),
                    )));
                }
            }
        }
    };
    let inserted = conn
        .prepare_cached(
            "INSERT INTO sales (customer_id, sale_date, amount, currency, service_id, sale_id,
                                recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (sale_id) DO NOTHING",
        )
        .and_then(|mut st| {
            st.execute(params![
                customer_id,
                s.date.to_string(),
                s.amount.minor(),
                s.currency,
                service_id,
                s.sale_id,
                now
            ])
        })
        .map_err(map_err)?;
    if inserted == 1 {
        return Ok(Ok(SubmitOutcome::Created(conn.last_insert_rowid())));
    }
    let id: i64 = conn
        .prepare_cached("SELECT id FROM sales WHERE sale_id = ?1")
        .and_then(|mut st| st.query_row([&s.sale_id], |r| r.get(0)))
        .map_err(map_err)?;
    Ok(Ok(SubmitOutcome::AlreadyExists(id)))
}

fn record_sales(
    conn: &Connection,
    actor: &Actor,
    items: &[ValidSale],
    now: DateTime<Utc>,
) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
    let stamp = ts(now);
    let outcomes = items
        .iter()
        .map(|s| record_sale(conn, s, &stamp))
        .collect::<StoreResult<Vec<_>>>()?;
    let created = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(SubmitOutcome::Created(_))))
        .count();
    let present = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(SubmitOutcome::AlreadyExists(_))))
        .count();
    let detail = serde_json::json!({
        "created": created,
        "already_present": present,
        "rejected": items.len() - created - present,
    });
    audit::insert(
        conn,
        &NewAuditEntry::event(actor, "sales.record", detail.to_string()),
        now,
    )?;
    Ok(outcomes)
}

fn list_sales(conn: &Connection, customer_id: i64, q: &ListQuery) -> StoreResult<Page<Sale>> {
    customer(conn, customer_id)?;
    let q = q.clone().clamped();
    let total: i64 = conn
        .query_row(
            "SELECT count(*) FROM sales WHERE customer_id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let items = conn
        .prepare_cached(
            "SELECT id, customer_id, sale_date, amount, currency, service_id, sale_id, recorded_at
             FROM sales WHERE customer_id = ?1 ORDER BY sale_date DESC, id DESC LIMIT ?2 OFFSET ?3",
        )
        .and_then(|mut st| {
            st.query_map(params![customer_id, q.limit, q.offset], |r| {
                Ok(Sale {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    date: r.get(2)?,
                    amount: Money::from_minor(r.get(3)?),
                    currency: r.get(4)?,
                    service_id: r.get(5)?,
                    sale_id: r.get(6)?,
                    recorded_at: get_ts(r, 7)?,
                })
            })?
            .collect()
        })
        .map_err(map_err)?;
    Ok(Page {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

/// The period's sales summed per customer, in customer id order, as the
/// `(currency, customer_id, sale_date, amount)` index streams by: no temporary b-tree and no
/// hash map.
fn period_sums(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    currency: &str,
    customers: RangeInclusive<i64>,
) -> StoreResult<Vec<(i64, i64)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT customer_id, sum(amount) FROM sales INDEXED BY sales_customer_period_idx
             WHERE currency = ?1 AND customer_id BETWEEN ?4 AND ?5
               AND sale_date BETWEEN ?2 AND ?3
             GROUP BY customer_id ORDER BY customer_id",
        )
        .map_err(map_err)?;
    let bounds = params![
        currency,
        from.to_string(),
        to.to_string(),
        customers.start(),
        customers.end()
    ];
    st.query_map(bounds, |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(map_err)
}

/// Every customer's id with the position of its reference in byte order (SQLite's `BINARY`
/// collation), in id order. The reference's unique index answers it without reading a row or
/// handing a string to Rust.
fn ref_orders(conn: &Connection) -> StoreResult<Vec<(i64, u32)>> {
    let mut st = conn
        .prepare_cached("SELECT id FROM customers ORDER BY ref")
        .map_err(map_err)?;
    let mut out: Vec<(i64, u32)> = Vec::new();
    let mut rows = st.query([]).map_err(map_err)?;
    while let Some(r) = rows.next().map_err(map_err)? {
        out.push((r.get(0).map_err(map_err)?, out.len() as u32));
    }
    out.sort_unstable();
    Ok(out)
}

/// Give each customer its sum: both lists are in id order, so one pass over each. A sum
/// whose customer is not in the list (created after the customers were read) is left out.
fn merge_sums(customers: Vec<(i64, u32)>, sums: Vec<(i64, i64)>) -> Vec<CustomerTotal> {
    let mut sums = sums.into_iter().peekable();
    customers
        .into_iter()
        .map(|(customer_id, ref_order)| {
            let mut sales = Money::ZERO;
            while let Some((id, sum)) = sums.next_if(|(id, _)| *id <= customer_id) {
                if id == customer_id {
                    sales = Money::from_minor(sum);
                }
            }
            CustomerTotal {
                customer_id,
                ref_order,
                sales,
            }
        })
        .collect()
}

/// Who these customers are: one lookup by id each for a page of them, one pass over the
/// table when they are most of it (the CSV of a whole ranking).
fn identities(conn: &Connection, ids: &[i64]) -> StoreResult<Vec<CustomerIdentity>> {
    const COLUMNS: &str = "SELECT id, ref, name, status, segment, site_id FROM customers";
    let read = |r: &rusqlite::Row| -> rusqlite::Result<CustomerIdentity> {
        Ok(CustomerIdentity {
            customer_id: r.get(0)?,
            reference: r.get(1)?,
            name: r.get(2)?,
            status: get_parsed(r, 3)?,
            segment: r.get(4)?,
            site_id: r.get(5)?,
        })
    };
    if ids.len() <= 10_000 {
        let mut st = conn
            .prepare_cached(&format!("{COLUMNS} WHERE id = ?1"))
            .map_err(map_err)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = st.query_row([id], read).optional().map_err(map_err)? {
                out.push(c);
            }
        }
        return Ok(out);
    }
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    let mut st = conn.prepare_cached(COLUMNS).map_err(map_err)?;
    let mut out = Vec::with_capacity(ids.len());
    let mut rows = st.query([]).map_err(map_err)?;
    while let Some(r) = rows.next().map_err(map_err)? {
        let id: i64 = r.get(0).map_err(map_err)?;
        if wanted.binary_search(&id).is_ok() {
            out.push(read(r).map_err(map_err)?);
        }
    }
    Ok(out)
}

/// The currencies with sales dated `from..=to`: one index probe per currency (the next
/// currency after the last one found) instead of a scan of every sale.
fn sales_currencies(conn: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<String>> {
    let mut next = conn
        .prepare_cached("SELECT min(currency) FROM sales WHERE currency > ?1")
        .map_err(map_err)?;
    let mut in_period = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sales
                            WHERE currency = ?1 AND sale_date BETWEEN ?2 AND ?3)",
        )
        .map_err(map_err)?;
    let (from, to) = (from.to_string(), to.to_string());
    let mut out = Vec::new();
    let mut after = String::new();
    while let Some(currency) = next
        .query_row([&after], |r| r.get::<_, Option<String>>(0))
        .map_err(map_err)?
    {
        if in_period
            .query_row(params![currency, from, to], |r| r.get::<_, bool>(0))
            .map_err(map_err)?
        {
            out.push(currency.clone());
        }
        after = currency;
    }
    Ok(out)
}

fn status_counts_at(
    conn: &Connection,
    at: DateTime<Utc>,
) -> StoreResult<BTreeMap<CustomerStatus, i64>> {
    let mut out: BTreeMap<CustomerStatus, i64> =
        CustomerStatus::ALL.iter().map(|s| (*s, 0)).collect();
    let mut st = conn
        .prepare_cached(
            "SELECT h.status, count(*) FROM customer_status_history h
             WHERE h.changed_at <= ?1 AND NOT EXISTS (
                 SELECT 1 FROM customer_status_history n
                 WHERE n.customer_id = h.customer_id AND n.changed_at <= ?1
                   AND (n.changed_at > h.changed_at OR (n.changed_at = h.changed_at AND n.id > h.id)))
             GROUP BY h.status",
        )
        .map_err(map_err)?;
    let rows = st
        .query_map([ts(at)], |r| {
            Ok((get_parsed::<CustomerStatus>(r, 0)?, r.get::<_, i64>(1)?))
        })
        .map_err(map_err)?;
    for row in rows {
        let (status, n) = row.map_err(map_err)?;
        out.insert(status, n);
    }
    Ok(out)
}

fn lost_counts(conn: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<LostCount>> {
    let end = to.succ_opt().unwrap_or(to);
    conn.prepare_cached(
        "SELECT lost_reason, lost_moment_key, count(DISTINCT customer_id)
         FROM customer_status_history
         WHERE status = 'lost' AND changed_at >= ?1 AND changed_at < ?2
         GROUP BY lost_reason, lost_moment_key
         ORDER BY count(DISTINCT customer_id) DESC, lost_reason, lost_moment_key",
    )
    .and_then(|mut st| {
        st.query_map([day_start(from), day_start(end)], |r| {
            Ok(LostCount {
                lost_reason: r.get(0)?,
                lost_moment_key: r.get(1)?,
                customers: r.get(2)?,
            })
        })?
        .collect()
    })
    .map_err(map_err)
}

/// See the erasure rule of `CustomerStore`. Erasing twice changes nothing the second time.
fn erase(conn: &Connection, actor: &Actor, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let c = customer(conn, id)?;
    if c.erased_at.is_some() {
        return Ok(());
    }
    let stamp = ts(now);
    conn.execute(
        "UPDATE customers SET ref = ?2, name = '', email = '', phone = '', lost_note = '',
             erased_at = ?3, updated_at = ?3 WHERE id = ?1",
        params![id, format!("erased-{id}"), stamp],
    )
    .map_err(map_err)?;
    conn.execute(
        "UPDATE customer_status_history SET lost_note = '' WHERE customer_id = ?1",
        [id],
    )
    .map_err(map_err)?;
    conn.execute(
        "UPDATE responses SET customer = NULL WHERE customer = ?1",
        [&c.reference],
    )
    .map_err(map_err)?;
    conn.execute(
        "UPDATE survey_links SET customer = NULL, email = NULL WHERE customer = ?1",
        [&c.reference],
    )
    .map_err(map_err)?;
    // Complaints and the relationship ledger keep counting, under the pseudonym; the audit
    // records of those complaints lose their before/after (they name the customer).
    conn.execute(
        "UPDATE audit_log SET
             before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{\"erased\":true}' END,
             after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{\"erased\":true}' END
         WHERE entity = 'complaint'
           AND entity_id IN (SELECT CAST(id AS TEXT) FROM complaints WHERE customer_ref = ?1)",
        [&c.reference],
    )
    .map_err(map_err)?;
    for sql in [
        "UPDATE complaints SET customer_ref = ?2 WHERE customer_ref = ?1",
        "UPDATE relationship_ledger SET customer_ref = ?2 WHERE customer_ref = ?1",
    ] {
        conn.execute(sql, params![c.reference, format!("erased-{id}")])
            .map_err(map_err)?;
    }
    conn.execute(
        "UPDATE audit_log SET
             before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{\"erased\":true}' END,
             after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{\"erased\":true}' END
         WHERE entity = 'customer' AND entity_id = ?1",
        [id.to_string()],
    )
    .map_err(map_err)?;
    let mut entry = NewAuditEntry::change(
        actor,
        "customer.erase",
        "customer",
        id,
        None::<&()>,
        None::<&()>,
    );
    entry.detail = "identity removed on request; sales and statuses kept".into();
    audit::insert(conn, &entry, now)
}

fn lost_reasons(conn: &Connection) -> StoreResult<Vec<LostReason>> {
    conn.prepare_cached("SELECT key, label_en, label_es, active FROM lost_reasons ORDER BY key")
        .and_then(|mut st| {
            st.query_map([], |r| {
                Ok(LostReason {
                    key: r.get(0)?,
                    label_en: r.get(1)?,
                    label_es: r.get(2)?,
                    active: r.get(3)?,
                })
            })?
            .collect()
        })
        .map_err(map_err)
}

fn save_lost_reason(
    conn: &Connection,
    actor: &Actor,
    r: &LostReason,
    now: DateTime<Utc>,
) -> StoreResult<LostReason> {
    let before = lost_reasons(conn)?.into_iter().find(|x| x.key == r.key);
    conn.execute(
        "INSERT INTO lost_reasons (key, label_en, label_es, active) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET label_en = ?2, label_es = ?3, active = ?4",
        params![r.key, r.label_en, r.label_es, r.active],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "lost_reason.save",
        "lost_reason",
        &r.key,
        before.as_ref(),
        Some(r),
    );
    audit::insert(conn, &entry, now)?;
    Ok(r.clone())
}

#[async_trait]
impl CustomerStore for SqliteStore {
    async fn list_customers(
        &self,
        q: &ListQuery,
        f: &CustomerFilter,
    ) -> StoreResult<Page<Customer>> {
        let (q, f) = (q.clone(), f.clone());
        self.read(move |c| customers::list_customers(c, &q, &f))
            .await
    }
    async fn get_customer(&self, id: i64) -> StoreResult<Customer> {
        self.read(move |c| customer(c, id)).await
    }
    async fn get_customer_by_ref(&self, reference: &str) -> StoreResult<Customer> {
        let reference = reference.to_string();
        self.read(move |c| customer_by_ref(c, &reference)).await
    }
    async fn create_customer(&self, actor: &Actor, f: &CustomerFields) -> StoreResult<Customer> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| customers::create_customer(c, &actor, &f, now))
            .await
    }
    async fn update_customer(
        &self,
        actor: &Actor,
        id: i64,
        f: &CustomerFields,
    ) -> StoreResult<Customer> {
        let (actor, f, now) = (actor.clone(), f.clone(), self.now());
        self.write(move |c| customers::update_customer(c, &actor, id, &f, now))
            .await
    }
    async fn save_customers(
        &self,
        actor: &Actor,
        items: &[CustomerFields],
    ) -> StoreResult<Vec<StoreResult<SaveOutcome>>> {
        let (actor, items, now) = (actor.clone(), items.to_vec(), self.now());
        self.write(move |c| {
            items
                .iter()
                .map(|f| customers::save_one(c, &actor, f, now))
                .collect()
        })
        .await
    }
    async fn set_customer_status(
        &self,
        actor: &Actor,
        id: i64,
        s: &StatusFields,
    ) -> StoreResult<Customer> {
        let (actor, s, now) = (actor.clone(), s.clone(), self.now());
        self.write(move |c| customers::set_status(c, &actor, id, &s, now))
            .await
    }
    async fn status_history(&self, customer_id: i64) -> StoreResult<Vec<StatusChange>> {
        self.read(move |c| customers::history(c, customer_id)).await
    }
    async fn status_counts_at(
        &self,
        at: DateTime<Utc>,
    ) -> StoreResult<BTreeMap<CustomerStatus, i64>> {
        self.read(move |c| status_counts_at(c, at)).await
    }
    async fn lost_counts(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<LostCount>> {
        self.read(move |c| lost_counts(c, from, to)).await
    }
    async fn erase_customer(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let (actor, now) = (actor.clone(), self.now());
        self.write(move |c| erase(c, &actor, id, now)).await
    }
    async fn lost_reasons(&self) -> StoreResult<Vec<LostReason>> {
        self.read(lost_reasons).await
    }
    async fn save_lost_reason(&self, actor: &Actor, r: &LostReason) -> StoreResult<LostReason> {
        let (actor, r, now) = (actor.clone(), r.clone(), self.now());
        self.write(move |c| save_lost_reason(c, &actor, &r, now))
            .await
    }
    async fn record_sales(
        &self,
        actor: &Actor,
        items: &[ValidSale],
    ) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
        let (actor, items, now) = (actor.clone(), items.to_vec(), self.now());
        self.write(move |c| record_sales(c, &actor, &items, now))
            .await
    }
    async fn list_sales(&self, customer_id: i64, q: &ListQuery) -> StoreResult<Page<Sale>> {
        let q = q.clone();
        self.read(move |c| list_sales(c, customer_id, &q)).await
    }
    async fn customer_totals(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
    ) -> StoreResult<Vec<CustomerTotal>> {
        // Three reads run side by side on three reader connections: the customers' order
        // by reference, and the sums of the lower and the upper half of the customer ids
        // (most of the work on a million customers, split over two cores). One snapshot
        // each, so a customer or a sale written between them can be missed by this ranking;
        // the portfolio revision read before it is then older than the data and the next
        // request computes the ranking again.
        let last: i64 = self
            .read(|c| {
                c.query_row("SELECT coalesce(max(id), 0) FROM customers", [], |r| {
                    r.get(0)
                })
                .map_err(map_err)
            })
            .await?;
        let middle = last / 2;
        let (low, high) = (currency.to_string(), currency.to_string());
        let (customers, mut sums, upper) = tokio::try_join!(
            self.read(ref_orders),
            self.read(move |c| period_sums(c, from, to, &low, i64::MIN..=middle)),
            self.read(move |c| period_sums(c, from, to, &high, middle + 1..=i64::MAX)),
        )?;
        sums.extend(upper);
        Ok(merge_sums(customers, sums))
    }
    async fn customer_identities(&self, ids: &[i64]) -> StoreResult<Vec<CustomerIdentity>> {
        let ids = ids.to_vec();
        self.read(move |c| identities(c, &ids)).await
    }
    async fn sales_currencies(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<String>> {
        self.read(move |c| sales_currencies(c, from, to)).await
    }
    async fn portfolio_revision(&self) -> StoreResult<i64> {
        self.read(|c| {
            c.prepare_cached("SELECT n FROM portfolio_revision WHERE id = 1")
                .and_then(|mut st| st.query_row([], |r| r.get(0)))
                .map_err(map_err)
        })
        .await
    }
}

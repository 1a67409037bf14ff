//! Sales, the figures of the portfolio, lost reasons, erasure, and the `CustomerStore` impl.
use crate::{
    PgStore, audit,
    customers::{self, parse_status},
    errors::Db,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Acquire, PgConnection, PgPool, Row};
use std::collections::BTreeMap;
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    feedback::records::SubmitOutcome,
    listing::{ListQuery, Page},
    portfolio::{
        Customer, CustomerFields, CustomerFilter, CustomerIdentity, CustomerStatus, CustomerStore,
        CustomerTotal, LostCount, LostReason, Money, Sale, SaveOutcome, StatusChange, StatusFields,
        ValidSale, customer::default_lost_reasons,
    },
};

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid(ValidationErrors::single(field, message))
}

/// Insert the default lost reasons that are missing; configured ones are left alone.
pub(crate) async fn seed_lost_reasons(pool: &PgPool) -> StoreResult<()> {
    let reasons = default_lost_reasons();
    let col = |f: fn(&LostReason) -> &str| reasons.iter().map(f).collect::<Vec<&str>>();
    sqlx::query(
        "INSERT INTO lost_reasons (key, label_en, label_es) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[]) ON CONFLICT (key) DO NOTHING",
    )
    .bind(col(|r| &r.key))
    .bind(col(|r| &r.label_en))
    .bind(col(|r| &r.label_es))
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

async fn record_sale(
    conn: &mut PgConnection,
    s: &ValidSale,
    now: DateTime<Utc>,
) -> StoreResult<StoreResult<SubmitOutcome>> {
    let customer_id: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE ref = $1")
        .bind(&s.customer_ref)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    let Some(customer_id) = customer_id else {
        return Ok(Err(invalid(
            "customer",
            format!("there is no customer with ref '{}'", s.customer_ref),
        )));
    };
    let service_id: Option<i64> = match &s.service_key {
        None => None,
        Some(key) => {
            let id = sqlx::query_scalar("SELECT id FROM services WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *conn)
                .await
                .db()?;
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
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO sales (customer_id, sale_date, amount, currency, service_id, sale_id, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (sale_id) DO NOTHING RETURNING id",
    )
    .bind(customer_id)
    .bind(s.date)
    .bind(s.amount.minor())
    .bind(&s.currency)
    .bind(service_id)
    .bind(&s.sale_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    if let Some(id) = inserted {
        return Ok(Ok(SubmitOutcome::Created(id)));
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM sales WHERE sale_id = $1")
        .bind(&s.sale_id)
        .fetch_one(&mut *conn)
        .await
        .db()?;
    Ok(Ok(SubmitOutcome::AlreadyExists(id)))
}

async fn erase(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let c = customers::fetch(conn, id, true).await?;
    if c.erased_at.is_some() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE customers SET ref = $2, name = '', email = '', phone = '', lost_note = '', \
         erased_at = $3, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(format!("erased-{id}"))
    .bind(now)
    .execute(&mut *conn)
    .await
    .db()?;
    sqlx::query("UPDATE customer_status_history SET lost_note = '' WHERE customer_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .db()?;
    // Survey answers and invitations name customers by ref.
    for sql in [
        "UPDATE responses SET customer = NULL WHERE customer = $1",
        "UPDATE survey_links SET customer = NULL, email = NULL WHERE customer = $1",
    ] {
        sqlx::query(sql)
            .bind(&c.reference)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    // Complaints and the relationship ledger keep counting, under the pseudonym; the audit
    // records of those complaints lose their before/after (they name the customer).
    sqlx::query(
        "UPDATE audit_log SET \
         before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{\"erased\":true}'::jsonb END, \
         after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{\"erased\":true}'::jsonb END \
         WHERE entity = 'complaint' \
           AND entity_id IN (SELECT id::text FROM complaints WHERE customer_ref = $1)",
    )
    .bind(&c.reference)
    .execute(&mut *conn)
    .await
    .db()?;
    for sql in [
        "UPDATE complaints SET customer_ref = $2 WHERE customer_ref = $1",
        "UPDATE relationship_ledger SET customer_ref = $2 WHERE customer_ref = $1",
    ] {
        sqlx::query(sql)
            .bind(&c.reference)
            .bind(format!("erased-{id}"))
            .execute(&mut *conn)
            .await
            .db()?;
    }
    sqlx::query(
        "UPDATE audit_log SET \
         before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{\"erased\":true}'::jsonb END, \
         after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{\"erased\":true}'::jsonb END \
         WHERE entity = 'customer' AND entity_id = $1",
    )
    .bind(id.to_string())
    .execute(&mut *conn)
    .await
    .db()?;
    let mut entry = NewAuditEntry::change(
        actor,
        "customer.erase",
        "customer",
        id,
        None::<&()>,
        None::<&()>,
    );
    entry.detail = "identity removed on request; sales and statuses kept".into();
    audit::write(conn, now, &entry).await
}

fn reason_row(r: &sqlx::postgres::PgRow) -> Result<LostReason, sqlx::Error> {
    Ok(LostReason {
        key: r.try_get(0)?,
        label_en: r.try_get(1)?,
        label_es: r.try_get(2)?,
        active: r.try_get(3)?,
    })
}

#[async_trait]
impl CustomerStore for PgStore {
    async fn list_customers(
        &self,
        q: &ListQuery,
        f: &CustomerFilter,
    ) -> StoreResult<Page<Customer>> {
        customers::list(&self.pool, q, f).await
    }
    async fn get_customer(&self, id: i64) -> StoreResult<Customer> {
        let mut conn = self.pool.acquire().await.db()?;
        customers::fetch(&mut conn, id, false).await
    }
    async fn get_customer_by_ref(&self, reference: &str) -> StoreResult<Customer> {
        let mut conn = self.pool.acquire().await.db()?;
        customers::fetch_by_ref(&mut conn, reference).await
    }
    async fn create_customer(&self, actor: &Actor, f: &CustomerFields) -> StoreResult<Customer> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let c = customers::create(&mut tx, actor, f, now).await?;
        tx.commit().await.db()?;
        Ok(c)
    }
    async fn update_customer(
        &self,
        actor: &Actor,
        id: i64,
        f: &CustomerFields,
    ) -> StoreResult<Customer> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let c = customers::update(&mut tx, actor, id, f, now).await?;
        tx.commit().await.db()?;
        Ok(c)
    }
    async fn save_customers(
        &self,
        actor: &Actor,
        items: &[CustomerFields],
    ) -> StoreResult<Vec<StoreResult<SaveOutcome>>> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let mut out = Vec::with_capacity(items.len());
        for f in items {
            // A savepoint per item: a failed one leaves no trace and the batch goes on.
            let mut item = tx.begin().await.db()?;
            match customers::save_one(&mut item, actor, f, now).await {
                Ok(o) => {
                    item.commit().await.db()?;
                    out.push(Ok(o));
                }
                Err(e @ (StoreError::Invalid(_) | StoreError::Conflict { .. })) => {
                    item.rollback().await.db()?;
                    out.push(Err(e));
                }
                Err(e) => return Err(e),
            }
        }
        tx.commit().await.db()?;
        Ok(out)
    }
    async fn set_customer_status(
        &self,
        actor: &Actor,
        id: i64,
        s: &StatusFields,
    ) -> StoreResult<Customer> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let c = customers::set_status(&mut tx, actor, id, s, now).await?;
        tx.commit().await.db()?;
        Ok(c)
    }
    async fn status_history(&self, customer_id: i64) -> StoreResult<Vec<StatusChange>> {
        customers::history(&self.pool, customer_id).await
    }
    async fn status_counts_at(
        &self,
        at: DateTime<Utc>,
    ) -> StoreResult<BTreeMap<CustomerStatus, i64>> {
        let rows = sqlx::query(
            "SELECT status, count(*) FROM ( \
                 SELECT DISTINCT ON (customer_id) customer_id, status \
                 FROM customer_status_history WHERE changed_at <= $1 \
                 ORDER BY customer_id, changed_at DESC, id DESC) latest \
             GROUP BY status",
        )
        .bind(at)
        .fetch_all(&self.pool)
        .await
        .db()?;
        let mut out: BTreeMap<CustomerStatus, i64> =
            CustomerStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for r in rows {
            let status = parse_status(r.try_get(0).db()?).db()?;
            out.insert(status, r.try_get(1).db()?);
        }
        Ok(out)
    }
    async fn lost_counts(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<LostCount>> {
        let start = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let end = to
            .succ_opt()
            .unwrap_or(to)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc();
        let rows = sqlx::query(
            "SELECT lost_reason, lost_moment_key, count(DISTINCT customer_id) \
             FROM customer_status_history \
             WHERE status = 'lost' AND changed_at >= $1 AND changed_at < $2 \
             GROUP BY lost_reason, lost_moment_key \
             ORDER BY count(DISTINCT customer_id) DESC, lost_reason COLLATE \"C\", lost_moment_key COLLATE \"C\"",
        )
        .bind(start)
        .bind(end)
        .fetch_all(&self.pool)
        .await
        .db()?;
        rows.iter()
            .map(|r| {
                Ok(LostCount {
                    lost_reason: r.try_get(0)?,
                    lost_moment_key: r.try_get(1)?,
                    customers: r.try_get(2)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .db()
    }
    async fn erase_customer(&self, actor: &Actor, id: i64) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        erase(&mut tx, actor, id, now).await?;
        tx.commit().await.db()
    }
    async fn lost_reasons(&self) -> StoreResult<Vec<LostReason>> {
        let rows = sqlx::query(
            "SELECT key, label_en, label_es, active FROM lost_reasons ORDER BY key COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await
        .db()?;
        rows.iter()
            .map(reason_row)
            .collect::<Result<Vec<_>, _>>()
            .db()
    }
    async fn save_lost_reason(&self, actor: &Actor, r: &LostReason) -> StoreResult<LostReason> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let before = sqlx::query(
            "SELECT key, label_en, label_es, active FROM lost_reasons WHERE key = $1 FOR UPDATE",
        )
        .bind(&r.key)
        .fetch_optional(&mut *tx)
        .await
        .db()?
        .map(|row| reason_row(&row))
        .transpose()
        .db()?;
        sqlx::query(
            "INSERT INTO lost_reasons (key, label_en, label_es, active) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET label_en = $2, label_es = $3, active = $4",
        )
        .bind(&r.key)
        .bind(&r.label_en)
        .bind(&r.label_es)
        .bind(r.active)
        .execute(&mut *tx)
        .await
        .db()?;
        let entry = NewAuditEntry::change(
            actor,
            "lost_reason.save",
            "lost_reason",
            &r.key,
            before.as_ref(),
            Some(r),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(r.clone())
    }
    async fn record_sales(
        &self,
        actor: &Actor,
        items: &[ValidSale],
    ) -> StoreResult<Vec<StoreResult<SubmitOutcome>>> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let mut out = Vec::with_capacity(items.len());
        for s in items {
            out.push(record_sale(&mut tx, s, now).await?);
        }
        let created = out
            .iter()
            .filter(|o| matches!(o, Ok(SubmitOutcome::Created(_))))
            .count();
        let present = out
            .iter()
            .filter(|o| matches!(o, Ok(SubmitOutcome::AlreadyExists(_))))
            .count();
        let detail = serde_json::json!({
            "created": created,
            "already_present": present,
            "rejected": items.len() - created - present,
        });
        audit::write(
            &mut tx,
            now,
            &NewAuditEntry::event(actor, "sales.record", detail.to_string()),
        )
        .await?;
        tx.commit().await.db()?;
        Ok(out)
    }
    async fn list_sales(&self, customer_id: i64, q: &ListQuery) -> StoreResult<Page<Sale>> {
        let q = q.clone().clamped();
        let mut conn = self.pool.acquire().await.db()?;
        customers::fetch(&mut conn, customer_id, false).await?;
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM sales WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_one(&mut *conn)
            .await
            .db()?;
        let rows = sqlx::query(
            "SELECT id, customer_id, sale_date, amount, currency, service_id, sale_id, recorded_at \
             FROM sales WHERE customer_id = $1 ORDER BY sale_date DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(customer_id)
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(Sale {
                    id: r.try_get(0)?,
                    customer_id: r.try_get(1)?,
                    date: r.try_get(2)?,
                    amount: Money::from_minor(r.try_get(3)?),
                    currency: r.try_get(4)?,
                    service_id: r.try_get(5)?,
                    sale_id: r.try_get(6)?,
                    recorded_at: r.try_get(7)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .db()?;
        Ok(Page {
            items,
            total,
            limit: q.limit,
            offset: q.offset,
        })
    }
    async fn customer_totals(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
    ) -> StoreResult<Vec<CustomerTotal>> {
        crate::portfolio_totals::customer_totals(&self.pool, from, to, currency).await
    }
    async fn customer_identities(&self, ids: &[i64]) -> StoreResult<Vec<CustomerIdentity>> {
        let rows = sqlx::query(
            "SELECT id, ref, name, status, segment, site_id FROM customers WHERE id = ANY($1)",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .db()?;
        rows.iter()
            .map(|r| {
                Ok(CustomerIdentity {
                    customer_id: r.try_get(0)?,
                    reference: r.try_get(1)?,
                    name: r.try_get(2)?,
                    status: parse_status(r.try_get(3)?)?,
                    segment: r.try_get(4)?,
                    site_id: r.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .db()
    }
    async fn sales_currencies(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<String>> {
        // A skip scan: one index probe per currency (the next one after the last found)
        // instead of reading every sale of the period to find the few distinct values.
        sqlx::query_scalar(
            "WITH RECURSIVE c AS ( \
                 (SELECT currency FROM sales ORDER BY currency LIMIT 1) \
                 UNION ALL \
                 SELECT (SELECT s.currency FROM sales s WHERE s.currency > c.currency \
                         ORDER BY s.currency LIMIT 1) \
                 FROM c WHERE c.currency IS NOT NULL \
             ) \
             SELECT currency FROM c WHERE currency IS NOT NULL AND EXISTS ( \
                 SELECT 1 FROM sales s \
                 WHERE s.currency = c.currency AND s.sale_date BETWEEN $1 AND $2) \
             ORDER BY currency",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .db()
    }
    async fn portfolio_revision(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT n FROM portfolio_revision WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .db()
    }
}

//! Survey links: anonymous open links and personal single-use invitations.
use crate::{
    PgStore, audit,
    errors::Db,
    feedback_rows::{self as rows, LINK_SELECT},
    surveys, versions,
};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;
use touchpoint_core::{
    StoreError, StoreResult,
    audit::{Actor, NewAuditEntry},
    complaints::AnnounceLink,
    feedback::records::{LinkKind, LinkSurvey, LinkTarget, NewLink, SurveyLink},
    listing::{ListQuery, Page},
};

/// The link, locked for the rest of the transaction when `for_update`.
async fn fetch(conn: &mut PgConnection, id: i64, for_update: bool) -> StoreResult<SurveyLink> {
    let lock = if for_update { " FOR NO KEY UPDATE" } else { "" };
    let row = sqlx::query(&format!("{LINK_SELECT} WHERE s.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("link"))?;
    rows::link(&row).db()
}

/// Insert all links in one statement, audit each (`link.create`), return them in order; in
/// the caller's transaction.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    actor: &Actor,
    survey_id: i64,
    links: &[NewLink],
    now: DateTime<Utc>,
) -> StoreResult<Vec<SurveyLink>> {
    surveys::ensure_exists(&mut *conn, survey_id).await?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let text = |f: fn(&NewLink) -> Option<&str>| links.iter().map(f).collect::<Vec<_>>();
    let ids = |f: fn(&NewLink) -> Option<i64>| links.iter().map(f).collect::<Vec<_>>();
    let sql = format!(
        "WITH s AS (INSERT INTO survey_links \
           (survey_id, kind, token_hash, token, customer, email, language, site_id, \
            staff_id, visit_date, complaint_ref, expires_at, created_at) \
           SELECT $1, u.*, $13 FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::date[], $11::text[], \
             $12::timestamptz[]) AS u \
           RETURNING *) \
         {}, s.token_hash FROM s",
        LINK_SELECT.trim_end_matches(" FROM survey_links s")
    );
    let inserted = sqlx::query(&sql)
        .bind(survey_id)
        .bind(
            links
                .iter()
                .map(|l| rows::link_kind_str(l.kind))
                .collect::<Vec<_>>(),
        )
        .bind(
            links
                .iter()
                .map(|l| l.token_hash.as_str())
                .collect::<Vec<_>>(),
        )
        // A personal invitation's token is never stored, whatever the caller passed.
        .bind(text(|l| match l.kind {
            LinkKind::Open => l.token.as_deref(),
            LinkKind::Personal => None,
        }))
        .bind(text(|l| l.customer.as_deref()))
        .bind(text(|l| l.email.as_deref()))
        .bind(text(|l| l.language.as_deref()))
        .bind(ids(|l| l.site_id))
        .bind(ids(|l| l.staff_id))
        .bind(links.iter().map(|l| l.visit_date).collect::<Vec<_>>())
        .bind(text(|l| l.complaint_ref.as_deref()))
        .bind(
            links
                .iter()
                .map(|l| l.expires_at.map(crate::micros))
                .collect::<Vec<_>>(),
        )
        .bind(now)
        .fetch_all(&mut *conn)
        .await
        .db()?;
    let mut by_hash = HashMap::with_capacity(inserted.len());
    for r in &inserted {
        let hash: String = sqlx::Row::try_get(r, "token_hash").db()?;
        by_hash.insert(hash, rows::link(r).db()?);
    }
    let created = links
        .iter()
        .map(|l| by_hash.remove(&l.token_hash))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| StoreError::backend("inserted link missing"))?;
    let entries: Vec<NewAuditEntry> = created
        .iter()
        .map(|l| {
            NewAuditEntry::change::<SurveyLink, SurveyLink>(
                actor,
                "link.create",
                "link",
                l.id,
                None,
                Some(l),
            )
        })
        .collect();
    audit::write_many(&mut *conn, now, &entries).await?;
    Ok(created)
}

/// [`insert`], then queue what `announce` writes for each link, in the caller's transaction.
pub(crate) async fn insert_announced(
    conn: &mut PgConnection,
    actor: &Actor,
    survey_id: i64,
    links: &[NewLink],
    announce: &AnnounceLink,
    now: DateTime<Utc>,
) -> StoreResult<(Vec<SurveyLink>, usize)> {
    let created = insert(&mut *conn, actor, survey_id, links, now).await?;
    let mut queued = 0;
    for (i, link) in created.iter().enumerate() {
        if let Some(n) = announce(i, link) {
            let fresh = crate::complaint_outbox::enqueue_notification(&mut *conn, &n, now).await?;
            queued += usize::from(fresh);
        }
    }
    Ok((created, queued))
}

/// Deactivate one link (`link.deactivate`), in the caller's transaction.
pub(crate) async fn deactivate(
    conn: &mut PgConnection,
    actor: &Actor,
    link_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = fetch(&mut *conn, link_id, true).await?;
    sqlx::query("UPDATE survey_links SET active = FALSE WHERE id = $1")
        .bind(link_id)
        .execute(&mut *conn)
        .await
        .db()?;
    let after = fetch(&mut *conn, link_id, false).await?;
    let entry = NewAuditEntry::change(
        actor,
        "link.deactivate",
        "link",
        link_id,
        Some(&before),
        Some(&after),
    );
    audit::write(&mut *conn, now, &entry).await
}

/// Deactivate the complaint's invitations to the survey that could still be answered.
pub(crate) async fn retire_for_complaint(
    conn: &mut PgConnection,
    actor: &Actor,
    survey_id: i64,
    reference: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let open: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM survey_links WHERE survey_id = $1 AND complaint_ref = $2 \
         AND active AND answered_at IS NULL ORDER BY id",
    )
    .bind(survey_id)
    .bind(reference)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    for id in open {
        deactivate(&mut *conn, actor, id, now).await?;
    }
    Ok(())
}

impl PgStore {
    /// [`insert`] in a transaction of its own.
    pub(crate) async fn insert_links(
        &self,
        actor: &Actor,
        survey_id: i64,
        links: &[NewLink],
    ) -> StoreResult<Vec<SurveyLink>> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let created = insert(&mut tx, actor, survey_id, links, now).await?;
        tx.commit().await.db()?;
        Ok(created)
    }

    /// [`insert_announced`] in a transaction of its own.
    pub(crate) async fn insert_links_announced(
        &self,
        actor: &Actor,
        survey_id: i64,
        links: &[NewLink],
        announce: &AnnounceLink,
    ) -> StoreResult<(Vec<SurveyLink>, usize)> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let out = insert_announced(&mut tx, actor, survey_id, links, announce, now).await?;
        tx.commit().await.db()?;
        Ok(out)
    }

    /// The link behind `token_hash` with its survey and current version.
    pub(crate) async fn link_target(&self, token_hash: &str) -> StoreResult<LinkTarget> {
        let mut conn = self.pool.acquire().await.db()?;
        let row = sqlx::query(&format!("{LINK_SELECT} WHERE s.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await
            .db()?
            .ok_or(StoreError::not_found("link"))?;
        let link = rows::link(&row).db()?;
        let survey = surveys::fetch(&mut conn, link.survey_id).await?;
        let version = versions::current(&mut conn, link.survey_id).await?;
        Ok(LinkTarget {
            link,
            survey: LinkSurvey::of(survey, version.is_some()),
            version: version.map(std::sync::Arc::new),
        })
    }

    /// Every link of the survey, deactivated ones too, in creation order (`descending`
    /// reverses it); the query's sort and search do not apply to links.
    pub(crate) async fn link_page(
        &self,
        survey_id: i64,
        q: &ListQuery,
    ) -> StoreResult<Page<SurveyLink>> {
        let q = q.clone().clamped();
        let mut conn = self.pool.acquire().await.db()?;
        let total: i64 =
            sqlx::query_scalar("SELECT count(*) FROM survey_links WHERE survey_id = $1")
                .bind(survey_id)
                .fetch_one(&mut *conn)
                .await
                .db()?;
        if total == 0 {
            surveys::ensure_exists(&mut conn, survey_id).await?;
        }
        let dir = if q.descending { "DESC" } else { "ASC" };
        let found = sqlx::query(&format!(
            "{LINK_SELECT} WHERE s.survey_id = $1 ORDER BY s.id {dir} LIMIT $2 OFFSET $3"
        ))
        .bind(survey_id)
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let items = found
            .iter()
            .map(rows::link)
            .collect::<Result<Vec<_>, _>>()
            .db()?;
        Ok(Page {
            items,
            total,
            limit: q.limit,
            offset: q.offset,
        })
    }

    pub(crate) async fn write_link_inactive(&self, actor: &Actor, link_id: i64) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        deactivate(&mut tx, actor, link_id, now).await?;
        tx.commit().await.db()
    }
}

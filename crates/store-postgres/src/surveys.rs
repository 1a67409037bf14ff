//! Surveys: the editable draft and the versions frozen by publishing. Links live in
//! `links.rs`; this module holds the [`SurveyStore`] implementation for both.
use crate::{
    PgStore, audit,
    errors::Db,
    feedback_rows::{self as rows, SURVEY_SELECT, VERSION_SELECT},
    listing::{ListSpec, list_page},
    versions,
};
use async_trait::async_trait;
use sqlx::{PgConnection, types::Json};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    complaints::AnnounceLink,
    feedback::{
        records::{LinkTarget, NewLink, Survey, SurveyLink, SurveyVersion},
        store::SurveyStore,
        survey::ValidSurvey,
    },
    listing::{ListQuery, Page, SortField},
};

/// Sorting by name sorts by the English title.
fn survey_sort(f: SortField) -> &'static str {
    match f {
        SortField::Name => "lower(s.draft->'title'->>'en') COLLATE \"C\"",
        SortField::Key => "s.key COLLATE \"C\"",
        SortField::CreatedAt => "s.created_at",
    }
}

const SURVEYS: ListSpec = ListSpec {
    select: SURVEY_SELECT,
    table: "surveys s",
    active: "s.archived_at IS NULL",
    search: &["s.draft->'title'->>'en'"],
    sort: survey_sort,
};

/// The survey, or `NotFound { entity: "survey" }`.
pub(crate) async fn fetch(conn: &mut PgConnection, id: i64) -> StoreResult<Survey> {
    let row = sqlx::query(&format!("{SURVEY_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("survey"))?;
    rows::survey(&row).db()
}

/// Lock the survey row for the rest of the transaction and return its service id.
/// `FOR NO KEY UPDATE` serialises writers of the survey without blocking the foreign-key
/// checks of concurrent responses and roll-ups.
async fn lock(conn: &mut PgConnection, id: i64) -> StoreResult<Option<i64>> {
    sqlx::query_scalar("SELECT service_id FROM surveys WHERE id = $1 FOR NO KEY UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await
        .db()?
        .ok_or(StoreError::not_found("survey"))
}

/// The id of the service `def.service_key` names; `Invalid` on `service_key` if none does.
async fn service_of(conn: &mut PgConnection, def: &ValidSurvey) -> StoreResult<Option<i64>> {
    let Some(key) = def.service_key.as_deref() else {
        return Ok(None);
    };
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM services WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    id.map(Some).ok_or_else(|| {
        StoreError::Invalid(ValidationErrors::single(
            "service_key",
            format!("no service has the key '{key}'"),
        ))
    })
}

/// `NotFound { entity: "survey" }` unless the survey exists.
pub(crate) async fn ensure_exists(conn: &mut PgConnection, id: i64) -> StoreResult<()> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM surveys WHERE id = $1)")
        .bind(id)
        .fetch_one(conn)
        .await
        .db()?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::not_found("survey"))
    }
}

#[async_trait]
impl SurveyStore for PgStore {
    async fn create_survey(&self, actor: &Actor, def: &ValidSurvey) -> StoreResult<Survey> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let service_id = service_of(&mut tx, def).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO surveys (key, service_id, audience, draft, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(&def.key)
        .bind(service_id)
        .bind(def.audience.as_str())
        .bind(Json(def))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let created = fetch(&mut tx, id).await?;
        let entry = NewAuditEntry::change::<Survey, Survey>(
            actor,
            "survey.create",
            "survey",
            id,
            None,
            Some(&created),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(created)
    }

    async fn update_survey_draft(
        &self,
        actor: &Actor,
        survey_id: i64,
        def: &ValidSurvey,
    ) -> StoreResult<Survey> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        let service_id = lock(&mut tx, survey_id).await?;
        let before = fetch(&mut tx, survey_id).await?;
        if def.key != before.key {
            return Err(StoreError::Invalid(ValidationErrors::single(
                "key",
                "a survey's key cannot change",
            )));
        }
        if service_of(&mut tx, def).await? != service_id {
            return Err(StoreError::Invalid(ValidationErrors::single(
                "service_key",
                "a survey cannot move to another service",
            )));
        }
        sqlx::query("UPDATE surveys SET draft = $2, audience = $3, updated_at = $4 WHERE id = $1")
            .bind(survey_id)
            .bind(Json(def))
            .bind(def.audience.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await
            .db()?;
        let after = fetch(&mut tx, survey_id).await?;
        let entry = NewAuditEntry::change(
            actor,
            "survey.update",
            "survey",
            survey_id,
            Some(&before),
            Some(&after),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(after)
    }

    async fn publish_survey(&self, actor: &Actor, survey_id: i64) -> StoreResult<SurveyVersion> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        // Serialises publishers of this survey on every node, so versions cannot race.
        let service_id = lock(&mut tx, survey_id).await?;
        let survey = fetch(&mut tx, survey_id).await?;
        if !survey.has_unpublished_changes {
            return Err(StoreError::conflict(
                "draft",
                format!(
                    "the draft is already published as version {}",
                    survey.current_version.unwrap_or_default()
                ),
            ));
        }
        let (cycle_version_id, moment_ids) =
            versions::resolve_moments(&mut tx, service_id, &survey.draft).await?;
        let version = survey.current_version.unwrap_or(0) + 1;
        let row = sqlx::query(&format!(
            "WITH v AS (INSERT INTO survey_versions \
               (survey_id, version, definition, cycle_version_id, moment_ids, published_at, \
                published_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *) \
             {} ",
            VERSION_SELECT.replace("FROM survey_versions v", "FROM v")
        ))
        .bind(survey_id)
        .bind(version)
        .bind(Json(&survey.draft))
        .bind(cycle_version_id)
        .bind(Json(&moment_ids))
        .bind(now)
        .bind(&actor.label)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let published = rows::version(&row).db()?;
        let entry = NewAuditEntry::change::<SurveyVersion, SurveyVersion>(
            actor,
            "survey.publish",
            "survey",
            survey_id,
            None,
            Some(&published),
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(published)
    }

    async fn archive_survey(&self, actor: &Actor, survey_id: i64) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await.db()?;
        lock(&mut tx, survey_id).await?;
        let before = fetch(&mut tx, survey_id).await?;
        sqlx::query(
            "UPDATE surveys SET archived_at = COALESCE(archived_at, $2), updated_at = $2 \
             WHERE id = $1",
        )
        .bind(survey_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .db()?;
        let entry = NewAuditEntry::change::<Survey, Survey>(
            actor,
            "survey.archive",
            "survey",
            survey_id,
            Some(&before),
            None,
        );
        audit::write(&mut tx, now, &entry).await?;
        tx.commit().await.db()?;
        Ok(())
    }

    async fn get_survey(&self, survey_id: i64) -> StoreResult<Survey> {
        let mut conn = self.pool.acquire().await.db()?;
        fetch(&mut conn, survey_id).await
    }

    async fn get_survey_by_key(&self, key: &str) -> StoreResult<Survey> {
        let row = sqlx::query(&format!("{SURVEY_SELECT} WHERE s.key = $1"))
            .bind(key.trim())
            .fetch_optional(&self.pool)
            .await
            .db()?
            .ok_or(StoreError::not_found("survey"))?;
        rows::survey(&row).db()
    }

    async fn list_surveys(
        &self,
        q: &ListQuery,
        service_id: Option<i64>,
    ) -> StoreResult<Page<Survey>> {
        let filter = service_id.map(|id| ("s.service_id", id));
        list_page(&self.pool, &SURVEYS, q, filter, rows::survey).await
    }

    async fn survey_version(&self, survey_id: i64, version: i32) -> StoreResult<SurveyVersion> {
        let row = sqlx::query(&format!(
            "{VERSION_SELECT} WHERE v.survey_id = $1 AND v.version = $2"
        ))
        .bind(survey_id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await
        .db()?
        .ok_or(StoreError::not_found("survey_version"))?;
        rows::version(&row).db()
    }

    async fn current_survey_version(&self, survey_id: i64) -> StoreResult<SurveyVersion> {
        let mut conn = self.pool.acquire().await.db()?;
        match versions::current(&mut conn, survey_id).await? {
            Some(v) => Ok(v),
            None => {
                ensure_exists(&mut conn, survey_id).await?;
                Err(StoreError::not_found("survey_version"))
            }
        }
    }

    async fn list_survey_versions(&self, survey_id: i64) -> StoreResult<Vec<SurveyVersion>> {
        let mut conn = self.pool.acquire().await.db()?;
        let found = sqlx::query(&format!(
            "{VERSION_SELECT} WHERE v.survey_id = $1 ORDER BY v.version DESC"
        ))
        .bind(survey_id)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        if found.is_empty() {
            ensure_exists(&mut conn, survey_id).await?;
        }
        found
            .iter()
            .map(rows::version)
            .collect::<Result<Vec<_>, _>>()
            .db()
    }

    async fn create_links(
        &self,
        actor: &Actor,
        survey_id: i64,
        links: &[NewLink],
    ) -> StoreResult<Vec<SurveyLink>> {
        self.insert_links(actor, survey_id, links).await
    }

    async fn create_links_announced(
        &self,
        actor: &Actor,
        survey_id: i64,
        links: &[NewLink],
        announce: AnnounceLink,
    ) -> StoreResult<(Vec<SurveyLink>, usize)> {
        self.insert_links_announced(actor, survey_id, links, &announce)
            .await
    }

    async fn find_link(&self, token_hash: &str) -> StoreResult<LinkTarget> {
        self.link_target(token_hash).await
    }

    async fn list_links(&self, survey_id: i64, q: &ListQuery) -> StoreResult<Page<SurveyLink>> {
        self.link_page(survey_id, q).await
    }

    async fn deactivate_link(&self, actor: &Actor, link_id: i64) -> StoreResult<()> {
        self.write_link_inactive(actor, link_id).await
    }
}

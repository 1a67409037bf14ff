//! Reading survey versions and resolving a draft's moments for publishing.
use crate::{
    errors::Db,
    feedback_rows::{self as rows, VERSION_SELECT},
};
use sqlx::{PgConnection, Row};
use std::collections::{BTreeMap, HashMap};
use touchpoint_core::{
    StoreResult, ValidationErrors,
    feedback::{records::SurveyVersion, survey::ValidSurvey},
};

/// The latest published version, if any.
pub(crate) async fn current(
    conn: &mut PgConnection,
    survey_id: i64,
) -> StoreResult<Option<SurveyVersion>> {
    let row = sqlx::query(&format!(
        "{VERSION_SELECT} WHERE v.survey_id = $1 ORDER BY v.version DESC LIMIT 1"
    ))
    .bind(survey_id)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(rows::version).transpose().db()
}

/// Question code → moment id in the service's current cycle, with that cycle's id.
/// `Invalid` on `questions[i].moment_key` for a moment the current cycle lacks.
pub(crate) async fn resolve_moments(
    conn: &mut PgConnection,
    service_id: Option<i64>,
    def: &ValidSurvey,
) -> StoreResult<(Option<i64>, BTreeMap<String, i64>)> {
    let mut cycle_id = None;
    let mut by_key = HashMap::new();
    if let Some(service_id) = service_id {
        let found = sqlx::query(
            "SELECT c.id AS cycle_id, m.id AS moment_id, m.key FROM cycle_versions c \
             LEFT JOIN moments m ON m.cycle_version_id = c.id \
             WHERE c.id = (SELECT id FROM cycle_versions WHERE service_id = $1 \
                           ORDER BY version DESC LIMIT 1)",
        )
        .bind(service_id)
        .fetch_all(conn)
        .await
        .db()?;
        for r in &found {
            cycle_id = Some(r.try_get::<i64, _>("cycle_id").db()?);
            if let Some(key) = r.try_get::<Option<String>, _>("key").db()? {
                by_key.insert(key, r.try_get::<i64, _>("moment_id").db()?);
            }
        }
    }
    let mut errors = ValidationErrors::new();
    let mut moment_ids = BTreeMap::new();
    for (i, q) in def.questions.iter().enumerate() {
        let Some(key) = q.moment_key.as_deref() else {
            continue;
        };
        match by_key.get(key) {
            Some(id) => {
                moment_ids.insert(q.code.clone(), *id);
            }
            None => errors.push(
                format!("questions[{i}].moment_key"),
                format!("the service's current cycle has no moment '{key}'"),
            ),
        }
    }
    errors
        .into_result((cycle_id, moment_ids))
        .map_err(Into::into)
}

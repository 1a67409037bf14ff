//! Surveys: the editable draft (JSON) and the versions frozen by publishing.
use crate::{
    audit,
    caches::{SurveyCache, SurveyState},
    listing::{ListSpec, list},
    rows::{
        conversion, get_json_as, get_opt_ts, get_parsed, get_ts, map_err, not_found, to_json, ts,
    },
};
use chrono::{DateTime, Utc};
use rusqlite::{
    Connection, OptionalExtension, Row, params,
    types::{Type, Value},
};
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, LazyLock, Mutex},
};
use touchpoint_core::{
    StoreError, StoreResult, ValidationErrors,
    audit::{Actor, NewAuditEntry},
    feedback::{
        ValidSurvey,
        records::{Survey, SurveyVersion},
    },
    listing::{ListQuery, Page},
};

const SELECT: &str = "SELECT s.id, s.key, s.service_id, s.audience, s.draft_json, s.has_changes,
        (SELECT max(v.version) FROM survey_versions v WHERE v.survey_id = s.id),
        s.response_count, s.created_at, s.updated_at, s.archived_at
    FROM surveys s";

const SPEC: ListSpec = ListSpec {
    select: SELECT,
    id: "s.id",
    name: "lower(s.title)",
    key: "s.key",
    created_at: "s.created_at",
    search: &["s.title"],
    active: "s.archived_at IS NULL",
};

/// Drafts parsed before, by survey id, with the JSON text each was parsed from. A draft is
/// parsed again only when its text differs, so this is a pure memo: it can never serve a
/// draft other than the one stored (the answering page reads its survey on every submission).
static DRAFTS: LazyLock<Mutex<HashMap<i64, ParsedDraft>>> = LazyLock::new(Mutex::default);
/// A draft's JSON text and what it parsed to.
type ParsedDraft = (Box<str>, ValidSurvey);
/// Drafts kept at most.
const MAX_DRAFTS: usize = 1024;

fn draft(r: &Row<'_>, idx: usize) -> rusqlite::Result<ValidSurvey> {
    let id: i64 = r.get(0)?;
    let text = r
        .get_ref(idx)?
        .as_str()
        .map_err(|e| conversion(idx, Type::Text, e))?;
    let lock = || DRAFTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((seen, def)) = lock().get(&id)
        && **seen == *text
    {
        return Ok(def.clone());
    }
    let def: ValidSurvey =
        serde_json::from_str(text).map_err(|e| conversion(idx, Type::Text, e))?;
    let mut drafts = lock();
    if drafts.len() >= MAX_DRAFTS {
        drafts.clear();
    }
    drafts.insert(id, (text.into(), def.clone()));
    Ok(def)
}

fn survey(r: &Row<'_>) -> rusqlite::Result<Survey> {
    Ok(Survey {
        id: r.get(0)?,
        key: r.get(1)?,
        service_id: r.get(2)?,
        audience: get_parsed(r, 3)?,
        draft: draft(r, 4)?,
        has_unpublished_changes: r.get(5)?,
        current_version: r.get(6)?,
        response_count: r.get(7)?,
        created_at: get_ts(r, 8)?,
        updated_at: get_ts(r, 9)?,
        archived_at: get_opt_ts(r, 10)?,
    })
}

pub(crate) fn get(conn: &Connection, id: i64) -> StoreResult<Survey> {
    conn.prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))
        .and_then(|mut s| s.query_row([id], survey))
        .map_err(not_found("survey"))
}

pub(crate) fn get_by_key(conn: &Connection, key: &str) -> StoreResult<Survey> {
    conn.prepare_cached(&format!("{SELECT} WHERE s.key = ?1"))
        .and_then(|mut s| s.query_row([key], survey))
        .map_err(not_found("survey"))
}

pub(crate) fn list_surveys(
    conn: &Connection,
    q: &ListQuery,
    service_id: Option<i64>,
) -> StoreResult<Page<Survey>> {
    let extra: Vec<(&'static str, Value)> = service_id
        .map(|id| ("s.service_id = ?", Value::Integer(id)))
        .into_iter()
        .collect();
    list(conn, &SPEC, q, &extra, survey)
}

/// Whether the survey exists (archived or not).
pub(crate) fn exists(conn: &Connection, id: i64) -> StoreResult<bool> {
    conn.prepare_cached("SELECT 1 FROM surveys WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
        .map(|o| o.is_some())
        .map_err(map_err)
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(ValidationErrors::single(field, message))
}

/// The id of the service named by the survey, if it names one.
fn service_id(conn: &Connection, key: Option<&str>) -> StoreResult<Option<i64>> {
    let Some(key) = key else { return Ok(None) };
    conn.query_row("SELECT id FROM services WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
    .map_err(map_err)?
    .map(Some)
    .ok_or_else(|| invalid("service_key", &format!("there is no service '{key}'")))
}

fn english_title(def: &ValidSurvey) -> String {
    def.title.text_for("en", "").to_string()
}

pub(crate) fn create(
    conn: &Connection,
    actor: &Actor,
    def: &ValidSurvey,
    now: DateTime<Utc>,
) -> StoreResult<Survey> {
    let service = service_id(conn, def.service_key.as_deref())?;
    conn.execute(
        "INSERT INTO surveys (key, service_id, audience, title, draft_json, has_changes,
                              created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
        params![
            def.key,
            service,
            def.audience.as_str(),
            english_title(def),
            to_json(def)?,
            ts(now)
        ],
    )
    .map_err(map_err)?;
    let s = get(conn, conn.last_insert_rowid())?;
    let entry = NewAuditEntry::change(
        actor,
        "survey.create",
        "survey",
        s.id,
        None::<&()>,
        Some(&s),
    );
    audit::insert(conn, &entry, now)?;
    Ok(s)
}

pub(crate) fn update_draft(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    def: &ValidSurvey,
    now: DateTime<Utc>,
) -> StoreResult<Survey> {
    let before = get(conn, id)?;
    if def.key != before.key {
        return Err(invalid("key", "the key of a survey cannot change"));
    }
    if def.service_key != before.draft.service_key {
        return Err(invalid(
            "service_key",
            "a survey cannot move to another service; create a new survey instead",
        ));
    }
    let changed = match before.current_version {
        None => true,
        Some(v) => load_version(conn, id, Some(v))?.definition != *def,
    };
    conn.execute(
        "UPDATE surveys SET title = ?2, draft_json = ?3, has_changes = ?4, updated_at = ?5
         WHERE id = ?1",
        params![id, english_title(def), to_json(def)?, changed, ts(now)],
    )
    .map_err(map_err)?;
    let after = get(conn, id)?;
    let entry = NewAuditEntry::change(
        actor,
        "survey.update",
        "survey",
        id,
        Some(&before),
        Some(&after),
    );
    audit::insert(conn, &entry, now)?;
    Ok(after)
}

/// The service's current cycle version and its moment ids by key; `None` without a cycle.
fn current_moments(
    conn: &Connection,
    service_id: i64,
) -> StoreResult<Option<(i64, BTreeMap<String, i64>)>> {
    let cv: Option<i64> = conn
        .query_row(
            "SELECT id FROM cycle_versions WHERE service_id = ?1 ORDER BY version DESC LIMIT 1",
            [service_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(map_err)?;
    let Some(cv) = cv else { return Ok(None) };
    let moments = conn
        .prepare_cached("SELECT key, id FROM moments WHERE cycle_version_id = ?1")
        .and_then(|mut s| {
            s.query_map([cv], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<BTreeMap<String, i64>>>()
        })
        .map_err(map_err)?;
    Ok(Some((cv, moments)))
}

/// Resolve every question's `moment_key` against the service's current cycle.
fn resolve(
    conn: &Connection,
    service_id: Option<i64>,
    def: &ValidSurvey,
) -> StoreResult<(Option<i64>, BTreeMap<String, i64>)> {
    let current = match service_id {
        Some(id) => current_moments(conn, id)?,
        None => None,
    };
    let mut errors = ValidationErrors::new();
    let mut ids = BTreeMap::new();
    for (i, q) in def.questions.iter().enumerate() {
        let Some(key) = &q.moment_key else { continue };
        match current.as_ref().and_then(|(_, m)| m.get(key)) {
            Some(id) => {
                ids.insert(q.code.clone(), *id);
            }
            None => errors.push(
                format!("questions[{i}].moment_key"),
                format!("the service's current cycle has no moment '{key}'"),
            ),
        }
    }
    Ok(errors.into_result((current.map(|(cv, _)| cv), ids))?)
}

pub(crate) fn publish(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<SurveyVersion> {
    let s = get(conn, id)?;
    if !s.has_unpublished_changes {
        return Err(StoreError::conflict(
            "draft",
            "the draft has not changed since the last published version",
        ));
    }
    let (cycle_version_id, moment_ids) = resolve(conn, s.service_id, &s.draft)?;
    let version = s.current_version.unwrap_or(0) + 1;
    conn.execute(
        "INSERT INTO survey_versions (survey_id, version, definition_json, moment_ids_json,
                                      cycle_version_id, published_at, published_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            version,
            to_json(&s.draft)?,
            to_json(&moment_ids)?,
            cycle_version_id,
            ts(now),
            actor.label
        ],
    )
    .map_err(map_err)?;
    conn.execute(
        "UPDATE surveys SET has_changes = 0, updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )
    .map_err(map_err)?;
    let v = load_version(conn, id, Some(version))?;
    let entry = NewAuditEntry::change(actor, "survey.publish", "survey", id, None::<&()>, Some(&v));
    audit::insert(conn, &entry, now)?;
    Ok(v)
}

pub(crate) fn archive(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let before = get(conn, id)?;
    conn.execute(
        "UPDATE surveys SET archived_at = coalesce(archived_at, ?2), updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )
    .map_err(map_err)?;
    let entry = NewAuditEntry::change(
        actor,
        "survey.archive",
        "survey",
        id,
        Some(&before),
        None::<&()>,
    );
    audit::insert(conn, &entry, now)
}

const VERSION_SELECT: &str = "SELECT id, survey_id, version, definition_json, cycle_version_id,
        moment_ids_json, published_at, published_by
    FROM survey_versions";

fn version_row(r: &Row<'_>) -> rusqlite::Result<SurveyVersion> {
    Ok(SurveyVersion {
        id: r.get(0)?,
        survey_id: r.get(1)?,
        version: r.get(2)?,
        definition: get_json_as(r, 3)?,
        cycle_version_id: r.get(4)?,
        moment_ids: get_json_as(r, 5)?,
        published_at: get_ts(r, 6)?,
        published_by: r.get(7)?,
    })
}

/// One version (the latest when `version` is `None`).
pub(crate) fn load_version(
    conn: &Connection,
    survey_id: i64,
    version: Option<i32>,
) -> StoreResult<SurveyVersion> {
    conn.prepare_cached(&format!(
        "{VERSION_SELECT} WHERE survey_id = ?1 AND (?2 IS NULL OR version = ?2)
         ORDER BY version DESC LIMIT 1"
    ))
    .and_then(|mut s| s.query_row(params![survey_id, version], version_row))
    .map_err(not_found("survey_version"))
}

/// The latest version, or `None` if the survey was never published.
pub(crate) fn current_version(
    conn: &Connection,
    survey_id: i64,
) -> StoreResult<Option<SurveyVersion>> {
    match load_version(conn, survey_id, None) {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Newest first.
pub(crate) fn versions(conn: &Connection, survey_id: i64) -> StoreResult<Vec<SurveyVersion>> {
    conn.prepare_cached(&format!(
        "{VERSION_SELECT} WHERE survey_id = ?1 ORDER BY version DESC"
    ))
    .and_then(|mut s| s.query_map([survey_id], version_row)?.collect())
    .map_err(map_err)
}

/// Whether the survey is archived and its latest version, through `cache`
/// (`NotFound { entity: "survey" }` without the survey). `generation` is the cache's, taken
/// before this read transaction's first statement (its snapshot must not predate it).
pub(crate) fn state(
    conn: &Connection,
    cache: &SurveyCache,
    generation: u64,
    id: i64,
) -> StoreResult<SurveyState> {
    if let Some(s) = cache.get(&id) {
        return Ok(s);
    }
    let (archived_at, service_id) = conn
        .prepare_cached("SELECT archived_at, service_id FROM surveys WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| Ok((get_opt_ts(r, 0)?, r.get(1)?))))
        .map_err(not_found("survey"))?;
    let state = SurveyState {
        service_id,
        archived_at,
        version: current_version(conn, id)?.map(Arc::new),
    };
    cache.put(id, generation, state.clone());
    Ok(state)
}

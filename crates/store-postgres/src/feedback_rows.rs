//! Column lists and row mapping for the feedback tables.
use crate::errors::corrupt;
use sqlx::{Row, postgres::PgRow, types::Json};
use touchpoint_core::feedback::{
    AnswerValue, QuestionKind, ValidCompliment, ValidVisit,
    measurement::JudgedMeasurement,
    records::{
        AuditVisit, Compliment, LinkKind, Measurement, ResponseRecord, ResponseSource, RollupPart,
        RollupRow, StoredAnswer, Survey, SurveyLink, SurveyVersion,
    },
    survey::{Audience, ValidSurvey},
};

/// A survey with its latest version number, whether the draft differs from that version
/// (jsonb equality is structural) and its response count. Aliased `s` for the listing.
pub(crate) const SURVEY_SELECT: &str = "SELECT s.id, s.key, s.service_id, s.audience, s.draft, \
     s.created_at, s.updated_at, s.archived_at, lv.version AS current_version, \
     (lv.definition IS DISTINCT FROM s.draft) AS has_unpublished_changes, \
     (SELECT count(*) FROM responses r WHERE r.survey_id = s.id) AS response_count \
     FROM surveys s LEFT JOIN LATERAL ( \
       SELECT v.version, v.definition FROM survey_versions v WHERE v.survey_id = s.id \
       ORDER BY v.version DESC LIMIT 1 \
     ) lv ON TRUE";

pub(crate) const VERSION_SELECT: &str = "SELECT v.id, v.survey_id, v.version, v.definition, \
     v.cycle_version_id, v.moment_ids, v.published_at, v.published_by FROM survey_versions v";

/// Links are aliased `s` so the generic listing can use them.
pub(crate) const LINK_SELECT: &str = "SELECT s.id, s.survey_id, s.kind, s.token, s.customer, \
     s.email, s.language, s.site_id, s.staff_id, s.visit_date, s.complaint_ref, s.expires_at, \
     s.created_at, s.answered_at, s.response_id, s.active FROM survey_links s";

pub(crate) const RESPONSE_SELECT: &str = "SELECT r.id, r.survey_id, v.version AS survey_version, \
     r.source, r.external_id, r.link_id, r.submitted_at, r.received_at, r.customer, r.site_id, \
     r.staff_id, r.language, r.answers \
     FROM responses r JOIN survey_versions v ON v.id = r.survey_version_id";

pub(crate) const ROLLUP_SELECT: &str = "SELECT u.survey_id, u.question_code, u.part, \
     u.moment_id, u.site_id, u.day, u.count, u.sum, u.sum_sq, \
     ARRAY[u.h0, u.h1, u.h2, u.h3, u.h4, u.h5, u.h6, u.h7, u.h8, u.h9, u.h10] AS histogram";

pub(crate) const VISIT_SELECT: &str = "SELECT e.id, e.service_id, e.cycle_version_id, \
     e.auditor_user_id, e.auditor, e.visit, e.recorded_at FROM audit_visits e";

pub(crate) const MEASUREMENT_SELECT: &str = "SELECT e.id, e.service_id, e.site_id, \
     e.external_id, e.judged, e.met, e.recorded_at FROM measurements e";

pub(crate) const COMPLIMENT_SELECT: &str = "SELECT e.id, e.service_id, e.compliment, \
     e.recorded_by, e.recorded_at FROM compliments e";

pub(crate) fn survey(r: &PgRow) -> Result<Survey, sqlx::Error> {
    let audience: String = r.try_get("audience")?;
    let Json(draft): Json<ValidSurvey> = r.try_get("draft")?;
    Ok(Survey {
        id: r.try_get("id")?,
        key: r.try_get("key")?,
        service_id: r.try_get("service_id")?,
        audience: audience
            .parse::<Audience>()
            .map_err(|e| corrupt("audience", e))?,
        draft,
        has_unpublished_changes: r.try_get("has_unpublished_changes")?,
        current_version: r.try_get("current_version")?,
        response_count: r.try_get("response_count")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        archived_at: r.try_get("archived_at")?,
    })
}

pub(crate) fn version(r: &PgRow) -> Result<SurveyVersion, sqlx::Error> {
    let Json(definition): Json<ValidSurvey> = r.try_get("definition")?;
    let Json(moment_ids) = r.try_get("moment_ids")?;
    Ok(SurveyVersion {
        id: r.try_get("id")?,
        survey_id: r.try_get("survey_id")?,
        version: r.try_get("version")?,
        definition,
        cycle_version_id: r.try_get("cycle_version_id")?,
        moment_ids,
        published_at: r.try_get("published_at")?,
        published_by: r.try_get("published_by")?,
    })
}

pub(crate) fn link_kind_str(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Open => "open",
        LinkKind::Personal => "personal",
    }
}

pub(crate) fn link_kind(s: &str) -> Result<LinkKind, sqlx::Error> {
    match s {
        "open" => Ok(LinkKind::Open),
        "personal" => Ok(LinkKind::Personal),
        other => Err(corrupt("link kind", other)),
    }
}

pub(crate) fn link(r: &PgRow) -> Result<SurveyLink, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    Ok(SurveyLink {
        id: r.try_get("id")?,
        survey_id: r.try_get("survey_id")?,
        kind: link_kind(&kind)?,
        token: r.try_get("token")?,
        customer: r.try_get("customer")?,
        email: r.try_get("email")?,
        language: r.try_get("language")?,
        site_id: r.try_get("site_id")?,
        staff_id: r.try_get("staff_id")?,
        visit_date: r.try_get("visit_date")?,
        complaint_ref: r.try_get("complaint_ref")?,
        expires_at: r.try_get("expires_at")?,
        created_at: r.try_get("created_at")?,
        answered_at: r.try_get("answered_at")?,
        response_id: r.try_get("response_id")?,
        active: r.try_get("active")?,
    })
}

fn source(s: &str) -> Result<ResponseSource, sqlx::Error> {
    [
        ResponseSource::Web,
        ResponseSource::Api,
        ResponseSource::Import,
    ]
    .into_iter()
    .find(|v| v.as_str() == s)
    .ok_or_else(|| corrupt("response source", s))
}

/// JSON cannot tell a free-text answer from a single choice (both are strings, and
/// `AnswerValue` is untagged), so the question kind decides.
pub(crate) fn restore_answer_kinds(answers: &mut [StoredAnswer]) {
    for a in answers {
        if a.kind == QuestionKind::Text
            && let AnswerValue::Choice(s) = &mut a.value
        {
            a.value = AnswerValue::Text(std::mem::take(s));
        }
    }
}

pub(crate) fn response(r: &PgRow) -> Result<ResponseRecord, sqlx::Error> {
    let src: String = r.try_get("source")?;
    let Json(mut answers): Json<Vec<StoredAnswer>> = r.try_get("answers")?;
    restore_answer_kinds(&mut answers);
    Ok(ResponseRecord {
        id: r.try_get("id")?,
        survey_id: r.try_get("survey_id")?,
        survey_version: r.try_get("survey_version")?,
        source: source(&src)?,
        external_id: r.try_get("external_id")?,
        link_id: r.try_get("link_id")?,
        submitted_at: r.try_get("submitted_at")?,
        received_at: r.try_get("received_at")?,
        customer: r.try_get("customer")?,
        site_id: r.try_get("site_id")?,
        staff_id: r.try_get("staff_id")?,
        language: r.try_get("language")?,
        answers,
    })
}

pub(crate) fn part_str(p: RollupPart) -> &'static str {
    match p {
        RollupPart::Score => "score",
        RollupPart::Expectation => "expectation",
        RollupPart::Perception => "perception",
    }
}

fn part(s: &str) -> Result<RollupPart, sqlx::Error> {
    [
        RollupPart::Score,
        RollupPart::Expectation,
        RollupPart::Perception,
    ]
    .into_iter()
    .find(|p| part_str(*p) == s)
    .ok_or_else(|| corrupt("roll-up part", s))
}

/// 0 stands for "none" in the roll-up key columns.
fn nonzero(id: i64) -> Option<i64> {
    (id != 0).then_some(id)
}

pub(crate) fn rollup(r: &PgRow) -> Result<RollupRow, sqlx::Error> {
    let p: String = r.try_get("part")?;
    let h: Vec<i64> = r.try_get("histogram")?;
    let histogram: [i64; 11] = h
        .try_into()
        .map_err(|h: Vec<i64>| corrupt("histogram length", h.len()))?;
    Ok(RollupRow {
        survey_id: r.try_get("survey_id")?,
        question_code: r.try_get("question_code")?,
        part: part(&p)?,
        moment_id: nonzero(r.try_get("moment_id")?),
        site_id: nonzero(r.try_get("site_id")?),
        day: r.try_get("day")?,
        count: r.try_get("count")?,
        sum: r.try_get("sum")?,
        sum_sq: r.try_get("sum_sq")?,
        histogram,
    })
}

pub(crate) fn visit(r: &PgRow) -> Result<AuditVisit, sqlx::Error> {
    let Json(visit): Json<ValidVisit> = r.try_get("visit")?;
    Ok(AuditVisit {
        id: r.try_get("id")?,
        service_id: r.try_get("service_id")?,
        cycle_version_id: r.try_get("cycle_version_id")?,
        auditor_user_id: r.try_get("auditor_user_id")?,
        auditor: r.try_get("auditor")?,
        visit,
        recorded_at: r.try_get("recorded_at")?,
    })
}

pub(crate) fn measurement(r: &PgRow) -> Result<Measurement, sqlx::Error> {
    let Json(judged): Json<JudgedMeasurement> = r.try_get("judged")?;
    Ok(Measurement {
        id: r.try_get("id")?,
        service_id: r.try_get("service_id")?,
        site_id: r.try_get("site_id")?,
        external_id: r.try_get("external_id")?,
        judged,
        met: r.try_get("met")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

pub(crate) fn compliment(r: &PgRow) -> Result<Compliment, sqlx::Error> {
    let Json(compliment): Json<ValidCompliment> = r.try_get("compliment")?;
    Ok(Compliment {
        id: r.try_get("id")?,
        service_id: r.try_get("service_id")?,
        compliment,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

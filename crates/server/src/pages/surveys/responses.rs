//! The responses a survey received, newest first, and one response with every answer shown
//! against the question as it was asked (the version the respondent answered).
use super::{Head, chrome, load, texts::SurveyTexts, when};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{Pager, Params},
        render::{ErrorKind, PageError, PageResult, parse_id, render},
    },
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use std::collections::HashMap;
use touchpoint_core::{
    feedback::{AnswerValue, ValidQuestion, records::StoredAnswer},
    listing::{ListQuery, SortField},
};

const RESPONSES_PAGE: u32 = 25;

pub struct ResponseRow {
    pub id: i64,
    pub submitted: String,
    pub source: &'static str,
    pub language: String,
    pub customer: String,
    pub site: String,
    pub version: i32,
    pub answers: usize,
}

#[derive(Template)]
#[template(path = "surveys/responses.html")]
struct ListPage {
    c: Chrome,
    s: &'static SurveyTexts,
    head: Head,
    rows: Vec<ResponseRow>,
    pager: Pager,
}

async fn site_names(state: &AppState) -> HashMap<i64, String> {
    state
        .store
        .list_sites(&ListQuery::all())
        .await
        .map(|p| p.items.into_iter().map(|s| (s.id, s.name)).collect())
        .unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    let survey = load(&state, &c, &id).await?;
    let p = Params::query(uri.query());
    let page_no = p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000);
    let q = ListQuery {
        limit: RESPONSES_PAGE,
        offset: (page_no - 1) * RESPONSES_PAGE,
        sort: SortField::CreatedAt,
        descending: true,
        ..ListQuery::default()
    };
    let page = state
        .store
        .list_responses(survey.id, &q)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let sites = site_names(&state).await;
    let rows = page
        .items
        .iter()
        .map(|r| ResponseRow {
            id: r.id,
            submitted: when(&r.submitted_at),
            source: s.source(r.source),
            language: r.language.clone(),
            customer: r.customer.clone().unwrap_or_default(),
            site: r
                .site_id
                .and_then(|i| sites.get(&i).cloned())
                .unwrap_or_default(),
            version: r.survey_version,
            answers: r.answers.len(),
        })
        .collect();
    let link = |n: u32| format!("/surveys/{}/responses?page={n}", survey.id);
    let first = if page.items.is_empty() {
        0
    } else {
        i64::from(page.offset) + 1
    };
    let last = i64::from(page.offset) + page.items.len() as i64;
    let pager = Pager {
        summary: c
            .t
            .showing
            .replace("{first}", &first.to_string())
            .replace("{last}", &last.to_string())
            .replace("{total}", &page.total.to_string()),
        prev: page.has_previous().then(|| link(page_no - 1)),
        next: page.has_next().then(|| link(page_no + 1)),
    };
    Ok(render(&ListPage {
        head: Head::new(&survey, &c, "responses"),
        rows,
        pager,
        c,
        s,
    }))
}

pub struct AnswerRow {
    pub number: String,
    pub question: String,
    pub code: String,
    pub kind: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "surveys/response.html")]
struct DetailPage {
    c: Chrome,
    s: &'static SurveyTexts,
    head: Head,
    heading: String,
    meta: Vec<(&'static str, String)>,
    answers: Vec<AnswerRow>,
}

/// An answer as a person reads it: a score out of its scale, option labels, the text.
fn show_value(s: &SurveyTexts, q: Option<&ValidQuestion>, a: &StoredAnswer, lang: &str) -> String {
    let label = |code: &str| {
        q.and_then(|q| q.options.iter().find(|o| o.code == code))
            .map_or_else(
                || code.to_string(),
                |o| o.label.text_for(lang, "en").to_string(),
            )
    };
    match &a.value {
        AnswerValue::Score(v) => match a.kind.scale() {
            Some(scale) => format!("{v} / {}", scale.max),
            None => v.to_string(),
        },
        AnswerValue::Servqual {
            expectation,
            perception,
        } => format!(
            "{} {expectation} · {} {perception} ({} {:+})",
            s.expectation,
            s.perception,
            s.gap,
            perception - expectation
        ),
        AnswerValue::Choice(code) => label(code),
        AnswerValue::Choices(codes) => codes
            .iter()
            .map(|c| label(c))
            .collect::<Vec<_>>()
            .join(", "),
        AnswerValue::Text(t) => t.clone(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path((id, response)): Path<(String, String)>,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    let survey = load(&state, &c, &id).await?;
    let rid = parse_id(&c, &response)?;
    let r = state
        .store
        .get_response(rid)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    if r.survey_id != survey.id {
        return Err(PageError::new(&c, ErrorKind::NotFound));
    }
    let def = state
        .store
        .survey_version(survey.id, r.survey_version)
        .await
        .map(|v| v.definition)
        .unwrap_or_else(|_| survey.draft.clone());
    let sites = site_names(&state).await;
    let staff = match r.staff_id {
        Some(sid) => state.store.get_staff(sid).await.map(|m| m.name).ok(),
        None => None,
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let meta = vec![
        (s.submitted, when(&r.submitted_at)),
        (s.received, when(&r.received_at)),
        (s.source, s.source(r.source).to_string()),
        (s.version, r.survey_version.to_string()),
        (s.language, r.language.clone()),
        (s.customer, opt(&r.customer)),
        (
            c.t.site,
            r.site_id
                .and_then(|i| sites.get(&i).cloned())
                .unwrap_or_default(),
        ),
        (c.t.staff, staff.unwrap_or_default()),
        (
            s.via_link,
            r.link_id.map(|l| format!("#{l}")).unwrap_or_default(),
        ),
        (s.external_id, opt(&r.external_id)),
    ];
    let answers = r
        .answers
        .iter()
        .map(|a| {
            let found = def.question(&a.question_code);
            AnswerRow {
                number: found.map(|(i, _)| (i + 1).to_string()).unwrap_or_default(),
                question: found
                    .map(|(_, q)| q.text.text_for(c.code, "en").to_string())
                    .unwrap_or_default(),
                code: a.question_code.clone(),
                kind: s.kind(a.kind),
                value: show_value(s, found.map(|(_, q)| q), a, c.code),
            }
        })
        .collect();
    Ok(render(&DetailPage {
        head: Head::new(&survey, &c, "responses"),
        heading: s.response_n.replace("{n}", &r.id.to_string()),
        meta: meta.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
        answers,
        c,
        s,
    }))
}

//! A survey's overview (its draft's questions in every language, with their moment and
//! dimension), publishing, the version history and the YAML export.
use super::{Head, chrome, flash, load, texts::SurveyTexts, when};
use crate::{
    auth::PageUser,
    i18n::Lang,
    pages::{
        chrome::Chrome,
        forms::Params,
        render::{PageError, PageResult, render, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    extract::{OriginalUri, Path, State},
    http::header,
    response::{IntoResponse, Redirect},
};
use std::collections::HashMap;
use touchpoint_core::{
    StoreError,
    cycle_file::Format,
    feedback::{SurveyDocument, ValidSurvey, records::Survey},
    user::Permission,
};

/// A text in one language, marked with its language for screen readers.
pub struct LangText {
    pub lang: String,
    pub text: String,
}

pub struct QuestionRow {
    pub number: usize,
    pub code: String,
    pub kind: &'static str,
    pub required: bool,
    pub moment: Option<String>,
    pub dimension: Option<String>,
    pub texts: Vec<LangText>,
    /// Each option's code and its labels, `label (en) · label (es)`.
    pub options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "surveys/show.html")]
struct ShowPage {
    c: Chrome,
    s: &'static SurveyTexts,
    head: Head,
    can_manage: bool,
    service: String,
    audience: &'static str,
    languages: String,
    version: String,
    status: &'static str,
    status_label: &'static str,
    responses: i64,
    publish_label: String,
    unchanged: String,
    intro: Vec<LangText>,
    thank_you: Vec<LangText>,
    questions: Vec<QuestionRow>,
}

fn texts(l: &touchpoint_core::feedback::Localized, langs: &[String]) -> Vec<LangText> {
    langs
        .iter()
        .filter_map(|lang| {
            l.get(lang).map(|t| LangText {
                lang: lang.clone(),
                text: t.to_string(),
            })
        })
        .collect()
}

async fn question_rows(
    state: &AppState,
    c: &Chrome,
    survey: &Survey,
    def: &ValidSurvey,
) -> Vec<QuestionRow> {
    let s = super::texts::survey_texts(c.lang);
    let mut moments: HashMap<String, String> = HashMap::new();
    if let Some(service_id) = survey.service_id
        && let Ok(cv) = state.store.current_cycle(service_id).await
    {
        moments = cv.moments.into_iter().map(|m| (m.key, m.name)).collect();
    }
    let dims: HashMap<String, String> = state
        .store
        .list_dimensions()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|d| {
            let name = if c.lang == Lang::Es {
                d.name_es
            } else {
                d.name_en
            };
            (d.key, name)
        })
        .collect();
    def.questions
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionRow {
            number: i + 1,
            code: q.code.clone(),
            kind: s.kind(q.kind),
            required: q.required,
            moment: q.moment_key.as_ref().map(|k| match moments.get(k) {
                Some(name) => format!("{name} ({k})"),
                None => k.clone(),
            }),
            dimension: q
                .dimension
                .as_ref()
                .map(|d| dims.get(d).cloned().unwrap_or_else(|| d.clone())),
            texts: texts(&q.text, &def.languages),
            options: q
                .options
                .iter()
                .map(|o| {
                    let labels: Vec<&str> = def
                        .languages
                        .iter()
                        .filter_map(|l| o.label.get(l))
                        .collect();
                    (o.code.clone(), labels.join(" · "))
                })
                .collect(),
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    let c = c.with_flash(flash(s, &Params::query(uri.query())));
    let survey = load(&state, &c, &id).await?;
    let def = &survey.draft;
    let service = match survey.service_id {
        Some(sid) => state
            .store
            .get_service(sid)
            .await
            .map(|sv| sv.name)
            .unwrap_or_default(),
        None => s.organization.to_string(),
    };
    let (status, status_label) = match (survey.current_version, survey.has_unpublished_changes) {
        (None, _) => ("never", s.never_published),
        (Some(_), true) => ("changed", s.unpublished_changes),
        (Some(_), false) => ("ok", s.up_to_date),
    };
    let current = survey.current_version.unwrap_or(0);
    let page = ShowPage {
        head: Head::new(&survey, &c, "overview"),
        can_manage: pu.user.role.allows(Permission::ManageSurveys),
        service,
        audience: s.audience(survey.audience),
        languages: def.languages.join(", "),
        version: survey
            .current_version
            .map_or_else(|| s.never_published.to_string(), |v| v.to_string()),
        status,
        status_label,
        responses: survey.response_count,
        publish_label: s.publish.replace("{n}", &(current + 1).to_string()),
        unchanged: s.nothing_to_publish.replace("{n}", &current.to_string()),
        intro: texts(&def.intro, &def.languages),
        thank_you: texts(&def.thank_you, &def.languages),
        questions: question_rows(&state, &c, &survey, def).await,
        c,
        s,
    };
    Ok(render(&page))
}

pub async fn publish(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> PageResult {
    let (c, _) = chrome(&pu, &uri);
    require(&state, &pu, &c, Permission::ManageSurveys, uri.path()).await?;
    let survey = load(&state, &c, &id).await?;
    let to = match state.store.publish_survey(&pu.actor(), survey.id).await {
        Ok(v) => format!("/surveys/{}?flash=published&v={}", survey.id, v.version),
        Err(StoreError::Conflict { .. }) => format!(
            "/surveys/{}?flash=unchanged&v={}",
            survey.id,
            survey.current_version.unwrap_or(0)
        ),
        Err(e) => return Err(PageError::store(&c, e)),
    };
    Ok(Redirect::to(&to).into_response())
}

pub struct VersionRow {
    pub number: i32,
    pub current: bool,
    pub published_at: String,
    pub by: String,
    pub questions: usize,
}

#[derive(Template)]
#[template(path = "surveys/versions.html")]
struct VersionsPage {
    c: Chrome,
    s: &'static SurveyTexts,
    head: Head,
    rows: Vec<VersionRow>,
}

pub async fn versions(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    let survey = load(&state, &c, &id).await?;
    let list = state
        .store
        .list_survey_versions(survey.id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let rows = list
        .iter()
        .map(|v| VersionRow {
            number: v.version,
            current: Some(v.version) == survey.current_version,
            published_at: when(&v.published_at),
            by: v.published_by.clone(),
            questions: v.definition.questions.len(),
        })
        .collect();
    Ok(render(&VersionsPage {
        head: Head::new(&survey, &c, "versions"),
        rows,
        c,
        s,
    }))
}

/// The draft as YAML, or `?version=N` for a published version.
pub async fn export_yaml(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> PageResult {
    let (c, _) = chrome(&pu, &uri);
    let survey = load(&state, &c, &id).await?;
    let p = Params::query(uri.query());
    let (def, version, name) = match p.number::<i32>("version") {
        Some(n) => {
            let v = state
                .store
                .survey_version(survey.id, n)
                .await
                .map_err(|e| PageError::store(&c, e))?;
            (v.definition, Some(n), format!("{}-v{n}.yaml", survey.key))
        }
        None => (survey.draft.clone(), None, format!("{}.yaml", survey.key)),
    };
    let text = SurveyDocument::from_survey(&def, version).to_text(Format::Yaml);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/yaml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        text,
    )
        .into_response())
}

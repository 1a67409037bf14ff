//! `/services/{id}/employee-voice`: the employee-survey answers of a period per moment and
//! site, with a "propose as requirement" link beside each written answer.
//! The link opens the requirement form (`/requirements/new`) prefilled with the answer, its
//! moment and site, and the response and question it came from.
use super::{
    texts::{RecognitionTexts, recognition_texts},
    view::dec,
};
use crate::{
    auth::PageUser,
    feedback::scorecard::period,
    pages::{
        chrome::{Chrome, url_encode},
        forms::Params,
        render::{PageError, PageResult, render},
    },
    recognition::voice::load_employee_voice,
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use touchpoint_core::{StoreError, analytics::employee_voice::VoiceText, listing::ListQuery};

pub struct Said {
    pub text: String,
    pub when: String,
    pub propose_href: String,
}

pub struct SiteVoice {
    pub site: String,
    pub score: String,
    pub n: i64,
    pub respondents: i64,
    pub said: Vec<Said>,
    pub more: Option<String>,
}

pub struct MomentVoice {
    pub name: String,
    pub sites: Vec<SiteVoice>,
}

#[derive(Template)]
#[template(path = "recognition/voice.html")]
struct VoicePage {
    c: Chrome,
    r: &'static RecognitionTexts,
    service_id: i64,
    service_name: String,
    from: String,
    to: String,
    sites: Vec<(i64, String, bool)>,
    problem: Option<String>,
    summary: String,
    moments: Vec<MomentVoice>,
}

/// Where a written answer is proposed as a requirement: the requirement form, prefilled, with
/// the response and question it came from so the requirement stays linked to them.
fn propose_href(service: i64, moment: Option<&str>, site: Option<i64>, said: &VoiceText) -> String {
    let mut href = format!(
        "/requirements/new?service={service}&response={}&question={}",
        said.response_id,
        url_encode(&said.question_code)
    );
    if let Some(m) = moment {
        href.push_str(&format!("&moment={}", url_encode(m)));
    }
    if let Some(s) = site {
        href.push_str(&format!("&site={s}"));
    }
    href.push_str(&format!("&text={}", url_encode(&said.text)));
    href
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    Path(id): Path<i64>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let t = recognition_texts(c.lang);
    let store = state.store.as_ref();
    let service = store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let q = Params::query(uri.query());
    let today = state.clock.now().date_naive();
    let date = |name: &str| q.get(name).parse().ok();
    let mut problem = None;
    let p = match period(date("from"), date("to"), today) {
        Ok(p) => p,
        Err(e) => {
            problem = Some(t.voice_period_problem.replace("{message}", &e.to_string()));
            period(None, None, today)
                .map_err(|e| PageError::store(&c, StoreError::Backend(e.to_string())))?
        }
    };
    let all_sites = store
        .list_sites(&ListQuery::all())
        .await
        .map_err(|e| PageError::store(&c, e))?
        .items;
    let site: Option<i64> = q
        .number("site")
        .filter(|s| all_sites.iter().any(|x| x.id == *s));
    let voice = load_employee_voice(store, id, p, site)
        .await
        .map_err(|e| PageError::store(&c, StoreError::Backend(e.to_string())))?;
    let mut moments: Vec<MomentVoice> = Vec::new();
    for g in &voice.groups {
        let name = match &g.group.moment_key {
            Some(_) if !g.moment_name.is_empty() => g.moment_name.clone(),
            Some(k) => k.clone(),
            None => t.voice_general.to_string(),
        };
        let entry = SiteVoice {
            site: if g.site_name.is_empty() {
                t.no_site.to_string()
            } else {
                g.site_name.clone()
            },
            score: g
                .group
                .score
                .map(|x| dec(c.lang, x, 1))
                .unwrap_or_else(|| t.no_evidence.to_string()),
            n: g.group.n,
            respondents: g.group.respondents,
            said: g
                .group
                .texts
                .iter()
                .map(|x| Said {
                    text: x.text.clone(),
                    when: x.submitted_at.format("%Y-%m-%d").to_string(),
                    propose_href: propose_href(
                        id,
                        g.group.moment_key.as_deref(),
                        g.group.site_id,
                        x,
                    ),
                })
                .collect(),
            more: (g.group.texts_total > g.group.texts.len() as i64).then(|| {
                t.voice_more
                    .replace("{shown}", &g.group.texts.len().to_string())
                    .replace("{total}", &g.group.texts_total.to_string())
            }),
        };
        match moments.last_mut() {
            Some(m) if m.name == name => m.sites.push(entry),
            _ => moments.push(MomentVoice {
                name,
                sites: vec![entry],
            }),
        }
    }
    let summary = t
        .voice_summary
        .replace("{responses}", &voice.responses.to_string())
        .replace("{surveys}", &voice.surveys.len().to_string());
    Ok(render(&VoicePage {
        r: t,
        service_id: id,
        service_name: service.name,
        from: p.from.to_string(),
        to: p.to.to_string(),
        sites: all_sites
            .into_iter()
            .map(|s| (s.id, s.name, site == Some(s.id)))
            .collect(),
        problem,
        summary,
        moments,
        c,
    }))
}

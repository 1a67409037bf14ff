//! Recording a mystery-shopper visit: choose the service and site, then mark the checklist of
//! the service's current cycle moment by moment. Core validates the whole visit; on any error
//! nothing is written and the form comes back with every mark kept.
use super::{
    audit_view::{AuditForm, checklist},
    support::{Lookup, Opt, Summary, current_cycle, input_time, localized, parse_input_time},
    texts::{EvidenceTexts, evidence_texts},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::Params,
        render::{ErrorKind, PageError, PageResult, render, render_status, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    StoreError, cycle::CycleVersion, feedback::Checklist, listing::ListQuery, org::Site,
    service::Service, user::Permission,
};

#[derive(Template)]
#[template(path = "evidence/audit_start.html")]
struct StartPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    services: Vec<Opt>,
    sites: Vec<Opt>,
    notice: Option<&'static str>,
    /// The chosen service, for the link to its checklist editor.
    service_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "evidence/audit_form.html")]
struct FormPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    service: Service,
    site: Site,
    version_line: String,
    form: AuditForm,
    summary: Vec<Summary>,
}

/// What the request chose, once checked.
enum Chosen {
    Ready(Box<Ready>),
    Start(Box<StartPage>),
}

struct Ready {
    service: Service,
    site: Site,
    cycle: CycleVersion,
    checklist: Checklist,
}

async fn choose(state: &AppState, c: &Chrome, p: &Params) -> Result<Chosen, PageError> {
    let e = evidence_texts(c.lang);
    let lookup = Lookup::load(state, c).await?;
    let service = p.number::<i64>("service").and_then(|id| lookup.service(id));
    let site = p
        .number::<i64>("site")
        .and_then(|id| lookup.site(id))
        .filter(|s| s.active);
    let mut start = StartPage {
        services: lookup.service_options(service.map(|s| s.id), true),
        sites: lookup.site_options(site.map(|s| s.id)),
        notice: None,
        service_id: service.map(|s| s.id),
        e,
        c: c.clone(),
    };
    if start.services.is_empty() {
        start.notice = Some(e.no_audit_services);
    } else if start.sites.is_empty() {
        start.notice = Some(e.no_sites_yet);
    }
    let Some(service) = service else {
        return Ok(Chosen::Start(Box::new(start)));
    };
    let Some(cycle) = current_cycle(state, c, service.id).await? else {
        start.notice = Some(e.no_cycle_for_audit);
        return Ok(Chosen::Start(Box::new(start)));
    };
    let Some(site) = site else {
        return Ok(Chosen::Start(Box::new(start)));
    };
    let extra = state
        .store
        .checklist_items(service.id)
        .await
        .map_err(|e| PageError::store(c, e))?;
    let Ok(checklist) = checklist(&cycle, &extra) else {
        start.notice = Some(e.checklist_broken);
        return Ok(Chosen::Start(Box::new(start)));
    };
    Ok(Chosen::Ready(Box::new(Ready {
        service: service.clone(),
        site: site.clone(),
        cycle,
        checklist,
    })))
}

async fn form_page(
    state: &AppState,
    c: &Chrome,
    ready: Ready,
    p: &Params,
) -> Result<FormPage, PageError> {
    let e = evidence_texts(c.lang);
    let staff = state
        .store
        .list_staff(&ListQuery::all(), Some(ready.site.id))
        .await
        .map_err(|err| PageError::store(c, err))?
        .items
        .into_iter()
        .filter(|s| s.active)
        .collect::<Vec<_>>();
    Ok(FormPage {
        version_line: e
            .checklist_of_version
            .replace("{n}", &ready.cycle.version.to_string()),
        form: AuditForm::new(&ready.checklist, &staff, p),
        service: ready.service,
        site: ready.site,
        summary: Vec::new(),
        e,
        c: c.clone(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "audits", &uri.to_string());
    require(&state, &pu, &c, Permission::RecordAudit, "GET /audits/new").await?;
    let p = Params::query(uri.query());
    match choose(&state, &c, &p).await? {
        Chosen::Start(page) => Ok(render(&*page)),
        Chosen::Ready(ready) => {
            let mut page = form_page(&state, &c, *ready, &Params::default()).await?;
            page.form.visited_at = input_time(&state.clock.now());
            Ok(render(&page))
        }
    }
}

pub async fn submit(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "audits", &uri.to_string());
    require(&state, &pu, &c, Permission::RecordAudit, "POST /audits").await?;
    let e = evidence_texts(c.lang);
    let p = Params::parse(&body);
    let ready = match choose(&state, &c, &p).await? {
        Chosen::Ready(ready) => *ready,
        Chosen::Start(mut page) => {
            if page.service_id.is_none() {
                return Err(PageError::new(&c, ErrorKind::NotFound));
            }
            page.notice = page.notice.or(Some(e.err_site));
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &*page));
        }
    };
    let (service_id, site_id) = (ready.service.id, ready.site.id);
    let cycle_version_id = ready.checklist.cycle_version_id;
    let checklist = ready.checklist.clone();
    let mut page = form_page(&state, &c, ready, &p).await?;
    let now = state.clock.now();
    let parsed = parse_input_time(&page.form.visited_at);
    let draft = page.form.draft(site_id, parsed.unwrap_or(now));
    let mut errors = match draft.validate(&checklist, now) {
        Ok(valid) if parsed.is_some() => {
            match state
                .store
                .record_visit(&pu.actor(), service_id, cycle_version_id, &valid)
                .await
            {
                Ok(v) => {
                    let to = format!("/audits/{}?flash=saved", v.id);
                    return Ok(Redirect::to(&to).into_response());
                }
                Err(StoreError::Invalid(v)) => localized(c.lang, &v),
                Err(other) => return Err(PageError::store(&c, other)),
            }
        }
        Ok(_) => Vec::new(),
        Err(v) => localized(c.lang, &v),
    };
    if parsed.is_none() {
        errors.push(("visited_at".into(), e.err_time.into()));
    }
    page.summary = page.form.place_errors(e, &errors);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

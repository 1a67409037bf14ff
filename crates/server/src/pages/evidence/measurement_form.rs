//! Recording one measurement: pick a standard of the service's current cycle (moment and
//! metric), the site, when it was observed and the value; core judges it against every
//! standard on that metric before it is stored.
use super::{
    support::{
        Lookup, Opt, Summary, current_cycle, input_time, localized, parse_input_time, parse_num,
        sentence,
    },
    texts::{EvidenceTexts, evidence_texts},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{FieldErrors, Params},
        render::{PageError, PageResult, render, render_status, require},
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
    StoreError,
    cycle::CycleVersion,
    feedback::{MeasurementDraft, records::NewMeasurement},
    service::Service,
    user::Permission,
};

#[derive(Template)]
#[template(path = "evidence/measurement_form.html")]
struct FormPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    /// Offered when no service is chosen yet.
    services: Vec<Opt>,
    service: Option<Service>,
    notice: Option<&'static str>,
    standards: Vec<Opt>,
    sites: Vec<Opt>,
    observed_at: String,
    value: String,
    errors: FieldErrors,
    summary: Vec<Summary>,
}

/// One option per moment and metric: `3. Answer the phone — rings <= 3 rings`.
fn standard_options(cycle: &CycleVersion, selected: &str) -> Vec<Opt> {
    let mut out = Vec::new();
    for m in &cycle.moments {
        let mut metrics: Vec<&str> = Vec::new();
        for s in &m.standards {
            if !metrics.contains(&s.metric.as_str()) {
                metrics.push(&s.metric);
            }
        }
        for metric in metrics {
            let rules: Vec<String> = m
                .standards
                .iter()
                .filter(|s| s.metric == metric)
                .map(ToString::to_string)
                .collect();
            let value = format!("{}/{metric}", m.key);
            let label = format!("{}. {} — {}", m.position, m.name, rules.join(" · "));
            let chosen = value == selected;
            out.push(Opt::new(value, label, chosen));
        }
    }
    out
}

async fn page(
    state: &AppState,
    c: &Chrome,
    p: &Params,
) -> Result<(FormPage, Option<CycleVersion>), PageError> {
    let e = evidence_texts(c.lang);
    let lookup = Lookup::load(state, c).await?;
    let service = p
        .number::<i64>("service")
        .and_then(|id| lookup.service(id))
        .cloned();
    let cycle = match &service {
        Some(s) => current_cycle(state, c, s.id).await?,
        None => None,
    };
    let standards = cycle
        .as_ref()
        .map_or(Vec::new(), |cv| standard_options(cv, p.get("standard")));
    let notice = match (&service, &cycle) {
        (Some(_), None) => Some(e.no_cycle_for_audit),
        (Some(_), Some(_)) if standards.is_empty() => Some(e.no_standards_in_cycle),
        _ => None,
    };
    let ready = cycle.is_some() && !standards.is_empty();
    let page = FormPage {
        services: if ready {
            Vec::new()
        } else {
            lookup.service_options(service.as_ref().map(|s| s.id), true)
        },
        service: service.filter(|_| ready),
        notice,
        standards,
        sites: lookup.site_options(p.number("site")),
        observed_at: p.get("observed_at").to_string(),
        value: p.get("value").to_string(),
        errors: FieldErrors::default(),
        summary: Vec::new(),
        e,
        c: c.clone(),
    };
    Ok((page, cycle.filter(|_| ready)))
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "measurements", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::RecordFeedback,
        "GET /measurements/new",
    )
    .await?;
    let (mut page, _) = page(&state, &c, &Params::query(uri.query())).await?;
    page.observed_at = input_time(&state.clock.now());
    Ok(render(&page))
}

pub async fn submit(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "measurements", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::RecordFeedback,
        "POST /measurements",
    )
    .await?;
    let e = evidence_texts(c.lang);
    let p = Params::parse(&body);
    let (mut page, cycle) = page(&state, &c, &p).await?;
    let (Some(cycle), Some(service)) = (cycle, page.service.clone()) else {
        page.notice = page.notice.or(Some(e.err_service));
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let standard = p.get("standard").split_once('/');
    if standard.is_none() {
        errors.push(("standard".into(), e.err_standard.into()));
    }
    let site = match p.number::<i64>("site") {
        Some(id) => match state.store.get_site(id).await {
            Ok(s) => Some(s),
            Err(StoreError::NotFound { .. }) => None,
            Err(x) => return Err(PageError::store(&c, x)),
        },
        None => None,
    };
    if site.is_none() {
        errors.push(("site".into(), e.err_site.into()));
    }
    let observed_at = parse_input_time(&page.observed_at);
    if observed_at.is_none() {
        errors.push(("observed_at".into(), e.err_time.into()));
    }
    let value = parse_num(&page.value);
    if value.is_none() {
        errors.push(("value".into(), e.err_number.into()));
    }
    if let (Some((moment_key, metric)), Some(site), Some(observed_at), Some(value)) =
        (standard, &site, observed_at, value)
    {
        let draft = MeasurementDraft {
            moment_key: moment_key.to_string(),
            metric: metric.to_string(),
            site_key: site.key.clone(),
            observed_at,
            value,
        };
        let judged = draft.judge(&cycle, state.clock.now());
        let outcome = match judged {
            Ok(judged) => {
                let met = judged.met();
                let item = NewMeasurement {
                    service_id: service.id,
                    site_id: site.id,
                    external_id: None,
                    judged,
                };
                match state.store.record_measurements(&pu.actor(), &[item]).await {
                    Ok(_) => {
                        let flash = if met { "met" } else { "not_met" };
                        let to = format!("/measurements?service={}&flash={flash}", service.id);
                        return Ok(Redirect::to(&to).into_response());
                    }
                    Err(StoreError::Invalid(v)) => v,
                    Err(x) => return Err(PageError::store(&c, x)),
                }
            }
            Err(v) => v,
        };
        for (field, msg) in localized(c.lang, &outcome) {
            let field = match field.as_str() {
                "moment_key" | "metric" => "standard",
                "site_key" | "site_id" => "site",
                "observed_at" => "observed_at",
                _ => "value",
            };
            errors.push((field.to_string(), msg));
        }
    }
    page.summary = errors
        .iter()
        .map(|(field, msg)| {
            let (href, label) = match field.as_str() {
                "standard" => ("#m-standard", e.standard_measured),
                "site" => ("#m-site", c.t.site),
                "observed_at" => ("#m-observed-at", e.observed_at_label),
                _ => ("#m-value", e.value),
            };
            Summary {
                href: href.into(),
                text: sentence(label, msg),
            }
        })
        .collect();
    page.errors = FieldErrors(errors);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

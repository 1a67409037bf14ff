//! Registering a complaint: the customer, the channel, the site, the moment of truth of a
//! service's current cycle, the quality dimension, what happened, what they ask for, how bad
//! it is and when it came in. On success the customer's status link is shown once: only its
//! SHA-256 is stored, so it cannot be shown again.
use super::{
    support::{Cycles, Group, People, localized},
    texts::{ComplaintTexts, complaint_texts},
};
use crate::{
    auth::{
        PageUser,
        secrets::{random_secret, sha256_hex},
    },
    i18n::Lang,
    pages::{
        chrome::Chrome,
        evidence::support::{Lookup, Opt, Summary, input_time, parse_input_time, sentence},
        forms::{FieldErrors, Params},
        render::{PageError, PageResult, render, render_status, require},
        surveys::links::base_url,
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::{HeaderMap, StatusCode},
};
use touchpoint_core::{
    StoreError,
    channel::Channel,
    complaints::{ComplaintInput, Severity},
    user::Permission,
};

#[derive(Template)]
#[template(path = "complaints/new.html")]
struct FormPage {
    c: Chrome,
    k: &'static ComplaintTexts,
    moments: Vec<Group>,
    sites: Vec<Opt>,
    channels: Vec<Opt>,
    dimensions: Vec<Opt>,
    severities: Vec<Opt>,
    assignees: Vec<Opt>,
    customer: String,
    received_at: String,
    description: String,
    remedy: String,
    errors: FieldErrors,
    summary: Vec<Summary>,
}

#[derive(Template)]
#[template(path = "complaints/created.html")]
struct CreatedPage {
    c: Chrome,
    k: &'static ComplaintTexts,
    title: String,
    id: i64,
    url: String,
}

async fn page(
    state: &AppState,
    c: &Chrome,
    p: &Params,
) -> Result<(FormPage, Lookup, Cycles), PageError> {
    let k = complaint_texts(c.lang);
    let lookup = Lookup::load(state, c).await?;
    let cycles = Cycles::load(state, c, &lookup).await?;
    let people = People::load(state, c).await?;
    let dims = state
        .store
        .list_dimensions()
        .await
        .map_err(|e| PageError::store(c, e))?;
    let channel = p.opt("channel").unwrap_or_else(|| "phone".into());
    let severity = p.opt("severity").unwrap_or_else(|| "medium".into());
    let dimension = p.get("dimension");
    let page = FormPage {
        moments: cycles.groups(p.get("about"), true),
        sites: lookup.site_options(p.number("site")),
        channels: Channel::ALL
            .iter()
            .map(|ch| Opt::new(ch.as_str(), c.t.channel(*ch), ch.as_str() == channel))
            .collect(),
        dimensions: dims
            .iter()
            .map(|d| {
                let name = if c.lang == Lang::Es {
                    &d.name_es
                } else {
                    &d.name_en
                };
                Opt::new(&d.key, name.clone(), d.key == dimension)
            })
            .collect(),
        severities: Severity::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), k.severity(*s), s.as_str() == severity))
            .collect(),
        assignees: people.assignee_options(p.number("assignee")),
        customer: p.get("customer").to_string(),
        received_at: p.get("received_at").to_string(),
        description: p.get("description").to_string(),
        remedy: p.get("remedy").to_string(),
        errors: FieldErrors::default(),
        summary: Vec::new(),
        k,
        c: c.clone(),
    };
    Ok((page, lookup, cycles))
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "complaints", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::HandleComplaints,
        "GET /complaints/new",
    )
    .await?;
    let (mut page, _, _) = page(&state, &c, &Params::query(uri.query())).await?;
    page.received_at = input_time(&state.clock.now());
    Ok(render(&page))
}

pub async fn submit(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "complaints", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::HandleComplaints,
        "POST /complaints",
    )
    .await?;
    let k = complaint_texts(c.lang);
    let p = Params::parse(&body);
    let (mut page, _, cycles) = page(&state, &c, &p).await?;
    let (service_key, moment_key) = match p.get("about").split_once('/') {
        Some((s, m)) => (Some(s.to_string()), Some(m.to_string())),
        None => (None, None),
    };
    let now = state.clock.now();
    let received_at = parse_input_time(&page.received_at);
    let input = ComplaintInput {
        customer_ref: page.customer.clone(),
        channel: p.get("channel").to_string(),
        site_id: p.number("site"),
        service_key: service_key.clone(),
        moment_key,
        dimension_key: p.opt("dimension"),
        description: page.description.clone(),
        remedy_requested: page.remedy.clone(),
        severity: p.get("severity").to_string(),
        assignee_id: p.number("assignee"),
        received_at: received_at.unwrap_or(now),
    };
    let dims = state
        .store
        .list_dimensions()
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let cycle = cycles.of(service_key.as_deref());
    let mut errors = match input.validate(cycle, &dims, now) {
        Ok(valid) if received_at.is_some() => {
            let token = random_secret();
            match state
                .store
                .create_complaint(&pu.actor(), &valid, &sha256_hex(&token))
                .await
            {
                Ok(created) => {
                    let url = format!("{}/c/{token}", base_url(&state, &headers));
                    return Ok(render_status(
                        StatusCode::CREATED,
                        &CreatedPage {
                            title: k.created_title.replace("{ref}", &created.reference),
                            id: created.id,
                            url,
                            k,
                            c,
                        },
                    ));
                }
                Err(StoreError::Invalid(v)) => localized(c.lang, &v),
                Err(x) => return Err(PageError::store(&c, x)),
            }
        }
        Ok(_) => Vec::new(),
        Err(v) => localized(c.lang, &v),
    };
    if received_at.is_none() {
        errors.push(("received_at".into(), k.err_time.into()));
    }
    let errors: Vec<(String, String)> = errors
        .into_iter()
        .map(|(field, msg)| {
            let field = match field.as_str() {
                "customer_ref" => "customer",
                "service_key" | "moment_key" => "about",
                "site_id" => "site",
                "dimension_key" => "dimension",
                "remedy_requested" => "remedy",
                "assignee_id" => "assignee",
                other => other,
            };
            (field.to_string(), msg)
        })
        .collect();
    page.summary = errors
        .iter()
        .map(|(field, msg)| {
            let label = match field.as_str() {
                "customer" => k.customer,
                "channel" => c.t.channel_label,
                "site" => c.t.site,
                "about" => k.moment_where,
                "dimension" => k.dimension,
                "remedy" => k.remedy,
                "severity" => k.severity,
                "assignee" => k.assignee,
                "received_at" => k.received_at_label,
                _ => k.description,
            };
            let known = [
                "customer",
                "channel",
                "site",
                "about",
                "dimension",
                "remedy",
                "severity",
                "assignee",
                "received_at",
            ];
            let anchor = if known.contains(&field.as_str()) {
                field.replace('_', "-")
            } else {
                "description".into()
            };
            Summary {
                href: format!("#n-{anchor}"),
                text: sentence(label, msg),
            }
        })
        .collect();
    page.errors = FieldErrors(errors);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

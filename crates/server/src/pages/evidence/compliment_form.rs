//! Recording a compliment: about a moment of a service's current cycle, a staff member, or
//! both; with the site, the customer, the channel it came through and when it was received.
use super::{
    support::{
        Lookup, Opt, Summary, current_cycle, input_time, localized, parse_input_time, sentence,
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
use touchpoint_core::{StoreError, channel::Channel, feedback::ComplimentDraft, user::Permission};

/// The moments of one service, for an `<optgroup>`.
pub struct Group {
    pub label: String,
    pub options: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "evidence/compliment_form.html")]
struct FormPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    moments: Vec<Group>,
    staff: Vec<Opt>,
    sites: Vec<Opt>,
    channels: Vec<Opt>,
    customer: String,
    received_at: String,
    text: String,
    errors: FieldErrors,
    summary: Vec<Summary>,
}

async fn page(state: &AppState, c: &Chrome, p: &Params) -> Result<(FormPage, Lookup), PageError> {
    let e = evidence_texts(c.lang);
    let lookup = Lookup::load(state, c).await?;
    let about = p.get("about");
    let mut moments = Vec::new();
    for s in lookup
        .services
        .iter()
        .filter(|s| s.current_version.is_some())
    {
        if let Some(cv) = current_cycle(state, c, s.id).await? {
            let options = cv
                .moments
                .iter()
                .map(|m| {
                    let value = format!("{}/{}", s.key, m.key);
                    let chosen = value == about;
                    Opt::new(value, format!("{}. {}", m.position, m.name), chosen)
                })
                .collect();
            moments.push(Group {
                label: s.name.clone(),
                options,
            });
        }
    }
    let channel = p.opt("channel").unwrap_or_else(|| "in_person".into());
    let page = FormPage {
        moments,
        staff: lookup.staff_options(p.number("staff")),
        sites: lookup.site_options(p.number("site")),
        channels: Channel::ALL
            .iter()
            .map(|ch| Opt::new(ch.as_str(), c.t.channel(*ch), ch.as_str() == channel))
            .collect(),
        customer: p.get("customer").to_string(),
        received_at: p.get("received_at").to_string(),
        text: p.get("text").to_string(),
        errors: FieldErrors::default(),
        summary: Vec::new(),
        e,
        c: c.clone(),
    };
    Ok((page, lookup))
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "compliments", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::RecordFeedback,
        "GET /compliments/new",
    )
    .await?;
    let (mut page, _) = page(&state, &c, &Params::query(uri.query())).await?;
    page.received_at = input_time(&state.clock.now());
    Ok(render(&page))
}

pub async fn submit(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "compliments", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::RecordFeedback,
        "POST /compliments",
    )
    .await?;
    let e = evidence_texts(c.lang);
    let p = Params::parse(&body);
    let (mut page, lookup) = page(&state, &c, &p).await?;
    let (service_key, moment_key) = match p.get("about").split_once('/') {
        Some((s, m)) => (Some(s.to_string()), Some(m.to_string())),
        None => (None, None),
    };
    let service = service_key
        .as_deref()
        .and_then(|k| lookup.services.iter().find(|s| s.key == k));
    let cycle = match service {
        Some(s) => current_cycle(&state, &c, s.id).await?,
        None => None,
    };
    let now = state.clock.now();
    let received_at = parse_input_time(&page.received_at);
    let draft = ComplimentDraft {
        service_key,
        moment_key,
        staff_id: p.number("staff"),
        site_id: p.number("site"),
        customer: p.opt("customer"),
        text: page.text.clone(),
        received_at: received_at.unwrap_or(now),
        channel: p.get("channel").to_string(),
    };
    let mut errors = match draft.validate(cycle.as_ref(), now) {
        Ok(valid) if received_at.is_some() => {
            let service_id = service.map(|s| s.id);
            match state
                .store
                .record_compliment(&pu.actor(), service_id, &valid)
                .await
            {
                Ok(_) => return Ok(Redirect::to("/compliments?flash=recorded").into_response()),
                Err(StoreError::Invalid(v)) => localized(c.lang, &v),
                Err(x) => return Err(PageError::store(&c, x)),
            }
        }
        Ok(_) => Vec::new(),
        Err(v) => localized(c.lang, &v),
    };
    if received_at.is_none() {
        errors.push(("received_at".into(), e.err_time.into()));
    }
    let errors: Vec<(String, String)> = errors
        .into_iter()
        .map(|(field, msg)| {
            let field = match field.as_str() {
                "service_key" | "moment_key" => "about",
                "staff_id" => "staff",
                "site_id" => "site",
                other => other,
            };
            (field.to_string(), msg)
        })
        .collect();
    page.summary = errors
        .iter()
        .map(|(field, msg)| {
            let (href, label) = match field.as_str() {
                "about" => ("#c-about", e.about_moment),
                "staff" => ("#c-staff", e.about_staff),
                "site" => ("#c-site", c.t.site),
                "customer" => ("#c-customer", e.customer),
                "channel" => ("#c-channel", c.t.channel_label),
                "received_at" => ("#c-received-at", e.received_at_label),
                _ => ("#c-text", e.what_they_said),
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

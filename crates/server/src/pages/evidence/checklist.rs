//! The audit checklist of a service: each moment's standards (read-only here, they belong to
//! the cycle) followed by free items, edited as one textarea per moment, one item per line.
use super::{
    messages::localize,
    support::{Summary, current_cycle, sentence},
    texts::{EvidenceTexts, evidence_texts},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::Params,
        render::{PageError, PageResult, parse_id, render, render_status, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use std::collections::BTreeMap;
use touchpoint_core::{
    cycle::CycleVersion, feedback::Checklist, service::Service, user::Permission,
};

pub struct MomentItems {
    pub key: String,
    pub name: String,
    pub position: i32,
    pub critical: bool,
    pub standards: Vec<String>,
    pub items: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "evidence/checklist.html")]
struct ChecklistPage {
    c: Chrome,
    e: &'static EvidenceTexts,
    service: Service,
    has_cycle: bool,
    moments: Vec<MomentItems>,
    summary: Vec<Summary>,
}

fn views(cycle: Option<&CycleVersion>, items: &BTreeMap<String, Vec<String>>) -> Vec<MomentItems> {
    cycle.map_or(Vec::new(), |cv| {
        cv.moments
            .iter()
            .map(|m| MomentItems {
                key: m.key.clone(),
                name: m.name.clone(),
                position: m.position,
                critical: m.critical,
                standards: m
                    .standards
                    .iter()
                    .map(|s| {
                        if s.description.is_empty() {
                            s.to_string()
                        } else {
                            format!("{} ({s})", s.description)
                        }
                    })
                    .collect(),
                items: items.get(&m.key).map_or(String::new(), |v| v.join("\n")),
                errors: Vec::new(),
            })
            .collect()
    })
}

async fn load(
    state: &AppState,
    pu: &PageUser,
    uri: &axum::http::Uri,
    raw: &str,
    what: &str,
) -> Result<(Chrome, Service, Option<CycleVersion>), PageError> {
    let c = Chrome::for_user(pu, "audits", &uri.to_string());
    let id = parse_id(&c, raw)?;
    require(
        state,
        pu,
        &c,
        Permission::RecordAudit,
        &format!("{what} {id}"),
    )
    .await?;
    let service = state
        .store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let cycle = current_cycle(state, &c, id).await?;
    Ok((c, service, cycle))
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let (c, service, cycle) = load(&state, &pu, &uri, &raw, "GET checklist of service").await?;
    let e = evidence_texts(c.lang);
    let p = Params::query(uri.query());
    let c = c
        .clone()
        .with_flash((p.get("flash") == "saved").then(|| e.flash_checklist_saved.to_string()));
    let items = state
        .store
        .checklist_items(service.id)
        .await
        .map_err(|x| PageError::store(&c, x))?;
    Ok(render(&ChecklistPage {
        has_cycle: cycle.is_some(),
        moments: views(cycle.as_ref(), &items),
        summary: Vec::new(),
        service,
        e,
        c,
    }))
}

pub async fn submit(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let (c, service, cycle) = load(&state, &pu, &uri, &raw, "POST checklist of service").await?;
    let e = evidence_texts(c.lang);
    let Some(cycle) = cycle else {
        return Ok(Redirect::to(&format!("/services/{}/checklist", service.id)).into_response());
    };
    let p = Params::parse(&body);
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &cycle.moments {
        let lines: Vec<String> = p
            .get(&format!("items.{}", m.key))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        wanted.insert(m.key.clone(), lines);
    }
    let store_err = |x| PageError::store(&c, x);
    match Checklist::from_cycle(&cycle, &wanted) {
        Ok(_) => {
            let before = state
                .store
                .checklist_items(service.id)
                .await
                .map_err(store_err)?;
            for (key, items) in &wanted {
                if before.get(key).map_or(&[][..], Vec::as_slice) != items.as_slice() {
                    state
                        .store
                        .set_checklist_items(&pu.actor(), service.id, key, items)
                        .await
                        .map_err(store_err)?;
                }
            }
            let to = format!("/services/{}/checklist?flash=saved", service.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(errors) => {
            let mut moments = views(Some(&cycle), &BTreeMap::new());
            for m in &mut moments {
                m.items = p.get(&format!("items.{}", m.key)).to_string();
            }
            let mut summary = Vec::new();
            for f in &errors.0 {
                let msg = localize(c.lang, &f.message);
                let rest = f.field.strip_prefix("extra_items.").unwrap_or(&f.field);
                let (key, line) = match rest.split_once('[') {
                    Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
                    None => (rest, None),
                };
                let msg = match line {
                    Some(i) => format!("{}: {msg}", e.line_n.replace("{n}", &(i + 1).to_string())),
                    None => msg,
                };
                if let Some(m) = moments.iter_mut().find(|m| m.key == key) {
                    summary.push(Summary {
                        href: format!("#items-{key}"),
                        text: sentence(&format!("{}. {}", m.position, m.name), &msg),
                    });
                    m.errors.push(msg);
                }
            }
            let page = ChecklistPage {
                has_cycle: true,
                moments,
                summary,
                service,
                e,
                c,
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

//! The cycle editor, without JavaScript: every button submits the whole draft. Only
//! `publish` writes anything, and only when core accepts the draft.
mod form;

use super::{
    chrome::Chrome,
    forms::{Params, flash},
    render::{PageError, PageResult, parse_id, render, render_status, require},
};
use crate::{auth::PageUser, state::AppState};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use form::{Action, MomentForm, SummaryItem};
use touchpoint_core::{StoreError, service::Service, user::Permission};

#[derive(Template)]
#[template(path = "editor.html")]
struct EditorPage {
    c: Chrome,
    service: Service,
    /// The version the draft started from (empty when none); guards against lost updates.
    base_version: String,
    note: String,
    note_error: Option<String>,
    moments: Vec<MomentForm>,
    summary: Vec<SummaryItem>,
}

impl EditorPage {
    fn options(&self, m: &MomentForm) -> Vec<form::ChannelOption> {
        m.channel_options(self.c.t)
    }

    fn intro(&self) -> String {
        if self.base_version.is_empty() {
            self.c.t.editor_intro_new.to_string()
        } else {
            self.c.t.editor_intro.replace("{n}", &self.base_version)
        }
    }
}

async fn setup(
    state: &AppState,
    pu: &PageUser,
    raw: &str,
    uri: &axum::http::Uri,
) -> Result<(Chrome, Service), PageError> {
    let c = Chrome::for_user(pu, "services", &uri.to_string());
    let id = parse_id(&c, raw)?;
    require(
        state,
        pu,
        &c,
        Permission::ManageCatalog,
        &format!("editor of service {id}"),
    )
    .await?;
    let service = state
        .store
        .get_service(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    Ok((c, service))
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let (c, service) = setup(&state, &pu, &raw, &uri).await?;
    let c = c
        .clone()
        .with_flash(flash(c.t, &Params::query(uri.query())));
    let moments = match state.store.current_cycle(service.id).await {
        Ok(cv) => cv
            .to_draft()
            .moments
            .iter()
            .map(MomentForm::from_draft)
            .collect(),
        Err(StoreError::NotFound { .. }) => vec![MomentForm::default()],
        Err(e) => return Err(PageError::store(&c, e)),
    };
    Ok(render(&EditorPage {
        base_version: service
            .current_version
            .map(|v| v.to_string())
            .unwrap_or_default(),
        service,
        note: String::new(),
        note_error: None,
        moments,
        summary: Vec::new(),
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
    let (c, service) = setup(&state, &pu, &raw, &uri).await?;
    let p = Params::parse(&body);
    let mut moments = form::parse_moments(&p);
    let note = p.get("note").to_string();
    let mut base_version = p.get("base_version").trim().to_string();
    let action = Action::parse(p.get("action"));
    let page = |moments, summary, note_error, base_version| EditorPage {
        c: c.clone(),
        service: service.clone(),
        base_version,
        note: note.clone(),
        note_error,
        moments,
        summary,
    };
    if action != Action::Publish {
        form::apply(&mut moments, &action);
        return Ok(render(&page(moments, Vec::new(), None, base_version)));
    }
    let t = c.t;
    let (draft, line_errors) = form::to_draft(t, &mut moments, &note);
    let top = match draft.validate() {
        Ok(valid) if !line_errors => {
            let current = service
                .current_version
                .map(|v| v.to_string())
                .unwrap_or_default();
            if current == base_version {
                let cv = state
                    .store
                    .publish_cycle(&pu.actor(), service.id, &valid)
                    .await
                    .map_err(|e| PageError::store(&c, e))?;
                let to = format!("/services/{}?flash=published&v={}", service.id, cv.version);
                return Ok(Redirect::to(&to).into_response());
            }
            base_version = current.clone();
            vec![(
                "moments".to_string(),
                t.edit_conflict.replace("{n}", &current),
            )]
        }
        Ok(_) => Vec::new(),
        Err(e) => form::place_errors(c.lang, &mut moments, &e),
    };
    let note_error = top
        .iter()
        .find(|(f, _)| f == "note")
        .map(|(_, m)| m.clone());
    let summary = form::summary(t, &moments, &top);
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(moments, summary, note_error, base_version),
    ))
}

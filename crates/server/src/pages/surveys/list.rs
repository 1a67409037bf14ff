//! `/surveys`: every survey with its service, audience, version and response count; sorting,
//! search and pages; and (for managers) the two ways to create one.
use super::{Problem, chrome, flash, pick, texts::SurveyTexts};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::{Listing, Pager, Params, SortLink},
        render::{PageError, PageResult, render},
    },
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, State};
use std::collections::HashMap;
use touchpoint_core::{
    listing::{ListQuery, SortField},
    user::Permission,
};

pub struct SurveyRow {
    pub id: i64,
    pub title: String,
    pub key: String,
    pub service: String,
    pub audience: &'static str,
    pub version: String,
    /// `never`, `changed` or `ok`.
    pub status: &'static str,
    pub status_label: &'static str,
    pub responses: i64,
    pub created: String,
}

pub struct ServiceOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// What a failed create gives back to the form.
#[derive(Default)]
pub struct CreateForm {
    pub template: String,
    pub service_id: String,
    pub document: String,
    pub template_errors: Vec<Problem>,
    pub document_errors: Vec<Problem>,
}

#[derive(Template)]
#[template(path = "surveys/list.html")]
pub struct ListPage {
    c: Chrome,
    s: &'static SurveyTexts,
    can_manage: bool,
    rows: Vec<SurveyRow>,
    sort_title: SortLink,
    sort_key: SortLink,
    sort_created: SortLink,
    pager: Pager,
    search: String,
    services: Vec<ServiceOption>,
    form: CreateForm,
}

pub async fn page(
    state: &AppState,
    c: Chrome,
    s: &'static SurveyTexts,
    l: &Listing,
    form: CreateForm,
    can_manage: bool,
) -> Result<ListPage, PageError> {
    let store_err = |e| PageError::store(&c, e);
    let surveys = state
        .store
        .list_surveys(&l.query(), None)
        .await
        .map_err(store_err)?;
    let all = state
        .store
        .list_services(&ListQuery::all())
        .await
        .map_err(store_err)?;
    let names: HashMap<i64, String> = all.items.iter().map(|s| (s.id, s.name.clone())).collect();
    let rows = surveys
        .items
        .iter()
        .map(|sv| {
            let (status, status_label) = match (sv.current_version, sv.has_unpublished_changes) {
                (None, _) => ("never", s.never_published),
                (Some(_), true) => ("changed", s.unpublished_changes),
                (Some(_), false) => ("ok", s.up_to_date),
            };
            SurveyRow {
                id: sv.id,
                title: pick(&sv.draft.title, &c),
                key: sv.key.clone(),
                service: sv
                    .service_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_else(|| s.organization.to_string()),
                audience: s.audience(sv.audience),
                version: sv
                    .current_version
                    .map_or_else(|| "—".to_string(), |v| v.to_string()),
                status,
                status_label,
                responses: sv.response_count,
                created: sv.created_at.format("%Y-%m-%d").to_string(),
            }
        })
        .collect();
    let active = ListQuery {
        include_inactive: false,
        ..ListQuery::all()
    };
    let active = state
        .store
        .list_services(&active)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let services = active
        .items
        .iter()
        .map(|sv| ServiceOption {
            id: sv.id,
            name: sv.name.clone(),
            selected: form.service_id == sv.id.to_string(),
        })
        .collect();
    let t = c.t;
    Ok(ListPage {
        s,
        can_manage,
        rows,
        sort_title: l.sort_link(s.title, SortField::Name),
        sort_key: l.sort_link(t.key, SortField::Key),
        sort_created: l.sort_link(t.created, SortField::CreatedAt),
        pager: l.pager(t, &surveys),
        search: l.search.clone(),
        services,
        form,
        c,
    })
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let p = Params::query(uri.query());
    let (c, s) = chrome(&pu, &uri);
    let c = c.with_flash(flash(s, &p));
    let l = Listing::from_params("/surveys", &p);
    let can_manage = pu.user.role.allows(Permission::ManageSurveys);
    let page = page(&state, c, s, &l, CreateForm::default(), can_manage).await?;
    Ok(render(&page))
}

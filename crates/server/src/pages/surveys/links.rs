//! A survey's open links and personal invitations: their state (active, answered, expired,
//! inactive), and deactivating them (creating them is in `invite`). An invitation's URL is
//! shown once, in the page that answers its creation; only the hash of its token is stored.
use super::{Head, chrome, flash, load, texts::SurveyTexts, when};
use crate::{
    auth::PageUser,
    feedback::{LinkRefusal, link_refusal, link_url},
    pages::{
        chrome::Chrome,
        forms::{FieldErrors, Pager, Params},
        render::{PageError, PageResult, parse_id, render_status, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    extract::{OriginalUri, Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect},
};
use chrono::NaiveDate;
use std::collections::HashMap;
use touchpoint_core::{
    feedback::records::{LinkKind, Survey, SurveyLink},
    listing::{ListQuery, SortField},
    user::Permission,
};

const LINKS_PAGE: u32 = 25;

pub struct LinkRow {
    pub id: i64,
    pub open: bool,
    pub url: Option<String>,
    pub who: String,
    pub language: String,
    pub site: String,
    pub staff: String,
    pub visit_date: String,
    pub expires: String,
    /// `active`, `answered`, `expired` or `inactive`.
    pub status: &'static str,
    pub status_label: &'static str,
    pub response_id: Option<i64>,
    pub created: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What the invitation form gives back after a refusal.
#[derive(Default)]
pub struct InvitationForm {
    pub customer: String,
    pub email: String,
    pub language: String,
    pub site_id: String,
    pub staff_id: String,
    pub visit_date: String,
    pub expires: String,
    pub complaint_ref: String,
    /// Email the link to `email` (queued, sent by the scheduler).
    pub send_email: bool,
}

#[derive(Template)]
#[template(path = "surveys/links.html")]
pub(super) struct LinksPage {
    c: Chrome,
    s: &'static SurveyTexts,
    head: Head,
    can_manage: bool,
    published: bool,
    rows: Vec<LinkRow>,
    pager: Pager,
    /// The link just created: its URL and whether it is a personal invitation.
    created: Option<(String, bool)>,
    /// The address the new invitation's email was queued to.
    emailed: Option<String>,
    languages: Vec<String>,
    sites: Vec<Choice>,
    staff: Vec<Choice>,
    open_expires: String,
    open_errors: FieldErrors,
    form: InvitationForm,
    errors: FieldErrors,
}

/// Where respondents reach the site: the configured public origin, else this request's host.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &state.config.public_base_url {
        return base.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub(super) struct Extra {
    /// Origin of the answering links (see [`base_url`]).
    pub base: String,
    pub created: Option<(String, bool)>,
    pub emailed: Option<String>,
    pub open_expires: String,
    pub open_errors: FieldErrors,
    pub form: InvitationForm,
    pub errors: FieldErrors,
}

pub(super) async fn page(
    state: &AppState,
    pu: &PageUser,
    c: Chrome,
    s: &'static SurveyTexts,
    survey: &Survey,
    p: &Params,
    extra: Extra,
) -> Result<LinksPage, PageError> {
    let base = extra.base.as_str();
    let store_err = |e| PageError::store(&c, e);
    let page_no = p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000);
    let q = ListQuery {
        limit: LINKS_PAGE,
        offset: (page_no - 1) * LINKS_PAGE,
        sort: SortField::CreatedAt,
        descending: true,
        ..ListQuery::default()
    };
    let links = state
        .store
        .list_links(survey.id, &q)
        .await
        .map_err(store_err)?;
    let sites = state
        .store
        .list_sites(&ListQuery::all())
        .await
        .map_err(store_err)?;
    let staff = state
        .store
        .list_staff(&ListQuery::all(), None)
        .await
        .map_err(store_err)?;
    let site_names: HashMap<i64, String> =
        sites.items.iter().map(|x| (x.id, x.name.clone())).collect();
    let staff_names: HashMap<i64, String> =
        staff.items.iter().map(|x| (x.id, x.name.clone())).collect();
    let now = state.clock.now();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = links
        .items
        .iter()
        .map(|l: &SurveyLink| {
            let (status, status_label) = match link_refusal(l, now) {
                None => ("active", s.st_active),
                Some(LinkRefusal::Answered) => ("answered", s.st_answered),
                Some(LinkRefusal::Expired) => ("expired", s.st_expired),
                Some(LinkRefusal::Inactive) => ("inactive", s.st_inactive),
            };
            let open = l.kind == LinkKind::Open;
            let who = [
                l.customer.as_deref(),
                l.email.as_deref(),
                l.complaint_ref.as_deref(),
            ];
            LinkRow {
                id: l.id,
                open,
                url: l.token.as_deref().map(|t| format!("{base}{}", link_url(t))),
                who: who.into_iter().flatten().collect::<Vec<_>>().join(" · "),
                language: l.language.clone().unwrap_or_default(),
                site: l
                    .site_id
                    .and_then(|i| site_names.get(&i).cloned())
                    .unwrap_or_default(),
                staff: l
                    .staff_id
                    .and_then(|i| staff_names.get(&i).cloned())
                    .unwrap_or_default(),
                visit_date: day(l.visit_date),
                expires: l.expires_at.as_ref().map(when).unwrap_or_default(),
                status,
                status_label,
                response_id: l.response_id,
                created: when(&l.created_at),
            }
        })
        .collect();
    let link = |n: u32| format!("/surveys/{}/links?page={n}", survey.id);
    let shown = i64::from(links.offset) + links.items.len() as i64;
    let first = if links.items.is_empty() {
        0
    } else {
        i64::from(links.offset) + 1
    };
    let pager = Pager {
        summary: c
            .t
            .showing
            .replace("{first}", &first.to_string())
            .replace("{last}", &shown.to_string())
            .replace("{total}", &links.total.to_string()),
        prev: links.has_previous().then(|| link(page_no - 1)),
        next: links.has_next().then(|| link(page_no + 1)),
    };
    let choice = |id: i64, name: &str| Choice {
        value: id.to_string(),
        label: name.to_string(),
    };
    Ok(LinksPage {
        head: Head::new(survey, &c, "links"),
        can_manage: pu.user.role.allows(Permission::ManageSurveys),
        published: survey.current_version.is_some(),
        rows,
        pager,
        created: extra.created,
        emailed: extra.emailed,
        languages: survey.draft.languages.clone(),
        sites: sites
            .items
            .iter()
            .filter(|x| x.active)
            .map(|x| choice(x.id, &x.name))
            .collect(),
        staff: staff
            .items
            .iter()
            .filter(|x| x.active)
            .map(|x| choice(x.id, &x.name))
            .collect(),
        open_expires: extra.open_expires,
        open_errors: extra.open_errors,
        form: extra.form,
        errors: extra.errors,
        c,
        s,
    })
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    let p = Params::query(uri.query());
    let c = c.with_flash(flash(s, &p));
    let survey = load(&state, &c, &id).await?;
    let extra = Extra {
        base: base_url(&state, &headers),
        created: None,
        emailed: None,
        open_expires: String::new(),
        open_errors: FieldErrors::default(),
        form: InvitationForm::default(),
        errors: FieldErrors::default(),
    };
    let page = page(&state, &pu, c, s, &survey, &p, extra).await?;
    Ok(render_status(StatusCode::OK, &page))
}

pub async fn deactivate(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path((id, link)): Path<(String, String)>,
) -> PageResult {
    let (c, _) = chrome(&pu, &uri);
    require(&state, &pu, &c, Permission::ManageSurveys, uri.path()).await?;
    let survey = load(&state, &c, &id).await?;
    let link = parse_id(&c, &link)?;
    state
        .store
        .deactivate_link(&pu.actor(), link)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let to = format!("/surveys/{}/links?flash=deactivated", survey.id);
    Ok(Redirect::to(&to).into_response())
}

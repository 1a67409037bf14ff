//! Ways into a survey: anonymous open links and personal, single-use invitations.
use super::{
    extract::{ApiPath, ApiQuery, Caller, IdPath},
    json::ApiJson,
    needs::ManageSurveys,
    paging::Paged,
    responses::PageParams,
};
use crate::{
    error::{AppError, Problem},
    feedback::{InvitationDraft, invitation_mail, known_site, known_staff, link_url, open_link},
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use touchpoint_core::{
    ValidationErrors,
    feedback::records::{LinkKind, NewLink, Survey, SurveyLink},
};
use utoipa::ToSchema;

/// Most invitations one call may create.
pub const MAX_INVITATIONS: usize = 1000;

/// A link just created. For an invitation this is the only time its token is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedLink {
    /// Where the customer answers: `/s/{token}`, relative to this server's address.
    pub url: String,
    #[serde(flatten)]
    pub link: SurveyLink,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOpenLink {
    /// Only `open` here; personal invitations are made with `POST /surveys/{id}/invitations`.
    pub kind: LinkKind,
    /// When the link stops accepting answers.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitations {
    /// One entry per customer, at most 1000.
    pub invitations: Vec<InvitationDraft>,
    /// Email each invitation that has an `email` its link (queued, sent by the scheduler).
    /// Needs `smtp_url` and `public_base_url` in the configuration; refused on this field
    /// otherwise. Default `false`: the URLs in the answer are for the caller to deliver.
    #[serde(default)]
    pub send_email: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitations {
    /// In request order, each with its `url` (shown only now: only a hash of the token is kept).
    pub invitations: Vec<CreatedLink>,
    /// Emails queued (with `send_email`: one per invitation with an address).
    pub emails_queued: usize,
}

/// The links and invitations of a survey, oldest first.
///
/// Invitation tokens are never shown again; open links keep theirs in `token`.
#[utoipa::path(
    get, path = "/surveys/{id}/links", tag = "links",
    params(("id" = i64, Path, description = "Survey id"), PageParams),
    responses(
        (status = 200, description = "One page of links", body = Paged<SurveyLink>),
        (status = 400, description = "A malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_links(
    State(state): State<AppState>,
    _caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<ApiJson<Paged<SurveyLink>>, AppError> {
    state.store.get_survey(p.id).await?;
    let links = state.store.list_links(p.id, &page.to_query()).await?;
    Ok(ApiJson(links.into()))
}

/// Create an anonymous open link.
///
/// Anyone with the link may answer, any number of times, until it expires or is deactivated.
#[utoipa::path(
    post, path = "/surveys/{id}/links", tag = "links",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = NewOpenLink,
    responses(
        (status = 201, description = "The link and its URL", body = CreatedLink),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an open link, or an expiry in the past", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_link(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<NewOpenLink>,
) -> Result<(StatusCode, ApiJson<CreatedLink>), AppError> {
    live_survey(&state, p.id).await?;
    if input.kind != LinkKind::Open {
        return Err(AppError::invalid(
            "kind",
            "only open links are made here; send invitations to POST /surveys/{id}/invitations",
        ));
    }
    let (token, link) = open_link(input.expires_at, state.clock.now())?;
    let mut made = create(&state, &caller, p.id, vec![(token, link)]).await?;
    Ok((StatusCode::CREATED, ApiJson(made.remove(0))))
}

/// Create personal invitations, one per customer.
///
/// Each carries its own random token (256 bits) and accepts one answer; a second submission is
/// refused with 409. The tokens are returned only in this answer.
#[utoipa::path(
    post, path = "/surveys/{id}/invitations", tag = "links",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = NewInvitations,
    responses(
        (status = 201, description = "The invitations and their URLs", body = CreatedInvitations),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey is archived", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid invitations, each named, e.g. `invitations[3].email`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_invitations(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
    ApiJson(input): ApiJson<NewInvitations>,
) -> Result<(StatusCode, ApiJson<CreatedInvitations>), AppError> {
    let survey = live_survey(&state, p.id).await?;
    let n = input.invitations.len();
    if n == 0 || n > MAX_INVITATIONS {
        return Err(AppError::invalid(
            "invitations",
            format!("send 1 to {MAX_INVITATIONS} invitations per call"),
        ));
    }
    let (now, store) = (state.clock.now(), state.store.as_ref());
    let mut errors = ValidationErrors::new();
    if input.send_email
        && let Some(e) = invitation_mail::cannot_send(&state, "send_email")
    {
        errors.extend(e);
    }
    let mut links = Vec::with_capacity(n);
    for (i, inv) in input.invitations.iter().enumerate() {
        let prefix = format!("invitations[{i}].");
        let mut refs = ValidationErrors::new();
        if let Some(id) = inv.site_id.filter(|id| *id > 0) {
            known_site(store, &mut refs, "site_id", id).await?;
        }
        if let Some(id) = inv.staff_id.filter(|id| *id > 0) {
            known_staff(store, &mut refs, "staff_id", id).await?;
        }
        errors.extend(refs.prefixed(&prefix));
        match inv.to_new_link(&survey.draft.languages, now) {
            Ok(made) => links.push(made),
            Err(e) => errors.extend(e.prefixed(&prefix)),
        }
    }
    errors.into_result(())?;
    let (stored, emails_queued) =
        invitation_mail::create(&state, &caller.actor(), &survey, links, input.send_email).await?;
    let invitations = stored
        .into_iter()
        .map(|(token, link)| CreatedLink {
            url: link_url(&token),
            link,
        })
        .collect();
    Ok((
        StatusCode::CREATED,
        ApiJson(CreatedInvitations {
            invitations,
            emails_queued,
        }),
    ))
}

/// Deactivate a link or invitation: it stops accepting answers at once.
#[utoipa::path(
    delete, path = "/links/{id}", tag = "links",
    params(("id" = i64, Path, description = "Link id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 403, description = "The role may not manage surveys", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such link", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn deactivate_link(
    State(state): State<AppState>,
    caller: Caller<ManageSurveys>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<StatusCode, AppError> {
    state.store.deactivate_link(&caller.actor(), p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The survey, unless it is archived (409).
async fn live_survey(state: &AppState, id: i64) -> Result<Survey, AppError> {
    let survey = state.store.get_survey(id).await?;
    if survey.archived_at.is_some() {
        return Err(AppError::Conflict {
            field: "survey".into(),
            message: "the survey is archived".into(),
        });
    }
    Ok(survey)
}

/// Store the links and pair each with its URL.
async fn create(
    state: &AppState,
    caller: &Caller<ManageSurveys>,
    survey_id: i64,
    made: Vec<(String, NewLink)>,
) -> Result<Vec<CreatedLink>, AppError> {
    let (tokens, links): (Vec<String>, Vec<NewLink>) = made.into_iter().unzip();
    let stored = state
        .store
        .create_links(&caller.actor(), survey_id, &links)
        .await?;
    Ok(tokens
        .iter()
        .zip(stored)
        .map(|(token, link)| CreatedLink {
            url: link_url(token),
            link,
        })
        .collect())
}

//! `POST /surveys/{id}/links`: a new open link (`kind=open`) or personal invitation
//! (`kind=personal`), checked by the rules the API shares. The page that answers shows the new
//! URL once; refusals come back next to their fields.
use super::{
    chrome,
    links::{Extra, InvitationForm, base_url, page},
    load,
    texts::SurveyTexts,
};
use crate::{
    auth::PageUser,
    feedback::{InvitationDraft, invitation_mail, known_site, known_staff, link_url, open_link},
    pages::{
        forms::{FieldErrors, Params},
        render::{ErrorKind, PageError, PageResult, render_status, require},
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::{HeaderMap, StatusCode},
};
use chrono::{DateTime, NaiveDate, Utc};
use touchpoint_core::{ValidationErrors, feedback::records::NewLink, user::Permission};

/// An optional `YYYY-MM-DD`; a bad one is an error on `field`.
fn date(errors: &mut ValidationErrors, s: &SurveyTexts, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| errors.push(field, s.bad_date))
        .ok()
}

/// A link expires when its last day ends (UTC).
fn end_of(day: Option<NaiveDate>) -> Option<DateTime<Utc>> {
    day.and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn id_field(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let (c, s) = chrome(&pu, &uri);
    require(&state, &pu, &c, Permission::ManageSurveys, uri.path()).await?;
    let survey = load(&state, &c, &id).await?;
    let p = Params::parse(&body);
    let now = state.clock.now();
    let mut extra = Extra {
        base: base_url(&state, &headers),
        created: None,
        emailed: None,
        open_expires: p.get("open_expires").to_string(),
        open_errors: FieldErrors::default(),
        form: InvitationForm::default(),
        errors: FieldErrors::default(),
    };
    let personal = p.get("kind") == "personal";
    let made: Result<(String, NewLink), ValidationErrors> = if personal {
        let f = InvitationForm {
            customer: p.get("customer").to_string(),
            email: p.get("email").to_string(),
            language: p.get("language").to_string(),
            site_id: p.get("site_id").to_string(),
            staff_id: p.get("staff_id").to_string(),
            visit_date: p.get("visit_date").to_string(),
            expires: p.get("expires").to_string(),
            complaint_ref: p.get("complaint_ref").to_string(),
            send_email: p.has("send_email"),
        };
        let mut errors = ValidationErrors::new();
        if f.send_email {
            if f.email.trim().is_empty() {
                errors.push("send_email", s.email_needed);
            } else if let Some(e) = invitation_mail::cannot_send(&state, "send_email") {
                errors.extend(e);
            }
        }
        let visit_date = date(&mut errors, s, "visit_date", &f.visit_date);
        let expires_at = end_of(date(&mut errors, s, "expires_at", &f.expires));
        let draft = InvitationDraft {
            customer: f.customer.clone(),
            email: Some(f.email.clone()),
            language: Some(f.language.clone()),
            site_id: id_field(&f.site_id),
            staff_id: id_field(&f.staff_id),
            visit_date,
            complaint_ref: Some(f.complaint_ref.clone()),
            expires_at,
        };
        let internal = |_| PageError::new(&c, ErrorKind::Internal);
        if let Some(site) = draft.site_id {
            known_site(state.store.as_ref(), &mut errors, "site_id", site)
                .await
                .map_err(internal)?;
        }
        if let Some(member) = draft.staff_id {
            known_staff(state.store.as_ref(), &mut errors, "staff_id", member)
                .await
                .map_err(internal)?;
        }
        extra.form = f;
        match draft.to_new_link(&survey.draft.languages, now) {
            Ok(made) if errors.is_empty() => Ok(made),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    } else {
        let mut errors = ValidationErrors::new();
        let expires_at = end_of(date(&mut errors, s, "expires_at", &extra.open_expires));
        errors
            .into_result(())
            .and_then(|()| open_link(expires_at, now))
    };
    let status = match made {
        Ok((token, new)) => {
            let send_email = personal && extra.form.send_email;
            let (_, queued) = invitation_mail::create(
                &state,
                &pu.actor(),
                &survey,
                vec![(token.clone(), new)],
                send_email,
            )
            .await
            .map_err(|e| PageError::store(&c, e))?;
            if queued > 0 {
                extra.emailed = Some(extra.form.email.trim().to_string());
            }
            let url = format!("{}{}", extra.base, link_url(&token));
            extra.created = Some((url, personal));
            extra.open_expires.clear();
            extra.form = InvitationForm::default();
            StatusCode::CREATED
        }
        Err(e) if personal => {
            extra.errors = FieldErrors::from_validation(c.lang, &e);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => {
            extra.open_errors = FieldErrors::from_validation(c.lang, &e);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let page = page(&state, &pu, c, s, &survey, &Params::default(), extra).await?;
    Ok(render_status(status, &page))
}

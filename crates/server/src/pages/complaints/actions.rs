//! The complaint page's forms: move the case, add an update, make a promise, mark one done
//! or cancel it, record the resolution. Each needs `HandleComplaints`, answers 303 back to
//! the page on success, and shows the page again with the form's errors (422) otherwise.
use super::{
    show::{Failed, page},
    support::{Cycles, localized},
    texts::complaint_texts,
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        evidence::support::{Lookup, parse_input_time},
        forms::{FieldErrors, Params},
        render::{ErrorKind, PageError, PageResult, parse_id, require},
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    StoreError, ValidationErrors,
    complaints::{ComplaintStatus, NewPromise, PromiseKind, ResolutionInput, UpdateInput},
    user::Permission,
};

/// Who is asking, and whether they may change complaints.
async fn guard(
    state: &AppState,
    pu: &PageUser,
    uri: &axum::http::Uri,
    raw: &str,
) -> Result<(Chrome, i64), PageError> {
    // A failed form shows the complaint page again: the language switch must lead back to
    // that page, not to this POST-only path.
    let c = Chrome::for_user(pu, "complaints", &format!("/complaints/{raw}"));
    let what = format!("POST {}", uri.path());
    require(state, pu, &c, Permission::HandleComplaints, &what).await?;
    let id = parse_id(&c, raw)?;
    Ok((c, id))
}

fn back(id: i64, flash: &str, anchor: &str) -> PageResult {
    Ok(Redirect::to(&format!("/complaints/{id}?flash={flash}#{anchor}")).into_response())
}

/// Show the page again with `form`'s errors; anything but a rule break is an error page.
async fn again(
    state: &AppState,
    pu: &PageUser,
    c: Chrome,
    id: i64,
    form: &str,
    e: StoreError,
    posted: Params,
) -> PageResult {
    let errors = match e {
        StoreError::Invalid(v) => FieldErrors(localized(c.lang, &v)),
        other => return Err(PageError::store(&c, other)),
    };
    let failed = Failed {
        form: form.to_string(),
        errors,
        posted,
    };
    page(state, pu, c, id, Some(failed)).await
}

pub async fn transition(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    body: Bytes,
) -> PageResult {
    let (c, id) = guard(&state, &pu, &uri, &raw).await?;
    let p = Params::parse(&body);
    let to = match p.get("to").parse::<ComplaintStatus>() {
        Ok(to) => to,
        Err(m) => {
            let e = StoreError::Invalid(ValidationErrors::single("status", m));
            return again(&state, &pu, c, id, "move", e, p).await;
        }
    };
    let actor = pu.actor();
    match crate::complaint_closing::transition(&state, &actor, id, to, p.get("note").trim()).await {
        Ok(_) => back(id, "moved", "timeline"),
        Err(e) => again(&state, &pu, c, id, "move", e, p).await,
    }
}

pub async fn add_update(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    body: Bytes,
) -> PageResult {
    let (c, id) = guard(&state, &pu, &uri, &raw).await?;
    let p = Params::parse(&body);
    let input = UpdateInput {
        visibility: p.get("visibility").to_string(),
        text: p.get("text").to_string(),
    };
    let result = match input.validate() {
        Ok(u) => state.store.add_complaint_update(&pu.actor(), id, &u).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => back(id, "update", "updates"),
        Err(e) => again(&state, &pu, c, id, "update", e, p).await,
    }
}

pub async fn add_promise(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    body: Bytes,
) -> PageResult {
    let (c, id) = guard(&state, &pu, &uri, &raw).await?;
    let k = complaint_texts(c.lang);
    let p = Params::parse(&body);
    let mut problems = ValidationErrors::new();
    let kind = p
        .get("kind")
        .parse::<PromiseKind>()
        .map_err(|_| problems.push("kind", k.err_number))
        .ok();
    let due = parse_input_time(p.get("due_at"));
    if due.is_none() {
        problems.push("due_at", k.err_time);
    }
    let result = match (kind, due) {
        (Some(kind), Some(due_at)) if problems.is_empty() => {
            let np = NewPromise {
                kind,
                description: p.get("description").to_string(),
                due_at,
            };
            match np.validate(state.clock.now()) {
                Ok(np) => state.store.add_promise(&pu.actor(), id, &np).await,
                Err(v) => Err(StoreError::Invalid(v)),
            }
        }
        _ => Err(StoreError::Invalid(problems)),
    };
    match result {
        Ok(_) => back(id, "promise", "promises"),
        Err(e) => again(&state, &pu, c, id, "promise", e, p).await,
    }
}

/// The promise must belong to the complaint in the path; anything else is a 404.
async fn own_promise(
    state: &AppState,
    c: &Chrome,
    id: i64,
    raw_promise: &str,
) -> Result<i64, PageError> {
    let pid = parse_id(c, raw_promise)?;
    let promises = state
        .store
        .complaint_promises(id)
        .await
        .map_err(|e| PageError::store(c, e))?;
    if promises.iter().any(|p| p.id == pid) {
        Ok(pid)
    } else {
        Err(PageError::new(c, ErrorKind::NotFound))
    }
}

pub async fn fulfil(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path((raw, raw_promise)): Path<(String, String)>,
) -> PageResult {
    let (c, id) = guard(&state, &pu, &uri, &raw).await?;
    let pid = own_promise(&state, &c, id, &raw_promise).await?;
    match state.store.fulfil_promise(&pu.actor(), pid).await {
        Ok(_) => back(id, "done", "promises"),
        Err(e) => {
            let form = format!("promise-{pid}");
            again(&state, &pu, c, id, &form, e, Params::default()).await
        }
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path((raw, raw_promise)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let (c, id) = guard(&state, &pu, &uri, &raw).await?;
    let pid = own_promise(&state, &c, id, &raw_promise).await?;
    let p = Params::parse(&body);
    let reason = p.get("reason").trim().to_string();
    let result = if reason.is_empty() {
        let e = ValidationErrors::single("reason", "give a reason for cancelling the promise");
        Err(StoreError::Invalid(e))
    } else {
        state.store.cancel_promise(&pu.actor(), pid, &reason).await
    };
    match result {
        Ok(_) => back(id, "cancelled", "promises"),
        Err(e) => {
            let form = format!("promise-{pid}");
            again(&state, &pu, c, id, &form, e, p).await
        }
    }
}

pub async fn resolution(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    body: Bytes,
) -> PageResult {
    let (c, id) = guard(&state, &pu, &uri, &raw).await?;
    let p = Params::parse(&body);
    let complaint = state
        .store
        .get_complaint(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let lookup = Lookup::load(&state, &c).await?;
    let cycles = Cycles::load(&state, &c, &lookup).await?;
    let input = ResolutionInput {
        root_cause: p.get("root_cause").to_string(),
        root_cause_moment_key: p.opt("root_cause_moment"),
        explanation: p.get("explanation").to_string(),
        prevention: p.get("prevention").to_string(),
        alternatives_offered: p.get("alternatives").to_string(),
        compensation: p.get("compensation").to_string(),
        customer_satisfied: match p.get("satisfied") {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    };
    let result = match input.validate(cycles.of(complaint.service_key.as_deref())) {
        Ok(r) => state.store.record_resolution(&pu.actor(), id, &r).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => back(id, "resolution", "resolution"),
        Err(e) => again(&state, &pu, c, id, "resolution", e, p).await,
    }
}

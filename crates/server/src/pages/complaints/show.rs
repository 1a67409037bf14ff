//! The complaint page: what happened, the customer and their relationship balance, the
//! timeline of transitions, updates (for the customer or internal, marked as such), the
//! promises with their clocks, buttons for the valid next steps only, and the forms to add an
//! update, make or settle a promise and record the resolution. Forms appear only for roles
//! that may handle complaints; everyone else reads.
use super::{
    support::{Cycles, People, span},
    texts::{ComplaintTexts, complaint_texts},
};
use crate::{
    auth::PageUser,
    i18n::Lang,
    pages::{
        chrome::Chrome,
        evidence::support::{Lookup, Opt, fmt_time},
        forms::{FieldErrors, Params},
        render::{PageError, PageResult, parse_id, render_status},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    extract::{OriginalUri, Path, State},
    http::StatusCode,
};
use touchpoint_core::{
    complaints::{PromiseKind, PromiseSource, PromiseState, Visibility},
    user::Permission,
};

pub struct Step {
    pub when: String,
    pub label: &'static str,
    pub code: &'static str,
    pub who: String,
    pub note: String,
}

pub struct UpdateView {
    pub when: String,
    pub who: String,
    pub text: String,
    pub internal: bool,
}

pub struct PromiseView {
    pub id: i64,
    pub kind: &'static str,
    pub description: String,
    pub due: String,
    /// "3 h left" / "Overdue by 2 d" while it matters, else when it was settled.
    pub clock: String,
    /// `left`, `overdue` or `settled`, for the clock's colour (the words say it too).
    pub clock_class: &'static str,
    pub state: &'static str,
    pub state_code: &'static str,
    pub escalated: String,
    pub made_by: String,
    pub open: bool,
    /// Broken by the scheduler and not yet done: it can still be marked done (late).
    pub late: bool,
    /// The error of this promise's mark-done or cancel form, when it just failed.
    pub error: String,
}

pub struct ResolutionForm {
    pub root_cause: String,
    pub moment: String,
    pub explanation: String,
    pub prevention: String,
    pub alternatives: String,
    pub compensation: String,
    /// `yes`, `no` or empty.
    pub satisfied: String,
}

/// Which form failed and what was posted, to show it again with its errors.
pub struct Failed {
    pub form: String,
    pub errors: FieldErrors,
    pub posted: Params,
}

#[derive(Template)]
#[template(path = "complaints/show.html")]
struct ShowPage {
    c: Chrome,
    k: &'static ComplaintTexts,
    id: i64,
    reference: String,
    customer: String,
    balance: i64,
    status: &'static str,
    status_code: &'static str,
    severity: &'static str,
    severity_code: &'static str,
    channel: &'static str,
    site: String,
    moment: String,
    dimension: String,
    assignee: String,
    received: String,
    description: String,
    remedy: String,
    timeline: Vec<Step>,
    updates: Vec<UpdateView>,
    promises: Vec<PromiseView>,
    next: Vec<(&'static str, &'static str)>,
    has_resolution: bool,
    res: ResolutionForm,
    satisfied_label: &'static str,
    moments: Vec<Opt>,
    kinds: Vec<Opt>,
    can_handle: bool,
    failed: String,
    errors: FieldErrors,
    posted: Params,
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
) -> PageResult {
    let c = Chrome::for_user(&pu, "complaints", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    let p = Params::query(uri.query());
    let k = complaint_texts(c.lang);
    let flash = match p.get("flash") {
        "moved" => Some(k.flash_moved.to_string()),
        "update" => Some(k.flash_update.to_string()),
        "promise" => Some(k.flash_promise.to_string()),
        "done" => Some(k.flash_done.to_string()),
        "cancelled" => Some(k.flash_cancelled.to_string()),
        "resolution" => Some(k.flash_resolution.to_string()),
        _ => None,
    };
    page(&state, &pu, c.with_flash(flash), id, None).await
}

/// The page, optionally with one form's errors (a 422 then).
pub async fn page(
    state: &AppState,
    pu: &PageUser,
    mut c: Chrome,
    id: i64,
    failed: Option<Failed>,
) -> PageResult {
    let k = complaint_texts(c.lang);
    let x = state
        .store
        .get_complaint(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    if let Some(f) = c.flash.as_mut() {
        *f = f.replace("{status}", k.status(x.status));
    }
    let c = c;
    let err = |e| PageError::store(&c, e);
    let transitions = state.store.complaint_transitions(id).await.map_err(err)?;
    let updates = state.store.complaint_updates(id, true).await.map_err(err)?;
    let promises = state.store.complaint_promises(id).await.map_err(err)?;
    let balance = state
        .store
        .ledger_balance(&x.customer_ref)
        .await
        .map_err(err)?;
    let lookup = Lookup::load(state, &c).await?;
    let cycles = Cycles::load(state, &c, &lookup).await?;
    let people = People::load(state, &c).await?;
    let dims = state.store.list_dimensions().await.map_err(err)?;
    let now = state.clock.now();
    let who = |id: Option<i64>, fallback: &str| {
        let n = people.name(id);
        k.by_who
            .replace("{who}", if n.is_empty() { fallback } else { &n })
    };
    let timeline = transitions
        .iter()
        .map(|t| Step {
            when: fmt_time(&t.at),
            label: if t.from.is_none() {
                k.registered
            } else {
                k.status(t.to)
            },
            code: t.to.as_str(),
            who: who(t.actor_user_id, &t.actor),
            note: t.note.clone(),
        })
        .collect();
    let updates = updates
        .iter()
        .map(|u| UpdateView {
            when: fmt_time(&u.at),
            who: who(u.actor_user_id, &u.actor),
            text: u.text.clone(),
            internal: u.visibility == Visibility::Internal,
        })
        .collect();
    let failed_form = failed.as_ref().map_or("", |f| f.form.as_str());
    let promises = promises
        .iter()
        .map(|pr| {
            let error = match &failed {
                Some(f) if f.form == format!("promise-{}", pr.id) => {
                    f.errors.0.first().map(|e| e.1.clone()).unwrap_or_default()
                }
                _ => String::new(),
            };
            let open = pr.state == PromiseState::Open;
            let (clock, clock_class) = if pr.is_overdue(now) {
                (
                    k.overdue_by.replace("{time}", &span(now - pr.due_at)),
                    "overdue",
                )
            } else if open {
                (
                    k.time_left.replace("{time}", &span(pr.due_at - now)),
                    "left",
                )
            } else {
                let at = pr.fulfilled_at.or(pr.settled_at);
                let when = at.map(|t| fmt_time(&t)).unwrap_or_default();
                (k.settled_on.replace("{when}", &when), "settled")
            };
            PromiseView {
                id: pr.id,
                kind: k.kind(pr.kind),
                description: pr.description.clone(),
                due: fmt_time(&pr.due_at),
                clock,
                clock_class,
                state: k.state(pr.state),
                state_code: pr.state.as_str(),
                escalated: pr
                    .escalated_at
                    .map(|t| k.escalated_on.replace("{when}", &fmt_time(&t)))
                    .unwrap_or_default(),
                made_by: k.by_who.replace(
                    "{who}",
                    match pr.source {
                        PromiseSource::Policy => k.by_policy,
                        PromiseSource::Staff => &pr.created_by,
                    },
                ),
                open,
                late: pr.state == PromiseState::Broken && pr.fulfilled_at.is_none(),
                error,
            }
        })
        .collect();
    let r = x.resolution.as_ref();
    let posted = failed
        .as_ref()
        .map(|f| f.posted.clone())
        .unwrap_or_default();
    let keep = |field: &str, stored: Option<&String>| -> String {
        if failed_form == "resolution" {
            posted.get(field).to_string()
        } else {
            stored.cloned().unwrap_or_default()
        }
    };
    let satisfied = match r.and_then(|r| r.customer_satisfied) {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let res = ResolutionForm {
        root_cause: keep("root_cause", r.map(|r| &r.root_cause)),
        moment: keep(
            "root_cause_moment",
            r.and_then(|r| r.root_cause_moment_key.as_ref()),
        ),
        explanation: keep("explanation", r.map(|r| &r.explanation)),
        prevention: keep("prevention", r.map(|r| &r.prevention)),
        alternatives: keep("alternatives", r.map(|r| &r.alternatives_offered)),
        compensation: keep("compensation", r.map(|r| &r.compensation)),
        satisfied: if failed_form == "resolution" {
            posted.get("satisfied").to_string()
        } else {
            satisfied.to_string()
        },
    };
    let moments = cycles
        .of(x.service_key.as_deref())
        .map(|cv| {
            cv.moments
                .iter()
                .map(|m| {
                    let label = format!("{}. {}", m.position, m.name);
                    Opt::new(&m.key, label, m.key == res.moment)
                })
                .collect()
        })
        .unwrap_or_default();
    let chosen_kind = posted.get("kind");
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let dimension = x
        .dimension_key
        .as_ref()
        .map(|key| {
            dims.iter()
                .find(|d| &d.key == key)
                .map_or(key.clone(), |d| {
                    if c.lang == Lang::Es {
                        d.name_es.clone()
                    } else {
                        d.name_en.clone()
                    }
                })
        })
        .unwrap_or_default();
    Ok(render_status(
        status,
        &ShowPage {
            id,
            reference: x.reference.clone(),
            customer: x.customer_ref.clone(),
            balance,
            status: k.status(x.status),
            status_code: x.status.as_str(),
            severity: k.severity(x.severity),
            severity_code: x.severity.as_str(),
            channel: c.t.channel(x.channel),
            site: lookup.site_name(x.site_id),
            moment: cycles.moment_name(x.service_key.as_deref(), x.moment_key.as_deref()),
            dimension,
            assignee: people.name(x.assignee_id),
            received: fmt_time(&x.received_at),
            description: x.description.clone(),
            remedy: x.remedy_requested.clone(),
            timeline,
            updates,
            promises,
            next: x
                .status
                .next()
                .iter()
                .map(|s| (s.as_str(), k.go(*s)))
                .collect(),
            has_resolution: r.is_some(),
            satisfied_label: match satisfied {
                "yes" => k.yes,
                "no" => k.no,
                _ => k.not_known,
            },
            res,
            moments,
            kinds: PromiseKind::ALL
                .iter()
                .map(|pk| {
                    let chosen = if chosen_kind.is_empty() {
                        *pk == PromiseKind::Callback
                    } else {
                        pk.as_str() == chosen_kind
                    };
                    Opt::new(pk.as_str(), k.kind(*pk), chosen)
                })
                .collect(),
            can_handle: pu.user.role.allows(Permission::HandleComplaints),
            failed: failed_form.to_string(),
            errors: failed.map(|f| f.errors).unwrap_or_default(),
            posted,
            k,
            c,
        },
    ))
}

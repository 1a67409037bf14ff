//! `/c/{token}`: the customer's view of their complaint — the reference, where it stands in
//! plain words, the updates written for them (never internal notes), the next promised date,
//! the answer once there is one, and a number to call. No login: the 256-bit token is the
//! key and only its SHA-256 is stored. Unknown tokens get the same 404 page as any other
//! unknown public token, and the route sits behind the answering site's rate limiter.
use super::{
    closed::{Closed, Frame, closed_page, html, plausible},
    lang,
    status_texts::{StatusTexts, stage, status_texts},
};
use crate::{auth::secrets::sha256_hex, state::AppState};
use askama::Template;
use axum::{
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use touchpoint_core::{
    StoreError,
    complaints::{Complaint, ComplaintStatus, PromiseSource, PromiseState, Visibility},
};

const LANGUAGES: [&str; 2] = ["en", "es"];

pub struct Step {
    pub label: &'static str,
    pub done: bool,
    pub current: bool,
}

pub struct News {
    pub when: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "public/status.html")]
struct StatusPage {
    f: Frame,
    s: &'static StatusTexts,
    reference: String,
    received: String,
    status: &'static str,
    steps: Vec<Step>,
    next: String,
    next_words: String,
    news: Vec<News>,
    answer: Option<touchpoint_core::complaints::Resolution>,
    phone: String,
    tel: String,
    call_text: String,
}

fn when(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// Digits and a leading `+` for the `tel:` link; the number is shown as configured.
fn tel(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

async fn find(state: &AppState, token: &str) -> Result<Complaint, Closed> {
    if !plausible(token) {
        return Err(Closed::NotFound);
    }
    match state
        .store
        .find_complaint_by_token(&sha256_hex(token))
        .await
    {
        Ok(c) => Ok(c),
        Err(StoreError::NotFound { .. }) => Err(Closed::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "finding a complaint by token failed");
            Err(Closed::Failed)
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let wanted = super::answer::query_lang(query.as_deref());
    let complaint = match find(&state, &token).await {
        Ok(c) => c,
        Err(closed) => return closed_page(closed, None, wanted.as_deref(), &headers, false),
    };
    let languages: Vec<String> = LANGUAGES.iter().map(|l| l.to_string()).collect();
    let code = lang::choose(&languages, wanted.as_deref(), None, &headers);
    let f = Frame::new(&code, lang::switch(&languages, &code));
    let s = status_texts(lang::ui_lang(&code));
    let loaded = async {
        let updates = state.store.complaint_updates(complaint.id, false).await?;
        let promises = state.store.complaint_promises(complaint.id).await?;
        Ok::<_, StoreError>((updates, promises))
    }
    .await;
    let (updates, promises) = match loaded {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "loading a complaint's status page failed");
            return closed_page(Closed::Failed, None, Some(&code), &headers, false);
        }
    };
    let current = stage(complaint.status);
    let next = promises
        .iter()
        .filter(|p| p.state == PromiseState::Open)
        .min_by_key(|p| p.due_at);
    let (next, next_words) = match next {
        Some(p) => (
            s.promised
                .replace("{what}", s.kind(p.kind))
                .replace("{when}", &when(&p.due_at)),
            // Staff write a promise in the words told to the customer; a policy's wording
            // is an internal rule, so only the kind is shown for those.
            if p.source == PromiseSource::Staff {
                p.description.clone()
            } else {
                String::new()
            },
        ),
        None => (String::new(), String::new()),
    };
    let phone = state.config.support_phone.clone().unwrap_or_default();
    let page = StatusPage {
        reference: complaint.reference.clone(),
        received: s
            .received_on
            .replace("{date}", &when(&complaint.received_at)),
        status: s.status(complaint.status),
        steps: s
            .steps
            .iter()
            .enumerate()
            .map(|(i, label)| Step {
                label,
                done: i < current,
                current: i == current,
            })
            .collect(),
        next,
        next_words,
        // The store already leaves internal notes out; checking again costs nothing.
        news: updates
            .iter()
            .rev()
            .filter(|u| u.visibility == Visibility::Customer)
            .map(|u| News {
                when: when(&u.at),
                text: u.text.clone(),
            })
            .collect(),
        answer: complaint
            .resolution
            .clone()
            // The answer shows once it was given, and not while a reopened case is reworked.
            .filter(|_| {
                matches!(
                    complaint.status,
                    ComplaintStatus::Responded
                        | ComplaintStatus::Resolved
                        | ComplaintStatus::Closed
                )
            }),
        tel: tel(&phone),
        phone,
        call_text: s.call_text.replace("{ref}", &complaint.reference),
        f,
        s,
    };
    html(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::tel;

    #[test]
    fn tel_links_keep_digits_and_a_leading_plus() {
        assert_eq!(tel("+57 (1) 555-0100"), "+5715550100");
        assert_eq!(tel("01 800 123"), "01800123");
        assert_eq!(tel("\"><script>"), "");
    }
}

//! Responses as the wide CSV that survey tools export (and `touchpoint import responses`
//! reads), streamed in keyset pages so an export of millions of rows holds one page in memory.
use super::extract::{ApiPath, Caller, IdPath, Read};
use crate::{
    error::{AppError, Problem},
    state::AppState,
};
use axum::{
    body::{Body, Bytes},
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use std::{
    collections::HashMap,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};
use tokio::sync::mpsc;
use touchpoint_core::{
    StoreError,
    feedback::{
        ParsedRow, ValidAnswer, ValidAnswers, ValidSurvey, WideHeader, records::ResponseRecord,
    },
    listing::ListQuery,
    store::Store,
};

/// Responses read per store call (and written per chunk).
pub const EXPORT_PAGE: u32 = 1000;

/// Download a survey's responses as CSV, in the wide import format.
///
/// Columns: `response_id` (the import's id, else Touchpoint's), `submitted_at`, `customer`,
/// `site` (key), `staff` (email, else id), `language`, then one column per question of the
/// current version (`CODE_e`/`CODE_p` for servqual items; multiple choices as `a;b`). Cells a
/// spreadsheet would run as a formula are prefixed with `'`.
#[utoipa::path(
    get, path = "/surveys/{id}/responses/export", tag = "responses",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The CSV file", body = String, content_type = "text/csv"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The survey was never published", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export_responses(
    State(state): State<AppState>,
    _caller: Caller<Read>,
    ApiPath(p): ApiPath<IdPath>,
) -> Result<Response, AppError> {
    let survey = state.store.get_survey(p.id).await?;
    let version = match state.store.current_survey_version(p.id).await {
        Ok(v) => v,
        Err(StoreError::NotFound { .. }) => {
            return Err(AppError::Conflict {
                field: "survey".into(),
                message: "the survey has no published version, so no responses".into(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let refs = Refs::load(state.store.as_ref()).await?;
    let (tx, rx) = mpsc::channel(2);
    let store = state.store.clone();
    tokio::spawn(write_rows(store, p.id, version.definition, refs, tx));
    let disposition = format!("attachment; filename=\"{}.responses.csv\"", survey.key);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(Chunks(rx)),
    )
        .into_response())
}

type Chunk = Result<Bytes, std::io::Error>;

/// The receiving end of the writer task, as a body stream.
struct Chunks(mpsc::Receiver<Chunk>);

impl futures_core::Stream for Chunks {
    type Item = Chunk;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}

/// Write the header, then page after page until the end or until the client goes away.
async fn write_rows(
    store: Arc<dyn Store>,
    survey_id: i64,
    survey: ValidSurvey,
    refs: Refs,
    tx: mpsc::Sender<Chunk>,
) {
    let header = WideHeader::for_survey(&survey);
    let mut chunk = csv_bytes(std::iter::once(header.column_names().to_vec()));
    let mut after = 0;
    loop {
        if tx.send(chunk).await.is_err() {
            return;
        }
        let page = match store.responses_after(survey_id, after, EXPORT_PAGE).await {
            Ok(page) if page.is_empty() => return,
            Ok(page) => page,
            Err(e) => {
                tracing::error!(%e, survey_id, "response export failed");
                let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                return;
            }
        };
        after = page.last().map_or(after, |r| r.id);
        chunk = csv_bytes(
            page.iter()
                .map(|r| header.format_row(&parsed_row(r, &survey, &refs))),
        );
    }
}

fn csv_bytes(rows: impl Iterator<Item = Vec<String>>) -> Chunk {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
    for mut row in rows {
        row.iter_mut().for_each(defuse);
        out.write_record(&row).map_err(std::io::Error::other)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(Bytes::from(bytes))
}

/// A stored response in the shape the wide format writes; answers to questions the current
/// version no longer has are left out.
fn parsed_row(r: &ResponseRecord, survey: &ValidSurvey, refs: &Refs) -> ParsedRow {
    let answers = r
        .answers
        .iter()
        .filter_map(|a| {
            let (question, _) = survey.question(&a.question_code)?;
            Some(ValidAnswer {
                question,
                value: a.value.clone(),
            })
        })
        .collect();
    ParsedRow {
        line: 0,
        response_id: r.external_id.clone().unwrap_or_else(|| r.id.to_string()),
        submitted_at: r.submitted_at,
        customer: r.customer.clone(),
        site: r.site_id.map(|id| {
            refs.sites
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        }),
        staff: r.staff_id.map(|id| {
            refs.staff
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        }),
        language: Some(r.language.clone()),
        answers: ValidAnswers(answers),
    }
}

/// Keep a spreadsheet from running a cell as a formula (CSV injection): prefix it with `'`.
pub(crate) fn defuse(cell: &mut String) {
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if risky {
        cell.insert(0, '\'');
    }
}

/// Site keys and staff references (email, else id) by id, loaded once per export.
struct Refs {
    sites: HashMap<i64, String>,
    staff: HashMap<i64, String>,
}

impl Refs {
    async fn load(store: &dyn Store) -> Result<Refs, AppError> {
        let mut refs = Refs {
            sites: HashMap::new(),
            staff: HashMap::new(),
        };
        let mut q = ListQuery::all();
        loop {
            let page = store.list_sites(&q).await?;
            q.offset += page.items.len() as u32;
            let done = page.items.is_empty() || i64::from(q.offset) >= page.total;
            refs.sites
                .extend(page.items.into_iter().map(|s| (s.id, s.key)));
            if done {
                break;
            }
        }
        let mut q = ListQuery::all();
        loop {
            let page = store.list_staff(&q, None).await?;
            q.offset += page.items.len() as u32;
            let done = page.items.is_empty() || i64::from(q.offset) >= page.total;
            refs.staff.extend(page.items.into_iter().map(|s| {
                let email = s.email.trim().to_ascii_lowercase();
                let shown = if email.is_empty() {
                    s.id.to_string()
                } else {
                    email
                };
                (s.id, shown)
            }));
            if done {
                break;
            }
        }
        Ok(refs)
    }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused_but_numbers_and_text_are_kept() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("-cmd", "'-cmd"),
            ("-3", "-3"),
            ("slow queue", "slow queue"),
        ] {
            let mut c = cell.to_string();
            defuse(&mut c);
            assert_eq!(c, want);
        }
    }
}

//! Writing one chunk of an import through the store's batch call.
use super::NATIVE_ID_PREFIX;
use crate::commands::SharedStore;
use touchpoint_core::{
    StoreError, StoreResult,
    feedback::records::{NewResponse, SubmitOutcome},
};

/// What a chunk's submission did: an outcome per written row with its file line, and how
/// many rows were exported responses of this very survey (already present, not resent).
pub struct Written {
    pub outcomes: Vec<(StoreResult<SubmitOutcome>, u64)>,
    pub native_present: u64,
}

pub async fn chunk(store: SharedStore, chunk: super::read::Chunk) -> anyhow::Result<Written> {
    let (responses, lines, native_present) =
        skip_native(&store, chunk.responses, chunk.lines).await?;
    let outcomes = store.submit_responses(&responses).await?;
    Ok(Written {
        outcomes: outcomes.into_iter().zip(lines).collect(),
        native_present,
    })
}

/// Rows whose `response_id` is an exported `touchpoint-ID` of a response of this survey are
/// already present; the rest go on.
async fn skip_native(
    store: &SharedStore,
    responses: Vec<NewResponse>,
    lines: Vec<u64>,
) -> anyhow::Result<(Vec<NewResponse>, Vec<u64>, u64)> {
    if !responses.iter().any(|r| native_id(r).is_some()) {
        return Ok((responses, lines, 0));
    }
    let mut kept = (Vec::with_capacity(responses.len()), Vec::new(), 0);
    for (r, line) in responses.into_iter().zip(lines) {
        if let Some(id) = native_id(&r) {
            match store.get_response(id).await {
                Ok(found) if found.survey_id == r.survey_id => {
                    kept.2 += 1;
                    continue;
                }
                Ok(_) | Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        kept.0.push(r);
        kept.1.push(line);
    }
    Ok(kept)
}

fn native_id(r: &NewResponse) -> Option<i64> {
    r.external_id
        .as_deref()?
        .strip_prefix(NATIVE_ID_PREFIX)?
        .parse()
        .ok()
}

//! The estimate assumptions form on the complaint analysis page (admins and managers). A bad
//! value never makes an error page: the page comes back with the fields named, the stored
//! assumptions unchanged.
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        forms::Params,
        render::{PageError, PageResult, parse_id, require},
    },
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{improvement::Assumptions, user::Permission};

/// The form's fields, in the order they are shown.
pub const FIELDS: [&str; 3] = [
    "silent_per_complaint",
    "told_by_dissatisfied",
    "told_by_satisfied",
];

/// A number typed in either language (a comma is read as the decimal point); NaN otherwise,
/// which validation refuses by name.
fn number(p: &Params, field: &str) -> f64 {
    p.get(field)
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .unwrap_or(f64::NAN)
}

pub async fn save(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "services", &uri.to_string());
    let id = parse_id(&c, &raw)?;
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "set the complaint estimate assumptions",
    )
    .await?;
    let p = Params::parse(&body);
    let asked = Assumptions {
        silent_per_complaint: number(&p, FIELDS[0]),
        told_by_dissatisfied: number(&p, FIELDS[1]),
        told_by_satisfied: number(&p, FIELDS[2]),
    };
    let back = format!("/services/{id}/complaint-analysis");
    match asked.validate() {
        Ok(valid) => {
            state
                .store
                .set_complaint_assumptions(&pu.actor(), &valid)
                .await
                .map_err(|e| PageError::store(&c, e))?;
            Ok(Redirect::to(&format!("{back}?assumptions=saved#estimates-h")).into_response())
        }
        Err(e) => {
            // Only known field names travel in the link, never free text.
            let bad: Vec<&str> = FIELDS
                .iter()
                .copied()
                .filter(|f| e.0.iter().any(|x| x.field == *f))
                .collect();
            Ok(Redirect::to(&format!(
                "{back}?assumptions_invalid={}#estimates-h",
                bad.join(",")
            ))
            .into_response())
        }
    }
}

/// The fields a previous submission got wrong, from the page's `assumptions_invalid`.
pub fn invalid_fields(p: &Params) -> Vec<&'static str> {
    let asked = p.get("assumptions_invalid");
    FIELDS
        .iter()
        .copied()
        .filter(|f| asked.split(',').any(|a| a == *f))
        .collect()
}

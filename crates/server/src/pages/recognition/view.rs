//! What the recognition pages show of a [`Recognition`]: the query they were asked, and each
//! person's figures as sentences and cells in the page language.
use super::texts::RecognitionTexts;
use crate::{
    i18n::Lang,
    pages::{chrome::Chrome, forms::Params, render::PageError},
    recognition::{Recognition, SiteRecognition, load_recognition},
    state::AppState,
};
use chrono::{DateTime, Utc};
use touchpoint_core::{
    org::Site,
    recognition::{Component, ComponentKind, Month, StaffRank},
};

/// A number with `decimals` decimals as written in the page language (`88.5` / `88,5`).
pub fn dec(lang: Lang, x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if lang == Lang::Es {
        s.replace('.', ",")
    } else {
        s
    }
}

pub fn percent(lang: Lang, share: f64) -> String {
    format!("{} %", dec(lang, share * 100.0, 0))
}

/// The month and site asked in the query; an unreadable month falls back to the last complete
/// one with a notice, an unknown site to all sites.
pub struct Query {
    pub month: Month,
    pub site: Option<i64>,
    pub problem: Option<String>,
}

pub fn query(raw: Option<&str>, now: DateTime<Utc>, t: &RecognitionTexts) -> Query {
    let q = Params::query(raw);
    let fallback = Month::previous_complete(now);
    let (month, problem) = match q.opt("month").filter(|m| !m.trim().is_empty()) {
        None => (fallback, None),
        Some(m) => match Month::parse(&m) {
            Ok(m) => (m, None),
            Err(e) => (
                fallback,
                Some(
                    t.month_problem
                        .replace("{message}", &e)
                        .replace("{month}", &t.month_name(fallback)),
                ),
            ),
        },
    };
    Query {
        month,
        site: q.number("site"),
        problem,
    }
}

/// Load the recognition, ignoring a site id that does not exist (the picker only offers real
/// ones), plus every site for the picker.
pub async fn load(
    state: &AppState,
    c: &Chrome,
    q: &mut Query,
) -> Result<(Recognition, Vec<Site>), PageError> {
    let store = state.store.as_ref();
    let sites = store
        .list_sites(&touchpoint_core::listing::ListQuery::all())
        .await
        .map_err(|e| PageError::store(c, e))?
        .items;
    if q.site.is_some_and(|id| !sites.iter().any(|s| s.id == id)) {
        q.site = None;
    }
    let r = load_recognition(store, q.month, q.site)
        .await
        .map_err(|e| PageError::store(c, touchpoint_core::StoreError::Backend(e.to_string())))?;
    Ok((r, sites))
}

pub fn site_name(t: &RecognitionTexts, s: &SiteRecognition) -> String {
    if s.site_id.is_none() {
        t.no_site.to_string()
    } else {
        s.site_name.clone()
    }
}

/// A component's value in its unit: `92.5`, `3`, `75 %`.
pub fn value(lang: Lang, c: &Component) -> Option<String> {
    c.value.map(|v| match c.kind {
        ComponentKind::Compliments => dec(lang, v, 0),
        ComponentKind::Resolution | ComponentKind::PromisesKept => {
            format!("{} %", dec(lang, v, 0))
        }
        ComponentKind::Audit | ComponentKind::Satisfaction => dec(lang, v, 1),
    })
}

/// One cell of the ranking table.
pub struct Cell {
    pub value: String,
    pub n: i64,
    /// `+40.0` when it counts, the reason it is left out otherwise.
    pub note: String,
    pub counts: bool,
}

pub fn cell(lang: Lang, t: &RecognitionTexts, c: &Component) -> Cell {
    let note = if c.qualifies {
        format!("+{}", dec(lang, c.points, 1))
    } else if c.value.is_none() {
        String::new()
    } else {
        t.left_out
            .replace("{n}", &c.n.to_string())
            .replace("{min}", &c.min_sample.to_string())
    };
    Cell {
        value: value(lang, c).unwrap_or_else(|| t.no_evidence.to_string()),
        n: c.n,
        note,
        counts: c.qualifies,
    }
}

/// "88.0 points = Mystery shopper 40.0 + Customer satisfaction 40.0 + Compliments 8.0." —
/// the parts in the order of their points.
pub fn why(lang: Lang, t: &RecognitionTexts, p: &StaffRank) -> String {
    let Some(score) = p.score else {
        return String::new();
    };
    let mut parts: Vec<&Component> = p.components.iter().filter(|c| c.qualifies).collect();
    parts.sort_by(|a, b| b.points.total_cmp(&a.points));
    let parts: Vec<String> = parts
        .iter()
        .map(|c| format!("{} {}", t.component(c.kind), dec(lang, c.points, 1)))
        .collect();
    t.score_sentence
        .replace("{score}", &dec(lang, score, 1))
        .replace("{parts}", &parts.join(" + "))
}

//! What the journey page shows under each moment: the requirements recorded for it and the
//! action plans that cover it, each with its status, so the map says what is being done where.
use super::texts::improvement_texts;
use crate::i18n::Lang;
use std::collections::HashMap;
use touchpoint_core::{
    StoreResult,
    improvement::{ActionPlanFilter, RequirementFilter},
    listing::ListQuery,
    store::Store,
};

pub struct MomentWork {
    pub requirements_label: &'static str,
    pub plans_label: &'static str,
    /// (id, text, status) newest first.
    pub requirements: Vec<(i64, String, &'static str)>,
    /// (id, title, status) by due date.
    pub plans: Vec<(i64, String, &'static str)>,
}

/// Moment key → its requirements and plans (the first 500 of each for the service).
pub async fn by_moment(
    store: &dyn Store,
    service_id: i64,
    lang: Lang,
) -> StoreResult<HashMap<String, MomentWork>> {
    let t = improvement_texts(lang);
    let q = ListQuery::all();
    let requirements = store
        .list_requirements(
            &RequirementFilter {
                service_id: Some(service_id),
                ..RequirementFilter::default()
            },
            &q,
        )
        .await?;
    let plans = store
        .list_action_plans(
            &ActionPlanFilter {
                service_id: Some(service_id),
                ..ActionPlanFilter::default()
            },
            &q,
        )
        .await?;
    let mut out: HashMap<String, MomentWork> = HashMap::new();
    for r in requirements.items {
        out.entry(r.moment_key.clone())
            .or_insert_with(|| empty(t))
            .requirements
            .push((r.id, r.text, t.requirement_status(r.status)));
    }
    for p in plans.items {
        for key in &p.moment_keys {
            out.entry(key.clone())
                .or_insert_with(|| empty(t))
                .plans
                .push((p.id, p.title.clone(), t.plan_status(p.status)));
        }
    }
    Ok(out)
}

fn empty(t: &super::ImprovementTexts) -> MomentWork {
    MomentWork {
        requirements_label: t.requirements,
        plans_label: t.plans,
        requirements: Vec::new(),
        plans: Vec::new(),
    }
}

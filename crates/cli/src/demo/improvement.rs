//! The demo's improvement work on its planted weakness (the wait for the turn at Norte): what
//! the branch says it needs, and the plan that answers it — started a month ago, so its page
//! compares a month of real answers before and after.
use super::feedback::{
    Org,
    model::{WEAK_MOMENT, WEAK_SITE},
};
use crate::commands::SharedStore;
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use touchpoint_core::{
    audit::Actor,
    improvement::{ActionPlanInput, RequirementInput},
};

/// Days before today the demo plan started, and days until it is due.
const STARTED_DAYS_AGO: i64 = 30;
const DUE_IN_DAYS: i64 = 60;

pub struct Loaded {
    pub requirements: usize,
    pub plans: usize,
}

/// (moment key, only at the weak site?, status, what is needed). Written for the demo.
const NEEDS: [(&str, bool, &str, &str); 3] = [
    (
        WEAK_MOMENT,
        true,
        "planned",
        "Open a second counter at Norte from 12:00 to 14:00, when the queue is longest",
    ),
    (
        WEAK_MOMENT,
        true,
        "open",
        "Show the expected waiting time on a screen next to the ticket dispenser",
    ),
    (
        "take-a-number",
        false,
        "open",
        "Teach the door staff a one-sentence explanation of the ticket system",
    ),
];

pub async fn load(
    store: &SharedStore,
    actor: &Actor,
    org: &Org,
    now: DateTime<Utc>,
) -> anyhow::Result<Loaded> {
    let bank = &org.bank;
    let norte = org
        .sites
        .iter()
        .find(|s| s.site.key == WEAK_SITE)
        .context("the demo's Norte branch")?;
    let mut ids = Vec::new();
    for (moment, at_norte, status, text) in NEEDS {
        let input = RequirementInput {
            service_id: bank.service.id,
            moment_key: moment.into(),
            site_id: at_norte.then_some(norte.site.id),
            text: text.into(),
            source: Some("entered".into()),
            response_id: None,
            question_code: None,
            status: Some(status.into()),
        };
        let valid = input
            .validate(Some(&bank.cycle))
            .map_err(|e| anyhow::anyhow!("demo requirement: {e}"))?;
        ids.push(store.create_requirement(actor, &valid).await?.id);
    }
    let owner = norte
        .staff
        .first()
        .map_or_else(|| "Norte branch manager".to_string(), |s| s.name.clone());
    let today = now.date_naive();
    let plan = ActionPlanInput {
        service_id: bank.service.id,
        title: "Second counter at lunchtime in Norte".into(),
        moment_keys: vec![WEAK_MOMENT.into()],
        owner,
        start_date: today - Duration::days(STARTED_DAYS_AGO),
        due_date: today + Duration::days(DUE_IN_DAYS),
        status: Some("in_progress".into()),
        expected_effect: "Mean rating of the wait at Norte from about 2.4 to 3.5 or more".into(),
        requirement_ids: vec![ids[0]],
    }
    .validate(Some(&bank.cycle))
    .map_err(|e| anyhow::anyhow!("demo action plan: {e}"))?;
    store.create_action_plan(actor, &plan).await?;
    Ok(Loaded {
        requirements: ids.len(),
        plans: 1,
    })
}

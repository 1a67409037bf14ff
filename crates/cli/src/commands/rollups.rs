//! `rebuild-rollups`: recompute the survey roll-ups from the stored responses. The roll-ups
//! are kept exact as each response is written; this is the repair after restoring a backup
//! by hand or a bug, and it reports what it did so the two can be compared.
use super::{CLI_ACTOR, SharedStore, survey::find_survey};
use crate::args::RebuildRollupsArgs;
use touchpoint_core::{audit::Actor, listing::ListQuery};

pub async fn rebuild(store: SharedStore, args: &RebuildRollupsArgs) -> anyhow::Result<()> {
    let surveys = match &args.survey {
        Some(key) => vec![find_survey(store.as_ref(), key).await?],
        None => {
            let mut all = Vec::new();
            let mut q = ListQuery::all();
            loop {
                let page = store.list_surveys(&q, None).await?;
                let done = page.items.len() < q.limit as usize;
                all.extend(page.items);
                if done {
                    break;
                }
                q.offset += q.limit;
            }
            all
        }
    };
    let actor = Actor::system(CLI_ACTOR);
    let (mut responses, mut rows) = (0, 0);
    for s in &surveys {
        let r = store.rebuild_rollups(&actor, s.id).await?;
        println!(
            "{}: {} responses, {} roll-up rows ({} per staff member)",
            s.key, r.responses, r.rows, r.staff_rows
        );
        responses += r.responses;
        rows += r.rows;
    }
    println!(
        "rebuilt the roll-ups of {} surveys: {responses} responses, {rows} rows",
        surveys.len()
    );
    Ok(())
}

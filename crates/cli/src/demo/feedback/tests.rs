//! The demo year holds the signal it was built to hold: the wait for the turn at Norte is
//! clearly worse than at the other branches, in the answers, in NPS and in the measurements.
use super::{Org, load, model};
use crate::commands::demo::load_org;
use std::sync::Arc;
use touchpoint_core::{
    audit::Actor,
    clock::Clock,
    feedback::records::EvidenceFilter,
    feedback::records::{RollupQuery, RollupRow},
    listing::ListQuery,
    store::Store,
};
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::fixed_clock;

/// (share of 4–5 answers, count) over roll-up rows.
fn csat(rows: &[RollupRow]) -> (f64, i64) {
    let count: i64 = rows.iter().map(|r| r.count).sum();
    let good: i64 = rows.iter().map(|r| r.histogram[4] + r.histogram[5]).sum();
    (good as f64 / count.max(1) as f64, count)
}

/// Promoters minus detractors, in points.
fn nps(rows: &[RollupRow]) -> f64 {
    let count: i64 = rows.iter().map(|r| r.count).sum();
    let promoters: i64 = rows.iter().map(|r| r.histogram[9] + r.histogram[10]).sum();
    let detractors: i64 = rows
        .iter()
        .map(|r| r.histogram[..=6].iter().sum::<i64>())
        .sum();
    100.0 * (promoters - detractors) as f64 / count.max(1) as f64
}

async fn rollups(store: &dyn Store, survey: &str, code: &str, site: i64) -> Vec<RollupRow> {
    let survey = store.get_survey_by_key(survey).await.unwrap();
    let q = RollupQuery {
        survey_id: Some(survey.id),
        question_code: Some(code.into()),
        site_id: Some(site),
        ..RollupQuery::default()
    };
    store.rollups(&q).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_year_shows_the_weak_wait_at_norte() {
    let clock = fixed_clock();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory(clock.clone()).unwrap());
    let actor = Actor::system("demo");
    let (org, _) = load_org(store.as_ref(), &actor).await.unwrap();
    let loaded = load(&store, &actor, &actor, &org, clock.now())
        .await
        .unwrap();
    assert!(
        (15_000..=25_000).contains(&loaded.responses),
        "{}",
        loaded.responses
    );
    assert_eq!(loaded.visits, 48);

    let mut others = Vec::new();
    let mut norte = None;
    for site in org.sites.iter().filter(|s| s.is_bank()) {
        let wait = csat(
            &rollups(
                store.as_ref(),
                "cash-a-cheque-csat",
                "wait-turn_csat",
                site.site.id,
            )
            .await,
        );
        let get_paid = csat(
            &rollups(
                store.as_ref(),
                "cash-a-cheque-csat",
                "get-paid_csat",
                site.site.id,
            )
            .await,
        );
        let nps = nps(&rollups(
            store.as_ref(),
            "cash-a-cheque-nps",
            "recommend",
            site.site.id,
        )
        .await);
        assert!(wait.1 > 1_000, "{}: {} wait answers", site.site.key, wait.1);
        assert!(
            get_paid.0 > 0.8,
            "{}: paying works everywhere ({:.2})",
            site.site.key,
            get_paid.0
        );
        if site.site.key == model::WEAK_SITE {
            norte = Some((wait.0, nps));
        } else {
            others.push((site.site.key.clone(), wait.0, nps));
        }
    }
    let (norte_wait, norte_nps) = norte.expect("norte");
    for (key, wait, nps) in others {
        assert!(
            norte_wait + 0.3 < wait,
            "CSAT of the wait: norte {norte_wait:.2}, {key} {wait:.2}"
        );
        assert!(
            norte_nps + 15.0 < nps,
            "NPS: norte {norte_nps:.0}, {key} {nps:.0}"
        );
    }
    check_evidence(store.as_ref(), &org).await;
}

async fn check_evidence(store: &dyn Store, org: &Org) {
    let hotel = org.sites.iter().find(|s| !s.is_bank()).unwrap();
    let filter = EvidenceFilter {
        site_id: Some(hotel.site.id),
        ..EvidenceFilter::default()
    };
    let calls = store
        .list_measurements(&filter, &ListQuery::all())
        .await
        .unwrap();
    assert!(calls.total > 2_000, "{} hotel measurements", calls.total);
    let late = calls
        .items
        .iter()
        .filter(|m| m.judged.metric == "rings" && !m.met)
        .count();
    assert!(late > 0, "some calls are answered after the third ring");
    let norte = org
        .sites
        .iter()
        .find(|s| s.site.key == model::WEAK_SITE)
        .unwrap();
    let filter = EvidenceFilter {
        site_id: Some(norte.site.id),
        ..EvidenceFilter::default()
    };
    let visits = store.list_visits(&filter, &ListQuery::all()).await.unwrap();
    let failures = visits
        .items
        .iter()
        .filter(|v| {
            v.visit
                .critical_failures
                .iter()
                .any(|k| k == model::WEAK_MOMENT)
        })
        .count();
    assert!(
        failures >= 4,
        "{failures} of {} norte visits fail the wait",
        visits.total
    );
    let compliments = store
        .list_compliments(&EvidenceFilter::default(), &ListQuery::all())
        .await
        .unwrap();
    assert!(
        compliments.total > 40
            && compliments
                .items
                .iter()
                .all(|c| c.compliment.staff_id.is_some())
    );
}

//! Action plans: create, read, update, delete, links to moments and requirements, list.
use super::{assert_invalid, entered, service_with_cycle};
use crate::{Store, actor};
use chrono::NaiveDate;
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    audit::AuditQuery,
    improvement::{ActionPlanFilter, ActionPlanInput, PlanStatus},
    listing::ListQuery,
};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn plan(service_id: i64, title: &str, moments: &[&str], due: &str) -> ActionPlanInput {
    ActionPlanInput {
        service_id,
        title: title.into(),
        moment_keys: moments.iter().map(|m| m.to_string()).collect(),
        owner: "Marta Ruiz".into(),
        start_date: day("2026-01-05"),
        due_date: day(due),
        status: None,
        expected_effect: "CSAT of the wait from 60% to 80%".into(),
        requirement_ids: Vec::new(),
    }
}

pub async fn action_plans_create_read_update_delete(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let mut reqs = Vec::new();
    for text in ["Second cashier", "Queue display"] {
        let r = entered(bank.id, "m2", text).validate(Some(&cycle)).unwrap();
        reqs.push(store.create_requirement(&actor(), &r).await.unwrap().id);
    }
    let input = ActionPlanInput {
        requirement_ids: vec![reqs[1], reqs[0], reqs[1]],
        ..plan(bank.id, "Lunchtime cashier", &["m3", "m2"], "2026-02-28")
    };
    let p = store
        .create_action_plan(&actor(), &input.validate(Some(&cycle)).unwrap())
        .await
        .unwrap();
    assert_eq!(p.moment_keys, vec!["m3", "m2"], "in the order given");
    assert_eq!(p.requirement_ids, vec![reqs[0], reqs[1]]);
    assert_eq!(
        (p.status, p.start_date),
        (PlanStatus::Planned, day("2026-01-05"))
    );
    assert_eq!(p.created_by, actor().label);
    assert_eq!(store.get_action_plan(p.id).await.unwrap(), p);

    let changed = ActionPlanInput {
        status: Some("in progress".into()),
        requirement_ids: vec![reqs[1]],
        ..plan(bank.id, "Lunchtime cashiers", &["m2"], "2026-03-31")
    };
    let u = store
        .update_action_plan(&actor(), p.id, &changed.validate(Some(&cycle)).unwrap())
        .await
        .unwrap();
    assert_eq!(
        (u.title.as_str(), u.status, u.due_date),
        (
            "Lunchtime cashiers",
            PlanStatus::InProgress,
            day("2026-03-31")
        )
    );
    assert_eq!(
        (u.moment_keys.clone(), u.requirement_ids.clone()),
        (vec!["m2".to_string()], vec![reqs[1]])
    );
    assert_eq!(u.created_at, p.created_at);

    // Deleting a requirement takes it out of the plan.
    store.delete_requirement(&actor(), reqs[1]).await.unwrap();
    assert!(
        store
            .get_action_plan(p.id)
            .await
            .unwrap()
            .requirement_ids
            .is_empty()
    );

    store.delete_action_plan(&actor(), p.id).await.unwrap();
    assert!(matches!(
        store.get_action_plan(p.id).await,
        Err(StoreError::NotFound {
            entity: "action_plan"
        })
    ));
    assert!(matches!(
        store.delete_action_plan(&actor(), p.id).await,
        Err(StoreError::NotFound { .. })
    ));
    // The requirement that is left can still be deleted: no link remains.
    store.delete_requirement(&actor(), reqs[0]).await.unwrap();
    let audit = store
        .list_audit(
            &AuditQuery {
                action: Some("action_plan.".into()),
                ..AuditQuery::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "action_plan.delete",
            "action_plan.update",
            "action_plan.create"
        ]
    );
}

pub async fn action_plans_only_answer_their_services_requirements(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let (hotel, hotel_cycle) = service_with_cycle(store.as_ref(), "hotel").await;
    let theirs = entered(hotel.id, "m1", "Faster keys")
        .validate(Some(&hotel_cycle))
        .unwrap();
    let theirs = store.create_requirement(&actor(), &theirs).await.unwrap();
    let foreign = ActionPlanInput {
        requirement_ids: vec![theirs.id],
        ..plan(bank.id, "Cashier", &["m2"], "2026-02-01")
    };
    assert_invalid(
        store
            .create_action_plan(&actor(), &foreign.validate(Some(&cycle)).unwrap())
            .await,
        "requirement_ids",
    );
    let missing = ActionPlanInput {
        requirement_ids: vec![9999],
        ..plan(bank.id, "Cashier", &["m2"], "2026-02-01")
    };
    assert_invalid(
        store
            .create_action_plan(&actor(), &missing.validate(Some(&cycle)).unwrap())
            .await,
        "requirement_ids",
    );
    let mut no_service = plan(bank.id, "Cashier", &["m2"], "2026-02-01")
        .validate(Some(&cycle))
        .unwrap();
    no_service.service_id = 9999;
    assert_invalid(
        store.create_action_plan(&actor(), &no_service).await,
        "service_id",
    );
    let page = store
        .list_action_plans(&ActionPlanFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 0, "nothing written");
}

pub async fn action_plans_list_filters_and_pages(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let (hotel, hotel_cycle) = service_with_cycle(store.as_ref(), "hotel").await;
    let mut ids = Vec::new();
    for (title, moments, due, status) in [
        ("Queue display", &["m2"][..], "2026-03-01", "planned"),
        ("Greeting training", &["m1", "m2"][..], "2026-02-01", "done"),
        (
            "Cash counting check",
            &["m4"][..],
            "2026-03-01",
            "in_progress",
        ),
    ] {
        let p = ActionPlanInput {
            status: Some(status.into()),
            ..plan(bank.id, title, moments, due)
        };
        let p = store
            .create_action_plan(&actor(), &p.validate(Some(&cycle)).unwrap())
            .await
            .unwrap();
        ids.push(p.id);
    }
    let other = plan(hotel.id, "Faster check-in", &["m2"], "2026-01-20")
        .validate(Some(&hotel_cycle))
        .unwrap();
    let other = store.create_action_plan(&actor(), &other).await.unwrap();

    let list = |f: ActionPlanFilter, q: ListQuery| {
        let store = store.clone();
        async move {
            let page = store.list_action_plans(&f, &q).await.unwrap();
            (
                page.total,
                page.items.iter().map(|p| p.id).collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(
        list(ActionPlanFilter::default(), ListQuery::default()).await,
        (4, vec![other.id, ids[1], ids[0], ids[2]]),
        "by due date, then id"
    );
    let bank_m2 = ActionPlanFilter {
        service_id: Some(bank.id),
        moment_key: Some("m2".into()),
        ..ActionPlanFilter::default()
    };
    assert_eq!(
        list(bank_m2, ListQuery::default()).await,
        (2, vec![ids[1], ids[0]])
    );
    let done = ActionPlanFilter {
        status: Some(PlanStatus::Done),
        ..ActionPlanFilter::default()
    };
    assert_eq!(list(done, ListQuery::default()).await, (1, vec![ids[1]]));
    let page = ListQuery {
        limit: 1,
        offset: 2,
        ..ListQuery::default()
    };
    assert_eq!(
        list(ActionPlanFilter::default(), page).await,
        (4, vec![ids[0]])
    );
    let search = ListQuery {
        search: Some("COUNTING".into()),
        ..ListQuery::default()
    };
    assert_eq!(
        list(ActionPlanFilter::default(), search).await,
        (1, vec![ids[2]])
    );
    let listed = store
        .list_action_plans(&ActionPlanFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(
        listed.items[1].moment_keys,
        vec!["m1", "m2"],
        "links filled in lists"
    );
}

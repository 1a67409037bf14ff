//! Listing complaints: filters, overdue, sorting, paging, search; assignment.
use super::{assert_invalid, at, complaint, create, full_policy, minutes, site, walk};
use crate::{Store, actor, sample_user_fields};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    complaints::{ComplaintFilter, ComplaintOrder, ComplaintStatus::*, Severity},
    listing::ListQuery,
    user::Role,
};

fn refs(
    page: &touchpoint_core::listing::Page<touchpoint_core::complaints::Complaint>,
) -> Vec<String> {
    page.items
        .iter()
        .map(|c| c.reference[7..].to_string())
        .collect()
}

pub async fn complaints_list_filters_sort_and_page(store: Arc<dyn Store>) {
    store
        .save_policy(&actor(), &full_policy("critical", None))
        .await
        .unwrap();
    let (s1, s2) = (site(&*store, "a").await, site(&*store, "b").await);
    let agent = store
        .create_user(
            &actor(),
            &sample_user_fields("agent@x.com", Role::Agent),
            "h",
        )
        .await
        .unwrap();
    let specs = [
        ("Ana", "low", s1.id, "wait", 50),
        ("Bea", "critical", s1.id, "pay", 40),
        ("Cid", "medium", s2.id, "wait", 30),
        ("Dan", "high", s2.id, "greet", 20),
        ("Eva", "critical", s2.id, "wait", 10),
    ];
    let mut ids = Vec::new();
    for (i, (who, sev, site_id, moment, ago)) in specs.iter().enumerate() {
        let mut c = complaint(who, sev, "web", minutes(*ago * 60));
        c.site_id = Some(*site_id);
        c.moment_key = Some((*moment).into());
        c.service_key = Some("bank".into());
        ids.push(create(&*store, &c, i as u32 + 1).await.id);
    }
    store
        .assign_complaints(&actor(), &[ids[1], ids[3]], Some(agent.id))
        .await
        .unwrap();
    walk(&*store, ids[0], &[Acknowledged]).await;
    let q = ListQuery::default();
    let list = |f: ComplaintFilter, q: ListQuery| {
        let store = store.clone();
        async move { store.list_complaints(&f, &q).await.unwrap() }
    };
    let all = list(ComplaintFilter::default(), q.clone()).await;
    assert_eq!(all.total, 5);
    assert_eq!(
        refs(&all),
        ["000001", "000002", "000003", "000004", "000005"],
        "oldest received first"
    );
    let f = |f: ComplaintFilter| f;
    let by = [
        (
            f(ComplaintFilter {
                status: Some(Acknowledged),
                ..Default::default()
            }),
            vec!["000001"],
        ),
        (
            f(ComplaintFilter {
                severity: Some(Severity::Critical),
                ..Default::default()
            }),
            vec!["000002", "000005"],
        ),
        (
            f(ComplaintFilter {
                site_id: Some(s2.id),
                ..Default::default()
            }),
            vec!["000003", "000004", "000005"],
        ),
        (
            f(ComplaintFilter {
                moment_key: Some("wait".into()),
                ..Default::default()
            }),
            vec!["000001", "000003", "000005"],
        ),
        (
            f(ComplaintFilter {
                assignee_id: Some(agent.id),
                ..Default::default()
            }),
            vec!["000002", "000004"],
        ),
        (
            f(ComplaintFilter {
                customer_ref: Some("Dan".into()),
                ..Default::default()
            }),
            vec!["000004"],
        ),
        (
            f(ComplaintFilter {
                site_id: Some(s2.id),
                severity: Some(Severity::Critical),
                ..Default::default()
            }),
            vec!["000005"],
        ),
    ];
    for (filter, want) in by {
        assert_eq!(
            refs(&list(filter.clone(), q.clone()).await),
            want,
            "{filter:?}"
        );
    }
    // Overdue now: both critical complaints (acknowledge due 1 h after receipt) — until
    // their acknowledgement is honoured, even late.
    let overdue = ComplaintFilter {
        overdue_at: Some(at(0)),
        ..Default::default()
    };
    assert_eq!(
        refs(&list(overdue.clone(), q.clone()).await),
        ["000002", "000005"]
    );
    store.claim_due_promises(at(0), "n", 10).await.unwrap();
    assert_eq!(
        refs(&list(overdue.clone(), q.clone()).await),
        ["000002", "000005"],
        "broken but not honoured"
    );
    let early = ComplaintFilter {
        overdue_at: Some(at(-10 * 60)),
        ..Default::default()
    };
    assert_eq!(refs(&list(early, q.clone()).await), ["000002"]);

    // Acknowledging and responding honours both overdue promises, even late.
    walk(
        &*store,
        ids[1],
        &[Acknowledged, Assessed, Investigating, Responded],
    )
    .await;
    assert_eq!(refs(&list(overdue.clone(), q.clone()).await), ["000005"]);
    let sev = ComplaintFilter {
        order: ComplaintOrder::Severity,
        ..Default::default()
    };
    let desc = ListQuery {
        descending: true,
        ..q.clone()
    };
    assert_eq!(
        refs(&list(sev, desc.clone()).await),
        ["000005", "000002", "000004", "000003", "000001"]
    );
    let by_ref = ComplaintFilter {
        order: ComplaintOrder::Reference,
        ..Default::default()
    };
    let page = list(
        by_ref,
        ListQuery {
            limit: 2,
            offset: 1,
            descending: true,
            ..q.clone()
        },
    )
    .await;
    assert_eq!((page.total, page.limit, page.offset), (5, 2, 1));
    assert_eq!(refs(&page), ["000004", "000003"]);
    let updated = ComplaintFilter {
        order: ComplaintOrder::UpdatedAt,
        ..Default::default()
    };
    assert_eq!(list(updated, q.clone()).await.total, 5);
    let search = ListQuery {
        search: Some("EVA WAITED".into()),
        ..q.clone()
    };
    assert_eq!(
        refs(&list(ComplaintFilter::default(), search).await),
        ["000005"]
    );
    let search = ListQuery {
        search: Some("c-2026-000003".into()),
        ..q.clone()
    };
    assert_eq!(
        refs(&list(ComplaintFilter::default(), search).await),
        ["000003"]
    );
}

pub async fn complaints_assign_and_bulk_assign(store: Arc<dyn Store>) {
    let agent = store
        .create_user(
            &actor(),
            &sample_user_fields("agent@x.com", Role::Agent),
            "h",
        )
        .await
        .unwrap();
    let a = create(&*store, &complaint("Ana", "low", "web", minutes(0)), 1).await;
    let b = create(&*store, &complaint("Bea", "low", "web", minutes(0)), 2).await;
    let done = store
        .assign_complaints(&actor(), &[b.id, a.id], Some(agent.id))
        .await
        .unwrap();
    assert_eq!(done.iter().map(|c| c.id).collect::<Vec<_>>(), [b.id, a.id]);
    assert!(done.iter().all(|c| c.assignee_id == Some(agent.id)));
    assert_invalid(
        store.assign_complaints(&actor(), &[a.id], Some(999)).await,
        "assignee_id",
    );
    // All or nothing: an unknown id leaves the others untouched.
    let r = store.assign_complaints(&actor(), &[a.id, 999], None).await;
    assert!(matches!(
        r,
        Err(StoreError::NotFound {
            entity: "complaint"
        })
    ));
    assert_eq!(
        store.get_complaint(a.id).await.unwrap().assignee_id,
        Some(agent.id)
    );
    let un = store
        .assign_complaints(&actor(), &[a.id], None)
        .await
        .unwrap();
    assert_eq!(un[0].assignee_id, None);
}

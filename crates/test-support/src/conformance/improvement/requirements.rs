//! Requirements: create, read, update, delete, list with filters and paging, references.
use super::{assert_invalid, entered, service_with_cycle, site};
use crate::{Store, actor};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    audit::AuditQuery,
    improvement::{RequirementFilter, RequirementInput, RequirementSource, RequirementStatus},
    listing::ListQuery,
};

pub async fn requirements_create_read_update_delete(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let north = site(store.as_ref(), "north").await;
    let input = RequirementInput {
        site_id: Some(north.id),
        ..entered(bank.id, "m2", "  A second cashier from 12:00 to 14:00  ")
    };
    let r = store
        .create_requirement(&actor(), &input.validate(Some(&cycle)).unwrap())
        .await
        .unwrap();
    assert_eq!(r.text, "A second cashier from 12:00 to 14:00");
    assert_eq!(
        (r.source, r.status, r.site_id),
        (
            RequirementSource::Entered,
            RequirementStatus::Open,
            Some(north.id)
        )
    );
    assert_eq!(r.recorded_by, actor().label);
    assert_eq!(store.get_requirement(r.id).await.unwrap(), r);

    let changed = RequirementInput {
        status: Some("planned".into()),
        site_id: None,
        ..entered(bank.id, "m3", "A queue display")
    };
    let u = store
        .update_requirement(&actor(), r.id, &changed.validate(Some(&cycle)).unwrap())
        .await
        .unwrap();
    assert_eq!(
        (u.moment_key.as_str(), u.text.as_str(), u.status, u.site_id),
        ("m3", "A queue display", RequirementStatus::Planned, None)
    );
    assert_eq!(
        (u.created_at, u.recorded_by.clone()),
        (r.created_at, r.recorded_by.clone())
    );
    store.delete_requirement(&actor(), r.id).await.unwrap();
    assert!(matches!(
        store.get_requirement(r.id).await,
        Err(StoreError::NotFound {
            entity: "requirement"
        })
    ));
    assert!(matches!(
        store.delete_requirement(&actor(), r.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let valid = changed.validate(Some(&cycle)).unwrap();
    assert!(matches!(
        store.update_requirement(&actor(), 9999, &valid).await,
        Err(StoreError::NotFound { .. })
    ));
    let audit = store
        .list_audit(
            &AuditQuery {
                action: Some("requirement.".into()),
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
            "requirement.delete",
            "requirement.update",
            "requirement.create"
        ]
    );
}

pub async fn requirements_name_unknown_references(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let mut bad_site = entered(bank.id, "m1", "Signs at the door")
        .validate(Some(&cycle))
        .unwrap();
    bad_site.site_id = Some(4242);
    assert_invalid(
        store.create_requirement(&actor(), &bad_site).await,
        "site_id",
    );
    let mut bad_service = bad_site.clone();
    (bad_service.service_id, bad_service.site_id) = (4242, None);
    assert_invalid(
        store.create_requirement(&actor(), &bad_service).await,
        "service_id",
    );
    let from_survey = RequirementInput {
        source: Some("employee_survey".into()),
        response_id: Some(4242),
        question_code: Some("needs".into()),
        ..entered(bank.id, "m1", "More chairs")
    }
    .validate(Some(&cycle))
    .unwrap();
    assert_invalid(
        store.create_requirement(&actor(), &from_survey).await,
        "response_id",
    );
    let page = store
        .list_requirements(&RequirementFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 0, "nothing written");
}

pub async fn requirements_list_filters_and_pages(store: Arc<dyn Store>) {
    let (bank, cycle) = service_with_cycle(store.as_ref(), "bank").await;
    let (hotel, hotel_cycle) = service_with_cycle(store.as_ref(), "hotel").await;
    let (north, south) = (
        site(store.as_ref(), "north").await,
        site(store.as_ref(), "south").await,
    );
    let mut ids = Vec::new();
    for (i, (moment, site_id, status)) in [
        ("m1", None, "open"),
        ("m2", Some(north.id), "open"),
        ("m2", Some(south.id), "done"),
        ("m2", None, "planned"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = RequirementInput {
            site_id,
            status: Some(status.into()),
            ..entered(bank.id, moment, &format!("Need number {i} for the QUEUE"))
        };
        let r = store
            .create_requirement(&actor(), &r.validate(Some(&cycle)).unwrap())
            .await
            .unwrap();
        ids.push(r.id);
    }
    let other = entered(hotel.id, "m2", "Queue at reception")
        .validate(Some(&hotel_cycle))
        .unwrap();
    store.create_requirement(&actor(), &other).await.unwrap();

    let list = |f: RequirementFilter, q: ListQuery| {
        let store = store.clone();
        async move {
            let page = store.list_requirements(&f, &q).await.unwrap();
            (
                page.total,
                page.items.iter().map(|r| r.id).collect::<Vec<_>>(),
            )
        }
    };
    let bank_only = RequirementFilter {
        service_id: Some(bank.id),
        ..RequirementFilter::default()
    };
    assert_eq!(
        list(bank_only.clone(), ListQuery::default()).await,
        (4, vec![ids[3], ids[2], ids[1], ids[0]]),
        "newest first"
    );
    let m2_north = RequirementFilter {
        moment_key: Some("m2".into()),
        site_id: Some(north.id),
        ..bank_only.clone()
    };
    assert_eq!(
        list(m2_north, ListQuery::default()).await,
        (2, vec![ids[3], ids[1]]),
        "the site's own and those for every site"
    );
    let open = RequirementFilter {
        status: Some(RequirementStatus::Open),
        ..bank_only.clone()
    };
    assert_eq!(list(open, ListQuery::default()).await.0, 2);
    let page = ListQuery {
        limit: 2,
        offset: 1,
        ..ListQuery::default()
    };
    let p = store.list_requirements(&bank_only, &page).await.unwrap();
    assert_eq!((p.total, p.limit, p.offset), (4, 2, 1));
    assert_eq!(
        p.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[2], ids[1]]
    );
    let search = ListQuery {
        search: Some("number 2 for the queue".into()),
        ..ListQuery::default()
    };
    assert_eq!(
        list(RequirementFilter::default(), search).await,
        (1, vec![ids[2]])
    );
    let everything = list(RequirementFilter::default(), ListQuery::default()).await;
    assert_eq!(everything.0, 5);
}

//! Surveys: create, edit the draft, publish versions, list, archive.
use super::{all_kinds_survey, csat_survey, published, world};
use crate::{
    Store, actor,
    conformance::{assert_conflict, assert_invalid, assert_not_found, sorted},
    sample_cycle,
};
use std::{collections::BTreeMap, sync::Arc};
use touchpoint_core::{
    feedback::{
        Localized, QuestionKind, SurveyContext, ValidSurvey,
        survey::Audience,
        templates::{nps_survey, servqual_survey},
    },
    listing::{ListQuery, SortField},
};

fn retitled(def: &ValidSurvey, en: &str) -> ValidSurvey {
    let mut d = def.clone();
    d.title = Localized::en_es(en, format!("{en} (es)"));
    d
}

pub async fn survey_create_and_get(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let def = csat_survey(&w);
    let s = store.create_survey(&actor(), &def).await.unwrap();
    assert_eq!(s.key, def.key);
    assert_eq!(s.service_id, Some(w.service.id));
    assert_eq!(s.audience, Audience::Customers);
    assert_eq!(s.draft, def);
    assert!(s.has_unpublished_changes);
    assert_eq!(s.current_version, None);
    assert_eq!(s.response_count, 0);
    assert_eq!(s.archived_at, None);
    assert_eq!(s.created_at, s.updated_at);
    assert_eq!(store.get_survey(s.id).await.unwrap(), s);
    assert_eq!(store.get_survey_by_key(&def.key).await.unwrap(), s);
    assert_not_found(store.get_survey(s.id + 1000).await, "survey");
    assert_not_found(store.get_survey_by_key("nope").await, "survey");
    assert_not_found(store.current_survey_version(s.id).await, "survey_version");
    assert_not_found(store.survey_version(s.id, 1).await, "survey_version");
    assert!(store.list_survey_versions(s.id).await.unwrap().is_empty());

    // An employee survey may belong to the organization alone.
    let mut emp = nps_survey("staff", "Staff");
    emp.audience = Audience::Employees;
    emp.service_key = None;
    let emp = emp
        .validate(&SurveyContext::with_default_dimensions(None))
        .unwrap();
    let e = store.create_survey(&actor(), &emp).await.unwrap();
    assert_eq!((e.service_id, e.audience), (None, Audience::Employees));
    let v = store.publish_survey(&actor(), e.id).await.unwrap();
    assert_eq!(v.cycle_version_id, None);
    assert!(v.moment_ids.is_empty());
}

pub async fn survey_create_rejects_unknown_service_and_taken_key(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let ghost = nps_survey("ghost", "Ghost")
        .validate(&SurveyContext::with_default_dimensions(None))
        .unwrap();
    assert_invalid(store.create_survey(&actor(), &ghost).await, "service_key");
    let def = csat_survey(&w);
    store.create_survey(&actor(), &def).await.unwrap();
    let mut again = retitled(&def, "Another title");
    again.questions.truncate(1);
    assert_conflict(store.create_survey(&actor(), &again).await, "key");
    let all = store.list_surveys(&ListQuery::all(), None).await.unwrap();
    assert_eq!(all.total, 1);
}

pub async fn survey_update_draft(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    let def = csat_survey(&w);
    let s = store.create_survey(&actor(), &def).await.unwrap();
    let edited = retitled(&def, "How was your visit?");
    let u = store
        .update_survey_draft(&actor(), s.id, &edited)
        .await
        .unwrap();
    assert_eq!(u.draft, edited);
    assert!(u.has_unpublished_changes);
    assert_eq!((u.id, u.created_at), (s.id, s.created_at));
    assert_eq!(store.get_survey(s.id).await.unwrap(), u);

    let mut rekeyed = edited.clone();
    rekeyed.key = "renamed".into();
    assert_invalid(
        store.update_survey_draft(&actor(), s.id, &rekeyed).await,
        "key",
    );
    let mut moved = edited.clone();
    moved.service_key = Some(other.service.key.clone());
    assert_invalid(
        store.update_survey_draft(&actor(), s.id, &moved).await,
        "service_key",
    );
    assert_not_found(
        store
            .update_survey_draft(&actor(), s.id + 1000, &edited)
            .await,
        "survey",
    );
    assert_eq!(store.get_survey(s.id).await.unwrap().draft, edited);
}

pub async fn survey_publish_freezes_versions(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let def = csat_survey(&w);
    let s = store.create_survey(&actor(), &def).await.unwrap();
    let v1 = store.publish_survey(&actor(), s.id).await.unwrap();
    assert_eq!((v1.survey_id, v1.version), (s.id, 1));
    assert_eq!(v1.definition, def);
    assert_eq!(v1.published_by, "test");
    assert_eq!(v1.cycle_version_id, Some(w.cycle.id));
    let want: BTreeMap<String, i64> = ["m1", "m2", "m3"]
        .iter()
        .map(|m| (format!("{m}_csat"), w.moment_id(m)))
        .collect();
    assert_eq!(v1.moment_ids, want);
    let after = store.get_survey(s.id).await.unwrap();
    assert_eq!(after.current_version, Some(1));
    assert!(!after.has_unpublished_changes);
    assert_eq!(after.draft, def);
    assert_conflict(store.publish_survey(&actor(), s.id).await, "draft");
    assert_not_found(store.publish_survey(&actor(), s.id + 1000).await, "survey");

    let edited = retitled(&def, "Second edition");
    store
        .update_survey_draft(&actor(), s.id, &edited)
        .await
        .unwrap();
    assert_eq!(store.current_survey_version(s.id).await.unwrap(), v1);
    let v2 = store.publish_survey(&actor(), s.id).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v2.id, v1.id);
    assert_eq!(v2.definition, edited);
    assert_eq!(store.survey_version(s.id, 1).await.unwrap(), v1);
    assert_eq!(store.survey_version(s.id, 2).await.unwrap(), v2);
    assert_eq!(store.current_survey_version(s.id).await.unwrap(), v2);
    assert_not_found(store.survey_version(s.id, 3).await, "survey_version");
    assert_eq!(
        store.list_survey_versions(s.id).await.unwrap(),
        vec![v2.clone(), v1.clone()]
    );
    assert_eq!(
        store.get_survey(s.id).await.unwrap().current_version,
        Some(2)
    );

    // Editing back to exactly the published text leaves nothing to publish.
    let round_trip = store
        .update_survey_draft(&actor(), s.id, &retitled(&def, "Draft in progress"))
        .await
        .unwrap();
    assert!(round_trip.has_unpublished_changes);
    let back = store
        .update_survey_draft(&actor(), s.id, &edited)
        .await
        .unwrap();
    assert!(!back.has_unpublished_changes);
    assert_conflict(store.publish_survey(&actor(), s.id).await, "draft");
}

pub async fn survey_publish_resolves_moments_in_the_current_cycle(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let def = all_kinds_survey(&w, "bank-all", "Everything");
    let (s, v1) = published(&*store, &def).await;
    let want: BTreeMap<String, i64> = [
        ("wait".to_string(), w.moment_id("m2")),
        ("effort".to_string(), w.moment_id("m1")),
    ]
    .into();
    assert_eq!(v1.moment_ids, want);

    // A redesigned cycle gets new moment rows; the next survey version points at them.
    let c2 = store
        .publish_cycle(&actor(), w.service.id, &sample_cycle(4, &[1]))
        .await
        .unwrap();
    let id_of = |k: &str| c2.moments.iter().find(|m| m.key == k).unwrap().id;
    store
        .update_survey_draft(&actor(), s.id, &retitled(&def, "Everything, again"))
        .await
        .unwrap();
    let v2 = store.publish_survey(&actor(), s.id).await.unwrap();
    assert_eq!(v2.cycle_version_id, Some(c2.id));
    assert_eq!(v2.moment_ids["wait"], id_of("m2"));
    assert_eq!(v2.moment_ids["effort"], id_of("m1"));
    assert_eq!(store.survey_version(s.id, 1).await.unwrap(), v1);

    // A survey without moment questions still records the cycle version it was checked against.
    let servqual = servqual_survey(&w.service.key, &w.service.name)
        .validate(&w.context())
        .unwrap();
    let (_, sv) = published(&*store, &servqual).await;
    assert_eq!(sv.cycle_version_id, Some(c2.id));
    assert!(sv.moment_ids.is_empty());
    assert!(
        sv.definition
            .questions
            .iter()
            .all(|q| q.kind == QuestionKind::Servqual)
    );
}

pub async fn survey_list_sort_search_and_page(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let other = world(&*store, "hotel").await;
    let titles = [("s-c", "Bravo"), ("s-a", "alpha"), ("s-b", "Charlie")];
    let mut ids = Vec::new();
    for (key, title) in titles {
        let def = all_kinds_survey(&w, key, title);
        ids.push(store.create_survey(&actor(), &def).await.unwrap().id);
    }
    let elsewhere = all_kinds_survey(&other, "s-z", "Zulu");
    let z = store.create_survey(&actor(), &elsewhere).await.unwrap();
    let keys = |p: &touchpoint_core::listing::Page<touchpoint_core::feedback::records::Survey>| {
        p.items.iter().map(|s| s.key.clone()).collect::<Vec<_>>()
    };
    let by_name = store
        .list_surveys(&sorted(SortField::Name, false), Some(w.service.id))
        .await
        .unwrap();
    assert_eq!(keys(&by_name), ["s-a", "s-c", "s-b"]);
    assert_eq!(by_name.total, 3);
    let by_key = store
        .list_surveys(&sorted(SortField::Key, true), None)
        .await
        .unwrap();
    assert_eq!(keys(&by_key), ["s-z", "s-c", "s-b", "s-a"]);
    let by_created = store
        .list_surveys(&sorted(SortField::CreatedAt, false), None)
        .await
        .unwrap();
    let created: Vec<i64> = by_created.items.iter().map(|s| s.id).collect();
    assert_eq!(created, [ids[0], ids[1], ids[2], z.id]);
    let page = store
        .list_surveys(
            &ListQuery {
                limit: 2,
                offset: 1,
                ..sorted(SortField::Key, false)
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(keys(&page), ["s-b", "s-c"]);
    assert_eq!((page.total, page.limit, page.offset), (4, 2, 1));
    let found = store
        .list_surveys(
            &ListQuery {
                search: Some("CHAR".into()),
                ..ListQuery::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(keys(&found), ["s-b"]);
    let none = store
        .list_surveys(&ListQuery::default(), Some(other.service.id + 1000))
        .await
        .unwrap();
    assert_eq!(none.total, 0);
}

pub async fn survey_archive(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, _) = published(&*store, &csat_survey(&w)).await;
    let keep = store
        .create_survey(&actor(), &all_kinds_survey(&w, "keep", "Keep"))
        .await
        .unwrap();
    store.archive_survey(&actor(), s.id).await.unwrap();
    let archived = store.get_survey(s.id).await.unwrap();
    let at = archived.archived_at.expect("archived_at is set");
    assert_eq!(store.get_survey_by_key(&s.key).await.unwrap(), archived);
    assert_eq!(store.current_survey_version(s.id).await.unwrap().version, 1);
    let listed = store
        .list_surveys(&ListQuery::default(), None)
        .await
        .unwrap();
    let ids: Vec<i64> = listed.items.iter().map(|s| s.id).collect();
    assert_eq!((ids, listed.total), (vec![keep.id], 1));
    let all = store.list_surveys(&ListQuery::all(), None).await.unwrap();
    assert_eq!(all.total, 2);
    store.archive_survey(&actor(), s.id).await.unwrap();
    assert_eq!(store.get_survey(s.id).await.unwrap().archived_at, Some(at));
    assert_not_found(store.archive_survey(&actor(), s.id + 1000).await, "survey");
}

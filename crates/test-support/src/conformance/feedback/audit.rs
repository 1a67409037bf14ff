//! Every audited feedback write leaves one record; responses and failed writes leave none.
use super::{
    all_kinds_answers, all_kinds_survey, csat_survey, invitation, january, march, measurement,
    open_link, response, sample_visit, world,
};
use crate::{Store, actor, conformance::all_audit, t0};
use std::sync::Arc;
use touchpoint_core::{
    audit::AuditEntry,
    feedback::{ComplimentDraft, Localized},
};

/// Audit entries from the feedback actions (foundation ones are left out), oldest first.
async fn feedback_audit(store: &dyn Store) -> Vec<AuditEntry> {
    let prefixes = [
        "survey.",
        "link.",
        "checklist.",
        "visit.",
        "measurement.",
        "compliment.",
        "response",
    ];
    let mut entries: Vec<AuditEntry> = all_audit(store)
        .await
        .into_iter()
        .filter(|e| prefixes.iter().any(|p| e.action.starts_with(p)))
        .collect();
    entries.reverse();
    entries
}

pub async fn feedback_writes_are_audited(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let a = actor();
    let def = csat_survey(&w);
    let s = store.create_survey(&a, &def).await.unwrap();
    let mut edited = def.clone();
    edited.title = Localized::en_es("Edited", "Editada");
    store.update_survey_draft(&a, s.id, &edited).await.unwrap();
    store.publish_survey(&a, s.id).await.unwrap();
    let links = store
        .create_links(&a, s.id, &[open_link(1), invitation(2, "Ana")])
        .await
        .unwrap();
    store.deactivate_link(&a, links[0].id).await.unwrap();
    store.archive_survey(&a, s.id).await.unwrap();
    // Failed writes leave nothing.
    assert!(store.create_survey(&a, &def).await.is_err());
    assert!(store.publish_survey(&a, s.id).await.is_err());
    assert!(store.create_links(&a, s.id, &[open_link(1)]).await.is_err());
    // Responses are customer data: no audit record, one by one or in bulk.
    let other = all_kinds_survey(&w, "other", "Other");
    let (_, ov) = super::published(&*store, &other).await;
    let before_responses = feedback_audit(&*store).await.len();
    store
        .submit_response(&response(&ov, march(2, 9, 0, 0), &all_kinds_answers(1)))
        .await
        .unwrap();
    store
        .submit_responses(&[response(&ov, march(2, 9, 1, 0), &all_kinds_answers(2))])
        .await
        .unwrap();
    assert_eq!(feedback_audit(&*store).await.len(), before_responses);

    store
        .set_checklist_items(&a, w.service.id, "m1", &["Clean counter".into()])
        .await
        .unwrap();
    let visit = sample_visit(&*store, &w, w.sites[0].id, january(5, 10), vec![]).await;
    let rv = store
        .record_visit(&a, w.service.id, w.cycle.id, &visit)
        .await
        .unwrap();
    let m = [
        measurement(&w, 0, "m1", 3, 1.0, Some("x1")),
        measurement(&w, 0, "m1", 4, 2.0, Some("x1")),
        measurement(&w, 1, "m2", 4, 2.0, None),
    ];
    store.record_measurements(&a, &m).await.unwrap();
    let c = ComplimentDraft {
        service_key: None,
        moment_key: None,
        staff_id: Some(w.staff.id),
        site_id: None,
        customer: None,
        text: "Very kind".into(),
        received_at: january(6, 12),
        channel: "phone".into(),
    }
    .validate(None, t0())
    .unwrap();
    let rc = store.record_compliment(&a, None, &c).await.unwrap();

    let got: Vec<(String, String, Option<String>)> = feedback_audit(&*store)
        .await
        .into_iter()
        .map(|e| (e.action, e.entity, e.entity_id))
        .collect();
    let sid = Some(s.id.to_string());
    let oid = Some(ov.survey_id.to_string());
    let e = |action: &str, entity: &str, id: &Option<String>| {
        (action.to_string(), entity.to_string(), id.clone())
    };
    assert_eq!(
        got,
        [
            e("survey.create", "survey", &sid),
            e("survey.update", "survey", &sid),
            e("survey.publish", "survey", &sid),
            e("link.create", "link", &Some(links[0].id.to_string())),
            e("link.create", "link", &Some(links[1].id.to_string())),
            e("link.deactivate", "link", &Some(links[0].id.to_string())),
            e("survey.archive", "survey", &sid),
            e("survey.create", "survey", &oid),
            e("survey.publish", "survey", &oid),
            e(
                "checklist.update",
                "checklist",
                &Some(w.service.id.to_string())
            ),
            e("visit.create", "visit", &Some(rv.id.to_string())),
            (
                "measurement.create".to_string(),
                "measurement".to_string(),
                got[11].2.clone()
            ),
            e("compliment.create", "compliment", &Some(rc.id.to_string())),
        ]
    );
    let entries = feedback_audit(&*store).await;
    assert!(entries.iter().all(|e| e.actor == "test"));
    let measured = &entries[11];
    assert_eq!(
        measured.after.as_ref().map(|a| a["created"].clone()),
        Some(serde_json::json!(2)),
        "measurement.create records how many were created"
    );
    let published = &entries[2];
    assert_eq!(
        published.after.as_ref().map(|a| a["version"].clone()),
        Some(serde_json::json!(1))
    );
}

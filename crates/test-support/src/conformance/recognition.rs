//! The recognition conformance suite, written only against [`Store`]: the formula's settings
//! and the month's evidence per staff member. Run it with
//! [`recognition_conformance_tests!`](crate::recognition_conformance_tests).
//!
//! Contract pinned down here (beyond `touchpoint_core::recognition::store`): saving settings
//! writes one `recognition.settings` audit record (entity `recognition_settings`, id `1`) with
//! the settings before and after; evidence lists are ordered by staff id, audits then by
//! service id and moment key (bytewise); sums are exact for these inputs.
use super::complaints::{complaint, create, walk};
use super::feedback::{csat_survey, published, response, sample_visit, world};
use crate::{Store, actor, sample_user_fields, t0};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;
use touchpoint_core::{
    audit::AuditQuery,
    complaints::{ComplaintStatus, NewPromise, PromiseKind, PromiseState, Resolution},
    feedback::{AnswerValue, ComplimentDraft, survey::Audience},
    org::StaffFields,
    recognition::{
        AuditMomentTally, CountTally, PromiseTally, RecognitionSettings, ResolutionTally,
        ScoreTally,
    },
    user::Role,
};

fn utc(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().unwrap()
}

fn january() -> (DateTime<Utc>, DateTime<Utc>) {
    (utc(2026, 1, 1, 0), utc(2026, 2, 1, 0))
}

pub async fn recognition_settings_default_save_and_audit(store: Arc<dyn Store>) {
    assert_eq!(
        store.recognition_settings().await.unwrap(),
        RecognitionSettings::default()
    );
    let mut s = RecognitionSettings::default();
    s.audit.weight = 2.5;
    s.satisfaction.min_sample = 25;
    s.compliments_for_full_marks = 8;
    s.min_coverage = 0.75;
    let saved = store.save_recognition_settings(&actor(), &s).await.unwrap();
    assert_eq!(saved, s);
    assert_eq!(store.recognition_settings().await.unwrap(), s);
    let mut again = s;
    again.resolution.weight = 0.0;
    store
        .save_recognition_settings(&actor(), &again)
        .await
        .unwrap();
    assert_eq!(store.recognition_settings().await.unwrap(), again);
    let q = AuditQuery {
        action: Some("recognition.settings".into()),
        ..AuditQuery::default()
    };
    let trail = store.list_audit(&q, 10, 0).await.unwrap().items;
    assert_eq!(trail.len(), 2);
    let newest = &trail[0];
    assert_eq!(
        (newest.entity.as_str(), newest.entity_id.as_deref()),
        ("recognition_settings", Some("1"))
    );
    assert_eq!(newest.before, Some(serde_json::to_value(s).unwrap()));
    assert_eq!(newest.after, Some(serde_json::to_value(again).unwrap()));
    assert_eq!(
        trail[1].before,
        Some(serde_json::to_value(RecognitionSettings::default()).unwrap())
    );
}

fn resolution(satisfied: Option<bool>) -> Resolution {
    Resolution {
        root_cause: "Nobody covered the lunch hour".into(),
        root_cause_moment_key: None,
        explanation: "The counter was short-staffed".into(),
        prevention: "Stagger breaks".into(),
        alternatives_offered: String::new(),
        compensation: String::new(),
        customer_satisfied: satisfied,
    }
}

const TO_RESOLVED: [ComplaintStatus; 5] = [
    ComplaintStatus::Acknowledged,
    ComplaintStatus::Assessed,
    ComplaintStatus::Investigating,
    ComplaintStatus::Responded,
    ComplaintStatus::Resolved,
];

pub async fn staff_month_evidence_groups_every_source(store: Arc<dyn Store>) {
    let a = actor();
    let w = world(&*store, "bank").await;
    let ana = w.staff.clone();
    let ben = store
        .create_staff(
            &a,
            &StaffFields {
                name: "Ben".into(),
                role: "Agent".into(),
                site_id: Some(w.sites[0].id),
                // Case differs from the user's: the match ignores case.
                email: "Ben@Example.com".into(),
                active: true,
            },
        )
        .await
        .unwrap();
    assert!(ana.id < ben.id);

    // Audits: two January visits observe Ana, one of them Ben too; a December one is outside.
    for (at, staff) in [
        (utc(2026, 1, 5, 10), vec![ana.id, ben.id]),
        (utc(2026, 1, 6, 10), vec![ana.id]),
        (utc(2025, 12, 20, 10), vec![ana.id]),
    ] {
        let visit = sample_visit(&*store, &w, w.sites[0].id, at, staff).await;
        store
            .record_visit(&a, w.service.id, w.cycle.id, &visit)
            .await
            .unwrap();
    }

    // Satisfaction: customer responses naming Ana; an employee survey and an unnamed
    // response do not count, nor February.
    let (_, v) = published(&*store, &csat_survey(&w)).await;
    let mut staff_def = csat_survey(&w);
    staff_def.key = "bank-staff-voice".into();
    staff_def.audience = Audience::Employees;
    let (_, staff_v) = published(&*store, &staff_def).await;
    let scores = |m1, m2, m3, overall| {
        vec![
            ("m1_csat", AnswerValue::Score(m1)),
            ("m2_csat", AnswerValue::Score(m2)),
            ("m3_csat", AnswerValue::Score(m3)),
            ("overall", AnswerValue::Score(overall)),
        ]
    };
    let named = |v, at, answers: Vec<(&str, AnswerValue)>, staff| {
        let mut r = response(v, at, &answers);
        r.staff_id = staff;
        r
    };
    for r in [
        named(&v, utc(2026, 1, 3, 9), scores(5, 3, 5, 3), Some(ana.id)), // 100, 50, 100, 50
        named(&v, utc(2026, 1, 9, 9), scores(4, 4, 4, 4), Some(ana.id)), // 75
        named(&v, utc(2026, 1, 9, 9), scores(1, 1, 1, 1), None),
        named(&v, utc(2026, 2, 2, 9), scores(1, 1, 1, 1), Some(ana.id)),
        named(
            &staff_v,
            utc(2026, 1, 9, 9),
            scores(1, 1, 1, 1),
            Some(ana.id),
        ),
    ] {
        store.submit_response(&r).await.unwrap();
    }

    // Compliments: two about Ana and one about Ben in January; December and unnamed ones
    // do not count.
    for (staff, at) in [
        (Some(ana.id), utc(2026, 1, 3, 16)),
        (Some(ana.id), utc(2026, 1, 7, 16)),
        (Some(ben.id), utc(2026, 1, 8, 16)),
        (Some(ana.id), utc(2025, 12, 30, 16)),
        (None, utc(2026, 1, 8, 16)),
    ] {
        // A compliment naming nobody must be about a moment.
        let moment = staff.is_none().then(|| "m1".to_string());
        let c = ComplimentDraft {
            service_key: moment.as_ref().map(|_| w.service.key.clone()),
            moment_key: moment.clone(),
            staff_id: staff,
            site_id: Some(w.sites[0].id),
            customer: None,
            text: "Very kind and quick".into(),
            received_at: at,
            channel: "email".into(),
        }
        .validate(Some(&w.cycle), t0())
        .unwrap();
        let service = moment.map(|_| w.service.id);
        store.record_compliment(&a, service, &c).await.unwrap();
    }

    // Complaints assigned to Ben's user: two resolved (one to the customer's satisfaction),
    // one still open with a kept and a broken promise. A user with no staff member counts
    // for nobody.
    let ben_user = store
        .create_user(&a, &sample_user_fields("ben@example.com", Role::Agent), "x")
        .await
        .unwrap();
    let stranger = store
        .create_user(
            &a,
            &sample_user_fields("nobody@example.com", Role::Agent),
            "x",
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (n, (assignee, satisfied)) in [
        (ben_user.id, Some(true)),
        (ben_user.id, Some(false)),
        (stranger.id, Some(true)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = complaint("Marta", "low", "phone", Duration::minutes(60));
        c.assignee_id = Some(assignee);
        let c = create(&*store, &c, n as u32 + 1).await;
        store
            .record_resolution(&a, c.id, &resolution(satisfied))
            .await
            .unwrap();
        walk(&*store, c.id, &TO_RESOLVED).await;
        ids.push(c.id);
    }
    let mut open = complaint("Luis", "low", "phone", Duration::minutes(60));
    open.assignee_id = Some(ben_user.id);
    let open = create(&*store, &open, 9).await;
    let promise = |minutes: i64| NewPromise {
        kind: PromiseKind::Callback,
        description: "We will call you back".into(),
        due_at: t0() + Duration::minutes(minutes),
    };
    let kept = store.add_promise(&a, open.id, &promise(30)).await.unwrap();
    store.fulfil_promise(&a, kept.id).await.unwrap();
    store.add_promise(&a, open.id, &promise(1)).await.unwrap();
    store
        .claim_due_promises(t0() + Duration::minutes(5), "n1", 100)
        .await
        .unwrap();
    // Whatever the policies promised is counted too: derive the expected tallies from what
    // the store says about Ben's promises.
    let (mut exp_kept, mut exp_broken) = (0, 0);
    for id in [ids[0], ids[1], open.id] {
        for p in store.complaint_promises(id).await.unwrap() {
            let in_january = p
                .settled_at
                .is_some_and(|t| t >= january().0 && t < january().1);
            match p.state {
                PromiseState::Kept if in_january => exp_kept += 1,
                PromiseState::Broken if in_january => exp_broken += 1,
                _ => {}
            }
        }
    }
    assert!(exp_kept >= 1 && exp_broken >= 1);

    let (from, to) = january();
    let ev = store.staff_month_evidence(from, to).await.unwrap();
    let tally = |staff_id, key: &str, score_sum, scored| AuditMomentTally {
        staff_id,
        service_id: w.service.id,
        moment_key: key.into(),
        score_sum,
        scored,
    };
    assert_eq!(
        ev.audits,
        vec![
            tally(ana.id, "m1", 200.0, 2),
            tally(ana.id, "m2", 0.0, 2),
            tally(ana.id, "m3", 200.0, 2),
            tally(ben.id, "m1", 100.0, 1),
            tally(ben.id, "m2", 0.0, 1),
            tally(ben.id, "m3", 100.0, 1),
        ]
    );
    assert_eq!(
        ev.satisfaction,
        vec![ScoreTally {
            staff_id: ana.id,
            sum: 150.0,
            count: 2
        }]
    );
    assert_eq!(
        ev.compliments,
        vec![
            CountTally {
                staff_id: ana.id,
                count: 2
            },
            CountTally {
                staff_id: ben.id,
                count: 1
            }
        ]
    );
    assert_eq!(
        ev.resolutions,
        vec![ResolutionTally {
            staff_id: ben.id,
            resolved: 2,
            satisfied: 1
        }]
    );
    assert_eq!(
        ev.promises,
        vec![PromiseTally {
            staff_id: ben.id,
            kept: exp_kept,
            broken: exp_broken
        }]
    );

    // February holds only Ana's one response (all answers 1 → 0 on the common scale).
    let feb = store
        .staff_month_evidence(utc(2026, 2, 1, 0), utc(2026, 3, 1, 0))
        .await
        .unwrap();
    assert!(feb.audits.is_empty() && feb.compliments.is_empty());
    assert!(feb.resolutions.is_empty() && feb.promises.is_empty());
    assert_eq!(
        feb.satisfaction,
        vec![ScoreTally {
            staff_id: ana.id,
            sum: 0.0,
            count: 1
        }]
    );
}

//! A small, known recognition month (December 2025; the clock stands at 2026-01-15, so it is
//! the default "last complete month") at two sites, seeded through the store:
//!
//! | staff (Teller) | site | audit (role moments m1, m3) | satisfaction | compliments | expected |
//! |---|---|---|---|---|---|
//! | Ana Ruiz | Centro | 6 × 100 | 12 × 100 | 2 | 88, rank 1 |
//! | Bruno Díaz | Centro | 3 × 0 + 3 × 100 | 12 × 75 | 0 | 50, rank 2 |
//! | Carla Gómez | Centro | – | 3 × 100 (under 10) | 1 | not ranked |
//! | Diego Paz | Norte | 6 × 100 | 10 × 75 | 0 | 70, rank 1 |
//!
//! With the default weights (audit .30, satisfaction .30, compliments .15 of 5) Ana scores
//! (.30 + .30 + .15 × 2/5) / .75 × 100 = 88.
#![allow(dead_code)]

use crate::support::TestApp;
use chrono::{DateTime, TimeZone, Utc};
use std::collections::BTreeMap;
use touchpoint_core::{
    audit::Actor,
    feedback::{
        AnswerValue, Checklist, ComplimentDraft, ItemResult, SurveyContext, VisitDraft,
        check_answers,
        records::{NewResponse, ResponseSource},
        templates::moment_csat_survey,
    },
    org::{SiteFields, StaffFields, StaffMember},
};

pub fn now() -> DateTime<Utc> {
    touchpoint_test_support::t0()
}

pub fn december(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, day, hour, 0, 0).unwrap()
}

pub struct Seeded {
    pub centro: i64,
    pub norte: i64,
    pub ana: StaffMember,
    pub bruno: StaffMember,
    pub carla: StaffMember,
    pub diego: StaffMember,
}

pub async fn seed(app: &TestApp) -> Seeded {
    let a = Actor::system("test");
    let store = app.store.as_ref();
    let service = app.seed_service_with_cycle("bank", 3, &[2]).await;
    let cycle = store.current_cycle(service.id).await.unwrap();
    let mut sites = Vec::new();
    for name in ["Centro", "Norte"] {
        let f = SiteFields {
            key: name.to_lowercase(),
            name: name.into(),
            city: "Bogotá".into(),
            timezone: "UTC".into(),
            manager_email: None,
            active: true,
        };
        sites.push(store.create_site(&a, &f).await.unwrap().id);
    }
    let person = |name: &str, site: i64| StaffFields {
        name: name.into(),
        role: "Teller".into(),
        site_id: Some(site),
        email: String::new(),
        active: true,
    };
    let mut staff = Vec::new();
    for (name, site) in [
        ("Ana Ruiz", sites[0]),
        ("Bruno Díaz", sites[0]),
        ("Carla Gómez", sites[0]),
        ("Diego Paz", sites[1]),
    ] {
        staff.push(store.create_staff(&a, &person(name, site)).await.unwrap());
    }
    let (ana, bruno, carla, diego) = (&staff[0], &staff[1], &staff[2], &staff[3]);

    // Visits: three each for Ana, Bruno (m1 not met) and Diego.
    let checklist = Checklist::from_cycle(&cycle, &BTreeMap::new()).unwrap();
    let visit = |site: i64, day: u32, who: i64, failed: Option<&str>| {
        let results = checklist
            .moments
            .iter()
            .map(|m| {
                let mark = if Some(m.key.as_str()) == failed {
                    ItemResult::NotMet
                } else {
                    ItemResult::Met
                };
                let items = m.items.iter().map(|i| (i.code.clone(), mark)).collect();
                (m.key.clone(), items)
            })
            .collect();
        VisitDraft {
            site_id: site,
            visited_at: december(day, 10),
            staff_ids: vec![who],
            results,
            notes: String::new(),
            moment_notes: BTreeMap::new(),
        }
        .validate(&checklist, now())
        .unwrap()
    };
    for day in [2, 9, 16] {
        for v in [
            visit(sites[0], day, ana.id, None),
            visit(sites[0], day, bruno.id, Some("m1")),
            visit(sites[1], day, diego.id, None),
        ] {
            store
                .record_visit(&a, service.id, cycle.id, &v)
                .await
                .unwrap();
        }
    }

    // Customer responses naming the teller who served them.
    let def = moment_csat_survey(&service.key, &service.name, &cycle, true)
        .validate(&SurveyContext::with_default_dimensions(Some(&cycle)))
        .unwrap();
    let survey = store.create_survey(&a, &def).await.unwrap();
    let version = store.publish_survey(&a, survey.id).await.unwrap();
    let answer = |score: i32, staff: &StaffMember, day: u32| {
        let given: BTreeMap<String, AnswerValue> = ["m1_csat", "m3_csat", "overall"]
            .into_iter()
            .map(|c| (c.to_string(), AnswerValue::Score(score)))
            .collect();
        let valid = check_answers(&version.definition, &given).unwrap();
        NewResponse {
            survey_id: survey.id,
            survey_version_id: version.id,
            source: ResponseSource::Api,
            external_id: None,
            idempotency_key: None,
            link_id: None,
            submitted_at: december(day, 12),
            customer: None,
            site_id: staff.site_id,
            staff_id: Some(staff.id),
            language: "es".into(),
            answers: version.stored_answers(&valid),
        }
    };
    let mut responses = Vec::new();
    for day in 1..=12 {
        responses.push(answer(5, ana, day));
        responses.push(answer(4, bruno, day));
    }
    for day in 1..=3 {
        responses.push(answer(5, carla, day));
    }
    for day in 1..=10 {
        responses.push(answer(4, diego, day));
    }
    for r in store.submit_responses(&responses).await.unwrap() {
        r.unwrap();
    }

    for (who, day) in [(ana, 5), (ana, 20), (carla, 7)] {
        let c = ComplimentDraft {
            service_key: None,
            moment_key: None,
            staff_id: Some(who.id),
            site_id: who.site_id,
            customer: None,
            text: "Patient and clear".into(),
            received_at: december(day, 15),
            channel: "email".into(),
        }
        .validate(None, now())
        .unwrap();
        store.record_compliment(&a, None, &c).await.unwrap();
    }
    Seeded {
        centro: sites[0],
        norte: sites[1],
        ana: ana.clone(),
        bruno: bruno.clone(),
        carla: carla.clone(),
        diego: diego.clone(),
    }
}

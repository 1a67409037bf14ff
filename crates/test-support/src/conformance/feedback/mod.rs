//! The feedback conformance suite: surveys, links, responses, roll-ups and evidence, written
//! only against [`Store`]. Run it with
//! [`feedback_conformance_tests!`](crate::feedback_conformance_tests); each function gets a
//! fresh, empty, migrated store whose clock stands still at [`t0`].
//!
//! Inputs are built through the core domain (templates, `SurveyDraft::validate`,
//! `check_answers`, `Checklist::from_cycle` + `VisitDraft::validate`,
//! `MeasurementDraft::judge`, `ComplimentDraft::validate`), as the server and CLI will.
//!
//! # Contract pinned down here (beyond the trait docs in `touchpoint_core::feedback::store`)
//!
//! **Surveys**: `has_unpublished_changes` is true when nothing was published yet or the draft
//! differs from the latest version's definition (an edit back to exactly the published text
//! makes it false, and publishing it is `Conflict { field: "draft" }`). Publishing sets
//! `cycle_version_id` to the service's current cycle version (`None` without a service or a
//! cycle) and `moment_ids` to question code → moment id *in that version*, only for questions
//! with a `moment_key`. `published_by` is the actor's label. Unknown survey ids are
//! `NotFound { entity: "survey" }` everywhere (versions: `"survey_version"`). Archiving sets
//! `archived_at` (a second archive is `Ok` and keeps the first time); archived surveys stay
//! readable and leave lists unless `include_inactive`. `list_surveys`: `search` is a
//! case-insensitive substring of the English title; sorts as the foundation lists (ties by id).
//!
//! **Links**: `create_links` is all or nothing and returns the links in input order; an unknown
//! survey is `NotFound { entity: "survey" }`, a taken `token_hash` is
//! `Conflict { field: "token_hash" }`. The token is kept only for open links (a token given for
//! a personal invitation is dropped). `find_link` of an unknown hash is
//! `NotFound { entity: "link" }`, as is deactivating an unknown link. `list_links` returns every
//! link of the survey, deactivated ones too, in creation order (id ascending; `descending`
//! reverses), paged; its sort field and search are ignored.
//!
//! **Responses**: an unknown survey is `NotFound { entity: "survey" }`; a `survey_version_id`
//! that is not a version of the survey is `Invalid` on `survey_version_id`. A retry is
//! recognised *before* the invitation rule: resending an answered invitation's submission with
//! the same idempotency key (or external id) is `AlreadyExists`, not a conflict. A Created
//! response through a personal invitation stamps the link's `answered_at` (the store's now) and
//! `response_id`; open links are never stamped. The store enforces only the single use;
//! expiry and deactivation are the caller's business. `received_at` is the store's now.
//! `list_responses` ignores the query's sort and search. In a batch, a later slot repeating an
//! earlier slot's key is `AlreadyExists` with the earlier slot's id.
//!
//! **Roll-ups**: one row per (survey, question, part, moment, site, UTC day of
//! `submitted_at`); rating, NPS and effort scores are part `score`, a servqual answer adds one
//! `expectation` and one `perception` row; choice and text answers add nothing. `moment_id` is
//! the answer's, `site_id` the response's. Ordered by day, question code, part (score,
//! expectation, perception), moment, site, with an absent moment or site first, then survey
//! id. Query dates are inclusive days. [`expected_rollups`] is the reference implementation.
//!
//! **Evidence**: `set_checklist_items` replaces the moment's items (an empty list removes the
//! key); an unknown service is `NotFound { entity: "service" }` (also for `record_visit`).
//! Visits store `auditor` = actor label and `auditor_user_id` = actor user id. Filters:
//! `since` inclusive, `until` exclusive, on `visited_at` / `observed_at` / `received_at`;
//! `staff_id` matches visits observing that staff member and compliments about them (it is
//! ignored for measurements, which have no staff); `moment_key` matches visits covering that
//! moment, and measurements and compliments of that moment. Lists are newest first
//! by that instant, then id descending. Duplicate measurement `external_id`s inside one call
//! are `AlreadyExists` with the first one's id; `met` = `judged.met()`.
//!
//! **Audit** (`entity_id` = row id as text): `survey.create` / `survey.update` /
//! `survey.publish` (after = the `SurveyVersion`) / `survey.archive` on `survey` (id = the
//! survey's); one `link.create` per link and `link.deactivate` on `link`; `checklist.update`
//! on `checklist` (id = the service's); `visit.create` on `visit`; one `measurement.create`
//! per `record_measurements` call on `measurement` with `after.created` = the number created
//! (its `entity_id` is not pinned); `compliment.create` on `compliment`. Responses write no
//! audit records; failed writes write none.
//!

mod audit;
mod batch;
mod evidence;
mod links;
mod measurements;
mod rebuild;
mod reference;
mod responses;
mod rollup_totals;
mod rollups;
mod staff_rollups;
mod surveys;

pub use audit::*;
pub use batch::*;
pub use evidence::*;
pub use links::*;
pub use measurements::*;
pub use rebuild::*;
pub use reference::*;
pub use responses::*;
pub use rollup_totals::*;
pub use rollups::*;
pub use staff_rollups::*;
pub use surveys::*;

use crate::{
    Store, actor, sample_cycle, sample_service_fields, sample_site_fields, sample_staff_fields, t0,
};
use chrono::{DateTime, TimeZone, Utc};
use std::collections::BTreeMap;
use touchpoint_core::{
    cycle::CycleVersion,
    feedback::{
        AnswerValue, Localized, QuestionDraft, QuestionKind, SurveyContext, SurveyDraft,
        ValidSurvey, check_answers,
        question::ChoiceOption,
        records::{NewResponse, ResponseSource, StoredAnswer, Survey, SurveyVersion},
        survey::Audience,
        templates::moment_csat_survey,
    },
    org::{Site, StaffMember},
    service::Service,
};

/// A service with a published 3-moment cycle (`m1`..`m3`, `m2` critical), two sites and a
/// staff member at the first site.
pub struct World {
    pub service: Service,
    pub cycle: CycleVersion,
    pub sites: Vec<Site>,
    pub staff: StaffMember,
}

impl World {
    pub fn moment_id(&self, key: &str) -> i64 {
        self.cycle
            .moments
            .iter()
            .find(|m| m.key == key)
            .unwrap_or_else(|| panic!("no moment {key}"))
            .id
    }

    pub fn context(&self) -> SurveyContext {
        SurveyContext::with_default_dimensions(Some(&self.cycle))
    }
}

/// Build a [`World`]; `key` prefixes every key so several worlds can share a store.
pub async fn world(store: &dyn Store, key: &str) -> World {
    let a = actor();
    let service = store
        .create_service(&a, &sample_service_fields(key))
        .await
        .expect("create service");
    let cycle = store
        .publish_cycle(&a, service.id, &sample_cycle(3, &[2]))
        .await
        .expect("publish cycle");
    let mut sites = Vec::new();
    for suffix in ["north", "south"] {
        let site = store
            .create_site(&a, &sample_site_fields(&format!("{key}-{suffix}")))
            .await
            .expect("create site");
        sites.push(site);
    }
    let staff = store
        .create_staff(
            &a,
            &sample_staff_fields(&format!("Ana {key}"), Some(sites[0].id)),
        )
        .await
        .expect("create staff");
    let service = store.get_service(service.id).await.expect("get service");
    World {
        service,
        cycle,
        sites,
        staff,
    }
}

/// The per-moment CSAT template of the world's cycle, with a comment: codes `m1_csat`,
/// `m2_csat`, `m3_csat`, `overall`, `comment`.
pub fn csat_survey(w: &World) -> ValidSurvey {
    moment_csat_survey(&w.service.key, &w.service.name, &w.cycle, true)
        .validate(&w.context())
        .expect("CSAT template is valid")
}

fn question(code: &str, kind: QuestionKind, moment: Option<&str>) -> QuestionDraft {
    QuestionDraft {
        code: code.into(),
        kind,
        text: Localized::en_es(format!("Question {code}?"), format!("¿Pregunta {code}?")),
        moment_key: moment.map(str::to_string),
        dimension: None,
        required: false,
        options: Vec::new(),
    }
}

fn option(code: &str) -> ChoiceOption {
    ChoiceOption {
        code: code.into(),
        label: Localized::en_es(code.to_uppercase(), format!("{code} (es)")),
    }
}

/// A survey with every question kind, titled `title` in English: `wait` (rating, moment
/// `m2`), `nps`, `effort` (moment `m1`), `courtesy` (servqual), `visit` (single choice
/// `first`/`repeat`), `channels` (multi choice `phone`/`web`/`branch`), `comment` (text).
pub fn all_kinds_survey(w: &World, key: &str, title: &str) -> ValidSurvey {
    let mut courtesy = question("courtesy", QuestionKind::Servqual, None);
    courtesy.dimension = Some("courtesy".into());
    let mut visit = question("visit", QuestionKind::SingleChoice, None);
    visit.options = vec![option("first"), option("repeat")];
    let mut channels = question("channels", QuestionKind::MultiChoice, None);
    channels.options = vec![option("phone"), option("web"), option("branch")];
    let mut nps = question("nps", QuestionKind::Nps, None);
    nps.required = true;
    SurveyDraft {
        key: key.into(),
        service_key: Some(w.service.key.clone()),
        audience: Audience::Customers,
        languages: vec!["en".into(), "es".into()],
        title: Localized::en_es(title, format!("{title} (es)")),
        intro: Localized::new(),
        thank_you: Localized::en_es("Thank you!", "¡Gracias!"),
        questions: vec![
            question("wait", QuestionKind::Rating, Some("m2")),
            nps,
            question("effort", QuestionKind::Effort, Some("m1")),
            courtesy,
            visit,
            channels,
            question("comment", QuestionKind::Text, None),
        ],
    }
    .validate(&w.context())
    .expect("all-kinds survey is valid")
}

/// Create and publish `def`; the survey as it stands after publishing, and version 1.
pub async fn published(store: &dyn Store, def: &ValidSurvey) -> (Survey, SurveyVersion) {
    let s = store
        .create_survey(&actor(), def)
        .await
        .expect("create survey");
    let v = store
        .publish_survey(&actor(), s.id)
        .await
        .expect("publish survey");
    let s = store.get_survey(s.id).await.expect("get survey");
    (s, v)
}

/// Check `answers` against the version (they must be valid) and denormalise them as stored.
pub fn stored_answers(v: &SurveyVersion, answers: &[(&str, AnswerValue)]) -> Vec<StoredAnswer> {
    let map: BTreeMap<String, AnswerValue> = answers
        .iter()
        .map(|(c, a)| ((*c).to_string(), a.clone()))
        .collect();
    let valid = check_answers(&v.definition, &map).expect("answers are valid");
    v.stored_answers(&valid)
}

/// A response through the API with no keys, no link, no site, in English.
pub fn response(
    v: &SurveyVersion,
    submitted_at: DateTime<Utc>,
    answers: &[(&str, AnswerValue)],
) -> NewResponse {
    NewResponse {
        survey_id: v.survey_id,
        survey_version_id: v.id,
        source: ResponseSource::Api,
        external_id: None,
        idempotency_key: None,
        link_id: None,
        submitted_at,
        customer: None,
        site_id: None,
        staff_id: None,
        language: "en".into(),
        answers: stored_answers(v, answers),
    }
}

/// A few answers to [`all_kinds_survey`] derived from `n`.
pub fn all_kinds_answers(n: i32) -> Vec<(&'static str, AnswerValue)> {
    vec![
        ("wait", AnswerValue::Score(1 + n % 5)),
        ("nps", AnswerValue::Score(n % 11)),
        ("effort", AnswerValue::Score(1 + n % 7)),
        (
            "courtesy",
            AnswerValue::Servqual {
                expectation: 1 + (n + 3) % 7,
                perception: 1 + n % 7,
            },
        ),
        ("visit", AnswerValue::Choice("repeat".into())),
        (
            "channels",
            AnswerValue::Choices(vec!["phone".into(), "branch".into()]),
        ),
        ("comment", AnswerValue::Text(format!("comment {n}"))),
    ]
}

/// UTC instant on day `d` of March 2026.
pub fn march(d: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, s)
        .single()
        .expect("valid instant")
}

/// UTC instant on day `d` of January 2026, before the suite's clock ([`t0`] = 15 January
/// 09:00), so domain checks that refuse future dates accept it.
pub fn january(d: u32, h: u32) -> DateTime<Utc> {
    let t = Utc
        .with_ymd_and_hms(2026, 1, d, h, 0, 0)
        .single()
        .expect("valid instant");
    assert!(t < t0(), "{t} is not before t0");
    t
}

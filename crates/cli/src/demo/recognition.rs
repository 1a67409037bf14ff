//! Demo data for staff recognition and employee voice, on top of the year of feedback:
//!
//! * weekly mystery-shopper visits in the last complete month and the current one, each
//!   observing every front-line staff member of the site, so the audit figure of each person
//!   rests on enough observations to count;
//! * a staff login for two floor hosts and complaints assigned to them (linked to their staff
//!   records by email), worked in the last complete month at the times they happened, taken
//!   to resolution with promises kept and some broken;
//! * an employee survey of the bank ("do you have what you need at this moment, and what
//!   would help?") answered by branch staff over the last two months.
use super::feedback::{DemoSite, Org, evidence, model};
use crate::commands::survey::{context_for, publish, save_draft};
use chrono::{DateTime, Datelike, Duration, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use std::collections::BTreeMap;
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    complaints::{ComplaintInput, ComplaintStatus, NewPromise, PromiseKind, Resolution},
    feedback::{
        AnswerValue, Checklist, Localized, QuestionDraft, QuestionKind, SurveyDraft, check_answers,
        records::{NewResponse, ResponseSource},
        survey::Audience,
    },
    recognition::Month,
    store::Store,
    user::{NewUser, Role},
};

/// Seed of this part of the demo (independent of the feedback's, so neither shifts the other).
pub const SEED: u64 = 20_260_611;

/// What was loaded, for the banner.
pub struct Loaded {
    pub visits: usize,
    pub complaints: usize,
    pub employee_responses: usize,
}

fn front_line(site: &DemoSite) -> Vec<i64> {
    site.staff
        .iter()
        .filter(|s| !s.role.to_lowercase().contains("manager"))
        .map(|s| s.id)
        .collect()
}

/// Four visits a month (days 3, 10, 17, 24 at 10:30 local) in the last complete month and the
/// current one up to today, observing every front-line staff member.
async fn weekly_visits(
    store: &dyn Store,
    auditor: &Actor,
    org: &Org,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let this = Month::of(now);
    let mut count = 0;
    for site in &org.sites {
        let service = org.service_of(site);
        let extra = store.checklist_items(service.service.id).await?;
        let checklist = Checklist::from_cycle(&service.cycle, &extra)
            .map_err(|e| anyhow::anyhow!("demo checklist: {e}"))?;
        for month in [this.previous(), this] {
            for day in [3, 10, 17, 24] {
                let Some(date) = month.first_day().with_day(day) else {
                    continue;
                };
                let at =
                    model::business_instant(rng, date, 10, 11, model::utc_offset(&site.site.key));
                if at > now {
                    continue;
                }
                let mut draft = evidence::visit(site, &checklist, at, rng);
                draft.staff_ids = front_line(site);
                let visit = draft
                    .validate(&checklist, now)
                    .map_err(|e| anyhow::anyhow!("demo visit: {e}"))?;
                store
                    .record_visit(auditor, service.service.id, service.cycle.id, &visit)
                    .await?;
                count += 1;
            }
        }
    }
    Ok(count)
}

/// `(staff name, site key)` of the floor hosts who also work complaints.
const COMPLAINT_HANDLERS: [(&str, &str); 2] =
    [("Valentina Ortiz", "centro"), ("Natalia Cárdenas", "norte")];

const COMPLAINTS: [(&str, &str); 4] = [
    (
        "Esperé más de veinte minutos y nadie me explicó por qué.",
        "Que me expliquen la demora",
    ),
    (
        "Me dieron un turno equivocado y tuve que volver a hacer la fila.",
        "Una disculpa",
    ),
    (
        "The number machine was broken and nobody told us how to queue.",
        "A call back",
    ),
    (
        "Me cobraron una comisión que no me habían informado.",
        "Devolución de la comisión",
    ),
];

/// Each floor host works six complaints in the last complete month — the recognition page's
/// default period — through `timed`, whose clock is set to each step as it happens, so every
/// transition and settled promise is stamped inside that month.
async fn complaints(
    timed: &dyn Store,
    clock: &FixedClock,
    actor: &Actor,
    org: &Org,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let now = clock.now();
    let month = Month::previous_complete(now);
    let dimensions = timed.list_dimensions().await?;
    let mut count = 0;
    for (handler, (name, site_key)) in COMPLAINT_HANDLERS.into_iter().enumerate() {
        let Some(site) = org.sites.iter().find(|s| s.site.key == site_key) else {
            continue;
        };
        let Some(staff) = site.staff.iter().find(|s| s.name == name) else {
            continue;
        };
        // A login of their own: complaints are assigned to users, and recognition finds the
        // staff member by the same email. The password is random and never shown.
        let password = touchpoint_server::auth::secrets::random_secret();
        let hash = tokio::task::spawn_blocking(move || {
            touchpoint_server::auth::password::hash_password(&password)
        })
        .await?
        .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?;
        let fields = NewUser {
            email: staff.email.clone(),
            name: staff.name.clone(),
            role: Role::Agent,
            language: Some("es".into()),
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo user {name}: {e}"))?;
        let user = timed.create_user(actor, &fields, &hash).await?;
        for i in 0..6 {
            // Days 2, 6, … 22 (the second host a day later), in opening hours.
            let day = month
                .first_day()
                .with_day(2 + 4 * i + handler as u32)
                .unwrap_or_else(|| month.first_day());
            let at = model::business_instant(rng, day, 9, 12, model::utc_offset(site_key));
            clock.set(at);
            let (description, remedy) = COMPLAINTS[(i as usize + count) % COMPLAINTS.len()];
            let c = ComplaintInput {
                customer_ref: format!("C-{}", rng.gen_range(10_000..40_000)),
                channel: "in_person".into(),
                site_id: Some(site.site.id),
                service_key: Some(org.bank.service.key.clone()),
                moment_key: Some(
                    if i % 2 == 0 {
                        "wait-turn"
                    } else {
                        "take-a-number"
                    }
                    .into(),
                ),
                description: description.into(),
                remedy_requested: remedy.into(),
                severity: "medium".into(),
                assignee_id: Some(user.id),
                received_at: at,
                ..ComplaintInput::default()
            }
            .validate(Some(&org.bank.cycle), &dimensions, at)
            .map_err(|e| anyhow::anyhow!("demo complaint: {e}"))?;
            let token = touchpoint_server::auth::secrets::random_secret();
            let created = timed
                .create_complaint(
                    actor,
                    &c,
                    &touchpoint_server::auth::secrets::sha256_hex(&token),
                )
                .await?;
            let promise = |hours: i64| NewPromise {
                kind: PromiseKind::Callback,
                description: "Le llamamos para contarle cómo avanza".into(),
                due_at: at + Duration::hours(hours),
            };
            let kept = timed.add_promise(actor, created.id, &promise(24)).await?;
            clock.set(at + Duration::hours(2));
            timed.fulfil_promise(actor, kept.id).await?;
            if i == 5 {
                // One case stalls: its call-back and the policy's acknowledgement are missed,
                // so the kept share is not a flat 100 %. The scheduler's pass two days on
                // breaks them.
                timed.add_promise(actor, created.id, &promise(4)).await?;
                clock.set(at + Duration::days(2));
                timed.claim_due_promises(clock.now(), "demo", 100).await?;
                continue;
            }
            let resolution = Resolution {
                root_cause: "Un solo cajero atendía en la hora de más movimiento".into(),
                root_cause_moment_key: None,
                explanation: "Le explicamos la causa de la demora y lo que cambiamos".into(),
                prevention: "Un segundo cajero entre las 12 y las 14".into(),
                alternatives_offered: String::new(),
                compensation: String::new(),
                customer_satisfied: Some(i != 3),
            };
            timed
                .record_resolution(actor, created.id, &resolution)
                .await?;
            for (step, to) in [
                ComplaintStatus::Acknowledged,
                ComplaintStatus::Assessed,
                ComplaintStatus::Investigating,
                ComplaintStatus::Responded,
                ComplaintStatus::Resolved,
            ]
            .into_iter()
            .enumerate()
            {
                clock.set(at + Duration::hours(3 + step as i64));
                timed
                    .transition_complaint(actor, created.id, to, "")
                    .await?;
            }
            count += 1;
        }
    }
    clock.set(now);
    Ok(count)
}

fn question(
    code: &str,
    kind: QuestionKind,
    moment: Option<&str>,
    es: &str,
    en: &str,
) -> QuestionDraft {
    QuestionDraft {
        code: code.into(),
        kind,
        text: Localized::en_es(en, es),
        moment_key: moment.map(str::to_string),
        dimension: None,
        required: false,
        options: Vec::new(),
    }
}

/// Moments the staff survey asks about: (key, what staff say they need there, in es and en).
const NEEDS: [(&str, &[(&str, &str)]); 3] = [
    (
        "take-a-number",
        &[
            (
                "Una segunda máquina de turnos para los lunes.",
                "A second ticket machine for Mondays.",
            ),
            (
                "Carteles más claros sobre qué turno sacar.",
                "Clearer signs on which ticket to take.",
            ),
        ],
    ),
    (
        "wait-turn",
        &[
            (
                "Abrir otra caja cuando la fila pasa de diez personas.",
                "Open another counter when the queue passes ten people.",
            ),
            (
                "Una pantalla que muestre el tiempo de espera.",
                "A screen that shows the waiting time.",
            ),
            (
                "Cubrir los almuerzos con personal de apoyo.",
                "Cover lunch breaks with relief staff.",
            ),
        ],
    ),
    (
        "get-paid",
        &[
            (
                "Contadoras de billetes que no se atasquen.",
                "Note counters that do not jam.",
            ),
            (
                "Más billetes pequeños al comienzo del día.",
                "More small notes at the start of the day.",
            ),
        ],
    ),
];

async fn employee_survey(
    store: &dyn Store,
    actor: &Actor,
    org: &Org,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let mut questions = Vec::new();
    for (key, _) in NEEDS {
        questions.push(question(
            &format!("{key}-means"),
            QuestionKind::Rating,
            Some(key),
            "¿Tiene lo que necesita para atender bien este momento?",
            "Do you have what you need to serve this moment well?",
        ));
        questions.push(question(
            &format!("{key}-need"),
            QuestionKind::Text,
            Some(key),
            "¿Qué le ayudaría?",
            "What would help?",
        ));
    }
    questions.push(question(
        "anything-else",
        QuestionKind::Text,
        None,
        "¿Algo más que la sucursal necesite?",
        "Anything else the branch needs?",
    ));
    let draft = SurveyDraft {
        key: "bank-staff-voice".into(),
        service_key: Some(org.bank.service.key.clone()),
        audience: Audience::Employees,
        languages: vec!["es".into(), "en".into()],
        title: Localized::en_es("What our counters need", "Lo que necesitan nuestras cajas"),
        intro: Localized::new(),
        thank_you: Localized::en_es("Thank you for telling us.", "Gracias por contarnos."),
        questions,
    };
    let ctx = context_for(store, Some(&org.bank.service.key)).await?;
    let def = draft
        .validate(&ctx)
        .map_err(|e| anyhow::anyhow!("demo staff survey: {e}"))?;
    let (survey, _) = save_draft(store, actor, &def).await?;
    let version = publish(store, actor, &survey)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo staff survey was already published"))?;
    let mut out = Vec::new();
    for site in org.sites.iter().filter(|s| s.is_bank()) {
        // Norte is the branch with the weak wait: its staff say so too.
        let weak = site.site.key == model::WEAK_SITE;
        for _ in &site.staff {
            for days_ago in [50, 20] {
                let mut given = BTreeMap::new();
                for (key, needs) in NEEDS {
                    let score = if weak && key == model::WEAK_MOMENT {
                        rng.gen_range(1..=3)
                    } else {
                        rng.gen_range(3..=5)
                    };
                    given.insert(format!("{key}-means"), AnswerValue::Score(score));
                    let says_more = score <= 3 || rng.gen_bool(0.3);
                    if let Some((es, _)) = needs.choose(rng).filter(|_| says_more) {
                        given.insert(format!("{key}-need"), AnswerValue::Text((*es).into()));
                    }
                }
                let valid = check_answers(&version.definition, &given)
                    .map_err(|e| anyhow::anyhow!("demo staff answers: {e:?}"))?;
                out.push(NewResponse {
                    survey_id: survey.id,
                    survey_version_id: version.id,
                    source: ResponseSource::Web,
                    external_id: None,
                    idempotency_key: None,
                    link_id: None,
                    submitted_at: now
                        - Duration::days(days_ago)
                        - Duration::hours(rng.gen_range(0..48)),
                    customer: None,
                    site_id: Some(site.site.id),
                    // Staff answer anonymously: the survey is about the moments, not them.
                    staff_id: None,
                    language: "es".into(),
                    answers: version.stored_answers(&valid),
                });
            }
        }
    }
    for r in store.submit_responses(&out).await? {
        r?;
    }
    Ok(out.len())
}

/// Load the recognition and employee-voice data; `auditor` records the visits, and the
/// complaints are worked through `timed`, a handle on the same database whose clock the
/// loader moves (it is left at `now`).
pub async fn load(
    store: &dyn Store,
    timed: &dyn Store,
    clock: &FixedClock,
    actor: &Actor,
    auditor: &Actor,
    org: &Org,
) -> anyhow::Result<Loaded> {
    let now = clock.now();
    let mut rng = StdRng::seed_from_u64(SEED);
    Ok(Loaded {
        visits: weekly_visits(store, auditor, org, now, &mut rng).await?,
        complaints: complaints(timed, clock, actor, org, &mut rng).await?,
        employee_responses: employee_survey(store, actor, org, now, &mut rng).await?,
    })
}

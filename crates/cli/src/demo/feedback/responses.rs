//! A year of survey answers. Each respondent has a mood; each moment a quality per site
//! (see [`super::model`]); a CSAT score is the moment's quality plus the mood plus noise, so the
//! weak moment shows up where it is weak and nowhere else. NPS answers follow the same wait
//! experience, so the branch with the bad wait also has fewer promoters.
use super::{
    DemoSite, Org,
    model::{self, normal, poisson, score},
    surveys::{Published, Surveys},
    texts,
};
use chrono::NaiveDate;
use rand::{Rng, rngs::StdRng, seq::SliceRandom};
use touchpoint_core::feedback::{
    AnswerValue, QuestionKind,
    records::{NewResponse, ResponseSource, StoredAnswer},
};

/// Surveyed customers per branch on an ordinary day, before traffic factors.
const BANK_DAILY: f64 = 9.0;
const HOTEL_DAILY: f64 = 9.0;
const NPS_DAILY: f64 = 3.0;

pub fn generate(
    org: &Org,
    surveys: &Surveys,
    today: NaiveDate,
    rng: &mut StdRng,
) -> Vec<NewResponse> {
    let mut out = Vec::with_capacity(20_000);
    for day in model::year(today) {
        for site in &org.sites {
            let offset = model::utc_offset(&site.site.key);
            if site.is_bank() {
                let mean = BANK_DAILY * site_size(&site.site.key) * model::bank_traffic(day);
                for _ in 0..poisson(rng, mean) {
                    let at = model::business_instant(rng, day, 8, 16, offset);
                    out.push(csat(rng, org, &surveys.bank_csat, site, at, 0.8));
                }
                for _ in 0..poisson(rng, NPS_DAILY * model::bank_traffic(day)) {
                    let at = model::business_instant(rng, day, 8, 16, offset);
                    out.push(nps(rng, &surveys.bank_nps, site, at));
                }
            } else {
                for _ in 0..poisson(rng, HOTEL_DAILY * model::hotel_traffic(day)) {
                    let at = model::business_instant(rng, day, 7, 23, offset);
                    out.push(csat(rng, org, &surveys.hotel_csat, site, at, 0.55));
                }
            }
        }
    }
    answer_invitations(&mut out, surveys);
    out
}

/// Centro is the busiest branch, Norte the quietest.
fn site_size(key: &str) -> f64 {
    match key {
        "centro" => 1.3,
        model::WEAK_SITE => 0.9,
        _ => 1.0,
    }
}

fn base(
    p: &Published,
    site: &DemoSite,
    at: chrono::DateTime<chrono::Utc>,
    language: &str,
    rng: &mut StdRng,
) -> NewResponse {
    let serving: Vec<_> = site
        .staff
        .iter()
        .filter(|s| !s.role.contains("manager"))
        .collect();
    NewResponse {
        survey_id: p.survey.id,
        survey_version_id: p.version.id,
        source: ResponseSource::Web,
        external_id: None,
        idempotency_key: None,
        link_id: Some(p.open_link.id),
        submitted_at: at,
        customer: rng
            .gen_bool(0.3)
            .then(|| format!("C-{}", rng.gen_range(10_000..40_000))),
        site_id: Some(site.site.id),
        staff_id: serving
            .choose(rng)
            .filter(|_| rng.gen_bool(0.7))
            .map(|s| s.id),
        language: language.to_string(),
        answers: Vec::new(),
    }
}

fn answer(p: &Published, code: &str, value: AnswerValue) -> StoredAnswer {
    let q = p.version.definition.question(code).map(|(_, q)| q);
    StoredAnswer {
        question_code: code.to_string(),
        kind: q.map_or(QuestionKind::Text, |q| q.kind),
        moment_id: p.version.moment_ids.get(code).copied(),
        dimension: q.and_then(|q| q.dimension.clone()),
        value,
    }
}

/// A per-moment CSAT response; `spanish` is the share of answers in Spanish.
fn csat(
    rng: &mut StdRng,
    org: &Org,
    p: &Published,
    site: &DemoSite,
    at: chrono::DateTime<chrono::Utc>,
    spanish: f64,
) -> NewResponse {
    let language = if rng.gen_bool(spanish) { "es" } else { "en" };
    let mut r = base(p, site, at, language, rng);
    let mood = 0.45 * normal(rng);
    let (mut sum, mut min, mut n, mut wait) = (0.0, 5, 0, None);
    for q in &p.version.definition.questions {
        let Some(moment) = q.moment_key.as_deref() else {
            continue;
        };
        let critical = org.is_critical(moment);
        if !rng.gen_bool(model::answer_rate(moment, critical)) {
            continue;
        }
        let quality = model::moment_quality(&site.site.key, moment, critical);
        let s = score(quality + mood + 0.6 * normal(rng), 1, 5);
        if moment == model::WEAK_MOMENT {
            wait = Some(s);
        }
        sum += f64::from(s);
        min = min.min(s);
        n += 1;
        r.answers.push(answer(p, &q.code, AnswerValue::Score(s)));
    }
    let mean = if n > 0 { sum / f64::from(n) } else { 4.0 };
    let overall = score(
        0.6 * mean + 0.4 * f64::from(min) + 0.3 * mood + 0.3 * normal(rng),
        1,
        5,
    );
    r.answers
        .push(answer(p, "overall", AnswerValue::Score(overall)));
    if rng.gen_bool(0.2) {
        let pool: &[(&str, &str)] = match (wait, overall) {
            (Some(w), _) if w <= 2 => &texts::WAIT_COMPLAINTS,
            (_, 5) => &texts::PRAISE,
            _ => &texts::NEUTRAL,
        };
        if let Some(pair) = pool.choose(rng) {
            let text = texts::pick(pair, language).to_string();
            r.answers
                .push(answer(p, "comment", AnswerValue::Text(text)));
        }
    }
    r
}

/// An NPS response whose score follows the wait experience at the branch.
fn nps(
    rng: &mut StdRng,
    p: &Published,
    site: &DemoSite,
    at: chrono::DateTime<chrono::Utc>,
) -> NewResponse {
    let language = if rng.gen_bool(0.8) { "es" } else { "en" };
    let mut r = base(p, site, at, language, rng);
    let wait = model::wait_experience(&site.site.key, rng);
    let s = score(4.2 + 1.25 * wait + 1.3 * normal(rng), 0, 10);
    r.answers
        .push(answer(p, "recommend", AnswerValue::Score(s)));
    if rng.gen_bool(0.3) {
        let pool: &[(&str, &str)] = if s <= 6 {
            &texts::NPS_LOW
        } else {
            &texts::NPS_HIGH
        };
        if let Some(pair) = pool.choose(rng) {
            let text = texts::pick(pair, language).to_string();
            r.answers.push(answer(p, "reason", AnswerValue::Text(text)));
        }
    }
    r
}

/// Three of the personal invitations were answered: the last bank CSAT response of each
/// invitation's site becomes its answer.
fn answer_invitations(out: &mut [NewResponse], surveys: &Surveys) {
    for link in surveys.invitations.iter().take(3) {
        let found = out.iter_mut().rev().find(|r| {
            r.survey_id == link.survey_id
                && r.site_id == link.site_id
                && r.link_id == Some(surveys.bank_csat.open_link.id)
        });
        if let Some(r) = found {
            r.link_id = Some(link.id);
            r.customer.clone_from(&link.customer);
            r.staff_id = link.staff_id.or(r.staff_id);
        }
    }
}

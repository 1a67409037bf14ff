//! A benchmark database: the demo organization (cycles, sites, staff) and a published survey of
//! `n` questions — ratings about the bank's moments, then an NPS question and a comment — plus
//! the row generator shared by the CSV file, the bare insert and the HTTP bodies.
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::{fmt::Write as _, sync::Arc};
use touchpoint_cli::{
    commands::{
        SharedStore,
        demo::load_org,
        survey::{context_for, publish, save_draft},
    },
    store_url::open_store,
};
use touchpoint_core::{
    audit::Actor,
    clock::SystemClock,
    feedback::{
        Audience, Localized, QuestionDraft, QuestionKind, SurveyDraft,
        records::{Survey, SurveyVersion},
    },
    org::Site,
};

pub const SURVEY_KEY: &str = "bench";

pub struct Bench {
    pub store: SharedStore,
    pub survey: Survey,
    pub version: SurveyVersion,
    pub sites: Vec<Site>,
}

fn question(code: String, kind: QuestionKind, moment: Option<String>) -> QuestionDraft {
    QuestionDraft {
        text: Localized::en_es(format!("Question {code}"), format!("Pregunta {code}")),
        code,
        kind,
        moment_key: moment,
        dimension: None,
        required: false,
        options: Vec::new(),
    }
}

/// Open (creating) the database at `url`, load the organization and publish the survey.
pub async fn prepare(url: &str, questions: usize) -> anyhow::Result<Bench> {
    anyhow::ensure!(questions >= 3, "at least 3 questions");
    let store = open_store(url, Arc::new(SystemClock)).await?;
    let actor = Actor::system("bench");
    let (org, _) = load_org(store.as_ref(), &actor).await?;
    let moments = &org.bank.cycle.moments;
    let mut list: Vec<QuestionDraft> = (0..questions - 2)
        .map(|i| {
            let moment = moments[i % moments.len()].key.clone();
            question(format!("m{}", i + 1), QuestionKind::Rating, Some(moment))
        })
        .collect();
    list[0].required = true;
    list.push(question("recommend".into(), QuestionKind::Nps, None));
    list.push(question("comment".into(), QuestionKind::Text, None));
    let draft = SurveyDraft {
        key: SURVEY_KEY.into(),
        service_key: Some(org.bank.service.key.clone()),
        audience: Audience::Customers,
        languages: vec!["en".into(), "es".into()],
        title: Localized::en_es("Benchmark", "Prueba de rendimiento"),
        intro: Localized::new(),
        thank_you: Localized::new(),
        questions: list,
    };
    let ctx = context_for(store.as_ref(), draft.service_key.as_deref()).await?;
    let def = draft
        .validate(&ctx)
        .map_err(|e| anyhow::anyhow!("bench survey: {e}"))?;
    let (survey, _) = save_draft(store.as_ref(), &actor, &def).await?;
    let version = publish(store.as_ref(), &actor, &survey)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench survey was already published"))?;
    let sites = org.sites.into_iter().map(|s| s.site).collect();
    Ok(Bench {
        store,
        survey,
        version,
        sites,
    })
}

/// Row `i` of the synthetic data, the same wherever it is used.
pub struct Row {
    pub response_id: String,
    pub submitted_at: DateTime<Utc>,
    pub customer: String,
    pub site: usize,
    pub language: &'static str,
    /// One score per rating question, then the NPS score.
    pub scores: Vec<i32>,
    pub comment: Option<&'static str>,
}

impl Row {
    pub fn new(i: u64, questions: usize, sites: usize) -> Row {
        let start = Utc
            .with_ymd_and_hms(2025, 1, 1, 8, 0, 0)
            .single()
            .unwrap_or_default();
        let mut scores: Vec<i32> = (0..questions as u64 - 2)
            .map(|q| 1 + ((i * 7 + q * 3) % 5) as i32)
            .collect();
        scores.push(((i * 3) % 11) as i32);
        Row {
            response_id: format!("R{i:08}"),
            submitted_at: start + Duration::seconds(30 * i as i64),
            customer: format!("C-{}", i % 50_000),
            site: (i % sites as u64) as usize,
            language: if i.is_multiple_of(2) { "es" } else { "en" },
            scores,
            comment: i.is_multiple_of(10).then_some("Todo bien, gracias"),
        }
    }

    /// The answers as the SQLite store encodes them: a positional JSON array.
    pub fn stored_answers(&self, out: &mut String) {
        out.clear();
        out.push('[');
        for s in &self.scores {
            let _ = write!(out, "{s},");
        }
        match self.comment {
            Some(c) => {
                let _ = write!(out, "\"{c}\"]");
            }
            None => {
                out.pop();
                out.push(']');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Row;

    #[test]
    fn rows_are_stored_as_positional_arrays() {
        let mut text = String::new();
        Row::new(0, 5, 4).stored_answers(&mut text);
        assert_eq!(text, "[1,4,2,0,\"Todo bien, gracias\"]");
        let row = Row::new(7, 5, 4);
        row.stored_answers(&mut text);
        assert_eq!(text, "[5,3,1,10]");
        assert_eq!((row.response_id.as_str(), row.site), ("R00000007", 3));
    }
}

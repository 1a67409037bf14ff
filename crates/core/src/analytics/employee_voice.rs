//! Employee voice: what staff say in employee-audience surveys, per moment of truth and site —
//! their scores on the common 0–100 scale with n, and their written answers (what they say is
//! needed), the input of requirements for action plans.
//!
//! Answers about a moment are matched to its **key** (whichever cycle version they were given
//! under); answers about no moment (or a moment the cycle no longer has) are grouped under
//! `moment_key: None` — "the service in general". Text answers keep the newest first.
use super::{evidence::MomentKeys, normalised};
use crate::feedback::{AnswerValue, records::ResponseRecord};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most written answers kept per moment × site (the total is still counted).
pub const MAX_TEXTS: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoiceText {
    pub text: String,
    pub question_code: String,
    pub submitted_at: DateTime<Utc>,
    pub response_id: i64,
}

/// One moment at one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoiceGroup {
    /// `None`: answers about the service in general.
    pub moment_key: Option<String>,
    /// `None`: responses that name no site.
    pub site_id: Option<i64>,
    /// Mean of the rating, NPS and effort answers on the 0–100 scale; `None` without any.
    pub score: Option<f64>,
    /// Scored answers behind `score`.
    pub n: i64,
    /// Employees who answered anything about this moment here.
    pub respondents: i64,
    /// Newest first, at most [`MAX_TEXTS`].
    pub texts: Vec<VoiceText>,
    pub texts_total: i64,
}

#[derive(Default)]
struct Acc {
    sum: f64,
    n: i64,
    respondents: i64,
    texts: Vec<VoiceText>,
}

/// Group `responses` (already filtered to employee surveys, period and site) per moment key
/// and site. Moments come in `order` (the current cycle's keys), then the general group; sites
/// by id with "no site" last.
pub fn employee_voice(
    responses: &[ResponseRecord],
    keys: &MomentKeys,
    order: &[String],
) -> Vec<VoiceGroup> {
    let mut groups: BTreeMap<(Option<String>, Option<i64>), Acc> = BTreeMap::new();
    for r in responses {
        let mut touched: Vec<(Option<String>, Option<i64>)> = Vec::new();
        for a in &r.answers {
            let key = a
                .moment_id
                .and_then(|id| keys.get(&id))
                .filter(|k| order.contains(k))
                .cloned();
            let group = (key, r.site_id);
            let acc = groups.entry(group.clone()).or_default();
            let mut used = false;
            match &a.value {
                AnswerValue::Score(s) => {
                    if let Some(x) = normalised(a.kind, *s) {
                        acc.sum += x;
                        acc.n += 1;
                        used = true;
                    }
                }
                AnswerValue::Text(t) if !t.trim().is_empty() => {
                    acc.texts.push(VoiceText {
                        text: t.trim().to_string(),
                        question_code: a.question_code.clone(),
                        submitted_at: r.submitted_at,
                        response_id: r.id,
                    });
                    used = true;
                }
                _ => {}
            }
            if used && !touched.contains(&group) {
                touched.push(group);
            }
        }
        for g in touched {
            if let Some(acc) = groups.get_mut(&g) {
                acc.respondents += 1;
            }
        }
    }
    let position = |k: &Option<String>| {
        k.as_ref()
            .and_then(|k| order.iter().position(|o| o == k))
            .unwrap_or(order.len())
    };
    let mut out: Vec<VoiceGroup> = groups
        .into_iter()
        .filter(|(_, acc)| acc.respondents > 0)
        .map(|((moment_key, site_id), mut acc)| {
            acc.texts.sort_by(|a, b| {
                b.submitted_at
                    .cmp(&a.submitted_at)
                    .then(b.response_id.cmp(&a.response_id))
            });
            let texts_total = acc.texts.len() as i64;
            acc.texts.truncate(MAX_TEXTS);
            VoiceGroup {
                moment_key,
                site_id,
                score: (acc.n > 0).then(|| acc.sum / acc.n as f64),
                n: acc.n,
                respondents: acc.respondents,
                texts: acc.texts,
                texts_total,
            }
        })
        .collect();
    out.sort_by_key(|g| {
        (
            position(&g.moment_key),
            g.site_id.is_none(),
            g.site_id.unwrap_or(0),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::{
        QuestionKind,
        records::{ResponseSource, StoredAnswer},
    };
    use chrono::TimeZone;

    fn answer(
        code: &str,
        kind: QuestionKind,
        moment: Option<i64>,
        value: AnswerValue,
    ) -> StoredAnswer {
        StoredAnswer {
            question_code: code.into(),
            kind,
            moment_id: moment,
            dimension: None,
            value,
        }
    }

    fn response(
        id: i64,
        site: Option<i64>,
        day: u32,
        answers: Vec<StoredAnswer>,
    ) -> ResponseRecord {
        ResponseRecord {
            id,
            survey_id: 1,
            survey_version: 1,
            source: ResponseSource::Api,
            external_id: None,
            link_id: None,
            submitted_at: Utc.with_ymd_and_hms(2026, 1, day, 9, 0, 0).unwrap(),
            received_at: Utc.with_ymd_and_hms(2026, 1, day, 9, 0, 0).unwrap(),
            customer: None,
            site_id: site,
            staff_id: None,
            language: "es".into(),
            answers,
        }
    }

    #[test]
    fn answers_group_by_moment_key_and_site_with_scores_n_and_texts() {
        // Moment rows 10 (v1) and 20 (v2) are both the key "wait".
        let keys: MomentKeys = [
            (10, "wait".to_string()),
            (20, "wait".to_string()),
            (30, "pay".to_string()),
        ]
        .into_iter()
        .collect();
        let order = vec!["wait".to_string(), "pay".to_string()];
        let rating = |m, s| answer("r", QuestionKind::Rating, Some(m), AnswerValue::Score(s));
        let text = |m: Option<i64>, t: &str| {
            answer("need", QuestionKind::Text, m, AnswerValue::Text(t.into()))
        };
        let rs = vec![
            response(
                1,
                Some(7),
                3,
                vec![rating(10, 5), text(Some(10), "A second ticket printer")],
            ),
            response(
                2,
                Some(7),
                4,
                vec![
                    rating(20, 2),
                    text(Some(20), "More staff at noon"),
                    text(None, "Training"),
                ],
            ),
            response(3, None, 5, vec![rating(30, 4), text(Some(30), "  ")]),
        ];
        let g = employee_voice(&rs, &keys, &order);
        type Row<'a> = (Option<&'a str>, Option<i64>, Option<f64>, i64, i64);
        let summary: Vec<Row> = g
            .iter()
            .map(|v| {
                (
                    v.moment_key.as_deref(),
                    v.site_id,
                    v.score,
                    v.n,
                    v.respondents,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some("wait"), Some(7), Some(62.5), 2, 2),
                (Some("pay"), None, Some(75.0), 1, 1),
                (None, Some(7), None, 0, 1),
            ]
        );
        let wait: Vec<&str> = g[0].texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            wait,
            ["More staff at noon", "A second ticket printer"],
            "newest first"
        );
        assert_eq!(g[2].texts[0].text, "Training");
        assert!(g[1].texts.is_empty(), "blank text is no answer");
    }
}

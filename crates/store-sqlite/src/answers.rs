//! The stored form of a response's answers: one compact JSON text per row.
//!
//! When every answer agrees with its question in the survey version (same code, kind,
//! dimension and moment) and the answers come in question order — what validation produces —
//! the text is a plain array of values by question position, `null` for a question left
//! unanswered: `[4,null,{"expectation":6,"perception":5},"first"]`. Anything else is stored in
//! full as `{"a":[[code, kind, moment_id, dimension, value], …]}`. Reading back fills the plain
//! form from the version, so every `StoredAnswer` round-trips exactly while the usual row is
//! as small as its bare values — which is what bulk imports spend their time writing.
use crate::rows::{get_json_as, map_err};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::{collections::HashMap, sync::Arc};
use touchpoint_core::{
    StoreResult,
    feedback::{AnswerValue, QuestionKind, ValidSurvey, records::StoredAnswer},
};

/// What the short form leaves out, per question of a version.
#[derive(Debug)]
pub(crate) struct QuestionInfo {
    pub code: Arc<str>,
    pub kind: QuestionKind,
    pub dimension: Option<String>,
    pub moment_id: Option<i64>,
}

/// A survey version as the response codec needs it. Versions never change once published,
/// so this can be cached for the life of the store.
#[derive(Debug)]
pub(crate) struct VersionInfo {
    pub survey_id: i64,
    pub questions: Vec<QuestionInfo>,
    by_code: HashMap<Arc<str>, usize>,
}

#[derive(Serialize)]
struct FullOut<'a>(
    &'a str,
    QuestionKind,
    Option<i64>,
    Option<&'a str>,
    &'a AnswerValue,
);

#[derive(Serialize)]
struct FullFormOut<'a> {
    a: Vec<FullOut<'a>>,
}

#[derive(Deserialize)]
struct FullIn(
    String,
    QuestionKind,
    Option<i64>,
    Option<String>,
    AnswerValue,
);

#[derive(Deserialize)]
struct FullFormIn {
    a: Vec<FullIn>,
}

fn write_int(buf: &mut Vec<u8>, v: i64) {
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        buf.push(b'-');
    }
    buf.extend_from_slice(&digits[i..]);
}

/// The JSON of one value (scores and pairs written by hand: they are most of every import).
fn write_value(buf: &mut Vec<u8>, v: &AnswerValue) -> serde_json::Result<()> {
    match v {
        AnswerValue::Score(s) => write_int(buf, i64::from(*s)),
        AnswerValue::Servqual {
            expectation,
            perception,
        } => {
            buf.extend_from_slice(b"{\"expectation\":");
            write_int(buf, i64::from(*expectation));
            buf.extend_from_slice(b",\"perception\":");
            write_int(buf, i64::from(*perception));
            buf.push(b'}');
        }
        other => serde_json::to_writer(&mut *buf, other)?,
    }
    Ok(())
}

impl VersionInfo {
    pub(crate) fn new(
        survey_id: i64,
        def: &ValidSurvey,
        moment_ids: &std::collections::BTreeMap<String, i64>,
    ) -> Self {
        let questions: Vec<QuestionInfo> = def
            .questions
            .iter()
            .map(|q| QuestionInfo {
                code: Arc::from(q.code.as_str()),
                kind: q.kind,
                dimension: q.dimension.clone(),
                moment_id: moment_ids.get(&q.code).copied(),
            })
            .collect();
        let by_code = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.code.clone(), i))
            .collect();
        Self {
            survey_id,
            questions,
            by_code,
        }
    }

    /// The version with this id, if any.
    pub(crate) fn load(conn: &Connection, version_id: i64) -> StoreResult<Option<Self>> {
        conn.prepare_cached(
            "SELECT survey_id, definition_json, moment_ids_json FROM survey_versions WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([version_id], |r| {
                let def: ValidSurvey = get_json_as(r, 1)?;
                let ids = get_json_as(r, 2)?;
                Ok(Self::new(r.get(0)?, &def, &ids))
            })
            .optional()
        })
        .map_err(map_err)
    }

    /// The question `a` answers, if it agrees with it in every stored field. `hint` is where
    /// it usually is (answers come in question order).
    pub(crate) fn position(&self, a: &StoredAnswer, hint: usize) -> Option<usize> {
        let i = match self.questions.get(hint) {
            Some(q) if *q.code == *a.question_code => hint,
            _ => *self.by_code.get(a.question_code.as_str())?,
        };
        let q = &self.questions[i];
        (q.kind == a.kind && q.dimension == a.dimension && q.moment_id == a.moment_id).then_some(i)
    }

    /// Append the stored form of `answers` to `buf`.
    pub(crate) fn encode(
        &self,
        answers: &[StoredAnswer],
        buf: &mut Vec<u8>,
    ) -> serde_json::Result<()> {
        let start = buf.len();
        buf.push(b'[');
        let mut next = 0;
        for a in answers {
            match self.position(a, next) {
                Some(i) if i >= next => {
                    for _ in next..i {
                        buf.extend_from_slice(b"null,");
                    }
                    write_value(buf, &a.value)?;
                    buf.push(b',');
                    next = i + 1;
                }
                _ => {
                    buf.truncate(start);
                    let a = answers
                        .iter()
                        .map(|a| {
                            FullOut(
                                &a.question_code,
                                a.kind,
                                a.moment_id,
                                a.dimension.as_deref(),
                                &a.value,
                            )
                        })
                        .collect();
                    return serde_json::to_writer(&mut *buf, &FullFormOut { a });
                }
            }
        }
        match buf.last_mut() {
            Some(last) if *last == b',' => *last = b']',
            _ => buf.push(b']'),
        }
        Ok(())
    }

    pub(crate) fn decode(&self, text: &str) -> Result<Vec<StoredAnswer>, String> {
        if text.starts_with('{') {
            let full: FullFormIn = serde_json::from_str(text).map_err(|e| e.to_string())?;
            return Ok(full
                .a
                .into_iter()
                .map(|FullIn(question_code, kind, moment_id, dimension, value)| {
                    text_fix(StoredAnswer {
                        question_code,
                        kind,
                        moment_id,
                        dimension,
                        value,
                    })
                })
                .collect());
        }
        let values: Vec<Option<AnswerValue>> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        if values.len() > self.questions.len() {
            return Err("more answers than the survey version has questions".into());
        }
        Ok(values
            .into_iter()
            .zip(&self.questions)
            .filter_map(|(v, q)| {
                v.map(|value| {
                    text_fix(StoredAnswer {
                        question_code: q.code.to_string(),
                        kind: q.kind,
                        moment_id: q.moment_id,
                        dimension: q.dimension.clone(),
                        value,
                    })
                })
            })
            .collect())
    }
}

/// JSON cannot tell a text from a single choice; the question kind can.
fn text_fix(mut a: StoredAnswer) -> StoredAnswer {
    if a.kind == QuestionKind::Text
        && let AnswerValue::Choice(s) = &mut a.value
    {
        a.value = AnswerValue::Text(std::mem::take(s));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::VersionInfo;
    use std::collections::BTreeMap;
    use touchpoint_core::feedback::{
        AnswerValue, Localized, QuestionKind, ValidSurvey, question::ValidQuestion,
        records::StoredAnswer, survey::Audience,
    };

    fn q(code: &str, kind: QuestionKind) -> ValidQuestion {
        ValidQuestion {
            code: code.into(),
            kind,
            text: Localized::en_es("?", "¿?"),
            moment_key: None,
            dimension: (kind == QuestionKind::Servqual).then(|| "courtesy".to_string()),
            required: false,
            options: vec![],
        }
    }

    #[test]
    fn answers_round_trip_compactly() {
        let def = ValidSurvey {
            key: "s".into(),
            service_key: None,
            audience: Audience::Employees,
            languages: vec!["en".into(), "es".into()],
            title: Localized::en_es("T", "T"),
            intro: Localized::new(),
            thank_you: Localized::new(),
            questions: vec![
                q("wait", QuestionKind::Rating),
                q("gap", QuestionKind::Servqual),
                q("visit", QuestionKind::SingleChoice),
                q("comment", QuestionKind::Text),
            ],
        };
        let info = VersionInfo::new(3, &def, &BTreeMap::from([("wait".to_string(), 12)]));
        let a = |code: &str, kind, moment_id, dimension: Option<&str>, value| StoredAnswer {
            question_code: code.into(),
            kind,
            moment_id,
            dimension: dimension.map(str::to_string),
            value,
        };
        let in_order = vec![
            a(
                "wait",
                QuestionKind::Rating,
                Some(12),
                None,
                AnswerValue::Score(4),
            ),
            a(
                "gap",
                QuestionKind::Servqual,
                None,
                Some("courtesy"),
                AnswerValue::Servqual {
                    expectation: 6,
                    perception: 5,
                },
            ),
            a(
                "comment",
                QuestionKind::Text,
                None,
                None,
                AnswerValue::Text("5 \"ok\"".into()),
            ),
        ];
        let mut buf = Vec::new();
        info.encode(&in_order, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(
            text,
            r#"[4,{"expectation":6,"perception":5},null,"5 \"ok\""]"#
        );
        assert_eq!(info.decode(&text).unwrap(), in_order);
        let mut buf = Vec::new();
        info.encode(&[], &mut buf).unwrap();
        assert_eq!(
            (buf.as_slice(), info.decode("[]").unwrap()),
            (&b"[]"[..], vec![])
        );

        let answers = vec![
            a(
                "visit",
                QuestionKind::SingleChoice,
                None,
                None,
                AnswerValue::Choice("first".into()),
            ),
            // Out of question order, then disagreeing with the version: kept in full.
            a(
                "wait",
                QuestionKind::Rating,
                Some(12),
                None,
                AnswerValue::Score(-3),
            ),
            a(
                "wait",
                QuestionKind::Rating,
                Some(99),
                None,
                AnswerValue::Score(2),
            ),
            a(
                "extra",
                QuestionKind::Text,
                None,
                None,
                AnswerValue::Text("x".into()),
            ),
        ];
        let mut buf = Vec::new();
        info.encode(&answers, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(
            text.starts_with(r#"{"a":[["visit","single_choice",null,null,"first"],"#),
            "{text}"
        );
        assert_eq!(info.decode(&text).unwrap(), answers);
    }
}

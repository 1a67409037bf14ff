//! The answering form: reading posted fields into answers, and the view of every question
//! (with what the respondent already gave, and the problem with it, after a failed submit).
//!
//! Field names are `q.<code>` (a `multi_choice` repeats it), and `q.<code>.e` / `q.<code>.p`
//! for the two halves of a `servqual` item. Element ids use the question's position
//! (`q3-5`), so no pair of codes can produce the same id.
use super::texts::PublicTexts;
use std::collections::{BTreeMap, BTreeSet};
use touchpoint_core::feedback::{
    AnswerIssue, AnswerProblem, AnswerValue, QuestionKind, ValidQuestion, ValidSurvey,
    answer::ServqualPart,
};

/// Decoded `name=value` pairs of the posted form, in order.
#[derive(Debug, Clone, Default)]
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    pub fn parse(body: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub fn field(code: &str) -> String {
    format!("q.{code}")
}

/// Read the posted form into answers for [`crate::feedback::check_response`]. Problems only
/// the form can have (half a servqual pair, a non-number) are returned beside them; fields of
/// questions the survey does not have are ignored.
pub fn read(
    survey: &ValidSurvey,
    posted: &Posted,
) -> (BTreeMap<String, AnswerValue>, Vec<AnswerIssue>) {
    let mut answers = BTreeMap::new();
    let mut issues = Vec::new();
    for q in &survey.questions {
        let name = field(&q.code);
        let value = match q.kind {
            QuestionKind::MultiChoice => {
                let ticked: Vec<String> = posted
                    .all(&name)
                    .filter(|v| !v.trim().is_empty())
                    .map(str::to_string)
                    .collect();
                (!ticked.is_empty()).then_some(AnswerValue::Choices(ticked))
            }
            QuestionKind::Servqual => match servqual(posted, &name) {
                Ok(v) => v,
                Err(problem) => {
                    issues.push(AnswerIssue {
                        code: q.code.clone(),
                        problem,
                    });
                    None
                }
            },
            _ => Some(posted.get(&name))
                .filter(|v| !v.trim().is_empty())
                .map(|v| AnswerValue::Text(v.to_string())),
        };
        if let Some(v) = value {
            answers.insert(q.code.clone(), v);
        }
    }
    (answers, issues)
}

/// The form's own problems plus the answer check's, one per question, in question order.
pub fn merge(
    survey: &ValidSurvey,
    mut issues: Vec<AnswerIssue>,
    more: Vec<AnswerIssue>,
) -> Vec<AnswerIssue> {
    let seen: BTreeSet<String> = issues.iter().map(|i| i.code.clone()).collect();
    issues.extend(more.into_iter().filter(|i| !seen.contains(&i.code)));
    let position = |code: &str| survey.question(code).map_or(usize::MAX, |(i, _)| i);
    issues.sort_by_key(|i| position(&i.code));
    issues
}

fn servqual(posted: &Posted, name: &str) -> Result<Option<AnswerValue>, AnswerProblem> {
    let e = posted.get(&format!("{name}.e")).trim();
    let p = posted.get(&format!("{name}.p")).trim();
    let num = |s: &str| {
        s.parse::<i32>()
            .map_err(|_| AnswerProblem::NotANumber(s.to_string()))
    };
    match (e.is_empty(), p.is_empty()) {
        (true, true) => Ok(None),
        (false, true) => Err(AnswerProblem::HalfServqual {
            missing: ServqualPart::Perception,
        }),
        (true, false) => Err(AnswerProblem::HalfServqual {
            missing: ServqualPart::Expectation,
        }),
        (false, false) => Ok(Some(AnswerValue::Servqual {
            expectation: num(e)?,
            perception: num(p)?,
        })),
    }
}

pub struct ScaleOption {
    pub name: String,
    pub value: i32,
    pub id: String,
    pub checked: bool,
    /// The end label read with the first and last value ("1, Very dissatisfied").
    pub end: &'static str,
}

pub struct ChoiceView {
    pub code: String,
    pub id: String,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionView {
    /// 1-based position in the survey.
    pub number: usize,
    pub index: usize,
    pub name: String,
    /// `scale`, `servqual`, `single`, `multi` or `text`.
    pub kind: &'static str,
    pub progress: String,
    pub text: String,
    pub required: bool,
    pub error: Option<String>,
    pub first_id: String,
    pub scale: Vec<ScaleOption>,
    pub low: &'static str,
    pub high: &'static str,
    pub expectation: Vec<ScaleOption>,
    pub perception: Vec<ScaleOption>,
    pub options: Vec<ChoiceView>,
    pub text_value: String,
}

pub struct SectionView {
    /// Headings are shown only when there is more than one section or a moment to name.
    pub show: bool,
    /// "Part 2 of 5".
    pub part: String,
    /// The moment's name, or "Overall" for questions about no moment.
    pub title: String,
    pub questions: Vec<QuestionView>,
}

pub struct ErrorLink {
    pub href: String,
    pub text: String,
}

fn scale(
    (index, name): (usize, &str),
    prefix: &str,
    min: i32,
    max: i32,
    ends: (&'static str, &'static str),
    given: &str,
) -> Vec<ScaleOption> {
    (min..=max)
        .map(|value| ScaleOption {
            name: name.to_string(),
            value,
            id: format!("q{index}-{prefix}{value}"),
            checked: given.trim() == value.to_string(),
            end: if value == min {
                ends.0
            } else if value == max {
                ends.1
            } else {
                ""
            },
        })
        .collect()
}

fn question_view(
    t: &PublicTexts,
    lang: &str,
    fallback: &str,
    (index, q): (usize, &ValidQuestion),
    total: usize,
    posted: &Posted,
    error: Option<String>,
) -> QuestionView {
    let name = field(&q.code);
    let given = posted.get(&name);
    let ends = match q.kind {
        QuestionKind::Nps => (t.not_likely, t.extremely_likely),
        QuestionKind::Effort => (t.very_easy, t.very_difficult),
        QuestionKind::Servqual => (t.strongly_disagree, t.strongly_agree),
        _ => (t.very_dissatisfied, t.very_satisfied),
    };
    let bounds = q.kind.scale().map_or((1, 5), |s| (s.min, s.max));
    let mut v = QuestionView {
        number: index + 1,
        index,
        kind: "scale",
        progress: t
            .question_n_of
            .replace("{n}", &(index + 1).to_string())
            .replace("{total}", &total.to_string()),
        text: q.text.text_for(lang, fallback).to_string(),
        required: q.required,
        error,
        first_id: format!("q{index}-{}", bounds.0),
        scale: Vec::new(),
        low: ends.0,
        high: ends.1,
        expectation: Vec::new(),
        perception: Vec::new(),
        options: Vec::new(),
        text_value: String::new(),
        name,
    };
    match q.kind {
        QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Effort => {
            v.scale = scale((index, &v.name), "", bounds.0, bounds.1, ends, given);
        }
        QuestionKind::Servqual => {
            v.kind = "servqual";
            v.first_id = format!("q{index}-e{}", bounds.0);
            let e = posted.get(&format!("{}.e", v.name));
            let p = posted.get(&format!("{}.p", v.name));
            let (en, pn) = (format!("{}.e", v.name), format!("{}.p", v.name));
            v.expectation = scale((index, &en), "e", bounds.0, bounds.1, ends, e);
            v.perception = scale((index, &pn), "p", bounds.0, bounds.1, ends, p);
        }
        QuestionKind::SingleChoice | QuestionKind::MultiChoice => {
            let multi = q.kind == QuestionKind::MultiChoice;
            v.kind = if multi { "multi" } else { "single" };
            v.first_id = format!("q{index}-o0");
            let ticked: Vec<&str> = posted.all(&v.name).collect();
            v.options = q
                .options
                .iter()
                .enumerate()
                .map(|(j, o)| ChoiceView {
                    code: o.code.clone(),
                    id: format!("q{index}-o{j}"),
                    label: o.label.text_for(lang, fallback).to_string(),
                    checked: ticked.contains(&o.code.as_str()),
                })
                .collect();
        }
        QuestionKind::Text => {
            v.kind = "text";
            v.first_id = format!("q{index}-text");
            v.text_value = given.to_string();
        }
    }
    v
}

/// Every question, grouped into sections of consecutive questions about the same moment
/// (`moment_names` maps moment keys to names), plus the error summary's links.
pub fn sections(
    t: &PublicTexts,
    survey: &ValidSurvey,
    lang: &str,
    moment_names: &BTreeMap<String, String>,
    posted: &Posted,
    issues: &[AnswerIssue],
) -> (Vec<SectionView>, Vec<ErrorLink>) {
    let fallback = survey.languages.first().map_or("en", String::as_str);
    let total = survey.questions.len();
    let mut groups: Vec<(Option<&str>, Vec<QuestionView>)> = Vec::new();
    let mut links = Vec::new();
    for (index, q) in survey.questions.iter().enumerate() {
        let error = issues
            .iter()
            .find(|i| i.code == q.code)
            .map(|i| i.problem.message(lang));
        let view = question_view(t, lang, fallback, (index, q), total, posted, error);
        if let Some(msg) = &view.error {
            links.push(ErrorLink {
                href: format!("#{}", view.first_id),
                text: format!("{}. {} — {msg}", view.number, view.text),
            });
        }
        let moment = q.moment_key.as_deref();
        match groups.last_mut() {
            Some((m, list)) if *m == moment => list.push(view),
            _ => groups.push((moment, vec![view])),
        }
    }
    let count = groups.len();
    let show = count > 1 || groups.first().is_some_and(|(m, _)| m.is_some());
    let sections = groups
        .into_iter()
        .enumerate()
        .map(|(i, (moment, questions))| SectionView {
            show,
            part: t
                .part_n_of
                .replace("{n}", &(i + 1).to_string())
                .replace("{total}", &count.to_string()),
            title: moment
                .and_then(|k| moment_names.get(k).cloned())
                .unwrap_or_else(|| t.general_section.to_string()),
            questions,
        })
        .collect();
    (sections, links)
}

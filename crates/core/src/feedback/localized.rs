//! Text in every language of a survey.
//!
//! A survey is answered in the respondent's language, so a text that exists in English but not
//! in Spanish would show a blank (or the wrong language) to half the customers. Validation
//! therefore insists that every survey language has its own text.
use crate::error::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The two languages every survey must offer.
pub const REQUIRED_LANGUAGES: [&str; 2] = ["en", "es"];
pub const MAX_LANGUAGES: usize = 12;

/// One text per language code (`en`, `es`, `pt-br`…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    pub fn new() -> Self {
        Self::default()
    }

    /// The common case of the templates: one English and one Spanish text.
    pub fn en_es(en: impl Into<String>, es: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert("en".to_string(), en.into());
        map.insert("es".to_string(), es.into());
        Self(map)
    }

    pub fn with(mut self, language: &str, text: impl Into<String>) -> Self {
        self.0.insert(language.to_string(), text.into());
        self
    }

    pub fn get(&self, language: &str) -> Option<&str> {
        self.0.get(language).map(String::as_str)
    }

    /// The text in `language`, else in `fallback`, else any text at all (never panics).
    pub fn text_for<'a>(&'a self, language: &str, fallback: &str) -> &'a str {
        self.get(language)
            .or_else(|| self.get(fallback))
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when no language has a non-blank text.
    pub fn is_blank(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }
}

/// Whether a localized text may be left out entirely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Required,
    /// Either absent in every language or present in every language.
    Optional,
}

/// Check a localized text against the survey languages; returns it trimmed, with blank
/// entries dropped. Errors name the language (`questions[2].text.es`).
pub(crate) fn check_localized(
    errors: &mut ValidationErrors,
    field: &str,
    value: &Localized,
    languages: &[String],
    presence: Presence,
    max_chars: usize,
) -> Localized {
    let mut out = BTreeMap::new();
    for (lang, text) in &value.0 {
        let text = text.trim();
        if !languages.iter().any(|l| l == lang) {
            errors.push(
                format!("{field}.{lang}"),
                format!(
                    "'{lang}' is not one of the survey's languages ({})",
                    languages.join(", ")
                ),
            );
        } else if text.chars().count() > max_chars {
            errors.push(
                format!("{field}.{lang}"),
                format!("must be at most {max_chars} characters"),
            );
        } else if !text.is_empty() {
            out.insert(lang.clone(), text.to_string());
        }
    }
    let skip_missing = presence == Presence::Optional && value.is_blank();
    if !skip_missing {
        for lang in languages {
            if value.get(lang).is_none_or(|t| t.trim().is_empty()) {
                errors.push(
                    format!("{field}.{lang}"),
                    format!("the '{lang}' text is missing; every survey language needs one"),
                );
            }
        }
    }
    Localized(out)
}

/// Check the survey's language list: valid codes, no repeats, English and Spanish present.
pub(crate) fn check_languages(errors: &mut ValidationErrors, languages: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(languages.len());
    for (i, lang) in languages.iter().enumerate() {
        let lang = lang.trim();
        if !is_language_code(lang) {
            errors.push(
                format!("languages[{i}]"),
                format!("'{lang}' is not a language code; use codes like en, es or pt-br"),
            );
        } else if out.iter().any(|l| l == lang) {
            errors.push(
                format!("languages[{i}]"),
                format!("'{lang}' is listed twice"),
            );
        } else {
            out.push(lang.to_string());
        }
    }
    if languages.len() > MAX_LANGUAGES {
        errors.push(
            "languages",
            format!("at most {MAX_LANGUAGES} languages per survey"),
        );
    }
    let missing: Vec<&str> = REQUIRED_LANGUAGES
        .into_iter()
        .filter(|r| !out.iter().any(|l| l == r))
        .collect();
    if !missing.is_empty() {
        errors.push(
            "languages",
            format!(
                "every survey is offered in English (en) and Spanish (es); add {}",
                missing.join(" and ")
            ),
        );
    }
    out
}

/// `en`, `es`, `pt-br`: two or three lowercase letters, optionally a lowercase region or script.
pub fn is_language_code(code: &str) -> bool {
    let (base, region) = match code.split_once('-') {
        Some((b, r)) => (b, Some(r)),
        None => (code, None),
    };
    (2..=3).contains(&base.len())
        && base.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (2..=8).contains(&r.len())
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["en".into(), "es".into()]
    }

    #[test]
    fn missing_language_is_named_by_path() {
        let mut e = ValidationErrors::new();
        let text = Localized::new().with("en", "Hello");
        check_localized(&mut e, "title", &text, &langs(), Presence::Required, 200);
        assert_eq!(e.first_field(), Some("title.es"));
    }

    #[test]
    fn optional_text_is_all_or_nothing() {
        let mut e = ValidationErrors::new();
        let empty = check_localized(
            &mut e,
            "intro",
            &Localized::new(),
            &langs(),
            Presence::Optional,
            200,
        );
        assert!(e.is_empty() && empty.0.is_empty());
        let half = Localized::new().with("es", "Hola").with("en", "  ");
        check_localized(&mut e, "intro", &half, &langs(), Presence::Optional, 200);
        assert_eq!(e.first_field(), Some("intro.en"));
    }

    #[test]
    fn foreign_language_and_overlong_text_are_rejected() {
        let mut e = ValidationErrors::new();
        let text = Localized::en_es("x".repeat(11), "hola").with("fr", "salut");
        check_localized(&mut e, "t", &text, &langs(), Presence::Required, 10);
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["t.en", "t.fr"]);
    }

    #[test]
    fn languages_need_english_and_spanish_without_repeats() {
        let mut e = ValidationErrors::new();
        let out = check_languages(&mut e, &["en".into(), "en".into(), "EN".into()]);
        assert_eq!(out, ["en"]);
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["languages[1]", "languages[2]", "languages"]);
        assert!(e.0[2].message.contains("add es"));
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("pt-br"));
        assert!(is_language_code("es"));
        assert!(!is_language_code("e"));
        assert!(!is_language_code("es_CO"));
        assert!(!is_language_code(""));
    }

    #[test]
    fn text_for_falls_back() {
        let t = Localized::en_es("Hi", "Hola");
        assert_eq!(t.text_for("es", "en"), "Hola");
        assert_eq!(t.text_for("de", "en"), "Hi");
        assert_eq!(Localized::new().text_for("de", "en"), "");
    }
}

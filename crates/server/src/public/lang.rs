//! Which of the survey's languages a respondent sees: `?lang=` → the invitation's language →
//! the `tp_lang` cookie → `Accept-Language` → the survey's first language. Only languages the
//! survey offers are ever chosen.
use crate::i18n::{LANG_COOKIE, Lang, cookie_value};
use axum::http::{HeaderMap, header::ACCEPT_LANGUAGE};

/// The offered language matching `wanted`: exact, else same base (`es-CO` → `es`).
pub fn offered<'a>(languages: &'a [String], wanted: &str) -> Option<&'a str> {
    let wanted = wanted.trim().to_ascii_lowercase();
    if wanted.is_empty() {
        return None;
    }
    let base = |s: &str| s.split('-').next().unwrap_or("").to_string();
    languages
        .iter()
        .find(|l| **l == wanted)
        .or_else(|| languages.iter().find(|l| base(l) == base(&wanted)))
        .map(String::as_str)
}

pub fn choose(
    languages: &[String],
    query: Option<&str>,
    invitation: Option<&str>,
    headers: &HeaderMap,
) -> String {
    let from_header = || {
        headers
            .get(ACCEPT_LANGUAGE)?
            .to_str()
            .ok()?
            .split(',')
            .find_map(|part| offered(languages, part.split(';').next().unwrap_or("")))
    };
    query
        .and_then(|q| offered(languages, q))
        .or_else(|| invitation.and_then(|l| offered(languages, l)))
        .or_else(|| cookie_value(headers, LANG_COOKIE).and_then(|c| offered(languages, &c)))
        .or_else(from_header)
        .or_else(|| languages.first().map(String::as_str))
        .unwrap_or("en")
        .to_string()
}

/// The interface language for a survey language (English for languages without a catalog).
pub fn ui_lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or(Lang::En)
}

/// One entry of the language switch.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub code: String,
    pub name: String,
    pub current: bool,
}

pub fn switch(languages: &[String], current: &str) -> Vec<LangLink> {
    languages
        .iter()
        .map(|code| LangLink {
            code: code.clone(),
            name: match code.as_str() {
                "en" => "English".to_string(),
                "es" => "Español".to_string(),
                other => other.to_uppercase(),
            },
            current: code == current,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["es".into(), "en".into()]
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn order_of_preference() {
        let h = headers(&[("cookie", "tp_lang=en"), ("accept-language", "es-CO")]);
        assert_eq!(choose(&langs(), Some("en"), Some("es"), &h), "en");
        assert_eq!(choose(&langs(), Some("fr"), Some("es"), &h), "es");
        assert_eq!(choose(&langs(), None, None, &h), "en");
        let h = headers(&[("accept-language", "fr, en-GB;q=0.8")]);
        assert_eq!(choose(&langs(), None, None, &h), "en");
        assert_eq!(choose(&langs(), None, None, &HeaderMap::new()), "es");
    }

    #[test]
    fn interface_language_falls_back_to_english() {
        assert_eq!(ui_lang("es"), Lang::Es);
        assert_eq!(ui_lang("pt-br"), Lang::En);
    }
}

//! Interface language: English or Spanish. Resolution order: `?lang=` → `tp_lang` cookie →
//! the signed-in user's preference → `Accept-Language` → English.
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

pub const LANG_COOKIE: &str = "tp_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().get(..2) {
            Some("en") => Some(Lang::En),
            Some("es") => Some(Lang::Es),
            _ => None,
        }
    }
    /// First supported language in an `Accept-Language` header, honouring order (q-values
    /// are rarely out of order in practice).
    pub fn from_accept_language(headers: &HeaderMap) -> Option<Lang> {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)?
            .to_str()
            .ok()?
            .split(',')
            .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
    }
    /// Language from cookie or header only (no user known yet, e.g. the login page).
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        cookie_value(headers, LANG_COOKIE)
            .and_then(|v| Lang::parse(&v))
            .or_else(|| Lang::from_accept_language(headers))
            .unwrap_or_default()
    }
}

/// Read one cookie from the request headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_first_supported() {
        let mut h = HeaderMap::new();
        h.insert(
            "accept-language",
            "fr-FR,es-CO;q=0.8,en;q=0.5".parse().unwrap(),
        );
        assert_eq!(Lang::from_accept_language(&h), Some(Lang::Es));
    }

    #[test]
    fn cookie_beats_header() {
        let mut h = HeaderMap::new();
        h.insert("accept-language", "es".parse().unwrap());
        h.insert("cookie", "a=b; tp_lang=en".parse().unwrap());
        assert_eq!(Lang::from_headers(&h), Lang::En);
    }
}

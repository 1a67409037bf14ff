//! A cookie-keeping "browser" for the page tests: signs in through the real login form, reads
//! the CSRF token out of pages, and reads back the fields of a rendered form.
#![allow(dead_code)]

use crate::support::{TEST_PASSWORD, TestApp};
use reqwest::{StatusCode, header::HeaderMap};
use touchpoint_core::user::{Role, User};

pub struct Page {
    pub status: StatusCode,
    pub body: String,
    pub headers: HeaderMap,
}

impl Page {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
    /// The CSRF token of the first form on the page that has one.
    pub fn csrf(&self) -> String {
        let needle = "name=\"csrf\" value=\"";
        self.body
            .find(needle)
            .map(|i| &self.body[i + needle.len()..])
            .and_then(|rest| rest.split('"').next())
            .map(unescape)
            .unwrap_or_default()
    }
    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }
}

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    /// The session cookie's secret after the last successful sign-in.
    pub session: Option<String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self::with_language(app, None)
    }

    pub fn with_language(app: &TestApp, accept_language: Option<&str>) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(l) = accept_language {
            headers.insert("accept-language", l.parse().expect("header value"));
        }
        Self {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()
                .expect("client"),
            base: app.base_url.clone(),
            session: None,
        }
    }

    async fn read(res: reqwest::Response) -> Page {
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.text().await.expect("body");
        Page {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::read(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(String, String)]) -> Page {
        Self::read(
            self.client
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// POST with the CSRF token of the signed-in session added.
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get("/services").await.csrf();
        let mut form = pairs(fields);
        form.push(("csrf".into(), csrf));
        self.post(path, &form).await
    }

    /// Sign in through the login form; returns the response to the POST.
    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        let form_page = self.get("/login").await;
        let form = pairs(&[
            ("csrf", &form_page.csrf()),
            ("email", email),
            ("password", password),
            ("next", "/services"),
        ]);
        let page = self.post("/login", &form).await;
        if let Some(secret) = set_cookie(&page.headers, "tp_session") {
            self.session = Some(secret);
        }
        page
    }

    /// A new user of `role` (password [`TEST_PASSWORD`]) signed in through the form.
    pub async fn signed_in(app: &TestApp, role: Role, email: &str) -> (Browser, User) {
        let user = app.user_with_password(role, email, TEST_PASSWORD).await;
        let mut b = Browser::new(app);
        let page = b.login(email, TEST_PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "login of {email}");
        (b, user)
    }
}

pub fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Decode the character references askama and the SVG writer produce.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 8) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Page {
    /// The body with character references decoded, for searching visible text.
    pub fn text(&self) -> String {
        unescape(&self.body)
    }
    pub fn shows(&self, text: &str) -> bool {
        self.text().contains(text)
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn has_flag(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>')
        .any(|w| w == name)
}

/// The successful controls of the last `<form method="post">` on the page, in order, as a
/// browser would send them (without any submit button).
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[..=end];
        if tag.starts_with("<input") {
            if let Some(name) = attr(tag, "name") {
                let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
                match kind.as_str() {
                    "checkbox" => {
                        if has_flag(tag, "checked") {
                            out.push((name, attr(tag, "value").unwrap_or_else(|| "on".into())));
                        }
                    }
                    "submit" => {}
                    _ => out.push((name, attr(tag, "value").unwrap_or_default())),
                }
            }
        } else if tag.starts_with("<textarea") {
            if let Some(name) = attr(tag, "name") {
                let body = &rest[end + 1..];
                let close = body.find("</textarea>").unwrap_or(0);
                out.push((name, unescape(&body[..close])));
            }
        } else if tag.starts_with("<select") {
            if let Some(name) = attr(tag, "name") {
                let body = &rest[end + 1..];
                let close = body.find("</select>").unwrap_or(0);
                let options = &body[..close];
                let mut chosen = None;
                for opt in options.split("<option").skip(1) {
                    let otag = &opt[..opt.find('>').unwrap_or(0)];
                    let value = attr(&format!(" {otag}"), "value").unwrap_or_default();
                    if chosen.is_none() {
                        chosen = Some(value.clone());
                    }
                    if has_flag(otag, "selected") {
                        chosen = Some(value);
                    }
                }
                out.push((name, chosen.unwrap_or_default()));
            }
        } else if tag.starts_with("<form") {
            out.clear();
        }
        rest = &rest[end + 1..];
    }
    out
}

/// Replace (or add) one field of a form.
pub fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    match form.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_string(),
        None => form.push((name.to_string(), value.to_string())),
    }
}

/// Remove a field (an unchecked checkbox).
pub fn unset(form: &mut Vec<(String, String)>, name: &str) {
    form.retain(|(k, _)| k != name);
}

pub fn with_action(form: &[(String, String)], action: &str) -> Vec<(String, String)> {
    let mut f = form.to_vec();
    f.push(("action".into(), action.into()));
    f
}

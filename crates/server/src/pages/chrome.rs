//! What every page's layout needs: language, texts, who is signed in, the CSRF token, which
//! navigation item is current, and an optional success message.
use super::texts::{Texts, texts};
use crate::{auth::PageUser, i18n::Lang};
use touchpoint_core::user::{Permission, Role};

#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: &'static Texts,
    pub lang: Lang,
    /// `en` or `es`, for `<html lang>`.
    pub code: &'static str,
    pub signed_in: bool,
    pub user_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    /// Which navigation item is current: `services`, `sites`, `staff`, `users`, `audit`.
    pub nav: &'static str,
    pub can_manage: bool,
    pub is_admin: bool,
    /// The current path and query, URL-encoded, for the language switch's `next`.
    pub here: String,
    pub flash: Option<String>,
    pub css_href: String,
}

impl Chrome {
    pub fn for_user(pu: &PageUser, nav: &'static str, here: &str) -> Self {
        let mut c = Self::anonymous(pu.lang, here);
        c.signed_in = true;
        c.user_name = if pu.user.name.is_empty() {
            pu.user.email.clone()
        } else {
            pu.user.name.clone()
        };
        c.role_label = c.t.role(pu.user.role);
        c.csrf = pu.csrf_token.clone();
        c.nav = nav;
        c.can_manage = pu.user.role.allows(Permission::ManageCatalog);
        c.is_admin = pu.user.role.allows(Permission::Administer);
        c
    }

    pub fn anonymous(lang: Lang, here: &str) -> Self {
        let t = texts(lang);
        Self {
            t,
            lang,
            code: lang.code(),
            signed_in: false,
            user_name: String::new(),
            role_label: t.role(Role::Viewer),
            csrf: String::new(),
            nav: "",
            can_manage: false,
            is_admin: false,
            here: url_encode(here),
            flash: None,
            css_href: super::assets::css_href(),
        }
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Self {
        self.flash = flash;
        self
    }
}

/// Percent-encode one query value.
pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|v| v.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

//! Every string the pages show, in English and Spanish. Each language is one `const` of the
//! same struct, so the compiler refuses a key that is missing in either language. Strings with
//! `{name}` placeholders are filled with `str::replace`.
mod en;
mod es;

use crate::i18n::Lang;
use touchpoint_core::{channel::Channel, user::Role};

pub use en::EN;
pub use es::ES;

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

#[derive(Debug)]
pub struct Texts {
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub services: &'static str,
    pub sites: &'static str,
    pub staff: &'static str,
    pub users: &'static str,
    pub audit_log: &'static str,
    pub language: &'static str,
    pub signed_in_as: &'static str,
    pub log_out: &'static str,
    pub footer: &'static str,
    pub breadcrumbs: &'static str,
    pub pagination: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub showing: &'static str,
    pub actions: &'static str,
    pub search: &'static str,
    pub search_by_name: &'static str,
    pub filter: &'static str,
    pub filters: &'static str,
    pub clear: &'static str,
    pub optional: &'static str,
    pub create: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub edit: &'static str,
    pub view: &'static str,
    pub deactivate: &'static str,
    pub status: &'static str,
    pub active: &'static str,
    pub inactive: &'static str,
    pub show_inactive: &'static str,
    pub name: &'static str,
    pub key: &'static str,
    pub description: &'static str,
    pub created: &'static str,
    pub email: &'static str,
    pub already_taken: &'static str,
    pub flash_created: &'static str,
    pub flash_updated: &'static str,
    pub flash_deactivated: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_text: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub internal_title: &'static str,
    pub internal_text: &'static str,
    pub back_to_services: &'static str,
    pub sign_in: &'static str,
    pub login_intro: &'static str,
    pub login_failed: &'static str,
    pub password: &'static str,
    pub services_intro: &'static str,
    pub new_service: &'static str,
    pub no_services: &'static str,
    pub no_services_manage: &'static str,
    pub no_services_read: &'static str,
    pub current_version: &'static str,
    pub no_version: &'static str,
    pub moments: &'static str,
    pub critical_moments: &'static str,
    pub key_help: &'static str,
    pub create_and_design: &'static str,
    pub service_cycle: &'static str,
    pub edit_cycle: &'static str,
    pub version_history: &'static str,
    pub export_yaml: &'static str,
    pub read_only: &'static str,
    pub old_version: &'static str,
    pub view_current: &'static str,
    pub version: &'static str,
    pub version_label: &'static str,
    pub current: &'static str,
    pub published: &'static str,
    pub published_by: &'static str,
    pub note: &'static str,
    pub counts: &'static str,
    pub journey_map: &'static str,
    pub map_title: &'static str,
    pub legend: &'static str,
    pub moment_of_truth: &'static str,
    pub moments_of_truth: &'static str,
    pub critical: &'static str,
    pub critical_moment: &'static str,
    pub critical_explained: &'static str,
    pub served_by: &'static str,
    pub standards: &'static str,
    pub no_cycle: &'static str,
    pub no_cycle_manage: &'static str,
    pub no_cycle_read: &'static str,
    pub design_cycle: &'static str,
    pub versions_intro: &'static str,
    pub version_published: &'static str,
    pub editor_intro: &'static str,
    pub editor_intro_new: &'static str,
    pub fix_errors: &'static str,
    pub refresh: &'static str,
    pub moment_n: &'static str,
    pub moment_key_help: &'static str,
    pub channel_label: &'static str,
    pub role_label: &'static str,
    pub role_placeholder: &'static str,
    pub standards_help: &'static str,
    pub standard_line_bad: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub remove: &'static str,
    pub add_moment: &'static str,
    pub version_note: &'static str,
    pub version_note_placeholder: &'static str,
    pub publish_help: &'static str,
    pub publish: &'static str,
    pub edit_conflict: &'static str,
    pub sites_intro: &'static str,
    pub new_site: &'static str,
    pub edit_site: &'static str,
    pub no_sites: &'static str,
    pub no_sites_hint: &'static str,
    pub city: &'static str,
    pub timezone: &'static str,
    pub manager_email: &'static str,
    pub manager_email_help: &'static str,
    pub site: &'static str,
    pub all_sites: &'static str,
    pub no_site: &'static str,
    pub staff_intro: &'static str,
    pub new_staff: &'static str,
    pub edit_staff: &'static str,
    pub no_staff: &'static str,
    pub no_staff_hint: &'static str,
    pub users_intro: &'static str,
    pub new_user: &'static str,
    pub edit_user: &'static str,
    pub no_users: &'static str,
    pub user_role: &'static str,
    pub initial_password: &'static str,
    pub password_help: &'static str,
    pub new_password: &'static str,
    pub new_password_help: &'static str,
    pub deactivate_user_help: &'static str,
    pub cannot_demote_self: &'static str,
    pub role_admin: &'static str,
    pub role_manager: &'static str,
    pub role_agent: &'static str,
    pub role_auditor: &'static str,
    pub role_viewer: &'static str,
    pub audit_intro: &'static str,
    pub export_csv: &'static str,
    pub action: &'static str,
    pub actor: &'static str,
    pub entity: &'static str,
    pub since: &'static str,
    pub until: &'static str,
    pub when: &'static str,
    pub detail: &'static str,
    pub show_change: &'static str,
    pub no_audit: &'static str,
    pub ch_in_person: &'static str,
    pub ch_phone: &'static str,
    pub ch_email: &'static str,
    pub ch_web: &'static str,
    pub ch_app: &'static str,
    pub ch_chat: &'static str,
    pub ch_mail: &'static str,
    pub ch_self_service: &'static str,
}

impl Texts {
    pub fn channel(&self, c: Channel) -> &'static str {
        match c {
            Channel::InPerson => self.ch_in_person,
            Channel::Phone => self.ch_phone,
            Channel::Email => self.ch_email,
            Channel::Web => self.ch_web,
            Channel::App => self.ch_app,
            Channel::Chat => self.ch_chat,
            Channel::Mail => self.ch_mail,
            Channel::SelfService => self.ch_self_service,
        }
    }

    pub fn role(&self, r: Role) -> &'static str {
        match r {
            Role::Admin => self.role_admin,
            Role::Manager => self.role_manager,
            Role::Agent => self.role_agent,
            Role::Auditor => self.role_auditor,
            Role::Viewer => self.role_viewer,
        }
    }

    /// "Moment 3" / "Momento 3".
    pub fn moment_label(&self, n: &usize) -> String {
        self.moment_n.replace("{n}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_uses_the_domain_words() {
        assert_eq!(ES.service_cycle, "Ciclo de servicio");
        assert_eq!(ES.moments_of_truth, "Momentos de verdad");
        assert_eq!(ES.critical_moment, "Momento crítico");
        assert_eq!(ES.standards, "Estándares de servicio");
        assert_eq!(ES.site, "Sucursal");
        assert_eq!(ES.publish, "Publicar nueva versión");
        assert_eq!(ES.version_history, "Historial de versiones");
        assert_eq!(ES.sign_in, "Iniciar sesión");
        assert_eq!(ES.channel(Channel::Mail), "Correo postal");
    }

    #[test]
    fn placeholders_match_between_languages() {
        let pairs = [
            (EN.showing, ES.showing),
            (EN.counts, ES.counts),
            (EN.old_version, ES.old_version),
            (EN.version_published, ES.version_published),
            (EN.editor_intro, ES.editor_intro),
            (EN.edit_conflict, ES.edit_conflict),
            (EN.standard_line_bad, ES.standard_line_bad),
            (EN.map_title, ES.map_title),
            (EN.moment_n, ES.moment_n),
        ];
        for (en, es) in pairs {
            let holes = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
    }
}

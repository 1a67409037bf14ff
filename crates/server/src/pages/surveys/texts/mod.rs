//! Strings of the staff survey pages, in English and Spanish, kept apart from the shared
//! [`crate::pages::texts::Texts`] so each area owns its catalog. Same rule: one `const` per
//! language of one struct, so a missing key does not compile.
mod en;
mod es;

use crate::i18n::Lang;
use touchpoint_core::feedback::{Audience, QuestionKind, records::ResponseSource};

pub use en::EN;
pub use es::ES;

pub fn survey_texts(lang: Lang) -> &'static SurveyTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

#[derive(Debug)]
pub struct SurveyTexts {
    pub surveys: &'static str,
    pub surveys_intro: &'static str,
    pub overview: &'static str,
    pub new_survey: &'static str,
    pub no_surveys: &'static str,
    pub no_surveys_manage: &'static str,
    pub no_surveys_read: &'static str,
    pub search_by_title: &'static str,
    pub title: &'static str,
    pub service: &'static str,
    pub organization: &'static str,
    pub audience: &'static str,
    pub audience_customers: &'static str,
    pub audience_employees: &'static str,
    pub version: &'static str,
    pub responses: &'static str,
    pub never_published: &'static str,
    pub unpublished_changes: &'static str,
    pub up_to_date: &'static str,
    pub from_template: &'static str,
    pub from_template_help: &'static str,
    pub template: &'static str,
    pub tpl_csat: &'static str,
    pub tpl_nps: &'static str,
    pub tpl_servqual: &'static str,
    pub choose_service: &'static str,
    pub need_service: &'static str,
    pub need_cycle: &'static str,
    pub create_survey: &'static str,
    pub from_document: &'static str,
    pub document: &'static str,
    pub document_help: &'static str,
    pub choose_file: &'static str,
    pub fix_errors: &'static str,
    pub syntax_error: &'static str,
    pub key_taken: &'static str,
    pub languages: &'static str,
    pub current_version: &'static str,
    pub status: &'static str,
    pub draft_questions: &'static str,
    pub draft_note: &'static str,
    pub intro_label: &'static str,
    pub thank_you_label: &'static str,
    pub code: &'static str,
    pub kind: &'static str,
    pub kind_rating: &'static str,
    pub kind_nps: &'static str,
    pub kind_effort: &'static str,
    pub kind_servqual: &'static str,
    pub kind_single: &'static str,
    pub kind_multi: &'static str,
    pub kind_text: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub moment: &'static str,
    pub dimension: &'static str,
    pub options: &'static str,
    pub question: &'static str,
    pub edit_draft: &'static str,
    pub publish: &'static str,
    pub publish_help: &'static str,
    pub nothing_to_publish: &'static str,
    pub version_history: &'static str,
    pub links: &'static str,
    pub export_yaml: &'static str,
    pub flash_created: &'static str,
    pub flash_saved: &'static str,
    pub flash_published: &'static str,
    pub flash_deactivated: &'static str,
    pub edit_title: &'static str,
    pub edit_intro: &'static str,
    pub save_draft: &'static str,
    pub versions_intro: &'static str,
    pub published: &'static str,
    pub published_by: &'static str,
    pub questions_n: &'static str,
    pub no_versions: &'static str,
    pub links_intro: &'static str,
    pub kind_open: &'static str,
    pub kind_personal: &'static str,
    pub customer: &'static str,
    pub language: &'static str,
    pub visit_date: &'static str,
    pub expires: &'static str,
    pub complaint_ref: &'static str,
    pub st_active: &'static str,
    pub st_answered: &'static str,
    pub st_expired: &'static str,
    pub st_inactive: &'static str,
    pub no_links: &'static str,
    pub new_open_link: &'static str,
    pub open_link_help: &'static str,
    pub create_open_link: &'static str,
    pub new_invitation: &'static str,
    pub invitation_help: &'static str,
    pub create_invitation: &'static str,
    pub customer_help: &'static str,
    pub invitation_created: &'static str,
    pub send_email: &'static str,
    pub email_needed: &'static str,
    /// `{email}`.
    pub email_queued: &'static str,
    pub open_created: &'static str,
    pub link_url: &'static str,
    pub browser_language: &'static str,
    pub not_published_warning: &'static str,
    pub expires_help: &'static str,
    pub bad_date: &'static str,
    pub no_choice: &'static str,
    pub responses_intro: &'static str,
    pub no_responses: &'static str,
    pub submitted: &'static str,
    pub received: &'static str,
    pub source: &'static str,
    pub src_web: &'static str,
    pub src_api: &'static str,
    pub src_import: &'static str,
    pub answers: &'static str,
    pub response_n: &'static str,
    pub answer: &'static str,
    pub external_id: &'static str,
    pub expectation: &'static str,
    pub perception: &'static str,
    pub gap: &'static str,
    pub via_link: &'static str,
}

impl SurveyTexts {
    pub fn kind(&self, k: QuestionKind) -> &'static str {
        match k {
            QuestionKind::Rating => self.kind_rating,
            QuestionKind::Nps => self.kind_nps,
            QuestionKind::Effort => self.kind_effort,
            QuestionKind::Servqual => self.kind_servqual,
            QuestionKind::SingleChoice => self.kind_single,
            QuestionKind::MultiChoice => self.kind_multi,
            QuestionKind::Text => self.kind_text,
        }
    }

    pub fn audience(&self, a: Audience) -> &'static str {
        match a {
            Audience::Customers => self.audience_customers,
            Audience::Employees => self.audience_employees,
        }
    }

    pub fn source(&self, s: ResponseSource) -> &'static str {
        match s {
            ResponseSource::Web => self.src_web,
            ResponseSource::Api => self.src_api,
            ResponseSource::Import => self.src_import,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_match_between_languages() {
        for (en, es) in [
            (EN.syntax_error, ES.syntax_error),
            (EN.publish, ES.publish),
            (EN.nothing_to_publish, ES.nothing_to_publish),
            (EN.flash_published, ES.flash_published),
            (EN.response_n, ES.response_n),
        ] {
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
        assert_eq!(ES.surveys, "Encuestas");
    }
}

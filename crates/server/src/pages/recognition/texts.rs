//! The texts of the recognition pages, in English and Spanish. One `const` per language of the
//! same struct: a missing translation does not compile.
use crate::i18n::Lang;
use touchpoint_core::recognition::{AuditBasis, ComponentKind, Month};

pub use super::texts_en::EN;
pub use super::texts_es::ES;

pub fn recognition_texts(lang: Lang) -> &'static RecognitionTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

/// The label of the navigation item this area adds.
pub fn nav_label(lang: &Lang) -> &'static str {
    recognition_texts(*lang).title
}

#[derive(Debug)]
pub struct RecognitionTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub month: &'static str,
    pub site: &'static str,
    pub all_sites: &'static str,
    pub show: &'static str,
    pub month_problem: &'static str,
    pub download_csv: &'static str,
    pub certificate: &'static str,
    pub how_title: &'static str,
    /// `{coverage}` is the minimum share of the weight, `{full}` the compliments for full marks.
    pub how_text: &'static str,
    pub component: &'static str,
    pub weight: &'static str,
    pub min_sample: &'static str,
    pub settings_note: &'static str,
    pub settings_link: &'static str,
    pub settings_saved: &'static str,
    pub settings_title: &'static str,
    pub settings_intro: &'static str,
    pub settings_weights_hint: &'static str,
    pub settings_full_marks: &'static str,
    pub settings_coverage: &'static str,
    pub settings_coverage_hint: &'static str,
    pub rank: &'static str,
    pub person: &'static str,
    pub score: &'static str,
    pub why: &'static str,
    pub not_ranked: &'static str,
    /// `{coverage}` is the share of the weight the person's evidence carries.
    pub not_enough: &'static str,
    pub no_evidence: &'static str,
    /// `{n}` and `{min}`.
    pub left_out: &'static str,
    pub no_site: &'static str,
    pub no_staff: &'static str,
    pub no_staff_hint: &'static str,
    pub role_moments: &'static str,
    pub all_moments: &'static str,
    /// `{score}` and `{parts}`.
    pub score_sentence: &'static str,
    pub components: [&'static str; 5],
    pub units: [&'static str; 5],
    pub months: [&'static str; 12],
    /// `{month}` and `{year}`.
    pub month_year: &'static str,
    pub cert_title: &'static str,
    pub cert_subtitle: &'static str,
    /// `{site}`, `{month}`.
    pub cert_for: &'static str,
    pub cert_reasons: &'static str,
    /// `{score}`.
    pub cert_score: &'static str,
    pub cert_signature: &'static str,
    /// `{site}`.
    pub cert_nobody: &'static str,
    pub voice_title: &'static str,
    pub voice_intro: &'static str,
    pub voice_from: &'static str,
    pub voice_to: &'static str,
    pub voice_period_problem: &'static str,
    pub voice_general: &'static str,
    pub voice_score: &'static str,
    pub voice_respondents: &'static str,
    pub voice_said: &'static str,
    pub voice_no_texts: &'static str,
    pub voice_more: &'static str,
    pub voice_propose: &'static str,
    pub voice_empty: &'static str,
    pub voice_empty_hint: &'static str,
    pub voice_summary: &'static str,
    pub print: &'static str,
    pub back: &'static str,
}

impl RecognitionTexts {
    pub fn component(&self, k: ComponentKind) -> &'static str {
        self.components[index(k)]
    }

    /// What the component's value is measured in.
    pub fn unit(&self, k: ComponentKind) -> &'static str {
        self.units[index(k)]
    }

    pub fn basis(&self, b: AuditBasis) -> Option<&'static str> {
        match b {
            AuditBasis::RoleMoments => Some(self.role_moments),
            AuditBasis::AllObservedMoments => Some(self.all_moments),
            AuditBasis::NotObserved => None,
        }
    }

    /// "December 2025" / "diciembre de 2025".
    pub fn month_name(&self, m: Month) -> String {
        self.month_year
            .replace("{month}", self.months[m.month() as usize - 1])
            .replace("{year}", &m.year().to_string())
    }
}

fn index(k: ComponentKind) -> usize {
    ComponentKind::ALL
        .iter()
        .position(|c| *c == k)
        .expect("every kind is listed")
}

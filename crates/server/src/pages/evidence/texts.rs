//! The evidence pages' own strings (audits, measurements, compliments), in English and
//! Spanish. Like the main catalog, each language is one `const` of the same struct, so a key
//! missing in either language does not compile. `{name}` placeholders are filled with
//! `str::replace`.
use super::{texts_en::EN, texts_es::ES};
use crate::i18n::Lang;

pub fn evidence_texts(lang: Lang) -> &'static EvidenceTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

/// The navigation label of one evidence list (`audits`, `measurements`, `compliments`), for
/// the shared layout (askama hands template values over by reference).
pub fn nav_label(lang: &Lang, which: &str) -> &'static str {
    let e = evidence_texts(*lang);
    match which {
        "audits" => e.audits,
        "measurements" => e.measurements,
        _ => e.compliments,
    }
}

#[derive(Debug)]
pub struct EvidenceTexts {
    pub audits: &'static str,
    pub measurements: &'static str,
    pub compliments: &'static str,
    pub service: &'static str,
    pub all_services: &'static str,
    pub all_moments: &'static str,
    pub all_staff: &'static str,
    pub choose: &'static str,
    pub none_option: &'static str,
    pub continue_label: &'static str,
    pub change: &'static str,
    pub times_utc: &'static str,
    pub filtered_by: &'static str,
    pub audits_intro: &'static str,
    pub new_audit: &'static str,
    pub no_audits: &'static str,
    pub no_audits_hint: &'static str,
    pub visited: &'static str,
    pub auditor: &'static str,
    pub score: &'static str,
    pub overall_score: &'static str,
    pub critical_failures: &'static str,
    pub critical_failure: &'static str,
    pub no_critical_failures: &'static str,
    pub not_observed: &'static str,
    pub start_intro: &'static str,
    pub no_audit_services: &'static str,
    pub no_cycle_for_audit: &'static str,
    pub no_sites_yet: &'static str,
    pub checklist_of_version: &'static str,
    pub visited_at_label: &'static str,
    pub staff_observed: &'static str,
    pub staff_observed_help: &'static str,
    pub no_staff_at_site: &'static str,
    pub met: &'static str,
    pub not_met: &'static str,
    pub not_applicable: &'static str,
    pub not_applicable_long: &'static str,
    pub critical_hint: &'static str,
    pub no_items: &'static str,
    pub moment_note: &'static str,
    pub overall_notes: &'static str,
    pub save_audit: &'static str,
    pub fix_audit: &'static str,
    pub unmarked_items: &'static str,
    pub flash_audit_saved: &'static str,
    pub audit_of: &'static str,
    pub cycle_version: &'static str,
    pub score_explained: &'static str,
    pub checklist_title: &'static str,
    pub edit_checklist: &'static str,
    pub checklist_intro: &'static str,
    pub from_standards: &'static str,
    pub no_standards: &'static str,
    pub free_items: &'static str,
    pub free_items_help: &'static str,
    pub save_checklist: &'static str,
    pub fix_checklist: &'static str,
    pub flash_checklist_saved: &'static str,
    pub checklist_broken: &'static str,
    pub measurements_intro: &'static str,
    pub record_measurement: &'static str,
    pub no_measurements: &'static str,
    pub no_measurements_hint: &'static str,
    pub observed: &'static str,
    pub observed_at_label: &'static str,
    pub metric: &'static str,
    pub value: &'static str,
    pub standard: &'static str,
    pub met_question: &'static str,
    pub compliance: &'static str,
    pub compliance_of: &'static str,
    pub compliance_ci: &'static str,
    pub standard_measured: &'static str,
    pub no_standards_in_cycle: &'static str,
    pub fix_form: &'static str,
    pub flash_met: &'static str,
    pub flash_not_met: &'static str,
    pub err_time: &'static str,
    pub err_number: &'static str,
    pub err_site: &'static str,
    pub err_standard: &'static str,
    pub err_service: &'static str,
    pub compliments_intro: &'static str,
    pub record_compliment: &'static str,
    pub no_compliments: &'static str,
    pub no_compliments_hint: &'static str,
    pub about_moment: &'static str,
    pub about_staff: &'static str,
    pub about_help: &'static str,
    pub staff_member: &'static str,
    pub customer: &'static str,
    pub customer_help: &'static str,
    pub received: &'static str,
    pub received_at_label: &'static str,
    pub what_they_said: &'static str,
    pub compliment: &'static str,
    pub flash_compliment: &'static str,
    pub recorded_by: &'static str,
    pub line_n: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(s: &str) -> Vec<String> {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn spanish_uses_the_domain_words_and_keeps_placeholders() {
        assert_eq!(ES.audits, "Auditorías");
        assert_eq!(ES.measurements, "Mediciones");
        assert_eq!(ES.compliments, "Felicitaciones");
        assert!(ES.audits_intro.contains("cliente incógnito"));
        for (en, es) in [
            (EN.checklist_of_version, ES.checklist_of_version),
            (EN.unmarked_items, ES.unmarked_items),
            (EN.audit_of, ES.audit_of),
            (EN.compliance_of, ES.compliance_of),
            (EN.compliance_ci, ES.compliance_ci),
        ] {
            assert!(!holes(en).is_empty(), "{en}");
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
    }

    #[test]
    fn nav_labels_follow_the_language() {
        assert_eq!(nav_label(&Lang::En, "audits"), "Audits");
        assert_eq!(nav_label(&Lang::Es, "measurements"), "Mediciones");
        assert_eq!(nav_label(&Lang::Es, "compliments"), "Felicitaciones");
    }
}

//! The complaint pages' own strings (queue, new complaint, complaint page, escalations), in
//! English and Spanish. Each language is one `const` of the same struct, so a key missing in
//! either language does not compile. `{name}` placeholders are filled with `str::replace`.
use super::{texts_en::EN, texts_es::ES};
use crate::i18n::Lang;
use touchpoint_core::complaints::{ComplaintStatus, PromiseKind, PromiseState, Severity};

pub fn complaint_texts(lang: Lang) -> &'static ComplaintTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

/// The navigation label of the complaints queue, for the shared layout (askama hands
/// template values over by reference).
pub fn nav_label(lang: &Lang) -> &'static str {
    complaint_texts(*lang).complaints
}

#[derive(Debug)]
pub struct ComplaintTexts {
    pub complaints: &'static str,
    pub escalations: &'static str,
    pub queue_intro: &'static str,
    pub new_complaint: &'static str,
    pub no_complaints: &'static str,
    pub no_complaints_hint: &'static str,
    pub reference: &'static str,
    pub customer: &'static str,
    pub severity: &'static str,
    pub assignee: &'static str,
    pub unassigned: &'static str,
    pub received: &'static str,
    pub updated: &'static str,
    pub all_statuses: &'static str,
    pub all_severities: &'static str,
    pub all_moments: &'static str,
    pub anyone: &'static str,
    pub overdue_only: &'static str,
    pub overdue: &'static str,
    pub search_label: &'static str,
    pub select_case: &'static str,
    pub select_all_hint: &'static str,
    pub bulk_assign_to: &'static str,
    pub bulk_assign: &'static str,
    pub unassign_option: &'static str,
    pub err_none_selected: &'static str,
    pub flash_assigned: &'static str,
    pub times_utc: &'static str,
    pub new_intro: &'static str,
    pub customer_help: &'static str,
    pub moment_where: &'static str,
    pub moment_help: &'static str,
    pub dimension: &'static str,
    pub none_option: &'static str,
    pub description: &'static str,
    pub remedy: &'static str,
    pub remedy_help: &'static str,
    pub received_at_label: &'static str,
    pub register: &'static str,
    pub fix_form: &'static str,
    pub err_time: &'static str,
    pub err_number: &'static str,
    pub created_title: &'static str,
    pub status_link: &'static str,
    pub status_link_help: &'static str,
    pub open_complaint: &'static str,
    pub balance: &'static str,
    pub balance_help: &'static str,
    pub what_happened: &'static str,
    pub asked_for: &'static str,
    pub timeline: &'static str,
    pub registered: &'static str,
    pub by_who: &'static str,
    pub move_case: &'static str,
    pub move_note: &'static str,
    pub no_moves: &'static str,
    pub updates: &'static str,
    pub no_updates: &'static str,
    pub for_customer: &'static str,
    pub internal_note: &'static str,
    pub add_update: &'static str,
    pub update_text: &'static str,
    pub visibility: &'static str,
    pub vis_customer: &'static str,
    pub vis_internal: &'static str,
    pub promises: &'static str,
    pub no_promises: &'static str,
    pub due: &'static str,
    pub time_left: &'static str,
    pub overdue_by: &'static str,
    pub settled_on: &'static str,
    pub escalated_on: &'static str,
    pub by_policy: &'static str,
    pub mark_done: &'static str,
    pub cancel_promise: &'static str,
    pub cancel_reason: &'static str,
    pub add_promise: &'static str,
    pub promise_kind: &'static str,
    pub promise_what: &'static str,
    pub promise_due: &'static str,
    pub resolution: &'static str,
    pub no_resolution: &'static str,
    pub root_cause: &'static str,
    pub root_cause_moment: &'static str,
    pub explanation: &'static str,
    pub prevention: &'static str,
    pub alternatives: &'static str,
    pub compensation: &'static str,
    pub satisfied: &'static str,
    pub not_known: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub save_resolution: &'static str,
    pub read_only: &'static str,
    pub flash_moved: &'static str,
    pub flash_update: &'static str,
    pub flash_promise: &'static str,
    pub flash_done: &'static str,
    pub flash_cancelled: &'static str,
    pub flash_resolution: &'static str,
    pub escalations_intro: &'static str,
    pub by_site: &'static str,
    pub no_site: &'static str,
    pub escalated_at: &'static str,
    pub was_due: &'static str,
    pub promise: &'static str,
    pub no_escalations: &'static str,
    pub no_escalations_hint: &'static str,
    pub status_received: &'static str,
    pub status_acknowledged: &'static str,
    pub status_assessed: &'static str,
    pub status_investigating: &'static str,
    pub status_responded: &'static str,
    pub status_resolved: &'static str,
    pub status_closed: &'static str,
    pub status_reopened: &'static str,
    pub go_acknowledged: &'static str,
    pub go_assessed: &'static str,
    pub go_investigating: &'static str,
    pub go_responded: &'static str,
    pub go_resolved: &'static str,
    pub go_closed: &'static str,
    pub go_reopened: &'static str,
    pub sev_low: &'static str,
    pub sev_medium: &'static str,
    pub sev_high: &'static str,
    pub sev_critical: &'static str,
    pub kind_acknowledge: &'static str,
    pub kind_first_response: &'static str,
    pub kind_update: &'static str,
    pub kind_resolve: &'static str,
    pub kind_callback: &'static str,
    pub kind_custom: &'static str,
    pub state_open: &'static str,
    pub state_kept: &'static str,
    pub state_broken: &'static str,
    pub state_cancelled: &'static str,
}

impl ComplaintTexts {
    pub fn status(&self, s: ComplaintStatus) -> &'static str {
        use ComplaintStatus::*;
        match s {
            Received => self.status_received,
            Acknowledged => self.status_acknowledged,
            Assessed => self.status_assessed,
            Investigating => self.status_investigating,
            Responded => self.status_responded,
            Resolved => self.status_resolved,
            Closed => self.status_closed,
            Reopened => self.status_reopened,
        }
    }

    /// The label of the button that moves a case into `s`.
    pub fn go(&self, s: ComplaintStatus) -> &'static str {
        use ComplaintStatus::*;
        match s {
            Received => self.status_received,
            Acknowledged => self.go_acknowledged,
            Assessed => self.go_assessed,
            Investigating => self.go_investigating,
            Responded => self.go_responded,
            Resolved => self.go_resolved,
            Closed => self.go_closed,
            Reopened => self.go_reopened,
        }
    }

    pub fn severity(&self, s: Severity) -> &'static str {
        match s {
            Severity::Low => self.sev_low,
            Severity::Medium => self.sev_medium,
            Severity::High => self.sev_high,
            Severity::Critical => self.sev_critical,
        }
    }

    pub fn kind(&self, k: PromiseKind) -> &'static str {
        match k {
            PromiseKind::Acknowledge => self.kind_acknowledge,
            PromiseKind::FirstResponse => self.kind_first_response,
            PromiseKind::Update => self.kind_update,
            PromiseKind::Resolve => self.kind_resolve,
            PromiseKind::Callback => self.kind_callback,
            PromiseKind::Custom => self.kind_custom,
        }
    }

    pub fn state(&self, s: PromiseState) -> &'static str {
        match s {
            PromiseState::Open => self.state_open,
            PromiseState::Kept => self.state_kept,
            PromiseState::Broken => self.state_broken,
            PromiseState::Cancelled => self.state_cancelled,
        }
    }
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
    fn placeholders_match_and_spanish_uses_the_domain_words() {
        for (en, es) in [
            (EN.select_case, ES.select_case),
            (EN.flash_assigned, ES.flash_assigned),
            (EN.created_title, ES.created_title),
            (EN.time_left, ES.time_left),
            (EN.overdue_by, ES.overdue_by),
            (EN.settled_on, ES.settled_on),
            (EN.escalated_on, ES.escalated_on),
            (EN.by_who, ES.by_who),
            (EN.flash_moved, ES.flash_moved),
        ] {
            assert!(!holes(en).is_empty(), "{en}");
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
        assert_eq!(ES.complaints, "Reclamos");
        assert_eq!(
            ES.status(ComplaintStatus::Investigating),
            "En investigación"
        );
        assert_eq!(nav_label(&Lang::En), "Complaints");
    }
}

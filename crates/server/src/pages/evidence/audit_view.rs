//! The audit form as the page shows it: one section per moment of the checklist, each item a
//! three-way choice, with what the auditor entered kept and core's errors placed next to the
//! moment or item they concern.
use super::{
    super::forms::Params,
    support::{Summary, sentence},
    texts::EvidenceTexts,
};
use std::collections::BTreeMap;
use touchpoint_core::{
    cycle::CycleVersion,
    feedback::{Checklist, ItemResult, VisitDraft},
    org::StaffMember,
};

/// The checklist of `cycle` with the stored free items of the moments it still has (items
/// kept for a moment that a later version removed are ignored, not an error).
pub fn checklist(
    cycle: &CycleVersion,
    extra: &BTreeMap<String, Vec<String>>,
) -> Result<Checklist, touchpoint_core::ValidationErrors> {
    let known: BTreeMap<String, Vec<String>> = extra
        .iter()
        .filter(|(k, _)| cycle.moments.iter().any(|m| &m.key == *k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Checklist::from_cycle(cycle, &known)
}

/// The form value of a mark.
pub fn mark_value(r: ItemResult) -> &'static str {
    match r {
        ItemResult::Met => "met",
        ItemResult::NotMet => "not_met",
        ItemResult::NotApplicable => "na",
    }
}

fn parse_mark(v: &str) -> Option<ItemResult> {
    match v {
        "met" => Some(ItemResult::Met),
        "not_met" => Some(ItemResult::NotMet),
        "na" => Some(ItemResult::NotApplicable),
        _ => None,
    }
}

pub struct ItemView {
    pub code: String,
    pub label: String,
    /// The standard in compact form, when the item checks one and its label differs.
    pub standard: Option<String>,
    /// `met`, `not_met`, `na`, or empty when not marked yet.
    pub mark: &'static str,
    pub error: Option<String>,
}

pub struct MomentView {
    pub key: String,
    pub name: String,
    pub position: usize,
    pub critical: bool,
    pub items: Vec<ItemView>,
    pub note: String,
    pub note_error: Option<String>,
}

impl MomentView {
    pub fn has_error(&self) -> bool {
        self.note_error.is_some() || self.items.iter().any(|i| i.error.is_some())
    }
}

pub struct StaffCheck {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub checked: bool,
}

/// Everything the auditor can enter, as entered.
pub struct AuditForm {
    pub visited_at: String,
    pub visited_at_error: Option<String>,
    pub staff: Vec<StaffCheck>,
    pub staff_error: Option<String>,
    pub notes: String,
    pub notes_error: Option<String>,
    pub moments: Vec<MomentView>,
}

impl AuditForm {
    /// A form over `checklist`, filled from `p` (empty params give a blank form).
    pub fn new(checklist: &Checklist, site_staff: &[StaffMember], p: &Params) -> Self {
        let chosen: Vec<i64> = staff_ids(p);
        let moments = checklist
            .moments
            .iter()
            .enumerate()
            .map(|(i, m)| MomentView {
                key: m.key.clone(),
                name: m.name.clone(),
                position: i + 1,
                critical: m.critical,
                items: m
                    .items
                    .iter()
                    .map(|it| {
                        let compact = it.standard.as_ref().map(ToString::to_string);
                        ItemView {
                            code: it.code.clone(),
                            label: it.label.clone(),
                            standard: compact.filter(|s| s != &it.label),
                            mark: parse_mark(p.get(&format!("r.{}.{}", m.key, it.code)))
                                .map_or("", mark_value),
                            error: None,
                        }
                    })
                    .collect(),
                note: p.get(&format!("note.{}", m.key)).to_string(),
                note_error: None,
            })
            .collect();
        Self {
            visited_at: p.get("visited_at").to_string(),
            visited_at_error: None,
            staff: site_staff
                .iter()
                .map(|s| StaffCheck {
                    id: s.id,
                    name: s.name.clone(),
                    role: s.role.clone(),
                    checked: chosen.contains(&s.id),
                })
                .collect(),
            staff_error: None,
            notes: p.get("notes").to_string(),
            notes_error: None,
            moments,
        }
    }

    /// The draft for core; the visit time is given by the caller (already parsed).
    pub fn draft(&self, site_id: i64, visited_at: chrono::DateTime<chrono::Utc>) -> VisitDraft {
        let mut results = BTreeMap::new();
        let mut moment_notes = BTreeMap::new();
        for m in &self.moments {
            let marks: BTreeMap<String, ItemResult> = m
                .items
                .iter()
                .filter_map(|it| parse_mark(it.mark).map(|r| (it.code.clone(), r)))
                .collect();
            results.insert(m.key.clone(), marks);
            if !m.note.trim().is_empty() {
                moment_notes.insert(m.key.clone(), m.note.clone());
            }
        }
        VisitDraft {
            site_id,
            visited_at,
            staff_ids: self
                .staff
                .iter()
                .filter(|s| s.checked)
                .map(|s| s.id)
                .collect(),
            results,
            notes: self.notes.clone(),
            moment_notes,
        }
    }

    /// Put each error by its field; returns the summary (one line per moment for unmarked
    /// items, linking to the first one).
    pub fn place_errors(&mut self, e: &EvidenceTexts, errors: &[(String, String)]) -> Vec<Summary> {
        let mut top = Vec::new();
        for (field, msg) in errors {
            if field == "visited_at" {
                self.visited_at_error = Some(msg.clone());
            } else if field.starts_with("staff_ids") {
                self.staff_error = Some(msg.clone());
            } else if field == "notes" {
                self.notes_error = Some(msg.clone());
            } else if let Some((key, code)) = field
                .strip_prefix("results.")
                .and_then(|r| r.split_once('.'))
                && let Some(it) = self.item_mut(key, code)
            {
                it.error = Some(msg.clone());
            } else if let Some(key) = field.strip_prefix("moment_notes.")
                && let Some(m) = self.moments.iter_mut().find(|m| m.key == key)
            {
                m.note_error = Some(msg.clone());
            } else {
                top.push(Summary {
                    href: "#audit-form".into(),
                    text: sentence("", msg),
                });
            }
        }
        let mut summary = top;
        if let Some(msg) = &self.visited_at_error {
            summary.push(Summary {
                href: "#visited-at".into(),
                text: sentence(e.visited_at_label, msg),
            });
        }
        if let Some(msg) = &self.staff_error {
            summary.push(Summary {
                href: "#staff-observed".into(),
                text: sentence(e.staff_observed, msg),
            });
        }
        for m in &self.moments {
            let bad: Vec<&ItemView> = m.items.iter().filter(|i| i.error.is_some()).collect();
            let unmarked: Vec<&&ItemView> = bad.iter().filter(|i| i.mark.is_empty()).collect();
            if let Some(first) = unmarked.first() {
                summary.push(Summary {
                    href: format!("#r-{}-{}-met", m.key, first.code),
                    text: e
                        .unmarked_items
                        .replace("{moment}", &format!("{}. {}", m.position, m.name))
                        .replace("{n}", &unmarked.len().to_string()),
                });
            }
            for it in bad.iter().filter(|i| !i.mark.is_empty()) {
                summary.push(Summary {
                    href: format!("#r-{}-{}-met", m.key, it.code),
                    text: sentence(&it.label, it.error.as_deref().unwrap_or_default()),
                });
            }
            if let Some(msg) = &m.note_error {
                summary.push(Summary {
                    href: format!("#note-{}", m.key),
                    text: sentence(&m.name, msg),
                });
            }
        }
        if let Some(msg) = &self.notes_error {
            summary.push(Summary {
                href: "#notes".into(),
                text: sentence(e.overall_notes, msg),
            });
        }
        summary
    }

    fn item_mut(&mut self, key: &str, code: &str) -> Option<&mut ItemView> {
        self.moments
            .iter_mut()
            .find(|m| m.key == key)?
            .items
            .iter_mut()
            .find(|i| i.code == code)
    }
}

/// The `staff` checkbox values that are ids.
pub fn staff_ids(p: &Params) -> Vec<i64> {
    p.0.iter()
        .filter(|(k, _)| k == "staff")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

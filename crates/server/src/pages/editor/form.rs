//! The cycle editor's form: one submit holds the whole draft. Fields are named
//! `m{index}.{field}`; the pressed button is `action` (`add`, `up:3`, `down:3`, `remove:3`,
//! `publish`). Validation errors from core (`moments[2].name`) land next to their field.
use crate::{i18n::Lang, pages::forms::Params, pages::messages::localize, pages::texts::Texts};
use std::collections::BTreeMap;
use touchpoint_core::{
    ValidationErrors,
    channel::Channel,
    cycle::{CycleDraft, MAX_MOMENTS, MomentDraft},
    standard::ServiceStandard,
};

#[derive(Debug, Clone, Default)]
pub struct MomentErrors {
    pub key: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub channel: Option<String>,
    pub role: Option<String>,
    pub standards: Vec<String>,
}

impl MomentErrors {
    pub fn any(&self) -> bool {
        self.key.is_some()
            || self.name.is_some()
            || self.description.is_some()
            || self.channel.is_some()
            || self.role.is_some()
            || !self.standards.is_empty()
    }
}

pub struct ChannelOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct MomentForm {
    pub key: String,
    pub name: String,
    pub description: String,
    pub channel: String,
    pub role: String,
    pub critical: bool,
    /// One standard per line in compact form.
    pub standards: String,
    pub errors: MomentErrors,
    /// Which control gets `autofocus` after this submit: `key`, `up`, `down` or empty.
    pub focus: &'static str,
}

impl Default for MomentForm {
    fn default() -> Self {
        Self {
            key: String::new(),
            name: String::new(),
            description: String::new(),
            channel: Channel::InPerson.as_str().into(),
            role: String::new(),
            critical: false,
            standards: String::new(),
            errors: MomentErrors::default(),
            focus: "",
        }
    }
}

impl MomentForm {
    pub fn from_draft(m: &MomentDraft) -> Self {
        Self {
            key: m.key.clone(),
            name: m.name.clone(),
            description: m.description.clone(),
            channel: m.channel.clone(),
            role: m.role.clone(),
            critical: m.critical,
            standards: m
                .standards
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            ..Self::default()
        }
    }

    pub fn channel_options(&self, t: &Texts) -> Vec<ChannelOption> {
        Channel::ALL
            .iter()
            .map(|ch| ChannelOption {
                value: ch.as_str(),
                label: t.channel(*ch),
                selected: ch.as_str() == self.channel,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Refresh,
    Add,
    Up(usize),
    Down(usize),
    Remove(usize),
    Publish,
}

impl Action {
    pub fn parse(s: &str) -> Action {
        let idx = |rest: &str| rest.parse::<usize>().ok();
        match s.split_once(':') {
            Some(("up", n)) => idx(n).map_or(Action::Refresh, Action::Up),
            Some(("down", n)) => idx(n).map_or(Action::Refresh, Action::Down),
            Some(("remove", n)) => idx(n).map_or(Action::Refresh, Action::Remove),
            _ => match s {
                "add" => Action::Add,
                "publish" => Action::Publish,
                _ => Action::Refresh,
            },
        }
    }
}

/// The moments of a submitted editor form, in index order.
pub fn parse_moments(p: &Params) -> Vec<MomentForm> {
    let mut map: BTreeMap<usize, MomentForm> = BTreeMap::new();
    for (name, value) in &p.0 {
        let Some((head, field)) = name.split_once('.') else {
            continue;
        };
        let Some(i) = head.strip_prefix('m').and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        if i >= MAX_MOMENTS * 2 {
            continue;
        }
        let m = map.entry(i).or_default();
        match field {
            "key" => m.key = value.clone(),
            "name" => m.name = value.clone(),
            "description" => m.description = value.clone(),
            "channel" => m.channel = value.clone(),
            "role" => m.role = value.clone(),
            "critical" => m.critical = true,
            "standards" => m.standards = value.clone(),
            _ => {}
        }
    }
    map.into_values().collect()
}

/// Apply a non-publish action to the draft.
pub fn apply(moments: &mut Vec<MomentForm>, action: &Action) {
    let n = moments.len();
    match *action {
        Action::Add => moments.push(MomentForm {
            focus: "key",
            ..MomentForm::default()
        }),
        Action::Up(i) if i > 0 && i < n => {
            moments.swap(i, i - 1);
            moments[i - 1].focus = if i - 1 == 0 { "down" } else { "up" };
        }
        Action::Down(i) if i + 1 < n => {
            moments.swap(i, i + 1);
            moments[i + 1].focus = if i + 2 == n { "up" } else { "down" };
        }
        Action::Remove(i) if i < n => {
            moments.remove(i);
        }
        _ => {}
    }
}

/// One entry of the error summary at the top of the form.
pub struct SummaryItem {
    pub href: String,
    pub text: String,
}

/// The draft for core to validate; standard lines that cannot be read are marked on their
/// moment, and the flag says whether there were any.
pub fn to_draft(t: &Texts, moments: &mut [MomentForm], note: &str) -> (CycleDraft, bool) {
    let mut line_errors = false;
    let mut drafts = Vec::with_capacity(moments.len());
    for m in moments.iter_mut() {
        let mut standards: Vec<ServiceStandard> = Vec::new();
        for (n, line) in m.standards.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match line.parse::<ServiceStandard>() {
                Ok(s) => standards.push(s),
                Err(_) => {
                    line_errors = true;
                    m.errors.standards.push(
                        t.standard_line_bad
                            .replace("{n}", &(n + 1).to_string())
                            .replace("{text}", line.trim()),
                    );
                }
            }
        }
        drafts.push(MomentDraft {
            key: m.key.clone(),
            name: m.name.clone(),
            description: m.description.clone(),
            channel: m.channel.clone(),
            role: m.role.clone(),
            critical: m.critical,
            standards,
        });
    }
    let draft = CycleDraft {
        moments: drafts,
        note: note.to_string(),
    };
    (draft, line_errors)
}

/// Spread core's errors over the moments; returns errors for the whole form (`moments`,
/// `note`), keyed by field.
pub fn place_errors(
    lang: Lang,
    moments: &mut [MomentForm],
    e: &ValidationErrors,
) -> Vec<(String, String)> {
    let mut top = Vec::new();
    for f in &e.0 {
        let msg = localize(lang, &f.message);
        let placed = f
            .field
            .strip_prefix("moments[")
            .and_then(|rest| rest.split_once("]."))
            .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)));
        match placed {
            Some((i, field)) if i < moments.len() => {
                let me = &mut moments[i].errors;
                match field {
                    "key" => me.key = Some(msg),
                    "name" => me.name = Some(msg),
                    "description" => me.description = Some(msg),
                    "channel" => me.channel = Some(msg),
                    "role" => me.role = Some(msg),
                    other => {
                        let what = other.split_once('.').map_or(other, |(_, f)| f);
                        me.standards.push(format!("{what}: {msg}"));
                    }
                }
            }
            _ => top.push((f.field.clone(), msg)),
        }
    }
    top
}

/// The summary: one linked line per field in error.
pub fn summary(t: &Texts, moments: &[MomentForm], top: &[(String, String)]) -> Vec<SummaryItem> {
    let mut items: Vec<SummaryItem> = top
        .iter()
        .map(|(field, msg)| SummaryItem {
            href: if field == "note" {
                "#note".into()
            } else {
                "#moments".into()
            },
            text: msg.clone(),
        })
        .collect();
    for (i, m) in moments.iter().enumerate() {
        let e = &m.errors;
        let label = t.moment_n.replace("{n}", &(i + 1).to_string());
        let fields = [
            ("key", t.key, &e.key),
            ("name", t.name, &e.name),
            ("description", t.description, &e.description),
            ("channel", t.channel_label, &e.channel),
            ("role", t.role_label, &e.role),
        ];
        for (id, name, msg) in fields {
            if let Some(msg) = msg {
                items.push(SummaryItem {
                    href: format!("#m{i}-{id}"),
                    text: format!("{label} · {name}: {msg}"),
                });
            }
        }
        for msg in &e.standards {
            items.push(SummaryItem {
                href: format!("#m{i}-standards"),
                text: format!("{label} · {}: {msg}", t.standards),
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(n: usize) -> Vec<MomentForm> {
        (0..n)
            .map(|i| MomentForm {
                key: format!("k{i}"),
                ..MomentForm::default()
            })
            .collect()
    }

    #[test]
    fn actions_parse_and_move() {
        assert_eq!(Action::parse("up:3"), Action::Up(3));
        assert_eq!(Action::parse("remove:x"), Action::Refresh);
        let mut m = forms(3);
        apply(&mut m, &Action::Up(2));
        assert_eq!(m[1].key, "k2");
        apply(&mut m, &Action::Down(0));
        assert_eq!(m[1].key, "k0");
        apply(&mut m, &Action::Up(0));
        apply(&mut m, &Action::Remove(9));
        assert_eq!(m.len(), 3);
        apply(&mut m, &Action::Add);
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn fields_are_read_by_index() {
        let p = Params::parse(b"m1.key=b&m0.key=a&m0.critical=on&m1.standards=rings+%3C%3D+3");
        let m = parse_moments(&p);
        assert_eq!((m[0].key.as_str(), m[0].critical), ("a", true));
        assert_eq!((m[1].key.as_str(), m[1].critical), ("b", false));
        assert_eq!(m[1].standards, "rings <= 3");
    }
}

//! The mapping file of `import complaints`: which column of another system's export feeds
//! which complaint field, with value maps for the fields Touchpoint knows as a closed list
//! (channel, moment of truth, site, severity, status). Reading a row through it is pure, so
//! every rule is unit-tested here; the import only adds the store.
//!
//! Value maps: the cell (trimmed) is looked up exactly, then a `"*"` entry catches anything
//! else; an empty cell takes `default`. A non-empty value that is not mapped is a problem of
//! that row, placed on its column, so a new value in the source system is noticed rather than
//! filed somewhere by accident. A moment is looked up by its columns joined with `" / "`
//! (`Debt collection / Communication tactics`), most specific first: the whole key, then
//! fewer columns (`Debt collection`), then `"*"`.
use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use std::{collections::BTreeMap, path::Path};
use touchpoint_core::{
    complaints::{ComplaintInput, ComplaintStatus, import::check_external_id},
    feedback::parse_timestamp,
};

/// Separator of a moment's key when it comes from several columns.
pub const KEY_SEPARATOR: &str = " / ";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The case's id in the source system: what makes a second import add nothing.
    pub external_id: TextField,
    pub received_at: DateField,
    pub description: DescriptionField,
    pub channel: ValueField,
    pub customer_ref: TextField,
    #[serde(default)]
    pub moment: Option<MomentField>,
    #[serde(default)]
    pub site: Option<ValueField>,
    /// `medium` when absent.
    #[serde(default)]
    pub severity: Option<ValueField>,
    #[serde(default)]
    pub remedy_requested: Option<TextField>,
    /// `received` when absent.
    #[serde(default)]
    pub status: Option<ValueField>,
}

/// A text column, optionally prefixed (`cfpb-` + id makes a customer reference), or a constant
/// `default` when the column is absent or the cell empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextField {
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub default: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateField {
    pub column: String,
    /// A chrono format (`%Y-%m-%d`, `%m/%d/%Y %H:%M`) read as UTC; a date alone is midnight.
    /// Absent: RFC 3339 or `YYYY-MM-DD HH:MM:SS`.
    #[serde(default)]
    pub format: Option<String>,
}

/// The description: the non-empty cells of `columns`, in order, joined by `separator`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptionField {
    pub columns: Vec<String>,
    #[serde(default = "paragraph")]
    pub separator: String,
}

fn paragraph() -> String {
    "\n\n".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueField {
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub default: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MomentField {
    /// The service (key) whose current cycle has the moments.
    pub service: String,
    pub columns: Vec<String>,
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub default: Option<String>,
}

/// One problem of a row: the column it comes from (`None`: the row as a whole) and why.
pub type Problem = (Option<String>, String);

/// A row read through the mapping, before site and moment are checked against the database.
#[derive(Debug, Clone, PartialEq)]
pub struct MappedRow {
    pub external_id: String,
    pub input: ComplaintInput,
    /// The site's key, resolved by the importer.
    pub site_key: Option<String>,
    pub status: ComplaintStatus,
}

impl Mapping {
    pub fn load(path: &Path) -> anyhow::Result<Mapping> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let m: Mapping = serde_yaml::from_str(&text)
            .with_context(|| format!("{} is not a valid mapping file", path.display()))?;
        m.check()
            .with_context(|| format!("{} is not a usable mapping", path.display()))?;
        Ok(m)
    }

    /// Mistakes in the mapping itself, found before any row is read.
    fn check(&self) -> anyhow::Result<()> {
        let mut problems = Vec::new();
        if self.external_id.column.is_none() {
            problems.push("external_id needs a column".to_string());
        }
        if self.customer_ref.column.is_none() && self.customer_ref.default.is_none() {
            problems.push("customer_ref needs a column or a default".into());
        }
        if self.description.columns.is_empty() {
            problems.push("description needs at least one column".into());
        }
        let values = [
            ("channel", Some(&self.channel)),
            ("site", self.site.as_ref()),
            ("severity", self.severity.as_ref()),
            ("status", self.status.as_ref()),
        ];
        for (name, field) in values {
            if let Some(f) = field
                && f.column.is_none()
                && f.default.is_none()
            {
                problems.push(format!("{name} needs a column or a default"));
            }
        }
        for (from, to) in self.status.iter().flat_map(|s| &s.values) {
            if let Err(e) = to.parse::<ComplaintStatus>() {
                problems.push(format!("status value '{from}': {e}"));
            }
        }
        if let Some(m) = &self.moment
            && m.columns.is_empty()
        {
            problems.push("moment needs at least one column".into());
        }
        if let Some(f) = &self.received_at.format {
            use std::fmt::Write;
            if write!(String::new(), "{}", Utc::now().format(f)).is_err() {
                problems.push(format!(
                    "received_at format '{f}' is not a valid date format"
                ));
            }
        }
        match problems.is_empty() {
            true => Ok(()),
            false => anyhow::bail!("{}", problems.join("; ")),
        }
    }

    /// Every column the mapping reads, each once, in the order they are named.
    pub fn columns(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        let mut add = |c: Option<&String>| {
            if let Some(c) = c
                && !all.contains(c)
            {
                all.push(c.clone());
            }
        };
        add(self.external_id.column.as_ref());
        add(Some(&self.received_at.column));
        self.description.columns.iter().for_each(|c| add(Some(c)));
        add(self.channel.column.as_ref());
        add(self.customer_ref.column.as_ref());
        if let Some(m) = &self.moment {
            m.columns.iter().for_each(|c| add(Some(c)));
        }
        for f in [&self.site, &self.severity, &self.status]
            .into_iter()
            .flatten()
        {
            add(f.column.as_ref());
        }
        add(self
            .remedy_requested
            .as_ref()
            .and_then(|f| f.column.as_ref()));
        all
    }

    /// Read one row; `cell(column)` is the trimmed cell of that column. Every problem of the
    /// row at once.
    pub fn read<'a>(&self, cell: impl Fn(&str) -> &'a str) -> Result<MappedRow, Vec<Problem>> {
        let mut problems: Vec<Problem> = Vec::new();
        let mut note = |column: Option<&String>, message: String| {
            problems.push((column.cloned(), message));
        };
        let external_id = match check_external_id(&text(&self.external_id, &cell)) {
            Ok(id) => id,
            Err(e) => {
                note(self.external_id.column.as_ref(), e);
                String::new()
            }
        };
        let received = &self.received_at;
        let received_at = match read_date(cell(&received.column), received.format.as_deref()) {
            Ok(t) => t,
            Err(e) => {
                note(Some(&received.column), e);
                DateTime::<Utc>::MIN_UTC
            }
        };
        let description = self
            .description
            .columns
            .iter()
            .map(|c| cell(c))
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(&self.description.separator);
        let mut value = |f: &ValueField, what: &str| match lookup(f, &cell) {
            Ok(v) => v,
            Err(e) => {
                note(f.column.as_ref(), format!("{what}: {e}"));
                None
            }
        };
        let channel = value(&self.channel, "channel").unwrap_or_default();
        let site_key = self.site.as_ref().and_then(|f| value(f, "site"));
        let severity = match &self.severity {
            Some(f) => value(f, "severity").unwrap_or_default(),
            None => "medium".into(),
        };
        let status_text = match &self.status {
            Some(f) => value(f, "status"),
            None => None,
        };
        let (service_key, moment_key) = match &self.moment {
            None => (None, None),
            Some(m) => match moment(m, &cell) {
                Ok(key) => (Some(m.service.clone()), key),
                Err(e) => {
                    note(m.columns.first(), e);
                    (None, None)
                }
            },
        };
        let status = match status_text.as_deref().map(str::parse::<ComplaintStatus>) {
            None => ComplaintStatus::Received,
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                note(self.status.as_ref().and_then(|f| f.column.as_ref()), e);
                ComplaintStatus::Received
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(MappedRow {
            external_id,
            input: ComplaintInput {
                customer_ref: text(&self.customer_ref, &cell),
                channel,
                site_id: None,
                service_key,
                moment_key,
                dimension_key: None,
                description,
                remedy_requested: self
                    .remedy_requested
                    .as_ref()
                    .map(|f| text(f, &cell))
                    .unwrap_or_default(),
                severity,
                assignee_id: None,
                received_at,
            },
            site_key,
            status,
        })
    }

    /// The mapped column a validation field of [`ComplaintInput`] comes from.
    pub fn column_of(&self, field: &str) -> Option<String> {
        let value = |f: &Option<ValueField>| f.as_ref().and_then(|f| f.column.clone());
        match field {
            "customer_ref" => self.customer_ref.column.clone(),
            "channel" => self.channel.column.clone(),
            "site_id" => value(&self.site),
            "service_key" | "moment_key" => self
                .moment
                .as_ref()
                .and_then(|m| m.columns.first().cloned()),
            "description" => self.description.columns.first().cloned(),
            "remedy_requested" => self
                .remedy_requested
                .as_ref()
                .and_then(|f| f.column.clone()),
            "severity" => value(&self.severity),
            "received_at" => Some(self.received_at.column.clone()),
            _ => None,
        }
    }
}

fn text<'a>(f: &TextField, cell: &impl Fn(&str) -> &'a str) -> String {
    match f.column.as_deref().map(cell).filter(|v| !v.is_empty()) {
        Some(v) => format!("{}{v}", f.prefix),
        None => f.default.clone().unwrap_or_default(),
    }
}

fn lookup<'a>(f: &ValueField, cell: &impl Fn(&str) -> &'a str) -> Result<Option<String>, String> {
    let v = f.column.as_deref().map(cell).unwrap_or("");
    if v.is_empty() {
        return Ok(f.default.clone());
    }
    if f.values.is_empty() {
        return Ok(Some(v.to_string()));
    }
    match f.values.get(v).or_else(|| f.values.get("*")) {
        Some(mapped) => Ok(Some(mapped.clone())),
        None => Err(unmapped(v, &f.values)),
    }
}

fn unmapped(v: &str, values: &BTreeMap<String, String>) -> String {
    let known: Vec<&str> = values.keys().map(String::as_str).collect();
    format!(
        "'{v}' is not in the mapping's values ({}); add it to the mapping file",
        known.join(", ")
    )
}

/// The moment key of a row: the most specific mapped key of its columns.
fn moment<'a>(m: &MomentField, cell: &impl Fn(&str) -> &'a str) -> Result<Option<String>, String> {
    let parts: Vec<&str> = m.columns.iter().map(|c| cell(c)).collect();
    if parts.iter().all(|p| p.is_empty()) {
        return Ok(m.default.clone());
    }
    for n in (1..=parts.len()).rev() {
        if let Some(key) = m.values.get(&parts[..n].join(KEY_SEPARATOR)) {
            return Ok(Some(key.clone()));
        }
    }
    match m.values.get("*") {
        Some(key) => Ok(Some(key.clone())),
        None => Err(format!(
            "moment: {}",
            unmapped(&parts.join(KEY_SEPARATOR), &m.values)
        )),
    }
}

fn read_date(v: &str, format: Option<&str>) -> Result<DateTime<Utc>, String> {
    let Some(format) = format else {
        return parse_timestamp(v);
    };
    NaiveDateTime::parse_from_str(v, format)
        .or_else(|_| NaiveDate::parse_from_str(v, format).map(|d| d.and_time(Default::default())))
        .map(|t| t.and_utc())
        .map_err(|_| format!("'{v}' is not a date in the mapping's format {format}"))
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;

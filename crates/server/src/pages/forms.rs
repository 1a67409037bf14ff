//! Lenient reading of query strings and form bodies (a malformed value never becomes a raw
//! 400), plus the sorting and pagination links every list shares.
use super::{chrome::url_encode, texts::Texts};
use touchpoint_core::listing::{ListQuery, Page, SortField};

/// Decoded `name=value` pairs of a query string or an urlencoded body.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(raw).unwrap_or_default())
    }
    pub fn query(raw: Option<&str>) -> Self {
        Self::parse(raw.unwrap_or("").as_bytes())
    }
    /// The first value of `name`, trimmed of nothing; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    /// A non-blank value, trimmed.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }
    /// Every value of `name` (checkbox groups), in the order sent.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.get(name).trim().parse().ok()
    }
}

pub const PAGE_SIZE: u32 = 25;

/// Sorting, searching and paging state of one list page.
#[derive(Debug, Clone)]
pub struct Listing {
    pub base: String,
    pub sort: SortField,
    pub desc: bool,
    pub page: u32,
    pub search: String,
    pub inactive: bool,
    /// Extra query pairs to keep in every link (e.g. a site filter).
    pub keep: Vec<(String, String)>,
}

/// A sortable column header.
#[derive(Debug, Clone)]
pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria: &'static str,
    pub arrow: &'static str,
}

/// Previous/next links and "1–25 of 40".
#[derive(Debug, Clone)]
pub struct Pager {
    pub summary: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Listing {
    pub fn from_params(base: &str, p: &Params) -> Self {
        let sort = match p.get("sort") {
            "key" => SortField::Key,
            "created" => SortField::CreatedAt,
            _ => SortField::Name,
        };
        Self {
            base: base.to_string(),
            sort,
            desc: p.get("dir") == "desc",
            page: p.number::<u32>("page").unwrap_or(1).clamp(1, 100_000),
            search: p.get("q").trim().to_string(),
            inactive: p.get("inactive") == "1",
            keep: Vec::new(),
        }
    }

    pub fn query(&self) -> ListQuery {
        ListQuery {
            limit: PAGE_SIZE,
            offset: (self.page - 1) * PAGE_SIZE,
            sort: self.sort,
            descending: self.desc,
            search: Some(self.search.clone()).filter(|s| !s.is_empty()),
            include_inactive: self.inactive,
        }
    }

    fn sort_code(f: SortField) -> &'static str {
        match f {
            SortField::Name => "name",
            SortField::Key => "key",
            SortField::CreatedAt => "created",
        }
    }

    pub fn href(&self, sort: SortField, desc: bool, page: u32) -> String {
        let mut pairs: Vec<(String, String)> = vec![
            ("sort".into(), Self::sort_code(sort).into()),
            ("dir".into(), if desc { "desc" } else { "asc" }.into()),
        ];
        if page > 1 {
            pairs.push(("page".into(), page.to_string()));
        }
        if !self.search.is_empty() {
            pairs.push(("q".into(), self.search.clone()));
        }
        if self.inactive {
            pairs.push(("inactive".into(), "1".into()));
        }
        pairs.extend(self.keep.iter().cloned());
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("{}?{}", self.base, q.join("&"))
    }

    pub fn sort_link(&self, label: &'static str, field: SortField) -> SortLink {
        let current = self.sort == field;
        SortLink {
            label,
            href: self.href(field, current && !self.desc, 1),
            aria: match (current, self.desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
            arrow: match (current, self.desc) {
                (false, _) => "",
                (true, false) => "▲",
                (true, true) => "▼",
            },
        }
    }

    pub fn pager<T>(&self, t: &Texts, page: &Page<T>) -> Pager {
        let first = if page.items.is_empty() {
            0
        } else {
            i64::from(page.offset) + 1
        };
        let last = i64::from(page.offset) + page.items.len() as i64;
        Pager {
            summary: t
                .showing
                .replace("{first}", &first.to_string())
                .replace("{last}", &last.to_string())
                .replace("{total}", &page.total.to_string()),
            prev: page
                .has_previous()
                .then(|| self.href(self.sort, self.desc, self.page - 1)),
            next: page
                .has_next()
                .then(|| self.href(self.sort, self.desc, self.page + 1)),
        }
    }
}

/// A flash message from the `flash` query parameter (only known codes, never free text).
pub fn flash(t: &Texts, p: &Params) -> Option<String> {
    let msg = match p.get("flash") {
        "created" => t.flash_created,
        "updated" => t.flash_updated,
        "deactivated" => t.flash_deactivated,
        "published" => {
            let v = p.number::<i32>("v").unwrap_or(0);
            return Some(t.version_published.replace("{n}", &v.to_string()));
        }
        _ => return None,
    };
    Some(msg.to_string())
}

/// Field errors of a submitted form, already in the page language.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn from_validation(lang: crate::i18n::Lang, e: &touchpoint_core::ValidationErrors) -> Self {
        Self(
            e.0.iter()
                .map(|f| (f.field.clone(), super::messages::localize(lang, &f.message)))
                .collect(),
        )
    }
    pub fn many(errors: Vec<(&str, &str)>) -> Self {
        Self(
            errors
                .into_iter()
                .map(|(f, m)| (f.to_string(), m.to_string()))
                .collect(),
        )
    }
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        Self(vec![(field.to_string(), message.into())])
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// Map a store failure on a form submit: conflicts and rule breaks become field errors,
/// anything else is an error page.
pub fn store_form_error(
    c: &super::chrome::Chrome,
    e: touchpoint_core::StoreError,
) -> Result<FieldErrors, super::render::PageError> {
    use touchpoint_core::StoreError;
    match e {
        StoreError::Conflict { field, .. } => Ok(FieldErrors::single(&field, c.t.already_taken)),
        StoreError::Invalid(v) => Ok(FieldErrors::from_validation(c.lang, &v)),
        other => Err(super::render::PageError::store(c, other)),
    }
}

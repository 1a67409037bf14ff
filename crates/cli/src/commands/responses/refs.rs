//! Sites by key and staff by id or email, loaded once per import: a file of a million rows
//! names a handful of sites and staff, so every lookup is a hash probe, never a query.
use std::collections::{HashMap, HashSet};
use touchpoint_core::{
    feedback::{CellError, WideHeader},
    listing::{ListQuery, MAX_LIMIT, SortField},
    org::{Site, StaffMember},
    store::Store,
};

/// Every site and staff member (inactive ones too: old feedback may name them).
#[derive(Debug, Default, Clone)]
pub struct Refs {
    site_ids: HashMap<String, i64>,
    site_keys: HashMap<i64, String>,
    staff_ids: HashSet<i64>,
    staff_emails: HashMap<String, i64>,
    staff_by_id: HashMap<i64, String>,
}

impl Refs {
    pub async fn load(store: &dyn Store) -> anyhow::Result<Refs> {
        let mut refs = Refs::default();
        for site in all_sites(store).await? {
            refs.site_keys.insert(site.id, site.key.clone());
            refs.site_ids.insert(site.key, site.id);
        }
        for s in all_staff(store).await? {
            refs.staff_ids.insert(s.id);
            let email = s.email.trim().to_ascii_lowercase();
            let shown = if email.is_empty() {
                s.id.to_string()
            } else {
                refs.staff_emails.insert(email.clone(), s.id);
                email
            };
            refs.staff_by_id.insert(s.id, shown);
        }
        Ok(refs)
    }

    pub fn site_id(&self, key: &str) -> Option<i64> {
        self.site_ids.get(key).copied()
    }

    /// A staff member by numeric id or by email (case-insensitive).
    pub fn staff_id(&self, reference: &str) -> Option<i64> {
        match reference.parse::<i64>() {
            Ok(id) => self.staff_ids.contains(&id).then_some(id),
            Err(_) => self
                .staff_emails
                .get(&reference.to_ascii_lowercase())
                .copied(),
        }
    }

    /// What an export writes for a site: its key.
    pub fn site_key(&self, id: i64) -> Option<&str> {
        self.site_keys.get(&id).map(String::as_str)
    }

    /// What an export writes for a staff member: the email, or the id when there is none.
    pub fn staff_ref(&self, id: i64) -> Option<&str> {
        self.staff_by_id.get(&id).map(String::as_str)
    }
}

/// Where the `site` and `staff` cells are in a file, to name them in errors.
#[derive(Debug, Clone)]
pub struct RefColumns {
    site: Option<(usize, String)>,
    staff: Option<(usize, String)>,
}

impl RefColumns {
    pub fn of(header: &WideHeader) -> Self {
        let find = |name: &str| {
            header
                .column_names()
                .iter()
                .position(|n| n == name)
                .map(|i| (i + 1, name.to_string()))
        };
        Self {
            site: find("site"),
            staff: find("staff"),
        }
    }

    /// Resolve a row's site and staff, or name every unknown one.
    pub fn resolve(
        &self,
        refs: &Refs,
        line: u64,
        site: Option<&str>,
        staff: Option<&str>,
    ) -> Result<(Option<i64>, Option<i64>), Vec<CellError>> {
        let mut errors = Vec::new();
        let mut fail = |at: &Option<(usize, String)>, reason: String| {
            let (column, column_name) = at.clone().unwrap_or((0, String::new()));
            errors.push(CellError {
                line,
                column,
                column_name,
                reason,
            });
        };
        let site_id = site.and_then(|key| {
            let id = refs.site_id(key);
            if id.is_none() {
                fail(&self.site, format!("no site with key '{key}'"));
            }
            id
        });
        let staff_id = staff.and_then(|r| {
            let id = refs.staff_id(r);
            if id.is_none() {
                fail(
                    &self.staff,
                    format!("no staff member with id or email '{r}'"),
                );
            }
            id
        });
        if errors.is_empty() {
            Ok((site_id, staff_id))
        } else {
            Err(errors)
        }
    }
}

fn page(offset: u32) -> ListQuery {
    ListQuery {
        offset,
        sort: SortField::CreatedAt,
        ..ListQuery::all()
    }
}

async fn all_sites(store: &dyn Store) -> anyhow::Result<Vec<Site>> {
    let mut out = Vec::new();
    loop {
        let p = store.list_sites(&page(out.len() as u32)).await?;
        let n = p.items.len();
        out.extend(p.items);
        if n < MAX_LIMIT as usize || out.len() as i64 >= p.total {
            return Ok(out);
        }
    }
}

async fn all_staff(store: &dyn Store) -> anyhow::Result<Vec<StaffMember>> {
    let mut out = Vec::new();
    loop {
        let p = store.list_staff(&page(out.len() as u32), None).await?;
        let n = p.items.len();
        out.extend(p.items);
        if n < MAX_LIMIT as usize || out.len() as i64 >= p.total {
            return Ok(out);
        }
    }
}

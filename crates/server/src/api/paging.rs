//! List parameters (`limit`, `offset`, `sort`, `order`, `q`, `include_archived`) and the page
//! envelope every list answers with.
use serde::{Deserialize, Serialize};
use touchpoint_core::listing::{DEFAULT_LIMIT, ListQuery, MAX_LIMIT, Page, SortField};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

/// Paging, sorting and search for lists.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
    /// `name` (default), `key` or `created_at`.
    pub sort: Option<SortField>,
    /// `asc` (default) or `desc`.
    pub order: Option<Order>,
    /// Case-insensitive search in the name.
    pub q: Option<String>,
    /// Include archived services, inactive sites, staff and users.
    #[serde(alias = "include_inactive")]
    pub include_archived: Option<bool>,
}

impl ListParams {
    pub fn to_query(&self) -> ListQuery {
        ListQuery {
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            sort: self.sort.unwrap_or(SortField::Name),
            descending: self.order == Some(Order::Desc),
            search: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            include_inactive: self.include_archived.unwrap_or(false),
        }
    }
}

/// One page of a list: `items`, the `total` count of matching rows, and the window used.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub limit: u32,
    pub offset: u32,
}

impl<T> From<Page<T>> for Paged<T> {
    fn from(p: Page<T>) -> Self {
        Paged {
            items: p.items,
            total: p.total,
            limit: p.limit,
            offset: p.offset,
        }
    }
}

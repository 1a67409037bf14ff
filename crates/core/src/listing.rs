//! Pagination and sorting shared by every list.
use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    Name,
    Key,
    CreatedAt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub limit: u32,
    pub offset: u32,
    pub sort: SortField,
    pub descending: bool,
    /// Case-insensitive substring match on the name.
    pub search: Option<String>,
    /// Include archived or inactive rows.
    pub include_inactive: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            offset: 0,
            sort: SortField::Name,
            descending: false,
            search: None,
            include_inactive: false,
        }
    }
}

impl ListQuery {
    pub fn all() -> Self {
        Self {
            limit: MAX_LIMIT,
            include_inactive: true,
            ..Self::default()
        }
    }
    /// Clamp the limit into 1..=MAX_LIMIT.
    pub fn clamped(mut self) -> Self {
        self.limit = self.limit.clamp(1, MAX_LIMIT);
        self
    }
}

/// One page of a list plus the total count, for "1–50 of 312" and next/previous links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub limit: u32,
    pub offset: u32,
}

impl<T> Page<T> {
    pub fn has_next(&self) -> bool {
        i64::from(self.offset) + (self.items.len() as i64) < self.total
    }
    pub fn has_previous(&self) -> bool {
        self.offset > 0
    }
}

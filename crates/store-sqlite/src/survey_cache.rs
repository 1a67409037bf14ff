//! Whether each survey is archived, its current published version and its service, kept in
//! memory for the submission path (which otherwise reads the survey and parses the version's JSON on every
//! response).
//!
//! Published versions never change; what can change is which version is current (publish) and
//! whether the survey is archived (archive). Both go through this store, which drops the entry
//! once the change is committed, so this process sees them at once. Another process writing
//! the same file (the CLI) is seen within [`TTL`], when an entry expires.
//!
//! A read that started before a change must not put back what it saw after the change dropped
//! the entry: every drop bumps a generation, and an entry is only stored if the generation has
//! not moved since its read began.
use chrono::{DateTime, Utc};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use touchpoint_core::feedback::records::SurveyVersion;

/// How long an entry is trusted without a change made through this store.
pub(crate) const TTL: Duration = Duration::from_secs(1);
/// Entries kept at most; past it the cache starts over (surveys are few, this only bounds it).
const MAX_ENTRIES: usize = 4096;
/// Ids kept at most by a [`KnownIds`].
const MAX_KNOWN_IDS: usize = 100_000;

/// A survey as the submission path sees it.
#[derive(Debug, Clone)]
pub(crate) struct SurveyState {
    /// Set when the survey is created and never changed.
    pub(crate) service_id: Option<i64>,
    pub(crate) archived_at: Option<DateTime<Utc>>,
    pub(crate) version: Option<Arc<SurveyVersion>>,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    entries: HashMap<i64, (Instant, SurveyState)>,
}

#[derive(Default)]
pub(crate) struct SurveyCache {
    inner: Mutex<Inner>,
}

impl SurveyCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry for `survey_id` if it is younger than [`TTL`].
    pub(crate) fn get(&self, survey_id: i64) -> Option<SurveyState> {
        let inner = self.lock();
        let (at, state) = inner.entries.get(&survey_id)?;
        (at.elapsed() < TTL).then(|| state.clone())
    }

    /// To take before reading what [`SurveyCache::put`] will store.
    pub(crate) fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keep `state`, read after [`SurveyCache::generation`] returned `generation`, unless a
    /// change was made since.
    pub(crate) fn put(&self, survey_id: i64, generation: u64, state: SurveyState) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(survey_id, (Instant::now(), state));
    }

    /// Forget `survey_id` after a change to it has been committed.
    pub(crate) fn invalidate(&self, survey_id: i64) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.remove(&survey_id);
    }
}

/// Ids of rows that are never deleted (sites, staff members) once seen to exist, so checking
/// a reference to them again needs no read.
#[derive(Default)]
pub(crate) struct KnownIds {
    ids: Mutex<HashSet<i64>>,
}

impl KnownIds {
    pub(crate) fn contains(&self, id: i64) -> bool {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&id)
    }

    pub(crate) fn insert(&self, id: i64) {
        let mut ids = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        if ids.len() >= MAX_KNOWN_IDS {
            ids.clear();
        }
        ids.insert(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> SurveyState {
        SurveyState {
            service_id: None,
            archived_at: None,
            version: None,
        }
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = SurveyCache::default();
        let before = cache.generation();
        cache.invalidate(1);
        cache.put(1, before, state());
        assert!(cache.get(1).is_none());
        let now = cache.generation();
        cache.put(1, now, state());
        assert!(cache.get(1).is_some());
        cache.invalidate(1);
        assert!(cache.get(1).is_none());
    }
}

//! What the submission path would otherwise read on every request, kept in memory: each
//! survey's state (whether it is archived, its current published version, its service) and
//! each API token with its user.
//!
//! Published versions never change; what can change is which version is current (publish),
//! whether a survey is archived (archive), and whether a token or its user may still be used
//! (revoke, deactivate, change of role). All of these go through this store, which drops the
//! entries once the change is committed, so this process sees them at once. [`TTL`] bounds
//! the rest: a change made by another process writing the same file (the CLI, which can
//! publish surveys but only add users and tokens), or one whose caller went away before the
//! commit answered (the write still commits, but the drop after it never runs).
//!
//! A read that started before a change must not put back what it saw after the change dropped
//! the entry: every drop bumps a generation, and an entry is only stored if the generation has
//! not moved since its read began.
use chrono::{DateTime, Utc};
use std::{
    borrow::Borrow,
    collections::{HashMap, HashSet},
    hash::Hash,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use touchpoint_core::{
    feedback::records::SurveyVersion,
    user::{ApiToken, User},
};

/// How long an entry is trusted without a change made through this store.
pub(crate) const TTL: Duration = Duration::from_secs(1);
/// Entries kept at most; past it the cache starts over (this only bounds it).
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

/// Survey id → its state.
pub(crate) type SurveyCache = ExpiringCache<i64, SurveyState>;

/// API token hash → the token and its user. Tokens are revoked, and users deactivated or
/// given another role, only through this store (the CLI can only add them), which clears the
/// whole cache once the change is committed: a revocation takes effect at the next request
/// (within [`TTL`] if the revoking caller went away before the commit answered).
pub(crate) type TokenCache = ExpiringCache<String, (ApiToken, User)>;

struct Inner<K, V> {
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

/// Entries trusted for [`TTL`], dropped at once by a change made through this store.
pub(crate) struct ExpiringCache<K, V> {
    inner: Mutex<Inner<K, V>>,
}

impl<K, V> Default for ExpiringCache<K, V> {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                generation: 0,
                entries: HashMap::new(),
            }),
        }
    }
}

impl<K: Hash + Eq, V: Clone> ExpiringCache<K, V> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry for `key` if it is younger than [`TTL`].
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let inner = self.lock();
        let (at, value) = inner.entries.get(key)?;
        (at.elapsed() < TTL).then(|| value.clone())
    }

    /// To take before reading what [`ExpiringCache::put`] will store.
    pub(crate) fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keep `value`, read after [`ExpiringCache::generation`] returned `generation`, unless a
    /// change was made since.
    pub(crate) fn put(&self, key: K, generation: u64, value: V) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner.entries.insert(key, (Instant::now(), value));
    }

    /// Forget `key` after a change to it has been committed.
    pub(crate) fn invalidate<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.remove(key);
    }

    /// Forget everything after a change that may affect any entry has been committed.
    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
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
    fn clearing_drops_every_entry_and_refuses_reads_that_began_before() {
        let cache: ExpiringCache<String, i32> = ExpiringCache::default();
        let before = cache.generation();
        cache.put("a".into(), before, 1);
        cache.put("b".into(), before, 2);
        assert_eq!(cache.get("a"), Some(1));
        cache.clear();
        assert_eq!((cache.get("a"), cache.get("b")), (None, None));
        cache.put("a".into(), before, 1);
        assert_eq!(cache.get("a"), None, "read before the change");
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = SurveyCache::default();
        let before = cache.generation();
        cache.invalidate(&1);
        cache.put(1, before, state());
        assert!(cache.get(&1).is_none());
        let now = cache.generation();
        cache.put(1, now, state());
        assert!(cache.get(&1).is_some());
        cache.invalidate(&1);
        assert!(cache.get(&1).is_none());
    }
}

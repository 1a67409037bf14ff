//! Computed rankings kept between requests. Ranking a million customers means reading and
//! sorting a million rows; the answer only changes when customers or sales do. Each entry
//! remembers the store's portfolio revision it was computed at (bumped in the same
//! transaction as every customer or sale write, on every app node), so a request pays one
//! cheap read to know whether the kept ranking is still exact, and a stale one is never served.
use super::period::Period;
use std::{collections::VecDeque, sync::Arc};
use tokio::sync::Mutex;
use touchpoint_core::portfolio::{Ranking, RankingSettings};

/// How many rankings are kept (least recently used dropped first): the page and the API ask
/// for the current period and the previous one, a CSV download for one of them. A million
/// ranked customers take a few hundred megabytes, so this stays small.
const ENTRIES: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    period: Period,
    currency: String,
    settings: RankingSettings,
}

struct Entry {
    key: Key,
    revision: i64,
    ranking: Arc<Ranking>,
}

#[derive(Default)]
pub struct RankingCache {
    // One lock for lookups and computations: two requests for the same uncached ranking
    // compute it once, the second waiting for the first.
    entries: Mutex<VecDeque<Entry>>,
}

impl RankingCache {
    /// The ranking for `period` and `currency` at `revision`: the kept one when it was computed
    /// at that revision, else `compute()`'s, which is then kept.
    pub async fn get_or_compute<E, F>(
        &self,
        period: Period,
        currency: &str,
        settings: &RankingSettings,
        revision: i64,
        compute: F,
    ) -> Result<Arc<Ranking>, E>
    where
        F: AsyncFnOnce() -> Result<Ranking, E>,
    {
        let key = Key {
            period,
            currency: currency.to_string(),
            settings: *settings,
        };
        let mut entries = self.entries.lock().await;
        if let Some(at) = entries.iter().position(|e| e.key == key) {
            let entry = entries.remove(at).expect("position is in range");
            if entry.revision == revision {
                let ranking = entry.ranking.clone();
                entries.push_front(entry);
                return Ok(ranking);
            }
        }
        let ranking = Arc::new(compute().await?);
        entries.push_front(Entry {
            key,
            revision,
            ranking: ranking.clone(),
        });
        entries.truncate(ENTRIES);
        Ok(ranking)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::cell::Cell;

    fn period(month: u32) -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(2026, month, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, month, 28).unwrap(),
        }
    }

    async fn get(cache: &RankingCache, month: u32, revision: i64, computed: &Cell<u32>) {
        let settings = RankingSettings::default();
        cache
            .get_or_compute::<(), _>(period(month), "USD", &settings, revision, async || {
                computed.set(computed.get() + 1);
                Ok(touchpoint_core::portfolio::rank(Vec::new(), &settings))
            })
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_kept_ranking_is_served_only_at_the_revision_it_was_computed_at() {
        let cache = RankingCache::default();
        let computed = Cell::new(0);
        get(&cache, 1, 7, &computed).await;
        get(&cache, 1, 7, &computed).await;
        assert_eq!(computed.get(), 1, "same period, same revision: kept");
        get(&cache, 1, 8, &computed).await;
        assert_eq!(computed.get(), 2, "a write in between: computed again");
        get(&cache, 2, 8, &computed).await;
        assert_eq!(computed.get(), 3, "another period is another ranking");
    }

    #[tokio::test]
    async fn the_least_recently_used_ranking_is_dropped_first() {
        let cache = RankingCache::default();
        let computed = Cell::new(0);
        for month in 1..=ENTRIES as u32 {
            get(&cache, month, 1, &computed).await;
        }
        get(&cache, 1, 1, &computed).await; // month 1 becomes the most recent
        get(&cache, 12, 1, &computed).await; // drops month 2
        let before = computed.get();
        get(&cache, 1, 1, &computed).await;
        assert_eq!(computed.get(), before, "month 1 was kept");
        get(&cache, 2, 1, &computed).await;
        assert_eq!(computed.get(), before + 1, "month 2 was dropped");
    }
}

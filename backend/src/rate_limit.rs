//! Limits how often one key may miss: an address presenting unknown links (so that links
//! cannot be guessed by trying), starting responses through open links, or an address or
//! account trying passwords.
//!
//! The counts live in the database (`rate_limit`), so that every app instance on it counts
//! against the same allowance. Each miss is one statement: the generic cell rate algorithm
//! (as the `governor` crate runs it in memory) keeps one time per key, allowing `per_minute`
//! misses at once and then one more every `60 s / per_minute`.

use crate::{now_ms, token, Store};
use domain::AppError;
use std::fmt::Display;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// What is counted; each has its own allowance per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Unknown links, per caller address.
    UnknownLinks,
    /// Responses started through open links, per caller address.
    OpenStarts,
    /// Log-in attempts, per address typed.
    LoginsPerAccount,
    /// Log-in attempts, per caller address.
    LoginsPerAddress,
}

impl Counter {
    fn name(self) -> &'static str {
        match self {
            Self::UnknownLinks => "unknown_links",
            Self::OpenStarts => "open_starts",
            Self::LoginsPerAccount => "logins_account",
            Self::LoginsPerAddress => "logins_address",
        }
    }
}

/// How often rested keys are deleted, at most.
const SWEEP_EVERY_MS: i64 = 60_000;

/// Counts misses of one [`Counter`] per key `K` (a caller's address, or a typed e-mail
/// address as `String`); cheap to clone.
#[derive(Clone)]
pub struct MissLimiter<K: Display = IpAddr> {
    store: Store,
    counter: Counter,
    /// Time a miss uses up (ms).
    interval_ms: i64,
    /// How far the allowance may be used up ahead of now: `per_minute` misses.
    burst_ms: i64,
    last_sweep: Arc<AtomicI64>,
    key: PhantomData<fn(&K)>,
}

impl<K: Display> MissLimiter<K> {
    /// Allows `per_minute` misses per key, all of them at once.
    pub fn new(store: Store, counter: Counter, per_minute: u32) -> Self {
        let per_minute = i64::from(per_minute.max(1));
        let interval_ms = (60_000 / per_minute).max(1);
        Self {
            store,
            counter,
            interval_ms,
            burst_ms: interval_ms * per_minute,
            last_sweep: Arc::new(AtomicI64::new(0)),
            key: PhantomData,
        }
    }

    /// Records a miss; `false` once the key has used up its allowance.
    pub async fn record_miss(&self, key: &K) -> Result<bool, AppError> {
        self.record_miss_at(key, now_ms()).await
    }

    async fn record_miss_at(&self, key: &K, now: i64) -> Result<bool, AppError> {
        // Only the hash is kept: a typed "address" may well be somebody's password.
        let key_hash = token::hash(&key.to_string());
        let allowed = self
            .store
            .count_miss(self.counter.name(), &key_hash, now, self.interval_ms, self.burst_ms)
            .await?;
        let last = self.last_sweep.load(Ordering::Relaxed);
        if now - last >= SWEEP_EVERY_MS
            && self
                .last_sweep
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            // Housekeeping only: the count above stands either way.
            let forgotten = self.store.forget_rested_misses(self.counter.name(), now).await;
            if let Err(e) = forgotten.map_err(AppError::from) {
                tracing::warn!(error = %e, "rested rate-limit keys not deleted");
            }
        }
        Ok(allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store(name: &str) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir()
            .join(format!("bedarfsanalyse-limit-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::connect(&format!("sqlite://{}/l.db", dir.display())).await.unwrap();
        (store, dir)
    }

    #[tokio::test]
    async fn blocks_after_allowance_per_key_and_refills() {
        let (store, dir) = store("allowance").await;
        let l = MissLimiter::new(store.clone(), Counter::UnknownLinks, 3);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t = 1_000_000;
        for _ in 0..3 {
            assert!(l.record_miss_at(&a, t).await.unwrap());
        }
        assert!(!l.record_miss_at(&a, t).await.unwrap());
        assert!(
            !l.record_miss_at(&a, t + 19_999).await.unwrap(),
            "refused misses do not count, nor refill"
        );
        assert!(l.record_miss_at(&b, t).await.unwrap(), "another key");
        // One miss comes back every 20 s, all of them after a minute.
        assert!(l.record_miss_at(&a, t + 20_000).await.unwrap());
        assert!(!l.record_miss_at(&a, t + 20_000).await.unwrap());
        for _ in 0..3 {
            assert!(l.record_miss_at(&a, t + 80_000).await.unwrap());
        }
        assert!(!l.record_miss_at(&a, t + 80_000).await.unwrap());

        // Another counter, and a second limiter on the same counter shares the allowance.
        let other = MissLimiter::new(store.clone(), Counter::OpenStarts, 3);
        assert!(other.record_miss_at(&a, t + 80_000).await.unwrap());
        let twin = MissLimiter::new(store.clone(), Counter::UnknownLinks, 3);
        assert!(!twin.record_miss_at(&a, t + 80_000).await.unwrap());
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn rested_keys_are_deleted() {
        let (store, dir) = store("sweep").await;
        let l: MissLimiter<String> = MissLimiter::new(store.clone(), Counter::LoginsPerAccount, 10);
        assert!(l.record_miss_at(&"a@example.org".to_string(), 1_000_000).await.unwrap());
        assert_eq!(
            store.forget_rested_misses("logins_account", 1_000_000).await.unwrap(),
            0,
            "still counting"
        );
        assert_eq!(
            store.forget_rested_misses("logins_account", 1_006_000).await.unwrap(),
            1,
            "rested after 6 s"
        );
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

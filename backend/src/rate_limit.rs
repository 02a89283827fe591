//! Limits how often one key may miss: an address presenting unknown links (so that links
//! cannot be guessed by trying), or an address or account trying passwords.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

#[derive(Clone)]
pub struct MissLimiter<K: Hash + Eq + Clone = IpAddr> {
    limiter: Arc<DefaultKeyedRateLimiter<K>>,
}

impl<K: Hash + Eq + Clone> MissLimiter<K> {
    /// Allows `per_minute` misses per address, all of them at once.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self { limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(n))) }
    }

    /// Records a miss; `false` once the address has used up its allowance.
    pub fn record_miss(&self, key: K) -> bool {
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&key).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_allowance_per_address() {
        let l = MissLimiter::new(3);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(l.record_miss(a) && l.record_miss(a) && l.record_miss(a));
        assert!(!l.record_miss(a));
        assert!(l.record_miss(b));
    }
}

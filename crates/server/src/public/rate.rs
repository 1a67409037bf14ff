//! A small in-memory token bucket per client address, for the answering site. Each address
//! may make `per_minute` requests in a burst, refilled evenly over a minute. IPv6 clients are
//! keyed by their /64 (one subscriber usually owns a whole /64). Per node, like the login
//! throttle: several nodes multiply the allowance, which still stops a flood.
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Above this many tracked addresses, full (idle) buckets are forgotten.
const MAX_TRACKED: usize = 50_000;

#[derive(Debug)]
pub struct RateLimiter {
    /// 0 turns the limit off (benchmarks, a trusted kiosk network).
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one token for `ip`; `Err(seconds)` says how long to wait for the next one.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.check_at(ip, Instant::now())
    }

    fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_TRACKED {
            map.retain(|_, b| refilled(b, now, per_second, capacity) < capacity);
        }
        let bucket = map.entry(key(ip)).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        bucket.tokens = refilled(bucket, now, per_second, capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = Duration::from_secs_f64((1.0 - bucket.tokens) / per_second);
            Err(wait.as_secs().max(1))
        }
    }
}

fn refilled(b: &Bucket, now: Instant, per_second: f64, capacity: f64) -> f64 {
    let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
    (b.tokens + elapsed * per_second).min(capacity)
}

/// IPv4 as is; IPv6 reduced to its /64.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut seg = v6.segments();
            seg[4..].fill(0);
            IpAddr::V6(seg.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let r = RateLimiter::new(3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(r.check_at(ip, t0).is_ok());
        }
        let wait = r.check_at(ip, t0).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(r.check_at("10.0.0.2".parse().unwrap(), t0).is_ok());
        assert!(r.check_at(ip, t0 + Duration::from_secs(21)).is_ok());
    }

    #[test]
    fn ipv6_is_keyed_by_its_64_and_zero_means_unlimited() {
        let r = RateLimiter::new(1);
        let t0 = Instant::now();
        assert!(r.check_at("2001:db8::1".parse().unwrap(), t0).is_ok());
        assert!(r.check_at("2001:db8::2".parse().unwrap(), t0).is_err());
        let off = RateLimiter::new(0);
        for _ in 0..100 {
            assert!(off.check_at("10.0.0.1".parse().unwrap(), t0).is_ok());
        }
    }
}

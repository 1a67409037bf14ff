//! Login throttling: too many failures from one address or for one email within a window
//! block further attempts until the window passes. Kept in memory per node: with several
//! nodes an attacker gets at most `nodes × limit` tries per window, which still stops guessing.
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(ip: &str, email: &str) -> [String; 2] {
        [
            format!("ip:{ip}"),
            format!("email:{}", email.trim().to_ascii_lowercase()),
        ]
    }

    /// Whether another attempt is allowed now.
    pub fn allowed(&self, ip: &str, email: &str) -> bool {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        Self::keys(ip, email).iter().all(|k| {
            let list = map.entry(k.clone()).or_default();
            list.retain(|t| now.duration_since(*t) < self.window);
            (list.len() as u32) < self.max_failures
        })
    }

    pub fn record_failure(&self, ip: &str, email: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for k in Self::keys(ip, email) {
            map.entry(k).or_default().push(now);
        }
        // Bound memory under a spray of random emails.
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < self.window));
        }
    }

    /// A successful login clears the email's record (not the address's).
    pub fn record_success(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("email:{}", email.trim().to_ascii_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_per_email_and_per_address() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(t.allowed("1.1.1.1", "a@x.com"));
            t.record_failure("1.1.1.1", "a@x.com");
        }
        assert!(!t.allowed("1.1.1.1", "b@x.com"), "same address is blocked");
        assert!(!t.allowed("2.2.2.2", "a@x.com"), "same email is blocked");
        assert!(t.allowed("2.2.2.2", "b@x.com"));
    }
}

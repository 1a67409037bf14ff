//! Random secrets (session ids, API tokens, CSRF tokens) and how they are stored: only the
//! SHA-256 of a secret is ever written to the database.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new API token: the secret (shown once), a short prefix for lists, and the hash to store.
pub struct NewApiToken {
    pub secret: String,
    pub prefix: String,
    pub hash: String,
}

pub const API_TOKEN_PREFIX: &str = "tp_";

pub fn new_api_token() -> NewApiToken {
    let secret = format!("{API_TOKEN_PREFIX}{}", random_secret());
    NewApiToken {
        prefix: secret.chars().take(10).collect(),
        hash: sha256_hex(&secret),
        secret,
    }
}

/// Compare two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_is_stable() {
        let a = new_api_token();
        let b = new_api_token();
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with("tp_") && a.secret.len() > 40);
        assert_eq!(a.hash, sha256_hex(&a.secret));
        assert!(constant_time_eq(&a.hash, &sha256_hex(&a.secret)));
        assert!(!constant_time_eq(&a.hash, &b.hash));
    }
}

//! Password hashing with Argon2id (the crate's defaults follow OWASP's recommendation:
//! 19 MiB, 2 passes, 1 lane) in PHC string format, so parameters can be raised later.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use domain::AppError;
use std::sync::OnceLock;

pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Verifies against a throw-away hash, so that a log-in for an unknown address takes as long
/// as one for a known address and timing does not tell which accounts exist.
pub fn verify_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("kein-konto-vorhanden").unwrap_or_default());
    let _ = verify(password, stored);
}

/// Hashing is slow on purpose: it runs off the async workers.
pub async fn hash_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(AppError::internal)?
}

pub async fn verify_blocking(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            verify_nothing(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("ein langes Passwort").unwrap();
        let b = hash("ein langes Passwort").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b);
        assert!(verify("ein langes Passwort", &a));
        assert!(!verify("ein anderes Passwort", &a));
        assert!(!verify("egal", "kein hash"));
    }
}

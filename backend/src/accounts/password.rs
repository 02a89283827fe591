//! Password hashing with Argon2id (the crate's defaults follow OWASP's recommendation:
//! 19 MiB, 2 passes, 1 lane) in PHC string format, so parameters can be raised later.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use domain::AppError;
use std::sync::OnceLock;

pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
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

/// Verifications running at once: one per core. Each takes 19 MiB and a core for a while;
/// a burst of log-ins then queues here instead of filling the blocking pool (512 threads,
/// some 10 GB) and starving every other request of the CPU.
fn verifications() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        )
    })
}

pub async fn verify_blocking(password: String, stored: Option<String>) -> bool {
    // Never closed, so acquiring fails only in theory; then the log-in fails.
    let Ok(_permit) = verifications().acquire().await else { return false };
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn verifications_are_bounded_by_the_cores() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        assert_eq!(verifications().available_permits(), cores);
        let stored = hash("ein langes Passwort").unwrap();
        let tries: Vec<_> = (0..cores + 2)
            .map(|_| {
                tokio::spawn(verify_blocking("ein langes Passwort".into(), Some(stored.clone())))
            })
            .collect();
        for t in tries {
            assert!(t.await.unwrap());
        }
        assert_eq!(verifications().available_permits(), cores, "every permit is returned");
    }

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

//! The storage layer's error. Every statement (the features' `store.rs`, [`crate::db`])
//! returns a [`StoreResult`], so that `?` works on sqlx and rusqlite calls; the use cases
//! return the application's one error, [`AppError`], and convert with `?` as well. The
//! conversion is the only place where a database error becomes what a browser may see: a
//! unique violation becomes a conflict, anything else is logged and named by an incident
//! number only.

use domain::AppError;

/// What a store function fails with: an [`AppError`] it decided itself (not found, a
/// conflict, an internal error already logged), or a driver's error, not yet logged.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    App(#[from] AppError),
    /// sqlx, on the pools (both engines).
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// rusqlite, on SQLite's writer thread, bulk loads and export scans.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Whether a unique constraint refused the write (through sqlx: rusqlite's paths never
    /// reported conflicts, and still do not).
    pub(crate) fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}

impl From<StoreError> for AppError {
    /// Unique violations become a conflict; any other driver error is logged and reported by
    /// incident number only, so that no database text reaches a browser.
    fn from(e: StoreError) -> Self {
        if e.is_unique_violation() {
            return AppError::Conflict("Dieser Eintrag existiert bereits.".into());
        }
        match e {
            StoreError::App(e) => e,
            driver => AppError::internal(driver),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decided_errors_pass_unchanged_and_driver_errors_only_as_incidents() {
        let not_found = AppError::NotFound("weg".into());
        assert_eq!(AppError::from(StoreError::from(not_found.clone())), not_found);
        let internal = AppError::from(StoreError::from(sqlx::Error::RowNotFound));
        assert!(matches!(internal, AppError::Internal { .. }), "{internal:?}");
        assert!(!internal.to_string().contains("no rows"), "{internal}");
        let sqlite = AppError::from(StoreError::from(rusqlite::Error::QueryReturnedNoRows));
        assert!(matches!(sqlite, AppError::Internal { .. }), "{sqlite:?}");
    }
}

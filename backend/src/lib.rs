//! The application's back end, cut by feature: each feature module holds its use cases (which
//! combine the domain rules with storage) and, in its `store.rs`, the SQL statements for its
//! own tables. [`db`] is the storage seam (connection, engines, migrations, the response scan)
//! that every feature's statements run through; statements fail with a [`StoreError`], use
//! cases with `domain::AppError` ([`error`]). Nothing here knows about HTTP.

// Features: each owns its use cases and the statements for its own tables.
pub mod accounts;
pub mod concept;
pub mod dashboards;
pub mod exports;
pub mod imports;
pub mod invitations;
pub mod organisations;
pub mod progress;
pub mod questionnaires;
pub mod respondent;
pub mod waves;

// Shared by the features: the storage seam, the staff's session handle and infrastructure.
pub mod csv_out;
pub mod db;
pub mod error;
pub mod lease;
pub mod mail;
pub mod rate_limit;
pub mod staff;
pub mod token;

pub use db::{Backend, Store};
pub use error::{StoreError, StoreResult};
pub use rate_limit::{Counter, MissLimiter};

/// Milliseconds since the Unix epoch: the one time format the database stores.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

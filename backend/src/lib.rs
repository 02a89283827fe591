//! The application's back end: persistence in [`db`] (every SQL statement lives there) and the
//! respondent's use cases in [`survey`], which combine the domain rules with storage. Nothing
//! here knows about HTTP.

pub mod aggregates;
pub mod builder;
pub mod dashboards;
pub mod db;
pub mod export;
pub mod lease;
pub mod mail;
pub mod org_import;
pub mod password;
pub mod rate_limit;
pub mod reports;
pub mod staff;
pub mod survey;
pub mod tally;
pub mod token;

pub use db::{Backend, Store};
pub use rate_limit::{Counter, MissLimiter};

/// Milliseconds since the Unix epoch: the one time format the database stores.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

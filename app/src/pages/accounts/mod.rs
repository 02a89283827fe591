//! Accounts and sign-in: the sign-in form, the own password, the staff's accounts and the
//! audit log of the administration. Forms post to the server crate's `routes::accounts`.

mod audit;
mod fns;
mod list;
pub mod login;
mod password;

pub use audit::AuditPage;
pub use list::AccountsPage;
pub use password::PasswordPage;

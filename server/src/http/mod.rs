//! The HTTP vocabulary every route shares: the application state, the one error response and
//! the extractors (session, CSRF-checked forms). It knows no route.

pub mod error;
pub mod extract;
pub mod state;

pub use error::HttpError;
pub use state::AppState;

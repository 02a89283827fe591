//! The form posts and downloads, one module a feature, each with its own router. Handlers stay
//! thin: extract, call the back end, map its outcome to a redirect or a response. Pages and
//! their reads are the app crate's (Leptos routes and server functions).

pub mod accounts;
pub mod concept;
pub mod exports;
pub mod imports;
pub mod invitations;
pub mod organisations;
pub mod progress;
pub mod questionnaires;
pub mod respondent;
pub mod waves;

use crate::http::AppState;
use axum::Router;

/// Every feature's routes; their paths do not overlap.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(respondent::routes())
        .merge(accounts::routes())
        .merge(organisations::routes())
        .merge(invitations::routes())
        .merge(questionnaires::routes())
        .merge(progress::routes())
        .merge(exports::routes())
        .merge(concept::routes())
        .merge(waves::routes())
        .merge(imports::routes())
}

//! The pages, one folder a feature (respondent, accounts, organisations, questionnaires,
//! progress, dashboards, exports), each with the server functions it reads through; the site's
//! own pages (home, information, errors) stand alone.

pub mod accounts;
pub mod concept;
pub mod dashboards;
pub mod errors;
pub mod exports;
pub mod home;
pub mod imports;
pub mod info;
pub mod organisations;
pub mod progress;
pub mod questionnaires;
pub mod respondent;
pub mod waves;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A path parameter, empty when missing.
pub(crate) fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

/// Whether a query flag such as `?pruefen=1` is set.
pub(crate) fn flag(name: &'static str) -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).is_some_and(|v| v == "1"))
}

/// A numeric query parameter such as `?seite=2`; `None` when missing or not a number.
pub(crate) fn query_number(name: &'static str) -> Memo<Option<i64>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).and_then(|v| v.parse().ok()))
}

//! Survey waves: the builder's explicit match of a question with one of the wave before, and
//! the comparison of two waves as CSV (the pages are the app's).

use super::exports::attachment;
use crate::http::extract::{CsrfForm, Staffer};
use crate::http::{AppState, HttpError};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use domain::questionnaire::is_code;
use domain::waves::{mapping_form, MappingForm};
use domain::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verwaltung/fragebogen/{id}/abgleich/{code}", post(save_mapping))
        .route("/auswertung/{theme}/vergleich.csv", get(comparison_csv))
        .route("/auswertung/vergleich.csv", get(overview_comparison_csv))
}

async fn save_mapping(
    State(state): State<AppState>,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm { staffer, form }: CsrfForm<MappingForm>,
) -> Result<Response, HttpError> {
    if !is_code(&code) {
        return Err(AppError::NotFound("Diese Frage gibt es im Fragebogen nicht.".into()).into());
    }
    let outcome = state.staff.save_wave_mapping(&staffer.principal, id, &code, &form).await;
    let at = format!("/verwaltung/fragebogen/{id}#abgleich-{code}");
    let done = |()| (at.clone(), "Die Zuordnung zur früheren Welle wurde gespeichert.");
    let invalid = || (format!("/verwaltung/fragebogen/{id}#fehler"), mapping_form(&code));
    staffer.settle(&state, outcome, done, invalid).await
}

/// A theme of wave B against wave A as CSV (`welle_a`, `welle_b`, the view, `dialekt`).
async fn comparison_csv(
    staffer: Staffer,
    State(state): State<AppState>,
    Path(theme): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, HttpError> {
    let query = query.as_deref().unwrap_or("");
    Ok(attachment(state.staff.comparison_csv(&staffer.principal, &theme, query).await?))
}

/// The heat map of wave B against wave A as CSV.
async fn overview_comparison_csv(
    staffer: Staffer,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, HttpError> {
    let query = query.as_deref().unwrap_or("");
    Ok(attachment(state.staff.overview_comparison_csv(&staffer.principal, query).await?))
}

//! Acting on a single response from the progress pages: reopening it, withdrawing its link,
//! accepting an open-link response into the figures or keeping it out, deleting it (after the
//! confirmation page).

use crate::http::extract::CsrfForm;
use crate::http::{AppState, HttpError};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use domain::response::{ResponseAction, ResponseForm};
use domain::staff::Flash;

pub fn routes() -> Router<AppState> {
    Router::new().route("/verwaltung/antworten/{id}", post(act_on_response))
}

async fn act_on_response(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<ResponseForm>,
) -> Result<Response, HttpError> {
    let action = form.action()?;
    // Deleting cannot be undone: without the confirmation page's consent, to that page first.
    if action == ResponseAction::Delete && !form.confirmed {
        return Ok(Redirect::to(&format!("/verwaltung/antworten/{id}/loeschen")).into_response());
    }
    let questionnaire_id = state.staff.act_on_response(&staffer.principal, id, action).await?;
    let notice = match action {
        ResponseAction::Reopen => format!("Antwort Nr. {id} ist wieder geöffnet; über ihren Link kann sie geändert und erneut abgeschickt werden."),
        ResponseAction::Withdraw => format!("Der Link der Antwort Nr. {id} wurde zurückgezogen."),
        ResponseAction::Accept => format!("Antwort Nr. {id} ist freigegeben und zählt in den Auswertungen."),
        ResponseAction::Reject => format!("Antwort Nr. {id} zählt nicht in den Auswertungen."),
        ResponseAction::Delete => format!("Antwort Nr. {id} wurde gelöscht."),
    };
    let back = match action {
        ResponseAction::Accept | ResponseAction::Reject => format!("/verwaltung/antworten/{id}"),
        _ => format!("/verwaltung?fragebogen={questionnaire_id}"),
    };
    staffer.redirect_with(&state, &back, Flash::notice(notice)).await
}

//! The respondent's form posts: starting an open-link response, saving a page (a form post or
//! the script's background save) and submitting. The respondent's pages are the app's.

use crate::http::{AppState, HttpError};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use backend::respondent::{Navigation, SaveOutcome, SubmitOutcome};
use domain::AppError;
use std::net::SocketAddr;

/// The respondent's form stays pairs: its names are the questionnaire's question codes, read
/// by `domain::answers`, the codec the browser shares.
type Fields = Vec<(String, String)>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}", post(open_start))
        .route("/f/{token}/s/{step}", post(save_page))
        .route("/f/{token}/absenden", post(submit))
}

async fn open_start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    Form(form): Form<Fields>,
) -> Result<Response, HttpError> {
    let to = state.survey.start_open_response(&slug, &form, peer.ip()).await?;
    Ok(Redirect::to(&to).into_response())
}

async fn save_page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((token, step)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Result<Response, HttpError> {
    let navigation =
        Navigation::parse(form.iter().find(|(k, _)| k == "aktion").map(|(_, v)| v.as_str()));
    let step = step.parse().unwrap_or(0);
    let outcome =
        match state.survey.save_page(&token, step, &form, navigation.clone(), peer.ip()).await {
            // The script shows the message in its status line, the rest of the page stays.
            Err(e @ (AppError::Conflict(_) | AppError::TooManyRequests))
                if navigation == Navigation::Autosave =>
            {
                let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::CONFLICT);
                let body =
                    serde_json::json!({ "fehler": [{ "feld": "", "meldung": e.to_string() }] });
                return Ok((status, Json(body)).into_response());
            }
            outcome => outcome?,
        };
    Ok(match outcome {
        SaveOutcome::Redirect(to) => Redirect::to(&to).into_response(),
        SaveOutcome::Saved { at, version } => {
            Json(serde_json::json!({ "gespeichert": at, "stand": version })).into_response()
        }
        // The rest is saved; the script shows the messages.
        SaveOutcome::Refused { errors, version } => {
            let errors: Vec<_> = errors
                .iter()
                .map(|e| serde_json::json!({ "feld": e.field_id, "meldung": e.message }))
                .collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "fehler": errors, "stand": version })),
            )
                .into_response()
        }
    })
}

async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let to = match state.survey.submit(&token, peer.ip()).await? {
        SubmitOutcome::Submitted | SubmitOutcome::AlreadySubmitted => format!("/f/{token}/danke"),
        SubmitOutcome::Incomplete => format!("/f/{token}/uebersicht?pruefen=1#fehler"),
    };
    Ok(Redirect::to(&to).into_response())
}

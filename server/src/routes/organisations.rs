//! The organisations that are asked: adding one by hand and importing a CSV file of them.
//! Problems of the import name the file's lines and come back to the page as the import
//! form's problems; nothing is imported then.

use crate::http::extract::{one_problem, CsrfForm, Staffer};
use crate::http::{AppState, HttpError};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use backend::organisations::import::MAX_IMPORT_BYTES;
use domain::form::CSRF;
use domain::organisations::{field, OrganisationForm};
use domain::staff::{Flash, FormProblems};
use domain::validation::FieldError;

const LIST: &str = "/verwaltung/organisationen";
const LIST_PROBLEMS: &str = "/verwaltung/organisationen#fehler";

const INCOMPLETE_UPLOAD: &str =
    "Die Datei konnte nicht vollständig übertragen werden. Höchstens 5 MB sind möglich.";

pub fn routes() -> Router<AppState> {
    Router::new().route("/verwaltung/organisationen", post(create_organisation)).route(
        "/verwaltung/organisationen/import",
        // Above the import's own limit, so that a too large file gets its clear message.
        post(import_organisations).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES * 3)),
    )
}

async fn create_organisation(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm<OrganisationForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.create_organisation(&staffer.principal, &form).await;
    let done = |_| (LIST, "Die Organisation wurde aufgenommen.");
    staffer.settle(&state, outcome, done, || (LIST_PROBLEMS, "organisation-neu")).await
}

async fn import_organisations(
    State(state): State<AppState>,
    staffer: Staffer,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let mut csrf = String::new();
    let mut file: Option<Vec<u8>> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or("").to_string();
                match part.bytes().await {
                    Ok(bytes) if name == CSRF => {
                        csrf = String::from_utf8_lossy(&bytes).into_owned()
                    }
                    Ok(bytes) if name == field::FILE => file = Some(bytes.to_vec()),
                    Ok(_) => {}
                    Err(_) => return import_problem(&state, &staffer, INCOMPLETE_UPLOAD).await,
                }
            }
            Ok(None) => break,
            Err(_) => return import_problem(&state, &staffer, INCOMPLETE_UPLOAD).await,
        }
    }
    staffer.check_csrf(&csrf)?;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let message = "Bitte wählen Sie eine CSV-Datei aus. Die gewählte Datei ist leer.";
        return import_problem(&state, &staffer, message).await;
    };
    match state.staff.import_organisations(&staffer.principal, &bytes).await? {
        Ok(n) => {
            let notice = if n == 1 {
                "1 Organisation wurde importiert.".to_string()
            } else {
                format!("{n} Organisationen wurden importiert.")
            };
            staffer.redirect_with(&state, LIST, Flash::notice(notice)).await
        }
        Err(problems) => {
            let errors = problems
                .into_iter()
                .map(|p| {
                    let message = if p.line == 0 {
                        p.message
                    } else {
                        format!("Zeile {}: {}", p.line, p.message)
                    };
                    FieldError::new(field::FILE, message)
                })
                .collect();
            let mut flash = Flash::problems("import", FormProblems { values: vec![], errors });
            flash.notice = Some("Es wurde nichts importiert. Bitte korrigieren Sie die Datei und laden Sie sie erneut hoch.".into());
            staffer.redirect_with(&state, LIST_PROBLEMS, flash).await
        }
    }
}

async fn import_problem(
    state: &AppState,
    staffer: &Staffer,
    message: &str,
) -> Result<Response, HttpError> {
    staffer.redirect_with(state, LIST_PROBLEMS, one_problem("import", field::FILE, message)).await
}

//! Imports from other survey tools: a structure file becomes a draft questionnaire (then its
//! report is shown), a response file becomes submitted responses of a questionnaire (checked
//! first; problems by line come back to the form, nothing is written then). Both are
//! multipart uploads whose CSRF token is checked like the organisation import's.

use crate::http::extract::{one_problem, Staffer};
use crate::http::{AppState, HttpError};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use backend::imports::limesurvey::responses::MAX_RESPONSE_BYTES;
use backend::imports::structure::MAX_STRUCTURE_BYTES;
use backend::imports::use_cases::ResponseImportOutcome;
use domain::form::CSRF;
use domain::imports::{field, ResponseImportForm};
use domain::staff::{Flash, FormProblems};
use domain::validation::FieldError;

const PAGE: &str = "/verwaltung/import";

pub fn routes() -> Router<AppState> {
    Router::new()
        // Above the readers' own limits, so that a too large file gets their clear message.
        .route(
            "/verwaltung/import",
            post(import_structure).layer(DefaultBodyLimit::max(MAX_STRUCTURE_BYTES * 2)),
        )
        .route(
            "/verwaltung/fragebogen/{id}/antworten-import",
            post(import_responses).layer(DefaultBodyLimit::max(MAX_RESPONSE_BYTES * 2)),
        )
}

/// Whether the guard passes the body of `path` through unbounded and unchanged: the routes
/// above bound their uploads themselves, and files may hold any byte.
pub fn is_upload(path: &str) -> bool {
    path == PAGE
        || path
            .strip_prefix("/verwaltung/fragebogen/")
            .and_then(|rest| rest.strip_suffix("/antworten-import"))
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// A multipart form: its text fields, and the file's name and bytes.
struct Upload {
    fields: Vec<(String, String)>,
    file: Option<(String, Vec<u8>)>,
}

async fn read_upload(mut multipart: Multipart) -> Option<Upload> {
    let mut upload = Upload { fields: Vec::new(), file: None };
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or("").to_string();
                let file_name = part.file_name().map(str::to_string);
                let bytes = part.bytes().await.ok()?;
                if name == field::FILE {
                    upload.file = Some((file_name.unwrap_or_default(), bytes.to_vec()));
                } else if bytes.len() <= 64 * 1024 {
                    upload.fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
                }
            }
            Ok(None) => return Some(upload),
            Err(_) => return None,
        }
    }
}

fn incomplete(max: usize) -> String {
    format!(
        "Die Datei konnte nicht vollständig übertragen werden. Höchstens {} MB sind möglich.",
        max / (1024 * 1024)
    )
}

fn csrf_of(fields: &[(String, String)]) -> &str {
    fields.iter().find(|(k, _)| k == CSRF).map(|(_, v)| v.as_str()).unwrap_or("")
}

async fn import_structure(
    State(state): State<AppState>,
    staffer: Staffer,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let back = |message: String| one_problem("import", field::FILE, message);
    let Some(upload) = read_upload(multipart).await else {
        return staffer.redirect_with(&state, PAGE, back(incomplete(MAX_STRUCTURE_BYTES))).await;
    };
    staffer.check_csrf(csrf_of(&upload.fields))?;
    let Some((name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        let message = "Bitte wählen Sie eine Strukturdatei aus. Die gewählte Datei ist leer.";
        return staffer.redirect_with(&state, PAGE, back(message.into())).await;
    };
    match state.staff.import_structure(&staffer.principal, &name, bytes).await? {
        Ok(report) => {
            let notice = "Der Fragebogen wurde als Entwurf angelegt. Unten steht, was nicht oder nur teilweise übernommen wurde.";
            staffer.redirect_with(&state, &format!("{PAGE}/{report}"), Flash::notice(notice)).await
        }
        Err(e) => {
            let mut flash = back(e.0);
            flash.notice = Some("Es wurde nichts importiert.".into());
            staffer.redirect_with(&state, PAGE, flash).await
        }
    }
}

async fn import_responses(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    staffer: Staffer,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let page = format!("/verwaltung/fragebogen/{id}/antworten-import");
    let Some(upload) = read_upload(multipart).await else {
        let flash = one_problem("antworten", field::FILE, incomplete(MAX_RESPONSE_BYTES));
        return staffer.redirect_with(&state, &page, flash).await;
    };
    staffer.check_csrf(csrf_of(&upload.fields))?;
    let form = ResponseImportForm::from_fields(&upload.fields);
    let problems = |errors: Vec<FieldError>, notice: Option<String>| {
        let mut flash =
            Flash::problems("antworten", FormProblems { values: form.values(), errors });
        flash.notice = notice;
        flash
    };
    let command = match form.validate() {
        Ok(c) => c,
        Err(errors) => {
            return staffer
                .redirect_with(&state, &format!("{page}#fehler"), problems(errors, None))
                .await
        }
    };
    let Some((name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        let errors = vec![FieldError::new(
            field::FILE,
            "Bitte wählen Sie die CSV-Datei mit den Antworten aus. Die gewählte Datei ist leer.",
        )];
        return staffer
            .redirect_with(&state, &format!("{page}#fehler"), problems(errors, None))
            .await;
    };
    let outcome =
        state.staff.import_responses(&staffer.principal, id, &name, bytes, command).await?;
    let ignored_note = |ignored: &[String]| {
        if ignored.is_empty() {
            String::new()
        } else {
            let shown: Vec<&str> = ignored.iter().take(30).map(String::as_str).collect();
            let more = if ignored.len() > 30 {
                format!(" und {} weitere", ignored.len() - 30)
            } else {
                String::new()
            };
            format!(" Nicht übernommene Spalten: {}{more}.", shown.join(", "))
        }
    };
    let flash = match outcome {
        ResponseImportOutcome::Problems(list) => {
            let errors = list
                .into_iter()
                .map(|p| {
                    let message = if p.line == 0 { p.message } else { format!("Zeile {}: {}", p.line, p.message) };
                    FieldError::new(field::FILE, message)
                })
                .collect();
            let notice = "Es wurde nichts importiert. Bitte korrigieren Sie die Datei oder die Zuordnung und laden Sie sie erneut hoch.";
            return staffer.redirect_with(&state, &format!("{page}#fehler"), problems(errors, Some(notice.into()))).await;
        }
        ResponseImportOutcome::Checked { responses, incomplete, ignored_columns } => {
            let mut flash = Flash::problems("antworten", FormProblems { values: form.values(), errors: vec![] });
            flash.notice = Some(format!(
                "Die Datei ist in Ordnung: {responses} abgeschlossene Antworten können importiert werden; {incomplete} unvollständige (ohne Abschlussdatum) würden übersprungen.{} Noch wurde nichts importiert.",
                ignored_note(&ignored_columns)
            ));
            flash
        }
        ResponseImportOutcome::Imported { responses, incomplete, ignored_columns } => Flash::notice(format!(
            "{responses} abgeschlossene Antworten wurden importiert und zählen in der Auswertung; {incomplete} unvollständige (ohne Abschlussdatum) wurden übersprungen.{}",
            ignored_note(&ignored_columns)
        )),
    };
    staffer.redirect_with(&state, &page, flash).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_paths() {
        assert!(is_upload("/verwaltung/import"));
        assert!(is_upload("/verwaltung/fragebogen/12/antworten-import"));
        assert!(!is_upload("/verwaltung/fragebogen//antworten-import"));
        assert!(!is_upload("/verwaltung/fragebogen/x/antworten-import"));
        assert!(!is_upload("/verwaltung/import/3"));
    }
}

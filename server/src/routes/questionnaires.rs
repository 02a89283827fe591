//! The questionnaires: creating one, its status (draft, open, closed), a new version as copy,
//! and the builder's posts (head, themes, questions). Each goes back to the list or to the
//! builder's editor, at the part just changed or at the form's problems.

use crate::http::extract::{CsrfForm, Staffer};
use crate::http::{AppState, HttpError};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use backend::staff::FormOutcome;
use domain::builder::{HeadForm, PartAction, QuestionForm, StatusForm, ThemeForm};
use domain::form::unknown_action;
use domain::questionnaire::is_code;
use domain::waves::CopyForm;
use domain::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verwaltung/fragebogen", post(create_questionnaire))
        .route("/verwaltung/fragebogen/{id}", post(update_head))
        .route("/verwaltung/fragebogen/{id}/kopieren", post(copy_questionnaire))
        .route("/verwaltung/fragebogen/{id}/themen", post(add_theme))
        .route("/verwaltung/fragebogen/{id}/themen/{code}", post(theme_action))
        .route("/verwaltung/fragebogen/{id}/neue-frage", post(add_question))
        .route("/verwaltung/fragebogen/{id}/frage/{code}", post(question_action))
        .route("/verwaltung/fragebogen/{id}/status", post(set_questionnaire_status))
}

const LIST_PROBLEMS: &str = "/verwaltung/fragebogen#fehler";

/// The builder's editor of questionnaire `id`.
fn editor(id: i64) -> String {
    format!("/verwaltung/fragebogen/{id}")
}

/// The editor at the form problems.
fn editor_problems(id: i64) -> String {
    format!("{}#fehler", editor(id))
}

/// A theme or question code from the path; anything else names no part of a questionnaire.
fn known_code(code: &str) -> Result<(), HttpError> {
    if is_code(code) {
        Ok(())
    } else {
        Err(AppError::NotFound("Diesen Teil des Fragebogens gibt es nicht.".into()).into())
    }
}

async fn create_questionnaire(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm<HeadForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.create_questionnaire(&staffer.principal, &form).await;
    let done = |id| {
        let notice =
            "Der Fragebogen wurde als Entwurf angelegt. Legen Sie nun Themen und Fragen an.";
        (editor(id), notice)
    };
    staffer.settle(&state, outcome, done, || (LIST_PROBLEMS, "neu")).await
}

async fn set_questionnaire_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<StatusForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.set_questionnaire_status(&staffer.principal, id, &form).await;
    let done = |()| ("/verwaltung/fragebogen", "Der Status des Fragebogens wurde gespeichert.");
    staffer.settle(&state, outcome, done, || (LIST_PROBLEMS, format!("status-{id}"))).await
}

async fn copy_questionnaire(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<CopyForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.copy_as_new_version(&staffer.principal, id, &form).await;
    let done = |new_id| {
        let notice = "Die neue Version wurde als Entwurf und nächste Welle der Reihe angelegt. Sie können sie frei ändern und dann öffnen; die bisherige Version und ihre Antworten bleiben unverändert.";
        (editor(new_id), notice)
    };
    staffer.settle(&state, outcome, done, || (editor_problems(id), "kopie")).await
}

async fn update_head(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<HeadForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.update_head(&staffer.principal, id, &form).await;
    let done = |()| (editor(id), "Titel und Einleitung wurden gespeichert.");
    staffer.settle(&state, outcome, done, || (editor_problems(id), "kopf")).await
}

async fn add_theme(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<ThemeForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.add_theme(&staffer.principal, id, &form).await;
    let done = |code| (format!("{}#thema-{code}", editor(id)), "Das Thema wurde angelegt.");
    staffer.settle(&state, outcome, done, || (editor_problems(id), "thema-neu")).await
}

async fn theme_action(
    State(state): State<AppState>,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm { staffer, form }: CsrfForm<ThemeForm>,
) -> Result<Response, HttpError> {
    known_code(&code)?;
    let action = form.action.ok_or_else(unknown_action)?;
    let outcome = state.staff.theme_action(&staffer.principal, id, &code, action, &form).await;
    settle_part(&state, Part::Theme, id, &code, action, &staffer, outcome).await
}

async fn add_question(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<QuestionForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.add_question(&staffer.principal, id, &form).await;
    let done = |code| (format!("{}#frage-{code}", editor(id)), "Die Frage wurde angelegt.");
    let invalid = || {
        let theme = Some(form.theme.as_str()).filter(|t| is_code(t)).unwrap_or("");
        (format!("/verwaltung/fragebogen/{id}/neue-frage?thema={theme}#fehler"), "frage")
    };
    staffer.settle(&state, outcome, done, invalid).await
}

async fn question_action(
    State(state): State<AppState>,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm { staffer, form }: CsrfForm<QuestionForm>,
) -> Result<Response, HttpError> {
    known_code(&code)?;
    let action = form.action.ok_or_else(unknown_action)?;
    let outcome = state.staff.question_action(&staffer.principal, id, &code, action, &form).await;
    settle_part(&state, Part::Question, id, &code, action, &staffer, outcome).await
}

/// A part of the questionnaire that the editor saves, moves and deletes in place.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Theme,
    Question,
}

impl Part {
    /// The prefix of the part's anchor in the editor (and of a theme's own form).
    fn anchor(self) -> &'static str {
        match self {
            Part::Theme => "thema",
            Part::Question => "frage",
        }
    }

    fn notice(self, action: PartAction) -> &'static str {
        match (self, action) {
            (Part::Theme, PartAction::Delete) => "Das Thema wurde gelöscht.",
            (Part::Theme, PartAction::Save) => "Das Thema wurde gespeichert.",
            (Part::Theme, PartAction::Up | PartAction::Down) => "Das Thema wurde verschoben.",
            (Part::Question, PartAction::Delete) => "Die Frage wurde gelöscht.",
            (Part::Question, PartAction::Save) => "Die Frage wurde gespeichert.",
            (Part::Question, PartAction::Up | PartAction::Down) => "Die Frage wurde verschoben.",
        }
    }
}

/// Where saving, moving or deleting a theme or a question leads. Done, the editor shows the
/// part where it now stands (a deleted one: the editor's top).
async fn settle_part(
    state: &AppState,
    part: Part,
    id: i64,
    code: &str,
    action: PartAction,
    staffer: &Staffer,
    outcome: Result<FormOutcome<String>, AppError>,
) -> Result<Response, HttpError> {
    let done = |code_after| {
        let anchor = match action {
            PartAction::Delete => String::new(),
            _ => format!("#{}-{code_after}", part.anchor()),
        };
        (format!("{}{anchor}", editor(id)), part.notice(action))
    };
    // Saving comes from the part's own form (a question's own page); moving and deleting
    // from the editor's buttons.
    let invalid = || match (part, action) {
        (Part::Theme, PartAction::Save) => (editor_problems(id), format!("thema-{code}")),
        (Part::Question, PartAction::Save) => {
            (format!("/verwaltung/fragebogen/{id}/frage/{code}#fehler"), "frage".to_string())
        }
        _ => (editor_problems(id), "editor".to_string()),
    };
    staffer.settle(state, outcome, done, invalid).await
}

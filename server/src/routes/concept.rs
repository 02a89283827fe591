//! The integration concept's form posts: a theme's introduction, evidence taken over from the
//! dashboards, findings, goals, measures with their notes and indicators. Each post goes back
//! to the page it came from, with its notice or its form's problems.

use crate::http::extract::{one_problem, CsrfForm, Staffer};
use crate::http::{AppState, HttpError};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use backend::concept::Item;
use domain::concept::{
    EvidenceForm, FindingForm, GoalForm, IndicatorForm, IndicatorValueForm, IntroductionForm,
    MeasureForm, NoteForm,
};
use domain::staff::Flash;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/konzept/integrationskonzept.docx", get(concept_docx))
        .route("/konzept/{thema}/einleitung", post(save_introduction))
        .route("/konzept/belege", post(take_heat_evidence))
        .route("/konzept/{thema}/belege", post(take_evidence))
        .route("/konzept/{thema}/belege/{id}/loeschen", post(delete_evidence))
        .route("/konzept/{thema}/befunde", post(add_finding))
        .route("/konzept/{thema}/befunde/{id}", post(edit_finding))
        .route("/konzept/{thema}/befunde/{id}/loeschen", post(delete_finding))
        .route("/konzept/{thema}/ziele", post(add_goal))
        .route("/konzept/{thema}/ziele/{id}", post(edit_goal))
        .route("/konzept/{thema}/ziele/{id}/loeschen", post(delete_goal))
        .route("/konzept/{thema}/massnahmen", post(add_measure))
        .route("/konzept/{thema}/massnahmen/{id}", post(edit_measure))
        .route("/konzept/{thema}/massnahmen/{id}/loeschen", post(delete_measure))
        .route("/konzept/{thema}/massnahmen/{id}/notizen", post(add_note))
        .route("/konzept/{thema}/massnahmen/{id}/indikatoren", post(add_indicator))
        .route("/konzept/{thema}/massnahmen/{id}/indikatoren/{indikator}", post(edit_indicator))
        .route(
            "/konzept/{thema}/massnahmen/{id}/indikatoren/{indikator}/loeschen",
            post(delete_indicator),
        )
        .route("/konzept/{thema}/massnahmen/{id}/indikatoren/{indikator}/werte", post(add_value))
}

fn workspace(theme: &str) -> String {
    format!("/konzept/{theme}")
}

fn measure_page(theme: &str, id: i64) -> String {
    format!("/konzept/{theme}/massnahme/{id}")
}

/// A delete: the revision the page showed, so that nothing newer is deleted unseen.
#[derive(Deserialize)]
struct Revision {
    #[serde(default, deserialize_with = "domain::form::number")]
    revision: Option<i64>,
}

async fn save_introduction(
    State(state): State<AppState>,
    Path(theme): Path<String>,
    CsrfForm { staffer, form }: CsrfForm<IntroductionForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_introduction(&staffer.principal, &theme, &form).await;
    let back = workspace(&theme);
    let done = |_| (format!("{back}#einleitung"), "Die Einleitung wurde gespeichert.");
    staffer.settle(&state, outcome, done, || (format!("{back}#fehler"), "einleitung")).await
}

/// A heat-map cell, its theme chosen in the form.
async fn take_heat_evidence(
    state: State<AppState>,
    CsrfForm { staffer, form }: CsrfForm<EvidenceForm>,
) -> Result<Response, HttpError> {
    let theme = form.thema.clone();
    take_evidence(state, Path(theme), CsrfForm { staffer, form }).await
}

/// Takes over a dashboard figure; a figure the page withholds goes back to the dashboard with
/// the reason.
async fn take_evidence(
    State(state): State<AppState>,
    Path(theme): Path<String>,
    CsrfForm { staffer, mut form }: CsrfForm<EvidenceForm>,
) -> Result<Response, HttpError> {
    form.thema = theme.clone();
    match state.staff.take_evidence(&staffer.principal, &form).await? {
        Ok(id) => {
            let notice = "Der Wert wurde als Beleg übernommen. Sie können ihn jetzt in einem Befund oder als Ausgangswert eines Indikators nennen.";
            let to = format!("{}#beleg-{id}", workspace(&theme));
            staffer.redirect_with(&state, &to, Flash::notice(notice)).await
        }
        Err(refused) => {
            let back = if form.frage.is_empty() {
                format!("/auswertung?fragebogen={}", form.fragebogen)
            } else {
                let mut to = format!("/auswertung/{theme}?fragebogen={}", form.fragebogen);
                if !form.ansicht.is_empty() {
                    to.push('&');
                    to.push_str(&form.ansicht);
                }
                to
            };
            let flash = one_problem("beleg", "fehler", refused.message());
            staffer.redirect_with(&state, &back, flash).await
        }
    }
}

async fn delete_evidence(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, .. }: CsrfForm<Revision>,
) -> Result<Response, HttpError> {
    let back = format!("{}#belege", workspace(&theme));
    let flash = if state.staff.delete_evidence(&staffer.principal, &theme, id).await? {
        Flash::notice("Der Beleg wurde gelöscht.")
    } else {
        one_problem(
            "belege",
            format!("beleg-{id}"),
            "Der Beleg wird noch in einem Befund oder Indikator genannt und bleibt deshalb erhalten.",
        )
    };
    staffer.redirect_with(&state, &back, flash).await
}

async fn add_finding(
    State(state): State<AppState>,
    Path(theme): Path<String>,
    CsrfForm { staffer, form }: CsrfForm<FindingForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_finding(&staffer.principal, &theme, None, &form).await;
    let back = workspace(&theme);
    let done = |id| (format!("{back}#befund-{id}"), "Der Befund wurde gespeichert.");
    staffer.settle(&state, outcome, done, || (format!("{back}#fehler"), "befund-neu")).await
}

async fn edit_finding(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<FindingForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_finding(&staffer.principal, &theme, Some(id), &form).await;
    let back = workspace(&theme);
    let done = |id| (format!("{back}#befund-{id}"), "Der Befund wurde geändert.");
    let invalid = || (format!("{back}#fehler"), format!("befund-{id}"));
    staffer.settle(&state, outcome, done, invalid).await
}

async fn add_goal(
    State(state): State<AppState>,
    Path(theme): Path<String>,
    CsrfForm { staffer, form }: CsrfForm<GoalForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_goal(&staffer.principal, &theme, None, &form).await;
    let back = workspace(&theme);
    let done = |id| (format!("{back}#ziel-{id}"), "Das Ziel wurde gespeichert.");
    staffer.settle(&state, outcome, done, || (format!("{back}#fehler"), "ziel-neu")).await
}

async fn edit_goal(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<GoalForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_goal(&staffer.principal, &theme, Some(id), &form).await;
    let back = workspace(&theme);
    let done = |id| (format!("{back}#ziel-{id}"), "Das Ziel wurde geändert.");
    let invalid = || (format!("{back}#fehler"), format!("ziel-{id}"));
    staffer.settle(&state, outcome, done, invalid).await
}

async fn add_measure(
    State(state): State<AppState>,
    Path(theme): Path<String>,
    CsrfForm { staffer, form }: CsrfForm<MeasureForm>,
) -> Result<Response, HttpError> {
    let goal = form.goal.clone();
    let outcome = state.staff.save_measure(&staffer.principal, &theme, None, &form).await;
    let done = |id| (measure_page(&theme, id), "Die Maßnahme wurde angelegt.");
    let invalid =
        || (format!("/konzept/{theme}/massnahme/neu?ziel={}#fehler", goal.trim()), "massnahme");
    staffer.settle(&state, outcome, done, invalid).await
}

async fn edit_measure(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<MeasureForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_measure(&staffer.principal, &theme, Some(id), &form).await;
    let done = |id| (measure_page(&theme, id), "Die Maßnahme wurde gespeichert.");
    let invalid = || (format!("{}#fehler", measure_page(&theme, id)), "massnahme");
    staffer.settle(&state, outcome, done, invalid).await
}

async fn add_note(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<NoteForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.add_note(&staffer.principal, &theme, id, &form).await;
    let page = measure_page(&theme, id);
    let done = |_| (format!("{page}#verlauf"), "Der Fortschritt wurde notiert.");
    staffer.settle(&state, outcome, done, || (format!("{page}#fehler"), "notiz")).await
}

async fn add_indicator(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<IndicatorForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.save_indicator(&staffer.principal, &theme, id, None, &form).await;
    let page = measure_page(&theme, id);
    let done = |_| (format!("{page}#indikatoren"), "Der Indikator wurde angelegt.");
    staffer.settle(&state, outcome, done, || (format!("{page}#fehler"), "indikator-neu")).await
}

async fn edit_indicator(
    State(state): State<AppState>,
    Path((theme, id, indicator)): Path<(String, i64, i64)>,
    CsrfForm { staffer, form }: CsrfForm<IndicatorForm>,
) -> Result<Response, HttpError> {
    let principal = &staffer.principal;
    let outcome = state.staff.save_indicator(principal, &theme, id, Some(indicator), &form).await;
    let page = measure_page(&theme, id);
    let done = |_| (format!("{page}#indikator-{indicator}"), "Der Indikator wurde geändert.");
    let invalid = || (format!("{page}#fehler"), format!("indikator-{indicator}"));
    staffer.settle(&state, outcome, done, invalid).await
}

async fn add_value(
    State(state): State<AppState>,
    Path((theme, id, indicator)): Path<(String, i64, i64)>,
    CsrfForm { staffer, form }: CsrfForm<IndicatorValueForm>,
) -> Result<Response, HttpError> {
    let principal = &staffer.principal;
    let outcome = state.staff.add_indicator_value(principal, &theme, id, indicator, &form).await;
    let page = measure_page(&theme, id);
    let done = |_| (format!("{page}#indikator-{indicator}"), "Der Wert wurde erfasst.");
    let invalid = || (format!("{page}#fehler"), format!("wert-{indicator}"));
    staffer.settle(&state, outcome, done, invalid).await
}

/// Deletes an item and goes back to `back`, or says there why it stays.
async fn delete(
    state: &AppState,
    staffer: &crate::http::extract::Staffer,
    (theme, item, id, revision): (&str, Item, i64, i64),
    back: String,
    deleted: &str,
) -> Result<Response, HttpError> {
    let outcome =
        state.staff.delete_concept_item(&staffer.principal, theme, item, id, revision).await?;
    let flash = match outcome {
        Ok(()) => Flash::notice(deleted),
        Err(reason) => one_problem("loeschen", "fehler", reason),
    };
    staffer.redirect_with(state, &back, flash).await
}

async fn delete_finding(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<Revision>,
) -> Result<Response, HttpError> {
    let target = (theme.as_str(), Item::Finding, id, form.revision.unwrap_or(0));
    let back = format!("{}#befunde", workspace(&theme));
    delete(&state, &staffer, target, back, "Der Befund wurde gelöscht.").await
}

async fn delete_goal(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<Revision>,
) -> Result<Response, HttpError> {
    let target = (theme.as_str(), Item::Goal, id, form.revision.unwrap_or(0));
    let back = format!("{}#ziele", workspace(&theme));
    delete(&state, &staffer, target, back, "Das Ziel wurde gelöscht.").await
}

async fn delete_measure(
    State(state): State<AppState>,
    Path((theme, id)): Path<(String, i64)>,
    CsrfForm { staffer, form }: CsrfForm<Revision>,
) -> Result<Response, HttpError> {
    let target = (theme.as_str(), Item::Measure, id, form.revision.unwrap_or(0));
    let back = format!("{}#ziele", workspace(&theme));
    delete(&state, &staffer, target, back, "Die Maßnahme wurde gelöscht.").await
}

async fn delete_indicator(
    State(state): State<AppState>,
    Path((theme, id, indicator)): Path<(String, i64, i64)>,
    CsrfForm { staffer, form }: CsrfForm<Revision>,
) -> Result<Response, HttpError> {
    let target = (theme.as_str(), Item::Indicator, indicator, form.revision.unwrap_or(0));
    let back = format!("{}#indikatoren", measure_page(&theme, id));
    delete(&state, &staffer, target, back, "Der Indikator wurde gelöscht.").await
}

/// The concept as a Word file to finish the council paper in an office suite.
async fn concept_docx(
    staffer: Staffer,
    State(state): State<AppState>,
) -> Result<Response, HttpError> {
    let bytes = state.staff.concept_docx(&staffer.principal).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"integrationskonzept.docx\""),
    );
    Ok(response)
}

//! Invitation links for chosen organisations: as a mail-merge file, or sent by e-mail; and
//! reminders to those who have not answered yet. A round of mails runs on its own task, so that
//! it and its record finish even if the browser stops waiting.

use crate::http::extract::{one_problem, CsrfForm, Staffer};
use crate::http::{AppState, HttpError};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use backend::invitations::{invitation_csv, MailReport};
use backend::staff::Staff;
use domain::invitations::{InvitationForm, ReminderForm};
use domain::staff::{Flash, FormProblems, Principal};
use domain::validation::FieldError;
use domain::AppError;
use std::future::Future;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verwaltung/fragebogen/{id}/einladungen", post(issue_invitations))
        .route("/verwaltung/fragebogen/{id}/einladungen/email", post(mail_invitations))
        .route("/verwaltung/fragebogen/{id}/erinnerungen", post(mail_reminders))
}

async fn issue_invitations(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<InvitationForm>,
) -> Result<Response, HttpError> {
    let chosen = form.organisations;
    let links = match state.staff.issue_invitations(&staffer.principal, id, &chosen).await {
        Ok(links) => links,
        Err(AppError::BadRequest(message)) => {
            let flash = one_problem("einladungen", format!("einladen-{id}"), message);
            return staffer.redirect_with(&state, "/verwaltung/organisationen#fehler", flash).await;
        }
        Err(e) => return Err(e.into()),
    };
    let bytes = invitation_csv(&links)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"einladungslinks.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

async fn mail_invitations(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<InvitationForm>,
) -> Result<Response, HttpError> {
    let chosen = form.organisations;
    let result = MailResult {
        back: "/verwaltung/organisationen".into(),
        form: "einladungen-email",
        field_id: format!("einladen-email-{id}"),
        reminders: false,
    };
    mail_round(&state, &staffer, result, move |staff, principal| async move {
        staff.mail_invitations(&principal, id, &chosen).await
    })
    .await
}

async fn mail_reminders(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<ReminderForm>,
) -> Result<Response, HttpError> {
    let chosen = form.responses;
    let result = MailResult {
        back: format!("/verwaltung?fragebogen={id}"),
        form: "erinnerungen",
        field_id: "erinnern".into(),
        reminders: true,
    };
    mail_round(&state, &staffer, result, move |staff, principal| async move {
        staff.mail_reminders(&principal, id, &chosen).await
    })
    .await
}

/// Where the result of a round of mails goes: the page `back`, the problems of its form `form`
/// at the field `field_id`; `reminders` words the summary.
struct MailResult {
    back: String,
    form: &'static str,
    field_id: String,
    reminders: bool,
}

impl MailResult {
    /// The summary as notice, each mail that did not go out as a problem of the form (shown
    /// by the page's mail result).
    fn flash(&self, report: &MailReport) -> Flash {
        let errors = report
            .failure_lines()
            .into_iter()
            .map(|line| FieldError::new(self.field_id.as_str(), line))
            .collect();
        let mut flash = Flash::problems(self.form, FormProblems { values: vec![], errors });
        flash.notice = Some(report.summary(self.reminders));
        flash
    }
}

/// Sends a round of mails (`round`, given the staff's use cases and the signed-in user) on its
/// own task: the round and its record finish even if the page gives up waiting, and the result
/// waits in the session's flash for the next page.
async fn mail_round<R, F>(
    state: &AppState,
    staffer: &Staffer,
    result: MailResult,
    round: R,
) -> Result<Response, HttpError>
where
    R: FnOnce(Staff, Principal) -> F,
    F: Future<Output = Result<MailReport, AppError>> + Send + 'static,
{
    let round = round(state.staff.clone(), staffer.principal.clone());
    let staff = state.staff.clone();
    let token = staffer.token.clone();
    let back = result.back.clone();
    let task = tokio::spawn(async move {
        let flash = match round.await {
            Ok(report) => result.flash(&report),
            Err(AppError::BadRequest(message)) => {
                one_problem(result.form, result.field_id, message)
            }
            Err(e) => return Err(e),
        };
        staff.set_flash(&token, &flash).await?;
        Ok(flash.problems.errors.is_empty())
    });
    let no_problems = task.await.map_err(AppError::internal)??;
    let to = if no_problems { back } else { format!("{back}#fehler") };
    Ok(Redirect::to(&to).into_response())
}

//! Form posts of the KI's staff: sign-in and sign-out, password, accounts, organisations and
//! their import, invitation links, questionnaire status, single responses. Each handler
//! authenticates the session, checks the form's CSRF token and hands over to
//! [`backend::staff::Staff`], which checks the role. Problems travel to the page in the
//! session's flash (post, redirect, get), so that every form works without JavaScript.

use crate::web::{error_response, AppState};
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, Request, State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use backend::invitations::{invitation_csv, MailReport};
use backend::organisations::import::MAX_IMPORT_BYTES;
use backend::staff::{FormOutcome, SESSION_MAX_MS};
use domain::staff::{Flash, FormProblems, Principal};
use domain::validation::FieldError;
use domain::AppError;
use std::net::SocketAddr;

use app::admin_fns::SESSION_COOKIE;

type Fields = Vec<(String, String)>;

const INCOMPLETE_UPLOAD: &str =
    "Die Datei konnte nicht vollständig übertragen werden. Höchstens 5 MB sind möglich.";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/anmelden", post(login))
        .route("/abmelden", post(logout))
        .route("/konto/passwort", post(change_password))
        .route("/verwaltung/konten", post(create_account))
        .route("/verwaltung/konten/{id}", post(update_account))
        .route("/verwaltung/organisationen", post(create_organisation))
        .route(
            "/verwaltung/organisationen/import",
            // Above the import's own limit, so that a too large file gets its clear message.
            post(import_organisations).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES * 3)),
        )
        .route("/verwaltung/fragebogen", post(create_questionnaire))
        .route("/verwaltung/fragebogen/{id}", post(update_head))
        .route("/verwaltung/fragebogen/{id}/kopieren", post(copy_questionnaire))
        .route("/verwaltung/fragebogen/{id}/themen", post(add_theme))
        .route("/verwaltung/fragebogen/{id}/themen/{code}", post(theme_action))
        .route("/verwaltung/fragebogen/{id}/neue-frage", post(add_question))
        .route("/verwaltung/fragebogen/{id}/frage/{code}", post(question_action))
        .route("/verwaltung/fragebogen/{id}/einladungen", post(issue_invitations))
        .route("/verwaltung/fragebogen/{id}/einladungen/email", post(mail_invitations))
        .route("/verwaltung/fragebogen/{id}/erinnerungen", post(mail_reminders))
        .route("/verwaltung/fragebogen/{id}/status", post(set_questionnaire_status))
        .route("/verwaltung/antworten/{id}", post(act_on_response))
}

/// The session cookie's value, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(app::admin_fns::session_token_in)
}

fn session_cookie(value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A signed-in user (the session is checked; a form's CSRF token is checked by [`CsrfForm`]).
pub struct Staffer {
    pub principal: Principal,
    pub token: String,
}

impl FromRequestParts<AppState> for Staffer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers);
        match state.staff.authenticate(token.as_deref()).await {
            Ok(principal) => Ok(Staffer { principal, token: token.unwrap_or_default() }),
            Err(AppError::Unauthenticated) => {
                Err(Redirect::to("/anmelden?abgelaufen=1").into_response())
            }
            Err(e) => Err(error_response(e)),
        }
    }
}

/// A staff form post: the signed-in user and the form's fields, whose synchroniser token
/// (`csrf`) matched the session's. Handlers that take it never see a forged form.
pub struct CsrfForm {
    pub staffer: Staffer,
    pub form: Fields,
}

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let staffer = Staffer::from_request_parts(&mut parts, state).await?;
        let Form(form) = Form::<Fields>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        match staffer.refuse_without_token(&form) {
            Some(refusal) => Err(refusal),
            None => Ok(Self { staffer, form }),
        }
    }
}

impl Staffer {
    /// The synchroniser token against cross-site request forgery, on top of the origin check.
    fn refuse_without_token(&self, form: &[(String, String)]) -> Option<Response> {
        let sent = form.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
        if !sent.is_empty() && sent == self.principal.csrf {
            None
        } else {
            tracing::warn!(account = self.principal.account_id, "form without valid CSRF token");
            Some(error_response(AppError::Forbidden(
                "Das Formular ist veraltet oder kam nicht von dieser Website. Bitte laden Sie die Seite neu und senden Sie es noch einmal.".into(),
            )))
        }
    }

    /// Leaves `flash` for the next page and redirects there.
    pub(crate) async fn redirect_with(&self, state: &AppState, to: &str, flash: Flash) -> Response {
        match state.staff.set_flash(&self.token, &flash).await {
            Ok(()) => Redirect::to(to).into_response(),
            Err(e) => error_response(e),
        }
    }
}

/// Only paths of this site, so that the sign-in cannot be used to send people elsewhere.
/// Strict: browsers drop tabs and line breaks and read `\\` as `/`, so `/\t/evil.example`
/// would be another host; anything but a plain local path goes to the administration.
pub(crate) fn local_path(to: &str) -> &str {
    let mut chars = to.chars();
    let local = chars.next() == Some('/')
        && chars.next() != Some('/')
        && !to.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local {
        to
    } else {
        "/verwaltung"
    }
}

fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<Fields>,
) -> Response {
    let email = field(&form, "email");
    let next = local_path(field(&form, "weiter")).to_string();
    match state.staff.login(email, field(&form, "passwort"), peer.ip()).await {
        Ok(session) => {
            // Members have no administration to land in: their dashboards instead.
            let next =
                if session.role == domain::staff::Role::Member && next.starts_with("/verwaltung") {
                    "/auswertung"
                } else {
                    &next
                };
            let mut response = Redirect::to(next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(&session.token, SESSION_MAX_MS / 1000, state.secure_cookies),
            );
            response
        }
        Err(error @ (AppError::BadRequest(_) | AppError::TooManyRequests)) => {
            let status = if error == AppError::TooManyRequests {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            (
                status,
                axum::response::Html(app::pages::login::login_document(
                    email,
                    &next,
                    &error.to_string(),
                )),
            )
                .into_response()
        }
        Err(e) => error_response(e),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        if let Err(e) = state.staff.logout(&token).await {
            return error_response(e);
        }
    }
    let mut response = Redirect::to("/anmelden?abgemeldet=1").into_response();
    response.headers_mut().insert(header::SET_COOKIE, session_cookie("", 0, state.secure_cookies));
    response
}

async fn change_password(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.change_password(&staffer.principal, &staffer.token, &form).await {
        Ok(FormOutcome::Done(())) => staffer
            .redirect_with(
                &state,
                "/konto/passwort",
                Flash::notice(
                    "Ihr Passwort wurde geändert. Andere Sitzungen Ihres Kontos wurden beendet.",
                ),
            )
            .await,
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    "/konto/passwort#fehler",
                    Flash::problems("passwort", problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn create_account(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.create_account(&staffer.principal, &form).await {
        Ok(FormOutcome::Done(_)) => {
            let notice = format!(
                "Das Konto für {} wurde angelegt.",
                field(&form, "email").trim().to_lowercase()
            );
            staffer.redirect_with(&state, "/verwaltung/konten", Flash::notice(notice)).await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    "/verwaltung/konten#fehler",
                    Flash::problems("konto-neu", problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn update_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.update_account(&staffer.principal, id, &form).await {
        Ok(FormOutcome::Done(())) => {
            staffer
                .redirect_with(
                    &state,
                    &format!("/verwaltung/konten#konto-{id}"),
                    Flash::notice("Das Konto wurde gespeichert."),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    "/verwaltung/konten#fehler",
                    Flash::problems(format!("konto-{id}"), problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn create_organisation(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.create_organisation(&staffer.principal, &form).await {
        Ok(FormOutcome::Done(_)) => {
            staffer
                .redirect_with(
                    &state,
                    "/verwaltung/organisationen",
                    Flash::notice("Die Organisation wurde aufgenommen."),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    "/verwaltung/organisationen#fehler",
                    Flash::problems("organisation-neu", problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn import_organisations(
    State(state): State<AppState>,
    staffer: Staffer,
    mut multipart: Multipart,
) -> Response {
    let mut csrf = String::new();
    let mut file: Option<Vec<u8>> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or("").to_string();
                match part.bytes().await {
                    Ok(bytes) if name == "csrf" => {
                        csrf = String::from_utf8_lossy(&bytes).into_owned()
                    }
                    Ok(bytes) if name == "datei" => file = Some(bytes.to_vec()),
                    Ok(_) => {}
                    Err(_) => return import_problem(&state, &staffer, INCOMPLETE_UPLOAD).await,
                }
            }
            Ok(None) => break,
            Err(_) => return import_problem(&state, &staffer, INCOMPLETE_UPLOAD).await,
        }
    }
    if let Some(refusal) = staffer.refuse_without_token(&[("csrf".to_string(), csrf)]) {
        return refusal;
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return import_problem(
            &state,
            &staffer,
            "Bitte wählen Sie eine CSV-Datei aus. Die gewählte Datei ist leer.",
        )
        .await;
    };
    match state.staff.import_organisations(&staffer.principal, &bytes).await {
        Ok(Ok(n)) => {
            let notice = if n == 1 {
                "1 Organisation wurde importiert.".to_string()
            } else {
                format!("{n} Organisationen wurden importiert.")
            };
            staffer.redirect_with(&state, "/verwaltung/organisationen", Flash::notice(notice)).await
        }
        Ok(Err(problems)) => {
            let errors = problems
                .into_iter()
                .map(|p| {
                    let message = if p.line == 0 {
                        p.message
                    } else {
                        format!("Zeile {}: {}", p.line, p.message)
                    };
                    FieldError::new("datei", message)
                })
                .collect();
            let mut flash = Flash::problems("import", FormProblems { values: vec![], errors });
            flash.notice = Some("Es wurde nichts importiert. Bitte korrigieren Sie die Datei und laden Sie sie erneut hoch.".into());
            staffer.redirect_with(&state, "/verwaltung/organisationen#fehler", flash).await
        }
        Err(e) => error_response(e),
    }
}

async fn import_problem(state: &AppState, staffer: &Staffer, message: &str) -> Response {
    let flash = Flash::problems(
        "import",
        FormProblems { values: vec![], errors: vec![FieldError::new("datei", message)] },
    );
    staffer.redirect_with(state, "/verwaltung/organisationen#fehler", flash).await
}

async fn issue_invitations(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    let chosen: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "organisation")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match state.staff.issue_invitations(&staffer.principal, id, &chosen).await {
        Ok(links) => match invitation_csv(&links) {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"einladungslinks.csv\""),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => error_response(e),
        },
        Err(AppError::BadRequest(message)) => {
            let flash = Flash::problems(
                "einladungen",
                FormProblems {
                    values: vec![],
                    errors: vec![FieldError::new(format!("einladen-{id}"), message)],
                },
            );
            staffer.redirect_with(&state, "/verwaltung/organisationen#fehler", flash).await
        }
        Err(e) => error_response(e),
    }
}

/// The flash after a round of mails: the summary as notice, each mail that did not go out as
/// a problem of the form `form` (shown by the page's mail result).
fn mail_flash(form: &str, field_id: &str, report: &MailReport, reminders: bool) -> Flash {
    let errors =
        report.failure_lines().into_iter().map(|line| FieldError::new(field_id, line)).collect();
    let mut flash = Flash::problems(form, FormProblems { values: vec![], errors });
    flash.notice = Some(report.summary(reminders));
    flash
}

/// Sends a round of mails on its own task: the round and its record finish even if the page
/// gives up waiting, and the result waits in the session's flash for the next page.
async fn mail_round<F>(
    state: &AppState,
    staffer: &Staffer,
    back: String,
    form: &'static str,
    field_id: String,
    reminders: bool,
    round: F,
) -> Response
where
    F: std::future::Future<Output = Result<MailReport, AppError>> + Send + 'static,
{
    let staff = state.staff.clone();
    let token = staffer.token.clone();
    let task = tokio::spawn(async move {
        let flash = match round.await {
            Ok(report) => mail_flash(form, &field_id, &report, reminders),
            Err(AppError::BadRequest(message)) => Flash::problems(
                form,
                FormProblems { values: vec![], errors: vec![FieldError::new(field_id, message)] },
            ),
            Err(e) => return Err(e),
        };
        staff.set_flash(&token, &flash).await?;
        Ok(flash.problems.errors.is_empty())
    });
    match task.await {
        Ok(Ok(true)) => Redirect::to(&back).into_response(),
        Ok(Ok(false)) => Redirect::to(&format!("{back}#fehler")).into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(AppError::internal(e)),
    }
}

async fn mail_invitations(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    let chosen: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "organisation")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let (staff, principal) = (state.staff.clone(), staffer.principal.clone());
    let round = async move { staff.mail_invitations(&principal, id, &chosen).await };
    mail_round(
        &state,
        &staffer,
        "/verwaltung/organisationen".into(),
        "einladungen-email",
        format!("einladen-email-{id}"),
        false,
        round,
    )
    .await
}

async fn mail_reminders(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    let chosen: Vec<i64> =
        form.iter().filter(|(k, _)| k == "antwort").filter_map(|(_, v)| v.parse().ok()).collect();
    let (staff, principal) = (state.staff.clone(), staffer.principal.clone());
    let round = async move { staff.mail_reminders(&principal, id, &chosen).await };
    mail_round(
        &state,
        &staffer,
        format!("/verwaltung?fragebogen={id}"),
        "erinnerungen",
        "erinnern".into(),
        true,
        round,
    )
    .await
}

async fn set_questionnaire_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.set_questionnaire_status(&staffer.principal, id, &form).await {
        Ok(FormOutcome::Done(())) => {
            staffer
                .redirect_with(
                    &state,
                    "/verwaltung/fragebogen",
                    Flash::notice("Der Status des Fragebogens wurde gespeichert."),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    "/verwaltung/fragebogen#fehler",
                    Flash::problems(format!("status-{id}"), problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

// ---- The questionnaire builder ----

fn editor(id: i64) -> String {
    format!("/verwaltung/fragebogen/{id}")
}

async fn create_questionnaire(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.create_questionnaire(&staffer.principal, &form).await {
        Ok(FormOutcome::Done(id)) => {
            staffer.redirect_with(&state, &editor(id), Flash::notice("Der Fragebogen wurde als Entwurf angelegt. Legen Sie nun Themen und Fragen an.")).await
        }
        Ok(FormOutcome::Invalid(problems)) => staffer.redirect_with(&state, "/verwaltung/fragebogen#fehler", Flash::problems("neu", problems)).await,
        Err(e) => error_response(e),
    }
}

async fn update_head(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.update_head(&staffer.principal, id, &form).await {
        Ok(FormOutcome::Done(())) => {
            staffer
                .redirect_with(
                    &state,
                    &editor(id),
                    Flash::notice("Titel und Einleitung wurden gespeichert."),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    &format!("{}#fehler", editor(id)),
                    Flash::problems("kopf", problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn copy_questionnaire(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, .. }: CsrfForm,
) -> Response {
    match state.staff.copy_as_new_version(&staffer.principal, id).await {
        Ok(new_id) => {
            let notice = "Die neue Version wurde als Entwurf angelegt. Sie können sie frei ändern und dann öffnen; die bisherige Version und ihre Antworten bleiben unverändert.";
            staffer.redirect_with(&state, &editor(new_id), Flash::notice(notice)).await
        }
        Err(e) => error_response(e),
    }
}

async fn add_theme(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.add_theme(&staffer.principal, id, &form).await {
        Ok(FormOutcome::Done(code)) => {
            staffer
                .redirect_with(
                    &state,
                    &format!("{}#thema-{code}", editor(id)),
                    Flash::notice("Das Thema wurde angelegt."),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    &format!("{}#fehler", editor(id)),
                    Flash::problems("thema-neu", problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn theme_action(
    State(state): State<AppState>,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    if !domain::questionnaire::is_code(&code) {
        return error_response(AppError::NotFound(
            "Diesen Teil des Fragebogens gibt es nicht.".into(),
        ));
    }
    match state.staff.theme_action(&staffer.principal, id, &code, &form).await {
        Ok(FormOutcome::Done(code_after)) => {
            let (notice, anchor) = match field(&form, "aktion") {
                "loeschen" => ("Das Thema wurde gelöscht.", String::new()),
                "speichern" => ("Das Thema wurde gespeichert.", format!("#thema-{code_after}")),
                _ => ("Das Thema wurde verschoben.", format!("#thema-{code_after}")),
            };
            staffer
                .redirect_with(&state, &format!("{}{anchor}", editor(id)), Flash::notice(notice))
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            let form_name = if field(&form, "aktion") == "speichern" {
                format!("thema-{code}")
            } else {
                "editor".to_string()
            };
            staffer
                .redirect_with(
                    &state,
                    &format!("{}#fehler", editor(id)),
                    Flash::problems(form_name, problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn add_question(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    match state.staff.add_question(&staffer.principal, id, &form).await {
        Ok(FormOutcome::Done(code)) => {
            staffer
                .redirect_with(
                    &state,
                    &format!("{}#frage-{code}", editor(id)),
                    Flash::notice("Die Frage wurde angelegt."),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            let theme = Some(field(&form, "thema"))
                .filter(|t| domain::questionnaire::is_code(t))
                .unwrap_or("");
            let back = format!("/verwaltung/fragebogen/{id}/neue-frage?thema={theme}#fehler");
            staffer.redirect_with(&state, &back, Flash::problems("frage", problems)).await
        }
        Err(e) => error_response(e),
    }
}

async fn question_action(
    State(state): State<AppState>,
    Path((id, code)): Path<(i64, String)>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    if !domain::questionnaire::is_code(&code) {
        return error_response(AppError::NotFound(
            "Diesen Teil des Fragebogens gibt es nicht.".into(),
        ));
    }
    let action = field(&form, "aktion");
    match state.staff.question_action(&staffer.principal, id, &code, &form).await {
        Ok(FormOutcome::Done(code_after)) => {
            let (notice, anchor) = match action {
                "loeschen" => ("Die Frage wurde gelöscht.", String::new()),
                "speichern" => ("Die Frage wurde gespeichert.", format!("#frage-{code_after}")),
                _ => ("Die Frage wurde verschoben.", format!("#frage-{code_after}")),
            };
            staffer
                .redirect_with(&state, &format!("{}{anchor}", editor(id)), Flash::notice(notice))
                .await
        }
        Ok(FormOutcome::Invalid(problems)) if action == "speichern" => {
            staffer
                .redirect_with(
                    &state,
                    &format!("/verwaltung/fragebogen/{id}/frage/{code}#fehler"),
                    Flash::problems("frage", problems),
                )
                .await
        }
        Ok(FormOutcome::Invalid(problems)) => {
            staffer
                .redirect_with(
                    &state,
                    &format!("{}#fehler", editor(id)),
                    Flash::problems("editor", problems),
                )
                .await
        }
        Err(e) => error_response(e),
    }
}

async fn act_on_response(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm,
) -> Response {
    let action = field(&form, "aktion");
    if action == "loeschen" && field(&form, "bestaetigt") != "1" {
        return Redirect::to(&format!("/verwaltung/antworten/{id}/loeschen")).into_response();
    }
    match state.staff.act_on_response(&staffer.principal, id, action).await {
        Ok(questionnaire_id) => {
            let notice = match action {
                "wieder-oeffnen" => format!("Antwort Nr. {id} ist wieder geöffnet; über ihren Link kann sie geändert und erneut abgeschickt werden."),
                "zurueckziehen" => format!("Der Link der Antwort Nr. {id} wurde zurückgezogen."),
                "freigeben" => format!("Antwort Nr. {id} ist freigegeben und zählt in den Auswertungen."),
                "ablehnen" => format!("Antwort Nr. {id} zählt nicht in den Auswertungen."),
                _ => format!("Antwort Nr. {id} wurde gelöscht."),
            };
            let back = match action {
                "freigeben" | "ablehnen" => format!("/verwaltung/antworten/{id}"),
                _ => format!("/verwaltung?fragebogen={questionnaire_id}"),
            };
            staffer.redirect_with(&state, &back, Flash::notice(notice)).await
        }
        Err(e) => error_response(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; ba_sitzung=abc; b=2"));
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        assert_eq!(session_token(&HeaderMap::new()), None);
    }

    #[test]
    fn only_local_redirects() {
        assert_eq!(local_path("/verwaltung/konten"), "/verwaltung/konten");
        assert_eq!(local_path("//evil.example"), "/verwaltung");
        assert_eq!(local_path("https://evil.example"), "/verwaltung");
        assert_eq!(local_path("/\\evil.example"), "/verwaltung");
        assert_eq!(local_path("/\t/evil.example/phish"), "/verwaltung");
        assert_eq!(local_path("/\n/evil.example"), "/verwaltung");
        assert_eq!(local_path("/ /evil.example"), "/verwaltung");
        assert_eq!(local_path("/\u{0}/evil.example"), "/verwaltung");
        assert_eq!(local_path("/\u{a0}x"), "/verwaltung");
        assert_eq!(local_path(""), "/verwaltung");
        assert_eq!(local_path("verwaltung"), "/verwaltung");
        assert_eq!(local_path("/"), "/");
        assert_eq!(
            local_path("/auswertung/fbs?gemeinde=05154036"),
            "/auswertung/fbs?gemeinde=05154036"
        );
    }
}

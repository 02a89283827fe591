//! Sign-in and sign-out, the own password, and the accounts of the staff. The back end checks
//! the role; these handlers set and clear the session cookie and carry the outcome to the page.

use crate::http::extract::{session_token, set_session_cookie, CsrfForm, HtmlForm};
use crate::http::{AppState, HttpError};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use backend::staff::SESSION_MAX_MS;
use domain::accounts::{AccountForm, NewAccountForm, PasswordForm, SignInForm};
use domain::staff::Role;
use domain::AppError;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/anmelden", post(login))
        .route("/abmelden", post(logout))
        .route("/konto/passwort", post(change_password))
        .route("/verwaltung/konten", post(create_account))
        .route("/verwaltung/konten/{id}", post(update_account))
}

/// Only paths of this site, so that the sign-in cannot be used to send people elsewhere.
/// Strict: browsers drop tabs and line breaks and read `\\` as `/`, so `/\t/evil.example`
/// would be another host; anything but a plain local path goes to the administration.
fn local_path(to: &str) -> &str {
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

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    HtmlForm(form): HtmlForm<SignInForm>,
) -> Result<Response, HttpError> {
    let email = &form.email;
    let next = local_path(&form.next).to_string();
    let session = match state.staff.login(email, &form.password, peer.ip()).await {
        Ok(session) => session,
        // The sign-in page again, with the message and what was typed.
        Err(error @ (AppError::BadRequest(_) | AppError::TooManyRequests)) => {
            let status = if error == AppError::TooManyRequests {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            let page =
                app::pages::accounts::login::login_document(email, &next, &error.to_string());
            return Ok((status, Html(page)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    // Members have no administration to land in: their dashboards instead.
    let next = if session.role == Role::Member && next.starts_with("/verwaltung") {
        "/auswertung"
    } else {
        &next
    };
    let mut response = Redirect::to(next).into_response();
    set_session_cookie(&mut response, &session.token, SESSION_MAX_MS / 1000, state.secure_cookies);
    Ok(response)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, HttpError> {
    if let Some(token) = session_token(&headers) {
        state.staff.logout(&token).await?;
    }
    let mut response = Redirect::to("/anmelden?abgemeldet=1").into_response();
    set_session_cookie(&mut response, "", 0, state.secure_cookies);
    Ok(response)
}

async fn change_password(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm<PasswordForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.change_password(&staffer.principal, &staffer.token, &form).await;
    let done = |()| {
        (
            "/konto/passwort",
            "Ihr Passwort wurde geändert. Andere Sitzungen Ihres Kontos wurden beendet.",
        )
    };
    let invalid = || ("/konto/passwort#fehler", "passwort");
    staffer.settle(&state, outcome, done, invalid).await
}

async fn create_account(
    State(state): State<AppState>,
    CsrfForm { staffer, form }: CsrfForm<NewAccountForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.create_account(&staffer.principal, &form).await;
    let done =
        |_| ("/verwaltung/konten", format!("Das Konto für {} wurde angelegt.", form.email()));
    let invalid = || ("/verwaltung/konten#fehler", "konto-neu");
    staffer.settle(&state, outcome, done, invalid).await
}

async fn update_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { staffer, form }: CsrfForm<AccountForm>,
) -> Result<Response, HttpError> {
    let outcome = state.staff.update_account(&staffer.principal, id, &form).await;
    let done = |()| (format!("/verwaltung/konten#konto-{id}"), "Das Konto wurde gespeichert.");
    let invalid = || ("/verwaltung/konten#fehler", format!("konto-{id}"));
    staffer.settle(&state, outcome, done, invalid).await
}

#[cfg(test)]
mod tests {
    use super::local_path;

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

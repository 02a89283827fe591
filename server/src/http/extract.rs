//! What staff handlers take from a request and hand back: the signed-in [`Staffer`], the
//! CSRF-checked [`CsrfForm`], the session cookie, and the flash redirect (post, redirect, get)
//! that carries a notice or a form's problems to the next page, so that every form works
//! without JavaScript.

use crate::http::{AppState, HttpError};
use app::session::SESSION_COOKIE;
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use backend::staff::FormOutcome;
use domain::staff::{Flash, FormProblems, Principal};
use domain::validation::FieldError;
use domain::AppError;

/// A form's fields in their order; repeated names (check boxes) stay apart.
pub type Fields = Vec<(String, String)>;

/// A field's value, empty when missing.
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// The numbers of every field `name` (check boxes of ids); anything else is skipped.
pub fn ids(form: &[(String, String)], name: &str) -> Vec<i64> {
    form.iter().filter(|(k, _)| k == name).filter_map(|(_, v)| v.parse().ok()).collect()
}

/// The session cookie's value, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(app::session::session_token_in)
}

/// Sets (or with `max_age_s` 0 removes) the session cookie on `response`.
pub fn set_session_cookie(response: &mut Response, value: &str, max_age_s: i64, secure: bool) {
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{}",
        if secure { "; Secure" } else { "" }
    );
    let cookie = HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""));
    response.headers_mut().insert(header::SET_COOKIE, cookie);
}

/// A flash with one problem, at the field `field_id` of the form `form`.
pub fn one_problem(
    form: impl Into<String>,
    field_id: impl Into<String>,
    message: impl Into<String>,
) -> Flash {
    let errors = vec![FieldError::new(field_id, message)];
    Flash::problems(form, FormProblems { values: vec![], errors })
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
            // An expired session is no error: the sign-in says so and leads back.
            Err(AppError::Unauthenticated) => {
                Err(Redirect::to("/anmelden?abgelaufen=1").into_response())
            }
            Err(e) => Err(HttpError(e).into_response()),
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
        staffer.check_csrf(field(&form, "csrf")).map_err(IntoResponse::into_response)?;
        Ok(Self { staffer, form })
    }
}

impl Staffer {
    /// The synchroniser token against cross-site request forgery, on top of the origin check.
    pub fn check_csrf(&self, sent: &str) -> Result<(), HttpError> {
        if !sent.is_empty() && sent == self.principal.csrf {
            Ok(())
        } else {
            tracing::warn!(account = self.principal.account_id, "form without valid CSRF token");
            Err(HttpError(AppError::Forbidden(
                "Das Formular ist veraltet oder kam nicht von dieser Website. Bitte laden Sie die Seite neu und senden Sie es noch einmal.".into(),
            )))
        }
    }

    /// Leaves `flash` for the next page and redirects there.
    pub async fn redirect_with(
        &self,
        state: &AppState,
        to: &str,
        flash: Flash,
    ) -> Result<Response, HttpError> {
        state.staff.set_flash(&self.token, &flash).await?;
        Ok(Redirect::to(to).into_response())
    }

    /// The usual end of a staff form: done, on to `done`'s page with its notice; refused, back
    /// to `invalid`'s page with the problems for its form; an error becomes the error page.
    /// `done` gives (page, notice), `invalid` gives (page, form name).
    pub async fn settle<T, To, Notice, Back, Name>(
        &self,
        state: &AppState,
        outcome: Result<FormOutcome<T>, AppError>,
        done: impl FnOnce(T) -> (To, Notice),
        invalid: impl FnOnce() -> (Back, Name),
    ) -> Result<Response, HttpError>
    where
        To: Into<String>,
        Notice: Into<String>,
        Back: Into<String>,
        Name: Into<String>,
    {
        let (to, flash) = match outcome? {
            FormOutcome::Done(value) => {
                let (to, notice) = done(value);
                (to.into(), Flash::notice(notice))
            }
            FormOutcome::Invalid(problems) => {
                let (back, form) = invalid();
                (back.into(), Flash::problems(form, problems))
            }
        };
        self.redirect_with(state, &to, flash).await
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
    fn reads_ids_of_check_boxes() {
        let form: Fields = vec![
            ("organisation".into(), "3".into()),
            ("csrf".into(), "x".into()),
            ("organisation".into(), "kein".into()),
            ("organisation".into(), "7".into()),
        ];
        assert_eq!(ids(&form, "organisation"), vec![3, 7]);
        assert_eq!(field(&form, "csrf"), "x");
        assert_eq!(field(&form, "fehlt"), "");
    }
}

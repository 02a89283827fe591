//! What staff handlers take from a request and hand back: the signed-in [`Staffer`], the
//! CSRF-checked [`CsrfForm`] of a typed form, the session cookie, and the flash redirect (post,
//! redirect, get) that carries a notice or a form's problems to the next page, so that every
//! form works without JavaScript.

use crate::http::{AppState, HttpError};
use app::session::SESSION_COOKIE;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use backend::staff::FormOutcome;
use domain::staff::{Flash, FormProblems, Principal};
use domain::validation::FieldError;
use domain::AppError;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Reads a form body into `T`: repeated names (check boxes) become lists (the domain's
/// `form` helpers read each field). What cannot be read is a bad request, said in German.
fn read_form<T: DeserializeOwned>(body: &Bytes) -> Result<T, HttpError> {
    serde_html_form::from_bytes(body).map_err(|e| {
        tracing::warn!(error = %e, "form not readable");
        HttpError(AppError::BadRequest(
            "Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und senden Sie es noch einmal.".into(),
        ))
    })
}

/// A form post read into `T`, for forms without a session (the sign-in).
pub struct HtmlForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for HtmlForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawForm(body) =
            RawForm::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        Ok(Self(read_form(&body).map_err(IntoResponse::into_response)?))
    }
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

/// The synchroniser token of a form (its first value, as typed).
#[derive(Deserialize)]
struct CsrfToken {
    /// `domain::form::CSRF`, the page's hidden field.
    #[serde(rename = "csrf", default, deserialize_with = "domain::form::as_typed")]
    csrf: String,
}

/// A form of nothing but its token (a button), for [`CsrfForm`].
#[derive(Deserialize)]
pub struct NoFields {}

/// A staff form post: the signed-in user and the form read into `T`, whose synchroniser token
/// (`csrf`) matched the session's. Handlers that take it never see a forged form: the token is
/// checked before the form is read.
pub struct CsrfForm<T> {
    pub staffer: Staffer,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let staffer = Staffer::from_request_parts(&mut parts, state).await?;
        let RawForm(body) = RawForm::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let sent = read_form::<CsrfToken>(&body).map(|t| t.csrf).unwrap_or_default();
        staffer.check_csrf(&sent).map_err(IntoResponse::into_response)?;
        let form = read_form(&body).map_err(IntoResponse::into_response)?;
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

/// The paths of the signed-in area's pages.
const STAFF_PAGES: [&str; 4] = ["/verwaltung", "/auswertung", "/konzept", "/konto"];

/// A page of the signed-in area loaded without a session leads to the sign-in and back
/// afterwards. Decided here, before the page renders, so that every such load is answered
/// with the redirect (the page's own redirect from inside a render has been seen to go
/// missing under load).
pub async fn sign_in_first(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    if request.method() != axum::http::Method::GET || !is_staff_page(path) {
        return next.run(request).await;
    }
    let token = session_token(request.headers());
    if let Err(AppError::Unauthenticated) = state.staff.authenticate(token.as_deref()).await {
        let here = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or(path);
        let to = format!("/anmelden?weiter={}", app::components::encode_query_value(here));
        return (axum::http::StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
    }
    next.run(request).await
}

fn is_staff_page(path: &str) -> bool {
    STAFF_PAGES
        .iter()
        .any(|p| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
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

    #[derive(Debug, Deserialize)]
    struct Chosen {
        #[serde(default, deserialize_with = "domain::form::ids")]
        organisation: Vec<i64>,
        #[serde(default, deserialize_with = "domain::form::text")]
        fehlt: String,
    }

    #[test]
    fn reads_ids_of_check_boxes() {
        let body = Bytes::from_static(b"organisation=3&csrf=x&organisation=kein&organisation=7");
        let form: Chosen = read_form(&body).unwrap();
        assert_eq!(form.organisation, vec![3, 7]);
        assert_eq!(read_form::<CsrfToken>(&body).unwrap().csrf, "x");
        assert_eq!(form.fehlt, "");
    }

    #[test]
    fn an_unreadable_form_is_a_bad_request() {
        #[derive(Debug, Deserialize)]
        struct Strict {
            #[allow(dead_code)]
            n: i64,
        }
        let Err(HttpError(error)) = read_form::<Strict>(&Bytes::from_static(b"n=zehn")) else {
            panic!("read")
        };
        assert_eq!(error.status(), 400);
        assert!(error.to_string().starts_with("Das Formular konnte nicht gelesen werden."));
    }

    #[test]
    fn staff_pages_are_the_signed_in_areas_paths() {
        for path in [
            "/verwaltung",
            "/verwaltung/konten",
            "/auswertung/wohnen",
            "/konzept",
            "/konto/passwort",
        ] {
            assert!(is_staff_page(path), "{path}");
        }
        for path in
            ["/", "/anmelden", "/verwaltungen", "/konzepte", "/o/umfrage", "/api/verwaltung/x"]
        {
            assert!(!is_staff_page(path), "{path}");
        }
    }
}

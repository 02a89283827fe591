//! The one way an [`AppError`] becomes a response: a complete error page with the error's
//! status and its German message. Handlers return `Result<Response, HttpError>` and use `?`.
//! Nothing is logged here: `AppError::internal` already logged the cause with its incident.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::AppError;

/// An error on its way to the browser as an error page.
#[derive(Debug)]
pub struct HttpError(pub AppError);

impl From<AppError> for HttpError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Html(app::error_document(&self.0))).into_response()
    }
}

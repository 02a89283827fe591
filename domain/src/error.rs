//! The one error type of the application. Its messages are German and safe to show to a
//! browser; internal causes are logged where they arise and only an incident number travels.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Unknown, malformed or revoked link, unknown page.
    #[error("{0}")]
    NotFound(String),
    /// The link was valid once but the questionnaire is closed.
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in, or the session has expired.
    #[error(
        "Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen oder Sie sind nicht angemeldet."
    )]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es dann erneut.")]
    TooManyRequests,
    /// Anything the user cannot act on; details are in the server log under this incident.
    #[error("Ein interner Fehler ist aufgetreten (Vorgang {incident}). Ihre bisherigen Eingaben sind gespeichert. Bitte versuchen Sie es später erneut.")]
    Internal { incident: String },
}

impl AppError {
    /// Logs the cause with a fresh incident number and returns an error that names only it.
    pub fn internal(cause: impl fmt::Display) -> Self {
        let incident = incident_number();
        tracing::error!(%incident, error = %cause, "internal error");
        AppError::Internal { incident }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Gone(_) => 410,
            AppError::BadRequest(_) => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests => 429,
            AppError::Internal { .. } => 500,
        }
    }

    /// A short German heading for error pages.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "Seite nicht gefunden",
            AppError::Gone(_) => "Nicht mehr verfügbar",
            AppError::BadRequest(_) => "Ungültige Anfrage",
            AppError::Unauthenticated => "Anmeldung erforderlich",
            AppError::Forbidden(_) => "Zugriff verweigert",
            AppError::Conflict(_) => "Konflikt",
            AppError::TooManyRequests => "Zu viele Versuche",
            AppError::Internal { .. } => "Interner Fehler",
        }
    }

    /// For a signed-in user whose role does not allow the action.
    pub fn not_allowed() -> Self {
        AppError::Forbidden("Ihr Konto hat für diese Seite oder Aktion keine Berechtigung.".into())
    }

    pub fn unknown_link() -> Self {
        AppError::NotFound(
            "Dieser Link ist uns nicht bekannt. Bitte prüfen Sie, ob Sie ihn vollständig kopiert haben, oder wenden Sie sich an das Kommunale Integrationszentrum.".into(),
        )
    }
}

fn incident_number() -> String {
    // Time-derived and short: enough to find the log line, meaningless to anybody else.
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // The browser has no system clock through std; there the counter alone must do.
    #[cfg(not(target_arch = "wasm32"))]
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    #[cfg(target_arch = "wasm32")]
    let nanos = 0u64;
    format!("{:08X}", (nanos ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)) as u32)
}

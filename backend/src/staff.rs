//! The handle for the KI staff's use cases, which the features implement (`accounts`,
//! `organisations`, `invitations`, `questionnaires`, `progress`, `dashboards`, `exports`), and
//! what they share. Every entry point takes the signed-in [`Principal`] and checks
//! its role itself, so that no route can forget it.

use crate::mail::Mailer;
use crate::rate_limit::{Counter, MissLimiter};
use crate::Store;
use domain::form::FormValues;
use domain::reference::{municipality, org_kind};
use domain::staff::{FormProblems, Principal, Role};
use domain::validation::FieldError;
use domain::AppError;
use std::net::IpAddr;

/// A session ends after this long without a request …
pub const SESSION_IDLE_MS: i64 = 2 * 60 * 60 * 1000;
/// … and in any case after this long.
pub const SESSION_MAX_MS: i64 = 12 * 60 * 60 * 1000;
/// Entries per page of the audit log and the progress list.
pub const PAGE_SIZE: i64 = 100;

#[derive(Clone)]
pub struct Staff {
    pub store: Store,
    pub(crate) logins_per_account: MissLimiter<String>,
    pub(crate) logins_per_address: MissLimiter<IpAddr>,
    pub(crate) public_base_url: String,
    /// Figures over fewer responses than this are not shown.
    pub(crate) min_group: u64,
    /// Invitations and reminders by e-mail; `None` when no mail server is configured.
    pub(crate) mailer: Option<Mailer>,
}

/// The default smallest group a figure may describe.
pub const DEFAULT_MIN_GROUP: u64 = 3;

/// A session just opened: the cookie's value, shown once.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub role: Role,
}

/// An administration form that could not be saved.
#[derive(Debug)]
pub enum FormOutcome<T> {
    Done(T),
    Invalid(FormProblems),
}

pub(crate) const LOGIN_FAILED: &str = "E-Mail-Adresse oder Passwort sind nicht richtig.";
/// The longest e-mail address there can be.
pub const MAX_EMAIL_CHARS: usize = 254;

pub(crate) fn require_admin(principal: &Principal) -> Result<(), AppError> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(AppError::not_allowed())
    }
}

/// A form refused with `errors`; it comes back with what was typed (never passwords).
pub(crate) fn refused<T>(form: &impl FormValues, errors: Vec<FieldError>) -> FormOutcome<T> {
    FormOutcome::Invalid(FormProblems { values: form.values(), errors })
}

pub(crate) fn municipality_name(ags: &str) -> String {
    municipality(ags).map(|m| m.name.to_string()).unwrap_or_else(|| ags.to_string())
}

pub(crate) fn kind_label(code: Option<&str>) -> String {
    match code {
        Some(code) => {
            org_kind(code).map(|k| k.label.to_string()).unwrap_or_else(|| code.to_string())
        }
        None => "ohne Angabe".into(),
    }
}

impl Staff {
    pub fn new(store: Store, public_base_url: &str, logins_per_minute: u32) -> Self {
        Self {
            logins_per_account: MissLimiter::new(
                store.clone(),
                Counter::LoginsPerAccount,
                logins_per_minute,
            ),
            // An office behind one address may have several staff signing in.
            logins_per_address: MissLimiter::new(
                store.clone(),
                Counter::LoginsPerAddress,
                logins_per_minute.saturating_mul(4),
            ),
            store,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
            min_group: DEFAULT_MIN_GROUP,
            mailer: None,
        }
    }

    /// Sends invitations and reminders through this mail server.
    pub fn with_mailer(mut self, mailer: Option<Mailer>) -> Self {
        self.mailer = mailer;
        self
    }

    /// Whether invitations and reminders can go out by e-mail.
    pub fn mail_enabled(&self) -> bool {
        self.mailer.is_some()
    }

    /// Sets the smallest group a figure may describe (at least 1).
    pub fn with_min_group(mut self, min_group: u64) -> Self {
        self.min_group = min_group.max(1);
        self
    }
}

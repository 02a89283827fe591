//! The KI's staff: roles, the signed-in principal and the views of the administration pages.

use crate::questionnaire::QuestionnaireStatus;
use crate::response::{ResponseStatus, Review};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// KI staff: everything.
    Admin,
    /// Member of one or more working groups: the dashboards of their themes only.
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administration (KI)",
            Role::Member => "Mitglied einer Arbeitsgruppe",
        }
    }
}

/// Who is signed in, as every page and form post sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Theme codes of the member's working groups (all themes for administrators).
    pub themes: Vec<String>,
    /// The session's token against cross-site request forgery, sent back by every form.
    pub csrf: String,
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub themes: Vec<String>,
    pub created_at: String,
}

/// A theme that working groups can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeChoice {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub me: Principal,
    pub accounts: Vec<AccountView>,
    pub themes: Vec<ThemeChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub me: Principal,
    pub entries: Vec<AuditEntry>,
    pub page: u32,
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub id: i64,
    pub name: String,
    pub kind_label: String,
    pub municipalities: Vec<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationsPage {
    pub me: Principal,
    /// One page of the register (or of the search's hits), in name order.
    pub organisations: Vec<OrganisationView>,
    /// Organisations in the register, or matching the search.
    pub total: i64,
    /// The page shown, from 1.
    pub page: u32,
    pub has_more: bool,
    /// The name search, normalised; empty for none.
    pub search: String,
    pub questionnaires: Vec<QuestionnaireChoice>,
    /// Whether invitations can go out by e-mail (a mail server is configured).
    pub mail_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireChoice {
    pub id: i64,
    pub title: String,
    pub status_label: String,
}

/// The export page: the questionnaires, and the files this user may download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportPage {
    pub me: Principal,
    pub questionnaires: Vec<QuestionnaireChoice>,
    /// `(code, label)` of each file offered: members get no single responses.
    pub files: Vec<(String, String)>,
    /// Figures over fewer responses are suppressed.
    pub min_group: u64,
}

/// One row of a progress table: counts of links by state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressCounts {
    pub label: String,
    pub invited: i64,
    pub started: i64,
    pub submitted: i64,
}

impl ProgressCounts {
    /// All links that were handed out and not revoked.
    pub fn total(&self) -> i64 {
        self.invited + self.started + self.submitted
    }

    /// Share submitted, in whole per cent.
    pub fn rate_percent(&self) -> i64 {
        if self.total() == 0 {
            0
        } else {
            (self.submitted * 100 + self.total() / 2) / self.total()
        }
    }
}

/// One link (response) in the progress list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressEntry {
    pub response_id: i64,
    /// The organisation's name; open-link responses have none.
    pub organisation: Option<String>,
    pub kind_label: String,
    pub municipalities: Vec<String>,
    pub status: ResponseStatus,
    pub last_activity: String,
    /// When the invitation went out by e-mail, if it did.
    pub invited_mail_at: Option<String>,
    /// When the last reminder went out, if one did.
    pub reminded_at: Option<String>,
    /// Started through the open link (then reviewed before it counts).
    pub open_link: bool,
    pub review: Review,
}

/// One response with its answers, for the KI's review of open-link responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseDetailPage {
    pub me: Principal,
    pub response_id: i64,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    pub organisation: Option<String>,
    pub open_link: bool,
    pub status: ResponseStatus,
    pub review: Review,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub pages: Vec<crate::views::ReviewPage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireSummary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: QuestionnaireStatus,
    pub deadline: Option<String>,
    pub themes: usize,
    pub questions: usize,
    pub responses: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressPage {
    pub me: Principal,
    pub questionnaire: QuestionnaireSummary,
    pub questionnaires: Vec<QuestionnaireChoice>,
    pub total: ProgressCounts,
    pub by_municipality: Vec<ProgressCounts>,
    pub by_kind: Vec<ProgressCounts>,
    pub entries: Vec<ProgressEntry>,
    /// Submitted open-link responses waiting for the KI's review.
    pub awaiting_review: i64,
    /// Whether reminders can go out by e-mail (a mail server is configured).
    pub mail_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnairesPage {
    pub me: Principal,
    pub questionnaires: Vec<QuestionnaireSummary>,
    /// The series with their waves in order.
    #[serde(default)]
    pub series: Vec<crate::waves::SeriesSummary>,
}

/// A form that came back with problems: what was typed (never passwords) and what is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormProblems {
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
}

impl FormProblems {
    pub fn value(&self, name: &str) -> String {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn values_of(&self, name: &str) -> Vec<String> {
        self.values.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    pub fn error(&self, field_id: &str) -> Option<String> {
        self.errors.iter().find(|e| e.field_id == field_id).map(|e| e.message.clone())
    }
}

/// Minimum and maximum length of a password, in characters (BSI: long beats complex).
pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a new password and its repetition; messages name the field.
pub fn check_new_password(
    password: &str,
    repeated: &str,
    field_id: &str,
    repeat_id: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        errors.push(FieldError::new(
            field_id,
            format!("Das neue Passwort muss mindestens {PASSWORD_MIN_CHARS} Zeichen lang sein."),
        ));
    } else if chars > PASSWORD_MAX_CHARS {
        errors.push(FieldError::new(
            field_id,
            format!("Das neue Passwort darf höchstens {PASSWORD_MAX_CHARS} Zeichen lang sein."),
        ));
    } else if password != repeated {
        errors.push(FieldError::new(
            repeat_id,
            "Die Wiederholung stimmt nicht mit dem neuen Passwort überein.",
        ));
    }
    errors
}

/// A plausible e-mail address: one `@`, something before, a dotted domain after, no spaces.
pub fn is_plausible_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && address.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert_eq!(check_new_password("kurz", "kurz", "a", "b")[0].field_id, "a");
        assert_eq!(
            check_new_password("lang-genug-12345", "anders-12345678", "a", "b")[0].field_id,
            "b"
        );
        assert!(check_new_password("lang-genug-12345", "lang-genug-12345", "a", "b").is_empty());
        assert!(!check_new_password(&"x".repeat(129), &"x".repeat(129), "a", "b").is_empty());
        // Characters, not bytes: twelve umlauts are twelve characters.
        assert!(check_new_password(&"ä".repeat(12), &"ä".repeat(12), "a", "b").is_empty());
    }

    #[test]
    fn email_plausibility() {
        assert!(is_plausible_email("ki@kreis-kleve.de"));
        assert!(!is_plausible_email("ki@kreis-kleve"));
        assert!(!is_plausible_email("@kreis-kleve.de"));
        assert!(!is_plausible_email("k i@kreis-kleve.de"));
        assert!(!is_plausible_email("ki@@kreis-kleve.de"));
    }

    #[test]
    fn rates_round() {
        let c = ProgressCounts { label: String::new(), invited: 1, started: 1, submitted: 1 };
        assert_eq!(c.rate_percent(), 33);
        assert_eq!(ProgressCounts::default().rate_percent(), 0);
    }
}

/// What a form post leaves for the page it redirects to: a notice, or the form's problems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// Which form the problems belong to, e.g. `konto-neu` or `konto-7`.
    pub form: String,
    pub notice: Option<String>,
    pub problems: FormProblems,
}

impl Flash {
    pub fn notice(text: impl Into<String>) -> Self {
        Self { notice: Some(text.into()), ..Default::default() }
    }

    pub fn problems(form: impl Into<String>, problems: FormProblems) -> Self {
        Self { form: form.into(), notice: None, problems }
    }

    /// The problems, if they belong to `form`.
    pub fn for_form(flash: &Option<Flash>, form: &str) -> FormProblems {
        flash.as_ref().filter(|f| f.form == form).map(|f| f.problems.clone()).unwrap_or_default()
    }
}

/// The questionnaire builder's pages (editor, question form, preview): the questionnaire as
/// stored, and the revision its forms send back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuilderPage {
    pub me: Principal,
    pub questionnaire: crate::Questionnaire,
    /// Every form carries it; a change made from an older revision is refused.
    pub revision: i64,
    pub status_label: String,
    /// Published or already answered: only changes that keep the answers valid are possible.
    pub frozen: bool,
    /// Its series and wave, and how its questions match the wave before (if there is one).
    #[serde(default)]
    pub waves: Option<crate::waves::BuilderWaves>,
}

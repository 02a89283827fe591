//! The KI staff's use cases: signing in and out, accounts, organisations and their import,
//! invitation links, progress, single responses, questionnaire status and the audit log.
//! Every entry point takes the signed-in [`Principal`] and checks its role itself, so that no
//! route can forget it.

use crate::db::{
    AccountRow, NewInvitation, NewOrganisation, OrganisationRow, ResponseListRow, StatusCount,
    StoredQuestionnaire,
};
use crate::lease::MailRoundLease;
use crate::mail::{self, MailText, Mailer, SendFailure, SurveyFacts};
use crate::org_import::{parse_organisations, registered_problems, ImportProblem, MAX_NAME_CHARS};
use crate::rate_limit::{Counter, MissLimiter};
use crate::survey::profile_answers;
use crate::{now_ms, password, token, Store};
use domain::locale::{format_time, german_date};
use domain::reference::{municipality, org_kind, MUNICIPALITIES, ORG_KINDS};
use domain::staff::{
    check_new_password, is_plausible_email, AccountView, AccountsPage, AuditEntry, AuditPage,
    Flash, FormProblems, OrganisationView, OrganisationsPage, Principal, ProgressCounts,
    ProgressEntry, ProgressPage, QuestionnaireChoice, QuestionnaireSummary, QuestionnairesPage,
    ResponseDetailPage, Role, ThemeChoice,
};
use domain::validation::FieldError;
use domain::Review;
use domain::{AppError, QuestionnaireStatus};
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
    logins_per_account: MissLimiter<String>,
    logins_per_address: MissLimiter<IpAddr>,
    public_base_url: String,
    /// Figures over fewer responses than this are not shown.
    pub(crate) min_group: u64,
    /// Invitations and reminders by e-mail; `None` when no mail server is configured.
    mailer: Option<Mailer>,
}

/// The default smallest group a figure may describe.
pub const DEFAULT_MIN_GROUP: u64 = 3;

/// A session just opened: the cookie's value, shown once.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub role: Role,
}

/// One mail that did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFailure {
    pub organisation: String,
    pub email: String,
    pub reason: &'static str,
}

/// What a round of invitations or reminders by e-mail did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailReport {
    /// Organisations whose mail went out.
    pub sent: Vec<String>,
    pub failed: Vec<MailFailure>,
    /// Organisations left out because the register has no address for them.
    pub without_email: usize,
    /// Mails not tried because the mail server could not be reached.
    pub not_attempted: usize,
}

impl MailReport {
    /// One line for the page, e.g. „2 Einladungen wurden per E-Mail versendet.“
    pub fn summary(&self, reminders: bool) -> String {
        let n = self.sent.len();
        let what = match (reminders, n) {
            (false, 1) => "1 Einladung wurde".to_string(),
            (false, n) => format!("{n} Einladungen wurden"),
            (true, 1) => "1 Erinnerung wurde".to_string(),
            (true, n) => format!("{n} Erinnerungen wurden"),
        };
        let mut text = format!("{what} per E-Mail versendet.");
        if !self.failed.is_empty() {
            text.push_str(&format!(" {} nicht (siehe unten).", self.failed.len()));
        }
        if self.not_attempted > 0 {
            text.push_str(&format!(
                " {} weitere wurden nicht versucht, weil der Mailserver nicht erreichbar war; bitte später erneut senden.",
                self.not_attempted
            ));
        }
        match self.without_email {
            0 => {}
            1 => text.push_str(" 1 Organisation ohne E-Mail-Adresse wurde übergangen; ihren Link erzeugen Sie als CSV-Datei für einen Serienbrief."),
            k => text.push_str(&format!(" {k} Organisationen ohne E-Mail-Adresse wurden übergangen; ihre Links erzeugen Sie als CSV-Datei für einen Serienbrief.")),
        }
        text
    }

    /// One line per mail that did not go out.
    pub fn failure_lines(&self) -> Vec<String> {
        self.failed
            .iter()
            .map(|f| format!("{} ({}): {}", f.organisation, f.email, f.reason))
            .collect()
    }

    fn audit_detail(&self, title: &str) -> String {
        let mut detail = format!("{title}: {} versendet", self.sent.len());
        if !self.failed.is_empty() {
            let addresses: Vec<&str> = self.failed.iter().map(|f| f.email.as_str()).collect();
            detail.push_str(&format!(
                ", {} fehlgeschlagen ({})",
                self.failed.len(),
                addresses.join(", ")
            ));
        }
        if self.not_attempted > 0 {
            detail.push_str(&format!(
                ", {} nicht versucht (Mailserver nicht erreichbar)",
                self.not_attempted
            ));
        }
        detail
    }
}

/// An administration form that could not be saved.
#[derive(Debug)]
pub enum FormOutcome<T> {
    Done(T),
    Invalid(FormProblems),
}

/// Invitation links just made, for the mail-merge file.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    pub organisation: String,
    pub kind_label: String,
    pub municipalities: Vec<String>,
    pub email: Option<String>,
    pub link: String,
}

const LOGIN_FAILED: &str = "E-Mail-Adresse oder Passwort sind nicht richtig.";
/// The longest e-mail address there can be.
pub const MAX_EMAIL_CHARS: usize = 254;

pub(crate) fn require_admin(principal: &Principal) -> Result<(), AppError> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(AppError::not_allowed())
    }
}

pub(crate) fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}

/// A password as typed: spaces are part of it.
fn password_field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

fn values<'a>(form: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    form.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// What a form keeps when it comes back: everything but passwords and the CSRF token.
pub(crate) fn kept_values(form: &[(String, String)]) -> Vec<(String, String)> {
    form.iter().filter(|(k, _)| !k.contains("passwort") && k != "csrf").cloned().collect()
}

fn municipality_name(ags: &str) -> String {
    municipality(ags).map(|m| m.name.to_string()).unwrap_or_else(|| ags.to_string())
}

fn kind_label(code: Option<&str>) -> String {
    match code {
        Some(code) => {
            org_kind(code).map(|k| k.label.to_string()).unwrap_or_else(|| code.to_string())
        }
        None => "ohne Angabe".into(),
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "invited" => "eingeladen",
        "draft" => "begonnen",
        "submitted" => "abgeschickt",
        "revoked" => "zurückgezogen",
        _ => "unbekannt",
    }
}

pub(crate) fn questionnaire_status_label(status: &str) -> &'static str {
    match status {
        "draft" => "Entwurf",
        "open" => "geöffnet",
        "closed" => "geschlossen",
        _ => "unbekannt",
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

    // ---- Signing in ----

    /// Checks address and password. Every attempt counts against the address typed and
    /// against the caller; the message never tells whether the account exists.
    pub async fn login(
        &self,
        email: &str,
        password_typed: &str,
        ip: IpAddr,
    ) -> Result<NewSession, AppError> {
        let email = email.trim().to_lowercase();
        // No address is longer (RFC 5321); a longer one is neither looked up nor kept as a
        // rate-limit key, where megabytes of typed text would otherwise sit for a minute.
        if email.chars().count() > MAX_EMAIL_CHARS {
            if !self.logins_per_address.record_miss(&ip).await? {
                return Err(AppError::TooManyRequests);
            }
            tracing::info!(%ip, "log-in failed: address too long");
            return Err(AppError::BadRequest(LOGIN_FAILED.into()));
        }
        if !self.logins_per_address.record_miss(&ip).await?
            || !self.logins_per_account.record_miss(&email).await?
        {
            tracing::warn!(%ip, "log-in rate limit reached");
            return Err(AppError::TooManyRequests);
        }
        let account =
            if email.is_empty() { None } else { self.store.account_by_email(&email).await? };
        let stored = account.as_ref().map(|a| a.password_hash.clone());
        let matches = password::verify_blocking(password_typed.to_string(), stored).await;
        let account = match account {
            Some(a) if matches && !a.disabled => a,
            _ => {
                tracing::info!(%ip, "log-in failed");
                return Err(AppError::BadRequest(LOGIN_FAILED.into()));
            }
        };
        let session_token = token::generate();
        let now = now_ms();
        self.store
            .insert_session(
                &token::hash(&session_token),
                account.id,
                &token::generate(),
                now,
                now + SESSION_MAX_MS,
            )
            .await?;
        self.store.audit(Some(account.id), &account.email, "Anmeldung", "", now).await?;
        Ok(NewSession { token: session_token, role: account.role })
    }

    /// The principal of a session cookie; expired, unknown or disabled means not signed in.
    pub async fn authenticate(&self, session_token: Option<&str>) -> Result<Principal, AppError> {
        Ok(self.session(session_token).await?.0)
    }

    /// Like [`Staff::authenticate`], for a page: also takes what the last form post left.
    pub async fn authenticate_page(
        &self,
        session_token: Option<&str>,
    ) -> Result<(Principal, Option<Flash>), AppError> {
        let (principal, id_hash, flash) = self.session(session_token).await?;
        let Some(json) = flash else { return Ok((principal, None)) };
        self.store.clear_flash(&id_hash).await?;
        Ok((principal, serde_json::from_str(&json).ok()))
    }

    /// The session's principal, its stored id and its flash.
    async fn session(
        &self,
        session_token: Option<&str>,
    ) -> Result<(Principal, String, Option<String>), AppError> {
        let Some(session_token) = session_token.filter(|t| token::is_well_formed(t)) else {
            return Err(AppError::Unauthenticated);
        };
        let id_hash = token::hash(session_token);
        let Some(session) = self.store.session(&id_hash).await? else {
            return Err(AppError::Unauthenticated);
        };
        let now = now_ms();
        if session.account.disabled
            || session.expires_at <= now
            || now - session.last_seen_at > SESSION_IDLE_MS
        {
            self.store.delete_session(&id_hash).await?;
            return Err(AppError::Unauthenticated);
        }
        // Once a minute is enough to keep the idle clock.
        if now - session.last_seen_at > 60_000 {
            self.store.touch_session(&id_hash, now).await?;
        }
        let account = session.account;
        let principal = Principal {
            account_id: account.id,
            email: account.email,
            name: account.name,
            role: account.role,
            themes: account.themes,
            csrf: session.csrf_token,
        };
        Ok((principal, id_hash, session.flash))
    }

    pub async fn logout(&self, session_token: &str) -> Result<(), AppError> {
        if let Ok(principal) = self.authenticate(Some(session_token)).await {
            self.store
                .audit(Some(principal.account_id), &principal.email, "Abmeldung", "", now_ms())
                .await?;
        }
        self.store.delete_session(&token::hash(session_token)).await
    }

    pub async fn change_password(
        &self,
        principal: &Principal,
        session_token: &str,
        form: &[(String, String)],
    ) -> Result<FormOutcome<()>, AppError> {
        let current = password_field(form, "passwort");
        let new = password_field(form, "neues_passwort");
        let repeated = password_field(form, "neues_passwort_wiederholt");
        let account =
            self.store.account(principal.account_id).await?.ok_or(AppError::Unauthenticated)?;
        let mut errors = Vec::new();
        if !password::verify_blocking(current.to_string(), Some(account.password_hash.clone()))
            .await
        {
            errors.push(FieldError::new("passwort", "Das bisherige Passwort ist nicht richtig."));
        }
        errors.extend(check_new_password(
            new,
            repeated,
            "neues_passwort",
            "neues_passwort_wiederholt",
        ));
        if !errors.is_empty() {
            return Ok(FormOutcome::Invalid(FormProblems { values: vec![], errors }));
        }
        let hash = password::hash_blocking(new.to_string()).await?;
        let now = now_ms();
        self.store.set_password(account.id, &hash, Some(&token::hash(session_token)), now).await?;
        self.store.audit(Some(account.id), &account.email, "Passwort geändert", "", now).await?;
        Ok(FormOutcome::Done(()))
    }

    /// The first administrator, from the command line.
    pub async fn create_first_admin(
        &self,
        email: &str,
        name: &str,
        password_plain: &str,
    ) -> Result<i64, AppError> {
        let email = email.trim().to_lowercase();
        if !is_plausible_email(&email) {
            return Err(AppError::BadRequest(format!(
                "„{email}“ ist keine gültige E-Mail-Adresse."
            )));
        }
        if let Some(e) =
            check_new_password(password_plain, password_plain, "passwort", "passwort").first()
        {
            return Err(AppError::BadRequest(e.message.replace("neue ", "")));
        }
        let hash = password::hash_blocking(password_plain.to_string()).await?;
        let now = now_ms();
        let name = if name.trim().is_empty() { email.clone() } else { name.trim().to_string() };
        let id = self.store.insert_account(&email, &name, &hash, Role::Admin, &[], now).await?;
        self.store
            .audit(
                None,
                "Kommandozeile",
                "Konto angelegt",
                &format!("{email} (Administration)"),
                now,
            )
            .await?;
        Ok(id)
    }

    // ---- Accounts ----

    pub async fn accounts_page(&self, principal: &Principal) -> Result<AccountsPage, AppError> {
        require_admin(principal)?;
        let accounts = self.store.accounts().await?.into_iter().map(account_view).collect();
        Ok(AccountsPage { me: principal.clone(), accounts, themes: self.theme_choices().await? })
    }

    /// Themes of every questionnaire, by code; working groups are assigned to these.
    async fn theme_choices(&self) -> Result<Vec<ThemeChoice>, AppError> {
        let mut themes: Vec<ThemeChoice> = Vec::new();
        for row in self.store.questionnaire_rows().await? {
            let stored = self.store.questionnaire(row.id, row.revision).await?;
            for t in &stored.questionnaire.themes {
                if !themes.iter().any(|x| x.code == t.code) {
                    themes.push(ThemeChoice { code: t.code.clone(), title: t.title.clone() });
                }
            }
        }
        Ok(themes)
    }

    async fn checked_themes(
        &self,
        form: &[(String, String)],
    ) -> Result<Result<Vec<String>, FieldError>, AppError> {
        let known = self.theme_choices().await?;
        let mut themes = Vec::new();
        for code in values(form, "themen") {
            if !known.iter().any(|t| t.code == code) {
                return Ok(Err(FieldError::new(
                    "themen",
                    format!("Das Handlungsfeld „{code}“ gibt es nicht."),
                )));
            }
            themes.push(code.to_string());
        }
        themes.sort();
        themes.dedup();
        Ok(Ok(themes))
    }

    pub async fn create_account(
        &self,
        principal: &Principal,
        form: &[(String, String)],
    ) -> Result<FormOutcome<i64>, AppError> {
        require_admin(principal)?;
        let email = value(form, "email").to_lowercase();
        let name = value(form, "name");
        let role = Role::parse(value(form, "rolle"));
        let initial = password_field(form, "passwort");
        let repeated = password_field(form, "passwort_wiederholt");
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Bitte geben Sie den Namen der Person an."));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new("name", "Der Name darf höchstens 200 Zeichen lang sein."));
        }
        if email.is_empty() {
            errors.push(FieldError::new("email", "Bitte geben Sie die E-Mail-Adresse an."));
        } else if !is_plausible_email(&email) {
            errors.push(FieldError::new(
                "email",
                "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kreis-kleve.de.",
            ));
        }
        if role.is_none() {
            errors.push(FieldError::new("rolle", "Bitte wählen Sie eine Rolle."));
        }
        let themes = match self.checked_themes(form).await? {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                vec![]
            }
        };
        if role == Some(Role::Member) && themes.is_empty() {
            errors.push(FieldError::new(
                "themen",
                "Bitte wählen Sie mindestens ein Handlungsfeld für die Arbeitsgruppe.",
            ));
        }
        errors.extend(
            check_new_password(initial, repeated, "passwort", "passwort_wiederholt")
                .into_iter()
                .map(|e| {
                    FieldError::new(e.field_id, e.message.replace("neue Passwort", "Passwort"))
                }),
        );
        let (Some(role), true) = (role, errors.is_empty()) else {
            return Ok(FormOutcome::Invalid(FormProblems { values: kept_values(form), errors }));
        };
        let hash = password::hash_blocking(initial.to_string()).await?;
        let now = now_ms();
        let themes = if role == Role::Admin { vec![] } else { themes };
        let id = match self.store.insert_account(&email, name, &hash, role, &themes, now).await {
            Ok(id) => id,
            Err(AppError::Conflict(message)) => {
                return Ok(FormOutcome::Invalid(FormProblems {
                    values: kept_values(form),
                    errors: vec![FieldError::new("email", message)],
                }))
            }
            Err(e) => return Err(e),
        };
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                "Konto angelegt",
                &format!("{email} ({})", role.label()),
                now,
            )
            .await?;
        Ok(FormOutcome::Done(id))
    }

    /// Role, working-group themes and whether the account may sign in.
    pub async fn update_account(
        &self,
        principal: &Principal,
        id: i64,
        form: &[(String, String)],
    ) -> Result<FormOutcome<()>, AppError> {
        require_admin(principal)?;
        let account = self
            .store
            .account(id)
            .await?
            .ok_or_else(|| AppError::NotFound("Dieses Konto gibt es nicht (mehr).".into()))?;
        let field = |name: &str| format!("{name}-{id}");
        let mut errors = Vec::new();
        let role = Role::parse(value(form, "rolle")).unwrap_or(account.role);
        let disabled = value(form, "gesperrt") == "1";
        let themes = match self.checked_themes(form).await? {
            Ok(t) => t,
            Err(e) => {
                errors.push(FieldError::new(field("themen"), e.message));
                vec![]
            }
        };
        if role == Role::Member && themes.is_empty() && !disabled {
            errors.push(FieldError::new(
                field("themen"),
                format!("Bitte wählen Sie für {} mindestens ein Handlungsfeld.", account.name),
            ));
        }
        let loses_admin =
            account.role == Role::Admin && !account.disabled && (role != Role::Admin || disabled);
        if loses_admin && self.store.count_active_admins().await? <= 1 {
            errors.push(FieldError::new(
                field("rolle"),
                "Das ist das letzte aktive Administrationskonto. Legen Sie zuerst ein weiteres an, damit die Verwaltung erreichbar bleibt.",
            ));
        } else if id == principal.account_id && loses_admin {
            errors.push(FieldError::new(field("rolle"), "Sie können Ihrem eigenen Konto die Administration nicht entziehen oder es sperren."));
        }
        if !errors.is_empty() {
            return Ok(FormOutcome::Invalid(FormProblems { values: kept_values(form), errors }));
        }
        let themes = if role == Role::Admin { vec![] } else { themes };
        let now = now_ms();
        self.store.update_account(id, role, disabled, &themes, now).await?;
        let detail = format!(
            "{}: {}{}{}",
            account.email,
            role.label(),
            if disabled { ", gesperrt" } else { "" },
            if themes.is_empty() {
                String::new()
            } else {
                format!(", Handlungsfelder {}", themes.join(", "))
            }
        );
        self.store
            .audit(Some(principal.account_id), &principal.email, "Konto geändert", &detail, now)
            .await?;
        Ok(FormOutcome::Done(()))
    }

    // ---- Audit log ----

    pub async fn audit_page(
        &self,
        principal: &Principal,
        page: u32,
    ) -> Result<AuditPage, AppError> {
        require_admin(principal)?;
        let page = page.max(1);
        let mut rows =
            self.store.audit_entries(PAGE_SIZE + 1, (page as i64 - 1) * PAGE_SIZE).await?;
        let has_more = rows.len() as i64 > PAGE_SIZE;
        rows.truncate(PAGE_SIZE as usize);
        Ok(AuditPage {
            me: principal.clone(),
            entries: rows
                .into_iter()
                .map(|r| AuditEntry {
                    at: format_time(r.at),
                    actor: r.actor,
                    action: r.action,
                    detail: r.detail,
                })
                .collect(),
            page,
            has_more,
        })
    }

    // ---- Organisations ----

    /// One page of the register (`page` from 1; beyond the last, the last), optionally only
    /// names containing `search`, with the forms around it.
    pub async fn organisations_page(
        &self,
        principal: &Principal,
        page: u32,
        search: &str,
    ) -> Result<OrganisationsPage, AppError> {
        require_admin(principal)?;
        let search = search.split_whitespace().collect::<Vec<_>>().join(" ");
        let search: String = search.chars().take(MAX_NAME_CHARS).collect();
        let mut page = page.max(1);
        let (mut total, mut rows) =
            self.store.organisation_page(&search, PAGE_SIZE, (page as i64 - 1) * PAGE_SIZE).await?;
        let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1) as u32;
        if page > last {
            // A bookmarked page after the register shrank: show its last page instead of none.
            page = last;
            (total, rows) = self
                .store
                .organisation_page(&search, PAGE_SIZE, (page as i64 - 1) * PAGE_SIZE)
                .await?;
        }
        let organisations = rows
            .into_iter()
            .map(|o| OrganisationView {
                id: o.id,
                name: o.name,
                kind_label: kind_label(Some(&o.kind)),
                municipalities: o.municipalities.iter().map(|a| municipality_name(a)).collect(),
                email: o.email,
            })
            .collect();
        Ok(OrganisationsPage {
            me: principal.clone(),
            organisations,
            total,
            page,
            has_more: page < last,
            search,
            questionnaires: self.questionnaire_choices().await?,
            mail_enabled: self.mail_enabled(),
        })
    }

    pub async fn create_organisation(
        &self,
        principal: &Principal,
        form: &[(String, String)],
    ) -> Result<FormOutcome<i64>, AppError> {
        require_admin(principal)?;
        let name = value(form, "name").split_whitespace().collect::<Vec<_>>().join(" ");
        let kind = value(form, "art");
        let mut served: Vec<String> =
            values(form, "kommunen").into_iter().map(String::from).collect();
        let email = value(form, "email").to_lowercase();
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Bitte geben Sie den Namen der Organisation an."));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new("name", "Der Name darf höchstens 200 Zeichen lang sein."));
        }
        if org_kind(kind).is_none() {
            errors.push(FieldError::new("art", "Bitte wählen Sie die Art der Organisation."));
        }
        if served.is_empty() {
            errors.push(FieldError::new(
                format!("kommunen-{}", MUNICIPALITIES[0].ags),
                "Bitte wählen Sie mindestens eine Kommune.",
            ));
        } else if served.iter().any(|a| municipality(a).is_none()) {
            errors.push(FieldError::new(
                format!("kommunen-{}", MUNICIPALITIES[0].ags),
                "Eine gewählte Kommune ist unbekannt.",
            ));
        }
        if !email.is_empty() && !is_plausible_email(&email) {
            errors.push(FieldError::new(
                "email",
                "Bitte geben Sie eine gültige E-Mail-Adresse an oder lassen Sie das Feld leer.",
            ));
        }
        if !errors.is_empty() {
            return Ok(FormOutcome::Invalid(FormProblems { values: kept_values(form), errors }));
        }
        served.sort();
        served.dedup();
        let new = NewOrganisation {
            name: name.clone(),
            kind: kind.to_string(),
            municipalities: served,
            email: (!email.is_empty()).then_some(email),
        };
        let Ok(ids) = self.store.register_organisations(vec![new], true).await? else {
            let errors = vec![FieldError::new(
                "name",
                format!("„{name}“ ist mit dieser Art schon im Verzeichnis."),
            )];
            return Ok(FormOutcome::Invalid(FormProblems { values: kept_values(form), errors }));
        };
        let id = ids[0];
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                "Organisation angelegt",
                &name,
                now_ms(),
            )
            .await?;
        Ok(FormOutcome::Done(id))
    }

    /// Imports a CSV file: all rows or, if any row is wrong or already registered, none.
    pub async fn import_organisations(
        &self,
        principal: &Principal,
        bytes: &[u8],
    ) -> Result<Result<usize, Vec<ImportProblem>>, AppError> {
        require_admin(principal)?;
        let parsed = match parse_organisations(bytes) {
            Ok(p) => p,
            Err(problems) => return Ok(Err(problems)),
        };
        let lines: Vec<usize> = parsed.iter().map(|o| o.line).collect();
        let new: Vec<NewOrganisation> = parsed
            .into_iter()
            .map(|o| NewOrganisation {
                name: o.name,
                kind: o.kind.to_string(),
                municipalities: o.municipalities.into_iter().map(String::from).collect(),
                email: o.email,
            })
            .collect();
        let count = new.len();
        let names: Vec<String> = new.iter().map(|o| o.name.clone()).collect();
        if let Err(known) = self.store.register_organisations(new, true).await? {
            return Ok(Err(registered_problems(
                known.into_iter().map(|i| (lines[i], names[i].as_str())),
            )));
        }
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                "Organisationen importiert",
                &format!("{count} Organisationen"),
                now_ms(),
            )
            .await?;
        Ok(Ok(count))
    }

    // ---- Invitations ----

    /// Makes links for the chosen organisations (or, with none chosen, for every organisation
    /// without a link yet) and returns them for the mail merge; they cannot be shown again.
    pub async fn issue_invitations(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<Vec<IssuedLink>, AppError> {
        require_admin(principal)?;
        let revision = self
            .store
            .questionnaire_revision(questionnaire_id)
            .await?
            .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
        let stored = self.store.questionnaire(questionnaire_id, revision).await?;
        let q = &stored.questionnaire;
        let organisations = self.store.organisations().await?;
        let already = self.store.invited_organisations(questionnaire_id).await?;
        let targets: Vec<_> = if chosen.is_empty() {
            organisations.into_iter().filter(|o| !already.contains(&o.id)).collect()
        } else {
            organisations.into_iter().filter(|o| chosen.contains(&o.id)).collect()
        };
        if targets.is_empty() {
            return Err(AppError::BadRequest(if chosen.is_empty() {
                "Alle Organisationen haben bereits einen Link zu diesem Fragebogen. Wählen Sie Organisationen aus, um ihnen einen neuen Link auszustellen.".into()
            } else {
                "Die gewählten Organisationen gibt es nicht (mehr).".into()
            }));
        }
        let mut invitations = Vec::with_capacity(targets.len());
        let mut issued = Vec::with_capacity(targets.len());
        for o in targets {
            let answers = profile_answers(q, &o.kind, &o.municipalities);
            let link_token = token::generate();
            invitations.push(NewInvitation {
                organisation_id: o.id,
                token_hash: token::hash(&link_token),
                answers,
            });
            issued.push(IssuedLink {
                kind_label: kind_label(Some(&o.kind)),
                municipalities: o.municipalities.iter().map(|a| municipality_name(a)).collect(),
                organisation: o.name,
                email: o.email,
                link: format!("{}/f/{link_token}", self.public_base_url),
            });
        }
        self.store.create_invitations(&stored, &invitations).await?;
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                "Einladungslinks erzeugt",
                &format!("{}: {} Links", q.title, issued.len()),
                now_ms(),
            )
            .await?;
        Ok(issued)
    }

    // ---- Invitations and reminders by e-mail ----

    fn mailer(&self) -> Result<&Mailer, AppError> {
        self.mailer.as_ref().ok_or_else(|| {
            AppError::BadRequest("Der Versand per E-Mail ist nicht eingerichtet. Erzeugen Sie die Links als CSV-Datei für einen Serienbrief.".into())
        })
    }

    /// The questionnaire, if it takes answers: links to any other would lead nowhere.
    async fn questionnaire_for_mail(
        &self,
        questionnaire_id: i64,
    ) -> Result<std::sync::Arc<StoredQuestionnaire>, AppError> {
        let revision = self
            .store
            .questionnaire_revision(questionnaire_id)
            .await?
            .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
        let stored = self.store.questionnaire(questionnaire_id, revision).await?;
        if stored.questionnaire.status != QuestionnaireStatus::Open {
            return Err(AppError::BadRequest(format!(
                "Der Fragebogen „{}“ ist nicht geöffnet. E-Mails werden erst versendet, wenn er Antworten annimmt.",
                stored.questionnaire.title
            )));
        }
        Ok(stored)
    }

    fn link(&self, link_token: &str) -> String {
        format!("{}/f/{link_token}", self.public_base_url)
    }

    /// Makes a link, mails it and only then counts it (revoking the organisation's older unused
    /// link); if the mail does not go out, the new link is deleted again and the old one stays.
    #[allow(clippy::too_many_arguments)]
    async fn mail_new_link(
        &self,
        mailer: &Mailer,
        stored: &StoredQuestionnaire,
        o: &OrganisationRow,
        email: &str,
        text: impl FnOnce(&str) -> MailText,
        invited_mail_at: Option<i64>,
        reminder: bool,
    ) -> Result<Result<(), SendFailure>, AppError> {
        let link_token = token::generate();
        let answers = profile_answers(&stored.questionnaire, &o.kind, &o.municipalities);
        let id = self
            .store
            .insert_invitation(
                stored,
                &NewInvitation {
                    organisation_id: o.id,
                    token_hash: token::hash(&link_token),
                    answers,
                },
            )
            .await?;
        match mailer.send(email, &text(&self.link(&link_token))).await {
            Ok(()) => {
                let now = now_ms();
                let invited = if reminder { invited_mail_at } else { Some(now) };
                self.store
                    .mark_invitation_mailed(id, invited, reminder.then_some(now), now)
                    .await?;
                Ok(Ok(()))
            }
            Err(failure) => {
                self.store.delete_response(id, stored).await?;
                Ok(Err(failure))
            }
        }
    }

    /// Audits a round of mails, also one that broke off, and reports it (or why it broke off).
    async fn close_mail_round(
        &self,
        principal: &Principal,
        action: &str,
        title: &str,
        report: MailReport,
        error: Option<AppError>,
    ) -> Result<MailReport, AppError> {
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                action,
                &report.audit_detail(title),
                now_ms(),
            )
            .await?;
        match error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Mails personal links to the chosen organisations (or, with none chosen, to every
    /// organisation without a link yet) that have an address. Each mail is its own step: a
    /// refused address is reported and the others still go out.
    pub async fn mail_invitations(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        require_admin(principal)?;
        let mailer = self.mailer()?;
        // One round per questionnaire at a time, in whichever instance: two clicks must not
        // mail two links to one organisation, the second revoking the first.
        let lease = MailRoundLease::acquire(&self.store, questionnaire_id).await?;
        let round = self.invitation_round(principal, mailer, questionnaire_id, chosen).await;
        lease.release().await;
        round
    }

    async fn invitation_round(
        &self,
        principal: &Principal,
        mailer: &Mailer,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        let stored = self.questionnaire_for_mail(questionnaire_id).await?;
        let q = &stored.questionnaire;
        let organisations = self.store.organisations().await?;
        let already = self.store.invited_organisations(questionnaire_id).await?;
        let targets: Vec<OrganisationRow> = if chosen.is_empty() {
            organisations.into_iter().filter(|o| !already.contains(&o.id)).collect()
        } else {
            organisations.into_iter().filter(|o| chosen.contains(&o.id)).collect()
        };
        let (targets, without): (Vec<_>, Vec<_>) =
            targets.into_iter().partition(|o| address_of(o).is_some());
        if targets.is_empty() {
            return Err(AppError::BadRequest(match (chosen.is_empty(), without.is_empty()) {
                (true, true) => "Alle Organisationen haben bereits einen Link zu diesem Fragebogen. Wählen Sie Organisationen aus, um ihnen einen neuen Link zu senden.".into(),
                (true, false) => "Keine Organisation ohne Link hat eine E-Mail-Adresse. Erzeugen Sie die Links als CSV-Datei für einen Serienbrief.".into(),
                (false, true) => "Die gewählten Organisationen gibt es nicht (mehr).".into(),
                (false, false) => "Keine der gewählten Organisationen hat eine E-Mail-Adresse.".into(),
            }));
        }
        let contact = mailer.contact();
        let mut report = MailReport { without_email: without.len(), ..Default::default() };
        let mut error = None;
        let mut stopped = false;
        for o in &targets {
            let email = address_of(o).unwrap_or_default();
            if stopped {
                report.not_attempted += 1;
                continue;
            }
            let facts = SurveyFacts {
                organisation: &o.name,
                questionnaire_title: &q.title,
                deadline: q.deadline.as_deref(),
                duration_minutes: q.duration_minutes,
                contact: &contact,
            };
            match self
                .mail_new_link(
                    mailer,
                    &stored,
                    o,
                    &email,
                    |link| mail::invitation_text(&facts, link),
                    None,
                    false,
                )
                .await
            {
                Ok(outcome) => stopped = !report.record(o, email, outcome),
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        self.close_mail_round(
            principal,
            "Einladungen per E-Mail versendet",
            &q.title,
            report,
            error,
        )
        .await
    }

    /// Reminds organisations whose link is not submitted (all, or the chosen responses), one
    /// mail per organisation. Those that have not begun get a fresh link replacing the unused
    /// one; those that have begun a reminder without link, as their link is not stored.
    pub async fn mail_reminders(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        require_admin(principal)?;
        let mailer = self.mailer()?;
        let lease = MailRoundLease::acquire(&self.store, questionnaire_id).await?;
        let round = self.reminder_round(principal, mailer, questionnaire_id, chosen).await;
        lease.release().await;
        round
    }

    async fn reminder_round(
        &self,
        principal: &Principal,
        mailer: &Mailer,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        let stored = self.questionnaire_for_mail(questionnaire_id).await?;
        let q = &stored.questionnaire;
        let organisations: std::collections::HashMap<i64, OrganisationRow> =
            self.store.organisations().await?.into_iter().map(|o| (o.id, o)).collect();
        // The newest open link of each organisation.
        let mut targets: Vec<crate::db::ReminderTarget> = Vec::new();
        for t in self.store.reminder_targets(questionnaire_id).await? {
            if !chosen.is_empty() && !chosen.contains(&t.response_id) {
                continue;
            }
            targets.retain(|x| x.organisation_id != t.organisation_id);
            targets.push(t);
        }
        if targets.is_empty() {
            return Err(AppError::BadRequest(if chosen.is_empty() {
                "Alle Organisationen mit Link haben den Fragebogen abgeschickt: Niemand ist zu erinnern.".into()
            } else {
                "Die gewählten Links sind schon abgeschickt oder zurückgezogen.".into()
            }));
        }
        let contact = mailer.contact();
        let mut report = MailReport::default();
        let mut error = None;
        let mut stopped = false;
        for t in &targets {
            let Some(o) = organisations.get(&t.organisation_id) else { continue };
            let Some(email) = address_of(o) else {
                report.without_email += 1;
                continue;
            };
            if stopped {
                report.not_attempted += 1;
                continue;
            }
            let facts = SurveyFacts {
                organisation: &o.name,
                questionnaire_title: &q.title,
                deadline: q.deadline.as_deref(),
                duration_minutes: q.duration_minutes,
                contact: &contact,
            };
            let outcome = if t.status == "invited" {
                self.mail_new_link(
                    mailer,
                    &stored,
                    o,
                    &email,
                    |link| mail::reminder_text(&facts, Some(link)),
                    t.invited_mail_at,
                    true,
                )
                .await
            } else {
                match mailer.send(&email, &mail::reminder_text(&facts, None)).await {
                    Ok(()) => self.store.mark_reminded(t.response_id, now_ms()).await.map(Ok),
                    Err(failure) => Ok(Err(failure)),
                }
            };
            match outcome {
                Ok(outcome) => stopped = !report.record(o, email, outcome),
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        self.close_mail_round(
            principal,
            "Erinnerungen per E-Mail versendet",
            &q.title,
            report,
            error,
        )
        .await
    }

    // ---- Progress and single responses ----

    pub(crate) async fn questionnaire_choices(&self) -> Result<Vec<QuestionnaireChoice>, AppError> {
        Ok(self
            .store
            .questionnaire_rows()
            .await?
            .into_iter()
            .map(|q| QuestionnaireChoice {
                id: q.id,
                title: q.title,
                status_label: questionnaire_status_label(&q.status).into(),
            })
            .collect())
    }

    pub async fn questionnaires_page(
        &self,
        principal: &Principal,
    ) -> Result<QuestionnairesPage, AppError> {
        require_admin(principal)?;
        let mut list = Vec::new();
        let counts = self.store.response_counts().await?;
        for row in self.store.questionnaire_rows().await? {
            let stored = self.store.questionnaire(row.id, row.revision).await?;
            list.push(QuestionnaireSummary {
                id: row.id,
                slug: row.slug,
                title: row.title,
                status_label: questionnaire_status_label(&row.status).into(),
                status: row.status,
                deadline: row.deadline,
                themes: stored.questionnaire.themes.len(),
                questions: stored.questionnaire.questions().count(),
                responses: counts.get(&row.id).copied().unwrap_or(0),
            });
        }
        Ok(QuestionnairesPage { me: principal.clone(), questionnaires: list })
    }

    pub async fn progress_page(
        &self,
        principal: &Principal,
        questionnaire_id: Option<i64>,
        status: Option<String>,
        page: u32,
    ) -> Result<ProgressPage, AppError> {
        require_admin(principal)?;
        let overview = self.questionnaires_page(principal).await?;
        let summary = match questionnaire_id {
            Some(id) => overview.questionnaires.iter().find(|q| q.id == id),
            None => overview
                .questionnaires
                .iter()
                .find(|q| q.status == "open")
                .or(overview.questionnaires.first()),
        }
        .cloned()
        .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
        let by_municipality = self.store.progress_by_municipality(summary.id).await?;
        let awaiting_review = self.store.awaiting_review(summary.id).await?;
        let by_kind = self.store.progress_by_kind(summary.id).await?;
        let mut total = ProgressCounts { label: "Insgesamt".into(), ..Default::default() };
        for c in &by_kind {
            add_count(&mut total, c);
        }
        let municipality_rows = MUNICIPALITIES
            .iter()
            .map(|m| {
                let mut row = ProgressCounts { label: m.name.into(), ..Default::default() };
                by_municipality
                    .iter()
                    .filter(|c| c.key.as_deref() == Some(m.ags))
                    .for_each(|c| add_count(&mut row, c));
                row
            })
            .collect();
        let mut kind_rows: Vec<ProgressCounts> = ORG_KINDS
            .iter()
            .map(|k| {
                let mut row = ProgressCounts { label: k.label.into(), ..Default::default() };
                by_kind
                    .iter()
                    .filter(|c| c.key.as_deref() == Some(k.code))
                    .for_each(|c| add_count(&mut row, c));
                row
            })
            .collect();
        let mut unknown = ProgressCounts { label: "ohne Angabe".into(), ..Default::default() };
        by_kind
            .iter()
            .filter(|c| c.key.as_deref().is_none_or(|k| org_kind(k).is_none()))
            .for_each(|c| add_count(&mut unknown, c));
        if unknown.total() > 0 {
            kind_rows.push(unknown);
        }
        let status = status.filter(|s| {
            ["invited", "draft", "submitted", "revoked", "pending"].contains(&s.as_str())
        });
        let page = page.max(1);
        let entries = self
            .store
            .response_list(summary.id, status.as_deref(), PAGE_SIZE, (page as i64 - 1) * PAGE_SIZE)
            .await?
            .into_iter()
            .map(progress_entry)
            .collect();
        Ok(ProgressPage {
            me: principal.clone(),
            questionnaires: overview
                .questionnaires
                .iter()
                .map(|q| QuestionnaireChoice {
                    id: q.id,
                    title: q.title.clone(),
                    status_label: q.status_label.clone(),
                })
                .collect(),
            questionnaire: summary,
            total,
            by_municipality: municipality_rows,
            by_kind: kind_rows,
            entries,
            awaiting_review,
            mail_enabled: self.mail_enabled(),
        })
    }

    /// One response with its answers, so that the KI can judge whether an open-link response
    /// comes from a real organisation before it counts.
    pub async fn response_detail_page(
        &self,
        principal: &Principal,
        response_id: i64,
    ) -> Result<ResponseDetailPage, AppError> {
        require_admin(principal)?;
        let summary =
            self.store.response_summary(response_id).await?.ok_or_else(response_not_found)?;
        let revision =
            self.store.questionnaire_revision(summary.questionnaire_id).await?.unwrap_or(0);
        let stored = self.store.questionnaire(summary.questionnaire_id, revision).await?;
        let answers = self.store.answers(response_id, &stored).await?;
        Ok(ResponseDetailPage {
            me: principal.clone(),
            response_id,
            questionnaire_id: summary.questionnaire_id,
            questionnaire_title: stored.questionnaire.title.clone(),
            organisation: summary.organisation,
            open_link: summary.channel == "open",
            status_label: status_label(&summary.status).into(),
            status: summary.status,
            review: summary.review.as_str().into(),
            created_at: format_time(summary.created_at),
            submitted_at: summary.submitted_at.map(format_time),
            pages: domain::views::review_pages(&stored.questionnaire, &answers, &[]),
        })
    }

    /// Re-opens a submitted response, revokes a link or deletes a response; returns the
    /// questionnaire it belongs to.
    pub async fn act_on_response(
        &self,
        principal: &Principal,
        response_id: i64,
        action: &str,
    ) -> Result<i64, AppError> {
        require_admin(principal)?;
        let summary =
            self.store.response_summary(response_id).await?.ok_or_else(response_not_found)?;
        let (questionnaire_id, status) = (summary.questionnaire_id, summary.status);
        let revision = self.store.questionnaire_revision(questionnaire_id).await?.unwrap_or(0);
        let stored = self.store.questionnaire(questionnaire_id, revision).await?;
        let what = match action {
            "wieder-oeffnen" => {
                if !self.store.reopen_response(response_id, &stored).await? {
                    return Err(AppError::Conflict(format!(
                        "Nur abgeschickte Antworten können wieder geöffnet werden; diese ist „{}“.",
                        status_label(&status)
                    )));
                }
                "Antwort wieder geöffnet"
            }
            "zurueckziehen" => {
                // A submitted response is data, not an open link: re-open or delete it instead.
                if status != "invited" && status != "draft" {
                    return Err(AppError::Conflict(format!(
                        "Nur Links, die noch nicht abgeschickt sind, können zurückgezogen werden; diese Antwort ist „{}“.",
                        status_label(&status)
                    )));
                }
                self.store.revoke_response(response_id).await?;
                "Link zurückgezogen"
            }
            "loeschen" => {
                self.store.delete_response(response_id, &stored).await?;
                "Antwort gelöscht"
            }
            "freigeben" | "ablehnen" => {
                let review =
                    if action == "freigeben" { Review::Accepted } else { Review::Rejected };
                if self.store.set_review(response_id, &stored, review).await?.is_none() {
                    return Err(AppError::Conflict(
                        "Nur Antworten über den offenen Link werden geprüft; Antworten auf eine persönliche Einladung zählen von Anfang an.".into(),
                    ));
                }
                if review == Review::Accepted {
                    "Antwort in die Auswertung aufgenommen"
                } else {
                    "Antwort aus der Auswertung herausgenommen"
                }
            }
            _ => return Err(AppError::BadRequest("Diese Aktion gibt es nicht.".into())),
        };
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                what,
                &format!("Antwort Nr. {response_id}"),
                now_ms(),
            )
            .await?;
        Ok(questionnaire_id)
    }

    /// Opens, closes or re-opens a questionnaire and sets its deadline (`YYYY-MM-DD` or empty).
    pub async fn set_questionnaire_status(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        form: &[(String, String)],
    ) -> Result<FormOutcome<()>, AppError> {
        require_admin(principal)?;
        let field = format!("frist-{questionnaire_id}");
        let status = match value(form, "status") {
            "open" => QuestionnaireStatus::Open,
            "closed" => QuestionnaireStatus::Closed,
            _ => return Err(AppError::BadRequest("Unbekannter Status.".into())),
        };
        let deadline_typed = value(form, "frist");
        let deadline = if deadline_typed.is_empty() {
            None
        } else {
            match german_date(deadline_typed) {
                Some(d) => Some(d),
                None => {
                    return Ok(FormOutcome::Invalid(FormProblems {
                        values: kept_values(form),
                        errors: vec![FieldError::new(
                            field,
                            "Bitte geben Sie die Frist als Datum an, z. B. 31.12.2026.",
                        )],
                    }))
                }
            }
        };
        if status == QuestionnaireStatus::Open {
            // Only a complete structure goes out to respondents.
            let revision = self
                .store
                .questionnaire_revision(questionnaire_id)
                .await?
                .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
            let problems =
                self.store.questionnaire(questionnaire_id, revision).await?.questionnaire.check();
            if !problems.is_empty() {
                return Ok(FormOutcome::Invalid(FormProblems {
                    values: kept_values(form),
                    errors: vec![FieldError::new(
                        field,
                        format!(
                            "Der Fragebogen kann noch nicht geöffnet werden: {}",
                            problems.join(" ")
                        ),
                    )],
                }));
            }
        }
        self.store.set_questionnaire_deadline(questionnaire_id, deadline.as_deref()).await?;
        self.store.set_questionnaire_status(questionnaire_id, status).await?;
        let detail = format!(
            "Fragebogen Nr. {questionnaire_id}: {}{}",
            questionnaire_status_label(status.as_str()),
            deadline.map(|d| format!(", Frist {d}")).unwrap_or_default()
        );
        self.store
            .audit(
                Some(principal.account_id),
                &principal.email,
                "Fragebogen-Status geändert",
                &detail,
                now_ms(),
            )
            .await?;
        Ok(FormOutcome::Done(()))
    }
}

impl Staff {
    pub async fn set_flash(&self, session_token: &str, flash: &Flash) -> Result<(), AppError> {
        let json = serde_json::to_string(flash).map_err(AppError::internal)?;
        self.store.set_flash(&token::hash(session_token), &json).await
    }
}

impl MailReport {
    /// Notes one mail's outcome; false when the rest should not be tried: the server, not
    /// the address, failed, and the others would fail alike.
    fn record(
        &mut self,
        o: &OrganisationRow,
        email: String,
        outcome: Result<(), SendFailure>,
    ) -> bool {
        match outcome {
            Ok(()) => {
                self.sent.push(o.name.clone());
                true
            }
            Err(failure) => {
                self.failed.push(MailFailure {
                    organisation: o.name.clone(),
                    email,
                    reason: failure.message(),
                });
                failure != SendFailure::Unreachable
            }
        }
    }
}

/// The organisation's address for invitations, if it has one.
fn address_of(o: &OrganisationRow) -> Option<String> {
    o.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(String::from)
}

fn add_count(row: &mut ProgressCounts, c: &StatusCount) {
    match c.status.as_str() {
        "invited" => row.invited += c.count,
        "draft" => row.started += c.count,
        "submitted" => row.submitted += c.count,
        _ => {}
    }
}

fn response_not_found() -> AppError {
    AppError::NotFound("Diese Antwort gibt es nicht (mehr).".into())
}

fn progress_entry(r: ResponseListRow) -> ProgressEntry {
    ProgressEntry {
        response_id: r.id,
        organisation: r.organisation,
        kind_label: kind_label(r.org_kind.as_deref()),
        municipalities: r.municipalities.iter().map(|a| municipality_name(a)).collect(),
        status_label: status_label(&r.status).into(),
        status: r.status,
        last_activity: format_time(r.updated_at),
        invited_mail_at: r.invited_mail_at.map(format_time),
        reminded_at: r.reminded_at.map(format_time),
        open_link: r.channel == "open",
        review: r.review.as_str().into(),
    }
}

fn account_view(a: AccountRow) -> AccountView {
    AccountView {
        id: a.id,
        email: a.email,
        name: a.name,
        role: a.role,
        disabled: a.disabled,
        themes: a.themes,
        created_at: format_time(a.created_at),
    }
}

/// The mail-merge file of freshly issued links (Excel dialect: `;`, UTF-8 with BOM, CRLF).
pub fn invitation_csv(links: &[IssuedLink]) -> Result<Vec<u8>, AppError> {
    use crate::export::{CsvOut, Dialect};
    let mut out = CsvOut::new(Dialect::Excel);
    out.texts(["Organisation", "Art", "Kommunen", "E-Mail", "Link"])?;
    for l in links {
        out.texts([
            l.organisation.as_str(),
            l.kind_label.as_str(),
            l.municipalities.join(", ").as_str(),
            l.email.as_deref().unwrap_or(""),
            l.link.as_str(),
        ])?;
    }
    out.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_reports_read_well() {
        let mut report = MailReport { sent: vec!["A".into(), "B".into()], ..Default::default() };
        assert_eq!(report.summary(false), "2 Einladungen wurden per E-Mail versendet.");
        report.sent.pop();
        report.failed.push(MailFailure {
            organisation: "Kita X".into(),
            email: "x@example.org".into(),
            reason: SendFailure::Refused.message(),
        });
        report.without_email = 1;
        report.not_attempted = 3;
        let text = report.summary(true);
        assert!(
            text.starts_with("1 Erinnerung wurde per E-Mail versendet. 1 nicht (siehe unten)."),
            "{text}"
        );
        assert!(
            text.contains("3 weitere wurden nicht versucht")
                && text.contains("1 Organisation ohne E-Mail-Adresse"),
            "{text}"
        );
        assert_eq!(report.failure_lines(), ["Kita X (x@example.org): Der Mailserver hat die Nachricht an diese Adresse abgelehnt."]);
        let detail = report.audit_detail("Bedarfsanalyse");
        assert_eq!(detail, "Bedarfsanalyse: 1 versendet, 1 fehlgeschlagen (x@example.org), 3 nicht versucht (Mailserver nicht erreichbar)");
    }

    #[test]
    fn mail_merge_file_is_excel_friendly() {
        let links = vec![IssuedLink {
            organisation: "=Caritas; \"Kleve\"".into(),
            kind_label: "Wohlfahrtsverband".into(),
            municipalities: vec!["Kleve".into(), "Goch".into()],
            email: None,
            link: "http://x/f/abc".into(),
        }];
        let bytes = invitation_csv(&links).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\r\n"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[0], "'=Caritas; \"Kleve\"");
        assert_eq!(&record[2], "Kleve, Goch");
    }
}

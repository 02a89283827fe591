//! Signing in and out, sessions and their flash, passwords, staff accounts and the audit log.

pub mod password;
pub(crate) mod store;

pub use store::{AccountRow, AuditRow, SessionRow};

use crate::staff::{
    refused, require_admin, FormOutcome, NewSession, Staff, LOGIN_FAILED, MAX_EMAIL_CHARS,
    PAGE_SIZE, SESSION_IDLE_MS, SESSION_MAX_MS,
};
use crate::{now_ms, token};
use domain::accounts::{account_field, field, AccountForm, NewAccountForm, PasswordForm};
use domain::locale::format_time;
use domain::staff::{
    check_new_password, is_plausible_email, AccountView, AccountsPage, AuditEntry, AuditPage,
    Flash, FormProblems, Principal, Role, ThemeChoice,
};
use domain::validation::FieldError;
use domain::AppError;
use std::net::IpAddr;

impl Staff {
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
            self.store.audit_by(&principal, "Abmeldung", "").await?;
        }
        Ok(self.store.delete_session(&token::hash(session_token)).await?)
    }

    pub async fn change_password(
        &self,
        principal: &Principal,
        session_token: &str,
        form: &PasswordForm,
    ) -> Result<FormOutcome<()>, AppError> {
        let account =
            self.store.account(principal.account_id).await?.ok_or(AppError::Unauthenticated)?;
        let mut errors = Vec::new();
        if !password::verify_blocking(form.current.clone(), Some(account.password_hash.clone()))
            .await
        {
            errors.push(FieldError::new(
                field::PASSWORD,
                "Das bisherige Passwort ist nicht richtig.",
            ));
        }
        let change = form.validate().map_err(|e| errors.extend(e)).ok();
        let (Some(change), true) = (change, errors.is_empty()) else {
            return Ok(FormOutcome::Invalid(FormProblems { values: vec![], errors }));
        };
        let hash = password::hash_blocking(change.new).await?;
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
    pub(crate) async fn theme_choices(&self) -> Result<Vec<ThemeChoice>, AppError> {
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

    pub async fn create_account(
        &self,
        principal: &Principal,
        form: &NewAccountForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        require_admin(principal)?;
        let account = match form.validate(&self.theme_choices().await?) {
            Ok(account) => account,
            Err(errors) => return Ok(refused(form, errors)),
        };
        let hash = password::hash_blocking(account.password.clone()).await?;
        let now = now_ms();
        let (email, role) = (&account.email, account.role);
        let created = self
            .store
            .insert_account(email, &account.name, &hash, role, &account.themes, now)
            .await;
        let id = match created.map_err(AppError::from) {
            Ok(id) => id,
            Err(AppError::Conflict(message)) => {
                return Ok(refused(form, vec![FieldError::new(field::EMAIL, message)]))
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
        form: &AccountForm,
    ) -> Result<FormOutcome<()>, AppError> {
        require_admin(principal)?;
        let account = self
            .store
            .account(id)
            .await?
            .ok_or_else(|| AppError::NotFound("Dieses Konto gibt es nicht (mehr).".into()))?;
        let known = self.theme_choices().await?;
        let (update, mut errors) = match form.validate(id, &account.name, account.role, &known) {
            Ok(update) => (Some(update), vec![]),
            Err(errors) => (None, errors),
        };
        let (role, disabled) = (form.role.unwrap_or(account.role), form.disabled);
        let loses_admin =
            account.role == Role::Admin && !account.disabled && (role != Role::Admin || disabled);
        if loses_admin && self.store.count_active_admins().await? <= 1 {
            errors.push(FieldError::new(
                account_field(field::ROLE, id),
                "Das ist das letzte aktive Administrationskonto. Legen Sie zuerst ein weiteres an, damit die Verwaltung erreichbar bleibt.",
            ));
        } else if id == principal.account_id && loses_admin {
            errors.push(FieldError::new(account_field(field::ROLE, id), "Sie können Ihrem eigenen Konto die Administration nicht entziehen oder es sperren."));
        }
        let (Some(update), true) = (update, errors.is_empty()) else {
            return Ok(refused(form, errors));
        };
        let now = now_ms();
        self.store.update_account(id, update.role, update.disabled, &update.themes, now).await?;
        let detail = format!(
            "{}: {}{}{}",
            account.email,
            update.role.label(),
            if update.disabled { ", gesperrt" } else { "" },
            if update.themes.is_empty() {
                String::new()
            } else {
                format!(", Handlungsfelder {}", update.themes.join(", "))
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
}

impl Staff {
    pub async fn set_flash(&self, session_token: &str, flash: &Flash) -> Result<(), AppError> {
        let json = serde_json::to_string(flash).map_err(AppError::internal)?;
        Ok(self.store.set_flash(&token::hash(session_token), &json).await?)
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

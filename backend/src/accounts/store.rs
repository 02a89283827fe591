//! Staff accounts, sessions and the audit log.

use crate::db::{get, Store};
use crate::error::{StoreError, StoreResult};
use crate::now_ms;
use domain::staff::{Principal, Role};
use domain::AppError;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: i64,
    pub themes: Vec<String>,
}

/// A live session joined with its account.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub account: AccountRow,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// What the last form post left for the next page (JSON).
    pub flash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

async fn insert_themes(
    tx: &mut Transaction<'static, Any>,
    account_id: i64,
    themes: &[String],
) -> StoreResult<()> {
    for theme in themes {
        sqlx::query("INSERT INTO account_theme (account_id, theme_code) VALUES ($1, $2)")
            .bind(account_id)
            .bind(theme)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

const ACCOUNT_COLUMNS: &str =
    "a.id, a.email, a.name, a.password_hash, a.role, a.disabled, a.created_at";

fn account_from_row(row: &AnyRow) -> StoreResult<AccountRow> {
    let role: String = get(row, "role")?;
    Ok(AccountRow {
        id: get(row, "id")?,
        email: get(row, "email")?,
        name: get(row, "name")?,
        password_hash: get(row, "password_hash")?,
        role: Role::parse(&role)
            .ok_or_else(|| AppError::internal(format!("unknown role {role}")))?,
        disabled: get::<i64>(row, "disabled")? != 0,
        created_at: get(row, "created_at")?,
        themes: Vec::new(),
    })
}

impl Store {
    pub async fn account_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM account").fetch_one(&self.read).await?)
    }

    /// Creates an account; an address already in use is a conflict.
    pub async fn insert_account(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
        themes: &[String],
        now: i64,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO account (email, name, password_hash, role, disabled, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            e if e.is_unique_violation() => AppError::Conflict(format!("Es gibt bereits ein Konto mit der Adresse {email}.")).into(),
            other => other,
        })?;
        insert_themes(&mut tx, id, themes).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn account_by_email(&self, email: &str) -> StoreResult<Option<AccountRow>> {
        let row =
            sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.email = $1"))
                .bind(email)
                .fetch_optional(&self.read)
                .await?;
        self.with_themes(row).await
    }

    pub async fn account(&self, id: i64) -> StoreResult<Option<AccountRow>> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        self.with_themes(row).await
    }

    async fn with_themes(&self, row: Option<AnyRow>) -> StoreResult<Option<AccountRow>> {
        let Some(row) = row else { return Ok(None) };
        let mut account = account_from_row(&row)?;
        account.themes = self.account_themes(account.id).await?;
        Ok(Some(account))
    }

    async fn account_themes(&self, account_id: i64) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT theme_code FROM account_theme WHERE account_id = $1 ORDER BY theme_code",
        )
        .bind(account_id)
        .fetch_all(&self.read)
        .await?)
    }

    pub async fn accounts(&self) -> StoreResult<Vec<AccountRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account a ORDER BY a.disabled, a.name, a.email"
        ))
        .fetch_all(&self.read)
        .await?;
        let themes: Vec<(i64, String)> =
            sqlx::query_as("SELECT account_id, theme_code FROM account_theme ORDER BY theme_code")
                .fetch_all(&self.read)
                .await?;
        rows.iter()
            .map(|row| {
                let mut account = account_from_row(row)?;
                account.themes = themes
                    .iter()
                    .filter(|(id, _)| *id == account.id)
                    .map(|(_, t)| t.clone())
                    .collect();
                Ok(account)
            })
            .collect()
    }

    /// Changes role, themes and whether the account may sign in; disabling ends its sessions.
    pub async fn update_account(
        &self,
        id: i64,
        role: Role,
        disabled: bool,
        themes: &[String],
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE account SET role = $1, disabled = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(role.as_str())
        .bind(disabled as i64)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::NotFound("Dieses Konto gibt es nicht (mehr).".into()).into());
        }
        sqlx::query("DELETE FROM account_theme WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        insert_themes(&mut tx, id, themes).await?;
        if disabled {
            sqlx::query("DELETE FROM session WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx.commit().await?)
    }

    /// Sets a new password and ends every other session of the account.
    pub async fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        keep_session_hash: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE account SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM session WHERE account_id = $1 AND id_hash <> $2")
            .bind(id)
            .bind(keep_session_hash.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        Ok(tx.commit().await?)
    }

    pub async fn count_active_admins(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = 0")
            .fetch_one(&self.read)
            .await?)
    }

    pub async fn insert_session(
        &self,
        id_hash: &str,
        account_id: i64,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO session (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(id_hash)
        .bind(account_id)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(&self.write)
        .await?;
        // Expired sessions of anybody are cleared on the way.
        sqlx::query("DELETE FROM session WHERE expires_at < $1")
            .bind(now)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, s.csrf_token, s.last_seen_at, s.expires_at, s.flash
             FROM session s JOIN account a ON a.id = s.account_id WHERE s.id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut account = account_from_row(&row)?;
        account.themes = self.account_themes(account.id).await?;
        Ok(Some(SessionRow {
            account,
            csrf_token: get(&row, "csrf_token")?,
            last_seen_at: get(&row, "last_seen_at")?,
            expires_at: get(&row, "expires_at")?,
            flash: get(&row, "flash")?,
        }))
    }

    pub async fn touch_session(&self, id_hash: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM session WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn audit(
        &self,
        account_id: Option<i64>,
        actor: &str,
        action: &str,
        detail: &str,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO audit_log (at, account_id, actor, action, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(now)
            .bind(account_id)
            .bind(actor)
            .bind(action)
            .bind(detail)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// An entry by a signed-in staff member, now.
    pub async fn audit_by(
        &self,
        principal: &Principal,
        action: &str,
        detail: &str,
    ) -> StoreResult<()> {
        self.audit(Some(principal.account_id), &principal.email, action, detail, now_ms()).await
    }

    /// Newest first.
    pub async fn audit_entries(&self, limit: i64, offset: i64) -> StoreResult<Vec<AuditRow>> {
        let rows = sqlx::query("SELECT at, actor, action, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2")
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditRow {
                    at: get(row, "at")?,
                    actor: get(row, "actor")?,
                    action: get(row, "action")?,
                    detail: get(row, "detail")?,
                })
            })
            .collect()
    }
}

impl Store {
    pub async fn set_flash(&self, id_hash: &str, flash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE session SET flash = $1 WHERE id_hash = $2")
            .bind(flash)
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn clear_flash(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE session SET flash = NULL WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}

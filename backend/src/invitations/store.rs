//! Invitation links' statements: issued, mailed, reminded.

use crate::db::{get, get_code, Store, StoredQuestionnaire};
use crate::error::StoreResult;
use crate::now_ms;
use crate::respondent::store::plan_changes;
use domain::Answers;
use domain::ResponseStatus;
use sqlx::{Any, Transaction};

/// A link to hand out: the organisation, its token's hash and its profile answers.
pub struct NewInvitation {
    pub organisation_id: i64,
    pub token_hash: String,
    pub answers: Answers,
}

/// A link not yet submitted, of an organisation: whom a reminder goes to.
#[derive(Debug, Clone)]
pub struct ReminderTarget {
    pub response_id: i64,
    pub organisation_id: i64,
    /// `Invited` (not begun) or `Draft`.
    pub status: ResponseStatus,
    pub invited_mail_at: Option<i64>,
}

impl Store {
    /// Organisation ids that hold a link (not revoked) to the questionnaire.
    pub async fn invited_organisations(&self, questionnaire_id: i64) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT organisation_id FROM response
             WHERE questionnaire_id = $1 AND organisation_id IS NOT NULL AND status <> 'revoked'",
        )
        .bind(questionnaire_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Creates links in one transaction. Links of these organisations that were never
    /// answered are revoked first: a re-issued link replaces the old one.
    pub async fn create_invitations(
        &self,
        questionnaire: &StoredQuestionnaire,
        invitations: &[NewInvitation],
    ) -> StoreResult<()> {
        let now = now_ms();
        let questionnaire_id = questionnaire.questionnaire.id;
        let mut tx = self.begin_write().await?;
        for invitation in invitations {
            sqlx::query(
                "UPDATE response SET status = 'revoked', updated_at = $3
                 WHERE questionnaire_id = $1 AND organisation_id = $2 AND status = 'invited'",
            )
            .bind(questionnaire_id)
            .bind(invitation.organisation_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_link(&mut tx, questionnaire, invitation, now).await?;
        }
        Ok(tx.commit().await?)
    }

    /// Creates one link, not yet counted as mailed; its old unused links stay valid until the
    /// mail has gone out ([`Store::mark_invitation_mailed`]) or it is dropped again
    /// ([`Store::delete_response`]).
    pub async fn insert_invitation(
        &self,
        questionnaire: &StoredQuestionnaire,
        invitation: &NewInvitation,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_link(&mut tx, questionnaire, invitation, now_ms()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The mail with the link of `response_id` went out: records when (the invitation's time,
    /// and the reminder's if it was one) and revokes the organisation's other unused links to
    /// the questionnaire, in one transaction.
    pub async fn mark_invitation_mailed(
        &self,
        response_id: i64,
        invited_mail_at: Option<i64>,
        reminded_at: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (questionnaire_id, organisation_id): (i64, Option<i64>) =
            sqlx::query_as("SELECT questionnaire_id, organisation_id FROM response WHERE id = $1")
                .bind(response_id)
                .fetch_one(&mut *tx)
                .await?;
        if let Some(organisation_id) = organisation_id {
            sqlx::query(
                "UPDATE response SET status = 'revoked', updated_at = $4
                 WHERE questionnaire_id = $1 AND organisation_id = $2 AND status = 'invited' AND id <> $3",
            )
            .bind(questionnaire_id)
            .bind(organisation_id)
            .bind(response_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE response SET invited_mail_at = $2, reminded_at = $3 WHERE id = $1")
            .bind(response_id)
            .bind(invited_mail_at)
            .bind(reminded_at)
            .execute(&mut *tx)
            .await?;
        Ok(tx.commit().await?)
    }

    /// A reminder without a new link went out.
    pub async fn mark_reminded(&self, response_id: i64, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE response SET reminded_at = $2 WHERE id = $1")
            .bind(response_id)
            .bind(now)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Links of organisations to the questionnaire that are neither submitted nor revoked.
    pub async fn reminder_targets(
        &self,
        questionnaire_id: i64,
    ) -> StoreResult<Vec<ReminderTarget>> {
        let rows = sqlx::query(
            "SELECT id, organisation_id, status, invited_mail_at FROM response
             WHERE questionnaire_id = $1 AND organisation_id IS NOT NULL AND status IN ('invited', 'draft')
             ORDER BY id",
        )
        .bind(questionnaire_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReminderTarget {
                    response_id: get(r, "id")?,
                    organisation_id: get(r, "organisation_id")?,
                    status: get_code(r, "status", ResponseStatus::parse)?,
                    invited_mail_at: get(r, "invited_mail_at")?,
                })
            })
            .collect()
    }
}

/// Inserts an invitation link with the organisation's profile answers.
async fn insert_link(
    tx: &mut Transaction<'static, Any>,
    questionnaire: &StoredQuestionnaire,
    invitation: &NewInvitation,
    now: i64,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO response (questionnaire_id, organisation_id, token_hash, channel, status, current_page, created_at, updated_at)
         VALUES ($1, $2, $3, 'invitation', 'invited', 0, $4, $4) RETURNING id",
    )
    .bind(questionnaire.questionnaire.id)
    .bind(invitation.organisation_id)
    .bind(&invitation.token_hash)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    plan_changes(id, questionnaire, &Answers::new(), &invitation.answers).write(tx).await?;
    Ok(id)
}

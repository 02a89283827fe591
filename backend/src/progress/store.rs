//! Progress counts, the response list and the actions on single responses (reopen, review,
//! delete), which keep the dashboards' tallies in step.

use crate::dashboards::tally::{ResponseTally, TallyLayout};
use crate::db::{get, get_code, Store, StoredQuestionnaire};
use crate::error::StoreResult;
use crate::now_ms;
use domain::response::{Channel, ResponseStatus, Review};
use sqlx::{Any, Transaction};

/// Counts of non-revoked responses by a grouping key and status.
#[derive(Debug, Clone)]
pub struct StatusCount {
    pub key: Option<String>,
    pub status: ResponseStatus,
    pub count: i64,
}

#[derive(Debug, Clone)]
pub struct ResponseListRow {
    pub id: i64,
    pub organisation: Option<String>,
    pub org_kind: Option<String>,
    pub status: ResponseStatus,
    pub updated_at: i64,
    pub municipalities: Vec<String>,
    pub invited_mail_at: Option<i64>,
    pub reminded_at: Option<i64>,
    pub channel: Channel,
    pub review: Review,
}

/// A submitted response's submission time and whether the tallies count it.
struct Submission {
    submitted_at: i64,
    counted: bool,
}

/// One response, for the administration's review of it.
#[derive(Debug, Clone)]
pub struct ResponseSummary {
    pub questionnaire_id: i64,
    pub status: ResponseStatus,
    pub channel: Channel,
    pub review: Review,
    pub organisation: Option<String>,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
}

impl Store {
    /// Counts by status and municipality (a response serving several counts in each).
    pub async fn progress_by_municipality(
        &self,
        questionnaire_id: i64,
    ) -> StoreResult<Vec<StatusCount>> {
        self.status_counts(
            "SELECT rm.ags AS key, r.status AS status, COUNT(*) AS n FROM response r
             JOIN response_municipality rm ON rm.response_id = r.id
             WHERE r.questionnaire_id = $1 AND r.status <> 'revoked' GROUP BY rm.ags, r.status",
            questionnaire_id,
        )
        .await
    }

    pub async fn progress_by_kind(&self, questionnaire_id: i64) -> StoreResult<Vec<StatusCount>> {
        self.status_counts(
            "SELECT r.org_kind AS key, r.status AS status, COUNT(*) AS n FROM response r
             WHERE r.questionnaire_id = $1 AND r.status <> 'revoked' GROUP BY r.org_kind, r.status",
            questionnaire_id,
        )
        .await
    }

    async fn status_counts(
        &self,
        sql: &str,
        questionnaire_id: i64,
    ) -> StoreResult<Vec<StatusCount>> {
        let rows = sqlx::query(sql).bind(questionnaire_id).fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(StatusCount {
                    key: get(r, "key")?,
                    status: get_code(r, "status", ResponseStatus::parse)?,
                    count: get(r, "n")?,
                })
            })
            .collect()
    }

    /// The most recently active responses, with organisation and municipalities.
    pub async fn response_list(
        &self,
        questionnaire_id: i64,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<ResponseListRow>> {
        let rows = sqlx::query(
            "SELECT r.id, o.name, r.org_kind, r.status, r.updated_at, r.invited_mail_at, r.reminded_at, r.channel, r.review FROM response r
             LEFT JOIN organisation o ON o.id = r.organisation_id
             WHERE r.questionnaire_id = $1
               AND ($2 = '' OR r.status = $2 OR ($2 = 'pending' AND r.review = 'pending' AND r.status = 'submitted'))
             ORDER BY r.updated_at DESC, r.id DESC LIMIT $3 OFFSET $4",
        )
        .bind(questionnaire_id)
        .bind(status.unwrap_or(""))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        let mut list: Vec<ResponseListRow> = rows
            .iter()
            .map(|r| {
                Ok(ResponseListRow {
                    id: get(r, "id")?,
                    organisation: get(r, "name")?,
                    org_kind: get(r, "org_kind")?,
                    status: get_code(r, "status", ResponseStatus::parse)?,
                    updated_at: get(r, "updated_at")?,
                    municipalities: Vec::new(),
                    invited_mail_at: get(r, "invited_mail_at")?,
                    reminded_at: get(r, "reminded_at")?,
                    channel: get_code(r, "channel", Channel::parse)?,
                    review: get_code(r, "review", Review::parse)?,
                })
            })
            .collect::<StoreResult<_>>()?;
        if !list.is_empty() {
            let placeholders: Vec<String> = (1..=list.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT response_id, ags FROM response_municipality WHERE response_id IN ({}) ORDER BY ags",
                placeholders.join(",")
            );
            let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
            for row in &list {
                query = query.bind(row.id);
            }
            for (id, ags) in query.fetch_all(&self.read).await? {
                if let Some(row) = list.iter_mut().find(|r| r.id == id) {
                    row.municipalities.push(ags);
                }
            }
        }
        Ok(list)
    }

    /// A response's questionnaire, status, channel and review, for the administration.
    pub async fn response_summary(&self, response_id: i64) -> StoreResult<Option<ResponseSummary>> {
        let row = sqlx::query(
            "SELECT r.questionnaire_id, r.status, r.channel, r.review, o.name, r.created_at, r.submitted_at FROM response r
             LEFT JOIN organisation o ON o.id = r.organisation_id WHERE r.id = $1",
        )
        .bind(response_id)
        .fetch_optional(&self.read)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(ResponseSummary {
            questionnaire_id: get(&r, "questionnaire_id")?,
            status: get_code(&r, "status", ResponseStatus::parse)?,
            channel: get_code(&r, "channel", Channel::parse)?,
            review: get_code(&r, "review", Review::parse)?,
            organisation: get(&r, "name")?,
            created_at: get(&r, "created_at")?,
            submitted_at: get(&r, "submitted_at")?,
        }))
    }

    /// Submitted open-link responses that wait for the KI's review.
    pub async fn awaiting_review(&self, questionnaire_id: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM response WHERE questionnaire_id = $1 AND review = 'pending' AND status = 'submitted'")
            .bind(questionnaire_id)
            .fetch_one(&self.read)
            .await?)
    }

    /// Makes a submitted response a draft again, so that its link can change it, and takes it
    /// out of the dashboards' tallies.
    pub async fn reopen_response(
        &self,
        response_id: i64,
        stored: &StoredQuestionnaire,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let Some(submission) = self.submission(&mut tx, response_id).await? else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE response SET status = 'draft', submitted_at = NULL, updated_at = $2, version = version + 1
             WHERE id = $1 AND status = 'submitted'",
        )
        .bind(response_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if submission.counted {
            self.count_in_tallies(&mut tx, response_id, stored, submission.submitted_at, -1)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes a response and its answers for good (and from the tallies when submitted).
    pub async fn delete_response(
        &self,
        response_id: i64,
        stored: &StoredQuestionnaire,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        if let Some(submission) = self.submission(&mut tx, response_id).await?.filter(|s| s.counted)
        {
            self.count_in_tallies(&mut tx, response_id, stored, submission.submitted_at, -1)
                .await?;
        }
        // Explicit, so that nothing depends on the connection's foreign-key setting.
        sqlx::query("DELETE FROM answer WHERE response_id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM response_municipality WHERE response_id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM response WHERE id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// When the response is submitted: its submission time and whether it is counted in the
    /// tallies, with the row locked on PostgreSQL.
    async fn submission(
        &self,
        tx: &mut Transaction<'static, Any>,
        response_id: i64,
    ) -> StoreResult<Option<Submission>> {
        let lock = self.engine.row_lock();
        let row = sqlx::query(&format!("SELECT submitted_at, review FROM response WHERE id = $1 AND status = 'submitted'{lock}"))
            .bind(response_id)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let Some(submitted_at) = get::<Option<i64>>(&row, "submitted_at")? else { return Ok(None) };
        Ok(Some(Submission {
            submitted_at,
            counted: get::<String>(&row, "review")? == Review::Accepted.as_str(),
        }))
    }

    /// Adds a submitted response's contribution to the tallies (`delta` 1) or takes it out (-1).
    async fn count_in_tallies(
        &self,
        tx: &mut Transaction<'static, Any>,
        response_id: i64,
        stored: &StoredQuestionnaire,
        submitted_at: i64,
        delta: i64,
    ) -> StoreResult<()> {
        let answers = crate::respondent::store::answers_in(tx, response_id, stored).await?;
        let layout = TallyLayout::new(stored);
        let contribution =
            ResponseTally::from_answers(&layout, stored, &answers).finish(&layout, submitted_at);
        crate::dashboards::store::apply_contribution(
            tx,
            &self.engine,
            stored.questionnaire.id,
            response_id,
            &contribution,
            delta,
        )
        .await
    }

    /// Accepts an open-link response into the aggregated outputs or keeps it out (`review`
    /// is `Accepted` or `Rejected`), adjusting the tallies when it is submitted. Returns the
    /// state before, or `None` when the response is not one through the open link.
    pub async fn set_review(
        &self,
        response_id: i64,
        stored: &StoredQuestionnaire,
        review: Review,
    ) -> StoreResult<Option<Review>> {
        let mut tx = self.begin_write().await?;
        let lock = self.engine.row_lock();
        let row = sqlx::query(&format!("SELECT channel, review FROM response WHERE id = $1{lock}"))
            .bind(response_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        if get_code(&row, "channel", Channel::parse)? != Channel::Open {
            return Ok(None);
        }
        let before = get_code(&row, "review", Review::parse)?;
        if before == review {
            return Ok(Some(before));
        }
        if let Some(submission) = self.submission(&mut tx, response_id).await? {
            match (before == Review::Accepted, review == Review::Accepted) {
                (false, true) => {
                    self.count_in_tallies(&mut tx, response_id, stored, submission.submitted_at, 1)
                        .await?
                }
                (true, false) => {
                    self.count_in_tallies(&mut tx, response_id, stored, submission.submitted_at, -1)
                        .await?
                }
                _ => {}
            }
        }
        sqlx::query("UPDATE response SET review = $2 WHERE id = $1")
            .bind(response_id)
            .bind(review.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(before))
    }
}

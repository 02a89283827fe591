//! What the administration reads and changes besides accounts: organisations, invitation
//! links, progress, single responses and questionnaire status.

use super::responses::plan_changes;
use super::{db_error, get, Backend, Store, StoredQuestionnaire};
use crate::now_ms;
use crate::tally::{ResponseTally, TallyLayout};
use domain::Review;
use domain::{Answers, AppError};
use sqlx::Row;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub email: Option<String>,
    pub municipalities: Vec<String>,
}

/// An organisation to register.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: String,
    pub municipalities: Vec<String>,
    pub email: Option<String>,
}

/// A link to hand out: the organisation, its token's hash and its profile answers.
pub struct NewInvitation {
    pub organisation_id: i64,
    pub token_hash: String,
    pub answers: Answers,
}

/// Counts of non-revoked responses by a grouping key and status.
#[derive(Debug, Clone)]
pub struct StatusCount {
    pub key: Option<String>,
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Clone)]
pub struct ResponseListRow {
    pub id: i64,
    pub organisation: Option<String>,
    pub org_kind: Option<String>,
    pub status: String,
    pub updated_at: i64,
    pub municipalities: Vec<String>,
    pub invited_mail_at: Option<i64>,
    pub reminded_at: Option<i64>,
    /// `invitation` or `open`.
    pub channel: String,
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
    pub status: String,
    pub channel: String,
    pub review: Review,
    pub organisation: Option<String>,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
}

/// A link not yet submitted, of an organisation: whom a reminder goes to.
#[derive(Debug, Clone)]
pub struct ReminderTarget {
    pub response_id: i64,
    pub organisation_id: i64,
    /// `invited` (not begun) or `draft`.
    pub status: String,
    pub invited_mail_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct QuestionnaireRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub deadline: Option<String>,
    pub revision: i64,
}

impl Store {
    pub async fn organisations(&self) -> Result<Vec<OrganisationRow>, AppError> {
        let rows = sqlx::query("SELECT id, name, kind, email FROM organisation ORDER BY name, id")
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?;
        let served: Vec<(i64, String)> =
            sqlx::query_as("SELECT organisation_id, ags FROM organisation_municipality ORDER BY organisation_id, ags")
                .fetch_all(&self.read)
                .await
                .map_err(db_error)?;
        let mut by_org: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, ags) in served {
            by_org.entry(id).or_default().push(ags);
        }
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                Ok(OrganisationRow {
                    id,
                    name: get(r, "name")?,
                    kind: get(r, "kind")?,
                    email: get(r, "email")?,
                    municipalities: by_org.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// One page of the register in name order, with the number of organisations; with a
    /// search term only those whose name contains it, ignoring case.
    pub async fn organisation_page(
        &self,
        search: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<OrganisationRow>), AppError> {
        let (total, ids) = if search.is_empty() {
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisation")
                .fetch_one(&self.read)
                .await
                .map_err(db_error)?;
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM organisation ORDER BY name, id LIMIT $1 OFFSET $2",
            )
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?;
            (total, ids)
        } else {
            // Decided in Rust, as the duplicate rule is: SQLite's LIKE folds ASCII only, so
            // "ärzte" would miss "Ärzte" there. The database only narrows the candidates, with
            // every other character left open (`_`).
            let needle = search.to_lowercase();
            let pattern: String = search
                .chars()
                .map(|c| match c {
                    '%' | '_' | '\\' => format!("\\{c}"),
                    c if c.is_ascii() => c.to_string(),
                    _ => "_".to_string(),
                })
                .collect();
            let like = if self.backend == Backend::Postgres { "ILIKE" } else { "LIKE" };
            let names: Vec<(i64, String)> =
                sqlx::query_as(&format!("SELECT id, name FROM organisation WHERE name {like} $1 ESCAPE '\\' ORDER BY name, id"))
                    .bind(format!("%{pattern}%"))
                    .fetch_all(&self.read)
                    .await
                    .map_err(db_error)?;
            let hits: Vec<i64> = names
                .into_iter()
                .filter(|(_, name)| name.to_lowercase().contains(&needle))
                .map(|(id, _)| id)
                .collect();
            let page = hits
                .iter()
                .skip(offset.max(0) as usize)
                .take(limit.max(0) as usize)
                .copied()
                .collect();
            (hits.len() as i64, page)
        };
        Ok((total, self.organisations_by_id(&ids).await?))
    }

    /// The organisations with these ids (at most a page), in the given order.
    async fn organisations_by_id(&self, ids: &[i64]) -> Result<Vec<OrganisationRow>, AppError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let list = placeholders.join(",");
        let sql = format!("SELECT id, name, kind, email FROM organisation WHERE id IN ({list})");
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.read).await.map_err(db_error)?;
        let served_sql = format!("SELECT organisation_id, ags FROM organisation_municipality WHERE organisation_id IN ({list}) ORDER BY ags");
        let mut served = sqlx::query_as::<_, (i64, String)>(&served_sql);
        for id in ids {
            served = served.bind(*id);
        }
        let mut by_org: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, ags) in served.fetch_all(&self.read).await.map_err(db_error)? {
            by_org.entry(id).or_default().push(ags);
        }
        let mut found: HashMap<i64, OrganisationRow> = rows
            .iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                let row = OrganisationRow {
                    id,
                    name: get(r, "name")?,
                    kind: get(r, "kind")?,
                    email: get(r, "email")?,
                    municipalities: by_org.remove(&id).unwrap_or_default(),
                };
                Ok((id, row))
            })
            .collect::<Result<_, AppError>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Registers all organisations or, on any error, none.
    pub async fn insert_organisations(
        &self,
        organisations: &[NewOrganisation],
    ) -> Result<Vec<i64>, AppError> {
        self.register_organisations(organisations.to_vec(), false)
            .await?
            .map_err(|_| AppError::internal("organisations refused without a duplicate check"))
    }

    /// Registers all organisations in one transaction, or none. With `refuse_known`, those
    /// whose name (ignoring case) and kind are registered already are not inserted: their
    /// positions in `organisations` are returned instead. The register is read inside the
    /// transaction, so that a concurrent registration cannot slip in between check and insert.
    pub async fn register_organisations(
        &self,
        organisations: Vec<NewOrganisation>,
        refuse_known: bool,
    ) -> Result<Result<Vec<i64>, Vec<usize>>, AppError> {
        if organisations.is_empty() {
            return Ok(Ok(Vec::new()));
        }
        if let Some(writer) = &self.sqlite_writer {
            // Prepared statements on the writer's connection, as for the tallies' rebuild: an
            // import of 100,000 rows is one transaction of in-process inserts.
            return writer
                .run(move |conn| register_sqlite(conn, &organisations, refuse_known))
                .await;
        }
        let mut tx = self.write.begin().await.map_err(db_error)?;
        if refuse_known {
            // Blocks other registrations (not readers) until commit: the check below then holds.
            sqlx::query("LOCK TABLE organisation IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            let existing: Vec<(String, String)> =
                sqlx::query_as("SELECT name, kind FROM organisation")
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db_error)?;
            let known =
                known_positions(&organisations, existing.into_iter().map(Ok::<_, AppError>))?;
            if !known.is_empty() {
                return Ok(Err(known));
            }
        }
        // Ids drawn first, so that the municipalities can name them without relying on the
        // order of RETURNING rows, which PostgreSQL does not promise.
        let ids: Vec<i64> = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('organisation', 'id')) FROM generate_series(1, $1)")
            .bind(organisations.len() as i64)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let now = now_ms();
        let rows: Vec<(i64, &NewOrganisation)> = ids.iter().copied().zip(&organisations).collect();
        // 500 rows per statement: 2,500 parameters, far below PostgreSQL's 65,535.
        for chunk in rows.chunks(500) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, ${}, ${}, ${})",
                        5 * i + 1,
                        5 * i + 2,
                        5 * i + 3,
                        5 * i + 4,
                        5 * i + 5
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO organisation (id, name, kind, email, created_at) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for (id, o) in chunk {
                query = query
                    .bind(*id)
                    .bind(o.name.as_str())
                    .bind(o.kind.as_str())
                    .bind(o.email.as_deref())
                    .bind(now);
            }
            query.execute(&mut *tx).await.map_err(db_error)?;
        }
        let served: Vec<(i64, &str)> = rows
            .iter()
            .flat_map(|(id, o)| o.municipalities.iter().map(move |ags| (*id, ags.as_str())))
            .collect();
        for chunk in served.chunks(1000) {
            let values: Vec<String> =
                (0..chunk.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
            let sql = format!(
                "INSERT INTO organisation_municipality (organisation_id, ags) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for (id, ags) in chunk {
                query = query.bind(*id).bind(*ags);
            }
            query.execute(&mut *tx).await.map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(ids))
    }

    /// Organisation ids that hold a link (not revoked) to the questionnaire.
    pub async fn invited_organisations(&self, questionnaire_id: i64) -> Result<Vec<i64>, AppError> {
        sqlx::query_scalar(
            "SELECT DISTINCT organisation_id FROM response
             WHERE questionnaire_id = $1 AND organisation_id IS NOT NULL AND status <> 'revoked'",
        )
        .bind(questionnaire_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)
    }

    /// Creates links in one transaction. Links of these organisations that were never
    /// answered are revoked first: a re-issued link replaces the old one.
    pub async fn create_invitations(
        &self,
        questionnaire: &StoredQuestionnaire,
        invitations: &[NewInvitation],
    ) -> Result<(), AppError> {
        let now = now_ms();
        let questionnaire_id = questionnaire.questionnaire.id;
        let mut tx = self.write.begin().await.map_err(db_error)?;
        for invitation in invitations {
            sqlx::query(
                "UPDATE response SET status = 'revoked', updated_at = $3
                 WHERE questionnaire_id = $1 AND organisation_id = $2 AND status = 'invited'",
            )
            .bind(questionnaire_id)
            .bind(invitation.organisation_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO response (questionnaire_id, organisation_id, token_hash, channel, status, current_page, created_at, updated_at)
                 VALUES ($1, $2, $3, 'invitation', 'invited', 0, $4, $4) RETURNING id",
            )
            .bind(questionnaire_id)
            .bind(invitation.organisation_id)
            .bind(&invitation.token_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            plan_changes(id, questionnaire, &Answers::new(), &invitation.answers)
                .write(&mut tx)
                .await?;
        }
        tx.commit().await.map_err(db_error)
    }

    /// Creates one link, not yet counted as mailed; its old unused links stay valid until the
    /// mail has gone out ([`Store::mark_invitation_mailed`]) or it is dropped again
    /// ([`Store::delete_response`]).
    pub async fn insert_invitation(
        &self,
        questionnaire: &StoredQuestionnaire,
        invitation: &NewInvitation,
    ) -> Result<i64, AppError> {
        let now = now_ms();
        let mut tx = self.write.begin().await.map_err(db_error)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO response (questionnaire_id, organisation_id, token_hash, channel, status, current_page, created_at, updated_at)
             VALUES ($1, $2, $3, 'invitation', 'invited', 0, $4, $4) RETURNING id",
        )
        .bind(questionnaire.questionnaire.id)
        .bind(invitation.organisation_id)
        .bind(&invitation.token_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        plan_changes(id, questionnaire, &Answers::new(), &invitation.answers)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(db_error)?;
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
    ) -> Result<(), AppError> {
        let mut tx = self.write.begin().await.map_err(db_error)?;
        let (questionnaire_id, organisation_id): (i64, Option<i64>) =
            sqlx::query_as("SELECT questionnaire_id, organisation_id FROM response WHERE id = $1")
                .bind(response_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
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
            .await
            .map_err(db_error)?;
        }
        sqlx::query("UPDATE response SET invited_mail_at = $2, reminded_at = $3 WHERE id = $1")
            .bind(response_id)
            .bind(invited_mail_at)
            .bind(reminded_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)
    }

    /// A reminder without a new link went out.
    pub async fn mark_reminded(&self, response_id: i64, now: i64) -> Result<(), AppError> {
        sqlx::query("UPDATE response SET reminded_at = $2 WHERE id = $1")
            .bind(response_id)
            .bind(now)
            .execute(&self.write)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    /// Links of organisations to the questionnaire that are neither submitted nor revoked.
    pub async fn reminder_targets(
        &self,
        questionnaire_id: i64,
    ) -> Result<Vec<ReminderTarget>, AppError> {
        let rows = sqlx::query(
            "SELECT id, organisation_id, status, invited_mail_at FROM response
             WHERE questionnaire_id = $1 AND organisation_id IS NOT NULL AND status IN ('invited', 'draft')
             ORDER BY id",
        )
        .bind(questionnaire_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(ReminderTarget {
                    response_id: get(r, "id")?,
                    organisation_id: get(r, "organisation_id")?,
                    status: get(r, "status")?,
                    invited_mail_at: get(r, "invited_mail_at")?,
                })
            })
            .collect()
    }

    /// Counts by status and municipality (a response serving several counts in each).
    pub async fn progress_by_municipality(
        &self,
        questionnaire_id: i64,
    ) -> Result<Vec<StatusCount>, AppError> {
        self.status_counts(
            "SELECT rm.ags AS key, r.status AS status, COUNT(*) AS n FROM response r
             JOIN response_municipality rm ON rm.response_id = r.id
             WHERE r.questionnaire_id = $1 AND r.status <> 'revoked' GROUP BY rm.ags, r.status",
            questionnaire_id,
        )
        .await
    }

    pub async fn progress_by_kind(
        &self,
        questionnaire_id: i64,
    ) -> Result<Vec<StatusCount>, AppError> {
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
    ) -> Result<Vec<StatusCount>, AppError> {
        let rows = sqlx::query(sql)
            .bind(questionnaire_id)
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(StatusCount {
                    key: get(r, "key")?,
                    status: get(r, "status")?,
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
    ) -> Result<Vec<ResponseListRow>, AppError> {
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
        .await
        .map_err(db_error)?;
        let mut list: Vec<ResponseListRow> = rows
            .iter()
            .map(|r| {
                Ok(ResponseListRow {
                    id: r.try_get("id").map_err(AppError::internal)?,
                    organisation: r.try_get("name").map_err(AppError::internal)?,
                    org_kind: r.try_get("org_kind").map_err(AppError::internal)?,
                    status: r.try_get("status").map_err(AppError::internal)?,
                    updated_at: r.try_get("updated_at").map_err(AppError::internal)?,
                    municipalities: Vec::new(),
                    invited_mail_at: r.try_get("invited_mail_at").map_err(AppError::internal)?,
                    reminded_at: r.try_get("reminded_at").map_err(AppError::internal)?,
                    channel: get(r, "channel")?,
                    review: review_of(r)?,
                })
            })
            .collect::<Result<_, AppError>>()?;
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
            for (id, ags) in query.fetch_all(&self.read).await.map_err(db_error)? {
                if let Some(row) = list.iter_mut().find(|r| r.id == id) {
                    row.municipalities.push(ags);
                }
            }
        }
        Ok(list)
    }

    /// A response's questionnaire, status, channel and review, for the administration.
    pub async fn response_summary(
        &self,
        response_id: i64,
    ) -> Result<Option<ResponseSummary>, AppError> {
        let row = sqlx::query(
            "SELECT r.questionnaire_id, r.status, r.channel, r.review, o.name, r.created_at, r.submitted_at FROM response r
             LEFT JOIN organisation o ON o.id = r.organisation_id WHERE r.id = $1",
        )
        .bind(response_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(ResponseSummary {
            questionnaire_id: get(&r, "questionnaire_id")?,
            status: get(&r, "status")?,
            channel: get(&r, "channel")?,
            review: review_of(&r)?,
            organisation: get(&r, "name")?,
            created_at: get(&r, "created_at")?,
            submitted_at: get(&r, "submitted_at")?,
        }))
    }

    /// Submitted open-link responses that wait for the KI's review.
    pub async fn awaiting_review(&self, questionnaire_id: i64) -> Result<i64, AppError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM response WHERE questionnaire_id = $1 AND review = 'pending' AND status = 'submitted'")
            .bind(questionnaire_id)
            .fetch_one(&self.read)
            .await
            .map_err(db_error)
    }

    /// Makes a submitted response a draft again, so that its link can change it, and takes it
    /// out of the dashboards' tallies.
    pub async fn reopen_response(
        &self,
        response_id: i64,
        stored: &StoredQuestionnaire,
    ) -> Result<bool, AppError> {
        let mut tx = self.write.begin().await.map_err(db_error)?;
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
        .await
        .map_err(db_error)?;
        if submission.counted {
            self.count_in_tallies(&mut tx, response_id, stored, submission.submitted_at, -1)
                .await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(true)
    }

    /// Deletes a response and its answers for good (and from the tallies when submitted).
    pub async fn delete_response(
        &self,
        response_id: i64,
        stored: &StoredQuestionnaire,
    ) -> Result<bool, AppError> {
        let mut tx = self.write.begin().await.map_err(db_error)?;
        if let Some(submission) = self.submission(&mut tx, response_id).await?.filter(|s| s.counted)
        {
            self.count_in_tallies(&mut tx, response_id, stored, submission.submitted_at, -1)
                .await?;
        }
        // Explicit, so that nothing depends on the connection's foreign-key setting.
        sqlx::query("DELETE FROM answer WHERE response_id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query("DELETE FROM response_municipality WHERE response_id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let done = sqlx::query("DELETE FROM response WHERE id = $1")
            .bind(response_id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }

    /// When the response is submitted: its submission time and whether it is counted in the
    /// tallies, with the row locked on PostgreSQL.
    async fn submission(
        &self,
        tx: &mut Transaction<'static, Any>,
        response_id: i64,
    ) -> Result<Option<Submission>, AppError> {
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE" } else { "" };
        let row = sqlx::query(&format!("SELECT submitted_at, review FROM response WHERE id = $1 AND status = 'submitted'{lock}"))
            .bind(response_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db_error)?;
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
    ) -> Result<(), AppError> {
        let answers = super::responses::answers_in(tx, response_id, stored).await?;
        let layout = TallyLayout::new(stored);
        let contribution =
            ResponseTally::from_answers(&layout, stored, &answers).finish(&layout, submitted_at);
        super::tallies::apply_contribution(
            tx,
            self.backend,
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
    ) -> Result<Option<Review>, AppError> {
        let mut tx = self.write.begin().await.map_err(db_error)?;
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE" } else { "" };
        let row = sqlx::query(&format!("SELECT channel, review FROM response WHERE id = $1{lock}"))
            .bind(response_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        if get::<String>(&row, "channel")? != "open" {
            return Ok(None);
        }
        let stored_review: String = get(&row, "review")?;
        let before = Review::parse(&stored_review)
            .ok_or_else(|| AppError::internal(format!("unknown review state {stored_review}")))?;
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
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(Some(before))
    }

    /// The questionnaires, newest first.
    pub async fn questionnaire_rows(&self) -> Result<Vec<QuestionnaireRow>, AppError> {
        let rows = sqlx::query("SELECT id, slug, title, status, deadline, revision FROM questionnaire ORDER BY created_at DESC, id DESC")
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(QuestionnaireRow {
                    id: get(r, "id")?,
                    slug: get(r, "slug")?,
                    title: get(r, "title")?,
                    status: get(r, "status")?,
                    deadline: get(r, "deadline")?,
                    revision: get(r, "revision")?,
                })
            })
            .collect()
    }

    /// Responses and links per questionnaire (revoked ones left out). Reads every response:
    /// for the administration's list, not for every page.
    pub async fn response_counts(&self) -> Result<HashMap<i64, i64>, AppError> {
        let rows = sqlx::query("SELECT questionnaire_id, COUNT(*) AS n FROM response WHERE status <> 'revoked' GROUP BY questionnaire_id")
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?;
        rows.iter().map(|r| Ok((get(r, "questionnaire_id")?, get(r, "n")?))).collect()
    }

    /// Sets the deadline shown to respondents (or removes it).
    pub async fn set_questionnaire_deadline(
        &self,
        id: i64,
        deadline: Option<&str>,
    ) -> Result<(), AppError> {
        sqlx::query("UPDATE questionnaire SET deadline = $2, revision = revision + 1, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(deadline)
            .bind(now_ms())
            .execute(&self.write)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}

fn review_of(row: &sqlx::any::AnyRow) -> Result<Review, AppError> {
    let review: String = get(row, "review")?;
    Review::parse(&review)
        .ok_or_else(|| AppError::internal(format!("unknown review state {review}")))
}

/// Positions of the organisations whose name (ignoring case) and kind are among `existing`:
/// one pass over the register against a set of the new keys.
fn known_positions<E>(
    organisations: &[NewOrganisation],
    existing: impl Iterator<Item = Result<(String, String), E>>,
) -> Result<Vec<usize>, E> {
    let mut new: HashMap<(String, String), Vec<usize>> =
        HashMap::with_capacity(organisations.len());
    for (i, o) in organisations.iter().enumerate() {
        new.entry((o.name.to_lowercase(), o.kind.clone())).or_default().push(i);
    }
    let mut known = Vec::new();
    for row in existing {
        let (name, kind) = row?;
        if let Some(positions) = new.remove(&(name.to_lowercase(), kind)) {
            known.extend(positions);
        }
    }
    known.sort_unstable();
    Ok(known)
}

fn register_sqlite(
    conn: &mut rusqlite::Connection,
    organisations: &[NewOrganisation],
    refuse_known: bool,
) -> Result<Result<Vec<i64>, Vec<usize>>, AppError> {
    let internal = AppError::internal;
    // Immediate: the write lock is taken before the register is read, so the check holds.
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(internal)?;
    if refuse_known {
        let mut statement = tx.prepare("SELECT name, kind FROM organisation").map_err(internal)?;
        let rows = statement
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
            .map_err(internal)?;
        let known = known_positions(organisations, rows).map_err(internal)?;
        if !known.is_empty() {
            // Dropping the transaction rolls it back; nothing was written.
            return Ok(Err(known));
        }
    }
    let now = now_ms();
    let mut ids = Vec::with_capacity(organisations.len());
    {
        let mut organisation = tx
            .prepare_cached(
                "INSERT INTO organisation (name, kind, email, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(internal)?;
        let mut served = tx
            .prepare_cached(
                "INSERT INTO organisation_municipality (organisation_id, ags) VALUES (?1, ?2)",
            )
            .map_err(internal)?;
        for o in organisations {
            organisation
                .execute(rusqlite::params![o.name, o.kind, o.email, now])
                .map_err(internal)?;
            let id = tx.last_insert_rowid();
            for ags in &o.municipalities {
                served.execute(rusqlite::params![id, ags]).map_err(internal)?;
            }
            ids.push(id);
        }
    }
    tx.commit().map_err(internal)?;
    Ok(Ok(ids))
}

//! Responses and their answers. Every write runs in one transaction that first claims the
//! response row, so two tabs or a double post cannot interleave half-written answers.

use crate::dashboards::tally::{ResponseTally, TallyLayout};
use crate::db::scan::Param;
use crate::db::{
    get, BulkResponse, Claimed, ClaimedWrite, Planned, Store, StoredQuestionnaire, Write,
};
use crate::error::StoreResult;
use crate::now_ms;
use crate::respondent::SubmitOutcome;
use domain::response::Channel;
use domain::validation::{validate_all, with_page_saved};
use domain::{Answer, Answers, AppError, QuestionnaireStatus, Reference, ResponseStatus, Review};
use sqlx::{Any, Transaction};
use std::sync::Arc;

/// A response found by its link, with what is needed to serve it.
#[derive(Debug, Clone)]
pub struct ResponseRow {
    pub id: i64,
    pub questionnaire_id: i64,
    pub questionnaire_revision: i64,
    pub questionnaire_status: QuestionnaireStatus,
    pub status: ResponseStatus,
    /// Index of the page the respondent saw last.
    pub current_page: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    /// Counts writes of answers; see [`Store::update_answers`].
    pub version: i64,
    pub review: Review,
}

pub struct NewResponse<'a> {
    pub questionnaire_id: i64,
    pub token_hash: &'a str,
    pub organisation_id: Option<i64>,
    pub channel: Channel,
    /// Index of the page to resume at.
    pub current_page: i64,
}

/// The outcome of an answer update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSave {
    pub updated_at: i64,
    /// The response's version after the save.
    pub version: i64,
}

/// A background save made from a page older than the stored answers.
pub fn stale_save() -> AppError {
    AppError::Conflict(
        "Ihre Angaben wurden inzwischen an anderer Stelle gespeichert, zum Beispiel in einem anderen Fenster. Die letzte Änderung hier wurde nicht gespeichert, damit nichts Neueres verloren geht. Bitte laden Sie die Seite neu.".into(),
    )
}

impl Store {
    pub async fn response_by_token_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<ResponseRow>> {
        let row = sqlx::query(
            "SELECT r.id, r.questionnaire_id, r.status, r.current_page, r.updated_at, r.submitted_at,
                    r.version, r.review, q.revision, q.status AS questionnaire_status
             FROM response r JOIN questionnaire q ON q.id = r.questionnaire_id
             WHERE r.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let status: String = get(&r, "status")?;
        let q_status: String = get(&r, "questionnaire_status")?;
        let review: String = get(&r, "review")?;
        Ok(Some(ResponseRow {
            id: get(&r, "id")?,
            questionnaire_id: get(&r, "questionnaire_id")?,
            questionnaire_revision: get(&r, "revision")?,
            questionnaire_status: QuestionnaireStatus::parse(&q_status).ok_or_else(|| {
                AppError::internal(format!("unknown questionnaire status {q_status}"))
            })?,
            status: ResponseStatus::parse(&status)
                .ok_or_else(|| AppError::internal(format!("unknown response status {status}")))?,
            current_page: get(&r, "current_page")?,
            updated_at: get(&r, "updated_at")?,
            submitted_at: get(&r, "submitted_at")?,
            version: get(&r, "version")?,
            review: Review::parse(&review)
                .ok_or_else(|| AppError::internal(format!("unknown review state {review}")))?,
        }))
    }

    /// Creates a response for a link with the given answers (the organisation's profile).
    pub async fn create_response(
        &self,
        new: NewResponse<'_>,
        questionnaire: &StoredQuestionnaire,
        answers: &Answers,
    ) -> StoreResult<i64> {
        let now = now_ms();
        let (status, review) = match new.channel {
            Channel::Invitation => (ResponseStatus::Invited, Review::Accepted),
            Channel::Open => (ResponseStatus::Draft, Review::Pending),
        };
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO response (questionnaire_id, organisation_id, token_hash, channel, status, current_page, created_at, started_at, updated_at, review)
             VALUES ($1, $2, $3, $4, $5, $8, $6, $7, $6, $9) RETURNING id",
        )
        .bind(new.questionnaire_id)
        .bind(new.organisation_id)
        .bind(new.token_hash)
        .bind(new.channel.as_str())
        .bind(status.as_str())
        .bind(now)
        .bind((status == ResponseStatus::Draft).then_some(now))
        .bind(new.current_page)
        .bind(review.as_str())
        .fetch_one(&mut *tx)
        .await?;
        plan_changes(id, questionnaire, &Answers::new(), answers).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a page's `posted` answers into a draft ([`with_page_saved`]: answers to questions
    /// now hidden are dropped), writing only the questions that changed, and remembers the
    /// page to resume at (if given). Refused once the response is submitted or revoked.
    /// Returns the answers as saved.
    ///
    /// The save reads the stored answers and claims the response by its `version`, so that no
    /// other save comes in between ([`Store::claimed_write`]; where another one did, it starts
    /// over). `known_version` is the version the caller read with the response, if any; it
    /// saves a query. With `only_at`, the save is made only if the response is still at that
    /// version (else [`stale_save`]): a background save from a page that is no longer current
    /// must not overwrite newer answers.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_answers(
        &self,
        response_id: i64,
        known_version: Option<i64>,
        only_at: Option<i64>,
        questionnaire: &Arc<StoredQuestionnaire>,
        current_page: Option<i64>,
        posted: Vec<(String, Answer)>,
    ) -> StoreResult<(PageSave, Answers)> {
        let save = ClaimedWrite {
            version: SAVED_VERSION,
            rows: SAVED_ANSWERS,
            params: vec![Param::Int(response_id)],
            known_version: known_version.or(only_at),
            // A save from an older page is not tried again: it is stale.
            attempts: if only_at.is_some() { 1 } else { 5 },
        };
        let questionnaire = questionnaire.clone();
        let plan = move |version: i64, rows: Vec<(i64, String, String)>| {
            if only_at.is_some_and(|v| v != version) {
                return Err(stale_save().into());
            }
            let mut before = Answers::new();
            for (question_id, row_code, value) in rows {
                add_stored(&mut before, &questionnaire, question_id, &row_code, value);
            }
            let after = with_page_saved(before.clone(), &posted, &questionnaire.questionnaire);
            let now = now_ms();
            let changes = plan_changes(response_id, &questionnaire, &before, &after);
            let claim = vec![response_id.into(), current_page.into(), now.into(), version.into()];
            Ok(Planned {
                claim: (CLAIM_FOR_SAVE, claim),
                writes: changes.writes(),
                outcome: (PageSave { updated_at: now, version: version + 1 }, after),
            })
        };
        match self.claimed_write(save, plan).await? {
            Claimed::Written(saved) => Ok(saved),
            Claimed::Refused => Err(already_submitted().into()),
            Claimed::Lost if only_at.is_some() => Err(stale_save().into()),
            // Other saves or the submission came first, every time.
            Claimed::Lost => Err(AppError::Conflict(
                "Ihre Angaben wurden gleichzeitig an anderer Stelle geändert. Bitte laden Sie die Seite neu und speichern Sie erneut.".into(),
            )
            .into()),
        }
    }

    /// Submits a draft whose answers are complete. Idempotent: a response that is already
    /// submitted stays as it is (`AlreadySubmitted`); an incomplete one stays a draft.
    pub async fn submit(
        &self,
        response_id: i64,
        questionnaire: &StoredQuestionnaire,
    ) -> StoreResult<SubmitOutcome> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let claimed = sqlx::query("UPDATE response SET updated_at = $2, version = version + 1 WHERE id = $1 AND status = 'draft'")
            .bind(response_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 {
            return Ok(SubmitOutcome::AlreadySubmitted);
        }
        let answers = answers_in(&mut tx, response_id, questionnaire).await?;
        // Checked inside the transaction that submits, against the answers it submits.
        if !validate_all(&questionnaire.questionnaire, &answers).is_empty() {
            return Ok(SubmitOutcome::Incomplete);
        }
        let review: String = sqlx::query_scalar("UPDATE response SET status = 'submitted', submitted_at = $2 WHERE id = $1 RETURNING review")
            .bind(response_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        // A response waiting for the KI's review is counted when it is accepted.
        if review == Review::Accepted.as_str() {
            let layout = TallyLayout::new(questionnaire);
            let contribution =
                ResponseTally::from_answers(&layout, questionnaire, &answers).finish(&layout, now);
            crate::dashboards::store::apply_contribution(
                &mut tx,
                &self.engine,
                questionnaire.questionnaire.id,
                response_id,
                &contribution,
                1,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(SubmitOutcome::Submitted)
    }

    /// Registers an organisation with the municipalities it serves.
    pub async fn insert_organisation(
        &self,
        name: &str,
        kind: &str,
        municipalities: &[String],
        email: Option<&str>,
    ) -> StoreResult<i64> {
        let new = crate::organisations::NewOrganisation {
            name: name.to_string(),
            kind: kind.to_string(),
            municipalities: municipalities.to_vec(),
            email: email.map(str::to_string),
        };
        let ids = self.insert_organisations(std::slice::from_ref(&new)).await?;
        let id = ids.first().copied();
        Ok(id.ok_or_else(|| AppError::internal("organisation insert returned no id"))?)
    }

    /// Withdraws a link: it answers 410 from now on; stored answers stay.
    pub async fn revoke_response(&self, response_id: i64) -> StoreResult<()> {
        // Submitted responses are counted in the dashboards: they are re-opened or deleted.
        sqlx::query("UPDATE response SET status = 'revoked', updated_at = $2 WHERE id = $1 AND status IN ('invited', 'draft')")
            .bind(response_id)
            .bind(now_ms())
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn answers(
        &self,
        response_id: i64,
        questionnaire: &StoredQuestionnaire,
    ) -> StoreResult<Answers> {
        let mut conn = self.read.acquire().await?;
        load_answers(&mut conn, response_id, questionnaire).await
    }
}

/// Answer rows, after which the driver adds the tuples of values.
const INSERT_ANSWER: &str =
    "INSERT INTO answer (response_id, question_id, row_code, position, value) VALUES ";

/// A response's municipalities, after which the driver adds the tuples of values.
const INSERT_MUNICIPALITY: &str = "INSERT INTO response_municipality (response_id, ags) VALUES ";

/// The version of a response that may still be saved.
const SAVED_VERSION: &str =
    "SELECT version FROM response WHERE id = $1 AND status IN ('invited', 'draft')";

/// A response's answer rows, in the order they are read back into answers.
const SAVED_ANSWERS: &str = "SELECT question_id, row_code, value FROM answer WHERE response_id = $1
     ORDER BY question_id, row_code, position";

const CLAIM_FOR_SAVE: &str = "UPDATE response SET status = 'draft', current_page = COALESCE($2, current_page), updated_at = $3,
        started_at = COALESCE(started_at, $3), version = version + 1
     WHERE id = $1 AND version = $4 AND status IN ('invited', 'draft')";

fn already_submitted() -> AppError {
    AppError::Conflict(
        "Dieser Fragebogen wurde bereits abgeschickt und kann nicht mehr geändert werden.".into(),
    )
}

pub(crate) async fn answers_in(
    tx: &mut Transaction<'static, Any>,
    response_id: i64,
    questionnaire: &StoredQuestionnaire,
) -> StoreResult<Answers> {
    load_answers(&mut *tx, response_id, questionnaire).await
}

async fn load_answers(
    conn: &mut sqlx::AnyConnection,
    response_id: i64,
    questionnaire: &StoredQuestionnaire,
) -> StoreResult<Answers> {
    let rows = sqlx::query(SAVED_ANSWERS).bind(response_id).fetch_all(&mut *conn).await?;
    let mut answers = Answers::new();
    for r in &rows {
        add_stored(
            &mut answers,
            questionnaire,
            get(r, "question_id")?,
            &get::<String>(r, "row_code")?,
            get(r, "value")?,
        );
    }
    Ok(answers)
}

/// Adds a stored answer row; rows of questions removed from the structure are not shown.
fn add_stored(
    answers: &mut Answers,
    questionnaire: &StoredQuestionnaire,
    question_id: i64,
    row_code: &str,
    value: String,
) {
    if let Some(code) = questionnaire.question_codes.get(&question_id) {
        answers.entry(code.clone()).or_default().push_row(row_code, value);
    }
}

/// What a save changes: the questions whose answers differ between before and after, and the
/// response's organisation kind and municipalities when the profile questions changed. Planned
/// once, carried out by either driver.
#[derive(Debug, Default)]
pub(crate) struct AnswerChanges {
    response_id: i64,
    replaced_questions: Vec<i64>,
    rows: Vec<AnswerRow>,
    org_kind: Option<Option<String>>,
    municipalities: Option<Vec<String>>,
}

pub(crate) fn plan_changes(
    response_id: i64,
    questionnaire: &StoredQuestionnaire,
    before: &Answers,
    after: &Answers,
) -> AnswerChanges {
    let empty = Answer::default();
    let changed: Vec<(&str, i64)> = questionnaire
        .questionnaire
        .questions()
        .filter(|q| before.get(&q.code).unwrap_or(&empty) != after.get(&q.code).unwrap_or(&empty))
        .filter_map(|q| questionnaire.question_id(&q.code).map(|id| (q.code.as_str(), id)))
        .collect();
    let mut plan = AnswerChanges { response_id, ..Default::default() };
    for (code, qid) in &changed {
        plan.replaced_questions.push(*qid);
        if let Some(answer) = after.get(*code) {
            push_answer_rows(&mut plan.rows, response_id, *qid, answer);
        }
    }
    let q = &questionnaire.questionnaire;
    let changed_code = |reference| {
        q.question_with_reference(reference)
            .map(|x| x.code.as_str())
            .filter(|c| changed.iter().any(|(code, _)| code == c))
    };
    if let Some(code) = changed_code(Reference::OrgKind) {
        plan.org_kind = Some(after.get(code).and_then(|a| a.values.first()).cloned());
    }
    if let Some(code) = changed_code(Reference::Municipalities) {
        plan.municipalities = Some(after.get(code).map(|a| a.values.clone()).unwrap_or_default());
    }
    plan
}

impl AnswerChanges {
    fn replaced_list(&self) -> String {
        // Ids are integers from the database, never user input, so they may be inlined.
        self.replaced_questions.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",")
    }

    /// The statements that carry out the changes, for either driver.
    fn writes(&self) -> Vec<Write> {
        let id = || Param::Int(self.response_id);
        let mut writes = Vec::new();
        if !self.replaced_questions.is_empty() {
            writes.push(Write::Statement {
                sql: format!(
                    "DELETE FROM answer WHERE response_id = $1 AND question_id IN ({})",
                    self.replaced_list()
                ),
                params: vec![id()],
            });
            writes.push(Write::Rows {
                insert: INSERT_ANSWER.into(),
                width: 5,
                rows: self.rows.iter().cloned().flat_map(answer_cells).collect(),
                // Well below SQLite's limit of bound parameters.
                per_statement: 200,
            });
        }
        if let Some(kind) = &self.org_kind {
            writes.push(Write::Statement {
                sql: "UPDATE response SET org_kind = $2 WHERE id = $1".into(),
                params: vec![id(), kind.as_deref().into()],
            });
        }
        if let Some(places) = &self.municipalities {
            writes.push(Write::Statement {
                sql: "DELETE FROM response_municipality WHERE response_id = $1".into(),
                params: vec![id()],
            });
            for ags in places {
                writes.push(Write::Statement {
                    sql: format!("{INSERT_MUNICIPALITY}($1, $2)"),
                    params: vec![id(), ags.as_str().into()],
                });
            }
        }
        writes
    }

    pub(crate) async fn write(&self, tx: &mut Transaction<'static, Any>) -> StoreResult<()> {
        crate::db::write_all(tx, &self.writes()).await
    }
}

/// The cells of an answer row.
fn answer_cells((response_id, question_id, row, position, value): AnswerRow) -> [Param; 5] {
    [
        Param::Int(response_id),
        Param::Int(question_id),
        Param::Text(row),
        Param::Int(position),
        Param::Text(value),
    ]
}

/// A complete response made up elsewhere (demo data, imports), written in bulk.
#[derive(Debug, Clone)]
pub struct GeneratedResponse {
    pub token_hash: String,
    pub status: ResponseStatus,
    pub current_page: i64,
    pub answers: Answers,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
}

/// Bulk inserts bypass the submissions that keep the tallies: until `rebuild_tallies` runs
/// (the caller's duty, or else the next start), they are marked as not built.
const UNMARK_TALLIES: &str = "DELETE FROM tally_built WHERE questionnaire_id = $1";

impl Store {
    /// Writes many responses with their answers in one transaction. Call
    /// [`Store::rebuild_tallies`] after the last batch.
    pub async fn insert_generated_responses(
        &self,
        questionnaire: &StoredQuestionnaire,
        responses: &[GeneratedResponse],
    ) -> StoreResult<()> {
        self.load_responses(generated_rows(questionnaire, responses), UNMARK_TALLIES).await
    }
}

fn generated_rows(
    questionnaire: &StoredQuestionnaire,
    responses: &[GeneratedResponse],
) -> Vec<BulkResponse> {
    let q = &questionnaire.questionnaire;
    let kind_q = q.question_with_reference(Reference::OrgKind).map(|x| x.code.clone());
    let mun_q = q.question_with_reference(Reference::Municipalities).map(|x| x.code.clone());
    responses
        .iter()
        .map(|r| {
            let mut answers = Vec::new();
            for (code, answer) in &r.answers {
                if let Some(qid) = questionnaire.question_id(code) {
                    push_answer_rows(&mut answers, 0, qid, answer);
                }
            }
            BulkResponse {
                questionnaire_id: q.id,
                token_hash: r.token_hash.clone(),
                status: r.status.as_str(),
                current_page: r.current_page,
                created_at: r.created_at,
                updated_at: r.updated_at,
                submitted_at: r.submitted_at,
                org_kind: kind_q
                    .as_ref()
                    .and_then(|c| r.answers.get(c))
                    .and_then(|a| a.values.first())
                    .cloned(),
                municipalities: mun_q
                    .as_ref()
                    .and_then(|c| r.answers.get(c))
                    .map(|a| a.values.clone())
                    .unwrap_or_default(),
                answers: answers
                    .into_iter()
                    .map(|(_, qid, row, position, value)| (qid, row, position, value))
                    .collect(),
            }
        })
        .collect()
}

/// A stored answer value: response, question, row code, position, value.
type AnswerRow = (i64, i64, String, i64, String);

/// The rows of one answer; values of the same row are numbered by position.
fn push_answer_rows(
    rows: &mut Vec<AnswerRow>,
    response_id: i64,
    question_id: i64,
    answer: &Answer,
) {
    let mut position = 0;
    let mut last_row: Option<String> = None;
    for (row, value) in answer.to_rows() {
        position = if last_row.as_ref() == Some(&row) { position + 1 } else { 0 };
        last_row = Some(row.clone());
        rows.push((response_id, question_id, row, position, value));
    }
}

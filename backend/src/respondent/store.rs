//! Responses and their answers. Every write runs in one transaction that first claims the
//! response row, so two tabs or a double post cannot interleave half-written answers.

use crate::dashboards::tally::{ResponseTally, TallyLayout};
use crate::db::{db_error, get, Store, StoredQuestionnaire};
use crate::now_ms;
use domain::response::Channel;
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
    ) -> Result<Option<ResponseRow>, AppError> {
        let row = sqlx::query(
            "SELECT r.id, r.questionnaire_id, r.status, r.current_page, r.updated_at, r.submitted_at,
                    r.version, r.review, q.revision, q.status AS questionnaire_status
             FROM response r JOIN questionnaire q ON q.id = r.questionnaire_id
             WHERE r.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?;
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
    ) -> Result<i64, AppError> {
        let now = now_ms();
        let (status, review) = match new.channel {
            Channel::Invitation => (ResponseStatus::Invited, Review::Accepted),
            Channel::Open => (ResponseStatus::Draft, Review::Pending),
        };
        let mut tx = self.write.begin().await.map_err(db_error)?;
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
        .await
        .map_err(db_error)?;
        plan_changes(id, questionnaire, &Answers::new(), answers).write(&mut tx).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(id)
    }

    /// Replaces the answers of a draft by `update(current answers)`, writing only the questions
    /// that changed, and remembers the page to resume at (if given). Refused once the response
    /// is submitted or revoked. Returns the answers as saved.
    ///
    /// On SQLite the whole save (read, update, write) is one transaction on the writer thread,
    /// so saves never collide. On PostgreSQL the answers are read outside the write
    /// transaction, which then only proceeds if no other save came in between (the response's
    /// `version` is unchanged); otherwise it starts over. `known_version` is the version the
    /// caller read with the response, if any; it saves a query. With `only_at`, the save is
    /// made only if the response is still at that version (else [`stale_save`]): a background
    /// save from a page that is no longer current must not overwrite newer answers.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_answers(
        &self,
        response_id: i64,
        known_version: Option<i64>,
        only_at: Option<i64>,
        questionnaire: &Arc<StoredQuestionnaire>,
        current_page: Option<i64>,
        update: impl Fn(Answers) -> Answers + Send + 'static,
    ) -> Result<(PageSave, Answers), AppError> {
        if let Some(writer) = &self.sqlite_writer {
            let questionnaire = questionnaire.clone();
            return writer
                .run(move |conn| {
                    save_sqlite(conn, response_id, only_at, &questionnaire, current_page, update)
                })
                .await;
        }
        if let (Some(known), Some(required)) = (known_version, only_at) {
            if known != required {
                return Err(stale_save());
            }
        }
        let known_version = only_at.or(known_version);
        const ATTEMPTS: usize = 5;
        let mut known_version = known_version;
        for _ in 0..ATTEMPTS {
            let mut conn = self.read.acquire().await.map_err(db_error)?;
            let version = match known_version.take() {
                Some(v) => Some(v),
                None => sqlx::query_scalar(
                    "SELECT version FROM response WHERE id = $1 AND status IN ('invited', 'draft')",
                )
                .bind(response_id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?,
            };
            let Some(version) = version else { return Err(already_submitted()) };
            let before = load_answers(&mut conn, response_id, questionnaire).await?;
            drop(conn);
            let after = update(before.clone());
            let now = now_ms();
            let changes = plan_changes(response_id, questionnaire, &before, &after);
            if self.claim_and_write(&changes, current_page, now, version).await? {
                return Ok((PageSave { updated_at: now, version: version + 1 }, after));
            }
            if only_at.is_some() {
                return Err(stale_save());
            }
            // Another save or the submission came first: read again.
        }
        Err(AppError::Conflict(
            "Ihre Angaben wurden gleichzeitig an anderer Stelle geändert. Bitte laden Sie die Seite neu und speichern Sie erneut.".into(),
        ))
    }

    /// Claims the response at `version` and writes the changes; `false` when another write
    /// came first.
    async fn claim_and_write(
        &self,
        changes: &AnswerChanges,
        current_page: Option<i64>,
        now: i64,
        version: i64,
    ) -> Result<bool, AppError> {
        let mut tx = self.write.begin().await.map_err(db_error)?;
        // Claims the row: on PostgreSQL this also locks it until commit.
        let claimed = sqlx::query(CLAIM_FOR_SAVE)
            .bind(changes.response_id)
            .bind(current_page)
            .bind(now)
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        changes.write(&mut tx).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(true)
    }

    /// Submits a draft if `check` accepts its answers. Idempotent: a response that is already
    /// submitted stays as it is and `Ok(false)` is returned.
    pub async fn submit(
        &self,
        response_id: i64,
        questionnaire: &StoredQuestionnaire,
        check: impl FnOnce(&Answers) -> Result<(), AppError>,
    ) -> Result<bool, AppError> {
        let now = now_ms();
        let mut tx = self.write.begin().await.map_err(db_error)?;
        let claimed = sqlx::query("UPDATE response SET updated_at = $2, version = version + 1 WHERE id = $1 AND status = 'draft'")
            .bind(response_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        let answers = answers_in(&mut tx, response_id, questionnaire).await?;
        check(&answers)?;
        let review: String = sqlx::query_scalar("UPDATE response SET status = 'submitted', submitted_at = $2 WHERE id = $1 RETURNING review")
            .bind(response_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        // A response waiting for the KI's review is counted when it is accepted.
        if review == Review::Accepted.as_str() {
            let layout = TallyLayout::new(questionnaire);
            let contribution =
                ResponseTally::from_answers(&layout, questionnaire, &answers).finish(&layout, now);
            crate::dashboards::store::apply_contribution(
                &mut tx,
                self.backend,
                questionnaire.questionnaire.id,
                response_id,
                &contribution,
                1,
            )
            .await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(true)
    }

    /// Registers an organisation with the municipalities it serves.
    pub async fn insert_organisation(
        &self,
        name: &str,
        kind: &str,
        municipalities: &[String],
        email: Option<&str>,
    ) -> Result<i64, AppError> {
        let new = crate::organisations::NewOrganisation {
            name: name.to_string(),
            kind: kind.to_string(),
            municipalities: municipalities.to_vec(),
            email: email.map(str::to_string),
        };
        let ids = self.insert_organisations(std::slice::from_ref(&new)).await?;
        ids.first().copied().ok_or_else(|| AppError::internal("organisation insert returned no id"))
    }

    /// Withdraws a link: it answers 410 from now on; stored answers stay.
    pub async fn revoke_response(&self, response_id: i64) -> Result<(), AppError> {
        // Submitted responses are counted in the dashboards: they are re-opened or deleted.
        sqlx::query("UPDATE response SET status = 'revoked', updated_at = $2 WHERE id = $1 AND status IN ('invited', 'draft')")
            .bind(response_id)
            .bind(now_ms())
            .execute(&self.write)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    pub async fn answers(
        &self,
        response_id: i64,
        questionnaire: &StoredQuestionnaire,
    ) -> Result<Answers, AppError> {
        let mut conn = self.read.acquire().await.map_err(db_error)?;
        load_answers(&mut conn, response_id, questionnaire).await
    }
}

/// One answer row, for rusqlite's prepared statements.
const INSERT_ANSWER_SQLITE: &str = "INSERT INTO answer (response_id, question_id, row_code, position, value) VALUES (?1, ?2, ?3, ?4, ?5)";

const CLAIM_FOR_SAVE: &str = "UPDATE response SET status = 'draft', current_page = COALESCE($2, current_page), updated_at = $3,
        started_at = COALESCE(started_at, $3), version = version + 1
     WHERE id = $1 AND version = $4 AND status IN ('invited', 'draft')";

/// A page save on the SQLite writer thread: read, update and write in one transaction.
fn save_sqlite(
    conn: &mut rusqlite::Connection,
    response_id: i64,
    only_at: Option<i64>,
    questionnaire: &StoredQuestionnaire,
    current_page: Option<i64>,
    update: impl Fn(Answers) -> Answers,
) -> Result<(PageSave, Answers), AppError> {
    let internal = AppError::internal;
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(internal)?;
    let version: Option<i64> = {
        let mut select = tx
            .prepare_cached(
                "SELECT version FROM response WHERE id = ?1 AND status IN ('invited', 'draft')",
            )
            .map_err(internal)?;
        let mut rows = select.query([response_id]).map_err(internal)?;
        match rows.next().map_err(internal)? {
            Some(row) => Some(row.get(0).map_err(internal)?),
            None => None,
        }
    };
    let Some(version) = version else { return Err(already_submitted()) };
    if only_at.is_some_and(|v| v != version) {
        return Err(stale_save());
    }
    let mut before = Answers::new();
    {
        let mut select = tx
            .prepare_cached("SELECT question_id, row_code, value FROM answer WHERE response_id = ?1 ORDER BY question_id, row_code, position")
            .map_err(internal)?;
        let mut rows = select.query([response_id]).map_err(internal)?;
        while let Some(row) = rows.next().map_err(internal)? {
            let row_code: String = row.get(1).map_err(internal)?;
            add_stored(
                &mut before,
                questionnaire,
                row.get(0).map_err(internal)?,
                &row_code,
                row.get(2).map_err(internal)?,
            );
        }
    }
    let after = update(before.clone());
    let now = now_ms();
    let changes = plan_changes(response_id, questionnaire, &before, &after);
    tx.prepare_cached(&crate::db::sqlite_numbered(CLAIM_FOR_SAVE))
        .and_then(|mut claim| {
            claim.execute(rusqlite::params![response_id, current_page, now, version])
        })
        .map_err(internal)?;
    changes.write_sqlite(&tx)?;
    tx.commit().map_err(internal)?;
    Ok((PageSave { updated_at: now, version: version + 1 }, after))
}

fn already_submitted() -> AppError {
    AppError::Conflict(
        "Dieser Fragebogen wurde bereits abgeschickt und kann nicht mehr geändert werden.".into(),
    )
}

pub(crate) async fn answers_in(
    tx: &mut Transaction<'static, Any>,
    response_id: i64,
    questionnaire: &StoredQuestionnaire,
) -> Result<Answers, AppError> {
    load_answers(&mut *tx, response_id, questionnaire).await
}

async fn load_answers(
    conn: &mut sqlx::AnyConnection,
    response_id: i64,
    questionnaire: &StoredQuestionnaire,
) -> Result<Answers, AppError> {
    let rows = sqlx::query(
        "SELECT question_id, row_code, value FROM answer WHERE response_id = $1
         ORDER BY question_id, row_code, position",
    )
    .bind(response_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_error)?;
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

    pub(crate) async fn write(&self, tx: &mut Transaction<'static, Any>) -> Result<(), AppError> {
        if !self.replaced_questions.is_empty() {
            sqlx::query(&format!(
                "DELETE FROM answer WHERE response_id = $1 AND question_id IN ({})",
                self.replaced_list()
            ))
            .bind(self.response_id)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
            insert_answer_rows(tx, &self.rows).await?;
        }
        if let Some(kind) = &self.org_kind {
            sqlx::query("UPDATE response SET org_kind = $2 WHERE id = $1")
                .bind(self.response_id)
                .bind(kind.as_deref())
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
        }
        if let Some(places) = &self.municipalities {
            sqlx::query("DELETE FROM response_municipality WHERE response_id = $1")
                .bind(self.response_id)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            for ags in places {
                sqlx::query("INSERT INTO response_municipality (response_id, ags) VALUES ($1, $2)")
                    .bind(self.response_id)
                    .bind(ags)
                    .execute(&mut **tx)
                    .await
                    .map_err(db_error)?;
            }
        }
        Ok(())
    }

    /// The same on a rusqlite transaction (the SQLite writer thread).
    pub(crate) fn write_sqlite(&self, tx: &rusqlite::Transaction<'_>) -> Result<(), AppError> {
        let internal = AppError::internal;
        if !self.replaced_questions.is_empty() {
            tx.execute(
                &format!(
                    "DELETE FROM answer WHERE response_id = ?1 AND question_id IN ({})",
                    self.replaced_list()
                ),
                [self.response_id],
            )
            .map_err(internal)?;
            let mut insert = tx.prepare_cached(INSERT_ANSWER_SQLITE).map_err(internal)?;
            for (response_id, question_id, row, position, value) in &self.rows {
                insert
                    .execute(rusqlite::params![response_id, question_id, row, position, value])
                    .map_err(internal)?;
            }
        }
        if let Some(kind) = &self.org_kind {
            tx.execute(
                "UPDATE response SET org_kind = ?2 WHERE id = ?1",
                rusqlite::params![self.response_id, kind],
            )
            .map_err(internal)?;
        }
        if let Some(places) = &self.municipalities {
            tx.execute(
                "DELETE FROM response_municipality WHERE response_id = ?1",
                [self.response_id],
            )
            .map_err(internal)?;
            for ags in places {
                tx.execute(
                    "INSERT INTO response_municipality (response_id, ags) VALUES (?1, ?2)",
                    rusqlite::params![self.response_id, ags],
                )
                .map_err(internal)?;
            }
        }
        Ok(())
    }
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
    ) -> Result<(), AppError> {
        if let (crate::db::Backend::Sqlite, Some(path)) = (self.backend, self.sqlite_path.clone()) {
            // Prepared statements on one connection: several times faster than sqlx's driver for
            // the millions of rows of a large demo.
            let rows = generated_rows(questionnaire, responses);
            return tokio::task::spawn_blocking(move || insert_generated_sqlite(&path, &rows))
                .await
                .map_err(AppError::internal)?;
        }
        let url = self
            .postgres_url
            .clone()
            .ok_or_else(|| AppError::internal("no PostgreSQL server to load into"))?;
        insert_generated_postgres(&url, &generated_rows(questionnaire, responses)).await
    }
}

/// Loads generated responses with COPY on a connection of its own, several times faster than
/// multi-row inserts for the hundred million answer rows of a large demo. The response ids
/// are drawn from the table's sequence first, so that the answers can name them.
async fn insert_generated_postgres(url: &str, rows: &[GeneratedRows]) -> Result<(), AppError> {
    use sqlx::Connection;
    let Some(first) = rows.first() else { return Ok(()) };
    let mut conn = sqlx::PgConnection::connect(url).await.map_err(db_error)?;
    let mut tx = conn.begin().await.map_err(db_error)?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('response', 'id')) FROM generate_series(1, $1)",
    )
    .bind(rows.len() as i64)
    .fetch_all(&mut *tx)
    .await
    .map_err(db_error)?;
    let mut responses = String::new();
    let mut answers = String::new();
    let mut places = String::new();
    let optional = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "\\N".to_string());
    for (id, r) in ids.iter().zip(rows) {
        let g = &r.response;
        responses.push_str(&format!(
            "{id}\t{}\t{}\topen\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.questionnaire_id,
            copy_text(&g.token_hash),
            g.status.as_str(),
            g.current_page,
            r.org_kind.as_deref().map(copy_text).unwrap_or_else(|| "\\N".into()),
            g.created_at,
            g.created_at,
            g.updated_at,
            optional(g.submitted_at),
        ));
        for (question, row, position, value) in &r.answers {
            answers.push_str(&format!(
                "{id}\t{question}\t{}\t{position}\t{}\n",
                copy_text(row),
                copy_text(value)
            ));
        }
        for ags in &r.municipalities {
            places.push_str(&format!("{id}\t{}\n", copy_text(ags)));
        }
    }
    for (statement, data) in [
        ("COPY response (id, questionnaire_id, token_hash, channel, status, current_page, org_kind, created_at, started_at, updated_at, submitted_at) FROM STDIN", responses),
        ("COPY answer (response_id, question_id, row_code, position, value) FROM STDIN", answers),
        ("COPY response_municipality (response_id, ags) FROM STDIN", places),
    ] {
        let mut copy = tx.copy_in_raw(statement).await.map_err(db_error)?;
        copy.send(data.into_bytes()).await.map_err(db_error)?;
        copy.finish().await.map_err(db_error)?;
    }
    sqlx::query(UNMARK_TALLIES)
        .bind(first.questionnaire_id)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    conn.close().await.map_err(db_error)
}

/// A value in COPY's text format: backslash, tab, newline and carriage return escaped.
fn copy_text(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

/// A generated response as rows, before it has an id.
struct GeneratedRows {
    questionnaire_id: i64,
    response: GeneratedResponse,
    org_kind: Option<String>,
    municipalities: Vec<String>,
    /// Question id, row code, position, value.
    answers: Vec<(i64, String, i64, String)>,
}

fn generated_rows(
    questionnaire: &StoredQuestionnaire,
    responses: &[GeneratedResponse],
) -> Vec<GeneratedRows> {
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
            GeneratedRows {
                questionnaire_id: q.id,
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
                response: r.clone(),
            }
        })
        .collect()
}

fn insert_generated_sqlite(path: &std::path::Path, rows: &[GeneratedRows]) -> Result<(), AppError> {
    let internal = AppError::internal;
    let mut conn = rusqlite::Connection::open(path).map_err(internal)?;
    conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(internal)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(internal)?;
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(internal)?;
    if let Some(first) = rows.first() {
        tx.execute(&crate::db::sqlite_numbered(UNMARK_TALLIES), [first.questionnaire_id])
            .map_err(internal)?;
    }
    {
        let mut response = tx
            .prepare_cached(
                "INSERT INTO response (questionnaire_id, token_hash, channel, status, current_page, org_kind, created_at, started_at, updated_at, submitted_at)
                 VALUES (?1, ?2, 'open', ?3, ?4, ?5, ?6, ?6, ?7, ?8)",
            )
            .map_err(internal)?;
        let mut answer = tx.prepare_cached(INSERT_ANSWER_SQLITE).map_err(internal)?;
        let mut municipality = tx
            .prepare_cached("INSERT INTO response_municipality (response_id, ags) VALUES (?1, ?2)")
            .map_err(internal)?;
        for r in rows {
            let g = &r.response;
            response
                .execute(rusqlite::params![
                    r.questionnaire_id,
                    g.token_hash,
                    g.status.as_str(),
                    g.current_page,
                    r.org_kind,
                    g.created_at,
                    g.updated_at,
                    g.submitted_at
                ])
                .map_err(internal)?;
            let id = tx.last_insert_rowid();
            for (qid, row, position, value) in &r.answers {
                answer
                    .execute(rusqlite::params![id, qid, row, position, value])
                    .map_err(internal)?;
            }
            for ags in &r.municipalities {
                municipality.execute(rusqlite::params![id, ags]).map_err(internal)?;
            }
        }
    }
    tx.commit().map_err(internal)
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

/// Inserts answer rows, several per statement, well below SQLite's limit of bound parameters.
async fn insert_answer_rows(
    tx: &mut Transaction<'static, Any>,
    rows: &[AnswerRow],
) -> Result<(), AppError> {
    for chunk in rows.chunks(200) {
        let placeholders: Vec<String> = (0..chunk.len())
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
            "INSERT INTO answer (response_id, question_id, row_code, position, value) VALUES {}",
            placeholders.join(",")
        );
        let mut query = sqlx::query(&sql);
        for (response_id, question_id, row, position, value) in chunk {
            query = query
                .bind(*response_id)
                .bind(*question_id)
                .bind(row.as_str())
                .bind(*position)
                .bind(value.as_str());
        }
        query.execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

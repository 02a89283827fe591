//! Questionnaires, themes and questions. Structures are cached per revision: a published
//! questionnaire is read on every page save, so it is parsed once, not on every request.

use crate::db::{get, get_code, Store, StoredQuestionnaire};
use crate::error::StoreResult;
use crate::now_ms;
use domain::builder::Renames;
use domain::{
    AppError, Question, QuestionKind, Questionnaire, QuestionnaireStatus, Reference, Theme,
};
use sqlx::any::AnyRow;
use std::collections::HashMap;
use std::sync::Arc;

/// What the home page lists.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OpenQuestionnaire {
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub duration_minutes: i64,
    pub deadline: Option<String>,
}

#[derive(Debug, Clone)]
pub struct QuestionnaireRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: QuestionnaireStatus,
    pub deadline: Option<String>,
    pub revision: i64,
}

impl Store {
    /// Inserts a questionnaire with its themes and questions in one transaction, as the one
    /// wave of a new series (labelled with the current year).
    pub async fn insert_questionnaire(&self, q: &Questionnaire) -> StoreResult<i64> {
        self.insert_questionnaire_wave(q, None).await
    }

    /// Inserts a questionnaire; `next` = (series, label) makes it the series' next wave,
    /// `None` the first wave of a new series of its own.
    pub async fn insert_questionnaire_wave(
        &self,
        q: &Questionnaire,
        next: Option<(i64, &str)>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_questionnaire_in(&mut tx, q, next).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The series of questionnaire `id` (its id and title) with every wave in order; `None`
    /// for a questionnaire without a wave row.
    pub async fn series_of(
        &self,
        id: i64,
    ) -> StoreResult<Option<(i64, String, Vec<domain::waves::WaveChoice>)>> {
        let Some(row) = sqlx::query(
            "SELECT s.id, s.title FROM survey_wave w JOIN survey_series s ON s.id = w.series_id
             WHERE w.questionnaire_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        else {
            return Ok(None);
        };
        let series: i64 = get(&row, "id")?;
        let title: String = get(&row, "title")?;
        let waves = self.waves_of_series(series).await?;
        Ok(Some((series, title, waves)))
    }

    async fn waves_of_series(&self, series: i64) -> StoreResult<Vec<domain::waves::WaveChoice>> {
        let rows = sqlx::query(
            "SELECT w.questionnaire_id, w.label, w.position, q.title FROM survey_wave w
             JOIN questionnaire q ON q.id = w.questionnaire_id
             WHERE w.series_id = $1 ORDER BY w.position",
        )
        .bind(series)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(domain::waves::WaveChoice {
                    questionnaire_id: get(r, "questionnaire_id")?,
                    label: get(r, "label")?,
                    title: get(r, "title")?,
                    position: get(r, "position")?,
                })
            })
            .collect()
    }

    /// Every series with its waves, the newest series first.
    pub async fn series_list(&self) -> StoreResult<Vec<domain::waves::SeriesSummary>> {
        let rows =
            sqlx::query("SELECT id, title FROM survey_series ORDER BY created_at DESC, id DESC")
                .fetch_all(&self.read)
                .await?;
        let mut list = Vec::new();
        for r in &rows {
            let id: i64 = get(r, "id")?;
            let waves = self.waves_of_series(id).await?;
            if !waves.is_empty() {
                list.push(domain::waves::SeriesSummary { id, title: get(r, "title")?, waves });
            }
        }
        Ok(list)
    }

    /// Stores a changed structure (head, themes, questions) of questionnaire `id` if it is
    /// still at `expected_revision`, and bumps the revision; `false` when someone else changed
    /// it meanwhile (then nothing is written). Rows are updated in place, matched by code (or
    /// by their old code in `renames`), so that answers stay attached to their questions.
    pub async fn save_structure(
        &self,
        id: i64,
        expected_revision: i64,
        new: &Questionnaire,
        renames: &Renames,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // The optimistic lock: only the revision the change was made from may be replaced
        // (on PostgreSQL this also locks the row until the end of the transaction).
        let claimed = sqlx::query(
            "UPDATE questionnaire SET revision = revision + 1, slug = $3, title = $4, intro = $5, duration_minutes = $6, updated_at = $7
             WHERE id = $1 AND revision = $2",
        )
        .bind(id)
        .bind(expected_revision)
        .bind(&new.slug)
        .bind(&new.title)
        .bind(&new.intro)
        .bind(new.duration_minutes as i64)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        let renamed = |list: &[(String, String)], code: String| {
            list.iter().find(|(old, _)| *old == code).map(|(_, new)| new.clone()).unwrap_or(code)
        };
        let mut themes: HashMap<String, i64> = HashMap::new();
        for r in sqlx::query("SELECT id, code FROM theme WHERE questionnaire_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
        {
            themes.insert(renamed(&renames.themes, get(&r, "code")?), get(&r, "id")?);
        }
        let mut questions: HashMap<String, i64> = HashMap::new();
        for r in sqlx::query("SELECT id, code FROM question WHERE questionnaire_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
        {
            questions.insert(renamed(&renames.questions, get(&r, "code")?), get(&r, "id")?);
        }
        // Removed questions first (with their answers), then emptied themes, so that no code
        // is taken twice while rows are renamed or added.
        for (code, qid) in &questions {
            if new.question(code).is_none() {
                sqlx::query("DELETE FROM question WHERE id = $1")
                    .bind(*qid)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for (code, tid) in &themes {
            if !new.themes.iter().any(|t| &t.code == code) {
                sqlx::query("DELETE FROM theme WHERE id = $1").bind(*tid).execute(&mut *tx).await?;
            }
        }
        for (t_pos, theme) in new.themes.iter().enumerate() {
            let theme_id = match themes.get(&theme.code) {
                Some(tid) => {
                    sqlx::query("UPDATE theme SET position = $2, code = $3, title = $4, intro = $5 WHERE id = $1")
                        .bind(*tid)
                        .bind(t_pos as i64)
                        .bind(&theme.code)
                        .bind(&theme.title)
                        .bind(theme.intro.as_deref())
                        .execute(&mut *tx)
                        .await?;
                    *tid
                }
                None => sqlx::query_scalar(
                    "INSERT INTO theme (questionnaire_id, position, code, title, intro) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(id)
                .bind(t_pos as i64)
                .bind(&theme.code)
                .bind(&theme.title)
                .bind(theme.intro.as_deref())
                .fetch_one(&mut *tx)
                .await?,
            };
            for (q_pos, question) in theme.questions.iter().enumerate() {
                match questions.get(&question.code) {
                    Some(qid) => {
                        write_question(&mut tx, UPDATE_QUESTION, *qid, theme_id, q_pos, question)
                            .await?
                    }
                    None => {
                        write_question(&mut tx, INSERT_QUESTION, id, theme_id, q_pos, question)
                            .await?
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Whether anybody has started answering the questionnaire (links only handed out do not count).
    pub async fn has_started_responses(&self, id: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM response WHERE questionnaire_id = $1 AND status <> 'invited' LIMIT 1) AS started",
        )
        .bind(id)
        .fetch_one(&self.read)
        .await?;
        Ok(n > 0)
    }

    /// The open-link names of all questionnaires.
    pub async fn questionnaire_slugs(&self) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT slug FROM questionnaire").fetch_all(&self.read).await?)
    }

    /// Creates the given questionnaire if the database has none yet (first start).
    pub async fn ensure_questionnaire(&self, q: &Questionnaire) -> StoreResult<Option<i64>> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM questionnaire").fetch_one(&self.read).await?;
        if count > 0 {
            return Ok(None);
        }
        match self.insert_questionnaire(q).await.map_err(AppError::from) {
            Ok(id) => Ok(Some(id)),
            // Another instance seeded it at the same moment.
            Err(AppError::Conflict(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn open_questionnaires(&self) -> StoreResult<Vec<OpenQuestionnaire>> {
        let rows = sqlx::query(
            "SELECT slug, title, intro, duration_minutes, deadline FROM questionnaire
             WHERE status = 'open' ORDER BY created_at, id",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenQuestionnaire {
                    slug: get(r, "slug")?,
                    title: get(r, "title")?,
                    intro: get(r, "intro")?,
                    duration_minutes: get(r, "duration_minutes")?,
                    deadline: get(r, "deadline")?,
                })
            })
            .collect()
    }

    /// Id and revision of the questionnaire with this open-link slug.
    pub async fn questionnaire_by_slug(&self, slug: &str) -> StoreResult<Option<(i64, i64)>> {
        let row = sqlx::query("SELECT id, revision FROM questionnaire WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| Ok((get(&r, "id")?, get(&r, "revision")?))).transpose()
    }

    /// The current revision of the questionnaire with this id.
    pub async fn questionnaire_revision(&self, id: i64) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT revision FROM questionnaire WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// The questionnaire at its current revision; NotFound when there is none with this id.
    pub async fn current_questionnaire(&self, id: i64) -> StoreResult<Arc<StoredQuestionnaire>> {
        let revision = self
            .questionnaire_revision(id)
            .await?
            .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
        self.questionnaire(id, revision).await
    }

    /// Opens, closes or re-opens a questionnaire.
    pub async fn set_questionnaire_status(
        &self,
        id: i64,
        status: QuestionnaireStatus,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE questionnaire SET status = $2, revision = revision + 1, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()).into());
        }
        Ok(())
    }

    pub async fn questionnaire_ids(&self) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM questionnaire ORDER BY id")
            .fetch_all(&self.read)
            .await?)
    }

    /// The questionnaire at `revision`, from the cache when it holds that revision.
    pub async fn questionnaire(
        &self,
        id: i64,
        revision: i64,
    ) -> StoreResult<Arc<StoredQuestionnaire>> {
        if let Some(hit) = self
            .questionnaires
            .read()
            .map_err(AppError::internal)?
            .get(&id)
            .filter(|q| q.revision == revision)
        {
            return Ok(hit.clone());
        }
        let loaded = Arc::new(self.load_questionnaire(id).await?);
        self.questionnaires.write().map_err(AppError::internal)?.insert(id, loaded.clone());
        Ok(loaded)
    }

    async fn load_questionnaire(&self, id: i64) -> StoreResult<StoredQuestionnaire> {
        let mut conn = self.read.acquire().await?;
        let head = sqlx::query(
            "SELECT id, slug, title, intro, duration_minutes, status, deadline, revision
             FROM questionnaire WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
        let theme_rows = sqlx::query(
            "SELECT id, code, title, intro FROM theme WHERE questionnaire_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let question_rows = sqlx::query(
            "SELECT id, theme_id, code, text, help, required, spec, condition, reference
             FROM question WHERE questionnaire_id = $1 ORDER BY theme_id, position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;

        let mut by_theme: HashMap<i64, Vec<&AnyRow>> = HashMap::new();
        for r in &question_rows {
            by_theme.entry(get(r, "theme_id")?).or_default().push(r);
        }
        let mut question_ids = HashMap::new();
        let mut question_codes = HashMap::new();
        let mut themes = Vec::with_capacity(theme_rows.len());
        for t in &theme_rows {
            let theme_id: i64 = get(t, "id")?;
            let mut questions = Vec::new();
            for r in by_theme.remove(&theme_id).unwrap_or_default() {
                let question = question_from_row(r)?;
                let qid: i64 = get(r, "id")?;
                question_ids.insert(question.code.clone(), qid);
                question_codes.insert(qid, question.code.clone());
                questions.push(question);
            }
            themes.push(Theme {
                code: get(t, "code")?,
                title: get(t, "title")?,
                intro: get(t, "intro")?,
                questions,
            });
        }
        let status: String = get(&head, "status")?;
        let duration: i64 = get(&head, "duration_minutes")?;
        Ok(StoredQuestionnaire {
            questionnaire: Questionnaire {
                id,
                slug: get(&head, "slug")?,
                title: get(&head, "title")?,
                intro: get(&head, "intro")?,
                duration_minutes: duration.max(0) as u32,
                status: QuestionnaireStatus::parse(&status).ok_or_else(|| {
                    AppError::internal(format!("unknown questionnaire status {status}"))
                })?,
                deadline: get(&head, "deadline")?,
                themes,
            },
            revision: get(&head, "revision")?,
            question_ids,
            question_codes,
        })
    }

    /// The questionnaires, newest first.
    pub async fn questionnaire_rows(&self) -> StoreResult<Vec<QuestionnaireRow>> {
        let rows = sqlx::query("SELECT id, slug, title, status, deadline, revision FROM questionnaire ORDER BY created_at DESC, id DESC")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(QuestionnaireRow {
                    id: get(r, "id")?,
                    slug: get(r, "slug")?,
                    title: get(r, "title")?,
                    status: get_code(r, "status", QuestionnaireStatus::parse)?,
                    deadline: get(r, "deadline")?,
                    revision: get(r, "revision")?,
                })
            })
            .collect()
    }

    /// Responses and links of one questionnaire (revoked ones left out).
    pub async fn response_count(&self, questionnaire_id: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM response WHERE questionnaire_id = $1 AND status <> 'revoked'",
        )
        .bind(questionnaire_id)
        .fetch_one(&self.read)
        .await?)
    }

    /// Responses and links per questionnaire (revoked ones left out). Reads every response:
    /// for the administration's list, not for every page.
    pub async fn response_counts(&self) -> StoreResult<HashMap<i64, i64>> {
        let rows = sqlx::query("SELECT questionnaire_id, COUNT(*) AS n FROM response WHERE status <> 'revoked' GROUP BY questionnaire_id")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(|r| Ok((get(r, "questionnaire_id")?, get(r, "n")?))).collect()
    }

    /// Sets the deadline shown to respondents (or removes it).
    /// Status and deadline in one statement, so that a questionnaire is never seen with one
    /// changed and not the other, and its revision moves once.
    pub async fn set_questionnaire_status_and_deadline(
        &self,
        id: i64,
        status: QuestionnaireStatus,
        deadline: Option<&str>,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE questionnaire SET status = $2, deadline = $3, revision = revision + 1,
             updated_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(deadline)
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()).into());
        }
        Ok(())
    }
}

/// `$1` is the questionnaire.
const INSERT_QUESTION: &str = "INSERT INTO question (questionnaire_id, theme_id, position, code, text, help, required, kind, spec, condition, reference)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// `$1` is the question.
const UPDATE_QUESTION: &str = "UPDATE question SET theme_id = $2, position = $3, code = $4, text = $5, help = $6, required = $7, kind = $8,
     spec = $9, condition = $10, reference = $11 WHERE id = $1";

/// Writes a question's columns with [`INSERT_QUESTION`] or [`UPDATE_QUESTION`].
async fn write_question(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sql: &str,
    first: i64,
    theme_id: i64,
    position: usize,
    question: &Question,
) -> StoreResult<()> {
    let spec = serde_json::to_string(&question.kind).map_err(AppError::internal)?;
    let condition = question
        .condition
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(AppError::internal)?;
    sqlx::query(sql)
        .bind(first)
        .bind(theme_id)
        .bind(position as i64)
        .bind(&question.code)
        .bind(&question.text)
        .bind(question.help.as_deref())
        .bind(question.required as i64)
        .bind(question.kind.name())
        .bind(spec)
        .bind(condition)
        .bind(reference_name(question.reference))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn reference_name(reference: Option<Reference>) -> Option<&'static str> {
    reference.map(|r| match r {
        Reference::OrgKind => "org_kind",
        Reference::Municipalities => "municipalities",
        Reference::Personal => "personal",
    })
}

fn question_from_row(r: &AnyRow) -> StoreResult<Question> {
    let spec: String = get(r, "spec")?;
    let kind: QuestionKind = serde_json::from_str(&spec).map_err(AppError::internal)?;
    let condition: Option<String> = get(r, "condition")?;
    let condition = match condition {
        Some(c) => Some(serde_json::from_str(&c).map_err(AppError::internal)?),
        None => None,
    };
    let reference: Option<String> = get(r, "reference")?;
    let required: i64 = get(r, "required")?;
    Ok(Question {
        code: get(r, "code")?,
        text: get(r, "text")?,
        help: get(r, "help")?,
        required: required != 0,
        kind,
        condition,
        reference: match reference.as_deref() {
            Some("org_kind") => Some(Reference::OrgKind),
            Some("municipalities") => Some(Reference::Municipalities),
            Some("personal") => Some(Reference::Personal),
            _ => None,
        },
    })
}

/// Inserts a questionnaire with its themes and questions in the caller's transaction, so that
/// other features (imports) can write their rows beside it, all or nothing.
/// Inserts a questionnaire in `tx`; `next` = (series, label) makes it the series' next wave,
/// `None` the first wave of a new series of its own (labelled with the current year).
pub(crate) async fn insert_questionnaire_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    q: &Questionnaire,
    next: Option<(i64, &str)>,
) -> StoreResult<i64> {
    // A draft is built step by step: its themes may still be empty.
    let problems = if q.status == QuestionnaireStatus::Draft { q.check_draft() } else { q.check() };
    if !problems.is_empty() {
        return Err(AppError::BadRequest(problems.join(" ")).into());
    }
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questionnaire (slug, title, intro, duration_minutes, status, deadline, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&q.slug)
    .bind(&q.title)
    .bind(&q.intro)
    .bind(q.duration_minutes as i64)
    .bind(q.status.as_str())
    .bind(q.deadline.as_deref())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for (t_pos, theme) in q.themes.iter().enumerate() {
        let theme_id: i64 = sqlx::query_scalar(
            "INSERT INTO theme (questionnaire_id, position, code, title, intro)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(t_pos as i64)
        .bind(&theme.code)
        .bind(&theme.title)
        .bind(theme.intro.as_deref())
        .fetch_one(&mut **tx)
        .await?;
        for (q_pos, question) in theme.questions.iter().enumerate() {
            write_question(tx, INSERT_QUESTION, id, theme_id, q_pos, question).await?;
        }
    }
    // A new questionnaire has no responses: its (empty) tallies are complete.
    sqlx::query("INSERT INTO tally_built (questionnaire_id) VALUES ($1)")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let (series, label, position) = match next {
        Some((series, label)) => {
            let last: Option<i64> =
                sqlx::query_scalar("SELECT MAX(position) FROM survey_wave WHERE series_id = $1")
                    .bind(series)
                    .fetch_one(&mut **tx)
                    .await?;
            (series, label.to_string(), last.unwrap_or(0) + 1)
        }
        None => {
            let series: i64 = sqlx::query_scalar(
                "INSERT INTO survey_series (title, created_at) VALUES ($1, $2) RETURNING id",
            )
            .bind(&q.title)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            (series, domain::clock::berlin_time(now).year.to_string(), 1)
        }
    };
    sqlx::query(
        "INSERT INTO survey_wave (questionnaire_id, series_id, label, position) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(series)
    .bind(&label)
    .bind(position)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

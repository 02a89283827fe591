//! Counts of stored answer rows per theme over a filtered set of responses: the input of the
//! dashboard figures and of the aggregates export.

use super::export::{filter_sql, Param};
use super::{db_error, get, Store, StoredQuestionnaire};
use domain::answers::OTHER_ROW;
use domain::filter::ResponseFilter;
use domain::stats::Tallies;
use domain::{AppError, QuestionKind, Theme};

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    params: &'q [Param],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for p in params {
        query = match p {
            Param::Int(v) => query.bind(*v),
            Param::Text(v) => query.bind(v.as_str()),
        };
    }
    query
}

impl Store {
    /// The tallies of one theme; free texts only when `with_texts`.
    pub async fn theme_tallies(
        &self,
        questionnaire: &StoredQuestionnaire,
        theme: &Theme,
        filter: &ResponseFilter,
        with_texts: bool,
    ) -> Result<Tallies, AppError> {
        let where_sql = filter_sql(questionnaire.questionnaire.id, filter);
        let mut tallies = Tallies::default();
        let respondents: i64 =
            bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM response r WHERE {}", where_sql.condition)), &where_sql.params)
                .fetch_one(&self.read)
                .await
                .map_err(db_error)
                .and_then(|row| get(&row, "n"))?;
        tallies.respondents = respondents.max(0) as u64;

        let ids = |texts: bool| -> Vec<String> {
            theme
                .questions
                .iter()
                .filter(|q| matches!(q.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }) == texts)
                .filter_map(|q| questionnaire.question_id(&q.code))
                .map(|id| id.to_string())
                .collect()
        };
        let (counted, text_ids) = (ids(false), ids(true));
        let all: Vec<String> = counted.iter().chain(text_ids.iter()).cloned().collect();
        if all.is_empty() {
            return Ok(tallies);
        }
        // Question ids are numbers from the database, safe to inline.
        let answered_sql = format!(
            "SELECT a.question_id, COUNT(DISTINCT a.response_id) AS n FROM answer a JOIN response r ON r.id = a.response_id
             WHERE {} AND a.question_id IN ({}) GROUP BY a.question_id",
            where_sql.condition,
            all.join(", ")
        );
        for row in bind_all(sqlx::query(&answered_sql), &where_sql.params).fetch_all(&self.read).await.map_err(db_error)? {
            let id: i64 = get(&row, "question_id")?;
            let n: i64 = get(&row, "n")?;
            if let Some(code) = questionnaire.question_codes.get(&id) {
                tallies.answered.insert(code.clone(), n.max(0) as u64);
            }
        }
        if !counted.is_empty() {
            // "Other" texts are counted as one value each, not grouped by their wording.
            let counts_sql = format!(
                "SELECT a.question_id, a.row_code, CASE WHEN a.row_code = '{OTHER_ROW}' THEN '' ELSE a.value END AS value, COUNT(*) AS n
                 FROM answer a JOIN response r ON r.id = a.response_id
                 WHERE {} AND a.question_id IN ({})
                 GROUP BY a.question_id, a.row_code, CASE WHEN a.row_code = '{OTHER_ROW}' THEN '' ELSE a.value END",
                where_sql.condition,
                counted.join(", ")
            );
            for row in bind_all(sqlx::query(&counts_sql), &where_sql.params).fetch_all(&self.read).await.map_err(db_error)? {
                let id: i64 = get(&row, "question_id")?;
                let n: i64 = get(&row, "n")?;
                if let Some(code) = questionnaire.question_codes.get(&id) {
                    let row_code: String = get(&row, "row_code")?;
                    let value: String = get(&row, "value")?;
                    tallies.add(code, &row_code, &value, n.max(0) as u64);
                }
            }
        }
        if with_texts {
            let texts_sql = format!(
                "SELECT a.question_id, a.value FROM answer a JOIN response r ON r.id = a.response_id
                 WHERE {} AND a.question_id IN ({}) AND (a.row_code = '' OR a.row_code = '{OTHER_ROW}')
                   AND (a.row_code = '{OTHER_ROW}' OR a.question_id IN ({}))
                 ORDER BY a.question_id, r.submitted_at, r.id",
                where_sql.condition,
                all.join(", "),
                if text_ids.is_empty() { "NULL".to_string() } else { text_ids.join(", ") }
            );
            for row in bind_all(sqlx::query(&texts_sql), &where_sql.params).fetch_all(&self.read).await.map_err(db_error)? {
                let id: i64 = get(&row, "question_id")?;
                if let Some(code) = questionnaire.question_codes.get(&id) {
                    tallies.texts.entry(code.clone()).or_default().push(get(&row, "value")?);
                }
            }
        }
        Ok(tallies)
    }
}

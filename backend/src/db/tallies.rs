//! Counts of stored answer rows per theme over a filtered set of responses: the input of the
//! dashboard figures and of the aggregates export.

use super::export::{filter_sql, Param};
use super::{db_error, get, Store, StoredQuestionnaire};
use domain::answers::OTHER_ROW;
use domain::filter::ResponseFilter;
use domain::stats::Tallies;
use domain::{AppError, QuestionKind, Theme};
use std::collections::HashMap;

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

/// Which free texts a dashboard lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextSearch {
    /// Only texts containing this (case-insensitive for ASCII letters on SQLite).
    pub contains: String,
    pub limit: i64,
}

impl Store {
    /// Texts of one question (its "other" texts for a multiple choice), newest first, and how
    /// many match in all.
    async fn texts_of(&self, where_sql: &super::export::FilterSql, question_id: i64, only_other: bool, search: &TextSearch) -> Result<(Vec<String>, u64), AppError> {
        let mut params = where_sql.params.clone();
        // A multiple choice's chosen options are codes, not texts: only its "other" row counts.
        let row = if only_other { OTHER_ROW } else { "" };
        let mut condition = format!("{} AND a.question_id = {question_id} AND a.row_code = '{row}'", where_sql.condition);
        if !search.contains.is_empty() {
            let escaped = search.contains.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            params.push(Param::Text(format!("%{escaped}%")));
            condition.push_str(&format!(" AND LOWER(a.value) LIKE ${} ESCAPE '\\'", params.len()));
        }
        let count_sql = format!("SELECT COUNT(*) AS n FROM answer a JOIN response r ON r.id = a.response_id WHERE {condition}");
        let matching: i64 = bind_all(sqlx::query(&count_sql), &params).fetch_one(&self.read).await.map_err(db_error).and_then(|row| get(&row, "n"))?;
        let list_sql = format!(
            "SELECT a.value FROM answer a JOIN response r ON r.id = a.response_id WHERE {condition}
             ORDER BY COALESCE(r.submitted_at, r.updated_at) DESC, r.id DESC LIMIT {}",
            search.limit.max(0)
        );
        let rows = bind_all(sqlx::query(&list_sql), &params).fetch_all(&self.read).await.map_err(db_error)?;
        let texts = rows.iter().map(|row| get::<String>(row, "value")).collect::<Result<Vec<_>, _>>()?;
        Ok((texts, matching.max(0) as u64))
    }

    /// The tallies of one theme; free texts (the newest first) only when `texts` asks for them.
    pub async fn theme_tallies(
        &self,
        questionnaire: &StoredQuestionnaire,
        theme: &Theme,
        filter: &ResponseFilter,
        texts: Option<&TextSearch>,
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
        if let Some(search) = texts {
            for question in theme.questions.iter().filter(|q| {
                matches!(q.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } | QuestionKind::MultipleChoice { other: Some(_), .. })
            }) {
                let Some(id) = questionnaire.question_id(&question.code) else { continue };
                let only_other = matches!(question.kind, QuestionKind::MultipleChoice { .. });
                let (listed, matching) = self.texts_of(&where_sql, id, only_other, search).await?;
                tallies.texts.insert(question.code.clone(), listed);
                tallies.text_matches.insert(question.code.clone(), matching);
            }
        }
        Ok(tallies)
    }
}

impl Store {
    /// Tallies of the given questions per municipality served (the heat map's columns). Keys
    /// are AGS codes and `kreisweit`; the caller adds county-wide responses to each
    /// municipality.
    pub async fn municipality_tallies(
        &self,
        questionnaire: &StoredQuestionnaire,
        question_codes: &[&str],
        filter: &ResponseFilter,
    ) -> Result<HashMap<String, Tallies>, AppError> {
        let where_sql = filter_sql(questionnaire.questionnaire.id, filter);
        let mut out: HashMap<String, Tallies> = HashMap::new();
        let respondents_sql = format!(
            "SELECT m.ags, COUNT(*) AS n FROM response r JOIN response_municipality m ON m.response_id = r.id WHERE {} GROUP BY m.ags",
            where_sql.condition
        );
        for row in bind_all(sqlx::query(&respondents_sql), &where_sql.params).fetch_all(&self.read).await.map_err(db_error)? {
            let n: i64 = get(&row, "n")?;
            out.entry(get(&row, "ags")?).or_default().respondents = n.max(0) as u64;
        }
        let ids: Vec<String> =
            question_codes.iter().filter_map(|c| questionnaire.question_id(c)).map(|id| id.to_string()).collect();
        if ids.is_empty() {
            return Ok(out);
        }
        let joined = format!(
            "FROM answer a JOIN response r ON r.id = a.response_id JOIN response_municipality m ON m.response_id = r.id
             WHERE {} AND a.question_id IN ({})",
            where_sql.condition,
            ids.join(", ")
        );
        let answered_sql = format!("SELECT m.ags, a.question_id, COUNT(DISTINCT a.response_id) AS n {joined} GROUP BY m.ags, a.question_id");
        for row in bind_all(sqlx::query(&answered_sql), &where_sql.params).fetch_all(&self.read).await.map_err(db_error)? {
            let id: i64 = get(&row, "question_id")?;
            let n: i64 = get(&row, "n")?;
            if let Some(code) = questionnaire.question_codes.get(&id) {
                out.entry(get(&row, "ags")?).or_default().answered.insert(code.clone(), n.max(0) as u64);
            }
        }
        let counts_sql = format!("SELECT m.ags, a.question_id, a.row_code, a.value, COUNT(*) AS n {joined} GROUP BY m.ags, a.question_id, a.row_code, a.value");
        for row in bind_all(sqlx::query(&counts_sql), &where_sql.params).fetch_all(&self.read).await.map_err(db_error)? {
            let id: i64 = get(&row, "question_id")?;
            let n: i64 = get(&row, "n")?;
            if let Some(code) = questionnaire.question_codes.get(&id) {
                let ags: String = get(&row, "ags")?;
                let row_code: String = get(&row, "row_code")?;
                let value: String = get(&row, "value")?;
                out.entry(ags).or_default().add(code, &row_code, &value, n.max(0) as u64);
            }
        }
        Ok(out)
    }
}

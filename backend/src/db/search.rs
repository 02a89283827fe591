//! Reading the kept free texts (`response_text`, table alias `t`) of one question: the filter
//! conditions and statements that both engines' searches build on, and the search, which
//! differs by engine ([`sqlite::search_texts`], [`postgres::search_texts`]).

use super::scan::{bind_all, FilterSql, Param};
use super::{get, postgres, sqlite, Engine, Store};
use crate::error::StoreResult;
use domain::filter::ResponseFilter;
use domain::reference::WHOLE_COUNTY;
use domain::stats::TextCount;
use sqlx::AnyPool;

/// A search of one question's kept texts for a term, under a filter of submitted responses.
pub(crate) struct TextQuery<'a> {
    pub questionnaire_id: i64,
    pub question_id: i64,
    /// The ids of the question's texts (on SQLite, where the search index's rowids lie).
    pub ids: (i64, i64),
    pub filter: &'a ResponseFilter,
    /// Folded for search, not empty.
    pub term: &'a str,
    pub limit: i64,
}

impl Store {
    /// The newest texts containing the term (at most `limit`), and how many do (counted up to
    /// the count limit).
    pub(crate) async fn search_texts(
        &self,
        query: &TextQuery<'_>,
    ) -> StoreResult<(Vec<String>, TextCount)> {
        match self.engine {
            Engine::Sqlite { .. } => sqlite::search_texts(&self.read, query).await,
            Engine::Postgres { .. } => postgres::search_texts(&self.read, query).await,
        }
    }
}

/// Whether a set of municipalities (see `dashboards::tally::municipality_key`) in `column`
/// names any of `places`.
fn names_any<'p>(
    column: &str,
    places: impl Iterator<Item = &'p str>,
    placeholder: &mut impl FnMut(Param) -> String,
) -> String {
    let any: Vec<String> = places
        .map(|m| format!("{column} LIKE {}", placeholder(Param::Text(format!("%,{m},%")))))
        .collect();
    format!("({})", any.join(" OR "))
}

/// Which columns a condition on one question's kept texts reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TextColumns {
    /// The question, kind and municipalities as kept: what the walk of the newest texts filters.
    Kept,
    /// On PostgreSQL, the question with the kinds (`facets`) and the municipalities (`places`)
    /// as the search index holds them, so that the index answers the filter with the term.
    SearchIndex,
}

/// The `WHERE` condition selecting one question's kept texts (table alias `t`) under a filter
/// of submitted responses, with `$n` placeholders numbered from `$1`.
pub(crate) fn text_filter_sql(
    questionnaire_id: i64,
    question_id: i64,
    filter: &ResponseFilter,
    columns: TextColumns,
) -> FilterSql {
    let mut params = vec![Param::Int(questionnaire_id)];
    let mut parts = vec!["t.questionnaire_id = $1".to_string()];
    let mut placeholder = |p: Param| {
        params.push(p);
        format!("${}", params.len())
    };
    match columns {
        TextColumns::Kept => {
            parts.push(format!("t.question_id = {}", placeholder(Param::Int(question_id))));
            if !filter.kinds.is_empty() {
                let list: Vec<String> =
                    filter.kinds.iter().map(|k| placeholder(Param::Text(k.clone()))).collect();
                parts.push(format!("t.org_kind IN ({})", list.join(", ")));
            }
        }
        TextColumns::SearchIndex => {
            parts.push(postgres::facets_condition(question_id, &filter.kinds, &mut placeholder));
        }
    }
    if !filter.municipalities.is_empty() {
        // A response for the whole county counts for every municipality.
        let places = filter.municipalities.iter().map(String::as_str).chain([WHOLE_COUNTY]);
        parts.push(match columns {
            TextColumns::Kept => names_any("t.municipalities", places, &mut placeholder),
            TextColumns::SearchIndex => postgres::places_condition(places, &mut placeholder),
        });
    }
    let (from, to) = filter.time_range_ms();
    if let Some(from) = from {
        parts.push(format!("t.submitted_at >= {}", placeholder(Param::Int(from))));
    }
    if let Some(to) = to {
        parts.push(format!("t.submitted_at < {}", placeholder(Param::Int(to))));
    }
    FilterSql { condition: parts.join(" AND "), params }
}

/// Narrows a texts' condition (table alias `t`) to those containing a folded term.
pub(super) fn push_contains(sql: &mut FilterSql, folded_term: &str) {
    sql.params.push(Param::Text(like_pattern(folded_term)));
    sql.condition.push_str(&format!(" AND t.folded LIKE ${} ESCAPE '\\'", sql.params.len()));
}

/// The order in which texts are listed (table alias `t`).
pub(crate) const NEWEST_FIRST: &str = "ORDER BY t.submitted_at DESC, t.response_id DESC";

/// A search term as a `LIKE` pattern (with `ESCAPE '\'`) for texts containing it.
fn like_pattern(folded_term: &str) -> String {
    format!("%{}%", folded_term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// How many rows a `SELECT COUNT(*) AS n` counted. Planned for its parameters (a search
/// term's frequency matters), not once for all.
pub(super) async fn count_matches(read: &AnyPool, sql: &str, params: &[Param]) -> StoreResult<u64> {
    let row = bind_all(sqlx::query(sql), params).persistent(false).fetch_one(read).await?;
    let n: i64 = get(&row, "n")?;
    Ok(n.max(0) as u64)
}

/// The texts (column `value`) a statement selects.
pub(crate) async fn text_values(
    read: &AnyPool,
    sql: &str,
    params: &[Param],
    persistent: bool,
) -> StoreResult<Vec<String>> {
    let rows = bind_all(sqlx::query(sql), params).persistent(persistent).fetch_all(read).await?;
    rows.iter().map(|row| get::<String>(row, "value")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::filter::Date;

    #[test]
    fn text_filters_read_the_kept_columns() {
        let mut filter = ResponseFilter::default();
        assert_eq!(
            text_filter_sql(2, 7, &filter, TextColumns::Kept).condition,
            "t.questionnaire_id = $1 AND t.question_id = $2"
        );
        filter.kinds = vec!["kita".into(), "schule".into()];
        filter.municipalities = vec!["05154008".into()];
        filter.from = Date::new(2026, 9, 1);
        filter.to = Date::new(2026, 9, 30);
        let sql = text_filter_sql(2, 7, &filter, TextColumns::Kept);
        assert_eq!(
            sql.condition,
            "t.questionnaire_id = $1 AND t.question_id = $2 AND t.org_kind IN ($3, $4) \
             AND (t.municipalities LIKE $5 OR t.municipalities LIKE $6) AND t.submitted_at >= $7 AND t.submitted_at < $8"
        );
        assert_eq!(
            sql.params[4..6],
            [Param::Text("%,05154008,%".into()), Param::Text(format!("%,{WHOLE_COUNTY},%"))]
        );
        assert_eq!(sql.params[6], Param::Int(filter.time_range_ms().0.unwrap()));
    }

    #[test]
    fn search_terms_are_taken_literally() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}

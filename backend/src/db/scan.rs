//! Reading responses for the exports, in response order and without holding them: on SQLite
//! through a read-only rusqlite connection on a blocking thread ([`super::sqlite`]), on
//! PostgreSQL as a sqlx row stream.

use super::{get, postgres, sqlite, Engine, Store, StoredQuestionnaire};
use crate::error::StoreResult;
use domain::filter::{ResponseFilter, StatusFilter};
use domain::reference::WHOLE_COUNTY;
use domain::AppError;
use futures_util::TryStreamExt;

/// What the export knows of a response besides its answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseMeta {
    pub id: i64,
    pub status: String,
    pub started_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub org_kind: Option<String>,
    pub municipalities: Vec<String>,
    pub organisation: Option<String>,
    pub email: Option<String>,
}

/// Receives the responses of an export in order: a response's meta data, then its values.
pub trait ResponseSink: Send {
    fn response(&mut self, meta: ResponseMeta) -> Result<(), AppError>;
    /// A stored value of the question with that database id.
    fn value(&mut self, question: i64, row_code: &str, value: &str) -> Result<(), AppError>;
    /// Takes what has been written when a chunk is full, or everything when `last`.
    fn chunk(&mut self, last: bool) -> Result<Option<Vec<u8>>, AppError>;
}

/// A bound parameter of a generated statement (or a cell of a row written in bulk).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
    /// A null in an integer column.
    NullInt,
    /// A null in a text column.
    NullText,
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Self::Text(v.to_string())
    }
}

impl From<Option<i64>> for Param {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Self::NullInt, Self::Int)
    }
}

impl From<Option<&str>> for Param {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Self::NullText, Self::from)
    }
}

pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds parameters in their order.
pub(crate) fn bind_all<'q>(
    mut query: AnyQuery<'q>,
    params: impl IntoIterator<Item = &'q Param>,
) -> AnyQuery<'q> {
    for p in params {
        query = match p {
            Param::Int(v) => query.bind(*v),
            Param::Text(v) => query.bind(v.as_str()),
            Param::Bytes(v) => query.bind(v.as_slice()),
            Param::NullInt => query.bind(None::<i64>),
            Param::NullText => query.bind(None::<&str>),
        };
    }
    query
}

/// The `WHERE` condition selecting a questionnaire's responses under a filter, over the
/// response table aliased `r`, with `$n` placeholders numbered from `$1`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilterSql {
    pub condition: String,
    pub params: Vec<Param>,
}

pub(crate) fn filter_sql(questionnaire_id: i64, filter: &ResponseFilter) -> FilterSql {
    let mut params = vec![Param::Int(questionnaire_id)];
    let mut parts = vec!["r.questionnaire_id = $1".to_string()];
    let placeholder = |params: &mut Vec<Param>, p: Param| {
        params.push(p);
        format!("${}", params.len())
    };
    parts.push(
        match filter.status {
            StatusFilter::Submitted => "r.status = 'submitted'",
            StatusFilter::Drafts => "r.status = 'draft'",
            StatusFilter::All => "r.status IN ('draft', 'submitted')",
        }
        .to_string(),
    );
    if !filter.kinds.is_empty() {
        let list: Vec<String> =
            filter.kinds.iter().map(|k| placeholder(&mut params, Param::Text(k.clone()))).collect();
        parts.push(format!("r.org_kind IN ({})", list.join(", ")));
    }
    if !filter.municipalities.is_empty() {
        // A response for the whole county counts for every municipality.
        let mut list: Vec<String> = filter
            .municipalities
            .iter()
            .map(|m| placeholder(&mut params, Param::Text(m.clone())))
            .collect();
        list.push(placeholder(&mut params, Param::Text(WHOLE_COUNTY.to_string())));
        parts.push(format!(
            "EXISTS (SELECT 1 FROM response_municipality m WHERE m.response_id = r.id AND m.ags IN ({}))",
            list.join(", ")
        ));
    }
    let (from, to) = filter.time_range_ms();
    let time = time_column(filter.status);
    if let Some(from) = from {
        parts.push(format!("{time} >= {}", placeholder(&mut params, Param::Int(from))));
    }
    if let Some(to) = to {
        parts.push(format!("{time} < {}", placeholder(&mut params, Param::Int(to))));
    }
    FilterSql { condition: parts.join(" AND "), params }
}

/// When a response counts as given: submitted ones by their submission (straight from an
/// index), drafts by their last save.
pub(crate) fn time_column(status: StatusFilter) -> &'static str {
    if status == StatusFilter::Submitted {
        "r.submitted_at"
    } else {
        "COALESCE(r.submitted_at, r.updated_at)"
    }
}

/// Where the chunks go; refused when the receiver has gone (the download was cancelled).
pub type ChunkSender = tokio::sync::mpsc::Sender<Result<Vec<u8>, AppError>>;

/// The organisation's name and address, or empty columns when not asked for.
pub(super) fn contact_sql(with_contacts: bool) -> (&'static str, &'static str) {
    if with_contacts {
        (
            "o.name AS organisation, o.email AS email",
            "LEFT JOIN organisation o ON o.id = r.organisation_id",
        )
    } else {
        ("NULL AS organisation, NULL AS email", "")
    }
}

impl Store {
    /// Feeds the filtered responses with their values to `sink`, sending its chunks to
    /// `chunks` as they fill. Returns once the last chunk is sent.
    pub async fn stream_responses<S: ResponseSink + 'static>(
        &self,
        questionnaire: &StoredQuestionnaire,
        filter: &ResponseFilter,
        with_contacts: bool,
        sink: S,
        chunks: ChunkSender,
    ) -> StoreResult<()> {
        self.stream_where(
            filter_sql(questionnaire.questionnaire.id, filter),
            with_contacts,
            sink,
            chunks,
        )
        .await
    }

    /// Streams the submitted responses that aggregated outputs count (open-link ones only once
    /// accepted) under the filter, without contacts: what the tallies are built from.
    pub(crate) async fn stream_counted_responses<S: ResponseSink + 'static>(
        &self,
        questionnaire: &StoredQuestionnaire,
        filter: &ResponseFilter,
        sink: S,
        chunks: ChunkSender,
    ) -> StoreResult<()> {
        let mut where_sql = filter_sql(questionnaire.questionnaire.id, filter);
        where_sql.condition.push_str(" AND r.review = 'accepted'");
        self.stream_where(where_sql, false, sink, chunks).await
    }

    async fn stream_where<S: ResponseSink + 'static>(
        &self,
        where_sql: FilterSql,
        with_contacts: bool,
        sink: S,
        chunks: ChunkSender,
    ) -> StoreResult<()> {
        match &self.engine {
            Engine::Sqlite { path, .. } => {
                sqlite::stream_responses(path.clone(), where_sql, with_contacts, sink, chunks).await
            }
            Engine::Postgres { .. } => {
                self.stream_any(
                    &postgres::responses_sql(&where_sql, with_contacts),
                    where_sql.params,
                    sink,
                    chunks,
                )
                .await
            }
        }
    }

    async fn stream_any<S: ResponseSink>(
        &self,
        sql: &str,
        params: Vec<Param>,
        mut sink: S,
        chunks: ChunkSender,
    ) -> StoreResult<()> {
        let mut rows = bind_all(sqlx::query(sql), &params).fetch(&self.read);
        let mut current: Option<i64> = None;
        while let Some(row) = rows.try_next().await? {
            let id: i64 = get(&row, "id")?;
            if current != Some(id) {
                current = Some(id);
                sink.response(ResponseMeta {
                    id,
                    status: get(&row, "status")?,
                    started_at: get(&row, "started_at")?,
                    submitted_at: get(&row, "submitted_at")?,
                    org_kind: get(&row, "org_kind")?,
                    municipalities: Vec::new(),
                    organisation: get(&row, "organisation")?,
                    email: get(&row, "email")?,
                })?;
                if let Some(chunk) = sink.chunk(false)? {
                    if chunks.send(Ok(chunk)).await.is_err() {
                        return Ok(());
                    }
                }
            }
            let question: Option<i64> = get(&row, "question_id")?;
            if let Some(question) = question {
                let row_code: String = get(&row, "row_code")?;
                let value: String = get(&row, "value")?;
                sink.value(question, &row_code, &value)?;
            }
        }
        if let Some(chunk) = sink.chunk(true)? {
            let _ = chunks.send(Ok(chunk)).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_numbered_parameters() {
        let mut filter = ResponseFilter::default();
        let plain = filter_sql(4, &filter);
        assert_eq!(plain.condition, "r.questionnaire_id = $1 AND r.status = 'submitted'");
        assert_eq!(plain.params, vec![Param::Int(4)]);
        filter.kinds = vec!["kita".into(), "schule".into()];
        filter.municipalities = vec!["05154008".into()];
        filter.status = StatusFilter::All;
        let sql = filter_sql(4, &filter);
        assert!(sql.condition.contains("r.org_kind IN ($2, $3)"), "{}", sql.condition);
        assert!(sql.condition.contains("m.ags IN ($4, $5)"), "{}", sql.condition);
        assert_eq!(sql.params[4], Param::Text(WHOLE_COUNTY.into()));
        assert!(sql.condition.contains("r.status IN ('draft', 'submitted')"));
    }
}

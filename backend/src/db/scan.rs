//! Reading responses for the exports, in response order and without holding them: on SQLite
//! through a read-only rusqlite connection on a blocking thread (sqlx's SQLite driver hands
//! rows over one by one through a channel, several times slower on a full scan), on PostgreSQL
//! as a sqlx row stream.

use super::{db_error, get, Backend, Store, StoredQuestionnaire};
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
        };
    }
    query
}

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            Param::Int(v) => ToSqlOutput::Owned(Value::Integer(*v)),
            Param::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Param::Bytes(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
        })
    }
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
fn contact_sql(with_contacts: bool) -> (&'static str, &'static str) {
    if with_contacts {
        (
            "o.name AS organisation, o.email AS email",
            "LEFT JOIN organisation o ON o.id = r.organisation_id",
        )
    } else {
        ("NULL AS organisation, NULL AS email", "")
    }
}

fn responses_sql(filter: &FilterSql, with_contacts: bool) -> String {
    let (contact_columns, contact_join) = contact_sql(with_contacts);
    // Answers in primary-key order, so that SQLite walks the index and sorts nothing.
    format!(
        "SELECT r.id, r.status, r.started_at, r.submitted_at, r.org_kind, {contact_columns},
                a.question_id, a.row_code, a.value
         FROM response r {contact_join}
         LEFT JOIN answer a ON a.response_id = r.id
         WHERE {}
         ORDER BY r.id, a.question_id, a.row_code, a.position",
        filter.condition
    )
}

/// The same selection in two statements, for a merge in Rust: the responses with their own
/// columns, and their answers alone, both in response order. This spares SQLite reading the
/// response's columns again for each of its hundred answer rows.
fn split_sql(filter: &FilterSql, with_contacts: bool) -> (String, String) {
    let (contact_columns, contact_join) = contact_sql(with_contacts);
    let responses = format!(
        "SELECT r.id, r.status, r.started_at, r.submitted_at, r.org_kind, {contact_columns}
         FROM response r {contact_join} WHERE {} ORDER BY r.id",
        filter.condition
    );
    let answers = format!(
        "SELECT a.response_id, a.question_id, a.row_code, a.value
         FROM response r JOIN answer a ON a.response_id = r.id
         WHERE {} ORDER BY r.id, a.question_id, a.row_code, a.position",
        filter.condition
    );
    (responses, answers)
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
    ) -> Result<(), AppError> {
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
    ) -> Result<(), AppError> {
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
    ) -> Result<(), AppError> {
        match (self.backend, self.sqlite_path.clone()) {
            (Backend::Sqlite, Some(path)) => {
                let statements = split_sql(&where_sql, with_contacts);
                tokio::task::spawn_blocking(move || {
                    stream_sqlite(&path, &statements, &where_sql.params, sink, &chunks)
                })
                .await
                .map_err(AppError::internal)?
            }
            _ => {
                self.stream_any(
                    &responses_sql(&where_sql, with_contacts),
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
    ) -> Result<(), AppError> {
        let mut rows = bind_all(sqlx::query(sql), &params).fetch(&self.read);
        let mut current: Option<i64> = None;
        while let Some(row) = rows.try_next().await.map_err(db_error)? {
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

/// What the reading thread hands to the formatting thread: responses and their values, the
/// values' text in one buffer (one allocation per batch, not two per value).
#[derive(Default)]
struct Batch {
    events: Vec<Event>,
    text: String,
    /// Set on the last batch of a scan that ended without error.
    complete: bool,
}

enum Event {
    Response(ResponseMeta),
    Value { question: i64, row_code: std::ops::Range<usize>, value: std::ops::Range<usize> },
}

/// Values per batch: small enough to keep memory flat, large enough to make handing over cheap.
const BATCH_EVENTS: usize = 16_384;

/// The scan on one thread and the CSV shaping on another, so that both cores work.
fn stream_sqlite<S: ResponseSink>(
    path: &std::path::Path,
    sql: &(String, String),
    params: &[Param],
    sink: S,
    chunks: &ChunkSender,
) -> Result<(), AppError> {
    let (batches, received) = std::sync::mpsc::sync_channel::<Batch>(4);
    std::thread::scope(|scope| {
        let formatter = scope.spawn(move || format_batches(received, sink, chunks));
        let scanned = scan_sqlite(path, sql, params, &batches);
        drop(batches);
        let formatted = formatter
            .join()
            .map_err(|_| AppError::internal("the export's formatting thread panicked"))?;
        scanned.and(formatted)
    })
}

fn scan_sqlite(
    path: &std::path::Path,
    (responses_sql, answers_sql): &(String, String),
    params: &[Param],
    batches: &std::sync::mpsc::SyncSender<Batch>,
) -> Result<(), AppError> {
    let internal = AppError::internal;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(internal)?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(internal)?;
    let mut responses_statement =
        conn.prepare(&super::sqlite_numbered(responses_sql)).map_err(internal)?;
    let mut answers_statement =
        conn.prepare(&super::sqlite_numbered(answers_sql)).map_err(internal)?;
    let mut responses =
        responses_statement.query(rusqlite::params_from_iter(params.iter())).map_err(internal)?;
    let mut answers =
        answers_statement.query(rusqlite::params_from_iter(params.iter())).map_err(internal)?;
    let mut answer = answers.next().map_err(internal)?;
    let mut batch = Batch::default();
    while let Some(row) = responses.next().map_err(internal)? {
        if batch.events.len() >= BATCH_EVENTS && batches.send(std::mem::take(&mut batch)).is_err() {
            // The formatter stopped: the download was cancelled or failed (it reports why).
            return Ok(());
        }
        let id: i64 = row.get(0).map_err(internal)?;
        let text = |i: usize| row.get::<_, Option<String>>(i).map_err(internal);
        batch.events.push(Event::Response(ResponseMeta {
            id,
            status: text(1)?.unwrap_or_default(),
            started_at: row.get(2).map_err(internal)?,
            submitted_at: row.get(3).map_err(internal)?,
            org_kind: text(4)?,
            municipalities: Vec::new(),
            organisation: text(5)?,
            email: text(6)?,
        }));
        // Both statements select the same responses in the same order.
        while let Some(a) = answer {
            if a.get::<_, i64>(0).map_err(internal)? != id {
                break;
            }
            let question: i64 = a.get(1).map_err(internal)?;
            let mut push = |i: usize| -> Result<std::ops::Range<usize>, AppError> {
                let start = batch.text.len();
                batch.text.push_str(
                    a.get_ref(i).map_err(internal)?.as_str().map_err(AppError::internal)?,
                );
                Ok(start..batch.text.len())
            };
            let (row_code, value) = (push(2)?, push(3)?);
            batch.events.push(Event::Value { question, row_code, value });
            answer = answers.next().map_err(internal)?;
        }
    }
    batch.complete = true;
    let _ = batches.send(batch);
    Ok(())
}

fn format_batches<S: ResponseSink>(
    batches: std::sync::mpsc::Receiver<Batch>,
    mut sink: S,
    chunks: &ChunkSender,
) -> Result<(), AppError> {
    for Batch { events, text, complete } in batches {
        for event in events {
            match event {
                Event::Response(meta) => {
                    sink.response(meta)?;
                    if let Some(chunk) = sink.chunk(false)? {
                        if chunks.blocking_send(Ok(chunk)).is_err() {
                            return Ok(());
                        }
                    }
                }
                Event::Value { question, row_code, value } => {
                    sink.value(question, &text[row_code], &text[value])?
                }
            }
        }
        // Only a scan that reached its end finishes the file.
        if complete {
            if let Some(chunk) = sink.chunk(true)? {
                let _ = chunks.blocking_send(Ok(chunk));
            }
        }
    }
    Ok(())
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

//! Everything only SQLite runs: the connection settings and migrations, its dialect
//! fragments, the text search with its FTS5 index, and the rusqlite paths that bypass sqlx's
//! driver (several times slower for the hot and bulk paths): the writer thread's transactions
//! ([`Writer`], [`Tx`]) for page saves, registrations and rebuild inserts, the export scan,
//! and bulk loads on a connection of their own.

mod writer;

pub(crate) use writer::Writer;

use super::get;
use super::scan::{
    bind_all, contact_sql, ChunkSender, FilterSql, Param, ResponseMeta, ResponseSink,
};
use super::search::{
    count_matches, push_contains, text_filter_sql, text_values, TextColumns, TextQuery,
    NEWEST_FIRST,
};
use super::{
    sqlite_numbered, BulkResponse, Claimed, ClaimedWrite, Plan, Planned, ReadRow, Registration,
    Write,
};
use crate::error::StoreResult;
use domain::dashboard::SEARCH_MIN_CHARS;
use domain::stats::{TextCount, SEARCH_COUNT_LIMIT};
use domain::AppError;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The settings of every connection that reads or writes through the pools or on the writer
/// thread.
pub(crate) const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY; \
     PRAGMA cache_size = -16000; PRAGMA mmap_size = 268435456;";

/// None: the write pool's one connection runs one transaction at a time, and SQLite lets one
/// transaction write at a time.
/// Write transactions take the write lock before their first read, so that the writer thread
/// cannot commit between a transaction's read and its first write (a deferred transaction
/// would then fail with `SQLITE_BUSY` at once instead of waiting out the busy timeout).
pub(super) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

pub(super) const ROW_LOCK: &str = "";

/// SQLite's `LIKE` ignores the case of ASCII letters only.
pub(super) const LIKE_IGNORING_CASE: &str = "LIKE";

/// One b-tree for the search index instead of the many segments of the day-by-day load.
pub(super) const AFTER_REBUILD: &str =
    "INSERT INTO response_text_search (response_text_search) VALUES ('optimize')";

pub(super) fn migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("../migrations/sqlite")
}

/// The read pool (several connections reading alongside the writer) and the write pool (one
/// connection, so that its writers queue in the pool instead of in SQLite's busy handler).
pub(super) async fn pools(url: &str) -> StoreResult<(AnyPool, AnyPool)> {
    let url = prepare_url(url)?;
    let options = |max: u32| {
        AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(PRAGMAS).await?;
                    Ok(())
                })
            })
    };
    let write = options(1).connect(&url).await?;
    let read = options(8).connect(&url).await?;
    Ok((read, write))
}

/// The file path of a SQLite URL.
pub(super) fn file(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or("")
}

/// Makes sure the SQLite file can be created: its folder exists and `mode=rwc` is set.
fn prepare_url(url: &str) -> StoreResult<String> {
    let path = file(url);
    if path.is_empty() || path == ":memory:" {
        return Err(AppError::BadRequest(
            "Für SQLite braucht DATABASE_URL einen Dateipfad, z. B. sqlite://data/bedarfsanalyse.db.".into(),
        )
        .into());
    }
    if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(AppError::internal)?;
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            Param::Int(v) => ToSqlOutput::Owned(Value::Integer(*v)),
            Param::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Param::Bytes(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            Param::NullInt | Param::NullText => ToSqlOutput::Owned(Value::Null),
        })
    }
}

/// A rusqlite transaction. Its statements are the shared ones, written for sqlx (`$n`), and
/// prepared once per connection. Dropped without [`Tx::commit`], it rolls back.
pub(crate) struct Tx<'c>(rusqlite::Transaction<'c>);

impl<'c> Tx<'c> {
    /// Begins `IMMEDIATE`, like every write transaction (see [`BEGIN_WRITE`]).
    fn begin(conn: &'c mut rusqlite::Connection) -> StoreResult<Self> {
        Ok(Self(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?))
    }

    pub(crate) fn commit(self) -> StoreResult<()> {
        Ok(self.0.commit()?)
    }

    fn prepare(&self, sql: &str) -> StoreResult<rusqlite::CachedStatement<'_>> {
        Ok(self.0.prepare_cached(&sqlite_numbered(sql))?)
    }

    /// Runs a statement; the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[Param]) -> StoreResult<usize> {
        Ok(self.prepare(sql)?.execute(rusqlite::params_from_iter(params))?)
    }

    /// Inserts a row; its `rowid`.
    pub(crate) fn insert(&self, sql: &str, params: &[Param]) -> StoreResult<i64> {
        self.execute(sql, params)?;
        Ok(self.0.last_insert_rowid())
    }

    /// The rows of a query, each read by `row`.
    pub(crate) fn query<T>(
        &self,
        sql: &str,
        params: &[Param],
        mut row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Vec<T>> {
        let mut statement = self.prepare(sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(params), |r| row(r))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Inserts rows of `width` cells after `insert` (`INSERT INTO … VALUES `), one prepared
    /// statement executed per row.
    pub(crate) fn insert_rows<'p, R: IntoIterator<Item = &'p Param>>(
        &self,
        insert: &str,
        width: usize,
        rows: impl IntoIterator<Item = R>,
    ) -> StoreResult<()> {
        let placeholders: Vec<String> = (1..=width).map(|n| format!("?{n}")).collect();
        let mut statement =
            self.0.prepare_cached(&format!("{insert}({})", placeholders.join(", ")))?;
        for row in rows {
            statement.execute(rusqlite::params_from_iter(row))?;
        }
        Ok(())
    }

    /// Carries out planned writes: rows one prepared statement each.
    pub(crate) fn write(&self, writes: &[Write]) -> StoreResult<()> {
        for write in writes {
            match write {
                Write::Statement { sql, params } => {
                    self.execute(sql, params)?;
                }
                Write::Rows { insert, width, rows, .. } => {
                    self.insert_rows(insert, *width, rows.chunks(*width))?
                }
            }
        }
        Ok(())
    }
}

impl Writer {
    /// Runs `work` in one transaction on the writer thread; it commits with [`Tx::commit`].
    pub(crate) async fn transaction<T: Send + 'static>(
        &self,
        work: impl FnOnce(Tx<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        self.run(move |conn| work(Tx::begin(conn)?)).await
    }
}

/// Runs `work` in one immediate transaction on a connection of its own, on a blocking thread:
/// for bulk loads, which would hold up the page saves queued on the writer thread.
async fn bulk_transaction<T: Send + 'static>(
    path: PathBuf,
    work: impl FnOnce(Tx<'_>) -> StoreResult<T> + Send + 'static,
) -> StoreResult<T> {
    tokio::task::spawn_blocking(move || {
        let mut conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let tx = Tx::begin(&mut conn)?;
        work(tx)
    })
    .await
    .map_err(AppError::internal)?
}

/// A claimed write in one transaction on the writer thread: it holds the write lock from its
/// start, so the claim finds the row at the version read.
pub(super) async fn claimed_write<R: ReadRow, T: Send + 'static>(
    writer: &Writer,
    write: ClaimedWrite,
    plan: impl Plan<R, T>,
) -> StoreResult<Claimed<T>> {
    writer
        .transaction(move |tx| {
            let versions = tx.query(write.version, &write.params, |row| row.get::<_, i64>(0))?;
            let Some(version) = versions.into_iter().next() else { return Ok(Claimed::Refused) };
            let rows = tx.query(write.rows, &write.params, R::from_sqlite)?;
            let Planned { claim: (claim, params), writes, outcome } = plan(version, rows)?;
            tx.execute(claim, &params)?;
            tx.write(&writes)?;
            tx.commit()?;
            Ok(Claimed::Written(outcome))
        })
        .await
}

/// Registers new rows on the writer thread, as for the tallies' rebuild: an import of 100,000
/// organisations is one transaction of prepared statements. The transaction is immediate, so
/// the write lock is taken before the check reads the register, and the check holds. Each new
/// row's naming rows name it by the rowid its insert returned.
pub(super) async fn register(
    writer: &Writer,
    registration: Registration,
) -> StoreResult<Result<Vec<i64>, Vec<usize>>> {
    let Registration { table, columns, rows, naming, naming_width, check } = registration;
    writer
        .transaction(move |tx| {
            if let Some(check) = check {
                let registered = tx.query(check.read, &[], |row| Ok((row.get(0)?, row.get(1)?)))?;
                let refused = (check.refuse)(registered);
                if !refused.is_empty() {
                    // Dropping the transaction rolls it back; nothing was written.
                    return Ok(Err(refused));
                }
            }
            let mut ids = Vec::with_capacity(rows.len());
            for (cells, named_by) in rows {
                let placeholders: Vec<String> =
                    (1..=cells.len()).map(|n| format!("${n}")).collect();
                let insert =
                    format!("INSERT INTO {table} ({columns}) VALUES ({})", placeholders.join(", "));
                let id = tx.insert(&insert, &cells)?;
                let named = Param::Int(id);
                tx.insert_rows(
                    naming,
                    naming_width,
                    named_by.iter().map(|cells| std::iter::once(&named).chain(cells)),
                )?;
                ids.push(id);
            }
            tx.commit()?;
            Ok(Ok(ids))
        })
        .await
}

/// Loads responses with their answers and municipalities in one transaction of prepared
/// statements ([`bulk_transaction`]); `also` runs first, with the first response's
/// questionnaire as `$1`. Each response's rows name it by the rowid its insert returned.
pub(super) async fn load_responses(
    path: PathBuf,
    rows: Vec<BulkResponse>,
    also: &'static str,
) -> StoreResult<()> {
    bulk_transaction(path, move |tx| {
        if let Some(first) = rows.first() {
            tx.execute(also, &[Param::Int(first.questionnaire_id)])?;
        }
        for r in rows {
            let id = tx.insert(
                "INSERT INTO response (questionnaire_id, token_hash, channel, status, current_page, org_kind, created_at, started_at, updated_at, submitted_at)
                 VALUES ($1, $2, 'open', $3, $4, $5, $6, $6, $7, $8)",
                &[
                    Param::Int(r.questionnaire_id),
                    Param::Text(r.token_hash),
                    r.status.into(),
                    Param::Int(r.current_page),
                    r.org_kind.as_deref().into(),
                    Param::Int(r.created_at),
                    Param::Int(r.updated_at),
                    r.submitted_at.into(),
                ],
            )?;
            let answers: Vec<[Param; 5]> = r
                .answers
                .into_iter()
                .map(|(question, row, position, value)| {
                    [
                        Param::Int(id),
                        Param::Int(question),
                        Param::Text(row),
                        Param::Int(position),
                        Param::Text(value),
                    ]
                })
                .collect();
            tx.insert_rows(
                "INSERT INTO answer (response_id, question_id, row_code, position, value) VALUES ",
                5,
                &answers,
            )?;
            let places: Vec<[Param; 2]> =
                r.municipalities.into_iter().map(|ags| [Param::Int(id), Param::Text(ags)]).collect();
            tx.insert_rows("INSERT INTO response_municipality (response_id, ags) VALUES ", 2, &places)?;
        }
        tx.commit()
    })
    .await
}

/// On SQLite, a search looks up the matches of a term from the search index when a question
/// has at most this many (its texts then need not be read one by one), and otherwise walks
/// the question's texts newest first, where the many matches come soon.
const SEARCH_CANDIDATES: i64 = 10_000;

/// A search term as an FTS5 phrase: the whole term as one substring.
fn fts_phrase(folded_term: &str) -> String {
    format!("\"{}\"", folded_term.replace('"', "\"\""))
}

/// A search on SQLite, whose texts are stored in the order of the walk: a term with few
/// matches in the question is looked up in the search index, a common one found by walking
/// the newest texts.
pub(super) async fn search_texts(
    read: &AnyPool,
    q: &TextQuery<'_>,
) -> StoreResult<(Vec<String>, TextCount)> {
    let mut sql = text_filter_sql(q.questionnaire_id, q.question_id, q.filter, TextColumns::Kept);
    let mut from = "response_text t";
    if q.term.chars().count() >= SEARCH_MIN_CHARS && few_matches(read, q.term, q.ids).await? {
        // The index's few matches, each looked up, filtered and sorted.
        from = narrow_to_index_matches(&mut sql, q.term, q.ids);
    } else {
        // Walking the newest texts finds a common term soon.
        push_contains(&mut sql, q.term);
    }
    let condition = &sql.condition;
    let count_sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM {from} WHERE {condition} LIMIT {}) matching",
        SEARCH_COUNT_LIMIT + 1
    );
    let count = count_matches(read, &count_sql, &sql.params).await?;
    let list_sql = format!(
        "SELECT t.value FROM {from} WHERE {condition} {NEWEST_FIRST} LIMIT {}",
        q.limit.max(0)
    );
    Ok((text_values(read, &list_sql, &sql.params, false).await?, TextCount::of_search(count)))
}

/// Whether the texts with ids in `ids` (one question's) have at most [`SEARCH_CANDIDATES`]
/// containing the term.
async fn few_matches(read: &AnyPool, folded_term: &str, ids: (i64, i64)) -> StoreResult<bool> {
    let (sql, phrase) = count_index_matches(folded_term, ids);
    let row = bind_all(sqlx::query(&sql), [&phrase]).fetch_one(read).await?;
    let n: i64 = get(&row, "n")?;
    Ok(n <= SEARCH_CANDIDATES)
}

/// Counts (up to [`SEARCH_CANDIDATES`] + 1) the search index's matches of a term among the
/// texts with ids in `first..=last` (one question's): a statement with the phrase as `$1`.
fn count_index_matches(folded_term: &str, (first, last): (i64, i64)) -> (String, Param) {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT rowid FROM response_text_search WHERE response_text_search MATCH $1 AND rowid BETWEEN {first} AND {last} LIMIT {}) matching",
        SEARCH_CANDIDATES + 1
    );
    (sql, Param::Text(fts_phrase(folded_term)))
}

/// Narrows a texts' condition (table alias `t`) to the search index's matches of a term
/// among the texts with ids in `first..=last`; the `FROM` clause that condition needs.
fn narrow_to_index_matches(
    sql: &mut FilterSql,
    folded_term: &str,
    (first, last): (i64, i64),
) -> &'static str {
    sql.params.push(Param::Text(fts_phrase(folded_term)));
    sql.condition.push_str(&format!(
        " AND response_text_search MATCH ${} AND response_text_search.rowid BETWEEN {first} AND {last}",
        sql.params.len()
    ));
    "response_text_search CROSS JOIN response_text t ON t.id = response_text_search.rowid"
}

/// Streams the selected responses to `sink` from a read-only rusqlite connection on blocking
/// threads: sqlx's SQLite driver hands rows over one by one through a channel, several times
/// slower on a full scan.
pub(super) async fn stream_responses<S: ResponseSink + 'static>(
    path: PathBuf,
    where_sql: FilterSql,
    with_contacts: bool,
    sink: S,
    chunks: ChunkSender,
) -> StoreResult<()> {
    let statements = split_sql(&where_sql, with_contacts);
    tokio::task::spawn_blocking(move || {
        stream_blocking(&path, &statements, &where_sql.params, sink, &chunks)
    })
    .await
    .map_err(AppError::internal)?
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
fn stream_blocking<S: ResponseSink>(
    path: &std::path::Path,
    sql: &(String, String),
    params: &[Param],
    sink: S,
    chunks: &ChunkSender,
) -> StoreResult<()> {
    let (batches, received) = std::sync::mpsc::sync_channel::<Batch>(4);
    std::thread::scope(|scope| {
        let formatter = scope.spawn(move || format_batches(received, sink, chunks));
        let scanned = scan(path, sql, params, &batches);
        drop(batches);
        let formatted = formatter
            .join()
            .map_err(|_| AppError::internal("the export's formatting thread panicked"))?;
        scanned.and(formatted)
    })
}

fn scan(
    path: &std::path::Path,
    (responses_sql, answers_sql): &(String, String),
    params: &[Param],
    batches: &std::sync::mpsc::SyncSender<Batch>,
) -> StoreResult<()> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let mut responses_statement = conn.prepare(&sqlite_numbered(responses_sql))?;
    let mut answers_statement = conn.prepare(&sqlite_numbered(answers_sql))?;
    let mut responses = responses_statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut answers = answers_statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut answer = answers.next()?;
    let mut batch = Batch::default();
    while let Some(row) = responses.next()? {
        if batch.events.len() >= BATCH_EVENTS && batches.send(std::mem::take(&mut batch)).is_err() {
            // The formatter stopped: the download was cancelled or failed (it reports why).
            return Ok(());
        }
        let id: i64 = row.get(0)?;
        let text = |i: usize| row.get::<_, Option<String>>(i);
        batch.events.push(Event::Response(ResponseMeta {
            id,
            status: text(1)?.unwrap_or_default(),
            started_at: row.get(2)?,
            submitted_at: row.get(3)?,
            org_kind: text(4)?,
            municipalities: Vec::new(),
            organisation: text(5)?,
            email: text(6)?,
        }));
        // Both statements select the same responses in the same order.
        while let Some(a) = answer {
            if a.get::<_, i64>(0)? != id {
                break;
            }
            let question: i64 = a.get(1)?;
            let mut push = |i: usize| -> StoreResult<std::ops::Range<usize>> {
                let start = batch.text.len();
                batch.text.push_str(a.get_ref(i)?.as_str().map_err(AppError::internal)?);
                Ok(start..batch.text.len())
            };
            let (row_code, value) = (push(2)?, push(3)?);
            batch.events.push(Event::Value { question, row_code, value });
            answer = answers.next()?;
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
) -> StoreResult<()> {
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
    fn search_phrases_are_taken_literally() {
        assert_eq!(fts_phrase("sag \"ja\""), "\"sag \"\"ja\"\"\"");
    }

    /// A pool transaction that reads before it writes, while the writer thread wants to commit
    /// in between: begun deferred it failed with `SQLITE_BUSY`; begun immediate, the writer
    /// thread waits for it and both succeed.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_transaction_keeps_the_writer_thread_out_until_it_commits() {
        let dir = std::env::temp_dir().join(format!("bedarfsanalyse-begin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("sqlite://{}/test.db", dir.display());
        let store = crate::Store::connect(&url).await.unwrap();
        store.seed_reference_data().await.unwrap();
        let crate::db::Engine::Sqlite { writer, .. } = store.engine.clone() else {
            unreachable!("a SQLite URL")
        };

        let mut tx = store.begin_write().await.unwrap();
        let kinds: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM org_kind").fetch_one(&mut *tx).await.unwrap();
        let other = tokio::spawn(async move {
            writer
                .transaction(|tx| {
                    tx.execute("UPDATE org_kind SET position = position + 100", &[])?;
                    tx.commit()
                })
                .await
        });
        // Time for the writer thread to try (and, begun deferred, to commit first).
        tokio::time::sleep(Duration::from_millis(300)).await;
        sqlx::query("UPDATE org_kind SET position = position + 1")
            .execute(&mut *tx)
            .await
            .expect("the transaction still holds the write lock");
        tx.commit().await.unwrap();
        other.await.unwrap().expect("the writer thread waited its turn");

        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_kind WHERE position >= 101")
            .fetch_one(&store.read)
            .await
            .unwrap();
        assert_eq!(total, kinds, "both updates were applied");
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

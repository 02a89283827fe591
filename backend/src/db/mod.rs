//! Storage on SQLite (embedded default) or PostgreSQL, chosen by the URL: the one seam where
//! the two engines part.
//!
//! [`Store`] holds the connection pools and an [`Engine`], which owns what only one engine
//! has: on SQLite the database file and the writer thread, on PostgreSQL the server's URL.
//! Statements are written once, with `$n` placeholders, in the feature that owns their tables,
//! and run through sqlx's `Any` driver on the pools. Where the engines take different paths,
//! the feature hands its statements and rows to this module, which chooses the path: a page
//! save is a [`ClaimedWrite`] ([`Store::claimed_write`]), registering organisations a
//! [`Registration`] ([`Store::register`]), a rebuild's inserts planned [`Write`]s
//! ([`Store::write_planned`]), a bulk load [`BulkResponse`]s ([`Store::load_responses`]), a
//! text search a [`search::TextQuery`] ([`Store::search_texts`]); dialect fragments are
//! [`Engine`] methods. No feature names an engine. What only one engine understands or runs
//! lives in that engine's file, [`sqlite`] or [`postgres`]: connection settings and
//! migrations, dialect fragments (the row lock, case-insensitive `LIKE`), the searches and
//! their index conditions, the statistics after a rebuild or bulk load, ids drawn from
//! sequences, the export scan's statements, and the drivers' own paths:
//!
//! - On SQLite, page saves, the bulk inserts of a tally rebuild and the registration of
//!   organisations run on the writer thread (`sqlite/writer.rs`), as blocking transactions of
//!   rusqlite prepared statements (the shared `$n` text, renumbered by [`sqlite_numbered`]);
//!   the export scans read the file through a read-only rusqlite connection, and generated
//!   responses are loaded on a rusqlite connection of their own.
//! - On PostgreSQL, page saves read outside the write transaction and claim the response by
//!   its version (reading again when another save came first), registrations draw their ids
//!   from the sequence first, and bulk loads of generated responses use COPY on a
//!   `PgConnection` of their own.
//!
//! Two writers on one SQLite file: the writer thread and the write pool, which takes every
//! other write (submissions, re-opening, reviewing and deleting responses, admin changes, the
//! rebuild's deletes and tally slots). SQLite lets one transaction write at a time, and both
//! take turns in that lock: the file is in WAL mode, so readers block neither; every
//! connection sets `busy_timeout` ([`sqlite::PRAGMAS`]), so a write that finds the lock held
//! waits for it (up to ten seconds) instead of failing; and the write pool has one connection,
//! so its own transactions queue in the pool, not in SQLite's busy handler. Every write
//! transaction, on the writer thread and on the pool ([`Store::begin_write`]), begins
//! `IMMEDIATE`: it takes the lock before its first read, so no other writer can commit between
//! what it read and what it writes (a deferred transaction would then fail with `SQLITE_BUSY`
//! at once instead of waiting). Bulk loads of generated responses take a third
//! connection under the same lock.

mod coordination;
pub(crate) mod kept;
pub(crate) mod postgres;
pub mod scan;
pub(crate) mod search;
pub(crate) mod sqlite;
mod stored;

pub use scan::{ChunkSender, ResponseMeta, ResponseSink};
pub use stored::StoredQuestionnaire;

use crate::error::StoreResult;
use domain::AppError;
use scan::Param;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Transaction};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// The engine behind the pools, with what only it has.
#[derive(Clone)]
pub(crate) enum Engine {
    Sqlite {
        /// The database file, which the export scans and bulk loads open directly.
        path: PathBuf,
        /// The thread that runs page saves, rebuild inserts and registrations.
        writer: sqlite::Writer,
    },
    Postgres {
        /// The server, for bulk loads with COPY on a connection of their own.
        url: String,
    },
}

impl Engine {
    /// Appended to a `SELECT` in a write transaction: locks the selected rows until commit.
    pub(crate) fn row_lock(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => sqlite::ROW_LOCK,
            Self::Postgres { .. } => postgres::ROW_LOCK,
        }
    }

    /// The statement that begins a write transaction, where the engine needs its own.
    fn begin_write(&self) -> Option<&'static str> {
        match self {
            Self::Sqlite { .. } => Some(sqlite::BEGIN_WRITE),
            Self::Postgres { .. } => None,
        }
    }

    /// The operator of a `LIKE` that ignores case (on SQLite: ASCII case only).
    pub(crate) fn like_ignoring_case(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => sqlite::LIKE_IGNORING_CASE,
            Self::Postgres { .. } => postgres::LIKE_IGNORING_CASE,
        }
    }

    /// The statement that ends a rebuild of the tallies and searched texts.
    pub(crate) fn after_rebuild(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => sqlite::AFTER_REBUILD,
            Self::Postgres { .. } => postgres::AFTER_REBUILD,
        }
    }

    /// The statement to run after a bulk load, if the engine needs one.
    pub(crate) fn after_bulk_load(&self) -> Option<&'static str> {
        match self {
            Self::Sqlite { .. } => None,
            Self::Postgres { .. } => Some(postgres::AFTER_BULK_LOAD),
        }
    }

    fn migrator(&self) -> sqlx::migrate::Migrator {
        match self {
            Self::Sqlite { .. } => sqlite::migrator(),
            Self::Postgres { .. } => postgres::migrator(),
        }
    }
}

/// Handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Reads; for SQLite several connections read in parallel alongside the writer.
    pub(crate) read: AnyPool,
    /// Writes. On SQLite a single connection, so writers queue in the pool instead of
    /// colliding in SQLite's busy handler; on PostgreSQL the same pool as `read`.
    pub(crate) write: AnyPool,
    pub(crate) engine: Engine,
    pub(crate) questionnaires: Arc<RwLock<HashMap<i64, Arc<StoredQuestionnaire>>>>,
    /// The dashboards' audited themes, kept per tally version.
    protected: Arc<kept::ProtectedCache>,
}

impl Store {
    /// A transaction on the write pool; on SQLite it holds the write lock from its start.
    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, Any>> {
        Ok(match self.engine.begin_write() {
            Some(statement) => self.write.begin_with(statement).await?,
            None => self.write.begin().await?,
        })
    }

    pub(crate) fn protected_cache(&self) -> &kept::ProtectedCache {
        &self.protected
    }

    /// Connects, creating the SQLite file and its folder if missing, and migrates.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            AppError::BadRequest(format!(
                "DATABASE_URL muss mit sqlite: oder postgres: beginnen, nicht „{}“.",
                url.split(':').next().unwrap_or("")
            ))
        })?;
        let (read, write, engine) = match backend {
            Backend::Sqlite => {
                let (read, write) = sqlite::pools(url).await?;
                let path = PathBuf::from(sqlite::file(url));
                let writer = sqlite::Writer::open(&path)?;
                (read, write, Engine::Sqlite { path, writer })
            }
            Backend::Postgres => {
                let pool = postgres::pool(url).await?;
                (pool.clone(), pool, Engine::Postgres { url: url.to_string() })
            }
        };
        let store = Self {
            read,
            write,
            engine,
            questionnaires: Default::default(),
            protected: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> StoreResult<()> {
        Ok(self.engine.migrator().run(&self.write).await?)
    }

    /// Whether the database answers, and on SQLite the writer thread too (saves go there).
    pub async fn ping(&self) -> bool {
        let probe = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.read);
        let reads = matches!(tokio::time::timeout(Duration::from_secs(2), probe).await, Ok(Ok(1)));
        match &self.engine {
            Engine::Sqlite { writer, .. } if reads => writer.is_alive().await,
            _ => reads,
        }
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Writes the county's reference data (municipalities, kinds of organisation); idempotent.
    pub async fn seed_reference_data(&self) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for m in domain::reference::MUNICIPALITIES {
            sqlx::query(
                "INSERT INTO municipality (ags, name, is_town) VALUES ($1, $2, $3)
                 ON CONFLICT (ags) DO UPDATE SET name = excluded.name, is_town = excluded.is_town",
            )
            .bind(m.ags)
            .bind(m.name)
            .bind(m.is_town as i64)
            .execute(&mut *tx)
            .await?;
        }
        for (position, k) in domain::reference::ORG_KINDS.iter().enumerate() {
            sqlx::query(
                "INSERT INTO org_kind (code, label, position) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO UPDATE SET label = excluded.label, position = excluded.position",
            )
            .bind(k.code)
            .bind(k.label)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        Ok(tx.commit().await?)
    }
}

/// A response written in bulk (demo data, imports) with the rows that name it, before it has
/// an id.
#[derive(Debug, Clone)]
pub(crate) struct BulkResponse {
    pub questionnaire_id: i64,
    pub token_hash: String,
    pub status: &'static str,
    pub current_page: i64,
    pub org_kind: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub municipalities: Vec<String>,
    /// Question id, row code, position, value.
    pub answers: Vec<(i64, String, i64, String)>,
}

/// New rows with the rows that name them by id (organisations and the municipalities they
/// serve), registered in one write transaction that holds the table against other writers,
/// so that a check of what is registered holds until commit ([`Store::register`]).
pub(crate) struct Registration {
    /// The table, whose `id` the engine gives each new row.
    pub table: &'static str,
    /// Its columns besides `id`, as in `name, kind`.
    pub columns: &'static str,
    /// Each new row's cells in `columns`' order, and the cells of the rows naming it (after
    /// its id).
    pub rows: Vec<(Vec<Param>, Vec<Vec<Param>>)>,
    /// `INSERT INTO … VALUES ` of the naming rows, whose first column is the new row's id.
    pub naming: &'static str,
    /// Cells of a naming row, the id included.
    pub naming_width: usize,
    pub check: Option<RegisterCheck>,
}

/// What a registration checks before it writes anything: `read` selects two text columns of
/// what is registered, `refuse` finds in them the positions of the new rows to refuse; when
/// it finds any, nothing is written.
pub(crate) struct RegisterCheck {
    pub read: &'static str,
    pub refuse: Refuse,
}

/// Finds, in the rows a [`RegisterCheck`] read, the positions of the new rows to refuse.
pub(crate) type Refuse = Box<dyn FnOnce(Vec<(String, String)>) -> Vec<usize> + Send>;

/// A write planned from what it read of one row and of the rows below it, which no other write
/// may come between (a page save): it claims the row at the version it read
/// ([`Store::claimed_write`]).
pub(crate) struct ClaimedWrite {
    /// Reads the row's version, with `params`; no row: the row may not be written.
    pub version: &'static str,
    /// Reads the rows the write is planned from, with `params`.
    pub rows: &'static str,
    pub params: Vec<Param>,
    /// The version the caller has read already, if any; on PostgreSQL it spares a query.
    pub known_version: Option<i64>,
    /// How often PostgreSQL reads and plans again when another write claimed the row first.
    pub attempts: usize,
}

/// What a claimed write planned, from the version and rows it read.
pub(crate) struct Planned<T> {
    /// A statement that changes the row only while it is at the version read (and the number
    /// of rows it changed then tells whether it did).
    pub claim: (&'static str, Vec<Param>),
    pub writes: Vec<Write>,
    pub outcome: T,
}

/// Plans a claimed write from the version and rows it read.
pub(crate) trait Plan<R, T>:
    Fn(i64, Vec<R>) -> StoreResult<Planned<T>> + Send + 'static
{
}

impl<R, T, F: Fn(i64, Vec<R>) -> StoreResult<Planned<T>> + Send + 'static> Plan<R, T> for F {}

/// How a claimed write ended.
pub(crate) enum Claimed<T> {
    Written(T),
    /// The row has no version to claim.
    Refused,
    /// Other writes claimed the row first, on every attempt.
    Lost,
}

/// A row that both drivers read, column by column.
pub(crate) trait ReadRow: Sized + Send + 'static {
    fn from_any(row: &AnyRow) -> StoreResult<Self>;
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl ReadRow for (i64, String, String) {
    fn from_any(row: &AnyRow) -> StoreResult<Self> {
        use sqlx::Row;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }

    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    }
}

/// A write planned once and carried out by either driver: sqlx in a transaction of the pools
/// ([`write_all`]) or rusqlite on the writer thread ([`sqlite::Tx::write`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Write {
    /// One statement with `$n` placeholders.
    Statement { sql: String, params: Vec<Param> },
    /// Rows of `width` cells, one after another in `rows`, to insert after `insert`
    /// (`INSERT INTO … VALUES `): with sqlx `per_statement` rows in each statement, with
    /// rusqlite one prepared statement per row.
    Rows { insert: Cow<'static, str>, width: usize, rows: Vec<Param>, per_statement: usize },
}

impl Store {
    /// Carries out planned writes in one transaction: on SQLite on the writer thread, as
    /// prepared statements (a rebuild of the tallies writes millions of rows); on PostgreSQL
    /// on the write pool, several rows per statement.
    pub(crate) async fn write_planned(&self, writes: Vec<Write>) -> StoreResult<()> {
        if let Engine::Sqlite { writer, .. } = &self.engine {
            return writer
                .transaction(move |tx| {
                    tx.write(&writes)?;
                    tx.commit()
                })
                .await;
        }
        let mut tx = self.begin_write().await?;
        write_all(&mut tx, &writes).await?;
        Ok(tx.commit().await?)
    }

    /// Reads a row's version and the rows below it, plans the write from them with `plan`,
    /// claims the row at that version and writes, in a way that no other write comes between.
    /// On SQLite all of it is one transaction on the writer thread, so nothing can; on
    /// PostgreSQL the rows are read outside the write transaction, which then proceeds only
    /// if the claim finds the row still at the version read, and otherwise reads and plans
    /// again (up to `attempts` times).
    pub(crate) async fn claimed_write<R: ReadRow, T: Send + 'static>(
        &self,
        write: ClaimedWrite,
        plan: impl Plan<R, T>,
    ) -> StoreResult<Claimed<T>> {
        match &self.engine {
            Engine::Sqlite { writer, .. } => sqlite::claimed_write(writer, write, plan).await,
            Engine::Postgres { .. } => postgres::claimed_write(self, write, plan).await,
        }
    }

    /// Registers new rows with the rows naming them, all or (on any error, or when the check
    /// refuses some) none: the ids of the new rows, or the positions the check refused.
    pub(crate) async fn register(
        &self,
        registration: Registration,
    ) -> StoreResult<Result<Vec<i64>, Vec<usize>>> {
        match &self.engine {
            Engine::Sqlite { writer, .. } => sqlite::register(writer, registration).await,
            Engine::Postgres { .. } => postgres::register(self, registration).await,
        }
    }

    /// Loads responses written in bulk, with their answers and municipalities, in one
    /// transaction on a connection of its own (SQLite: prepared statements; PostgreSQL: COPY),
    /// several times faster than sqlx's driver for the millions of rows of a large demo.
    /// `also` runs in the same transaction, with the first response's questionnaire as `$1`.
    pub(crate) async fn load_responses(
        &self,
        rows: Vec<BulkResponse>,
        also: &'static str,
    ) -> StoreResult<()> {
        match &self.engine {
            Engine::Sqlite { path, .. } => sqlite::load_responses(path.clone(), rows, also).await,
            Engine::Postgres { url } => postgres::copy_responses(url, &rows, also).await,
        }
    }
}

/// Carries out planned writes in a transaction of the pools.
pub(crate) async fn write_all(
    tx: &mut Transaction<'static, Any>,
    writes: &[Write],
) -> StoreResult<()> {
    for write in writes {
        match write {
            Write::Statement { sql, params } => {
                scan::bind_all(sqlx::query(sql), params).execute(&mut **tx).await?;
            }
            Write::Rows { insert, width, rows, per_statement } => {
                for chunk in rows.chunks(width * per_statement) {
                    let sql =
                        format!("{insert}{}", values_placeholders(chunk.len() / width, *width));
                    scan::bind_all(sqlx::query(&sql), chunk).execute(&mut **tx).await?;
                }
            }
        }
    }
    Ok(())
}

/// The `VALUES` list of a multi-row insert: `rows` tuples of `width` placeholders numbered
/// from `$1`.
fn values_placeholders(rows: usize, width: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|i| {
            let cells: Vec<String> = (1..=width).map(|n| format!("${}", width * i + n)).collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    tuples.join(", ")
}

/// A statement written for sqlx (`$1`, `$2` …) for rusqlite: SQLite numbers `$n` parameters
/// by first appearance, `?n` by their number. The statements contain no `$` otherwise.
pub(crate) fn sqlite_numbered(sql: &str) -> String {
    sql.replace('$', "?")
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    Ok(row.try_get(column)?)
}

/// A column holding one of a vocabulary's codes (a status, a review state), parsed; an unknown
/// code is an internal error, never a default.
pub(crate) fn get_code<T>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<T> {
    let code: String = get(row, column)?;
    let parsed = parse(&code);
    Ok(parsed.ok_or_else(|| AppError::internal(format!("unknown {column} code {code:?}")))?)
}

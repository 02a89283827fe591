//! Storage on SQLite (embedded default) or PostgreSQL, chosen by the URL. Both run the same
//! statements through sqlx's `Any` driver; only the migrations differ per backend.

mod coordination;
pub(crate) mod kept;
pub mod scan;
mod sqlite_writer;
mod stored;

pub use scan::{ChunkSender, ResponseMeta, ResponseSink};
pub use stored::StoredQuestionnaire;

use domain::AppError;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};
use std::collections::HashMap;
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

/// Handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Reads; for SQLite several connections read in parallel alongside the writer.
    pub(crate) read: AnyPool,
    /// Writes. On SQLite a single connection, so writers queue in the pool instead of
    /// colliding in SQLite's busy handler; on PostgreSQL the same pool as `read`.
    pub(crate) write: AnyPool,
    pub(crate) backend: Backend,
    /// The SQLite file, which the export scans read directly.
    pub(crate) sqlite_path: Option<std::path::PathBuf>,
    /// On SQLite, the thread that runs page saves as single blocking transactions.
    pub(crate) sqlite_writer: Option<sqlite_writer::SqliteWriter>,
    /// The PostgreSQL server, for bulk loads with COPY on a connection of their own.
    pub(crate) postgres_url: Option<String>,
    pub(crate) questionnaires: Arc<RwLock<HashMap<i64, Arc<StoredQuestionnaire>>>>,
    /// The dashboards' audited themes, kept per tally version.
    protected: Arc<kept::ProtectedCache>,
}

impl Store {
    pub(crate) fn protected_cache(&self) -> &kept::ProtectedCache {
        &self.protected
    }

    /// Connects, creating the SQLite file and its folder if missing, and migrates.
    pub async fn connect(url: &str) -> Result<Self, AppError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            AppError::BadRequest(format!(
                "DATABASE_URL muss mit sqlite: oder postgres: beginnen, nicht „{}“.",
                url.split(':').next().unwrap_or("")
            ))
        })?;
        let sqlite_path: Option<std::path::PathBuf> =
            (backend == Backend::Sqlite).then(|| sqlite_file(url).into());
        let (read, write) = match backend {
            Backend::Sqlite => {
                let url = prepare_sqlite_url(url)?;
                let pragmas = |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                     PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000; \
                                     PRAGMA mmap_size = 268435456;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                };
                let write = pragmas(1).connect(&url).await.map_err(AppError::internal)?;
                let read = pragmas(8).connect(&url).await.map_err(AppError::internal)?;
                (read, write)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // Parallel workers take tens of milliseconds to start, longer than
                            // the short indexed queries of a request run (the newest texts:
                            // 80 ms with a worker, 5 ms without).
                            conn.execute("SET max_parallel_workers_per_gather = 0").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await
                    .map_err(AppError::internal)?;
                (pool.clone(), pool)
            }
        };
        let sqlite_writer = match &sqlite_path {
            Some(path) => Some(sqlite_writer::SqliteWriter::open(path)?),
            None => None,
        };
        let postgres_url = (backend == Backend::Postgres).then(|| url.to_string());
        let store = Self {
            read,
            write,
            backend,
            sqlite_path,
            sqlite_writer,
            postgres_url,
            questionnaires: Default::default(),
            protected: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), AppError> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
        };
        migrator.run(&self.write).await.map_err(AppError::internal)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers, for the health check.
    /// Whether the database answers, and on SQLite the writer thread too (saves go there).
    pub async fn ping(&self) -> bool {
        let probe = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.read);
        let reads = matches!(tokio::time::timeout(Duration::from_secs(2), probe).await, Ok(Ok(1)));
        match &self.sqlite_writer {
            Some(writer) if reads => writer.is_alive().await,
            _ => reads,
        }
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Writes the county's reference data (municipalities, kinds of organisation); idempotent.
    pub async fn seed_reference_data(&self) -> Result<(), AppError> {
        let mut tx = self.write.begin().await.map_err(db_error)?;
        for m in domain::reference::MUNICIPALITIES {
            sqlx::query(
                "INSERT INTO municipality (ags, name, is_town) VALUES ($1, $2, $3)
                 ON CONFLICT (ags) DO UPDATE SET name = excluded.name, is_town = excluded.is_town",
            )
            .bind(m.ags)
            .bind(m.name)
            .bind(m.is_town as i64)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
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
            .await
            .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)
    }
}

/// Maps a database error: unique violations become a conflict, anything else is logged and
/// reported by incident number only, so that no database text reaches a browser.
pub(crate) fn db_error(e: sqlx::Error) -> AppError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return AppError::Conflict("Dieser Eintrag existiert bereits.".into());
        }
    }
    AppError::internal(e)
}

/// The file path of a SQLite URL.
fn sqlite_file(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or("")
}

/// Makes sure the SQLite file can be created: its folder exists and `mode=rwc` is set.
fn prepare_sqlite_url(url: &str) -> Result<String, AppError> {
    let path = sqlite_file(url);
    if path.is_empty() || path == ":memory:" {
        return Err(AppError::BadRequest(
            "Für SQLite braucht DATABASE_URL einen Dateipfad, z. B. sqlite://data/bedarfsanalyse.db.".into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
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

/// A statement written for sqlx (`$1`, `$2` …) for rusqlite: SQLite numbers `$n` parameters
/// by first appearance, `?n` by their number. The statements contain no `$` otherwise.
pub(crate) fn sqlite_numbered(sql: &str) -> String {
    sql.replace('$', "?")
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T, AppError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(column).map_err(AppError::internal)
}

/// A column holding one of a vocabulary's codes (a status, a review state), parsed; an unknown
/// code is an internal error, never a default.
pub(crate) fn get_code<T>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, AppError> {
    let code: String = get(row, column)?;
    parse(&code).ok_or_else(|| AppError::internal(format!("unknown {column} code {code:?}")))
}

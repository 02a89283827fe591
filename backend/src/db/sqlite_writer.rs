//! One thread that owns a rusqlite connection and runs write transactions handed to it. A
//! page save is then a single blocking transaction of prepared statements, instead of a
//! round trip through sqlx's connection worker for every statement, which capped SQLite at
//! about 1,000 saves per second.

use domain::AppError;
use std::sync::mpsc;

type Job = Box<dyn FnOnce(&mut rusqlite::Connection) + Send>;

#[derive(Clone)]
pub(super) struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
}

impl SqliteWriter {
    /// Opens the connection (the database exists: the pools created and migrated it first).
    pub(super) fn open(path: &std::path::Path) -> Result<Self, AppError> {
        let conn = rusqlite::Connection::open(path).map_err(AppError::internal)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA busy_timeout = 10000; PRAGMA cache_size = -16000;",
        )
        .map_err(AppError::internal)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn = conn;
                // Ends when the last sender (the last clone of the store) is dropped.
                while let Ok(job) = queue.recv() {
                    job(&mut conn);
                }
            })
            .map_err(AppError::internal)?;
        Ok(Self { jobs })
    }

    /// Runs `work` on the writer thread and waits for its result.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut rusqlite::Connection) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let (reply, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                let _ = reply.send(work(conn));
            }))
            .map_err(|_| AppError::internal("the SQLite writer has stopped"))?;
        result.await.map_err(|_| AppError::internal("the SQLite writer dropped a job"))?
    }
}

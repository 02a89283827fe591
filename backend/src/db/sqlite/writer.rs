//! One thread that owns a rusqlite connection and runs write transactions handed to it. A
//! page save is then a single blocking transaction of prepared statements, instead of a
//! round trip through sqlx's connection worker for every statement, which capped SQLite at
//! about 1,000 saves per second.

use crate::error::StoreResult;
use domain::AppError;
use std::sync::mpsc;

type Job = Box<dyn FnOnce(&mut rusqlite::Connection) + Send>;

#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the connection (the database exists: the pools created and migrated it first).
    pub(crate) fn open(path: &std::path::Path) -> StoreResult<Self> {
        let conn = rusqlite::Connection::open(path)?;
        conn.execute_batch(super::PRAGMAS)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn = conn;
                // Ends when the last sender (the last clone of the store) is dropped.
                while let Ok(job) = queue.recv() {
                    // A panicking job must not end the thread: every later save would fail
                    // while the server looks healthy. Its caller gets an error (`run`).
                    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut conn))).is_err();
                    if panicked && !conn.is_autocommit() {
                        // Normally rolled back as the transaction unwound; never leave one open.
                        if let Err(e) = conn.execute_batch("ROLLBACK") {
                            tracing::error!(error = %e, "SQLite writer: rollback after a panic failed");
                        }
                    }
                }
            })
            .map_err(AppError::internal)?;
        Ok(Self { jobs })
    }

    /// Runs `work` on the writer thread and waits for its result.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut rusqlite::Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let (reply, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                // The reply is dropped if `work` panics; the caller then hears of it below.
                let _ = reply.send(work(conn));
            }))
            .map_err(|_| AppError::internal("the SQLite writer has stopped"))?;
        result.await.map_err(|_| AppError::internal("a SQLite write failed with a panic"))?
    }

    /// Whether the writer thread takes and runs jobs (for the health check).
    pub(crate) async fn is_alive(&self) -> bool {
        let probe =
            self.run(|conn| Ok(conn.query_row("SELECT 1", [], |row| row.get::<_, i64>(0))?));
        matches!(tokio::time::timeout(std::time::Duration::from_secs(2), probe).await, Ok(Ok(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::StoreError;

    #[tokio::test]
    async fn a_panicking_job_fails_alone() {
        let dir = std::env::temp_dir().join(format!(
            "bedarfsanalyse-writer-{}-{}",
            std::process::id(),
            line!()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w.db");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER)")
            .unwrap();
        let writer = Writer::open(&path).unwrap();
        assert!(writer.is_alive().await);

        let failed = writer
            .run(|conn| -> StoreResult<()> {
                let tx = conn.transaction()?;
                tx.execute("INSERT INTO t VALUES (1)", [])?;
                panic!("a bug in a save");
            })
            .await;
        assert!(matches!(failed, Err(StoreError::App(AppError::Internal { .. }))), "{failed:?}");

        // The thread lives on, the panicked transaction was rolled back.
        assert!(writer.is_alive().await);
        let n = writer
            .run(|conn| {
                conn.execute("INSERT INTO t VALUES (2)", [])?;
                Ok(conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get::<_, i64>(0))?)
            })
            .await
            .unwrap();
        assert_eq!(n, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! One mail round per questionnaire at a time, across every app instance on the database: a
//! lease row (`mail_round_lease`) that the round renews while it runs and gives back at its
//! end. A holder that crashed stops renewing, and its lease runs out.

use crate::{now_ms, token, Store};
use domain::AppError;
use std::time::Duration;

/// How long a lease lasts without renewal: longer than a stalled renewal, short enough that
/// a crashed instance blocks the next round only briefly.
const LEASE_MS: i64 = 60_000;
/// How often the holder renews.
const RENEW_EVERY: Duration = Duration::from_secs(15);
/// How often a waiting round asks again.
const POLL_EVERY: Duration = Duration::from_millis(200);
/// How long a round waits for the running one before it gives up.
const MAX_WAIT: Duration = Duration::from_secs(10 * 60);

const BUSY: &str = "Zu diesem Fragebogen läuft noch ein anderer E-Mail-Versand. Bitte versuchen Sie es in einigen Minuten erneut.";

/// The lease on a questionnaire's mail round, held until [`MailRoundLease::release`] or drop.
pub struct MailRoundLease {
    store: Store,
    questionnaire_id: i64,
    holder: String,
    renewal: tokio::task::JoinHandle<()>,
    released: bool,
}

impl MailRoundLease {
    /// Waits until no other round of the questionnaire runs (in this or another instance),
    /// as two clicks on one instance always did, then holds the lease.
    pub async fn acquire(store: &Store, questionnaire_id: i64) -> Result<Self, AppError> {
        let holder = token::generate();
        let give_up = tokio::time::Instant::now() + MAX_WAIT;
        loop {
            let now = now_ms();
            if store.take_mail_round_lease(questionnaire_id, &holder, now, now + LEASE_MS).await? {
                break;
            }
            if tokio::time::Instant::now() >= give_up {
                return Err(AppError::BadRequest(BUSY.into()));
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
        let renewal = tokio::spawn(renew(store.clone(), questionnaire_id, holder.clone()));
        Ok(Self { store: store.clone(), questionnaire_id, holder, renewal, released: false })
    }

    /// Gives the lease back, so that a waiting round starts at once.
    pub async fn release(mut self) {
        self.renewal.abort();
        self.released = true;
        // Converted first: a database error is then logged under an incident number, as always.
        if let Err(e) = self
            .store
            .release_mail_round_lease(self.questionnaire_id, &self.holder)
            .await
            .map_err(AppError::from)
        {
            tracing::warn!(error = %e, "mail-round lease not released; it runs out by itself");
        }
    }
}

impl Drop for MailRoundLease {
    /// A round that ended without `release` (an error, a panic) still gives its lease back.
    fn drop(&mut self) {
        self.renewal.abort();
        if self.released {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (store, id, holder) =
                (self.store.clone(), self.questionnaire_id, std::mem::take(&mut self.holder));
            runtime.spawn(async move {
                // Converted only to be logged: nobody waits for this result.
                let _ = store.release_mail_round_lease(id, &holder).await.map_err(AppError::from);
            });
        }
    }
}

async fn renew(store: Store, questionnaire_id: i64, holder: String) {
    loop {
        tokio::time::sleep(RENEW_EVERY).await;
        let renewed = store.renew_mail_round_lease(questionnaire_id, &holder, now_ms() + LEASE_MS);
        match renewed.await.map_err(AppError::from) {
            Ok(true) => {}
            Ok(false) => {
                // Only after a renewal stalled for longer than the lease: say so, nothing else to do.
                tracing::error!(questionnaire_id, "mail-round lease lost while the round runs");
                return;
            }
            Err(e) => tracing::warn!(error = %e, "mail-round lease not renewed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_and_expiry() {
        let dir = std::env::temp_dir().join(format!("bedarfsanalyse-lease-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::connect(&format!("sqlite://{}/l.db", dir.display())).await.unwrap();
        let t = 1_000_000;
        assert!(store.take_mail_round_lease(1, "a", t, t + LEASE_MS).await.unwrap());
        assert!(
            !store.take_mail_round_lease(1, "b", t + 1, t + 1 + LEASE_MS).await.unwrap(),
            "held"
        );
        assert!(
            store.take_mail_round_lease(2, "b", t, t + LEASE_MS).await.unwrap(),
            "another questionnaire"
        );
        assert!(!store.renew_mail_round_lease(1, "b", t + 2 * LEASE_MS).await.unwrap(), "not b's");
        // A holder that stopped renewing loses the lease once it ran out.
        assert!(store
            .take_mail_round_lease(1, "b", t + LEASE_MS + 1, t + 2 * LEASE_MS)
            .await
            .unwrap());
        assert!(!store.renew_mail_round_lease(1, "a", t + 3 * LEASE_MS).await.unwrap());
        store.release_mail_round_lease(1, "a").await.unwrap();
        assert!(
            !store.take_mail_round_lease(1, "c", t + LEASE_MS + 2, t + 2 * LEASE_MS).await.unwrap(),
            "a cannot release b's"
        );

        // Released on drop too.
        let lease = MailRoundLease::acquire(&store, 3).await.unwrap();
        let now = now_ms();
        assert!(!store.take_mail_round_lease(3, "d", now, now + LEASE_MS).await.unwrap());
        drop(lease);
        let waiting = MailRoundLease::acquire(&store, 3);
        let lease = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("free again")
            .unwrap();
        lease.release().await;
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

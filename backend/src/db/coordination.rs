//! What several app instances on one database must agree on: who sends a questionnaire's
//! mail round, and how often a key has missed. Each is one atomic statement, the same on
//! SQLite and PostgreSQL, so no instance needs to know of the others.

use super::Store;
use crate::error::StoreResult;

impl Store {
    /// Takes the mail-round lease of a questionnaire for `holder` until `expires_at`, if
    /// nobody holds it or its holder's lease ran out (a crashed instance); `false` when taken.
    pub async fn take_mail_round_lease(
        &self,
        questionnaire_id: i64,
        holder: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<bool> {
        let taken = sqlx::query(
            "INSERT INTO mail_round_lease (questionnaire_id, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (questionnaire_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE mail_round_lease.expires_at < $4",
        )
        .bind(questionnaire_id)
        .bind(holder)
        .bind(expires_at)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    /// Extends the holder's lease; `false` when it is no longer the holder.
    pub async fn renew_mail_round_lease(
        &self,
        questionnaire_id: i64,
        holder: &str,
        expires_at: i64,
    ) -> StoreResult<bool> {
        let renewed = sqlx::query("UPDATE mail_round_lease SET expires_at = $3 WHERE questionnaire_id = $1 AND holder = $2")
            .bind(questionnaire_id)
            .bind(holder)
            .bind(expires_at)
            .execute(&self.write)
            .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the lease back (only the holder's own).
    pub async fn release_mail_round_lease(
        &self,
        questionnaire_id: i64,
        holder: &str,
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM mail_round_lease WHERE questionnaire_id = $1 AND holder = $2")
            .bind(questionnaire_id)
            .bind(holder)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Counts one miss of `key_hash` under `counter` by the generic cell rate algorithm:
    /// each miss moves the key's theoretical arrival time (`tat`, from now at the earliest)
    /// on by `interval_ms`; a miss that would move it more than `burst_ms` ahead of now is
    /// refused and not counted. `true` when the miss is within the allowance.
    pub async fn count_miss(
        &self,
        counter: &str,
        key_hash: &str,
        now: i64,
        interval_ms: i64,
        burst_ms: i64,
    ) -> StoreResult<bool> {
        // The row is written only when allowed, so a refused miss returns no row. GREATEST
        // (PostgreSQL) and MAX (SQLite) differ, hence the CASE.
        let tat: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_limit (counter, key_hash, tat) VALUES ($1, $2, $3 + $4)
             ON CONFLICT (counter, key_hash) DO UPDATE
             SET tat = CASE WHEN rate_limit.tat > $3 THEN rate_limit.tat ELSE $3 END + $4
             WHERE CASE WHEN rate_limit.tat > $3 THEN rate_limit.tat ELSE $3 END + $4 <= $3 + $5
             RETURNING tat",
        )
        .bind(counter)
        .bind(key_hash)
        .bind(now)
        .bind(interval_ms)
        .bind(burst_ms)
        .fetch_optional(&self.write)
        .await?;
        Ok(tat.is_some())
    }

    /// Deletes the counter's keys whose allowance is full again (as good as no row).
    pub async fn forget_rested_misses(&self, counter: &str, now: i64) -> StoreResult<u64> {
        let deleted = sqlx::query("DELETE FROM rate_limit WHERE counter = $1 AND tat <= $2")
            .bind(counter)
            .bind(now)
            .execute(&self.write)
            .await?;
        Ok(deleted.rows_affected())
    }
}

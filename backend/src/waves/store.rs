//! The explicit matches of a later wave's questions with an earlier wave's (`wave_mapping`).
//! The series and waves themselves are written with the questionnaires they belong to.

use crate::db::{get, Store};
use crate::error::StoreResult;
use domain::waves::StoredMapping;

impl Store {
    /// The explicit mappings of questionnaire `later` against `earlier`.
    pub async fn wave_mappings(&self, later: i64, earlier: i64) -> StoreResult<Vec<StoredMapping>> {
        let rows = sqlx::query(
            "SELECT question_code, earlier_code, value_map FROM wave_mapping
             WHERE questionnaire_id = $1 AND earlier_questionnaire_id = $2 ORDER BY question_code",
        )
        .bind(later)
        .bind(earlier)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let values: String = get(r, "value_map")?;
                Ok(StoredMapping {
                    question: get(r, "question_code")?,
                    earlier: get(r, "earlier_code")?,
                    // Written by `save_wave_mapping` only; an unreadable one maps nothing, and
                    // the builder then reports the question as not matching.
                    values: serde_json::from_str(&values).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Replaces the explicit mapping of `later`'s question `code` against `earlier` (`None`:
    /// removes it, so the question matches by code again), in one transaction.
    pub async fn save_wave_mapping(
        &self,
        later: i64,
        code: &str,
        earlier: i64,
        mapping: Option<&StoredMapping>,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM wave_mapping WHERE questionnaire_id = $1 AND question_code = $2 AND earlier_questionnaire_id = $3",
        )
        .bind(later)
        .bind(code)
        .bind(earlier)
        .execute(&mut *tx)
        .await?;
        if let Some(m) = mapping {
            let values = serde_json::to_string(&m.values).unwrap_or_else(|_| "[]".into());
            sqlx::query(
                "INSERT INTO wave_mapping (questionnaire_id, question_code, earlier_questionnaire_id, earlier_code, value_map, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(later)
            .bind(code)
            .bind(earlier)
            .bind(&m.earlier)
            .bind(values)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

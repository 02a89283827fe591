//! The integration concept's statements. Every edit of an item checks the revision the form
//! was shown with, in the same statement that writes it, so that two people never overwrite
//! each other.

use crate::db::{get, get_code, Store};
use crate::error::{StoreError, StoreResult};
use domain::concept::{
    EvidenceSnapshot, FindingCommand, GoalCommand, IndicatorCommand, IndicatorValueCommand,
    MeasureCommand, MeasureStatus, NoteCommand,
};
use domain::AppError;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

/// Everything of the concept, as stored; small enough to read at once (tens of items a theme).
#[derive(Debug, Default)]
pub struct ConceptRows {
    /// (theme, introduction, revision)
    pub introductions: Vec<(String, String, i64)>,
    pub evidence: Vec<EvidenceRow>,
    pub findings: Vec<FindingRow>,
    /// (finding, evidence)
    pub citations: Vec<(i64, i64)>,
    pub goals: Vec<GoalRow>,
    pub measures: Vec<MeasureRow>,
    /// (measure, AGS)
    pub municipalities: Vec<(i64, String)>,
    /// Every status a measure had, oldest first per measure.
    pub statuses: Vec<StatusChangeRow>,
    pub notes: Vec<NoteRow>,
    pub indicators: Vec<IndicatorRow>,
    pub values: Vec<ValueRow>,
}

#[derive(Debug)]
pub struct EvidenceRow {
    pub id: i64,
    pub snapshot: EvidenceSnapshot,
    pub taken_at: i64,
    pub taken_by: String,
}

#[derive(Debug)]
pub struct FindingRow {
    pub id: i64,
    pub theme_code: String,
    pub text: String,
    pub revision: i64,
}

#[derive(Debug)]
pub struct GoalRow {
    pub id: i64,
    pub theme_code: String,
    pub title: String,
    pub description: String,
    pub revision: i64,
}

#[derive(Debug)]
pub struct MeasureRow {
    pub id: i64,
    pub goal_id: i64,
    pub title: String,
    pub description: String,
    pub responsible_registered: bool,
    pub responsible: String,
    pub partners: String,
    pub county_wide: bool,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub budget_cents: Option<i64>,
    pub status: MeasureStatus,
    pub revision: i64,
    pub created_at: i64,
}

#[derive(Debug)]
pub struct StatusChangeRow {
    pub measure_id: i64,
    pub at: i64,
    pub status: MeasureStatus,
}

#[derive(Debug)]
pub struct NoteRow {
    pub measure_id: i64,
    pub noted_on: String,
    pub text: String,
    pub author: String,
    pub created_at: i64,
}

#[derive(Debug)]
pub struct IndicatorRow {
    pub id: i64,
    pub measure_id: i64,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_on: Option<String>,
    pub baseline_source: String,
    pub baseline_evidence_id: Option<i64>,
    pub target: Option<f64>,
    pub revision: i64,
}

#[derive(Debug)]
pub struct ValueRow {
    pub indicator_id: i64,
    pub measured_on: String,
    pub value: f64,
    pub created_at: i64,
}

/// What an edit found: written, or the item changed (or went) since the form was shown.
#[derive(Debug, PartialEq, Eq)]
pub enum Edited {
    Saved,
    Stale,
}

fn edited(rows: u64) -> Edited {
    if rows == 1 {
        Edited::Saved
    } else {
        Edited::Stale
    }
}

/// A value of a concept item's column, bound in the order the columns are named.
enum Param<'a> {
    Text(&'a str),
    OptionalText(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
}

/// Writes a concept item in one statement: a new row (`id` None; `fixed` columns too, such as
/// its theme, and revision 1) or the `edited` columns of row `id` if it still has `revision`.
async fn save_item(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    id: Option<i64>,
    revision: i64,
    fixed: &[(&str, Param<'_>)],
    edited_columns: &[(&str, Param<'_>)],
    now: i64,
) -> StoreResult<(Edited, i64)> {
    let sql = match id {
        None => {
            let columns: Vec<&str> =
                fixed.iter().chain(edited_columns).map(|(column, _)| *column).collect();
            let values: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let now_at = columns.len() + 1;
            format!(
                "INSERT INTO {table} ({}, revision, created_at, updated_at)
                 VALUES ({}, 1, ${now_at}, ${now_at}) RETURNING id",
                columns.join(", "),
                values.join(", ")
            )
        }
        Some(_) => {
            let set: Vec<String> = edited_columns
                .iter()
                .enumerate()
                .map(|(i, (column, _))| format!("{column} = ${}", i + 2))
                .collect();
            let (now_at, revision_at) = (edited_columns.len() + 2, edited_columns.len() + 3);
            format!(
                "UPDATE {table} SET {}, revision = revision + 1, updated_at = ${now_at}
                 WHERE id = $1 AND revision = ${revision_at}",
                set.join(", ")
            )
        }
    };
    let mut query = sqlx::query(&sql);
    if let Some(id) = id {
        query = query.bind(id);
    }
    let params = if id.is_none() { fixed } else { &[] };
    for (_, param) in params.iter().chain(edited_columns) {
        query = match param {
            Param::Text(v) => query.bind(*v),
            Param::OptionalText(v) => query.bind(*v),
            Param::Int(v) => query.bind(*v),
            Param::Real(v) => query.bind(*v),
        };
    }
    query = query.bind(now);
    match id {
        None => {
            let row = query.fetch_one(&mut **tx).await?;
            Ok((Edited::Saved, get(&row, "id")?))
        }
        Some(id) => {
            let rows = query.bind(revision).execute(&mut **tx).await?.rows_affected();
            Ok((edited(rows), id))
        }
    }
}

fn evidence_row(row: &AnyRow) -> StoreResult<EvidenceRow> {
    let n: i64 = get(row, "n")?;
    Ok(EvidenceRow {
        id: get(row, "id")?,
        snapshot: EvidenceSnapshot {
            theme_code: get(row, "theme_code")?,
            questionnaire_id: get(row, "questionnaire_id")?,
            questionnaire_title: get(row, "questionnaire_title")?,
            question_code: get(row, "question_code")?,
            question_text: get(row, "question_text")?,
            item_code: get(row, "item_code")?,
            item_label: get(row, "item_label")?,
            view_query: get(row, "view_query")?,
            view_description: get(row, "view_description")?,
            value_text: get(row, "value_text")?,
            value: get(row, "value")?,
            n: n.max(0) as u64,
        },
        taken_at: get(row, "taken_at")?,
        taken_by: get(row, "taken_by")?,
    })
}

fn measure_row(row: &AnyRow) -> StoreResult<MeasureRow> {
    let registered: Option<i64> = get(row, "responsible_organisation_id")?;
    let county_wide: i64 = get(row, "county_wide")?;
    Ok(MeasureRow {
        id: get(row, "id")?,
        goal_id: get(row, "goal_id")?,
        title: get(row, "title")?,
        description: get(row, "description")?,
        responsible_registered: registered.is_some(),
        responsible: get(row, "responsible")?,
        partners: get(row, "partners")?,
        county_wide: county_wide != 0,
        starts_on: get(row, "starts_on")?,
        ends_on: get(row, "ends_on")?,
        budget_cents: get(row, "budget_cents")?,
        status: get_code(row, "status", MeasureStatus::parse)?,
        revision: get(row, "revision")?,
        created_at: get(row, "created_at")?,
    })
}

fn indicator_row(row: &AnyRow) -> StoreResult<IndicatorRow> {
    Ok(IndicatorRow {
        id: get(row, "id")?,
        measure_id: get(row, "measure_id")?,
        name: get(row, "name")?,
        unit: get(row, "unit")?,
        baseline: get(row, "baseline")?,
        baseline_on: get(row, "baseline_on")?,
        baseline_source: get(row, "baseline_source")?,
        baseline_evidence_id: get(row, "baseline_evidence_id")?,
        target: get(row, "target")?,
        revision: get(row, "revision")?,
    })
}

impl Store {
    /// The whole concept in one read transaction, so that its parts agree.
    pub async fn concept_rows(&self) -> StoreResult<ConceptRows> {
        let mut tx = self.read.begin().await?;
        let all = |sql: &'static str| sqlx::query(sql);
        let mut rows = ConceptRows::default();
        for row in all("SELECT theme_code, introduction, revision FROM concept_theme")
            .fetch_all(&mut *tx)
            .await?
        {
            rows.introductions.push((
                get(&row, "theme_code")?,
                get(&row, "introduction")?,
                get(&row, "revision")?,
            ));
        }
        for row in all("SELECT * FROM concept_evidence ORDER BY id").fetch_all(&mut *tx).await? {
            rows.evidence.push(evidence_row(&row)?);
        }
        for row in all("SELECT id, theme_code, text, revision FROM concept_finding ORDER BY id")
            .fetch_all(&mut *tx)
            .await?
        {
            rows.findings.push(FindingRow {
                id: get(&row, "id")?,
                theme_code: get(&row, "theme_code")?,
                text: get(&row, "text")?,
                revision: get(&row, "revision")?,
            });
        }
        for row in all("SELECT finding_id, evidence_id FROM concept_finding_evidence
             ORDER BY finding_id, evidence_id")
        .fetch_all(&mut *tx)
        .await?
        {
            rows.citations.push((get(&row, "finding_id")?, get(&row, "evidence_id")?));
        }
        for row in
            all("SELECT id, theme_code, title, description, revision FROM concept_goal ORDER BY id")
                .fetch_all(&mut *tx)
                .await?
        {
            rows.goals.push(GoalRow {
                id: get(&row, "id")?,
                theme_code: get(&row, "theme_code")?,
                title: get(&row, "title")?,
                description: get(&row, "description")?,
                revision: get(&row, "revision")?,
            });
        }
        for row in all("SELECT * FROM concept_measure ORDER BY id").fetch_all(&mut *tx).await? {
            rows.measures.push(measure_row(&row)?);
        }
        for row in all("SELECT measure_id, ags FROM concept_measure_municipality ORDER BY ags")
            .fetch_all(&mut *tx)
            .await?
        {
            rows.municipalities.push((get(&row, "measure_id")?, get(&row, "ags")?));
        }
        for row in all("SELECT measure_id, at, status FROM concept_measure_status
             ORDER BY measure_id, at, id")
        .fetch_all(&mut *tx)
        .await?
        {
            rows.statuses.push(StatusChangeRow {
                measure_id: get(&row, "measure_id")?,
                at: get(&row, "at")?,
                status: get_code(&row, "status", MeasureStatus::parse)?,
            });
        }
        for row in all("SELECT measure_id, noted_on, text, author, created_at FROM concept_note
             ORDER BY noted_on DESC, id DESC")
        .fetch_all(&mut *tx)
        .await?
        {
            rows.notes.push(NoteRow {
                measure_id: get(&row, "measure_id")?,
                noted_on: get(&row, "noted_on")?,
                text: get(&row, "text")?,
                author: get(&row, "author")?,
                created_at: get(&row, "created_at")?,
            });
        }
        for row in all("SELECT * FROM concept_indicator ORDER BY id").fetch_all(&mut *tx).await? {
            rows.indicators.push(indicator_row(&row)?);
        }
        for row in all("SELECT indicator_id, measured_on, value, created_at
             FROM concept_indicator_value ORDER BY measured_on, id")
        .fetch_all(&mut *tx)
        .await?
        {
            rows.values.push(ValueRow {
                indicator_id: get(&row, "indicator_id")?,
                measured_on: get(&row, "measured_on")?,
                value: get(&row, "value")?,
                created_at: get(&row, "created_at")?,
            });
        }
        tx.commit().await?;
        Ok(rows)
    }

    /// The theme an item belongs to, for the check who may change it; `None` when it is gone.
    pub async fn concept_item_theme(
        &self,
        item: ConceptItem,
        id: i64,
    ) -> StoreResult<Option<String>> {
        let sql = match item {
            ConceptItem::Evidence => "SELECT theme_code FROM concept_evidence WHERE id = $1",
            ConceptItem::Finding => "SELECT theme_code FROM concept_finding WHERE id = $1",
            ConceptItem::Goal => "SELECT theme_code FROM concept_goal WHERE id = $1",
            ConceptItem::Measure => {
                "SELECT g.theme_code FROM concept_measure m
                 JOIN concept_goal g ON g.id = m.goal_id WHERE m.id = $1"
            }
            ConceptItem::Indicator => {
                "SELECT g.theme_code FROM concept_indicator i
                 JOIN concept_measure m ON m.id = i.measure_id
                 JOIN concept_goal g ON g.id = m.goal_id WHERE i.id = $1"
            }
        };
        sqlx::query_scalar(sql).bind(id).fetch_optional(&self.read).await.map_err(StoreError::from)
    }

    /// Per theme, the measures per municipality (`None`: the county-wide measures), counted
    /// in the database so that the dashboard does not read the whole concept.
    pub async fn measure_counts(&self) -> StoreResult<Vec<(String, Option<String>, i64)>> {
        let rows = sqlx::query(
            "SELECT g.theme_code, mm.ags, COUNT(*) AS n FROM concept_measure m
             JOIN concept_goal g ON g.id = m.goal_id
             JOIN concept_measure_municipality mm ON mm.measure_id = m.id
             WHERE m.county_wide = 0 GROUP BY g.theme_code, mm.ags
             UNION ALL
             SELECT g.theme_code, NULL, COUNT(*) FROM concept_measure m
             JOIN concept_goal g ON g.id = m.goal_id
             WHERE m.county_wide = 1 GROUP BY g.theme_code",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| Ok((get(row, "theme_code")?, get(row, "ags")?, get(row, "n")?)))
            .collect()
    }

    /// Which of `ids` are evidence of `theme`; one query however many are cited.
    pub async fn evidence_of_theme(&self, theme: &str, ids: &[i64]) -> StoreResult<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id FROM concept_evidence WHERE theme_code = $1 AND id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_scalar(&sql).bind(theme);
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&self.read).await?)
    }

    /// The measure an indicator belongs to.
    pub async fn indicator_measure(&self, indicator_id: i64) -> StoreResult<Option<i64>> {
        sqlx::query_scalar("SELECT measure_id FROM concept_indicator WHERE id = $1")
            .bind(indicator_id)
            .fetch_optional(&self.read)
            .await
            .map_err(StoreError::from)
    }

    pub async fn goal_has_measures(&self, goal_id: i64) -> StoreResult<bool> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM concept_measure WHERE goal_id = $1")
                .bind(goal_id)
                .fetch_one(&self.read)
                .await?;
        Ok(count > 0)
    }

    /// Sets a theme's introduction, at the revision the form showed (0: none yet).
    pub async fn set_concept_introduction(
        &self,
        theme: &str,
        text: &str,
        revision: i64,
        now: i64,
    ) -> StoreResult<Edited> {
        let mut tx = self.begin_write().await?;
        let rows = if revision == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT revision FROM concept_theme WHERE theme_code = $1")
                    .bind(theme)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() {
                0
            } else {
                sqlx::query(
                    "INSERT INTO concept_theme (theme_code, introduction, revision, updated_at)
                     VALUES ($1, $2, 1, $3)",
                )
                .bind(theme)
                .bind(text)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            }
        } else {
            sqlx::query(
                "UPDATE concept_theme SET introduction = $2, revision = revision + 1,
                 updated_at = $4 WHERE theme_code = $1 AND revision = $3",
            )
            .bind(theme)
            .bind(text)
            .bind(revision)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        };
        tx.commit().await?;
        Ok(edited(rows))
    }

    pub async fn insert_evidence(
        &self,
        snapshot: &EvidenceSnapshot,
        taken_by: &str,
        now: i64,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO concept_evidence (theme_code, questionnaire_id, questionnaire_title,
                 question_code, question_text, item_code, item_label, view_query,
                 view_description, value_text, value, n, taken_at, taken_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&snapshot.theme_code)
        .bind(snapshot.questionnaire_id)
        .bind(&snapshot.questionnaire_title)
        .bind(&snapshot.question_code)
        .bind(&snapshot.question_text)
        .bind(&snapshot.item_code)
        .bind(&snapshot.item_label)
        .bind(&snapshot.view_query)
        .bind(&snapshot.view_description)
        .bind(&snapshot.value_text)
        .bind(snapshot.value)
        .bind(snapshot.n as i64)
        .bind(now)
        .bind(taken_by)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Deletes a piece of evidence nothing cites; `false` when something does.
    pub async fn delete_uncited_evidence(&self, id: i64) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "DELETE FROM concept_evidence WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM concept_finding_evidence WHERE evidence_id = $1)
             AND NOT EXISTS (SELECT 1 FROM concept_indicator WHERE baseline_evidence_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(rows == 1)
    }

    /// Adds a finding (`id` None) or edits one at `revision`, with the evidence it cites.
    pub async fn save_finding(
        &self,
        theme: &str,
        id: Option<i64>,
        revision: i64,
        finding: &FindingCommand,
        now: i64,
    ) -> StoreResult<(Edited, i64)> {
        let mut tx = self.begin_write().await?;
        let fixed = [("theme_code", Param::Text(theme))];
        let columns = [("text", Param::Text(&finding.text))];
        let (outcome, id) =
            save_item(&mut tx, "concept_finding", id, revision, &fixed, &columns, now).await?;
        if let Edited::Stale = outcome {
            return Ok((outcome, id));
        }
        sqlx::query("DELETE FROM concept_finding_evidence WHERE finding_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for evidence in &finding.evidence {
            sqlx::query(
                "INSERT INTO concept_finding_evidence (finding_id, evidence_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(evidence)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((Edited::Saved, id))
    }

    /// Adds a goal (`id` None) or edits one at `revision`.
    pub async fn save_goal(
        &self,
        theme: &str,
        id: Option<i64>,
        revision: i64,
        goal: &GoalCommand,
        now: i64,
    ) -> StoreResult<(Edited, i64)> {
        let mut tx = self.begin_write().await?;
        let fixed = [("theme_code", Param::Text(theme))];
        let columns =
            [("title", Param::Text(&goal.title)), ("description", Param::Text(&goal.description))];
        let outcome =
            save_item(&mut tx, "concept_goal", id, revision, &fixed, &columns, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Adds a measure (`id` None) or edits one at `revision`; a change of status is recorded
    /// for the progress report.
    pub async fn save_measure(
        &self,
        id: Option<i64>,
        revision: i64,
        measure: &MeasureCommand,
        now: i64,
    ) -> StoreResult<(Edited, i64)> {
        let mut tx = self.begin_write().await?;
        // The register's organisation of exactly this name, if there is one.
        let organisation: Option<i64> = if measure.responsible.is_empty() {
            None
        } else {
            sqlx::query_scalar("SELECT MIN(id) FROM organisation WHERE name = $1")
                .bind(&measure.responsible)
                .fetch_one(&mut *tx)
                .await?
        };
        let status_before: Option<String> = match id {
            Some(id) => {
                sqlx::query_scalar("SELECT status FROM concept_measure WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        let columns = [
            ("goal_id", Param::Int(Some(measure.goal_id))),
            ("title", Param::Text(&measure.title)),
            ("description", Param::Text(&measure.description)),
            ("responsible_organisation_id", Param::Int(organisation)),
            ("responsible", Param::Text(&measure.responsible)),
            ("partners", Param::Text(&measure.partners)),
            ("county_wide", Param::Int(Some(measure.county_wide as i64))),
            ("starts_on", Param::OptionalText(measure.starts_on.as_deref())),
            ("ends_on", Param::OptionalText(measure.ends_on.as_deref())),
            ("budget_cents", Param::Int(measure.budget_cents)),
            ("status", Param::Text(measure.status.code())),
        ];
        let (outcome, id) =
            save_item(&mut tx, "concept_measure", id, revision, &[], &columns, now).await?;
        if let Edited::Stale = outcome {
            return Ok((outcome, id));
        }
        sqlx::query("DELETE FROM concept_measure_municipality WHERE measure_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for ags in &measure.municipalities {
            sqlx::query(
                "INSERT INTO concept_measure_municipality (measure_id, ags) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(ags)
            .execute(&mut *tx)
            .await?;
        }
        if status_before.as_deref() != Some(measure.status.code()) {
            sqlx::query(
                "INSERT INTO concept_measure_status (measure_id, at, status) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(now)
            .bind(measure.status.code())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((Edited::Saved, id))
    }

    pub async fn insert_note(
        &self,
        measure_id: i64,
        note: &NoteCommand,
        author: &str,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO concept_note (measure_id, noted_on, text, author, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(measure_id)
        .bind(&note.noted_on)
        .bind(&note.text)
        .bind(author)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await.map_err(StoreError::from)
    }

    /// Adds an indicator to a measure (`id` None) or edits one at `revision`.
    pub async fn save_indicator(
        &self,
        measure_id: i64,
        id: Option<i64>,
        revision: i64,
        indicator: &IndicatorCommand,
        now: i64,
    ) -> StoreResult<(Edited, i64)> {
        let mut tx = self.begin_write().await?;
        let fixed = [("measure_id", Param::Int(Some(measure_id)))];
        let columns = [
            ("name", Param::Text(&indicator.name)),
            ("unit", Param::Text(&indicator.unit)),
            ("baseline", Param::Real(indicator.baseline)),
            ("baseline_on", Param::OptionalText(indicator.baseline_on.as_deref())),
            ("baseline_source", Param::Text(&indicator.baseline_source)),
            ("baseline_evidence_id", Param::Int(indicator.baseline_evidence_id)),
            ("target", Param::Real(indicator.target)),
        ];
        let outcome =
            save_item(&mut tx, "concept_indicator", id, revision, &fixed, &columns, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    pub async fn insert_indicator_value(
        &self,
        indicator_id: i64,
        value: &IndicatorValueCommand,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO concept_indicator_value (indicator_id, measured_on, value, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(indicator_id)
        .bind(&value.measured_on)
        .bind(value.value)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await.map_err(StoreError::from)
    }

    /// Deletes an item at the revision the page showed; what hangs below it goes with it
    /// (a goal's measures are refused by the use case first).
    pub async fn delete_concept_item(
        &self,
        item: ConceptItem,
        id: i64,
        revision: i64,
    ) -> StoreResult<Edited> {
        let sql = match item {
            ConceptItem::Evidence => {
                return Err(AppError::internal("evidence has no revision").into())
            }
            ConceptItem::Finding => "DELETE FROM concept_finding WHERE id = $1 AND revision = $2",
            ConceptItem::Goal => "DELETE FROM concept_goal WHERE id = $1 AND revision = $2",
            ConceptItem::Measure => "DELETE FROM concept_measure WHERE id = $1 AND revision = $2",
            ConceptItem::Indicator => {
                "DELETE FROM concept_indicator WHERE id = $1 AND revision = $2"
            }
        };
        let mut tx: Transaction<'static, Any> = self.begin_write().await?;
        let rows =
            sqlx::query(sql).bind(id).bind(revision).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(edited(rows))
    }
}

/// The concept's items that can be addressed by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConceptItem {
    Evidence,
    Finding,
    Goal,
    Measure,
    Indicator,
}

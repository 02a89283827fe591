//! The imports' own tables: each structure import with its report and code map, each
//! response import, and the responses it writes (in one transaction with its record).

use crate::db::scan::Param;
use crate::db::{get, write_all, Store, Write};
use crate::error::StoreResult;
use crate::now_ms;
use domain::Questionnaire;

/// A structure import as stored.
#[derive(Debug, Clone)]
pub struct StructureImportRecord {
    pub id: i64,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    pub file_name: String,
    pub format: String,
    pub note: String,
    pub unmapped: String,
    pub actor: String,
    pub created_at: i64,
}

/// A response import as stored.
#[derive(Debug, Clone)]
pub struct ResponseImportRecord {
    pub file_name: String,
    pub imported: i64,
    pub skipped: i64,
    pub actor: String,
    pub created_at: i64,
}

/// What the structure import writes beside the draft.
pub struct NewStructureImport<'a> {
    pub file_name: &'a str,
    pub format: &'a str,
    pub note: &'a str,
    pub unmapped_json: String,
    pub code_map_json: Option<String>,
    pub actor: &'a str,
}

/// One response to write: kind, municipalities, submission time and its answer rows
/// (question id, row code, position, value).
pub struct ImportedRow {
    pub org_kind: Option<String>,
    pub municipalities: Vec<String>,
    pub submitted_at: i64,
    pub answers: Vec<(i64, String, i64, String)>,
}

const RECORD: &str = "SELECT s.id, s.questionnaire_id, q.title, s.file_name, s.format, s.note, s.unmapped, s.actor, s.created_at
     FROM structure_import s JOIN questionnaire q ON q.id = s.questionnaire_id";

fn record(r: &sqlx::any::AnyRow) -> StoreResult<StructureImportRecord> {
    Ok(StructureImportRecord {
        id: get(r, "id")?,
        questionnaire_id: get(r, "questionnaire_id")?,
        questionnaire_title: get(r, "title")?,
        file_name: get(r, "file_name")?,
        format: get(r, "format")?,
        note: get(r, "note")?,
        unmapped: get(r, "unmapped")?,
        actor: get(r, "actor")?,
        created_at: get(r, "created_at")?,
    })
}

impl Store {
    /// Inserts the draft and the import's record in one transaction; (questionnaire, record).
    pub(crate) async fn insert_imported_structure(
        &self,
        q: &Questionnaire,
        import: NewStructureImport<'_>,
    ) -> StoreResult<(i64, i64)> {
        let mut tx = self.begin_write().await?;
        let id = crate::questionnaires::store::insert_questionnaire_in(&mut tx, q, None).await?;
        let record: i64 = sqlx::query_scalar(
            "INSERT INTO structure_import (questionnaire_id, file_name, format, note, unmapped, code_map, actor, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id)
        .bind(import.file_name)
        .bind(import.format)
        .bind(import.note)
        .bind(&import.unmapped_json)
        .bind(import.code_map_json.as_deref())
        .bind(import.actor)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((id, record))
    }

    /// The structure imports, newest first.
    pub(crate) async fn structure_imports(&self) -> StoreResult<Vec<StructureImportRecord>> {
        let sql = format!("{RECORD} ORDER BY s.created_at DESC, s.id DESC LIMIT 200");
        let rows = sqlx::query(&sql).fetch_all(&self.read).await?;
        rows.iter().map(record).collect()
    }

    pub(crate) async fn structure_import(
        &self,
        id: i64,
    ) -> StoreResult<Option<StructureImportRecord>> {
        let sql = format!("{RECORD} WHERE s.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.read).await?;
        row.as_ref().map(record).transpose()
    }

    /// The code map of the questionnaire's newest structure import that has one.
    pub(crate) async fn code_map_of(&self, questionnaire_id: i64) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT code_map FROM structure_import WHERE questionnaire_id = $1 AND code_map IS NOT NULL ORDER BY id DESC LIMIT 1",
        )
        .bind(questionnaire_id)
        .fetch_optional(&self.read)
        .await?
        .flatten())
    }

    pub(crate) async fn response_imports(
        &self,
        questionnaire_id: i64,
    ) -> StoreResult<Vec<ResponseImportRecord>> {
        let rows = sqlx::query(
            "SELECT file_name, imported, skipped, actor, created_at FROM response_import WHERE questionnaire_id = $1 ORDER BY id DESC",
        )
        .bind(questionnaire_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ResponseImportRecord {
                    file_name: get(r, "file_name")?,
                    imported: get(r, "imported")?,
                    skipped: get(r, "skipped")?,
                    actor: get(r, "actor")?,
                    created_at: get(r, "created_at")?,
                })
            })
            .collect()
    }

    /// The earlier import of the file with this SHA-256 into the questionnaire: its file name
    /// and time.
    pub(crate) async fn response_import_of_file(
        &self,
        questionnaire_id: i64,
        digest: &str,
    ) -> StoreResult<Option<(String, i64)>> {
        let row = sqlx::query(
            "SELECT file_name, created_at FROM response_import WHERE questionnaire_id = $1 AND digest = $2",
        )
        .bind(questionnaire_id)
        .bind(digest)
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| Ok((get(&r, "file_name")?, get(&r, "created_at")?))).transpose()
    }

    /// Writes the import's record and its responses (submitted, counted at once) in one
    /// transaction, and marks the questionnaire's tallies as to be rebuilt in it too: if the
    /// rebuild that follows fails, the next start rebuilds them.
    pub(crate) async fn write_imported_responses(
        &self,
        questionnaire_id: i64,
        file: (&str, &str),
        actor: &str,
        skipped: usize,
        rows: Vec<ImportedRow>,
    ) -> StoreResult<i64> {
        let (file_name, digest) = file;
        let mut tx = self.begin_write().await?;
        let import: i64 = sqlx::query_scalar(
            "INSERT INTO response_import (questionnaire_id, file_name, digest, imported, skipped, actor, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(questionnaire_id)
        .bind(file_name)
        .bind(digest)
        .bind(rows.len() as i64)
        .bind(skipped as i64)
        .bind(actor)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let mut answers: Vec<Param> = Vec::new();
        let mut places: Vec<Param> = Vec::new();
        for row in rows {
            // A random hash that no link has: the response is reached through the
            // administration only.
            let token_hash = crate::token::hash(&crate::token::generate());
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO response (questionnaire_id, token_hash, channel, status, current_page, org_kind, created_at, started_at, updated_at, submitted_at, import_id)
                 VALUES ($1, $2, 'open', 'submitted', 0, $3, $4, $4, $4, $4, $5) RETURNING id",
            )
            .bind(questionnaire_id)
            .bind(token_hash)
            .bind(row.org_kind.as_deref())
            .bind(row.submitted_at)
            .bind(import)
            .fetch_one(&mut *tx)
            .await?;
            for (question, row_code, position, value) in row.answers {
                answers.extend([
                    Param::Int(id),
                    Param::Int(question),
                    Param::Text(row_code),
                    Param::Int(position),
                    Param::Text(value),
                ]);
            }
            for ags in row.municipalities {
                places.extend([Param::Int(id), Param::Text(ags)]);
            }
        }
        let writes = vec![
            Write::Rows {
                insert: "INSERT INTO answer (response_id, question_id, row_code, position, value) VALUES ".into(),
                width: 5,
                rows: answers,
                per_statement: 500,
            },
            Write::Rows {
                insert: "INSERT INTO response_municipality (response_id, ags) VALUES ".into(),
                width: 2,
                rows: places,
                per_statement: 500,
            },
            Write::Statement {
                sql: "DELETE FROM tally_built WHERE questionnaire_id = $1".into(),
                params: vec![Param::Int(questionnaire_id)],
            },
        ];
        write_all(&mut tx, &writes).await?;
        tx.commit().await?;
        Ok(import)
    }
}

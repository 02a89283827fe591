//! The imports' use cases: a structure file becomes a draft questionnaire with its report;
//! a response file becomes submitted responses of a questionnaire, all rows or none. Both for
//! administrators only, both in the audit log.

use super::limesurvey::responses::{
    own_code_map, parse_value_mapping, read_responses, ColumnMapping, LineProblem, ResponsesRead,
};
use super::limesurvey::CodeMap;
use super::store::{ImportedRow, NewStructureImport};
use super::structure::{read_structure, StructureFormat, StructureRead};
use super::{ImportError, Unmapped};
use crate::now_ms;
use crate::staff::{require_admin, Staff};
use domain::imports::{
    ImportReportPage, ImportsPage, ResponseImportAction, ResponseImportCommand, ResponseImportPage,
    ResponseImportRow, StructureImportRow, UnmappedItem,
};
use domain::locale::format_time;
use domain::staff::Principal;
use domain::AppError;

/// What a response import (or its check) came to.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseImportOutcome {
    /// Problems by line (0: the whole file); nothing was written.
    Problems(Vec<LineProblem>),
    /// The check found nothing wrong: this many would be imported.
    Checked { responses: usize, incomplete: usize, ignored_columns: Vec<String> },
    /// Written, and the tallies rebuilt.
    Imported { responses: usize, incomplete: usize, ignored_columns: Vec<String> },
}

fn unmapped_json(unmapped: &[Unmapped]) -> String {
    let items: Vec<UnmappedItem> = unmapped
        .iter()
        .map(|u| UnmappedItem { code: u.code.clone(), reason: u.reason.clone() })
        .collect();
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
}

/// The open-link name of an imported draft: from its title, unique among `taken`.
fn unique_slug(title_slug: &str, taken: &[String]) -> String {
    let base: String = title_slug.trim_matches('-').chars().take(50).collect();
    let base = if domain::builder::is_slug(&base) { base } else { "import".to_string() };
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{}-{n}", base.trim_end_matches('-'));
        n += 1;
    }
    slug
}

/// The uploaded file's name as kept in the report: no control characters, at most 200.
fn stored_name(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.trim().is_empty() {
        "(ohne Namen)".into()
    } else {
        name
    }
}

impl Staff {
    pub async fn imports_page(&self, principal: &Principal) -> Result<ImportsPage, AppError> {
        require_admin(principal)?;
        let imports = self
            .store
            .structure_imports()
            .await?
            .into_iter()
            .map(|r| StructureImportRow {
                id: r.id,
                questionnaire_id: r.questionnaire_id,
                questionnaire_title: r.questionnaire_title,
                file_name: r.file_name,
                created: format_time(r.created_at),
                unmapped: serde_json::from_str::<Vec<UnmappedItem>>(&r.unmapped)
                    .map(|l| l.len())
                    .unwrap_or(0),
            })
            .collect();
        Ok(ImportsPage { me: principal.clone(), imports })
    }

    pub async fn import_report_page(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<ImportReportPage, AppError> {
        require_admin(principal)?;
        let r = self
            .store
            .structure_import(id)
            .await?
            .ok_or_else(|| AppError::NotFound("Diesen Import gibt es nicht.".into()))?;
        let revision = self.store.questionnaire_revision(r.questionnaire_id).await?.unwrap_or(0);
        let stored = self.store.questionnaire(r.questionnaire_id, revision).await?;
        let q = &stored.questionnaire;
        Ok(ImportReportPage {
            me: principal.clone(),
            id: r.id,
            questionnaire_id: r.questionnaire_id,
            questionnaire_title: r.questionnaire_title,
            file_name: r.file_name,
            format_label: StructureFormat::label(&r.format).to_string(),
            note: r.note,
            created: format_time(r.created_at),
            actor: r.actor,
            themes: q.themes.len(),
            questions: q.questions().count(),
            unmapped: serde_json::from_str(&r.unmapped).map_err(AppError::internal)?,
        })
    }

    /// Reads a structure file and stores it as a new draft with its report; `Ok(Err(…))`
    /// with the German reason when the file cannot be read (nothing is stored then).
    pub async fn import_structure(
        &self,
        principal: &Principal,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Result<i64, ImportError>, AppError> {
        require_admin(principal)?;
        let format = match StructureFormat::of(file_name, &bytes) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e)),
        };
        // Parsing is CPU work: off the request threads (and a reader's panic, which the
        // fuzz tests rule out, would end only this task).
        let read = tokio::task::spawn_blocking(move || read_structure(format, &bytes))
            .await
            .map_err(AppError::internal)?;
        let StructureRead { structure, note, code_map } = match read {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let mut questionnaire = structure.questionnaire;
        let taken = self.store.questionnaire_slugs().await?;
        questionnaire.slug = unique_slug(&questionnaire.slug, &taken);
        let file_name = stored_name(file_name);
        let code_map_json =
            code_map.as_ref().map(serde_json::to_string).transpose().map_err(AppError::internal)?;
        let (id, record) = self
            .store
            .insert_imported_structure(
                &questionnaire,
                NewStructureImport {
                    file_name: &file_name,
                    format: format.as_str(),
                    note: &note,
                    unmapped_json: unmapped_json(&structure.unmapped),
                    code_map_json,
                    actor: &principal.email,
                },
            )
            .await?;
        let detail = format!(
            "Fragebogen Nr. {id}: {} aus „{file_name}“ ({} Fragen, {} nicht oder nur teilweise übernommen)",
            questionnaire.title,
            questionnaire.questions().count(),
            structure.unmapped.len()
        );
        self.store.audit_by(principal, "Fragebogen importiert", &detail).await?;
        Ok(Ok(record))
    }

    pub async fn response_import_page(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
    ) -> Result<ResponseImportPage, AppError> {
        require_admin(principal)?;
        let stored = self.store.current_questionnaire(questionnaire_id).await?;
        let imports = self
            .store
            .response_imports(questionnaire_id)
            .await?
            .into_iter()
            .map(|r| ResponseImportRow {
                file_name: r.file_name,
                imported: r.imported,
                skipped: r.skipped,
                created: format_time(r.created_at),
                actor: r.actor,
            })
            .collect();
        Ok(ResponseImportPage {
            me: principal.clone(),
            questionnaire_id,
            title: stored.questionnaire.title.clone(),
            status_label: stored.questionnaire.status.label().to_string(),
            from_limesurvey: self.store.code_map_of(questionnaire_id).await?.is_some(),
            imports,
        })
    }

    /// Checks a response file against the questionnaire and, when asked and nothing is wrong,
    /// writes all its complete rows as submitted responses in one transaction, then rebuilds
    /// the questionnaire's tallies and texts.
    pub async fn import_responses(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        command: ResponseImportCommand,
    ) -> Result<ResponseImportOutcome, AppError> {
        require_admin(principal)?;
        let stored = self.store.current_questionnaire(questionnaire_id).await?;
        let digest = crate::token::sha256_hex(&bytes);
        if let Some((earlier, at)) =
            self.store.response_import_of_file(questionnaire_id, &digest).await?
        {
            return Ok(ResponseImportOutcome::Problems(vec![LineProblem {
                line: 0,
                message: format!(
                    "Diese Datei wurde am {} schon importiert (als „{earlier}“). Ein zweiter Import würde dieselben Antworten doppelt zählen.",
                    format_time(at)
                ),
            }]));
        }
        let values = match parse_value_mapping(&command.values) {
            Ok(v) => v,
            Err(errors) => {
                return Ok(ResponseImportOutcome::Problems(
                    errors
                        .into_iter()
                        .map(|m| LineProblem {
                            line: 0,
                            message: format!("Zuordnung der Werte, {m}"),
                        })
                        .collect(),
                ))
            }
        };
        let codes: CodeMap = match self.store.code_map_of(questionnaire_id).await? {
            Some(json) => serde_json::from_str(&json).map_err(AppError::internal)?,
            None => own_code_map(&stored.questionnaire),
        };
        let mapping = ColumnMapping {
            kind_column: command.kind_column.clone(),
            municipality_column: command.place_column.clone(),
            values,
        };
        let questionnaire = stored.clone();
        let read = tokio::task::spawn_blocking(move || {
            read_responses(&bytes, &questionnaire.questionnaire, &codes, &mapping)
        })
        .await
        .map_err(AppError::internal)?;
        let ResponsesRead { responses, incomplete, ignored_columns } = match read {
            Ok(r) => r,
            Err(problems) => return Ok(ResponseImportOutcome::Problems(problems)),
        };
        let count = responses.len();
        if command.action == ResponseImportAction::Check {
            return Ok(ResponseImportOutcome::Checked {
                responses: count,
                incomplete,
                ignored_columns,
            });
        }
        let now = now_ms();
        let mut rows = Vec::with_capacity(count);
        for r in responses {
            let mut answers = Vec::new();
            for (code, answer) in &r.answers {
                let Some(qid) = stored.question_id(code) else { continue };
                let mut position = 0;
                let mut last: Option<String> = None;
                for (row, value) in answer.to_rows() {
                    position = if last.as_ref() == Some(&row) { position + 1 } else { 0 };
                    last = Some(row.clone());
                    answers.push((qid, row, position, value));
                }
            }
            rows.push(ImportedRow {
                org_kind: r.org_kind,
                municipalities: r.municipalities,
                submitted_at: r.submitted_at.unwrap_or(now),
                answers,
            });
        }
        let file_name = stored_name(file_name);
        self.store
            .write_imported_responses(
                questionnaire_id,
                (&file_name, &digest),
                &principal.email,
                incomplete,
                rows,
            )
            .await?;
        self.store.rebuild_tallies(&stored).await?;
        let detail = format!(
            "Fragebogen Nr. {questionnaire_id}: {count} abgeschlossene Antworten aus „{file_name}“, {incomplete} unvollständige übersprungen"
        );
        self.store.audit_by(principal, "Antworten importiert", &detail).await?;
        Ok(ResponseImportOutcome::Imported { responses: count, incomplete, ignored_columns })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_and_unique() {
        let taken = vec!["umfrage-2023".to_string(), "umfrage-2023-2".to_string()];
        assert_eq!(unique_slug("umfrage-2023", &taken), "umfrage-2023-3");
        assert_eq!(unique_slug("", &taken), "import");
        assert_eq!(unique_slug("neu", &taken), "neu");
    }
}

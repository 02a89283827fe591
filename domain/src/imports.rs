//! Imports from other survey tools: the names of the upload forms' fields (shared by the pages
//! and the routes), the response import's form as a command, and what the pages show.

use crate::staff::Principal;
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

pub mod field {
    /// The uploaded file (both forms).
    pub const FILE: &str = "datei";
    /// Heading of the column with the kind of organisation.
    pub const KIND_COLUMN: &str = "spalte_art";
    /// Heading of the column (or multiple choice) with the municipalities.
    pub const PLACE_COLUMN: &str = "spalte_kommune";
    /// Value mappings, one `Wert = Ziel` a line.
    pub const VALUES: &str = "zuordnung";
    /// `pruefen` or `importieren`.
    pub const ACTION: &str = "aktion";
}

/// Longest column heading or mapping text taken from the form.
pub const MAX_COLUMN_CHARS: usize = 200;
pub const MAX_VALUES_CHARS: usize = 20_000;

/// What the response import's button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseImportAction {
    /// Read and check only: the problems, or what would be imported.
    Check,
    /// Check, then write all rows or none.
    Import,
}

impl ResponseImportAction {
    pub const CHECK: &'static str = "pruefen";
    pub const IMPORT: &'static str = "importieren";

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            Self::CHECK => Some(Self::Check),
            Self::IMPORT => Some(Self::Import),
            _ => None,
        }
    }
}

/// The response import's form (a multipart post: the route collects its text fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseImportForm {
    pub kind_column: String,
    pub place_column: String,
    pub values: String,
    pub action: String,
}

/// The checked form: the columns (if named) and the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseImportCommand {
    pub kind_column: Option<String>,
    pub place_column: Option<String>,
    pub values: String,
    pub action: ResponseImportAction,
}

impl ResponseImportForm {
    /// Reads the text fields of the post (the first value of each name).
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        Self {
            kind_column: get(field::KIND_COLUMN),
            place_column: get(field::PLACE_COLUMN),
            values: get(field::VALUES),
            action: get(field::ACTION),
        }
    }

    pub fn validate(&self) -> Result<ResponseImportCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (id, value) in
            [(field::KIND_COLUMN, &self.kind_column), (field::PLACE_COLUMN, &self.place_column)]
        {
            if value.chars().count() > MAX_COLUMN_CHARS {
                errors.push(FieldError::new(id, format!("Höchstens {MAX_COLUMN_CHARS} Zeichen.")));
            }
        }
        if self.values.chars().count() > MAX_VALUES_CHARS {
            errors.push(FieldError::new(
                field::VALUES,
                format!("Höchstens {MAX_VALUES_CHARS} Zeichen."),
            ));
        }
        let action =
            ResponseImportAction::parse(&self.action).unwrap_or(ResponseImportAction::Check);
        if !errors.is_empty() {
            return Err(errors);
        }
        let named = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        Ok(ResponseImportCommand {
            kind_column: named(&self.kind_column),
            place_column: named(&self.place_column),
            values: self.values.clone(),
            action,
        })
    }

    /// What was typed, for the form when it comes back with problems.
    pub fn values(&self) -> Vec<(String, String)> {
        vec![
            (field::KIND_COLUMN.into(), self.kind_column.clone()),
            (field::PLACE_COLUMN.into(), self.place_column.clone()),
            (field::VALUES.into(), self.values.clone()),
        ]
    }
}

/// One earlier structure import, in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureImportRow {
    pub id: i64,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    pub file_name: String,
    /// German local time.
    pub created: String,
    pub unmapped: usize,
}

/// `/verwaltung/import`: the upload and the earlier imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportsPage {
    pub me: Principal,
    pub imports: Vec<StructureImportRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmappedItem {
    pub code: String,
    pub reason: String,
}

/// `/verwaltung/import/<id>`: what one structure import made and what it could not carry over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReportPage {
    pub me: Principal,
    pub id: i64,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    pub file_name: String,
    pub format_label: String,
    pub note: String,
    pub created: String,
    pub actor: String,
    pub themes: usize,
    pub questions: usize,
    pub unmapped: Vec<UnmappedItem>,
}

/// One earlier response import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseImportRow {
    pub file_name: String,
    pub imported: i64,
    pub skipped: i64,
    pub created: String,
    pub actor: String,
}

/// `/verwaltung/fragebogen/<id>/antworten-import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseImportPage {
    pub me: Principal,
    pub questionnaire_id: i64,
    pub title: String,
    pub status_label: String,
    /// Whether the questionnaire came from a LimeSurvey structure (its codes are mapped);
    /// otherwise the file's headings must be the questionnaire's own codes.
    pub from_limesurvey: bool,
    pub imports: Vec<ResponseImportRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_command() {
        let fields = vec![
            (field::KIND_COLUMN.to_string(), " ART ".to_string()),
            (field::PLACE_COLUMN.to_string(), String::new()),
            (field::ACTION.to_string(), "importieren".to_string()),
        ];
        let command = ResponseImportForm::from_fields(&fields).validate().unwrap();
        assert_eq!(command.kind_column.as_deref(), Some("ART"));
        assert_eq!(command.place_column, None);
        assert_eq!(command.action, ResponseImportAction::Import);
        let long = vec![(field::KIND_COLUMN.to_string(), "x".repeat(201))];
        assert_eq!(
            ResponseImportForm::from_fields(&long).validate().unwrap_err()[0].field_id,
            field::KIND_COLUMN
        );
    }
}

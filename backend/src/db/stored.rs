//! A questionnaire as the database holds it: the domain structure with the ids of its rows.

use domain::Questionnaire;
use std::collections::HashMap;

/// A questionnaire as stored, with the database ids of its questions.
#[derive(Debug, Clone)]
pub struct StoredQuestionnaire {
    pub questionnaire: Questionnaire,
    pub revision: i64,
    pub question_ids: HashMap<String, i64>,
    pub question_codes: HashMap<i64, String>,
}

impl StoredQuestionnaire {
    pub fn question_id(&self, code: &str) -> Option<i64> {
        self.question_ids.get(code).copied()
    }
}

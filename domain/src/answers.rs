//! Answers as the respondent gave them, keyed by question code, and their two encodings:
//! HTML form fields and stored rows `(row_code, value)`.

use crate::questionnaire::{Condition, Question, QuestionKind, Questionnaire};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Row code under which the "other, namely" text of a multiple choice is stored.
pub const OTHER_ROW: &str = "_sonstiges";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Chosen option codes (several for a multiple choice) or the typed text, as typed.
    pub values: Vec<String>,
    /// Matrix answers: row code → column code.
    pub rows: BTreeMap<String, String>,
    /// The "other, namely" text of a multiple choice.
    pub other: Option<String>,
}

impl Answer {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.rows.is_empty() && self.other.is_none()
    }

    pub fn text(&self) -> &str {
        self.values.first().map(String::as_str).unwrap_or("")
    }

    /// The stored representation: one `(row_code, value)` per value.
    pub fn to_rows(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> =
            self.values.iter().map(|v| (String::new(), v.clone())).collect();
        out.extend(self.rows.iter().map(|(r, v)| (r.clone(), v.clone())));
        if let Some(other) = &self.other {
            out.push((OTHER_ROW.to_string(), other.clone()));
        }
        out
    }

    pub fn push_row(&mut self, row_code: &str, value: String) {
        if row_code.is_empty() {
            self.values.push(value);
        } else if row_code == OTHER_ROW {
            self.other = Some(value);
        } else {
            self.rows.insert(row_code.to_string(), value);
        }
    }
}

/// All answers of one response, keyed by question code.
pub type Answers = BTreeMap<String, Answer>;

/// HTML name of the form field of a question (or of one matrix row).
pub fn field_name(question: &str, row: Option<&str>) -> String {
    match row {
        Some(row) => format!("{question}:{row}"),
        None => question.to_string(),
    }
}

/// HTML id of the first input of a question (or matrix row); error summaries link to it.
pub fn field_id(question: &str, row: Option<&str>) -> String {
    match row {
        Some(row) => format!("f-{question}-{row}"),
        None => format!("f-{question}"),
    }
}

/// Reads the answer to `question` from posted form fields. Only known codes are kept, so a
/// forged post cannot store options that do not exist; free text is kept as typed (trimmed),
/// even when invalid, so that nothing the respondent typed is lost.
pub fn answer_from_form(question: &Question, form: &[(String, String)]) -> Answer {
    let code = question.code.as_str();
    let values_of = |name: &str| -> Vec<&str> {
        form.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    };
    let mut answer = Answer::default();
    match &question.kind {
        QuestionKind::Matrix { rows, columns } => {
            for row in rows {
                let name = field_name(code, Some(&row.code));
                if let Some(v) =
                    values_of(&name).into_iter().find(|v| columns.iter().any(|c| c.code == *v))
                {
                    answer.rows.insert(row.code.clone(), v.to_string());
                }
            }
        }
        QuestionKind::MultipleChoice { options, other } => {
            // Keep the options' order, not the post's, and each option once.
            for option in options {
                if values_of(code).contains(&option.code.as_str()) {
                    answer.values.push(option.code.clone());
                }
            }
            if other.is_some() {
                let text = values_of(&field_name(code, Some(OTHER_ROW)))
                    .first()
                    .copied()
                    .map(str::trim)
                    .unwrap_or("");
                if !text.is_empty() {
                    answer.other = Some(text.to_string());
                }
            }
        }
        QuestionKind::SingleChoice { .. } | QuestionKind::Rating { .. } | QuestionKind::YesNo => {
            let choices = question.kind.choices();
            if let Some(v) =
                values_of(code).into_iter().find(|v| choices.iter().any(|c| c.code == *v))
            {
                answer.values.push(v.to_string());
            }
        }
        QuestionKind::Number { integer, .. } => {
            let raw = values_of(code).first().copied().unwrap_or("").trim();
            // One stored notation, whatever was typed; what is no number stays as typed.
            let text = crate::number::normalise(raw, *integer).unwrap_or_else(|| raw.to_string());
            if !text.is_empty() {
                answer.values.push(text);
            }
        }
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
            let raw = values_of(code).first().copied().unwrap_or("");
            // Normalise line breaks so that a round trip through a textarea changes nothing.
            let text = raw.trim().replace("\r\n", "\n");
            if !text.is_empty() {
                answer.values.push(text);
            }
        }
    }
    answer
}

/// The form fields that post `answer` to `question`: the inverse of [`answer_from_form`].
pub fn answer_to_form(question: &Question, answer: &Answer) -> Vec<(String, String)> {
    let code = question.code.as_str();
    let mut out: Vec<(String, String)> =
        answer.values.iter().map(|v| (code.to_string(), v.clone())).collect();
    out.extend(answer.rows.iter().map(|(row, v)| (field_name(code, Some(row)), v.clone())));
    if let Some(other) = &answer.other {
        out.push((field_name(code, Some(OTHER_ROW)), other.clone()));
    }
    out
}

/// Conditions are read against answers here, so that the questionnaire model knows nothing of
/// answers.
impl Questionnaire {
    /// Whether a question is shown, given all answers so far. A question whose condition refers
    /// to a hidden question is hidden too, so conditions chain.
    pub fn is_visible(&self, question: &Question, answers: &Answers) -> bool {
        let mut current = question;
        // Conditions point backwards only (see `check`), so this terminates.
        for _ in 0..=self.questions().count() {
            let Some(condition) = &current.condition else { return true };
            if !condition.holds(answers) {
                return false;
            }
            match self.question(&condition.question) {
                Some(parent) => current = parent,
                None => return false,
            }
        }
        false
    }
}

impl Condition {
    pub fn holds(&self, answers: &Answers) -> bool {
        let Some(answer) = answers.get(&self.question) else { return false };
        match &self.row {
            Some(row) => answer.rows.get(row).is_some_and(|v| self.any_of.contains(v)),
            None => answer.values.iter().any(|v| self.any_of.contains(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Choice;

    fn q(kind: QuestionKind) -> Question {
        Question {
            code: "q1".into(),
            text: "Frage".into(),
            help: None,
            required: false,
            kind,
            condition: None,
            reference: None,
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn multiple_choice_keeps_known_options_in_order_and_other_text() {
        let question = q(QuestionKind::MultipleChoice {
            options: vec![Choice::new("a", "A"), Choice::new("b", "B")],
            other: Some("Sonstiges, nämlich".into()),
        });
        let a = answer_from_form(
            &question,
            &form(&[
                ("q1", "b"),
                ("q1", "x"),
                ("q1", "a"),
                ("q1", "b"),
                ("q1:_sonstiges", "  Theater "),
            ]),
        );
        assert_eq!(a.values, vec!["a", "b"]);
        assert_eq!(a.other.as_deref(), Some("Theater"));
        let rows = a.to_rows();
        assert_eq!(rows.len(), 3);
        assert_eq!(answer_from_form(&question, &answer_to_form(&question, &a)), a);
        let mut back = Answer::default();
        for (r, v) in rows {
            back.push_row(&r, v);
        }
        assert_eq!(back, a);
    }

    #[test]
    fn matrix_ignores_unknown_columns() {
        let question = q(QuestionKind::Matrix {
            rows: vec![Choice::new("r1", "R1"), Choice::new("r2", "R2")],
            columns: vec![Choice::new("ja", "Ja"), Choice::new("nein", "Nein")],
        });
        let a = answer_from_form(&question, &form(&[("q1:r1", "ja"), ("q1:r2", "vielleicht")]));
        assert_eq!(a.rows.len(), 1);
        assert_eq!(a.rows["r1"], "ja");
    }

    #[test]
    fn text_is_kept_as_typed_even_when_not_a_number() {
        let question = q(QuestionKind::Number { min: None, max: None, unit: None, integer: true });
        let a = answer_from_form(&question, &form(&[("q1", " zwölf\r\n")]));
        assert_eq!(a.values, vec!["zwölf"]);
    }
}

//! What the respondent's pages show: plain data prepared on the server and sent to the
//! browser for hydration.

use crate::answers::{field_id, Answer, Answers};
use crate::questionnaire::{Question, QuestionKind, Theme};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartView {
    pub title: String,
    pub intro: String,
    pub duration_minutes: u32,
    pub deadline: Option<String>,
    pub steps: usize,
    /// 1-based step to continue with; `None` before the first save.
    pub resume_step: Option<usize>,
    pub submitted: bool,
    /// The personal link, to bookmark.
    pub link: String,
}

/// The open link's first page: start information and the organisation's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenStartView {
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub duration_minutes: u32,
    pub deadline: Option<String>,
    pub steps: usize,
    pub profile: Theme,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageView {
    pub title: String,
    /// 1-based.
    pub step: usize,
    pub steps: usize,
    /// The theme with the questions that may be shown: questions hidden by answers on other
    /// pages are left out; those depending on this page carry their condition.
    pub theme: Theme,
    pub answers: Answers,
    pub errors: Vec<FieldError>,
    pub submitted: bool,
    pub deadline: Option<String>,
    /// The personal link, shown prominently right after an open-link start.
    pub link: String,
    /// The response's version the page shows; background saves send it back (`stand`).
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub title: String,
    pub steps: usize,
    pub pages: Vec<ReviewPage>,
    pub submitted: bool,
    /// Submission time, formatted for display.
    pub submitted_at: Option<String>,
    pub complete: bool,
    pub link: String,
    /// Started through the open link and not yet accepted by the KI: it counts once it is.
    pub awaiting_review: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub step: usize,
    pub title: String,
    pub items: Vec<ReviewItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub text: String,
    /// The answer in words, one line per value; empty when unanswered.
    pub lines: Vec<String>,
    pub field_id: String,
    pub error: Option<String>,
}

/// The answer in words: option labels instead of codes, one line per matrix row.
pub fn describe_answer(question: &Question, answer: &Answer) -> Vec<String> {
    let label = |code: &str| {
        question
            .kind
            .choices()
            .into_iter()
            .find(|c| c.code == code)
            .map(|c| c.label)
            .unwrap_or_else(|| code.to_string())
    };
    let mut lines: Vec<String> = match &question.kind {
        QuestionKind::Matrix { rows, .. } => rows
            .iter()
            .filter_map(|r| answer.rows.get(&r.code).map(|v| format!("{}: {}", r.label, label(v))))
            .collect(),
        QuestionKind::Number { unit, .. } => answer
            .values
            .iter()
            .map(|v| {
                let shown = crate::number::stored_to_input(v);
                match unit {
                    Some(unit) => format!("{shown} {unit}"),
                    None => shown,
                }
            })
            .collect(),
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => answer.values.clone(),
        _ => answer.values.iter().map(|v| label(v)).collect(),
    };
    if let (Some(other), QuestionKind::MultipleChoice { other: Some(other_label), .. }) =
        (&answer.other, &question.kind)
    {
        lines.push(format!("{other_label}: {other}"));
    }
    lines
}

/// Builds the review of every page's shown questions.
pub fn review_pages(
    questionnaire: &crate::Questionnaire,
    answers: &Answers,
    errors: &[(usize, Vec<FieldError>)],
) -> Vec<ReviewPage> {
    let empty = Answer::default();
    questionnaire
        .themes
        .iter()
        .enumerate()
        .map(|(i, theme)| ReviewPage {
            step: i + 1,
            title: theme.title.clone(),
            items: theme
                .questions
                .iter()
                .filter(|q| questionnaire.is_visible(q, answers))
                .map(|q| {
                    let error = errors
                        .iter()
                        .find(|(page, _)| *page == i)
                        .and_then(|(_, es)| es.iter().find(|e| e.question == q.code));
                    ReviewItem {
                        text: q.text.clone(),
                        lines: describe_answer(q, answers.get(&q.code).unwrap_or(&empty)),
                        field_id: error
                            .map(|e| e.field_id.clone())
                            .unwrap_or_else(|| field_id(&q.code, None)),
                        error: error.map(|e| e.message.clone()),
                    }
                })
                .collect(),
        })
        .collect()
}

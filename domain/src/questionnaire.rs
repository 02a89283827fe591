//! The questionnaire model: a questionnaire has themes (Handlungsfelder, one page each) in
//! order, a theme has questions in order.

use crate::reference::{MUNICIPALITIES, ORG_KINDS, WHOLE_COUNTY};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionnaireStatus {
    /// Being built; not reachable by respondents.
    Draft,
    /// Accepting answers.
    Open,
    /// No longer accepting answers; links answer 410.
    Closed,
}

impl QuestionnaireStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// The German wording on the staff's pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Entwurf",
            Self::Open => "geöffnet",
            Self::Closed => "geschlossen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub id: i64,
    /// Used in the open link `/o/<slug>`.
    pub slug: String,
    pub title: String,
    /// Shown on the start page: purpose of the survey.
    pub intro: String,
    /// Expected time to complete, in minutes.
    pub duration_minutes: u32,
    pub status: QuestionnaireStatus,
    /// Shown to respondents as the deadline, e.g. "31.07.2026".
    pub deadline: Option<String>,
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub code: String,
    pub title: String,
    pub intro: Option<String>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable code: the key of answers, export columns and conditions.
    pub code: String,
    pub text: String,
    pub help: Option<String>,
    pub required: bool,
    pub kind: QuestionKind,
    /// Shown (and required) only when this holds.
    pub condition: Option<Condition>,
    /// Marks the profile questions whose answers describe the responding organisation.
    #[serde(default)]
    pub reference: Option<Reference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// A single choice over the kinds of organisation.
    OrgKind,
    /// A multiple choice over the municipalities served.
    Municipalities,
    /// Personal data such as a contact person's name and address: for the KI's own use only,
    /// never in a dashboard, report or aggregated export.
    Personal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

impl Choice {
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Self {
        Self { code: code.into(), label: label.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<Choice>,
    },
    MultipleChoice {
        options: Vec<Choice>,
        /// Label of the "other, namely" option with its text field, if offered.
        other: Option<String>,
    },
    Rating {
        min: u8,
        max: u8,
        min_label: String,
        max_label: String,
        /// Label of the "cannot judge" option, if offered.
        cannot_judge: Option<String>,
    },
    Matrix {
        rows: Vec<Choice>,
        columns: Vec<Choice>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        unit: Option<String>,
        integer: bool,
    },
    ShortText {
        max_len: u32,
    },
    LongText {
        max_len: u32,
    },
    YesNo,
}

/// Answer code of the "cannot judge" option of a rating.
pub const CANNOT_JUDGE: &str = "ka";
pub const YES: &str = "ja";
pub const NO: &str = "nein";

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            Self::SingleChoice { .. } => "single_choice",
            Self::MultipleChoice { .. } => "multiple_choice",
            Self::Rating { .. } => "rating",
            Self::Matrix { .. } => "matrix",
            Self::Number { .. } => "number",
            Self::ShortText { .. } => "short_text",
            Self::LongText { .. } => "long_text",
            Self::YesNo => "yes_no",
        }
    }

    /// The codes and labels a respondent chooses from (for rating and yes/no too), in order.
    pub fn choices(&self) -> Vec<Choice> {
        match self {
            Self::SingleChoice { options } | Self::MultipleChoice { options, .. } => {
                options.clone()
            }
            Self::Rating { min, max, min_label, max_label, cannot_judge } => {
                let mut out: Vec<Choice> = (*min..=*max)
                    .map(|v| {
                        let label = if v == *min {
                            format!("{v} – {min_label}")
                        } else if v == *max {
                            format!("{v} – {max_label}")
                        } else {
                            v.to_string()
                        };
                        Choice::new(v.to_string(), label)
                    })
                    .collect();
                if let Some(label) = cannot_judge {
                    out.push(Choice::new(CANNOT_JUDGE, label.clone()));
                }
                out
            }
            Self::YesNo => vec![Choice::new(YES, "Ja"), Choice::new(NO, "Nein")],
            Self::Matrix { columns, .. } => columns.clone(),
            Self::Number { .. } | Self::ShortText { .. } | Self::LongText { .. } => vec![],
        }
    }

    /// The options of reference-data questions, built from the county's reference data.
    pub fn org_kind_choice() -> Self {
        Self::SingleChoice {
            options: ORG_KINDS.iter().map(|k| Choice::new(k.code, k.label)).collect(),
        }
    }

    pub fn municipalities_choice() -> Self {
        let mut options: Vec<Choice> =
            MUNICIPALITIES.iter().map(|m| Choice::new(m.ags, m.name)).collect();
        options.push(Choice::new(WHOLE_COUNTY, "Kreisweit (alle Kommunen)"));
        Self::MultipleChoice { options, other: None }
    }
}

/// "Show this question only if the answer to `question` (or its matrix row `row`) is one of
/// `any_of`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub question: String,
    #[serde(default)]
    pub row: Option<String>,
    pub any_of: Vec<String>,
}

impl Questionnaire {
    pub fn page_count(&self) -> usize {
        self.themes.len()
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.themes.iter().flat_map(|t| t.questions.iter())
    }

    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions().find(|q| q.code == code)
    }

    /// Index of the theme that holds the question.
    pub fn page_of(&self, code: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.questions.iter().any(|q| q.code == code))
    }

    pub fn question_with_reference(&self, reference: Reference) -> Option<&Question> {
        self.questions().find(|q| q.reference == Some(reference))
    }

    /// Checks the structure: unique codes, well-formed options, conditions that point to an
    /// earlier question and to options it has. Returns German messages, one per problem.
    pub fn check(&self) -> Vec<String> {
        self.problems(true)
    }

    /// Like [`Questionnaire::check`], for a draft being built: themes (and the questionnaire)
    /// may still be empty.
    pub fn check_draft(&self) -> Vec<String> {
        self.problems(false)
    }

    fn problems(&self, complete: bool) -> Vec<String> {
        let mut problems = Vec::new();
        if complete && self.themes.is_empty() {
            problems.push("Der Fragebogen hat keine Themen.".to_string());
        }
        let mut seen_questions = HashSet::new();
        let mut seen_themes = HashSet::new();
        for theme in &self.themes {
            if !is_code(&theme.code) {
                problems.push(format!("Themencode „{}“ ist ungültig.", theme.code));
            }
            if !seen_themes.insert(theme.code.as_str()) {
                problems.push(format!("Themencode „{}“ ist doppelt vergeben.", theme.code));
            }
            if complete && theme.questions.is_empty() {
                problems.push(format!("Das Thema „{}“ hat keine Fragen.", theme.title));
            }
            for q in &theme.questions {
                if !is_code(&q.code) {
                    problems.push(format!("Fragecode „{}“ ist ungültig.", q.code));
                }
                if q.text.trim().is_empty() {
                    problems.push(format!("Frage „{}“ hat keinen Text.", q.code));
                }
                check_kind(q, &mut problems);
                if let Some(c) = &q.condition {
                    match self.question(&c.question) {
                        Some(parent) if seen_questions.contains(parent.code.as_str()) => {
                            check_condition(q, c, parent, &mut problems)
                        }
                        _ => problems.push(format!(
                            "Die Bedingung von „{}“ verweist auf „{}“, das keine frühere Frage ist.",
                            q.code, c.question
                        )),
                    }
                }
                if !seen_questions.insert(q.code.as_str()) {
                    problems.push(format!("Fragecode „{}“ ist doppelt vergeben.", q.code));
                }
            }
        }
        problems
    }
}

/// Codes are short identifiers: lowercase ASCII letters, digits and underscores.
pub fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Option codes may also be AGS numbers; the same alphabet.
fn check_choices(q: &Question, what: &str, choices: &[Choice], problems: &mut Vec<String>) {
    if choices.is_empty() {
        problems.push(format!("Frage „{}“ hat keine {what}.", q.code));
    }
    let mut seen = HashSet::new();
    for c in choices {
        if !is_code(&c.code) {
            problems.push(format!("Frage „{}“: Code „{}“ ist ungültig.", q.code, c.code));
        }
        if !seen.insert(c.code.as_str()) {
            problems.push(format!("Frage „{}“: Code „{}“ ist doppelt vergeben.", q.code, c.code));
        }
        if c.label.trim().is_empty() {
            problems.push(format!("Frage „{}“: Code „{}“ hat keine Beschriftung.", q.code, c.code));
        }
    }
}

fn check_kind(q: &Question, problems: &mut Vec<String>) {
    match &q.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            check_choices(q, "Antwortoptionen", options, problems)
        }
        QuestionKind::Matrix { rows, columns } => {
            check_choices(q, "Zeilen", rows, problems);
            check_choices(q, "Spalten", columns, problems);
        }
        QuestionKind::Rating { min, max, .. } if min >= max || *max > 10 => {
            problems.push(format!(
                "Frage „{}“: Die Skala muss von klein nach groß gehen (höchstens 10).",
                q.code
            ));
        }
        QuestionKind::Number { min: Some(min), max: Some(max), .. } if min > max => {
            problems.push(format!("Frage „{}“: Das Minimum ist größer als das Maximum.", q.code));
        }
        QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len }
            if *max_len == 0 =>
        {
            problems.push(format!("Frage „{}“: Die Höchstlänge muss größer als 0 sein.", q.code));
        }
        _ => {}
    }
}

fn check_condition(q: &Question, c: &Condition, parent: &Question, problems: &mut Vec<String>) {
    let choices = parent.kind.choices();
    if choices.is_empty() {
        problems.push(format!(
            "Die Bedingung von „{}“ braucht eine Auswahlfrage, „{}“ ist keine.",
            q.code, parent.code
        ));
        return;
    }
    if let (QuestionKind::Matrix { rows, .. }, Some(row)) = (&parent.kind, &c.row) {
        if !rows.iter().any(|r| &r.code == row) {
            problems.push(format!(
                "Die Bedingung von „{}“ nennt eine unbekannte Zeile „{row}“.",
                q.code
            ));
        }
    } else if matches!(parent.kind, QuestionKind::Matrix { .. }) != c.row.is_some() {
        problems.push(format!(
            "Die Bedingung von „{}“ muss bei Matrixfragen eine Zeile nennen (und sonst keine).",
            q.code
        ));
    }
    if c.any_of.is_empty() {
        problems.push(format!("Die Bedingung von „{}“ nennt keine Antwort.", q.code));
    }
    for v in &c.any_of {
        if !choices.iter().any(|ch| &ch.code == v) {
            problems.push(format!(
                "Die Bedingung von „{}“ nennt die unbekannte Antwort „{v}“.",
                q.code
            ));
        }
    }
}

//! The questionnaire builder without I/O: reading the builder's forms into themes and
//! questions (with German messages per field), the editing steps on a questionnaire, and the
//! rule that keeps a published questionnaire compatible with the answers it has collected.

use crate::error::AppError;
use crate::form::{self, FormValues, Keyword};
use crate::locale::{code_from_label, format_german, german_date};
use crate::number::parse_number;
use crate::questionnaire::{
    is_code, Choice, Condition, Question, QuestionKind, Questionnaire, QuestionnaireStatus,
    Reference, Theme,
};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Said whenever a change is refused because it would invalidate collected answers.
pub const NEW_VERSION_HINT: &str = "Solche Änderungen würden bereits gesammelte Antworten ungültig machen. Legen Sie stattdessen mit „Als neue Version kopieren“ eine neue Version des Fragebogens an und ändern Sie diese.";

/// Said when the form was rendered from an older state than the stored one.
pub const STALE_MESSAGE: &str = "Der Fragebogen wurde inzwischen (vermutlich von einer anderen Person) geändert. Ihre Änderung wurde nicht gespeichert, damit sie die andere nicht überschreibt. Bitte prüfen Sie den aktuellen Stand unten und wiederholen Sie Ihre Änderung.";

/// Longest text answers a question may allow.
pub const MAX_TEXT_LEN: u32 = 20_000;

/// Kinds of question as the builder offers them: `(name, label)`.
pub const KINDS: &[(&str, &str)] = &[
    ("single_choice", "Einfachauswahl (eine Antwort)"),
    ("multiple_choice", "Mehrfachauswahl (mehrere Antworten)"),
    ("yes_no", "Ja/Nein"),
    ("rating", "Bewertungsskala"),
    ("matrix", "Matrix (Zeilen mit je einer Spaltenauswahl)"),
    ("number", "Zahl"),
    ("short_text", "Kurzer Text"),
    ("long_text", "Langer Text"),
];

pub fn kind_label(name: &str) -> &'static str {
    KINDS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l).unwrap_or("unbekannt")
}

/// Codes and labels that renamed rows keep: the store updates them in place, so that answers
/// stay attached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renames {
    pub themes: Vec<(String, String)>,
    pub questions: Vec<(String, String)>,
}

/// The fields' names of the builder's forms and of the questionnaire list's forms, as the
/// pages send them.
pub mod field {
    /// The revision a form was rendered from.
    pub const REVISION: &str = "revision";
    pub const ACTION: &str = "aktion";
    // The head (and a new questionnaire) and a theme.
    pub const TITLE: &str = "titel";
    pub const SLUG: &str = "slug";
    pub const INTRO: &str = "einleitung";
    pub const DURATION: &str = "dauer";
    pub const CODE: &str = "code";
    // A question.
    /// The theme a new question is added to.
    pub const THEME: &str = "thema";
    pub const TEXT: &str = "text";
    pub const HELP: &str = "hilfe";
    pub const REQUIRED: &str = "pflicht";
    pub const PERSONAL: &str = "personenbezogen";
    pub const KIND: &str = "art";
    pub const OPTIONS: &str = "optionen";
    pub const OTHER: &str = "sonstiges";
    pub const ROWS: &str = "zeilen";
    pub const COLUMNS: &str = "spalten";
    pub const SCALE_FROM: &str = "skala_von";
    pub const SCALE_TO: &str = "skala_bis";
    pub const SCALE_FROM_LABEL: &str = "skala_von_text";
    pub const SCALE_TO_LABEL: &str = "skala_bis_text";
    pub const CANNOT_JUDGE: &str = "weiss_nicht";
    pub const NUMBER_MIN: &str = "zahl_min";
    pub const NUMBER_MAX: &str = "zahl_max";
    pub const UNIT: &str = "einheit";
    pub const INTEGER: &str = "ganzzahl";
    pub const MAX_LEN: &str = "hoechstlaenge";
    pub const CONDITION_QUESTION: &str = "bedingung_frage";
    pub const CONDITION_ROW: &str = "bedingung_zeile";
    pub const CONDITION_VALUES: &str = "bedingung_werte";
    // The status form of the list.
    pub const STATUS: &str = "status";
    pub const DEADLINE: &str = "frist";
}

/// What the editor's buttons do with a theme or a question (the forms' `aktion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartAction {
    /// The part's own form.
    Save,
    Up,
    Down,
    Delete,
}

impl PartAction {
    pub const ALL: [Self; 4] = [Self::Save, Self::Up, Self::Down, Self::Delete];

    /// The value of the form's `aktion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Save => "speichern",
            Self::Up => "hoch",
            Self::Down => "runter",
            Self::Delete => "loeschen",
        }
    }
}

impl Keyword for PartAction {
    fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == word)
    }
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// The pair of a text field, for a form that comes back.
fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

/// One choice per line: `code = Beschriftung`, or only the label (the code is made from it).
pub fn parse_choices(text: &str, field_id: &str, what: &str) -> Result<Vec<Choice>, FieldError> {
    let mut choices = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (code, label) = match line.split_once('=') {
            Some((c, l)) if is_code(c.trim()) => (c.trim().to_string(), l.trim().to_string()),
            Some((c, _)) if !c.trim().contains(' ') && !c.trim().is_empty() => {
                return Err(FieldError::new(
                    field_id,
                    format!("{what}, Zeile {}: Der Code „{}“ ist ungültig. Codes bestehen aus Kleinbuchstaben (a–z), Ziffern und _ (höchstens 40 Zeichen).", i + 1, c.trim()),
                ))
            }
            _ => (code_from_label(line), line.to_string()),
        };
        if label.is_empty() {
            return Err(FieldError::new(
                field_id,
                format!("{what}, Zeile {}: Bitte geben Sie eine Beschriftung an.", i + 1),
            ));
        }
        if !is_code(&code) {
            return Err(FieldError::new(field_id, format!("{what}, Zeile {}: Aus „{label}“ lässt sich kein Code bilden; bitte schreiben Sie „code = {label}“.", i + 1)));
        }
        if !seen.insert(code.clone()) {
            return Err(FieldError::new(
                field_id,
                format!("{what}, Zeile {}: Der Code „{code}“ kommt doppelt vor.", i + 1),
            ));
        }
        choices.push(Choice::new(code, label));
    }
    if choices.is_empty() {
        return Err(FieldError::new(
            field_id,
            format!("Bitte geben Sie mindestens eine Zeile bei „{what}“ an."),
        ));
    }
    Ok(choices)
}

/// Choices as the builder's text area shows them.
pub fn choices_text(choices: &[Choice]) -> String {
    choices.iter().map(|c| format!("{} = {}", c.code, c.label)).collect::<Vec<_>>().join("\n")
}

/// A number of the question form, if one is typed.
fn number_field(
    typed: &str,
    name: &str,
    integer: bool,
    errors: &mut Vec<FieldError>,
    what: &str,
) -> Option<f64> {
    if typed.is_empty() {
        return None;
    }
    // "1.250" is a thousand and a quarter thousand only where whole numbers are asked for.
    let parsed = parse_number(typed, integer);
    if parsed.is_none() {
        errors.push(FieldError::new(
            name,
            format!("Bitte geben Sie bei „{what}“ eine Zahl an, z. B. 0 oder 12,5."),
        ));
    }
    parsed
}

fn whole_number(
    typed: &str,
    name: &str,
    errors: &mut Vec<FieldError>,
    what: &str,
    default: u32,
    range: (u32, u32),
) -> u32 {
    if typed.is_empty() {
        return default;
    }
    match typed.parse::<u32>() {
        Ok(v) if (range.0..=range.1).contains(&v) => v,
        _ => {
            errors.push(FieldError::new(
                name,
                format!(
                    "Bitte geben Sie bei „{what}“ eine ganze Zahl von {} bis {} an.",
                    range.0, range.1
                ),
            ));
            default
        }
    }
}

/// The question form, new or existing: its fields and the kind's, of which only the chosen
/// kind's count.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct QuestionForm {
    #[serde(rename = "revision", default, deserialize_with = "form::number")]
    pub revision: Option<i64>,
    /// `speichern` on an existing question's form.
    #[serde(rename = "aktion", default, deserialize_with = "form::keyword")]
    pub action: Option<PartAction>,
    /// The theme a new question goes to.
    #[serde(rename = "thema", default, deserialize_with = "form::text")]
    pub theme: String,
    #[serde(rename = "code", default, deserialize_with = "form::text")]
    pub code: String,
    #[serde(rename = "text", default, deserialize_with = "form::text")]
    pub text: String,
    #[serde(rename = "hilfe", default, deserialize_with = "form::text")]
    pub help: String,
    #[serde(rename = "pflicht", default, deserialize_with = "form::checked")]
    pub required: bool,
    #[serde(rename = "personenbezogen", default, deserialize_with = "form::checked")]
    pub personal: bool,
    /// The kind's name (`KINDS`).
    #[serde(rename = "art", default, deserialize_with = "form::text")]
    pub kind: String,
    #[serde(rename = "optionen", default, deserialize_with = "form::text")]
    pub options: String,
    #[serde(rename = "sonstiges", default, deserialize_with = "form::text")]
    pub other: String,
    #[serde(rename = "zeilen", default, deserialize_with = "form::text")]
    pub rows: String,
    #[serde(rename = "spalten", default, deserialize_with = "form::text")]
    pub columns: String,
    #[serde(rename = "skala_von", default, deserialize_with = "form::text")]
    pub scale_from: String,
    #[serde(rename = "skala_bis", default, deserialize_with = "form::text")]
    pub scale_to: String,
    #[serde(rename = "skala_von_text", default, deserialize_with = "form::text")]
    pub scale_from_label: String,
    #[serde(rename = "skala_bis_text", default, deserialize_with = "form::text")]
    pub scale_to_label: String,
    #[serde(rename = "weiss_nicht", default, deserialize_with = "form::text")]
    pub cannot_judge: String,
    #[serde(rename = "zahl_min", default, deserialize_with = "form::text")]
    pub number_min: String,
    #[serde(rename = "zahl_max", default, deserialize_with = "form::text")]
    pub number_max: String,
    #[serde(rename = "einheit", default, deserialize_with = "form::text")]
    pub unit: String,
    #[serde(rename = "ganzzahl", default, deserialize_with = "form::checked")]
    pub integer: bool,
    #[serde(rename = "hoechstlaenge", default, deserialize_with = "form::text")]
    pub max_len: String,
    #[serde(rename = "bedingung_frage", default, deserialize_with = "form::text")]
    pub condition_question: String,
    #[serde(rename = "bedingung_zeile", default, deserialize_with = "form::text")]
    pub condition_row: String,
    #[serde(rename = "bedingung_werte", default, deserialize_with = "form::text")]
    pub condition_values: String,
}

/// Reads the question form. `others` are the questionnaire's other questions (for a unique
/// code); the condition's reference to an earlier question is checked with the whole
/// questionnaire afterwards.
pub fn question_from_form(
    form: &QuestionForm,
    taken_codes: &[&str],
) -> Result<Question, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = form.text.clone();
    if text.is_empty() {
        errors.push(FieldError::new(field::TEXT, "Bitte geben Sie den Fragetext an."));
    } else if text.chars().count() > 1000 {
        errors.push(FieldError::new(
            field::TEXT,
            "Der Fragetext darf höchstens 1000 Zeichen lang sein.",
        ));
    }
    let mut code = form.code.clone();
    if code.is_empty() && !text.is_empty() {
        code = code_from_label(&text);
    }
    if !is_code(&code) {
        errors.push(FieldError::new(field::CODE, "Bitte geben Sie einen Code aus Kleinbuchstaben (a–z), Ziffern und _ an (höchstens 40 Zeichen), z. B. „angebote_sprache“."));
    } else if taken_codes.contains(&code.as_str()) {
        errors.push(FieldError::new(
            field::CODE,
            format!("Den Code „{code}“ hat schon eine andere Frage dieses Fragebogens."),
        ));
    }
    let kind = match form.kind.as_str() {
        "single_choice" => parse_choices(&form.options, field::OPTIONS, "Antwortoptionen")
            .map(|options| QuestionKind::SingleChoice { options }),
        "multiple_choice" => parse_choices(&form.options, field::OPTIONS, "Antwortoptionen")
            .map(|options| QuestionKind::MultipleChoice { options, other: optional(&form.other) }),
        "yes_no" => Ok(QuestionKind::YesNo),
        "matrix" => {
            let rows = parse_choices(&form.rows, field::ROWS, "Zeilen");
            let columns = parse_choices(&form.columns, field::COLUMNS, "Spalten");
            match (rows, columns) {
                (Ok(rows), Ok(columns)) => Ok(QuestionKind::Matrix { rows, columns }),
                (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
                (Err(a), Err(b)) => {
                    errors.push(a);
                    Err(b)
                }
            }
        }
        "rating" => {
            let min = whole_number(
                &form.scale_from,
                field::SCALE_FROM,
                &mut errors,
                "Skala von",
                1,
                (0, 10),
            );
            let max =
                whole_number(&form.scale_to, field::SCALE_TO, &mut errors, "Skala bis", 5, (1, 10));
            if min >= max {
                errors.push(FieldError::new(
                    field::SCALE_TO,
                    "Das Ende der Skala muss größer sein als ihr Anfang.",
                ));
            }
            let min_label = form.scale_from_label.clone();
            let max_label = form.scale_to_label.clone();
            if min_label.is_empty() {
                errors.push(FieldError::new(
                    field::SCALE_FROM_LABEL,
                    "Bitte beschriften Sie den Anfang der Skala, z. B. „sehr gering“.",
                ));
            }
            if max_label.is_empty() {
                errors.push(FieldError::new(
                    field::SCALE_TO_LABEL,
                    "Bitte beschriften Sie das Ende der Skala, z. B. „sehr hoch“.",
                ));
            }
            Ok(QuestionKind::Rating {
                min: min as u8,
                max: max as u8,
                min_label,
                max_label,
                cannot_judge: optional(&form.cannot_judge),
            })
        }
        "number" => {
            let min = number_field(
                &form.number_min,
                field::NUMBER_MIN,
                form.integer,
                &mut errors,
                "Kleinster Wert",
            );
            let max = number_field(
                &form.number_max,
                field::NUMBER_MAX,
                form.integer,
                &mut errors,
                "Größter Wert",
            );
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    errors.push(FieldError::new(
                        field::NUMBER_MAX,
                        "Der größte Wert muss mindestens so groß sein wie der kleinste.",
                    ));
                }
            }
            Ok(QuestionKind::Number { min, max, unit: optional(&form.unit), integer: form.integer })
        }
        "short_text" => Ok(QuestionKind::ShortText {
            max_len: whole_number(
                &form.max_len,
                field::MAX_LEN,
                &mut errors,
                "Höchstlänge",
                200,
                (1, MAX_TEXT_LEN),
            ),
        }),
        "long_text" => Ok(QuestionKind::LongText {
            max_len: whole_number(
                &form.max_len,
                field::MAX_LEN,
                &mut errors,
                "Höchstlänge",
                4000,
                (1, MAX_TEXT_LEN),
            ),
        }),
        _ => Err(FieldError::new(field::KIND, "Bitte wählen Sie die Art der Frage.")),
    };
    let kind = match kind {
        Ok(k) => Some(k),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let condition = match form.condition_question.as_str() {
        "" => None,
        parent => {
            let any_of: Vec<String> = form
                .condition_values
                .split([',', ';', ' ', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if any_of.is_empty() {
                errors.push(FieldError::new(field::CONDITION_VALUES, "Bitte nennen Sie die Antwortcodes, bei denen die Frage gezeigt wird, z. B. „ja“."));
            }
            Some(Condition {
                question: parent.to_string(),
                row: optional(&form.condition_row),
                any_of,
            })
        }
    };
    match (kind, errors.is_empty()) {
        (Some(kind), true) => Ok(Question {
            code,
            text,
            help: optional(&form.help),
            required: form.required,
            kind,
            condition,
            // Personal data (names, contacts) never appears in an aggregated output.
            reference: form.personal.then_some(Reference::Personal),
        }),
        _ => Err(errors),
    }
}

impl QuestionForm {
    /// The form of an existing question (the inverse of [`question_from_form`]).
    pub fn of(q: &Question) -> Self {
        let mut form = QuestionForm {
            code: q.code.clone(),
            text: q.text.clone(),
            help: q.help.clone().unwrap_or_default(),
            kind: q.kind.name().into(),
            required: q.required,
            personal: q.reference == Some(Reference::Personal),
            ..Default::default()
        };
        match &q.kind {
            QuestionKind::SingleChoice { options } => form.options = choices_text(options),
            QuestionKind::MultipleChoice { options, other } => {
                form.options = choices_text(options);
                form.other = other.clone().unwrap_or_default();
            }
            QuestionKind::Matrix { rows, columns } => {
                form.rows = choices_text(rows);
                form.columns = choices_text(columns);
            }
            QuestionKind::Rating { min, max, min_label, max_label, cannot_judge } => {
                form.scale_from = min.to_string();
                form.scale_to = max.to_string();
                form.scale_from_label = min_label.clone();
                form.scale_to_label = max_label.clone();
                form.cannot_judge = cannot_judge.clone().unwrap_or_default();
            }
            QuestionKind::Number { min, max, unit, integer } => {
                form.number_min = min.map(format_german).unwrap_or_default();
                form.number_max = max.map(format_german).unwrap_or_default();
                form.unit = unit.clone().unwrap_or_default();
                form.integer = *integer;
            }
            QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len } => {
                form.max_len = max_len.to_string()
            }
            QuestionKind::YesNo => {}
        }
        if let Some(c) = &q.condition {
            form.condition_question = c.question.clone();
            form.condition_row = c.row.clone().unwrap_or_default();
            form.condition_values = c.any_of.join(", ");
        }
        form
    }
}

impl FormValues for QuestionForm {
    /// The question's fields (not the revision, action and theme the form is sent with);
    /// check boxes only when ticked, as a browser sends them.
    fn values(&self) -> Vec<(String, String)> {
        let mut v = vec![
            pair(field::CODE, &self.code),
            pair(field::TEXT, &self.text),
            pair(field::HELP, &self.help),
            pair(field::KIND, &self.kind),
        ];
        for (name, checked) in [
            (field::REQUIRED, self.required),
            (field::PERSONAL, self.personal),
            (field::INTEGER, self.integer),
        ] {
            if checked {
                v.push(pair(name, "1"));
            }
        }
        for (name, value) in [
            (field::OPTIONS, &self.options),
            (field::OTHER, &self.other),
            (field::ROWS, &self.rows),
            (field::COLUMNS, &self.columns),
            (field::SCALE_FROM, &self.scale_from),
            (field::SCALE_TO, &self.scale_to),
            (field::SCALE_FROM_LABEL, &self.scale_from_label),
            (field::SCALE_TO_LABEL, &self.scale_to_label),
            (field::CANNOT_JUDGE, &self.cannot_judge),
            (field::NUMBER_MIN, &self.number_min),
            (field::NUMBER_MAX, &self.number_max),
            (field::UNIT, &self.unit),
            (field::MAX_LEN, &self.max_len),
            (field::CONDITION_QUESTION, &self.condition_question),
            (field::CONDITION_ROW, &self.condition_row),
            (field::CONDITION_VALUES, &self.condition_values),
        ] {
            if !value.is_empty() {
                v.push(pair(name, value));
            }
        }
        v
    }
}

/// The question form's fields for an existing question, as the page shows them.
pub fn question_form_values(q: &Question) -> Vec<(String, String)> {
    QuestionForm::of(q).values()
}

/// The theme form (new, or a theme's own with `aktion`), and the editor's move and delete
/// buttons of a theme, which send only `revision` and `aktion`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ThemeForm {
    #[serde(rename = "revision", default, deserialize_with = "form::number")]
    pub revision: Option<i64>,
    #[serde(rename = "aktion", default, deserialize_with = "form::keyword")]
    pub action: Option<PartAction>,
    #[serde(rename = "titel", default, deserialize_with = "form::text")]
    pub title: String,
    #[serde(rename = "code", default, deserialize_with = "form::text")]
    pub code: String,
    #[serde(rename = "einleitung", default, deserialize_with = "form::text")]
    pub intro: String,
}

impl ThemeForm {
    /// The theme the form describes (code, title, introduction), its code not in `taken_codes`.
    pub fn theme(&self, taken_codes: &[&str]) -> Result<Theme, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.clone();
        if title.is_empty() {
            errors.push(FieldError::new(field::TITLE, "Bitte geben Sie den Titel des Themas an."));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new(
                field::TITLE,
                "Der Titel darf höchstens 200 Zeichen lang sein.",
            ));
        }
        let mut code = self.code.clone();
        if code.is_empty() && !title.is_empty() {
            code = code_from_label(&title);
        }
        if !is_code(&code) {
            errors.push(FieldError::new(field::CODE, "Bitte geben Sie einen Code aus Kleinbuchstaben (a–z), Ziffern und _ an (höchstens 40 Zeichen), z. B. „sprache“."));
        } else if taken_codes.contains(&code.as_str()) {
            errors.push(FieldError::new(
                field::CODE,
                format!("Den Code „{code}“ hat schon ein anderes Thema dieses Fragebogens."),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Theme { code, title, intro: optional(&self.intro), questions: vec![] })
    }
}

impl FormValues for ThemeForm {
    fn values(&self) -> Vec<(String, String)> {
        vec![
            pair(field::TITLE, &self.title),
            pair(field::CODE, &self.code),
            pair(field::INTRO, &self.intro),
        ]
    }
}

/// Title, open-link name, introduction and duration of a questionnaire, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub title: String,
    pub slug: String,
    pub intro: String,
    pub duration_minutes: u32,
}

/// The head form of a questionnaire (the editor's, with its revision) and the form of a new one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct HeadForm {
    #[serde(rename = "revision", default, deserialize_with = "form::number")]
    pub revision: Option<i64>,
    #[serde(rename = "titel", default, deserialize_with = "form::text")]
    pub title: String,
    #[serde(rename = "slug", default, deserialize_with = "form::text")]
    pub slug: String,
    #[serde(rename = "einleitung", default, deserialize_with = "form::text")]
    pub intro: String,
    #[serde(rename = "dauer", default, deserialize_with = "form::text")]
    pub duration: String,
}

impl HeadForm {
    pub fn head(&self) -> Result<Head, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.clone();
        if title.is_empty() {
            errors.push(FieldError::new(
                field::TITLE,
                "Bitte geben Sie den Titel des Fragebogens an.",
            ));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new(
                field::TITLE,
                "Der Titel darf höchstens 200 Zeichen lang sein.",
            ));
        }
        let slug = self.slug.clone();
        if !is_slug(&slug) {
            errors.push(FieldError::new(field::SLUG, "Bitte geben Sie den Namen im offenen Link aus Kleinbuchstaben (a–z), Ziffern und Bindestrichen an (3 bis 60 Zeichen), z. B. „bedarfsanalyse-2027“."));
        }
        let duration = whole_number(
            &self.duration,
            field::DURATION,
            &mut errors,
            "Dauer in Minuten",
            15,
            (1, 240),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Head { title, slug, intro: self.intro.clone(), duration_minutes: duration })
    }
}

impl FormValues for HeadForm {
    fn values(&self) -> Vec<(String, String)> {
        vec![
            pair(field::TITLE, &self.title),
            pair(field::SLUG, &self.slug),
            pair(field::INTRO, &self.intro),
            pair(field::DURATION, &self.duration),
        ]
    }
}

/// The status form of the questionnaire list: open or close it, with its deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StatusForm {
    #[serde(rename = "status", default, deserialize_with = "form::keyword")]
    pub status: Option<QuestionnaireStatus>,
    /// `YYYY-MM-DD` (the date input) or `TT.MM.JJJJ`; empty for none.
    #[serde(rename = "frist", default, deserialize_with = "form::text")]
    pub deadline: String,
}

/// A questionnaire's new status and deadline (German date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: QuestionnaireStatus,
    pub deadline: Option<String>,
}

impl Keyword for QuestionnaireStatus {
    fn from_keyword(word: &str) -> Option<Self> {
        QuestionnaireStatus::parse(word)
    }
}

/// The id of questionnaire `id`'s deadline field, where its status form's problems show.
pub fn deadline_field(id: i64) -> String {
    format!("{}-{id}", field::DEADLINE)
}

impl StatusForm {
    /// The change for questionnaire `id`; a status other than open or closed is a bad request
    /// (the outer error), a date that is none a problem at the deadline field.
    pub fn validate(&self, id: i64) -> Result<Result<StatusChange, Vec<FieldError>>, AppError> {
        let status = match self.status {
            Some(status @ (QuestionnaireStatus::Open | QuestionnaireStatus::Closed)) => status,
            _ => return Err(AppError::BadRequest("Unbekannter Status.".into())),
        };
        if self.deadline.is_empty() {
            return Ok(Ok(StatusChange { status, deadline: None }));
        }
        Ok(match german_date(&self.deadline) {
            Some(d) => Ok(StatusChange { status, deadline: Some(d) }),
            None => Err(vec![FieldError::new(
                deadline_field(id),
                "Bitte geben Sie die Frist als Datum an, z. B. 31.12.2026.",
            )]),
        })
    }
}

impl FormValues for StatusForm {
    fn values(&self) -> Vec<(String, String)> {
        let mut values = vec![pair(field::DEADLINE, &self.deadline)];
        values.extend(self.status.map(|s| pair(field::STATUS, s.as_str())));
        values
    }
}

/// The name in the open link `/o/<slug>`.
pub fn is_slug(s: &str) -> bool {
    (3..=60).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The slug of the next version: `name` → `name-v2`, `name-v2` → `name-v3`.
pub fn next_version_slug(slug: &str, taken: &[String]) -> String {
    let (base, mut n) = match slug.rsplit_once("-v") {
        Some((base, n)) if n.parse::<u32>().is_ok() => (base, n.parse::<u32>().unwrap_or(1) + 1),
        _ => (slug, 2),
    };
    loop {
        let candidate = format!("{base}-v{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

// ---- Editing steps: each changes the questionnaire or says in German why not ----

pub fn theme_index(q: &Questionnaire, code: &str) -> Result<usize, String> {
    q.themes
        .iter()
        .position(|t| t.code == code)
        .ok_or_else(|| format!("Das Thema „{code}“ gibt es (nicht mehr)."))
}

/// Theme and position of a question.
pub fn question_position(q: &Questionnaire, code: &str) -> Result<(usize, usize), String> {
    q.themes
        .iter()
        .enumerate()
        .find_map(|(t, theme)| theme.questions.iter().position(|x| x.code == code).map(|i| (t, i)))
        .ok_or_else(|| format!("Die Frage „{code}“ gibt es (nicht mehr)."))
}

/// Moves a theme one place up (`up`) or down.
pub fn move_theme(q: &mut Questionnaire, code: &str, up: bool) -> Result<(), String> {
    let i = theme_index(q, code)?;
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < q.themes.len()) };
    let j = j.ok_or_else(|| {
        format!("Das Thema „{code}“ steht schon ganz {}.", if up { "oben" } else { "unten" })
    })?;
    q.themes.swap(i, j);
    Ok(())
}

/// Moves a question one place up or down within its theme.
pub fn move_question(q: &mut Questionnaire, code: &str, up: bool) -> Result<(), String> {
    let (t, i) = question_position(q, code)?;
    let questions = &mut q.themes[t].questions;
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < questions.len()) };
    let j = j.ok_or_else(|| {
        format!(
            "Die Frage „{code}“ steht schon ganz {} in ihrem Thema.",
            if up { "oben" } else { "unten" }
        )
    })?;
    questions.swap(i, j);
    Ok(())
}

pub fn delete_theme(q: &mut Questionnaire, code: &str) -> Result<(), String> {
    let i = theme_index(q, code)?;
    if !q.themes[i].questions.is_empty() {
        return Err(format!(
            "Das Thema „{}“ enthält noch Fragen. Bitte löschen Sie zuerst seine Fragen.",
            q.themes[i].title
        ));
    }
    q.themes.remove(i);
    Ok(())
}

pub fn delete_question(q: &mut Questionnaire, code: &str) -> Result<(), String> {
    let (t, i) = question_position(q, code)?;
    if let Some(dependent) =
        q.questions().find(|x| x.condition.as_ref().is_some_and(|c| c.question == code))
    {
        return Err(format!(
            "Die Frage „{code}“ kann nicht gelöscht werden: Die Bedingung der Frage „{}“ bezieht sich auf sie.",
            dependent.code
        ));
    }
    q.themes[t].questions.remove(i);
    Ok(())
}

/// Replaces a question in place; a new code renames it (conditions on it follow).
pub fn replace_question(
    q: &mut Questionnaire,
    code: &str,
    mut new: Question,
) -> Result<(), String> {
    let (t, i) = question_position(q, code)?;
    // Profile questions keep their role.
    if let Some(role @ (Reference::OrgKind | Reference::Municipalities)) =
        q.themes[t].questions[i].reference
    {
        new.reference = Some(role);
    }
    if new.code != code {
        for other in q.themes.iter_mut().flat_map(|t| t.questions.iter_mut()) {
            if let Some(c) = other.condition.as_mut().filter(|c| c.question == code) {
                c.question = new.code.clone();
            }
        }
    }
    q.themes[t].questions[i] = new;
    Ok(())
}

// ---- What a published questionnaire may still change ----

/// Changes from `old` to `new` that would invalidate answers already given, in German; empty
/// when the change only touches wording (titles, texts, labels, help) or adds what nobody has
/// answered yet (options, columns, optional questions, themes).
pub fn answer_breaking_changes(old: &Questionnaire, new: &Questionnaire) -> Vec<String> {
    let mut out = Vec::new();
    if old.slug != new.slug {
        out.push(format!(
            "Der offene Link „/o/{}“ ist schon verteilt und kann nicht umbenannt werden.",
            old.slug
        ));
    }
    for theme in &old.themes {
        if !new.themes.iter().any(|t| t.code == theme.code) {
            out.push(format!(
                "Das Thema „{}“ ({}) kann nicht entfernt oder umbenannt werden.",
                theme.title, theme.code
            ));
        }
    }
    for was in old.questions() {
        let name = format!("„{}“ ({})", short(&was.text), was.code);
        let Some(now) = new.question(&was.code) else {
            out.push(format!(
                "Die Frage {name} kann nicht gelöscht und ihr Code nicht geändert werden."
            ));
            continue;
        };
        if now.kind.name() != was.kind.name() {
            out.push(format!("Die Art der Frage {name} kann nicht geändert werden."));
            continue;
        }
        if now.required && !was.required {
            out.push(format!("Die Frage {name} kann nicht nachträglich zur Pflichtangabe werden."));
        }
        if now.condition != was.condition {
            out.push(format!("Die Bedingung der Frage {name} kann nicht geändert werden."));
        }
        // Marking a question as personal (or no longer) only changes what the dashboards show.
        let role = |r: Option<Reference>| r.filter(|r| *r != Reference::Personal);
        if role(now.reference) != role(was.reference) {
            out.push(format!("Die Rolle der Frage {name} im Profil kann nicht geändert werden."));
        }
        kept_choices(&name, "Antwortoption", &was.kind, &now.kind, &mut out);
        match (&was.kind, &now.kind) {
            (
                QuestionKind::MultipleChoice { other: Some(_), .. },
                QuestionKind::MultipleChoice { other: None, .. },
            ) => {
                out.push(format!("Bei der Frage {name} kann das Feld „Sonstiges“ nicht entfallen."))
            }
            (QuestionKind::Matrix { rows: a, .. }, QuestionKind::Matrix { rows: b, .. }) => {
                for row in a.iter().filter(|r| !b.iter().any(|x| x.code == r.code)) {
                    out.push(format!(
                        "Bei der Frage {name} kann die Zeile „{}“ ({}) nicht entfallen.",
                        row.label, row.code
                    ));
                }
                if now.required && b.iter().any(|r| !a.iter().any(|x| x.code == r.code)) {
                    out.push(format!("Die Pflichtfrage {name} kann keine neuen Zeilen bekommen: abgeschickte Antworten hätten sie nicht beantwortet."));
                }
            }
            (
                QuestionKind::Rating { min: a, max: b, cannot_judge: k1, .. },
                QuestionKind::Rating { min: c, max: d, cannot_judge: k2, .. },
            ) => {
                if (a, b) != (c, d) {
                    out.push(format!("Die Skala der Frage {name} ({a} bis {b}) kann nicht geändert werden: gegebene Bewertungen würden eine andere Bedeutung bekommen."));
                }
                if k1.is_some() && k2.is_none() {
                    out.push(format!(
                        "Bei der Frage {name} kann „kann ich nicht beurteilen“ nicht entfallen."
                    ));
                }
            }
            (
                QuestionKind::Number { min: a, max: b, integer: i1, .. },
                QuestionKind::Number { min: c, max: d, integer: i2, .. },
            ) => {
                let narrower_min = match (a, c) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(a), Some(c)) => c > a,
                };
                let narrower_max = match (b, d) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(b), Some(d)) => d < b,
                };
                if narrower_min || narrower_max {
                    out.push(format!("Der erlaubte Bereich der Frage {name} kann nur erweitert, nicht eingeschränkt werden."));
                }
                if *i2 && !*i1 {
                    out.push(format!(
                        "Die Frage {name} kann nicht nachträglich nur ganze Zahlen erlauben."
                    ));
                }
            }
            (
                QuestionKind::ShortText { max_len: a } | QuestionKind::LongText { max_len: a },
                QuestionKind::ShortText { max_len: b } | QuestionKind::LongText { max_len: b },
            ) if b < a => {
                out.push(format!(
                    "Die Höchstlänge der Frage {name} kann nicht verringert werden ({a} Zeichen)."
                ));
            }
            _ => {}
        }
    }
    for now in new.questions().filter(|q| old.question(&q.code).is_none()) {
        if now.required {
            out.push(format!(
                "Die neue Frage „{}“ ({}) kann keine Pflichtangabe sein: abgeschickte Antworten hätten sie nicht beantwortet.",
                short(&now.text),
                now.code
            ));
        }
    }
    out
}

/// The options (or matrix columns) answered so far must stay.
fn kept_choices(
    name: &str,
    what: &str,
    was: &QuestionKind,
    now: &QuestionKind,
    out: &mut Vec<String>,
) {
    let (a, b) = match (was, now) {
        (
            QuestionKind::SingleChoice { options: a }
            | QuestionKind::MultipleChoice { options: a, .. },
            QuestionKind::SingleChoice { options: b }
            | QuestionKind::MultipleChoice { options: b, .. },
        ) => (a, b),
        (QuestionKind::Matrix { columns: a, .. }, QuestionKind::Matrix { columns: b, .. }) => {
            (a, b)
        }
        _ => return,
    };
    let what = if matches!(was, QuestionKind::Matrix { .. }) { "Spalte" } else { what };
    for c in a.iter().filter(|c| !b.iter().any(|x| x.code == c.code)) {
        out.push(format!("Bei der Frage {name} kann die {what} „{}“ ({}) nicht entfallen und ihr Code nicht geändert werden.", c.label, c.code));
    }
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(60).collect();
    if t.len() < text.len() {
        format!("{t} …")
    } else {
        t
    }
}

/// The refusal of an answer-breaking change, with the way out.
pub fn refusal(changes: &[String]) -> String {
    format!(
        "Der Fragebogen ist veröffentlicht oder hat schon Antworten. {} {NEW_VERSION_HINT}",
        changes.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::QuestionnaireStatus;

    /// A form as the server reads it from the pairs a browser posts.
    fn form<T: serde::de::DeserializeOwned>(pairs: &[(&str, &str)]) -> T {
        crate::form::tests::read(pairs)
    }

    /// The question form the page shows for these values, posted back.
    fn posted(values: &[(String, String)]) -> QuestionForm {
        let pairs: Vec<(&str, &str)> =
            values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        form(&pairs)
    }

    fn sample() -> Questionnaire {
        let single = question_from_form(
            &form(&[
                ("code", "angebot"),
                ("text", "Gibt es ein Angebot?"),
                ("art", "single_choice"),
                ("optionen", "ja = Ja\nnein = Nein"),
                ("pflicht", "1"),
            ]),
            &[],
        )
        .unwrap();
        let follow = question_from_form(
            &form(&[
                ("code", "welches"),
                ("text", "Welches?"),
                ("art", "short_text"),
                ("hoechstlaenge", "300"),
                ("bedingung_frage", "angebot"),
                ("bedingung_werte", "ja"),
            ]),
            &[],
        )
        .unwrap();
        Questionnaire {
            id: 1,
            slug: "test".into(),
            title: "Test".into(),
            intro: String::new(),
            duration_minutes: 5,
            status: QuestionnaireStatus::Open,
            deadline: None,
            themes: vec![Theme {
                code: "sprache".into(),
                title: "Sprache".into(),
                intro: None,
                questions: vec![single, follow],
            }],
        }
    }

    #[test]
    fn choices_are_read_line_by_line() {
        let c = parse_choices("ja = Ja, sicher\nVielleicht\n\n", "optionen", "Antwortoptionen")
            .unwrap();
        assert_eq!(
            c,
            vec![Choice::new("ja", "Ja, sicher"), Choice::new("vielleicht", "Vielleicht")]
        );
        assert!(parse_choices("", "optionen", "Antwortoptionen").is_err());
        let e = parse_choices("ja = Ja\nja = Nochmal", "optionen", "Antwortoptionen").unwrap_err();
        assert!(e.message.contains("Zeile 2") && e.message.contains("doppelt"), "{}", e.message);
        assert_eq!(
            parse_choices("JA = Ja", "optionen", "Antwortoptionen").unwrap_err().field_id,
            "optionen"
        );
        // A label may contain "=" when no code stands before it.
        assert_eq!(parse_choices("1 + 1 = 2", "o", "O").unwrap()[0].label, "1 + 1 = 2");
    }

    #[test]
    fn every_kind_reads_and_round_trips() {
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![("art", "single_choice"), ("optionen", "a = A\nb = B")],
            vec![
                ("art", "multiple_choice"),
                ("optionen", "a = A\nb = B"),
                ("sonstiges", "Sonstiges, nämlich"),
            ],
            vec![("art", "yes_no")],
            vec![
                ("art", "rating"),
                ("skala_von", "1"),
                ("skala_bis", "5"),
                ("skala_von_text", "gering"),
                ("skala_bis_text", "hoch"),
                ("weiss_nicht", "kann ich nicht beurteilen"),
            ],
            vec![
                ("art", "matrix"),
                ("zeilen", "r1 = Zeile 1\nr2 = Zeile 2"),
                ("spalten", "ja = Ja\nnein = Nein"),
            ],
            vec![
                ("art", "number"),
                ("zahl_min", "0"),
                ("zahl_max", "12,5"),
                ("einheit", "Stunden"),
                ("ganzzahl", "1"),
            ],
            vec![("art", "short_text"), ("hoechstlaenge", "200")],
            vec![("art", "long_text"), ("hoechstlaenge", "4000")],
        ];
        for case in cases {
            let mut f = vec![
                ("code", "frage"),
                ("text", "Eine Frage?"),
                ("hilfe", "Hilfe"),
                ("pflicht", "1"),
            ];
            f.extend(&case);
            let q =
                question_from_form(&form(&f), &[]).unwrap_or_else(|e| panic!("{case:?}: {e:?}"));
            assert_eq!(q.kind.name(), case[0].1);
            assert!(q.required);
            assert_eq!(q.help.as_deref(), Some("Hilfe"));
            let again = question_from_form(&posted(&question_form_values(&q)), &[]).unwrap();
            assert_eq!(again, q, "round trip of {}", case[0].1);
        }
    }

    #[test]
    fn every_question_of_the_default_questionnaire_survives_its_form() {
        // Saving a question's form unchanged must change nothing, or wording edits of a
        // published questionnaire would be refused.
        let q = crate::default_questionnaire::default_questionnaire();
        for question in q.questions() {
            let mut again = question_from_form(&posted(&question_form_values(question)), &[])
                .unwrap_or_else(|e| panic!("{}: {e:?}", question.code));
            if question.reference != Some(Reference::Personal) {
                again.reference = question.reference;
            }
            assert_eq!(&again, question);
        }
    }

    #[test]
    fn a_question_can_be_marked_personal_even_when_answers_exist() {
        let q = crate::default_questionnaire::default_questionnaire();
        let contact = q.question("mit_kontakt").unwrap();
        assert_eq!(contact.reference, Some(Reference::Personal));
        let mut values = question_form_values(contact);
        assert!(values.contains(&("personenbezogen".to_string(), "1".to_string())));
        values.retain(|(k, _)| k != "personenbezogen");
        let mut changed = q.clone();
        replace_question(
            &mut changed,
            "mit_kontakt",
            question_from_form(&posted(&values), &[]).unwrap(),
        )
        .unwrap();
        assert_eq!(changed.question("mit_kontakt").unwrap().reference, None);
        assert!(
            answer_breaking_changes(&q, &changed).is_empty(),
            "only what the dashboards show changes"
        );
        let mut kind = q.clone();
        let profile = question_form_values(q.question("profil_art").unwrap());
        replace_question(
            &mut kind,
            "profil_art",
            question_from_form(&posted(&profile), &[]).unwrap(),
        )
        .unwrap();
        assert_eq!(
            kind.question("profil_art").unwrap().reference,
            Some(Reference::OrgKind),
            "profile questions keep their role"
        );
    }

    #[test]
    fn form_problems_name_their_fields() {
        let e = question_from_form(
            &form(&[
                ("code", "Böse Frage"),
                ("text", ""),
                ("art", "rating"),
                ("skala_von", "5"),
                ("skala_bis", "3"),
            ]),
            &[],
        )
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field_id.as_str()).collect();
        for f in ["text", "code", "skala_bis", "skala_von_text", "skala_bis_text"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let e = question_from_form(
            &form(&[("code", "a"), ("text", "A"), ("art", "number"), ("zahl_min", "zehn")]),
            &["b"],
        )
        .unwrap_err();
        assert_eq!(e[0].field_id, "zahl_min");
        let e =
            question_from_form(&form(&[("code", "b"), ("text", "B"), ("art", "yes_no")]), &["b"])
                .unwrap_err();
        assert!(e[0].message.contains("schon eine andere Frage"));
        let e = question_from_form(
            &form(&[("code", "c"), ("text", "C"), ("art", "yes_no"), ("bedingung_frage", "b")]),
            &[],
        )
        .unwrap_err();
        assert_eq!(e[0].field_id, "bedingung_werte");
    }

    #[test]
    fn conditions_are_checked_against_the_questionnaire() {
        let mut q = sample();
        assert!(q.check().is_empty(), "{:?}", q.check());
        q.themes[0].questions[1].condition.as_mut().unwrap().any_of = vec!["vielleicht".into()];
        assert!(q.check().iter().any(|p| p.contains("unbekannte Antwort")));
        let mut q = sample();
        move_question(&mut q, "welches", true).unwrap();
        assert!(q.check().iter().any(|p| p.contains("keine frühere Frage")));
    }

    #[test]
    fn editing_steps() {
        let mut q = sample();
        assert!(move_question(&mut q, "angebot", true).unwrap_err().contains("ganz oben"));
        assert!(delete_question(&mut q, "angebot").unwrap_err().contains("welches"));
        assert!(delete_theme(&mut q, "sprache").unwrap_err().contains("enthält noch Fragen"));
        let renamed = Question { code: "angebot_neu".into(), ..q.themes[0].questions[0].clone() };
        replace_question(&mut q, "angebot", renamed).unwrap();
        assert_eq!(q.themes[0].questions[1].condition.as_ref().unwrap().question, "angebot_neu");
        assert!(q.check().is_empty());
        delete_question(&mut q, "welches").unwrap();
        delete_question(&mut q, "angebot_neu").unwrap();
        assert!(q.check_draft().is_empty());
        assert!(!q.check().is_empty(), "an empty theme cannot be published");
        delete_theme(&mut q, "sprache").unwrap();
        assert!(q.check_draft().is_empty());
    }

    #[test]
    fn wording_may_change_after_publishing() {
        let old = sample();
        let mut new = old.clone();
        new.title = "Neuer Titel".into();
        new.themes[0].title = "Sprache und Verständigung".into();
        let q = &mut new.themes[0].questions[0];
        q.text = "Gibt es bei Ihnen ein Angebot?".into();
        q.help = Some("Eine Hilfe".into());
        q.required = false;
        if let QuestionKind::SingleChoice { options } = &mut q.kind {
            options[0].label = "Ja, gibt es".into();
            options.push(Choice::new("geplant", "In Planung"));
        }
        new.themes[0].questions.push(
            question_from_form(&form(&[("code", "neu"), ("text", "Neu?"), ("art", "yes_no")]), &[])
                .unwrap(),
        );
        move_question(&mut new, "neu", true).unwrap();
        assert_eq!(answer_breaking_changes(&old, &new), Vec::<String>::new());
    }

    #[test]
    fn answer_breaking_changes_are_named() {
        let old = sample();
        let check = |change: &dyn Fn(&mut Questionnaire), expect: &str| {
            let mut new = old.clone();
            change(&mut new);
            let found = answer_breaking_changes(&old, &new);
            assert!(found.iter().any(|m| m.contains(expect)), "{expect}: {found:?}");
        };
        check(&|q| q.themes[0].questions.truncate(1), "nicht gelöscht");
        check(&|q| q.themes[0].questions[1].code = "anders".into(), "nicht gelöscht");
        check(
            &|q| q.themes[0].questions[1].kind = QuestionKind::LongText { max_len: 300 },
            "Art der Frage",
        );
        check(
            &|q| q.themes[0].questions[1].kind = QuestionKind::ShortText { max_len: 100 },
            "Höchstlänge",
        );
        check(&|q| q.themes[0].questions[1].required = true, "Pflichtangabe");
        check(&|q| q.themes[0].questions[1].condition = None, "Bedingung");
        check(
            &|q| {
                if let QuestionKind::SingleChoice { options } = &mut q.themes[0].questions[0].kind {
                    options[1].code = "nee".into();
                }
            },
            "Antwortoption „Nein“ (nein)",
        );
        check(
            &|q| {
                let extra = Question {
                    code: "pflicht".into(),
                    required: true,
                    condition: None,
                    ..q.themes[0].questions[1].clone()
                };
                q.themes[0].questions.push(extra)
            },
            "neue Frage",
        );
        check(&|q| q.themes[0].code = "anders".into(), "Thema");
        check(&|q| q.slug = "anders".into(), "offene Link");
        let number = |min: Option<f64>, max: Option<f64>, integer: bool| QuestionKind::Number {
            min,
            max,
            unit: None,
            integer,
        };
        let mut a = old.clone();
        a.themes[0].questions[1].kind = number(Some(0.0), Some(10.0), false);
        let mut b = a.clone();
        b.themes[0].questions[1].kind = number(None, Some(20.0), false);
        assert!(answer_breaking_changes(&a, &b).is_empty(), "widening is fine");
        b.themes[0].questions[1].kind = number(Some(1.0), Some(20.0), false);
        assert!(answer_breaking_changes(&a, &b)[0].contains("eingeschränkt"));
        b.themes[0].questions[1].kind = number(Some(0.0), Some(10.0), true);
        assert!(answer_breaking_changes(&a, &b)[0].contains("ganze Zahlen"));
        assert!(refusal(&["X".into()]).contains("Als neue Version kopieren"));
    }

    #[test]
    fn forms_read_the_pages_field_names() {
        let head: HeadForm = form(&[
            (field::REVISION, "4"),
            (field::TITLE, " Analyse "),
            (field::SLUG, "analyse"),
            (field::INTRO, "Zweck"),
            (field::DURATION, "20"),
        ]);
        assert_eq!(head.revision, Some(4));
        assert_eq!(head.head().unwrap().title, "Analyse");
        let theme: ThemeForm = form(&[
            (field::ACTION, "speichern"),
            (field::TITLE, "Sprache"),
            (field::CODE, "sprache"),
            (field::INTRO, "Zur Sprache"),
        ]);
        assert_eq!(theme.action, Some(PartAction::Save));
        assert_eq!(theme.theme(&[]).unwrap().intro.as_deref(), Some("Zur Sprache"));
        for action in PartAction::ALL {
            let theme: ThemeForm = form(&[(field::ACTION, action.as_str())]);
            assert_eq!(theme.action, Some(action));
        }
        assert_eq!(form::<ThemeForm>(&[(field::ACTION, "sprengen")]).action, None);
        let status: StatusForm = form(&[(field::STATUS, "open"), (field::DEADLINE, "2026-12-31")]);
        assert_eq!(
            status.validate(1),
            Ok(Ok(StatusChange {
                status: QuestionnaireStatus::Open,
                deadline: Some("31.12.2026".into())
            }))
        );
        let status: StatusForm = form(&[(field::STATUS, "open"), (field::DEADLINE, "bald")]);
        assert_eq!(status.validate(7).unwrap().unwrap_err()[0].field_id, "frist-7");
        assert!(form::<StatusForm>(&[(field::STATUS, "draft")]).validate(7).is_err());
        let question: QuestionForm = form(&[
            (field::REVISION, "3"),
            (field::THEME, "sprache"),
            (field::CODE, "angebot"),
            (field::TEXT, "Gibt es ein Angebot?"),
            (field::HELP, "Hilfe"),
            (field::REQUIRED, "1"),
            (field::PERSONAL, "1"),
            (field::KIND, "number"),
            (field::NUMBER_MIN, "1.250"),
            (field::NUMBER_MAX, "2000"),
            (field::UNIT, "Stunden"),
            (field::INTEGER, "1"),
            (field::CONDITION_QUESTION, "frage"),
            (field::CONDITION_ROW, "zeile"),
            (field::CONDITION_VALUES, "ja, vielleicht"),
        ]);
        assert_eq!((question.revision, question.theme.as_str()), (Some(3), "sprache"));
        let q = question_from_form(&question, &[]).unwrap();
        assert_eq!(q.reference, Some(Reference::Personal));
        assert_eq!(
            q.kind,
            QuestionKind::Number {
                min: Some(1250.0),
                max: Some(2000.0),
                unit: Some("Stunden".into()),
                integer: true
            }
        );
        assert_eq!(q.condition.unwrap().any_of, ["ja", "vielleicht"]);
        let names = [
            field::OPTIONS,
            field::OTHER,
            field::ROWS,
            field::COLUMNS,
            field::SCALE_FROM,
            field::SCALE_TO,
            field::SCALE_FROM_LABEL,
            field::SCALE_TO_LABEL,
            field::CANNOT_JUDGE,
            field::MAX_LEN,
        ];
        let pairs: Vec<(&str, &str)> = names.iter().map(|n| (*n, *n)).collect();
        let all: QuestionForm = form(&pairs);
        let kept = all.values();
        for name in names {
            assert!(kept.contains(&(name.to_string(), name.to_string())), "{name}");
        }
    }

    #[test]
    fn heads_and_slugs() {
        let h = form::<HeadForm>(&[
            ("titel", "Analyse 2027"),
            ("slug", "analyse-2027"),
            ("dauer", "20"),
        ])
        .head()
        .unwrap();
        assert_eq!((h.slug.as_str(), h.duration_minutes), ("analyse-2027", 20));
        let e = form::<HeadForm>(&[("titel", ""), ("slug", "Analyse 2027"), ("dauer", "0")])
            .head()
            .unwrap_err();
        assert_eq!(
            e.iter().map(|e| e.field_id.as_str()).collect::<Vec<_>>(),
            vec!["titel", "slug", "dauer"]
        );
        assert_eq!(next_version_slug("analyse", &[]), "analyse-v2");
        assert_eq!(next_version_slug("analyse-v2", &["analyse-v3".into()]), "analyse-v4");
        let t = form::<ThemeForm>(&[("titel", "Wohnen & Leben")]).theme(&[]).unwrap();
        assert_eq!(t.code, "wohnen_leben");
        assert!(form::<ThemeForm>(&[("titel", "Wohnen"), ("code", "wohnen")])
            .theme(&["wohnen"])
            .is_err());
    }
}

//! Validation of answers, page by page: required answers, numbers and their bounds, text
//! lengths. Hidden (conditional) questions are neither required nor kept.

use crate::answers::{field_id, Answer, Answers};
use crate::locale::format_german;
use crate::number::parse_number;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub question: String,
    /// Id of the input the error summary links to.
    pub field_id: String,
    pub message: String,
}

impl FieldError {
    /// An error of a form field that is not a question (administration forms).
    pub fn new(field_id: impl Into<String>, message: impl Into<String>) -> Self {
        let field_id = field_id.into();
        Self { question: field_id.clone(), field_id, message: message.into() }
    }
}

/// Errors of one page, for the questions shown given `answers` (all answers of the response).
pub fn validate_page(
    questionnaire: &Questionnaire,
    page: usize,
    answers: &Answers,
) -> Vec<FieldError> {
    let Some(theme) = questionnaire.themes.get(page) else { return vec![] };
    let empty = Answer::default();
    theme
        .questions
        .iter()
        .filter(|q| questionnaire.is_visible(q, answers))
        .filter_map(|q| validate_question(q, answers.get(&q.code).unwrap_or(&empty)))
        .collect()
}

/// Pages that still have errors, with their errors; empty when the response can be submitted.
pub fn validate_all(
    questionnaire: &Questionnaire,
    answers: &Answers,
) -> Vec<(usize, Vec<FieldError>)> {
    (0..questionnaire.page_count())
        .map(|page| (page, validate_page(questionnaire, page, answers)))
        .filter(|(_, errors)| !errors.is_empty())
        .collect()
}

/// Drops the answers of questions that are hidden, so that they are not kept.
/// The answers after a page is saved: the page's posted answers replace the stored ones (an
/// empty answer removes its question's), then answers to questions now hidden are dropped.
pub fn with_page_saved(
    mut answers: Answers,
    posted: &[(String, Answer)],
    questionnaire: &Questionnaire,
) -> Answers {
    for (code, answer) in posted {
        if answer.is_empty() {
            answers.remove(code);
        } else {
            answers.insert(code.clone(), answer.clone());
        }
    }
    prune_hidden(questionnaire, &mut answers);
    answers
}

pub fn prune_hidden(questionnaire: &Questionnaire, answers: &mut Answers) {
    let hidden: Vec<String> = questionnaire
        .questions()
        .filter(|q| answers.contains_key(&q.code) && !questionnaire.is_visible(q, answers))
        .map(|q| q.code.clone())
        .collect();
    for code in hidden {
        answers.remove(&code);
    }
    answers.retain(|code, answer| !answer.is_empty() && questionnaire.question(code).is_some());
}

pub fn validate_question(q: &Question, answer: &Answer) -> Option<FieldError> {
    let short = short_text(&q.text);
    let error = |row: Option<&str>, message: String| {
        Some(FieldError { question: q.code.clone(), field_id: field_id(&q.code, row), message })
    };
    match &q.kind {
        QuestionKind::Matrix { rows, .. } => {
            if q.required {
                if let Some(missing) = rows.iter().find(|r| !answer.rows.contains_key(&r.code)) {
                    return error(
                        Some(&missing.code),
                        format!("Bitte wählen Sie bei „{short}“ in jeder Zeile eine Antwort aus; es fehlt „{}“.", missing.label),
                    );
                }
            }
            None
        }
        QuestionKind::MultipleChoice { .. } => {
            if q.required && answer.values.is_empty() && answer.other.is_none() {
                return error(
                    None,
                    format!("Bitte wählen Sie bei „{short}“ mindestens eine Antwort aus."),
                );
            }
            None
        }
        QuestionKind::SingleChoice { .. } | QuestionKind::Rating { .. } | QuestionKind::YesNo => {
            if q.required && answer.values.is_empty() {
                return error(None, format!("Bitte wählen Sie bei „{short}“ eine Antwort aus."));
            }
            None
        }
        QuestionKind::Number { min, max, unit, integer } => {
            let text = answer.text();
            if text.is_empty() {
                return if q.required {
                    error(None, format!("Bitte geben Sie bei „{short}“ eine Zahl ein."))
                } else {
                    None
                };
            }
            let Some(value) = parse_number(text, *integer) else {
                let example = if *integer {
                    "eine ganze Zahl, z. B. 12"
                } else {
                    "eine Zahl, z. B. 12 oder 12,5"
                };
                return error(None, format!("„{text}“ ist keine gültige Angabe bei „{short}“. Bitte geben Sie {example} ein."));
            };
            if *integer && value.fract() != 0.0 {
                return error(
                    None,
                    format!(
                        "Bitte geben Sie bei „{short}“ eine ganze Zahl ohne Nachkommastellen ein."
                    ),
                );
            }
            let unit = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            if let Some(min) = min.filter(|m| value < *m) {
                return error(
                    None,
                    format!(
                        "Die Angabe bei „{short}“ muss mindestens {}{unit} sein.",
                        format_german(min)
                    ),
                );
            }
            if let Some(max) = max.filter(|m| value > *m) {
                return error(
                    None,
                    format!(
                        "Die Angabe bei „{short}“ darf höchstens {}{unit} sein.",
                        format_german(max)
                    ),
                );
            }
            None
        }
        QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len } => {
            let text = answer.text();
            let len = text.chars().count();
            if text.is_empty() && q.required {
                return error(None, format!("Bitte füllen Sie das Feld „{short}“ aus."));
            }
            if len > *max_len as usize {
                return error(None, format!("Der Text bei „{short}“ ist zu lang: höchstens {max_len} Zeichen, Sie haben {len}."));
            }
            None
        }
    }
}

/// Most characters kept for a number as typed (it is stored as typed when it is no number,
/// so that the respondent can correct it).
pub const NUMBER_MAX_CHARS: usize = 30;
/// Most characters kept for the free text beside "Sonstiges" in a multiple choice.
pub const OTHER_MAX_CHARS: usize = 300;

/// The most characters stored for a question's typed text, and the row of its field.
fn storage_limit(q: &Question) -> Option<(usize, Option<&'static str>)> {
    match &q.kind {
        QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len } => {
            Some((*max_len as usize, None))
        }
        QuestionKind::Number { .. } => Some((NUMBER_MAX_CHARS, None)),
        QuestionKind::MultipleChoice { other: Some(_), .. } => {
            Some((OTHER_MAX_CHARS, Some(crate::answers::OTHER_ROW)))
        }
        _ => None,
    }
}

/// The error of an answer too long to be stored at all: a text over its question's maximum,
/// a "number" of many characters, an over-long "Sonstiges". What is stored stays.
pub fn too_long_to_store(q: &Question, answer: &Answer) -> Option<FieldError> {
    let (max, row) = storage_limit(q)?;
    let text = if row.is_some() { answer.other.as_deref().unwrap_or("") } else { answer.text() };
    let len = text.chars().count();
    (len > max).then(|| FieldError {
        question: q.code.clone(),
        field_id: field_id(&q.code, row),
        message: format!(
            "Die Angabe bei „{}“ ist zu lang: höchstens {max} Zeichen sind möglich, Sie haben {len}. Sie wurde deshalb nicht gespeichert; bitte kürzen Sie sie.",
            short_text(&q.text)
        ),
    })
}

/// The same error on the page shown after the refused post, which no longer has the text.
pub fn refused_as_too_long(q: &Question) -> Option<FieldError> {
    let (max, row) = storage_limit(q)?;
    Some(FieldError {
        question: q.code.clone(),
        field_id: field_id(&q.code, row),
        message: format!(
            "Die Angabe bei „{}“ war zu lang und wurde nicht gespeichert: höchstens {max} Zeichen sind möglich. Gezeigt wird der zuletzt gespeicherte Stand; bitte kürzen Sie Ihre Angabe.",
            short_text(&q.text)
        ),
    })
}

/// The question's text, shortened for messages.
pub fn short_text(text: &str) -> String {
    const MAX: usize = 80;
    let text = text.trim().trim_end_matches(['?', ':']);
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{} …", &cut[..i]),
        None => format!("{cut} …"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Choice, Condition, QuestionnaireStatus, Theme};

    fn question(
        code: &str,
        required: bool,
        kind: QuestionKind,
        condition: Option<Condition>,
    ) -> Question {
        Question {
            code: code.into(),
            text: format!("Frage {code}?"),
            help: None,
            required,
            kind,
            condition,
            reference: None,
        }
    }

    fn yes_no_then_number() -> Questionnaire {
        Questionnaire {
            id: 1,
            slug: "t".into(),
            title: "Test".into(),
            intro: String::new(),
            duration_minutes: 5,
            status: QuestionnaireStatus::Open,
            deadline: None,
            themes: vec![
                Theme {
                    code: "a".into(),
                    title: "A".into(),
                    intro: None,
                    questions: vec![question("angebot", true, QuestionKind::YesNo, None)],
                },
                Theme {
                    code: "b".into(),
                    title: "B".into(),
                    intro: None,
                    questions: vec![
                        question(
                            "plaetze",
                            true,
                            QuestionKind::Number {
                                min: Some(0.0),
                                max: Some(500.0),
                                unit: Some("Plätze".into()),
                                integer: true,
                            },
                            Some(Condition {
                                question: "angebot".into(),
                                row: None,
                                any_of: vec!["ja".into()],
                            }),
                        ),
                        question(
                            "nachfrage",
                            false,
                            QuestionKind::Rating {
                                min: 1,
                                max: 5,
                                min_label: "gering".into(),
                                max_label: "hoch".into(),
                                cannot_judge: Some("kann ich nicht beurteilen".into()),
                            },
                            Some(Condition {
                                question: "plaetze_art".into(),
                                row: None,
                                any_of: vec!["x".into()],
                            }),
                        ),
                    ],
                },
            ],
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        let mut out = Answers::new();
        for (q, v) in pairs {
            out.entry(q.to_string()).or_default().values.push(v.to_string());
        }
        out
    }

    #[test]
    fn required_question_needs_an_answer() {
        let qn = yes_no_then_number();
        let errors = validate_page(&qn, 0, &Answers::new());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field_id, "f-angebot");
        assert!(errors[0].message.contains("Bitte wählen Sie"), "{}", errors[0].message);
    }

    #[test]
    fn hidden_question_is_not_required_and_not_kept() {
        let qn = yes_no_then_number();
        let mut a = answers(&[("angebot", "nein"), ("plaetze", "12")]);
        assert!(validate_page(&qn, 1, &a).is_empty());
        prune_hidden(&qn, &mut a);
        assert!(!a.contains_key("plaetze"));
        assert!(a.contains_key("angebot"));
    }

    #[test]
    fn a_saved_page_replaces_its_answers_and_drops_what_it_hides() {
        let qn = yes_no_then_number();
        let stored = answers(&[("angebot", "ja"), ("plaetze", "12")]);
        let changed = answers(&[("angebot", "nein")]);
        let posted = vec![("angebot".to_string(), changed["angebot"].clone())];
        let saved = with_page_saved(stored.clone(), &posted, &qn);
        assert_eq!(saved, changed, "the page's answer replaced, the hidden one dropped");
        let emptied = vec![("plaetze".to_string(), Answer::default())];
        let saved = with_page_saved(stored, &emptied, &qn);
        assert_eq!(saved, answers(&[("angebot", "ja")]), "an empty answer removes its question's");
    }

    #[test]
    fn shown_conditional_question_is_required() {
        let qn = yes_no_then_number();
        let a = answers(&[("angebot", "ja")]);
        let errors = validate_page(&qn, 1, &a);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].question, "plaetze");
        assert_eq!(validate_all(&qn, &a).len(), 1);
    }

    #[test]
    fn numbers_are_checked_for_form_and_bounds() {
        let qn = yes_no_then_number();
        let check = |v: &str| validate_page(&qn, 1, &answers(&[("angebot", "ja"), ("plaetze", v)]));
        assert!(check("12").is_empty());
        assert!(check("1.250").first().unwrap().message.contains("höchstens 500 Plätze"));
        assert!(check("-1").first().unwrap().message.contains("mindestens 0 Plätze"));
        assert!(check("2,5").first().unwrap().message.contains("ganze Zahl"));
        assert!(check("viele")
            .first()
            .unwrap()
            .message
            .contains("„viele“ ist keine gültige Angabe"));
    }

    #[test]
    fn matrix_required_names_the_missing_row() {
        let q = question(
            "m",
            true,
            QuestionKind::Matrix {
                rows: vec![Choice::new("r1", "Rucksack KiTa"), Choice::new("r2", "Griffbereit")],
                columns: vec![Choice::new("v", "vorhanden"), Choice::new("n", "nicht vorhanden")],
            },
            None,
        );
        let mut a = Answer::default();
        a.rows.insert("r1".into(), "v".into());
        let e = validate_question(&q, &a).unwrap();
        assert_eq!(e.field_id, "f-m-r2");
        assert!(e.message.contains("Griffbereit"));
        a.rows.insert("r2".into(), "n".into());
        assert!(validate_question(&q, &a).is_none());
    }

    #[test]
    fn text_length_is_limited() {
        let q = question("t", false, QuestionKind::ShortText { max_len: 5 }, None);
        let a = Answer { values: vec!["sechs!".into()], ..Default::default() };
        assert!(validate_question(&q, &a)
            .unwrap()
            .message
            .contains("höchstens 5 Zeichen, Sie haben 6"));
    }

    fn typed(text: &str) -> Answer {
        Answer { values: vec![text.to_string()], ..Default::default() }
    }

    #[test]
    fn answers_too_long_to_store() {
        let text = question("t", false, QuestionKind::ShortText { max_len: 3 }, None);
        assert_eq!(too_long_to_store(&text, &typed("äöü")), None);
        let error = too_long_to_store(&text, &typed("abcd")).unwrap();
        assert!(
            error.message.contains("höchstens 3 Zeichen") && error.message.contains("Sie haben 4"),
            "{}",
            error.message
        );
        let number = question(
            "n",
            false,
            QuestionKind::Number { min: None, max: None, unit: None, integer: true },
            None,
        );
        assert!(too_long_to_store(&number, &typed(&"1".repeat(NUMBER_MAX_CHARS))).is_none());
        assert!(too_long_to_store(&number, &typed(&"1".repeat(NUMBER_MAX_CHARS + 1))).is_some());
        let choice = question(
            "m",
            false,
            QuestionKind::MultipleChoice {
                options: vec![Choice::new("a", "A")],
                other: Some("Sonstiges".into()),
            },
            None,
        );
        let long_other =
            Answer { other: Some("x".repeat(OTHER_MAX_CHARS + 1)), ..Default::default() };
        let error = too_long_to_store(&choice, &long_other).unwrap();
        assert_eq!(
            error.field_id,
            field_id("m", Some(crate::answers::OTHER_ROW)),
            "the error points at the text field"
        );
        assert_eq!(refused_as_too_long(&choice).unwrap().field_id, error.field_id);
        assert!(refused_as_too_long(&question("y", false, QuestionKind::YesNo, None)).is_none());
    }

    #[test]
    fn multiple_choice_other_text_counts_as_answer() {
        let q = question(
            "mc",
            true,
            QuestionKind::MultipleChoice {
                options: vec![Choice::new("a", "A")],
                other: Some("Sonstiges".into()),
            },
            None,
        );
        assert!(validate_question(&q, &Answer::default()).is_some());
        let a = Answer { other: Some("Theater".into()), ..Default::default() };
        assert!(validate_question(&q, &a).is_none());
    }

    #[test]
    fn condition_on_hidden_question_hides_too() {
        let mut qn = yes_no_then_number();
        // chain: c depends on plaetze-page question "angebot" via matrix-free condition
        qn.themes[1].questions.push(question(
            "c",
            true,
            QuestionKind::YesNo,
            Some(Condition { question: "angebot".into(), row: None, any_of: vec!["ja".into()] }),
        ));
        qn.themes[1].questions.push(question(
            "d",
            true,
            QuestionKind::ShortText { max_len: 10 },
            Some(Condition { question: "c".into(), row: None, any_of: vec!["ja".into()] }),
        ));
        // c answered "ja" earlier, then angebot changed to "nein": d must be hidden as well.
        let a = answers(&[("angebot", "nein"), ("c", "ja")]);
        let d = qn.question("d").unwrap();
        assert!(!qn.is_visible(d, &a));
    }
}

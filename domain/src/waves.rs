//! Survey waves: questionnaires grouped into a series (e.g. "Bedarfsanalyse" 2018, 2026), the
//! label of a new wave, and which question of a later wave is compared with which question of
//! an earlier one. By default a question matches the earlier question with the same code when
//! kind, options, scale, rows and columns agree; where they changed, the builder stores an
//! explicit mapping (earlier question, option → option or row → row), checked here.
//! Pure: no I/O.

use crate::form::{self, FormValues};
use crate::questionnaire::{Choice, Question, QuestionKind, Questionnaire, Reference};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// Field names shared by the pages and the form structs.
pub mod field {
    /// The label of the new wave on "Als neue Version kopieren".
    pub const WAVE_LABEL: &str = "welle";
    /// The earlier question a later one is compared with (mapping form).
    pub const EARLIER_QUESTION: &str = "fruehere_frage";
    /// Options or rows, one `later = earlier` per line (mapping form).
    pub const VALUE_MAP: &str = "werte";
    /// The waves a comparison sets against each other (GET forms of the dashboards).
    pub const WAVE_A: &str = "welle_a";
    pub const WAVE_B: &str = "welle_b";
}

/// The field ids of the forms, where their problems show.
pub fn copy_label_id(questionnaire_id: i64) -> String {
    format!("kopie-{questionnaire_id}-welle")
}
pub fn mapping_form(code: &str) -> String {
    format!("abgleich-{code}")
}
pub fn mapping_question_id(code: &str) -> String {
    format!("abgleich-{code}-frage")
}
pub fn mapping_values_id(code: &str) -> String {
    format!("abgleich-{code}-werte")
}

/// The mapping form's choice "the question with the same code, if it agrees".
pub const BY_CODE: &str = "-gleicher-code";
/// The mapping form's choice "do not compare this question".
pub const NOT_COMPARED: &str = "-keine";

const MAX_LABEL_CHARS: usize = 40;

/// One wave of a series, to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveChoice {
    pub questionnaire_id: i64,
    pub label: String,
    pub title: String,
    /// 1 for the first wave of the series.
    pub position: i64,
}

/// A series with its waves in order, for the questionnaire list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesSummary {
    pub id: i64,
    pub title: String,
    pub waves: Vec<WaveChoice>,
}

/// The label a copy gets unless one is typed: after a year the current year (or the next one
/// when the current is taken), after "Welle 2" "Welle 3", else the position of the new wave.
pub fn next_wave_label(previous: &str, current_year: i32, taken: &[String]) -> String {
    let free = |l: &String| !taken.iter().any(|t| t == l);
    if let Ok(year) = previous.trim().parse::<i32>() {
        if (1900..=9999).contains(&year) {
            let mut candidate = current_year.max(year + 1);
            while !free(&candidate.to_string()) {
                candidate += 1;
            }
            return candidate.to_string();
        }
    }
    let mut n = match previous.rsplit_once(' ').and_then(|(_, n)| n.parse::<u32>().ok()) {
        Some(n) => n + 1,
        None => taken.len() as u32 + 1,
    };
    while !free(&format!("Welle {n}")) {
        n += 1;
    }
    format!("Welle {n}")
}

/// "Als neue Version kopieren": the label of the new wave (empty: derived).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CopyForm {
    #[serde(rename = "welle", default, deserialize_with = "form::text")]
    pub label: String,
}

impl FormValues for CopyForm {
    fn values(&self) -> Vec<(String, String)> {
        vec![(field::WAVE_LABEL.to_string(), self.label.clone())]
    }
}

impl CopyForm {
    /// The new wave's label: as typed, or `derived` when empty; refused when too long or taken
    /// in the series.
    pub fn label(&self, id: i64, derived: String, taken: &[String]) -> Result<String, FieldError> {
        let label = if self.label.is_empty() { derived } else { self.label.clone() };
        let at = copy_label_id(id);
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(FieldError::new(
                at,
                format!(
                    "Die Bezeichnung der Welle darf höchstens {MAX_LABEL_CHARS} Zeichen lang sein."
                ),
            ));
        }
        if taken.iter().any(|t| t == &label) {
            return Err(FieldError::new(
                at,
                format!("Die Reihe hat schon eine Welle „{label}“. Bitte wählen Sie eine andere Bezeichnung, z. B. das Jahr der Befragung."),
            ));
        }
        Ok(label)
    }
}

/// How a later question is compared with an earlier one: the earlier question's code and, for
/// choices and matrices, which option (or row) of the later stands for which of the earlier
/// (`(later, earlier)`, in the later question's order). Options or rows without a pair are not
/// compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionMatch {
    pub earlier: String,
    pub values: Vec<(String, String)>,
}

/// A stored explicit mapping of a later question: `earlier` empty means "not compared".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMapping {
    pub question: String,
    pub earlier: String,
    pub values: Vec<(String, String)>,
}

/// Whether a question can be compared at all: texts are read, not counted, and personal
/// questions never appear in aggregated outputs.
pub fn comparable(q: &Question) -> bool {
    q.reference != Some(Reference::Personal)
        && !matches!(q.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. })
}

/// The options (choices) or rows (matrices) whose codes a mapping pairs; empty for ratings and
/// numbers, which compare as a whole.
pub fn mapped_values(kind: &QuestionKind) -> Vec<Choice> {
    match kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            options.clone()
        }
        QuestionKind::YesNo => kind.choices(),
        QuestionKind::Matrix { rows, .. } => rows.clone(),
        _ => vec![],
    }
}

fn codes(choices: &[Choice]) -> Vec<&str> {
    choices.iter().map(|c| c.code.as_str()).collect()
}

/// Why `later` cannot be compared with `earlier` whatever the value mapping (kind, scale,
/// columns), or `None` when it can.
pub fn incompatibility(later: &Question, earlier: &Question) -> Option<String> {
    if !comparable(later) || !comparable(earlier) {
        return Some("Freitexte und persönliche Angaben werden nicht verglichen.".into());
    }
    if later.kind.name() != earlier.kind.name() {
        return Some(format!(
            "Die Fragen sind von verschiedener Art ({} und {}).",
            kind_label(&earlier.kind),
            kind_label(&later.kind)
        ));
    }
    match (&later.kind, &earlier.kind) {
        (
            QuestionKind::Rating { min, max, .. },
            QuestionKind::Rating { min: min_a, max: max_a, .. },
        ) if (min, max) != (min_a, max_a) => Some(format!(
            "Die Skalen unterscheiden sich ({min_a} bis {max_a} und {min} bis {max}); ihre Mittelwerte sind nicht vergleichbar."
        )),
        (QuestionKind::Matrix { columns, .. }, QuestionKind::Matrix { columns: columns_a, .. })
            if codes(columns) != codes(columns_a) =>
        {
            Some("Die Spalten der Matrizen unterscheiden sich; vergleichen lassen sich nur Matrizen mit denselben Spalten.".into())
        }
        _ => None,
    }
}

fn kind_label(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice { .. } => "Einfachauswahl",
        QuestionKind::MultipleChoice { .. } => "Mehrfachauswahl",
        QuestionKind::Rating { .. } => "Bewertung",
        QuestionKind::Matrix { .. } => "Matrix",
        QuestionKind::Number { .. } => "Zahl",
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => "Freitext",
        QuestionKind::YesNo => "Ja/Nein",
    }
}

/// The default: the earlier question with the same code, when kind, scale, options (as a set of
/// codes), rows and columns agree.
pub fn match_by_code(later: &Question, earlier: &Questionnaire) -> Result<QuestionMatch, String> {
    let Some(e) = earlier.question(&later.code) else {
        return Err("Die frühere Welle hat keine Frage mit diesem Code.".into());
    };
    if let Some(problem) = incompatibility(later, e) {
        return Err(problem);
    }
    let (later_values, earlier_values) = (mapped_values(&later.kind), mapped_values(&e.kind));
    let (mut mine, mut theirs) = (codes(&later_values), codes(&earlier_values));
    mine.sort_unstable();
    theirs.sort_unstable();
    if mine != theirs {
        return Err(match later.kind {
            QuestionKind::Matrix { .. } => {
                "Die Zeilen haben sich geändert; bitte ordnen Sie sie im Fragebogen zu.".into()
            }
            _ => "Die Antwortoptionen haben sich geändert; bitte ordnen Sie sie im Fragebogen zu."
                .into(),
        });
    }
    Ok(QuestionMatch {
        earlier: e.code.clone(),
        values: mapped_values(&later.kind)
            .iter()
            .map(|c| (c.code.clone(), c.code.clone()))
            .collect(),
    })
}

/// Which earlier question `later` is compared with: the stored mapping when there is one (and
/// it still fits both questionnaires), else by code. `Err` says why it is not compared.
pub fn resolve_match(
    later: &Question,
    earlier: &Questionnaire,
    stored: Option<&StoredMapping>,
) -> Result<QuestionMatch, String> {
    if !comparable(later) {
        return Err("Freitexte und persönliche Angaben werden nicht verglichen.".into());
    }
    let Some(mapping) = stored else { return match_by_code(later, earlier) };
    if mapping.earlier.is_empty() {
        return Err("Im Fragebogen ist festgelegt, diese Frage nicht zu vergleichen.".into());
    }
    let Some(e) = earlier.question(&mapping.earlier) else {
        return Err("Die zugeordnete frühere Frage gibt es nicht mehr.".into());
    };
    if let Some(problem) = incompatibility(later, e) {
        return Err(problem);
    }
    let (mine, theirs) = (mapped_values(&later.kind), mapped_values(&e.kind));
    let fits = mapping
        .values
        .iter()
        .all(|(l, a)| mine.iter().any(|c| &c.code == l) && theirs.iter().any(|c| &c.code == a));
    if !fits {
        return Err("Die Zuordnung der Optionen oder Zeilen passt nicht mehr zum Fragebogen; bitte prüfen Sie sie im Fragebogen.".into());
    }
    // In the later question's order.
    let values = mine
        .iter()
        .filter_map(|c| mapping.values.iter().find(|(l, _)| *l == c.code).cloned())
        .collect();
    Ok(QuestionMatch { earlier: e.code.clone(), values })
}

/// One step back through a series: the wave before (its label and structure) and the
/// explicit mappings of the wave after it against it.
#[derive(Debug, Clone, Copy)]
pub struct WaveStep<'a> {
    pub label: &'a str,
    pub earlier: &'a Questionnaire,
    pub mappings: &'a [StoredMapping],
}

/// Which question of the last step's wave `later` is compared with, when the waves between
/// are `steps` (from the wave right before `later`'s back to the earlier wave compared). A
/// mapping is stored only against the wave right before, so mappings chain: the options or
/// rows carried through every step are compared. Where no step has an explicit mapping, the
/// question matches by code directly (a question may skip a wave).
pub fn resolve_across(later: &Question, steps: &[WaveStep]) -> Result<QuestionMatch, String> {
    let Some(last) = steps.last() else {
        return Err("Es gibt keine frühere Welle.".into());
    };
    if steps.len() == 1 {
        let stored = last.mappings.iter().find(|m| m.question == later.code);
        return resolve_match(later, last.earlier, stored);
    }
    let mut current = later.clone();
    let mut chained: Option<QuestionMatch> = None;
    let mut explicit = false;
    for step in steps {
        let stored = step.mappings.iter().find(|m| m.question == current.code);
        explicit |= stored.is_some();
        let step_match = match resolve_match(&current, step.earlier, stored) {
            Ok(m) => m,
            Err(why) if explicit => return Err(format!("Bis Welle {}: {why}", step.label)),
            Err(_) => return match_by_code(later, last.earlier),
        };
        let Some(next) = step.earlier.question(&step_match.earlier) else {
            return Err(format!("Bis Welle {}: Die frühere Frage gibt es nicht mehr.", step.label));
        };
        current = next.clone();
        chained = Some(match chained {
            None => step_match,
            Some(before) => QuestionMatch {
                earlier: step_match.earlier.clone(),
                values: before
                    .values
                    .iter()
                    .filter_map(|(mine, between)| {
                        step_match
                            .values
                            .iter()
                            .find(|(b, _)| b == between)
                            .map(|(_, theirs)| (mine.clone(), theirs.clone()))
                    })
                    .collect(),
            },
        });
    }
    match chained {
        Some(m) if explicit => Ok(m),
        _ => match_by_code(later, last.earlier),
    }
}

/// The builder's mapping form of one question of the later wave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct MappingForm {
    #[serde(rename = "revision", default, deserialize_with = "form::number")]
    pub revision: Option<i64>,
    #[serde(rename = "fruehere_frage", default, deserialize_with = "form::text")]
    pub earlier: String,
    #[serde(rename = "werte", default, deserialize_with = "form::text")]
    pub values: String,
}

impl FormValues for MappingForm {
    fn values(&self) -> Vec<(String, String)> {
        vec![
            (field::EARLIER_QUESTION.to_string(), self.earlier.clone()),
            (field::VALUE_MAP.to_string(), self.values.clone()),
        ]
    }
}

/// What a valid mapping form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingChange {
    /// Remove the explicit mapping: match by code again.
    ByCode,
    /// Store it (`earlier` empty: not compared).
    Store(StoredMapping),
}

impl MappingForm {
    /// Checks the form for question `later` against the earlier wave: the earlier question
    /// exists and can be compared, and every line `later = earlier` names an option (or row)
    /// of each, each later one once. Empty lines: the codes both questions share.
    pub fn validate(
        &self,
        later: &Question,
        earlier: &Questionnaire,
    ) -> Result<MappingChange, Vec<FieldError>> {
        let at_question = mapping_question_id(&later.code);
        let at_values = mapping_values_id(&later.code);
        match self.earlier.as_str() {
            BY_CODE => return Ok(MappingChange::ByCode),
            NOT_COMPARED => {
                return Ok(MappingChange::Store(StoredMapping {
                    question: later.code.clone(),
                    earlier: String::new(),
                    values: vec![],
                }))
            }
            "" => {
                return Err(vec![FieldError::new(
                    at_question,
                    "Bitte wählen Sie die frühere Frage, mit der diese Frage verglichen wird.",
                )])
            }
            _ => {}
        }
        if !comparable(later) {
            return Err(vec![FieldError::new(
                at_question,
                "Freitexte und persönliche Angaben werden nicht verglichen.",
            )]);
        }
        let Some(e) = earlier.question(&self.earlier) else {
            return Err(vec![FieldError::new(
                at_question,
                "Diese Frage gibt es in der früheren Welle nicht. Bitte wählen Sie eine aus der Liste.",
            )]);
        };
        if let Some(problem) = incompatibility(later, e) {
            return Err(vec![FieldError::new(at_question, problem)]);
        }
        let (mine, theirs) = (mapped_values(&later.kind), mapped_values(&e.kind));
        let what =
            if matches!(later.kind, QuestionKind::Matrix { .. }) { "Zeile" } else { "Option" };
        let mut values: Vec<(String, String)> = Vec::new();
        let mut problems = Vec::new();
        if mine.is_empty() {
            if !self.values.trim().is_empty() {
                problems.push("Bewertungen und Zahlen werden als Ganzes verglichen; lassen Sie die Zuordnung der Werte leer.".to_string());
            }
        } else if self.values.trim().is_empty() {
            values = mine
                .iter()
                .filter(|c| theirs.iter().any(|t| t.code == c.code))
                .map(|c| (c.code.clone(), c.code.clone()))
                .collect();
            if values.is_empty() {
                problems.push(format!("Die Fragen haben keinen Code einer {what} gemeinsam. Bitte ordnen Sie zeilenweise zu: „neuer Code = früherer Code“."));
            }
        } else {
            for (i, line) in self.values.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let line_no = i + 1;
                let Some((l, a)) = line.split_once('=') else {
                    problems.push(format!(
                        "Zeile {line_no}: Bitte schreiben Sie „neuer Code = früherer Code“."
                    ));
                    continue;
                };
                let (l, a) = (l.trim(), a.trim());
                if !mine.iter().any(|c| c.code == l) {
                    problems.push(format!(
                        "Zeile {line_no}: „{l}“ ist keine {what} dieser Frage (Codes: {}).",
                        codes(&mine).join(", ")
                    ));
                } else if !theirs.iter().any(|c| c.code == a) {
                    problems.push(format!(
                        "Zeile {line_no}: „{a}“ ist keine {what} der früheren Frage (Codes: {}).",
                        codes(&theirs).join(", ")
                    ));
                } else if values.iter().any(|(x, _)| x == l) {
                    problems.push(format!(
                        "Zeile {line_no}: „{l}“ ist schon zugeordnet; jede {what} nur einmal."
                    ));
                } else if values.iter().any(|(_, y)| y == a) {
                    problems.push(format!("Zeile {line_no}: „{a}“ der früheren Frage ist schon zugeordnet; jede nur einmal."));
                } else {
                    values.push((l.to_string(), a.to_string()));
                }
            }
        }
        if !problems.is_empty() {
            return Err(vec![FieldError::new(at_values, problems.join(" "))]);
        }
        // In the later question's order.
        values.sort_by_key(|(l, _)| mine.iter().position(|c| &c.code == l));
        Ok(MappingChange::Store(StoredMapping {
            question: later.code.clone(),
            earlier: e.code.clone(),
            values,
        }))
    }
}

/// The pairs as the form shows them, one `later = earlier` per line.
pub fn values_text(values: &[(String, String)]) -> String {
    values.iter().map(|(l, a)| format!("{l} = {a}")).collect::<Vec<_>>().join("\n")
}

/// One question of the later wave on the builder's mapping section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRow {
    pub code: String,
    pub text: String,
    /// Its explicit mapping, if any (else it matches by code).
    pub stored: Option<StoredMapping>,
    /// The match in effect, or why there is none.
    pub outcome: Result<QuestionMatch, String>,
    /// Whether the form can offer a mapping at all (not a text or personal question).
    pub mappable: bool,
}

/// The builder's view of a later wave: its series, the wave before it and how each question
/// is matched with that wave's questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuilderWaves {
    pub series_title: String,
    pub label: String,
    pub earlier: Option<WaveChoice>,
    /// `(code, "code – text")` of the earlier wave's comparable questions, for the select.
    pub earlier_questions: Vec<(String, String)>,
    pub rows: Vec<MappingRow>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Theme;

    fn q(code: &str, kind: QuestionKind) -> Question {
        Question {
            code: code.into(),
            text: format!("Frage {code}"),
            help: None,
            required: false,
            kind,
            condition: None,
            reference: None,
        }
    }

    fn choice(codes: &[&str]) -> QuestionKind {
        QuestionKind::SingleChoice { options: codes.iter().map(|c| Choice::new(*c, *c)).collect() }
    }

    fn matrix(rows: &[&str], columns: &[&str]) -> QuestionKind {
        QuestionKind::Matrix {
            rows: rows.iter().map(|c| Choice::new(*c, *c)).collect(),
            columns: columns.iter().map(|c| Choice::new(*c, *c)).collect(),
        }
    }

    fn rating(min: u8, max: u8) -> QuestionKind {
        QuestionKind::Rating {
            min,
            max,
            min_label: "gering".into(),
            max_label: "hoch".into(),
            cannot_judge: None,
        }
    }

    fn questionnaire(questions: Vec<Question>) -> Questionnaire {
        Questionnaire {
            id: 1,
            slug: "bedarf".into(),
            title: "Bedarf".into(),
            intro: String::new(),
            duration_minutes: 10,
            status: crate::QuestionnaireStatus::Closed,
            deadline: None,
            themes: vec![Theme { code: "t".into(), title: "T".into(), intro: None, questions }],
        }
    }

    #[test]
    fn labels_follow_years_or_numbers() {
        assert_eq!(next_wave_label("2018", 2026, &["2018".into()]), "2026");
        assert_eq!(next_wave_label("2026", 2026, &["2026".into()]), "2027");
        assert_eq!(next_wave_label("2018", 2026, &["2018".into(), "2026".into()]), "2027");
        assert_eq!(
            next_wave_label("Welle 2", 2026, &["Welle 1".into(), "Welle 2".into()]),
            "Welle 3"
        );
        assert_eq!(next_wave_label("Herbst", 2026, &["Herbst".into()]), "Welle 2");
        let form = CopyForm { label: String::new() };
        assert_eq!(form.label(4, "2026".into(), &["2018".into()]), Ok("2026".into()));
        let taken = CopyForm { label: "2018".into() }.label(4, "x".into(), &["2018".into()]);
        assert_eq!(taken.unwrap_err().field_id, "kopie-4-welle");
        assert!(CopyForm { label: "x".repeat(41) }.label(4, "x".into(), &[]).is_err());
    }

    #[test]
    fn questions_match_by_code_only_when_they_agree() {
        let earlier = questionnaire(vec![
            q("art", choice(&["a", "b"])),
            q("bestand", matrix(&["r1", "r2"], &["ja", "nein"])),
            q("note", rating(1, 5)),
            q("text", QuestionKind::ShortText { max_len: 100 }),
        ]);
        let same = match_by_code(&q("art", choice(&["b", "a"])), &earlier).unwrap();
        assert_eq!(same.earlier, "art");
        assert_eq!(same.values, [("b".to_string(), "b".to_string()), ("a".into(), "a".into())]);
        assert!(match_by_code(&q("art", choice(&["a", "c"])), &earlier)
            .unwrap_err()
            .contains("Antwortoptionen"));
        assert!(match_by_code(&q("bestand", matrix(&["r1", "r3"], &["ja", "nein"])), &earlier)
            .unwrap_err()
            .contains("Zeilen"));
        assert!(match_by_code(&q("bestand", matrix(&["r1", "r2"], &["ja"])), &earlier)
            .unwrap_err()
            .contains("Spalten"));
        assert!(match_by_code(&q("note", rating(1, 4)), &earlier).unwrap_err().contains("Skalen"));
        assert!(match_by_code(&q("note", choice(&["1"])), &earlier).unwrap_err().contains("Art"));
        assert!(match_by_code(&q("neu", rating(1, 5)), &earlier).is_err());
        assert!(resolve_match(
            &q("text", QuestionKind::ShortText { max_len: 100 }),
            &earlier,
            None
        )
        .is_err());
    }

    #[test]
    fn explicit_mappings_are_checked_field_by_field() {
        let earlier = questionnaire(vec![
            q("bestand_alt", matrix(&["griff", "rucksack"], &["ja", "nein"])),
            q("note", rating(1, 5)),
        ]);
        let later = q("bestand", matrix(&["griffbereit", "rucksack", "neu"], &["ja", "nein"]));
        let form = |earlier: &str, values: &str| MappingForm {
            revision: Some(1),
            earlier: earlier.into(),
            values: values.into(),
        };
        let ok = form("bestand_alt", "griffbereit = griff\n\nrucksack=rucksack")
            .validate(&later, &earlier);
        let Ok(MappingChange::Store(stored)) = ok else { panic!("{ok:?}") };
        assert_eq!(
            stored.values,
            [("griffbereit".into(), "griff".into()), ("rucksack".into(), "rucksack".into())]
        );
        // Empty: the shared codes.
        let Ok(MappingChange::Store(shared)) = form("bestand_alt", "").validate(&later, &earlier)
        else {
            panic!()
        };
        assert_eq!(shared.values, [("rucksack".to_string(), "rucksack".to_string())]);
        let errors = form(
            "bestand_alt",
            "griffbereit = gibtsnicht\nneu\nx = griff\nrucksack = griff\nrucksack = rucksack",
        )
        .validate(&later, &earlier)
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field_id, "abgleich-bestand-werte");
        for part in [
            "Zeile 1: „gibtsnicht“ ist keine Zeile der früheren Frage",
            "Zeile 2: Bitte schreiben",
            "Zeile 3: „x“ ist keine Zeile dieser Frage",
            "Zeile 5: „rucksack“ ist schon zugeordnet",
        ] {
            assert!(errors[0].message.contains(part), "{part}: {}", errors[0].message);
        }
        let kind = form("note", "").validate(&later, &earlier).unwrap_err();
        assert_eq!(
            (kind[0].field_id.as_str(), kind[0].message.contains("Art")),
            ("abgleich-bestand-frage", true)
        );
        assert_eq!(
            form("", "").validate(&later, &earlier).unwrap_err()[0].field_id,
            "abgleich-bestand-frage"
        );
        assert!(form("fehlt", "").validate(&later, &earlier).is_err());
        assert_eq!(form(BY_CODE, "egal").validate(&later, &earlier), Ok(MappingChange::ByCode));
        let Ok(MappingChange::Store(none)) = form(NOT_COMPARED, "").validate(&later, &earlier)
        else {
            panic!()
        };
        assert!(none.earlier.is_empty());
        // A rating compares as a whole: no values to map.
        assert!(form("note", "1 = 1").validate(&q("gesamt", rating(1, 5)), &earlier).is_err());
        // Stored mappings are resolved against the current structures.
        assert_eq!(resolve_match(&later, &earlier, Some(&stored)).unwrap().earlier, "bestand_alt");
        assert!(resolve_match(&later, &earlier, Some(&none))
            .unwrap_err()
            .contains("nicht zu vergleichen"));
        let gone = StoredMapping { values: vec![("weg".into(), "griff".into())], ..stored };
        assert!(resolve_match(&later, &earlier, Some(&gone))
            .unwrap_err()
            .contains("passt nicht mehr"));
        assert_eq!(values_text(&shared.values), "rucksack = rucksack");
    }

    #[test]
    fn mappings_chain_through_the_waves_between() {
        // 2018: "sprache" with options a, b; 2022 renamed it "sprachkurs" with x, y (x = a,
        // y = b); 2026 kept the code and option x, and split y into y1 and y2 (y1 = y).
        let w2018 = questionnaire(vec![q("sprache", choice(&["a", "b"]))]);
        let w2022 = questionnaire(vec![q("sprachkurs", choice(&["x", "y"]))]);
        let later = q("sprachkurs", choice(&["x", "y1", "y2"]));
        let to_2022 = [StoredMapping {
            question: "sprachkurs".into(),
            earlier: "sprachkurs".into(),
            values: vec![("x".into(), "x".into()), ("y1".into(), "y".into())],
        }];
        let to_2018 = [StoredMapping {
            question: "sprachkurs".into(),
            earlier: "sprache".into(),
            values: vec![("x".into(), "a".into()), ("y".into(), "b".into())],
        }];
        let steps = [
            WaveStep { label: "2022", earlier: &w2022, mappings: &to_2022 },
            WaveStep { label: "2018", earlier: &w2018, mappings: &to_2018 },
        ];
        let m = resolve_across(&later, &steps).unwrap();
        assert_eq!(m.earlier, "sprache");
        assert_eq!(
            m.values,
            vec![("x".to_string(), "a".to_string()), ("y1".to_string(), "b".to_string())]
        );

        // "Not compared" anywhere on the way ends the chain, and says where.
        let refused = [StoredMapping {
            question: "sprachkurs".into(),
            earlier: String::new(),
            values: vec![],
        }];
        let steps = [
            WaveStep { label: "2022", earlier: &w2022, mappings: &to_2022 },
            WaveStep { label: "2018", earlier: &w2018, mappings: &refused },
        ];
        let why = resolve_across(&later, &steps).unwrap_err();
        assert!(why.starts_with("Bis Welle 2018: "), "{why}");
    }

    #[test]
    fn without_mappings_a_question_matches_by_code_even_across_a_wave_without_it() {
        let w2018 = questionnaire(vec![q("bedarf", rating(1, 5))]);
        let w2022 = questionnaire(vec![q("anderes", rating(1, 5))]);
        let later = q("bedarf", rating(1, 5));
        let steps = [
            WaveStep { label: "2022", earlier: &w2022, mappings: &[] },
            WaveStep { label: "2018", earlier: &w2018, mappings: &[] },
        ];
        assert_eq!(resolve_across(&later, &steps).unwrap().earlier, "bedarf");
        // One step: exactly the direct match.
        let one = [WaveStep { label: "2018", earlier: &w2018, mappings: &[] }];
        assert_eq!(resolve_across(&later, &one), resolve_match(&later, &w2018, None));
        assert!(resolve_across(&later, &[]).is_err());
    }
}

//! From a read LimeSurvey [`Survey`] to a draft questionnaire: groups become themes, questions
//! are mapped by type to what the model here holds, relevance equations of the simple forms
//! become conditions, and everything that is lost on the way is listed by its code with the
//! reason. The [`CodeMap`] records, per column of LimeSurvey's response export, which question
//! (row, option) here takes its value and how answer codes translate.

use super::relevance::{self, Comparison, Relevance};
use super::{Group, Item, LimeSurveyImport, SourceQuestion, Survey};
use crate::imports::{code_from_source, ImportError, ImportedStructure, Unmapped};
use domain::builder::MAX_TEXT_LEN;
use domain::{
    Choice, Condition, Question, QuestionKind, Questionnaire, QuestionnaireStatus, Theme,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Response columns of LimeSurvey's CSV export ("Fragecode" headings) → where they go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeMap {
    pub columns: Vec<ColumnTarget>,
    /// Source question codes whose columns are not imported, with the reason.
    #[serde(default)]
    pub ignored: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnTarget {
    /// The heading as LimeSurvey writes it: `Q1`, `Q2[SQ001]`, `Q2[other]`.
    pub column: String,
    pub target: Target,
}

/// What a column's cell becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "art", rename_all = "snake_case")]
pub enum Target {
    /// One chosen answer: source answer code → our choice code.
    Choice { question: String, values: Vec<(String, String)> },
    /// Text or number, as written.
    Text { question: String },
    /// "Y" ticks `option` of a multiple choice.
    Tick { question: String, option: String },
    /// The "other, namely" text of a multiple choice.
    Other { question: String },
    /// A matrix row: source answer code → our column code.
    Cell { question: String, row: String, values: Vec<(String, String)> },
    /// Known, but not imported.
    Ignored { reason: String },
}

impl CodeMap {
    /// The target of a heading, matched without regard to case; `Q2_SQ001` also finds
    /// `Q2[SQ001]`.
    pub fn target(&self, heading: &str) -> Option<&Target> {
        let heading = heading.trim();
        let find = |h: &str| {
            self.columns.iter().find(|c| c.column.eq_ignore_ascii_case(h)).map(|c| &c.target)
        };
        if let Some(t) = find(heading) {
            return Some(t);
        }
        heading
            .char_indices()
            .filter(|(_, c)| *c == '_')
            .find_map(|(i, _)| find(&format!("{}[{}]", &heading[..i], &heading[i + 1..])))
    }

    /// Why the columns of an unmapped source question are not imported, if the heading is one.
    pub fn ignored_reason(&self, heading: &str) -> Option<&str> {
        let base = heading.split(['[', '_']).next().unwrap_or(heading).trim();
        self.ignored.iter().find(|(c, _)| c.eq_ignore_ascii_case(base)).map(|(_, r)| r.as_str())
    }
}

/// Fixed columns of LimeSurvey's array types: (source code, our code, label).
const ARRAY_C: [(&str, &str, &str); 3] =
    [("Y", "ja", "Ja"), ("U", "unsicher", "Unsicher"), ("N", "nein", "Nein")];
const ARRAY_E: [(&str, &str, &str); 3] =
    [("I", "zunahme", "Zunahme"), ("S", "gleich", "Gleich"), ("D", "abnahme", "Abnahme")];

const OTHER_VALUE: &str = "-oth-";
const OTHER_CODE: &str = "sonstiges";

/// The German name of a LimeSurvey question type, for the reasons listed.
fn type_name(letter: &str) -> &'static str {
    match letter {
        "L" => "Liste (Optionsfelder)",
        "!" => "Liste (Aufklappmenü)",
        "O" => "Liste mit Kommentar",
        "M" => "Mehrfachauswahl",
        "P" => "Mehrfachauswahl mit Kommentaren",
        "5" => "5-Punkte-Auswahl",
        "A" => "Matrix (5 Punkte)",
        "B" => "Matrix (10 Punkte)",
        "C" => "Matrix (Ja/Unsicher/Nein)",
        "E" => "Matrix (Zunahme/Gleich/Abnahme)",
        "F" => "Matrix",
        "H" => "Matrix nach Spalte",
        "1" => "Matrix mit zwei Skalen",
        ":" => "Matrix (Zahlen)",
        ";" => "Matrix (Texte)",
        "N" => "Zahleneingabe",
        "K" => "Mehrfache Zahleneingabe",
        "S" => "Kurzer Freitext",
        "T" => "Langer Freitext",
        "U" => "Sehr langer Freitext",
        "Q" => "Mehrfacher Kurztext",
        "Y" => "Ja/Nein",
        "G" => "Geschlecht",
        "D" => "Datum/Zeit",
        "X" => "Textanzeige",
        "R" => "Rangfolge",
        "|" => "Datei-Upload",
        "*" => "Gleichung",
        "I" => "Sprachumschaltung",
        _ => "unbekannt",
    }
}

/// Attributes that change what a respondent may answer, which the model here does not hold.
const BEHAVIOUR_ATTRIBUTES: [(&str, &str); 12] = [
    ("min_answers", "Mindestzahl an Antworten"),
    ("max_answers", "Höchstzahl an Antworten"),
    ("array_filter", "Matrix-/Optionsfilter"),
    ("array_filter_exclude", "Ausschluss-Filter"),
    ("exclude_all_others", "„schließt alle anderen aus“"),
    ("em_validation_q", "Prüfgleichung der Frage"),
    ("em_validation_sq", "Prüfgleichung der Teilfragen"),
    ("equals_num_value", "Summe muss gleich sein"),
    ("min_num_value", "Mindestsumme"),
    ("max_num_value", "Höchstsumme"),
    ("other_comment_mandatory", "Pflichtkommentar zu „Sonstiges“"),
    ("other_numbers_only", "nur Zahlen bei „Sonstiges“"),
];

/// Where a mapped source question went, for conditions that point to it.
struct Mapped {
    source_id: String,
    source: String,
    letter: String,
    /// Our question code (of the whole question; split types have none).
    code: Option<String>,
    /// Subquestion code → row or option code.
    subs: Vec<(String, String)>,
    /// Subquestion id → subquestion code, for LimeSurvey 6's names `Q12_S34`.
    sub_ids: Vec<(String, String)>,
    /// Answer code → our choice code.
    values: Vec<(String, String)>,
}

struct Builder {
    question_codes: HashSet<String>,
    unmapped: Vec<Unmapped>,
    codes: CodeMap,
    mapped: Vec<Mapped>,
}

/// Turns the read survey into the draft, its losses and the code map.
pub fn map_survey(survey: Survey) -> Result<LimeSurveyImport, ImportError> {
    let question_count: usize = survey.groups.iter().map(|g| g.questions.len()).sum();
    if question_count == 0 {
        return Err(ImportError("Die Datei enthält keine Fragen.".into()));
    }
    let mut b = Builder {
        question_codes: HashSet::new(),
        unmapped: Vec::new(),
        codes: CodeMap::default(),
        mapped: Vec::new(),
    };
    let mut theme_codes = HashSet::new();
    let mut themes = Vec::new();
    for (n, group) in survey.groups.iter().enumerate() {
        let title = if group.title.trim().is_empty() {
            format!("Gruppe {}", n + 1)
        } else {
            first_line(&group.title, 200)
        };
        let code = code_from_source(&title, "thema", &mut theme_codes);
        let mut theme = Theme {
            code,
            title,
            intro: Some(group.description.clone()).filter(|d| !d.trim().is_empty()),
            questions: Vec::new(),
        };
        b.map_group(group, &survey, &mut theme);
        themes.push(theme);
    }
    let intro = [survey.description.as_str(), survey.welcome.as_str()]
        .iter()
        .filter(|t| !t.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    let title = if survey.title.trim().is_empty() {
        "Importierte LimeSurvey-Umfrage".to_string()
    } else {
        first_line(&survey.title, 200)
    };
    let questionnaire = Questionnaire {
        id: 0,
        slug: domain::locale::code_from_label(&title).replace('_', "-").chars().take(40).collect(),
        title,
        intro,
        duration_minutes: 15,
        status: QuestionnaireStatus::Draft,
        deadline: None,
        themes,
    };
    let problems = questionnaire.check_draft();
    if !problems.is_empty() {
        return Err(ImportError(format!(
            "Der Entwurf aus dieser Datei ist nicht stimmig: {}",
            problems.join(" ")
        )));
    }
    Ok(LimeSurveyImport {
        structure: ImportedStructure { questionnaire, unmapped: b.unmapped },
        language: survey.language,
        languages: survey.languages,
        codes: b.codes,
    })
}

fn first_line(text: &str, max: usize) -> String {
    text.lines().next().unwrap_or("").trim().chars().take(max).collect()
}

fn label(item: &Item) -> String {
    if item.text.trim().is_empty() {
        item.code.clone()
    } else {
        first_line(&item.text, 300)
    }
}

/// Choices from items, their codes through `code_from_source`; (source, ours) pairs beside.
fn choices(items: &[&Item], fallback: &str) -> (Vec<Choice>, Vec<(String, String)>) {
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    let mut pairs = Vec::new();
    for item in items {
        let code = code_from_source(&item.code, fallback, &mut taken);
        pairs.push((item.code.clone(), code.clone()));
        out.push(Choice::new(code, label(item)));
    }
    (out, pairs)
}

fn scale(items: &[Item], scale: u8) -> Vec<&Item> {
    items.iter().filter(|i| i.scale == scale).collect()
}

fn number_attr(q: &SourceQuestion, name: &str) -> Option<f64> {
    q.attribute(name)
        .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

impl Builder {
    fn lose(&mut self, code: &str, reason: impl Into<String>) {
        self.unmapped.push(Unmapped { code: code.to_string(), reason: reason.into() });
    }

    fn column(&mut self, column: String, target: Target) {
        self.codes.columns.push(ColumnTarget { column, target });
    }

    fn map_group(&mut self, group: &Group, survey: &Survey, theme: &mut Theme) {
        let group_label = format!("Gruppe „{}“", theme.title);
        let group_relevance = match relevance::parse(&group.relevance) {
            Ok(Relevance::Always) => None,
            Ok(Relevance::AnyOf(list)) => Some(list),
            Err(reason) => {
                self.lose(
                    &group_label,
                    format!(
                        "Die Bedingung der Gruppe „{}“ wird nicht übernommen ({reason}); ihre Fragen werden immer gezeigt.",
                        group.relevance
                    ),
                );
                None
            }
        };
        for q in &group.questions {
            let before = theme.questions.len();
            self.map_question(q, theme);
            let own = self.condition_of(q, survey);
            for question in theme.questions.iter_mut().skip(before) {
                question.condition = match (&own, &group_relevance) {
                    (Some(c), _) => Some(c.clone()),
                    (None, Some(list))
                        if q.relevance.trim().is_empty() || q.relevance.trim() == "1" =>
                    {
                        match self.resolve(list) {
                            Ok(c) => Some(c),
                            Err(reason) => {
                                self.unmapped.push(Unmapped {
                                    code: q.code.clone(),
                                    reason: format!(
                                        "Die Bedingung der Gruppe „{}“ wird nicht übernommen: {reason}",
                                        group.relevance
                                    ),
                                });
                                None
                            }
                        }
                    }
                    _ => None,
                };
            }
            if own.is_some() && group_relevance.is_some() {
                self.lose(
                    &q.code,
                    format!(
                        "Die Bedingung der Gruppe „{}“ gilt hier nicht zusätzlich zur Bedingung der Frage (nur eine Bedingung je Frage).",
                        group.relevance
                    ),
                );
            }
        }
    }

    /// The question's own condition (relevance, or old-style conditions), listing it when it
    /// cannot be carried over.
    fn condition_of(&mut self, q: &SourceQuestion, survey: &Survey) -> Option<Condition> {
        let mapped_here = self.mapped.iter().any(|m| m.source_id == q.id);
        if !mapped_here {
            return None;
        }
        let equation = q.relevance.trim();
        let parsed = if equation.is_empty() || equation == "1" {
            match old_conditions(q, survey) {
                Ok(None) => return None,
                Ok(Some(list)) => Ok(list),
                Err(reason) => Err(reason),
            }
        } else {
            match relevance::parse(equation) {
                Ok(Relevance::Always) => return None,
                Ok(Relevance::AnyOf(list)) => Ok(list),
                Err(reason) => Err(reason),
            }
        };
        let result = parsed.and_then(|list| self.resolve_before(&list, &q.id));
        match result {
            Ok(c) => Some(c),
            Err(reason) => {
                let shown = if equation.is_empty() || equation == "1" {
                    "Die Bedingungen (conditions) werden nicht übernommen".to_string()
                } else {
                    format!("Die Bedingung „{equation}“ wird nicht übernommen")
                };
                self.lose(&q.code, format!("{shown}: {reason} Die Frage wird immer gezeigt."));
                None
            }
        }
    }

    /// Resolves comparisons against the questions mapped before `own_id`.
    fn resolve_before(&self, list: &[Comparison], own_id: &str) -> Result<Condition, String> {
        let condition = self.resolve(list)?;
        let own_index = self.mapped.iter().position(|m| m.source_id == own_id);
        let parent_index =
            self.mapped.iter().position(|m| m.code.as_deref() == Some(condition.question.as_str()));
        match (parent_index, own_index) {
            (Some(p), Some(o)) if p < o => Ok(condition),
            _ => Err("Sie verweist auf keine frühere Frage.".into()),
        }
    }

    /// Comparisons → one condition on one question (and matrix row).
    fn resolve(&self, list: &[Comparison]) -> Result<Condition, String> {
        let mut out: Option<Condition> = None;
        for c in list {
            let (m, sub) = self
                .find_variable(&c.variable)
                .ok_or_else(|| format!("„{}“ ist keine übernommene Frage.", c.variable))?;
            let code = m
                .code
                .clone()
                .ok_or_else(|| format!("„{}“ ist keine Auswahlfrage.", c.variable))?;
            let (row, values): (Option<String>, Vec<String>) = match m.letter.as_str() {
                "L" | "!" | "O" | "G" | "Y" | "5" if sub.is_none() => {
                    let values = match &c.value {
                        None => m.values.iter().map(|(_, v)| v.clone()).collect(),
                        Some(v) => vec![lookup(&m.values, v).ok_or_else(|| {
                            format!("„{v}“ ist keine Antwort von „{}“.", m.source)
                        })?],
                    };
                    (None, values)
                }
                "M" | "P" => {
                    let sub = sub
                        .ok_or_else(|| format!("Bei „{}“ fehlt die gewählte Option.", m.source))?;
                    let option = lookup(&m.subs, &sub)
                        .ok_or_else(|| format!("„{sub}“ ist keine Option von „{}“.", m.source))?;
                    match c.value.as_deref() {
                        None | Some("Y") => (None, vec![option]),
                        Some(v) => {
                            return Err(format!(
                                "Der Wert „{v}“ einer Option wird nicht übernommen (nur „Y“)."
                            ))
                        }
                    }
                }
                "A" | "B" | "C" | "E" | "F" | "H" | "1" => {
                    let sub = sub
                        .ok_or_else(|| format!("Bei der Matrix „{}“ fehlt die Zeile.", m.source))?;
                    let row = lookup(&m.subs, &sub)
                        .ok_or_else(|| format!("„{sub}“ ist keine Zeile von „{}“.", m.source))?;
                    let values = match &c.value {
                        None => m.values.iter().map(|(_, v)| v.clone()).collect(),
                        Some(v) => vec![lookup(&m.values, v).ok_or_else(|| {
                            format!("„{v}“ ist keine Spalte von „{}“.", m.source)
                        })?],
                    };
                    (Some(row), values)
                }
                _ => return Err(format!("„{}“ ist keine Auswahlfrage.", c.variable)),
            };
            match &mut out {
                None => out = Some(Condition { question: code, row, any_of: values }),
                Some(existing) if existing.question == code && existing.row == row => {
                    for v in values {
                        if !existing.any_of.contains(&v) {
                            existing.any_of.push(v);
                        }
                    }
                }
                Some(_) => {
                    return Err("Sie verknüpft mehrere Fragen oder Zeilen.".into());
                }
            }
        }
        out.ok_or_else(|| "Die Bedingung ist leer.".into())
    }

    /// A variable of an equation: a question code, a question code with subquestion
    /// (`Q2_SQ001`), or LimeSurvey's internal name (`123X4X56SQ001`).
    fn find_variable(&self, variable: &str) -> Option<(&Mapped, Option<String>)> {
        if let Some(rest) = internal_name(variable) {
            // The question id runs into the subquestion code: the longest known id wins.
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            for len in (1..=digits.len()).rev() {
                if let Some(m) = self.mapped.iter().find(|m| m.source_id == digits[..len]) {
                    let sub = &rest[len..];
                    return Some((m, Some(sub.to_string()).filter(|s| !s.is_empty())));
                }
            }
            return None;
        }
        // LimeSurvey 6 names a question `Q<qid>` and its subquestion `Q<qid>_S<sqid>`.
        if let Some(rest) = variable.strip_prefix('Q') {
            let (qid, sqid) = match rest.split_once("_S") {
                Some((q, s)) => (q, Some(s)),
                None => (rest, None),
            };
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if digits(qid)
                && sqid.is_none_or(digits)
                && !self.mapped.iter().any(|m| m.source == variable)
            {
                if let Some(m) = self.mapped.iter().find(|m| m.source_id == qid) {
                    let sub = match sqid {
                        None => None,
                        Some(s) => Some(m.sub_ids.iter().find(|(id, _)| id == s)?.1.clone()),
                    };
                    return Some((m, sub));
                }
            }
        }
        let exact = |code: &str| {
            self.mapped
                .iter()
                .find(|m| m.source == code)
                .or_else(|| self.mapped.iter().find(|m| m.source.eq_ignore_ascii_case(code)))
        };
        if let Some(m) = exact(variable) {
            return Some((m, None));
        }
        variable.char_indices().filter(|(_, c)| *c == '_').find_map(|(i, _)| {
            exact(&variable[..i]).map(|m| (m, Some(variable[i + 1..].to_string())))
        })
    }

    fn map_question(&mut self, q: &SourceQuestion, theme: &mut Theme) {
        let letter = q.kind.as_str();
        let code_src = if q.code.is_empty() { format!("qid{}", q.id) } else { q.code.clone() };
        if q.attribute("hidden") == Some("1") {
            self.lose(&code_src, "Die Frage ist in LimeSurvey verborgen (Attribut „hidden“) und wird nicht übernommen.");
            self.codes.ignored.push((code_src, "in LimeSurvey verborgen".into()));
            return;
        }
        let text =
            if q.text.trim().is_empty() { code_src.clone() } else { q.text.trim().to_string() };
        let help = Some(q.help.trim().to_string()).filter(|h| !h.is_empty());
        let required = q.mandatory == "Y";
        if q.mandatory == "S" {
            self.lose(&code_src, "Die weiche Pflicht (Hinweis, wenn unbeantwortet) wird als freiwillige Frage übernommen.");
        }
        let other_label = q
            .attribute("other_replace_text")
            .map(|t| first_line(t, 100))
            .unwrap_or_else(|| "Sonstiges".into());
        let single = |code: String, kind: QuestionKind| Question {
            code,
            text: text.clone(),
            help: help.clone(),
            required,
            kind,
            condition: None,
            reference: None,
        };
        let mut mapped = Mapped {
            source_id: q.id.clone(),
            source: code_src.clone(),
            letter: letter.to_string(),
            code: None,
            subs: Vec::new(),
            sub_ids: q
                .subquestions
                .iter()
                .filter(|s| !s.id.is_empty())
                .map(|s| (s.id.clone(), s.code.clone()))
                .collect(),
            values: Vec::new(),
        };
        let mut questions: Vec<Question> = Vec::new();
        match letter {
            "L" | "!" | "O" => {
                let answers = scale(&q.answers, 0);
                if answers.is_empty() && !q.other {
                    return self.not_taken(&code_src, "Die Liste hat keine Antwortoptionen.");
                }
                let (mut options, mut pairs) = choices(&answers, "option");
                if q.other {
                    let mut taken: HashSet<String> =
                        options.iter().map(|c| c.code.clone()).collect();
                    let code = code_from_source(OTHER_CODE, "option", &mut taken);
                    options.push(Choice::new(code.clone(), other_label.clone()));
                    pairs.push((OTHER_VALUE.to_string(), code));
                    self.lose(&code_src, format!("„{other_label}“ wird als Antwortoption übernommen; der Freitext dazu nicht (Einfachauswahl ohne Textfeld)."));
                    self.column(
                        format!("{code_src}[other]"),
                        Target::Ignored {
                            reason: "Freitext zu „Sonstiges“ einer Einfachauswahl".into(),
                        },
                    );
                }
                if letter == "O" {
                    self.lose(&code_src, "Das Kommentarfeld der Liste wird nicht übernommen.");
                    self.column(
                        format!("{code_src}[comment]"),
                        Target::Ignored { reason: "Kommentar zur Liste".into() },
                    );
                }
                let code = self.question_code(&code_src);
                self.column(
                    code_src.clone(),
                    Target::Choice { question: code.clone(), values: pairs.clone() },
                );
                mapped.values = pairs;
                mapped.code = Some(code.clone());
                questions.push(single(code, QuestionKind::SingleChoice { options }));
            }
            "M" | "P" => {
                let subs = scale(&q.subquestions, 0);
                if subs.is_empty() {
                    return self.not_taken(
                        &code_src,
                        "Die Mehrfachauswahl hat keine Optionen (Teilfragen).",
                    );
                }
                let (options, pairs) = choices(&subs, "option");
                let code = self.question_code(&code_src);
                for (src, ours) in &pairs {
                    self.column(
                        format!("{code_src}[{src}]"),
                        Target::Tick { question: code.clone(), option: ours.clone() },
                    );
                    if letter == "P" {
                        self.column(
                            format!("{code_src}[{src}comment]"),
                            Target::Ignored { reason: "Kommentar zu einer Option".into() },
                        );
                    }
                }
                if letter == "P" {
                    self.lose(
                        &code_src,
                        "Die Kommentarfelder zu den Optionen werden nicht übernommen.",
                    );
                }
                let other = q.other.then(|| other_label.clone());
                if other.is_some() {
                    self.column(
                        format!("{code_src}[other]"),
                        Target::Other { question: code.clone() },
                    );
                    if letter == "P" {
                        self.column(
                            format!("{code_src}[othercomment]"),
                            Target::Ignored { reason: "Kommentar zu „Sonstiges“".into() },
                        );
                    }
                }
                mapped.subs = pairs;
                mapped.code = Some(code.clone());
                questions.push(single(code, QuestionKind::MultipleChoice { options, other }));
            }
            "5" => {
                let code = self.question_code(&code_src);
                let values: Vec<(String, String)> =
                    (1..=5).map(|v| (v.to_string(), v.to_string())).collect();
                self.column(
                    code_src.clone(),
                    Target::Choice { question: code.clone(), values: values.clone() },
                );
                mapped.values = values;
                mapped.code = Some(code.clone());
                questions.push(single(
                    code,
                    QuestionKind::Rating {
                        min: 1,
                        max: 5,
                        min_label: "niedrigster Wert".into(),
                        max_label: "höchster Wert".into(),
                        cannot_judge: None,
                    },
                ));
            }
            "Y" => {
                let code = self.question_code(&code_src);
                let values = vec![
                    ("Y".to_string(), domain::questionnaire::YES.to_string()),
                    ("N".to_string(), domain::questionnaire::NO.to_string()),
                ];
                self.column(
                    code_src.clone(),
                    Target::Choice { question: code.clone(), values: values.clone() },
                );
                mapped.values = values;
                mapped.code = Some(code.clone());
                questions.push(single(code, QuestionKind::YesNo));
            }
            "G" => {
                let code = self.question_code(&code_src);
                let values = vec![
                    ("F".to_string(), "weiblich".to_string()),
                    ("M".to_string(), "maennlich".to_string()),
                ];
                self.column(
                    code_src.clone(),
                    Target::Choice { question: code.clone(), values: values.clone() },
                );
                mapped.values = values;
                mapped.code = Some(code.clone());
                questions.push(single(
                    code,
                    QuestionKind::SingleChoice {
                        options: vec![
                            Choice::new("weiblich", "weiblich"),
                            Choice::new("maennlich", "männlich"),
                        ],
                    },
                ));
            }
            "A" | "B" | "C" | "E" | "F" | "H" | "1" => {
                let rows_src = scale(&q.subquestions, 0);
                if rows_src.is_empty() {
                    return self.not_taken(&code_src, "Die Matrix hat keine Zeilen (Teilfragen).");
                }
                let (rows, row_pairs) = choices(&rows_src, "zeile");
                let fixed = |list: &[(&str, &str, &str)]| -> (Vec<Choice>, Vec<(String, String)>) {
                    (
                        list.iter().map(|(_, c, l)| Choice::new(*c, *l)).collect(),
                        list.iter().map(|(s, c, _)| (s.to_string(), c.to_string())).collect(),
                    )
                };
                let numbered = |n: u8| -> (Vec<Choice>, Vec<(String, String)>) {
                    (
                        (1..=n).map(|v| Choice::new(v.to_string(), v.to_string())).collect(),
                        (1..=n).map(|v| (v.to_string(), v.to_string())).collect(),
                    )
                };
                let (columns, values) = match letter {
                    "A" => numbered(5),
                    "B" => numbered(10),
                    "C" => fixed(&ARRAY_C),
                    "E" => fixed(&ARRAY_E),
                    _ => choices(&scale(&q.answers, 0), "spalte"),
                };
                if columns.is_empty() {
                    return self
                        .not_taken(&code_src, "Die Matrix hat keine Spalten (Antwortoptionen).");
                }
                let code = self.question_code(&code_src);
                for (src, row) in &row_pairs {
                    let target = Target::Cell {
                        question: code.clone(),
                        row: row.clone(),
                        values: values.clone(),
                    };
                    if letter == "1" {
                        self.column(format!("{code_src}[{src}][1]"), target);
                        self.column(
                            format!("{code_src}[{src}][2]"),
                            Target::Ignored { reason: "zweite Skala einer Matrix".into() },
                        );
                    } else {
                        self.column(format!("{code_src}[{src}]"), target);
                    }
                }
                if letter == "1" {
                    self.lose(
                        &code_src,
                        "Matrix mit zwei Skalen: nur die erste Skala wird übernommen.",
                    );
                }
                let extra_scale = q.subquestions.iter().any(|s| s.scale > 0);
                if extra_scale {
                    self.lose(&code_src, "Teilfragen einer zweiten Achse werden nicht übernommen.");
                }
                if q.other {
                    self.lose(&code_src, "„Sonstiges“ wird bei Matrizen nicht übernommen.");
                }
                mapped.subs = row_pairs;
                mapped.values = values;
                mapped.code = Some(code.clone());
                questions.push(single(code, QuestionKind::Matrix { rows, columns }));
            }
            "N" => {
                let code = self.question_code(&code_src);
                self.column(code_src.clone(), Target::Text { question: code.clone() });
                mapped.code = Some(code.clone());
                questions.push(single(code, self.number_kind(q, &code_src)));
            }
            "K" | "Q" => {
                let subs = scale(&q.subquestions, 0);
                if subs.is_empty() {
                    return self.not_taken(&code_src, "Die Frage hat keine Teilfragen.");
                }
                for sub in subs {
                    let code = self.question_code(&format!("{code_src}_{}", sub.code));
                    self.column(
                        format!("{code_src}[{}]", sub.code),
                        Target::Text { question: code.clone() },
                    );
                    let kind = if letter == "K" {
                        self.number_kind(q, &code_src)
                    } else {
                        QuestionKind::ShortText { max_len: text_len(q, 500) }
                    };
                    let mut question = single(code, kind);
                    question.text = format!("{text}: {}", label(sub));
                    questions.push(question);
                }
                self.lose(
                    &code_src,
                    format!("{}: jede Teilfrage wird eine eigene Frage.", type_name(letter)),
                );
            }
            "S" => {
                let code = self.question_code(&code_src);
                self.column(code_src.clone(), Target::Text { question: code.clone() });
                mapped.code = Some(code.clone());
                questions.push(single(code, QuestionKind::ShortText { max_len: text_len(q, 500) }));
            }
            "T" | "U" => {
                let code = self.question_code(&code_src);
                self.column(code_src.clone(), Target::Text { question: code.clone() });
                mapped.code = Some(code.clone());
                let default = if letter == "U" { MAX_TEXT_LEN } else { 5000 };
                questions
                    .push(single(code, QuestionKind::LongText { max_len: text_len(q, default) }));
            }
            "D" => {
                let code = self.question_code(&code_src);
                self.column(code_src.clone(), Target::Text { question: code.clone() });
                mapped.code = Some(code.clone());
                self.lose(
                    &code_src,
                    "Datumsfrage: als kurzer Freitext übernommen, ohne Prüfung auf ein Datum.",
                );
                questions.push(single(code, QuestionKind::ShortText { max_len: 30 }));
            }
            "X" => {
                let intro = theme.intro.get_or_insert_with(String::new);
                if !intro.is_empty() {
                    intro.push_str("\n\n");
                }
                intro.push_str(&text);
                self.lose(
                    &code_src,
                    format!(
                        "Textanzeige: als Einleitung des Themas „{}“ übernommen, nicht als Frage.",
                        theme.title
                    ),
                );
                return;
            }
            other => {
                let reason = if type_name(other) == "unbekannt" {
                    format!("Der Fragetyp „{other}“ ist unbekannt und wird nicht übernommen.")
                } else {
                    format!("Fragetyp „{other}“ ({}) wird nicht unterstützt.", type_name(other))
                };
                return self.not_taken(&code_src, &reason);
            }
        }
        for (name, what) in BEHAVIOUR_ATTRIBUTES {
            if let Some(v) = q.attribute(name).filter(|v| *v != "0") {
                self.lose(
                    &code_src,
                    format!(
                        "Die Einstellung {what} („{name}“ = „{}“) wird nicht übernommen.",
                        first_line(v, 80)
                    ),
                );
            }
        }
        if !q.validation.is_empty() {
            self.lose(
                &code_src,
                format!(
                    "Die Prüfung durch einen regulären Ausdruck („{}“) wird nicht übernommen.",
                    first_line(&q.validation, 80)
                ),
            );
        }
        self.mapped.push(mapped);
        theme.questions.extend(questions);
    }

    fn not_taken(&mut self, code: &str, reason: &str) {
        self.lose(code, reason);
        self.codes.ignored.push((code.to_string(), reason.to_string()));
    }

    fn question_code(&mut self, source: &str) -> String {
        code_from_source(source, "frage", &mut self.question_codes)
    }

    fn number_kind(&mut self, q: &SourceQuestion, code: &str) -> QuestionKind {
        let mut min = number_attr(q, "min_num_value_n");
        let mut max = number_attr(q, "max_num_value_n");
        for (name, value) in [("min_num_value_n", &mut min), ("max_num_value_n", &mut max)] {
            if value.is_none() && q.attribute(name).is_some() {
                self.lose(code, format!("Die Grenze „{name}“ ist keine Zahl (z. B. eine Gleichung) und wird nicht übernommen."));
            }
        }
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                self.lose(code, "Das Minimum ist größer als das Maximum; beide Grenzen werden nicht übernommen.");
                min = None;
                max = None;
            }
        }
        QuestionKind::Number {
            min,
            max,
            unit: q
                .attribute("suffix")
                .map(|s| first_line(&super::plain_text(s), 40))
                .filter(|s| !s.is_empty()),
            integer: q.attribute("num_value_int_only") == Some("1"),
        }
    }
}

fn text_len(q: &SourceQuestion, default: u32) -> u32 {
    q.attribute("maximum_chars")
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|v| *v > 0)
        .map(|v| v.min(MAX_TEXT_LEN))
        .unwrap_or(default)
}

fn lookup(pairs: &[(String, String)], source: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(s, _)| s == source)
        .or_else(|| pairs.iter().find(|(s, _)| s.eq_ignore_ascii_case(source)))
        .map(|(_, c)| c.clone())
}

/// `12345X6X78…`: LimeSurvey's internal field name; the part after the group id.
fn internal_name(variable: &str) -> Option<&str> {
    let v = variable.strip_prefix('+').unwrap_or(variable);
    let mut parts = v.splitn(3, 'X');
    let (sid, gid, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(sid) && digits(gid) && rest.starts_with(|c: char| c.is_ascii_digit())).then_some(rest)
}

/// LimeSurvey's old conditions of a question, when they are one scenario of equalities on
/// one field (which is what its condition designer writes for "show if Q1 is A1 or A2").
fn old_conditions(q: &SourceQuestion, survey: &Survey) -> Result<Option<Vec<Comparison>>, String> {
    let list: Vec<_> = survey.conditions.iter().filter(|c| c.qid == q.id).collect();
    if list.is_empty() {
        return Ok(None);
    }
    let scenarios: HashSet<&str> = list.iter().map(|c| c.scenario.as_str()).collect();
    if scenarios.len() > 1 {
        return Err(
            "Mehrere Szenarien (oder-verknüpfte Gruppen von Bedingungen) werden nicht übernommen."
                .into(),
        );
    }
    let fields: HashSet<&str> = list.iter().map(|c| c.cfieldname.as_str()).collect();
    if fields.len() > 1 {
        return Err("Bedingungen auf mehrere Fragen werden nicht übernommen.".into());
    }
    let mut out = Vec::new();
    for c in list {
        if c.method != "==" {
            return Err(format!("Der Vergleich „{}“ wird nicht übernommen (nur „==“).", c.method));
        }
        // Multiple choice: "+SGQA" names the question, the value the ticked option.
        if let Some(field) = c.cfieldname.strip_prefix('+') {
            out.push(Comparison {
                variable: format!("{field}{}", c.value),
                value: Some("Y".into()),
            });
        } else {
            out.push(Comparison { variable: c.cfieldname.clone(), value: Some(c.value.clone()) });
        }
    }
    Ok(Some(out))
}

//! LimeSurvey's CSV export of responses ("Antworten exportieren" → CSV, headings as question
//! codes, answers as answer codes) read into answers of a questionnaire: each column is found
//! in the [`CodeMap`] of the structure import (or, for a questionnaire built here, by our own
//! codes), each cell checked against the question, each row against the questionnaire's rules
//! (required answers, numbers, lengths). Rows without a submission date are incomplete in
//! LimeSurvey: they are skipped and counted, not imported as drafts. Any problem, in any row,
//! comes back with its line number and nothing is imported.

use super::mapping::{CodeMap, ColumnTarget, Target};
use crate::imports::ImportError;
use domain::answers::Answers;
use domain::locale::code_from_label;
use domain::reference::{MUNICIPALITIES, ORG_KINDS, WHOLE_COUNTY};
use domain::validation::{too_long_to_store, validate_all};
use domain::{QuestionKind, Questionnaire};
use std::borrow::Cow;

pub const MAX_RESPONSE_BYTES: usize = 20 * 1024 * 1024;
/// Problems listed at most; the rest are counted.
pub const MAX_PROBLEMS: usize = 200;

/// Which columns hold the kind of organisation and the municipalities served, and how their
/// values translate (each `Wert = Ziel`, the target a kind's code or label, an AGS or a name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    pub kind_column: Option<String>,
    pub municipality_column: Option<String>,
    pub values: Vec<(String, String)>,
}

/// One complete response as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadResponse {
    pub line: usize,
    pub answers: Answers,
    /// `None`: LimeSurvey kept no date (anonymous surveys store 1980-01-01); the import's time.
    pub submitted_at: Option<i64>,
    pub org_kind: Option<String>,
    pub municipalities: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponsesRead {
    pub responses: Vec<ReadResponse>,
    /// Rows without submission date, skipped.
    pub incomplete: usize,
    /// Headings of columns not imported (comments, unknown columns), in file order.
    pub ignored_columns: Vec<String>,
}

/// A problem of the file: line 0 for the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub message: String,
}

impl LineProblem {
    fn file(message: impl Into<String>) -> Vec<LineProblem> {
        vec![LineProblem { line: 0, message: message.into() }]
    }
}

impl From<ImportError> for Vec<LineProblem> {
    fn from(e: ImportError) -> Self {
        LineProblem::file(e.0)
    }
}

/// LimeSurvey's own columns besides the answers.
const META: [&str; 12] = [
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
    "optout",
];

/// The code map of a questionnaire not imported from LimeSurvey: its own codes as headings.
pub fn own_code_map(q: &Questionnaire) -> CodeMap {
    let mut columns = Vec::new();
    for question in q.questions() {
        let code = question.code.clone();
        let identity = |choices: Vec<domain::Choice>| -> Vec<(String, String)> {
            choices.into_iter().map(|c| (c.code.clone(), c.code)).collect()
        };
        match &question.kind {
            QuestionKind::MultipleChoice { options, other } => {
                for o in options {
                    columns.push(ColumnTarget {
                        column: format!("{code}[{}]", o.code),
                        target: Target::Tick { question: code.clone(), option: o.code.clone() },
                    });
                }
                if other.is_some() {
                    columns.push(ColumnTarget {
                        column: format!("{code}[other]"),
                        target: Target::Other { question: code.clone() },
                    });
                }
            }
            QuestionKind::Matrix { rows, columns: cols } => {
                for r in rows {
                    columns.push(ColumnTarget {
                        column: format!("{code}[{}]", r.code),
                        target: Target::Cell {
                            question: code.clone(),
                            row: r.code.clone(),
                            values: identity(cols.clone()),
                        },
                    });
                }
            }
            QuestionKind::Number { .. }
            | QuestionKind::ShortText { .. }
            | QuestionKind::LongText { .. } => columns.push(ColumnTarget {
                column: code.clone(),
                target: Target::Text { question: code.clone() },
            }),
            kind => columns.push(ColumnTarget {
                column: code.clone(),
                target: Target::Choice { question: code.clone(), values: identity(kind.choices()) },
            }),
        }
    }
    CodeMap { columns, ignored: Vec::new() }
}

fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(ImportError(format!(
            "Die Datei ist zu groß. Erlaubt sind höchstens {} MB.",
            MAX_RESPONSE_BYTES / (1024 * 1024)
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError(
            "Die Datei ist eine Tabellen-Arbeitsmappe, keine CSV-Datei. Bitte exportieren Sie die Antworten in LimeSurvey als CSV.".into(),
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return Err(ImportError(
            "Die Datei ist keine Textdatei in UTF-8 oder Windows-1252. Bitte exportieren Sie die Antworten in LimeSurvey als CSV.".into(),
        ));
    }
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(match std::str::from_utf8(without_bom) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(without_bom).0,
    })
}

/// The delimiter of the header line: LimeSurvey writes commas; spreadsheets re-save with `;`.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| d)
        .unwrap_or(b',')
}

/// "2024-03-05 14:30:00" (LimeSurvey, the server's time, taken as German time) → UTC ms;
/// `Ok(None)` for LimeSurvey's stand-in date of undated surveys.
fn submitted_at(raw: &str) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    let bad = || format!("„{raw}“ ist kein Abschlussdatum (JJJJ-MM-TT hh:mm:ss).");
    let (date, time) = raw.split_once([' ', 'T']).unwrap_or((raw, "00:00:00"));
    if date.starts_with("1980-01-01") {
        return Ok(None);
    }
    let (y, m, d) = domain::locale::parse_date(date).ok_or_else(bad)?;
    let mut parts = time.split(':').map(|p| p.trim().parse::<i64>());
    let h = parts.next().unwrap_or(Ok(0)).map_err(|_| bad())?;
    let min = parts.next().unwrap_or(Ok(0)).map_err(|_| bad())?;
    let s = parts.next().unwrap_or(Ok(0)).map_err(|_| bad())?;
    if !(0..24).contains(&h) || !(0..60).contains(&min) || !(0..61).contains(&s) {
        return Err(bad());
    }
    let midnight = domain::clock::berlin_midnight_ms(y as i64, m as u32, d as u32);
    Ok(Some(midnight + ((h * 60 + min) * 60 + s) * 1000))
}

/// What one heading is: a target, or not imported (with whether to mention it).
enum Column<'a> {
    Answer(&'a Target),
    Meta,
    Ignored,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim()) || code_from_label(a) == code_from_label(b)
}

/// Reads the file against the questionnaire.
pub fn read_responses(
    bytes: &[u8],
    questionnaire: &Questionnaire,
    codes: &CodeMap,
    mapping: &ColumnMapping,
) -> Result<ResponsesRead, Vec<LineProblem>> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) => return Err(LineProblem::file("Die Kopfzeile ist nicht lesbar.")),
        None => return Err(LineProblem::file("Die Datei ist leer.")),
    };
    let headings: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let columns: Vec<Column> = headings
        .iter()
        .map(|h| match codes.target(h) {
            Some(Target::Ignored { .. }) => Column::Ignored,
            Some(t) => Column::Answer(t),
            None if META.iter().any(|m| m.eq_ignore_ascii_case(h))
                || h.ends_with("Time")
                || h.to_ascii_lowercase().starts_with("grouptime") =>
            {
                Column::Meta
            }
            None => Column::Ignored,
        })
        .collect();
    let ignored_columns: Vec<String> = headings
        .iter()
        .zip(&columns)
        .filter(|(_, c)| matches!(c, Column::Ignored))
        .map(|(h, _)| h.clone())
        .collect();
    if !columns.iter().any(|c| matches!(c, Column::Answer(_))) {
        return Err(LineProblem::file(
            "Keine Spalte der Datei passt zu einer Frage dieses Fragebogens. Bitte exportieren Sie die Antworten in LimeSurvey mit „Fragecode“ als Überschrift und „Antwortcodes“ als Antworten, aus der Umfrage, deren Struktur hier importiert wurde.",
        ));
    }
    let find = |name: &Option<String>,
                what: &str|
     -> Result<Option<Vec<usize>>, Vec<LineProblem>> {
        let Some(name) = name.as_ref().map(|n| n.trim()).filter(|n| !n.is_empty()) else {
            return Ok(None);
        };
        if let Some(i) = headings.iter().position(|h| h.eq_ignore_ascii_case(name)) {
            return Ok(Some(vec![i]));
        }
        // A multiple choice: its option columns `name[SQ001]` or `name_SQ001`.
        let prefix_a = format!("{}[", name.to_ascii_lowercase());
        let prefix_b = format!("{}_", name.to_ascii_lowercase());
        let list: Vec<usize> = headings
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                let h = h.to_ascii_lowercase();
                h.starts_with(&prefix_a) || h.starts_with(&prefix_b)
            })
            .map(|(i, _)| i)
            .collect();
        if list.is_empty() {
            Err(LineProblem::file(format!(
                "Die Spalte „{name}“ für {what} gibt es in der Datei nicht. Vorhandene Spalten: {}.",
                headings.iter().take(60).cloned().collect::<Vec<_>>().join(", ")
            )))
        } else {
            Ok(Some(list))
        }
    };
    let kind_columns = find(&mapping.kind_column, "die Art der Organisation")?;
    let place_columns = find(&mapping.municipality_column, "die Kommune")?;
    let submit_column = headings.iter().position(|h| h.eq_ignore_ascii_case("submitdate"));

    let mut problems: Vec<LineProblem> = Vec::new();
    let mut more = 0usize;
    let mut push = |problems: &mut Vec<LineProblem>, line: usize, message: String| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(LineProblem { line, message });
        } else {
            more += 1;
        }
    };
    let mut responses = Vec::new();
    let mut incomplete = 0usize;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                push(
                    &mut problems,
                    line,
                    "Die Zeile ist nicht lesbar (Anführungszeichen?).".into(),
                );
                break;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > headings.len() {
            push(
                &mut problems,
                line,
                format!(
                    "Die Zeile hat {} Zellen, die Kopfzeile {} Spalten.",
                    record.len(),
                    headings.len()
                ),
            );
            continue;
        }
        let submitted = match submit_column.map(|i| record.get(i).unwrap_or("").trim()) {
            Some("") => {
                incomplete += 1;
                continue;
            }
            Some(raw) => match submitted_at(raw) {
                Ok(t) => t,
                Err(m) => {
                    push(&mut problems, line, format!("Spalte „submitdate“: {m}"));
                    continue;
                }
            },
            None => None,
        };
        let mut answers = Answers::new();
        for (i, cell) in record.iter().enumerate() {
            let value = cell.trim();
            let Some(Column::Answer(target)) = columns.get(i) else { continue };
            if value.is_empty() {
                continue;
            }
            let heading = &headings[i];
            if let Err(m) = put(&mut answers, questionnaire, target, value) {
                push(&mut problems, line, format!("Spalte „{heading}“: {m}"));
            }
        }
        // Options in the questionnaire's order, as a form post keeps them.
        for q in questionnaire.questions() {
            if let (QuestionKind::MultipleChoice { options, .. }, Some(a)) =
                (&q.kind, answers.get_mut(&q.code))
            {
                a.values.sort_by_key(|v| options.iter().position(|o| &o.code == v));
            }
        }
        domain::validation::prune_hidden(questionnaire, &mut answers);
        for q in questionnaire.questions() {
            if let Some(e) = answers.get(&q.code).and_then(|a| too_long_to_store(q, a)) {
                push(&mut problems, line, format!("Frage „{}“: {}", q.code, e.message));
            }
        }
        for (_, errors) in validate_all(questionnaire, &answers) {
            for e in errors {
                push(&mut problems, line, format!("Frage „{}“: {}", e.question, e.message));
            }
        }
        let org_kind = match &kind_columns {
            Some(cols) => match kind_of(&record, cols, &headings, codes, questionnaire, mapping) {
                Ok(k) => k,
                Err(m) => {
                    push(&mut problems, line, m);
                    None
                }
            },
            None => None,
        };
        let municipalities = match &place_columns {
            Some(cols) => {
                match places_of(&record, cols, &headings, codes, questionnaire, mapping) {
                    Ok(p) => p,
                    Err(m) => {
                        push(&mut problems, line, m);
                        Vec::new()
                    }
                }
            }
            None => Vec::new(),
        };
        responses.push(ReadResponse {
            line,
            answers,
            submitted_at: submitted,
            org_kind,
            municipalities,
        });
    }
    if more > 0 {
        problems
            .push(LineProblem { line: 0, message: format!("… und {more} weitere Probleme.") });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if responses.is_empty() {
        return Err(LineProblem::file(if incomplete > 0 {
            format!("Die Datei enthält keine abgeschlossene Antwort ({incomplete} unvollständige ohne Abschlussdatum).")
        } else {
            "Die Datei enthält keine Antworten.".to_string()
        }));
    }
    Ok(ResponsesRead { responses, incomplete, ignored_columns })
}

fn lookup(values: &[(String, String)], v: &str) -> Option<String> {
    values
        .iter()
        .find(|(s, _)| s == v)
        .or_else(|| values.iter().find(|(s, _)| s.eq_ignore_ascii_case(v)))
        .map(|(_, c)| c.clone())
}

fn put(
    answers: &mut Answers,
    q: &Questionnaire,
    target: &Target,
    value: &str,
) -> Result<(), String> {
    let question_of = |code: &str| {
        q.question(code)
            .ok_or_else(|| format!("Die Frage „{code}“ gibt es im Fragebogen nicht mehr."))
    };
    match target {
        Target::Choice { question, values } => {
            let quest = question_of(question)?;
            let code = lookup(values, value)
                .or_else(|| {
                    quest.kind.choices().into_iter().find(|c| c.code == value).map(|c| c.code)
                })
                .ok_or_else(|| format!("„{value}“ ist keine Antwort der Frage „{question}“."))?;
            answers.entry(question.clone()).or_default().values = vec![code];
        }
        Target::Text { question } => {
            let quest = question_of(question)?;
            let text = match &quest.kind {
                QuestionKind::Number { integer, .. } => {
                    domain::number::normalise(value, *integer).unwrap_or_else(|| value.to_string())
                }
                _ => value.to_string(),
            };
            answers.entry(question.clone()).or_default().values = vec![text];
        }
        Target::Tick { question, option } => {
            question_of(question)?;
            match value {
                "Y" | "y" | "1" | "Ja" | "ja" => {
                    let a = answers.entry(question.clone()).or_default();
                    if !a.values.contains(option) {
                        a.values.push(option.clone());
                    }
                }
                "N" | "n" | "0" | "Nein" | "nein" => {}
                other => {
                    return Err(format!("„{other}“ ist kein Ankreuzwert (erwartet „Y“ oder leer)."))
                }
            }
        }
        Target::Other { question } => {
            question_of(question)?;
            answers.entry(question.clone()).or_default().other = Some(value.to_string());
        }
        Target::Cell { question, row, values } => {
            let quest = question_of(question)?;
            let code = lookup(values, value)
                .or_else(|| {
                    quest.kind.choices().into_iter().find(|c| c.code == value).map(|c| c.code)
                })
                .ok_or_else(|| format!("„{value}“ ist keine Spalte der Matrix „{question}“."))?;
            answers.entry(question.clone()).or_default().rows.insert(row.clone(), code);
        }
        Target::Ignored { .. } => {}
    }
    Ok(())
}

/// The candidates a cell's value may name: the value, its explicit mapping, and the label of
/// the answer it codes.
fn candidates(
    value: &str,
    heading: &str,
    codes: &CodeMap,
    q: &Questionnaire,
    mapping: &ColumnMapping,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((_, t)) = mapping.values.iter().find(|(k, _)| same(k, value)) {
        out.push(t.clone());
    }
    out.push(value.to_string());
    let label_of = |question: &str, code: &str| {
        q.question(question)
            .and_then(|x| x.kind.choices().into_iter().find(|c| c.code == code))
            .map(|c| c.label)
    };
    match codes.target(heading) {
        Some(Target::Choice { question, values }) => {
            if let Some(l) = lookup(values, value).and_then(|c| label_of(question, &c)) {
                if let Some((_, t)) = mapping.values.iter().find(|(k, _)| same(k, &l)) {
                    out.push(t.clone());
                }
                out.push(l);
            }
        }
        Some(Target::Tick { question, option }) => {
            if let Some(l) = label_of(question, option) {
                if let Some((_, t)) = mapping.values.iter().find(|(k, _)| same(k, &l)) {
                    out.push(t.clone());
                }
                out.push(l);
            }
        }
        _ => {}
    }
    out
}

fn kind_code(candidate: &str) -> Option<&'static str> {
    ORG_KINDS.iter().find(|k| same(k.code, candidate) || same(k.label, candidate)).map(|k| k.code)
}

fn place_code(candidate: &str) -> Option<&'static str> {
    if same(candidate, WHOLE_COUNTY) || same(candidate, "Kreis Kleve") {
        return Some(WHOLE_COUNTY);
    }
    MUNICIPALITIES
        .iter()
        .find(|m| m.ags == candidate.trim() || same(m.name, candidate))
        .map(|m| m.ags)
}

fn ticked(value: &str) -> bool {
    matches!(value.trim(), "Y" | "y" | "1" | "Ja" | "ja")
}

fn kind_of(
    record: &csv::StringRecord,
    cols: &[usize],
    headings: &[String],
    codes: &CodeMap,
    q: &Questionnaire,
    mapping: &ColumnMapping,
) -> Result<Option<String>, String> {
    let mut found = None;
    for &i in cols {
        let value = record.get(i).unwrap_or("").trim();
        // Option columns name their option when ticked; a single column holds the value.
        let (value, heading) = match cols.len() {
            1 => (value.to_string(), headings[i].as_str()),
            _ if ticked(value) => (option_code(&headings[i]), headings[i].as_str()),
            _ => continue,
        };
        if value.is_empty() {
            continue;
        }
        let kind = candidates(&value, heading, codes, q, mapping)
            .iter()
            .find_map(|c| kind_code(c))
            .ok_or_else(|| {
                format!(
                    "Spalte „{heading}“: „{value}“ ist keine bekannte Art der Organisation. Ordnen Sie den Wert unten zu („{value} = Art“)."
                )
            })?;
        found = Some(kind.to_string());
    }
    Ok(found)
}

fn option_code(heading: &str) -> String {
    let h = heading.trim_end_matches(']');
    h.rsplit(['[', '_']).next().unwrap_or(h).to_string()
}

fn places_of(
    record: &csv::StringRecord,
    cols: &[usize],
    headings: &[String],
    codes: &CodeMap,
    q: &Questionnaire,
    mapping: &ColumnMapping,
) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for &i in cols {
        let value = record.get(i).unwrap_or("").trim();
        let parts: Vec<String> = match cols.len() {
            1 => value
                .split([',', ';', '|', '/'])
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            _ if ticked(value) => vec![option_code(&headings[i])],
            _ => continue,
        };
        for part in parts {
            let ags = candidates(&part, &headings[i], codes, q, mapping)
                .iter()
                .find_map(|c| place_code(c))
                .ok_or_else(|| {
                    format!(
                        "Spalte „{}“: „{part}“ ist keine Kommune des Kreises. Ordnen Sie den Wert unten zu („{part} = Kommune“).",
                        headings[i]
                    )
                })?;
            if !out.iter().any(|a| a == ags) {
                out.push(ags.to_string());
            }
        }
    }
    // The whole county stands alone.
    if out.iter().any(|a| a == WHOLE_COUNTY) {
        out = vec![WHOLE_COUNTY.to_string()];
    }
    Ok(out)
}

/// An explicit value mapping as typed, one `Wert = Ziel` a line.
pub fn parse_value_mapping(text: &str) -> Result<Vec<(String, String)>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                let target = v.trim();
                if kind_code(target).is_none() && place_code(target).is_none() {
                    errors.push(format!("Zeile {}: „{target}“ ist weder eine Art der Organisation noch eine Kommune des Kreises.", n + 1));
                }
                out.push((k.trim().to_string(), target.to_string()));
            }
            _ => errors.push(format!("Zeile {}: Bitte in der Form „Wert = Ziel“ angeben.", n + 1)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_german_time() {
        // 1 March 2024 12:00 in Kleve is 11:00 UTC.
        assert_eq!(submitted_at("2024-03-01 12:00:00"), Ok(Some(1_709_290_800_000)));
        assert_eq!(submitted_at("1980-01-01 00:00:00"), Ok(None));
        assert!(submitted_at("gestern").is_err());
        assert!(submitted_at("2024-03-01 25:00:00").is_err());
    }

    #[test]
    fn value_mappings() {
        assert_eq!(
            parse_value_mapping("A1 = Schule\n\nA2=05154036"),
            Ok(vec![("A1".into(), "Schule".into()), ("A2".into(), "05154036".into())])
        );
        assert!(parse_value_mapping("A1").is_err());
        assert!(parse_value_mapping("A1 = Mond").is_err());
    }

    #[test]
    fn option_codes_of_headings() {
        assert_eq!(option_code("Q2[SQ001]"), "SQ001");
        assert_eq!(option_code("Q2_SQ001"), "SQ001");
    }
}

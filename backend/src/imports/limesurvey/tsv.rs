//! The tab-separated structure file (`.txt`/`.tsv`, "Umfragestruktur (.txt)"): a header row,
//! then one row per survey setting (class S), language setting (SL), group (G), question (Q),
//! subquestion (SQ) and answer (A). A question's subquestions and answers follow it, its group
//! precedes it; the texts come as one block of rows per language. Columns are found by their
//! heading; unknown headings after the known ones are question attributes.

use super::{choose_language, plain_text, Group, Item, SourceQuestion, Survey};
use crate::imports::ImportError;
use std::collections::HashMap;

pub const MAX_STRUCTURE_BYTES: usize = super::lss::MAX_STRUCTURE_BYTES;

const KNOWN: [&str; 16] = [
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "encrypted",
    "other",
    "default",
    "same_default",
    "",
];

struct Columns {
    index: HashMap<String, usize>,
    attributes: Vec<(usize, String)>,
}

impl Columns {
    fn get<'a>(&self, record: &'a csv::StringRecord, name: &str) -> &'a str {
        self.index.get(name).and_then(|i| record.get(*i)).unwrap_or("").trim_matches(['\r', '\n'])
    }
}

/// Reads the survey in German if it has German texts, else in its base language.
pub fn read(bytes: &[u8]) -> Result<Survey, ImportError> {
    if bytes.len() > MAX_STRUCTURE_BYTES {
        return Err(ImportError(format!(
            "Die Datei ist zu groß. Erlaubt sind höchstens {} MB.",
            MAX_STRUCTURE_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImportError("Die Strukturdatei ist nicht in UTF-8 gespeichert.".into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        _ => return Err(ImportError("Die Strukturdatei ist leer.".into())),
    };
    let mut index = HashMap::new();
    let mut attributes = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().to_ascii_lowercase();
        if KNOWN.contains(&h.as_str()) {
            index.entry(h).or_insert(i);
        } else {
            attributes.push((i, h));
        }
    }
    for needed in ["class", "type/scale", "name", "text"] {
        if !index.contains_key(needed) {
            return Err(ImportError(format!(
                "Die Datei ist keine tabulatorgetrennte LimeSurvey-Struktur: die Spalte „{needed}“ fehlt in der Kopfzeile."
            )));
        }
    }
    let columns = Columns { index, attributes };
    let mut rows = Vec::new();
    for (n, record) in records.enumerate() {
        match record {
            Ok(r) => rows.push(r),
            Err(_) => {
                return Err(ImportError(format!(
                    "Zeile {} der Strukturdatei ist nicht lesbar.",
                    n + 2
                )))
            }
        }
    }
    survey_from_rows(&rows, &columns)
}

fn survey_from_rows(rows: &[csv::StringRecord], c: &Columns) -> Result<Survey, ImportError> {
    let mut base = String::new();
    let mut additional = String::new();
    let mut languages: Vec<String> = Vec::new();
    for r in rows {
        let class = c.get(r, "class").trim();
        if class == "S" && c.get(r, "name").trim() == "language" {
            base = c.get(r, "text").trim().to_string();
        }
        if class == "S" && c.get(r, "name").trim() == "additional_languages" {
            additional = c.get(r, "text").trim().to_string();
        }
    }
    for l in std::iter::once(base.as_str()).chain(additional.split_whitespace()) {
        if !l.is_empty() && !languages.iter().any(|x| x == l) {
            languages.push(l.to_string());
        }
    }
    for r in rows {
        let l = c.get(r, "language").trim();
        if !l.is_empty() && !languages.iter().any(|x| x == l) {
            languages.push(l.to_string());
        }
    }
    if !rows.iter().any(|r| c.get(r, "class").trim() == "Q") {
        return Err(ImportError(
            "Die Strukturdatei enthält keine Fragen (Zeilen der Klasse Q).".into(),
        ));
    }
    let language = choose_language(&languages);
    let ours = |r: &csv::StringRecord| {
        let l = c.get(r, "language").trim();
        l.is_empty() || l == language
    };
    let mut survey = Survey { language: language.clone(), languages, ..Default::default() };
    let mut group: Option<Group> = None;
    let mut question: Option<SourceQuestion> = None;
    let mut next_id = 0usize;
    let flush_question = |group: &mut Option<Group>, question: &mut Option<SourceQuestion>| {
        if let Some(q) = question.take() {
            group
                .get_or_insert_with(|| Group { title: "Gruppe 1".into(), ..Default::default() })
                .questions
                .push(q);
        }
    };
    for r in rows {
        let class = c.get(r, "class").trim();
        if !matches!(class, "S") && !ours(r) {
            continue;
        }
        let name = c.get(r, "name").trim();
        let text = c.get(r, "text");
        match class {
            "SL" => match name {
                "surveyls_title" => survey.title = plain_text(text),
                "surveyls_description" => survey.description = plain_text(text),
                "surveyls_welcometext" => survey.welcome = plain_text(text),
                _ => {}
            },
            "G" => {
                flush_question(&mut group, &mut question);
                if let Some(g) = group.take() {
                    survey.groups.push(g);
                }
                next_id += 1;
                group = Some(Group {
                    id: Some(c.get(r, "id").trim().to_string())
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| next_id.to_string()),
                    title: plain_text(name),
                    description: plain_text(text),
                    relevance: c.get(r, "relevance").trim().to_string(),
                    questions: Vec::new(),
                });
            }
            "Q" => {
                flush_question(&mut group, &mut question);
                next_id += 1;
                let attributes = c
                    .attributes
                    .iter()
                    .filter_map(|(i, n)| r.get(*i).map(|v| (n.clone(), v.trim().to_string())))
                    .filter(|(_, v)| !v.is_empty())
                    .collect();
                question = Some(SourceQuestion {
                    id: Some(c.get(r, "id").trim().to_string())
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("t{next_id}")),
                    code: name.to_string(),
                    kind: c.get(r, "type/scale").trim().to_string(),
                    text: plain_text(text),
                    help: plain_text(c.get(r, "help")),
                    mandatory: c.get(r, "mandatory").trim().to_string(),
                    other: c.get(r, "other").trim() == "Y",
                    relevance: c.get(r, "relevance").trim().to_string(),
                    validation: c.get(r, "validation").trim().to_string(),
                    subquestions: Vec::new(),
                    answers: Vec::new(),
                    attributes,
                });
            }
            "SQ" | "A" => {
                let Some(q) = question.as_mut() else {
                    return Err(ImportError(format!(
                        "Die Zeile „{class}“ mit dem Code „{name}“ steht vor jeder Frage."
                    )));
                };
                let scale = c.get(r, "type/scale").trim().parse::<u8>().unwrap_or(0).min(9);
                let id = c.get(r, "id").trim().to_string();
                let item = Item { id, code: name.to_string(), text: plain_text(text), scale };
                if class == "SQ" {
                    q.subquestions.push(item);
                } else {
                    q.answers.push(item);
                }
            }
            _ => {}
        }
    }
    flush_question(&mut group, &mut question);
    if let Some(g) = group.take() {
        survey.groups.push(g);
    }
    Ok(survey)
}

//! The `.lss` file: an XML `<document>` whose children are LimeSurvey's tables, each
//! `<name><fields>…</fields><rows><row><field>value</field>…</row></rows></name>`. Before
//! LimeSurvey 4 every table row that carries text exists once per language (column
//! `language`); since then the texts live in `group_l10ns`, `question_l10ns` and
//! `answer_l10ns`. Both are read here into one [`Survey`] of the language taken.

use super::{choose_language, plain_text, Group, Item, OldCondition, SourceQuestion, Survey};
use crate::imports::ImportError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

type Row = HashMap<String, String>;
type Tables = HashMap<String, Vec<Row>>;

/// Larger structure files are refused with a clear message (the largest public surveys are
/// a few megabytes).
pub const MAX_STRUCTURE_BYTES: usize = 10 * 1024 * 1024;

/// Reads the survey in German if it has German texts, else in its base language.
pub fn read(bytes: &[u8]) -> Result<Survey, ImportError> {
    let tables = read_tables(bytes)?;
    survey_from_tables(&tables)
}

/// The tables of the document, each a list of rows (field → value).
fn read_tables(bytes: &[u8]) -> Result<Tables, ImportError> {
    if bytes.len() > MAX_STRUCTURE_BYTES {
        return Err(ImportError(format!(
            "Die Datei ist zu groß. Erlaubt sind höchstens {} MB.",
            MAX_STRUCTURE_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImportError("Die .lss-Datei ist nicht in UTF-8 gespeichert.".into()))?;
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut tables: Tables = HashMap::new();
    let mut row: Row = HashMap::new();
    let mut value = String::new();
    let mut doc_type = String::new();
    let broken = |reader: &Reader<&[u8]>| {
        let at = reader.buffer_position() as usize;
        let line = text.get(..at.min(text.len())).map_or(1, |t| t.lines().count().max(1));
        ImportError(format!(
            "Die .lss-Datei ist kein gültiges XML (Fehler um Zeile {line}). Bitte exportieren Sie die Umfragestruktur in LimeSurvey erneut."
        ))
    };
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => return Err(broken(&reader)),
        };
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.len() > 8 {
                    return Err(broken(&reader));
                }
                path.push(name);
                if path.len() == 4 && path[2] == "rows" && path[3] == "row" {
                    row = HashMap::new();
                }
                value.clear();
            }
            Event::End(_) => {
                match path.len() {
                    5 if path[2] == "rows" => {
                        row.insert(path[4].clone(), std::mem::take(&mut value));
                    }
                    4 if path[2] == "rows" => {
                        tables.entry(path[1].clone()).or_default().push(std::mem::take(&mut row));
                    }
                    2 if path[1] == "LimeSurveyDocType" => doc_type = value.trim().to_string(),
                    _ => {}
                }
                path.pop();
                value.clear();
            }
            // `<field/>`: an empty value.
            Event::Empty(e) if path.len() == 4 && path[2] == "rows" => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                row.insert(name, String::new());
            }
            Event::Text(t) => {
                value.push_str(&t.xml10_content().map_err(|_| broken(&reader))?);
            }
            Event::CData(t) => {
                value.push_str(&t.decode().map_err(|_| broken(&reader))?);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|_| broken(&reader))?;
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| broken(&reader))?
                        .to_string(),
                    Err(_) => return Err(broken(&reader)),
                };
                value.push_str(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !path.is_empty() {
        return Err(broken(&reader));
    }
    if !doc_type.is_empty() && doc_type != "Survey" {
        return Err(ImportError(format!(
            "Die Datei ist eine LimeSurvey-Datei vom Typ „{doc_type}“, keine Umfragestruktur (.lss mit Typ „Survey“)."
        )));
    }
    if doc_type.is_empty() && !tables.contains_key("questions") {
        return Err(ImportError(
            "Die Datei ist keine LimeSurvey-Umfragestruktur: es fehlen die Elemente LimeSurveyDocType und questions.".into(),
        ));
    }
    Ok(tables)
}

fn field<'a>(row: &'a Row, name: &str) -> &'a str {
    row.get(name).map(|v| v.as_str()).unwrap_or("")
}

fn number(row: &Row, name: &str) -> i64 {
    field(row, name).trim().parse().unwrap_or(0)
}

fn rows<'a>(tables: &'a Tables, name: &str) -> &'a [Row] {
    tables.get(name).map(Vec::as_slice).unwrap_or(&[])
}

/// Of rows that are the same item in several languages, the one in `language`, else in the
/// base language, else the first.
fn in_language<'a>(candidates: &[&'a Row], language: &str, base: &str) -> Option<&'a Row> {
    let lang = |l: &str| candidates.iter().find(|r| field(r, "language") == l).copied();
    lang(language).or_else(|| lang(base)).or_else(|| candidates.first().copied())
}

fn survey_from_tables(tables: &Tables) -> Result<Survey, ImportError> {
    let survey_row = rows(tables, "surveys").first();
    let base = survey_row.map(|r| field(r, "language").trim().to_string()).unwrap_or_default();
    let mut languages: Vec<String> = Vec::new();
    let mut add_language = |l: &str| {
        let l = l.trim();
        if !l.is_empty() && !languages.iter().any(|x| x == l) {
            languages.push(l.to_string());
        }
    };
    add_language(&base);
    if let Some(r) = survey_row {
        field(r, "additional_languages").split_whitespace().for_each(&mut add_language);
    }
    for r in rows(tables, "surveys_languagesettings") {
        add_language(field(r, "surveyls_language"));
    }
    for table in ["groups", "questions", "group_l10ns", "question_l10ns"] {
        for r in rows(tables, table) {
            add_language(field(r, "language"));
        }
    }
    let language = choose_language(&languages);
    let base = if base.is_empty() { language.clone() } else { base };

    let settings: Vec<&Row> = rows(tables, "surveys_languagesettings").iter().collect();
    let settings = settings
        .iter()
        .find(|r| field(r, "surveyls_language") == language)
        .or_else(|| settings.iter().find(|r| field(r, "surveyls_language") == base))
        .or_else(|| settings.first())
        .copied();
    let setting = |name: &str| settings.map(|r| plain_text(field(r, name))).unwrap_or_default();

    // Groups: one row per group (new layout) or per group and language (old layout).
    let mut group_rows: Vec<(String, Vec<&Row>)> = Vec::new();
    for r in rows(tables, "groups") {
        let gid = field(r, "gid").trim().to_string();
        match group_rows.iter_mut().find(|(g, _)| *g == gid) {
            Some((_, list)) => list.push(r),
            None => group_rows.push((gid, vec![r])),
        }
    }
    let group_l10ns = by_key(rows(tables, "group_l10ns"), "gid");
    let mut groups: Vec<(i64, Group)> = group_rows
        .iter()
        .filter_map(|(gid, list)| {
            let head = in_language(list, &language, &base)?;
            let texts = group_l10ns
                .get(gid.as_str())
                .and_then(|l| in_language(l, &language, &base))
                .unwrap_or(head);
            Some((
                number(head, "group_order"),
                Group {
                    id: gid.clone(),
                    title: plain_text(field(texts, "group_name")),
                    description: plain_text(field(texts, "description")),
                    relevance: field(head, "grelevance").trim().to_string(),
                    questions: Vec::new(),
                },
            ))
        })
        .collect();
    groups.sort_by_key(|(order, _)| *order);

    // Questions and subquestions: LimeSurvey 2 and later export subquestions in their own
    // table; some exports keep them in `questions` with a parent.
    let question_l10ns = by_key(rows(tables, "question_l10ns"), "qid");
    let mut all_rows: Vec<(String, Vec<&Row>)> = Vec::new();
    for r in rows(tables, "questions").iter().chain(rows(tables, "subquestions")) {
        let qid = field(r, "qid").trim().to_string();
        match all_rows.iter_mut().find(|(q, _)| *q == qid) {
            Some((_, list)) => list.push(r),
            None => all_rows.push((qid, vec![r])),
        }
    }
    let texts_of = |qid: &str, head: &'_ Row| -> (String, String) {
        let texts =
            question_l10ns.get(qid).and_then(|l| in_language(l, &language, &base)).unwrap_or(head);
        (field(texts, "question").to_string(), field(texts, "help").to_string())
    };
    let attributes = rows(tables, "question_attributes");
    let mut questions: Vec<(String, i64, SourceQuestion)> = Vec::new();
    let mut subquestions: HashMap<String, Vec<(i64, Item)>> = HashMap::new();
    let mut label_ids: HashMap<String, (String, String)> = HashMap::new();
    for (qid, list) in &all_rows {
        let Some(head) = in_language(list, &language, &base) else { continue };
        let parent = field(head, "parent_qid").trim();
        let (text, help) = texts_of(qid, head);
        if !parent.is_empty() && parent != "0" {
            let scale = number(head, "scale_id").clamp(0, 9) as u8;
            subquestions.entry(parent.to_string()).or_default().push((
                number(head, "question_order"),
                Item {
                    id: qid.clone(),
                    code: field(head, "title").trim().to_string(),
                    text: plain_text(&text),
                    scale,
                },
            ));
            continue;
        }
        let attrs = attributes
            .iter()
            .filter(|a| field(a, "qid").trim() == qid)
            .filter(|a| {
                let l = field(a, "language");
                l.is_empty() || l == language
            })
            .map(|a| (field(a, "attribute").to_string(), field(a, "value").to_string()))
            .collect();
        label_ids.insert(
            qid.clone(),
            (field(head, "lid").trim().to_string(), field(head, "lid1").trim().to_string()),
        );
        questions.push((
            field(head, "gid").trim().to_string(),
            number(head, "question_order"),
            SourceQuestion {
                id: qid.clone(),
                code: field(head, "title").trim().to_string(),
                kind: field(head, "type").trim().to_string(),
                text: plain_text(&text),
                help: plain_text(&help),
                mandatory: field(head, "mandatory").trim().to_string(),
                other: field(head, "other").trim() == "Y",
                relevance: field(head, "relevance").trim().to_string(),
                validation: field(head, "preg").trim().to_string(),
                subquestions: Vec::new(),
                answers: Vec::new(),
                attributes: attrs,
            },
        ));
    }

    // Answers: per question, code and scale, in one language (old) or with l10ns (new).
    let answer_l10ns = by_key(rows(tables, "answer_l10ns"), "aid");
    let mut answers: HashMap<String, Vec<(i64, &Row, String)>> = HashMap::new();
    for r in rows(tables, "answers") {
        let qid = field(r, "qid").trim().to_string();
        let text = match answer_l10ns.get(field(r, "aid").trim()) {
            Some(l) => in_language(l, &language, &base).map(|t| field(t, "answer")).unwrap_or(""),
            None => field(r, "answer"),
        };
        answers.entry(qid).or_default().push((number(r, "sortorder"), r, text.to_string()));
    }

    for (gid, _, mut q) in sorted_questions(questions) {
        if let Some(mut subs) = subquestions.remove(&q.id) {
            subs.sort_by_key(|(order, item)| (item.scale, *order));
            q.subquestions = subs.into_iter().map(|(_, i)| i).collect();
        }
        if let Some(list) = answers.remove(&q.id) {
            q.answers = answer_items(list, &language, &base);
        }
        // Before LimeSurvey 1.90 an array's rows and a multiple choice's options were rows of
        // `answers`, and the columns of flexible arrays (and the options of the list types W
        // and Z) came from a label set.
        let label_set = |lid: Option<&String>| -> Vec<Item> {
            let Some(lid) = lid.filter(|l| !l.is_empty() && l.as_str() != "0") else {
                return Vec::new();
            };
            let list = rows(tables, "labels")
                .iter()
                .filter(|r| field(r, "lid").trim() == lid)
                .map(|r| (number(r, "sortorder"), r, field(r, "title").to_string()))
                .collect();
            answer_items(list, &language, &base)
        };
        let (lid, lid1) = label_ids.remove(&q.id).unwrap_or_default();
        if q.subquestions.is_empty()
            && !q.answers.is_empty()
            && matches!(
                q.kind.as_str(),
                "M" | "P" | "A" | "B" | "C" | "E" | "F" | "H" | "K" | "Q" | "1" | ":" | ";"
            )
        {
            q.subquestions = std::mem::take(&mut q.answers);
        }
        if q.answers.is_empty() {
            q.answers = label_set(Some(&lid));
            let second = label_set(Some(&lid1));
            q.answers.extend(second.into_iter().map(|i| Item { scale: 1, ..i }));
        }
        // W and Z were the lists (dropdown, radio) over a label set.
        match q.kind.as_str() {
            "W" => q.kind = "!".into(),
            "Z" => q.kind = "L".into(),
            _ => {}
        }
        if let Some((_, group)) = groups.iter_mut().find(|(_, g)| g.id == gid) {
            group.questions.push(q);
        } else {
            // A question of a group that is not in the file: under a group of its own.
            let mut group =
                Group { id: gid.clone(), title: format!("Gruppe {gid}"), ..Default::default() };
            group.questions.push(q);
            groups.push((i64::MAX, group));
        }
    }

    let conditions = rows(tables, "conditions")
        .iter()
        .map(|r| OldCondition {
            qid: field(r, "qid").trim().into(),
            cqid: field(r, "cqid").trim().into(),
            cfieldname: field(r, "cfieldname").trim().into(),
            method: field(r, "method").trim().into(),
            value: field(r, "value").trim().into(),
            scenario: field(r, "scenario").trim().into(),
        })
        .collect();

    Ok(Survey {
        title: setting("surveyls_title"),
        description: setting("surveyls_description"),
        welcome: setting("surveyls_welcometext"),
        language,
        languages,
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        conditions,
    })
}

fn by_key<'a>(rows: &'a [Row], key: &str) -> HashMap<&'a str, Vec<&'a Row>> {
    let mut out: HashMap<&str, Vec<&Row>> = HashMap::new();
    for r in rows {
        out.entry(field(r, key).trim()).or_default().push(r);
    }
    out
}

fn sorted_questions(
    mut questions: Vec<(String, i64, SourceQuestion)>,
) -> Vec<(String, i64, SourceQuestion)> {
    // Stable: questions of equal order keep the file's order.
    questions.sort_by_key(|(_, order, _)| *order);
    questions
}

/// The answers of one question in one language: the old layout repeats each (code, scale) per
/// language.
fn answer_items(list: Vec<(i64, &Row, String)>, language: &str, base: &str) -> Vec<Item> {
    // (code, scale), first sort order, the variants per language.
    type Keyed<'r> = ((String, u8), i64, Vec<(&'r Row, String)>);
    let mut keyed: Vec<Keyed> = Vec::new();
    for (order, row, text) in list {
        let key =
            (field(row, "code").trim().to_string(), number(row, "scale_id").clamp(0, 9) as u8);
        match keyed.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, l)) => l.push((row, text)),
            None => keyed.push((key, order, vec![(row, text)])),
        }
    }
    keyed.sort_by_key(|((_, scale), order, _)| (*scale, *order));
    keyed
        .into_iter()
        .map(|((code, scale), _, variants)| {
            let pick = |l: &str| variants.iter().find(|(r, _)| field(r, "language") == l);
            let text = pick(language)
                .or_else(|| pick(base))
                .or_else(|| variants.first())
                .map(|(_, t)| plain_text(t))
                .unwrap_or_default();
            Item { id: String::new(), code, text, scale }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_xml_is_a_clear_error() {
        let e = read(b"<document><LimeSurveyDocType>Survey</LimeSurveyDocType><questions>")
            .unwrap_err();
        assert!(e.0.contains("kein gültiges XML"), "{e}");
        let e =
            read(b"<document><LimeSurveyDocType>Theme</LimeSurveyDocType></document>").unwrap_err();
        assert!(e.0.contains("„Theme“"), "{e}");
        let e = read(b"<html><body>nein</body></html>").unwrap_err();
        assert!(e.0.contains("keine LimeSurvey-Umfragestruktur"), "{e}");
        let e = read(&[0xff, 0xfe, 0x00]).unwrap_err();
        assert!(e.0.contains("UTF-8"), "{e}");
    }
}

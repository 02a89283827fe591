//! The LimeSurvey readers on fixtures written for these tests (`tests/fixtures/limesurvey`,
//! made by `make_fixtures.py` there): both `.lss` layouts, the tab-separated export, a larger
//! survey and a response export; and mutated, truncated and random bytes, which must end in a
//! result or a clear message, never a panic.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

use backend::imports::limesurvey::responses::{read_responses, ColumnMapping};
use backend::imports::limesurvey::{read_lss, read_tsv, LimeSurveyImport, Target};
use backend::imports::structure::{read_structure, StructureFormat};
use domain::{Condition, QuestionKind};

const NEW: &[u8] = include_bytes!("fixtures/limesurvey/integration-neu.lss");
const OLD: &[u8] = include_bytes!("fixtures/limesurvey/integration-alt.lss");
const TSV: &[u8] = include_bytes!("fixtures/limesurvey/integration.txt");
const LARGE: &[u8] = include_bytes!("fixtures/limesurvey/gross.lss");
const RESPONSES: &[u8] = include_bytes!("fixtures/limesurvey/antworten.csv");
const BAD_RESPONSES: &[u8] = include_bytes!("fixtures/limesurvey/antworten-fehlerhaft.csv");

fn kind<'a>(r: &'a LimeSurveyImport, code: &str) -> &'a QuestionKind {
    &r.structure.questionnaire.question(code).unwrap_or_else(|| panic!("question {code}")).kind
}

fn reasons<'a>(r: &'a LimeSurveyImport, code: &str) -> Vec<&'a str> {
    r.structure.unmapped.iter().filter(|u| u.code == code).map(|u| u.reason.as_str()).collect()
}

fn condition(r: &LimeSurveyImport, code: &str) -> Option<Condition> {
    r.structure.questionnaire.question(code).unwrap().condition.clone()
}

fn cond(question: &str, row: Option<&str>, any_of: &[&str]) -> Option<Condition> {
    Some(Condition {
        question: question.into(),
        row: row.map(String::from),
        any_of: any_of.iter().map(|s| s.to_string()).collect(),
    })
}

/// What the small survey must give in every format.
fn check_common(r: &LimeSurveyImport) {
    let q = &r.structure.questionnaire;
    assert!(q.check_draft().is_empty(), "{:?}", q.check_draft());
    assert_eq!(r.language, "de");
    assert!(r.language_note().contains("„en“"), "{}", r.language_note());
    assert_eq!(q.themes[0].title, "Angaben zur Organisation");
    assert_eq!(q.themes[1].code, "angebote");
    // L with "other": the option is kept (with its label), its text listed as lost.
    let QuestionKind::SingleChoice { options } = kind(r, "art") else { panic!("art") };
    assert_eq!(
        options.iter().map(|o| o.code.as_str()).collect::<Vec<_>>(),
        ["a1", "a2", "a3", "sonstiges"]
    );
    assert_eq!(options[2].label, "Verein & Verband");
    assert_eq!(options[3].label, "Andere Art");
    assert!(reasons(r, "ART")[0].contains("Freitext"));
    assert_eq!(q.question("art").unwrap().text, "Welcher Art ist Ihre Organisation?");
    assert!(q.question("art").unwrap().required);
    assert!(matches!(kind(r, "kommune"), QuestionKind::SingleChoice { .. }));
    let QuestionKind::MultipleChoice { options, other } = kind(r, "angebote") else { panic!() };
    assert_eq!(options.len(), 3);
    assert_eq!(other.as_deref(), Some("Sonstiges"));
    assert!(reasons(r, "ANGEBOTE").iter().any(|x| x.contains("max_answers")));
    assert!(matches!(kind(r, "bedarf"), QuestionKind::Rating { min: 1, max: 5, .. }));
    let QuestionKind::Matrix { rows, columns } = kind(r, "lage") else { panic!() };
    assert_eq!((rows.len(), columns.len()), (2, 3));
    assert_eq!(columns[2].label, "schlecht");
    let QuestionKind::Matrix { columns, .. } = kind(r, "zufrieden") else { panic!() };
    assert_eq!(columns.len(), 5);
    let QuestionKind::Matrix { columns, .. } = kind(r, "zehn") else { panic!() };
    assert_eq!(columns.len(), 10);
    assert!(matches!(kind(r, "mitarbeitende"), QuestionKind::Number { integer: true, .. }));
    assert!(matches!(kind(r, "name"), QuestionKind::ShortText { .. }));
    assert!(matches!(kind(r, "anmerkung"), QuestionKind::LongText { .. }));
    assert!(matches!(kind(r, "janein"), QuestionKind::YesNo));
    // Relevance of the simple forms.
    assert_eq!(condition(r, "bedarf"), cond("art", None, &["a1", "a2"]));
    assert_eq!(condition(r, "mitarbeitende"), cond("angebote", None, &["sq001"]));
    assert_eq!(condition(r, "womit"), cond("janein", None, &["ja"]));
    // Not simple: imported without condition, the equation quoted.
    assert_eq!(condition(r, "folge"), None);
    assert!(reasons(r, "FOLGE")[0].contains("JANEIN == \"Y\" and ART == \"A1\""));
    assert!(reasons(r, "WOMIT")[0].contains("weiche Pflicht"));
    assert!(reasons(r, "RANG")[0].contains("Rangfolge"));
    assert!(q.question("rang").is_none());
}

#[test]
fn new_layout() {
    let r = read_lss(NEW).unwrap();
    check_common(&r);
    let q = &r.structure.questionnaire;
    assert_eq!(q.title, "Integrationsangebote 2023");
    assert!(q.intro.contains("Willkommen!"));
    assert_eq!(condition(&r, "anmerkung"), cond("lage", Some("r1"), &["s3"]));
    // X became the theme's introduction.
    assert!(q.themes[0].intro.as_deref().unwrap().contains("Die folgenden Fragen"));
    assert!(reasons(&r, "HINWEIS")[0].contains("Einleitung"));
    // The group's condition holds for its questions.
    assert_eq!(condition(&r, "geschlecht"), cond("janein", None, &["ja"]));
    let QuestionKind::SingleChoice { options } = kind(&r, "geschlecht") else { panic!() };
    assert_eq!(options.len(), 2);
    // Q and K: one question per subquestion.
    assert!(matches!(kind(&r, "kontakt_sq001"), QuestionKind::ShortText { .. }));
    assert!(matches!(kind(&r, "zahlen_sq002"), QuestionKind::Number { integer: true, .. }));
    assert_eq!(q.question("kontakt_sq002").unwrap().text, "Kontakt: E-Mail");
    let QuestionKind::Matrix { columns, .. } = kind(&r, "cjn") else { panic!() };
    assert_eq!(
        columns.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        ["ja", "unsicher", "nein"]
    );
    let QuestionKind::Matrix { columns, .. } = kind(&r, "entw") else { panic!() };
    assert_eq!(columns[0].label, "Zunahme");
    assert!(matches!(kind(&r, "lang"), QuestionKind::LongText { .. }));
    assert!(matches!(kind(&r, "datum"), QuestionKind::ShortText { max_len: 30 }));
    assert!(reasons(&r, "DATUM")[0].contains("Datum"));
    assert!(matches!(kind(&r, "spalte"), QuestionKind::Matrix { .. }));
    assert!(reasons(&r, "DUAL")[0].contains("erste Skala"));
    assert!(reasons(&r, "KOMM")[0].contains("Kommentar"));
    for (code, word) in
        [("DATEI", "Datei-Upload"), ("GLEICHUNG", "Gleichung"), ("ZAHLMATRIX", "Zahlen")]
    {
        assert!(reasons(&r, code)[0].contains(word), "{code}: {:?}", reasons(&r, code));
    }
    // The code map leads each response column to its question.
    assert_eq!(
        r.codes.target("LAGE[R1]"),
        Some(&Target::Cell {
            question: "lage".into(),
            row: "r1".into(),
            values: vec![
                ("S1".into(), "s1".into()),
                ("S2".into(), "s2".into()),
                ("S3".into(), "s3".into())
            ]
        })
    );
    assert_eq!(
        r.codes.target("angebote_SQ002"),
        Some(&Target::Tick { question: "angebote".into(), option: "sq002".into() })
    );
    assert!(matches!(r.codes.target("ART[other]"), Some(Target::Ignored { .. })));
    assert!(r.codes.ignored_reason("RANG[1]").is_some());
    // Every question of the source is imported or listed.
    let imported = [
        "ART",
        "KOMMUNE",
        "ANGEBOTE",
        "BEDARF",
        "LAGE",
        "ZUFRIEDEN",
        "ZEHN",
        "MITARBEITENDE",
        "NAME",
        "ANMERKUNG",
        "JANEIN",
        "FOLGE",
        "WOMIT",
        "GESCHLECHT",
        "CJN",
        "ENTW",
        "LANG",
        "DUAL",
        "KOMM",
        "SPALTE",
    ];
    for code in imported {
        assert!(q.question(&code.to_ascii_lowercase()).is_some(), "{code}");
    }
}

#[test]
fn old_layout() {
    let r = read_lss(OLD).unwrap();
    check_common(&r);
    // The base language is English; German is taken all the same.
    assert_eq!(r.languages, ["en", "de"]);
    assert_eq!(r.structure.questionnaire.title, "Integrationsangebote 2019");
    // Old-style conditions on a matrix row (two values, one scenario).
    assert_eq!(condition(&r, "anmerkung"), cond("lage", Some("r1"), &["s3", "s2"]));
}

#[test]
fn tab_separated() {
    let r = read_tsv(TSV).unwrap();
    check_common(&r);
    assert_eq!(r.structure.questionnaire.title, "Integrationsangebote 2021");
    assert_eq!(condition(&r, "anmerkung"), cond("lage", Some("r1"), &["s3"]));
    assert_eq!(condition(&r, "geschlecht"), cond("janein", None, &["ja"]));
    assert_eq!(r.structure.unmapped, read_lss(NEW).unwrap().structure.unmapped);
}

#[test]
fn a_larger_survey() {
    let r = read_lss(LARGE).unwrap();
    let q = &r.structure.questionnaire;
    assert!(q.check_draft().is_empty());
    assert_eq!(q.themes.len(), 10);
    assert_eq!(q.questions().count(), 200);
    assert_eq!(r.language, "de");
    // Conditions on lists and ticked options came over; comparisons of size are listed.
    let conditions = q.questions().filter(|x| x.condition.is_some()).count();
    assert!(conditions >= 30, "{conditions}");
    let size = r.structure.unmapped.iter().filter(|u| u.reason.contains("> 3")).count();
    let numbers_followed = q
        .themes
        .iter()
        .flat_map(|t| t.questions.windows(2))
        .filter(|w| matches!(w[0].kind, QuestionKind::Number { .. }))
        .count();
    assert_eq!(size, numbers_followed);
    assert!(q.question("g01q02").unwrap().text.starts_with("Frage G01Q02"));
}

#[test]
fn dispatch_by_file_name() {
    let lss = read_structure(StructureFormat::of("a.lss", NEW).unwrap(), NEW).unwrap();
    assert!(lss.note.contains("„de“"));
    assert!(lss.code_map.is_some());
    let tsv = read_structure(StructureFormat::of("a.txt", TSV).unwrap(), TSV).unwrap();
    assert_eq!(tsv.structure.questionnaire.themes.len(), 3);
}

fn mapping() -> ColumnMapping {
    ColumnMapping {
        kind_column: Some("ART".into()),
        municipality_column: Some("kommune".into()),
        values: vec![("A3".into(), "verein".into()), ("Andere Art".into(), "Sonstige".into())],
    }
}

#[test]
fn responses_against_the_imported_questionnaire() {
    let r = read_lss(NEW).unwrap();
    let q = &r.structure.questionnaire;
    let read = read_responses(RESPONSES, q, &r.codes, &mapping()).unwrap();
    assert_eq!(read.responses.len(), 4);
    assert_eq!(read.incomplete, 1);
    assert!(read.ignored_columns.iter().any(|c| c == "ART[other]"));
    assert!(read.ignored_columns.iter().any(|c| c == "RANG[1]"));
    assert!(!read.ignored_columns.iter().any(|c| c == "interviewtime" || c == "seed"));
    let first = &read.responses[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.org_kind.as_deref(), Some("schule"));
    assert_eq!(first.municipalities, ["05154036"]);
    assert_eq!(first.answers["art"].values, ["a1"]);
    assert_eq!(first.answers["angebote"].values, ["sq001", "sq002"]);
    assert_eq!(first.answers["lage"].rows["r1"], "s3");
    assert_eq!(first.answers["anmerkung"].values, ["Wohnraum für große Familien fehlt"]);
    assert_eq!(first.answers["janein"].values, ["ja"]);
    assert_eq!(first.answers["geschlecht"].values, ["weiblich"]);
    assert_eq!(first.answers["cjn"].rows["sq001"], "ja");
    assert_eq!(first.answers["dual"].rows["sq001"], "a");
    assert_eq!(first.answers["zahlen_sq002"].values, ["45"]);
    // 2 May 2023 10:15 in Kleve (summer time) is 08:15 UTC.
    assert_eq!(first.submitted_at, Some(1_683_015_300_000));
    let second = &read.responses[1];
    assert_eq!(second.org_kind.as_deref(), Some("kita"));
    assert_eq!(second.answers["angebote"].other.as_deref(), Some("Elterncafé"));
    // The incomplete row 4 is skipped; row 5 (A3) is a club by the mapping.
    assert_eq!(read.responses[2].line, 5);
    assert_eq!(read.responses[2].org_kind.as_deref(), Some("verein"));
    assert_eq!(read.responses[2].municipalities, ["05154008"]);
    // LimeSurvey's stand-in date of undated surveys: the import's time.
    assert_eq!(read.responses[3].submitted_at, None);
    assert_eq!(read.responses[3].answers["art"].values, ["sonstiges"]);
    assert_eq!(read.responses[3].org_kind.as_deref(), Some("sonstige"));
}

#[test]
fn every_problem_comes_with_its_line() {
    let r = read_lss(NEW).unwrap();
    let problems = read_responses(BAD_RESPONSES, &r.structure.questionnaire, &r.codes, &mapping())
        .unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.line, p.message)).collect();
    assert!(text.iter().any(|t| t.starts_with("3: Spalte „ART“: „A9“")), "{text:?}");
    assert!(text.iter().any(|t| t.starts_with("5: Spalte „BEDARF“: „7“")), "{text:?}");
    assert!(text.iter().any(|t| t.starts_with("6: Frage „janein“")), "{text:?}");
    // Without the mapping, A3 is no kind here.
    let unmapped = ColumnMapping { values: vec![], ..mapping() };
    let problems =
        read_responses(RESPONSES, &r.structure.questionnaire, &r.codes, &unmapped).unwrap_err();
    assert!(
        problems.iter().any(|p| p.line == 5 && p.message.contains("Art der Organisation")),
        "{problems:?}"
    );
    // A column that is not there is named.
    let wrong = ColumnMapping { kind_column: Some("ORGART".into()), ..mapping() };
    let problems =
        read_responses(RESPONSES, &r.structure.questionnaire, &r.codes, &wrong).unwrap_err();
    assert!(problems[0].message.contains("„ORGART“"));
    // A file of another survey matches nothing.
    let other = b"id,submitdate,X1,X2\n1,2023-01-01 10:00:00,a,b\n";
    let problems =
        read_responses(other, &r.structure.questionnaire, &r.codes, &ColumnMapping::default())
            .unwrap_err();
    assert!(problems[0].message.contains("Keine Spalte"));
}

/// A small deterministic generator, so that a failing case can be run again.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Flips, deletes, duplicates and inserts bytes, cuts the file, or swaps structural
/// characters.
fn mutate(rng: &mut Lcg, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        if out.is_empty() {
            out.push(b'<');
        }
        let at = rng.below(out.len());
        match rng.below(7) {
            0 => out[at] = rng.next() as u8,
            1 => {
                out.remove(at);
            }
            2 => {
                let end = (at + rng.below(400)).min(out.len());
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk);
            }
            3 => out.truncate(at),
            4 => {
                let chars = [
                    b'<', b'>', b'"', b'\t', b'\n', b',', b'&', b'[', b']', b'=', b'(', b')', 0xC3,
                    0,
                ];
                out.insert(at, chars[rng.below(chars.len())]);
            }
            5 => {
                let end = (at + rng.below(200)).min(out.len());
                out.drain(at..end);
            }
            _ => {
                let words: [&[u8]; 8] = [
                    b"<row>",
                    b"</rows>",
                    b"<![CDATA[",
                    b"]]>",
                    b"&#0;",
                    b"&bogus;",
                    b"\"Q1 == \"",
                    b"SQ\tQ\tL",
                ];
                let w = words[rng.below(words.len())];
                out.splice(at..at, w.iter().copied());
            }
        }
    }
    out
}

#[test]
fn fuzzed_inputs_never_panic() {
    let r = read_lss(NEW).unwrap();
    let questionnaire = r.structure.questionnaire.clone();
    let mut rng = Lcg(20_261_204);
    let seeds: [(&str, &[u8]); 5] = [
        ("a.lss", NEW),
        ("a.lss", OLD),
        ("a.txt", TSV),
        ("a.csv", RESPONSES),
        ("a.csv", BAD_RESPONSES),
    ];
    let mut results = [0usize; 2];
    for case in 0..3000 {
        let (name, seed) = seeds[case % seeds.len()];
        let input = if case % 50 == 49 {
            (0..rng.below(2000)).map(|_| rng.next() as u8).collect()
        } else {
            mutate(&mut rng, seed)
        };
        if name.ends_with(".csv") {
            match read_responses(&input, &questionnaire, &r.codes, &mapping()) {
                Ok(_) => results[0] += 1,
                Err(problems) => {
                    assert!(!problems.is_empty() && problems.iter().all(|p| !p.message.is_empty()));
                    results[1] += 1;
                }
            }
        } else {
            let format = StructureFormat::of(name, &input).unwrap();
            match read_structure(format, &input) {
                Ok(read) => {
                    assert!(read.structure.questionnaire.check_draft().is_empty(), "case {case}");
                    results[0] += 1;
                }
                Err(e) => {
                    assert!(!e.0.is_empty(), "case {case}");
                    results[1] += 1;
                }
            }
        }
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    assert!(results[0] > 100 && results[1] > 100, "{results:?}");
}

/// LimeSurvey 1.x kept array rows in `answers` and columns in label sets (`lid`), and had the
/// list types W and Z over label sets.
#[test]
fn label_sets_of_the_oldest_layout() {
    let row = |fields: &[(&str, &str)]| {
        let cells: String =
            fields.iter().map(|(k, v)| format!("<{k}><![CDATA[{v}]]></{k}>")).collect();
        format!("<row>{cells}</row>")
    };
    let table =
        |name: &str, rows: Vec<String>| format!("<{name}><rows>{}</rows></{name}>", rows.concat());
    let doc = format!(
        "<?xml version=\"1.0\"?><document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>126</DBVersion>{}{}{}{}{}</document>",
        table("surveys", vec![row(&[("sid", "1"), ("language", "de")])]),
        table("groups", vec![row(&[("gid", "1"), ("group_name", "Alles"), ("group_order", "0"), ("language", "de")])]),
        table(
            "questions",
            vec![
                row(&[("qid", "1"), ("gid", "1"), ("type", "F"), ("title", "ARR"), ("question", "Matrix"), ("lid", "7"), ("question_order", "1"), ("language", "de")]),
                row(&[("qid", "2"), ("gid", "1"), ("type", "W"), ("title", "LISTE"), ("question", "Liste"), ("lid", "7"), ("question_order", "2"), ("language", "de")]),
            ]
        ),
        table(
            "answers",
            vec![
                row(&[("qid", "1"), ("code", "R1"), ("answer", "Zeile eins"), ("sortorder", "1"), ("language", "de")]),
                row(&[("qid", "1"), ("code", "R2"), ("answer", "Zeile zwei"), ("sortorder", "2"), ("language", "de")]),
            ]
        ),
        table(
            "labels",
            vec![
                row(&[("lid", "7"), ("code", "L1"), ("title", "viel"), ("sortorder", "1"), ("language", "de")]),
                row(&[("lid", "7"), ("code", "L2"), ("title", "wenig"), ("sortorder", "2"), ("language", "de")]),
            ]
        ),
    );
    let r = read_lss(doc.as_bytes()).unwrap();
    let QuestionKind::Matrix { rows, columns } = kind(&r, "arr") else { panic!() };
    assert_eq!(
        rows.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        ["Zeile eins", "Zeile zwei"]
    );
    assert_eq!(columns.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["viel", "wenig"]);
    let QuestionKind::SingleChoice { options } = kind(&r, "liste") else { panic!() };
    assert_eq!(options.len(), 2);
    assert!(r.structure.unmapped.is_empty(), "{:?}", r.structure.unmapped);
}

/// LimeSurvey 6 writes internal names `Q<qid>` (and `Q<qid>_S<sqid>`) into relevance equations
/// and conditions.
#[test]
fn internal_names_of_limesurvey_6() {
    let text = String::from_utf8(NEW.to_vec())
        .unwrap()
        .replace(
            "((ART.NAOK == \"A1\") or (ART.NAOK == \"A2\"))",
            "((Q100.NAOK == \"A1\") or (Q100.NAOK == \"A2\"))",
        )
        .replace("ANGEBOTE_SQ001 == \"Y\"", "Q110_S11001 == \"Y\"");
    let r = read_lss(text.as_bytes()).unwrap();
    assert_eq!(condition(&r, "bedarf"), cond("art", None, &["a1", "a2"]));
    assert_eq!(condition(&r, "mitarbeitende"), cond("angebote", None, &["sq001"]));
}

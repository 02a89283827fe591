//! The XLSForm reader on fixture workbooks written by `fixtures/xlsform/generate.py` (forms
//! made up for these tests), and on broken and mutated files.

#![allow(clippy::unwrap_used)]

use backend::imports::xlsform::read;
use backend::imports::ImportedStructure;
use domain::questionnaire::{Condition, Question, QuestionKind};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/xlsform/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn question<'a>(r: &'a ImportedStructure, code: &str) -> &'a Question {
    r.questionnaire.question(code).unwrap_or_else(|| panic!("{code} missing"))
}

fn reasons<'a>(r: &'a ImportedStructure, code: &str) -> Vec<&'a str> {
    r.unmapped.iter().filter(|u| u.code == code).map(|u| u.reason.as_str()).collect()
}

fn condition(question: &str, any_of: &[&str]) -> Option<Condition> {
    Some(Condition {
        question: question.into(),
        row: None,
        any_of: any_of.iter().map(|s| s.to_string()).collect(),
    })
}

#[test]
fn every_type_is_imported_or_listed() {
    let r = read(&fixture("alle_typen.xlsx")).unwrap();
    let q = &r.questionnaire;
    assert_eq!(q.check_draft(), Vec::<String>::new());
    assert_eq!(
        (q.title.as_str(), q.slug.as_str()),
        ("Testbefragung Integration", "test-integration")
    );
    assert_eq!(q.intro, "Willkommen zur Befragung.", "a leading note introduces the questionnaire");
    let themes: Vec<(&str, &str)> =
        q.themes.iter().map(|t| (t.code.as_str(), t.title.as_str())).collect();
    assert_eq!(
        themes,
        [
            ("testbefragung_integration", "Testbefragung Integration"),
            ("sprache", "Sprache und Verständigung"),
            ("ort", "Ort"),
            ("kurse_liste", "Kurse"),
            (
                "testbefragung_integration_fortsetzung_1",
                "Testbefragung Integration (Fortsetzung 1)"
            ),
        ]
    );
    assert_eq!(q.themes[1].intro.as_deref(), Some("Fragen zur Sprache."));

    // German labels and hints; yes/true/TRUE/1 are required, "no" is not.
    let offer = question(&r, "angebot");
    assert_eq!(offer.text, "Gibt es ein Angebot?");
    assert_eq!(offer.help.as_deref(), Some("Bitte eine Antwort."));
    assert!(offer.required);
    assert!(matches!(&offer.kind, QuestionKind::SingleChoice { options } if options.len() == 2));
    for code in ["angebot_name", "zielgruppen", "teilnehmende"] {
        assert!(question(&r, code).required, "{code}");
    }
    assert!(!question(&r, "kosten").required);

    // Kinds.
    assert_eq!(question(&r, "angebot_name").kind, QuestionKind::ShortText { max_len: 80 });
    assert_eq!(question(&r, "beschreibung").kind, QuestionKind::LongText { max_len: 5000 });
    assert_eq!(
        question(&r, "teilnehmende").kind,
        QuestionKind::Number { min: Some(0.0), max: Some(500.0), unit: None, integer: true }
    );
    assert_eq!(
        question(&r, "kosten").kind,
        QuestionKind::Number { min: None, max: None, unit: None, integer: false }
    );
    match &question(&r, "sprachen").kind {
        QuestionKind::MultipleChoice { options, other } => {
            assert_eq!(options.len(), 3);
            assert_eq!(other.as_deref(), Some("Sonstiges"));
        }
        other => panic!("{other:?}"),
    }
    match &question(&r, "dolmetschen").kind {
        QuestionKind::SingleChoice { options } => {
            assert_eq!(options.last().map(|o| o.code.as_str()), Some("other"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        question(&r, "zufriedenheit").kind,
        QuestionKind::Number { min: Some(1.0), max: Some(10.0), unit: None, integer: true }
    );
    assert_eq!(question(&r, "q_gross_1").text, "Ein Name, der kein Code ist");

    // The four simple forms of `relevant`, and a group's condition on its questions.
    assert_eq!(question(&r, "angebot_name").condition, condition("angebot", &["ja"]));
    assert_eq!(question(&r, "zielgruppen").condition, condition("angebot", &["ja"]));
    assert_eq!(
        question(&r, "teilnehmende").condition,
        condition("zielgruppen", &["kinder", "eltern"])
    );
    assert_eq!(question(&r, "kosten").condition, condition("angebot", &["ja", "nein"]));
    assert_eq!(question(&r, "kurse").condition, condition("sprachkurs", &["gut"]));
    assert_eq!(question(&r, "gemeinde").condition, condition("angebot", &["ja"]));
    assert_eq!(question(&r, "strasse").condition, condition("gemeinde", &["kleve"]));
    assert_eq!(question(&r, "bewertung").condition, None);
    assert_eq!(question(&r, "ende_ok").condition, None);

    // Everything else is listed by its name, with a reason.
    for code in [
        "start",
        "end",
        "heute",
        "geraet",
        "nutzer",
        "standort",
        "seit",
        "uhrzeit",
        "zeitpunkt",
        "foto",
        "ton",
        "summe",
        "einverstanden",
        "rangfolge",
        "versteckt",
        "ort_datei",
        "ohne_liste",
    ] {
        assert!(q.question(code).is_none(), "{code} imported");
        assert_eq!(reasons(&r, code).len(), 1, "{code}: {:?}", reasons(&r, code));
    }
    let has = |code: &str, part: &str| {
        assert!(
            reasons(&r, code).iter().any(|reason| reason.contains(part)),
            "{code}: {part} not in {:?}",
            reasons(&r, code)
        )
    };
    has("label::English (en)", "„Deutsch (de)“");
    has("bewertung", "${teilnehmende} > 10");
    has("ende_ok", "not(selected(${angebot}, 'nein'))");
    has("ende_ok", "Pflichtangabe nur unter der Bedingung");
    has("kosten", "Prüfregel „. > 0“");
    has("teilnehmende", "Zwischen 0 und 500.");
    has("summe", "${kurse} * 2");
    has("gemeinde", "Filter der Auswahlliste");
    has("strasse", "Bedingung der Gruppe „ort“");
    has("details", "Untergruppe „Einzelheiten“");
    has("kurse_liste", "Wiederholungsgruppe");
    has("kurs_plaetze", "Vorgabewert „12“");
    has("zwischen", "Ein Hinweis zwischendurch.");
    has("sprachen", "Darstellung „minimal“");
    has("sprachen/ukrainisch", "Medien");
    has("dolmetschen", "or_other");
    has("zufriedenheit", "Zahlenfeld von 1 bis 10");
    has("ohne_liste", "„fehlt“");
    has("ort_datei", "externen Datei");
    // Kobo's own columns ($kuid) are no loss.
    assert!(r.unmapped.iter().all(|u| !u.reason.contains("$kuid")));
}

#[test]
fn kobo_style_plain_labels_numbers_and_booleans() {
    let r = read(&fixture("kobo_einfach.xlsx")).unwrap();
    let q = &r.questionnaire;
    assert_eq!(q.check_draft(), Vec::<String>::new());
    assert_eq!(q.title, "Kinder");
    assert_eq!(q.themes.len(), 1, "questions outside groups share one theme");
    assert_eq!(q.themes[0].title, "Kinder");
    assert!(question(&r, "q1").required, "an Excel TRUE is required");
    assert!(!question(&r, "q2").required);
    assert_eq!(question(&r, "q2").help.as_deref(), Some("Zahl"));
    assert_eq!(question(&r, "q2").condition, condition("q1", &["1"]));
    assert_eq!(question(&r, "q3").condition, condition("q1", &["1", "2"]));
    assert_eq!(question(&r, "q4").text, "q4");
    assert!(reasons(&r, "scale/3")[0].contains("„3_2“"));
    assert_eq!(reasons(&r, "q4").len(), 1);
    assert_eq!(r.unmapped.len(), 2, "{:?}", r.unmapped);
}

#[test]
fn the_default_language_wins_and_the_others_are_listed() {
    let r = read(&fixture("sprachen.xlsx")).unwrap();
    assert_eq!(question(&r, "name").text, "Your name");
    let listed: Vec<&str> = r.unmapped.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(listed, ["label:de", "label::Français (fr)"]);
}

#[test]
fn a_large_form_keeps_every_question_and_condition() {
    let r = read(&fixture("gross.xlsx")).unwrap();
    let q = &r.questionnaire;
    assert_eq!(q.check_draft(), Vec::<String>::new());
    assert_eq!(q.themes.len(), 20);
    assert_eq!(q.questions().count(), 300);
    assert_eq!(q.questions().filter(|x| x.condition.is_some()).count(), 100);
    assert!(r.unmapped.is_empty(), "{:?}", r.unmapped);
    assert_eq!(q.duration_minutes, 100);
}

#[test]
fn files_that_are_no_xlsform_get_a_clear_message() {
    let message = |bytes: &[u8]| read(bytes).unwrap_err().0;
    assert!(message(&fixture("ohne_survey.xlsx")).contains("„Tabelle1“"));
    assert!(message(b"").contains("keine Excel-Arbeitsmappe"));
    assert!(message(b"type,name,label\ntext,a,A\n").contains("keine Excel-Arbeitsmappe"));
    assert!(message(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).contains(".xls"));
    assert!(message(b"PK\x03\x04 kaputt").contains("nicht als Excel-Arbeitsmappe lesen"));
    // A zip whose directory says its part unpacks to 4 GB (as a zip bomb's would).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, b"<sst/>").unwrap();
    let mut bomb = zip.finish().unwrap().into_inner();
    let directory = bomb.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bomb[directory + 24..directory + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    assert!(message(&bomb).contains("entpackt sich zu mehr als 100 MB"), "{}", message(&bomb));
    let huge = vec![b'P'; backend::imports::xlsform::MAX_BYTES + 1];
    assert!(message(&huge).contains("größer als"));
}

/// A small deterministic generator, so that a failing case can be replayed by its number.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Truncated, bit-flipped, overwritten and random files: never a panic, always a structure
/// that passes the draft check or a German message.
#[test]
fn mutated_files_never_panic() {
    let sources: Vec<Vec<u8>> = ["alle_typen.xlsx", "kobo_einfach.xlsx", "sprachen.xlsx"]
        .iter()
        .map(|n| fixture(n))
        .collect();
    let mut rng = Lcg(20260101);
    let mut outcomes = (0, 0);
    for case in 0..1500 {
        let source = &sources[case % sources.len()];
        let mut bytes = source.clone();
        match case % 5 {
            0 => bytes.truncate(rng.below(bytes.len())),
            1 => {
                for _ in 0..=rng.below(8) {
                    let at = rng.below(bytes.len());
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
            2 => {
                let at = rng.below(bytes.len());
                let len = rng.below(64).min(bytes.len() - at);
                for b in &mut bytes[at..at + len] {
                    *b = rng.next() as u8;
                }
            }
            3 => {
                // A zip or an Excel 97–2003 file by its first bytes, then noise.
                bytes = if case % 2 == 0 {
                    b"PK\x03\x04".to_vec()
                } else {
                    vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
                };
                bytes.extend((0..rng.below(4096)).map(|_| rng.next() as u8));
            }
            _ => {
                let at = rng.below(bytes.len());
                let len = rng.below(256).min(bytes.len() - at);
                bytes.drain(at..at + len);
            }
        }
        match std::panic::catch_unwind(|| read(&bytes)) {
            Ok(Ok(r)) => {
                assert_eq!(r.questionnaire.check_draft(), Vec::<String>::new(), "case {case}");
                outcomes.0 += 1;
            }
            Ok(Err(e)) => {
                assert!(
                    e.0.len() > 20 && e.0.contains("Datei") || e.0.contains("Blatt"),
                    "case {case}: {e}"
                );
                outcomes.1 += 1;
            }
            Err(_) => panic!("case {case} panicked"),
        }
    }
    assert!(outcomes.1 > 0, "{outcomes:?}");
}

//! Syntax for statistics programs beside the wide CSV file: SPSS (`.sps`) and R (`.R`). Both
//! read the wide file of the same dialect by its download name and set variable labels, value
//! labels and missing values from the codebook's entries ([`WideLayout::codebook`]), the same
//! entries the codebook CSV is written from.

use crate::csv_out::Dialect;
use crate::exports::layout::{file_name, CellKind, CodebookEntry, ExportKind, WideLayout};
use domain::questionnaire::{QuestionKind, Questionnaire};
use std::collections::HashSet;
use std::fmt::Write as _;

/// Widest string SPSS holds.
const SPSS_MAX_WIDTH: usize = 32_767;
/// SPSS cuts longer labels (bytes).
const SPSS_VARIABLE_LABEL: usize = 255;
const SPSS_VALUE_LABEL: usize = 120;
/// SPSS variable names: at most 64 bytes.
const SPSS_NAME: usize = 64;
/// Characters of an "other, namely" text, as the respondent's form caps it.
const OTHER_TEXT_CHARS: usize = 300;
/// Names and e-mail addresses of organisations, generously.
const META_TEXT_BYTES: usize = 2_000;
/// Words SPSS reserves; a variable may not be called so.
const SPSS_RESERVED: [&str; 13] =
    ["all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"];

/// How a column is read.
enum Reading {
    /// An id or a 0/1 flag: a whole number.
    Whole,
    /// A typed number.
    Number { integer: bool },
    /// A string of at most this many bytes.
    String(usize),
}

fn reading(entry: &CodebookEntry<'_>, q: &Questionnaire) -> Reading {
    let c = entry.column;
    let question = q.question(&c.question);
    match c.cell {
        CellKind::Code if c.is_flag() => Reading::Whole,
        // Only the response's number has a code column without codes.
        CellKind::Code if c.values.is_empty() => Reading::Whole,
        CellKind::Code => {
            Reading::String(c.values.iter().map(|(code, _)| code.len()).max().unwrap_or(1).max(1))
        }
        CellKind::CodeList => {
            Reading::String(c.values.iter().map(|(code, _)| code.len() + 1).sum::<usize>().max(1))
        }
        CellKind::Time => Reading::String(25),
        CellKind::Number => Reading::Number {
            integer: matches!(
                question.map(|x| &x.kind),
                Some(QuestionKind::Number { integer: true, .. })
            ),
        },
        CellKind::Text => {
            let chars = match question.map(|x| &x.kind) {
                Some(QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len }) => {
                    *max_len as usize
                }
                Some(QuestionKind::MultipleChoice { .. }) => OTHER_TEXT_CHARS,
                _ => META_TEXT_BYTES / 4,
            };
            // Four bytes per character at most in UTF-8, one more for the Excel apostrophe.
            Reading::String((chars * 4 + 1).min(SPSS_MAX_WIDTH))
        }
    }
}

/// Valid, unique SPSS names for the columns, in order: a name must start with a letter, may
/// not be a reserved word and has at most 64 bytes. Codes are `[a-z0-9_]`, so only these
/// three rules can bite.
pub fn spss_names(entries: &[CodebookEntry<'_>]) -> Vec<String> {
    let mut taken = HashSet::new();
    entries
        .iter()
        .map(|e| {
            let code = &e.column.code;
            let mut name = code.clone();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                name = format!("v_{name}");
            }
            if SPSS_RESERVED.contains(&name.as_str()) {
                name.push_str("_v");
            }
            name.truncate(SPSS_NAME);
            let base = name.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                let suffix = format!("_{n}");
                name = format!("{}{suffix}", &base[..base.len().min(SPSS_NAME - suffix.len())]);
                n += 1;
            }
            name
        })
        .collect()
}

/// A string literal of SPSS syntax: single quotes doubled, line breaks as spaces, cut to
/// `max_bytes` at a character boundary.
fn spss_string(text: &str, max_bytes: usize) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut cut = flat.trim().to_string();
    if cut.len() > max_bytes {
        let mut end = max_bytes;
        while !cut.is_char_boundary(end) {
            end -= 1;
        }
        cut.truncate(end);
    }
    format!("'{}'", cut.replace('\'', "''"))
}

/// The SPSS syntax that reads the wide file `file_name(Wide, slug, dialect)` with labels.
pub fn spss_syntax(layout: &WideLayout, q: &Questionnaire, dialect: Dialect) -> String {
    let entries = layout.codebook(q, None);
    let names = spss_names(&entries);
    let csv = file_name(ExportKind::Wide, &q.slug, dialect);
    let mut s = String::new();
    // SPSS and PSPP read this first line as the syntax file's encoding.
    s.push_str("* Encoding: UTF-8.\n");
    let _ = writeln!(
        s,
        "* SPSS-Syntax zur breiten Datei {csv} (Fragebogen {}).",
        spss_string(&q.title, 200)
    );
    s.push_str(
        "* Erzeugt aus dem Codebuch: Variablen, Beschriftungen und fehlende Werte wie dort.\n\
         * Legen Sie die CSV-Datei in das Arbeitsverzeichnis von SPSS oder ergänzen Sie bei /FILE den Pfad.\n\
         * Codes bleiben Text (Variablen vom Typ String) mit Wertbeschriftungen; Zeitangaben ebenso.\n\
         * Achtung: GET DATA liest je Fall genau eine Zeile. Enthält ein Freitext einen Zeilenumbruch, verrutschen ab dort die Spalten;\n\
         * dann die Datei mit dem R-Skript lesen oder die Umbrüche vorher in einer Tabellenkalkulation ersetzen.\n",
    );
    if dialect == Dialect::Excel {
        s.push_str(
            "* Excel-Format: Freitexte, die mit = + - @ beginnen, tragen ein vorangestelltes Apostroph.\n",
        );
    }
    let renamed: Vec<String> = entries
        .iter()
        .zip(&names)
        .filter(|(e, n)| e.column.code != **n)
        .map(|(e, n)| format!("{} als {n}", e.column.code))
        .collect();
    if !renamed.is_empty() {
        let _ = writeln!(
            s,
            "* Spalten mit anderem Namen in SPSS (Variablennamen müssen mit einem Buchstaben beginnen, höchstens 64 Bytes, kein reserviertes Wort): {}.",
            renamed.join(", ")
        );
    }
    let _ = writeln!(s, "SET DECIMAL={}.", if dialect.decimal_comma() { "COMMA" } else { "DOT" });
    let delimiter = if dialect == Dialect::Excel { ";" } else { "," };
    let _ = write!(
        s,
        "GET DATA\n  /TYPE=TXT\n  /FILE='{csv}'\n  /ENCODING='UTF8'\n  /ARRANGEMENT=DELIMITED\n  \
         /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\"{delimiter}\"\n  /QUALIFIER='\"'\n  \
         /VARIABLES=\n"
    );
    let mut decimals = Vec::new();
    for (entry, name) in entries.iter().zip(&names) {
        let format = match reading(entry, q) {
            Reading::Whole => "F12.0".to_string(),
            Reading::Number { integer: true } => "F12.0".to_string(),
            Reading::Number { integer: false } => {
                decimals.push(name.clone());
                "F20.0".to_string()
            }
            Reading::String(width) => format!("A{width}"),
        };
        let _ = writeln!(s, "    {name} {format}");
    }
    s.push_str(".\n");
    if !decimals.is_empty() {
        // Read as F20.0 (a decimal separator in the data counts as typed), shown with places.
        let _ = writeln!(s, "FORMATS {} (F20.4).", decimals.join(" "));
    }

    s.push_str("VARIABLE LABELS\n");
    for (i, (entry, name)) in entries.iter().zip(&names).enumerate() {
        let _ = writeln!(
            s,
            "  {}{name} {}",
            if i == 0 { "" } else { "/" },
            spss_string(&entry.column.label(), SPSS_VARIABLE_LABEL)
        );
    }
    s.push_str(".\n");

    let labelled: Vec<(&CodebookEntry<'_>, &String)> = entries
        .iter()
        .zip(&names)
        .filter(|(e, _)| !e.column.values.is_empty() && e.column.cell != CellKind::CodeList)
        .collect();
    if !labelled.is_empty() {
        s.push_str("VALUE LABELS\n");
        for (i, (entry, name)) in labelled.iter().enumerate() {
            let _ = write!(s, "  {}{name}", if i == 0 { "" } else { "/" });
            let numeric = entry.column.is_flag();
            for (code, label) in &entry.column.values {
                let value = if numeric { code.clone() } else { spss_string(code, SPSS_MAX_WIDTH) };
                let _ = write!(s, "\n    {value} {}", spss_string(label, SPSS_VALUE_LABEL));
            }
            s.push('\n');
        }
        s.push_str(".\n");
    }

    let missing: Vec<(&CodebookEntry<'_>, &String)> =
        entries.iter().zip(&names).filter(|(e, _)| !e.column.missing.is_empty()).collect();
    if !missing.is_empty() {
        s.push_str("* Fehlende Werte laut Codebuch (z. B. „kann ich nicht beurteilen“).\n");
        s.push_str("MISSING VALUES\n");
        for (i, (entry, name)) in missing.iter().enumerate() {
            let values: Vec<String> =
                entry.column.missing.iter().take(3).map(|v| spss_string(v, 8)).collect();
            let _ =
                writeln!(s, "  {}{name} ({})", if i == 0 { "" } else { "/" }, values.join(", "));
        }
        s.push_str(".\n");
    }
    s.push_str("EXECUTE.\n");
    s
}

/// An R string literal.
fn r_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn r_vector<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(r_string).collect();
    format!("c({})", items.join(", "))
}

/// The R script that reads the wide file `file_name(Wide, slug, dialect)` with labels.
pub fn r_script(layout: &WideLayout, q: &Questionnaire, dialect: Dialect) -> String {
    let entries = layout.codebook(q, None);
    let csv = file_name(ExportKind::Wide, &q.slug, dialect);
    let script = file_name(ExportKind::R, &q.slug, dialect);
    let excel = dialect == Dialect::Excel;
    let mut s = String::new();
    let _ = writeln!(s, "# R-Skript zur breiten Datei {csv} (Fragebogen {}).", r_string(&q.title));
    s.push_str(
        "# Erzeugt aus dem Codebuch: Spalten, Beschriftungen und fehlende Werte wie dort.\n",
    );
    let _ = writeln!(
        s,
        "# Aufruf im Ordner der CSV-Datei: source({}, encoding = \"UTF-8\")",
        r_string(&script)
    );
    s.push_str(
        "# Ergebnis: der data.frame `daten`; Codes als Faktoren mit ihren Beschriftungen,\n\
         # Variablenbeschriftungen im Attribut \"label\" (wie bei haven/labelled),\n\
         # Werte, die als fehlend gelten, im Attribut \"fehlend\" (als_fehlend() macht sie zu NA).\n\n",
    );
    let _ = writeln!(s, "datei <- {}", r_string(&csv));
    if excel {
        s.push_str(
            "daten <- read.csv2(datei, encoding = \"UTF-8\", fileEncoding = \"UTF-8-BOM\",\n\
             \x20                  colClasses = \"character\", na.strings = \"\", check.names = FALSE)\n",
        );
    } else {
        s.push_str(
            "daten <- read.csv(datei, encoding = \"UTF-8\", fileEncoding = \"UTF-8\",\n\
             \x20                 colClasses = \"character\", na.strings = \"\", check.names = FALSE)\n",
        );
    }
    let _ = writeln!(
        s,
        "spalten <- {}\nif (!identical(names(daten), spalten)) {{\n  stop(\"Die Spalten von \", datei, \" passen nicht zu diesem Skript (anderer Fragebogen oder andere Optionen beim Export?).\")\n}}",
        r_vector(entries.iter().map(|e| e.column.code.as_str()))
    );
    if excel {
        s.push_str(
            "# Zahlen mit Dezimalkomma; Freitexte ohne das Apostroph, das Excel vor = + - @ schützt.\n\
             zahl <- function(x) suppressWarnings(as.numeric(chartr(\",\", \".\", x)))\n\
             text <- function(x) sub(\"^'(?=[-=+@\\t\\r])\", \"\", x, perl = TRUE)\n",
        );
    } else {
        s.push_str("zahl <- function(x) suppressWarnings(as.numeric(x))\ntext <- function(x) x\n");
    }
    s.push_str(
        "als_fehlend <- function(x) {\n  f <- attr(x, \"fehlend\")\n  if (!is.null(f)) x[as.character(x) %in% f] <- NA\n  x\n}\n\n",
    );
    for entry in &entries {
        let c = entry.column;
        let column = format!("daten[[{}]]", r_string(&c.code));
        let conversion = match reading(entry, q) {
            Reading::Whole => format!("as.integer({column})"),
            Reading::Number { .. } => format!("zahl({column})"),
            Reading::String(_) if c.cell == CellKind::Text => format!("text({column})"),
            Reading::String(_) if !c.values.is_empty() && c.cell == CellKind::Code => format!(
                "factor({column},\n  levels = {},\n  labels = {})",
                r_vector(c.values.iter().map(|(code, _)| code.as_str())),
                r_vector(c.values.iter().map(|(_, label)| label.as_str()))
            ),
            Reading::String(_) => String::new(),
        };
        if !conversion.is_empty() {
            let _ = writeln!(s, "{column} <- {conversion}");
        }
        if c.is_flag() {
            let _ = writeln!(s, "# {}: 0 = nicht gewählt, 1 = gewählt", c.code);
        }
        let _ = writeln!(s, "attr({column}, \"label\") <- {}", r_string(&c.label()));
        if !c.missing.is_empty() {
            let labels: Vec<&str> = c
                .missing
                .iter()
                .map(|m| c.values.iter().find(|(code, _)| code == m).map_or(m.as_str(), |(_, l)| l))
                .collect();
            let _ = writeln!(s, "attr({column}, \"fehlend\") <- {}", r_vector(labels));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_out::CsvOut;
    use crate::db::ResponseMeta;
    use domain::default_questionnaire::default_questionnaire;
    use domain::questionnaire::{Choice, Question, Theme};

    /// A small questionnaire with every kind of column, and names SPSS does not take.
    fn questionnaire() -> Questionnaire {
        let question = |code: &str, text: &str, kind: QuestionKind| Question {
            code: code.into(),
            text: text.into(),
            help: None,
            required: false,
            kind,
            condition: None,
            reference: None,
        };
        Questionnaire {
            id: 1,
            slug: "probe-2026".into(),
            title: "Probe „2026“".into(),
            intro: String::new(),
            duration_minutes: 5,
            status: domain::QuestionnaireStatus::Open,
            deadline: None,
            themes: vec![Theme {
                code: "t".into(),
                title: "Thema".into(),
                intro: None,
                questions: vec![
                    question(
                        "1a",
                        "Gibt es's?",
                        QuestionKind::SingleChoice {
                            options: vec![
                                Choice::new("ja", "Ja, \"sicher\""),
                                Choice::new("nein", "Nein"),
                            ],
                        },
                    ),
                    question(
                        "to",
                        "Wer?",
                        QuestionKind::MultipleChoice {
                            options: vec![Choice::new("a", "Kinder"), Choice::new("b", "Eltern")],
                            other: Some("Andere".into()),
                        },
                    ),
                    question(
                        "bedarf",
                        "Bedarf",
                        QuestionKind::Rating {
                            min: 1,
                            max: 5,
                            min_label: "kein".into(),
                            max_label: "sehr hoch".into(),
                            cannot_judge: Some("kann ich nicht beurteilen".into()),
                        },
                    ),
                    question(
                        "anzahl",
                        "Anzahl",
                        QuestionKind::Number { min: None, max: None, unit: None, integer: true },
                    ),
                    question(
                        "kosten",
                        "Kosten",
                        QuestionKind::Number { min: None, max: None, unit: None, integer: false },
                    ),
                    question(&"x".repeat(40), "Lang", QuestionKind::ShortText { max_len: 10 }),
                    question(
                        &"y".repeat(40),
                        "Matrix",
                        QuestionKind::Matrix {
                            rows: vec![Choice::new("z".repeat(40), "Zeile")],
                            columns: vec![Choice::new("gut", "gut")],
                        },
                    ),
                    question(
                        "notiz",
                        "Notiz\nzweite Zeile",
                        QuestionKind::LongText { max_len: 100 },
                    ),
                ],
            }],
        }
    }

    #[test]
    fn spss_names_are_valid_and_unique() {
        let q = questionnaire();
        let layout = WideLayout::new(&q, false);
        let entries = layout.codebook(&q, None);
        let names = spss_names(&entries);
        assert!(names.contains(&"v_1a".to_string()));
        assert!(names.contains(&"to__a".to_string()), "only the whole word is reserved");
        let long: Vec<&String> = names.iter().filter(|n| n.starts_with("yyyy")).collect();
        assert_eq!(long.len(), 1);
        assert_eq!(long[0].len(), 64);
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
        let mut taken = HashSet::new();
        for name in &names {
            assert!(name.len() <= 64 && name.starts_with(|c: char| c.is_ascii_alphabetic()));
            assert!(!SPSS_RESERVED.contains(&name.as_str()));
            assert!(taken.insert(name));
        }
        let column = |code: &str| crate::exports::layout::WideColumn {
            code: code.into(),
            theme: String::new(),
            question: String::new(),
            text: String::new(),
            kind: String::new(),
            part: String::new(),
            values: vec![],
            missing: vec![],
            cell: CellKind::Code,
        };
        let columns = [column("with"), column(&"a".repeat(70)), column(&"a".repeat(66))];
        let entries: Vec<CodebookEntry<'_>> =
            columns.iter().map(|column| CodebookEntry { column, theme_title: "" }).collect();
        assert_eq!(
            spss_names(&entries),
            ["with_v".to_string(), "a".repeat(64), format!("{}_2", "a".repeat(62))]
        );
    }

    #[test]
    fn spss_syntax_reads_the_wide_file_with_labels() {
        let q = questionnaire();
        for (dialect, delimiter, decimal) in
            [(Dialect::Excel, "\"; \"", "COMMA"), (Dialect::Standard, "\",\"", "DOT")]
        {
            let sps = spss_syntax(&WideLayout::new(&q, false), &q, dialect);
            let lines: Vec<&str> = sps.lines().collect();
            assert_eq!(lines[0], "* Encoding: UTF-8.");
            assert!(lines.contains(&format!("SET DECIMAL={decimal}.").as_str()));
            assert!(sps
                .contains(&format!("/FILE='antworten_breit_probe_2026_{}.csv'", dialect.as_str())));
            assert!(sps.contains(&format!("/DELIMITERS={}", delimiter.replace(' ', ""))));
            assert!(sps.contains("/FIRSTCASE=2") && sps.contains("/ENCODING='UTF8'"));
            for variable in [
                "    antwort_id F12.0",
                "    status A9",
                "    kommunen A",
                "    begonnen A25",
                "    v_1a A4",
                "    to__a F12.0",
                "    to__sonstiges A1201",
                "    bedarf A2",
                "    anzahl F12.0",
                "    kosten F20.0",
                "    notiz A401",
            ] {
                assert!(lines.iter().any(|l| l.starts_with(variable)), "{variable}\n{sps}");
            }
            assert!(lines.contains(&"FORMATS kosten (F20.4)."));
            // Quotes doubled, line breaks flattened.
            assert!(lines.contains(&"  /v_1a 'Gibt es''s?'"), "{sps}");
            assert!(lines.contains(&"  /notiz 'Notiz zweite Zeile'"));
            assert!(lines.contains(&"  /to__b 'Wer?: Eltern'"));
            assert!(lines.contains(&"    'ja' 'Ja, \"sicher\"'"));
            assert!(sps.contains("  /to__a\n    0 'nicht gewählt'\n    1 'gewählt'\n"));
            assert!(sps.contains("    'ka' 'kann ich nicht beurteilen'"));
            assert!(sps.contains("MISSING VALUES\n  bedarf ('ka')\n.\n"));
            assert!(sps.contains("1a als v_1a"), "renamed columns are named");
            assert!(!sps.contains("  /kommunen\n"), "a list of codes gets no value labels");
            assert!(sps.trim_end().ends_with("EXECUTE."));
            // Every command ends with a period before the next begins.
            for command in ["GET DATA", "VARIABLE LABELS", "VALUE LABELS", "MISSING VALUES"] {
                let at = sps.find(&format!("\n{command}\n")).unwrap();
                assert!(sps[..=at].ends_with(".\n"), "{command}");
            }
        }
    }

    #[test]
    fn spss_strings_escape_and_cut() {
        assert_eq!(spss_string("it's", 100), "'it''s'");
        assert_eq!(spss_string("a\r\nb\tc", 100), "'a  b c'");
        assert_eq!(spss_string("ääää", 5), "'ää'", "cut at a character boundary");
    }

    #[test]
    fn r_script_reads_the_wide_file_with_labels() {
        let q = questionnaire();
        let excel = r_script(&WideLayout::new(&q, true), &q, Dialect::Excel);
        assert!(excel.contains("datei <- \"antworten_breit_probe_2026_excel.csv\""));
        assert!(
            excel.contains("read.csv2(datei, encoding = \"UTF-8\", fileEncoding = \"UTF-8-BOM\"")
        );
        assert!(excel.contains("chartr(\",\", \".\", x)"));
        assert!(excel.contains("spalten <- c(\"antwort_id\", \"status\", \"begonnen\", \"abgeschlossen\", \"art\", \"kommunen\", \"organisation\", \"e_mail\", \"1a\""));
        assert!(excel.contains(
            "daten[[\"1a\"]] <- factor(daten[[\"1a\"]],\n  levels = c(\"ja\", \"nein\"),\n  labels = c(\"Ja, \\\"sicher\\\"\", \"Nein\"))"
        ));
        assert!(excel.contains("attr(daten[[\"notiz\"]], \"label\") <- \"Notiz\\nzweite Zeile\""));
        assert!(excel.contains("daten[[\"to__a\"]] <- as.integer(daten[[\"to__a\"]])"));
        assert!(excel.contains("daten[[\"kosten\"]] <- zahl(daten[[\"kosten\"]])"));
        assert!(excel.contains("daten[[\"organisation\"]] <- text(daten[[\"organisation\"]])"));
        assert!(excel.contains(
            "attr(daten[[\"bedarf\"]], \"fehlend\") <- c(\"kann ich nicht beurteilen\")"
        ));
        let standard = r_script(&WideLayout::new(&q, false), &q, Dialect::Standard);
        assert!(standard.contains("read.csv(datei, encoding = \"UTF-8\", fileEncoding = \"UTF-8\""));
        assert!(!standard.contains("daten[[\"organisation\"]]"), "contacts only when asked for");
        // Balanced brackets and quotes: a cheap check of the script's shape.
        for script in [&excel, &standard] {
            let mut depth = 0i32;
            let mut in_string = false;
            let mut escaped = false;
            for c in
                script.lines().filter(|l| !l.starts_with('#')).flat_map(|l| l.chars().chain(['\n']))
            {
                match (in_string, escaped, c) {
                    (true, true, _) => escaped = false,
                    (true, false, '\\') => escaped = true,
                    (true, false, '"') => in_string = false,
                    (true, false, _) => {}
                    (false, _, '"') => in_string = true,
                    (false, _, '(' | '{' | '[') => depth += 1,
                    (false, _, ')' | '}' | ']') => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0);
            }
            assert_eq!((depth, in_string), (0, false));
        }
    }

    /// Writes the wide file of two responses and a syntax file into a fresh folder.
    fn files_in(
        dir: &std::path::Path,
        q: &Questionnaire,
        dialect: Dialect,
        syntax: &str,
        name: &str,
        other: &str,
    ) {
        let layout = WideLayout::new(q, false);
        let mut out = CsvOut::new(dialect);
        layout.write_header(&mut out).unwrap();
        let mut row = layout.new_row();
        layout.place(&mut row, "1a", "", "ja");
        layout.place(&mut row, "to", "", "b");
        layout.place(&mut row, "to", domain::answers::OTHER_ROW, other);
        layout.place(&mut row, "bedarf", "", "ka");
        layout.place(&mut row, "anzahl", "", "12");
        layout.place(&mut row, "kosten", "", "1250.5");
        let meta = ResponseMeta {
            id: 7,
            status: "submitted".into(),
            started_at: Some(1_788_256_800_000),
            org_kind: Some("kita".into()),
            municipalities: vec!["05154008".into(), "05154016".into()],
            ..Default::default()
        };
        layout.write_row(&mut out, &meta, &mut row).unwrap();
        layout.place(&mut row, "bedarf", "", "4");
        layout
            .write_row(
                &mut out,
                &ResponseMeta { id: 8, status: "draft".into(), ..Default::default() },
                &mut row,
            )
            .unwrap();
        std::fs::write(
            dir.join(file_name(ExportKind::Wide, &q.slug, dialect)),
            out.take().unwrap(),
        )
        .unwrap();
        std::fs::write(dir.join(name), syntax).unwrap();
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("bedarfsanalyse-syntax-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn have(program: &str) -> bool {
        let found = std::process::Command::new(program).arg("--version").output().is_ok();
        if !found {
            eprintln!("{program} is not installed: this check is skipped");
        }
        found
    }

    /// Runs the R script on a wide file of both dialects (when R is installed).
    #[test]
    fn r_reads_the_exported_file() {
        if !have("Rscript") {
            return;
        }
        let q = questionnaire();
        for dialect in [Dialect::Excel, Dialect::Standard] {
            let dir = scratch(&format!("r-{}", dialect.as_str()));
            let script = file_name(ExportKind::R, &q.slug, dialect);
            files_in(
                &dir,
                &q,
                dialect,
                &r_script(&WideLayout::new(&q, false), &q, dialect),
                &script,
                "=Nähcafé; \"offen\"\nmontags",
            );
            let output = std::process::Command::new("Rscript")
                .current_dir(&dir)
                .arg("-e")
                .arg(format!(
                    "source('{script}', encoding = 'UTF-8'); \
                     cat(nrow(daten), as.character(daten[['1a']][1]), daten$kosten[1], daten$anzahl[1], \
                     daten[['to__b']][1], is.na(daten[['to__a']][2]), levels(daten$bedarf)[6], \
                     as.character(daten$art[1]), sep = '|'); cat('|'); \
                     cat(daten[['to__sonstiges']][1]); cat('|'); cat(attr(daten$kosten, 'label')); cat('|'); \
                     cat(is.na(als_fehlend(daten$bedarf))[1:2], sep = ',')"
                ))
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            assert_eq!(
                stdout,
                "2|Ja, \"sicher\"|1250.5|12|1|TRUE|kann ich nicht beurteilen|Kindertageseinrichtung|=Nähcafé; \"offen\"\nmontags|Kosten|TRUE,FALSE",
                "{dialect:?}"
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    /// Runs the SPSS syntax in PSPP, the free SPSS clone (when it is installed).
    #[test]
    fn pspp_reads_the_exported_file() {
        if !have("pspp") {
            return;
        }
        let q = questionnaire();
        for dialect in [Dialect::Excel, Dialect::Standard] {
            let dir = scratch(&format!("pspp-{}", dialect.as_str()));
            let mut syntax = spss_syntax(&WideLayout::new(&q, false), &q, dialect);
            syntax.push_str(
                "LIST /VARIABLES=antwort_id v_1a to__b bedarf anzahl kosten.\n\
                 LIST /VARIABLES=to__sonstiges.\n\
                 DISPLAY DICTIONARY /VARIABLES=bedarf kosten.\n",
            );
            // One line per case (see the syntax's note on line breaks).
            files_in(&dir, &q, dialect, &syntax, "probe.sps", "=Nähcafé; \"offen\", montags");
            let output = std::process::Command::new("pspp")
                .current_dir(&dir)
                .args(["-o", "aus.txt", "probe.sps"])
                .output()
                .unwrap();
            let text = std::fs::read_to_string(dir.join("aus.txt")).unwrap_or_default();
            assert!(output.status.success(), "{}\n{text}", String::from_utf8_lossy(&output.stderr));
            assert!(!text.contains("rror") && !text.contains("arning"), "{dialect:?}\n{text}");
            let listed: Vec<Vec<&str>> = text
                .lines()
                .map(|l| {
                    l.split(|c: char| c == '|' || c.is_whitespace())
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                })
                .filter(|w| w.first().is_some_and(|f| *f == "7" || *f == "8"))
                .collect();
            let cost = if dialect == Dialect::Excel { "1250,5000" } else { "1250.5000" };
            assert_eq!(listed[0], ["7", "ja", "1", "ka", "12", cost], "{text}");
            assert_eq!(listed[1], ["8", ".", "4", ".", "."], "{text}");
            assert!(text.contains("kann ich nicht beurteilen"), "{text}");
            let nasty = if dialect == Dialect::Excel {
                "'=Nähcafé; \"offen\", montags"
            } else {
                "=Nähcafé; \"offen\", montags"
            };
            assert!(text.contains(nasty), "{text}");
            assert!(text.contains("Missing Values: \"ka\"") || text.contains("\"ka\""), "{text}");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    #[test]
    fn the_default_questionnaire_gets_both_files() {
        let q = default_questionnaire();
        let layout = WideLayout::new(&q, false);
        let sps = spss_syntax(&layout, &q, Dialect::Excel);
        let r = r_script(&layout, &q, Dialect::Excel);
        for entry in layout.codebook(&q, None) {
            assert!(r.contains(&format!("daten[[\"{}\"]]", entry.column.code)));
        }
        assert!(sps.matches("('ka')").count() > 0);
        // PSPP reads the whole default questionnaire's syntax without a warning.
        if have("pspp") {
            let dir = scratch("pspp-default");
            let mut out = CsvOut::new(Dialect::Excel);
            layout.write_header(&mut out).unwrap();
            let mut row = layout.new_row();
            let meta = ResponseMeta { id: 1, status: "submitted".into(), ..Default::default() };
            layout.write_row(&mut out, &meta, &mut row).unwrap();
            let csv = file_name(ExportKind::Wide, &q.slug, Dialect::Excel);
            std::fs::write(dir.join(csv), out.take().unwrap()).unwrap();
            std::fs::write(dir.join("default.sps"), format!("{sps}DISPLAY DICTIONARY.\n")).unwrap();
            let output = std::process::Command::new("pspp")
                .current_dir(&dir)
                .args(["-o", "aus.txt", "default.sps"])
                .output()
                .unwrap();
            let text = std::fs::read_to_string(dir.join("aus.txt")).unwrap_or_default();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            assert!(!text.contains("rror") && !text.contains("arning"), "{text}");
            assert!(text.contains("\"ka\""), "the need ratings' missing value is declared");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

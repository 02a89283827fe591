//! Import of organisations from a CSV file as municipal staff produce it with Excel or
//! LibreOffice: validates every row against the county's reference data and either returns all
//! organisations or all problems, never a partial import.
//!
//! Rules, so that a user who reads an error message can fix the file:
//! - Size: at most [`MAX_IMPORT_BYTES`]; larger files are refused before any decoding.
//! - Encoding: UTF-8 (with or without BOM), otherwise Windows-1252 (Excel's "CSV (Trennzeichen-
//!   getrennt)" on German Windows). UTF-16 ("Unicode-Text"), spreadsheet files (.xlsx, .ods,
//!   .xls) and binary data are refused with a message that says how to save the file.
//! - Separator: `;` or `,`, whichever makes the header row yield more known columns (`;` on a
//!   tie, as German Excel writes it). Tabs are refused with an explicit message.
//! - Header: the first row that contains known column titles; up to [`HEADER_SEARCH_ROWS`] rows
//!   before it (a title, Excel's `sep=;`) are ignored. Titles are compared case-insensitively,
//!   ignoring spaces, hyphens and other punctuation ("E-Mail" = "Email" = "e mail"). Each column
//!   has German synonyms; if two columns match the same field, the earlier synonym in the list
//!   wins ("Einrichtung" beats "Träger", "E-Mail" beats "Kontakt"). Unknown columns are ignored.
//! - Kind: the code (`kita`) or the label (`Kindertageseinrichtung`) of [`ORG_KINDS`], ignoring
//!   case, spaces and punctuation. Nothing fuzzier is accepted, but a close label is suggested.
//! - Municipalities: one cell may name several. After CSV unquoting the cell's content is
//!   unambiguous, so `,` `;` `|` `/`, line breaks (Alt+Enter in Excel) and the word "und"
//!   all separate names, whatever the file's separator (a `,` inside a `,`-separated file
//!   needs quotes, which Excel adds by itself). Each name matches a municipality by name
//!   (ignoring case, hyphens and a leading "Stadt"/"Gemeinde"; "Emmerich" is accepted), or by
//!   its 8-digit AGS (also with the leading zero Excel drops). "kreisweit", "Kreis Kleve",
//!   "alle" and similar mean all 16 municipalities. The result is sorted and deduplicated.
//! - E-mail: optional; one plain address (a leading "mailto:" is dropped, the domain is
//!   lower-cased).
//! - Name: required, inner whitespace collapsed, at most [`MAX_NAME_CHARS`] characters. Two
//!   rows with the same name (ignoring case) and kind are reported on the later row.
//! - Rows whose cells are all empty are skipped; short rows are reported with their width.
//! - Line numbers are physical lines of the file (header = 1, if it is the first line), counted
//!   from each record's byte offset, so they stay right after quoted cells with line breaks,
//!   CRLF and skipped empty lines. 0 means the whole file.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use domain::reference::{OrgKind, COUNTY_NAME, MUNICIPALITIES, ORG_KINDS, WHOLE_COUNTY};

const NO_ORGANISATIONS: &str = "Die Datei enthält keine Organisationen.";

/// Larger uploads are refused as a whole, before decoding, so a huge file costs nothing.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// Longest accepted organisation name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// At most this many problems are returned, followed by one entry counting the rest.
pub const MAX_PROBLEMS: usize = 200;
/// Non-empty rows searched for the header, to skip a title row above it.
const HEADER_SEARCH_ROWS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrganisation {
    /// Line of the file the row starts on.
    pub line: usize,
    pub name: String,
    /// Code of one of [`ORG_KINDS`].
    pub kind: &'static str,
    /// AGS codes, sorted and deduplicated; all 16 for a county-wide organisation.
    pub municipalities: Vec<&'static str>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based physical line of the file; 0 for problems of the whole file.
    pub line: usize,
    /// German, addressed to the user; does not repeat the line number (see `Display`).
    pub message: String,
}

impl ImportProblem {
    fn file(message: impl Into<String>) -> Self {
        Self { line: 0, message: message.into() }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            line => write!(f, "Zeile {line}: {}", self.message),
        }
    }
}

/// Parses and validates the uploaded file.
///
/// # Errors
/// Every problem found (capped at [`MAX_PROBLEMS`] plus a count of the rest); then no
/// organisation may be imported at all.
pub fn parse_organisations(bytes: &[u8]) -> Result<Vec<ImportedOrganisation>, Vec<ImportProblem>> {
    let text = decode(bytes).map_err(|message| vec![ImportProblem::file(message)])?;
    let header = find_header(&text)?;

    let mut problems = Problems::default();
    let mut organisations = Vec::new();
    // (normalised name, kind) → line of its first occurrence.
    let mut seen: HashMap<(String, &'static str), usize> = HashMap::new();
    let mut reader = csv_reader(&text, header.delimiter);
    let mut lines = LineCounter::new(&text);
    // Line of the last record and whether a cell of it spans lines.
    let mut last = (0, false);
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            // Hardly reachable (the input is valid UTF-8 and rows may vary in width); report
            // rather than guess.
            Err(err) => {
                let line = err.position().map_or(0, |p| lines.line_at(p.byte()));
                problems.push(line, format!("Die Datei konnte nicht gelesen werden: {err}"));
                break;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        last = (line, record.iter().any(|cell| cell.contains(['\n', '\r'])));
        if line <= header.line || is_blank(&record) {
            continue;
        }
        let before = problems.count();
        let row = validate_row(&record, line, &header, &mut problems);
        // Checked even when the row has other problems, so that one upload shows them all.
        if let (Some(name), Some(kind)) = (&row.name, row.kind) {
            match seen.entry((name.to_lowercase(), kind)) {
                Entry::Occupied(first) => problems.push(
                    line,
                    format!("Doppelt: dieselbe Organisation wie in Zeile {}.", first.get()),
                ),
                Entry::Vacant(slot) => {
                    slot.insert(line);
                }
            }
        }
        if problems.count() == before {
            organisations.extend(row.into_organisation(line));
        }
    }

    // An unclosed quote swallows the rest of the file into one cell; the row's problems alone
    // ("nur 1 von 3 Spalten") would not explain that.
    if last.1 && text.matches('"').count() % 2 == 1 {
        problems.push(
            last.0,
            "Ein Anführungszeichen (\") wird nicht geschlossen, daher wird der Rest der Datei als \
             eine einzige Zelle gelesen."
                .to_owned(),
        );
    }
    if problems.is_empty() && organisations.is_empty() {
        return Err(vec![ImportProblem::file(NO_ORGANISATIONS)]);
    }
    match problems.finish() {
        Some(list) => Err(list),
        None => Ok(organisations),
    }
}

/// The problems for rows already in the register (line and name of each), capped like the
/// file's own problems.
pub fn registered_problems<'a>(
    rows: impl IntoIterator<Item = (usize, &'a str)>,
) -> Vec<ImportProblem> {
    let mut problems = Problems::default();
    for (line, name) in rows {
        problems.push(line, format!("„{name}“ ist mit dieser Art schon im Verzeichnis."));
    }
    problems.finish().unwrap_or_default()
}

// ----- decoding -----

fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    const SAVE_AS: &str = "Bitte in Excel über „Speichern unter“ als „CSV UTF-8 (durch \
                           Trennzeichen getrennt)“ speichern.";
    const NOT_TEXT: &str = "Die Datei ist keine Textdatei (CSV) in UTF-8 oder Windows-1252.";
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(format!(
            "Die Datei ist zu groß ({} MB). Erlaubt sind höchstens {} MB.",
            megabytes(bytes.len()),
            MAX_IMPORT_BYTES / (1024 * 1024)
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(format!("Die Datei ist als UTF-16 („Unicode-Text“) gespeichert. {SAVE_AS}"));
    }
    // Uploading the workbook instead of a CSV export is the most likely mistake.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(format!(
            "Die Datei ist eine Tabellen-Arbeitsmappe (z. B. .xlsx), keine CSV-Datei. {SAVE_AS}"
        ));
    }
    // NUL never occurs in CSV text; it does in UTF-16 without BOM and in binary files.
    if bytes.contains(&0) {
        return Err(NOT_TEXT.to_owned());
    }
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(without_bom) {
        Ok(text) => Cow::Borrowed(text),
        // Windows-1252 decodes any byte sequence, so only control characters betray binary data.
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(without_bom).0,
    };
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        return Err(NOT_TEXT.to_owned());
    }
    Ok(text)
}

fn megabytes(bytes: usize) -> String {
    // German decimal comma; one decimal is plenty for a size message.
    let tenths = (bytes as u64 * 10 + 512 * 1024) / (1024 * 1024);
    format!("{},{}", tenths / 10, tenths % 10)
}

// ----- header -----

const NAME: usize = 0;
const KIND: usize = 1;
const MUNICIPALITY: usize = 2;
const EMAIL: usize = 3;

struct ColumnSpec {
    title: &'static str,
    /// In order of preference, the first being `title`.
    synonyms: &'static [&'static str],
    required: bool,
}

const COLUMNS: [ColumnSpec; 4] = [
    ColumnSpec {
        title: "Name",
        synonyms: &["Name", "Name der Organisation", "Organisation", "Einrichtung", "Träger"],
        required: true,
    },
    ColumnSpec {
        title: "Art",
        synonyms: &["Art", "Art der Organisation", "Organisationsart", "Typ"],
        required: true,
    },
    ColumnSpec {
        title: "Kommunen",
        synonyms: &[
            "Kommunen",
            "Kommune",
            "Gemeinde",
            "Gemeinden",
            "Städte und Gemeinden",
            "Einzugsgebiet",
        ],
        required: true,
    },
    ColumnSpec {
        title: "E-Mail",
        synonyms: &["E-Mail", "Mail", "E-Mail-Adresse", "Kontakt"],
        required: false,
    },
];

struct Header {
    line: usize,
    delimiter: u8,
    /// Column index of each field of [`COLUMNS`].
    columns: [Option<usize>; 4],
    width: usize,
}

/// A header candidate: the columns it yields, with the synonym rank each matched by.
fn match_columns(cells: &csv::StringRecord) -> [Option<(usize, usize)>; 4] {
    let mut found: [Option<(usize, usize)>; 4] = [None; 4];
    for (index, cell) in cells.iter().enumerate() {
        let cell = key(cell);
        for (slot, spec) in found.iter_mut().zip(&COLUMNS) {
            let rank = spec.synonyms.iter().position(|s| key(s) == cell);
            if let Some(rank) = rank {
                if slot.is_none_or(|(best, _)| rank < best) {
                    *slot = Some((rank, index));
                }
            }
        }
    }
    found
}

fn find_header(text: &str) -> Result<Header, Vec<ImportProblem>> {
    struct Candidate {
        score: usize,
        line: usize,
        delimiter: u8,
        columns: [Option<usize>; 4],
        cells: csv::StringRecord,
    }
    let mut best: Option<Candidate> = None;
    let mut first_line = None;
    for delimiter in [b';', b','] {
        let mut reader = csv_reader(text, delimiter);
        let mut lines = LineCounter::new(text);
        let rows = reader.records().filter_map(Result::ok).filter(|r| !is_blank(r));
        for record in rows.take(HEADER_SEARCH_ROWS) {
            let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
            first_line.get_or_insert(line);
            let columns = match_columns(&record).map(|c| c.map(|(_, index)| index));
            let score = columns.iter().flatten().count();
            // More known columns win, then the earlier row, then `;` (tried first).
            let better = best
                .as_ref()
                .is_none_or(|b| score > b.score || (score == b.score && line < b.line));
            if score > 0 && better {
                best = Some(Candidate { score, line, delimiter, columns, cells: record });
            }
        }
    }

    let Some(first_line) = first_line else {
        return Err(vec![ImportProblem::file(NO_ORGANISATIONS)]);
    };
    let Some(Candidate { line, delimiter, columns, cells, .. }) = best else {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        let message = if first.contains('\t') {
            "Die Spalten sind durch Tabulatoren getrennt. Als Trennzeichen sind nur Semikolon \
             („;“) und Komma („,“) erlaubt – bitte in Excel als „CSV UTF-8 (durch Trennzeichen \
             getrennt)“ speichern."
                .to_owned()
        } else {
            format!(
                "Keine der erwarteten Spalten gefunden. Die erste Zeile muss die Überschriften \
                 „Name“, „Art“ und „Kommunen“ (optional „E-Mail“) enthalten, getrennt durch \
                 Semikolon („;“) oder Komma („,“). Gefunden: {}",
                quoted(first)
            )
        };
        return Err(vec![ImportProblem { line: first_line, message }]);
    };

    let missing: Vec<String> = COLUMNS
        .iter()
        .zip(&columns)
        .filter(|(spec, found)| spec.required && found.is_none())
        .map(|(spec, _)| {
            let others: Vec<String> = spec.synonyms[1..].iter().map(|s| quoted(s)).collect();
            format!("„{}“ (auch erkannt: {})", spec.title, others.join(", "))
        })
        .collect();
    if !missing.is_empty() {
        let titles: Vec<String> =
            cells.iter().filter(|c| !c.trim().is_empty()).map(quoted).collect();
        let message = format!(
            "Es fehlt die Spalte {}. Gefundene Spalten: {}.",
            missing.join(" und die Spalte "),
            titles.join(", ")
        );
        return Err(vec![ImportProblem { line, message }]);
    }
    Ok(Header { line, delimiter, columns, width: cells.len() })
}

// ----- rows -----

/// The valid cells of a row; `None` where a problem was recorded.
struct RowValues {
    name: Option<String>,
    kind: Option<&'static str>,
    municipalities: Option<Vec<&'static str>>,
    email: Option<Option<String>>,
}

impl RowValues {
    fn into_organisation(self, line: usize) -> Option<ImportedOrganisation> {
        Some(ImportedOrganisation {
            line,
            name: self.name?,
            kind: self.kind?,
            municipalities: self.municipalities?,
            email: self.email?,
        })
    }
}

fn validate_row(
    record: &csv::StringRecord,
    line: usize,
    header: &Header,
    problems: &mut Problems,
) -> RowValues {
    let cell = |field: usize| header.columns[field].and_then(|index| record.get(index));
    // A short row usually means a different separator inside the data; say so once.
    let cut_off: Vec<String> = [NAME, KIND, MUNICIPALITY]
        .into_iter()
        .filter(|&field| cell(field).is_none())
        .map(|field| quoted(COLUMNS[field].title))
        .collect();
    if !cut_off.is_empty() {
        problems.push(
            line,
            format!(
                "Die Zeile hat nur {} von {} Spalten, es fehlt {}. Stimmt das Trennzeichen?",
                record.len(),
                header.width,
                cut_off.join(" und ")
            ),
        );
    }
    RowValues {
        name: cell(NAME).and_then(|value| check(validate_name(value), line, problems)),
        kind: cell(KIND).and_then(|value| check(validate_kind(value), line, problems)),
        municipalities: cell(MUNICIPALITY)
            .and_then(|value| check(validate_municipalities(value), line, problems)),
        email: check(validate_email(cell(EMAIL).unwrap_or_default()), line, problems),
    }
}

/// Records a row problem and turns the result into an `Option` for the caller.
fn check<T>(result: Result<T, Vec<String>>, line: usize, problems: &mut Problems) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(messages) => {
            for message in messages {
                problems.push(line, message);
            }
            None
        }
    }
}

fn validate_name(value: &str) -> Result<String, Vec<String>> {
    let name = collapse_whitespace(value);
    let chars = name.chars().count();
    if name.is_empty() {
        Err(vec!["Der Name der Organisation fehlt.".to_owned()])
    } else if chars > MAX_NAME_CHARS {
        Err(vec![format!("Der Name ist mit {chars} Zeichen zu lang (höchstens {MAX_NAME_CHARS}).")])
    } else {
        Ok(name)
    }
}

fn validate_kind(value: &str) -> Result<&'static str, Vec<String>> {
    let wanted = key(value);
    if wanted.is_empty() {
        return Err(vec!["Die Art der Organisation fehlt.".to_owned()]);
    }
    if let Some(kind) = KIND_KEYS.get(&wanted) {
        return Ok(kind.code);
    }
    // A suggestion, never an automatic choice: "Jobcenter" is part of exactly one label.
    let close: Vec<&OrgKind> = match wanted.chars().count() {
        0..4 => Vec::new(),
        _ => ORG_KINDS.iter().filter(|k| key(k.label).contains(&wanted)).collect(),
    };
    let message = match close.as_slice() {
        [kind] => format!(
            "Unbekannte Art der Organisation {}. Meinten Sie „{}“?",
            quoted(value),
            kind.label
        ),
        _ => format!(
            "Unbekannte Art der Organisation {}. Erlaubt sind die Bezeichnungen der Liste, z. B. \
             „{}“, „{}“, „{}“ …, oder ihre Kurzform (z. B. „{}“).",
            quoted(value),
            ORG_KINDS[1].label,
            ORG_KINDS[2].label,
            ORG_KINDS[7].label,
            ORG_KINDS[1].code
        ),
    };
    Err(vec![message])
}

/// Spellings meaning "all municipalities", compared by [`key`].
const WHOLE_COUNTY_NAMES: [&str; 9] = [
    WHOLE_COUNTY,
    COUNTY_NAME,
    "alle",
    "alle Kommunen",
    "ganzer Kreis",
    "gesamter Kreis",
    "Kreisgebiet",
    "gesamtes Kreisgebiet",
    "Kreis",
];

fn validate_municipalities(value: &str) -> Result<Vec<&'static str>, Vec<String>> {
    let mut codes = Vec::new();
    let mut errors = Vec::new();
    let parts = value.split([',', ';', '|', '/', '\n', '\r']).flat_map(|part| {
        // "Kleve und Goch": split on the word, keeping names with inner spaces together.
        let words: Vec<&str> = part.split_whitespace().collect();
        words
            .split(|w| w.eq_ignore_ascii_case("und") || *w == "&")
            .map(|group| group.join(" "))
            .collect::<Vec<_>>()
    });
    for part in parts.filter(|p| !p.is_empty()) {
        match lookup_municipalities(&part) {
            Some(found) => codes.extend(found),
            None => errors.push(format!(
                "Unbekannte Kommune {} (erlaubt: Name einer der 16 Kommunen im {COUNTY_NAME}, \
                 ihr achtstelliger Gemeindeschlüssel oder „{WHOLE_COUNTY}“).",
                quoted(&part)
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if codes.is_empty() {
        return Err(vec![format!(
            "Die Kommune fehlt: bitte mindestens eine Stadt oder Gemeinde oder „{WHOLE_COUNTY}“ \
             angeben."
        )]);
    }
    codes.sort_unstable();
    codes.dedup();
    Ok(codes)
}

/// Short forms in common use, with the official name they stand for.
const ALIASES: [(&str, &str); 1] = [("Emmerich", "Emmerich am Rhein")];

/// Kinds by the [`key`] of their code and of their label, computed once rather than per row.
static KIND_KEYS: LazyLock<HashMap<String, &'static OrgKind>> = LazyLock::new(|| {
    ORG_KINDS.iter().flat_map(|kind| [(key(kind.code), kind), (key(kind.label), kind)]).collect()
});

/// AGS codes by the [`key`] of a municipality's name, alias or a county-wide spelling.
static MUNICIPALITY_KEYS: LazyLock<HashMap<String, Vec<&'static str>>> = LazyLock::new(|| {
    let all: Vec<&'static str> = MUNICIPALITIES.iter().map(|m| m.ags).collect();
    let names = MUNICIPALITIES.iter().map(|m| (key(m.name), vec![m.ags]));
    let aliases = ALIASES.iter().filter_map(|(alias, name)| {
        let found = MUNICIPALITIES.iter().find(|m| m.name == *name);
        found.map(|m| (key(alias), vec![m.ags]))
    });
    let county = WHOLE_COUNTY_NAMES.iter().map(|n| (key(n), all.clone()));
    names.chain(aliases).chain(county).collect()
});

/// AGS codes for one name; all of them for a county-wide spelling.
fn lookup_municipalities(part: &str) -> Option<Vec<&'static str>> {
    if part.chars().all(|c| c.is_ascii_digit()) {
        // Excel shows 05154036 as the number 5154036 and exports it that way.
        let ags = match part.len() {
            7 => format!("0{part}"),
            _ => part.to_owned(),
        };
        return MUNICIPALITIES.iter().find(|m| m.ags == ags).map(|m| vec![m.ags]);
    }
    if let Some(codes) = MUNICIPALITY_KEYS.get(&key(part)) {
        return Some(codes.clone());
    }
    // "Stadt Kleve", "Gemeinde Kerken"
    let (first, rest) = part.split_once(char::is_whitespace)?;
    let prefixed = ["stadt", "gemeinde", "kommune"].iter().any(|p| first.eq_ignore_ascii_case(p));
    prefixed.then(|| MUNICIPALITY_KEYS.get(&key(rest)).cloned()).flatten()
}

fn validate_email(value: &str) -> Result<Option<String>, Vec<String>> {
    let value = value.trim();
    let address = match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("mailto:") => value[7..].trim(),
        _ => value,
    };
    if address.is_empty() {
        return Ok(None);
    }
    if address.matches('@').count() > 1 {
        return Err(vec![format!(
            "Bitte nur eine E-Mail-Adresse je Organisation angeben: {}.",
            quoted(value)
        )]);
    }
    let valid = address.split_once('@').filter(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty())
            && address.len() <= 254
            && !address.chars().any(|c| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>'))
    });
    match valid {
        Some((local, domain)) => Ok(Some(format!("{local}@{}", domain.to_lowercase()))),
        None => Err(vec![format!("Ungültige E-Mail-Adresse {}.", quoted(value))]),
    }
}

// ----- helpers -----

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Excel writes rows of empty cells (`;;;`) below the data; they are not rows to import.
fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// Comparison key: lower case, letters and digits only ("E-Mail" → "email").
fn key(value: &str) -> String {
    value.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn collapse_whitespace(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A user's value in German quotes, on one line and short enough for a message.
fn quoted(value: &str) -> String {
    const MAX: usize = 60;
    let value = collapse_whitespace(value);
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("„{}…“", &value[..end]),
        None => format!("„{value}“"),
    }
}

/// Physical line numbers from byte offsets. The csv crate's own `Position::line()` is not used:
/// a record's position is where the previous record ended, so after CRLF or skipped empty lines
/// it names an earlier line. Offsets only grow, so counting is incremental.
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// Line of the first byte at or after `byte` that is not a line break (the record's start).
    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        // "\n", "\r\n" and a lone "\r" (old Mac files) each end a line.
        let text = self.text;
        self.line += (self.offset..start)
            .filter(|&i| text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n')))
            .count();
        self.offset = start;
        self.line
    }
}

#[derive(Default)]
struct Problems {
    list: Vec<ImportProblem>,
    dropped: usize,
}

impl Problems {
    fn push(&mut self, line: usize, message: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(ImportProblem { line, message });
        } else {
            self.dropped += 1;
        }
    }

    fn count(&self) -> usize {
        self.list.len() + self.dropped
    }

    fn is_empty(&self) -> bool {
        self.count() == 0
    }

    fn finish(mut self) -> Option<Vec<ImportProblem>> {
        match self.dropped {
            0 => {}
            1 => self.list.push(ImportProblem::file("… und 1 weiterer Fehler.")),
            n => self.list.push(ImportProblem::file(format!("… und {n} weitere Fehler."))),
        }
        (!self.list.is_empty()).then_some(self.list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const KLEVE: &str = "05154036";
    const GOCH: &str = "05154016";
    const KEVELAER: &str = "05154032";
    const WEEZE: &str = "05154064";
    const KERKEN: &str = "05154028";

    fn ok(input: &str) -> Vec<ImportedOrganisation> {
        match parse_organisations(input.as_bytes()) {
            Ok(orgs) => orgs,
            Err(problems) => panic!("unexpected problems: {problems:#?}"),
        }
    }

    fn problems(input: &[u8]) -> Vec<ImportProblem> {
        match parse_organisations(input) {
            Ok(orgs) => panic!("expected problems, got {orgs:#?}"),
            Err(problems) => problems,
        }
    }

    /// The only problem, as (line, message).
    fn single(input: &[u8]) -> (usize, String) {
        let list = problems(input);
        assert_eq!(list.len(), 1, "{list:#?}");
        (list[0].line, list[0].message.clone())
    }

    #[test]
    fn utf8_with_bom_and_semicolons() {
        let input = "\u{FEFF}Name;Art;Kommunen;E-Mail\r\n\
                     Caritasverband für den Kreis Kleve e.V.;Wohlfahrtsverband;Kleve;info@Caritas-Kleve.DE\r\n\
                     Kita Sonnenschein;kita;Goch;\r\n";
        let orgs = ok(input);
        assert_eq!(
            orgs,
            vec![
                ImportedOrganisation {
                    line: 2,
                    name: "Caritasverband für den Kreis Kleve e.V.".into(),
                    kind: "wohlfahrt",
                    municipalities: vec![KLEVE],
                    email: Some("info@caritas-kleve.de".into()),
                },
                ImportedOrganisation {
                    line: 3,
                    name: "Kita Sonnenschein".into(),
                    kind: "kita",
                    municipalities: vec![GOCH],
                    email: None,
                },
            ]
        );
    }

    #[test]
    fn utf8_without_bom_and_commas() {
        // Excel quotes a cell that contains the separator.
        let input = "Organisation,Typ,Städte und Gemeinden\n\
                     Jugendmigrationsdienst Kleve,migrationsdienst,\"Kleve, Goch\"\n";
        let orgs = ok(input);
        assert_eq!(orgs.len(), 1);
        assert_eq!(orgs[0].kind, "migrationsdienst");
        assert_eq!(orgs[0].municipalities, vec![GOCH, KLEVE]);
    }

    #[test]
    fn windows_1252_with_umlauts() {
        let input = b"Tr\xE4ger;Art der Organisation;Gemeinden\r\n\
                      Caritasverband f\xFCr den Kreis Kleve e.V.;Wohlfahrtsverband;Kevelaer|Weeze\r\n\
                      B\xFCrgerverein \x80uro-Hilfe;Verein;Weeze\r\n";
        let orgs = match parse_organisations(input) {
            Ok(orgs) => orgs,
            Err(p) => panic!("{p:#?}"),
        };
        assert_eq!(orgs[0].name, "Caritasverband für den Kreis Kleve e.V.");
        assert_eq!(orgs[0].municipalities, vec![KEVELAER, WEEZE]);
        assert_eq!(orgs[1].name, "Bürgerverein €uro-Hilfe");
        assert_eq!(orgs[1].kind, "verein");
    }

    #[test]
    fn tab_separated_file_is_refused_with_a_hint() {
        let (line, message) = single(b"Name\tArt\tKommunen\nCaritas\tWohlfahrtsverband\tKleve\n");
        assert_eq!(line, 1);
        assert!(message.contains("Tabulatoren"), "{message}");
        assert!(message.contains("Semikolon"), "{message}");
    }

    #[test]
    fn missing_column_names_the_column_and_what_was_found() {
        let (line, message) = single(b"Name;Typ;Bemerkung\nCaritas;Wohlfahrtsverband;x\n");
        assert_eq!(line, 1);
        assert!(message.starts_with("Es fehlt die Spalte „Kommunen“"), "{message}");
        assert!(message.contains("„Einzugsgebiet“"), "{message}");
        assert!(message.contains("Gefundene Spalten: „Name“, „Typ“, „Bemerkung“."), "{message}");
        assert!(!message.contains("„Art“ ("), "{message}");

        let (_, message) = single(b"Name;Bemerkung\nCaritas;x\n");
        assert!(message.contains("„Art“") && message.contains("„Kommunen“"), "{message}");
    }

    #[test]
    fn no_known_column_says_what_is_expected() {
        let (line, message) = single(b"Foo;Bar\n1;2\n");
        assert_eq!(line, 1);
        assert!(message.starts_with("Keine der erwarteten Spalten gefunden."), "{message}");
        assert!(message.contains("„Name“, „Art“ und „Kommunen“"), "{message}");
        assert!(message.ends_with("Gefunden: „Foo;Bar“"), "{message}");
    }

    #[test]
    fn semicolon_wins_a_tie() {
        let (_, message) = single(b"Name;Art,Kommunen\n");
        assert!(message.contains("Gefundene Spalten: „Name“, „Art,Kommunen“"), "{message}");
    }

    #[test]
    fn unknown_municipality() {
        let (line, message) =
            single("Name;Art;Kommunen\nCaritas;Wohlfahrtsverband;Kleve|Klever\n".as_bytes());
        assert_eq!(line, 2);
        assert!(message.starts_with("Unbekannte Kommune „Klever“ (erlaubt:"), "{message}");
        let (_, message) = single(b"Name;Art;Kommunen\nCaritas;Wohlfahrtsverband;05154999\n");
        assert!(message.starts_with("Unbekannte Kommune „05154999“"), "{message}");
    }

    #[test]
    fn unknown_kind_with_and_without_suggestion() {
        let (line, message) =
            single("Name;Art;Kommunen\nJobcenter Kleve;Jobcenter;Kleve\n".as_bytes());
        assert_eq!(line, 2);
        assert_eq!(
            message,
            "Unbekannte Art der Organisation „Jobcenter“. Meinten Sie „Bundesagentur für Arbeit / Jobcenter“?"
        );
        let (_, message) = single("Name;Art;Kommunen\nBäckerei Jansen;Bäckerei;Kleve\n".as_bytes());
        assert!(
            message.starts_with("Unbekannte Art der Organisation „Bäckerei“. Erlaubt sind"),
            "{message}"
        );
        assert!(
            message.contains("„Kindertageseinrichtung“") && message.contains("„kita“"),
            "{message}"
        );
    }

    #[test]
    fn kind_by_code_or_label_ignoring_case_and_spacing() {
        let orgs = ok("Name;Art;Kommunen\n\
                       A; KITA ;Kleve\n\
                       B;kindertageseinrichtung;Kleve\n\
                       C;Bundesagentur für Arbeit/Jobcenter;Kleve\n\
                       D;Kommune (Verwaltung);Kleve\n");
        let kinds: Vec<_> = orgs.iter().map(|o| o.kind).collect();
        assert_eq!(kinds, vec!["kita", "kita", "arbeitsagentur", "kommune"]);
    }

    #[test]
    fn kind_keys_do_not_collide() {
        // A code may equal its own label ("schule"), but no key may name two kinds.
        let mut pairs: Vec<(String, &str)> = ORG_KINDS
            .iter()
            .flat_map(|k| [(key(k.code), k.code), (key(k.label), k.code)])
            .collect();
        pairs.sort();
        pairs.dedup();
        let mut keys: Vec<&String> = pairs.iter().map(|(key, _)| key).collect();
        keys.dedup();
        assert_eq!(keys.len(), pairs.len());
        // Names, alias and county-wide spellings neither collide nor go missing.
        assert_eq!(MUNICIPALITY_KEYS.len(), 16 + ALIASES.len() + WHOLE_COUNTY_NAMES.len());
    }

    #[test]
    fn email_validation() {
        for (input, expected) in [
            ("info@caritas-kleve.de", Some("info@caritas-kleve.de")),
            (" Max.Muster@KREIS-KLEVE.DE ", Some("Max.Muster@kreis-kleve.de")),
            ("mailto:ki@kreis-kleve.de", Some("ki@kreis-kleve.de")),
            ("", None),
        ] {
            assert_eq!(validate_email(input), Ok(expected.map(String::from)), "{input}");
        }
        for bad in [
            "info",
            "@kleve.de",
            "info@kleve",
            "info@kleve.",
            "info@.de",
            "in fo@kleve.de",
            "a@b..de",
        ] {
            let result = validate_email(bad);
            assert_eq!(
                result,
                Err(vec![format!("Ungültige E-Mail-Adresse „{}“.", bad.trim())]),
                "{bad}"
            );
        }
        let result = validate_email("a@kleve.de; b@goch.de");
        assert!(matches!(&result, Err(m) if m[0].starts_with("Bitte nur eine E-Mail-Adresse")));

        let (line, message) =
            single(b"Name;Art;Kommunen;Mail\nCaritas;wohlfahrt;Kleve;caritas(at)kleve.de\n");
        assert_eq!(
            (line, message.as_str()),
            (2, "Ungültige E-Mail-Adresse „caritas(at)kleve.de“.")
        );
    }

    #[test]
    fn duplicate_rows_are_reported_on_the_later_line() {
        let list = problems(
            b"Name;Art;Kommunen\n\
                              Caritas Kleve;Wohlfahrtsverband;Kleve\n\
                              Caritas Kleve;Beratungseinrichtung;Kleve\n\
                              \x20 caritas   KLEVE ;wohlfahrt;Goch\n",
        );
        assert_eq!(
            list,
            vec![ImportProblem {
                line: 4,
                message: "Doppelt: dieselbe Organisation wie in Zeile 2.".into()
            }]
        );
    }

    #[test]
    fn duplicates_are_found_even_when_the_first_row_has_other_problems() {
        let list =
            problems(b"Name;Art;Kommunen\nCaritas;wohlfahrt;Klev\nCaritas;wohlfahrt;Kleve\n");
        let lines: Vec<_> = list.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3]);
        assert!(list[1].message.starts_with("Doppelt"));
    }

    #[test]
    fn empty_files() {
        for input in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n  \n"] {
            assert_eq!(single(input), (0, "Die Datei enthält keine Organisationen.".into()));
        }
    }

    #[test]
    fn header_only_or_empty_rows() {
        for input in [
            &b"Name;Art;Kommunen\r\n"[..],
            b"Name;Art;Kommunen",
            b"Name;Art;Kommunen\n;;\n ; ;\n\n",
        ] {
            assert_eq!(single(input), (0, "Die Datei enthält keine Organisationen.".into()));
        }
    }

    #[test]
    fn oversized_file_is_refused_without_parsing() {
        let input = vec![b'a'; 10 * 1024 * 1024];
        let start = Instant::now();
        let (line, message) = single(&input);
        assert!(start.elapsed() < Duration::from_millis(100), "{:?}", start.elapsed());
        assert_eq!(line, 0);
        assert_eq!(message, "Die Datei ist zu groß (10,0 MB). Erlaubt sind höchstens 5 MB.");
    }

    #[test]
    fn file_of_exactly_the_maximum_size_is_accepted() {
        let mut input = b"Name;Art;Kommunen\nCaritas;wohlfahrt;Kleve\n".to_vec();
        input.resize(MAX_IMPORT_BYTES, b'\n');
        assert_eq!(parse_organisations(&input).map(|o| o.len()), Ok(1));
        input.push(b'\n');
        assert!(single(&input).1.starts_with("Die Datei ist zu groß (5,0 MB)"));
    }

    #[test]
    fn binary_and_utf16_and_workbooks_are_refused() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Name;Art;Kommunen\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (line, message) = single(&utf16le);
        assert_eq!(line, 0);
        assert!(message.contains("UTF-16") && message.contains("„CSV UTF-8"), "{message}");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Name".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert!(single(&utf16be).1.contains("UTF-16"));

        let not_text = "Die Datei ist keine Textdatei (CSV) in UTF-8 oder Windows-1252.";
        let utf16_without_bom: Vec<u8> = "Name".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let garbage: Vec<u8> = (1u8..=255).collect();
        for input in
            [&utf16_without_bom[..], &garbage, b"\x89PNG\r\n\x1a\n", b"Name;Art\x81;Kommunen\n"]
        {
            assert_eq!(single(input), (0, not_text.to_owned()), "{input:?}");
        }
        assert!(single(b"PK\x03\x04\x14\x00").1.contains("Arbeitsmappe"));
    }

    #[test]
    fn quoted_line_breaks_keep_physical_line_numbers() {
        let input = "Name;Art;Kommunen\n\
                     \"Caritas\nKleve\";wohlfahrt;\"Kleve\nGoch\"\n\
                     Kita;kita;Kleve\n\
                     \n\
                     Schule;schule;Emmerich am Rhein\n";
        let orgs = ok(input);
        let lines: Vec<_> = orgs.iter().map(|o| o.line).collect();
        assert_eq!(lines, vec![2, 5, 7]);
        assert_eq!(orgs[0].name, "Caritas Kleve");
        assert_eq!(orgs[0].municipalities, vec![GOCH, KLEVE]);

        let list = problems(
            b"Name;Art;Kommunen\r\nA;kita;\"Kleve\r\nGoch\r\nWeeze\"\r\nB;kita;Nirgendwo\r\n",
        );
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].line, 5);
    }

    #[test]
    fn line_numbers_with_crlf_cr_and_blank_lines() {
        let input =
            "\r\n\r\nName;Art;Kommunen\r\nA;kita;Kleve\r\n\r\n\r\nB;kita;X\r\n;;\r\nC;kita;Y";
        let lines: Vec<_> = problems(input.as_bytes()).iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![7, 9]);
        let input = "Name;Art;Kommunen\rA;kita;Kleve\r\rB;kita;X\r";
        let lines: Vec<_> = problems(input.as_bytes()).iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![4]);
        let (line, _) = single(b"\n\nName;Kommunen\nA;Kleve\n");
        assert_eq!(line, 3);
        let orgs = ok("\u{FEFF}\r\nName;Art;Kommunen\r\nA;kita;Kleve\r\n");
        assert_eq!(orgs[0].line, 3);
    }

    #[test]
    fn unclosed_quote_is_explained() {
        let list = problems(b"Name;Art;Kommunen\n\"Caritas;wohlfahrt;Kleve\nKita;kita;Goch\n");
        assert_eq!(list.len(), 2, "{list:#?}");
        assert_eq!(list[0].line, 2);
        assert!(list[0].message.starts_with("Die Zeile hat nur 1 von 3 Spalten"));
        assert_eq!(list[1].line, 2);
        assert!(list[1].message.starts_with("Ein Anführungszeichen"));
    }

    #[test]
    fn several_municipalities_in_one_cell() {
        let orgs = ok("Name;Art;Kommunen\n\
                       A;verein;Kleve, Goch / Weeze | Stadt Kevelaer und Gemeinde Kerken\n\
                       B;verein;05154036;5154016\n\
                       C;verein;kleve,KLEVE,,Kleve\n\
                       D;verein;Bedburg Hau/Emmerich\n");
        assert_eq!(orgs[0].municipalities, vec![GOCH, KERKEN, KEVELAER, KLEVE, WEEZE]);
        // The second cell of B is beyond the header and ignored: only Kleve.
        assert_eq!(orgs[1].municipalities, vec![KLEVE]);
        assert_eq!(orgs[2].municipalities, vec![KLEVE]);
        assert_eq!(orgs[3].municipalities, vec!["05154004", "05154008"]);

        for unknown in ["Stadt", "Kommune", "Kleve-Goch", "5154", "Emmerich am"] {
            let result = validate_municipalities(unknown);
            assert!(matches!(&result, Err(m) if m.len() == 1), "{unknown}: {result:?}");
        }
        let orgs = ok("Name,Art,Kommunen\nA,verein,\"05154036;5154016\"\n");
        assert_eq!(orgs[0].municipalities, vec![GOCH, KLEVE]);
    }

    #[test]
    fn county_wide_means_all_sixteen() {
        let orgs = ok("Name;Art;Kommunen\n\
                       A;verein;kreisweit\n\
                       B;verein;Kreis Kleve\n\
                       C;verein;ALLE\n\
                       D;verein;Kleve\n\
                       E;verein;Kreisweit, Kleve\n");
        let all: Vec<&str> = MUNICIPALITIES.iter().map(|m| m.ags).collect();
        assert_eq!(all.len(), 16);
        for org in [&orgs[0], &orgs[1], &orgs[2], &orgs[4]] {
            assert_eq!(org.municipalities, all, "{}", org.name);
        }
        assert_eq!(orgs[3].municipalities, vec![KLEVE]);
    }

    #[test]
    fn missing_cells_and_short_rows() {
        let list =
            problems(b"Name;Art;Kommunen;E-Mail\n;;Kleve;\nCaritas;wohlfahrt;;\nSchule;schule\n");
        let got: Vec<_> = list.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "Der Name der Organisation fehlt."),
                (2, "Die Art der Organisation fehlt."),
                (3, "Die Kommune fehlt: bitte mindestens eine Stadt oder Gemeinde oder „kreisweit“ angeben."),
                (4, "Die Zeile hat nur 2 von 4 Spalten, es fehlt „Kommunen“. Stimmt das Trennzeichen?"),
            ]
        );
    }

    #[test]
    fn names_are_collapsed_and_limited() {
        let orgs = ok("Name;Art;Kommunen\n  Kita   Regenbogen \t Goch ;kita;Goch\n");
        assert_eq!(orgs[0].name, "Kita Regenbogen Goch");
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        let (_, message) = single(format!("Name;Art;Kommunen\n{long};kita;Goch\n").as_bytes());
        assert_eq!(message, "Der Name ist mit 201 Zeichen zu lang (höchstens 200).");
        ok(&format!("Name;Art;Kommunen\n{};kita;Goch\n", "ä".repeat(MAX_NAME_CHARS)));
    }

    #[test]
    fn header_synonyms_priority_and_title_rows() {
        let input = "Organisationen im Kreis Kleve, Stand 2024\n\
                     \n\
                     Bemerkung;Träger;EINRICHTUNG;organisations-art;Einzugsgebiet;Kontakt;E-Mail-Adresse\n\
                     x;Caritas;Kita St. Josef;kita;Kleve;Frau Jansen;kita@example.org\n";
        let orgs = ok(input);
        assert_eq!(orgs[0].line, 4);
        assert_eq!(orgs[0].name, "Kita St. Josef");
        assert_eq!(orgs[0].email.as_deref(), Some("kita@example.org"));

        // Excel's separator hint line is skipped like a title.
        let orgs = ok("sep=;\nName;Art;Kommunen\nA;kita;Goch\n");
        assert_eq!(orgs[0].line, 3);
    }

    #[test]
    fn all_problems_are_collected_and_capped() {
        let mut input = String::from("Name;Art;Kommunen\n");
        for i in 0..300 {
            input.push_str(&format!("Org {i};Bäckerei;Kleve\n"));
        }
        let list = problems(input.as_bytes());
        assert_eq!(list.len(), MAX_PROBLEMS + 1);
        assert_eq!(list[0].line, 2);
        assert_eq!(list[MAX_PROBLEMS - 1].line, MAX_PROBLEMS + 1);
        assert_eq!(list[MAX_PROBLEMS], ImportProblem::file("… und 100 weitere Fehler."));

        input.push_str("Org 300;Bäckerei;Kleve\n");
        assert_eq!(problems(input.as_bytes()).len(), MAX_PROBLEMS + 1);
        let few = "Name;Art;Kommunen\nA;x;Kleve\nB;kita;Kleve\nC;kita;Y\n";
        let lines: Vec<_> = problems(few.as_bytes()).iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn problems_display_with_line() {
        let row = ImportProblem { line: 7, message: "Unbekannte Kommune „X“.".into() };
        assert_eq!(row.to_string(), "Zeile 7: Unbekannte Kommune „X“.");
        assert_eq!(ImportProblem::file("Leer.").to_string(), "Leer.");
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let value = format!("Klev{}", "e".repeat(100));
        let (_, message) = single(format!("Name;Art;Kommunen\nA;kita;{value}\n").as_bytes());
        assert!(
            message.starts_with(&format!("Unbekannte Kommune „Klev{}…“", "e".repeat(56))),
            "{message}"
        );
    }
}

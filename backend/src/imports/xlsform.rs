//! XLSForm (ODK, KoboToolbox): an `.xlsx` (or older `.xls`) workbook with the sheets `survey`, `choices` and
//! `settings` becomes a draft questionnaire. Top-level groups become themes, the question
//! types this platform has are carried over, `relevant` in its simple forms becomes a
//! condition, and every other row, column or expression is listed with a German reason.
//!
//! The file comes from outside: cells are streamed and counted (no dense sheet in memory), and
//! a panic inside the spreadsheet reader becomes an [`ImportError`] like any broken file.

use super::{code_from_source, ImportError, ImportedStructure, Unmapped};
use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use domain::questionnaire::{
    Choice, Condition, Question, QuestionKind, Questionnaire, QuestionnaireStatus, Theme,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

/// How an Excel 97–2003 file (.xls) begins.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Larger files are no questionnaire structure (a big form is well under 1 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Unpacked size of an `.xlsx` at most, as its zip directory declares it.
const MAX_UNPACKED: u128 = 100 * 1024 * 1024;
/// Filled cells read per sheet at most; bounds memory whatever the file claims.
const MAX_CELLS: usize = 200_000;
/// Rows of the survey sheet at most.
const MAX_ROWS: usize = 5_000;
/// ODK texts have no length limit; these leave room for anything a form asks for.
const SHORT_TEXT_LEN: u32 = 500;
const LONG_TEXT_LEN: u32 = 5_000;
/// Quoted source values in reasons are cut here, so that a long formula stays readable.
const QUOTE_CHARS: usize = 120;

/// Reads an XLSForm workbook.
pub fn read(bytes: &[u8]) -> Result<ImportedStructure, ImportError> {
    read_with_note(bytes).map(|(structure, _)| structure)
}

/// Like [`read`], with a sentence for the import's report: which language the texts are in.
pub fn read_with_note(bytes: &[u8]) -> Result<(ImportedStructure, String), ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError(format!(
            "Die Datei ist größer als {} MB; ein XLSForm ist viel kleiner. Bitte prüfen Sie, \
             ob Sie die richtige Datei gewählt haben.",
            MAX_BYTES / (1024 * 1024)
        )));
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(&OLE_MAGIC) {
        return Err(ImportError(
            "Die Datei ist keine Excel-Arbeitsmappe (.xlsx oder .xls). Ein XLSForm aus \
             KoboToolbox oder ODK wird als .xlsx heruntergeladen."
                .into(),
        ));
    }
    // The reader parses zip and XML from outside; whatever it trips over is a broken file.
    let book = std::panic::catch_unwind(|| load(bytes))
        .map_err(|_| unreadable("unerwartetes Dateiformat"))??;
    let converter = Converter::new(&book)?;
    let note = format!("Texte aus der Sprache „{}“ übernommen.", lang_name(&converter.lang));
    let imported = converter.convert(&book);
    // The conversion keeps codes unique and conditions backwards; should a form still get
    // past it, it is refused with the reasons rather than stored half-valid.
    let problems = imported.questionnaire.check_draft();
    if !problems.is_empty() {
        return Err(ImportError(format!(
            "Aus dem XLSForm entsteht kein stimmiger Fragebogen: {}",
            problems.join(" ")
        )));
    }
    Ok((imported, note))
}

fn unreadable(detail: impl std::fmt::Display) -> ImportError {
    ImportError(format!(
        "Die Datei lässt sich nicht als Excel-Arbeitsmappe lesen; sie ist beschädigt oder kein \
         XLSForm (Fehler beim Lesen: {detail}). Bitte speichern Sie sie in Excel oder \
         LibreOffice erneut als .xlsx."
    ))
}

// -------------------------------------------------------------------------------------------
// Sheets
// -------------------------------------------------------------------------------------------

/// A column header: its base name (lowercase, aliases resolved) and its language, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    text: String,
    base: String,
    lang: Option<String>,
}

impl Header {
    fn parse(text: &str) -> Self {
        let text = text.trim().to_string();
        let lower = text.to_lowercase();
        let alias = |base: &str| -> String {
            match base {
                // pyxform's aliases, with the older single colon too.
                "bind::relevant" | "bind:relevant" | "relevance" => "relevant",
                "bind::required" | "bind:required" => "required",
                "bind::constraint" | "bind:constraint" => "constraint",
                "bind::calculate" | "bind:calculate" => "calculation",
                "bind::jr:constraintmsg" | "bind:jr:constraintmsg" | "constraint message" => {
                    "constraint_message"
                }
                "bind::jr:requiredmsg" | "bind:jr:requiredmsg" | "required message" => {
                    "required_message"
                }
                "bind::readonly" | "bind:readonly" | "readonly" | "read only" => "read_only",
                "control::appearance" | "control:appearance" => "appearance",
                "list name" => "list_name",
                "value" => "name",
                other => other,
            }
            .to_string()
        };
        let whole = alias(&lower);
        if whole != lower || !lower.contains(':') {
            return Self { text, base: whole, lang: None };
        }
        // label::Deutsch (de), hint::English (en), media::image::Deutsch; and label:de
        let split = text.rsplit_once("::").or_else(|| text.split_once(':'));
        match split {
            Some((base, lang))
                if !lang.trim().is_empty()
                    && matches!(
                        base.trim().to_lowercase().as_str(),
                        "label"
                            | "hint"
                            | "guidance_hint"
                            | "constraint_message"
                            | "required_message"
                            | "media::image"
                            | "media::audio"
                            | "media::video"
                            | "image"
                            | "audio"
                            | "video"
                            | "big-image"
                            | "media::big-image"
                    ) =>
            {
                Self {
                    text: text.clone(),
                    base: base.trim().to_lowercase(),
                    lang: Some(lang.trim().to_string()),
                }
            }
            _ => Self { text, base: lower, lang: None },
        }
    }
}

/// A sheet as rows of filled cells under their headers.
#[derive(Debug, Default)]
struct Sheet {
    headers: Vec<(u32, Header)>,
    rows: Vec<SheetRow>,
}

#[derive(Debug)]
struct SheetRow {
    /// As Excel numbers it, from 1.
    number: u32,
    cells: BTreeMap<u32, String>,
}

impl Sheet {
    fn column(&self, base: &str) -> Option<u32> {
        self.headers.iter().find(|(_, h)| h.base == base && h.lang.is_none()).map(|(c, _)| *c)
    }

    fn get<'a>(&self, row: &'a SheetRow, base: &str) -> &'a str {
        self.column(base).and_then(|c| row.cells.get(&c)).map(|v| v.trim()).unwrap_or("")
    }

    /// The languages of a localised column (`label`, `hint`), `None` for the plain one.
    fn languages(&self, base: &str) -> Vec<Option<String>> {
        let mut out = Vec::new();
        for (_, h) in &self.headers {
            if h.base == base && !out.contains(&h.lang) {
                out.push(h.lang.clone());
            }
        }
        out
    }

    fn localised<'a>(&self, row: &'a SheetRow, base: &str, lang: &Option<String>) -> &'a str {
        self.headers
            .iter()
            .find(|(_, h)| h.base == base && &h.lang == lang)
            .and_then(|(c, _)| row.cells.get(c))
            .map(|v| v.trim())
            .unwrap_or("")
    }
}

struct Book {
    survey: Sheet,
    choices: Sheet,
    settings: Sheet,
}

fn load(bytes: &[u8]) -> Result<Book, ImportError> {
    if !bytes.starts_with(&OLE_MAGIC) {
        // A few kilobytes can unpack to gigabytes; the reader would hold them all.
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
        if archive.decompressed_size().is_some_and(|size| size > MAX_UNPACKED) {
            return Err(ImportError(format!(
                "Die Datei entpackt sich zu mehr als {} MB; so groß ist kein XLSForm.",
                MAX_UNPACKED / (1024 * 1024)
            )));
        }
    }
    if bytes.starts_with(&OLE_MAGIC) {
        // Excel 97–2003 (.xls), as older XLSForms are kept: read whole, it is small by design.
        let mut workbook: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(unreadable)?;
        let names = workbook.sheet_names();
        assemble(&names, |name| {
            let range = workbook.worksheet_range(name).map_err(|e| broken_sheet(name, e))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let cells = range.used_cells().map(|(r, c, value)| {
                let (r, c) =
                    (u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX));
                Ok(((top.saturating_add(r), left.saturating_add(c)), data_text(value)))
            });
            sheet_from_cells(name, cells)
        })
    } else {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
        let names = workbook.sheet_names();
        assemble(&names, |name| {
            let mut reader =
                workbook.worksheet_cells_reader(name).map_err(|e| broken_sheet(name, e))?;
            let cells = std::iter::from_fn(|| match reader.next_cell() {
                Ok(Some(cell)) => Some(Ok((cell.get_position(), cell_text(cell.get_value())))),
                Ok(None) => None,
                Err(e) => Some(Err(broken_sheet(name, e))),
            });
            sheet_from_cells(name, cells)
        })
    }
}

fn broken_sheet(name: &str, e: impl std::fmt::Display) -> ImportError {
    ImportError(format!(
        "Das Blatt „{name}“ lässt sich nicht lesen; die Datei ist beschädigt (Fehler beim \
         Lesen: {e})."
    ))
}

/// Finds the three sheets by name (in any case) and reads them.
fn assemble(
    names: &[String],
    mut read: impl FnMut(&str) -> Result<Sheet, ImportError>,
) -> Result<Book, ImportError> {
    let find = |wanted: &str| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)).cloned();
    let Some(survey_name) = find("survey") else {
        return Err(ImportError(format!(
            "Das Blatt „survey“ fehlt. Ein XLSForm hat die Blätter „survey“, „choices“ und \
             „settings“; diese Datei hat: {}.",
            if names.is_empty() { "keine".to_string() } else { quote_list(names) }
        )));
    };
    let survey = read(&survey_name)?;
    let choices = match find("choices") {
        Some(name) => read(&name)?,
        None => Sheet::default(),
    };
    let settings = match find("settings") {
        Some(name) => read(&name)?,
        None => Sheet::default(),
    };
    Ok(Book { survey, choices, settings })
}

/// The filled cells `((row, column), text)` of a sheet, counted, under the first row's headers.
fn sheet_from_cells(
    name: &str,
    cells: impl Iterator<Item = Result<((u32, u32), String), ImportError>>,
) -> Result<Sheet, ImportError> {
    let mut rows: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let mut count = 0usize;
    for cell in cells {
        let ((row, column), text) = cell?;
        if text.is_empty() {
            continue;
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(ImportError(format!(
                "Das Blatt „{name}“ hat mehr als {MAX_CELLS} gefüllte Zellen; so groß ist kein \
                 Fragebogen."
            )));
        }
        rows.entry(row).or_default().insert(column, text);
    }
    let mut rows = rows.into_iter();
    let headers = match rows.next() {
        Some((_, cells)) => cells.into_iter().map(|(c, text)| (c, Header::parse(&text))).collect(),
        None => Vec::new(),
    };
    let rows: Vec<SheetRow> =
        rows.map(|(r, cells)| SheetRow { number: r.saturating_add(1), cells }).collect();
    Ok(Sheet { headers, rows })
}

/// A cell as text, the way the form's author typed it: whole numbers without ".0".
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.trim().to_string(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// The same for the cells of an `.xls` sheet.
fn data_text(value: &Data) -> String {
    match value {
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

// -------------------------------------------------------------------------------------------
// Conversion
// -------------------------------------------------------------------------------------------

/// A choice list of the `choices` sheet: each option's source name, code and labels.
#[derive(Debug, Default)]
struct ChoiceList {
    options: Vec<Choice>,
    /// Source name → code.
    codes: HashMap<String, String>,
}

/// What a later condition needs to know about an imported question.
#[derive(Debug)]
struct Target {
    code: String,
    multiple: bool,
    /// Source option name → code; empty for questions without options.
    options: HashMap<String, String>,
}

/// An open `begin group` / `begin repeat`.
#[derive(Debug)]
struct Frame {
    name: String,
    condition: Option<(Condition, String)>,
}

struct Converter {
    lang: Option<String>,
    /// Languages in which labels exist, in the order of the columns.
    languages: Vec<Option<String>>,
    lists: HashMap<String, ChoiceList>,
    unmapped: Vec<Unmapped>,
}

fn lang_name(lang: &Option<String>) -> String {
    match lang {
        Some(l) => l.clone(),
        None => "ohne Sprachangabe (Spalte „label“)".into(),
    }
}

/// "Deutsch (de)" and "de" name the same language; so do "German" and "Deutsch".
fn same_language(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase();
    let code = |s: &str| {
        let s = norm(s);
        match (s.rfind('('), s.rfind(')')) {
            (Some(open), Some(close)) if open < close => s[open + 1..close].trim().to_string(),
            _ => s,
        }
    };
    norm(a) == norm(b) || code(a) == code(b)
}

fn is_german(lang: &str) -> bool {
    let l = lang.trim().to_lowercase();
    l.contains("deutsch")
        || l.contains("german")
        || l.contains("(de")
        || l == "de"
        || l.starts_with("de-")
}

impl Converter {
    fn new(book: &Book) -> Result<Self, ImportError> {
        if book.survey.column("type").is_none() {
            return Err(ImportError(
                "Im Blatt „survey“ fehlt die Spalte „type“ (in der ersten Zeile). Ohne sie ist \
                 es kein XLSForm."
                    .into(),
            ));
        }
        if book.survey.column("name").is_none() {
            return Err(ImportError(
                "Im Blatt „survey“ fehlt die Spalte „name“ (in der ersten Zeile).".into(),
            ));
        }
        if book.survey.rows.len() > MAX_ROWS {
            return Err(ImportError(format!(
                "Das Blatt „survey“ hat mehr als {MAX_ROWS} Zeilen; so groß ist kein Fragebogen."
            )));
        }
        let mut languages = book.survey.languages("label");
        for lang in book.choices.languages("label") {
            if !languages.contains(&lang) {
                languages.push(lang);
            }
        }
        let mut unmapped = Vec::new();
        // A language column that is mostly empty (a leftover, a few test labels) is no
        // candidate, so that the draft does not take most of its texts from elsewhere.
        let filled = |lang: &Option<String>| -> usize {
            [&book.survey, &book.choices]
                .iter()
                .map(|sheet| {
                    sheet
                        .rows
                        .iter()
                        .filter(|r| !sheet.localised(r, "label", lang).is_empty())
                        .count()
                })
                .sum()
        };
        let most = languages.iter().map(filled).max().unwrap_or(0);
        let candidates: Vec<Option<String>> =
            languages.iter().filter(|l| most == 0 || filled(l) * 2 >= most).cloned().collect();
        let default_language = setting(book, "default_language");
        let lang = pick_language(&candidates, default_language);
        for other in languages.iter().filter(|l| **l != lang && filled(l) > 0) {
            unmapped.push(Unmapped {
                code: book
                    .survey
                    .headers
                    .iter()
                    .chain(book.choices.headers.iter())
                    .find(|(_, h)| h.base == "label" && &h.lang == other)
                    .map(|(_, h)| h.text.clone())
                    .unwrap_or_else(|| "label".into()),
                reason: format!(
                    "Beschriftungen „{}“ nicht übernommen; der Entwurf verwendet „{}“ (eine \
                     Sprache je Fragebogen).",
                    lang_name(other),
                    lang_name(&lang)
                ),
            });
        }
        let mut converter = Self { lang, languages, lists: HashMap::new(), unmapped };
        converter.read_choices(book);
        Ok(converter)
    }

    /// A localised cell in the chosen language, else in the first language that has one
    /// (named then, so that the author knows the text is in another language).
    fn text(&self, sheet: &Sheet, row: &SheetRow, base: &str) -> (String, Option<String>) {
        let own = sheet.localised(row, base, &self.lang);
        if !own.is_empty() {
            return (own.to_string(), None);
        }
        for lang in std::iter::once(&None).chain(self.languages.iter()) {
            let text = sheet.localised(row, base, lang);
            if !text.is_empty() {
                return (text.to_string(), Some(lang_name(lang)));
            }
        }
        (String::new(), None)
    }

    fn list(&mut self, code: impl Into<String>, reason: impl Into<String>) {
        self.unmapped.push(Unmapped { code: code.into(), reason: reason.into() });
    }

    fn read_choices(&mut self, book: &Book) {
        let sheet = &book.choices;
        let mut taken: HashMap<String, HashSet<String>> = HashMap::new();
        for row in &sheet.rows {
            let list_name = sheet.get(row, "list_name").to_string();
            let name = sheet.get(row, "name");
            if list_name.is_empty() {
                continue;
            }
            let place = format!("{list_name}/{name}");
            if name.is_empty() {
                self.list(
                    &list_name,
                    format!(
                        "Zeile {} des Blatts „choices“ hat keinen Namen; die Option wird nicht \
                         übernommen.",
                        row.number
                    ),
                );
                continue;
            }
            let (mut label, fallback) = self.text(sheet, row, "label");
            if label.is_empty() {
                label = name.to_string();
                self.list(
                    &place,
                    "Option ohne Beschriftung; ihr Name wird als Beschriftung verwendet.",
                );
            } else if let Some(from) = fallback {
                self.list(&place, format!("Beschriftung aus „{from}“ übernommen (in der gewählten Sprache fehlt sie)."));
            }
            for (column, header) in &sheet.headers {
                let media = header.base.contains("image")
                    || header.base.contains("audio")
                    || header.base.contains("video");
                if media && row.cells.get(column).is_some_and(|v| !v.is_empty()) {
                    self.list(
                        &place,
                        format!(
                            "Medien der Option (Spalte „{}“) werden nicht übernommen.",
                            header.text
                        ),
                    );
                }
            }
            let taken = taken.entry(list_name.clone()).or_default();
            let code = code_from_source(name, "option", taken);
            let list = self.lists.entry(list_name.clone()).or_default();
            if list.codes.contains_key(name) {
                self.unmapped.push(Unmapped {
                    code: place,
                    reason: format!(
                        "Die Option kommt in der Liste „{list_name}“ mehrfach vor; übernommen als \
                         „{code}“."
                    ),
                });
            } else {
                list.codes.insert(name.to_string(), code.clone());
            }
            list.options.push(Choice { code, label });
        }
    }

    fn convert(mut self, book: &Book) -> ImportedStructure {
        let sheet = &book.survey;
        let form_title = setting(book, "form_title");
        let title = [form_title, setting(book, "form_id")]
            .into_iter()
            .flatten()
            .next()
            .unwrap_or("Importiertes XLSForm")
            .to_string();
        let slug = make_slug(setting(book, "form_id").unwrap_or(&title));
        let mut intro: Vec<String> = Vec::new();
        let mut themes: Vec<Theme> = Vec::new();
        // Which theme collects questions outside any group, while no group came between.
        let mut loose: Option<usize> = None;
        let mut stack: Vec<Frame> = Vec::new();
        let mut theme_codes = HashSet::new();
        let mut question_codes = HashSet::new();
        let mut targets: HashMap<String, Target> = HashMap::new();
        let mut group_names: HashMap<usize, String> = HashMap::new();
        let mut loose_runs = 0usize;

        for row in &sheet.rows {
            let raw_type = sheet.get(row, "type");
            let name = sheet.get(row, "name").to_string();
            let place =
                if name.is_empty() { format!("Zeile {}", row.number) } else { name.clone() };
            if raw_type.is_empty() {
                if row.cells.keys().any(|c| {
                    sheet.headers.iter().any(|(hc, h)| hc == c && !h.base.starts_with('$'))
                }) {
                    self.list(&place, format!("Zeile {} des Blatts „survey“ hat keinen Typ und wird nicht übernommen.", row.number));
                }
                continue;
            }
            let kind = normalise_type(raw_type);
            let (head, rest) = match kind.split_once(' ') {
                Some((h, r)) => (h.to_string(), r.trim().to_string()),
                None => (kind.clone(), String::new()),
            };
            let (label, label_from) = self.text(sheet, row, "label");
            let relevant = sheet.get(row, "relevant");

            match kind.as_str() {
                "begin group" | "begin repeat" => {
                    let repeat = kind == "begin repeat";
                    let condition = if relevant.is_empty() {
                        None
                    } else {
                        match parse_condition(relevant, &targets) {
                            Ok(c) => Some((c, relevant.to_string())),
                            Err(why) => {
                                self.list(&place, format!("Bedingung der Gruppe „{}“ wird nicht übernommen: {why}; ihre Fragen werden immer gezeigt.", quote(relevant)));
                                None
                            }
                        }
                    };
                    if repeat {
                        self.list(&place, "Wiederholungsgruppe („repeat“): ihre Fragen werden einmal übernommen, nicht wiederholbar.");
                    }
                    let title = match (label.is_empty(), name.is_empty()) {
                        (false, _) => label.clone(),
                        (true, false) => name.clone(),
                        (true, true) => format!("Gruppe aus Zeile {}", row.number),
                    };
                    if stack.is_empty() {
                        let code = code_from_source(&name, "thema", &mut theme_codes);
                        group_names.insert(themes.len(), place.clone());
                        themes.push(Theme { code, title, intro: None, questions: vec![] });
                        loose = None;
                    } else {
                        let top = stack.first().map(|f| f.name.clone()).unwrap_or_default();
                        self.list(&place, format!("Untergruppe „{title}“ aufgelöst: ihre Fragen stehen im Thema der Gruppe „{top}“."));
                    }
                    self.unused_columns(
                        sheet,
                        row,
                        &place,
                        &["type", "name", "label", "relevant", "appearance", "hint"],
                    );
                    let appearance = sheet.get(row, "appearance");
                    if !appearance.is_empty()
                        && !matches!(
                            appearance.to_lowercase().as_str(),
                            "field-list" | "table-list"
                        )
                    {
                        self.list(
                            &place,
                            format!(
                                "Darstellung „{}“ der Gruppe wird nicht übernommen.",
                                quote(appearance)
                            ),
                        );
                    }
                    stack.push(Frame { name: place, condition });
                    continue;
                }
                "end group" | "end repeat" => {
                    if stack.pop().is_none() {
                        self.list(
                            &place,
                            format!(
                                "Zeile {}: „{kind}“ ohne passenden Anfang wird übergangen.",
                                row.number
                            ),
                        );
                    }
                    continue;
                }
                _ => {}
            }

            if head == "note" {
                let text = label.clone();
                let theme = if stack.is_empty() { loose } else { themes.len().checked_sub(1) };
                let target =
                    theme.and_then(|i| themes.get_mut(i)).filter(|t| t.questions.is_empty());
                if !relevant.is_empty() {
                    self.list(
                        &place,
                        format!(
                            "Die Bedingung „{}“ des Hinweises wird nicht übernommen.",
                            quote(relevant)
                        ),
                    );
                }
                if text.is_empty() {
                    self.list(&place, "Hinweis ohne Text wird übergangen.");
                } else if let Some(theme) = target {
                    theme.intro = Some(match theme.intro.take() {
                        Some(before) => format!("{before}\n\n{text}"),
                        None => text,
                    });
                } else if stack.is_empty() && themes.is_empty() {
                    intro.push(text);
                } else {
                    self.list(
                        &place,
                        format!(
                            "Hinweis zwischen den Fragen wird nicht übernommen: „{}“.",
                            quote(&text)
                        ),
                    );
                }
                continue;
            }

            let Some(question_kind) = self.question_kind(book, row, &place, &head, &rest, &kind)
            else {
                continue;
            };

            let code = code_from_source(&name, "frage", &mut question_codes);
            let text = if label.is_empty() {
                self.list(
                    &place,
                    "Frage ohne Beschriftung; ihr Name wird als Fragetext verwendet.",
                );
                if name.is_empty() {
                    code.clone()
                } else {
                    name.clone()
                }
            } else {
                if let Some(from) = label_from {
                    self.list(&place, format!("Fragetext aus „{from}“ übernommen (in der gewählten Sprache fehlt er)."));
                }
                label
            };
            let (hint, _) = self.text(sheet, row, "hint");
            let required = match sheet.get(row, "required").to_lowercase().as_str() {
                "yes" | "true" | "true()" | "1" | "ja" => true,
                "" | "no" | "false" | "false()" | "0" | "nein" => false,
                other => {
                    self.list(&place, format!("Pflichtangabe nur unter der Bedingung „{}“ wird nicht übernommen; die Frage ist freiwillig.", quote(other)));
                    false
                }
            };
            let own = if relevant.is_empty() {
                None
            } else {
                match parse_condition(relevant, &targets) {
                    Ok(c) => Some((c, relevant.to_string())),
                    Err(why) => {
                        self.list(&place, format!("Bedingung „{}“ wird nicht übernommen: {why}; die Frage wird immer gezeigt.", quote(relevant)));
                        None
                    }
                }
            };
            let mut conditions: Vec<(Condition, String, Option<String>)> = Vec::new();
            if let Some((c, expr)) = own {
                conditions.push((c, expr, None));
            }
            for frame in stack.iter().rev() {
                if let Some((c, expr)) = &frame.condition {
                    conditions.push((c.clone(), expr.clone(), Some(frame.name.clone())));
                }
            }
            let mut conditions = conditions.into_iter();
            let condition = conditions.next().map(|(c, _, _)| c);
            for (_, expr, group) in conditions {
                let whose = match group {
                    Some(g) => format!("der Gruppe „{g}“"),
                    None => "der Frage".into(),
                };
                self.list(&place, format!("Die Bedingung {whose} („{}“) kann nicht zusätzlich gelten (nur eine Bedingung je Frage) und entfällt für diese Frage.", quote(&expr)));
            }

            let theme_index = if stack.is_empty() {
                match loose {
                    Some(i) => i,
                    None => {
                        // Each run of questions outside groups keeps its place between the
                        // groups, so that conditions still point backwards.
                        let base = form_title.unwrap_or("Allgemein");
                        let title = if loose_runs == 0 {
                            base.to_string()
                        } else {
                            format!("{base} (Fortsetzung {loose_runs})")
                        };
                        loose_runs += 1;
                        let code = code_from_source(&title, "allgemein", &mut theme_codes);
                        themes.push(Theme { code, title, intro: None, questions: vec![] });
                        loose = Some(themes.len() - 1);
                        themes.len() - 1
                    }
                }
            } else {
                themes.len().saturating_sub(1)
            };
            let (multiple, options) = match &question_kind {
                QuestionKind::SingleChoice { options: own }
                | QuestionKind::MultipleChoice { options: own, .. } => {
                    let list_name = rest.split_whitespace().next().unwrap_or("");
                    let mut options =
                        self.lists.get(list_name).map(|l| l.codes.clone()).unwrap_or_default();
                    let or_other = rest.split_whitespace().nth(1) == Some("or_other");
                    if let (true, QuestionKind::SingleChoice { .. }, Some(last)) =
                        (or_other, &question_kind, own.last())
                    {
                        // ODK stores "other" for the added option.
                        options.insert("other".into(), last.code.clone());
                    }
                    (matches!(question_kind, QuestionKind::MultipleChoice { .. }), options)
                }
                _ => (false, HashMap::new()),
            };
            targets.insert(name.clone(), Target { code: code.clone(), multiple, options });
            if let Some(theme) = themes.get_mut(theme_index) {
                theme.questions.push(Question {
                    code,
                    text,
                    help: (!hint.is_empty()).then_some(hint),
                    required,
                    kind: question_kind,
                    condition,
                    reference: None,
                });
            }
        }

        // Groups that kept no question are no page.
        let mut kept = Vec::new();
        for (i, theme) in themes.into_iter().enumerate() {
            if theme.questions.is_empty() {
                if let (true, Some(text)) = (kept.is_empty(), &theme.intro) {
                    // A leading group of notes only: its texts introduce the questionnaire.
                    intro.push(text.clone());
                    let source = group_names.get(&i).cloned().unwrap_or(theme.code.clone());
                    self.list(source, "Die Gruppe enthält nur Hinweise; ihr Text steht in der Einleitung des Fragebogens, ein eigenes Thema entfällt.");
                    continue;
                }
                let source = group_names
                    .get(&i)
                    .filter(|g| !g.is_empty())
                    .cloned()
                    .unwrap_or(theme.code.clone());
                let intro = theme
                    .intro
                    .as_deref()
                    .map(|t| format!(" Ihr Hinweistext „{}“ entfällt mit ihr.", quote(t)))
                    .unwrap_or_default();
                self.list(
                    source,
                    format!(
                        "Die Gruppe enthält keine übernommene Frage und wird kein Thema.{intro}"
                    ),
                );
            } else {
                kept.push(theme);
            }
        }
        for (column, header) in &book.settings.headers {
            let known = matches!(
                header.base.as_str(),
                "form_title" | "form_id" | "version" | "default_language"
            );
            let value = book.settings.rows.first().and_then(|r| r.cells.get(column));
            if let (false, Some(value)) = (known, value) {
                self.list(
                    format!("settings/{}", header.text),
                    format!(
                        "Einstellung „{}“ („{}“) wird nicht übernommen.",
                        header.text,
                        quote(value)
                    ),
                );
            }
        }
        let question_count: usize = kept.iter().map(|t| t.questions.len()).sum();
        let questionnaire = Questionnaire {
            id: 0,
            slug,
            title,
            intro: intro.join("\n\n"),
            // About three questions a minute, at least five minutes.
            duration_minutes: u32::try_from(question_count.div_ceil(3)).unwrap_or(u32::MAX).max(5),
            status: QuestionnaireStatus::Draft,
            deadline: None,
            themes: kept,
        };
        ImportedStructure { questionnaire, unmapped: self.unmapped }
    }

    /// The kind of a question row, or `None` (listed) when this platform has no such question.
    fn question_kind(
        &mut self,
        book: &Book,
        row: &SheetRow,
        place: &str,
        head: &str,
        rest: &str,
        kind: &str,
    ) -> Option<QuestionKind> {
        let sheet = &book.survey;
        let appearance = sheet.get(row, "appearance").to_string();
        let constraint = sheet.get(row, "constraint").to_string();
        let mut handled = vec![
            "type",
            "name",
            "label",
            "hint",
            "required",
            "relevant",
            "appearance",
            "constraint",
            "constraint_message",
        ];
        let unsupported = |what: &str| Some(format!("{what} werden nicht unterstützt."));
        let reason: Option<String> = match head {
            "start" | "end" => Some("Beginn und Ende erfasst das Gerät; die Plattform speichert sie für jede Antwort selbst.".into()),
            "today" | "deviceid" | "subscriberid" | "simserial" | "phonenumber" | "username" | "email" | "audit" | "start-geopoint" | "instanceid" | "uri:deviceid" | "uri:username" | "uri:email" => Some(format!("Metadatenfeld „{head}“ erfasst das Gerät automatisch; es wird nicht übernommen.")),
            "date" | "time" | "datetime" => unsupported(&format!("Datums- und Zeitfragen („{head}“)")),
            "geopoint" | "geotrace" | "geoshape" => unsupported(&format!("Ortsangaben per GPS („{head}“)")),
            "image" | "audio" | "video" | "file" | "barcode" | "background-audio" | "signature" => unsupported(&format!("Foto-, Ton-, Video-, Datei- und Barcodefragen („{head}“)")),
            "calculate" => Some(format!("Berechnung „{}“ wird nicht übernommen.", quote(sheet.get(row, "calculation")))),
            "hidden" => Some("Verstecktes Feld („hidden“) wird nicht übernommen.".into()),
            "acknowledge" | "trigger" => unsupported(&format!("Bestätigungsfragen („{head}“)")),
            "rank" => unsupported("Rangfolgefragen („rank“)"),
            "select_one_from_file" | "select_multiple_from_file" | "select_one_external" | "select_multiple_external" => Some(format!("Auswahl aus einer externen Datei („{}“) wird nicht unterstützt; die Optionen stehen nicht im XLSForm.", quote(kind))),
            "xml-external" | "csv-external" => unsupported(&format!("Externe Daten („{head}“)")),
            "select_one" | "select_multiple" | "integer" | "decimal" | "range" | "text" => None,
            _ => Some(format!("Unbekannter Fragetyp „{}“.", quote(kind))),
        };
        if let Some(reason) = reason {
            self.list(place, reason);
            return None;
        }
        let kind = match head {
            "select_one" | "select_multiple" => {
                handled.push("choice_filter");
                let mut words = rest.split_whitespace();
                let list_name = words.next().unwrap_or("");
                let or_other = match words.next() {
                    None => false,
                    Some("or_other") => true,
                    Some(other) => {
                        self.list(
                            place,
                            format!("Zusatz „{}“ im Typ wird nicht übernommen.", quote(other)),
                        );
                        false
                    }
                };
                let Some(list) = self.lists.get(list_name).filter(|l| !l.options.is_empty()) else {
                    self.list(place, format!("Die Auswahlliste „{}“ fehlt im Blatt „choices“; die Frage wird nicht übernommen.", quote(list_name)));
                    return None;
                };
                let mut options = list.options.clone();
                let filter = sheet.get(row, "choice_filter");
                if !filter.is_empty() {
                    self.list(place, format!("Filter der Auswahlliste „{}“ wird nicht übernommen; alle Optionen werden gezeigt.", quote(filter)));
                }
                if head == "select_one" {
                    if or_other {
                        let mut taken: HashSet<String> =
                            options.iter().map(|o| o.code.clone()).collect();
                        let code = code_from_source("other", "sonstiges", &mut taken);
                        options.push(Choice { code, label: "Sonstiges".into() });
                        self.list(place, "„or_other“: Option „Sonstiges“ übernommen, ohne Textfeld für die Angabe (das gibt es nur bei Mehrfachauswahl).");
                    }
                    QuestionKind::SingleChoice { options }
                } else {
                    QuestionKind::MultipleChoice {
                        options,
                        other: or_other.then(|| "Sonstiges".to_string()),
                    }
                }
            }
            "integer" | "decimal" => {
                let integer = head == "integer";
                let (min, max) = if constraint.is_empty() {
                    (None, None)
                } else {
                    match number_bounds(&constraint, integer) {
                        Some(bounds) => bounds,
                        None => {
                            self.list(
                                place,
                                format!(
                                    "Prüfregel „{}“ wird nicht übernommen.",
                                    quote(&constraint)
                                ),
                            );
                            (None, None)
                        }
                    }
                };
                QuestionKind::Number { min, max, unit: None, integer }
            }
            "range" => {
                handled.push("parameters");
                let parameters = sheet.get(row, "parameters");
                let value = |key: &str, default: f64| {
                    parameters
                        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
                        .filter_map(|p| p.split_once('='))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
                        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
                        .filter(|v| v.is_finite())
                        .unwrap_or(default)
                };
                let (start, end, step) =
                    (value("start", 1.0), value("end", 10.0), value("step", 1.0));
                let (min, max) = if start <= end { (start, end) } else { (end, start) };
                let integer = [start, end, step].iter().all(|v| v.fract() == 0.0);
                self.list(
                    place,
                    format!(
                        "Schieberegler („range“) als Zahlenfeld von {} bis {} übernommen.",
                        domain::locale::format_german(min),
                        domain::locale::format_german(max)
                    ),
                );
                if !constraint.is_empty() {
                    self.list(
                        place,
                        format!("Prüfregel „{}“ wird nicht übernommen.", quote(&constraint)),
                    );
                }
                QuestionKind::Number { min: Some(min), max: Some(max), unit: None, integer }
            }
            _ => {
                let long =
                    appearance.split_whitespace().any(|a| a.eq_ignore_ascii_case("multiline"));
                let default_len = if long { LONG_TEXT_LEN } else { SHORT_TEXT_LEN };
                let max_len = if constraint.is_empty() {
                    default_len
                } else {
                    match text_length(&constraint) {
                        Some(len) => len,
                        None => {
                            self.list(
                                place,
                                format!(
                                    "Prüfregel „{}“ wird nicht übernommen.",
                                    quote(&constraint)
                                ),
                            );
                            default_len
                        }
                    }
                };
                if long {
                    QuestionKind::LongText { max_len }
                } else {
                    QuestionKind::ShortText { max_len }
                }
            }
        };
        let shown: Vec<&str> = appearance
            .split_whitespace()
            .filter(|a| {
                !(matches!(kind, QuestionKind::LongText { .. })
                    && a.eq_ignore_ascii_case("multiline"))
            })
            .collect();
        if !shown.is_empty() {
            self.list(
                place,
                format!("Darstellung „{}“ wird nicht übernommen.", quote(&shown.join(" "))),
            );
        }
        let message = self.text(sheet, row, "constraint_message").0;
        if !message.is_empty() {
            self.list(place, format!("Eigene Meldung zur Prüfregel („{}“) wird nicht übernommen; die Plattform meldet Grenzen mit eigenen Worten.", quote(&message)));
        }
        self.unused_columns(sheet, row, place, &handled);
        Some(kind)
    }

    /// Lists every filled cell of a column the conversion did not read (Kobo's `$…` columns
    /// are its own bookkeeping and carry nothing of the form).
    fn unused_columns(&mut self, sheet: &Sheet, row: &SheetRow, place: &str, handled: &[&str]) {
        for (column, header) in &sheet.headers {
            let Some(value) = row.cells.get(column) else { continue };
            if handled.contains(&header.base.as_str()) || header.base.starts_with('$') {
                continue;
            }
            if header.base == "hint" || header.base == "label" {
                continue; // other languages: listed once for the whole form
            }
            let what = match header.base.as_str() {
                "default" => format!("Vorgabewert „{}“ wird nicht übernommen.", quote(value)),
                "read_only"
                    if matches!(value.to_lowercase().as_str(), "no" | "false" | "false()") =>
                {
                    continue
                }
                "read_only" => "Schreibschutz („read_only“) wird nicht übernommen.".into(),
                "calculation" => format!("Berechnung „{}“ wird nicht übernommen.", quote(value)),
                "required_message" => format!(
                    "Eigene Meldung zur Pflichtangabe („{}“) wird nicht übernommen.",
                    quote(value)
                ),
                "guidance_hint" => format!(
                    "Erläuterung („guidance_hint“) „{}“ wird nicht übernommen.",
                    quote(value)
                ),
                "repeat_count" => {
                    format!("Anzahl der Wiederholungen „{}“ wird nicht übernommen.", quote(value))
                }
                base if base.contains("image")
                    || base.contains("audio")
                    || base.contains("video") =>
                {
                    format!("Medien (Spalte „{}“) werden nicht übernommen.", header.text)
                }
                _ => {
                    format!("Spalte „{}“ („{}“) wird nicht übernommen.", header.text, quote(value))
                }
            };
            self.list(place, what);
        }
    }
}

fn setting<'a>(book: &'a Book, base: &str) -> Option<&'a str> {
    let sheet = &book.settings;
    let row = sheet.rows.first()?;
    Some(sheet.get(row, base)).filter(|v| !v.is_empty())
}

/// The language of the labels: the form's default language, else German, else the plain
/// `label` column, else the first.
fn pick_language(languages: &[Option<String>], default: Option<&str>) -> Option<String> {
    if let Some(default) = default {
        if let Some(found) = languages.iter().flatten().find(|l| same_language(l, default)) {
            return Some(found.clone());
        }
        // pyxform reads the plain column as the default language.
        if languages.contains(&None) {
            return None;
        }
    }
    if let Some(german) = languages.iter().flatten().find(|l| is_german(l)) {
        return Some(german.clone());
    }
    if languages.contains(&None) {
        return None;
    }
    languages.first().cloned().flatten()
}

/// Lowercase type words in single spaces, with the spellings pyxform also accepts; a list
/// name keeps its spelling (list names are case-sensitive).
fn normalise_type(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    let (head, used) = match l.as_slice() {
        [] => return String::new(),
        ["select", "one", ..] => ("select_one", 2),
        ["select", "multiple", ..] => ("select_multiple", 2),
        ["select", "all", "that", "apply", ..] => ("select_multiple", 4),
        ["begin" | "end", "group" | "repeat", ..] => return l[..2].join(" "),
        // "begin loop over LIST": a repeat, once per option of the list.
        ["begin", "loop", ..] => return "begin repeat".into(),
        ["end", "loop", ..] => return "end repeat".into(),
        ["begin_group", ..] => return "begin group".into(),
        ["end_group", ..] => return "end group".into(),
        ["begin_repeat", ..] => return "begin repeat".into(),
        ["end_repeat", ..] => return "end repeat".into(),
        ["int"] => return "integer".into(),
        ["string"] => return "text".into(),
        [first, ..] => (*first, 1),
    };
    // The old spelling "select one from LIST".
    let used = match (head, l.get(used)) {
        ("select_one" | "select_multiple", Some(&"from")) => used + 1,
        _ => used,
    };
    let tail = words[used..].join(" ");
    if tail.is_empty() {
        head.to_string()
    } else {
        format!("{head} {tail}")
    }
}

fn make_slug(source: &str) -> String {
    let slug: String =
        domain::locale::code_from_label(source).replace('_', "-").chars().take(60).collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.len() < 3 {
        "xlsform-import".into()
    } else {
        slug
    }
}

fn quote(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > QUOTE_CHARS {
        format!("{} …", value.chars().take(QUOTE_CHARS).collect::<String>())
    } else {
        value.to_string()
    }
}

fn quote_list(names: &[String]) -> String {
    names.iter().map(|n| format!("„{}“", quote(n))).collect::<Vec<_>>().join(", ")
}

// -------------------------------------------------------------------------------------------
// Expressions
// -------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Var(String),
    Literal(String),
    Eq,
    Or,
    Open,
    Close,
    Comma,
    Word(String),
    Other(String),
}

fn tokens(expr: &str) -> Vec<Token> {
    // Spreadsheets turn typed quotes into typographic ones; pyxform reads them as plain.
    let chars: Vec<char> = expr
        .chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            c => c,
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                let end = chars[i..].iter().position(|&c| c == '}').map(|p| p + i);
                match end {
                    Some(end) => {
                        out.push(Token::Var(
                            chars[i + 2..end].iter().collect::<String>().trim().to_string(),
                        ));
                        i = end + 1;
                    }
                    None => {
                        out.push(Token::Other("${".into()));
                        i = chars.len();
                    }
                }
            }
            '\'' | '"' => {
                let end = chars[i + 1..].iter().position(|&q| q == c).map(|p| p + i + 1);
                match end {
                    Some(end) => {
                        out.push(Token::Literal(chars[i + 1..end].iter().collect()));
                        i = end + 1;
                    }
                    None => {
                        out.push(Token::Other(c.to_string()));
                        i = chars.len();
                    }
                }
            }
            '=' => {
                out.push(Token::Eq);
                i += if chars.get(i + 1) == Some(&'=') { 2 } else { 1 };
            }
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            ',' => {
                out.push(Token::Comma);
                i += 1;
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_digit()
                        || chars[i] == '.'
                        || (i == start && chars[i] == '-'))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                if text.chars().any(|c| c.is_ascii_digit()) {
                    out.push(Token::Literal(text));
                } else {
                    out.push(Token::Other(text));
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | ':'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(if word == "or" { Token::Or } else { Token::Word(word) });
            }
            other => {
                out.push(Token::Other(other.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// One comparison of a simple condition: question, value, and whether `selected()` asked.
type Test = (String, String, bool);

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, token: Token) -> Option<()> {
        (self.next()? == token).then_some(())
    }

    fn or(&mut self, depth: usize) -> Option<Vec<Test>> {
        if depth > 20 {
            return None;
        }
        let mut tests = self.term(depth)?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            tests.extend(self.term(depth)?);
        }
        Some(tests)
    }

    fn term(&mut self, depth: usize) -> Option<Vec<Test>> {
        match self.next()? {
            Token::Open => {
                let inner = self.or(depth + 1)?;
                self.expect(Token::Close)?;
                Some(inner)
            }
            Token::Var(name) => {
                self.expect(Token::Eq)?;
                match self.next()? {
                    Token::Literal(value) => Some(vec![(name, value, false)]),
                    _ => None,
                }
            }
            Token::Literal(value) => {
                self.expect(Token::Eq)?;
                match self.next()? {
                    Token::Var(name) => Some(vec![(name, value, false)]),
                    _ => None,
                }
            }
            Token::Word(word) if word == "selected" => {
                self.expect(Token::Open)?;
                let Token::Var(name) = self.next()? else { return None };
                self.expect(Token::Comma)?;
                let Token::Literal(value) = self.next()? else { return None };
                self.expect(Token::Close)?;
                Some(vec![(name, value, true)])
            }
            _ => None,
        }
    }
}

const SIMPLE_FORMS: &str = "übernommen werden nur ${frage} = 'wert', selected(${frage}, 'wert') \
                            und deren Verknüpfung mit „or“";

/// A `relevant` expression in one of the simple forms, on an earlier imported choice question.
fn parse_condition(expr: &str, targets: &HashMap<String, Target>) -> Result<Condition, String> {
    let mut parser = Parser { tokens: tokens(expr), at: 0 };
    let tests = match parser.or(0) {
        Some(tests) if parser.at == parser.tokens.len() => tests,
        _ => return Err(SIMPLE_FORMS.into()),
    };
    let Some((name, _, _)) = tests.first() else { return Err(SIMPLE_FORMS.into()) };
    if tests.iter().any(|(n, _, _)| n != name) {
        return Err("sie prüft mehrere Fragen zugleich".into());
    }
    let Some(target) = targets.get(name) else {
        return Err(format!("„{name}“ ist keine frühere übernommene Frage"));
    };
    if target.options.is_empty() {
        return Err(format!("„{name}“ ist keine Auswahlfrage"));
    }
    let mut any_of = Vec::new();
    for (_, value, selected) in &tests {
        if target.multiple && !selected {
            return Err(format!(
                "„=“ prüft bei der Mehrfachauswahl „{name}“ die ganze Auswahl, nicht eine Option"
            ));
        }
        match target.options.get(value) {
            Some(code) if !any_of.contains(code) => any_of.push(code.clone()),
            Some(_) => {}
            None => return Err(format!("die Frage „{name}“ hat keine Option „{value}“")),
        }
    }
    Ok(Condition { question: target.code.clone(), row: None, any_of })
}

/// `. >= 0 and . <= 120` and the like, as inclusive bounds; `None` for anything else.
fn number_bounds(expr: &str, integer: bool) -> Option<(Option<f64>, Option<f64>)> {
    let (mut min, mut max) = (None, None);
    for clause in expr.split(" and ") {
        let clause: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
        let clause = clause.trim_start_matches('(').trim_end_matches(')');
        let (op, value, flipped) = ["<=", ">=", "<", ">"].iter().find_map(|op| {
            let (left, right) = clause.split_once(op)?;
            if left == "." {
                Some((*op, right, false))
            } else if right == "." {
                Some((*op, left, true))
            } else {
                None
            }
        })?;
        let value: f64 = value.parse().ok().filter(|v: &f64| v.is_finite())?;
        let op = match (op, flipped) {
            (op, false) => op,
            ("<=", true) => ">=",
            (">=", true) => "<=",
            ("<", true) => ">",
            (_, true) => "<",
        };
        let strict = |v: f64, delta: f64| (integer && v.fract() == 0.0).then_some(v + delta);
        match op {
            ">=" => min = Some(value),
            "<=" => max = Some(value),
            ">" => min = Some(strict(value, 1.0)?),
            _ => max = Some(strict(value, -1.0)?),
        }
    }
    match (min, max) {
        (Some(a), Some(b)) if a > b => None,
        bounds => Some(bounds),
    }
}

/// `string-length(.) <= 80` as a maximum length.
fn text_length(expr: &str) -> Option<u32> {
    let compact: String = expr.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = compact.strip_prefix("string-length(.)")?;
    let (value, less) = match rest.strip_prefix("<=") {
        Some(v) => (v, 0),
        None => (rest.strip_prefix('<')?, 1),
    };
    let n: u32 = value.parse().ok()?;
    n.checked_sub(less).filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> HashMap<String, Target> {
        let options = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(n, c)| (n.to_string(), c.to_string())).collect()
        };
        HashMap::from([
            (
                "Q1".to_string(),
                Target {
                    code: "q1".into(),
                    multiple: false,
                    options: options(&[("a", "a"), ("B 2", "b_2"), ("1", "1")]),
                },
            ),
            (
                "m".to_string(),
                Target {
                    code: "m".into(),
                    multiple: true,
                    options: options(&[("x", "x"), ("y", "y")]),
                },
            ),
            (
                "n".to_string(),
                Target { code: "n".into(), multiple: false, options: HashMap::new() },
            ),
        ])
    }

    fn parsed(expr: &str) -> Result<(String, Vec<String>), String> {
        parse_condition(expr, &targets()).map(|c| (c.question, c.any_of))
    }

    #[test]
    fn simple_relevant_forms_become_conditions() {
        let ok =
            |q: &str, v: &[&str]| Ok((q.to_string(), v.iter().map(|s| s.to_string()).collect()));
        assert_eq!(parsed("${Q1} = 'a'"), ok("q1", &["a"]));
        assert_eq!(parsed("${Q1}='a' or ${Q1}=\"B 2\""), ok("q1", &["a", "b_2"]));
        assert_eq!(parsed("'a' == ${Q1}"), ok("q1", &["a"]));
        assert_eq!(parsed("${Q1} = 1"), ok("q1", &["1"]));
        assert_eq!(parsed("(${Q1} = 'a') or (${Q1} = 'a')"), ok("q1", &["a"]));
        assert_eq!(parsed("selected(${m}, 'x')"), ok("m", &["x"]));
        assert_eq!(parsed("selected( ${m} , 'x' ) or selected(${m},'y')"), ok("m", &["x", "y"]));
        assert_eq!(parsed("selected(${Q1}, 'a')"), ok("q1", &["a"]));
        assert_eq!(parsed("${Q1}=‘a’ or ${Q1} = “B 2”"), ok("q1", &["a", "b_2"]));
    }

    #[test]
    fn other_relevant_forms_say_why_not() {
        for (expr, why) in [
            ("${Q1} = 'a' and ${m} = 'x'", "nur"),
            ("${Q1} != 'a'", "nur"),
            ("not(selected(${m}, 'x'))", "nur"),
            ("${Q1} = 'a' or", "nur"),
            ("${Q1} = 'a' or ${Q2} = 'b'", "mehrere Fragen"),
            ("${spaeter} = 'a'", "keine frühere"),
            ("${n} = 'a'", "keine Auswahlfrage"),
            ("${m} = 'x'", "ganze Auswahl"),
            ("${Q1} = 'z'", "keine Option „z“"),
            ("((((((((((((((((((((((${Q1} = 'a'))))))))))))))))))))))", "nur"),
            ("${Q1", "nur"),
            ("'offen", "nur"),
            ("", "nur"),
        ] {
            let error = parsed(expr).unwrap_err();
            assert!(error.contains(why), "{expr}: {error}");
        }
    }

    #[test]
    fn constraints_become_bounds_where_they_can() {
        assert_eq!(number_bounds(". >= 0 and . <= 120", true), Some((Some(0.0), Some(120.0))));
        assert_eq!(number_bounds(".>0", true), Some((Some(1.0), None)));
        assert_eq!(number_bounds("100 > .", true), Some((None, Some(99.0))));
        assert_eq!(number_bounds(". <= 2.5", false), Some((None, Some(2.5))));
        assert_eq!(number_bounds(". > 0", false), None, "a strict bound on decimals");
        assert_eq!(number_bounds(". >= 10 and . <= 1", true), None);
        assert_eq!(number_bounds("regex(., '^[0-9]+$')", true), None);
        assert_eq!(text_length("string-length(.) <= 80"), Some(80));
        assert_eq!(text_length("string-length( . ) < 10"), Some(9));
        assert_eq!(text_length("string-length(.) < 1"), None);
        assert_eq!(text_length("string-length(.) > 3"), None);
    }

    #[test]
    fn headers_types_and_languages() {
        let h = Header::parse(" label::Deutsch (de) ");
        assert_eq!((h.base.as_str(), h.lang.as_deref()), ("label", Some("Deutsch (de)")));
        let h = Header::parse("label:en");
        assert_eq!((h.base.as_str(), h.lang.as_deref()), ("label", Some("en")));
        assert_eq!(Header::parse("media::image::English (en)").base, "media::image");
        assert_eq!(Header::parse("List Name").base, "list_name");
        assert_eq!(Header::parse("bind::relevant").base, "relevant");
        assert_eq!(Header::parse("bind:jr:constraintMsg").base, "constraint_message");
        assert_eq!(Header::parse("control:appearance").base, "appearance");
        assert_eq!(Header::parse("$kuid").base, "$kuid");

        assert_eq!(normalise_type(" Select_One  YesNo  or_other "), "select_one YesNo or_other");
        assert_eq!(normalise_type("select all that apply Lst"), "select_multiple Lst");
        assert_eq!(normalise_type("BEGIN_GROUP"), "begin group");
        assert_eq!(normalise_type("end  repeat"), "end repeat");
        assert_eq!(normalise_type("int"), "integer");
        assert_eq!(normalise_type("select one from Farben"), "select_one Farben");
        assert_eq!(normalise_type("begin loop over kinder"), "begin repeat");

        let langs = |l: &[Option<&str>]| l.iter().map(|x| x.map(String::from)).collect::<Vec<_>>();
        let both = langs(&[Some("English (en)"), Some("Deutsch (de)")]);
        assert_eq!(pick_language(&both, None).as_deref(), Some("Deutsch (de)"));
        assert_eq!(pick_language(&both, Some("en")).as_deref(), Some("English (en)"));
        assert_eq!(pick_language(&both, Some("English (en)")).as_deref(), Some("English (en)"));
        let plain = langs(&[None, Some("Français (fr)")]);
        assert_eq!(pick_language(&plain, None), None);
        assert_eq!(pick_language(&plain, Some("Deutsch")), None, "the plain column is the default");
        assert_eq!(pick_language(&langs(&[Some("fr"), Some("es")]), None).as_deref(), Some("fr"));
        assert_eq!(make_slug("Meine Umfrage 2026"), "meine-umfrage-2026");
        assert_eq!(make_slug("ü"), "xlsform-import");
    }
}

/// Random forms built in memory, past the spreadsheet reader: whatever the rows say, the
/// conversion ends in a draft that passes the check.
#[cfg(test)]
mod random_forms {
    use super::*;

    struct Lcg(u64);

    impl Lcg {
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            items[((self.0 >> 33) % items.len() as u64) as usize]
        }
    }

    fn sheet(headers: &[&str], rows: Vec<Vec<String>>) -> Sheet {
        Sheet {
            headers: headers
                .iter()
                .enumerate()
                .map(|(i, h)| (i as u32, Header::parse(h)))
                .collect(),
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| SheetRow {
                    number: i as u32 + 2,
                    cells: cells
                        .into_iter()
                        .enumerate()
                        .filter(|(_, c)| !c.is_empty())
                        .map(|(c, v)| (c as u32, v))
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn any_rows_give_a_valid_draft() {
        let types = [
            "select_one l1",
            "select_one l2 or_other",
            "select_multiple l1",
            "select_multiple l3 or_other",
            "select_one fehlt",
            "integer",
            "decimal",
            "text",
            "note",
            "begin group",
            "end group",
            "begin repeat",
            "end repeat",
            "calculate",
            "date",
            "range",
            "rank l1",
            "",
            "begin_group",
            "select one from l2",
            "hidden",
            "acknowledge",
            "select_one",
        ];
        let names = [
            "a",
            "b",
            "A",
            "a-1",
            "",
            "1",
            "ä",
            "c",
            "q",
            "long_name_with_many_characters_beyond_forty_chars",
            "?",
        ];
        let values = ["x", "y", "1", "z", "", "other"];
        let labels = ["Frage", "", "  ", "Thema ${a}", "Ja"];
        let mut rng = Lcg(7);
        for case in 0..1000 {
            let mut rows = Vec::new();
            for _ in 0..(case % 40) {
                let target = rng.pick(&names);
                let value = rng.pick(&values);
                let relevant = match rng.pick(&["", "eq", "sel", "or", "other"]) {
                    "eq" => format!("${{{target}}} = '{value}'"),
                    "sel" => format!("selected(${{{target}}}, '{value}')"),
                    "or" => format!("${{{target}}}='{value}' or ${{{target}}}='x'"),
                    "other" => format!("${{{target}}} > 3"),
                    _ => String::new(),
                };
                rows.push(vec![
                    rng.pick(&types).to_string(),
                    rng.pick(&names).to_string(),
                    rng.pick(&labels).to_string(),
                    rng.pick(&labels).to_string(),
                    rng.pick(&["yes", "", "no", "${a} = 'x'"]).to_string(),
                    relevant,
                    rng.pick(&["", ". > 0", ". >= 1 and . <= 0", "string-length(.) < 5"])
                        .to_string(),
                    rng.pick(&["", "multiline", "minimal"]).to_string(),
                ]);
            }
            let mut choices = Vec::new();
            for _ in 0..(case % 12) {
                choices.push(vec![
                    rng.pick(&["l1", "l2", "l3", ""]).to_string(),
                    rng.pick(&values).to_string(),
                    rng.pick(&labels).to_string(),
                ]);
            }
            let book = Book {
                survey: sheet(
                    &[
                        "type",
                        "name",
                        "label::Deutsch (de)",
                        "label::English (en)",
                        "required",
                        "relevant",
                        "constraint",
                        "appearance",
                    ],
                    rows,
                ),
                choices: sheet(&["list_name", "name", "label::Deutsch (de)"], choices),
                settings: Sheet::default(),
            };
            let imported = Converter::new(&book).unwrap().convert(&book);
            assert_eq!(imported.questionnaire.check_draft(), Vec::<String>::new(), "case {case}");
            assert!(imported.unmapped.iter().all(|u| !u.reason.is_empty()));
        }
    }
}

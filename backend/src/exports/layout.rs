//! CSV exports of a questionnaire's responses, shaped without I/O: the wide file (one row per
//! response), the long file (one row per stored value), the codebook (one row per column of the
//! wide file) and the dashboard aggregates, each in two dialects. The database layer feeds the
//! rows in; [`CsvOut`] hands the bytes out in chunks, so that nothing is held in memory.

use crate::csv_out::{format_timestamp, CsvOut, Dialect};
use crate::db::{ResponseMeta, ResponseSink, StoredQuestionnaire};
use domain::answers::OTHER_ROW;
use domain::questionnaire::{Question, QuestionKind, Questionnaire, CANNOT_JUDGE};
use domain::reference::WHOLE_COUNTY;
use domain::AppError;
use std::collections::HashMap;

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Wide,
    Long,
    Codebook,
    Aggregates,
    /// SPSS syntax that reads the wide file with labels.
    Spss,
    /// An R script that reads the wide file with labels.
    R,
}

impl ExportKind {
    pub const ALL: [ExportKind; 6] =
        [Self::Wide, Self::Long, Self::Codebook, Self::Aggregates, Self::Spss, Self::R];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wide => "wide",
            Self::Long => "long",
            Self::Codebook => "codebook",
            Self::Aggregates => "aggregates",
            Self::Spss => "spss",
            Self::R => "r",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Wide => "Antworten, breit (eine Zeile je Antwort)",
            Self::Long => "Antworten, lang (eine Zeile je Wert)",
            Self::Codebook => "Codebuch (Spalten der breiten Datei)",
            Self::Aggregates => "Auswertung je Thema (wie im Dashboard)",
            Self::Spss => "SPSS-Syntax zur breiten Datei (.sps: liest sie mit Beschriftungen ein)",
            Self::R => "R-Skript zur breiten Datei (.R: liest sie mit Beschriftungen ein)",
        }
    }

    /// Whether the file holds single responses, which only administrators may export; the
    /// syntax files go with the wide file and describe its columns, so they count as raw too.
    pub fn is_raw(self) -> bool {
        matches!(self, Self::Wide | Self::Long | Self::Spss | Self::R)
    }

    /// The file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Spss => "sps",
            Self::R => "R",
            _ => "csv",
        }
    }

    pub fn file_stem(self) -> &'static str {
        match self {
            // The syntax files are named like the wide file they read.
            Self::Wide | Self::Spss | Self::R => "antworten_breit",
            Self::Long => "antworten_lang",
            Self::Codebook => "codebuch",
            Self::Aggregates => "auswertung",
        }
    }
}

/// How a cell of the wide file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// An option code, an id or a 0/1 flag.
    Code,
    /// Several option codes, separated by spaces.
    CodeList,
    /// A typed number, normalised to the dialect; kept as typed when it is not a number.
    Number,
    /// Free text.
    Text,
    /// A timestamp in milliseconds.
    Time,
}

/// One column of the wide file, with what the codebook says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct WideColumn {
    pub code: String,
    pub theme: String,
    pub question: String,
    pub text: String,
    /// The question's kind, or "meta" for the response's own columns.
    pub kind: String,
    /// The option or matrix row the column stands for.
    pub part: String,
    /// The column's codes and their labels.
    pub values: Vec<(String, String)>,
    /// The codes among `values` that stand for no substantive answer ("cannot judge").
    pub missing: Vec<String>,
    pub cell: CellKind,
}

impl WideColumn {
    /// The column's label for statistics programs: the question, and the option or row.
    pub fn label(&self) -> String {
        if self.part.is_empty() {
            self.text.clone()
        } else {
            format!("{}: {}", self.text, self.part)
        }
    }

    /// Whether the column holds 0/1 flags (the options of a multiple choice).
    pub fn is_flag(&self) -> bool {
        self.cell == CellKind::Code
            && self.values.len() == 2
            && self.values[0].0 == "0"
            && self.values[1].0 == "1"
    }
}

/// One line of the codebook: a column of the wide file and its theme's title. The codebook
/// CSV and the SPSS and R syntax are written from these, so that they always agree.
#[derive(Debug, Clone, Copy)]
pub struct CodebookEntry<'a> {
    pub column: &'a WideColumn,
    pub theme_title: &'a str,
}

/// Where a question's stored values go in the wide row.
#[derive(Debug, Clone)]
enum Slots {
    /// One value (single choice, rating, yes/no, number, text) in one column.
    Single(usize),
    /// A 0/1 column per option, and the "other, namely" text.
    Multiple { options: Vec<(String, usize)>, other: Option<usize> },
    /// A column per matrix row.
    Matrix(Vec<(String, usize)>),
}

/// Columns of the response itself, before the questions' columns.
pub const META_COLUMNS: [&str; 6] =
    ["antwort_id", "status", "begonnen", "abgeschlossen", "art", "kommunen"];
pub const CONTACT_COLUMNS: [&str; 2] = ["organisation", "e_mail"];

/// The wide file's columns for a questionnaire, and where each stored value goes.
#[derive(Debug, Clone)]
pub struct WideLayout {
    pub columns: Vec<WideColumn>,
    slots: HashMap<String, Slots>,
    with_contacts: bool,
}

/// Separates a question's code from its option's or row's code in a column code. Codes are
/// `[a-z0-9_]`, so the double underscore reads unambiguously for every tool.
pub const PART_SEPARATOR: &str = "__";

impl WideLayout {
    pub fn new(q: &Questionnaire, with_contacts: bool) -> Self {
        let meta =
            |code: &str, text: &str, cell: CellKind, values: Vec<(String, String)>| WideColumn {
                code: code.into(),
                theme: String::new(),
                question: String::new(),
                text: text.into(),
                kind: "meta".into(),
                part: String::new(),
                values,
                missing: vec![],
                cell,
            };
        let statuses = vec![
            ("draft".to_string(), "Entwurf (noch nicht abgeschickt)".to_string()),
            ("submitted".to_string(), "Abgeschickt".to_string()),
        ];
        let kinds = domain::reference::ORG_KINDS
            .iter()
            .map(|k| (k.code.to_string(), k.label.to_string()))
            .collect();
        let mut places: Vec<(String, String)> = domain::reference::MUNICIPALITIES
            .iter()
            .map(|m| (m.ags.to_string(), m.name.to_string()))
            .collect();
        places.push((WHOLE_COUNTY.into(), "Kreisweit (alle Kommunen)".into()));
        let mut columns = vec![
            meta("antwort_id", "Nummer der Antwort", CellKind::Code, vec![]),
            meta("status", "Stand der Antwort", CellKind::Code, statuses),
            meta("begonnen", "Begonnen am (deutsche Zeit)", CellKind::Time, vec![]),
            meta("abgeschlossen", "Abgeschickt am (deutsche Zeit)", CellKind::Time, vec![]),
            meta("art", "Art der Organisation", CellKind::Code, kinds),
            meta(
                "kommunen",
                "Versorgte Kommunen (AGS, durch Leerzeichen getrennt)",
                CellKind::CodeList,
                places,
            ),
        ];
        if with_contacts {
            columns.push(meta("organisation", "Name der Organisation", CellKind::Text, vec![]));
            columns.push(meta("e_mail", "Kontakt-E-Mail der Organisation", CellKind::Text, vec![]));
        }
        let mut slots = HashMap::new();
        for theme in &q.themes {
            for question in &theme.questions {
                let column = |code: String,
                              part: String,
                              values: Vec<(String, String)>,
                              cell: CellKind| WideColumn {
                    code,
                    theme: theme.code.clone(),
                    question: question.code.clone(),
                    text: question.text.clone(),
                    kind: question.kind.name().into(),
                    part,
                    missing: values
                        .iter()
                        .filter(|(code, _)| code == CANNOT_JUDGE)
                        .map(|(code, _)| code.clone())
                        .collect(),
                    values,
                    cell,
                };
                let codes = |choices: Vec<domain::Choice>| -> Vec<(String, String)> {
                    choices.into_iter().map(|c| (c.code, c.label)).collect()
                };
                let flags = || {
                    vec![
                        ("0".to_string(), "nicht gewählt".to_string()),
                        ("1".to_string(), "gewählt".to_string()),
                    ]
                };
                let part_code = |part: &str| format!("{}{PART_SEPARATOR}{part}", question.code);
                let slot = match &question.kind {
                    QuestionKind::MultipleChoice { options, other } => {
                        let mut mapped = Vec::new();
                        for o in options {
                            mapped.push((o.code.clone(), columns.len()));
                            columns.push(column(
                                part_code(&o.code),
                                o.label.clone(),
                                flags(),
                                CellKind::Code,
                            ));
                        }
                        let other = other.as_ref().map(|label| {
                            columns.push(column(
                                part_code("sonstiges"),
                                label.clone(),
                                vec![],
                                CellKind::Text,
                            ));
                            columns.len() - 1
                        });
                        Slots::Multiple { options: mapped, other }
                    }
                    QuestionKind::Matrix { rows, columns: scale } => {
                        let mut mapped = Vec::new();
                        for r in rows {
                            mapped.push((r.code.clone(), columns.len()));
                            columns.push(column(
                                part_code(&r.code),
                                r.label.clone(),
                                codes(scale.clone()),
                                CellKind::Code,
                            ));
                        }
                        Slots::Matrix(mapped)
                    }
                    kind => {
                        let cell = match kind {
                            QuestionKind::Number { .. } => CellKind::Number,
                            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
                                CellKind::Text
                            }
                            _ => CellKind::Code,
                        };
                        columns.push(column(
                            question.code.clone(),
                            String::new(),
                            codes(kind.choices()),
                            cell,
                        ));
                        Slots::Single(columns.len() - 1)
                    }
                };
                slots.insert(question.code.clone(), slot);
            }
        }
        Self { columns, slots, with_contacts }
    }

    pub fn write_header(&self, out: &mut CsvOut) -> Result<(), AppError> {
        for c in &self.columns {
            out.plain(&c.code)?;
        }
        out.end_record()
    }

    pub fn new_row(&self) -> WideRow {
        WideRow { cells: vec![String::new(); self.columns.len()] }
    }

    /// Puts one stored value `(row_code, value)` of question `code` into the row.
    pub fn place(&self, row: &mut WideRow, question: &str, row_code: &str, value: &str) {
        if let Some(slot) = self.slots.get(question) {
            Self::place_in(slot, row, row_code, value);
        }
    }

    /// The slots of each question by its database id, for the export's hot loop.
    fn slots_by_id(&self, ids: &HashMap<String, i64>) -> HashMap<i64, Slots> {
        self.slots
            .iter()
            .filter_map(|(code, slot)| ids.get(code).map(|id| (*id, slot.clone())))
            .collect()
    }

    fn place_in(slot: &Slots, row: &mut WideRow, row_code: &str, value: &str) {
        let set = |row: &mut WideRow, index: usize, value: &str| {
            let cell = &mut row.cells[index];
            cell.clear();
            cell.push_str(value);
        };
        match slot {
            Slots::Single(index) if row_code.is_empty() => set(row, *index, value),
            Slots::Matrix(rows) => {
                if let Some((_, index)) = rows.iter().find(|(code, _)| code == row_code) {
                    set(row, *index, value);
                }
            }
            Slots::Multiple { options, other } => {
                // Answered at all: every option not chosen is a 0, not a gap.
                for (_, index) in options {
                    if row.cells[*index].is_empty() {
                        row.cells[*index].push('0');
                    }
                }
                if row_code == OTHER_ROW {
                    if let Some(index) = other {
                        set(row, *index, value);
                    }
                } else if let Some((_, index)) = options.iter().find(|(code, _)| code == value) {
                    set(row, *index, "1");
                }
            }
            Slots::Single(_) => {}
        }
    }

    /// Writes the row (its meta columns filled from `meta`) and empties it for the next.
    pub fn write_row(
        &self,
        out: &mut CsvOut,
        meta: &ResponseMeta,
        row: &mut WideRow,
    ) -> Result<(), AppError> {
        let dialect = out.dialect();
        out.plain(&meta.id.to_string())?;
        out.plain(&meta.status)?;
        out.plain(&meta.started_at.map(|t| format_timestamp(t, dialect)).unwrap_or_default())?;
        out.plain(&meta.submitted_at.map(|t| format_timestamp(t, dialect)).unwrap_or_default())?;
        out.plain(meta.org_kind.as_deref().unwrap_or(""))?;
        out.plain(&meta.municipalities.join(" "))?;
        let first_question_column = if self.with_contacts {
            out.text(meta.organisation.as_deref().unwrap_or(""))?;
            out.text(meta.email.as_deref().unwrap_or(""))?;
            META_COLUMNS.len() + CONTACT_COLUMNS.len()
        } else {
            META_COLUMNS.len()
        };
        for (column, cell) in
            self.columns.iter().zip(row.cells.iter_mut()).skip(first_question_column)
        {
            match column.cell {
                CellKind::Text => out.text(cell)?,
                CellKind::Number => match domain::number::parse_number(cell, false) {
                    Some(v) => out.number(v)?,
                    None => out.text(cell)?,
                },
                CellKind::Code | CellKind::CodeList | CellKind::Time => out.plain(cell)?,
            }
            cell.clear();
        }
        out.end_record()
    }

    /// The codebook's entries; `themes` limits them to those themes' columns (and the
    /// response's own).
    pub fn codebook<'a>(
        &'a self,
        q: &'a Questionnaire,
        themes: Option<&[String]>,
    ) -> Vec<CodebookEntry<'a>> {
        let theme_titles: HashMap<&str, &str> =
            q.themes.iter().map(|t| (t.code.as_str(), t.title.as_str())).collect();
        let wanted = |theme: &str| {
            theme.is_empty() || themes.is_none_or(|allowed| allowed.iter().any(|t| t == theme))
        };
        self.columns
            .iter()
            .filter(|c| wanted(&c.theme))
            .map(|column| CodebookEntry {
                column,
                theme_title: theme_titles.get(column.theme.as_str()).copied().unwrap_or(""),
            })
            .collect()
    }

    /// The codebook; `themes` limits it to those themes' columns (and the response's own).
    pub fn write_codebook(
        &self,
        out: &mut CsvOut,
        q: &Questionnaire,
        themes: Option<&[String]>,
    ) -> Result<(), AppError> {
        out.texts([
            "spalte",
            "thema",
            "thema_titel",
            "frage",
            "fragetext",
            "fragetyp",
            "bezug",
            "werte",
            "fehlend",
        ])?;
        for entry in self.codebook(q, themes) {
            let c = entry.column;
            let values: Vec<String> =
                c.values.iter().map(|(code, label)| format!("{code} = {label}")).collect();
            out.texts([
                c.code.as_str(),
                c.theme.as_str(),
                entry.theme_title,
                c.question.as_str(),
                c.text.as_str(),
                c.kind.as_str(),
                c.part.as_str(),
                values.join(" | ").as_str(),
                c.missing.join(" | ").as_str(),
            ])?;
        }
        Ok(())
    }
}

/// The cells of one wide row, reused from response to response.
#[derive(Debug, Clone)]
pub struct WideRow {
    cells: Vec<String>,
}

/// The long file: one row per stored value, with the value's label for choices.
pub struct LongLayout {
    labels: HashMap<String, QuestionLabels>,
}

struct QuestionLabels {
    choices: Vec<(String, String)>,
    number: bool,
}

pub const LONG_COLUMNS: [&str; 5] = ["antwort_id", "frage", "zeile", "wert_code", "wert"];

impl LongLayout {
    pub fn new(q: &Questionnaire) -> Self {
        let labels = q
            .questions()
            .map(|question: &Question| {
                let choices =
                    question.kind.choices().into_iter().map(|c| (c.code, c.label)).collect();
                (
                    question.code.clone(),
                    QuestionLabels {
                        choices,
                        number: matches!(question.kind, QuestionKind::Number { .. }),
                    },
                )
            })
            .collect();
        Self { labels }
    }

    pub fn write_header(&self, out: &mut CsvOut) -> Result<(), AppError> {
        for c in LONG_COLUMNS {
            out.plain(c)?;
        }
        out.end_record()
    }

    pub fn write_value(
        &self,
        out: &mut CsvOut,
        response_id: i64,
        question: &str,
        row_code: &str,
        value: &str,
    ) -> Result<(), AppError> {
        let Some(labels) = self.labels.get(question) else { return Ok(()) };
        out.plain(&response_id.to_string())?;
        out.plain(question)?;
        out.plain(row_code)?;
        if row_code == OTHER_ROW {
            out.plain("")?;
            out.text(value)?;
        } else if let Some((code, label)) = labels.choices.iter().find(|(code, _)| code == value) {
            out.plain(code)?;
            out.text(label)?;
        } else if labels.number {
            out.plain("")?;
            match domain::number::parse_number(value, false) {
                Some(v) => out.number(v)?,
                None => out.text(value)?,
            }
        } else {
            out.plain("")?;
            out.text(value)?;
        }
        out.end_record()
    }
}

fn take_chunk(out: &mut CsvOut, last: bool) -> Result<Option<Vec<u8>>, AppError> {
    if last || out.is_full() {
        let bytes = out.take()?;
        Ok((!bytes.is_empty()).then_some(bytes))
    } else {
        Ok(None)
    }
}

/// Writes the wide file: a response's row is complete when the next response begins.
pub struct WideSink {
    layout: WideLayout,
    slots: HashMap<i64, Slots>,
    row: WideRow,
    pending: Option<ResponseMeta>,
    municipalities_question: Option<i64>,
    out: CsvOut,
}

impl WideSink {
    pub fn new(
        stored: &StoredQuestionnaire,
        with_contacts: bool,
        dialect: Dialect,
    ) -> Result<Self, AppError> {
        let q = &stored.questionnaire;
        let layout = WideLayout::new(q, with_contacts);
        let mut out = CsvOut::new(dialect);
        layout.write_header(&mut out)?;
        let municipalities_question = q
            .question_with_reference(domain::Reference::Municipalities)
            .and_then(|x| stored.question_id(&x.code));
        let slots = layout.slots_by_id(&stored.question_ids);
        Ok(Self {
            row: layout.new_row(),
            slots,
            layout,
            pending: None,
            municipalities_question,
            out,
        })
    }

    fn write_pending(&mut self) -> Result<(), AppError> {
        if let Some(meta) = self.pending.take() {
            self.layout.write_row(&mut self.out, &meta, &mut self.row)?;
        }
        Ok(())
    }
}

impl ResponseSink for WideSink {
    fn response(&mut self, meta: ResponseMeta) -> Result<(), AppError> {
        self.write_pending()?;
        self.pending = Some(meta);
        Ok(())
    }

    fn value(&mut self, question: i64, row_code: &str, value: &str) -> Result<(), AppError> {
        if self.municipalities_question == Some(question) {
            if let Some(meta) = &mut self.pending {
                meta.municipalities.push(value.to_string());
            }
        }
        if let Some(slot) = self.slots.get(&question) {
            WideLayout::place_in(slot, &mut self.row, row_code, value);
        }
        Ok(())
    }

    fn chunk(&mut self, last: bool) -> Result<Option<Vec<u8>>, AppError> {
        if last {
            self.write_pending()?;
        }
        take_chunk(&mut self.out, last)
    }
}

/// Writes the long file, row by row as the values come.
pub struct LongSink {
    layout: LongLayout,
    codes: HashMap<i64, String>,
    response_id: i64,
    out: CsvOut,
}

impl LongSink {
    pub fn new(stored: &StoredQuestionnaire, dialect: Dialect) -> Result<Self, AppError> {
        let layout = LongLayout::new(&stored.questionnaire);
        let mut out = CsvOut::new(dialect);
        layout.write_header(&mut out)?;
        Ok(Self { layout, codes: stored.question_codes.clone(), response_id: 0, out })
    }
}

impl ResponseSink for LongSink {
    fn response(&mut self, meta: ResponseMeta) -> Result<(), AppError> {
        self.response_id = meta.id;
        Ok(())
    }

    fn value(&mut self, question: i64, row_code: &str, value: &str) -> Result<(), AppError> {
        match self.codes.get(&question) {
            Some(code) => {
                self.layout.write_value(&mut self.out, self.response_id, code, row_code, value)
            }
            None => Ok(()),
        }
    }

    fn chunk(&mut self, last: bool) -> Result<Option<Vec<u8>>, AppError> {
        take_chunk(&mut self.out, last)
    }
}

/// The file name of a download, e.g. `antworten_breit_kreis_kleve_2026_excel.csv`.
pub fn file_name(kind: ExportKind, slug: &str, dialect: Dialect) -> String {
    let slug: String = slug
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format!("{}_{}_{}.{}", kind.file_stem(), slug, dialect.as_str(), kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::default_questionnaire::default_questionnaire;
    use std::collections::HashSet;

    fn read(bytes: &[u8], dialect: Dialect) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = match dialect {
            Dialect::Excel => text.strip_prefix('\u{feff}').expect("BOM"),
            Dialect::Standard => {
                assert!(!text.starts_with('\u{feff}'));
                text
            }
        };
        let delimiter = if dialect == Dialect::Excel { b';' } else { b',' };
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn wide_column_codes_are_unique_and_codebook_names_them_all() {
        let q = default_questionnaire();
        for contacts in [false, true] {
            let layout = WideLayout::new(&q, contacts);
            let codes: HashSet<&str> = layout.columns.iter().map(|c| c.code.as_str()).collect();
            assert_eq!(codes.len(), layout.columns.len());
            let mut out = CsvOut::new(Dialect::Standard);
            layout.write_header(&mut out).unwrap();
            let header = read(&out.take().unwrap(), Dialect::Standard).remove(0);
            let mut out = CsvOut::new(Dialect::Standard);
            layout.write_codebook(&mut out, &q, None).unwrap();
            let codebook = read(&out.take().unwrap(), Dialect::Standard);
            let named: Vec<String> = codebook[1..].iter().map(|r| r[0].clone()).collect();
            assert_eq!(named, header);
        }
    }

    #[test]
    fn wide_rows_place_every_kind_of_value() {
        let q = default_questionnaire();
        let layout = WideLayout::new(&q, false);
        let multiple = q
            .questions()
            .find(|x| matches!(&x.kind, QuestionKind::MultipleChoice { other: Some(_), .. }))
            .unwrap();
        let QuestionKind::MultipleChoice { options, .. } = &multiple.kind else { unreachable!() };
        let matrix = q.questions().find(|x| matches!(x.kind, QuestionKind::Matrix { .. })).unwrap();
        let QuestionKind::Matrix { rows, columns } = &matrix.kind else { unreachable!() };
        let number = q.questions().find(|x| matches!(x.kind, QuestionKind::Number { .. })).unwrap();
        let text = q.questions().find(|x| matches!(x.kind, QuestionKind::LongText { .. })).unwrap();

        let mut row = layout.new_row();
        layout.place(&mut row, &multiple.code, "", &options[1].code);
        layout.place(&mut row, &multiple.code, OTHER_ROW, "=Nähcafé; \"offen\"\nmontags");
        layout.place(&mut row, &matrix.code, &rows[0].code, &columns[0].code);
        layout.place(&mut row, &number.code, "", "1.250,5");
        layout.place(&mut row, &text.code, "", "-weniger Bürokratie");
        layout.place(&mut row, "unbekannt", "", "x");
        let meta = ResponseMeta {
            id: 7,
            status: "submitted".into(),
            started_at: Some(1_788_256_800_000),
            submitted_at: Some(1_788_260_400_000),
            org_kind: Some("kita".into()),
            municipalities: vec!["05154008".into(), "05154016".into()],
            ..Default::default()
        };
        for dialect in [Dialect::Excel, Dialect::Standard] {
            let mut out = CsvOut::new(dialect);
            layout.write_header(&mut out).unwrap();
            let mut copy = row.clone();
            layout.write_row(&mut out, &meta, &mut copy).unwrap();
            assert!(
                copy.cells.iter().all(String::is_empty),
                "the row is emptied for the next response"
            );
            let bytes = out.take().unwrap();
            let terminator: &[u8] = if dialect == Dialect::Excel { b"\r\n" } else { b"\n" };
            assert!(bytes.ends_with(terminator));
            if dialect == Dialect::Standard {
                assert!(!bytes.windows(2).any(|w| w == b"\r\n"));
            }
            let records = read(&bytes, dialect);
            let cell = |code: &str| -> &str {
                let index =
                    records[0].iter().position(|c| c == code).unwrap_or_else(|| panic!("{code}"));
                &records[1][index]
            };
            assert_eq!(cell("antwort_id"), "7");
            assert_eq!(cell("kommunen"), "05154008 05154016");
            assert_eq!(cell("art"), "kita");
            let (begun, decimal, other, long) = match dialect {
                Dialect::Excel => (
                    "01.09.2026 12:00:00",
                    "1250,5",
                    "'=Nähcafé; \"offen\"\nmontags",
                    "'-weniger Bürokratie",
                ),
                Dialect::Standard => (
                    "2026-09-01T12:00:00+02:00",
                    "1250.5",
                    "=Nähcafé; \"offen\"\nmontags",
                    "-weniger Bürokratie",
                ),
            };
            assert_eq!(cell("begonnen"), begun);
            assert_eq!(cell(&format!("{}__{}", multiple.code, options[0].code)), "0");
            assert_eq!(cell(&format!("{}__{}", multiple.code, options[1].code)), "1");
            assert_eq!(cell(&format!("{}__sonstiges", multiple.code)), other);
            assert_eq!(cell(&format!("{}__{}", matrix.code, rows[0].code)), columns[0].code);
            assert_eq!(cell(&format!("{}__{}", matrix.code, rows[1].code)), "");
            assert_eq!(cell(&number.code), decimal);
            assert_eq!(cell(&text.code), long);
        }
    }

    #[test]
    fn unanswered_multiple_choice_stays_empty_not_zero() {
        let q = default_questionnaire();
        let layout = WideLayout::new(&q, false);
        let mut out = CsvOut::new(Dialect::Standard);
        let mut row = layout.new_row();
        layout
            .write_row(
                &mut out,
                &ResponseMeta { id: 1, status: "draft".into(), ..Default::default() },
                &mut row,
            )
            .unwrap();
        let records = read(&out.take().unwrap(), Dialect::Standard);
        assert!(records[0][META_COLUMNS.len()..].iter().all(String::is_empty));
    }

    #[test]
    fn long_rows_carry_codes_and_labels() {
        let q = default_questionnaire();
        let layout = LongLayout::new(&q);
        let yes_no = q.questions().find(|x| matches!(x.kind, QuestionKind::YesNo)).unwrap();
        let number = q.questions().find(|x| matches!(x.kind, QuestionKind::Number { .. })).unwrap();
        let mut out = CsvOut::new(Dialect::Excel);
        layout.write_header(&mut out).unwrap();
        layout.write_value(&mut out, 3, &yes_no.code, "", "ja").unwrap();
        layout.write_value(&mut out, 3, &number.code, "", "12,5").unwrap();
        layout.write_value(&mut out, 3, &number.code, "", "zwölf").unwrap();
        let records = read(&out.take().unwrap(), Dialect::Excel);
        assert_eq!(records[0], LONG_COLUMNS);
        assert_eq!(records[1], ["3", yes_no.code.as_str(), "", "ja", "Ja"]);
        assert_eq!(records[2], ["3", number.code.as_str(), "", "", "12,5"]);
        assert_eq!(records[3], ["3", number.code.as_str(), "", "", "zwölf"]);
    }
}

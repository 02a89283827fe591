//! CSV output shared by every file the application hands out: two dialects, cells defused
//! against formula injection, bytes handed out in chunks.

use domain::AppError;

/// The CSV dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// What German Excel opens with a double click: `;`, UTF-8 with BOM, CRLF, decimal comma,
    /// formula-like cells defused.
    #[default]
    Excel,
    /// RFC 4180: `,`, UTF-8 without BOM, LF, decimal point; cells exactly as stored.
    Standard,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excel => "excel",
            Self::Standard => "standard",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "excel" => Some(Self::Excel),
            "standard" => Some(Self::Standard),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Excel => "Excel (Deutsch): Semikolon, Dezimalkomma",
            Self::Standard => "Standard (RFC 4180): Komma, Dezimalpunkt",
        }
    }

    pub fn decimal_comma(self) -> bool {
        self == Self::Excel
    }
}

/// Spreadsheets run a cell that starts with one of these as a formula: prefix an apostrophe.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A timestamp in German local time: `01.09.2026 14:05:09` for Excel, ISO 8601 otherwise.
pub fn format_timestamp(ms: i64, dialect: Dialect) -> String {
    let t = domain::clock::berlin_time(ms);
    match dialect {
        Dialect::Excel => t.german(),
        Dialect::Standard => t.iso(),
    }
}

/// The buffer [`CsvOut`] writes into; shared, because `csv::Writer` lends no mutable access
/// to its writer.
#[derive(Clone, Default)]
struct SharedBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A CSV writer over a growing buffer that the caller drains chunk by chunk.
pub struct CsvOut {
    writer: csv::Writer<SharedBuffer>,
    buffer: SharedBuffer,
    dialect: Dialect,
}

/// Drain [`CsvOut`] when its buffer holds this much.
pub const CHUNK_BYTES: usize = 64 * 1024;

impl CsvOut {
    pub fn new(dialect: Dialect) -> Self {
        let buffer = SharedBuffer::default();
        let mut builder = csv::WriterBuilder::new();
        match dialect {
            Dialect::Excel => {
                if let Ok(mut b) = buffer.0.lock() {
                    b.extend_from_slice("\u{feff}".as_bytes());
                }
                builder.delimiter(b';').terminator(csv::Terminator::CRLF)
            }
            Dialect::Standard => builder.delimiter(b',').terminator(csv::Terminator::Any(b'\n')),
        };
        Self { writer: builder.from_writer(buffer.clone()), buffer, dialect }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// A field whose content came from people (names, free text, labels).
    pub fn text(&mut self, value: &str) -> Result<(), AppError> {
        let cell = if self.dialect == Dialect::Excel { defuse(value) } else { value.into() };
        self.writer.write_field(cell.as_bytes()).map_err(AppError::internal)
    }

    /// A field the export made itself (codes, ids, 0/1, formatted numbers and times), which
    /// cannot start a formula.
    pub fn plain(&mut self, value: &str) -> Result<(), AppError> {
        self.writer.write_field(value.as_bytes()).map_err(AppError::internal)
    }

    pub fn number(&mut self, value: f64) -> Result<(), AppError> {
        let text = domain::locale::format_shortest(value, self.dialect.decimal_comma());
        self.plain(&text)
    }

    pub fn optional_number(&mut self, value: Option<f64>) -> Result<(), AppError> {
        match value {
            Some(v) => self.number(v),
            None => self.plain(""),
        }
    }

    pub fn end_record(&mut self) -> Result<(), AppError> {
        self.writer.write_record(None::<&[u8]>).map_err(AppError::internal)
    }

    pub fn texts<'a>(&mut self, record: impl IntoIterator<Item = &'a str>) -> Result<(), AppError> {
        for field in record {
            self.text(field)?;
        }
        self.end_record()
    }

    /// Whether enough has collected to send a chunk.
    pub fn is_full(&self) -> bool {
        self.buffer.0.lock().map(|b| b.len() >= CHUNK_BYTES).unwrap_or(true)
    }

    /// Everything written so far that has not been taken yet.
    pub fn take(&mut self) -> Result<Vec<u8>, AppError> {
        self.writer.flush().map_err(AppError::internal)?;
        let mut buffer =
            self.buffer.0.lock().map_err(|_| AppError::internal("export buffer poisoned"))?;
        Ok(std::mem::replace(&mut *buffer, Vec::with_capacity(CHUNK_BYTES * 2)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        for bad in ["=1+1", "+49", "-x", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defuse(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(defuse("Kleve"), "Kleve");
    }

    #[test]
    fn chunks_are_taken_as_they_fill() {
        let mut out = CsvOut::new(Dialect::Excel);
        let mut total = out.take().unwrap();
        assert_eq!(total, "\u{feff}".as_bytes());
        while !out.is_full() {
            out.texts(["ein Feld", "noch eines"]).unwrap();
        }
        total.extend(out.take().unwrap());
        assert!(!out.is_full());
        assert!(total.len() >= CHUNK_BYTES);
    }
}

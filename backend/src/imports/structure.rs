//! Which reader a structure file goes to, by its name (and, without a known ending, by its
//! first bytes), and what every reader gives the use case.

use super::limesurvey::{self, CodeMap};
use super::{ImportError, ImportedStructure};

/// Larger structure files are refused with a clear message.
pub const MAX_STRUCTURE_BYTES: usize = limesurvey::lss::MAX_STRUCTURE_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructureFormat {
    /// LimeSurvey's `.lss` (XML).
    Lss,
    /// LimeSurvey's tab-separated `.txt`/`.tsv`.
    Tsv,
    /// XLSForm (`.xlsx`, or an older `.xls`).
    Xlsx,
}

impl StructureFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lss => "lss",
            Self::Tsv => "tsv",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn label(format: &str) -> &'static str {
        match format {
            "lss" => "LimeSurvey-Umfragestruktur (.lss)",
            "tsv" => "LimeSurvey-Struktur, tabulatorgetrennt (.txt/.tsv)",
            "xlsx" => "XLSForm (.xlsx, .xls)",
            _ => "unbekannt",
        }
    }

    /// By the file's ending; a file without a known ending by its first bytes.
    pub fn of(file_name: &str, bytes: &[u8]) -> Result<Self, ImportError> {
        let lower = file_name.trim().to_ascii_lowercase();
        let ending = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ending {
            "lss" | "xml" => return Ok(Self::Lss),
            "txt" | "tsv" => return Ok(Self::Tsv),
            "xlsx" | "xls" => return Ok(Self::Xlsx),
            _ => {}
        }
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = &start[..start.len().min(512)];
        let trimmed: Vec<u8> = start.iter().copied().skip_while(u8::is_ascii_whitespace).collect();
        if trimmed.starts_with(b"<") {
            Ok(Self::Lss)
        } else if start.starts_with(b"PK\x03\x04")
            || start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        {
            Ok(Self::Xlsx)
        } else if start.contains(&b'\t') {
            Ok(Self::Tsv)
        } else {
            Err(ImportError(format!(
                "Die Datei „{file_name}“ hat kein bekanntes Format. Möglich sind eine LimeSurvey-Umfragestruktur (.lss), deren tabulatorgetrennte Fassung (.txt, .tsv) und XLSForm (.xlsx, .xls)."
            )))
        }
    }
}

/// What a reader gives the structure import.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureRead {
    pub structure: ImportedStructure,
    /// A sentence for the report (e.g. the language taken), or empty.
    pub note: String,
    /// For formats whose responses can be imported later.
    pub code_map: Option<CodeMap>,
}

/// Reads a structure file of the given format.
pub fn read_structure(format: StructureFormat, bytes: &[u8]) -> Result<StructureRead, ImportError> {
    if bytes.len() > MAX_STRUCTURE_BYTES {
        return Err(ImportError(format!(
            "Die Datei ist zu groß. Erlaubt sind höchstens {} MB.",
            MAX_STRUCTURE_BYTES / (1024 * 1024)
        )));
    }
    // NUL occurs in no text file of these formats, and PostgreSQL cannot store it.
    if format != StructureFormat::Xlsx && bytes.contains(&0) {
        return Err(ImportError("Die Datei ist keine Textdatei (sie enthält Binärdaten).".into()));
    }
    let limesurvey = |read: Result<limesurvey::LimeSurveyImport, ImportError>| {
        read.map(|r| StructureRead {
            note: r.language_note(),
            structure: r.structure,
            code_map: Some(r.codes),
        })
    };
    match format {
        StructureFormat::Lss => limesurvey(limesurvey::read_lss(bytes)),
        StructureFormat::Tsv => limesurvey(limesurvey::read_tsv(bytes)),
        StructureFormat::Xlsx => super::xlsform::read_with_note(bytes)
            .map(|(structure, note)| StructureRead { structure, note, code_map: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_content() {
        assert_eq!(StructureFormat::of("umfrage.LSS", b""), Ok(StructureFormat::Lss));
        assert_eq!(StructureFormat::of("s.txt", b""), Ok(StructureFormat::Tsv));
        assert_eq!(StructureFormat::of("s.tsv", b""), Ok(StructureFormat::Tsv));
        assert_eq!(StructureFormat::of("f.xlsx", b""), Ok(StructureFormat::Xlsx));
        assert_eq!(StructureFormat::of("datei", b"\xEF\xBB\xBF <?xml"), Ok(StructureFormat::Lss));
        assert_eq!(StructureFormat::of("datei", b"id\tclass"), Ok(StructureFormat::Tsv));
        assert!(StructureFormat::of("bild.png", b"\x89PNG").is_err());
    }

    #[test]
    fn xlsform_goes_to_its_reader() {
        assert_eq!(StructureFormat::of("alt.XLS", b""), Ok(StructureFormat::Xlsx));
        let e = read_structure(StructureFormat::Xlsx, b"PK\x03\x04").unwrap_err();
        assert!(e.0.contains("Excel-Arbeitsmappe"), "{e}");
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/xlsform/alle_typen.xlsx"
        ))
        .unwrap();
        let read = read_structure(StructureFormat::Xlsx, &bytes).unwrap();
        assert_eq!(read.note, "Texte aus der Sprache „Deutsch (de)“ übernommen.");
        assert_eq!(read.structure.questionnaire.title, "Testbefragung Integration");
        assert!(read.code_map.is_none());
    }
}

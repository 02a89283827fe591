//! The catalogue of measures as CSV: one row per measure, in the concept's order, in either
//! dialect (dates and amounts as the dialect writes them, people's texts defused for Excel).

use crate::csv_out::{CsvOut, Dialect};
use domain::concept::{date_for_reading, ConceptTheme};
use domain::AppError;

pub const CATALOGUE_COLUMNS: [&str; 13] = [
    "handlungsfeld",
    "ziel",
    "massnahme",
    "beschreibung",
    "stand",
    "verantwortlich",
    "partner",
    "kommunen",
    "beginn",
    "ende",
    "budget_eur",
    "indikatoren",
    "letzte_notiz",
];

/// A calendar date: `TT.MM.JJJJ` for German Excel, as stored (ISO 8601) otherwise.
fn date(iso: Option<&str>, dialect: Dialect) -> String {
    match (iso, dialect) {
        (None, _) => String::new(),
        (Some(iso), Dialect::Excel) => date_for_reading(iso),
        (Some(iso), Dialect::Standard) => iso.to_string(),
    }
}

/// Euros with two decimals from whole cents, without floating point: `12500,50` or `12500.50`.
fn euros(cents: i64, dialect: Dialect) -> String {
    let separator = if dialect.decimal_comma() { ',' } else { '.' };
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}{separator}{:02}", cents / 100, cents % 100)
}

pub fn write_catalogue(out: &mut CsvOut, themes: &[ConceptTheme]) -> Result<(), AppError> {
    let dialect = out.dialect();
    for c in CATALOGUE_COLUMNS {
        out.plain(c)?;
    }
    out.end_record()?;
    for theme in themes {
        for goal in &theme.goals {
            for m in &goal.measures {
                out.text(&theme.title)?;
                out.text(&goal.title)?;
                out.text(&m.title)?;
                out.text(&m.description)?;
                out.plain(m.status.label())?;
                out.text(&m.responsible)?;
                out.text(&m.partners)?;
                out.plain(&m.where_())?;
                out.plain(&date(m.starts_on.as_deref(), dialect))?;
                out.plain(&date(m.ends_on.as_deref(), dialect))?;
                out.plain(&m.budget_cents.map(|c| euros(c, dialect)).unwrap_or_default())?;
                out.plain(&m.indicators.len().to_string())?;
                // Notes are kept newest first.
                out.plain(&date(m.notes.first().map(|n| n.noted_on.as_str()), dialect))?;
                out.end_record()?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::concept::{GoalView, IndicatorView, MeasureStatus, MeasureView, NoteView};

    fn measure() -> MeasureView {
        MeasureView {
            id: 1,
            goal_id: 1,
            title: "=HYPERLINK(\"http://x\")".into(),
            description: "Zwei Zeilen;\nmit \"Anführung\"".into(),
            responsible: "KI Kreis Kleve".into(),
            responsible_registered: true,
            partners: "-Caritas".into(),
            county_wide: false,
            municipalities: vec!["05154016".into(), "05154036".into()],
            starts_on: Some("2027-01-01".into()),
            ends_on: None,
            budget_cents: Some(1_250_050),
            status: MeasureStatus::InProgress,
            status_history: vec![],
            notes: vec![
                NoteView {
                    noted_on: "2027-02-01".into(),
                    text: "neu".into(),
                    author: "A".into(),
                    created_at: 0,
                },
                NoteView {
                    noted_on: "2027-01-15".into(),
                    text: "alt".into(),
                    author: "A".into(),
                    created_at: 0,
                },
            ],
            indicators: vec![IndicatorView {
                id: 1,
                name: "I".into(),
                unit: String::new(),
                baseline: None,
                baseline_on: None,
                baseline_source: String::new(),
                baseline_evidence_id: None,
                target: None,
                values: vec![],
                revision: 1,
            }],
            revision: 1,
            created_at: 0,
        }
    }

    fn themes() -> Vec<ConceptTheme> {
        let county_wide = MeasureView {
            id: 2,
            title: "Sprachlotsen".into(),
            description: String::new(),
            responsible: String::new(),
            partners: String::new(),
            county_wide: true,
            municipalities: vec![],
            starts_on: None,
            budget_cents: None,
            status: MeasureStatus::Planned,
            notes: vec![],
            indicators: vec![],
            ..measure()
        };
        vec![ConceptTheme {
            code: "bildung".into(),
            title: "Frühe Bildung".into(),
            introduction: String::new(),
            introduction_revision: 0,
            evidence: vec![],
            findings: vec![],
            goals: vec![GoalView {
                id: 1,
                title: "Sprachbildung stärken".into(),
                description: String::new(),
                measures: vec![measure(), county_wide],
                revision: 1,
            }],
        }]
    }

    fn read(dialect: Dialect) -> (Vec<u8>, Vec<Vec<String>>) {
        let mut out = CsvOut::new(dialect);
        write_catalogue(&mut out, &themes()).unwrap();
        let bytes = out.take().unwrap();
        let text = std::str::from_utf8(&bytes).unwrap().trim_start_matches('\u{feff}').to_string();
        let delimiter = if dialect == Dialect::Excel { b';' } else { b',' };
        let rows = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        (bytes, rows)
    }

    #[test]
    fn excel_rows_are_german_and_defused() {
        let (bytes, rows) = read(Dialect::Excel);
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "with BOM");
        assert!(std::str::from_utf8(&bytes).unwrap().contains("\r\n"), "CRLF");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], CATALOGUE_COLUMNS);
        assert_eq!(
            rows[1],
            [
                "Frühe Bildung",
                "Sprachbildung stärken",
                "'=HYPERLINK(\"http://x\")",
                "Zwei Zeilen;\nmit \"Anführung\"",
                "in Umsetzung",
                "KI Kreis Kleve",
                "'-Caritas",
                "Goch, Kleve",
                "01.01.2027",
                "",
                "12500,50",
                "1",
                "01.02.2027",
            ]
        );
        assert_eq!(
            rows[2],
            [
                "Frühe Bildung",
                "Sprachbildung stärken",
                "Sprachlotsen",
                "",
                "geplant",
                "",
                "",
                "kreisweit",
                "",
                "",
                "",
                "0",
                ""
            ]
        );
    }

    #[test]
    fn standard_rows_keep_cells_as_stored() {
        let (bytes, rows) = read(Dialect::Standard);
        assert!(!bytes.starts_with("\u{feff}".as_bytes()), "without BOM");
        assert!(!std::str::from_utf8(&bytes).unwrap().contains('\r'), "LF");
        assert_eq!(rows[0], CATALOGUE_COLUMNS);
        let row = &rows[1];
        assert_eq!(row[2], "=HYPERLINK(\"http://x\")");
        assert_eq!(row[6], "-Caritas");
        assert_eq!(
            (row[8].as_str(), row[10].as_str(), row[12].as_str()),
            ("2027-01-01", "12500.50", "2027-02-01")
        );
    }

    #[test]
    fn euros_come_from_whole_cents() {
        assert_eq!(euros(5, Dialect::Excel), "0,05");
        assert_eq!(euros(100_000_000_000, Dialect::Standard), "1000000000.00");
        assert_eq!(euros(-250, Dialect::Excel), "-2,50");
    }
}

//! The concept as an editable Word file (DOCX), so that the KI can finish the council paper in
//! its office suite: the same chapters as the page, with real heading styles (the office
//! suite builds its table of contents from them) and a page per theme.

use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow, WidthType};
use domain::concept::{ConceptPage, ConceptTheme};
use domain::reference::COUNTY_NAME;
use domain::AppError;
use std::io::Cursor;

/// Heading levels as Word's built-in style ids, so that a table of contents finds them.
const HEADINGS: [(&str, &str, usize); 4] = [
    ("Title", "Title", 48),
    ("Heading1", "heading 1", 36),
    ("Heading2", "heading 2", 28),
    ("Heading3", "heading 3", 24),
];

fn heading(level: usize, text: &str) -> Paragraph {
    Paragraph::new().style(HEADINGS[level].0).add_run(Run::new().add_text(text))
}

/// A paragraph per line of a text, as typed.
fn paragraphs(text: &str) -> Vec<Paragraph> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| Paragraph::new().add_run(Run::new().add_text(line)))
        .collect()
}

fn table(head: &[&str], rows: Vec<Vec<String>>) -> Table {
    let cell = |text: &str, bold: bool| {
        let run = Run::new().add_text(text);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            run.bold()
        } else {
            run
        }))
    };
    let mut all = vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect())];
    all.extend(rows.iter().map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())));
    Table::new(all).width(5000, WidthType::Pct)
}

fn chapter(mut docx: Docx, theme: &ConceptTheme) -> Docx {
    docx = docx.add_paragraph(
        Paragraph::new()
            .style(HEADINGS[1].0)
            .page_break_before(true)
            .add_run(Run::new().add_text(&theme.title)),
    );
    for p in paragraphs(&theme.introduction) {
        docx = docx.add_paragraph(p);
    }
    docx = docx.add_paragraph(heading(2, "Kennzahlen"));
    if theme.evidence.is_empty() {
        docx = docx.add_paragraph(paragraphs("Keine Kennzahlen übernommen.").remove(0));
    } else {
        let rows = theme
            .evidence
            .iter()
            .map(|e| {
                let day = e.taken_at.split(',').next().unwrap_or_default().to_string();
                vec![e.snapshot.value_text.clone(), e.snapshot.describe(), day]
            })
            .collect();
        docx = docx.add_table(table(&["Wert", "Was", "Stand"], rows));
    }
    docx = docx.add_paragraph(heading(2, "Befunde"));
    if theme.findings.is_empty() {
        docx = docx.add_paragraph(paragraphs("Keine Befunde.").remove(0));
    }
    for (i, finding) in theme.findings.iter().enumerate() {
        let text = format!("{}. {}", i + 1, finding.text);
        for p in paragraphs(&text) {
            docx = docx.add_paragraph(p);
        }
    }
    docx = docx.add_paragraph(heading(2, "Ziele und Maßnahmen"));
    if theme.goals.is_empty() {
        docx = docx.add_paragraph(paragraphs("Keine Ziele.").remove(0));
    }
    for goal in &theme.goals {
        docx = docx.add_paragraph(heading(3, &goal.title));
        for p in paragraphs(&goal.description) {
            docx = docx.add_paragraph(p);
        }
        if goal.measures.is_empty() {
            docx = docx.add_paragraph(paragraphs("Noch keine Maßnahmen.").remove(0));
            continue;
        }
        let rows = goal
            .measures
            .iter()
            .map(|m| {
                vec![
                    m.title.clone(),
                    m.status.label().to_string(),
                    m.where_(),
                    m.period(),
                    if m.responsible.is_empty() { "–".into() } else { m.responsible.clone() },
                ]
            })
            .collect();
        docx =
            docx.add_table(table(&["Maßnahme", "Stand", "Wo", "Zeitraum", "Verantwortlich"], rows));
    }
    docx
}

/// The whole concept as a DOCX file.
pub fn concept_docx(page: &ConceptPage) -> Result<Vec<u8>, AppError> {
    let mut docx = Docx::new();
    for (level, (id, name, size)) in HEADINGS.into_iter().enumerate() {
        let style = Style::new(id, StyleType::Paragraph).name(name).size(size).bold();
        // Outline levels let the office suite list the headings in its table of contents.
        docx = docx.add_style(if level == 0 { style } else { style.outline_lvl(level - 1) });
    }
    docx = docx
        .add_paragraph(heading(0, &format!("Integrationskonzept {COUNTY_NAME}")))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(format!(
            "Handlungsfelder, Befunde, Ziele und Maßnahmen. Stand: {}",
            page.as_of
        ))))
        .add_paragraph(heading(2, "Inhalt"));
    for (i, theme) in page.themes.iter().enumerate() {
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(format!(
            "{}. {}",
            i + 1,
            theme.title
        ))));
    }
    for theme in &page.themes {
        docx = chapter(docx, theme);
    }
    let mut out = Cursor::new(Vec::new());
    docx.pack(&mut out).map_err(AppError::internal)?;
    Ok(out.into_inner())
}

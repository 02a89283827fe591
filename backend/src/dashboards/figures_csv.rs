//! The dashboard figures as CSV: one row per figure, with the same suppression as the pages.

use crate::csv_out::CsvOut;
use domain::stats::{Figure, Share, ThemeFigures, MEAN_PLACES, PERCENT_PLACES, TOO_FEW};
use domain::AppError;

pub const AGGREGATE_COLUMNS: [&str; 12] = [
    "thema",
    "frage",
    "fragetext",
    "fragetyp",
    "zeile",
    "zeile_text",
    "kennzahl",
    "code",
    "beschriftung",
    "anzahl",
    "wert",
    "n",
];

/// One record of the aggregates file.
struct Line<'a> {
    row: &'a str,
    row_label: &'a str,
    measure: &'a str,
    code: &'a str,
    label: &'a str,
    count: Option<u64>,
    value: Option<f64>,
    n: Option<u64>,
    /// Decimals, as the dashboard pages show them.
    places: usize,
}

impl<'a> Line<'a> {
    fn measure(measure: &'a str) -> Self {
        Line {
            row: "",
            row_label: "",
            measure,
            code: "",
            label: "",
            count: None,
            value: None,
            n: None,
            places: MEAN_PLACES,
        }
    }

    fn share(share: &'a Share, n: u64) -> Self {
        Line {
            code: &share.code,
            label: &share.label,
            count: Some(share.count),
            value: Some(share.percent),
            n: Some(n),
            places: PERCENT_PLACES,
            ..Self::measure("anteil_prozent")
        }
    }
}

pub fn write_header(out: &mut CsvOut) -> Result<(), AppError> {
    for c in AGGREGATE_COLUMNS {
        out.plain(c)?;
    }
    out.end_record()
}

/// Writes every figure of a theme: shares (`anteil_prozent`, with the count), means, medians,
/// number summaries, and `zu wenige Antworten` where the page suppresses.
pub fn write_theme(out: &mut CsvOut, theme: &ThemeFigures) -> Result<(), AppError> {
    // The theme's own n: how many responses the figures are drawn from.
    let respondents = Line {
        count: Some(theme.respondents),
        n: Some(theme.respondents),
        ..Line::measure("antworten")
    };
    if theme.suppressed {
        return write_line(out, theme, None, &Line::measure(TOO_FEW));
    }
    write_line(out, theme, None, &respondents)?;
    for question in &theme.questions {
        let q = Some(question);
        match &question.figure {
            Figure::Suppressed => write_line(out, theme, q, &Line::measure(TOO_FEW))?,
            Figure::Choices { options, other_count, .. } => {
                for share in options {
                    write_line(out, theme, q, &Line::share(share, question.n))?;
                }
                if *other_count > 0 {
                    write_line(
                        out,
                        theme,
                        q,
                        &Line {
                            count: Some(*other_count),
                            n: Some(question.n),
                            ..Line::measure("sonstiges_anzahl")
                        },
                    )?;
                }
            }
            Figure::Rating { options, rated, mean, median, .. } => {
                for share in options {
                    write_line(out, theme, q, &Line::share(share, question.n))?;
                }
                write_line(
                    out,
                    theme,
                    q,
                    &Line { value: *mean, n: Some(*rated), ..Line::measure("mittelwert") },
                )?;
                write_line(
                    out,
                    theme,
                    q,
                    &Line { value: *median, n: Some(*rated), ..Line::measure("median") },
                )?;
            }
            Figure::Matrix { rows, .. } => {
                for row in rows {
                    let base =
                        Line { row: &row.code, row_label: &row.label, ..Line::measure(TOO_FEW) };
                    let Some(cells) = &row.cells else {
                        write_line(out, theme, q, &base)?;
                        continue;
                    };
                    for share in cells {
                        write_line(
                            out,
                            theme,
                            q,
                            &Line {
                                row: &row.code,
                                row_label: &row.label,
                                ..Line::share(share, row.n)
                            },
                        )?;
                    }
                    if row.mean.is_some() {
                        write_line(
                            out,
                            theme,
                            q,
                            &Line {
                                value: row.mean,
                                n: Some(row.n),
                                ..Line { measure: "mittelwert", ..base }
                            },
                        )?;
                        write_line(
                            out,
                            theme,
                            q,
                            &Line {
                                value: row.median,
                                n: Some(row.n),
                                ..Line { measure: "median", ..base }
                            },
                        )?;
                    }
                }
            }
            Figure::Number { n, mean, median, sum } => {
                for (measure, value) in [("mittelwert", mean), ("median", median), ("summe", sum)] {
                    write_line(
                        out,
                        theme,
                        q,
                        &Line { value: Some(*value), n: Some(*n), ..Line::measure(measure) },
                    )?;
                }
            }
            Figure::Texts { .. } => {
                write_line(
                    out,
                    theme,
                    q,
                    &Line {
                        count: Some(question.n),
                        n: Some(question.n),
                        ..Line::measure("texte_anzahl")
                    },
                )?;
            }
        }
    }
    Ok(())
}

fn write_line(
    out: &mut CsvOut,
    theme: &ThemeFigures,
    question: Option<&domain::stats::QuestionFigures>,
    line: &Line,
) -> Result<(), AppError> {
    out.plain(&theme.code)?;
    out.plain(question.map(|q| q.code.as_str()).unwrap_or(""))?;
    out.text(question.map(|q| q.text.as_str()).unwrap_or(&theme.title))?;
    out.plain(question.map(|q| q.kind.as_str()).unwrap_or("thema"))?;
    out.plain(line.row)?;
    out.text(line.row_label)?;
    out.plain(line.measure)?;
    out.plain(line.code)?;
    out.text(line.label)?;
    out.plain(&line.count.map(|c| c.to_string()).unwrap_or_default())?;
    let value = line
        .value
        .map(|v| domain::locale::format_decimal(v, line.places, out.dialect().decimal_comma()));
    out.plain(value.as_deref().unwrap_or(""))?;
    out.plain(&line.n.map(|n| n.to_string()).unwrap_or_default())?;
    out.end_record()
}

//! A theme's figures as accessible charts: drawn on the server (no script needed), each with
//! a text alternative, a table view and its numbers as CSV.

use domain::disclosure::{EXPLANATION_PATH, VIEW_WITHHELD};
use domain::locale::{format_decimal, format_percent};
use domain::stats::{
    Figure, MatrixRow, QuestionFigures, Share, TextCount, ThemeFigures, MEAN_PLACES,
    PERCENT_PLACES, TOO_FEW,
};
use leptos::prelude::*;

pub fn percent(value: f64) -> String {
    format_percent(value, PERCENT_PLACES)
}

pub fn decimal(value: f64) -> String {
    format_decimal(value, MEAN_PLACES, true)
}

/// Colours of stacked segments: each has at least 3:1 contrast to white, and segments are
/// separated by white gaps, so no information rests on telling two colours apart (the legend
/// and the table say the same).
const PALETTE: [&str; 6] = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#455a64", "#a3195b"];

fn share_text(s: &Share) -> String {
    format!("{}: {} ({})", s.label, percent(s.percent), s.count)
}

// Charts are HTML rows (label, bar, value) with the bar alone drawn as a stretched SVG: the
// texts keep the page's font size and wrap at any width (WCAG 1.4.4, 1.4.10) instead of
// scaling down with a drawing, and no inline style is needed for the bar lengths (the
// Content-Security-Policy allows none). The bar's SVG is 100 units wide: units are percent.

/// A bar of `segments` (start, width in percent, colour), stretched to its grid cell.
fn bar(segments: Vec<(f64, f64, &'static str)>) -> impl IntoView {
    view! {
        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true">
            <rect x="0" y="0" width="100" height="10" class="bar-track" vector-effect="non-scaling-stroke"/>
            {segments.into_iter().map(|(x, width, colour)| view! {
                <rect x=x y="0" width=width height="10" fill=colour class="segment" vector-effect="non-scaling-stroke"/>
            }).collect_view()}
        </svg>
    }
}

/// Horizontal bars, one per option.
#[component]
fn Bars(id: String, shares: Vec<Share>, n: u64) -> impl IntoView {
    let title_id = format!("{id}-titel");
    let labelled_by = title_id.clone();
    let alternative = format!(
        "Balkendiagramm, n = {n}. {}",
        shares.iter().map(share_text).collect::<Vec<_>>().join("; ")
    );
    view! {
        <div class="chart" role="img" aria-labelledby=labelled_by>
            <span class="visually-hidden" id=title_id>{alternative}</span>
            {shares.into_iter().map(|s| {
                // A count above zero stays visible as a sliver.
                let width = s.percent.max(if s.count > 0 { 0.5 } else { 0.0 });
                view! {
                    <div class="chart-row">
                        <span class="chart-label">{s.label.clone()}</span>
                        {bar(vec![(0.0, width, PALETTE[0])])}
                        <span class="chart-value">{format!("{} ({})", percent(s.percent), s.count)}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// The key figures of a chapter of the integration concept: its evidence, shares as bars,
/// every value written beside its bar.
#[component]
pub fn KeyFigures(id: String, evidence: Vec<domain::concept::EvidenceView>) -> impl IntoView {
    let title_id = format!("{id}-titel");
    let labelled_by = title_id.clone();
    let alternative = format!(
        "Balkendiagramm der Kennzahlen. {}",
        evidence
            .iter()
            .map(|e| format!("{}: {}", e.snapshot.describe(), e.snapshot.value_text))
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <div class="chart" role="img" aria-labelledby=labelled_by>
            <span class="visually-hidden" id=title_id>{alternative}</span>
            {evidence.into_iter().map(|e| {
                let s = e.snapshot;
                view! {
                    <div class="chart-row">
                        <span class="chart-label">{s.describe()}</span>
                        {match s.bar_percent() {
                            Some(width) => bar(vec![(0.0, width, PALETTE[0])]).into_any(),
                            None => view! { <span></span> }.into_any(),
                        }}
                        <span class="chart-value">{s.value_text.clone()}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// One stacked bar per matrix row over the columns.
#[component]
fn StackedBars(id: String, columns: Vec<domain::Choice>, rows: Vec<MatrixRow>) -> impl IntoView {
    let title_id = format!("{id}-titel");
    let labelled_by = title_id.clone();
    let alternative = format!(
        "Gestapelte Balken je Zeile. {}",
        rows.iter()
            .map(|r| match &r.cells {
                Some(cells) => format!(
                    "{} (n = {}): {}",
                    r.label,
                    r.n,
                    cells.iter().map(share_text).collect::<Vec<_>>().join(", ")
                ),
                None => format!("{}: {TOO_FEW}", r.label),
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <div class="chart" role="img" aria-labelledby=labelled_by>
            <span class="visually-hidden" id=title_id>{alternative}</span>
            {rows.into_iter().map(|row| {
                let mut x = 0.0;
                let segments: Vec<(f64, f64, &'static str)> = row.cells.clone().unwrap_or_default().into_iter().enumerate().map(|(c, cell)| {
                    let at = x;
                    x += cell.percent;
                    (at, cell.percent, PALETTE[c % PALETTE.len()])
                }).collect();
                view! {
                    <div class="chart-row">
                        <span class="chart-label">{row.label.clone()}</span>
                        {if row.cells.is_some() {
                            view! { {bar(segments)}<span class="chart-value">{format!("n = {}", row.n)}</span> }.into_any()
                        } else {
                            view! { <span class="chart-value too-few">{TOO_FEW}</span> }.into_any()
                        }}
                    </div>
                }
            }).collect_view()}
        </div>
        <ul class="legend" aria-hidden="true">
            {columns.iter().enumerate().map(|(c, col)| view! {
                // An SVG fill, not an inline style: the Content-Security-Policy allows no inline styles.
                <li><svg class="swatch" viewBox="0 0 16 16" focusable="false"><rect width="16" height="16" fill=PALETTE[c % PALETTE.len()]/></svg>{col.label.clone()}</li>
            }).collect_view()}
        </ul>
    }
}

/// The table view of a chart, folded (works without script).
#[component]
pub fn TableView(caption: String, head: Vec<String>, rows: Vec<Vec<String>>) -> impl IntoView {
    let region = caption.clone();
    view! {
        <details class="table-view">
            <summary>"Als Tabelle anzeigen"</summary>
            <div class="table-scroll" tabindex="0" role="region" aria-label=region>
                <table class="data">
                    <caption>{caption}</caption>
                    <thead><tr>{head.into_iter().enumerate().map(|(i, h)| view! { <th scope="col" class={if i > 0 { "num" } else { "" }}>{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>{r.into_iter().enumerate().map(|(i, c)| if i == 0 {
                                view! { <th scope="row">{c}</th> }.into_any()
                            } else {
                                view! { <td class="num">{c}</td> }.into_any()
                            }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

fn share_rows(shares: &[Share]) -> Vec<Vec<String>> {
    shares.iter().map(|s| vec![s.label.clone(), s.count.to_string(), percent(s.percent)]).collect()
}

/// Where a theme page's figures can be taken over as evidence for the integration concept:
/// the questionnaire, the theme, the view and the session's CSRF token.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceTarget {
    pub questionnaire_id: i64,
    pub theme: String,
    pub view_query: String,
    pub csrf: String,
}

/// "Als Beleg übernehmen" for the values of one figure: a plain form post of identifiers only;
/// the server recomputes the value and takes only what the page shows.
#[component]
fn EvidenceForm(target: EvidenceTarget, figure: QuestionFigures) -> impl IntoView {
    let values = domain::concept::shown_values(&figure);
    if values.is_empty() {
        return ().into_any();
    }
    let id = format!("beleg-{}", figure.code);
    view! {
        <form method="post" action=format!("/konzept/{}/belege", target.theme) class="evidence-form no-print">
            <crate::components::admin::Csrf token=target.csrf/>
            <input type="hidden" name="fragebogen" value=target.questionnaire_id.to_string()/>
            <input type="hidden" name="frage" value=figure.code.clone()/>
            <input type="hidden" name="ansicht" value=target.view_query/>
            <label for=id.clone()>{format!("Wert für das Integrationskonzept: {}", figure.text)}</label>
            <select id=id name="eintrag">
                {values.into_iter().map(|(item, v)| {
                    let label = if v.item_label.is_empty() { v.value_text } else { format!("{}: {}", v.item_label, v.value_text) };
                    view! { <option value=item>{label}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button secondary">"Als Beleg übernehmen"</button>
        </form>
    }
    .into_any()
}

/// One question's figure with its n, chart, table and CSV link.
#[component]
pub fn QuestionFigure(
    figure: QuestionFigures,
    csv_href: String,
    #[prop(optional)] matching: Option<TextCount>,
    #[prop(optional)] texts_county_only: bool,
    #[prop(default = None)] evidence: Option<EvidenceTarget>,
) -> impl IntoView {
    let id = format!("fig-{}", figure.code);
    let heading_id = format!("{id}-frage");
    let labelled_by = heading_id.clone();
    let n = figure.n;
    let body = match figure.figure.clone() {
        Figure::Suppressed => {
            view! { <p class="suppressed">{format!("{TOO_FEW} (n wird nicht angezeigt)")}</p> }
                .into_any()
        }
        Figure::Choices { options, other_count, others } => {
            let rows = share_rows(&options);
            view! {
                <p class="n">{format!("n = {n} Antworten; Anteile an allen, die geantwortet haben")}{(figure.kind == "multiple_choice").then_some(" (Mehrfachauswahl: die Summe kann über 100 % liegen)")}</p>
                <Bars id=id.clone() shares=options n=n/>
                <TableView caption=format!("{} (n = {n})", figure.text) head=vec!["Antwort".into(), "Anzahl".into(), "Anteil".into()] rows=rows/>
                {(other_count > 0).then(|| view! {
                    <p>{format!("„Sonstiges“ genannt: {other_count}")}</p>
                    <TextList texts=others matching=matching county_only=texts_county_only/>
                })}
            }.into_any()
        }
        Figure::Rating { options, cannot_judge, rated, mean, median } => {
            let rows = share_rows(&options);
            view! {
                <p class="n">{format!("n = {n}; davon „kann ich nicht beurteilen“: {cannot_judge}")}</p>
                <p class="key-figures">
                    {match (mean, median) {
                        (Some(m), Some(md)) => format!("Mittelwert {} · Median {} (über {rated} Bewertungen ohne „kann ich nicht beurteilen“)", decimal(m), decimal(md)),
                        _ => format!("Mittelwert und Median: {TOO_FEW}"),
                    }}
                </p>
                <Bars id=id.clone() shares=options n=n/>
                <TableView caption=format!("{} (n = {n})", figure.text) head=vec!["Bewertung".into(), "Anzahl".into(), "Anteil".into()] rows=rows/>
            }.into_any()
        }
        Figure::Matrix { columns, rows } => {
            let mut head = vec!["Zeile".to_string(), "n".to_string()];
            head.extend(columns.iter().map(|c| c.label.clone()));
            let scale = rows.iter().any(|r| r.mean.is_some());
            if scale {
                head.push("Mittelwert".into());
                head.push("Median".into());
            }
            let table_rows = rows
                .iter()
                .map(|r| {
                    let mut cells = vec![r.label.clone()];
                    match &r.cells {
                        Some(shares) => {
                            cells.push(r.n.to_string());
                            cells.extend(
                                shares
                                    .iter()
                                    .map(|s| format!("{} ({})", percent(s.percent), s.count)),
                            );
                            if scale {
                                cells.push(r.mean.map(decimal).unwrap_or_else(|| "–".into()));
                                cells.push(r.median.map(decimal).unwrap_or_else(|| "–".into()));
                            }
                        }
                        None => {
                            cells.push(TOO_FEW.into());
                            cells.extend(std::iter::repeat_n(
                                "–".to_string(),
                                columns.len() + if scale { 2 } else { 0 },
                            ));
                        }
                    }
                    cells
                })
                .collect();
            view! {
                <p class="n">{format!("n = {n} Antworten; jede Zeile nennt ihr eigenes n")}</p>
                <StackedBars id=id.clone() columns=columns rows=rows/>
                <TableView caption=format!("{} (n = {n})", figure.text) head=head rows=table_rows/>
            }
            .into_any()
        }
        Figure::Number { n: numbers, mean, median, sum } => view! {
            <dl class="facts-list number-figure">
                <dt>"n"</dt><dd>{numbers}</dd>
                <dt>"Mittelwert"</dt><dd>{decimal(mean)}</dd>
                <dt>"Median"</dt><dd>{decimal(median)}</dd>
                <dt>"Summe"</dt><dd>{decimal(sum)}</dd>
            </dl>
        }
        .into_any(),
        Figure::Texts { texts } => view! {
            <p class="n">{format!("n = {n} Texte")}</p>
            <TextList texts=texts matching=matching county_only=texts_county_only/>
        }
        .into_any(),
    };
    view! {
        <section class="figure" aria-labelledby=labelled_by>
            <h3 id=heading_id>{figure.text.clone()}</h3>
            {body}
            {(!matches!(figure.figure, Figure::Suppressed | Figure::Texts { .. })).then(|| view! {
                <p class="csv-link"><a href=csv_href download="">"Daten als CSV"<span class="visually-hidden">{format!(": {}", figure.text)}</span></a></p>
            })}
            {evidence.map(|target| view! { <EvidenceForm target=target figure=figure.clone()/> })}
        </section>
    }
}

/// Free texts, without naming who wrote them.
#[component]
fn TextList(texts: Vec<String>, matching: Option<TextCount>, county_only: bool) -> impl IntoView {
    let shown = texts.len();
    view! {
        {matching.filter(|m| m.exceeds(shown)).map(|m| view! { <p class="hint">{format!("Die neuesten {shown} von {} passenden Texten; die Suche grenzt sie ein.", m.describe())}</p> })}
        {if county_only {
            view! { <p>"Die Texte werden nur in der Ansicht des ganzen Kreises gezeigt."</p> }.into_any()
        } else if texts.is_empty() {
            view! { <p>"Keine Texte."</p> }.into_any()
        } else {
            view! { <ul class="texts">{texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any()
        }}
    }
}

/// All figures of a theme; `csv_base` is the theme's CSV address with the filter, to which
/// `frage=` is added per question.
#[component]
pub fn ThemeFiguresView(
    figures: ThemeFigures,
    csv_base: String,
    #[prop(optional)] text_matches: Vec<(String, TextCount)>,
    #[prop(optional)] texts_county_only: bool,
    #[prop(default = None)] evidence: Option<EvidenceTarget>,
) -> impl IntoView {
    if figures.suppressed {
        return view! {
            <p class="suppressed">{format!("{TOO_FEW}. {VIEW_WITHHELD} ")}<a href=EXPLANATION_PATH>"Mehr zum Schutz kleiner Gruppen"</a></p>
        }
        .into_any();
    }
    let separator = if csv_base.contains('?') { "&" } else { "?" };
    view! {
        <p class="n">{format!("Grundlage: {} abgeschickte Antworten.", figures.respondents)}</p>
        {figures.questions.into_iter().map(|q| {
            let href = format!("{csv_base}{separator}frage={}", q.code);
            let matching = text_matches.iter().find(|(code, _)| *code == q.code).map(|(_, m)| *m);
            let evidence = evidence.clone();
            view! { <QuestionFigure figure=q csv_href=href matching=matching.unwrap_or(TextCount::Exactly(0)) texts_county_only=texts_county_only evidence=evidence/> }
        }).collect_view()}
    }
    .into_any()
}

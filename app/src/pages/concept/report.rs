//! The council's progress report (`/konzept/sachstand?seit=DATUM`): measures by status per
//! theme and per municipality, what changed since the date, indicators against their targets;
//! printable, with the catalogue of measures as CSV. The date comes from a GET form, so the
//! report works without script and can be bookmarked.

use super::{fns, measure_href};
use crate::components::admin::{AdminNav, FieldMessage, FormErrors};
use crate::components::{loaded, Loading};
use domain::concept::{date_for_reading, MeasureStatus};
use domain::concept_report::{change_summary, Change, IndicatorProgress, StatusRow, SINCE_FIELD};
use domain::reference::COUNTY_NAME;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/konzept/sachstand";

/// A table of measures by status: a row per theme or municipality, a column per status.
#[component]
fn StatusTable(
    id: &'static str,
    caption: String,
    first_column: &'static str,
    rows: Vec<StatusRow>,
    footer: StatusRow,
) -> impl IntoView {
    let cells = |row: &StatusRow| {
        let counts = row.counts;
        view! {
            {MeasureStatus::ALL.into_iter().map(|s| view! { <td class="num">{counts.of(s)}</td> }).collect_view()}
            <td class="num">{counts.total()}</td>
        }
    };
    let region = caption.clone();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=region id=id>
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first_column}</th>
                        {MeasureStatus::ALL.into_iter().map(|s| view! { <th scope="col" class="num">{s.label()}</th> }).collect_view()}
                        <th scope="col" class="num">"Gesamt"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.iter().map(|row| view! { <tr><th scope="row">{row.label.clone()}</th>{cells(row)}</tr> }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row">{footer.label.clone()}</th>{cells(&footer)}</tr>
                </tfoot>
            </table>
        </div>
    }
}

/// What changed since the date, oldest first.
#[component]
fn ChangesTable(since: String, changes: Vec<Change>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p>{format!("Seit dem {since} wurde nichts erfasst.")}</p> }.into_any();
    }
    let caption = format!("Änderungen seit dem {since}");
    let region = caption.clone();
    view! {
        <p>{format!("{}.", change_summary(&changes))}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr><th scope="col">"Datum"</th><th scope="col">"Handlungsfeld"</th><th scope="col">"Maßnahme"</th><th scope="col">"Änderung"</th><th scope="col">"Einzelheiten"</th></tr>
                </thead>
                <tbody>
                    {changes.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.on_for_reading()}</td>
                            <td>{c.theme_title.clone()}</td>
                            <th scope="row"><a href=measure_href(&c.theme_code, c.measure_id)>{c.measure_title.clone()}</a></th>
                            <td>{c.what.label()}</td>
                            <td class="prose">{c.what.details()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The indicators against their targets.
#[component]
fn IndicatorsTable(indicators: Vec<IndicatorProgress>) -> impl IntoView {
    if indicators.is_empty() {
        return view! { <p>"Noch keine Indikatoren."</p> }.into_any();
    }
    let caption = "Indikatoren: Ausgangswert, aktueller Wert und Zielwert".to_string();
    let region = caption.clone();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Handlungsfeld"</th><th scope="col">"Maßnahme"</th><th scope="col">"Indikator"</th>
                        <th scope="col">"Ausgangswert"</th><th scope="col">"Aktueller Wert"</th><th scope="col">"Zielwert"</th>
                        <th scope="col" class="num">"Fortschritt"</th>
                    </tr>
                </thead>
                <tbody>
                    {indicators.into_iter().map(|i| view! {
                        <tr>
                            <td>{i.theme_title.clone()}</td>
                            <td><a href=measure_href(&i.theme_code, i.measure_id)>{i.measure_title.clone()}</a></td>
                            <th scope="row">{i.name.clone()}</th>
                            <td>{i.baseline_text()}</td>
                            <td>{i.latest_text()}</td>
                            <td>{i.target_text()}</td>
                            <td class="num">{i.progress_text()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn StatusReportPage() -> impl IntoView {
    let query = use_query_map();
    let since = Memo::new(move |_| query.read().get(SINCE_FIELD).unwrap_or_default());
    let data = Resource::new(move || since.get(), fns::status_report);
    view! {
        <Title text="Sachstandsbericht zum Integrationskonzept"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, _flash)| {
                    let field_error = p.form.error(SINCE_FIELD);
                    let since_text = p.since.as_deref().map(date_for_reading);
                    let tables = p.tables.clone();
                    let lead = match &since_text {
                        Some(since) => format!("Stand: {}. Änderungen seit dem {since}.", p.as_of),
                        None => format!("Stand: {}.", p.as_of),
                    };
                    view! {
                        <AdminNav me=p.me.clone() current="/konzept"/>
                        <nav aria-label="Brotkrümelpfad" class="breadcrumb no-print"><a href="/konzept">"Integrationskonzept"</a>" › Sachstandsbericht"</nav>
                        <h1>{format!("Sachstandsbericht zum Integrationskonzept {COUNTY_NAME}")}</h1>
                        <p class="lead">{lead}</p>
                        <FormErrors problems=p.form.clone()/>
                        <form method="get" action=PATH class="no-print">
                            <div class="field" class:has-error=field_error.is_some()>
                                <label for=SINCE_FIELD>"Änderungen seit"</label>
                                <p class="hint" id="seit-hinweis">"Ein Datum wie 01.01.2026; ohne Angabe der Jahresbeginn."</p>
                                <FieldMessage id=SINCE_FIELD.to_string() error=field_error.clone()/>
                                <input type="date" id=SINCE_FIELD name=SINCE_FIELD value=p.form.value(SINCE_FIELD)
                                    aria-invalid=field_error.is_some().then_some("true")
                                    aria-describedby=if field_error.is_some() { "seit-hinweis seit-fehler" } else { "seit-hinweis" }/>
                            </div>
                            <button type="submit" class="button primary">"Bericht zeigen"</button>
                        </form>
                        <p class="no-print">"Zum Drucken oder Speichern als PDF nutzen Sie die Druckfunktion Ihres Browsers (Strg+P). Navigation und Formulare werden nicht mitgedruckt."</p>
                        <p class="downloads no-print">
                            "Maßnahmenkatalog als CSV: "
                            <a href="/konzept/massnahmen.csv?dialekt=excel" download="">"Excel (Deutsch)"<span class="visually-hidden">": Semikolon, Dezimalkomma"</span></a>
                            " · "
                            <a href="/konzept/massnahmen.csv?dialekt=standard" download="">"Standard (RFC 4180)"<span class="visually-hidden">": Komma, Dezimalpunkt"</span></a>
                        </p>

                        <section class="report-section" aria-labelledby="nach-handlungsfeld">
                            <h2 id="nach-handlungsfeld">"Maßnahmen nach Stand und Handlungsfeld"</h2>
                            <StatusTable id="tabelle-handlungsfelder" caption="Maßnahmen je Handlungsfeld nach Stand".to_string() first_column="Handlungsfeld"
                                rows=tables.by_theme.clone()
                                footer=StatusRow { key: String::new(), label: "Alle Handlungsfelder".into(), counts: tables.all }/>
                        </section>

                        <section class="report-section" aria-labelledby="nach-kommune">
                            <h2 id="nach-kommune">"Maßnahmen nach Stand und Kommune"</h2>
                            <p>"Kreisweite Maßnahmen zählen bei jeder Kommune mit, Maßnahmen für mehrere Kommunen bei jeder von ihnen. Die Zeilen ergeben zusammen daher mehr als die Zahl der Maßnahmen."</p>
                            <StatusTable id="tabelle-kommunen" caption="Maßnahmen je Kommune nach Stand (kreisweite in jeder Kommune mitgezählt)".to_string() first_column="Kommune"
                                rows=tables.by_municipality.clone()
                                footer=StatusRow { key: String::new(), label: "darunter kreisweit (in jeder Zeile enthalten)".into(), counts: tables.county_wide }/>
                        </section>

                        <section class="report-section" aria-labelledby="aenderungen">
                            <h2 id="aenderungen">{match &since_text { Some(since) => format!("Änderungen seit dem {since}"), None => "Änderungen".to_string() }}</h2>
                            {match since_text.clone() {
                                Some(since) => view! {
                                    <p class="hint">"Neue Maßnahmen, Änderungen des Stands, Notizen zum Fortschritt und Indikatorwerte, die seit diesem Tag erfasst wurden, die ältesten zuerst. Notizen und Werte stehen mit dem Datum, auf das sie sich beziehen."</p>
                                    <ChangesTable since=since changes=p.changes.clone()/>
                                }.into_any(),
                                None => view! { <p>"Bitte korrigieren Sie oben das Datum; dann zeigt der Bericht, was sich seit diesem Tag geändert hat."</p> }.into_any(),
                            }}
                        </section>

                        <section class="report-section" aria-labelledby="indikatoren-ziele">
                            <h2 id="indikatoren-ziele">"Indikatoren und Zielwerte"</h2>
                            <p class="hint">"Fortschritt: welcher Anteil des Wegs vom Ausgangswert zum Zielwert mit dem aktuellen Wert geschafft ist (unter 0 %, wenn er sich entfernt hat; über 100 %, wenn das Ziel übertroffen ist). „–“, wenn einer der drei Werte fehlt."</p>
                            <IndicatorsTable indicators=p.indicators.clone()/>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

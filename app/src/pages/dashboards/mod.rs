//! The working groups' dashboards: the needs-and-inventory overview, a page per theme and a
//! printable report. Filters live in the URL (GET forms), so every view can be bookmarked and
//! shared and works without script.

mod fns;

use crate::components::admin::{AdminNav, FieldMessage, FormErrors};
use crate::components::figures::{decimal, percent, EvidenceTarget, ThemeFiguresView};
use crate::components::filter::{municipality_items, org_kind_items, ViewSelect};
use crate::components::{loaded, Loading};
use domain::county_map::county_map;
use domain::dashboard::{FilterView, HeatCell, HeatRow, ThemePage, GAP_CLASSES, SEARCH_FIELD};
use domain::disclosure::EXPLANATION_PATH;
use domain::filter::{last_value, parse_query};
use domain::staff::Flash;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};
use std::collections::BTreeMap;

fn raw_query() -> Memo<String> {
    let location = use_location();
    Memo::new(move |_| location.search.get().trim_start_matches('?').to_string())
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// The view form of a theme page: the whole county, one municipality, one kind of
/// organisation or one month, one at a time (the publication lattice of `domain::disclosure`).
/// It sends a GET to the same page.
#[component]
fn FilterForm(action: String, questionnaire_id: i64, filter: FilterView) -> impl IntoView {
    let reset = action.clone();
    let chosen = filter.form.clone();
    let select = move |name: &'static str,
                       label: &'static str,
                       all: &'static str,
                       items: Vec<(String, String)>| {
        view! { <ViewSelect chosen=chosen.clone() name label all items hint_id="ansicht-hinweis"/> }
    };
    let municipalities = municipality_items();
    let kinds = org_kind_items();
    let months = filter.months.iter().map(|m| (m.to_query(), m.label())).collect();
    view! {
        <details class="filter-box" open=!filter.form.values.is_empty() || !filter.form.errors.is_empty()>
            <summary>{format!("Ansicht: {}", if filter.description.is_empty() { "fehlerhaft".to_string() } else { filter.description.clone() })}</summary>
            <form method="get" action=action>
                <input type="hidden" name="fragebogen" value=questionnaire_id.to_string()/>
                <fieldset class="filter">
                    <legend>"Welche Antworten?"</legend>
                    <p class="hint" id="ansicht-hinweis">
                        "Wählen Sie eine Kommune, eine Art der Organisation oder einen Monat – eines davon, nicht mehreres zugleich. Feinere Auswahlen werden nicht gezeigt, damit sich aus mehreren Ansichten keine Angaben über einzelne Organisationen errechnen lassen. "
                        <a href=EXPLANATION_PATH>"Warum? Zum Schutz kleiner Gruppen"</a>
                    </p>
                    {select("gemeinde", "Kommune", "ganzer Kreis", municipalities)}
                    {select("art", "Art der Organisation", "alle Arten", kinds)}
                    {select("monat", "Monat (abgeschickt im)", "gesamter Zeitraum", months)}
                </fieldset>
                <div class="actions">
                    <button type="submit" class="button primary">"Ansicht zeigen"</button>
                    <a class="button secondary" href=reset>"Ganzer Kreis"</a>
                </div>
            </form>
        </details>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = raw_query();
    let data = Resource::new(move || query.get(), fns::overview);
    view! {
        <Title text="Auswertung: Bestand und Bedarf"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let id = p.questionnaire_id;
                    let theme_href = move |theme: &str, ags: Option<&str>| match ags {
                        Some(ags) => municipality_href(id, theme, ags),
                        None => format!("/auswertung/{theme}?fragebogen={id}"),
                    };
                    view! {
                        <AdminNav me=p.me.clone() current="/auswertung"/>
                        <h1>"Bestand und Bedarf nach Thema und Kommune"</h1>
                        <p class="lead">{format!("{} – {}", p.questionnaire_title, if p.filter.description.is_empty() { "Filter fehlerhaft".into() } else { p.filter.description.clone() })}</p>
                        <FormErrors problems=Flash::for_form(&flash, "beleg")/>
                        <FormErrors problems=p.filter.form.clone()/>
                        <crate::pages::waves::CompareLink action="/auswertung/vergleich".into() waves=p.waves.clone() questionnaire_id=p.questionnaire_id view=vec![]/>
                        <p class="hint">"Die Übersicht zeigt den ganzen Kreis und jede Kommune. Nach Art der Organisation oder Monat wählen Sie auf den Seiten der Themen aus. "
                            <a href=EXPLANATION_PATH>"Warum nicht feiner? Zum Schutz kleiner Gruppen"</a></p>
                        <section aria-labelledby="legende-titel" class="legend-box">
                            <h2 id="legende-titel">"So lesen Sie die Tabelle"</h2>
                            <p>"Jede Zelle nennt oben den Bestand: den Anteil der Angebote, die als vorhanden gemeldet wurden. Darunter steht der Bedarf: den mittleren Bedarf von 1 (kein Bedarf) bis 5 (sehr hoher Bedarf). Die Farbe zeigt den Abstand: je dunkler, desto höher der Bedarf im Verhältnis zum Bestand. Antworten für den ganzen Kreis zählen bei jeder Kommune mit."</p>
                            <ul class="legend heat-legend">
                                {GAP_CLASSES.iter().map(|(class, label)| view! {
                                    <li><span class=format!("swatch {class}")></span>{*label}</li>
                                }).collect_view()}
                                <li><span class="swatch heat-none"></span>{format!("zu wenige Antworten (keine, unter {} oder aus Ansichten errechenbar)", p.min_group)}</li>
                            </ul>
                        </section>
                        {if p.rows.is_empty() {
                            view! { <p>"Keine Themen mit Bestands- und Bedarfsfragen für Ihre Arbeitsgruppen."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Bestand und Bedarf je Thema und Kommune">
                                    <table class="data heat-map">
                                        <caption>"Bestand (Anteil vorhandener Angebote) und Bedarf (Mittelwert 1–5) je Thema und Kommune; n = Zahl der Antworten"</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Thema"</th>
                                                <th scope="col">"Kreis gesamt"</th>
                                                {p.municipalities.iter().map(|(_, name)| view! { <th scope="col">{name.clone()}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.rows.iter().map(|row| view! {
                                                <tr>
                                                    <th scope="row"><a href=theme_href(&row.theme.code, None)>{row.theme.title.clone()}</a></th>
                                                    <HeatTd cell=row.county.clone() href=theme_href(&row.theme.code, None)/>
                                                    {row.cells.iter().zip(p.municipalities.iter()).map(|(cell, (ags, _))| view! {
                                                        <HeatTd cell=cell.clone() href=theme_href(&row.theme.code, Some(ags))/>
                                                    }).collect_view()}
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        {(!p.rows.is_empty()).then(|| {
                            let chosen = last_value(&parse_query(&query.get_untracked()), MAP_THEME_FIELD).map(str::to_string);
                            view! {
                                <MapSection rows=p.rows.clone() municipalities=p.municipalities.clone()
                                    questionnaire_id=p.questionnaire_id chosen=chosen min_group=p.min_group measures=p.measures.clone()/>
                            }
                        })}
                        {(!p.rows.is_empty()).then(|| view! { <HeatEvidenceForm rows=p.rows.clone() municipalities=p.municipalities.clone() questionnaire_id=p.questionnaire_id csrf=p.me.csrf.clone()/> })}
                        <p><a href=with_query("/auswertung/bericht", &p.filter.query)>"Bericht aller Themen zum Drucken"</a></p>
                    }
                })
            })}
        </Suspense>
    }
}

/// "Als Beleg übernehmen" for any cell of the heat map: a theme and a place (or the whole
/// county), posted as identifiers; withheld cells are refused by the server.
#[component]
fn HeatEvidenceForm(
    rows: Vec<HeatRow>,
    municipalities: Vec<(String, String)>,
    questionnaire_id: i64,
    csrf: String,
) -> impl IntoView {
    view! {
        <section aria-labelledby="beleg-zelle-titel" class="no-print">
            <h2 id="beleg-zelle-titel">"Zelle als Beleg für das Integrationskonzept übernehmen"</h2>
            <form method="post" action="/konzept/belege" class="evidence-form">
                <input type="hidden" name="csrf" value=csrf/>
                <input type="hidden" name="fragebogen" value=questionnaire_id.to_string()/>
                <input type="hidden" name="frage" value=""/>
                <div class="field">
                    <label for="beleg-thema">"Thema"</label>
                    <select id="beleg-thema" name="thema">
                        {rows.into_iter().map(|r| view! { <option value=r.theme.code>{r.theme.title}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="beleg-ort">"Kommune"</label>
                    <select id="beleg-ort" name="eintrag">
                        <option value="">"Kreis gesamt"</option>
                        {municipalities.into_iter().map(|(ags, name)| view! { <option value=ags>{name}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">"Als Beleg übernehmen"</button>
            </form>
        </section>
    }
}

/// The query field that picks the theme of the county map.
const MAP_THEME_FIELD: &str = "karte";

/// A municipality's page of a theme, as the heat map's cells and the county map link it.
fn municipality_href(questionnaire_id: i64, theme: &str, ags: &str) -> String {
    format!("/auswertung/{theme}?fragebogen={questionnaire_id}&gemeinde={ags}")
}

/// The county map of one theme beside the heat map: the theme's heat-map cells as they are
/// (so the suppression of the heat map holds), drawn per municipality, with a legend and a
/// table. A GET form picks the theme, so it works without script.
#[component]
fn MapSection(
    rows: Vec<HeatRow>,
    municipalities: Vec<(String, String)>,
    questionnaire_id: i64,
    chosen: Option<String>,
    min_group: u64,
    measures: BTreeMap<String, BTreeMap<String, u32>>,
) -> impl IntoView {
    let Some(row) =
        rows.iter().find(|r| Some(&r.theme.code) == chosen.as_ref()).or(rows.first()).cloned()
    else {
        return ().into_any();
    };
    let cells: Vec<(String, HeatCell)> =
        municipalities.iter().map(|(ags, _)| ags.clone()).zip(row.cells.iter().cloned()).collect();
    let code = row.theme.code.clone();
    let href = move |ags: &str| municipality_href(questionnaire_id, &code, ags);
    // The concept's measures of this theme per municipality (AGS → count).
    let measures = measures.get(&row.theme.code).cloned().unwrap_or_default();
    let map = county_map(&row.theme.title, &cells, &href, &measures, min_group);
    let themes: Vec<(String, String)> =
        rows.iter().map(|r| (r.theme.code.clone(), r.theme.title.clone())).collect();
    let current = row.theme.code.clone();
    view! {
        <section id="karte" class="map-section" aria-labelledby="karte-titel">
            <h2 id="karte-titel">{format!("Karte: {}", row.theme.title)}</h2>
            <form method="get" action="/auswertung#karte" class="map-chooser">
                <input type="hidden" name="fragebogen" value=questionnaire_id.to_string()/>
                <label for="karte-thema">"Thema der Karte"</label>
                <select id="karte-thema" name=MAP_THEME_FIELD>
                    {themes.into_iter().map(|(code, title)| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{title}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">"Karte zeigen"</button>
            </form>
            <p class="hint">"Die Farbe einer Kommune zeigt wie in der Tabelle oben, wie weit der Bedarf den Bestand übersteigt. Jede Kommune führt zu ihrer Seite des Themas. Die Nummern auf der Karte stehen auch in der Tabelle zur Karte."</p>
            <div class="map-layout">
                <figure class="county-map">
                    <div class="county-map-drawing" inner_html=map.svg></div>
                    <figcaption>
                        <ul class="legend map-legend">
                            {map.legend.into_iter().map(|(class, label)| view! {
                                <li>
                                    <svg class="swatch" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
                                        <rect class=format!("fill {class}") width="48" height="48"/>
                                    </svg>
                                    {label}
                                </li>
                            }).collect_view()}
                        </ul>
                        <p class="attribution">{format!("Kartengrundlage: {}", map.attribution)}</p>
                    </figcaption>
                </figure>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="karte-tabelle">
                    <table class="data map-table">
                        <caption id="karte-tabelle">{format!("{} je Kommune: Bestand, Bedarf, Einstufung und Maßnahmen", row.theme.title)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Nr."</th>
                                <th scope="col">"Kommune"</th>
                                <th scope="col" class="num">"Bestand"</th>
                                <th scope="col" class="num">"Bedarf"</th>
                                <th scope="col" class="num">"n"</th>
                                <th scope="col">"Einstufung"</th>
                                <th scope="col" class="num">"Maßnahmen"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {map.rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="num">{r.number}</td>
                                    <th scope="row"><a href=r.href>{r.name}</a></th>
                                    <td class="num">{r.stock}</td>
                                    <td class="num">{r.need}</td>
                                    <td class="num">{r.n}</td>
                                    <td><span class=format!("swatch {}", r.class)></span>{r.class_label}</td>
                                    <td class="num">{r.measures}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn HeatTd(cell: HeatCell, href: String) -> impl IntoView {
    let class = cell.gap_class();
    let content = if cell.withheld() {
        view! { <span>"zu wenige Antworten"</span> }.into_any()
    } else {
        view! {
            <a href=href>
                <span class="stock">{format!("Bestand {}", cell.stock_percent.map(percent).unwrap_or_else(|| "–".into()))}</span>
                <span class="need">{format!("Bedarf {}", cell.need_mean.map(decimal).unwrap_or_else(|| "–".into()))}</span>
                <span class="cell-n">{format!("n = {}", cell.n)}</span>
            </a>
        }
        .into_any()
    };
    view! { <td class=format!("heat {class}")>{content}</td> }
}

#[component]
pub fn ThemeDashboardPage() -> impl IntoView {
    let query = raw_query();
    let params = use_params_map();
    let theme = Memo::new(move |_| params.read().get("thema").unwrap_or_default());
    let data =
        Resource::new(move || (theme.get(), query.get()), |(t, q)| fns::theme_dashboard(t, q));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| view! { <ThemeView page=p flash=flash/> })
            })}
        </Suspense>
    }
}

#[component]
fn ThemeView(page: ThemePage, flash: Option<Flash>) -> impl IntoView {
    let p = page;
    let evidence = EvidenceTarget {
        questionnaire_id: p.questionnaire_id,
        theme: p.theme.code.clone(),
        view_query: p.filter.query.clone(),
        csrf: p.me.csrf.clone(),
    };
    let title = p.theme.title.clone();
    let base_query = if p.filter.query.is_empty() {
        format!("fragebogen={}", p.questionnaire_id)
    } else {
        format!("fragebogen={}&{}", p.questionnaire_id, p.filter.query)
    };
    let current = p.theme.code.clone();
    let csv_base = format!("/auswertung/{current}/daten.csv?{base_query}");
    let hidden: Vec<(String, String)> = p.filter.form.values.clone();
    let search_error =
        p.filter.form.errors.iter().find(|e| e.field_id == SEARCH_FIELD).map(|e| e.message.clone());
    view! {
        <Title text=format!("Auswertung: {title}")/>
        <AdminNav me=p.me.clone() current="/auswertung"/>
        <nav class="theme-nav" aria-label="Themen">
            <ul>
                <li><a href=with_query("/auswertung", &base_query)>"Übersicht"</a></li>
                {p.themes.iter().map(|t| view! {
                    <li><a href=format!("/auswertung/{}?{base_query}", t.code) aria-current=(t.code == current).then_some("page")>{t.title.clone()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
        <h1>{title.clone()}</h1>
        <p class="lead">{format!("{} – {}", p.questionnaire_title, if p.filter.description.is_empty() { "Filter fehlerhaft".into() } else { p.filter.description.clone() })}</p>
        <FormErrors problems=Flash::for_form(&flash, "beleg")/>
        <FormErrors problems=p.filter.form.clone()/>
        <FilterForm action=format!("/auswertung/{current}") questionnaire_id=p.questionnaire_id filter=p.filter.clone()/>
        <form method="get" action=format!("/auswertung/{current}") class="search-form" role="search">
            <input type="hidden" name="fragebogen" value=p.questionnaire_id.to_string()/>
            {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <label for=SEARCH_FIELD>"Freitexte durchsuchen"</label>
            <FieldMessage id=SEARCH_FIELD.to_string() error=search_error.clone()/>
            <input type="search" id=SEARCH_FIELD name=SEARCH_FIELD value=p.search.clone()
                aria-invalid=search_error.is_some().then_some("true") aria-describedby=search_error.is_some().then(|| format!("{SEARCH_FIELD}-fehler"))/>
            <button type="submit" class="button secondary">"Suchen"</button>
        </form>
        <crate::pages::waves::CompareLink action=format!("/auswertung/{current}/vergleich") waves=p.waves.clone() questionnaire_id=p.questionnaire_id view=p.filter.form.values.iter().filter(|(k, _)| k == "gemeinde" || k == "art").cloned().collect()/>
        <p class="downloads">
            <a href=csv_base.clone() download="">"Alle Zahlen dieses Themas als CSV"</a>
            " · "
            <a href=with_query("/auswertung/bericht", &base_query)>"Bericht aller Themen zum Drucken"</a>
        </p>
        {p.figures.map(|f| view! {
            <h2>"Ergebnisse je Frage"</h2>
            {p.texts_county_only.then(|| view! { <p class="hint">"Freitexte werden nur für den ganzen Kreis gezeigt: Ein Text, der in einer Ansicht erscheint und in einer anderen fehlt, verriete, aus welcher kleinen Gruppe er stammt."</p> })}
            <ThemeFiguresView figures=f csv_base=csv_base text_matches=p.text_matches.clone() texts_county_only=p.texts_county_only evidence=Some(evidence)/>
        })}
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = raw_query();
    let data = Resource::new(move || query.get(), fns::report);
    view! {
        <Title text="Bericht zur Bedarfs- und Bestandsanalyse"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(pages, _flash)| {
                    let first = pages.first().cloned();
                    view! {
                        {first.clone().map(|p| view! { <AdminNav me=p.me.clone() current="/auswertung"/> })}
                        <h1>"Bericht: Bedarfs- und Bestandsanalyse"</h1>
                        {first.map(|p| view! {
                            <p class="lead">{format!("{} – {}", p.questionnaire_title, p.filter.description)}</p>
                            <p class="no-print">"Zum Drucken oder Speichern als PDF nutzen Sie die Druckfunktion Ihres Browsers (Strg+P). Navigation und Formulare werden nicht mitgedruckt."</p>
                        })}
                        {pages.into_iter().map(|p| {
                            let base_query = if p.filter.query.is_empty() { format!("fragebogen={}", p.questionnaire_id) } else { format!("fragebogen={}&{}", p.questionnaire_id, p.filter.query) };
                            p.figures.map(|f| {
                                let heading = format!("bericht-{}", f.code);
                                let labelled_by = heading.clone();
                                let csv = format!("/auswertung/{}/daten.csv?{base_query}", f.code);
                                view! {
                                    <section class="report-theme" aria-labelledby=labelled_by>
                                        <h2 id=heading>{f.title.clone()}</h2>
                                        <ThemeFiguresView figures=f csv_base=csv/>
                                    </section>
                                }
                            })
                        }).collect_view()}
                    }
                })
            })}
        </Suspense>
    }
}

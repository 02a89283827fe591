//! Imports from other survey tools: a LimeSurvey (or XLSForm) structure becomes a draft
//! questionnaire, with a report of what could not be carried over; a LimeSurvey response
//! export becomes submitted responses of a questionnaire. The forms post (multipart) to the
//! server crate's `routes::imports`.

mod fns;

use crate::components::admin::{AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors, TextField};
use crate::components::{loaded, Loading};
use domain::imports::{field, ResponseImportAction};
use domain::staff::Flash;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/verwaltung/import`: upload a structure file; the earlier imports.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fns::imports());
    view! {
        <Title text="Fragebogen importieren"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let problems = Flash::for_form(&flash, "import");
                    let notice = flash.as_ref().filter(|f| f.form.is_empty()).cloned();
                    let import_notice = flash.as_ref().filter(|f| f.form == "import").and_then(|f| f.notice.clone());
                    let error = problems.error(field::FILE);
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <p><a href="/verwaltung/fragebogen">"Zurück zu den Fragebögen"</a></p>
                        <h1>"Fragebogen importieren"</h1>
                        <FlashNotice flash=notice/>
                        <p>"Eine frühere Befragung wird als neuer Entwurf angelegt: Fragegruppen werden Themen, Fragen werden nach ihrem Typ übernommen, einfache Bedingungen (z. B. „Q1 == \"A1\"“) werden Bedingungen. Was nicht oder nur teilweise übernommen werden kann, steht danach im Bericht, jeweils mit dem Fragecode und dem Grund."</p>
                        {import_notice.map(|n| view! { <p class="field-error">{n}</p> })}
                        <FormErrors problems=problems.clone()/>
                        <form method="post" action="/verwaltung/import" enctype="multipart/form-data">
                            <Csrf token=p.me.csrf.clone()/>
                            <div class="field" class:has-error=error.is_some()>
                                <label for=field::FILE>"Strukturdatei (höchstens 10 MB)"</label>
                                <p class="hint" id="datei-hinweis">"LimeSurvey: „Umfragestruktur exportieren (.lss)“ oder die tabulatorgetrennte Fassung (.txt, .tsv); XLSForm aus KoboToolbox oder ODK (.xlsx, .xls)."</p>
                                <FieldMessage id=field::FILE.into() error=error.clone()/>
                                <input type="file" id=field::FILE name=field::FILE accept=".lss,.xml,.txt,.tsv,.xlsx,.xls" required
                                    aria-describedby=if error.is_some() { "datei-hinweis datei-fehler" } else { "datei-hinweis" }
                                    aria-invalid=error.is_some().then_some("true")/>
                            </div>
                            <div class="actions"><button type="submit" class="button primary">"Importieren"</button></div>
                        </form>
                        <section aria-labelledby="fruehere-titel">
                            <h2 id="fruehere-titel">"Bisherige Importe"</h2>
                            {if p.imports.is_empty() {
                                view! { <p>"Noch keine."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" tabindex="0" role="region" aria-label="Bisherige Importe">
                                        <table class="data">
                                            <caption>"Importierte Strukturen, neueste zuerst"</caption>
                                            <thead><tr><th scope="col">"Datei"</th><th scope="col">"Fragebogen"</th><th scope="col">"Importiert"</th><th scope="col">"Nicht übernommen"</th></tr></thead>
                                            <tbody>
                                                {p.imports.iter().map(|i| view! {
                                                    <tr>
                                                        <th scope="row"><a href=format!("/verwaltung/import/{}", i.id)>{i.file_name.clone()}</a></th>
                                                        <td><a href=format!("/verwaltung/fragebogen/{}", i.questionnaire_id)>{i.questionnaire_title.clone()}</a></td>
                                                        <td>{i.created.clone()}</td>
                                                        <td>{i.unmapped}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// `/verwaltung/import/<id>`: the draft an import made, and what it could not carry over.
#[component]
pub fn ImportReportPage() -> impl IntoView {
    let id = crate::pages::param("id");
    let data = Resource::new(move || id.get(), |id| fns::import_report(id.parse().unwrap_or(0)));
    view! {
        <Title text="Bericht zum Import"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(r, flash)| {
                    let draft = format!("/verwaltung/fragebogen/{}", r.questionnaire_id);
                    view! {
                        <AdminNav me=r.me.clone() current="/verwaltung/fragebogen"/>
                        <p><a href="/verwaltung/import">"Zurück zum Import"</a></p>
                        <h1>{format!("Bericht zum Import von „{}“", r.file_name)}</h1>
                        <FlashNotice flash=flash/>
                        <dl class="facts-list">
                            <dt>"Entwurf"</dt><dd><a href=draft.clone()>{r.questionnaire_title.clone()}</a></dd>
                            <dt>"Format"</dt><dd>{r.format_label.clone()}</dd>
                            <dt>"Umfang"</dt><dd>{format!("{} Themen, {} Fragen", r.themes, r.questions)}</dd>
                            <dt>"Importiert"</dt><dd>{format!("{} von {}", r.created, r.actor)}</dd>
                            {(!r.note.is_empty()).then(|| view! { <dt>"Sprache"</dt><dd>{r.note.clone()}</dd> })}
                        </dl>
                        <p class="row-actions">
                            <a href=draft>"Entwurf bearbeiten"</a>
                            <a href=format!("/verwaltung/fragebogen/{}/vorschau", r.questionnaire_id)>"Vorschau"</a>
                            <a href=format!("/verwaltung/fragebogen/{}/antworten-import", r.questionnaire_id)>"Antworten dieser Befragung importieren"</a>
                        </p>
                        <section aria-labelledby="verluste-titel">
                            <h2 id="verluste-titel">{match r.unmapped.len() {
                                0 => "Alles wurde übernommen".to_string(),
                                1 => "1 Punkt wurde nicht oder nur teilweise übernommen".to_string(),
                                n => format!("{n} Punkte wurden nicht oder nur teilweise übernommen"),
                            }}</h2>
                            {(!r.unmapped.is_empty()).then(|| view! {
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Nicht übernommene Punkte">
                                    <table class="data">
                                        <caption>"Nach Fragecode der Quelldatei, in ihrer Reihenfolge"</caption>
                                        <thead><tr><th scope="col">"Code"</th><th scope="col">"Grund"</th></tr></thead>
                                        <tbody>
                                            {r.unmapped.iter().map(|u| view! {
                                                <tr><th scope="row"><code>{u.code.clone()}</code></th><td>{u.reason.clone()}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            })}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// `/verwaltung/fragebogen/<id>/antworten-import`: a response export with the mapping of the
/// kind and municipality columns; check, then import all rows or none.
#[component]
pub fn ResponseImportPage() -> impl IntoView {
    let id = crate::pages::param("id");
    let data = Resource::new(move || id.get(), |id| fns::response_import(id.parse().unwrap_or(0)));
    view! {
        <Title text="Antworten importieren"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let form = Flash::for_form(&flash, "antworten");
                    let notice = flash.as_ref().and_then(|f| f.notice.clone());
                    let file_error = form.error(field::FILE);
                    let action = format!("/verwaltung/fragebogen/{}/antworten-import", p.questionnaire_id);
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <p><a href="/verwaltung/fragebogen">"Zurück zu den Fragebögen"</a></p>
                        <h1>{format!("Antworten importieren: {}", p.title)}</h1>
                        {notice.map(|n| view! { <div class="notice confirmation" role="status"><p>{n}</p></div> })}
                        <p>{if p.from_limesurvey {
                            "Der Fragebogen stammt aus einer LimeSurvey-Struktur: die Spalten der Antwortdatei werden über die Fragecodes der Quelle zugeordnet."
                        } else {
                            "Die Überschriften der Datei müssen die Fragecodes dieses Fragebogens sein (Matrixzeilen und Optionen als „frage[code]“)."
                        }}</p>
                        <p>"In LimeSurvey: „Antworten exportieren“, Format CSV, Überschriften „Fragecode“, Antworten „Antwortcodes“. Nur abgeschlossene Antworten (mit Abschlussdatum) werden übernommen, unvollständige werden übersprungen und gezählt. Enthält eine Zeile einen Fehler, wird nichts importiert; „Prüfen“ zeigt die Probleme mit ihrer Zeilennummer, ohne etwas zu speichern."</p>
                        <FormErrors problems=form.clone()/>
                        <form method="post" action=action enctype="multipart/form-data">
                            <Csrf token=p.me.csrf.clone()/>
                            <div class="field" class:has-error=file_error.is_some()>
                                <label for=field::FILE>"Antwortdatei (CSV, höchstens 20 MB)"</label>
                                <FieldMessage id=field::FILE.into() error=file_error.clone()/>
                                <input type="file" id=field::FILE name=field::FILE accept=".csv,text/csv" required
                                    aria-describedby=file_error.is_some().then_some("datei-fehler")
                                    aria-invalid=file_error.is_some().then_some("true")/>
                            </div>
                            <fieldset>
                                <legend>"Wer hat geantwortet?"</legend>
                                <TextField id=field::KIND_COLUMN.into() name=field::KIND_COLUMN label="Spalte mit der Art der Organisation (optional)" value=form.value(field::KIND_COLUMN) error=form.error(field::KIND_COLUMN) hint="Überschrift der Spalte, z. B. ART. Ihre Werte werden über die Antworttexte den Arten zugeordnet (z. B. „Schule“)."/>
                                <TextField id=field::PLACE_COLUMN.into() name=field::PLACE_COLUMN label="Spalte mit der Kommune (optional)" value=form.value(field::PLACE_COLUMN) error=form.error(field::PLACE_COLUMN) hint="Überschrift der Spalte oder einer Mehrfachauswahl, z. B. KOMMUNE. Namen, AGS und „kreisweit“ werden erkannt."/>
                                <div class="field" class:has-error=form.error(field::VALUES).is_some()>
                                    <label for=field::VALUES>"Zuordnung weiterer Werte (optional)"</label>
                                    <p class="hint" id="zuordnung-hinweis">"Eine Zeile je Wert: „Wert = Ziel“, das Ziel eine Art der Organisation oder eine Kommune, z. B. „A3 = Verein/Verband“ oder „K2 = Goch“."</p>
                                    <FieldMessage id=field::VALUES.into() error=form.error(field::VALUES)/>
                                    <textarea id=field::VALUES name=field::VALUES rows="4" aria-describedby="zuordnung-hinweis">{form.value(field::VALUES)}</textarea>
                                </div>
                            </fieldset>
                            <div class="actions">
                                <button type="submit" name=field::ACTION value=ResponseImportAction::CHECK class="button secondary">"Prüfen"</button>
                                <button type="submit" name=field::ACTION value=ResponseImportAction::IMPORT class="button primary">"Importieren"</button>
                            </div>
                        </form>
                        <section aria-labelledby="bisher-titel">
                            <h2 id="bisher-titel">"Bisherige Importe von Antworten"</h2>
                            {if p.imports.is_empty() {
                                view! { <p>"Noch keine."</p> }.into_any()
                            } else {
                                view! {
                                    <ul>
                                        {p.imports.iter().map(|i| view! {
                                            <li>{format!("{}: „{}“, {} Antworten, {} unvollständige übersprungen ({})", i.created, i.file_name, i.imported, i.skipped, i.actor)}</li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

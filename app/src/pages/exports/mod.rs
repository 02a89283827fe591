//! The export form: which file, which dialect, which responses. It sends a GET to the
//! download route, so it needs no CSRF token and works without JavaScript; a wrong filter
//! comes back here with the form's problems.

mod fns;

use crate::components::admin::{AdminNav, FieldMessage, FormErrors};
use crate::components::filter::FilterFields;
use crate::components::{loaded, Loading};
use domain::staff::{Flash, FormProblems};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ExportPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fns::exports());
    view! {
        <Title text="Daten exportieren"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let problems: FormProblems = Flash::for_form(&flash, "export");
                    let chosen_file = Some(problems.value("datei")).filter(|v| !v.is_empty()).unwrap_or_else(|| "wide".into());
                    let chosen_dialect = problems.value("dialekt");
                    let chosen_questionnaire = problems.value("fragebogen");
                    let is_admin = p.me.is_admin();
                    let radio = |name: &'static str, i: usize, code: String, label: String, checked: bool| {
                        let id = if i == 0 { format!("f-{name}") } else { format!("f-{name}-{code}") };
                        view! {
                            <div class="option">
                                <input type="radio" id=id.clone() name=name value=code checked=checked/>
                                <label for=id>{label}</label>
                            </div>
                        }
                    };
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/export"/>
                        <h1>"Daten exportieren"</h1>
                        <p>"Die Dateien werden beim Herunterladen erzeugt und enthalten den aktuellen Stand. Jeder Export wird im Protokoll vermerkt."</p>
                        <FormErrors problems=problems.clone()/>
                        <form method="get" action="/verwaltung/export/datei" class="export-form">
                            <div class="field" class:has-error=problems.error("f-fragebogen").is_some()>
                                <label for="f-fragebogen">"Fragebogen"</label>
                                <FieldMessage id="f-fragebogen".to_string() error=problems.error("f-fragebogen")/>
                                <select id="f-fragebogen" name="fragebogen">
                                    {p.questionnaires.iter().map(|q| view! {
                                        <option value=q.id.to_string() selected=chosen_questionnaire == q.id.to_string()>{format!("{} ({})", q.title, q.status_label)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <fieldset class="choices" aria-describedby=problems.error("f-datei").map(|_| "f-datei-fehler")>
                                <legend>"Datei"</legend>
                                <FieldMessage id="f-datei".to_string() error=problems.error("f-datei")/>
                                {p.files.iter().enumerate().map(|(i, (code, label))| radio("datei", i, code.clone(), label.clone(), chosen_file == *code || (i == 0 && !p.files.iter().any(|(c, _)| *c == chosen_file)))).collect_view()}
                                {(!is_admin).then(|| view! { <p class="hint">"Einzelne Antworten können nur Administratorinnen und Administratoren exportieren. Die Auswertung enthält die Themen Ihrer Arbeitsgruppen."</p> })}
                                {is_admin.then(|| view! { <p class="hint">"SPSS-Syntax und R-Skript lesen die breite Datei im gewählten Format ein (gleicher Dateiname, im selben Ordner) und setzen Variablen- und Wertbeschriftungen und fehlende Werte aus dem Codebuch."</p> })}
                                <p class="hint">{format!("In der Auswertung steht „zu wenige Antworten“ statt einer Zahl, wenn weniger als {} Antworten dahinterstehen.", p.min_group)}</p>
                            </fieldset>
                            <fieldset class="choices" aria-describedby=problems.error("f-dialekt").map(|_| "f-dialekt-fehler")>
                                <legend>"Format"</legend>
                                <FieldMessage id="f-dialekt".to_string() error=problems.error("f-dialekt")/>
                                {radio("dialekt", 0, "excel".into(), "Excel (Deutsch): Semikolon, Dezimalkomma, UTF-8 mit BOM – öffnet sich in Excel per Doppelklick".into(), chosen_dialect != "standard")}
                                {radio("dialekt", 1, "standard".into(), "Standard (RFC 4180): Komma, Dezimalpunkt, UTF-8 – für R, Python, SPSS und Statistikämter".into(), chosen_dialect == "standard")}
                            </fieldset>
                            <FilterFields chosen=problems.clone() with_status=true/>
                            {is_admin.then(|| view! {
                                <div class="option">
                                    <input type="checkbox" id="f-kontakte" name="kontakte" value="1" checked=problems.value("kontakte") == "1" aria-describedby="f-kontakte-hinweis"/>
                                    <label for="f-kontakte">"Namen und Kontaktadressen der Organisationen einschließen"</label>
                                    <p class="hint" id="f-kontakte-hinweis">"Nur für die breite Datei (und die SPSS-Syntax und das R-Skript dazu, die dann diese Spalten mit einlesen). Personenbezogene Daten: nur herunterladen, wenn Sie sie für die Auswertung brauchen."</p>
                                </div>
                            })}
                            <div class="actions"><button type="submit" class="button primary">"Herunterladen"</button></div>
                        </form>
                    }
                })
            })}
        </Suspense>
    }
}

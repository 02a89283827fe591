//! The integration concept: the document of all themes (`/konzept`), each theme's workspace for
//! its working group (`/konzept/<thema>`: introduction, evidence, findings, goals and
//! measures), a measure's page with its timeline and indicators, and the council's progress
//! report (`/konzept/sachstand`). Forms post to the server crate's `routes::concept`; people
//! outside a theme's working group read it only.

mod fns;
mod report;

pub use report::StatusReportPage;

use crate::components::admin::{
    AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors, TextArea, TextField,
};
use crate::components::figures::KeyFigures;
use crate::components::{loaded, Loading};
use crate::pages::param;
use domain::concept::{
    date_for_reading, euros_for_reading, fields, municipalities_field, value_for_reading,
    ConceptTheme, EvidenceView, FindingView, GoalView, IndicatorView, MeasureStatus, MeasureView,
};
use domain::reference::MUNICIPALITIES;
use domain::staff::{Flash, FormProblems};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A form's problems for its error summary, linking to the form's own fields: forms that stand
/// several on a page prefix their field ids with the form's id.
fn linked(problems: &FormProblems, form_id: &str) -> FormProblems {
    let mut scoped = problems.clone();
    for error in &mut scoped.errors {
        error.field_id = format!("{form_id}-{}", error.field_id);
    }
    scoped
}

fn workspace_href(theme: &str) -> String {
    format!("/konzept/{theme}")
}

fn measure_href(theme: &str, id: i64) -> String {
    format!("/konzept/{theme}/massnahme/{id}")
}

/// One piece of evidence: the value as it was, what it is, when, and today's figure.
#[component]
fn EvidenceItem(evidence: EvidenceView) -> impl IntoView {
    let s = evidence.snapshot.clone();
    view! {
        <p class="evidence-value"><strong>{s.value_text.clone()}</strong></p>
        <p>{s.describe()}</p>
        <p class="hint">{format!("{}; übernommen am {} von {}. ", s.questionnaire_title, evidence.taken_at, evidence.taken_by)}
            <a href=s.live_href()>"Heutiger Wert in der Auswertung"<span class="visually-hidden">{format!(": {}", s.describe())}</span></a>
        </p>
    }
}

/// A form that deletes an item at the revision shown.
#[component]
fn DeleteForm(action: String, revision: i64, csrf: String, label: String) -> impl IntoView {
    view! {
        <form method="post" novalidate action=action class="inline-form">
            <Csrf token=csrf/>
            <input type="hidden" name=fields::REVISION value=revision.to_string()/>
            <button type="submit" class="button secondary">{label}</button>
        </form>
    }
}

/// The evidence of a theme as check boxes, for a finding's citations.
#[component]
fn EvidenceChoice(id: String, evidence: Vec<EvidenceView>, chosen: Vec<i64>) -> impl IntoView {
    if evidence.is_empty() {
        return view! { <p class="hint">"Noch keine Belege: Übernehmen Sie Werte auf den Seiten der Auswertung mit „Als Beleg übernehmen“."</p> }.into_any();
    }
    view! {
        <fieldset class="choices">
            <legend>"Belege, auf die sich der Befund stützt"</legend>
            {evidence.into_iter().map(|e| {
                let box_id = format!("{id}-beleg-{}", e.id);
                let checked = chosen.contains(&e.id);
                view! {
                    <div class="choice">
                        <input type="checkbox" id=box_id.clone() name=fields::EVIDENCE value=e.id.to_string() checked=checked/>
                        <label for=box_id>{format!("{} – {}", e.snapshot.value_text, e.snapshot.describe())}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// A finding's form: new (`finding` None) or to change one.
#[component]
fn FindingFields(
    form_id: String,
    problems: FormProblems,
    finding: Option<FindingView>,
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    let retried = !problems.values.is_empty();
    let text = if retried {
        problems.value(fields::TEXT)
    } else {
        finding.as_ref().map(|f| f.text.clone()).unwrap_or_default()
    };
    let chosen: Vec<i64> = if retried {
        problems.values_of(fields::EVIDENCE).iter().filter_map(|v| v.parse().ok()).collect()
    } else {
        finding.as_ref().map(|f| f.evidence.clone()).unwrap_or_default()
    };
    let text_id = format!("{form_id}-text");
    view! {
        <TextArea id=text_id.clone() name=fields::TEXT label="Befund" value=text error=problems.error(fields::TEXT) required=true
            hint="Was die Arbeitsgruppe aus den Zahlen liest, in wenigen Sätzen."/>
        <EvidenceChoice id=form_id.clone() evidence=evidence chosen=chosen/>
        <input type="hidden" name=fields::REVISION value=finding.map(|f| f.revision).unwrap_or(0).to_string()/>
    }
}

/// A goal's form fields.
#[component]
fn GoalFields(form_id: String, problems: FormProblems, goal: Option<GoalView>) -> impl IntoView {
    let retried = !problems.values.is_empty();
    let (title, description) = if retried {
        (problems.value(fields::TITLE), problems.value(fields::DESCRIPTION))
    } else {
        goal.as_ref().map(|g| (g.title.clone(), g.description.clone())).unwrap_or_default()
    };
    view! {
        <TextField id=format!("{form_id}-titel") name=fields::TITLE label="Ziel" value=title error=problems.error(fields::TITLE) required=true/>
        <TextArea id=format!("{form_id}-beschreibung") name=fields::DESCRIPTION label="Beschreibung" value=description error=problems.error(fields::DESCRIPTION)/>
        <input type="hidden" name=fields::REVISION value=goal.map(|g| g.revision).unwrap_or(0).to_string()/>
    }
}

/// The measures of a goal as a table.
#[component]
fn MeasureTable(theme: String, measures: Vec<MeasureView>, caption: String) -> impl IntoView {
    if measures.is_empty() {
        return view! { <p>"Noch keine Maßnahmen."</p> }.into_any();
    }
    let region = caption.clone();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table class="data">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Maßnahme"</th><th scope="col">"Stand"</th><th scope="col">"Wo"</th><th scope="col">"Zeitraum"</th><th scope="col">"Verantwortlich"</th></tr></thead>
                <tbody>
                    {measures.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row"><a href=measure_href(&theme, m.id)>{m.title.clone()}</a></th>
                            <td><span class=format!("status status-{}", m.status.code())>{m.status.label()}</span></td>
                            <td>{m.where_()}</td>
                            <td>{m.period()}</td>
                            <td>{if m.responsible.is_empty() { "–".to_string() } else { m.responsible.clone() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A theme's workspace for its working group.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let theme = param("thema");
    let data = Resource::new(move || theme.get(), fns::workspace);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let t = p.theme.clone();
                    let code = t.code.clone();
                    let csrf = p.me.csrf.clone();
                    let can_edit = p.can_edit;
                    let notice = flash.clone().filter(|f| f.form.is_empty());
                    let problems_of = |form: &str| Flash::for_form(&flash, form);
                    let intro = problems_of("einleitung");
                    let new_finding = problems_of("befund-neu");
                    let new_goal = problems_of("ziel-neu");
                    let deletion = problems_of("loeschen");
                    let evidence_problems = problems_of("belege");
                    let intro_text = if intro.values.is_empty() { t.introduction.clone() } else { intro.value(fields::TEXT) };
                    view! {
                        <Title text=format!("Integrationskonzept: {}", t.title)/>
                        <AdminNav me=p.me.clone() current="/konzept"/>
                        <nav aria-label="Brotkrümelpfad" class="breadcrumb"><a href="/konzept">"Integrationskonzept"</a>" › "{t.title.clone()}</nav>
                        <h1>{format!("Handlungsfeld: {}", t.title)}</h1>
                        <FlashNotice flash=notice/>
                        <FormErrors problems=deletion/>
                        {(!can_edit).then(|| view! { <p class="notice">"Dieses Handlungsfeld bearbeitet eine andere Arbeitsgruppe. Sie können es lesen, aber nicht ändern."</p> })}
                        <nav aria-label="Abschnitte" class="toc">
                            <ul>
                                <li><a href="#einleitung">"Einleitung"</a></li>
                                <li><a href="#belege">{format!("Belege ({})", t.evidence.len())}</a></li>
                                <li><a href="#befunde">{format!("Befunde ({})", t.findings.len())}</a></li>
                                <li><a href="#ziele">{format!("Ziele und Maßnahmen ({})", t.goals.len())}</a></li>
                            </ul>
                        </nav>

                        <section id="einleitung" aria-labelledby="einleitung-titel">
                            <h2 id="einleitung-titel">"Einleitung"</h2>
                            {if can_edit {
                                view! {
                                    <FormErrors problems=linked(&intro, "einleitung")/>
                                    <form method="post" novalidate action=format!("/konzept/{code}/einleitung")>
                                        <Csrf token=csrf.clone()/>
                                        <input type="hidden" name=fields::REVISION value=t.introduction_revision.to_string()/>
                                        <TextArea id="einleitung-text".to_string() name=fields::TEXT label="Einleitung des Kapitels" value=intro_text error=intro.error(fields::TEXT) rows=6
                                            hint="Worum es in diesem Handlungsfeld geht; steht im Konzept vor den Kennzahlen."/>
                                        <button type="submit" class="button primary">"Einleitung speichern"</button>
                                    </form>
                                }.into_any()
                            } else if t.introduction.is_empty() {
                                view! { <p>"Noch keine Einleitung."</p> }.into_any()
                            } else {
                                view! { <p class="prose">{t.introduction.clone()}</p> }.into_any()
                            }}
                        </section>

                        <section id="belege" aria-labelledby="belege-titel">
                            <h2 id="belege-titel">"Belege aus der Auswertung"</h2>
                            <p class="hint">"Belege sind Werte der Auswertung, so wie sie an einem Tag gezeigt wurden. Übernehmen Sie sie auf den "
                                <a href=format!("/auswertung/{code}")>"Seiten der Auswertung dieses Handlungsfelds"</a>
                                " oder in der Übersicht mit „Als Beleg übernehmen“. Zum Schutz kleiner Gruppen lassen sich nur gezeigte Werte übernehmen."</p>
                            <FormErrors problems=evidence_problems/>
                            {if t.evidence.is_empty() {
                                view! { <p>"Noch keine Belege."</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="evidence-list">
                                        {t.evidence.iter().map(|e| {
                                            let id = e.id;
                                            view! {
                                                <li id=format!("beleg-{id}")>
                                                    <EvidenceItem evidence=e.clone()/>
                                                    {can_edit.then(|| view! {
                                                        <DeleteForm action=format!("/konzept/{code}/belege/{id}/loeschen") revision=0 csrf=csrf.clone() label=format!("Beleg {id} löschen")/>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </section>

                        <section id="befunde" aria-labelledby="befunde-titel">
                            <h2 id="befunde-titel">"Befunde"</h2>
                            {if t.findings.is_empty() { view! { <p>"Noch keine Befunde."</p> }.into_any() } else {
                                view! {
                                    <ol class="findings">
                                        {t.findings.iter().map(|f| {
                                            let form_id = format!("befund-{}", f.id);
                                            let problems = problems_of(&form_id);
                                            let open = !problems.errors.is_empty();
                                            view! {
                                                <li id=form_id.clone()>
                                                    <p class="prose">{f.text.clone()}</p>
                                                    {(!f.evidence.is_empty()).then(|| view! {
                                                        <p class="cites">"Belege: "
                                                            {f.evidence.iter().filter_map(|id| t.evidence(*id)).map(|e| view! {
                                                                <a href=format!("#beleg-{}", e.id)>{format!("{} ({})", e.snapshot.value_text, e.snapshot.describe())}</a>" "
                                                            }).collect_view()}
                                                        </p>
                                                    })}
                                                    {can_edit.then(|| view! {
                                                        <details open=open>
                                                            <summary>"Befund bearbeiten"</summary>
                                                            <FormErrors problems=linked(&problems, &form_id)/>
                                                            <form method="post" novalidate action=format!("/konzept/{code}/befunde/{}", f.id)>
                                                                <Csrf token=csrf.clone()/>
                                                                <FindingFields form_id=form_id.clone() problems=problems finding=Some(f.clone()) evidence=t.evidence.clone()/>
                                                                <button type="submit" class="button primary">"Befund speichern"</button>
                                                            </form>
                                                            <DeleteForm action=format!("/konzept/{code}/befunde/{}/loeschen", f.id) revision=f.revision csrf=csrf.clone() label="Befund löschen".to_string()/>
                                                        </details>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            {can_edit.then(|| view! {
                                <h3 id="befund-neu-ueberschrift">"Neuer Befund"</h3>
                                <FormErrors problems=linked(&new_finding, "befund-neu")/>
                                <form method="post" novalidate action=format!("/konzept/{code}/befunde") aria-labelledby="befund-neu-ueberschrift">
                                    <Csrf token=csrf.clone()/>
                                    <FindingFields form_id="befund-neu".to_string() problems=new_finding finding=None evidence=t.evidence.clone()/>
                                    <button type="submit" class="button primary">"Befund hinzufügen"</button>
                                </form>
                            })}
                        </section>

                        <section id="ziele" aria-labelledby="ziele-titel">
                            <h2 id="ziele-titel">"Ziele und Maßnahmen"</h2>
                            {if t.goals.is_empty() { view! { <p>"Noch keine Ziele."</p> }.into_any() } else {
                                t.goals.iter().map(|g| {
                                    let form_id = format!("ziel-{}", g.id);
                                    let problems = problems_of(&form_id);
                                    let open = !problems.errors.is_empty();
                                    view! {
                                        <article id=form_id.clone() class="goal" aria-labelledby=format!("{form_id}-titel-h")>
                                            <h3 id=format!("{form_id}-titel-h")>{g.title.clone()}</h3>
                                            {(!g.description.is_empty()).then(|| view! { <p class="prose">{g.description.clone()}</p> })}
                                            <MeasureTable theme=code.clone() measures=g.measures.clone() caption=format!("Maßnahmen zum Ziel „{}“", g.title)/>
                                            {can_edit.then(|| view! {
                                                <p><a class="button secondary" href=format!("/konzept/{code}/massnahme/neu?ziel={}", g.id)>"Neue Maßnahme zu diesem Ziel"<span class="visually-hidden">{format!(": {}", g.title)}</span></a></p>
                                                <details open=open>
                                                    <summary>"Ziel bearbeiten"<span class="visually-hidden">{format!(": {}", g.title)}</span></summary>
                                                    <FormErrors problems=linked(&problems, &form_id)/>
                                                    <form method="post" novalidate action=format!("/konzept/{code}/ziele/{}", g.id)>
                                                        <Csrf token=csrf.clone()/>
                                                        <GoalFields form_id=form_id.clone() problems=problems goal=Some(g.clone())/>
                                                        <button type="submit" class="button primary">"Ziel speichern"</button>
                                                    </form>
                                                    <DeleteForm action=format!("/konzept/{code}/ziele/{}/loeschen", g.id) revision=g.revision csrf=csrf.clone() label="Ziel löschen".to_string()/>
                                                </details>
                                            })}
                                        </article>
                                    }
                                }).collect_view().into_any()
                            }}
                            {can_edit.then(|| view! {
                                <h3 id="ziel-neu-ueberschrift">"Neues Ziel"</h3>
                                <FormErrors problems=linked(&new_goal, "ziel-neu")/>
                                <form method="post" novalidate action=format!("/konzept/{code}/ziele") aria-labelledby="ziel-neu-ueberschrift">
                                    <Csrf token=csrf.clone()/>
                                    <GoalFields form_id="ziel-neu".to_string() problems=new_goal goal=None/>
                                    <button type="submit" class="button primary">"Ziel hinzufügen"</button>
                                </form>
                            })}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The fields of a measure: new (`measure` None, under `goal`) or to change.
#[component]
fn MeasureFields(
    problems: FormProblems,
    measure: Option<MeasureView>,
    goals: Vec<(i64, String)>,
    goal: i64,
) -> impl IntoView {
    let retried = !problems.values.is_empty();
    let m = measure.clone();
    let p = problems.clone();
    let value =
        move |name: &str, stored: String| if retried { problems.value(name) } else { stored };
    let chosen_goal =
        value(fields::GOAL, m.as_ref().map(|m| m.goal_id).unwrap_or(goal).to_string());
    let status =
        value(fields::STATUS, m.as_ref().map(|m| m.status.code()).unwrap_or("geplant").to_string());
    let county_wide = if retried {
        !p.value(fields::COUNTY_WIDE).is_empty()
    } else {
        m.as_ref().is_some_and(|m| m.county_wide)
    };
    let places: Vec<String> = if retried {
        p.values_of(fields::MUNICIPALITIES)
    } else {
        m.as_ref().map(|m| m.municipalities.clone()).unwrap_or_default()
    };
    let budget = m
        .as_ref()
        .and_then(|m| m.budget_cents)
        .map(|c| euros_for_reading(c).trim_end_matches(" €").to_string())
        .unwrap_or_default();
    let places_error = p.error(&municipalities_field());
    view! {
        <div class="field" class:has-error=p.error(fields::GOAL).is_some()>
            <label for="ziel">"Ziel"</label>
            <FieldMessage id="ziel".to_string() error=p.error(fields::GOAL)/>
            <select id="ziel" name=fields::GOAL>
                {goals.into_iter().map(|(id, title)| {
                    let selected = chosen_goal == id.to_string();
                    view! { <option value=id.to_string() selected=selected>{title}</option> }
                }).collect_view()}
            </select>
        </div>
        <TextField id="titel".to_string() name=fields::TITLE label="Titel der Maßnahme" value=value(fields::TITLE, m.as_ref().map(|m| m.title.clone()).unwrap_or_default()) error=p.error(fields::TITLE) required=true/>
        <TextArea id="beschreibung".to_string() name=fields::DESCRIPTION label="Beschreibung" value=value(fields::DESCRIPTION, m.as_ref().map(|m| m.description.clone()).unwrap_or_default()) error=p.error(fields::DESCRIPTION) rows=5/>
        <TextField id="verantwortlich".to_string() name=fields::RESPONSIBLE label="Verantwortliche Organisation" value=value(fields::RESPONSIBLE, m.as_ref().map(|m| m.responsible.clone()).unwrap_or_default()) error=p.error(fields::RESPONSIBLE)
            hint="Schreiben Sie den Namen wie im Verzeichnis der Organisationen, dann wird sie verknüpft; sonst bleibt der Text, wie er ist."/>
        <TextArea id="partner".to_string() name=fields::PARTNERS label="Partner" value=value(fields::PARTNERS, m.as_ref().map(|m| m.partners.clone()).unwrap_or_default()) error=p.error(fields::PARTNERS) rows=2/>
        <fieldset class="choices" aria-describedby=places_error.as_ref().map(|_| format!("{}-fehler", municipalities_field()))>
            <legend>"Betroffene Kommunen"</legend>
            <FieldMessage id=municipalities_field() error=places_error.clone()/>
            <div class="choice">
                <input type="checkbox" id="kreisweit" name=fields::COUNTY_WIDE value="1" checked=county_wide/>
                <label for="kreisweit">"kreisweit (alle Kommunen)"</label>
            </div>
            {MUNICIPALITIES.iter().map(|place| {
                let id = format!("{}-{}", fields::MUNICIPALITIES, place.ags);
                let checked = places.iter().any(|a| a == place.ags);
                view! {
                    <div class="choice">
                        <input type="checkbox" id=id.clone() name=fields::MUNICIPALITIES value=place.ags checked=checked/>
                        <label for=id>{place.name}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <TextField id="beginn".to_string() name=fields::STARTS label="Beginn" input_type="date" value=value(fields::STARTS, m.as_ref().and_then(|m| m.starts_on.clone()).unwrap_or_default()) error=p.error(fields::STARTS)/>
        <TextField id="ende".to_string() name=fields::ENDS label="Ende" input_type="date" value=value(fields::ENDS, m.as_ref().and_then(|m| m.ends_on.clone()).unwrap_or_default()) error=p.error(fields::ENDS)/>
        <TextField id="budget".to_string() name=fields::BUDGET label="Budget in Euro (freiwillig)" value=value(fields::BUDGET, budget) error=p.error(fields::BUDGET) hint="Zum Beispiel 12.500 oder 12.500,50"/>
        <div class="field" class:has-error=p.error(fields::STATUS).is_some()>
            <label for="status">"Stand"</label>
            <FieldMessage id="status".to_string() error=p.error(fields::STATUS)/>
            <select id="status" name=fields::STATUS>
                {MeasureStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=status == s.code()>{s.label()}</option> }).collect_view()}
            </select>
        </div>
        <input type="hidden" name=fields::REVISION value=measure.map(|m| m.revision).unwrap_or(0).to_string()/>
    }
}

/// An indicator's fields: new or to change.
#[component]
fn IndicatorFields(
    form_id: String,
    problems: FormProblems,
    indicator: Option<IndicatorView>,
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    let retried = !problems.values.is_empty();
    let i = indicator.clone();
    let p = problems.clone();
    let value = move |name: &str, stored: String| if retried { p.value(name) } else { stored };
    let number = |v: Option<f64>| v.map(domain::locale::format_german).unwrap_or_default();
    let chosen_evidence = value(
        fields::EVIDENCE,
        i.as_ref()
            .and_then(|i| i.baseline_evidence_id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let id = |name: &str| format!("{form_id}-{name}");
    view! {
        <TextField id=id(fields::NAME) name=fields::NAME label="Indikator" value=value(fields::NAME, i.as_ref().map(|i| i.name.clone()).unwrap_or_default()) error=problems.error(fields::NAME) required=true/>
        <TextField id=id(fields::UNIT) name=fields::UNIT label="Einheit" value=value(fields::UNIT, i.as_ref().map(|i| i.unit.clone()).unwrap_or_default()) error=problems.error(fields::UNIT) hint="Zum Beispiel %, Einsätze, Teilnehmende"/>
        <fieldset>
            <legend>"Ausgangswert"</legend>
            <TextField id=id(fields::BASELINE) name=fields::BASELINE label="Wert" value=value(fields::BASELINE, number(i.as_ref().and_then(|i| i.baseline))) error=problems.error(fields::BASELINE)/>
            <TextField id=id(fields::BASELINE_DATE) name=fields::BASELINE_DATE label="Stand (Datum)" input_type="date" value=value(fields::BASELINE_DATE, i.as_ref().and_then(|i| i.baseline_on.clone()).unwrap_or_default()) error=problems.error(fields::BASELINE_DATE)/>
            <TextField id=id(fields::BASELINE_SOURCE) name=fields::BASELINE_SOURCE label="Quelle" value=value(fields::BASELINE_SOURCE, i.as_ref().map(|i| i.baseline_source.clone()).unwrap_or_default()) error=problems.error(fields::BASELINE_SOURCE)/>
            <div class="field" class:has-error=problems.error(fields::EVIDENCE).is_some()>
                <label for=id(fields::EVIDENCE)>"Beleg aus der Auswertung (freiwillig)"</label>
                <FieldMessage id=id(fields::EVIDENCE) error=problems.error(fields::EVIDENCE)/>
                <select id=id(fields::EVIDENCE) name=fields::EVIDENCE>
                    <option value="" selected=chosen_evidence.is_empty()>"kein Beleg"</option>
                    {evidence.into_iter().map(|e| {
                        let selected = chosen_evidence == e.id.to_string();
                        view! { <option value=e.id.to_string() selected=selected>{format!("{} – {}", e.snapshot.value_text, e.snapshot.describe())}</option> }
                    }).collect_view()}
                </select>
            </div>
        </fieldset>
        <TextField id=id(fields::TARGET) name=fields::TARGET label="Zielwert" value=value(fields::TARGET, number(i.as_ref().and_then(|i| i.target))) error=problems.error(fields::TARGET)/>
        <input type="hidden" name=fields::REVISION value=indicator.map(|i| i.revision).unwrap_or(0).to_string()/>
    }
}

/// An indicator with its baseline, target and later values.
#[component]
fn IndicatorFacts(indicator: IndicatorView, theme: ConceptTheme) -> impl IntoView {
    let i = indicator;
    let unit = i.unit.clone();
    let show = move |v: f64| value_for_reading(v, &unit);
    let baseline = match (i.baseline, &i.baseline_on) {
        (Some(v), Some(on)) => format!("{} (Stand {})", show(v), date_for_reading(on)),
        (Some(v), None) => show(v),
        (None, _) => "–".into(),
    };
    let evidence = i.baseline_evidence_id.and_then(|id| theme.evidence(id).cloned());
    view! {
        <dl class="facts-list">
            <dt>"Ausgangswert"</dt><dd>{baseline}{(!i.baseline_source.is_empty()).then(|| format!("; Quelle: {}", i.baseline_source))}</dd>
            {evidence.map(|e| view! { <dt>"Beleg"</dt><dd><a href=format!("/konzept/{}#beleg-{}", theme.code, e.id)>{format!("{} – {}", e.snapshot.value_text, e.snapshot.describe())}</a></dd> })}
            <dt>"Zielwert"</dt><dd>{i.target.map(&show).unwrap_or_else(|| "–".into())}</dd>
            <dt>"Aktueller Wert"</dt><dd>{i.latest().map(|v| format!("{} (Stand {})", show(v.value), date_for_reading(&v.measured_on))).unwrap_or_else(|| "noch keiner".into())}</dd>
        </dl>
        {(!i.values.is_empty()).then(|| view! {
            <table class="data">
                <caption>{format!("Werte von „{}“", i.name)}</caption>
                <thead><tr><th scope="col">"Datum"</th><th scope="col">"Wert"</th></tr></thead>
                <tbody>{i.values.iter().map(|v| view! { <tr><td>{date_for_reading(&v.measured_on)}</td><td>{show(v.value)}</td></tr> }).collect_view()}</tbody>
            </table>
        })}
    }
}

/// A measure: its form (or its facts), timeline and indicators. `neu` makes a new one.
#[component]
pub fn MeasurePage() -> impl IntoView {
    let theme = param("thema");
    let id = param("id");
    let query = use_query_map();
    let data = Resource::new(move || theme.get(), fns::workspace);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let id = id.get_untracked();
                let goal = query.read_untracked().get("ziel").and_then(|g| g.parse::<i64>().ok()).unwrap_or(0);
                loaded(data.await, move |(p, flash)| {
                    let t = p.theme.clone();
                    let code = t.code.clone();
                    let csrf = p.me.csrf.clone();
                    let measure = id.parse::<i64>().ok().and_then(|id| t.measures().find(|m| m.id == id).cloned());
                    if id != "neu" && measure.is_none() {
                        return view! { <crate::components::ErrorView error=domain::AppError::NotFound("Diese Maßnahme gibt es nicht (mehr).".into())/> }.into_any();
                    }
                    if measure.is_none() && !p.can_edit {
                        return view! { <crate::components::ErrorView error=domain::AppError::not_allowed()/> }.into_any();
                    }
                    let goals: Vec<(i64, String)> = t.goals.iter().map(|g| (g.id, g.title.clone())).collect();
                    let problems = Flash::for_form(&flash, "massnahme");
                    let notice = flash.clone().filter(|f| f.form.is_empty());
                    let deletion = Flash::for_form(&flash, "loeschen");
                    let heading = measure.as_ref().map(|m| format!("Maßnahme: {}", m.title)).unwrap_or_else(|| "Neue Maßnahme".into());
                    let action = match &measure { Some(m) => format!("/konzept/{code}/massnahmen/{}", m.id), None => format!("/konzept/{code}/massnahmen") };
                    view! {
                        <Title text=heading.clone()/>
                        <AdminNav me=p.me.clone() current="/konzept"/>
                        <nav aria-label="Brotkrümelpfad" class="breadcrumb"><a href="/konzept">"Integrationskonzept"</a>" › "<a href=workspace_href(&code)>{t.title.clone()}</a>" › "{heading.clone()}</nav>
                        <h1>{heading}</h1>
                        <FlashNotice flash=notice/>
                        <FormErrors problems=deletion/>
                        {if p.can_edit {
                            view! {
                                <FormErrors problems=problems.clone()/>
                                <form method="post" novalidate action=action>
                                    <Csrf token=csrf.clone()/>
                                    <MeasureFields problems=problems measure=measure.clone() goals=goals goal=goal/>
                                    <button type="submit" class="button primary">"Maßnahme speichern"</button>
                                </form>
                            }.into_any()
                        } else {
                            measure.clone().map(|m| view! {
                                <dl class="facts-list">
                                    <dt>"Stand"</dt><dd>{m.status.label()}</dd>
                                    <dt>"Beschreibung"</dt><dd class="prose">{m.description.clone()}</dd>
                                    <dt>"Verantwortlich"</dt><dd>{m.responsible.clone()}</dd>
                                    <dt>"Partner"</dt><dd>{m.partners.clone()}</dd>
                                    <dt>"Wo"</dt><dd>{m.where_()}</dd>
                                    <dt>"Zeitraum"</dt><dd>{m.period()}</dd>
                                    <dt>"Budget"</dt><dd>{m.budget_cents.map(euros_for_reading).unwrap_or_else(|| "–".into())}</dd>
                                </dl>
                            }).into_any()
                        }}
                        {measure.map(|m| {
                            let note = Flash::for_form(&flash, "notiz");
                            let new_indicator = Flash::for_form(&flash, "indikator-neu");
                            view! {
                                <section id="verlauf" aria-labelledby="verlauf-titel">
                                    <h2 id="verlauf-titel">"Verlauf"</h2>
                                    {p.can_edit.then(|| view! {
                                        <FormErrors problems=note.clone()/>
                                        <form method="post" novalidate action=format!("/konzept/{code}/massnahmen/{}/notizen", m.id)>
                                            <Csrf token=csrf.clone()/>
                                            <TextField id="datum".to_string() name=fields::DATE label="Datum" input_type="date" value=note.value(fields::DATE) error=note.error(fields::DATE) required=true/>
                                            <TextArea id="text".to_string() name=fields::TEXT label="Was ist geschehen?" value=note.value(fields::TEXT) error=note.error(fields::TEXT) required=true rows=3/>
                                            <button type="submit" class="button primary">"Fortschritt notieren"</button>
                                        </form>
                                    })}
                                    {if m.notes.is_empty() { view! { <p>"Noch keine Einträge."</p> }.into_any() } else {
                                        view! {
                                            <ol class="timeline">
                                                {m.notes.iter().map(|n| view! {
                                                    <li><p><strong>{date_for_reading(&n.noted_on)}</strong>{format!(" ({})", n.author)}</p><p class="prose">{n.text.clone()}</p></li>
                                                }).collect_view()}
                                            </ol>
                                        }.into_any()
                                    }}
                                </section>
                                <section id="indikatoren" aria-labelledby="indikatoren-titel">
                                    <h2 id="indikatoren-titel">"Indikatoren"</h2>
                                    {m.indicators.iter().map(|i| {
                                        let form_id = format!("indikator-{}", i.id);
                                        let problems = Flash::for_form(&flash, &form_id);
                                        let value_problems = Flash::for_form(&flash, &format!("wert-{}", i.id));
                                        let open = !problems.errors.is_empty();
                                        let base = format!("/konzept/{code}/massnahmen/{}/indikatoren/{}", m.id, i.id);
                                        view! {
                                            <article id=form_id.clone() aria-labelledby=format!("{form_id}-h")>
                                                <h3 id=format!("{form_id}-h")>{i.name.clone()}</h3>
                                                <IndicatorFacts indicator=i.clone() theme=t.clone()/>
                                                {p.can_edit.then(|| view! {
                                                    <FormErrors problems=linked(&value_problems, &format!("wert-{}", i.id))/>
                                                    <form method="post" novalidate action=format!("{base}/werte") class="inline-fields">
                                                        <Csrf token=csrf.clone()/>
                                                        <fieldset>
                                                            <legend>{format!("Neuer Wert für „{}“", i.name)}</legend>
                                                            <TextField id=format!("wert-{}-datum", i.id) name=fields::DATE label="Datum" input_type="date" value=value_problems.value(fields::DATE) error=value_problems.error(fields::DATE) required=true/>
                                                            <TextField id=format!("wert-{}-wert", i.id) name=fields::VALUE label="Wert" value=value_problems.value(fields::VALUE) error=value_problems.error(fields::VALUE) required=true/>
                                                        </fieldset>
                                                        <button type="submit" class="button primary">"Wert erfassen"</button>
                                                    </form>
                                                    <details open=open>
                                                        <summary>"Indikator bearbeiten"<span class="visually-hidden">{format!(": {}", i.name)}</span></summary>
                                                        <FormErrors problems=linked(&problems, &form_id)/>
                                                        <form method="post" novalidate action=base.clone()>
                                                            <Csrf token=csrf.clone()/>
                                                            <IndicatorFields form_id=form_id.clone() problems=problems indicator=Some(i.clone()) evidence=t.evidence.clone()/>
                                                            <button type="submit" class="button primary">"Indikator speichern"</button>
                                                        </form>
                                                        <DeleteForm action=format!("{base}/loeschen") revision=i.revision csrf=csrf.clone() label="Indikator löschen".to_string()/>
                                                    </details>
                                                })}
                                            </article>
                                        }
                                    }).collect_view()}
                                    {m.indicators.is_empty().then(|| view! { <p>"Noch keine Indikatoren."</p> })}
                                    {p.can_edit.then(|| view! {
                                        <h3 id="indikator-neu-ueberschrift">"Neuer Indikator"</h3>
                                        <FormErrors problems=linked(&new_indicator, "indikator-neu")/>
                                        <form method="post" novalidate action=format!("/konzept/{code}/massnahmen/{}/indikatoren", m.id) aria-labelledby="indikator-neu-ueberschrift">
                                            <Csrf token=csrf.clone()/>
                                            <IndicatorFields form_id="indikator-neu".to_string() problems=new_indicator indicator=None evidence=t.evidence.clone()/>
                                            <button type="submit" class="button primary">"Indikator hinzufügen"</button>
                                        </form>
                                        <h2>"Maßnahme löschen"</h2>
                                        <DeleteForm action=format!("/konzept/{code}/massnahmen/{}/loeschen", m.id) revision=m.revision csrf=csrf.clone() label="Maßnahme mit Verlauf und Indikatoren löschen".to_string()/>
                                    })}
                                </section>
                            }
                        })}
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

/// One theme's chapter of the concept document.
#[component]
fn Chapter(theme: ConceptTheme) -> impl IntoView {
    let t = theme;
    let code = t.code.clone();
    view! {
        <section class="chapter" id=format!("kapitel-{code}") aria-labelledby=format!("kapitel-{code}-titel")>
            <h2 id=format!("kapitel-{code}-titel")>{t.title.clone()}</h2>
            <p class="no-print"><a href=workspace_href(&code)>"Zum Arbeitsbereich"<span class="visually-hidden">{format!(": {}", t.title)}</span></a></p>
            {(!t.introduction.is_empty()).then(|| view! { <p class="prose">{t.introduction.clone()}</p> })}
            <h3>"Kennzahlen"</h3>
            {if t.evidence.is_empty() { view! { <p>"Keine Kennzahlen übernommen."</p> }.into_any() } else {
                view! {
                    <KeyFigures id=format!("kennzahlen-{code}") evidence=t.evidence.clone()/>
                    <table class="data">
                        <caption>{format!("Kennzahlen aus der Bedarfs- und Bestandsanalyse: {}", t.title)}</caption>
                        <thead><tr><th scope="col">"Wert"</th><th scope="col">"Was"</th><th scope="col">"Stand"</th></tr></thead>
                        <tbody>
                            {t.evidence.iter().map(|e| view! {
                                <tr><td>{e.snapshot.value_text.clone()}</td><td>{e.snapshot.describe()}</td><td>{e.taken_at.split(',').next().unwrap_or_default().to_string()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3>"Befunde"</h3>
            {if t.findings.is_empty() { view! { <p>"Keine Befunde."</p> }.into_any() } else {
                view! { <ol>{t.findings.iter().map(|f| view! { <li class="prose">{f.text.clone()}</li> }).collect_view()}</ol> }.into_any()
            }}
            <h3>"Ziele und Maßnahmen"</h3>
            {if t.goals.is_empty() { view! { <p>"Keine Ziele."</p> }.into_any() } else {
                t.goals.iter().map(|g| view! {
                    <h4>{g.title.clone()}</h4>
                    {(!g.description.is_empty()).then(|| view! { <p class="prose">{g.description.clone()}</p> })}
                    <MeasureTable theme=code.clone() measures=g.measures.clone() caption=format!("Maßnahmen zum Ziel „{}“", g.title)/>
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// The whole concept: a table of contents, then a chapter per theme; printable page by page.
#[component]
pub fn ConceptPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fns::concept());
    view! {
        <Title text="Integrationskonzept"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, _flash)| view! {
                    <div class="no-print"><AdminNav me=p.me.clone() current="/konzept"/></div>
                    <h1>{format!("Integrationskonzept {}", domain::reference::COUNTY_NAME)}</h1>
                    <p class="lead">{format!("Handlungsfelder, Befunde, Ziele und Maßnahmen. Stand: {}", p.as_of)}</p>
                    <p class="hint no-print">"Zum Drucken oder Speichern als PDF nutzen Sie die Druckfunktion des Browsers: Jedes Handlungsfeld beginnt auf einer neuen Seite."</p>
                    <p class="downloads no-print"><a href="/konzept/integrationskonzept.docx" download="">"Als Word-Datei (DOCX) zum Weiterbearbeiten herunterladen"</a></p>
                    <p class="no-print"><a href="/konzept/sachstand">"Sachstandsbericht für den Ausschuss"</a>": Maßnahmen nach Stand, Änderungen seit einem Datum, Indikatoren und Zielwerte; mit dem Maßnahmenkatalog als CSV"</p>
                    <nav class="toc" aria-labelledby="inhalt-titel">
                        <h2 id="inhalt-titel">"Inhalt"</h2>
                        <ol>
                            {p.themes.iter().map(|t| view! { <li><a href=format!("#kapitel-{}", t.code)>{t.title.clone()}</a></li> }).collect_view()}
                        </ol>
                    </nav>
                    {p.themes.into_iter().map(|t| view! { <Chapter theme=t/> }).collect_view()}
                })
            })}
        </Suspense>
    }
}

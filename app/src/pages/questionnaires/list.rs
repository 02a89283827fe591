//! The list of questionnaires: their status (draft, open, closed), a new version as copy, and
//! a new questionnaire.

use super::fns;
use crate::components::admin::{AdminNav, Csrf, FlashNotice, FormErrors, TextField};
use crate::components::{loaded, Loading};
use domain::builder::{deadline_field, field};
use domain::staff::Flash;
use domain::QuestionnaireStatus;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QuestionnairesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fns::questionnaires());
    view! {
        <Title text="Fragebögen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let csrf = p.me.csrf.clone();
                    let new = Flash::for_form(&flash, "neu");
                    let series = p.series.clone();
                    // The series and wave of each questionnaire, for its card.
                    let wave_of = move |id: i64| series.iter().find_map(|s| {
                        s.waves.iter().find(|w| w.questionnaire_id == id).map(|w| format!("{}: Welle {} ({} von {})", s.title, w.label, w.position, s.waves.len()))
                    });
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <h1>"Fragebögen"</h1>
                        <FlashNotice flash=flash.clone()/>
                        <section aria-labelledby="reihen-h" class="card">
                            <h2 id="reihen-h">"Reihen und Wellen"</h2>
                            <p class="hint">"Eine Reihe fasst die Wellen einer wiederholten Befragung zusammen (z. B. 2018 und 2026). „Als neue Version kopieren“ legt die nächste Welle an; die Auswertung kann dann eine Welle mit einer früheren vergleichen."</p>
                            <ul class="series-list">
                                {p.series.iter().map(|s| view! {
                                    <li>
                                        <strong>{s.title.clone()}</strong>
                                        ": "
                                        {s.waves.iter().map(|w| format!("Welle {} („{}“)", w.label, w.title)).collect::<Vec<_>>().join(" → ")}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        {p.questionnaires.into_iter().map(|q| {
                            let form = format!("status-{}", q.id);
                            let problems = Flash::for_form(&flash, &form);
                            let deadline_id = deadline_field(q.id);
                            let error = problems.error(&deadline_id);
                            let deadline_value = if problems.errors.is_empty() { q.deadline.clone().unwrap_or_default() } else { problems.value(field::DEADLINE) };
                            view! {
                                <section class="card" aria-labelledby=format!("fb-{}", q.id)>
                                    <h2 id=format!("fb-{}", q.id)>{q.title.clone()}</h2>
                                    <dl class="facts-list">
                                        <dt>"Reihe und Welle"</dt><dd>{wave_of(q.id).unwrap_or_else(|| "keine".into())}</dd>
                                        <dt>"Status"</dt><dd>{q.status.label()}</dd>
                                        <dt>"Frist"</dt><dd>{q.deadline.clone().unwrap_or_else(|| "keine".into())}</dd>
                                        <dt>"Umfang"</dt><dd>{format!("{} Handlungsfelder, {} Fragen", q.themes, q.questions)}</dd>
                                        <dt>"Antworten und Links"</dt><dd>{q.responses}</dd>
                                        <dt>"Offener Link"</dt><dd><a href=format!("/o/{}", q.slug)>{format!("/o/{}", q.slug)}</a></dd>
                                    </dl>
                                    <p class="row-actions">
                                        <a href=format!("/verwaltung/fragebogen/{}", q.id) aria-label=format!("Fragebogen „{}“ bearbeiten", q.title)>"Bearbeiten"</a>
                                        <a href=format!("/verwaltung/fragebogen/{}/vorschau", q.id) aria-label=format!("Vorschau von „{}“", q.title)>"Vorschau"</a>
                                        <a href=format!("/verwaltung?fragebogen={}", q.id)>"Rücklauf ansehen"</a>
                                        <a href=format!("/verwaltung/fragebogen/{}/antworten-import", q.id) aria-label=format!("Antworten importieren in „{}“", q.title)>"Antworten importieren"</a>
                                    </p>
                                    <FormErrors problems=problems.clone()/>
                                    <form method="post" action=format!("/verwaltung/fragebogen/{}/status", q.id)>
                                        <Csrf token=csrf.clone()/>
                                        <TextField id=deadline_id.clone() name=field::DEADLINE label="Frist für die Teilnahme (wird den Befragten angezeigt)" value=deadline_value error=error input_type="date" hint="Leer lassen für keine Frist."/>
                                        <div class="actions">
                                            {if q.status == QuestionnaireStatus::Open {
                                                view! { <button type="submit" name=field::STATUS value=QuestionnaireStatus::Open.as_str() class="button secondary">"Frist speichern"</button>
                                                        <button type="submit" name=field::STATUS value=QuestionnaireStatus::Closed.as_str() class="button danger">"Befragung schließen"</button> }.into_any()
                                            } else {
                                                view! { <button type="submit" name=field::STATUS value=QuestionnaireStatus::Open.as_str() class="button primary">{if q.status == QuestionnaireStatus::Closed { "Wieder öffnen" } else { "Befragung öffnen" }}</button> }.into_any()
                                            }}
                                        </div>
                                    </form>
                                </section>
                            }
                        }).collect_view()}
                        <section aria-labelledby="neu-h">
                            <h2 id="neu-h">"Neuer Fragebogen"</h2>
                            <p>"Legt einen leeren Entwurf an; Themen und Fragen fügen Sie danach hinzu. Um einen bestehenden Fragebogen weiterzuentwickeln, nutzen Sie dort „Als neue Version kopieren“. Eine frühere Befragung aus LimeSurvey übernehmen Sie mit "<a href="/verwaltung/import">"Fragebogen importieren"</a>"."</p>
                            <FormErrors problems=new.clone()/>
                            <form method="post" action="/verwaltung/fragebogen">
                                <Csrf token=csrf.clone()/>
                                <TextField id="neu-titel".into() name=field::TITLE label="Titel" value=new.value(field::TITLE) error=new.error("neu-titel") required=true/>
                                <TextField id="neu-slug".into() name=field::SLUG label="Name im offenen Link (/o/…)" value=new.value(field::SLUG) error=new.error("neu-slug") hint="Kleinbuchstaben, Ziffern und Bindestriche, z. B. bedarfsanalyse-2027." required=true/>
                                <TextField id="neu-einleitung".into() name=field::INTRO label="Einleitung (optional, Zweck der Befragung)" value=new.value(field::INTRO) error=new.error("neu-einleitung")/>
                                <TextField id="neu-dauer".into() name=field::DURATION label="Dauer in Minuten (ungefähr)" value=if new.errors.is_empty() { "15".to_string() } else { new.value(field::DURATION) } error=new.error("neu-dauer") input_type="number"/>
                                <div class="actions"><button type="submit" class="button primary">"Fragebogen anlegen"</button></div>
                            </form>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

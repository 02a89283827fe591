//! The review of all answers with submit, the thanks, and the copy of the answers.

use super::fns::review;
use crate::components::{loaded, Loading};
use crate::pages::{flag, param};
use domain::views::ReviewPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// All answers with links to change them, and the submit button.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let token = param("token");
    let show_errors = flag("pruefen");
    let data = Resource::new(move || (token.get(), show_errors.get()), |(t, e)| review(t, e));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |v| {
                    let base = format!("/f/{}", token.get_untracked());
                    let errors: Vec<(String, String)> = v
                        .pages
                        .iter()
                        .flat_map(|p| p.items.iter().filter_map(move |i| i.error.clone().map(|e| (format!("/f/{}/s/{}?pruefen=1#{}", token.get_untracked(), p.step, i.field_id), e))))
                        .collect();
                    let title = if errors.is_empty() { "Übersicht Ihrer Antworten" } else { "Fehler: Übersicht Ihrer Antworten" };
                    view! {
                        <Title text=title/>
                        <p class="questionnaire-title">{v.title.clone()}</p>
                        <h1>"Übersicht Ihrer Antworten"</h1>
                        {(!errors.is_empty()).then(|| view! {
                            <div class="error-summary" id="fehler" role="alert" tabindex="-1" aria-labelledby="fehler-titel">
                                <h2 id="fehler-titel">"Der Fragebogen ist noch nicht vollständig"</h2>
                                <ul>
                                    // A full page load (not the router) puts the focus on the field.
                                    {errors.into_iter().map(|(href, message)| view! { <li><a href=href target="_self">{message}</a></li> }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {if v.submitted {
                            view! {
                                <div class="notice"><p>"Dieser Fragebogen ist abgeschickt und kann nicht mehr geändert werden."</p>
                                <p><a href=format!("{base}/kopie")>"Druckfassung Ihrer Antworten"</a></p></div>
                            }.into_any()
                        } else {
                            view! { <p>"Bitte prüfen Sie Ihre Antworten. Über „Ändern“ kommen Sie zur jeweiligen Frage."</p> }.into_any()
                        }}
                        <Answers pages=v.pages.clone() change_base=(!v.submitted).then(|| base.clone())/>
                        {(!v.submitted).then(|| view! {
                            <form method="post" action=format!("{base}/absenden") class="submit-form">
                                <p>{if v.complete {
                                    "Alle Pflichtangaben sind vollständig. Mit dem Abschicken werden Ihre Antworten verbindlich übermittelt; danach können Sie sie nicht mehr ändern."
                                } else {
                                    "Einige Pflichtangaben fehlen noch. Beim Abschicken zeigen wir Ihnen, welche."
                                }}</p>
                                <button type="submit" class="button primary">"Antworten verbindlich abschicken"</button>
                            </form>
                        })}
                    }
                })
            })}
        </Suspense>
    }
}

/// The answers page by page, optionally with links to change them.
#[component]
pub(crate) fn Answers(pages: Vec<ReviewPage>, change_base: Option<String>) -> impl IntoView {
    pages
        .into_iter()
        .map(|page| {
            let change = change_base.clone().map(|base| format!("{base}/s/{}", page.step));
            view! {
                <section class="review-page" aria-labelledby=format!("seite-{}", page.step)>
                    <h2 id=format!("seite-{}", page.step)>{format!("{}. {}", page.step, page.title)}</h2>
                    {change.map(|href| view! {
                        <p><a href=href>"Ändern"<span class="visually-hidden">{format!(": {}", page.title)}</span></a></p>
                    })}
                    <dl>
                        {page.items.into_iter().map(|item| view! {
                            <div class="review-item" class:has-error=item.error.is_some()>
                                <dt>{item.text}</dt>
                                <dd>
                                    {if item.lines.is_empty() {
                                        view! { <span class="unanswered">"keine Angabe"</span> }.into_any()
                                    } else {
                                        view! { <ul>{item.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
                                    }}
                                </dd>
                            </div>
                        }).collect_view()}
                    </dl>
                </section>
            }
        })
        .collect_view()
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let token = param("token");
    let data = Resource::new(move || token.get(), |t| review(t, false));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |v| {
                    let base = format!("/f/{}", token.get_untracked());
                    if !v.submitted {
                        return view! {
                            <Title text="Noch nicht abgeschickt"/>
                            <h1>"Noch nicht abgeschickt"</h1>
                            <p>"Ihre Antworten sind gespeichert, aber noch nicht abgeschickt."</p>
                            <p><a class="button primary" href=format!("{base}/uebersicht")>"Zur Übersicht und zum Abschicken"</a></p>
                        }.into_any();
                    }
                    view! {
                        <Title text="Vielen Dank"/>
                        <div class="confirmation" role="status">
                            <h1>"Vielen Dank für Ihre Teilnahme!"</h1>
                            <p>{format!("Ihre Antworten sind am {} eingegangen.", v.submitted_at.clone().unwrap_or_default())}</p>
                        </div>
                        <p>"Die Arbeitsgruppen des Kommunalen Integrationszentrums werten die Antworten nach Handlungsfeldern aus. Ergebnisse werden nur zusammengefasst veröffentlicht."</p>
                        {v.awaiting_review.then(|| view! {
                            <p>"Antworten über den offenen Link nimmt das Kommunale Integrationszentrum nach einer kurzen Prüfung in die Auswertung auf. So stellen wir sicher, dass niemand die zusammengefassten Ergebnisse mit erfundenen Antworten verfälscht oder auf einzelne Organisationen zurückrechnet."</p>
                        })}
                        <p><a class="button primary" href=format!("{base}/kopie")>"Druckfassung Ihrer Antworten"</a></p>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

/// A printable copy of one's own answers.
#[component]
pub fn CopyPage() -> impl IntoView {
    let token = param("token");
    let data = Resource::new(move || token.get(), |t| review(t, false));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, |v| view! {
                    <Title text="Ihre Antworten"/>
                    <div class="print-copy">
                        <p class="questionnaire-title">{v.title.clone()}</p>
                        <h1>"Ihre Antworten"</h1>
                        <p>{match &v.submitted_at {
                            Some(at) => format!("Abgeschickt am {at}."),
                            None => "Noch nicht abgeschickt (Zwischenstand).".to_string(),
                        }}</p>
                        <p class="no-print">"Zum Drucken oder Speichern als PDF nutzen Sie bitte die Druckfunktion Ihres Browsers (Strg+P)."</p>
                        <Answers pages=v.pages.clone() change_base=None/>
                    </div>
                })
            })}
        </Suspense>
    }
}

//! A single response: its answers for the review of open-link responses, and the
//! confirmation before it is deleted.

use super::fns;
use crate::components::admin::{AdminNav, Csrf, FlashNotice};
use crate::components::{loaded, Loading};
use domain::response::{field, ResponseAction};
use domain::staff::Role;
use domain::Review;
use leptos::prelude::*;
use leptos_meta::Title;

/// One response with its answers; open-link responses are accepted into the aggregated
/// outputs here, or kept out.
#[component]
pub fn ResponseDetailPage() -> impl IntoView {
    let id = crate::pages::param("id");
    let data = Resource::new(move || id.get(), |id| fns::response_detail(id.parse().unwrap_or(0)));
    view! {
        <Title text="Antwort ansehen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(d, flash)| {
                    let action = format!("/verwaltung/antworten/{}", d.response_id);
                    let decision = |aktion: ResponseAction, label: &'static str, class: &'static str| view! {
                        <form method="post" action=action.clone()>
                            <Csrf token=d.me.csrf.clone()/>
                            <input type="hidden" name=field::ACTION value=aktion.as_str()/>
                            <button type="submit" class=class>{label}</button>
                        </form>
                    };
                    view! {
                        <AdminNav me=d.me.clone() current=""/>
                        <p><a href=format!("/verwaltung?fragebogen={}#liste", d.questionnaire_id)>"Zurück zum Rücklauf"</a></p>
                        <h1>{format!("Antwort Nr. {}", d.response_id)}</h1>
                        <FlashNotice flash=flash/>
                        <dl class="facts-list">
                            <dt>"Fragebogen"</dt><dd>{d.questionnaire_title.clone()}</dd>
                            <dt>"Organisation"</dt><dd>{d.organisation.clone().unwrap_or_else(|| "über den offenen Link (ohne Eintrag im Verzeichnis)".into())}</dd>
                            <dt>"Status"</dt><dd>{d.status.label()}</dd>
                            <dt>"Angelegt"</dt><dd>{d.created_at.clone()}</dd>
                            <dt>"Abgeschickt"</dt><dd>{d.submitted_at.clone().unwrap_or_else(|| "noch nicht".into())}</dd>
                            {d.open_link.then(|| view! { <dt>"Auswertung"</dt><dd>{d.review.label()}</dd> })}
                        </dl>
                        {d.open_link.then(|| view! {
                            <section class="review-decision" aria-labelledby="freigabe-titel">
                                <h2 id="freigabe-titel">"Freigabe für die Auswertung"</h2>
                                <p>"Über den offenen Link kann jede Person antworten. Damit niemand mit erfundenen Antworten kleine Gruppen auffüllt und so die Angaben echter Organisationen zurückrechnet, zählt eine solche Antwort erst in Auswertungen, Berichten und dem Export der Kennzahlen, wenn Sie sie freigeben. Prüfen Sie bitte, ob die Angaben zu einer tatsächlich bestehenden Organisation passen, im Zweifel mit einer Rückfrage."</p>
                                <div class="actions">
                                    {(d.review != Review::Accepted).then(|| decision(ResponseAction::Accept, "In die Auswertung aufnehmen", "button primary"))}
                                    {(d.review != Review::Rejected).then(|| decision(ResponseAction::Reject, if d.review == Review::Accepted { "Aus der Auswertung herausnehmen" } else { "Nicht in die Auswertung aufnehmen" }, "button secondary"))}
                                </div>
                            </section>
                        })}
                        <crate::pages::respondent::review::Answers pages=d.pages.clone() change_base=None/>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn DeleteResponsePage() -> impl IntoView {
    let id = crate::pages::param("id");
    let data = Resource::new(|| (), |_| crate::session::me());
    view! {
        <Title text="Antwort löschen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(me, _)| {
                    let id = id.get_untracked();
                    let allowed = me.role == Role::Admin;
                    view! {
                        <AdminNav me=me.clone() current=""/>
                        <h1>{format!("Antwort Nr. {id} löschen?")}</h1>
                        {if allowed {
                            view! {
                                <p class="lead">"Die Antwort und alle ihre Angaben werden endgültig gelöscht; ihr Link führt danach ins Leere. Das lässt sich nicht rückgängig machen."</p>
                                <form method="post" action=format!("/verwaltung/antworten/{id}") class="actions">
                                    <Csrf token=me.csrf.clone()/>
                                    <input type="hidden" name=field::ACTION value=ResponseAction::Delete.as_str()/>
                                    <input type="hidden" name=field::CONFIRMED value="1"/>
                                    <button type="submit" class="button danger">"Endgültig löschen"</button>
                                    <a href="/verwaltung">"Abbrechen"</a>
                                </form>
                            }.into_any()
                        } else {
                            view! { <crate::components::ErrorView error=domain::AppError::not_allowed()/> }.into_any()
                        }}
                    }
                })
            })}
        </Suspense>
    }
}

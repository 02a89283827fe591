//! Response progress: the response rate per municipality and kind of organisation, the
//! responses of a questionnaire with reminders, and the single response (read, accept or keep
//! out, reopen, withdraw, delete). Its forms post to the server crate's `routes::progress`
//! and `routes::invitations` (reminders).

mod fns;
mod response;

pub use response::{DeleteResponsePage, ResponseDetailPage};

use crate::components::admin::{AdminNav, Csrf, FlashNotice, MailOutcome};
use crate::components::{loaded, Loading};
use crate::pages::query_number;
use domain::response::{field, ResponseAction};
use domain::staff::ProgressCounts;
use domain::{QuestionnaireStatus, ResponseStatus, Review};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A counts table: invited, started, submitted, total and rate per row.
#[component]
fn CountsTable(
    caption: &'static str,
    first: &'static str,
    rows: Vec<ProgressCounts>,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        <th scope="col" class="num">"Eingeladen, nicht begonnen"</th>
                        <th scope="col" class="num">"Begonnen"</th>
                        <th scope="col" class="num">"Abgeschickt"</th>
                        <th scope="col" class="num">"Gesamt"</th>
                        <th scope="col" class="num">"Rücklaufquote"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            <td class="num">{r.invited}</td>
                            <td class="num">{r.started}</td>
                            <td class="num">{r.submitted}</td>
                            <td class="num">{r.total()}</td>
                            <td class="num">{format!("{} %", r.rate_percent())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ProgressPage() -> impl IntoView {
    let query = use_query_map();
    let questionnaire = query_number("fragebogen");
    let page = query_number("seite");
    let status = Memo::new(move |_| query.read().get("status").filter(|s| !s.is_empty()));
    let data = Resource::new(
        move || (questionnaire.get(), status.get(), page.get()),
        |(q, s, p)| fns::progress(q, s, p.unwrap_or(1).clamp(1, 100_000) as u32),
    );
    view! {
        <Title text="Rücklauf"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let csrf = p.me.csrf.clone();
                    let q = p.questionnaire.clone();
                    let current_status = status.get_untracked().unwrap_or_default();
                    let page_no = page.get_untracked().unwrap_or(1).max(1);
                    let more = p.entries.len() as i64 >= 100;
                    let questionnaire_id = p.questionnaire.id;
                    let mail_enabled = p.mail_enabled;
                    let open = p.questionnaire.status == QuestionnaireStatus::Open;
                    let notice = flash.clone().filter(|f| f.form != "erinnerungen");
                    let link = move |n: i64| format!("/verwaltung?fragebogen={}&status={}&seite={n}", q.id, current_status);
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung"/>
                        <h1>"Rücklauf"</h1>
                        <FlashNotice flash=notice/>
                        <form method="get" action="/verwaltung" class="filters">
                            <div class="field">
                                <label for="fragebogen">"Fragebogen"</label>
                                <select id="fragebogen" name="fragebogen">
                                    {p.questionnaires.iter().map(|c| view! {
                                        <option value=c.id.to_string() selected=c.id == p.questionnaire.id>{format!("{} ({})", c.title, c.status_label)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="status">"Liste: Status"</label>
                                <select id="status" name="status">
                                    {[("", "alle"), ("invited", "eingeladen"), ("draft", "begonnen"), ("submitted", "abgeschickt"), ("pending", "abgeschickt, wartet auf Freigabe"), ("revoked", "zurückgezogen")]
                                        .into_iter()
                                        .map(|(v, l)| view! { <option value=v selected=status.get_untracked().as_deref().unwrap_or("") == v>{l}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button secondary">"Anzeigen"</button>
                        </form>
                        <p class="lead">
                            {format!(
                                "{}: {} von {} Links abgeschickt ({} %), {} begonnen, {} noch nicht begonnen.",
                                p.questionnaire.title, p.total.submitted, p.total.total(), p.total.rate_percent(), p.total.started, p.total.invited
                            )}
                        </p>
                        {(p.awaiting_review > 0).then(|| view! {
                            <div class="notice" role="status">
                                <p>
                                    {format!(
                                        "{} über den offenen Link abgeschickte {} auf Ihre Prüfung. Erst freigegebene Antworten zählen in Auswertungen, Berichten und dem Export der Kennzahlen. ",
                                        p.awaiting_review,
                                        if p.awaiting_review == 1 { "Antwort wartet" } else { "Antworten warten" }
                                    )}
                                    <a href=format!("/verwaltung?fragebogen={questionnaire_id}&status=pending#liste")>"Zu prüfende Antworten anzeigen"</a>
                                </p>
                            </div>
                        })}
                        <CountsTable caption="Rücklauf nach Kommune (eine Organisation, die mehrere Kommunen bedient, zählt bei jeder)" first="Kommune" rows=p.by_municipality.clone()/>
                        <CountsTable caption="Rücklauf nach Art der Organisation" first="Art der Organisation" rows=p.by_kind.clone()/>
                        <section aria-labelledby="erinnern-titel">
                            <h2 id="erinnern-titel">"Erinnerungen per E-Mail"</h2>
                            <MailOutcome flash=flash.clone() form="erinnerungen"/>
                            {if !mail_enabled {
                                view! { <p id="erinnern">"Der Versand per E-Mail ist nicht eingerichtet (Einstellung SMTP_HOST). Erinnern Sie bitte auf anderem Weg, z. B. mit einem Serienbrief."</p> }.into_any()
                            } else if !open {
                                view! { <p id="erinnern">"Erinnerungen können nur zu einem geöffneten Fragebogen versendet werden."</p> }.into_any()
                            } else {
                                view! {
                                    <p>"Jede Organisation mit E-Mail-Adresse, deren Link noch nicht abgeschickt ist, erhält eine Erinnerung. Wer noch nicht begonnen hat, bekommt einen neuen Link, der den alten ersetzt; wer schon begonnen hat, eine Erinnerung ohne Link (der Link ist nur als Prüfsumme gespeichert), damit die gespeicherten Angaben erreichbar bleiben."</p>
                                    <form method="post" action=format!("/verwaltung/fragebogen/{questionnaire_id}/erinnerungen")>
                                        <Csrf token=csrf.clone()/>
                                        <button type="submit" id="erinnern" class="button secondary">"Erinnerung senden an alle, die noch nicht abgeschickt haben"</button>
                                    </form>
                                }.into_any()
                            }}
                        </section>
                        <h2 id="liste">"Organisationen und Links"</h2>
                        {if p.entries.is_empty() {
                            view! { <p>"Keine Links in dieser Auswahl."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Organisationen und Links">
                                    <table class="data">
                                        <caption>{format!("Links, zuletzt aktive zuerst (Seite {page_no})")}</caption>
                                        <thead><tr>
                                            <th scope="col">"Nr."</th><th scope="col">"Organisation"</th><th scope="col">"Art"</th>
                                            <th scope="col">"Kommunen"</th><th scope="col">"Status"</th><th scope="col">"Letzte Aktivität"</th><th scope="col">"E-Mail"</th><th scope="col">"Aktionen"</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.entries.iter().map(|e| {
                                                let action = format!("/verwaltung/antworten/{}", e.response_id);
                                                let csrf = csrf.clone();
                                                let name = e.organisation.clone().unwrap_or_else(|| "über den offenen Link".into());
                                                view! {
                                                    <tr>
                                                        <td>{e.response_id}</td>
                                                        <th scope="row">{name.clone()}</th>
                                                        <td>{e.kind_label.clone()}</td>
                                                        <td>{e.municipalities.join(", ")}</td>
                                                        <td>
                                                            {e.status.label()}
                                                            {e.open_link.then(|| view! { <br/><span class="review-state">{e.review.label()}</span> })}
                                                        </td>
                                                        <td>{e.last_activity.clone()}</td>
                                                        <td>
                                                            {e.invited_mail_at.clone().map(|t| view! { <span class="mail-sent">{format!("Einladung: {t}")}</span> })}
                                                            {e.reminded_at.clone().map(|t| view! { <br/><span class="mail-sent">{format!("Erinnerung: {t}")}</span> })}
                                                            {(e.invited_mail_at.is_none() && e.reminded_at.is_none()).then_some("–")}
                                                        </td>
                                                        <td class="row-actions">
                                                            {(mail_enabled && open && e.organisation.is_some() && e.status.is_unanswered()).then(|| view! {
                                                                <form method="post" action=format!("/verwaltung/fragebogen/{questionnaire_id}/erinnerungen")>
                                                                    <Csrf token=csrf.clone()/>
                                                                    <input type="hidden" name=domain::invitations::field::RESPONSE value=e.response_id.to_string()/>
                                                                    <button type="submit" class="button link" aria-label=format!("{name} per E-Mail erinnern (Antwort Nr. {})", e.response_id)>"Erinnern"</button>
                                                                </form>
                                                            })}
                                                            {(e.status == ResponseStatus::Submitted).then(|| view! {
                                                                <form method="post" action=action.clone()>
                                                                    <Csrf token=csrf.clone()/>
                                                                    <input type="hidden" name=field::ACTION value=ResponseAction::Reopen.as_str()/>
                                                                    <button type="submit" class="button link" aria-label=format!("Antwort Nr. {} ({name}) wieder öffnen", e.response_id)>"Wieder öffnen"</button>
                                                                </form>
                                                            })}
                                                            {e.status.is_unanswered().then(|| view! {
                                                                <form method="post" action=action.clone()>
                                                                    <Csrf token=csrf.clone()/>
                                                                    <input type="hidden" name=field::ACTION value=ResponseAction::Withdraw.as_str()/>
                                                                    <button type="submit" class="button link" aria-label=format!("Link der Antwort Nr. {} ({name}) zurückziehen", e.response_id)>"Link zurückziehen"</button>
                                                                </form>
                                                            })}
                                                            <a href=action.clone() aria-label=format!("Antwort Nr. {} ({name}) ansehen{}", e.response_id, if e.open_link { " und prüfen" } else { "" })>
                                                                {if e.open_link && e.review == Review::Pending { "Prüfen …" } else { "Ansehen" }}
                                                            </a>
                                                            <a href=format!("{action}/loeschen") aria-label=format!("Antwort Nr. {} ({name}) löschen", e.response_id)>"Löschen …"</a>
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <nav class="pager" aria-label="Seiten der Liste">
                                    {(page_no > 1).then(|| view! { <a href=link(page_no - 1)>"Vorige Seite"</a> })}
                                    {more.then(|| view! { <a href=link(page_no + 1)>"Nächste Seite"</a> })}
                                </nav>
                            }.into_any()
                        }}
                    }
                })
            })}
        </Suspense>
    }
}

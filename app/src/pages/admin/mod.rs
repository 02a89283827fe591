//! The administration: response progress, questionnaires, organisations and invitations,
//! accounts, audit log, password. Pages read through `admin_fns`; their forms post to the
//! handlers of the server crate and come back here with a notice or the form's problems.

pub mod builder;
mod export;
pub use export::ExportPage;

use crate::admin_fns;
use crate::components::admin::{
    AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors, MailOutcome, TextField,
};
use crate::components::{loaded, Loading};
use crate::pages::query_number;
use domain::reference::{MUNICIPALITIES, ORG_KINDS};
use domain::staff::{review_label, Flash, ProgressCounts, Role, ThemeChoice as Theme};
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
        |(q, s, p)| admin_fns::progress(q, s, p.unwrap_or(1).clamp(1, 100_000) as u32),
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
                    let open = p.questionnaire.status == "open";
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
                                                            {e.status_label.clone()}
                                                            {e.open_link.then(|| view! { <br/><span class="review-state">{review_label(&e.review)}</span> })}
                                                        </td>
                                                        <td>{e.last_activity.clone()}</td>
                                                        <td>
                                                            {e.invited_mail_at.clone().map(|t| view! { <span class="mail-sent">{format!("Einladung: {t}")}</span> })}
                                                            {e.reminded_at.clone().map(|t| view! { <br/><span class="mail-sent">{format!("Erinnerung: {t}")}</span> })}
                                                            {(e.invited_mail_at.is_none() && e.reminded_at.is_none()).then_some("–")}
                                                        </td>
                                                        <td class="row-actions">
                                                            {(mail_enabled && open && e.organisation.is_some() && (e.status == "invited" || e.status == "draft")).then(|| view! {
                                                                <form method="post" action=format!("/verwaltung/fragebogen/{questionnaire_id}/erinnerungen")>
                                                                    <Csrf token=csrf.clone()/>
                                                                    <input type="hidden" name="antwort" value=e.response_id.to_string()/>
                                                                    <button type="submit" class="button link" aria-label=format!("{name} per E-Mail erinnern (Antwort Nr. {})", e.response_id)>"Erinnern"</button>
                                                                </form>
                                                            })}
                                                            {(e.status == "submitted").then(|| view! {
                                                                <form method="post" action=action.clone()>
                                                                    <Csrf token=csrf.clone()/>
                                                                    <input type="hidden" name="aktion" value="wieder-oeffnen"/>
                                                                    <button type="submit" class="button link" aria-label=format!("Antwort Nr. {} ({name}) wieder öffnen", e.response_id)>"Wieder öffnen"</button>
                                                                </form>
                                                            })}
                                                            {(e.status == "invited" || e.status == "draft").then(|| view! {
                                                                <form method="post" action=action.clone()>
                                                                    <Csrf token=csrf.clone()/>
                                                                    <input type="hidden" name="aktion" value="zurueckziehen"/>
                                                                    <button type="submit" class="button link" aria-label=format!("Link der Antwort Nr. {} ({name}) zurückziehen", e.response_id)>"Link zurückziehen"</button>
                                                                </form>
                                                            })}
                                                            <a href=action.clone() aria-label=format!("Antwort Nr. {} ({name}) ansehen{}", e.response_id, if e.open_link { " und prüfen" } else { "" })>
                                                                {if e.open_link && e.review == "pending" { "Prüfen …" } else { "Ansehen" }}
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

/// One response with its answers; open-link responses are accepted into the aggregated
/// outputs here, or kept out.
#[component]
pub fn ResponseDetailPage() -> impl IntoView {
    let id = crate::pages::param("id");
    let data =
        Resource::new(move || id.get(), |id| admin_fns::response_detail(id.parse().unwrap_or(0)));
    view! {
        <Title text="Antwort ansehen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(d, flash)| {
                    let action = format!("/verwaltung/antworten/{}", d.response_id);
                    let decision = |aktion: &'static str, label: &'static str, class: &'static str| view! {
                        <form method="post" action=action.clone()>
                            <Csrf token=d.me.csrf.clone()/>
                            <input type="hidden" name="aktion" value=aktion/>
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
                            <dt>"Status"</dt><dd>{d.status_label.clone()}</dd>
                            <dt>"Angelegt"</dt><dd>{d.created_at.clone()}</dd>
                            <dt>"Abgeschickt"</dt><dd>{d.submitted_at.clone().unwrap_or_else(|| "noch nicht".into())}</dd>
                            {d.open_link.then(|| view! { <dt>"Auswertung"</dt><dd>{review_label(&d.review)}</dd> })}
                        </dl>
                        {d.open_link.then(|| view! {
                            <section class="review-decision" aria-labelledby="freigabe-titel">
                                <h2 id="freigabe-titel">"Freigabe für die Auswertung"</h2>
                                <p>"Über den offenen Link kann jede Person antworten. Damit niemand mit erfundenen Antworten kleine Gruppen auffüllt und so die Angaben echter Organisationen zurückrechnet, zählt eine solche Antwort erst in Auswertungen, Berichten und dem Export der Kennzahlen, wenn Sie sie freigeben. Prüfen Sie bitte, ob die Angaben zu einer tatsächlich bestehenden Organisation passen, im Zweifel mit einer Rückfrage."</p>
                                <div class="actions">
                                    {(d.review != "accepted").then(|| decision("freigeben", "In die Auswertung aufnehmen", "button primary"))}
                                    {(d.review != "rejected").then(|| decision("ablehnen", if d.review == "accepted" { "Aus der Auswertung herausnehmen" } else { "Nicht in die Auswertung aufnehmen" }, "button secondary"))}
                                </div>
                            </section>
                        })}
                        <crate::pages::review::Answers pages=d.pages.clone() change_base=None/>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn DeleteResponsePage() -> impl IntoView {
    let id = crate::pages::param("id");
    let data = Resource::new(|| (), |_| admin_fns::me());
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
                                    <input type="hidden" name="aktion" value="loeschen"/>
                                    <input type="hidden" name="bestaetigt" value="1"/>
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

#[component]
pub fn QuestionnairesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_fns::questionnaires());
    view! {
        <Title text="Fragebögen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let csrf = p.me.csrf.clone();
                    let new = Flash::for_form(&flash, "neu");
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <h1>"Fragebögen"</h1>
                        <FlashNotice flash=flash.clone()/>
                        {p.questionnaires.into_iter().map(|q| {
                            let form = format!("status-{}", q.id);
                            let problems = Flash::for_form(&flash, &form);
                            let field = format!("frist-{}", q.id);
                            let error = problems.error(&field);
                            let deadline_value = if problems.errors.is_empty() { q.deadline.clone().unwrap_or_default() } else { problems.value("frist") };
                            view! {
                                <section class="card" aria-labelledby=format!("fb-{}", q.id)>
                                    <h2 id=format!("fb-{}", q.id)>{q.title.clone()}</h2>
                                    <dl class="facts-list">
                                        <dt>"Status"</dt><dd>{q.status_label.clone()}</dd>
                                        <dt>"Frist"</dt><dd>{q.deadline.clone().unwrap_or_else(|| "keine".into())}</dd>
                                        <dt>"Umfang"</dt><dd>{format!("{} Handlungsfelder, {} Fragen", q.themes, q.questions)}</dd>
                                        <dt>"Antworten und Links"</dt><dd>{q.responses}</dd>
                                        <dt>"Offener Link"</dt><dd><a href=format!("/o/{}", q.slug)>{format!("/o/{}", q.slug)}</a></dd>
                                    </dl>
                                    <p class="row-actions">
                                        <a href=format!("/verwaltung/fragebogen/{}", q.id) aria-label=format!("Fragebogen „{}“ bearbeiten", q.title)>"Bearbeiten"</a>
                                        <a href=format!("/verwaltung/fragebogen/{}/vorschau", q.id) aria-label=format!("Vorschau von „{}“", q.title)>"Vorschau"</a>
                                        <a href=format!("/verwaltung?fragebogen={}", q.id)>"Rücklauf ansehen"</a>
                                    </p>
                                    <FormErrors problems=problems.clone()/>
                                    <form method="post" action=format!("/verwaltung/fragebogen/{}/status", q.id)>
                                        <Csrf token=csrf.clone()/>
                                        <TextField id=field.clone() name="frist" label="Frist für die Teilnahme (wird den Befragten angezeigt)" value=deadline_value error=error input_type="date" hint="Leer lassen für keine Frist."/>
                                        <div class="actions">
                                            {if q.status == "open" {
                                                view! { <button type="submit" name="status" value="open" class="button secondary">"Frist speichern"</button>
                                                        <button type="submit" name="status" value="closed" class="button danger">"Befragung schließen"</button> }.into_any()
                                            } else {
                                                view! { <button type="submit" name="status" value="open" class="button primary">{if q.status == "closed" { "Wieder öffnen" } else { "Befragung öffnen" }}</button> }.into_any()
                                            }}
                                        </div>
                                    </form>
                                </section>
                            }
                        }).collect_view()}
                        <section aria-labelledby="neu-h">
                            <h2 id="neu-h">"Neuer Fragebogen"</h2>
                            <p>"Legt einen leeren Entwurf an; Themen und Fragen fügen Sie danach hinzu. Um einen bestehenden Fragebogen weiterzuentwickeln, nutzen Sie dort „Als neue Version kopieren“."</p>
                            <FormErrors problems=new.clone()/>
                            <form method="post" action="/verwaltung/fragebogen">
                                <Csrf token=csrf.clone()/>
                                <TextField id="neu-titel".into() name="titel" label="Titel" value=new.value("titel") error=new.error("neu-titel") required=true/>
                                <TextField id="neu-slug".into() name="slug" label="Name im offenen Link (/o/…)" value=new.value("slug") error=new.error("neu-slug") hint="Kleinbuchstaben, Ziffern und Bindestriche, z. B. bedarfsanalyse-2027." required=true/>
                                <TextField id="neu-einleitung".into() name="einleitung" label="Einleitung (optional, Zweck der Befragung)" value=new.value("einleitung") error=new.error("neu-einleitung")/>
                                <TextField id="neu-dauer".into() name="dauer" label="Dauer in Minuten (ungefähr)" value=if new.errors.is_empty() { "15".to_string() } else { new.value("dauer") } error=new.error("neu-dauer") input_type="number"/>
                                <div class="actions"><button type="submit" class="button primary">"Fragebogen anlegen"</button></div>
                            </form>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let query = use_query_map();
    let page = query_number("seite");
    let search = Memo::new(move |_| query.read().get("suche").filter(|s| !s.trim().is_empty()));
    let data = Resource::new(
        move || (page.get(), search.get()),
        |(p, s)| admin_fns::organisations(Some(p.unwrap_or(1).clamp(1, 100_000) as u32), s),
    );
    view! {
        <Title text="Organisationen und Einladungen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let csrf = p.me.csrf.clone();
                    let new_org = Flash::for_form(&flash, "organisation-neu");
                    let import = Flash::for_form(&flash, "import");
                    let invite = Flash::for_form(&flash, "einladungen");
                    let chosen_kind = new_org.value("art");
                    let chosen_municipalities = new_org.values_of("kommunen");
                    let first_municipality = format!("kommunen-{}", MUNICIPALITIES[0].ags);
                    let import_notice = flash.as_ref().filter(|f| f.form == "import").and_then(|f| f.notice.clone());
                    let notice = flash.clone().filter(|f| f.form.is_empty());
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/organisationen"/>
                        <h1>"Organisationen und Einladungen"</h1>
                        <FlashNotice flash=notice/>

                        <section aria-labelledby="einladen-titel">
                            <h2 id="einladen-titel">"Einladungslinks erzeugen"</h2>
                            <p>"Erzeugt persönliche Links und lädt sie als CSV-Datei für einen Serienbrief herunter (Excel: Semikolon, UTF-8). Die Links werden nur gehasht gespeichert und können später nicht noch einmal angezeigt werden; ein neu ausgestellter Link ersetzt einen noch nicht benutzten alten."</p>
                            <FormErrors problems=invite.clone()/>
                            {p.questionnaires.iter().map(|q| {
                                let id = format!("einladen-{}", q.id);
                                view! {
                                    <form method="post" action=format!("/verwaltung/fragebogen/{}/einladungen", q.id) class="inline-form">
                                        <Csrf token=csrf.clone()/>
                                        <FieldMessage id=id.clone() error=invite.error(&id)/>
                                        <button type="submit" id=id class="button primary">{format!("Links für alle Organisationen ohne Link: {} ({})", q.title, q.status_label)}</button>
                                    </form>
                                }
                            }).collect_view()}
                        </section>

                        <section aria-labelledby="email-titel">
                            <h2 id="email-titel">"Einladungen per E-Mail senden"</h2>
                            <MailOutcome flash=flash.clone() form="einladungen-email"/>
                            {if p.mail_enabled {
                                view! {
                                    <p>"Sendet jeder Organisation mit E-Mail-Adresse, die noch keinen Link hat, eine Einladung mit ihrem persönlichen Link. Nur versendete Links werden gespeichert; kommt eine E-Mail nicht an, wird ihr Link verworfen und die Adresse unten genannt. Organisationen ohne E-Mail-Adresse erhalten ihren Link über die CSV-Datei."</p>
                                    {p.questionnaires.iter().map(|q| {
                                        let id = format!("einladen-email-{}", q.id);
                                        view! {
                                            <form method="post" action=format!("/verwaltung/fragebogen/{}/einladungen/email", q.id) class="inline-form">
                                                <Csrf token=csrf.clone()/>
                                                <button type="submit" id=id class="button primary">{format!("Einladungen per E-Mail senden: {} ({})", q.title, q.status_label)}</button>
                                            </form>
                                        }
                                    }).collect_view()}
                                }.into_any()
                            } else {
                                view! {
                                    <p id=p.questionnaires.first().map(|q| format!("einladen-email-{}", q.id)).unwrap_or_default()>
                                        "Der Versand per E-Mail ist nicht eingerichtet (Einstellung SMTP_HOST). Erzeugen Sie die Links als CSV-Datei für einen Serienbrief."
                                    </p>
                                }.into_any()
                            }}
                        </section>

                        <section aria-labelledby="import-titel">
                            <h2 id="import-titel">"Aus CSV-Datei importieren"</h2>
                            <p>"Eine Kopfzeile mit den Spalten Name, Art, Kommunen und optional E-Mail; Trennzeichen Semikolon oder Komma; UTF-8 oder Windows-1252 (Excel). Mehrere Kommunen in einer Zelle mit Komma oder „|“ trennen, „kreisweit“ steht für alle 16. Enthält eine Zeile einen Fehler, wird nichts importiert."</p>
                            {import_notice.map(|n| view! { <p class="field-error">{n}</p> })}
                            <FormErrors problems=import.clone()/>
                            <form method="post" action="/verwaltung/organisationen/import" enctype="multipart/form-data">
                                <Csrf token=csrf.clone()/>
                                <div class="field" class:has-error=!import.errors.is_empty()>
                                    <label for="datei">"CSV-Datei (höchstens 5 MB)"</label>
                                    <input type="file" id="datei" name="datei" accept=".csv,text/csv" required
                                        aria-invalid=(!import.errors.is_empty()).then_some("true")/>
                                </div>
                                <div class="actions"><button type="submit" class="button secondary">"Importieren"</button></div>
                            </form>
                        </section>

                        <section aria-labelledby="neu-titel">
                            <h2 id="neu-titel">"Organisation aufnehmen"</h2>
                            <FormErrors problems=new_org.clone()/>
                            <form method="post" action="/verwaltung/organisationen">
                                <Csrf token=csrf.clone()/>
                                <TextField id="name".into() name="name" label="Name der Organisation" value=new_org.value("name") error=new_org.error("name") required=true/>
                                <div class="field" class:has-error=new_org.error("art").is_some()>
                                    <label for="art">"Art der Organisation (Pflichtfeld)"</label>
                                    <FieldMessage id="art".into() error=new_org.error("art")/>
                                    <select id="art" name="art" required aria-describedby=new_org.error("art").map(|_| "art-fehler")>
                                        <option value="">"Bitte wählen"</option>
                                        {ORG_KINDS.iter().map(|k| view! { <option value=k.code selected=chosen_kind == k.code>{k.label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <fieldset class="choices columns" aria-describedby=new_org.error(&first_municipality).map(|_| format!("{first_municipality}-fehler"))>
                                    <legend>"Kommunen, in denen die Organisation tätig ist (Pflichtfeld)"</legend>
                                    <FieldMessage id=first_municipality.clone() error=new_org.error(&first_municipality)/>
                                    {MUNICIPALITIES.iter().map(|m| {
                                        let id = format!("kommunen-{}", m.ags);
                                        view! {
                                            <div class="option">
                                                <input type="checkbox" id=id.clone() name="kommunen" value=m.ags checked=chosen_municipalities.iter().any(|c| c == m.ags)/>
                                                <label for=id>{m.name}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <TextField id="email".into() name="email" label="E-Mail-Adresse für die Einladung" value=new_org.value("email") error=new_org.error("email") input_type="email" autocomplete="off"/>
                                <div class="actions"><button type="submit" class="button secondary">"Aufnehmen"</button></div>
                            </form>
                        </section>

                        <section aria-labelledby="liste-titel">
                            <h2 id="liste-titel">{match p.total {
                                1 => "Verzeichnis (1 Organisation)".to_string(),
                                n => format!("Verzeichnis ({n} Organisationen)"),
                            }}</h2>
                            <form method="get" action="/verwaltung/organisationen" class="filters" role="search">
                                <div class="field">
                                    <label for="suche">"Name enthält"</label>
                                    <input type="search" id="suche" name="suche" value=p.search.clone() maxlength="200"/>
                                </div>
                                <button type="submit" class="button secondary">"Suchen"</button>
                                {(!p.search.is_empty()).then(|| view! { <a href="/verwaltung/organisationen#liste-titel">"Alle anzeigen"</a> })}
                            </form>
                            {(!p.search.is_empty()).then(|| view! {
                                <p role="status">{match p.total {
                                    0 => format!("Keine Organisation, deren Name „{}“ enthält.", p.search),
                                    1 => format!("1 Organisation, deren Name „{}“ enthält.", p.search),
                                    n => format!("{n} Organisationen, deren Name „{}“ enthält.", p.search),
                                }}</p>
                            })}
                            {if p.organisations.is_empty() {
                                if p.search.is_empty() { view! { <p>"Noch keine Organisationen aufgenommen."</p> }.into_any() } else { ().into_any() }
                            } else {
                                let page_no = p.page;
                                let last_page = ((p.total + 99) / 100).max(1);
                                let search_part = if p.search.is_empty() { String::new() } else { format!("suche={}&", domain::filter::percent_encode(&p.search)) };
                                let link = move |n: u32| format!("/verwaltung/organisationen?{search_part}seite={n}#liste-titel");
                                let first = p.questionnaires.first().cloned();
                                let action = first.as_ref().map(|q| format!("/verwaltung/fragebogen/{}/einladungen", q.id)).unwrap_or_default();
                                view! {
                                    <form method="post" action=action>
                                        <Csrf token=csrf.clone()/>
                                        <div class="table-scroll" tabindex="0" role="region" aria-label="Verzeichnis der Organisationen">
                                            <table class="data">
                                                <caption>{format!("Organisationen, Seite {page_no} von {last_page}; ausgewählte erhalten einen neuen Link")}</caption>
                                                <thead><tr><th scope="col">"Auswahl"</th><th scope="col">"Name"</th><th scope="col">"Art"</th><th scope="col">"Kommunen"</th><th scope="col">"E-Mail"</th></tr></thead>
                                                <tbody>
                                                    {p.organisations.iter().map(|o| view! {
                                                        <tr>
                                                            <td><input type="checkbox" name="organisation" value=o.id.to_string() id=format!("org-{}", o.id) aria-label=format!("{} auswählen", o.name)/></td>
                                                            <th scope="row">{o.name.clone()}</th>
                                                            <td>{o.kind_label.clone()}</td>
                                                            <td>{o.municipalities.join(", ")}</td>
                                                            <td>{o.email.clone().unwrap_or_default()}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                        <nav class="pager" aria-label="Seiten des Verzeichnisses">
                                            {(page_no > 1).then(|| view! { <a href=link(page_no - 1)>"Vorige Seite"</a> })}
                                            {p.has_more.then(|| view! { <a href=link(page_no + 1)>"Nächste Seite"</a> })}
                                        </nav>
                                        {first.map(|q| view! {
                                            <div class="actions">
                                                <button type="submit" class="button secondary">{format!("Ausgewählten einen neuen Link ausstellen: {}", q.title)}</button>
                                                {p.mail_enabled.then(|| view! {
                                                    <button type="submit" class="button secondary" formaction=format!("/verwaltung/fragebogen/{}/einladungen/email", q.id)>
                                                        {format!("Ausgewählten einen neuen Link per E-Mail senden: {}", q.title)}
                                                    </button>
                                                })}
                                            </div>
                                        })}
                                    </form>
                                }.into_any()
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_fns::accounts());
    view! {
        <Title text="Konten"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let csrf = p.me.csrf.clone();
                    let new = Flash::for_form(&flash, "konto-neu");
                    let themes = p.themes.clone();
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/konten"/>
                        <h1>"Konten"</h1>
                        <FlashNotice flash=flash.clone()/>
                        <section aria-labelledby="konten-titel">
                            <h2 id="konten-titel">"Bestehende Konten"</h2>
                            {p.accounts.into_iter().map(|a| {
                                let form = format!("konto-{}", a.id);
                                let problems = Flash::for_form(&flash, &form);
                                let themes_field = format!("themen-{}", a.id);
                                let role_field = format!("rolle-{}", a.id);
                                let account_themes = if problems.errors.is_empty() { a.themes.clone() } else { problems.values_of("themen") };
                                view! {
                                    <section class="card" id=form.clone() aria-labelledby=format!("{form}-titel")>
                                        <h3 id=format!("{form}-titel")>{format!("{} ({})", a.name, a.email)}{a.disabled.then_some(" – gesperrt")}</h3>
                                        <p class="meta">{format!("Angelegt {}", a.created_at)}</p>
                                        <FormErrors problems=problems.clone()/>
                                        <form method="post" action=format!("/verwaltung/konten/{}", a.id)>
                                            <Csrf token=csrf.clone()/>
                                            <RoleChoice field_id=role_field.clone() legend="Rolle" chosen=Some(a.role) error=problems.error(&role_field)/>
                                            <ThemeChoice field_id=themes_field.clone() legend="Arbeitsgruppen (Handlungsfelder) – nur für Mitglieder" themes=themes.clone() chosen=account_themes error=problems.error(&themes_field)/>
                                            <div class="option">
                                                <input type="checkbox" id=format!("gesperrt-{}", a.id) name="gesperrt" value="1" checked=a.disabled/>
                                                <label for=format!("gesperrt-{}", a.id)>"Gesperrt (kann sich nicht anmelden; laufende Sitzungen enden)"</label>
                                            </div>
                                            <div class="actions"><button type="submit" class="button secondary">{format!("Konto {} speichern", a.email)}</button></div>
                                        </form>
                                    </section>
                                }
                            }).collect_view()}
                        </section>
                        <section aria-labelledby="neu-titel">
                            <h2 id="neu-titel">"Konto anlegen"</h2>
                            <FormErrors problems=new.clone()/>
                            <form method="post" action="/verwaltung/konten">
                                <Csrf token=csrf.clone()/>
                                <TextField id="name".into() name="name" label="Name" value=new.value("name") error=new.error("name") autocomplete="off" required=true/>
                                <TextField id="email".into() name="email" label="E-Mail-Adresse (Anmeldename)" value=new.value("email") error=new.error("email") input_type="email" autocomplete="off" required=true/>
                                <RoleChoice field_id="rolle".into() legend="Rolle (Pflichtfeld)" chosen=Role::parse(&new.value("rolle")) error=new.error("rolle")/>
                                <ThemeChoice field_id="themen".into() legend="Arbeitsgruppen (Handlungsfelder) – für Mitglieder mindestens eines" themes=p.themes.clone() chosen=new.values_of("themen") error=new.error("themen")/>
                                <TextField id="passwort".into() name="passwort" label="Erstes Passwort" error=new.error("passwort") input_type="password" autocomplete="new-password" hint="Mindestens 12 Zeichen. Übermitteln Sie es auf einem sicheren Weg; die Person kann es nach der Anmeldung ändern." required=true/>
                                <TextField id="passwort_wiederholt".into() name="passwort_wiederholt" label="Erstes Passwort wiederholen" error=new.error("passwort_wiederholt") input_type="password" autocomplete="new-password" required=true/>
                                <div class="actions"><button type="submit" class="button primary">"Konto anlegen"</button></div>
                            </form>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The role radios of an account form; the first radio carries `field_id`, the error's target.
#[component]
fn RoleChoice(
    field_id: String,
    legend: &'static str,
    chosen: Option<Role>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <fieldset class="choices">
            <legend>{legend}</legend>
            <FieldMessage id=field_id.clone() error=error/>
            {[Role::Admin, Role::Member].into_iter().enumerate().map(|(i, r)| {
                let id = if i == 0 { field_id.clone() } else { format!("{field_id}-{}", r.as_str()) };
                view! {
                    <div class="option">
                        <input type="radio" id=id.clone() name="rolle" value=r.as_str() checked=chosen == Some(r)/>
                        <label for=id>{r.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The working-group themes of an account form; the first box carries `field_id`.
#[component]
fn ThemeChoice(
    field_id: String,
    legend: &'static str,
    themes: Vec<Theme>,
    chosen: Vec<String>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <fieldset class="choices columns">
            <legend>{legend}</legend>
            <FieldMessage id=field_id.clone() error=error/>
            {themes.into_iter().enumerate().map(|(i, t)| {
                let id = if i == 0 { field_id.clone() } else { format!("{field_id}-{}", t.code) };
                view! {
                    <div class="option">
                        <input type="checkbox" id=id.clone() name="themen" value=t.code.clone() checked=chosen.contains(&t.code)/>
                        <label for=id>{t.title}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let page = query_number("seite");
    let data = Resource::new(
        move || page.get(),
        |p| admin_fns::audit(p.unwrap_or(1).clamp(1, 1_000_000) as u32),
    );
    view! {
        <Title text="Protokoll"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, _)| {
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/protokoll"/>
                        <h1>"Protokoll der Verwaltung"</h1>
                        <p>"Wer hat wann was in der Verwaltung getan; neueste Einträge zuerst."</p>
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Protokoll">
                            <table class="data">
                                <caption>{format!("Seite {}", p.page)}</caption>
                                <thead><tr><th scope="col">"Zeit"</th><th scope="col">"Wer"</th><th scope="col">"Was"</th><th scope="col">"Einzelheiten"</th></tr></thead>
                                <tbody>
                                    {p.entries.iter().map(|e| view! {
                                        <tr><td>{e.at.clone()}</td><td>{e.actor.clone()}</td><th scope="row">{e.action.clone()}</th><td>{e.detail.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <nav class="pager" aria-label="Seiten des Protokolls">
                            {(p.page > 1).then(|| view! { <a href=format!("/verwaltung/protokoll?seite={}", p.page - 1)>"Neuere Einträge"</a> })}
                            {p.has_more.then(|| view! { <a href=format!("/verwaltung/protokoll?seite={}", p.page + 1)>"Ältere Einträge"</a> })}
                        </nav>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_fns::me());
    view! {
        <Title text="Passwort ändern"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(me, flash)| {
                    let problems = Flash::for_form(&flash, "passwort");
                    view! {
                        <AdminNav me=me.clone() current="/konto/passwort"/>
                        <h1>"Passwort ändern"</h1>
                        <FlashNotice flash=flash.clone()/>
                        <FormErrors problems=problems.clone()/>
                        <form method="post" action="/konto/passwort" class="narrow">
                            <Csrf token=me.csrf.clone()/>
                            <input type="text" name="benutzername" value=me.email.clone() autocomplete="username" hidden/>
                            <TextField id="passwort".into() name="passwort" label="Bisheriges Passwort" error=problems.error("passwort") input_type="password" autocomplete="current-password" required=true/>
                            <TextField id="neues_passwort".into() name="neues_passwort" label="Neues Passwort" error=problems.error("neues_passwort") input_type="password" autocomplete="new-password" hint="Mindestens 12 Zeichen; ein Satz aus mehreren Wörtern ist sicher und gut zu merken." required=true/>
                            <TextField id="neues_passwort_wiederholt".into() name="neues_passwort_wiederholt" label="Neues Passwort wiederholen" error=problems.error("neues_passwort_wiederholt") input_type="password" autocomplete="new-password" required=true/>
                            <div class="actions"><button type="submit" class="button primary">"Passwort ändern"</button></div>
                        </form>
                    }
                })
            })}
        </Suspense>
    }
}

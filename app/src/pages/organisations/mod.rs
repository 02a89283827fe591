//! The organisations that are asked and their invitations: the list with search, adding one,
//! the CSV import, and invitation links as mail-merge file or by e-mail. Its forms post to the
//! server crate's `routes::organisations` and `routes::invitations`.

mod fns;

use crate::components::admin::{
    AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors, MailOutcome, TextField,
};
use crate::components::{loaded, Loading};
use crate::pages::query_number;
use domain::invitations::field as invitation;
use domain::organisations::{field, municipality_field};
use domain::reference::{MUNICIPALITIES, ORG_KINDS};
use domain::staff::Flash;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let query = use_query_map();
    let page = query_number("seite");
    let search = Memo::new(move |_| query.read().get("suche").filter(|s| !s.trim().is_empty()));
    let data = Resource::new(
        move || (page.get(), search.get()),
        |(p, s)| fns::organisations(Some(p.unwrap_or(1).clamp(1, 100_000) as u32), s),
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
                    let chosen_kind = new_org.value(field::KIND);
                    let chosen_municipalities = new_org.values_of(field::MUNICIPALITIES);
                    let first_municipality = municipality_field(MUNICIPALITIES[0].ags);
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
                                    <label for=field::FILE>"CSV-Datei (höchstens 5 MB)"</label>
                                    <input type="file" id=field::FILE name=field::FILE accept=".csv,text/csv" required
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
                                <TextField id=field::NAME.into() name=field::NAME label="Name der Organisation" value=new_org.value(field::NAME) error=new_org.error(field::NAME) required=true/>
                                <div class="field" class:has-error=new_org.error(field::KIND).is_some()>
                                    <label for=field::KIND>"Art der Organisation (Pflichtfeld)"</label>
                                    <FieldMessage id=field::KIND.into() error=new_org.error(field::KIND)/>
                                    <select id=field::KIND name=field::KIND required aria-describedby=new_org.error(field::KIND).map(|_| "art-fehler")>
                                        <option value="">"Bitte wählen"</option>
                                        {ORG_KINDS.iter().map(|k| view! { <option value=k.code selected=chosen_kind == k.code>{k.label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <fieldset class="choices columns" aria-describedby=new_org.error(&first_municipality).map(|_| format!("{first_municipality}-fehler"))>
                                    <legend>"Kommunen, in denen die Organisation tätig ist (Pflichtfeld)"</legend>
                                    <FieldMessage id=first_municipality.clone() error=new_org.error(&first_municipality)/>
                                    {MUNICIPALITIES.iter().map(|m| {
                                        let id = municipality_field(m.ags);
                                        view! {
                                            <div class="option">
                                                <input type="checkbox" id=id.clone() name=field::MUNICIPALITIES value=m.ags checked=chosen_municipalities.iter().any(|c| c == m.ags)/>
                                                <label for=id>{m.name}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <TextField id=field::EMAIL.into() name=field::EMAIL label="E-Mail-Adresse für die Einladung" value=new_org.value(field::EMAIL) error=new_org.error(field::EMAIL) input_type="email" autocomplete="off"/>
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
                                                            <td><input type="checkbox" name=invitation::ORGANISATION value=o.id.to_string() id=format!("org-{}", o.id) aria-label=format!("{} auswählen", o.name)/></td>
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

//! The staff's accounts: role, working groups (themes) and lock of each, and a new account.

use super::fns;
use crate::components::admin::{AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors, TextField};
use crate::components::{loaded, Loading};
use domain::accounts::{account_field, field};
use domain::staff::{Flash, Role, ThemeChoice as Theme};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fns::accounts());
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
                                let themes_field = account_field(field::THEMES, a.id);
                                let role_field = account_field(field::ROLE, a.id);
                                let account_themes = if problems.errors.is_empty() { a.themes.clone() } else { problems.values_of(field::THEMES) };
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
                                                <input type="checkbox" id=format!("gesperrt-{}", a.id) name=field::DISABLED value="1" checked=a.disabled/>
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
                                <TextField id=field::NAME.into() name=field::NAME label="Name" value=new.value(field::NAME) error=new.error(field::NAME) autocomplete="off" required=true/>
                                <TextField id=field::EMAIL.into() name=field::EMAIL label="E-Mail-Adresse (Anmeldename)" value=new.value(field::EMAIL) error=new.error(field::EMAIL) input_type="email" autocomplete="off" required=true/>
                                <RoleChoice field_id=field::ROLE.into() legend="Rolle (Pflichtfeld)" chosen=Role::parse(&new.value(field::ROLE)) error=new.error(field::ROLE)/>
                                <ThemeChoice field_id=field::THEMES.into() legend="Arbeitsgruppen (Handlungsfelder) – für Mitglieder mindestens eines" themes=p.themes.clone() chosen=new.values_of(field::THEMES) error=new.error(field::THEMES)/>
                                <TextField id=field::PASSWORD.into() name=field::PASSWORD label="Erstes Passwort" error=new.error(field::PASSWORD) input_type="password" autocomplete="new-password" hint="Mindestens 12 Zeichen. Übermitteln Sie es auf einem sicheren Weg; die Person kann es nach der Anmeldung ändern." required=true/>
                                <TextField id=field::PASSWORD_REPEATED.into() name=field::PASSWORD_REPEATED label="Erstes Passwort wiederholen" error=new.error(field::PASSWORD_REPEATED) input_type="password" autocomplete="new-password" required=true/>
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
                        <input type="radio" id=id.clone() name=field::ROLE value=r.as_str() checked=chosen == Some(r)/>
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
                        <input type="checkbox" id=id.clone() name=field::THEMES value=t.code.clone() checked=chosen.contains(&t.code)/>
                        <label for=id>{t.title}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

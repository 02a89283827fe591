//! Building blocks of the administration pages: navigation, CSRF field, notices, error
//! summary and labelled fields with their messages.

use domain::staff::{Flash, FormProblems, Principal, Role};
use leptos::prelude::*;

/// Navigation of the signed-in area, with the sign-out button.
#[component]
pub fn AdminNav(me: Principal, current: &'static str) -> impl IntoView {
    let link = move |href: &'static str, label: &'static str| {
        view! { <li><a href=href aria-current=(href == current).then_some("page")>{label}</a></li> }
    };
    let admin = me.role == Role::Admin;
    view! {
        <nav class="admin-nav" aria-label="Verwaltung">
            <ul>
                {admin.then(|| view! {
                    {link("/verwaltung", "Rücklauf")}
                    {link("/verwaltung/fragebogen", "Fragebögen")}
                    {link("/verwaltung/organisationen", "Organisationen und Einladungen")}
                    {link("/verwaltung/konten", "Konten")}
                    {link("/verwaltung/protokoll", "Protokoll")}
                })}
                {link("/auswertung", "Auswertung")}
                {link("/konzept", "Integrationskonzept")}
                {link("/verwaltung/export", "Export")}
                {link("/konto/passwort", "Passwort ändern")}
            </ul>
            <form method="post" action="/abmelden" class="logout">
                <span class="who">{format!("Angemeldet: {} ({})", me.name, me.role.label())}</span>
                <button type="submit" class="button secondary">"Abmelden"</button>
            </form>
        </nav>
    }
}

/// The session's token against cross-site request forgery; every form of the area sends it.
#[component]
pub fn Csrf(token: String) -> impl IntoView {
    view! { <input type="hidden" name=domain::form::CSRF value=token/> }
}

/// The notice a form post left, e.g. "Das Konto wurde angelegt."
#[component]
pub fn FlashNotice(flash: Option<Flash>) -> impl IntoView {
    flash.and_then(|f| f.notice).map(|text| {
        view! { <div class="notice confirmation" role="status"><p>{text}</p></div> }
    })
}

/// What a round of mails did (flash of `form`): the summary, then each mail that did not go
/// out, or why nothing was sent.
#[component]
pub fn MailOutcome(flash: Option<Flash>, form: &'static str) -> impl IntoView {
    flash.filter(|f| f.form == form).map(|f| {
        let errors = f.problems.errors;
        let heading = match (&f.notice, errors.len()) {
            (None, _) => "Es wurde nichts versendet".to_string(),
            (Some(_), 1) => "1 E-Mail wurde nicht versendet".to_string(),
            (Some(_), n) => format!("{n} E-Mails wurden nicht versendet"),
        };
        view! {
            {f.notice.map(|text| view! { <div class="notice confirmation" role="status"><p>{text}</p></div> })}
            {(!errors.is_empty()).then(|| view! {
                <div class="error-summary" id="fehler" role="alert" tabindex="-1" aria-labelledby="fehler-titel">
                    <h2 id="fehler-titel">{heading}</h2>
                    <ul>
                        {errors.into_iter().map(|e| view! { <li><a href=format!("#{}", e.field_id) target="_self">{e.message}</a></li> }).collect_view()}
                    </ul>
                </div>
            })}
        }
    })
}

/// The problems of a form at its top, each linking to its field.
#[component]
pub fn FormErrors(problems: FormProblems) -> impl IntoView {
    let errors = problems.errors;
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" id="fehler" role="alert" tabindex="-1" aria-labelledby="fehler-titel">
                <h2 id="fehler-titel">
                    {if errors.len() == 1 { "Bitte korrigieren Sie eine Angabe".to_string() } else { format!("Bitte korrigieren Sie {} Angaben", errors.len()) }}
                </h2>
                <ul>
                    {errors.into_iter().map(|e| view! { <li><a href=format!("#{}", e.field_id) target="_self">{e.message}</a></li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The message at a field.
#[component]
pub fn FieldMessage(id: String, error: Option<String>) -> impl IntoView {
    error.map(|text| {
        view! {
            <p class="field-error" id=format!("{id}-fehler")>
                <span class="visually-hidden">"Fehler: "</span>
                {text}
            </p>
        }
    })
}

/// What describes a field: its hint and its error message, when it has them.
fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> =
        [hint.then(|| format!("{id}-hinweis")), error.then(|| format!("{id}-fehler"))]
            .into_iter()
            .flatten()
            .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled single-line input with hint and error.
#[component]
pub fn TextField(
    id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hinweis");
    let described = described_by(&id, hint.is_some(), error.is_some());
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}{required.then_some(" (Pflichtfeld)")}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <FieldMessage id=id.clone() error=error.clone()/>
            <input
                type=input_type
                id=id.clone()
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described
            />
        </div>
    }
}

/// A labelled multi-line input with hint and error; its text is escaped (see `textarea_html`).
#[component]
pub fn TextArea(
    id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let hint_id = format!("{id}-hinweis");
    let described = described_by(&id, hint.is_some(), error.is_some());
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}{required.then_some(" (Pflichtfeld)")}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <FieldMessage id=id.clone() error=error.clone()/>
            <textarea
                id=id.clone()
                name=name
                rows=rows.to_string()
                required=required
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described
                inner_html=crate::components::question::textarea_html(&value)
            ></textarea>
        </div>
    }
}

//! The response filter's fields (municipalities, kinds of organisation, period, status), shared
//! by the export form and the dashboards. They belong to a GET form, so that a filtered view
//! is a plain, shareable URL.

use crate::components::admin::FieldMessage;
use domain::filter::StatusFilter;
use domain::reference::{MUNICIPALITIES, ORG_KINDS};
use domain::staff::FormProblems;
use leptos::prelude::*;

/// `chosen` holds the query's values (as typed), `problems.errors` the messages per field id.
#[component]
pub fn FilterFields(chosen: FormProblems, #[prop(optional)] with_status: bool) -> impl IntoView {
    let picked = |name: &str, code: &str| chosen.values.iter().any(|(k, v)| k == name && v == code);
    let error = |id: &str| chosen.error(id);
    let date = |name: &str| {
        let typed = chosen.value(name);
        // The date input shows ISO dates; a German date typed elsewhere is converted.
        domain::filter::Date::parse(&typed).map(|d| d.to_iso()).unwrap_or(typed)
    };
    let status = chosen.value("status");
    let checkbox_group = |name: &'static str,
                          legend: &'static str,
                          items: Vec<(String, String)>| {
        let first = format!("f-{name}");
        let message = error(&first);
        view! {
            <fieldset class="choices columns" aria-describedby=message.as_ref().map(|_| format!("{first}-fehler"))>
                <legend>{legend}</legend>
                <FieldMessage id=first.clone() error=message.clone()/>
                {items.into_iter().enumerate().map(|(i, (code, label))| {
                    let id = if i == 0 { first.clone() } else { format!("f-{name}-{code}") };
                    view! {
                        <div class="option">
                            <input type="checkbox" id=id.clone() name=name value=code.clone() checked=picked(name, &code)/>
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
    };
    let municipalities = municipality_items();
    let kinds = org_kind_items();
    let date_field = |name: &'static str, label: &'static str| {
        let id = format!("f-{name}");
        let message = error(&id);
        view! {
            <div class="field" class:has-error=message.is_some()>
                <label for=id.clone()>{label}</label>
                <FieldMessage id=id.clone() error=message.clone()/>
                <input type="date" id=id.clone() name=name value=date(name)
                    aria-invalid=message.is_some().then_some("true")
                    aria-describedby=message.as_ref().map(|_| format!("{id}-fehler"))/>
            </div>
        }
    };
    view! {
        <fieldset class="filter">
            <legend>"Welche Antworten?"</legend>
            <p class="hint">"Ohne Auswahl gelten alle. Antworten für den ganzen Kreis zählen bei jeder Kommune mit."</p>
            {checkbox_group("gemeinde", "Kommunen", municipalities)}
            {checkbox_group("art", "Art der Organisation", kinds)}
            <fieldset class="period">
                <legend>"Zeitraum (abgeschickt am; Entwürfe: zuletzt gespeichert)"</legend>
                {date_field("von", "Von (einschließlich)")}
                {date_field("bis", "Bis (einschließlich)")}
            </fieldset>
            {with_status.then(|| {
                let message = error("f-status");
                view! {
                    <div class="field" class:has-error=message.is_some()>
                        <label for="f-status">"Stand der Antworten"</label>
                        <FieldMessage id="f-status".to_string() error=message.clone()/>
                        <select id="f-status" name="status">
                            {StatusFilter::ALL.into_iter().map(|s| view! {
                                <option value=s.as_query() selected=status == s.as_query()>{s.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            })}
        </fieldset>
    }
}

/// One select of a dashboard's view form (municipality, kind, month): "all" first, then the
/// items, the chosen one selected; `hint_id` names the paragraph explaining the one-at-a-time
/// rule, which every select of the form points to.
#[component]
pub fn ViewSelect(
    chosen: FormProblems,
    name: &'static str,
    label: &'static str,
    all: &'static str,
    items: Vec<(String, String)>,
    hint_id: &'static str,
) -> impl IntoView {
    let id = format!("f-{name}");
    let message = chosen.error(&id);
    let value = chosen.value(name);
    let described_by = match &message {
        Some(_) => format!("{hint_id} {id}-fehler"),
        None => hint_id.to_string(),
    };
    view! {
        <div class="field" class:has-error=message.is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessage id=id.clone() error=message.clone()/>
            <select id=id.clone() name=name aria-invalid=message.is_some().then_some("true") aria-describedby=described_by>
                <option value="" selected=value.is_empty()>{all}</option>
                {items.into_iter().map(|(code, text)| {
                    let selected = value == code;
                    view! { <option value=code selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The municipalities as select items (AGS, name).
pub fn municipality_items() -> Vec<(String, String)> {
    MUNICIPALITIES.iter().map(|m| (m.ags.to_string(), m.name.to_string())).collect()
}

/// The kinds of organisation as select items (code, label).
pub fn org_kind_items() -> Vec<(String, String)> {
    ORG_KINDS.iter().map(|k| (k.code.to_string(), k.label.to_string())).collect()
}

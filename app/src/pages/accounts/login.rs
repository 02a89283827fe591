//! The sign-in page, and the same form as a complete document for a failed sign-in (the
//! server crate answers the post with it, keeping what was typed).

use crate::components::admin::TextField;
use domain::accounts::field;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in form; `message` is the problem of a failed attempt.
#[component]
pub fn LoginForm(
    email: String,
    next: String,
    message: Option<String>,
    #[prop(optional)] info: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Title text="Anmeldung"/>
        <h1>"Anmeldung für das Kommunale Integrationszentrum und die Arbeitsgruppen"</h1>
        {info.map(|text| view! { <div class="notice" role="status"><p>{text}</p></div> })}
        {message.clone().map(|text| view! {
            <div class="error-summary" id="fehler" role="alert" tabindex="-1" aria-labelledby="fehler-titel">
                <h2 id="fehler-titel">"Die Anmeldung ist nicht gelungen"</h2>
                <ul><li><a href="#email" target="_self">{text}</a></li></ul>
            </div>
        })}
        <form method="post" action="/anmelden" class="narrow">
            <input type="hidden" name=field::NEXT value=next/>
            <TextField id=field::EMAIL.into() name=field::EMAIL label="E-Mail-Adresse" value=email input_type="email" autocomplete="username" required=true/>
            <TextField id=field::PASSWORD.into() name=field::PASSWORD label="Passwort" input_type="password" autocomplete="current-password" required=true/>
            <div class="actions"><button type="submit" class="button primary">"Anmelden"</button></div>
        </form>
        <p class="meta">"Passwort vergessen? Bitte wenden Sie sich an die Administration des Kommunalen Integrationszentrums."</p>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let (next, info) = query.with_untracked(|q| {
        let info = if q.get("abgemeldet").is_some() {
            Some("Sie haben sich abgemeldet.")
        } else if q.get("abgelaufen").is_some() {
            Some("Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen oder Sie waren nicht angemeldet.")
        } else {
            None
        };
        (q.get("weiter").unwrap_or_else(|| "/verwaltung".into()), info)
    });
    view! { <LoginForm email=String::new() next message=None info=info.unwrap_or_default()/> }
}

/// The sign-in page after a failed attempt, rendered by the form post's handler.
#[cfg(feature = "ssr")]
pub fn login_document(email: &str, next: &str, message: &str) -> String {
    let (email, next, message) = (email.to_string(), next.to_string(), message.to_string());
    crate::document("Anmeldung", move || {
        view! { <LoginForm email next message=Some(message)/> }.into_any()
    })
}

pub mod admin;
pub mod error_summary;
pub mod figures;
pub mod filter;
pub mod layout;
pub mod privacy;
pub mod question;
pub mod question_form;

use domain::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Renders a loaded page or the error it ended in.
pub fn loaded<T, V>(
    result: Result<Result<T, AppError>, ServerFnError>,
    view: impl FnOnce(T) -> V,
) -> AnyView
where
    V: IntoView + 'static,
{
    match result {
        Ok(Ok(data)) => view(data).into_any(),
        Ok(Err(error)) => view! { <ErrorView error/> }.into_any(),
        Err(error) => view! { <ErrorView error=AppError::internal(error)/> }.into_any(),
    }
}

/// A clear error page; on the server it also sets the HTTP status (404, 410, …).
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(feature = "ssr")]
    if error == AppError::Unauthenticated {
        // Page loads of the signed-in area lead to the sign-in, and back afterwards.
        let location = leptos_router::hooks::use_location();
        // The router's `search` comes without its `?`.
        let search = location.search.get_untracked();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get_untracked();
        let here = if search.is_empty() { path } else { format!("{path}?{search}") };
        let here = if here.starts_with("/api") { "/verwaltung".to_string() } else { here };
        leptos_axum::redirect(&format!("/anmelden?weiter={}", encode_query_value(&here)));
    }
    let title = error.title();
    let sign_in = (error == AppError::Unauthenticated)
        .then(|| view! { <p><a class="button primary" href="/anmelden">"Zur Anmeldung"</a></p> });
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p class="lead">{error.to_string()}</p>
        {sign_in}
        <p><a href="/">"Zur Startseite"</a></p>
    }
}

/// Percent-encodes what would break a query value.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Duration, interruptions and deadline, on the start pages.
#[component]
pub fn SurveyFacts(duration_minutes: u32, steps: usize, deadline: Option<String>) -> impl IntoView {
    view! {
        <ul class="facts">
            <li>{format!("Dauer: etwa {duration_minutes} Minuten, in {steps} Schritten")}</li>
            <li>"Sie können jederzeit unterbrechen: Ihre Angaben werden bei jedem Schritt gespeichert."</li>
            {deadline.map(|d| view! { <li>{format!("Teilnahme bis {d}")}</li> })}
        </ul>
    }
}

/// Shown while a page loads after client-side navigation.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Wird geladen …"</p> }
}

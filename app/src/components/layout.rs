use crate::SITE_NAME;
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    focus_content_after_navigation();
    // Set once the script runs: the browser tests wait for it before they rely on the router.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        // `target="_self"`: the browser, not the router, follows the link and moves the focus.
        <a class="skip-link" href="#inhalt" target="_self">"Zum Inhalt springen"</a>
        <header class="site-header">
            <div class="wrap">
                <a class="site-name" href="/">
                    <span class="site-owner">"Kreis Kleve · Kommunales Integrationszentrum"</span>
                    <span class="site-title">{SITE_NAME}</span>
                </a>
            </div>
        </header>
        <main id="inhalt" class="wrap" tabindex="-1" data-hydrated=move || hydrated.get().then_some("true")>
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <nav aria-label="Rechtliches">
                    <ul>
                        <li><a href="/datenschutz">"Datenschutz"</a></li>
                        <li><a href="/barrierefreiheit">"Erklärung zur Barrierefreiheit"</a></li>
                    </ul>
                </nav>
                <p>"Kommunales Integrationszentrum Kreis Kleve · Nassauerallee 15–23 · 47533 Kleve"</p>
            </div>
        </footer>
    }
}

/// After the router has changed the page in the browser (a link followed without reloading),
/// the focus would stay on the link, which is gone, and the next Tab would start somewhere
/// in the footer. Like a page load, start again at the content.
#[cfg(feature = "hydrate")]
fn focus_content_after_navigation() {
    use leptos_router::location::{BrowserUrl, LocationProvider};
    use wasm_bindgen::JsCast;

    // Provided by the router in the browser; absent outside it.
    let Some(browser) = use_context::<BrowserUrl>() else { return };
    let url = browser.as_url().clone();
    Effect::new(move |previous: Option<String>| {
        let path = url.with(|u| u.path().to_string());
        if previous.is_some_and(|p| p != path) {
            if let Some(main) = document()
                .get_element_by_id("inhalt")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = main.focus();
            }
        }
        path
    });
}

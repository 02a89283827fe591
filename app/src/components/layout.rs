use crate::SITE_NAME;
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <header class="site-header">
            <div class="wrap">
                <a class="site-name" href="/">
                    <span class="site-owner">"Kreis Kleve · Kommunales Integrationszentrum"</span>
                    <span class="site-title">{SITE_NAME}</span>
                </a>
            </div>
        </header>
        <main id="inhalt" class="wrap" tabindex="-1">
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

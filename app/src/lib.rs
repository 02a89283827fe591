//! The web interface: pages rendered on the server, hydrated in the browser. Every page works
//! without JavaScript: forms post to the server and are redirected; the script only adds live
//! conditions and background saving.

// Leptos views nest deeply typed; the release build's layout queries need the room.
#![recursion_limit = "256"]

pub mod components;
pub mod pages;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// Name of the site, shown in the header and in every page title.
pub const SITE_NAME: &str = "Bedarfs- und Bestandsanalyse Kreis Kleve";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="de">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <Hydration/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/bedarfsanalyse.css"/>
        <Title formatter=|page: String| format!("{page} – {SITE_NAME}")/>
        <Router>
            <components::layout::Layout>
                <Routes fallback=pages::errors::NotFoundPage>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/datenschutz") view=pages::info::PrivacyPage/>
                    <Route path=path!("/barrierefreiheit") view=pages::info::AccessibilityPage/>
                    <Route path=path!("/o/:slug") view=pages::respondent::open_start::OpenStartPage ssr=SsrMode::Async/>
                    <Route path=path!("/f/:token") view=pages::respondent::start::StartPage ssr=SsrMode::Async/>
                    <Route path=path!("/f/:token/s/:step") view=pages::respondent::question_page::QuestionPage ssr=SsrMode::Async/>
                    <Route path=path!("/f/:token/uebersicht") view=pages::respondent::review::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/f/:token/danke") view=pages::respondent::review::ThanksPage ssr=SsrMode::Async/>
                    <Route path=path!("/f/:token/kopie") view=pages::respondent::review::CopyPage ssr=SsrMode::Async/>
                    <Route path=path!("/anmelden") view=pages::accounts::login::LoginPage/>
                    <Route path=path!("/konto/passwort") view=pages::accounts::PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung") view=pages::progress::ProgressPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/fragebogen") view=pages::questionnaires::QuestionnairesPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/fragebogen/:id") view=pages::questionnaires::builder::EditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/fragebogen/:id/frage/:code") view=pages::questionnaires::builder::QuestionEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/fragebogen/:id/neue-frage") view=pages::questionnaires::builder::QuestionEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/fragebogen/:id/vorschau") view=pages::questionnaires::builder::PreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/import") view=pages::imports::ImportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/import/:id") view=pages::imports::ImportReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/fragebogen/:id/antworten-import") view=pages::imports::ResponseImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/organisationen") view=pages::organisations::OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/konten") view=pages::accounts::AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/auswertung") view=pages::dashboards::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/auswertung/bericht") view=pages::dashboards::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/auswertung/vergleich") view=pages::waves::OverviewComparisonPage ssr=SsrMode::Async/>
                    <Route path=path!("/auswertung/:thema/vergleich") view=pages::waves::ComparisonPage ssr=SsrMode::Async/>
                    <Route path=path!("/auswertung/:thema") view=pages::dashboards::ThemeDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/konzept") view=pages::concept::ConceptPage ssr=SsrMode::Async/>
                    <Route path=path!("/konzept/sachstand") view=pages::concept::StatusReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/konzept/:thema") view=pages::concept::WorkspacePage ssr=SsrMode::Async/>
                    <Route path=path!("/konzept/:thema/massnahme/:id") view=pages::concept::MeasurePage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/export") view=pages::exports::ExportPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/protokoll") view=pages::accounts::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/antworten/:id") view=pages::progress::ResponseDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/verwaltung/antworten/:id/loeschen") view=pages::progress::DeleteResponsePage ssr=SsrMode::Async/>
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}

/// Loads the hydration script. Leptos' own `HydrationScripts` writes the CSP nonce into the
/// preload links' `crossorigin` attribute (an invalid value there); this loads the same files
/// with the nonce only on the inline module script, which the Content-Security-Policy allows.
#[component]
fn Hydration() -> impl IntoView {
    const PKG: &str = "/pkg/bedarfsanalyse";
    // cargo-leptos names the wasm after the package; a plain wasm-bindgen build adds `_bg`.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        format!("{PKG}.wasm")
    } else {
        format!("{PKG}_bg.wasm")
    };
    let script = format!(
        "import('{PKG}.js').then(m => m.default({{module_or_path: '{wasm}'}}).then(() => m.hydrate()));"
    );
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=format!("{PKG}.js")/>
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" nonce=nonce>{script}</script>
    }
}

/// A complete HTML page for an error that happens outside the router, e.g. in a form post.
#[cfg(feature = "ssr")]
pub fn error_document(error: &domain::AppError) -> String {
    let error = error.clone();
    document(error.title(), move || {
        view! {
            <h1>{error.title()}</h1>
            <p class="lead">{error.to_string()}</p>
            <p><a href="/">"Zur Startseite"</a></p>
        }
        .into_any()
    })
}

/// A complete HTML page rendered outside the router (without hydration: it needs no script).
#[cfg(feature = "ssr")]
pub fn document(title: &str, content: impl FnOnce() -> AnyView + Send + 'static) -> String {
    use components::layout::Layout;
    let body = Owner::new().with(|| view! { <Layout>{content()}</Layout> }.to_html());
    let title = title.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <title>{title} – {SITE_NAME}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"/><link rel=\"stylesheet\" href=\"/pkg/bedarfsanalyse.css\"/></head>\
         <body>{body}</body></html>"
    )
}

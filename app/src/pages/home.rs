use crate::components::{loaded, Loading};
use crate::pages::respondent::fns::open_questionnaires;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| open_questionnaires());
    view! {
        <Title text="Startseite"/>
        <h1>"Bedarfs- und Bestandsanalyse der Integrationsarbeit"</h1>
        <p class="lead">
            "Das Kommunale Integrationszentrum des Kreises Kleve erarbeitet ein Integrationskonzept für den ganzen Kreis. "
            "Dafür fragen wir Kommunen und Organisationen, welche Angebote es gibt und was gebraucht wird."
        </p>
        <h2>"Laufende Befragungen"</h2>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(list.await, |list| {
                    if list.is_empty() {
                        view! { <p>"Zurzeit läuft keine Befragung."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cards">
                                {list
                                    .into_iter()
                                    .map(|q| view! {
                                        <li class="card">
                                            <h3><a href=q.path.clone()>{q.title.clone()}</a></h3>
                                            <p>{q.intro.clone()}</p>
                                            <p class="meta">
                                                {format!("Dauer etwa {} Minuten", q.duration_minutes)}
                                                {q.deadline.clone().map(|d| format!(" · Teilnahme bis {d}"))}
                                            </p>
                                            <p>
                                                "Offener Link zum Weitergeben: "
                                                <code class="link">{q.url.clone()}</code>
                                            </p>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                })
            })}
        </Suspense>
        <p>"Haben Sie eine persönliche Einladung erhalten? Dann öffnen Sie bitte den Link aus Ihrer Einladung; damit können Sie jederzeit an derselben Stelle weitermachen."</p>
    }
}

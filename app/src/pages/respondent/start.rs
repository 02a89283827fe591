//! The start page of a personal link: purpose, duration, data protection, begin or resume.

use super::fns::start;
use crate::components::privacy::PrivacyNotice;
use crate::components::{loaded, Loading, SurveyFacts};
use crate::pages::param;
use leptos::prelude::*;
use leptos_meta::Title;

/// Start page of a personal link: purpose, duration, data protection, then begin or resume.
#[component]
pub fn StartPage() -> impl IntoView {
    let token = param("token");
    let data = Resource::new(move || token.get(), start);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |v| {
                    let base = format!("/f/{}", token.get_untracked());
                    let next = if v.submitted {
                        view! {
                            <div class="notice">
                                <p>"Sie haben diesen Fragebogen bereits abgeschickt. Vielen Dank!"</p>
                                <p><a class="button primary" href=format!("{base}/kopie")>"Ihre Antworten ansehen und drucken"</a></p>
                            </div>
                        }
                        .into_any()
                    } else if let Some(step) = v.resume_step {
                        view! {
                            <p><a class="button primary" href=format!("{base}/s/{step}")>{format!("Fortsetzen bei Schritt {step} von {}", v.steps)}</a></p>
                            <p><a href=format!("{base}/uebersicht")>"Zur Übersicht Ihrer bisherigen Antworten"</a></p>
                        }
                        .into_any()
                    } else {
                        view! { <p><a class="button primary" href=format!("{base}/s/1")>"Fragebogen beginnen"</a></p> }.into_any()
                    };
                    view! {
                        <Title text=v.title.clone()/>
                        <h1>{v.title.clone()}</h1>
                        <p class="lead">{v.intro.clone()}</p>
                        <SurveyFacts duration_minutes=v.duration_minutes steps=v.steps deadline=v.deadline.clone()/>
                        <div class="link-box">
                            <p><strong>"Ihr persönlicher Link"</strong>" – mit ihm kommen Sie jederzeit, auch an einem anderen Gerät, an diese Stelle zurück:"</p>
                            <p><code class="link">{v.link.clone()}</code></p>
                        </div>
                        {next}
                        <PrivacyNotice/>
                    }
                })
            })}
        </Suspense>
    }
}

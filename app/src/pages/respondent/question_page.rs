//! A page of questions; the form posts to the server crate's page save.

use super::fns::page;
use crate::components::question_form::QuestionForm;
use crate::components::{loaded, Loading};
use crate::pages::{flag, param};
use leptos::prelude::*;
use leptos_meta::Title;

/// One theme of the questionnaire: "Schritt k von n", back, next, save.
#[component]
pub fn QuestionPage() -> impl IntoView {
    let token = param("token");
    let step = param("step");
    let show_errors = flag("pruefen");
    let just_started = flag("neu");
    let saved = flag("gespeichert");
    let query = leptos_router::hooks::use_query_map();
    let too_long = Memo::new(move |_| query.read().get("zu_lang").unwrap_or_default());
    let data = Resource::new(
        move || (token.get(), step.get(), show_errors.get(), too_long.get()),
        |(token, step, errors, too_long)| page(token, step.parse().unwrap_or(0), errors, too_long),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |v| {
                    let token = token.get_untracked();
                    let base = format!("/f/{token}");
                    let heading = format!("Schritt {} von {}: {}", v.step, v.steps, v.theme.title);
                    let title = if v.errors.is_empty() { heading.clone() } else { format!("Fehler: {heading}") };
                    if v.submitted {
                        return view! {
                            <Title text=title/>
                            <h1>{heading}</h1>
                            <div class="notice">
                                <p>"Dieser Fragebogen ist abgeschickt und kann nicht mehr geändert werden."</p>
                                <p><a href=format!("{base}/kopie")>"Ihre Antworten ansehen und drucken"</a></p>
                            </div>
                        }
                        .into_any();
                    }
                    let last = v.step == v.steps;
                    view! {
                        <Title text=title/>
                        <p class="questionnaire-title">{v.title.clone()}</p>
                        <h1><span class="step">{format!("Schritt {} von {}", v.step, v.steps)}</span>{v.theme.title.clone()}</h1>
                        <progress max=v.steps value=v.step aria-hidden="true"></progress>
                        {just_started.get_untracked().then(|| view! {
                            <div class="link-box" role="note">
                                <p><strong>"Bitte speichern Sie Ihren persönlichen Link"</strong>" (z. B. als Lesezeichen). Mit ihm können Sie jederzeit, auch an einem anderen Gerät, weitermachen:"</p>
                                <p><code class="link">{v.link.clone()}</code></p>
                            </div>
                        })}
                        {saved.get_untracked().then(|| view! {
                            <div class="notice" role="status">
                                <p>"Ihre Angaben sind gespeichert. Sie können später über Ihren persönlichen Link weitermachen: "<code class="link">{v.link.clone()}</code></p>
                            </div>
                        })}
                        {v.theme.intro.clone().map(|intro| view! { <p class="lead">{intro}</p> })}
                        <QuestionForm action=format!("{base}/s/{}", v.step) theme=v.theme.clone() answers=v.answers.clone() errors=v.errors.clone() autosave=true version=v.version>
                            <button type="submit" name="aktion" value="weiter" class="button primary">
                                {if last { "Weiter zur Übersicht" } else { "Weiter" }}
                            </button>
                            <button type="submit" name="aktion" value="zurueck" class="button">"Zurück"</button>
                            <button type="submit" name="aktion" value="speichern" class="button secondary">"Speichern und später fortsetzen"</button>
                        </QuestionForm>
                        <p><a href=format!("{base}/uebersicht")>"Alle Antworten im Überblick"</a></p>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}

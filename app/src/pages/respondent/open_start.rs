//! The start page of an open link: the questions that identify the organisation, then a
//! personal link of its own.

use super::fns::open_start;
use crate::components::privacy::PrivacyNotice;
use crate::components::question_form::QuestionForm;
use crate::components::{loaded, Loading, SurveyFacts};
use crate::pages::{flag, param};
use domain::Answers;
use leptos::prelude::*;
use leptos_meta::Title;

/// The open link: what the survey is about, then the organisation's profile. Posting the
/// profile creates a personal link, under which the respondent continues.
#[component]
pub fn OpenStartPage() -> impl IntoView {
    let slug = param("slug");
    let show_errors = flag("pruefen");
    let data = Resource::new(
        move || (slug.get(), show_errors.get()),
        |(slug, errors)| open_start(slug, errors),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, |v| {
                    let title = if v.errors.is_empty() { v.title.clone() } else { format!("Fehler: {}", v.title) };
                    view! {
                        <Title text=title/>
                        <h1>{v.title.clone()}</h1>
                        <p class="lead">{v.intro.clone()}</p>
                        <SurveyFacts duration_minutes=v.duration_minutes steps=v.steps deadline=v.deadline.clone()/>
                        <PrivacyNotice/>
                        <h2>{format!("Schritt 1 von {}: {}", v.steps, v.profile.title)}</h2>
                        <p>"Nach diesem Schritt erhalten Sie einen persönlichen Link, mit dem Sie später – auch an einem anderen Gerät – weitermachen können."</p>
                        <QuestionForm action=format!("/o/{}", v.slug) theme=v.profile.clone() answers=Answers::new() errors=v.errors.clone()>
                            <button type="submit" class="button primary">"Speichern und weiter"</button>
                        </QuestionForm>
                    }
                })
            })}
        </Suspense>
    }
}

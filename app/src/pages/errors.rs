use crate::components::ErrorView;
use domain::AppError;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <ErrorView error=AppError::NotFound(
            "Diese Seite gibt es nicht. Bitte prüfen Sie die Adresse oder beginnen Sie auf der Startseite.".into(),
        )/>
    }
}

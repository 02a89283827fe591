use domain::validation::FieldError;
use leptos::prelude::*;

/// The list of problems at the top of a form, each linking to its field (GOV.UK pattern,
/// WCAG 3.3.1). Focus is moved here by the `#fehler` fragment of the redirect.
///
/// The links carry `target="_self"` so that the router leaves them to the browser: it moves
/// the focus to the field, while the router would only scroll there.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" id="fehler" role="alert" tabindex="-1" aria-labelledby="fehler-titel">
                <h2 id="fehler-titel">
                    {if errors.len() == 1 {
                        "Bitte korrigieren Sie eine Angabe".to_string()
                    } else {
                        format!("Bitte korrigieren Sie {} Angaben", errors.len())
                    }}
                </h2>
                <p>"Ihre Eingaben sind gespeichert."</p>
                <ul>
                    {errors
                        .into_iter()
                        .map(|e| view! { <li><a href=format!("#{}", e.field_id) target="_self">{e.message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

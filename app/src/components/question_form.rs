//! A page of questions as one form. Without JavaScript it posts and the server redirects; with
//! JavaScript, conditional questions appear and disappear as the respondent answers, and the
//! page saves itself in the background.

use super::error_summary::ErrorSummary;
use super::question::QuestionField;
#[cfg(feature = "hydrate")]
use domain::answers::answer_from_form;
use domain::validation::FieldError;
use domain::{Answers, Question, Theme};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn QuestionForm(
    action: String,
    theme: Theme,
    answers: Answers,
    errors: Vec<FieldError>,
    /// Save in the background after changes (only for existing responses).
    #[prop(optional)]
    autosave: bool,
    /// `get` for the builder's preview, which saves nothing; `post` otherwise.
    #[prop(optional)]
    method: Option<&'static str>,
    /// The response's version the page shows, sent with background saves (`stand`), so that
    /// the server refuses one that would overwrite a newer save.
    #[prop(optional)]
    version: Option<i64>,
    /// The form's buttons.
    children: Children,
) -> impl IntoView {
    let js = RwSignal::new(false);
    // Effects run only in the browser, after hydration: from here on the script is in charge.
    Effect::new(move |_| js.set(true));
    let live = RwSignal::new(answers.clone());
    let save_status = RwSignal::new(String::new());
    let form_ref = NodeRef::<html::Form>::new();
    let questions = StoredValue::new(theme.questions.clone());
    let edits = StoredValue::new(0u32);
    let stand = StoredValue::new(version);
    // One background save at a time, each with the version the previous one left, so that
    // two of this page never refuse each other as stale.
    let busy = StoredValue::new(false);
    let again = StoredValue::new(false);
    let action_for_save = action.clone();

    let on_edit = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get_untracked() {
            let pairs = browser::read_form(&form);
            live.set(questions.with_value(|qs| {
                qs.iter()
                    .map(|q| (q.code.clone(), answer_from_form(q, &pairs)))
                    .filter(|(_, a)| !a.is_empty())
                    .collect()
            }));
            if autosave {
                edits.update_value(|n| *n += 1);
                let mine = edits.get_value();
                let url = action_for_save.clone();
                set_timeout(
                    move || {
                        if edits.get_value() != mine {
                            return;
                        }
                        if busy.get_value() {
                            again.set_value(true);
                            return;
                        }
                        busy.set_value(true);
                        leptos::task::spawn_local(async move {
                            loop {
                                again.set_value(false);
                                save_status.set("Wird gespeichert …".into());
                                let (status, version) =
                                    browser::autosave(&url, &form, stand.get_value()).await;
                                if version.is_some() {
                                    stand.set_value(version);
                                }
                                save_status.set(status);
                                if !again.get_value() {
                                    break;
                                }
                            }
                            busy.set_value(false);
                        });
                    },
                    std::time::Duration::from_millis(800),
                );
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&form_ref, &questions, &edits, &action_for_save, autosave, &stand, &busy, &again);
    };

    let page_codes: Vec<String> = theme.questions.iter().map(|q| q.code.clone()).collect();
    let fields = theme
        .questions
        .iter()
        .map(|q| {
            let error = errors.iter().find(|e| e.question == q.code).cloned();
            let answer = answers.get(&q.code).cloned().unwrap_or_default();
            let conditional =
                q.condition.as_ref().is_some_and(|c| page_codes.contains(&c.question));
            let condition_hint = conditional.then(|| condition_in_words(q, &theme)).flatten();
            let code = q.code.clone();
            let theme = theme.clone();
            let hidden = Signal::derive(move || {
                conditional && js.get() && !live.with(|a| visible_on_page(&theme, &code, a))
            });
            view! { <QuestionField question=q.clone() answer error hidden condition_hint js/> }
        })
        .collect_view();

    view! {
        <ErrorSummary errors=errors.clone()/>
        // `data-hydrated` says that the script is in charge (the browser tests wait for it). Posting the
        // form cancels a background save that is still waiting, so that it cannot arrive after
        // the post and set the response back to this page.
        <form method=method.unwrap_or("post") action=action novalidate node_ref=form_ref on:change=on_edit.clone() on:input=on_edit
            on:submit=move |_| edits.update_value(|n| *n += 1) data-hydrated=move || js.get().then_some("true")>
            <p class="hint">"Pflichtangaben sind mit „(Pflichtangabe)“ gekennzeichnet."</p>
            {fields}
            <p class="save-status" role="status" aria-live="polite">{move || save_status.get()}</p>
            <div class="actions">{children()}</div>
        </form>
    }
}

/// Whether a question of this page is shown, given the page's current answers. Conditions on
/// other pages were settled by the server, which left hidden questions out.
fn visible_on_page(theme: &Theme, code: &str, answers: &Answers) -> bool {
    let find = |c: &str| theme.questions.iter().find(|q| q.code == c);
    let mut current = find(code);
    for _ in 0..=theme.questions.len() {
        let Some(question) = current else { return true };
        let Some(condition) = &question.condition else { return true };
        let Some(parent) = find(&condition.question) else { return true };
        if !condition.holds(answers) {
            return false;
        }
        current = Some(parent);
    }
    true
}

fn condition_in_words(question: &Question, theme: &Theme) -> Option<String> {
    let condition = question.condition.as_ref()?;
    let parent = theme.questions.iter().find(|q| q.code == condition.question)?;
    let labels: Vec<String> = parent
        .kind
        .choices()
        .into_iter()
        .filter(|c| condition.any_of.contains(&c.code))
        .map(|c| format!("„{}“", c.label))
        .collect();
    let choice = match labels.len() {
        0 => return None,
        1 => labels[0].clone(),
        _ => format!("{} oder {}", labels[..labels.len() - 1].join(", "), labels[labels.len() - 1]),
    };
    Some(format!(
        "Nur zu beantworten, wenn Sie bei „{}“ {choice} gewählt haben.",
        parent.text.trim_end_matches('?')
    ))
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    pub fn read_form(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
        let Ok(data) = web_sys::FormData::new_with_form(form) else { return vec![] };
        let Ok(Some(entries)) = js_sys::try_iter(&data) else { return vec![] };
        entries
            .filter_map(|entry| {
                let pair: js_sys::Array = entry.ok()?.dyn_into().ok()?;
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect()
    }

    /// Posts the form as the server's "autosave" action with the version the page knows;
    /// returns the status line to show and the response's new version, if saved.
    pub async fn autosave(
        url: &str,
        form: &web_sys::HtmlFormElement,
        version: Option<i64>,
    ) -> (String, Option<i64>) {
        let failed = "Automatisches Speichern ist fehlgeschlagen. Bitte nutzen Sie „Speichern und später fortsetzen“.".to_string();
        let Ok(data) = web_sys::FormData::new_with_form(form) else { return (failed, None) };
        if data.set_with_str("aktion", "autosave").is_err() {
            return (failed, None);
        }
        if let Some(v) = version {
            if data.set_with_str("stand", &v.to_string()).is_err() {
                return (failed, None);
            }
        }
        let (status, json) = post(url, &data).await.unwrap_or((0, wasm_bindgen::JsValue::NULL));
        let new_version = js_sys::Reflect::get(&json, &"stand".into())
            .ok()
            .and_then(|v| v.as_f64())
            .map(|v| v as i64);
        match status {
            200..=299 => {
                // The server's time of the save, in German local time like every time shown.
                let saved_at = js_sys::Reflect::get(&json, &"gespeichert".into())
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or_else(js_sys::Date::now);
                let t = domain::clock::berlin_time(saved_at as i64);
                (
                    format!("Automatisch gespeichert um {:02}:{:02} Uhr.", t.hour, t.minute),
                    new_version,
                )
            }
            // Saved except for texts over their length (422), or not at all because a newer
            // save came first (409) or too many came at once (429): say so in the server's words.
            422 | 409 | 429 => (refused_messages(&json).unwrap_or(failed), new_version),
            _ => (failed, None),
        }
    }

    /// Posts `data` and returns the status with the JSON body (null if there is none).
    async fn post(url: &str, data: &web_sys::FormData) -> Option<(u16, wasm_bindgen::JsValue)> {
        let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(data).ok()?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&body.into());
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        let window = web_sys::window()?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        let status = response.status();
        let json = match response.json() {
            Ok(promise) => JsFuture::from(promise).await.unwrap_or(wasm_bindgen::JsValue::NULL),
            Err(_) => wasm_bindgen::JsValue::NULL,
        };
        Some((status, json))
    }

    /// The messages of a refused background save (`{"fehler": [{"feld", "meldung"}]}`).
    fn refused_messages(json: &wasm_bindgen::JsValue) -> Option<String> {
        let errors: js_sys::Array =
            js_sys::Reflect::get(json, &"fehler".into()).ok()?.dyn_into().ok()?;
        let messages: Vec<String> = errors
            .iter()
            .filter_map(|e| js_sys::Reflect::get(&e, &"meldung".into()).ok()?.as_string())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }
}

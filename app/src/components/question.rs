//! One question as form controls: every group of options is a fieldset with a legend, every
//! control has a label, hints and errors are tied to their controls by `aria-describedby`.

use domain::answers::{field_id, field_name, OTHER_ROW};
use domain::questionnaire::{Choice, CANNOT_JUDGE};
use domain::validation::FieldError;
use domain::{Answer, Question, QuestionKind};
use leptos::prelude::*;

/// Ids that belong to one question's condition, hint, unit and error; each is unique in the
/// page, so that `aria-describedby` names exactly one element.
struct Ids {
    field: String,
    condition: String,
    hint: String,
    unit: String,
    error: String,
}

impl Ids {
    fn new(code: &str) -> Self {
        let field = field_id(code, None);
        Self {
            condition: format!("{field}-bedingung"),
            hint: format!("{field}-hinweis"),
            unit: format!("{field}-einheit"),
            error: format!("{field}-fehler"),
            field,
        }
    }

    fn described_by(
        &self,
        has_condition: bool,
        has_hint: bool,
        has_unit: bool,
        has_error: bool,
    ) -> Option<String> {
        let ids: Vec<&str> = [
            (has_condition, self.condition.as_str()),
            (has_hint, self.hint.as_str()),
            (has_unit, self.unit.as_str()),
            (has_error, self.error.as_str()),
        ]
        .into_iter()
        .filter_map(|(present, id)| present.then_some(id))
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
pub fn QuestionField(
    question: Question,
    answer: Answer,
    error: Option<FieldError>,
    /// Hidden while its condition does not hold (only ever true with JavaScript).
    #[prop(into)]
    hidden: Signal<bool>,
    /// Says in words when to answer, for readers without JavaScript.
    condition_hint: Option<String>,
    #[prop(into)] js: Signal<bool>,
) -> impl IntoView {
    let ids = Ids::new(&question.code);
    let hint_text = hint_for(&question);
    let has_unit = matches!(&question.kind, QuestionKind::Number { unit: Some(_), .. });
    // The condition in words is hidden once the script shows and hides the question itself;
    // a description names only what is shown, as a hidden element would still be read out.
    let described_by = {
        let (with_condition, without_condition) = (
            ids.described_by(
                condition_hint.is_some(),
                hint_text.is_some(),
                has_unit,
                error.is_some(),
            ),
            ids.described_by(false, hint_text.is_some(), has_unit, error.is_some()),
        );
        Signal::derive(
            move || if js.get() { without_condition.clone() } else { with_condition.clone() },
        )
    };
    let invalid = error.is_some();
    let required = if question.required { " (Pflichtangabe)" } else { "" };
    let label = format!("{}{required}", question.text);
    let hint = view! {
        {condition_hint.map(|text| view! { <p class="condition-hint" id=ids.condition.clone() hidden=move || js.get()>{text}</p> })}
        {hint_text.map(|text| view! { <p class="hint" id=ids.hint.clone()>{text}</p> })}
    };
    let error_view = error.map(|e| {
        view! {
            <p class="field-error" id=ids.error.clone()>
                <span class="visually-hidden">"Fehler: "</span>
                {e.message}
            </p>
        }
    });
    let code = question.code.clone();
    let body = match &question.kind {
        QuestionKind::SingleChoice { options } => view! {
            <fieldset class="choices" aria-describedby=move || described_by.get()>
                <legend>{label}</legend>
                {hint}
                {error_view}
                {choice_inputs(&code, options, &answer.values, "radio", invalid)}
            </fieldset>
        }
        .into_any(),
        QuestionKind::YesNo | QuestionKind::Rating { .. } => {
            let class = if matches!(question.kind, QuestionKind::Rating { .. }) { "choices scale" } else { "choices inline" };
            view! {
                <fieldset class=class aria-describedby=move || described_by.get()>
                    <legend>{label}</legend>
                    {hint}
                    {error_view}
                    {choice_inputs(&code, &question.kind.choices(), &answer.values, "radio", invalid)}
                </fieldset>
            }
            .into_any()
        }
        QuestionKind::MultipleChoice { options, other } => {
            let other_view = other.clone().map(|other_label| {
                let id = field_id(&code, Some(OTHER_ROW));
                view! {
                    <div class="other">
                        <label for=id.clone()>{other_label}</label>
                        <input type="text" id=id name=field_name(&code, Some(OTHER_ROW)) value=answer.other.clone().unwrap_or_default() autocomplete="off"/>
                    </div>
                }
            });
            view! {
                <fieldset class="choices" aria-describedby=move || described_by.get()>
                    <legend>{label}</legend>
                    {hint}
                    {error_view}
                    {choice_inputs(&code, options, &answer.values, "checkbox", invalid)}
                    {other_view}
                </fieldset>
            }
            .into_any()
        }
        QuestionKind::Matrix { rows, columns } => view! {
            <fieldset class="matrix" aria-describedby=move || described_by.get()>
                <legend>{label}</legend>
                {hint}
                {error_view}
                <div class="matrix-scroll">
                    <table>
                        <thead>
                            <tr>
                                <td></td>
                                {columns.iter().map(|c| view! { <th scope="col">{c.label.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows.iter().map(|row| matrix_row(&code, row, columns, answer.rows.get(&row.code), invalid)).collect_view()}
                        </tbody>
                    </table>
                </div>
            </fieldset>
        }
        .into_any(),
        QuestionKind::Number { unit, integer, .. } => view! {
            <div class="field">
                <label for=ids.field.clone()>{label}</label>
                {hint}
                {error_view}
                <span class="with-unit">
                    <input type="text" inputmode=if *integer { "numeric" } else { "decimal" } class="number" id=ids.field.clone() name=code.clone()
                        value=domain::number::stored_to_input(answer.text()) aria-describedby=move || described_by.get() aria-invalid=invalid.then_some("true") autocomplete="off"/>
                    {unit.clone().map(|u| view! { <span class="unit" id=ids.unit.clone()>{u}</span> })}
                </span>
            </div>
        }
        .into_any(),
        QuestionKind::ShortText { .. } => view! {
            <div class="field">
                <label for=ids.field.clone()>{label}</label>
                {hint}
                {error_view}
                <input type="text" id=ids.field.clone() name=code.clone() value=answer.text().to_string()
                    aria-describedby=move || described_by.get() aria-invalid=invalid.then_some("true")/>
            </div>
        }
        .into_any(),
        QuestionKind::LongText { .. } => view! {
            <div class="field">
                <label for=ids.field.clone()>{label}</label>
                {hint}
                {error_view}
                <textarea id=ids.field.clone() name=code.clone() rows="5"
                    aria-describedby=move || described_by.get() aria-invalid=invalid.then_some("true") inner_html=textarea_html(answer.text())></textarea>
            </div>
        }
        .into_any(),
    };
    view! {
        <div class="question" class:has-error=invalid data-code=question.code.clone() hidden=move || hidden.get()>
            {body}
        </div>
    }
}

/// The content of a `<textarea>`, escaped. Leptos 0.8 writes a textarea's text children
/// unescaped on the server, so `</textarea>` in an answer would end the field and `&amp;`
/// would come back as `&`; as inner HTML the same string also works in the browser, where the
/// textarea parses it as text.
pub fn textarea_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Help text and format hints, in words.
fn hint_for(question: &Question) -> Option<String> {
    let format = match &question.kind {
        QuestionKind::Number { min, max, integer, .. } => {
            let what = if *integer {
                "Bitte eine ganze Zahl angeben"
            } else {
                "Bitte eine Zahl angeben, z. B. 12,5"
            };
            Some(match (min, max) {
                (Some(a), Some(b)) => format!(
                    "{what} (von {} bis {}).",
                    domain::locale::format_german(*a),
                    domain::locale::format_german(*b)
                ),
                (Some(a), None) => {
                    format!("{what} (mindestens {}).", domain::locale::format_german(*a))
                }
                (None, Some(b)) => {
                    format!("{what} (höchstens {}).", domain::locale::format_german(*b))
                }
                (None, None) => format!("{what}."),
            })
        }
        QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len } => {
            Some(format!("Höchstens {max_len} Zeichen."))
        }
        // Said once: the help text of most multiple choices says so already.
        QuestionKind::MultipleChoice { .. }
            if !question.help.as_deref().is_some_and(|h| {
                h.contains("Mehrfachnennungen") || h.contains("Mehrere Antworten")
            }) =>
        {
            Some("Mehrere Antworten möglich.".to_string())
        }
        _ => None,
    };
    match (question.help.clone(), format) {
        (Some(h), Some(f)) => Some(format!("{h} {f}")),
        (h, f) => h.or(f),
    }
}

fn choice_inputs(
    code: &str,
    choices: &[Choice],
    selected: &[String],
    input_type: &'static str,
    invalid: bool,
) -> impl IntoView {
    choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            // The first control carries the question's id, so error links land on it.
            let id = if i == 0 { field_id(code, None) } else { format!("{}--{}", field_id(code, None), choice.code) };
            let checked = selected.contains(&choice.code);
            let class = if choice.code == CANNOT_JUDGE { "option cannot-judge" } else { "option" };
            view! {
                <div class=class>
                    <input type=input_type id=id.clone() name=code.to_string() value=choice.code.clone() checked=checked
                        aria-invalid=(invalid && i == 0).then_some("true")/>
                    <label for=id>{choice.label.clone()}</label>
                </div>
            }
        })
        .collect_view()
}

fn matrix_row(
    code: &str,
    row: &Choice,
    columns: &[Choice],
    selected: Option<&String>,
    invalid: bool,
) -> impl IntoView {
    let name = field_name(code, Some(&row.code));
    let row_id = field_id(code, Some(&row.code));
    let header_id = format!("{row_id}-zeile");
    view! {
        <tr>
            <th scope="row" id=header_id.clone()>{row.label.clone()}</th>
            {columns
                .iter()
                .enumerate()
                .map(|(i, column)| {
                    let id = if i == 0 { row_id.clone() } else { format!("{row_id}--{}", column.code) };
                    let checked = selected == Some(&column.code);
                    view! {
                        <td>
                            <input type="radio" id=id.clone() name=name.clone() value=column.code.clone() checked=checked
                                aria-invalid=(invalid && i == 0 && selected.is_none()).then_some("true")/>
                            <label for=id class="visually-hidden">{format!("{}: {}", row.label, column.label)}</label>
                        </td>
                    }
                })
                .collect_view()}
        </tr>
    }
}

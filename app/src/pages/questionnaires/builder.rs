//! The questionnaire builder: the editor (head, themes and their questions, moving and
//! deleting), the question form for every kind of question, and the preview, which shows a
//! theme with the respondents' own components and saves nothing. Every form carries the
//! revision it was rendered from, so that two administrators cannot overwrite each other.

use super::fns;
use crate::components::admin::{AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors, TextField};
use crate::components::question_form::QuestionForm;
use crate::components::{loaded, Loading};
use crate::pages::param;
use domain::builder::{field, kind_label, question_form_values, PartAction, KINDS};
use domain::staff::{Flash, FormProblems};
use domain::waves::copy_label_id;
use domain::{Answers, Question, QuestionKind, Questionnaire};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn id_param() -> Memo<i64> {
    let id = param("id");
    Memo::new(move |_| id.get().parse().unwrap_or(0))
}

fn described(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> =
        [hint.then(|| format!("{id}-hinweis")), error.then(|| format!("{id}-fehler"))]
            .into_iter()
            .flatten()
            .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled text area with hint and error.
#[component]
fn AreaField(
    id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let describedby = described(&id, hint.is_some(), error.is_some());
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hinweis")>{h}</p> })}
            <FieldMessage id=id.clone() error=error.clone()/>
            <textarea id=id.clone() name=name rows=rows.to_string() aria-invalid=error.is_some().then_some("true") aria-describedby=describedby inner_html=crate::components::question::textarea_html(&value)></textarea>
        </div>
    }
}

/// A labelled select with an optional hint and its error.
#[component]
fn SelectField(
    id: String,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = None)] hint: Option<String>,
) -> impl IntoView {
    let describedby = described(&id, hint.is_some(), error.is_some());
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hinweis")>{h}</p> })}
            <FieldMessage id=id.clone() error=error.clone()/>
            <select id=id.clone() name=name aria-invalid=error.is_some().then_some("true") aria-describedby=describedby>
                {options.into_iter().map(|(v, l)| {
                    let selected = v == chosen;
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn CheckField(id: String, name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    view! {
        <div class="option">
            <input type="checkbox" id=id.clone() name=name value="1" checked=checked/>
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
fn Revision(revision: i64) -> impl IntoView {
    view! { <input type="hidden" name=field::REVISION value=revision.to_string()/> }
}

/// A one-button form of the editor (move, delete), labelled for screen readers.
#[component]
fn ActionButton(
    action: String,
    csrf: String,
    revision: i64,
    aktion: PartAction,
    text: &'static str,
    label: String,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <Csrf token=csrf/>
            <Revision revision=revision/>
            <button type="submit" name=field::ACTION value=aktion.as_str() class=if danger { "button link danger" } else { "button link" } aria-label=label>{text}</button>
        </form>
    }
}

/// The condition of a question in words, for the editor's list.
fn condition_summary(q: &Questionnaire, question: &Question) -> Option<String> {
    let c = question.condition.as_ref()?;
    let parent =
        q.question(&c.question).map(|p| p.text.clone()).unwrap_or_else(|| c.question.clone());
    let row = c.row.as_ref().map(|r| format!(", Zeile {r}")).unwrap_or_default();
    Some(format!(
        "Nur gezeigt, wenn bei „{parent}“ ({}{row}) eine dieser Antworten gewählt ist: {}",
        c.question,
        c.any_of.join(", ")
    ))
}

#[component]
pub fn EditorPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), fns::builder);
    view! {
        <Title text="Fragebogen bearbeiten"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let q = p.questionnaire.clone();
                    let id = q.id;
                    let base = format!("/verwaltung/fragebogen/{id}");
                    let csrf = p.me.csrf.clone();
                    let rev = p.revision;
                    let notice = flash.clone().filter(|f| f.form.is_empty());
                    let editor_problems = Flash::for_form(&flash, "editor");
                    let head = Flash::for_form(&flash, "kopf");
                    let head_value = |name: &str, stored: String| if head.errors.is_empty() { stored } else { head.value(name) };
                    let new_theme = Flash::for_form(&flash, "thema-neu");
                    let copy = Flash::for_form(&flash, "kopie");
                    let theme_count = q.themes.len();
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <p><a href="/verwaltung/fragebogen">"Alle Fragebögen"</a></p>
                        <h1>{format!("Fragebogen bearbeiten: {}", q.title)}</h1>
                        <FlashNotice flash=notice/>
                        <FormErrors problems=editor_problems/>
                        <p id="fragebogen-stand">{format!("Status: {}. Bearbeitungsstand {rev}.", p.status_label)}</p>
                        {p.frozen.then(|| view! {
                            <div class="notice" role="note">
                                <p>"Dieser Fragebogen ist veröffentlicht oder hat schon Antworten. Sie können Titel, Texte, Beschriftungen und Hilfetexte ändern, Antwortoptionen ergänzen und freiwillige Fragen hinzufügen. Änderungen, die gegebene Antworten ungültig machen würden (Fragen oder Optionen löschen, Codes oder die Art ändern, Bedingungen ändern, Pflichtangaben hinzufügen), sind nicht möglich: Kopieren Sie den Fragebogen dafür als neue Version."</p>
                            </div>
                        })}
                        <div class="actions">
                            <a class="button secondary" href=format!("{base}/vorschau")>"Vorschau ansehen"</a>
                        </div>
                        <section aria-labelledby="kopie-h" class="card">
                            <h2 id="kopie-h">"Als neue Version kopieren"</h2>
                            <p>"Legt eine Kopie als Entwurf an, als nächste Welle derselben Reihe (z. B. die Wiederholung der Befragung). Die Auswertung vergleicht dann die Wellen; Fragen mit gleichem Code werden einander zugeordnet."</p>
                            <FormErrors problems=copy.clone()/>
                            <form method="post" action=format!("{base}/kopieren")>
                                <Csrf token=csrf.clone()/>
                                <TextField id=copy_label_id(id) name=domain::waves::field::WAVE_LABEL label="Bezeichnung der neuen Welle" value=copy.value(domain::waves::field::WAVE_LABEL) error=copy.error(&copy_label_id(id)) hint="Zum Beispiel das Jahr der Befragung. Leer lassen: nach einem Jahr das aktuelle Jahr, sonst „Welle 2“, „Welle 3“ …"/>
                                <div class="actions"><button type="submit" class="button secondary">"Als neue Version kopieren"</button></div>
                            </form>
                        </section>
                        {p.waves.clone().map(|w| view! { <crate::pages::waves::MappingSection waves=w questionnaire_id=id revision=rev csrf=csrf.clone() flash=flash.clone()/> })}

                        <section aria-labelledby="kopf-h">
                            <h2 id="kopf-h">"Titel und Einleitung"</h2>
                            <FormErrors problems=head.clone()/>
                            <form method="post" action=base.clone()>
                                <Csrf token=csrf.clone()/>
                                <Revision revision=rev/>
                                <TextField id="kopf-titel".into() name=field::TITLE label="Titel" value=head_value(field::TITLE, q.title.clone()) error=head.error("kopf-titel") required=true/>
                                <TextField id="kopf-slug".into() name=field::SLUG label="Name im offenen Link (/o/…)" value=head_value(field::SLUG, q.slug.clone()) error=head.error("kopf-slug") hint="Kleinbuchstaben, Ziffern und Bindestriche, z. B. bedarfsanalyse-2027." required=true/>
                                <AreaField id="kopf-einleitung".into() name=field::INTRO label="Einleitung (Zweck der Befragung, auf der Startseite)" value=head_value(field::INTRO, q.intro.clone()) error=head.error("kopf-einleitung")/>
                                <TextField id="kopf-dauer".into() name=field::DURATION label="Dauer in Minuten (ungefähr)" value=head_value(field::DURATION, q.duration_minutes.to_string()) error=head.error("kopf-dauer") input_type="number"/>
                                <div class="actions"><button type="submit" class="button primary">"Titel und Einleitung speichern"</button></div>
                            </form>
                        </section>

                        <section aria-labelledby="themen-h">
                            <h2 id="themen-h">"Themen und Fragen"</h2>
                            {(theme_count == 0).then(|| view! { <p>"Noch keine Themen. Legen Sie unten das erste Thema an; jedes Thema ist für die Befragten eine Seite."</p> })}
                            {q.themes.iter().enumerate().map(|(i, t)| {
                                let tcode = t.code.clone();
                                let taction = format!("{base}/themen/{tcode}");
                                let problems = Flash::for_form(&flash, &format!("thema-{tcode}"));
                                let tv = |name: &str, stored: String| if problems.errors.is_empty() { stored } else { problems.value(name) };
                                let fid = |name: &str| format!("thema-{tcode}-{name}");
                                view! {
                                    <section class="card" id=format!("thema-{tcode}") aria-labelledby=format!("thema-{tcode}-h")>
                                        <h3 id=format!("thema-{tcode}-h")>{format!("Thema {} von {theme_count}: {}", i + 1, t.title)}</h3>
                                        <FormErrors problems=problems.clone()/>
                                        <details>
                                            <summary>{format!("Thema „{}“ umbenennen", t.title)}</summary>
                                            <form method="post" action=taction.clone()>
                                                <Csrf token=csrf.clone()/>
                                                <Revision revision=rev/>
                                                <input type="hidden" name=field::ACTION value=PartAction::Save.as_str()/>
                                                <TextField id=fid(field::TITLE) name=field::TITLE label="Titel des Themas" value=tv(field::TITLE, t.title.clone()) error=problems.error(&fid(field::TITLE)) required=true/>
                                                <TextField id=fid(field::CODE) name=field::CODE label="Code des Themas" value=tv(field::CODE, t.code.clone()) error=problems.error(&fid(field::CODE)) hint="Kleinbuchstaben, Ziffern und _; Arbeitsgruppen und Auswertungen beziehen sich darauf."/>
                                                <AreaField id=fid(field::INTRO) name=field::INTRO label="Einleitung des Themas (optional)" value=tv(field::INTRO, t.intro.clone().unwrap_or_default()) error=problems.error(&fid(field::INTRO)) rows=2/>
                                                <div class="actions"><button type="submit" class="button secondary">{format!("Thema „{}“ speichern", t.title)}</button></div>
                                            </form>
                                        </details>
                                        <div class="row-actions">
                                            {(i > 0).then(|| view! { <ActionButton action=taction.clone() csrf=csrf.clone() revision=rev aktion=PartAction::Up text="Nach oben" label=format!("Thema „{}“ nach oben", t.title)/> })}
                                            {(i + 1 < theme_count).then(|| view! { <ActionButton action=taction.clone() csrf=csrf.clone() revision=rev aktion=PartAction::Down text="Nach unten" label=format!("Thema „{}“ nach unten", t.title)/> })}
                                            {t.questions.is_empty().then(|| view! { <ActionButton action=taction.clone() csrf=csrf.clone() revision=rev aktion=PartAction::Delete text="Thema löschen" label=format!("Thema „{}“ löschen", t.title) danger=true/> })}
                                        </div>
                                        {if t.questions.is_empty() {
                                            view! { <p>"Dieses Thema hat noch keine Fragen."</p> }.into_any()
                                        } else {
                                            let n = t.questions.len();
                                            view! {
                                                <ol class="builder-questions">
                                                    {t.questions.iter().enumerate().map(|(j, question)| {
                                                        let qaction = format!("{base}/frage/{}", question.code);
                                                        let short = question.text.chars().take(60).collect::<String>();
                                                        view! {
                                                            <li id=format!("frage-{}", question.code)>
                                                                <p><strong>{question.text.clone()}</strong></p>
                                                                <p class="hint">
                                                                    {format!("{} · Code {}{}", kind_label(question.kind.name()), question.code, if question.required { " · Pflichtangabe" } else { "" })}
                                                                </p>
                                                                {condition_summary(&q, question).map(|c| view! { <p class="hint">{c}</p> })}
                                                                <div class="row-actions">
                                                                    <a href=qaction.clone() aria-label=format!("Frage „{short}“ bearbeiten")>"Bearbeiten"</a>
                                                                    {(j > 0).then(|| view! { <ActionButton action=qaction.clone() csrf=csrf.clone() revision=rev aktion=PartAction::Up text="Nach oben" label=format!("Frage „{short}“ nach oben")/> })}
                                                                    {(j + 1 < n).then(|| view! { <ActionButton action=qaction.clone() csrf=csrf.clone() revision=rev aktion=PartAction::Down text="Nach unten" label=format!("Frage „{short}“ nach unten")/> })}
                                                                    <ActionButton action=qaction.clone() csrf=csrf.clone() revision=rev aktion=PartAction::Delete text="Löschen" label=format!("Frage „{short}“ löschen") danger=true/>
                                                                </div>
                                                            </li>
                                                        }
                                                    }).collect_view()}
                                                </ol>
                                            }.into_any()
                                        }}
                                        <p><a class="button secondary" href=format!("{base}/neue-frage?thema={tcode}")>{format!("Neue Frage im Thema „{}“", t.title)}</a></p>
                                    </section>
                                }
                            }).collect_view()}
                        </section>

                        <section aria-labelledby="thema-neu-h">
                            <h2 id="thema-neu-h">"Neues Thema"</h2>
                            <FormErrors problems=new_theme.clone()/>
                            <form method="post" action=format!("{base}/themen")>
                                <Csrf token=csrf.clone()/>
                                <Revision revision=rev/>
                                <TextField id="thema-neu-titel".into() name=field::TITLE label="Titel des Themas" value=new_theme.value(field::TITLE) error=new_theme.error("thema-neu-titel") required=true/>
                                <TextField id="thema-neu-code".into() name=field::CODE label="Code des Themas (optional)" value=new_theme.value(field::CODE) error=new_theme.error("thema-neu-code") hint="Leer lassen: wird aus dem Titel gebildet."/>
                                <AreaField id="thema-neu-einleitung".into() name=field::INTRO label="Einleitung des Themas (optional)" value=new_theme.value(field::INTRO) rows=2/>
                                <div class="actions"><button type="submit" class="button primary">"Thema anlegen"</button></div>
                            </form>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// Questions before `code` (or, for a new question, up to the end of `theme`) that a
/// condition can refer to: those with choices.
fn condition_candidates(q: &Questionnaire, code: Option<&str>, theme: &str) -> Vec<Question> {
    let mut out = Vec::new();
    for t in &q.themes {
        for question in &t.questions {
            if Some(question.code.as_str()) == code {
                return out;
            }
            if !question.kind.choices().is_empty() {
                out.push(question.clone());
            }
        }
        if code.is_none() && t.code == theme {
            return out;
        }
    }
    out
}

fn codes_in_words(question: &Question) -> String {
    let choices = question
        .kind
        .choices()
        .into_iter()
        .map(|c| format!("{} ({})", c.code, c.label))
        .collect::<Vec<_>>()
        .join(", ");
    match &question.kind {
        QuestionKind::Matrix { rows, .. } => {
            let rows = rows
                .iter()
                .map(|r| format!("{} ({})", r.code, r.label))
                .collect::<Vec<_>>()
                .join(", ");
            format!("„{}“: Zeilen {rows}; Antworten {choices}", question.code)
        }
        _ => format!("„{}“: {choices}", question.code),
    }
}

/// The form of one question: a new one (`/neue-frage?thema=…`) or an existing one.
#[component]
pub fn QuestionEditPage() -> impl IntoView {
    let id = id_param();
    let code = param("code");
    let query = use_query_map();
    let data = Resource::new(move || id.get(), fns::builder);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| {
                    let q = p.questionnaire.clone();
                    let base = format!("/verwaltung/fragebogen/{}", q.id);
                    let code = code.get_untracked();
                    let existing = (!code.is_empty()).then(|| q.question(&code).cloned()).flatten();
                    if !code.is_empty() && existing.is_none() {
                        return view! { <crate::components::ErrorView error=domain::AppError::NotFound("Diese Frage gibt es (nicht mehr).".into())/> }.into_any();
                    }
                    let theme_code = match &existing {
                        Some(e) => q.page_of(&e.code).map(|i| q.themes[i].code.clone()).unwrap_or_default(),
                        None => query.get_untracked().get("thema").unwrap_or_default(),
                    };
                    let Some(theme) = q.themes.iter().find(|t| t.code == theme_code).cloned() else {
                        return view! { <crate::components::ErrorView error=domain::AppError::NotFound("Dieses Thema gibt es (nicht mehr).".into())/> }.into_any();
                    };
                    let problems = Flash::for_form(&flash, "frage");
                    let values = if !problems.errors.is_empty() {
                        problems.values.clone()
                    } else if let Some(e) = &existing {
                        question_form_values(e)
                    } else {
                        [(field::KIND, "single_choice"), (field::SCALE_FROM, "1"), (field::SCALE_TO, "5"), (field::MAX_LEN, "500")].map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
                    };
                    let fp = FormProblems { values, errors: problems.errors.clone() };
                    let v = |name: &str| fp.value(name);
                    let e = |name: &str| fp.error(name);
                    let heading = match &existing {
                        Some(x) => format!("Frage bearbeiten: {}", x.text),
                        None => format!("Neue Frage im Thema „{}“", theme.title),
                    };
                    let action = match &existing {
                        Some(x) => format!("{base}/frage/{}", x.code),
                        None => format!("{base}/neue-frage"),
                    };
                    let candidates = condition_candidates(&q, existing.as_ref().map(|x| x.code.as_str()), &theme.code);
                    let mut condition_options = vec![(String::new(), "– immer zeigen –".to_string())];
                    condition_options.extend(candidates.iter().map(|c| (c.code.clone(), format!("{} ({})", c.text, c.code))));
                    let condition_hint = if candidates.is_empty() {
                        "Es gibt keine frühere Auswahlfrage, auf die sich eine Bedingung beziehen könnte.".to_string()
                    } else {
                        format!("Antwortcodes der früheren Auswahlfragen: {}", candidates.iter().map(codes_in_words).collect::<Vec<_>>().join(" · "))
                    };
                    let title = if fp.errors.is_empty() { heading.clone() } else { format!("Fehler: {heading}") };
                    view! {
                        <Title text=title/>
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <p><a href=base.clone()>{format!("Zurück zum Fragebogen „{}“", q.title)}</a></p>
                        <h1>{heading}</h1>
                        {p.frozen.then(|| view! {
                            <div class="notice" role="note"><p>"Der Fragebogen ist veröffentlicht oder hat schon Antworten: Texte, Beschriftungen und Hilfen können Sie ändern und Antwortoptionen ergänzen; Codes, Art, Bedingung und Pflicht nicht (dafür „Als neue Version kopieren“)."</p></div>
                        })}
                        <FormErrors problems=fp.clone()/>
                        <form method="post" action=action>
                            <Csrf token=p.me.csrf.clone()/>
                            <Revision revision=p.revision/>
                            {existing.is_some().then(|| view! { <input type="hidden" name=field::ACTION value=PartAction::Save.as_str()/> })}
                            {existing.is_none().then(|| view! { <input type="hidden" name=field::THEME value=theme.code.clone()/> })}
                            <fieldset>
                                <legend>"Frage"</legend>
                                <AreaField id=field::TEXT.into() name=field::TEXT label="Fragetext (Pflichtfeld)" value=v(field::TEXT) error=e(field::TEXT) rows=2/>
                                <TextField id=field::CODE.into() name=field::CODE label="Code der Frage" value=v(field::CODE) error=e(field::CODE) hint="Kleinbuchstaben, Ziffern und _; Schlüssel im Export. Leer lassen: wird aus dem Fragetext gebildet."/>
                                <AreaField id=field::HELP.into() name=field::HELP label="Hilfetext (optional)" value=v(field::HELP) error=e(field::HELP) rows=2/>
                                <CheckField id=field::REQUIRED.into() name=field::REQUIRED label="Pflichtangabe" checked=v(field::REQUIRED) == "1"/>
                                <CheckField id=field::PERSONAL.into() name=field::PERSONAL label="Personenbezogene Angabe (z. B. Name, Kontakt): erscheint nie in einer Auswertung" checked=v(field::PERSONAL) == "1"/>
                                <SelectField id=field::KIND.into() name=field::KIND label="Art der Frage" options=KINDS.iter().map(|(n, l)| (n.to_string(), l.to_string())).collect() chosen=v(field::KIND) error=e(field::KIND)/>
                            </fieldset>
                            <p class="hint">"Füllen Sie nur die Angaben zur gewählten Art aus; die übrigen werden nicht gespeichert."</p>
                            <fieldset>
                                <legend>"Antwortoptionen (Einfach- und Mehrfachauswahl)"</legend>
                                <AreaField id=field::OPTIONS.into() name=field::OPTIONS label="Antwortoptionen, eine je Zeile" value=v(field::OPTIONS) error=e(field::OPTIONS) hint="Je Zeile „code = Beschriftung“, z. B. „ja = Ja, gibt es“. Nur die Beschriftung genügt auch; der Code wird dann daraus gebildet." rows=6/>
                                <TextField id=field::OTHER.into() name=field::OTHER label="Feld „Sonstiges“ mit Texteingabe (nur Mehrfachauswahl, optional)" value=v(field::OTHER) error=e(field::OTHER) hint="Beschriftung, z. B. „Sonstiges, und zwar:“; leer lassen für kein solches Feld."/>
                            </fieldset>
                            <fieldset>
                                <legend>"Matrix"</legend>
                                <AreaField id=field::ROWS.into() name=field::ROWS label="Zeilen, eine je Zeile" value=v(field::ROWS) error=e(field::ROWS) hint="Je Zeile „code = Beschriftung“." rows=5/>
                                <AreaField id=field::COLUMNS.into() name=field::COLUMNS label="Spalten (Antworten je Zeile), eine je Zeile" value=v(field::COLUMNS) error=e(field::COLUMNS) rows=4/>
                            </fieldset>
                            <fieldset>
                                <legend>"Bewertungsskala"</legend>
                                <TextField id=field::SCALE_FROM.into() name=field::SCALE_FROM label="Skala von" value=v(field::SCALE_FROM) error=e(field::SCALE_FROM) input_type="number"/>
                                <TextField id=field::SCALE_TO.into() name=field::SCALE_TO label="Skala bis (höchstens 10)" value=v(field::SCALE_TO) error=e(field::SCALE_TO) input_type="number"/>
                                <TextField id=field::SCALE_FROM_LABEL.into() name=field::SCALE_FROM_LABEL label="Beschriftung des Anfangs" value=v(field::SCALE_FROM_LABEL) error=e(field::SCALE_FROM_LABEL)/>
                                <TextField id=field::SCALE_TO_LABEL.into() name=field::SCALE_TO_LABEL label="Beschriftung des Endes" value=v(field::SCALE_TO_LABEL) error=e(field::SCALE_TO_LABEL)/>
                                <TextField id=field::CANNOT_JUDGE.into() name=field::CANNOT_JUDGE label="Option „kann ich nicht beurteilen“ (optional)" value=v(field::CANNOT_JUDGE) error=e(field::CANNOT_JUDGE) hint="Beschriftung; leer lassen für keine solche Option."/>
                            </fieldset>
                            <fieldset>
                                <legend>"Zahl"</legend>
                                <TextField id=field::NUMBER_MIN.into() name=field::NUMBER_MIN label="Kleinster Wert (optional)" value=v(field::NUMBER_MIN) error=e(field::NUMBER_MIN)/>
                                <TextField id=field::NUMBER_MAX.into() name=field::NUMBER_MAX label="Größter Wert (optional)" value=v(field::NUMBER_MAX) error=e(field::NUMBER_MAX)/>
                                <TextField id=field::UNIT.into() name=field::UNIT label="Einheit (optional), z. B. Stunden" value=v(field::UNIT) error=e(field::UNIT)/>
                                <CheckField id=field::INTEGER.into() name=field::INTEGER label="Nur ganze Zahlen" checked=v(field::INTEGER) == "1"/>
                            </fieldset>
                            <fieldset>
                                <legend>"Text"</legend>
                                <TextField id=field::MAX_LEN.into() name=field::MAX_LEN label="Höchstlänge in Zeichen" value=v(field::MAX_LEN) error=e(field::MAX_LEN) input_type="number"/>
                            </fieldset>
                            <fieldset>
                                <legend>"Bedingung (optional)"</legend>
                                <SelectField id=field::CONDITION_QUESTION.into() name=field::CONDITION_QUESTION label="Nur zeigen, wenn bei dieser Frage …" options=condition_options chosen=v(field::CONDITION_QUESTION) error=e(field::CONDITION_QUESTION) hint=Some(condition_hint)/>
                                <TextField id=field::CONDITION_ROW.into() name=field::CONDITION_ROW label="… in dieser Zeile (nur bei Matrixfragen: Code der Zeile)" value=v(field::CONDITION_ROW) error=e(field::CONDITION_ROW)/>
                                <TextField id=field::CONDITION_VALUES.into() name=field::CONDITION_VALUES label="… eine dieser Antworten gewählt ist (Codes, durch Komma getrennt)" value=v(field::CONDITION_VALUES) error=e(field::CONDITION_VALUES)/>
                            </fieldset>
                            <div class="actions">
                                <button type="submit" class="button primary">"Frage speichern"</button>
                                <a href=base.clone()>"Abbrechen"</a>
                            </div>
                        </form>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}

/// A theme as respondents see it, with the respondents' own form; nothing is saved.
#[component]
pub fn PreviewPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let data = Resource::new(move || id.get(), fns::builder);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, _)| {
                    let q = p.questionnaire.clone();
                    let base = format!("/verwaltung/fragebogen/{}", q.id);
                    let steps = q.themes.len();
                    let step = query.get_untracked().get("thema").and_then(|s| s.parse::<usize>().ok()).unwrap_or(1).clamp(1, steps.max(1));
                    let nav = view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/fragebogen"/>
                        <div class="notice" role="note">
                            <p><strong>"Vorschau"</strong>" – so sehen Befragte diesen Schritt. Eingaben werden nicht gespeichert. Fragen, deren Bedingung sich auf eine andere Seite bezieht, sind hier immer zu sehen."</p>
                            <p><a href=base.clone()>{format!("Zurück zum Bearbeiten von „{}“", q.title)}</a></p>
                        </div>
                    };
                    let Some(theme) = q.themes.get(step - 1).cloned() else {
                        return view! {
                            <Title text="Vorschau"/>
                            {nav}
                            <h1>"Vorschau"</h1>
                            <p>"Der Fragebogen hat noch keine Themen."</p>
                        }
                        .into_any();
                    };
                    let preview = format!("{base}/vorschau");
                    view! {
                        <Title text=format!("Vorschau: Schritt {step} von {steps}: {}", theme.title)/>
                        {nav}
                        <p class="questionnaire-title">{q.title.clone()}</p>
                        <h1><span class="step">{format!("Vorschau – Schritt {step} von {steps}")}</span>{theme.title.clone()}</h1>
                        <progress max=steps value=step aria-hidden="true"></progress>
                        {theme.intro.clone().map(|intro| view! { <p class="lead">{intro}</p> })}
                        {theme.questions.is_empty().then(|| view! { <p>"Dieses Thema hat noch keine Fragen."</p> })}
                        <QuestionForm action=preview.clone() theme=theme.clone() answers=Answers::default() errors=vec![] method="get">
                            {(step < steps).then(|| view! { <button type="submit" name="thema" value=(step + 1).to_string() class="button primary">"Weiter"</button> })}
                            {(step > 1).then(|| view! { <button type="submit" name="thema" value=(step - 1).to_string() class="button">"Zurück"</button> })}
                        </QuestionForm>
                        <nav aria-label="Schritte der Vorschau">
                            <ol>
                                {q.themes.iter().enumerate().map(|(i, t)| view! {
                                    <li><a href=format!("{preview}?thema={}", i + 1) aria-current=(i + 1 == step).then_some("step")>{t.title.clone()}</a></li>
                                }).collect_view()}
                            </ol>
                        </nav>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}

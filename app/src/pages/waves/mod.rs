//! Survey waves on the pages: the builder's section matching a later wave's questions with the
//! wave before, a theme of wave A against wave B, and the heat map of both. The waves and the
//! view are chosen by GET forms, so that every comparison works without script and can be
//! bookmarked.

mod fns;

use crate::components::admin::{AdminNav, Csrf, FieldMessage, FlashNotice, FormErrors};
use crate::components::figures::{decimal, percent, TableView};
use crate::components::filter::{municipality_items, org_kind_items, ViewSelect};
use crate::components::{loaded, Loading};
use domain::dashboard::{FilterView, HeatCell};
use domain::disclosure::EXPLANATION_PATH;
use domain::locale::format_decimal;
use domain::staff::Flash;
use domain::stats::{MEAN_PLACES, PERCENT_PLACES, TOO_FEW};
use domain::wave_comparison::{
    ComparedLine, ComparisonPage, Difference, Estimate, HeatComparison, Measure,
    QuestionComparison, MEAN_TEST, NOT_RANDOM_NOTE, SHARE_TEST,
};
use domain::waves::{
    field, mapping_form, mapping_question_id, mapping_values_id, values_text, BuilderWaves,
    WaveChoice, BY_CODE, NOT_COMPARED,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

fn raw_query() -> Memo<String> {
    let location = use_location();
    Memo::new(move |_| location.search.get().trim_start_matches('?').to_string())
}

/// A value of a figure as the dashboards write it.
fn value_text(measure: Measure, value: f64) -> String {
    match measure {
        Measure::Share => percent(value),
        Measure::Mean => decimal(value),
    }
}

/// A difference: percentage points for shares, the mean's unit for means, with its sign.
fn difference_text(measure: Measure, value: f64) -> String {
    let places = match measure {
        Measure::Share => PERCENT_PLACES,
        Measure::Mean => MEAN_PLACES,
    };
    let number = format_decimal(value, places, true);
    let signed = if value > 0.0 { format!("+{number}") } else { number.replace('-', "−") };
    match measure {
        Measure::Share => format!("{signed} Prozentpunkte"),
        Measure::Mean => signed,
    }
}

fn interval_text(measure: Measure, d: &Difference) -> String {
    let places = match measure {
        Measure::Share => PERCENT_PLACES,
        Measure::Mean => MEAN_PLACES,
    };
    format!(
        "{} bis {}",
        format_decimal(d.low, places, true).replace('-', "−"),
        format_decimal(d.high, places, true).replace('-', "−")
    )
}

fn estimate_text(measure: Measure, e: &Option<Estimate>) -> String {
    match e {
        Some(e) => format!("{} (n = {})", value_text(measure, e.value), e.n),
        None => TOO_FEW.to_string(),
    }
}

/// The builder's section of a later wave: how each question matches the wave before, and a
/// form per question for an explicit mapping.
#[component]
pub fn MappingSection(
    waves: BuilderWaves,
    questionnaire_id: i64,
    revision: i64,
    csrf: String,
    flash: Option<Flash>,
) -> impl IntoView {
    let Some(earlier) = waves.earlier.clone() else {
        return view! {
            <section aria-labelledby="welle-h" id="welle">
                <h2 id="welle-h">"Reihe und Welle"</h2>
                <p>{format!("Reihe „{}“, Welle {}: die erste Welle. Eine weitere Welle legen Sie mit „Als neue Version kopieren“ an; deren Fragen werden dann dieser zugeordnet.", waves.series_title, waves.label)}</p>
            </section>
        }
        .into_any();
    };
    let base = format!("/verwaltung/fragebogen/{questionnaire_id}/abgleich");
    let choices = waves.earlier_questions.clone();
    view! {
        <section aria-labelledby="welle-h" id="welle">
            <h2 id="welle-h">{format!("Abgleich mit der früheren Welle {}", earlier.label)}</h2>
            <p>{format!("Reihe „{}“, diese Welle: {}. Die Auswertung vergleicht eine Frage mit der Frage der Welle {} („{}“), die denselben Code hat, wenn Art, Antwortoptionen, Skala, Zeilen und Spalten übereinstimmen. Wo sich Codes, Optionen oder Zeilen geändert haben, ordnen Sie hier zu. Fragen ohne Zuordnung werden nicht verglichen.", waves.series_title, waves.label, earlier.label, earlier.title)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Zuordnung der Fragen zur früheren Welle">
                <table class="data">
                    <caption>{format!("Fragen dieser Welle und ihre Entsprechung in Welle {}", earlier.label)}</caption>
                    <thead><tr><th scope="col">"Frage"</th><th scope="col">"Verglichen mit"</th><th scope="col">"Werte (neu = früher)"</th></tr></thead>
                    <tbody>
                        {waves.rows.iter().map(|r| {
                            let (with, values) = match &r.outcome {
                                Ok(m) => (format!("{}{}", m.earlier, if r.stored.is_some() { " (zugeordnet)" } else { " (gleicher Code)" }), values_text(&m.values).replace('\n', ", ")),
                                Err(why) => (format!("nicht verglichen: {why}"), String::new()),
                            };
                            view! { <tr><th scope="row"><a href=format!("#abgleich-{}", r.code)>{format!("{} – {}", r.code, r.text)}</a></th><td>{with}</td><td>{values}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {waves.rows.into_iter().filter(|r| r.mappable).map(|r| {
                let problems = Flash::for_form(&flash, &mapping_form(&r.code));
                let (qid, vid) = (mapping_question_id(&r.code), mapping_values_id(&r.code));
                let (q_error, v_error) = (problems.error(&qid), problems.error(&vid));
                let chosen = if !problems.errors.is_empty() {
                    problems.value(field::EARLIER_QUESTION)
                } else {
                    match &r.stored {
                        Some(s) if s.earlier.is_empty() => NOT_COMPARED.to_string(),
                        Some(s) => s.earlier.clone(),
                        None => BY_CODE.to_string(),
                    }
                };
                let values = if !problems.errors.is_empty() {
                    problems.value(field::VALUE_MAP)
                } else {
                    r.stored.as_ref().map(|s| values_text(&s.values)).unwrap_or_default()
                };
                let mut options = vec![(BY_CODE.to_string(), "automatisch: gleicher Code".to_string()), (NOT_COMPARED.to_string(), "nicht vergleichen".to_string())];
                options.extend(choices.iter().cloned());
                let open = !problems.errors.is_empty();
                let hint_id = format!("{vid}-hinweis");
                view! {
                    <details class="card mapping" id=format!("abgleich-{}", r.code) open=open>
                        <summary>{format!("Zuordnung von „{}“ ändern", r.code)}</summary>
                        <FormErrors problems=problems.clone()/>
                        <form method="post" action=format!("{base}/{}", r.code)>
                            <Csrf token=csrf.clone()/>
                            <input type="hidden" name="revision" value=revision.to_string()/>
                            <div class="field" class:has-error=q_error.is_some()>
                                <label for=qid.clone()>{format!("Frühere Frage (Welle {}) für „{}“", earlier.label, r.code)}</label>
                                <FieldMessage id=qid.clone() error=q_error.clone()/>
                                <select id=qid.clone() name=field::EARLIER_QUESTION aria-invalid=q_error.is_some().then_some("true") aria-describedby=q_error.is_some().then(|| format!("{qid}-fehler"))>
                                    {options.into_iter().map(|(code, text)| {
                                        let selected = code == chosen;
                                        view! { <option value=code selected=selected>{text}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field" class:has-error=v_error.is_some()>
                                <label for=vid.clone()>"Optionen oder Zeilen zuordnen"</label>
                                <p class="hint" id=hint_id.clone()>"Je Zeile „neuer Code = früherer Code“, z. B. „griffbereit = griff“. Leer: die Codes, die beide Fragen haben. Nicht genannte Optionen oder Zeilen werden nicht verglichen. Bei Bewertungen und Zahlen leer lassen."</p>
                                <FieldMessage id=vid.clone() error=v_error.clone()/>
                                <textarea id=vid.clone() name=field::VALUE_MAP rows="4" aria-invalid=v_error.is_some().then_some("true")
                                    aria-describedby=if v_error.is_some() { format!("{hint_id} {vid}-fehler") } else { hint_id.clone() }
                                    inner_html=crate::components::question::textarea_html(&values)></textarea>
                            </div>
                            <div class="actions"><button type="submit" class="button secondary">{format!("Zuordnung von „{}“ speichern", r.code)}</button></div>
                        </form>
                    </details>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// The GET form of a comparison: wave A and wave B of the series, and (on theme pages) the
/// view, one municipality or one kind of organisation.
#[component]
fn WaveForm(
    action: String,
    waves: Vec<WaveChoice>,
    earlier: Option<i64>,
    later: Option<i64>,
    filter: FilterView,
    with_view: bool,
) -> impl IntoView {
    let chosen = filter.form.clone();
    let wave_select = move |name: &'static str, label: &'static str, current: Option<i64>| {
        let id = format!("w-{name}");
        let message = chosen.error(&id);
        let value = current.map(|c| c.to_string()).unwrap_or_else(|| chosen.value(name));
        let waves = waves.clone();
        view! {
            <div class="field" class:has-error=message.is_some()>
                <label for=id.clone()>{label}</label>
                <FieldMessage id=id.clone() error=message.clone()/>
                <select id=id.clone() name=name aria-invalid=message.is_some().then_some("true") aria-describedby=message.is_some().then(|| format!("{id}-fehler"))>
                    {waves.into_iter().map(|w| {
                        let code = w.questionnaire_id.to_string();
                        let selected = value == code;
                        view! { <option value=code selected=selected>{format!("Welle {} – {}", w.label, w.title)}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let view_fields = with_view.then(|| {
        let form = filter.form.clone();
        let select = move |name: &'static str, label: &'static str, all: &'static str, items: Vec<(String, String)>| {
            view! { <ViewSelect chosen=form.clone() name label all items hint_id="vergleich-ansicht-hinweis"/> }
        };
        let municipalities = municipality_items();
        let kinds = org_kind_items();
        view! {
            <fieldset class="filter">
                <legend>"Welche Antworten?"</legend>
                <p class="hint" id="vergleich-ansicht-hinweis">"Eine Kommune oder eine Art der Organisation – eines davon, wie auf den Seiten der Themen. Monate lassen sich nicht vergleichen, da die Wellen in verschiedenen Zeiträumen liegen. "
                    <a href=EXPLANATION_PATH>"Warum nicht feiner? Zum Schutz kleiner Gruppen"</a></p>
                {select("gemeinde", "Kommune", "ganzer Kreis", municipalities)}
                {select("art", "Art der Organisation", "alle Arten", kinds)}
            </fieldset>
        }
    });
    view! {
        <form method="get" action=action class="filter-box wave-form">
            <fieldset class="filter">
                <legend>"Welche Wellen?"</legend>
                {wave_select(field::WAVE_A, "Welle A (die frühere)", earlier)}
                {wave_select(field::WAVE_B, "Welle B (die spätere)", later)}
            </fieldset>
            {view_fields}
            <div class="actions"><button type="submit" class="button primary">"Vergleich zeigen"</button></div>
        </form>
    }
}

/// How the comparison is computed, on every comparison page.
#[component]
fn Method(min_group: u64) -> impl IntoView {
    view! {
        <details class="method" open=true>
            <summary>"So ist der Vergleich berechnet"</summary>
            <ul>
                <li>{format!("Jede Welle zeigt ihre Zahlen genau wie ihre eigene Auswertung: über abgeschickte (und bei offenen Links freigegebene) Antworten, mit dem Schutz kleiner Gruppen jeder Welle (mindestens {min_group} Antworten, keine aus anderen Ansichten errechenbaren Zahlen). Ein Unterschied steht nur, wo beide Zahlen gezeigt werden.")}</li>
                <li>"Anteile: Anzahl der Antworten mit dieser Angabe geteilt durch n, die Antworten, die die Frage (bei Matrizen: die Zeile) beantwortet haben. Unterschied in Prozentpunkten, Welle B minus Welle A. "{SHARE_TEST}"; das 95-%-Intervall mit dem ungepoolten Standardfehler."</li>
                <li>"Mittelwerte: über die Skalenwerte ohne „kann ich nicht beurteilen“ (Bewertungen, Bedarfszeilen) oder die gültigen Zahlen; n ist deren Anzahl. Unterschied Welle B minus Welle A. "{MEAN_TEST}": Standardfehler √(s²A/nA + s²B/nB) mit Stichprobenvarianzen, Grenze ±1,96 (bei kleinem n etwas zu großzügig)."</li>
                <li><strong>{NOT_RANDOM_NOTE}</strong></li>
                <li>"Verglichen werden Fragen mit gleichem Code, wenn Art, Optionen, Zeilen und Spalten übereinstimmen, oder wie im Fragebogen der späteren Welle zugeordnet. Nicht zugeordnete Fragen und Freitexte werden nicht verglichen; sie sind unten genannt."</li>
            </ul>
        </details>
    }
}

/// A pair of bars per compared line: wave A above wave B, each with its value written beside.
#[component]
fn PairBars(
    id: String,
    title: String,
    lines: Vec<ComparedLine>,
    labels: (String, String),
    top: f64,
) -> impl IntoView {
    let title_id = format!("{id}-titel");
    let labelled_by = title_id.clone();
    let describe = |l: &ComparedLine| {
        let name = match &l.row {
            Some((_, row)) if l.measure == Measure::Share => format!("{row}, {}", l.label),
            Some((_, row)) => row.clone(),
            None => l.label.clone(),
        };
        let diff = l
            .difference
            .as_ref()
            .map(|d| {
                format!(
                    ", Unterschied {}{}",
                    difference_text(l.measure, d.value),
                    if d.notable { ", auffällig" } else { "" }
                )
            })
            .unwrap_or_default();
        format!(
            "{name}: Welle {} {}, Welle {} {}{diff}",
            labels.0,
            estimate_text(l.measure, &l.earlier),
            labels.1,
            estimate_text(l.measure, &l.later)
        )
    };
    let alternative = format!(
        "Balkendiagramm „{title}“, Welle {} gegen Welle {}. {}",
        labels.0,
        labels.1,
        lines.iter().map(describe).collect::<Vec<_>>().join("; ")
    );
    let width = move |e: &Option<Estimate>| {
        e.as_ref().map(|e| if top > 0.0 { (e.value / top * 100.0).clamp(0.0, 100.0) } else { 0.0 })
    };
    view! {
        <div class="chart" role="img" aria-labelledby=labelled_by>
            <span class="visually-hidden" id=title_id>{alternative}</span>
            {lines.into_iter().map(|l| {
                let name = match &l.row {
                    Some((_, row)) if l.measure == Measure::Share => format!("{row}: {}", l.label),
                    Some((_, row)) => row.clone(),
                    None => l.label.clone(),
                };
                let bars = [(labels.0.clone(), l.earlier.clone(), "#455a64"), (labels.1.clone(), l.later.clone(), "#1d4f91")];
                view! {
                    <div class="chart-pair">
                        {bars.into_iter().map(|(wave, e, colour)| {
                            let w = width(&e);
                            view! {
                                <div class="chart-row">
                                    <span class="chart-label">{format!("{name} – {wave}")}</span>
                                    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true">
                                        <rect x="0" y="0" width="100" height="10" class="bar-track" vector-effect="non-scaling-stroke"/>
                                        {w.map(|w| view! { <rect x="0" y="0" width=w height="10" fill=colour class="segment" vector-effect="non-scaling-stroke"/> })}
                                    </svg>
                                    <span class="chart-value">{estimate_text(l.measure, &e)}</span>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// One question of the comparison: its pair of bars, the table view and its CSV.
#[component]
fn QuestionPair(
    q: QuestionComparison,
    labels: (String, String),
    csv_href: String,
) -> impl IntoView {
    let heading = format!("vq-{}", q.code);
    let labelled_by = heading.clone();
    if let Some(why) = q.not_compared.clone() {
        return view! {
            <section class="figure" aria-labelledby=labelled_by>
                <h3 id=heading>{q.text.clone()}</h3>
                <p class="suppressed">{format!("Nicht verglichen: {why}")}</p>
            </section>
        }
        .into_any();
    }
    let top = q
        .lines
        .iter()
        .flat_map(|l| [l.earlier.as_ref(), l.later.as_ref()])
        .flatten()
        .map(|e| e.value)
        .fold(0.0_f64, f64::max);
    let top =
        if q.lines.iter().all(|l| l.measure == Measure::Share) { 100.0 } else { top.max(1.0) };
    let row_name = |l: &ComparedLine| match &l.row {
        Some((_, row)) if l.measure == Measure::Share => format!("{row}: {}", l.label),
        Some((_, row)) => format!("{row} (Mittelwert)"),
        None => l.label.clone(),
    };
    let rows: Vec<Vec<String>> = q
        .lines
        .iter()
        .map(|l| {
            let side = |e: &Option<Estimate>| match e {
                Some(e) => (value_text(l.measure, e.value), e.n.to_string()),
                None => (TOO_FEW.to_string(), "–".to_string()),
            };
            let (a, b) = (side(&l.earlier), side(&l.later));
            let (d, ci, mark) = match &l.difference {
                Some(d) => (
                    difference_text(l.measure, d.value),
                    interval_text(l.measure, d),
                    if d.notable { "auffällig".to_string() } else { "nein".to_string() },
                ),
                None => ("–".into(), "–".into(), "–".into()),
            };
            vec![row_name(l), a.0, a.1, b.0, b.1, d, ci, mark]
        })
        .collect();
    let caption = format!("{}: Welle {} gegen Welle {}", q.text, labels.0, labels.1);
    let head = vec![
        "Angabe".to_string(),
        format!("Welle {}", labels.0),
        format!("n ({})", labels.0),
        format!("Welle {}", labels.1),
        format!("n ({})", labels.1),
        "Unterschied".into(),
        "95-%-Intervall".into(),
        "Auffällig".into(),
    ];
    let notable: Vec<String> = q
        .lines
        .iter()
        .filter(|l| l.difference.as_ref().is_some_and(|d| d.notable))
        .map(row_name)
        .collect();
    view! {
        <section class="figure" aria-labelledby=labelled_by>
            <h3 id=heading>{q.text.clone()}</h3>
            {q.earlier_code.clone().filter(|c| *c != q.code).map(|c| view! { <p class="hint">{format!("Verglichen mit der früheren Frage „{c}“.")}</p> })}
            <PairBars id=format!("vfig-{}", q.code) title=q.text.clone() lines=q.lines.clone() labels=labels.clone() top=top/>
            <p class="key-figures">{if notable.is_empty() { "Kein Unterschied ist größer, als der Zufall erklären würde.".to_string() } else { format!("Auffällig (größer, als der Zufall erklären würde): {}", notable.join("; ")) }}</p>
            <TableView caption head rows/>
            <p class="csv-link"><a href=csv_href download="">"Daten als CSV"<span class="visually-hidden">{format!(": Vergleich {}", q.text)}</span></a></p>
        </section>
    }
    .into_any()
}

#[component]
pub fn ComparisonPage() -> impl IntoView {
    let query = raw_query();
    let params = use_params_map();
    let theme = Memo::new(move |_| params.read().get("thema").unwrap_or_default());
    let data =
        Resource::new(move || (theme.get(), query.get()), |(t, q)| fns::theme_comparison(t, q));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, flash)| view! { <ComparisonView page=p flash=flash/> })
            })}
        </Suspense>
    }
}

/// The query of a comparison: the waves and the view.
fn comparison_query(
    p_earlier: &Option<WaveChoice>,
    p_later: &Option<WaveChoice>,
    filter: &FilterView,
) -> String {
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (p_earlier, p_later) {
        parts.push(format!(
            "{}={}&{}={}",
            field::WAVE_A,
            a.questionnaire_id,
            field::WAVE_B,
            b.questionnaire_id
        ));
    }
    if !filter.query.is_empty() {
        parts.push(filter.query.clone());
    }
    parts.join("&")
}

#[component]
fn ComparisonView(page: ComparisonPage, flash: Option<Flash>) -> impl IntoView {
    let p = page;
    let current = p.theme.code.clone();
    let query = comparison_query(&p.earlier, &p.later, &p.filter);
    let labels = (
        p.earlier.as_ref().map(|w| w.label.clone()).unwrap_or_default(),
        p.later.as_ref().map(|w| w.label.clone()).unwrap_or_default(),
    );
    let csv_base = format!("/auswertung/{current}/vergleich.csv?{query}");
    let title = p.theme.title.clone();
    view! {
        <Title text=format!("Vergleich der Wellen: {title}")/>
        <AdminNav me=p.me.clone() current="/auswertung"/>
        <nav class="theme-nav" aria-label="Themen im Vergleich">
            <ul>
                <li><a href=format!("/auswertung/vergleich?{}", comparison_query(&p.earlier, &p.later, &FilterView::default()))>"Übersicht im Vergleich"</a></li>
                {p.themes.iter().map(|t| view! {
                    <li><a href=format!("/auswertung/{}/vergleich?{query}", t.code) aria-current=(t.code == current).then_some("page")>{t.title.clone()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
        <h1>{format!("Vergleich der Wellen: {title}")}</h1>
        <p class="lead">{match (&p.earlier, &p.later) {
            (Some(a), Some(b)) => format!("{}: Welle {} gegen Welle {} – {}", p.series_title, a.label, b.label, if p.filter.description.is_empty() { "Auswahl fehlerhaft".into() } else { p.filter.description.clone() }),
            _ => format!("{}: Auswahl fehlerhaft", p.series_title),
        }}</p>
        <FlashNotice flash=flash/>
        <FormErrors problems=p.filter.form.clone()/>
        <WaveForm action=format!("/auswertung/{current}/vergleich") waves=p.waves.clone() earlier=p.earlier.as_ref().map(|w| w.questionnaire_id) later=p.later.as_ref().map(|w| w.questionnaire_id) filter=p.filter.clone() with_view=true/>
        <Method min_group=p.min_group/>
        {p.later.as_ref().map(|b| view! {
            <p><a href=format!("/auswertung/{current}?fragebogen={}", b.questionnaire_id)>{format!("Nur Welle {} ansehen", b.label)}</a></p>
        })}
        {p.comparison.map(|c| {
            let respondents = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_else(|| TOO_FEW.to_string());
            view! {
                <p class="downloads">
                    <a href=csv_base.clone() download="">"Alle Zahlen des Vergleichs als CSV"</a>
                    " · "
                    <a href=format!("{csv_base}&dialekt=standard") download="">"CSV (Standard, Komma)"</a>
                </p>
                <dl class="facts-list">
                    <dt>{format!("Antworten Welle {}", labels.0)}</dt><dd>{respondents(c.earlier_respondents)}</dd>
                    <dt>{format!("Antworten Welle {}", labels.1)}</dt><dd>{respondents(c.later_respondents)}</dd>
                </dl>
                <h2>"Ergebnisse je Frage"</h2>
                {c.questions.into_iter().map(|q| {
                    let href = format!("{csv_base}&frage={}", q.code);
                    view! { <QuestionPair q=q labels=labels.clone() csv_href=href/> }
                }).collect_view()}
            }
        })}
    }
}

#[component]
pub fn OverviewComparisonPage() -> impl IntoView {
    let query = raw_query();
    let data = Resource::new(move || query.get(), fns::overview_comparison);
    view! {
        <Title text="Bestand und Bedarf im Vergleich der Wellen"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, _flash)| {
                    let labels = (
                        p.earlier.as_ref().map(|w| w.label.clone()).unwrap_or_default(),
                        p.later.as_ref().map(|w| w.label.clone()).unwrap_or_default(),
                    );
                    let query = comparison_query(&p.earlier, &p.later, &FilterView::default());
                    view! {
                        <AdminNav me=p.me.clone() current="/auswertung"/>
                        <h1>"Bestand und Bedarf im Vergleich der Wellen"</h1>
                        <p class="lead">{match (&p.earlier, &p.later) {
                            (Some(a), Some(b)) => format!("{}: Welle {} gegen Welle {} – ganzer Kreis und jede Kommune", p.series_title, a.label, b.label),
                            _ => format!("{}: Auswahl fehlerhaft", p.series_title),
                        }}</p>
                        <FormErrors problems=p.filter.form.clone()/>
                        <WaveForm action="/auswertung/vergleich".into() waves=p.waves.clone() earlier=p.earlier.as_ref().map(|w| w.questionnaire_id) later=p.later.as_ref().map(|w| w.questionnaire_id) filter=p.filter.clone() with_view=false/>
                        <Method min_group=p.min_group/>
                        <p class="hint">"In der Übersicht ist der Bestand ein Anteil der Zellen der Bestandsmatrizen und der Bedarf ein Mittelwert über alle Zeilen der Bedarfsmatrizen; die Tests behandeln jede Zelle als eigene Beobachtung, obwohl eine Organisation mehrere Zeilen beantwortet. Die Markierung ist hier also nur ein grober Hinweis; genauer sind die Seiten der Themen."</p>
                        {p.later.as_ref().map(|b| view! { <p><a href=format!("/auswertung?fragebogen={}", b.questionnaire_id)>{format!("Übersicht nur der Welle {}", b.label)}</a></p> })}
                        {if p.rows.is_empty() {
                            view! { <p>"Keine Themen mit Bestands- und Bedarfsfragen in beiden Wellen."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Bestand und Bedarf je Thema und Kommune im Vergleich der Wellen">
                                    <table class="data heat-map heat-compare">
                                        <caption>{format!("Bestand (Anteil vorhandener Angebote) und Bedarf (Mittelwert 1–5) je Thema und Kommune: Welle {} → Welle {}, Unterschied; n = Zahl der Antworten", labels.0, labels.1)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Thema"</th>
                                                <th scope="col">"Kreis gesamt"</th>
                                                {p.municipalities.iter().map(|(_, name)| view! { <th scope="col">{name.clone()}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.rows.iter().map(|row| {
                                                let href = format!("/auswertung/{}/vergleich?{query}", row.theme.code);
                                                view! {
                                                    <tr>
                                                        <th scope="row"><a href=href>{row.theme.title.clone()}</a></th>
                                                        <HeatPairTd cell=row.county.clone() labels=labels.clone()/>
                                                        {row.cells.iter().map(|cell| view! { <HeatPairTd cell=cell.clone() labels=labels.clone()/> }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <p><a href=format!("/auswertung/vergleich.csv?{query}") download="">"Daten als CSV"</a></p>
                            }.into_any()
                        }}
                    }
                })
            })}
        </Suspense>
    }
}

fn heat_side(cell: &HeatCell) -> (String, String) {
    if cell.withheld() {
        return (TOO_FEW.to_string(), TOO_FEW.to_string());
    }
    (
        cell.stock_percent.map(percent).unwrap_or_else(|| "–".into()),
        cell.need_mean.map(decimal).unwrap_or_else(|| "–".into()),
    )
}

#[component]
fn HeatPairTd(cell: HeatComparison, labels: (String, String)) -> impl IntoView {
    let (sa, na) = heat_side(&cell.earlier);
    let (sb, nb) = heat_side(&cell.later);
    let diff = |d: &Option<Difference>, m: Measure| match d {
        Some(d) => format!(
            "{}{}",
            difference_text(m, d.value),
            if d.notable { " (auffällig)" } else { "" }
        ),
        None => "–".into(),
    };
    let n = |c: &HeatCell| if c.withheld() { String::new() } else { format!(", n = {}", c.n) };
    view! {
        <td class="heat heat-pair">
            <span class="stock">{format!("Bestand {}: {sa} → {}: {sb}", labels.0, labels.1)}</span>
            <span class="diff">{format!("Δ {}", diff(&cell.stock, Measure::Share))}</span>
            <span class="need">{format!("Bedarf {}: {na} → {}: {nb}", labels.0, labels.1)}</span>
            <span class="diff">{format!("Δ {}", diff(&cell.need, Measure::Mean))}</span>
            <span class="cell-n">{format!("{}{} / {}{}", labels.0, n(&cell.earlier), labels.1, n(&cell.later))}</span>
        </td>
    }
}

/// "Mit einer früheren Welle vergleichen" on a single wave's theme page or overview: a GET form
/// choosing wave A, with wave B the page's questionnaire and the view kept.
#[component]
pub fn CompareLink(
    action: String,
    waves: Vec<WaveChoice>,
    questionnaire_id: i64,
    view: Vec<(String, String)>,
) -> impl IntoView {
    let Some(current) = waves.iter().find(|w| w.questionnaire_id == questionnaire_id).cloned()
    else {
        return ().into_any();
    };
    let earlier: Vec<WaveChoice> =
        waves.into_iter().filter(|w| w.position < current.position).collect();
    if earlier.is_empty() {
        return ().into_any();
    }
    let default = earlier.last().map(|w| w.questionnaire_id).unwrap_or(0);
    view! {
        <form method="get" action=action class="compare-form">
            <input type="hidden" name=field::WAVE_B value=questionnaire_id.to_string()/>
            {view.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <label for="vergleich-welle">{format!("Welle {} vergleichen mit", current.label)}</label>
            <select id="vergleich-welle" name=field::WAVE_A>
                {earlier.into_iter().map(|w| {
                    let selected = w.questionnaire_id == default;
                    view! { <option value=w.questionnaire_id.to_string() selected=selected>{format!("Welle {} – {}", w.label, w.title)}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button secondary">"Wellen vergleichen"</button>
        </form>
    }
    .into_any()
}

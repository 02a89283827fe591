//! Demo data: plausible responses to the default questionnaire, spread over municipalities and
//! kinds of organisation, the same for the same seed.

use backend::db::StoredQuestionnaire;
use backend::respondent::GeneratedResponse;
use backend::{token, Store};
use domain::answers::Answer;
use domain::questionnaire::CANNOT_JUDGE;
use domain::reference::{MUNICIPALITIES, WHOLE_COUNTY};
use domain::validation::prune_hidden;
use domain::ResponseStatus;
use domain::{Answers, Question, QuestionKind, Questionnaire, Reference};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub struct Summary {
    pub submitted: u32,
    pub drafts: u32,
}

/// Demo responses start on 1 September 2026 and spread over eight weeks.
const FIRST_DAY_MS: i64 = 1_788_220_800_000;
const SPREAD_MS: i64 = 56 * 86_400_000;
const BATCH: u32 = 2000;

/// How many responses to make.
#[derive(Debug, Clone, Copy)]
pub enum Amount {
    Responses(u32),
    /// As many responses as it takes for this many submitted ones.
    Submitted(u32),
}

pub async fn generate(
    store: &Store,
    amount: Amount,
    seed: u64,
    draft_share: f64,
) -> anyhow::Result<Summary> {
    // Store and use-case errors alike, as the application reports them.
    fn err(e: impl Into<domain::AppError>) -> anyhow::Error {
        anyhow::anyhow!("{}", e.into())
    }
    let ids = store.questionnaire_ids().await.map_err(err)?;
    let (id, revision) = store
        .questionnaire_by_slug(domain::default_questionnaire::DEFAULT_SLUG)
        .await
        .map_err(err)?
        .or_else(|| ids.first().map(|id| (*id, 0)))
        .ok_or_else(|| anyhow::anyhow!("Es gibt keinen Fragebogen."))?;
    let stored = store.questionnaire(id, revision).await.map_err(err)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut summary = Summary { submitted: 0, drafts: 0 };
    let mut done = 0;
    // The next batch is made up while the last one is written.
    let mut writing: Option<tokio::task::JoinHandle<backend::StoreResult<()>>> = None;
    loop {
        let missing = match amount {
            Amount::Responses(count) => count - done,
            Amount::Submitted(count) => count - summary.submitted,
        };
        if missing == 0 {
            break;
        }
        let n = BATCH.min(missing);
        let batch: Vec<GeneratedResponse> =
            (0..n).map(|_| generate_response(&stored, &mut rng, draft_share)).collect();
        for r in &batch {
            if r.status == ResponseStatus::Submitted {
                summary.submitted += 1;
            } else {
                summary.drafts += 1;
            }
        }
        if let Some(previous) = writing.take() {
            previous.await?.map_err(err)?;
        }
        let (store, stored) = (store.clone(), stored.clone());
        writing =
            Some(tokio::spawn(
                async move { store.insert_generated_responses(&stored, &batch).await },
            ));
        done += n;
        if done % (10 * BATCH) == 0 {
            tracing::info!(done, "demo responses written");
        }
    }
    if let Some(last) = writing {
        last.await?.map_err(err)?;
    }
    // Fresh statistics first, so that the rebuild's scans are planned for the loaded rows.
    store.analyze().await.map_err(err)?;
    // Bulk inserts bypass the submissions that keep the dashboards' tallies.
    store.rebuild_tallies(&stored).await.map_err(err)?;
    Ok(summary)
}

pub fn generate_response(
    stored: &StoredQuestionnaire,
    rng: &mut ChaCha8Rng,
    draft_share: f64,
) -> GeneratedResponse {
    let q = &stored.questionnaire;
    let draft = rng.gen_bool(draft_share);
    // Drafts stop somewhere in the middle.
    let pages = if draft { rng.gen_range(1..q.page_count().max(2)) } else { q.page_count() };
    let answers = answers_for(q, pages, !draft, rng);
    let mut token_bytes = [0u8; 32];
    rng.fill(&mut token_bytes);
    let created_at = FIRST_DAY_MS + rng.gen_range(0..SPREAD_MS);
    let updated_at = created_at + rng.gen_range(60_000..3 * 86_400_000);
    GeneratedResponse {
        token_hash: token::hash(&format!("demo-{}", hex(&token_bytes))),
        status: if draft { ResponseStatus::Draft } else { ResponseStatus::Submitted },
        current_page: (pages - 1) as i64,
        answers,
        created_at,
        updated_at,
        submitted_at: (!draft).then_some(updated_at),
    }
}

/// Answers for the first `pages` pages; a submitted response answers every shown required
/// question, optional ones most of the time.
pub fn answers_for(
    q: &Questionnaire,
    pages: usize,
    complete: bool,
    rng: &mut ChaCha8Rng,
) -> Answers {
    let mut answers = Answers::new();
    // A response's general sense of need shifts all its ratings a little.
    let need_bias: f64 = rng.gen_range(-1.0..1.0);
    for theme in q.themes.iter().take(pages) {
        for question in &theme.questions {
            if !q.is_visible(question, &answers) {
                continue;
            }
            let answer_it = question.required && complete
                || rng.gen_bool(if question.required { 0.9 } else { 0.7 });
            if !answer_it {
                continue;
            }
            let answer = answer_question(question, need_bias, rng);
            if !answer.is_empty() {
                answers.insert(question.code.clone(), answer);
            }
        }
    }
    prune_hidden(q, &mut answers);
    answers
}

fn answer_question(question: &Question, need_bias: f64, rng: &mut ChaCha8Rng) -> Answer {
    let mut a = Answer::default();
    match (&question.kind, question.reference) {
        (QuestionKind::SingleChoice { options }, Some(Reference::OrgKind)) => {
            const WEIGHTS: [(&str, u32); 14] = [
                ("kommune", 5),
                ("kita", 18),
                ("schule", 20),
                ("weiterbildung", 4),
                ("beratung", 9),
                ("arbeitsagentur", 2),
                ("integrationsagentur", 2),
                ("wohlfahrt", 6),
                ("migrationsdienst", 3),
                ("integrationsrat", 2),
                ("verein", 12),
                ("ehrenamt", 10),
                ("gesundheit", 4),
                ("sonstige", 3),
            ];
            let code = weighted(&WEIGHTS, rng);
            if options.iter().any(|o| o.code == code) {
                a.values.push(code.to_string());
            }
        }
        (QuestionKind::MultipleChoice { options, .. }, Some(Reference::Municipalities)) => {
            if rng.gen_bool(0.1) && options.iter().any(|o| o.code == WHOLE_COUNTY) {
                a.values.push(WHOLE_COUNTY.to_string());
            } else {
                // Towns get more answers than villages.
                let weights: Vec<(&str, u32)> =
                    MUNICIPALITIES.iter().map(|m| (m.ags, if m.is_town { 3 } else { 1 })).collect();
                let n = if rng.gen_bool(0.75) { 1 } else { rng.gen_range(2..=3) };
                for _ in 0..n {
                    let ags = weighted(&weights, rng).to_string();
                    if !a.values.contains(&ags) {
                        a.values.push(ags);
                    }
                }
                a.values.sort_by_key(|ags| options.iter().position(|o| &o.code == ags));
            }
        }
        (QuestionKind::SingleChoice { options }, _) => {
            a.values.push(options.choose(rng).map(|o| o.code.clone()).unwrap_or_default());
        }
        (QuestionKind::MultipleChoice { options, other }, _) => {
            for o in options {
                if rng.gen_bool(0.3) {
                    a.values.push(o.code.clone());
                }
            }
            if other.is_some() && rng.gen_bool(0.05) {
                a.other = Some(pick(OTHER_TEXTS, rng));
            }
            if a.values.is_empty() && a.other.is_none() && question.required {
                a.values.push(options[0].code.clone());
            }
        }
        (QuestionKind::YesNo, _) => {
            a.values.push(if rng.gen_bool(0.55) { "ja" } else { "nein" }.to_string())
        }
        (QuestionKind::Rating { min, max, cannot_judge, .. }, _) => {
            a.values.push(if cannot_judge.is_some() && rng.gen_bool(0.08) {
                CANNOT_JUDGE.to_string()
            } else {
                biased_scale(*min, *max, need_bias, rng).to_string()
            });
        }
        (QuestionKind::Matrix { rows, columns }, _) => {
            let codes: Vec<&str> = columns.iter().map(|c| c.code.as_str()).collect();
            let is_need_scale = codes.first() == Some(&"1");
            for row in rows {
                if !question.required && rng.gen_bool(0.1) {
                    continue;
                }
                let value = if is_need_scale {
                    if rng.gen_bool(0.08) && codes.contains(&CANNOT_JUDGE) {
                        CANNOT_JUDGE.to_string()
                    } else {
                        biased_scale(1, 5, need_bias, rng).to_string()
                    }
                } else {
                    // Earlier columns ("vorhanden", "gut") are more common.
                    let weights: Vec<(&str, u32)> = codes
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (*c, (codes.len() - i) as u32 * 2))
                        .collect();
                    weighted(&weights, rng).to_string()
                };
                a.rows.insert(row.code.clone(), value);
            }
        }
        (QuestionKind::Number { min, max, integer, .. }, _) => {
            let lo = min.unwrap_or(0.0).max(0.0);
            let hi = max.unwrap_or(100.0).min(lo + 60.0);
            let v = rng.gen_range(lo..=hi.max(lo));
            // The notation saves store (domain::number::normalise), two decimals at most.
            a.values.push(if *integer {
                format!("{}", v.round() as i64)
            } else {
                format!("{}", (v * 100.0).round() / 100.0)
            });
        }
        (QuestionKind::ShortText { max_len }, _) => {
            a.values.push(truncate(&pick(SHORT_TEXTS, rng), *max_len));
        }
        (QuestionKind::LongText { max_len }, _) => {
            if rng.gen_bool(0.4) || question.required {
                a.values.push(truncate(&pick(LONG_TEXTS, rng), *max_len));
            }
        }
    }
    a
}

/// A value on the scale, shifted up or down by the response's bias.
fn biased_scale(min: u8, max: u8, bias: f64, rng: &mut ChaCha8Rng) -> u8 {
    let centre = (min as f64 + max as f64) / 2.0 + bias * (max - min) as f64 / 4.0;
    let v = centre + rng.gen_range(-1.6..1.6);
    v.round().clamp(min as f64, max as f64) as u8
}

fn weighted<'a>(weights: &[(&'a str, u32)], rng: &mut ChaCha8Rng) -> &'a str {
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (code, w) in weights {
        if x < *w {
            return code;
        }
        x -= w;
    }
    weights[0].0
}

fn pick(texts: &[&str], rng: &mut ChaCha8Rng) -> String {
    texts.choose(rng).copied().unwrap_or_default().to_string()
}

fn truncate(s: &str, max_len: u32) -> String {
    s.chars().take(max_len as usize).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const OTHER_TEXTS: &[&str] =
    &["Theaterprojekt", "Nähcafé", "Fahrradwerkstatt", "Gartenprojekt", "Elterncafé"];
const SHORT_TEXTS: &[&str] = &[
    "Frau Jansen, integration@example.org",
    "Pflegefachkraft, Erzieher/in",
    "Interkulturelles Frühstück im Stadtteil",
    "Herr Peters, Tel. 02821 000000",
    "Kfz-Mechatroniker/in, Fachkraft Lagerlogistik",
];
const LONG_TEXTS: &[&str] = &[
    "Es fehlen Sprachkurse mit Kinderbetreuung am Vormittag, vor allem in den kleineren Gemeinden.",
    "Die Wartezeiten auf Integrationskurse sind zu lang; Ehrenamtliche überbrücken das, brauchen aber Begleitung.",
    "Wir wünschen uns feste Ansprechpersonen in den Schulen für Familien, die neu zugewandert sind.",
    "Dolmetschende für Arztbesuche sind kaum kurzfristig zu bekommen, besonders für Tigrinya und Dari.",
    "Bezahlbarer Wohnraum fehlt; Familien bleiben zu lange in Gemeinschaftsunterkünften.",
    "Mehr Vernetzung zwischen Kitas und Beratungsstellen wäre hilfreich, etwa durch einen runden Tisch je Kommune.",
    "Die Busverbindungen zu Kursorten sind schlecht; viele Teilnehmende kommen nicht regelmäßig.",
    "Unsere Ehrenamtlichen sind überlastet und wünschen sich Fortbildungen zu Traumasensibilität.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use domain::validation::validate_all;

    #[test]
    fn complete_answers_pass_validation_and_are_deterministic() {
        let q = domain::default_questionnaire::default_questionnaire();
        let mut a = ChaCha8Rng::seed_from_u64(7);
        let mut b = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let x = answers_for(&q, q.page_count(), true, &mut a);
            let y = answers_for(&q, q.page_count(), true, &mut b);
            assert_eq!(x, y);
            assert!(validate_all(&q, &x).is_empty(), "{:?}", validate_all(&q, &x));
        }
    }

    #[test]
    fn answers_spread_over_kinds_and_municipalities() {
        let q = domain::default_questionnaire::default_questionnaire();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let kind_q = q.question_with_reference(Reference::OrgKind).unwrap().code.clone();
        let mun_q = q.question_with_reference(Reference::Municipalities).unwrap().code.clone();
        let mut kinds = std::collections::HashSet::new();
        let mut municipalities = std::collections::HashSet::new();
        for _ in 0..2000 {
            let a = answers_for(&q, q.page_count(), true, &mut rng);
            kinds.insert(a[&kind_q].values[0].clone());
            municipalities.extend(a[&mun_q].values.iter().cloned());
        }
        assert_eq!(kinds.len(), 14);
        assert_eq!(municipalities.len(), 17);
    }
}

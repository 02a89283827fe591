//! Demo data: plausible responses to the default questionnaire, with a structure the
//! dashboards can show (see [`story`]), and a demo integration concept built on their figures
//! (see [`concept`]); the same for the same seed.

pub mod concept;
pub mod story;
mod texts;

use backend::db::StoredQuestionnaire;
use backend::respondent::GeneratedResponse;
use backend::{token, Store};
use domain::ResponseStatus;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
pub use story::{answers_for, Generator};

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
    let mut generator = Generator::new(&stored.questionnaire);
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
        let batch: Vec<GeneratedResponse> = (0..n)
            .map(|_| generate_response(&stored, &mut generator, &mut rng, draft_share))
            .collect();
        // The same seed makes the same links: a second run would only collide with the first.
        if done == 0 {
            if let Some(first) = batch.first() {
                if store.response_by_token_hash(&first.token_hash).await.map_err(err)?.is_some() {
                    anyhow::bail!(
                        "Mit dem Startwert {seed} wurden schon Demo-Antworten angelegt. Für weitere wählen Sie einen anderen, z. B. --seed {}.",
                        seed.wrapping_add(1)
                    );
                }
            }
        }
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
    generator: &mut Generator,
    rng: &mut ChaCha8Rng,
    draft_share: f64,
) -> GeneratedResponse {
    let q = &stored.questionnaire;
    let draft = rng.gen_bool(draft_share);
    // Drafts stop somewhere in the middle.
    let pages = if draft { rng.gen_range(1..q.page_count().max(2)) } else { q.page_count() };
    let answers = generator.answers(pages, !draft, rng);
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

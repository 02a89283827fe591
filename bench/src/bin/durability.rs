//! Fault check: respondents without script save and submit pages while the server is killed
//! with SIGKILL at random moments and restarted; afterwards every acknowledged save and submit
//! must be in the database with exactly its values (see scripts/check-durability).
//!
//! Each response belongs to one client, which posts to it one request at a time, so for every
//! page the stored answers must be those of its last acknowledged save, or of a later save
//! whose answer the kill cut off (it may or may not have been committed). Anything older is
//! counted as lost, anything never sent as wrong.

use anyhow::{bail, Context};
use clap::Parser;
use domain::answers::{answer_from_form, answer_to_form, Answers};
use domain::questionnaire::{QuestionKind, Questionnaire};
use domain::ResponseStatus;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
struct Args {
    /// The release server binary.
    #[arg(long, default_value = "target/release/server")]
    server: String,
    /// Its database (a fresh one: the check starts its own responses).
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value_t = 3500)]
    port: u16,
    /// Where the server's output goes (appended, over all restarts).
    #[arg(long, default_value = "durability-server.log")]
    server_log: String,
    /// SIGKILLs, each followed by a restart.
    #[arg(long, default_value_t = 20)]
    kills: usize,
    /// Concurrent respondents (clients), each with `responses / clients` responses.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    #[arg(long, default_value_t = 256)]
    responses: usize,
    /// Longest run of load between two kills, in milliseconds (the moment is random below it).
    #[arg(long, default_value_t = 2500)]
    max_interval_ms: u64,
    #[arg(long, default_value = "")]
    label: String,
}

/// What one post of a page asked to store.
struct Sent {
    answers: Answers,
    acknowledged: bool,
}

/// Everything one response was sent, per page (1-based step).
struct History {
    token: String,
    pages: BTreeMap<usize, Vec<Sent>>,
    /// The submit was acknowledged (303 to the thank-you page).
    submitted: bool,
}

#[derive(Default)]
struct Tally {
    acknowledged_saves: u64,
    uncertain_saves: u64,
    acknowledged_submits: u64,
    submits_refused: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let base = format!("http://127.0.0.1:{}", args.port);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()?;
    let q = Arc::new(domain::default_questionnaire::default_questionnaire());
    let mut server = Server::start(&args)?;
    server.wait_ready(&client, &base).await?;

    let tokens = bench::start_open_responses(&client, &base, &q.slug, args.responses).await?;

    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..args.clients {
        let own: Vec<(usize, String)> = tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| i % args.clients == c)
            .map(|(i, t)| (i, t.clone()))
            .collect();
        let (client, base, q, stop) = (client.clone(), base.clone(), q.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            respondent(client, base, q, own, stop, c as u64).await
        }));
    }

    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
    let started = Instant::now();
    for kill in 1..=args.kills {
        tokio::time::sleep(Duration::from_millis(
            rng.gen_range(200..args.max_interval_ms.max(201)),
        ))
        .await;
        server.kill()?;
        eprintln!("kill {kill}/{} after {:.1} s", args.kills, started.elapsed().as_secs_f64());
        server = Server::start(&args)?;
        server.wait_ready(&client, &base).await?;
    }
    // Some load after the last restart, then the clients finish their request in flight.
    tokio::time::sleep(Duration::from_millis(args.max_interval_ms)).await;
    stop.store(true, Ordering::Relaxed);
    let mut histories = Vec::new();
    let mut tally = Tally::default();
    for c in clients {
        let (h, t) = c.await?;
        histories.extend(h);
        tally.acknowledged_saves += t.acknowledged_saves;
        tally.uncertain_saves += t.uncertain_saves;
        tally.acknowledged_submits += t.acknowledged_submits;
        tally.submits_refused += t.submits_refused;
    }
    server.kill()?;

    let (lost, wrong, submits_lost) = verify(&args.database_url, &q, &histories).await?;
    let label = if args.label.is_empty() { String::new() } else { format!("[{}] ", args.label) };
    println!(
        "{label}{} kills in {:.0} s: acknowledged saves {}, cut off by a kill {}, acknowledged submits {}; \
         lost {lost}, wrong {wrong}, submits lost {submits_lost}",
        args.kills,
        started.elapsed().as_secs_f64(),
        tally.acknowledged_saves,
        tally.uncertain_saves,
        tally.acknowledged_submits,
    );
    if tally.submits_refused > 0 {
        bail!(
            "{} submits were refused as incomplete: the check's answers are wrong",
            tally.submits_refused
        );
    }
    if tally.acknowledged_saves == 0 {
        bail!("no save was acknowledged");
    }
    if lost + wrong + submits_lost > 0 {
        bail!("durability violated");
    }
    Ok(())
}

struct Server(Child);

impl Server {
    fn start(args: &Args) -> anyhow::Result<Self> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&args.server_log)?;
        let child = Command::new(&args.server)
            .env("DATABASE_URL", &args.database_url)
            .env("LISTEN_ADDR", format!("127.0.0.1:{}", args.port))
            .env("RATE_LIMIT_OPEN_STARTS", "1000000")
            .env("RATE_LIMIT_SAVES", "1000000")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", args.server))?;
        Ok(Self(child))
    }

    async fn wait_ready(&mut self, client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
        for _ in 0..300 {
            if let Some(status) = self.0.try_wait()? {
                bail!("the server ended at start: {status} (see its log)");
            }
            if client
                .get(format!("{base}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server did not get ready within 15 s")
    }

    /// SIGKILL: no shutdown code runs.
    fn kill(&mut self) -> anyhow::Result<()> {
        self.0.kill()?;
        self.0.wait()?;
        Ok(())
    }
}

/// The answers of one page: the response's fixed choices, its texts replaced by ones naming
/// save `n`, so that each save of a page stores something different.
fn page_answers(
    q: &Questionnaire,
    base: &Answers,
    step: usize,
    n: u32,
) -> (Answers, Vec<(String, String)>) {
    let mut form = Vec::new();
    for question in &q.themes[step - 1].questions {
        let answer = match &question.kind {
            QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len }
                if q.is_visible(question, base) =>
            {
                let text = format!("Stand {n}: Übersetzung & Beratung <für> „alle“ – Zeile\nzwei");
                let mut a = domain::answers::Answer::default();
                a.values.push(text.chars().take(*max_len as usize).collect());
                Some(a)
            }
            _ => base.get(&question.code).cloned(),
        };
        if let Some(answer) = answer {
            form.extend(answer_to_form(question, &answer));
        }
    }
    // Read back as the server reads it (numbers normalised, texts trimmed).
    let expected = q.themes[step - 1]
        .questions
        .iter()
        .map(|question| (question.code.clone(), answer_from_form(question, &form)))
        .filter(|(_, a)| !a.is_empty())
        .collect();
    form.push(("aktion".into(), "speichern".into()));
    (expected, form)
}

enum Outcome {
    Acknowledged,
    /// No answer (the server was killed) or an error: committed or not, nobody knows.
    Uncertain,
    /// A definite answer that is not the expected one.
    Other(String),
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    form: &[(String, String)],
    expected_location: &str,
) -> Outcome {
    let body = serde_urlencoded::to_string(form).expect("form encodes");
    match client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
    {
        Ok(r) if r.status().as_u16() == 303 => {
            let location =
                r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
            if location.ends_with(expected_location) {
                Outcome::Acknowledged
            } else {
                Outcome::Other(location)
            }
        }
        _ => Outcome::Uncertain,
    }
}

/// One respondent without script: first every page once (each until acknowledged), then
/// saves of random pages, now and then a submit, until told to stop.
async fn respondent(
    client: reqwest::Client,
    base: String,
    q: Arc<Questionnaire>,
    own: Vec<(usize, String)>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> (Vec<History>, Tally) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut tally = Tally::default();
    let bases: Vec<Answers> = own
        .iter()
        .map(|(i, _)| {
            server::demo::answers_for(
                &q,
                q.page_count(),
                true,
                &mut ChaCha8Rng::seed_from_u64(*i as u64),
            )
        })
        .collect();
    let mut histories: Vec<History> = own
        .iter()
        .map(|(_, token)| History {
            token: token.clone(),
            pages: BTreeMap::new(),
            submitted: false,
        })
        .collect();
    let steps = q.page_count();
    let mut n = 0u32;
    // (response, step) still to be saved once before the random saves begin.
    let mut first_pass: Vec<(usize, usize)> =
        (0..own.len()).flat_map(|r| (1..=steps).map(move |s| (r, s))).collect();
    first_pass.reverse();
    while !stop.load(Ordering::Relaxed) {
        let open: Vec<usize> = (0..own.len()).filter(|r| !histories[*r].submitted).collect();
        if open.is_empty() {
            break;
        }
        let (r, step, first) = match first_pass.last() {
            Some(&(r, s)) => (r, s, true),
            None => (open[rng.gen_range(0..open.len())], rng.gen_range(1..=steps), false),
        };
        let token = histories[r].token.clone();
        if !first && rng.gen_ratio(1, 400) {
            match post(&client, &format!("{base}/f/{token}/absenden"), &[], "/danke").await {
                Outcome::Acknowledged => {
                    histories[r].submitted = true;
                    tally.acknowledged_submits += 1;
                }
                Outcome::Uncertain => tokio::time::sleep(Duration::from_millis(20)).await,
                Outcome::Other(_) => tally.submits_refused += 1,
            }
            continue;
        }
        n += 1;
        let (answers, form) = page_answers(&q, &bases[r], step, n);
        let outcome = post(
            &client,
            &format!("{base}/f/{token}/s/{step}"),
            &form,
            &format!("/s/{step}?gespeichert=1"),
        )
        .await;
        let acknowledged = matches!(outcome, Outcome::Acknowledged);
        histories[r].pages.entry(step).or_default().push(Sent { answers, acknowledged });
        match outcome {
            Outcome::Acknowledged => {
                tally.acknowledged_saves += 1;
                if first {
                    first_pass.pop();
                }
            }
            Outcome::Uncertain => {
                tally.uncertain_saves += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            // A submit cut off by a kill may have been committed after all: then the
            // response is submitted, and that is what the check verifies.
            Outcome::Other(location) if location.ends_with("/kopie") => {
                histories[r].submitted = true;
                first_pass.retain(|(x, _)| *x != r);
            }
            Outcome::Other(location) => {
                eprintln!("unexpected answer to a save: {location}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    (histories, tally)
}

/// Compares the database with what was sent: (lost, wrong, submits lost).
async fn verify(
    database_url: &str,
    q: &Questionnaire,
    histories: &[History],
) -> anyhow::Result<(u64, u64, u64)> {
    let store = backend::Store::connect(database_url)
        .await
        .map_err(|e| anyhow::anyhow!("{}", domain::AppError::from(e)))?;
    let (mut lost, mut wrong, mut submits_lost) = (0, 0, 0);
    for history in histories {
        let response = store
            .response_by_token_hash(&backend::token::hash(&history.token))
            .await
            .map_err(|e| anyhow::anyhow!("{}", domain::AppError::from(e)))?
            .context("a started response is missing")?;
        let stored_q = store
            .questionnaire(response.questionnaire_id, response.questionnaire_revision)
            .await
            .map_err(|e| anyhow::anyhow!("{}", domain::AppError::from(e)))?;
        let stored = store
            .answers(response.id, &stored_q)
            .await
            .map_err(|e| anyhow::anyhow!("{}", domain::AppError::from(e)))?;
        if history.submitted && response.status != ResponseStatus::Submitted {
            submits_lost += 1;
            eprintln!("submit lost: response {}", response.id);
        }
        for (step, sent) in &history.pages {
            let on_page: Answers = q.themes[step - 1]
                .questions
                .iter()
                .filter_map(|question| {
                    stored.get(&question.code).map(|a| (question.code.clone(), a.clone()))
                })
                .collect();
            let last_acknowledged = sent.iter().rposition(|s| s.acknowledged);
            let allowed_from = last_acknowledged.unwrap_or(0);
            let matching = sent.iter().rposition(|s| s.answers == on_page);
            match (matching, last_acknowledged) {
                (Some(i), _) if i >= allowed_from => {}
                (None, None) if on_page.is_empty() || *step == 1 => {}
                (Some(_), _) => {
                    lost += 1;
                    eprintln!("lost: response {} step {step} holds an older save", response.id);
                }
                (None, _) => {
                    wrong += 1;
                    eprintln!("wrong: response {} step {step} holds {on_page:?}", response.id);
                }
            }
        }
    }
    store.close().await;
    Ok((lost, wrong, submits_lost))
}

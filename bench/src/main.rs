//! Page-save load test: many respondents saving questionnaire pages at once over HTTP.
//!
//! Starts `--responses` responses through the open link, then runs `--clients` concurrent
//! clients that post valid pages (each post is one page save ending in a 303 redirect) for
//! `--seconds`, and reports saves per second and latency percentiles.

use anyhow::bail;
use clap::Parser;
use domain::answers::answer_to_form;
use hdrhistogram::Histogram;
use rand::SeedableRng;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
struct Args {
    /// Base URL of a running server.
    #[arg(long, default_value = "http://127.0.0.1:3400")]
    base_url: String,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Responses the clients save into (spread evenly over the clients).
    #[arg(long, default_value_t = 512)]
    responses: usize,
    /// Measured duration.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Unmeasured warm-up before.
    #[arg(long, default_value_t = 3)]
    warmup_seconds: u64,
    /// Label printed with the result, e.g. the database.
    #[arg(long, default_value = "")]
    label: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let base = args.base_url.trim_end_matches('/').to_string();
    let q = domain::default_questionnaire::default_questionnaire();
    let slug = &q.slug;

    // Bodies of valid page posts, one set per answer pattern.
    let mut bodies: Vec<(usize, String)> = Vec::new();
    for seed in 0..16 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let answers = server::demo::answers_for(&q, q.page_count(), true, &mut rng);
        for (page, theme) in q.themes.iter().enumerate().skip(1) {
            let mut form: Vec<(String, String)> = theme
                .questions
                .iter()
                .filter_map(|question| {
                    answers.get(&question.code).map(|a| answer_to_form(question, a))
                })
                .flatten()
                .collect();
            form.push(("aktion".into(), "weiter".into()));
            bodies.push((page + 1, serde_urlencoded::to_string(&form).expect("form encodes")));
        }
    }

    let tokens = bench::start_open_responses(&client, &base, slug, args.responses).await?;
    let tokens = Arc::new(tokens);
    let bodies = Arc::new(bodies);

    let start = Instant::now();
    let measure_from = start + Duration::from_secs(args.warmup_seconds);
    let end = measure_from + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for c in 0..args.clients {
        let (client, base, tokens, bodies) =
            (client.clone(), base.clone(), tokens.clone(), bodies.clone());
        tasks.push(tokio::spawn(async move {
            let mut histogram =
                Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds");
            let mut failures = 0u64;
            let mut i = c;
            loop {
                let now = Instant::now();
                if now >= end {
                    break;
                }
                let token = &tokens[i % tokens.len()];
                let (step, body) = &bodies[(i / tokens.len() + i) % bodies.len()];
                let sent = Instant::now();
                let result = client
                    .post(format!("{base}/f/{token}/s/{step}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await;
                let micros = sent.elapsed().as_micros() as u64;
                let ok = matches!(&result, Ok(r) if r.status().as_u16() == 303);
                if sent >= measure_from {
                    if ok {
                        histogram.saturating_record(micros.max(1));
                    } else {
                        failures += 1;
                    }
                }
                // A stride coprime to the number of responses spreads clients over them.
                i += 7;
            }
            (histogram, failures)
        }));
    }
    let mut total = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    let mut failures = 0;
    for t in tasks {
        let (h, f) = t.await?;
        total.add(h)?;
        failures += f;
    }
    let saves = total.len();
    let ms = |q: f64| total.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "{}page saves: {} clients, {} s measured: {} saves, {:.0} saves/s, p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms, failures {}",
        if args.label.is_empty() { String::new() } else { format!("[{}] ", args.label) },
        args.clients,
        args.seconds,
        saves,
        saves as f64 / args.seconds as f64,
        ms(0.50),
        ms(0.90),
        ms(0.99),
        total.max() as f64 / 1000.0,
        failures
    );
    if failures > 0 {
        bail!("{failures} saves failed");
    }
    Ok(())
}

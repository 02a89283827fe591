//! The command line: `server` (or `server serve`) runs the web server, `server demo` fills the
//! database with demo responses and a demo integration concept.

use crate::config::Config;
use crate::{demo, open_store, Application};
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Bedarfs- und Bestandsanalyse der Integrationsarbeit im Kreis Kleve"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the web server (the default).
    Serve,
    /// Fills the database with plausible demo responses to the default questionnaire and, once,
    /// a demo integration concept built on their figures.
    Demo(DemoArgs),
    /// Registers an organisation and prints its personal invitation link.
    Invite(InviteArgs),
    /// Manages staff accounts, e.g. the first administrator.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Writes an export as CSV, streaming: to stdout, or with --output to a file.
    Export(ExportArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFile {
    /// One row per response, one column per answer (and per option, matrix cell, "other" text).
    Wide,
    /// One row per stored value.
    Long,
    /// The columns of the wide file with their questions, codes and labels.
    Codebook,
    /// The dashboard figures per theme, with the same suppression of small groups.
    Aggregates,
    /// SPSS syntax that reads the wide file of the same dialect with labels.
    Spss,
    /// An R script that reads the wide file of the same dialect with labels.
    R,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub file: ExportFile,
    /// excel: `;`, UTF-8 with BOM, CRLF, decimal comma; standard: RFC 4180 with `,` and LF.
    #[arg(long, default_value = "excel", value_parser = ["excel", "standard"])]
    pub dialect: String,
    /// The file to write (written completely or not at all); stdout without it.
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
    /// Open-link name (slug) of the questionnaire.
    #[arg(long, default_value = domain::default_questionnaire::DEFAULT_SLUG)]
    pub questionnaire: String,
    /// Only responses for this municipality (AGS, repeatable); county-wide ones count for all.
    #[arg(long = "gemeinde")]
    pub municipalities: Vec<String>,
    /// Only this kind of organisation (code, repeatable).
    #[arg(long = "art")]
    pub kinds: Vec<String>,
    /// Submitted (drafts: last saved) on or after this day, YYYY-MM-DD or TT.MM.JJJJ.
    #[arg(long)]
    pub von: Option<String>,
    /// Submitted (drafts: last saved) on or before this day.
    #[arg(long)]
    pub bis: Option<String>,
    /// abgeschlossen (default), entwurf or alle.
    #[arg(long)]
    pub status: Option<String>,
    /// Adds the organisations' names and contact addresses (wide file only).
    #[arg(long)]
    pub kontakte: bool,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Creates an administrator account. The password comes from the environment variable
    /// ADMIN_PASSWORD or, without it, from a prompt; never from an argument, which other
    /// users of the machine could read in the process list.
    Create(AdminCreateArgs),
}

#[derive(Debug, Args)]
pub struct AdminCreateArgs {
    /// E-mail address, used to sign in.
    #[arg(long)]
    pub email: String,
    /// Display name (default: the address).
    #[arg(long, default_value = "")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct InviteArgs {
    /// Name of the organisation.
    #[arg(long)]
    pub name: String,
    /// Kind of organisation, e.g. schule, kita, beratung (see the list printed on error).
    #[arg(long)]
    pub kind: String,
    /// AGS of a municipality served (repeatable), or "kreisweit".
    #[arg(long = "municipality", required = true)]
    pub municipalities: Vec<String>,
    /// Contact e-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Open-link name (slug) of the questionnaire.
    #[arg(long, default_value = domain::default_questionnaire::DEFAULT_SLUG)]
    pub questionnaire: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of responses to create.
    #[arg(long, default_value_t = 1000, conflicts_with = "submitted")]
    pub responses: u32,
    /// Instead: create responses until this many are submitted (the drafts come on top).
    #[arg(long)]
    pub submitted: Option<u32>,
    /// Seed: the same seed gives the same responses.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Share of responses left as drafts (0 to 1).
    #[arg(long, default_value_t = 0.2)]
    pub draft_share: f64,
    /// Without the demo integration concept (by default it is written once, while the
    /// concept is empty).
    #[arg(long)]
    pub no_concept: bool,
}

/// Logs to stderr; `RUST_LOG` filters (default `info`), `LOG_FORMAT=json` gives JSON lines.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub async fn serve() -> anyhow::Result<()> {
    let config = Config::from_env().map_err(anyhow::Error::msg)?;
    let app = Application::build(&config).await?;
    tracing::info!(addr = %app.local_addr(), database = %crate::redact(&config.database_url), "server started");
    println!("Bedarfsanalyse läuft: {}/  (Beenden mit Strg+C)", config.public_base_url);
    app.run_until(shutdown_signal()).await
}

pub async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.draft_share) {
        anyhow::bail!("--draft-share muss zwischen 0 und 1 liegen.");
    }
    let config = Config::from_env().map_err(anyhow::Error::msg)?;
    let store = open_store(&config.database_url).await?;
    let started = std::time::Instant::now();
    if args.submitted.is_some_and(|n| n > 0) && args.draft_share >= 1.0 {
        anyhow::bail!("Mit --draft-share 1 wird keine Antwort abgeschickt.");
    }
    let amount =
        args.submitted.map_or(demo::Amount::Responses(args.responses), demo::Amount::Submitted);
    let summary = demo::generate(&store, amount, args.seed, args.draft_share).await?;
    println!(
        "{} Antworten angelegt ({} abgeschickt, {} Entwürfe) in {:.1} s.",
        summary.submitted + summary.drafts,
        summary.submitted,
        summary.drafts,
        started.elapsed().as_secs_f64()
    );
    if !args.no_concept {
        // The evidence is what the dashboards show, so under the same minimum group.
        let staff = backend::staff::Staff::new(
            store.clone(),
            &config.public_base_url,
            config.logins_per_minute,
        )
        .with_min_group(config.min_group_size);
        let written = demo::concept::create(&staff).await;
        match written {
            Ok(Some(c)) => println!(
                "Demo-Integrationskonzept angelegt: {} Handlungsfelder, {} Belege{}, {} Befunde, {} Ziele, {} Maßnahmen.",
                c.themes,
                c.evidence,
                if c.withheld > 0 {
                    format!(" ({} Werte zum Schutz kleiner Gruppen nicht übernommen)", c.withheld)
                } else {
                    String::new()
                },
                c.findings,
                c.goals,
                c.measures
            ),
            Ok(None) => println!("Das Integrationskonzept hat schon Einträge; kein Demo-Konzept angelegt."),
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        }
    }
    store.close().await;
    Ok(())
}

pub async fn invite(args: InviteArgs) -> anyhow::Result<()> {
    use domain::reference::{municipality, org_kind, MUNICIPALITIES, ORG_KINDS, WHOLE_COUNTY};
    if args.name.trim().is_empty() {
        anyhow::bail!("--name darf nicht leer sein.");
    }
    if org_kind(&args.kind).is_none() {
        let known: Vec<&str> = ORG_KINDS.iter().map(|k| k.code).collect();
        anyhow::bail!("Unbekannte Art „{}“. Möglich: {}.", args.kind, known.join(", "));
    }
    for ags in &args.municipalities {
        if ags != WHOLE_COUNTY && municipality(ags).is_none() {
            let known: Vec<String> =
                MUNICIPALITIES.iter().map(|m| format!("{} ({})", m.ags, m.name)).collect();
            anyhow::bail!(
                "Unbekannte Kommune „{ags}“. Möglich: {WHOLE_COUNTY}, {}.",
                known.join(", ")
            );
        }
    }
    let config = Config::from_env().map_err(anyhow::Error::msg)?;
    let store = open_store(&config.database_url).await?;
    // Store and use-case errors alike, as the application reports them.
    fn err(e: impl Into<domain::AppError>) -> anyhow::Error {
        anyhow::anyhow!("{}", e.into())
    }
    let organisation = store
        .insert_organisation(
            args.name.trim(),
            &args.kind,
            &args.municipalities,
            args.email.as_deref(),
        )
        .await
        .map_err(err)?;
    let survey = backend::respondent::Survey::new(
        store.clone(),
        config.public_base_url.clone(),
        config.survey_limits,
    );
    let link = survey
        .invite(&args.questionnaire, organisation, &args.kind, &args.municipalities)
        .await
        .map_err(err)?;
    println!("{link}");
    store.close().await;
    Ok(())
}

pub async fn admin(command: AdminCommand) -> anyhow::Result<()> {
    let AdminCommand::Create(args) = command;
    let password = match std::env::var("ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let first = rpassword::prompt_password("Passwort (mindestens 12 Zeichen): ")?;
            let second = rpassword::prompt_password("Passwort wiederholen: ")?;
            if first != second {
                anyhow::bail!("Die beiden Eingaben stimmen nicht überein.");
            }
            first
        }
    };
    let config = Config::from_env().map_err(anyhow::Error::msg)?;
    let store = open_store(&config.database_url).await?;
    let staff = backend::staff::Staff::new(
        store.clone(),
        &config.public_base_url,
        config.logins_per_minute,
    );
    let result = staff.create_first_admin(&args.email, &args.name, &password).await;
    store.close().await;
    result.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Administrationskonto {} angelegt. Anmeldung: {}/anmelden",
        args.email.trim().to_lowercase(),
        config.public_base_url
    );
    Ok(())
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let config = Config::from_env().map_err(anyhow::Error::msg)?;
    let store = open_store(&config.database_url).await?;
    let result = export_to(&store, &args, config.min_group_size).await;
    store.close().await;
    result
}

/// The export of `args` written to its output; the same validation as the download form.
pub async fn export_to(
    store: &backend::Store,
    args: &ExportArgs,
    min_group: u64,
) -> anyhow::Result<()> {
    use backend::exports::layout::ExportKind;
    use std::io::Write;
    // Store and use-case errors alike, as the application reports them.
    fn err(e: impl Into<domain::AppError>) -> anyhow::Error {
        anyhow::anyhow!("{}", e.into())
    }
    let (id, _) =
        store.questionnaire_by_slug(&args.questionnaire).await.map_err(err)?.ok_or_else(|| {
            anyhow::anyhow!("Einen Fragebogen „{}“ gibt es nicht.", args.questionnaire)
        })?;
    let kind = match args.file {
        ExportFile::Wide => ExportKind::Wide,
        ExportFile::Long => ExportKind::Long,
        ExportFile::Codebook => ExportKind::Codebook,
        ExportFile::Aggregates => ExportKind::Aggregates,
        ExportFile::Spss => ExportKind::Spss,
        ExportFile::R => ExportKind::R,
    };
    let mut query = vec![
        ("fragebogen".to_string(), id.to_string()),
        ("datei".to_string(), kind.as_str().to_string()),
        ("dialekt".to_string(), args.dialect.clone()),
    ];
    query.extend(args.municipalities.iter().map(|m| ("gemeinde".to_string(), m.clone())));
    query.extend(args.kinds.iter().map(|k| ("art".to_string(), k.clone())));
    for (name, value) in [("von", &args.von), ("bis", &args.bis), ("status", &args.status)] {
        if let Some(v) = value {
            query.push((name.to_string(), v.clone()));
        }
    }
    if args.kontakte {
        query.push(("kontakte".to_string(), "1".to_string()));
    }
    let request = backend::exports::export_request_from_query(&query).map_err(|errors| {
        let messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        anyhow::anyhow!("{}", messages.join(" "))
    })?;
    let mut download =
        backend::exports::start_export(store, request, min_group).await.map_err(err)?;
    // A file appears complete or not at all: written beside, renamed at the end.
    let partial =
        args.output.as_ref().map(|path| path.with_extension(format!("{}.teil", kind.extension())));
    let mut sink: Box<dyn Write> = match &partial {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::stdout().lock()),
    };
    let written = async {
        while let Some(chunk) = download.chunks.recv().await {
            sink.write_all(&chunk.map_err(err)?)?;
        }
        sink.flush()?;
        anyhow::Ok(())
    }
    .await;
    drop(sink);
    match (written, &partial, &args.output) {
        (Ok(()), Some(partial), Some(output)) => std::fs::rename(partial, output)?,
        (Err(e), Some(partial), _) => {
            let _ = std::fs::remove_file(partial);
            return Err(e);
        }
        (result, _, _) => result?,
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

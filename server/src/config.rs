//! Settings from the environment (and an optional `.env` file), each with a working default.

use backend::mail::{SmtpSettings, SmtpTls};
use backend::respondent::SurveyLimits;
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (default `sqlite://data/bedarfsanalyse.db`) or `postgres://…`.
    pub database_url: String,
    /// Where the server listens (`LISTEN_ADDR`, default `127.0.0.1:3000`).
    pub listen_addr: SocketAddr,
    /// The address respondents' links start with (`PUBLIC_BASE_URL`).
    pub public_base_url: String,
    /// Folder with the compiled `pkg/` (wasm, js, css) (`LEPTOS_SITE_ROOT`, default `target/site`).
    pub site_root: String,
    /// Unknown links one address may try per minute before getting 429
    /// (`RATE_LIMIT_UNKNOWN_LINKS`, default 20), responses one address may start through open
    /// links per minute (`RATE_LIMIT_OPEN_STARTS`, default 30), saves per link and minute
    /// (`RATE_LIMIT_SAVES`, default 120, per instance).
    pub survey_limits: SurveyLimits,
    /// Log-in attempts per account and minute (`RATE_LIMIT_LOGINS`, default 10); four times
    /// as many per address.
    pub logins_per_minute: u32,
    /// Dashboards and aggregate exports show no figure over fewer responses
    /// (`MIN_GROUP_SIZE`, default 3).
    pub min_group_size: u64,
    /// The mail server for invitations and reminders (`SMTP_*`); `None` without `SMTP_HOST`:
    /// then nothing is mailed and the CSV file for a mail merge remains.
    pub smtp: Option<SmtpSettings>,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` name the client (`TRUSTED_PROXIES`,
    /// addresses or CIDR ranges; default none: the connection's address is the client).
    pub trusted_proxies: Vec<crate::client_addr::IpRange>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/bedarfsanalyse.db";

impl Config {
    /// Reads `.env` if present, then the environment.
    pub fn from_env() -> Result<Self, String> {
        // A missing .env is normal; a broken one is worth saying.
        if let Err(e) = dotenvy::dotenv() {
            if !e.not_found() {
                return Err(format!("Die Datei .env ist fehlerhaft: {e}"));
            }
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let listen = var("LISTEN_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let listen_addr: SocketAddr = listen.parse().map_err(|_| {
            format!("LISTEN_ADDR „{listen}“ ist keine Adresse der Form 127.0.0.1:3000.")
        })?;
        let public_base_url =
            var("PUBLIC_BASE_URL").unwrap_or_else(|| format!("http://{listen_addr}"));
        if !(public_base_url.starts_with("http://") || public_base_url.starts_with("https://")) {
            return Err(format!(
                "PUBLIC_BASE_URL „{public_base_url}“ muss mit http:// oder https:// beginnen."
            ));
        }
        let per_minute = |name: &str, default: u32| -> Result<u32, String> {
            match var(name) {
                None => Ok(default),
                Some(v) => v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{name} „{v}“ muss eine positive ganze Zahl sein.")),
            }
        };
        let smtp = smtp_from(&var)?;
        let trusted_proxies =
            crate::client_addr::parse_ranges(&var("TRUSTED_PROXIES").unwrap_or_default())?;
        Ok(Self {
            smtp,
            trusted_proxies,
            survey_limits: SurveyLimits {
                unknown_links_per_minute: per_minute("RATE_LIMIT_UNKNOWN_LINKS", 20)?,
                open_starts_per_minute: per_minute("RATE_LIMIT_OPEN_STARTS", 30)?,
                saves_per_minute: per_minute(
                    "RATE_LIMIT_SAVES",
                    backend::respondent::SAVES_PER_MINUTE,
                )?,
            },
            logins_per_minute: per_minute("RATE_LIMIT_LOGINS", 10)?,
            min_group_size: u64::from(per_minute("MIN_GROUP_SIZE", 3)?),
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            listen_addr,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string()),
        })
    }
}

/// `SMTP_HOST`, `SMTP_PORT`, `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_TLS`.
fn smtp_from(var: &dyn Fn(&str) -> Option<String>) -> Result<Option<SmtpSettings>, String> {
    let Some(host) = var("SMTP_HOST") else { return Ok(None) };
    let tls = match var("SMTP_TLS") {
        None => SmtpTls::StartTls,
        Some(v) => SmtpTls::parse(&v)
            .ok_or_else(|| format!("SMTP_TLS „{v}“ muss none, starttls oder tls sein."))?,
    };
    let port = match var("SMTP_PORT") {
        None => tls.default_port(),
        Some(v) => v
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("SMTP_PORT „{v}“ ist keine Portnummer."))?,
    };
    let from = var("SMTP_FROM").ok_or("SMTP_FROM fehlt: die Absenderadresse der Einladungen, z. B. „KI Kreis Kleve <ki@kreis-kleve.de>“.")?;
    let user = var("SMTP_USER");
    // Taken as set, spaces included.
    let password = var("SMTP_PASSWORD");
    if password.is_some() && user.is_none() {
        return Err("SMTP_PASSWORD ist gesetzt, SMTP_USER aber nicht.".into());
    }
    let settings = SmtpSettings { host: host.trim().to_string(), port, user, password, from, tls };
    // Checks the sender address and TLS name now rather than at the first mail.
    backend::mail::Mailer::new(&settings)?;
    Ok(Some(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(vars: &[(&str, &str)]) -> Result<Option<SmtpSettings>, String> {
        let vars: Vec<(String, String)> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        smtp_from(&move |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn smtp_settings() {
        assert!(smtp(&[]).unwrap().is_none(), "no host: no mail");
        let s =
            smtp(&[("SMTP_HOST", "mail.kreis-kleve.de"), ("SMTP_FROM", "KI <ki@kreis-kleve.de>")])
                .unwrap()
                .unwrap();
        assert_eq!((s.port, s.tls), (587, SmtpTls::StartTls));
        let s = smtp(&[
            ("SMTP_HOST", "localhost"),
            ("SMTP_FROM", "ki@kreis-kleve.de"),
            ("SMTP_TLS", "none"),
            ("SMTP_PORT", "2525"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!((s.port, s.tls), (2525, SmtpTls::None));
        assert!(smtp(&[("SMTP_HOST", "localhost")]).unwrap_err().contains("SMTP_FROM"));
        assert!(smtp(&[
            ("SMTP_HOST", "localhost"),
            ("SMTP_FROM", "ki@kreis-kleve.de"),
            ("SMTP_TLS", "ssl")
        ])
        .unwrap_err()
        .contains("SMTP_TLS"));
        assert!(smtp(&[
            ("SMTP_HOST", "localhost"),
            ("SMTP_FROM", "ki@kreis-kleve.de"),
            ("SMTP_PORT", "x")
        ])
        .unwrap_err()
        .contains("SMTP_PORT"));
        assert!(smtp(&[("SMTP_HOST", "localhost"), ("SMTP_FROM", "kein absender")])
            .unwrap_err()
            .contains("SMTP_FROM"));
    }
}

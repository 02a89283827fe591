//! Settings from the environment (and an optional `.env` file), each with a working default.

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
    /// (`RATE_LIMIT_UNKNOWN_LINKS`, default 20).
    pub unknown_links_per_minute: u32,
    /// Responses one address may start through open links per minute
    /// (`RATE_LIMIT_OPEN_STARTS`, default 30).
    pub open_starts_per_minute: u32,
    /// Log-in attempts per account and minute (`RATE_LIMIT_LOGINS`, default 10); four times
    /// as many per address.
    pub logins_per_minute: u32,
    /// Dashboards and aggregate exports show no figure over fewer responses
    /// (`MIN_GROUP_SIZE`, default 3).
    pub min_group_size: u64,
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
        let listen_addr: SocketAddr = listen
            .parse()
            .map_err(|_| format!("LISTEN_ADDR „{listen}“ ist keine Adresse der Form 127.0.0.1:3000."))?;
        let public_base_url = var("PUBLIC_BASE_URL").unwrap_or_else(|| format!("http://{listen_addr}"));
        if !(public_base_url.starts_with("http://") || public_base_url.starts_with("https://")) {
            return Err(format!("PUBLIC_BASE_URL „{public_base_url}“ muss mit http:// oder https:// beginnen."));
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
        Ok(Self {
            unknown_links_per_minute: per_minute("RATE_LIMIT_UNKNOWN_LINKS", 20)?,
            open_starts_per_minute: per_minute("RATE_LIMIT_OPEN_STARTS", 30)?,
            logins_per_minute: per_minute("RATE_LIMIT_LOGINS", 10)?,
            min_group_size: u64::from(per_minute("MIN_GROUP_SIZE", 3)?),
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            listen_addr,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string()),
        })
    }
}

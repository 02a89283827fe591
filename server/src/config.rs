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
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            listen_addr,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string()),
        })
    }
}

//! The state every handler shares: the Leptos options, the respondents' and the staff's use
//! cases, and what the layers need to know about the public site.

use crate::client_addr::IpRange;
use crate::config::Config;
use axum::extract::FromRef;
use backend::respondent::Survey;
use backend::staff::Staff;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub survey: Survey,
    pub staff: Staff,
    /// Whether cookies get the `Secure` attribute (the public base URL is https).
    pub secure_cookies: bool,
    /// Origin of the public base URL, accepted by the CSRF check besides the Host header.
    pub public_origin: String,
    /// Proxies whose forwarding headers name the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: Arc<Vec<IpRange>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    pub fn new(config: &Config, survey: Survey, staff: Staff) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name("bedarfsanalyse")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.listen_addr)
            .env(match std::env::var("LEPTOS_ENV").as_deref() {
                Ok("DEV") | Ok("dev") => leptos::config::Env::DEV,
                _ => leptos::config::Env::PROD,
            })
            .build();
        Self {
            leptos_options,
            survey,
            staff,
            secure_cookies: config.public_base_url.starts_with("https://"),
            public_origin: origin_of(&config.public_base_url),
            trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        }
    }
}

fn origin_of(url: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[scheme_end..].find('/') {
        Some(i) => url[..scheme_end + i].to_string(),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origin_of_base_url() {
        assert_eq!(origin_of("https://a.example/umfrage"), "https://a.example");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}

//! The server: configuration, HTTP ([`http`]: state, errors, extractors, router and layers;
//! [`routes`]: the form posts and downloads by feature), command line and demo data.
//! `main.rs` only parses the command line and calls into here, so tests start the very same
//! application.

pub mod cli;
pub mod client_addr;
pub mod config;
pub mod csp;
pub mod demo;
pub mod guard;
pub mod http;
pub mod router;
pub mod routes;

use anyhow::Context;
use backend::respondent::Survey;
use backend::Store;
use config::Config;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Connects to the database (creating and migrating it on first start) and writes the
/// reference data and, if there is no questionnaire yet, the default questionnaire.
pub async fn open_store(database_url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(database_url)
        .await
        .map_err(store_error)
        .with_context(|| format!("Datenbank {} nicht erreichbar", redact(database_url)))?;
    store.seed_reference_data().await.map_err(store_error)?;
    if let Some(id) = store
        .ensure_questionnaire(&domain::default_questionnaire::default_questionnaire())
        .await
        .map_err(store_error)?
    {
        tracing::info!(id, "default questionnaire created");
    }
    store.build_missing_tallies().await.map_err(store_error)?;
    Ok(store)
}

/// A store error as the operator sees it: the application's message, a database error only by
/// its incident number (the details are in the log).
fn store_error(e: backend::StoreError) -> anyhow::Error {
    anyhow::anyhow!("{}", domain::AppError::from(e))
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    store: Store,
}

impl Application {
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        let store = open_store(&config.database_url).await?;
        let survey =
            Survey::new(store.clone(), config.public_base_url.clone(), config.survey_limits);
        let mailer = match &config.smtp {
            Some(settings) => {
                tracing::info!(host = %settings.host, port = settings.port, "invitations and reminders by e-mail");
                Some(backend::mail::Mailer::new(settings).map_err(anyhow::Error::msg)?)
            }
            None => None,
        };
        let staff = backend::staff::Staff::new(
            store.clone(),
            &config.public_base_url,
            config.logins_per_minute,
        )
        .with_min_group(config.min_group_size)
        .with_mailer(mailer);
        let router = router::router(http::AppState::new(config, survey, staff));
        let listener = TcpListener::bind(config.listen_addr)
            .await
            .with_context(|| format!("Kann nicht auf {} lauschen", config.listen_addr))?;
        Ok(Self { listener, router, store })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener has an address")
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        use axum::serve::ListenerExt;
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        // Small responses (redirects after a save) must not wait for Nagle's algorithm.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set");
            }
        });
        axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
        self.store.close().await;
        Ok(())
    }
}

/// The URL without a password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:geheim@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}

//! Starts the real application on a fresh database per test: a SQLite file in a temporary
//! folder, or a new PostgreSQL database on the server named by `TEST_POSTGRES_URL`.

#![allow(dead_code)]

pub mod smtp_sink;

use backend::respondent::SurveyLimits;
use backend::Store;
use domain::answers::answer_to_form;
use domain::Questionnaire;
use rand::SeedableRng;
use server::config::Config;
use server::Application;
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub database_url: String,
    pub questionnaire: Questionnaire,
    /// The mail server the app sends to (none with [`TestApp::spawn_without_mail`]).
    pub mail: Option<smtp_sink::MailSink>,
    /// The settings it was started with.
    pub config: Config,
    _dir: Option<TempDir>,
}

/// A temporary folder removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!(
        "bedarfsanalyse_test_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The databases of test processes that have ended: each test's database lives as long as its
/// process (a test cannot drop it on the way out), so the next run drops them, once per process.
async fn drop_databases_of_ended_runs(conn: &mut sqlx::PgConnection) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    // Without /proc (not Linux) nobody can tell which runs have ended: keep everything.
    if DONE.swap(true, Ordering::SeqCst) || !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'bedarfsanalyse\\_test\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let ended = pid.is_some_and(|pid| {
            pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        });
        if ended {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut *conn)
                .await;
        }
    }
}

pub enum Db {
    Sqlite,
    Postgres,
}

impl TestApp {
    /// `None` when the backend is not available (PostgreSQL without `TEST_POSTGRES_URL`).
    /// Mails go to a local SMTP sink ([`TestApp::sink`]).
    pub async fn spawn(db: Db) -> Option<Self> {
        Self::spawn_with(db, true).await
    }

    /// An app without a mail server: sending by e-mail is off.
    pub async fn spawn_without_mail(db: Db) -> Option<Self> {
        Self::spawn_with(db, false).await
    }

    /// The SMTP sink the app sends to.
    pub fn sink(&self) -> &smtp_sink::MailSink {
        self.mail.as_ref().expect("an app with mail")
    }

    /// An app with settings changed from the tests' defaults.
    pub async fn spawn_configured(db: Db, configure: impl FnOnce(&mut Config)) -> Option<Self> {
        Self::spawn_with_config(db, true, configure).await
    }

    async fn spawn_with(db: Db, with_mail: bool) -> Option<Self> {
        Self::spawn_with_config(db, with_mail, |_| {}).await
    }

    async fn spawn_with_config(
        db: Db,
        with_mail: bool,
        configure: impl FnOnce(&mut Config),
    ) -> Option<Self> {
        let (database_url, dir) = match db {
            Db::Sqlite => {
                let dir = std::env::temp_dir().join(format!("bedarfsanalyse-{}", unique_name()));
                std::fs::create_dir_all(&dir).unwrap();
                (format!("sqlite://{}/test.db", dir.display()), Some(TempDir(dir)))
            }
            Db::Postgres => {
                let Ok(server_url) = std::env::var("TEST_POSTGRES_URL") else {
                    eprintln!("TEST_POSTGRES_URL is not set: PostgreSQL test skipped");
                    return None;
                };
                let name = unique_name();
                let mut conn =
                    sqlx::PgConnection::connect(&server_url).await.expect("PostgreSQL reachable");
                drop_databases_of_ended_runs(&mut conn).await;
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
                let base = server_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server_url);
                (format!("{base}/{name}"), None)
            }
        };
        let mail = if with_mail { Some(smtp_sink::MailSink::start().await) } else { None };
        let mut config = Config {
            smtp: mail.as_ref().map(|sink| backend::mail::SmtpSettings {
                host: sink.addr.ip().to_string(),
                port: sink.addr.port(),
                user: None,
                password: None,
                from: "KI Kreis Kleve <ki@kreis-kleve.de>".into(),
                tls: backend::mail::SmtpTls::None,
            }),
            database_url: database_url.clone(),
            listen_addr: "127.0.0.1:0".parse().unwrap(),
            public_base_url: "http://127.0.0.1".into(),
            site_root: "target/site".into(),
            survey_limits: SurveyLimits { open_starts_per_minute: 1000, ..SurveyLimits::default() },
            logins_per_minute: 5,
            min_group_size: 3,
            trusted_proxies: Vec::new(),
        };
        configure(&mut config);
        Some(Self::start(config, mail, dir).await)
    }

    async fn start(
        config: Config,
        mail: Option<smtp_sink::MailSink>,
        dir: Option<TempDir>,
    ) -> Self {
        let app = Application::build(&config).await.expect("application starts");
        let base = format!("http://{}", app.local_addr());
        let store = app.store().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A hanging request fails the test with its URL instead of stalling the suite.
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        let questionnaire = domain::default_questionnaire::default_questionnaire();
        let database_url = config.database_url.clone();
        Self { base, client, store, database_url, questionnaire, mail, config, _dir: dir }
    }

    /// Another instance of the app on the same database, with the same settings and mail
    /// server, as a second process behind a load balancer would be (the first keeps the files).
    pub async fn second_instance(&self) -> Self {
        Self::start(self.config.clone(), self.mail.clone(), None).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form as a browser on this site would.
    pub async fn post(&self, path: &str, form: &[(String, String)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Starts a response through the open link with a valid profile; returns the token.
    pub async fn start_open_response(&self) -> String {
        let r = self
            .post(
                "/o/bedarfsanalyse-2026",
                &pairs(&[("profil_art", "schule"), ("profil_kommunen", "05154036")]),
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let location = location(&r);
        let token = location.strip_prefix("/f/").unwrap().split('/').next().unwrap().to_string();
        assert_eq!(location, format!("/f/{token}/s/2?neu=1"));
        token
    }

    /// The form of a complete, valid set of answers for one page (1-based step).
    pub fn valid_page_form(&self, step: usize, seed: u64) -> Vec<(String, String)> {
        let q = &self.questionnaire;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let answers = server::demo::answers_for(q, q.page_count(), true, &mut rng);
        q.themes[step - 1]
            .questions
            .iter()
            .filter_map(|question| answers.get(&question.code).map(|a| answer_to_form(question, a)))
            .flatten()
            .collect()
    }

    /// Answers every page validly and goes to the review.
    pub async fn fill_everything(&self, token: &str, seed: u64) {
        for step in 1..=self.questionnaire.page_count() {
            let mut form = self.valid_page_form(step, seed);
            form.push(("aktion".into(), "weiter".into()));
            let r = self.post(&format!("/f/{token}/s/{step}"), &form).await;
            assert_eq!(r.status().as_u16(), 303);
            let next = if step == self.questionnaire.page_count() {
                format!("/f/{token}/uebersicht")
            } else {
                format!("/f/{token}/s/{}", step + 1)
            };
            assert_eq!(location(&r), next, "step {step}");
        }
    }

    /// A second connection to the same database, to check what is stored.
    pub async fn db(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&self.database_url)
            .await
            .unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let pool = self.db().await;
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    }
}

/// A signed-in browser: its session cookie and the session's CSRF token.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub const PASSWORD: &str = "ein sicheres Passwort 2026";

impl TestApp {
    /// Creates an account directly in the database.
    pub async fn account(&self, email: &str, role: domain::staff::Role, themes: &[&str]) {
        let hash = backend::accounts::password::hash(PASSWORD).unwrap();
        let themes: Vec<String> = themes.iter().map(|t| t.to_string()).collect();
        self.store.insert_account(email, email, &hash, role, &themes, 0).await.unwrap();
    }

    pub async fn login_response(&self, email: &str, password: &str) -> reqwest::Response {
        self.post(
            "/anmelden",
            &pairs(&[("email", email), ("passwort", password), ("weiter", "/verwaltung")]),
        )
        .await
    }

    /// Signs in and reads the CSRF token off a page.
    pub async fn login(&self, email: &str) -> Session {
        let r = self.login_response(email, PASSWORD).await;
        assert_eq!(r.status().as_u16(), 303, "log-in of {email}");
        let set_cookie =
            r.headers().get("set-cookie").expect("session cookie").to_str().unwrap().to_string();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let mut session = Session { cookie, csrf: String::new() };
        let (status, html) = self.get_as(&session, "/konto/passwort").await;
        assert_eq!(status, 200, "{html}");
        session.csrf = csrf_in(&html);
        session
    }

    pub async fn get_as(&self, session: &Session, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .header("cookie", &session.cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post_as(
        &self,
        session: &Session,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = pairs(form);
        form.push(("csrf".into(), session.csrf.clone()));
        self.client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("cookie", &session.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form that must be taken with a redirect (303); returns where it leads.
    pub async fn posted_as(&self, who: &Session, path: &str, form: &[(&str, &str)]) -> String {
        let r = self.post_as(who, path, form).await;
        assert_eq!(r.status().as_u16(), 303, "{path}: {}", r.text().await.unwrap_or_default());
        location(&r)
    }

    pub async fn upload_as(&self, session: &Session, bytes: Vec<u8>) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("csrf", session.csrf.clone())
            .part("datei", reqwest::multipart::Part::bytes(bytes).file_name("organisationen.csv"));
        self.client
            .post(format!("{}/verwaltung/organisationen/import", self.base))
            .header("origin", &self.base)
            .header("cookie", &session.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

pub fn csrf_in(html: &str) -> String {
    let start =
        html.find("name=\"csrf\" value=\"").expect("a CSRF field") + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

pub fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

/// Runs an async test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::common::TestApp::spawn($crate::common::Db::Sqlite).await.unwrap();
                super::$body(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) =
                    $crate::common::TestApp::spawn($crate::common::Db::Postgres).await
                {
                    super::$body(app).await;
                }
            }
        }
    };
}

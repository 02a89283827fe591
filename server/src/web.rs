//! The HTTP surface: Leptos pages and server functions, the respondent's form posts, the
//! health check, and the layers every request passes (tracing, CSRF check, security headers).

use crate::config::Config;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use backend::respondent::{Navigation, SaveOutcome, SubmitOutcome, Survey};
use backend::staff::Staff;
use domain::AppError;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

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
    pub trusted_proxies: std::sync::Arc<Vec<crate::client_addr::IpRange>>,
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
            trusted_proxies: std::sync::Arc::new(config.trusted_proxies.clone()),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let survey = state.survey.clone();
    let staff = state.staff.clone();
    let context = move || {
        provide_context(survey.clone());
        provide_context(staff.clone());
        crate::csp::provide_for_render();
    };
    Router::new()
        .route("/healthz", get(healthz))
        .merge(crate::admin_web::routes())
        .merge(crate::export_web::routes())
        .route("/o/{slug}", post(post_open_start))
        .route("/f/{token}/s/{step}", post(post_page))
        .route("/f/{token}/absenden", post(post_submit))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(middleware::from_fn_with_state(state.clone(), reject_cross_site_posts))
        .layer(middleware::from_fn(crate::guard::bound_and_clean))
        .layer(middleware::from_fn(|request, next| respond_within(RESPONSE_START_LIMIT, request, next)))
        .layer(middleware::from_fn(crate::guard::no_store_for_private_pages))
        .layer(middleware::from_fn_with_state(state.trusted_proxies.clone(), crate::client_addr::resolve_client))
        // Links carry secrets in their path: never send them to other sites as referrer.
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(middleware::from_fn(crate::csp::enforce))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            // Not the URI: personal links carry their secret in the path.
            tracing::debug_span!("request", method = %request.method(), path = %crate::guard::loggable_path(request.uri().path()))
        }))
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.survey.store.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "Datenbank nicht erreichbar").into_response()
    }
}

/// An error as a complete page with its status; the message is the German one of `AppError`.
pub fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Html(app::error_document(&error))).into_response()
}

type Fields = Vec<(String, String)>;

async fn post_open_start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    match state.survey.start_open_response(&slug, &form, peer.ip()).await {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_response(e),
    }
}

async fn post_page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((token, step)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let navigation =
        Navigation::parse(form.iter().find(|(k, _)| k == "aktion").map(|(_, v)| v.as_str()));
    let step = step.parse().unwrap_or(0);
    match state.survey.save_page(&token, step, &form, navigation.clone(), peer.ip()).await {
        Ok(SaveOutcome::Redirect(to)) => Redirect::to(&to).into_response(),
        Ok(SaveOutcome::Saved { at, version }) => {
            Json(serde_json::json!({ "gespeichert": at, "stand": version })).into_response()
        }
        // The rest is saved; the script shows the messages.
        Ok(SaveOutcome::Refused { errors, version }) => {
            let errors: Vec<_> = errors
                .iter()
                .map(|e| serde_json::json!({ "feld": e.field_id, "meldung": e.message }))
                .collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "fehler": errors, "stand": version })),
            )
                .into_response()
        }
        // The script shows the message in its status line, the rest of the page stays.
        Err(e @ (AppError::Conflict(_) | AppError::TooManyRequests))
            if navigation == Navigation::Autosave =>
        {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::CONFLICT);
            (
                status,
                Json(serde_json::json!({ "fehler": [{ "feld": "", "meldung": e.to_string() }] })),
            )
                .into_response()
        }
        Err(e) => error_response(e),
    }
}

async fn post_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Response {
    match state.survey.submit(&token, peer.ip()).await {
        Ok(SubmitOutcome::Submitted | SubmitOutcome::AlreadySubmitted) => {
            Redirect::to(&format!("/f/{token}/danke")).into_response()
        }
        Ok(SubmitOutcome::Incomplete) => {
            Redirect::to(&format!("/f/{token}/uebersicht?pruefen=1#fehler")).into_response()
        }
        Err(e) => error_response(e),
    }
}

/// How long a response may take to begin. Leptos 0.8 has been seen (only with two servers
/// in one test process) to leave a server-side render unfinished; a browser then gets a clear
/// error page instead of waiting forever. Streamed bodies are not limited, only their start.
const RESPONSE_START_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

async fn respond_within(
    limit: std::time::Duration,
    request: Request<Body>,
    next: Next,
) -> Response {
    // Personal links carry their secret in the path; the log gets only the kind of page.
    let path = crate::guard::loggable_path(request.uri().path());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            error_response(AppError::internal(format!("no response to {path} within {limit:?}")))
        }
    }
}

/// CSRF protection for every state-changing request: browsers say where a request comes from
/// (`Sec-Fetch-Site`, `Origin`); anything from another site is refused. Clients that are not
/// browsers send neither and cannot be abused by a third-party page.
async fn reject_cross_site_posts(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_site(request.headers(), &state.public_origin)
    {
        return next.run(request).await;
    }
    tracing::warn!(path = %crate::guard::loggable_path(request.uri().path()), "cross-site request refused");
    error_response(AppError::Forbidden(
        "Diese Anfrage kam nicht von dieser Website und wurde deshalb abgelehnt. Bitte öffnen Sie die Seite erneut und senden Sie das Formular noch einmal.".into(),
    ))
}

fn is_same_site(headers: &HeaderMap, public_origin: &str) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match text("origin") {
        None => true,
        Some(origin) => {
            let host_origin_matches = text("host").is_some_and(|host| {
                origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"))
                    == Some(host)
            });
            host_origin_matches || origin == public_origin
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
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_site_detection() {
        let public = "https://umfrage.example";
        assert!(is_same_site(&headers(&[]), public));
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin")]), public));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site")]), public));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site")]), public));
        assert!(is_same_site(
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(is_same_site(
            &headers(&[("origin", "https://umfrage.example"), ("host", "internal:8080")]),
            public
        ));
        assert!(!is_same_site(
            &headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!is_same_site(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]), public));
    }

    #[tokio::test]
    async fn a_response_that_does_not_start_in_time_becomes_an_error_page() {
        use tower::ServiceExt;
        let limit = std::time::Duration::from_millis(50);
        let app = Router::new()
            .route(
                "/langsam",
                get(|| async { tokio::time::sleep(std::time::Duration::from_secs(5)).await }),
            )
            .route("/schnell", get(|| async { "ok" }))
            .layer(middleware::from_fn(move |request, next| respond_within(limit, request, next)));
        let slow = app
            .clone()
            .oneshot(Request::get("/langsam").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(slow.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(slow.into_body(), 1 << 20).await.unwrap();
        assert!(
            String::from_utf8_lossy(&body).contains("Vorgang"),
            "an incident number, no detail"
        );
        let fast =
            app.oneshot(Request::get("/schnell").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(fast.status(), StatusCode::OK);
    }

    #[test]
    fn origin_of_base_url() {
        assert_eq!(origin_of("https://a.example/umfrage"), "https://a.example");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}

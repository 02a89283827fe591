//! The router: Leptos pages and server functions, the feature routes of [`crate::routes`], the
//! health check, and the layers every request passes (tracing, CSRF check, size and time
//! limits, security headers).

use crate::http::{AppState, HttpError};
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::AppError;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

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
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Only the pages: the feature routes merged below answer for themselves.
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::http::extract::sign_in_first))
        .route("/healthz", get(healthz))
        .merge(crate::routes::routes())
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
        Err(_) => HttpError(AppError::internal(format!("no response to {path} within {limit:?}")))
            .into_response(),
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
    HttpError(AppError::Forbidden(
        "Diese Anfrage kam nicht von dieser Website und wurde deshalb abgelehnt. Bitte öffnen Sie die Seite erneut und senden Sie das Formular noch einmal.".into(),
    ))
    .into_response()
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
}

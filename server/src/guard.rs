//! What every request passes before a handler: bounded bodies, NUL bytes removed, paths for
//! the log without the secret of personal links, and no caching of personal pages.

use crate::http::HttpError;
use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::AppError;

/// Respondents' forms are small: a page of answers with texts of at most a few thousand
/// characters.
pub const RESPONDENT_BODY_LIMIT: usize = 64 * 1024;
/// Everything else (server functions, administration forms); the organisation import sets
/// its own larger limit on its route and is passed through here.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;
const IMPORT_PATH: &str = "/verwaltung/organisationen/import";

/// The path as it may be logged: the token of a personal link (`/f/<token>/…`) is replaced.
pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/f/") {
        Some(rest) => match rest.find('/') {
            Some(i) => format!("/f/…{}", &rest[i..]),
            None => "/f/…".to_string(),
        },
        None => path.to_string(),
    }
}

fn body_limit(path: &str) -> Option<usize> {
    // Uploads bound their bodies on their routes and may hold any byte.
    if path == IMPORT_PATH || crate::routes::imports::is_upload(path) {
        None
    } else if path.starts_with("/f/") || path.starts_with("/o/") {
        Some(RESPONDENT_BODY_LIMIT)
    } else {
        Some(DEFAULT_BODY_LIMIT)
    }
}

fn too_large() -> Response {
    let mut response = HttpError(AppError::BadRequest(
        "Die gesendeten Daten sind zu umfangreich und wurden nicht gespeichert. Bitte kürzen Sie lange Texte und senden Sie die Seite noch einmal.".into(),
    ))
    .into_response();
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    response
}

/// Removes NUL bytes, percent-encoded (`%00`) or raw. PostgreSQL cannot store them in text
/// ("invalid byte sequence for encoding UTF8: 0x00"), and nobody types them: dropping them
/// here treats every form, query and server function on both backends alike. A typed
/// "%00" arrives as `%2500` and is kept.
fn strip_nul(bytes: &[u8]) -> Option<Vec<u8>> {
    let has = bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00");
    if !has {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0 {
            i += 1;
        } else if bytes[i..].starts_with(b"%00") {
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn without_nul(uri: &Uri) -> Option<Uri> {
    let pq = uri.path_and_query()?.as_str();
    let cleaned = strip_nul(pq.as_bytes())?;
    let cleaned = String::from_utf8(cleaned).ok()?;
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(cleaned.parse().ok()?);
    Uri::from_parts(parts).ok()
}

fn content_type(request: &Request<Body>) -> &str {
    request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Bounds request bodies (413 with a German page, also for server functions, which would
/// otherwise fail with 500) and removes NUL bytes from the URL and from form bodies.
pub async fn bound_and_clean(request: Request<Body>, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    if let Some(uri) = without_nul(&parts.uri) {
        parts.uri = uri;
    }
    let Some(limit) = body_limit(parts.uri.path()) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let request = Request::from_parts(parts, body);
    let content_type = content_type(&request);
    if content_type.starts_with("multipart/") {
        // Multipart forms keep their bytes; axum's own limit (2 MB) applies to them.
        return next.run(request).await;
    }
    // Only in form encoding is "%00" certainly a NUL byte; other bodies are bounded only.
    let form_encoded = content_type.starts_with("application/x-www-form-urlencoded");
    let (mut parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return too_large(),
    };
    let cleaned = if form_encoded { strip_nul(&bytes) } else { None };
    let bytes = match cleaned {
        Some(cleaned) => {
            parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(cleaned.len()));
            axum::body::Bytes::from(cleaned)
        }
        None => bytes,
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Personal pages (a respondent's answers, the signed-in area) must not be kept by browsers
/// or proxies, so that nobody reads them later from a shared computer's cache.
fn is_private(path: &str) -> bool {
    let under = |prefix: &str| {
        path == prefix
            || path.starts_with(&format!("{prefix}/"))
            || path.starts_with(&format!("{prefix}?"))
    };
    path.starts_with("/f/")
        || ["/verwaltung", "/auswertung", "/konzept", "/konto"].iter().any(|p| under(p))
}

pub async fn no_store_for_private_pages(request: Request<Body>, next: Next) -> Response {
    let private = is_private(request.uri().path());
    let mut response = next.run(request).await;
    if private {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_not_logged() {
        assert_eq!(loggable_path("/f/abcDEF123/s/2"), "/f/…/s/2");
        assert_eq!(loggable_path("/f/abcDEF123"), "/f/…");
        assert_eq!(loggable_path("/f/abc/absenden"), "/f/…/absenden");
        assert_eq!(loggable_path("/verwaltung"), "/verwaltung");
    }

    #[test]
    fn nul_bytes_are_removed() {
        assert_eq!(strip_nul(b"a=1&b=2"), None);
        assert_eq!(strip_nul(b"email=a%00b%40c.de").as_deref(), Some(&b"email=ab%40c.de"[..]));
        assert_eq!(strip_nul(b"x=\0y").as_deref(), Some(&b"x=y"[..]));
        assert_eq!(strip_nul(b"x=%2500"), None, "a typed %00 stays");
        let uri: Uri = "/o/slug%00?suche=a%00b".parse().unwrap();
        assert_eq!(without_nul(&uri).unwrap().to_string(), "/o/slug?suche=ab");
    }

    #[tokio::test]
    async fn nul_bytes_are_removed_from_form_bodies_only() {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route("/echo", axum::routing::post(|body: axum::body::Bytes| async move { body }))
            .layer(axum::middleware::from_fn(bound_and_clean));
        let echo = |content_type: &'static str, body: &'static str| {
            let app = app.clone();
            async move {
                let request = Request::post("/echo")
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap();
                let response = app.oneshot(request).await.unwrap();
                axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap()
            }
        };
        assert_eq!(&echo("application/x-www-form-urlencoded", "a=x%00y").await[..], b"a=xy");
        assert_eq!(&echo("application/json", "{\"a\":\"x%00y\"}").await[..], b"{\"a\":\"x%00y\"}");
    }

    #[test]
    fn private_paths() {
        for p in [
            "/f/x/s/2",
            "/verwaltung",
            "/verwaltung/konten",
            "/auswertung",
            "/auswertung/fbs",
            "/konzept",
            "/konzept/sachstand",
            "/konto/passwort",
        ] {
            assert!(is_private(p), "{p}");
        }
        for p in [
            "/",
            "/o/bedarfsanalyse-2026",
            "/anmelden",
            "/datenschutz",
            "/pkg/app.js",
            "/verwaltungen",
            "/konzepte",
        ] {
            assert!(!is_private(p), "{p}");
        }
    }
}

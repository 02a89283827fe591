//! Content-Security-Policy: only the site's own files and the one inline hydration script
//! that carries this response's nonce may run, so injected markup cannot run script.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages are at most a few hundred KB (the register is paged); a page over this limit, or one
/// whose rendering failed midway, becomes the error page.
const BUFFER_LIMIT: usize = 8 * 1024 * 1024;

/// The policy for a page whose inline scripts carry `nonce`; without one, no inline script
/// runs. `wasm-unsafe-eval` lets the hydration code compile its WebAssembly; inline styles
/// are not allowed (the chart legend uses SVG fills instead).
pub fn policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'"
    )
}

/// For Leptos pages: sets the policy with the nonce Leptos gave this render's scripts.
/// Called in the render's context; server functions have no nonce and get the default.
pub fn provide_for_render() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(options)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    {
        if let Ok(value) = HeaderValue::from_str(&policy(Some(&nonce))) {
            options.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Gives every response without a policy the default one, and moves the resource data
/// scripts that Leptos streams after `</html>` to the end of `<body>`, where a browser would
/// have put them anyway: a document then is well formed.
pub async fn enforce(request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let has_policy = response.headers().contains_key(header::CONTENT_SECURITY_POLICY);
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        if !has_policy {
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy_header(None));
        }
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, BUFFER_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return crate::http::HttpError(domain::AppError::internal(format!(
                "page body could not be read: {error}"
            )))
            .into_response();
        }
    };
    if !has_policy {
        // The render's own header has been seen missing under load (its context lost), which
        // blocked the page's hydration script: the nonce the page's scripts carry is the one.
        let nonce = script_nonce(&bytes);
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, policy_header(nonce.as_deref()));
    }
    let body = match well_formed(&bytes) {
        Some(fixed) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(fixed)
        }
        None => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

/// The policy as a header; the nonce is checked to be ASCII, so the fallbacks only guard
/// against a panic on the request path.
fn policy_header(nonce: Option<&str>) -> HeaderValue {
    HeaderValue::from_str(&policy(nonce))
        .or_else(|_| HeaderValue::from_str(&policy(None)))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// The nonce of the page's first `<script nonce="…">` (Leptos gives all of a render's scripts
/// the same one). Only markup can carry it: typed text is escaped, so `<script` in an answer
/// never appears as such.
fn script_nonce(html: &[u8]) -> Option<String> {
    const TAG: &[u8] = b"<script";
    const ATTRIBUTE: &[u8] = b"nonce=\"";
    let mut rest = html;
    while let Some(at) = find(rest, TAG) {
        let tag = &rest[at..];
        let end = tag.iter().position(|&b| b == b'>')?;
        if let Some(start) = find(&tag[..end], ATTRIBUTE) {
            let value = &tag[start + ATTRIBUTE.len()..end];
            let value = &value[..value.iter().position(|&b| b == b'"')?];
            let allowed = |b: &u8| b.is_ascii_alphanumeric() || b"+/=_-".contains(b);
            return (!value.is_empty() && value.iter().all(allowed))
                .then(|| String::from_utf8_lossy(value).into_owned());
        }
        rest = &tag[end..];
    }
    None
}

/// The document with what follows `</html>` moved before `</body>`; `None` when nothing follows.
fn well_formed(html: &[u8]) -> Option<Vec<u8>> {
    const END: &[u8] = b"</html>";
    const BODY_END: &[u8] = b"</body>";
    let end = find(html, END)?;
    let after = &html[end + END.len()..];
    if after.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let body_end = rfind(&html[..end], BODY_END)?;
    let mut fixed = Vec::with_capacity(html.len());
    fixed.extend_from_slice(&html[..body_end]);
    fixed.extend_from_slice(after);
    fixed.extend_from_slice(&html[body_end..end + END.len()]);
    Some(fixed)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_scripts_move_into_the_body() {
        let page = b"<!DOCTYPE html><html><head></head><body><main>x</main></body></html><script nonce=\"n\">a()</script>";
        let fixed = well_formed(page).unwrap();
        assert_eq!(
            String::from_utf8(fixed).unwrap(),
            "<!DOCTYPE html><html><head></head><body><main>x</main><script nonce=\"n\">a()</script></body></html>"
        );
        assert_eq!(well_formed(b"<html><body></body></html>\n"), None);
        // A `</html>` typed into an answer is escaped, so only the document's own end is found.
        assert_eq!(well_formed(b"<p>&lt;/html&gt;</p>"), None);
    }

    #[test]
    fn the_nonce_is_read_from_the_pages_scripts() {
        let page = b"<html><head><script src=\"/a.js\"></script><script type=\"module\" nonce=\"oCH0Zo-MT4_Eg\">x</script></head><body><p>nonce=&quot;evil&quot;</p></body></html>";
        assert_eq!(script_nonce(page).as_deref(), Some("oCH0Zo-MT4_Eg"));
        assert_eq!(script_nonce(b"<html><body><p>no scripts</p></body></html>"), None);
        assert_eq!(
            script_nonce(b"<script nonce=\"a'b\">x</script>"),
            None,
            "only nonce characters"
        );
    }

    #[test]
    fn the_nonce_is_the_only_inline_script_source() {
        let with = policy(Some("abc"));
        assert!(with.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!with.contains("unsafe-inline"));
        assert!(!policy(None).contains("nonce"));
        assert!(with.contains("frame-ancestors 'none'"));
    }
}

//! The CSV downloads: the exports of `/verwaltung/export`, a dashboard's figures and the
//! integration concept's catalogue of measures. The
//! export form sends a GET (a download changes nothing), so the link can be bookmarked; the
//! file streams as the database is read.

use crate::http::extract::Staffer;
use crate::http::{AppState, HttpError};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use backend::csv_out::Dialect;
use backend::exports::export_request_from_query;
use domain::filter::{last_value, parse_query};
use domain::staff::{Flash, FormProblems};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verwaltung/export/datei", get(download))
        .route("/auswertung/{theme}/daten.csv", get(theme_csv))
        .route("/konzept/massnahmen.csv", get(measure_catalogue))
}

async fn download(
    staffer: Staffer,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, HttpError> {
    let pairs = parse_query(query.as_deref().unwrap_or(""));
    let request = match export_request_from_query(&pairs) {
        Ok(request) => request,
        Err(errors) => {
            let flash = Flash::problems("export", FormProblems { values: pairs, errors });
            return staffer.redirect_with(&state, "/verwaltung/export", flash).await;
        }
    };
    let download = state.staff.export(&staffer.principal, request).await?;
    let chunks = futures_util::stream::unfold(download.chunks, |mut chunks| async move {
        chunks
            .recv()
            .await
            .map(|chunk| (chunk.map_err(|e| std::io::Error::other(e.to_string())), chunks))
    });
    Ok(csv_response(&download.file_name, Body::from_stream(chunks)))
}

/// The figures of a dashboard page (or one chart, with `frage=`) as CSV.
async fn theme_csv(
    staffer: Staffer,
    State(state): State<AppState>,
    Path(theme): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, HttpError> {
    let query = query.as_deref().unwrap_or("");
    Ok(attachment(state.staff.theme_csv(&staffer.principal, &theme, query).await?))
}

/// The concept's measures, one row each, `dialekt=excel|standard` (Excel when missing).
async fn measure_catalogue(
    staffer: Staffer,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, HttpError> {
    let pairs = parse_query(query.as_deref().unwrap_or(""));
    let dialect = last_value(&pairs, "dialekt").and_then(Dialect::parse).unwrap_or_default();
    Ok(attachment(state.staff.measure_catalogue_csv(&staffer.principal, dialect).await?))
}

/// A file computed in full (name, bytes) as a download.
pub(crate) fn attachment((file_name, bytes): (String, Vec<u8>)) -> Response {
    csv_response(&file_name, Body::from(bytes))
}

fn csv_response(file_name: &str, body: Body) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    // The SPSS and R syntax beside the CSV files are plain text.
    let content_type = if file_name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

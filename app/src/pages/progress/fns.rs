//! Reads of the progress pages: the response rate and the responses, and a single response.

use crate::session::WithFlash;
use domain::staff::{ProgressPage, ResponseDetailPage};
use leptos::prelude::*;

#[server(endpoint = "verwaltung/progress")]
pub async fn progress(
    questionnaire: Option<i64>,
    status: Option<String>,
    page: u32,
) -> WithFlash<ProgressPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.progress_page(&s.principal, questionnaire, status, page).await;
    Ok(s.with_flash(data))
}

/// One response with its answers, for the review of open-link responses.
#[server(endpoint = "verwaltung/response")]
pub async fn response_detail(id: i64) -> WithFlash<ResponseDetailPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.response_detail_page(&s.principal, id).await;
    Ok(s.with_flash(data))
}

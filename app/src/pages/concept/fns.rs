//! Reads of the concept pages: the whole concept, one theme's workspace, and the progress
//! report.

use crate::session::WithFlash;
use domain::concept::{ConceptPage, WorkspacePage};
use domain::concept_report::ProgressReportPage;
use leptos::prelude::*;

#[server(endpoint = "konzept/dokument")]
pub async fn concept() -> WithFlash<ConceptPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.concept_page(&s.principal).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "konzept/arbeitsbereich")]
pub async fn workspace(theme: String) -> WithFlash<WorkspacePage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.workspace_page(&s.principal, &theme).await;
    Ok(s.with_flash(data))
}

/// The progress report with the changes since `seit` (as typed; empty: since New Year).
#[server(endpoint = "konzept/sachstand")]
pub async fn status_report(seit: String) -> WithFlash<ProgressReportPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.progress_report(&s.principal, &seit).await;
    Ok(s.with_flash(data))
}

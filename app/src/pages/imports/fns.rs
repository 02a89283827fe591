//! Reads of the import pages: the structure upload with earlier imports, one import's report,
//! and a questionnaire's response import.

use crate::session::WithFlash;
use domain::imports::{ImportReportPage, ImportsPage, ResponseImportPage};
use leptos::prelude::*;

#[server(endpoint = "verwaltung/imports")]
pub async fn imports() -> WithFlash<ImportsPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.imports_page(&s.principal).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/import_report")]
pub async fn import_report(id: i64) -> WithFlash<ImportReportPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.import_report_page(&s.principal, id).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/response_import")]
pub async fn response_import(id: i64) -> WithFlash<ResponseImportPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.response_import_page(&s.principal, id).await;
    Ok(s.with_flash(data))
}

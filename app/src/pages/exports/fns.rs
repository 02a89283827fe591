//! The read of the export form: what may be exported.

use crate::session::WithFlash;
use domain::staff::ExportPage;
use leptos::prelude::*;

#[server(endpoint = "verwaltung/export")]
pub async fn exports() -> WithFlash<ExportPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.export_page(&s.principal).await;
    Ok(s.with_flash(data))
}

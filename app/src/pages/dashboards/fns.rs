//! Reads of the dashboards: the overview, a theme's page and the printable report, each
//! filtered by the query.

use crate::session::WithFlash;
use leptos::prelude::*;

#[server(endpoint = "auswertung/thema")]
pub async fn theme_dashboard(
    theme: String,
    query: String,
) -> WithFlash<domain::dashboard::ThemePage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.theme_page(&s.principal, &theme, &query).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "auswertung/uebersicht")]
pub async fn overview(query: String) -> WithFlash<domain::dashboard::OverviewPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.overview_page(&s.principal, &query).await;
    Ok(s.with_flash(data))
}

/// Every theme this user may see, for the printable report.
#[server(endpoint = "auswertung/bericht")]
pub async fn report(query: String) -> WithFlash<Vec<domain::dashboard::ThemePage>> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.report(&s.principal, &query).await;
    Ok(s.with_flash(data))
}

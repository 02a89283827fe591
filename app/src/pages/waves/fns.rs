//! Reads of the wave comparisons: a theme of wave A against wave B, and the heat map.

use crate::session::WithFlash;
use leptos::prelude::*;

#[server(endpoint = "auswertung/vergleich")]
pub async fn theme_comparison(
    theme: String,
    query: String,
) -> WithFlash<domain::wave_comparison::ComparisonPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.comparison_page(&s.principal, &theme, &query).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "auswertung/vergleich-uebersicht")]
pub async fn overview_comparison(
    query: String,
) -> WithFlash<domain::wave_comparison::OverviewComparisonPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.overview_comparison(&s.principal, &query).await;
    Ok(s.with_flash(data))
}

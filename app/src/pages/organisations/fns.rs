//! The read of the organisations page: a page of organisations, with their invitations.

use crate::session::WithFlash;
use domain::staff::OrganisationsPage;
use leptos::prelude::*;

#[server(endpoint = "verwaltung/organisations")]
pub async fn organisations(
    page: Option<u32>,
    search: Option<String>,
) -> WithFlash<OrganisationsPage> {
    let s = crate::session::signed_or_return!();
    let data = s
        .staff
        .organisations_page(&s.principal, page.unwrap_or(1), search.as_deref().unwrap_or(""))
        .await;
    Ok(s.with_flash(data))
}

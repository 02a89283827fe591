//! Reads of the account pages: the accounts and the audit log.

use crate::session::WithFlash;
use domain::staff::{AccountsPage, AuditPage};
use leptos::prelude::*;

#[server(endpoint = "verwaltung/accounts")]
pub async fn accounts() -> WithFlash<AccountsPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.accounts_page(&s.principal).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/audit")]
pub async fn audit(page: u32) -> WithFlash<AuditPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.audit_page(&s.principal, page).await;
    Ok(s.with_flash(data))
}

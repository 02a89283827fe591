//! Reads of the concept pages: the whole concept, and one theme's workspace.

use crate::session::WithFlash;
use domain::concept::{ConceptPage, WorkspacePage};
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

//! Reads of the questionnaire pages: the list, and the builder's editor, question form and
//! preview.

use crate::session::WithFlash;
use domain::staff::{BuilderPage, QuestionnairesPage};
use leptos::prelude::*;

#[server(endpoint = "verwaltung/questionnaires")]
pub async fn questionnaires() -> WithFlash<QuestionnairesPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.questionnaires_page(&s.principal).await;
    Ok(s.with_flash(data))
}

/// The questionnaire builder's editor, question form and preview.
#[server(endpoint = "verwaltung/builder")]
pub async fn builder(id: i64) -> WithFlash<BuilderPage> {
    let s = crate::session::signed_or_return!();
    let data = s.staff.builder_page(&s.principal, id).await;
    Ok(s.with_flash(data))
}

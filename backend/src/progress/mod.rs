//! The response rate by municipality and kind, the list of responses and single responses:
//! viewed, reopened, released, rejected or deleted.

pub(crate) mod store;

pub use store::{ResponseListRow, ResponseSummary, StatusCount};

use crate::staff::{kind_label, municipality_name, require_admin, Staff, PAGE_SIZE};
use domain::locale::format_time;
use domain::reference::{org_kind, MUNICIPALITIES, ORG_KINDS};
use domain::response::{Channel, ResponseAction, ResponseStatus};
use domain::staff::{
    Principal, ProgressCounts, ProgressEntry, ProgressPage, QuestionnaireChoice, ResponseDetailPage,
};
use domain::AppError;
use domain::QuestionnaireStatus;
use domain::Review;

impl Staff {
    pub async fn progress_page(
        &self,
        principal: &Principal,
        questionnaire_id: Option<i64>,
        status: Option<String>,
        page: u32,
    ) -> Result<ProgressPage, AppError> {
        require_admin(principal)?;
        // The list without response counts: those of the one shown are counted alone.
        let questionnaires = self.questionnaire_summaries().await?;
        let mut summary = match questionnaire_id {
            Some(id) => questionnaires.iter().find(|q| q.id == id),
            None => questionnaires
                .iter()
                .find(|q| q.status == QuestionnaireStatus::Open)
                .or(questionnaires.first()),
        }
        .cloned()
        .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
        summary.responses = self.store.response_count(summary.id).await?;
        let by_municipality = self.store.progress_by_municipality(summary.id).await?;
        let awaiting_review = self.store.awaiting_review(summary.id).await?;
        let by_kind = self.store.progress_by_kind(summary.id).await?;
        let mut total = ProgressCounts { label: "Insgesamt".into(), ..Default::default() };
        for c in &by_kind {
            add_count(&mut total, c);
        }
        let municipality_rows = MUNICIPALITIES
            .iter()
            .map(|m| {
                let mut row = ProgressCounts { label: m.name.into(), ..Default::default() };
                by_municipality
                    .iter()
                    .filter(|c| c.key.as_deref() == Some(m.ags))
                    .for_each(|c| add_count(&mut row, c));
                row
            })
            .collect();
        let mut kind_rows: Vec<ProgressCounts> = ORG_KINDS
            .iter()
            .map(|k| {
                let mut row = ProgressCounts { label: k.label.into(), ..Default::default() };
                by_kind
                    .iter()
                    .filter(|c| c.key.as_deref() == Some(k.code))
                    .for_each(|c| add_count(&mut row, c));
                row
            })
            .collect();
        let mut unknown = ProgressCounts { label: "ohne Angabe".into(), ..Default::default() };
        by_kind
            .iter()
            .filter(|c| c.key.as_deref().is_none_or(|k| org_kind(k).is_none()))
            .for_each(|c| add_count(&mut unknown, c));
        if unknown.total() > 0 {
            kind_rows.push(unknown);
        }
        // A status, or `pending`: submitted through the open link and waiting for review.
        let status = status.filter(|s| ResponseStatus::parse(s).is_some() || s == "pending");
        let page = page.max(1);
        let entries = self
            .store
            .response_list(summary.id, status.as_deref(), PAGE_SIZE, (page as i64 - 1) * PAGE_SIZE)
            .await?
            .into_iter()
            .map(progress_entry)
            .collect();
        Ok(ProgressPage {
            me: principal.clone(),
            questionnaires: questionnaires
                .iter()
                .map(|q| QuestionnaireChoice {
                    id: q.id,
                    title: q.title.clone(),
                    status_label: q.status.label().into(),
                })
                .collect(),
            questionnaire: summary,
            total,
            by_municipality: municipality_rows,
            by_kind: kind_rows,
            entries,
            awaiting_review,
            mail_enabled: self.mail_enabled(),
        })
    }

    /// One response with its answers, so that the KI can judge whether an open-link response
    /// comes from a real organisation before it counts.
    pub async fn response_detail_page(
        &self,
        principal: &Principal,
        response_id: i64,
    ) -> Result<ResponseDetailPage, AppError> {
        require_admin(principal)?;
        let summary =
            self.store.response_summary(response_id).await?.ok_or_else(response_not_found)?;
        let revision =
            self.store.questionnaire_revision(summary.questionnaire_id).await?.unwrap_or(0);
        let stored = self.store.questionnaire(summary.questionnaire_id, revision).await?;
        let answers = self.store.answers(response_id, &stored).await?;
        Ok(ResponseDetailPage {
            me: principal.clone(),
            response_id,
            questionnaire_id: summary.questionnaire_id,
            questionnaire_title: stored.questionnaire.title.clone(),
            organisation: summary.organisation,
            open_link: summary.channel == Channel::Open,
            status: summary.status,
            review: summary.review,
            created_at: format_time(summary.created_at),
            submitted_at: summary.submitted_at.map(format_time),
            pages: domain::views::review_pages(&stored.questionnaire, &answers, &[]),
        })
    }

    /// Re-opens a submitted response, revokes a link or deletes a response; returns the
    /// questionnaire it belongs to.
    pub async fn act_on_response(
        &self,
        principal: &Principal,
        response_id: i64,
        action: ResponseAction,
    ) -> Result<i64, AppError> {
        require_admin(principal)?;
        let summary =
            self.store.response_summary(response_id).await?.ok_or_else(response_not_found)?;
        let (questionnaire_id, status) = (summary.questionnaire_id, summary.status);
        let revision = self.store.questionnaire_revision(questionnaire_id).await?.unwrap_or(0);
        let stored = self.store.questionnaire(questionnaire_id, revision).await?;
        let what = match action {
            ResponseAction::Reopen => {
                if !self.store.reopen_response(response_id, &stored).await? {
                    return Err(AppError::Conflict(format!(
                        "Nur abgeschickte Antworten können wieder geöffnet werden; diese ist „{}“.",
                        status.label()
                    )));
                }
                "Antwort wieder geöffnet"
            }
            ResponseAction::Withdraw => {
                // A submitted response is data, not an open link: re-open or delete it instead.
                if !status.is_unanswered() {
                    return Err(AppError::Conflict(format!(
                        "Nur Links, die noch nicht abgeschickt sind, können zurückgezogen werden; diese Antwort ist „{}“.",
                        status.label()
                    )));
                }
                self.store.revoke_response(response_id).await?;
                "Link zurückgezogen"
            }
            ResponseAction::Delete => {
                self.store.delete_response(response_id, &stored).await?;
                "Antwort gelöscht"
            }
            ResponseAction::Accept | ResponseAction::Reject => {
                let review = if action == ResponseAction::Accept {
                    Review::Accepted
                } else {
                    Review::Rejected
                };
                if self.store.set_review(response_id, &stored, review).await?.is_none() {
                    return Err(AppError::Conflict(
                        "Nur Antworten über den offenen Link werden geprüft; Antworten auf eine persönliche Einladung zählen von Anfang an.".into(),
                    ));
                }
                if review == Review::Accepted {
                    "Antwort in die Auswertung aufgenommen"
                } else {
                    "Antwort aus der Auswertung herausgenommen"
                }
            }
        };
        self.store.audit_by(principal, what, &format!("Antwort Nr. {response_id}")).await?;
        Ok(questionnaire_id)
    }
}

fn add_count(row: &mut ProgressCounts, c: &StatusCount) {
    match c.status {
        ResponseStatus::Invited => row.invited += c.count,
        ResponseStatus::Draft => row.started += c.count,
        ResponseStatus::Submitted => row.submitted += c.count,
        ResponseStatus::Revoked => {}
    }
}

fn response_not_found() -> AppError {
    AppError::NotFound("Diese Antwort gibt es nicht (mehr).".into())
}

fn progress_entry(r: ResponseListRow) -> ProgressEntry {
    ProgressEntry {
        response_id: r.id,
        organisation: r.organisation,
        kind_label: kind_label(r.org_kind.as_deref()),
        municipalities: r.municipalities.iter().map(|a| municipality_name(a)).collect(),
        status: r.status,
        last_activity: format_time(r.updated_at),
        invited_mail_at: r.invited_mail_at.map(format_time),
        reminded_at: r.reminded_at.map(format_time),
        open_link: r.channel == Channel::Open,
        review: r.review,
    }
}

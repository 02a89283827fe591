//! The questionnaires list and a questionnaire's status (draft, open, closed) and deadline.

pub mod builder;
pub(crate) mod store;

pub use store::{OpenQuestionnaire, QuestionnaireRow};

use crate::staff::{refused, require_admin, FormOutcome, Staff};
use domain::builder::{deadline_field, StatusForm};
use domain::staff::{Principal, QuestionnaireChoice, QuestionnaireSummary, QuestionnairesPage};
use domain::validation::FieldError;
use domain::{AppError, QuestionnaireStatus};

impl Staff {
    /// The questionnaires to choose from on the staff's pages, with their status.
    pub(crate) async fn questionnaire_choices(&self) -> Result<Vec<QuestionnaireChoice>, AppError> {
        Ok(self
            .store
            .questionnaire_rows()
            .await?
            .into_iter()
            .map(|q| QuestionnaireChoice {
                id: q.id,
                title: q.title,
                status_label: q.status.label().into(),
            })
            .collect())
    }

    pub async fn questionnaires_page(
        &self,
        principal: &Principal,
    ) -> Result<QuestionnairesPage, AppError> {
        require_admin(principal)?;
        let counts = self.store.response_counts().await?;
        let mut questionnaires = self.questionnaire_summaries().await?;
        for q in &mut questionnaires {
            q.responses = counts.get(&q.id).copied().unwrap_or(0);
        }
        let series = self.store.series_list().await?;
        Ok(QuestionnairesPage { me: principal.clone(), questionnaires, series })
    }

    /// Every questionnaire with its size, without counting responses (which reads them all).
    pub(crate) async fn questionnaire_summaries(
        &self,
    ) -> Result<Vec<QuestionnaireSummary>, AppError> {
        let mut list = Vec::new();
        for row in self.store.questionnaire_rows().await? {
            let stored = self.store.questionnaire(row.id, row.revision).await?;
            list.push(QuestionnaireSummary {
                id: row.id,
                slug: row.slug,
                title: row.title,
                status: row.status,
                deadline: row.deadline,
                themes: stored.questionnaire.themes.len(),
                questions: stored.questionnaire.questions().count(),
                responses: 0,
            });
        }
        Ok(list)
    }

    /// Opens, closes or re-opens a questionnaire and sets its deadline (`YYYY-MM-DD` or empty).
    pub async fn set_questionnaire_status(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        form: &StatusForm,
    ) -> Result<FormOutcome<()>, AppError> {
        require_admin(principal)?;
        let (status, deadline) = match form.validate(questionnaire_id)? {
            Ok(change) => (change.status, change.deadline),
            Err(errors) => return Ok(refused(form, errors)),
        };
        if status == QuestionnaireStatus::Open {
            // Only a complete structure goes out to respondents.
            let revision = self
                .store
                .questionnaire_revision(questionnaire_id)
                .await?
                .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))?;
            let problems =
                self.store.questionnaire(questionnaire_id, revision).await?.questionnaire.check();
            if !problems.is_empty() {
                let message = format!(
                    "Der Fragebogen kann noch nicht geöffnet werden: {}",
                    problems.join(" ")
                );
                let errors = vec![FieldError::new(deadline_field(questionnaire_id), message)];
                return Ok(refused(form, errors));
            }
        }
        self.store
            .set_questionnaire_status_and_deadline(questionnaire_id, status, deadline.as_deref())
            .await?;
        let detail = format!(
            "Fragebogen Nr. {questionnaire_id}: {}{}",
            status.label(),
            deadline.map(|d| format!(", Frist {d}")).unwrap_or_default()
        );
        self.store.audit_by(principal, "Fragebogen-Status geändert", &detail).await?;
        Ok(FormOutcome::Done(()))
    }
}

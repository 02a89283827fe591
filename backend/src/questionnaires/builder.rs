//! The questionnaire builder's use cases: create a questionnaire, edit its head, themes and
//! questions, copy it as a new version. Every change is made on the questionnaire as stored at
//! the revision the form was rendered from, checked as a whole (structure, and for published
//! or answered questionnaires the answer-keeping rule), stored in one transaction that bumps
//! the revision, and written to the audit log. Administrators only.

use crate::now_ms;
use crate::staff::{refused, require_admin, FormOutcome, Staff};
use domain::builder::{
    self, HeadForm, PartAction, QuestionForm, Renames, ThemeForm, STALE_MESSAGE,
};
use domain::form::FormValues;
use domain::staff::{BuilderPage, Principal};
use domain::validation::FieldError;
use domain::waves::{copy_label_id, next_wave_label, CopyForm};
use domain::{AppError, Questionnaire, QuestionnaireStatus};

fn invalid<T>(form: &impl FormValues, errors: Vec<FieldError>) -> Result<FormOutcome<T>, AppError> {
    Ok(refused(form, errors))
}

fn prefixed(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError::new(format!("{prefix}{}", e.field_id), e.message))
        .collect()
}

/// One change of the structure: what it does to the questionnaire, where its problems show.
struct Change<'a> {
    /// Field that problems of the whole structure (and a stale revision) are shown at.
    field: String,
    action: &'a str,
    detail: String,
}

impl Staff {
    pub async fn builder_page(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<BuilderPage, AppError> {
        require_admin(principal)?;
        let revision = self.current_revision(id).await?;
        let stored = self.store.questionnaire(id, revision).await?;
        let q = stored.questionnaire.clone();
        let frozen = self.is_frozen(&q).await?;
        let waves = self.builder_waves(&q).await?;
        Ok(BuilderPage {
            waves,
            me: principal.clone(),
            status_label: q.status.label().into(),
            questionnaire: q,
            revision,
            frozen,
        })
    }

    async fn current_revision(&self, id: i64) -> Result<i64, AppError> {
        self.store
            .questionnaire_revision(id)
            .await?
            .ok_or_else(|| AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))
    }

    /// Published (open or closed) or answered questionnaires keep their answers valid.
    async fn is_frozen(&self, q: &Questionnaire) -> Result<bool, AppError> {
        Ok(q.status != QuestionnaireStatus::Draft || self.store.has_started_responses(q.id).await?)
    }

    /// Applies `edit` to the questionnaire at the form's `revision` and stores the result.
    async fn change_structure<T>(
        &self,
        principal: &Principal,
        id: i64,
        (form, revision): (&impl FormValues, Option<i64>),
        change: Change<'_>,
        edit: impl FnOnce(&mut Questionnaire) -> Result<(Renames, T), Vec<FieldError>>,
    ) -> Result<FormOutcome<T>, AppError> {
        require_admin(principal)?;
        let current = self.current_revision(id).await?;
        let stale = || invalid(form, vec![FieldError::new(change.field.clone(), STALE_MESSAGE)]);
        if revision != Some(current) {
            return stale();
        }
        let stored = self.store.questionnaire(id, current).await?;
        let old = &stored.questionnaire;
        let mut new = old.clone();
        let (renames, result) = match edit(&mut new) {
            Ok(done) => done,
            Err(errors) => return invalid(form, errors),
        };
        let problems = new.check_draft();
        if !problems.is_empty() {
            return invalid(form, vec![FieldError::new(change.field.clone(), problems.join(" "))]);
        }
        if self.is_frozen(old).await? {
            let breaking = builder::answer_breaking_changes(old, &new);
            if !breaking.is_empty() {
                return invalid(
                    form,
                    vec![FieldError::new(change.field.clone(), builder::refusal(&breaking))],
                );
            }
        }
        if new.slug != old.slug && self.store.questionnaire_by_slug(&new.slug).await?.is_some() {
            return invalid(
                form,
                vec![FieldError::new(
                    change.field.clone(),
                    format!("Den offenen Link „/o/{}“ hat schon ein anderer Fragebogen.", new.slug),
                )],
            );
        }
        if !self.store.save_structure(id, current, &new, &renames).await? {
            return stale();
        }
        self.store
            .audit_by(principal, change.action, &format!("Fragebogen Nr. {id}: {}", change.detail))
            .await?;
        Ok(FormOutcome::Done(result))
    }

    /// A new, empty draft (title, open-link name, introduction, duration); returns its id.
    pub async fn create_questionnaire(
        &self,
        principal: &Principal,
        form: &HeadForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        require_admin(principal)?;
        let head = match form.head() {
            Ok(h) => h,
            Err(errors) => return invalid(form, prefixed("neu-", errors)),
        };
        if self.store.questionnaire_by_slug(&head.slug).await?.is_some() {
            return invalid(
                form,
                vec![FieldError::new(
                    "neu-slug",
                    format!(
                        "Den offenen Link „/o/{}“ hat schon ein anderer Fragebogen.",
                        head.slug
                    ),
                )],
            );
        }
        let q = Questionnaire {
            id: 0,
            slug: head.slug,
            title: head.title,
            intro: head.intro,
            duration_minutes: head.duration_minutes,
            status: QuestionnaireStatus::Draft,
            deadline: None,
            themes: vec![],
        };
        let id = match self.store.insert_questionnaire(&q).await.map_err(AppError::from) {
            Ok(id) => id,
            Err(AppError::Conflict(_)) => {
                return invalid(
                    form,
                    vec![FieldError::new(
                        "neu-slug",
                        format!(
                            "Den offenen Link „/o/{}“ hat schon ein anderer Fragebogen.",
                            q.slug
                        ),
                    )],
                )
            }
            Err(e) => return Err(e),
        };
        self.store
            .audit_by(
                principal,
                "Fragebogen angelegt",
                &format!("Fragebogen Nr. {id}: {}", q.title),
            )
            .await?;
        Ok(FormOutcome::Done(id))
    }

    /// Title, open-link name, introduction and duration.
    pub async fn update_head(
        &self,
        principal: &Principal,
        id: i64,
        form: &HeadForm,
    ) -> Result<FormOutcome<()>, AppError> {
        let change = Change {
            field: "kopf-titel".into(),
            action: "Fragebogen geändert",
            detail: "Titel und Einleitung".into(),
        };
        self.change_structure(principal, id, (form, form.revision), change, |q| {
            let head = form.head().map_err(|e| prefixed("kopf-", e))?;
            q.title = head.title;
            q.slug = head.slug;
            q.intro = head.intro;
            q.duration_minutes = head.duration_minutes;
            Ok((Renames::default(), ()))
        })
        .await
    }

    /// Appends a theme; returns its code.
    pub async fn add_theme(
        &self,
        principal: &Principal,
        id: i64,
        form: &ThemeForm,
    ) -> Result<FormOutcome<String>, AppError> {
        let change = Change {
            field: "thema-neu-titel".into(),
            action: "Thema angelegt",
            detail: form.title.clone(),
        };
        self.change_structure(principal, id, (form, form.revision), change, |q| {
            let taken: Vec<&str> = q.themes.iter().map(|t| t.code.as_str()).collect();
            let theme = form.theme(&taken).map_err(|e| prefixed("thema-neu-", e))?;
            let code = theme.code.clone();
            q.themes.push(theme);
            Ok((Renames::default(), code))
        })
        .await
    }

    /// Saves (title, introduction, code: the theme's own form), moves or deletes a theme.
    pub async fn theme_action(
        &self,
        principal: &Principal,
        id: i64,
        code: &str,
        action: PartAction,
        form: &ThemeForm,
    ) -> Result<FormOutcome<String>, AppError> {
        require_admin(principal)?;
        let (field, audit) = match action {
            PartAction::Save => (format!("thema-{code}-titel"), "Thema geändert"),
            PartAction::Up | PartAction::Down => (format!("thema-{code}"), "Thema verschoben"),
            PartAction::Delete => (format!("thema-{code}"), "Thema gelöscht"),
        };
        let change = Change { field: field.clone(), action: audit, detail: code.to_string() };
        self.change_structure(principal, id, (form, form.revision), change, |q| {
            let one = |m: String| vec![FieldError::new(field.clone(), m)];
            let mut renames = Renames::default();
            let mut code_after = code.to_string();
            match action {
                PartAction::Save => {
                    let i = builder::theme_index(q, code).map_err(one)?;
                    let taken: Vec<&str> = q
                        .themes
                        .iter()
                        .filter(|t| t.code != code)
                        .map(|t| t.code.as_str())
                        .collect();
                    let theme =
                        form.theme(&taken).map_err(|e| prefixed(&format!("thema-{code}-"), e))?;
                    if theme.code != code {
                        renames.themes.push((code.to_string(), theme.code.clone()));
                        code_after = theme.code.clone();
                    }
                    let t = &mut q.themes[i];
                    t.code = theme.code;
                    t.title = theme.title;
                    t.intro = theme.intro;
                }
                PartAction::Up | PartAction::Down => {
                    builder::move_theme(q, code, action == PartAction::Up).map_err(one)?
                }
                PartAction::Delete => builder::delete_theme(q, code).map_err(one)?,
            }
            Ok((renames, code_after))
        })
        .await
    }

    /// Adds a question at the end of the theme `thema`; returns its code.
    pub async fn add_question(
        &self,
        principal: &Principal,
        id: i64,
        form: &QuestionForm,
    ) -> Result<FormOutcome<String>, AppError> {
        let change =
            Change { field: "text".into(), action: "Frage angelegt", detail: form.code.clone() };
        let theme = &form.theme;
        self.change_structure(principal, id, (form, form.revision), change, |q| {
            let i = builder::theme_index(q, theme).map_err(|m| vec![FieldError::new("text", m)])?;
            let taken: Vec<&str> = q.questions().map(|x| x.code.as_str()).collect();
            let question = builder::question_from_form(form, &taken)?;
            let code = question.code.clone();
            q.themes[i].questions.push(question);
            Ok((Renames::default(), code))
        })
        .await
    }

    /// Saves (the whole question form), moves or deletes a question; returns the question's
    /// code afterwards.
    pub async fn question_action(
        &self,
        principal: &Principal,
        id: i64,
        code: &str,
        action: PartAction,
        form: &QuestionForm,
    ) -> Result<FormOutcome<String>, AppError> {
        require_admin(principal)?;
        let (field, audit) = match action {
            PartAction::Save => ("text".to_string(), "Frage geändert"),
            PartAction::Up | PartAction::Down => (format!("frage-{code}"), "Frage verschoben"),
            PartAction::Delete => (format!("frage-{code}"), "Frage gelöscht"),
        };
        let change = Change { field: field.clone(), action: audit, detail: code.to_string() };
        self.change_structure(principal, id, (form, form.revision), change, |q| {
            let one = |m: String| vec![FieldError::new(field.clone(), m)];
            let mut renames = Renames::default();
            let mut code_after = code.to_string();
            match action {
                PartAction::Save => {
                    let taken: Vec<&str> =
                        q.questions().filter(|x| x.code != code).map(|x| x.code.as_str()).collect();
                    let question = builder::question_from_form(form, &taken)?;
                    if question.code != code {
                        renames.questions.push((code.to_string(), question.code.clone()));
                        code_after = question.code.clone();
                    }
                    builder::replace_question(q, code, question).map_err(one)?;
                }
                PartAction::Up | PartAction::Down => {
                    builder::move_question(q, code, action == PartAction::Up).map_err(one)?
                }
                PartAction::Delete => builder::delete_question(q, code).map_err(one)?,
            }
            Ok((renames, code_after))
        })
        .await
    }

    /// Copies the questionnaire's structure into a new draft with the next open-link name
    /// (`name-v2`) as the next wave of its series, labelled as typed or derived (after "2018"
    /// the current year); returns the new id. The original and its answers stay as they are.
    pub async fn copy_as_new_version(
        &self,
        principal: &Principal,
        id: i64,
        form: &CopyForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        require_admin(principal)?;
        let revision = self.current_revision(id).await?;
        let original = self.store.questionnaire(id, revision).await?.questionnaire.clone();
        let slugs = self.store.questionnaire_slugs().await?;
        let slug = builder::next_version_slug(&original.slug, &slugs);
        let version = slug.rsplit_once("-v").map(|(_, n)| n.to_string()).unwrap_or_default();
        let base_title = original
            .title
            .rsplit_once(" – Version ")
            .map(|(t, _)| t)
            .unwrap_or(&original.title)
            .to_string();
        let series = self.store.series_of(id).await?;
        let taken: Vec<String> = series
            .as_ref()
            .map(|(_, _, waves)| waves.iter().map(|w| w.label.clone()).collect())
            .unwrap_or_default();
        let previous = series
            .as_ref()
            .and_then(|(_, _, waves)| waves.iter().find(|w| w.questionnaire_id == id))
            .map(|w| w.label.clone())
            .unwrap_or_default();
        let year = domain::clock::berlin_time(now_ms()).year as i32;
        let label = match form.label(id, next_wave_label(&previous, year, &taken), &taken) {
            Ok(label) => label,
            Err(error) => return invalid(form, vec![error]),
        };
        let copy = Questionnaire {
            id: 0,
            title: format!("{base_title} – Version {version}"),
            slug,
            status: QuestionnaireStatus::Draft,
            deadline: None,
            ..original
        };
        let next = series.as_ref().map(|(series, _, _)| (*series, label.as_str()));
        let new_id =
            match self.store.insert_questionnaire_wave(&copy, next).await.map_err(AppError::from) {
                Ok(new_id) => new_id,
                // Another copy took the label (or position) meanwhile.
                Err(AppError::Conflict(_)) => {
                    return invalid(
                        form,
                        vec![FieldError::new(
                            copy_label_id(id),
                            "Die Reihe wurde gerade geändert. Bitte versuchen Sie es noch einmal.",
                        )],
                    )
                }
                Err(e) => return Err(e),
            };
        self.store
            .audit_by(
                principal,
                "Fragebogen als neue Version kopiert",
                &format!("Fragebogen Nr. {id} → Nr. {new_id} ({}), Welle „{label}“", copy.slug),
            )
            .await?;
        Ok(FormOutcome::Done(new_id))
    }
}

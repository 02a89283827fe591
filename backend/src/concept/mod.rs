//! The integration concept: per theme the working group's findings, goals and measures, with
//! evidence taken over from the dashboards. Every signed-in person reads the whole concept;
//! members change the themes of their working groups, administrators every theme. Every
//! change is audited.

pub mod catalogue_csv;
pub mod docx;
mod report;
pub(crate) mod store;

use crate::now_ms;
use crate::staff::{FormOutcome, Staff};
use domain::concept::{
    fields, shown_heat_value, shown_values, ConceptPage, ConceptTheme, EvidenceForm,
    EvidenceSnapshot, EvidenceView, FindingForm, FindingView, GoalForm, GoalView, IndicatorForm,
    IndicatorValueForm, IndicatorValueView, IndicatorView, IntroductionForm, MeasureForm,
    MeasureView, NoteForm, NoteView, StatusChange, WorkspacePage, STALE_MESSAGE,
};
use domain::locale::format_time;
use domain::reference::{municipality, MUNICIPALITIES};
use domain::staff::{FormProblems, Principal};
use domain::validation::FieldError;
use domain::AppError;
use std::collections::BTreeMap;
use store::{ConceptItem, ConceptRows, Edited};

pub use store::ConceptItem as Item;

/// The account id of a principal acting without an account: the command line (`server demo`
/// writes its demo concept this way). No account has it, so its audit entries name none.
pub const NO_ACCOUNT: i64 = 0;

/// Why a figure could not become evidence, for the page it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceRefused {
    /// Withheld to protect small groups, or no such value on the page.
    NotShown,
}

impl EvidenceRefused {
    pub fn message(&self) -> &'static str {
        match self {
            EvidenceRefused::NotShown => "Dieser Wert wird zum Schutz kleiner Gruppen nicht gezeigt (oder es gibt ihn in dieser Ansicht nicht) und kann daher kein Beleg werden.",
        }
    }
}

fn invalid<T>(kept: Vec<(String, String)>, errors: Vec<FieldError>) -> FormOutcome<T> {
    FormOutcome::Invalid(FormProblems { values: kept, errors })
}

fn stale<T>(kept: Vec<(String, String)>, field: &str) -> FormOutcome<T> {
    invalid(kept, vec![FieldError::new(field, STALE_MESSAGE)])
}

fn gone() -> AppError {
    AppError::NotFound("Diesen Eintrag gibt es nicht (mehr).".into())
}

/// The concept's chapters, one per theme in `themes` order, from what is stored.
fn chapters(rows: ConceptRows, themes: &[(String, String)]) -> Vec<ConceptTheme> {
    themes
        .iter()
        .map(|(code, title)| {
            let (introduction, introduction_revision) = rows
                .introductions
                .iter()
                .find(|(t, _, _)| t == code)
                .map(|(_, text, revision)| (text.clone(), *revision))
                .unwrap_or_default();
            let evidence = rows
                .evidence
                .iter()
                .filter(|e| e.snapshot.theme_code == *code)
                .map(|e| EvidenceView {
                    id: e.id,
                    snapshot: e.snapshot.clone(),
                    taken_at: format_time(e.taken_at),
                    taken_by: e.taken_by.clone(),
                })
                .collect();
            let findings = rows
                .findings
                .iter()
                .filter(|f| f.theme_code == *code)
                .map(|f| FindingView {
                    id: f.id,
                    text: f.text.clone(),
                    evidence: rows
                        .citations
                        .iter()
                        .filter(|(finding, _)| *finding == f.id)
                        .map(|(_, evidence)| *evidence)
                        .collect(),
                    revision: f.revision,
                })
                .collect();
            let goals = rows
                .goals
                .iter()
                .filter(|g| g.theme_code == *code)
                .map(|g| GoalView {
                    id: g.id,
                    title: g.title.clone(),
                    description: g.description.clone(),
                    measures: rows
                        .measures
                        .iter()
                        .filter(|m| m.goal_id == g.id)
                        .map(|m| measure_view(&rows, m))
                        .collect(),
                    revision: g.revision,
                })
                .collect();
            ConceptTheme {
                code: code.clone(),
                title: title.clone(),
                introduction,
                introduction_revision,
                evidence,
                findings,
                goals,
            }
        })
        .collect()
}

fn measure_view(rows: &ConceptRows, m: &store::MeasureRow) -> MeasureView {
    MeasureView {
        id: m.id,
        goal_id: m.goal_id,
        title: m.title.clone(),
        description: m.description.clone(),
        responsible: m.responsible.clone(),
        responsible_registered: m.responsible_registered,
        partners: m.partners.clone(),
        county_wide: m.county_wide,
        municipalities: rows
            .municipalities
            .iter()
            .filter(|(measure, _)| *measure == m.id)
            .map(|(_, ags)| ags.clone())
            .collect(),
        starts_on: m.starts_on.clone(),
        ends_on: m.ends_on.clone(),
        budget_cents: m.budget_cents,
        status: m.status,
        status_history: rows
            .statuses
            .iter()
            .filter(|s| s.measure_id == m.id)
            .map(|s| StatusChange { at: s.at, status: s.status })
            .collect(),
        notes: rows
            .notes
            .iter()
            .filter(|n| n.measure_id == m.id)
            .map(|n| NoteView {
                noted_on: n.noted_on.clone(),
                text: n.text.clone(),
                author: n.author.clone(),
                created_at: n.created_at,
            })
            .collect(),
        indicators: rows
            .indicators
            .iter()
            .filter(|i| i.measure_id == m.id)
            .map(|i| IndicatorView {
                id: i.id,
                name: i.name.clone(),
                unit: i.unit.clone(),
                baseline: i.baseline,
                baseline_on: i.baseline_on.clone(),
                baseline_source: i.baseline_source.clone(),
                baseline_evidence_id: i.baseline_evidence_id,
                target: i.target,
                values: rows
                    .values
                    .iter()
                    .filter(|v| v.indicator_id == i.id)
                    .map(|v| IndicatorValueView {
                        measured_on: v.measured_on.clone(),
                        value: v.value,
                        created_at: v.created_at,
                    })
                    .collect(),
                revision: i.revision,
            })
            .collect(),
        revision: m.revision,
        created_at: m.created_at,
    }
}

impl Staff {
    /// The themes of all questionnaires, in their order: (code, title).
    async fn concept_themes(&self) -> Result<Vec<(String, String)>, AppError> {
        Ok(self.theme_choices().await?.into_iter().map(|t| (t.code, t.title)).collect())
    }

    /// Whether `principal` may change the concept of `theme`.
    pub fn may_edit_theme(principal: &Principal, theme: &str) -> bool {
        principal.is_admin() || principal.themes.iter().any(|t| t == theme)
    }

    fn require_theme(principal: &Principal, theme: &str) -> Result<(), AppError> {
        if Self::may_edit_theme(principal, theme) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Dieses Handlungsfeld bearbeitet eine andere Arbeitsgruppe. Sie können es lesen, aber nicht ändern.".into(),
            ))
        }
    }

    /// The theme of an item, checked: it exists and `principal` may change it.
    /// An item of `theme` that `principal` may change; anything else is not found.
    async fn item_of(
        &self,
        principal: &Principal,
        theme: &str,
        item: ConceptItem,
        id: i64,
    ) -> Result<(), AppError> {
        let stored = self.store.concept_item_theme(item, id).await?;
        if stored.as_deref() != Some(theme) {
            return Err(gone());
        }
        Self::require_theme(principal, theme)
    }

    /// A theme that exists and that `principal` may change.
    async fn editable_theme(&self, principal: &Principal, theme: &str) -> Result<(), AppError> {
        Self::require_theme(principal, theme)?;
        self.known_theme(theme).await.map(|_| ())
    }

    async fn known_theme(&self, theme: &str) -> Result<(String, String), AppError> {
        self.concept_themes()
            .await?
            .into_iter()
            .find(|(code, _)| code == theme)
            .ok_or_else(|| AppError::NotFound("Dieses Handlungsfeld gibt es nicht.".into()))
    }

    async fn audit_concept(
        &self,
        principal: &Principal,
        action: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let account = (principal.account_id != NO_ACCOUNT).then_some(principal.account_id);
        self.store.audit(account, &principal.email, action, detail, now_ms()).await?;
        Ok(())
    }

    /// The whole concept, theme by theme, for every signed-in person.
    pub async fn concept_page(&self, principal: &Principal) -> Result<ConceptPage, AppError> {
        let themes = self.concept_themes().await?;
        let rows = self.store.concept_rows().await?;
        let as_of = format_time(now_ms()).split(',').next().unwrap_or_default().to_string();
        Ok(ConceptPage { me: principal.clone(), themes: chapters(rows, &themes), as_of })
    }

    /// The whole concept as an editable Word file.
    pub async fn concept_docx(&self, principal: &Principal) -> Result<Vec<u8>, AppError> {
        docx::concept_docx(&self.concept_page(principal).await?)
    }

    /// A theme's workspace; everyone signed in reads it, its working group changes it.
    pub async fn workspace_page(
        &self,
        principal: &Principal,
        theme: &str,
    ) -> Result<WorkspacePage, AppError> {
        let themes = self.concept_themes().await?;
        let chosen = themes
            .iter()
            .find(|(code, _)| code == theme)
            .cloned()
            .ok_or_else(|| AppError::NotFound("Dieses Handlungsfeld gibt es nicht.".into()))?;
        let rows = self.store.concept_rows().await?;
        let chapter = chapters(rows, &[chosen]).pop().ok_or_else(gone)?;
        Ok(WorkspacePage {
            me: principal.clone(),
            can_edit: Self::may_edit_theme(principal, theme),
            theme: chapter,
            themes,
        })
    }

    pub async fn save_introduction(
        &self,
        principal: &Principal,
        theme: &str,
        form: &IntroductionForm,
    ) -> Result<FormOutcome<()>, AppError> {
        Self::require_theme(principal, theme)?;
        self.known_theme(theme).await?;
        let kept = vec![(fields::TEXT.to_string(), form.text.clone())];
        let text = form.text.trim().replace("\r\n", "\n");
        if text.chars().count() > domain::concept::MAX_TEXT_CHARS {
            let message = format!(
                "Einleitung: höchstens {} Zeichen sind möglich.",
                domain::concept::MAX_TEXT_CHARS
            );
            return Ok(invalid(kept, vec![FieldError::new(fields::TEXT, message)]));
        }
        let saved =
            self.store.set_concept_introduction(theme, &text, form.revision, now_ms()).await?;
        if saved == Edited::Stale {
            return Ok(stale(kept, fields::TEXT));
        }
        self.audit_concept(principal, "Einleitung geändert", theme).await?;
        Ok(FormOutcome::Done(()))
    }

    /// Takes over a figure of the dashboards as evidence: recomputed here for the view the
    /// form names, through the same disclosure control as the page, and stored only if the page
    /// shows it, with what the page shows.
    pub async fn take_evidence(
        &self,
        principal: &Principal,
        form: &EvidenceForm,
    ) -> Result<Result<i64, EvidenceRefused>, AppError> {
        Self::require_theme(principal, &form.thema)?;
        let snapshot = if form.frage.is_empty() {
            self.heat_cell_snapshot(principal, form).await?
        } else {
            self.figure_snapshot(principal, form).await?
        };
        let Some(snapshot) = snapshot else { return Ok(Err(EvidenceRefused::NotShown)) };
        let id = self.store.insert_evidence(&snapshot, &principal.name, now_ms()).await?;
        let detail = format!("{}: {}", snapshot.theme_code, snapshot.describe());
        self.audit_concept(principal, "Beleg übernommen", &detail).await?;
        Ok(Ok(id))
    }

    async fn figure_snapshot(
        &self,
        principal: &Principal,
        form: &EvidenceForm,
    ) -> Result<Option<EvidenceSnapshot>, AppError> {
        let query = view_query(form.fragebogen, &form.ansicht);
        let page = self.theme_figures(principal, &form.thema, &query).await?;
        let Some(figures) = &page.figures else { return Ok(None) };
        let Some(question) = figures.questions.iter().find(|q| q.code == form.frage) else {
            return Ok(None);
        };
        let shown = shown_values(question).into_iter().find(|(item, _)| *item == form.eintrag);
        Ok(shown.map(|(item, value)| EvidenceSnapshot {
            theme_code: page.theme.code.clone(),
            questionnaire_id: page.questionnaire_id,
            questionnaire_title: page.questionnaire_title.clone(),
            question_code: question.code.clone(),
            question_text: question.text.clone(),
            item_code: item,
            item_label: value.item_label,
            view_query: page.filter.query.clone(),
            view_description: page.filter.description.clone(),
            value_text: value.value_text,
            value: value.value,
            n: value.n,
        }))
    }

    /// A heat-map cell: `eintrag` is the municipality's AGS, or empty for the whole county.
    async fn heat_cell_snapshot(
        &self,
        principal: &Principal,
        form: &EvidenceForm,
    ) -> Result<Option<EvidenceSnapshot>, AppError> {
        let page = self.overview_page(principal, &view_query(form.fragebogen, "")).await?;
        let Some(row) = page.rows.iter().find(|r| r.theme.code == form.thema) else {
            return Ok(None);
        };
        let (cell, place) = if form.eintrag.is_empty() {
            (&row.county, "Kreis gesamt".to_string())
        } else {
            let Some(index) = page.municipalities.iter().position(|(ags, _)| *ags == form.eintrag)
            else {
                return Ok(None);
            };
            (&row.cells[index], page.municipalities[index].1.clone())
        };
        let view_query = if form.eintrag.is_empty() {
            String::new()
        } else {
            format!("gemeinde={}", form.eintrag)
        };
        Ok(shown_heat_value(cell, &place).map(|value| EvidenceSnapshot {
            theme_code: row.theme.code.clone(),
            questionnaire_id: page.questionnaire_id,
            questionnaire_title: page.questionnaire_title.clone(),
            question_code: String::new(),
            question_text: format!("Bestand und Bedarf: {}", row.theme.title),
            item_code: form.eintrag.clone(),
            item_label: value.item_label.clone(),
            view_query,
            view_description: if form.eintrag.is_empty() {
                "ganzer Kreis".into()
            } else {
                format!("Kommune: {}", value.item_label)
            },
            value_text: value.value_text,
            value: value.value,
            n: value.n,
        }))
    }

    /// Deletes evidence of `theme` that nothing cites; `false` when something does.
    pub async fn delete_evidence(
        &self,
        principal: &Principal,
        theme: &str,
        id: i64,
    ) -> Result<bool, AppError> {
        self.item_of(principal, theme, ConceptItem::Evidence, id).await?;
        let deleted = self.store.delete_uncited_evidence(id).await?;
        if deleted {
            self.audit_concept(principal, "Beleg gelöscht", &format!("{theme}: Beleg {id}"))
                .await?;
        }
        Ok(deleted)
    }

    /// Evidence ids must be of the same theme.
    async fn check_evidence(&self, theme: &str, ids: &[i64]) -> Result<bool, AppError> {
        let mut wanted: Vec<i64> = ids.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut found = self.store.evidence_of_theme(theme, &wanted).await?;
        found.sort_unstable();
        Ok(found == wanted)
    }

    /// Adds a finding to `theme` (`id` None) or changes one.
    pub async fn save_finding(
        &self,
        principal: &Principal,
        theme: &str,
        id: Option<i64>,
        form: &FindingForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        match id {
            Some(id) => self.item_of(principal, theme, ConceptItem::Finding, id).await?,
            None => self.editable_theme(principal, theme).await?,
        }
        let command = match form.check() {
            Ok(command) => command,
            Err(errors) => return Ok(invalid(form.kept(), errors)),
        };
        if !self.check_evidence(theme, &command.evidence).await? {
            let error = FieldError::new(
                fields::TEXT,
                "Ein gewählter Beleg gehört nicht zu diesem Handlungsfeld.",
            );
            return Ok(invalid(form.kept(), vec![error]));
        }
        let (saved, id) =
            self.store.save_finding(theme, id, form.revision, &command, now_ms()).await?;
        if saved == Edited::Stale {
            return Ok(stale(form.kept(), fields::TEXT));
        }
        let action = if form.revision == 0 { "Befund angelegt" } else { "Befund geändert" };
        self.audit_concept(principal, action, &format!("{theme}: Befund {id}")).await?;
        Ok(FormOutcome::Done(id))
    }

    /// Adds a goal to `theme` (`id` None) or changes one.
    pub async fn save_goal(
        &self,
        principal: &Principal,
        theme: &str,
        id: Option<i64>,
        form: &GoalForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        match id {
            Some(id) => self.item_of(principal, theme, ConceptItem::Goal, id).await?,
            None => self.editable_theme(principal, theme).await?,
        }
        let command = match form.check() {
            Ok(command) => command,
            Err(errors) => return Ok(invalid(form.kept(), errors)),
        };
        let (saved, id) =
            self.store.save_goal(theme, id, form.revision, &command, now_ms()).await?;
        if saved == Edited::Stale {
            return Ok(stale(form.kept(), fields::TITLE));
        }
        let action = if form.revision == 0 { "Ziel angelegt" } else { "Ziel geändert" };
        self.audit_concept(principal, action, &format!("{theme}: {}", command.title)).await?;
        Ok(FormOutcome::Done(id))
    }

    /// Adds a measure to a goal of `theme` (`id` None) or changes one; a measure keeps to its
    /// theme.
    pub async fn save_measure(
        &self,
        principal: &Principal,
        theme: &str,
        id: Option<i64>,
        form: &MeasureForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        match id {
            Some(id) => self.item_of(principal, theme, ConceptItem::Measure, id).await?,
            None => self.editable_theme(principal, theme).await?,
        }
        let command = match form.check() {
            Ok(command) => command,
            Err(errors) => return Ok(invalid(form.kept(), errors)),
        };
        let goal_theme = self.store.concept_item_theme(ConceptItem::Goal, command.goal_id).await?;
        if goal_theme.as_deref() != Some(theme) {
            let error =
                FieldError::new(fields::GOAL, "Bitte wählen Sie ein Ziel dieses Handlungsfelds.");
            return Ok(invalid(form.kept(), vec![error]));
        }
        let (saved, id) = self.store.save_measure(id, form.revision, &command, now_ms()).await?;
        if saved == Edited::Stale {
            return Ok(stale(form.kept(), fields::TITLE));
        }
        let action = if form.revision == 0 { "Maßnahme angelegt" } else { "Maßnahme geändert" };
        let detail = format!("{theme}: {} ({})", command.title, command.status.label());
        self.audit_concept(principal, action, &detail).await?;
        Ok(FormOutcome::Done(id))
    }

    /// Adds a dated progress note to a measure's timeline.
    pub async fn add_note(
        &self,
        principal: &Principal,
        theme: &str,
        measure_id: i64,
        form: &NoteForm,
    ) -> Result<FormOutcome<()>, AppError> {
        self.item_of(principal, theme, ConceptItem::Measure, measure_id).await?;
        let command = match form.check() {
            Ok(command) => command,
            Err(errors) => return Ok(invalid(form.kept(), errors)),
        };
        self.store.insert_note(measure_id, &command, &principal.name, now_ms()).await?;
        let detail = format!("{theme}: Maßnahme {measure_id}");
        self.audit_concept(principal, "Fortschritt notiert", &detail).await?;
        Ok(FormOutcome::Done(()))
    }

    /// Adds an indicator to a measure of `theme` (`id` None) or changes one of its indicators.
    pub async fn save_indicator(
        &self,
        principal: &Principal,
        theme: &str,
        measure_id: i64,
        id: Option<i64>,
        form: &IndicatorForm,
    ) -> Result<FormOutcome<()>, AppError> {
        self.item_of(principal, theme, ConceptItem::Measure, measure_id).await?;
        if let Some(id) = id {
            if self.store.indicator_measure(id).await? != Some(measure_id) {
                return Err(gone());
            }
        }
        let command = match form.check() {
            Ok(command) => command,
            Err(errors) => return Ok(invalid(form.kept(), errors)),
        };
        if let Some(evidence) = command.baseline_evidence_id {
            if !self.check_evidence(theme, &[evidence]).await? {
                let error = FieldError::new(
                    fields::EVIDENCE,
                    "Dieser Beleg gehört nicht zu diesem Handlungsfeld.",
                );
                return Ok(invalid(form.kept(), vec![error]));
            }
        }
        let (saved, _) =
            self.store.save_indicator(measure_id, id, form.revision, &command, now_ms()).await?;
        if saved == Edited::Stale {
            return Ok(stale(form.kept(), fields::NAME));
        }
        let action = if form.revision == 0 { "Indikator angelegt" } else { "Indikator geändert" };
        self.audit_concept(principal, action, &format!("{theme}: {}", command.name)).await?;
        Ok(FormOutcome::Done(()))
    }

    /// Records a later value of an indicator of a measure of `theme`.
    pub async fn add_indicator_value(
        &self,
        principal: &Principal,
        theme: &str,
        measure_id: i64,
        indicator_id: i64,
        form: &IndicatorValueForm,
    ) -> Result<FormOutcome<()>, AppError> {
        self.item_of(principal, theme, ConceptItem::Measure, measure_id).await?;
        if self.store.indicator_measure(indicator_id).await? != Some(measure_id) {
            return Err(gone());
        }
        let command = match form.check() {
            Ok(command) => command,
            Err(errors) => return Ok(invalid(form.kept(), errors)),
        };
        self.store.insert_indicator_value(indicator_id, &command, now_ms()).await?;
        let detail = format!("{theme}: Indikator {indicator_id}, Wert vom {}", command.measured_on);
        self.audit_concept(principal, "Indikatorwert erfasst", &detail).await?;
        Ok(FormOutcome::Done(()))
    }

    /// Deletes a finding, goal (only without measures), measure or indicator of `theme` at the
    /// revision the page showed; `Err` with the reason when it was not deleted.
    pub async fn delete_concept_item(
        &self,
        principal: &Principal,
        theme: &str,
        item: Item,
        id: i64,
        revision: i64,
    ) -> Result<Result<(), &'static str>, AppError> {
        self.item_of(principal, theme, item, id).await?;
        if item == ConceptItem::Goal && self.store.goal_has_measures(id).await? {
            return Ok(Err("Das Ziel hat noch Maßnahmen. Bitte löschen Sie sie zuerst oder ordnen Sie sie einem anderen Ziel zu."));
        }
        if self.store.delete_concept_item(item, id, revision).await? == Edited::Stale {
            return Ok(Err(STALE_MESSAGE));
        }
        let what = match item {
            ConceptItem::Evidence => "Beleg",
            ConceptItem::Finding => "Befund",
            ConceptItem::Goal => "Ziel",
            ConceptItem::Measure => "Maßnahme",
            ConceptItem::Indicator => "Indikator",
        };
        let detail = format!("{theme}: {what} {id}");
        self.audit_concept(principal, &format!("{what} gelöscht"), &detail).await?;
        Ok(Ok(()))
    }

    /// Per theme, the measures per municipality (county-wide ones count for every
    /// municipality), for the county map.
    pub async fn measures_per_municipality(
        &self,
    ) -> Result<BTreeMap<String, BTreeMap<String, u32>>, AppError> {
        let mut counts: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
        for (theme, ags, n) in self.store.measure_counts().await? {
            let of_theme = counts.entry(theme).or_default();
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            match ags {
                Some(ags) if municipality(&ags).is_some() => *of_theme.entry(ags).or_insert(0) += n,
                Some(_) => {}
                None => {
                    for place in MUNICIPALITIES {
                        *of_theme.entry(place.ags.to_string()).or_insert(0) += n;
                    }
                }
            }
        }
        Ok(counts)
    }
}

/// The dashboard query of a questionnaire's view.
fn view_query(questionnaire: i64, view: &str) -> String {
    let view = view.trim_start_matches('?');
    if view.is_empty() {
        format!("fragebogen={questionnaire}")
    } else {
        format!("fragebogen={questionnaire}&{view}")
    }
}

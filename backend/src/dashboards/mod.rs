//! The working groups' dashboards: a theme's figures and the needs-and-inventory overview,
//! for the themes a user may see, with the minimum group size applied everywhere.

pub mod figures_csv;
pub(crate) mod store;
pub mod tally;

use crate::csv_out::{CsvOut, Dialect};
use crate::db::kept::{ProtectedKey, PROTECTED_KEPT};
use crate::db::StoredQuestionnaire;
use crate::staff::Staff;
use domain::dashboard::{
    search_term, FilterView, HeatCell, HeatRow, OverviewPage, ThemeLink, ThemePage, SEARCH_FIELD,
};
use domain::disclosure::{mask_contacts, View};
use domain::filter::{last_value, parse_query, ResponseFilter};
use domain::protected::Protected;
use domain::reference::MUNICIPALITIES;
use domain::staff::{FormProblems, Principal, QuestionnaireChoice};
use domain::stats::{feeds_heat_map, mean_need, stock_share, Figure, ThemeFigures};
use domain::validation::FieldError;
use domain::{AppError, Theme};
use figures_csv::{write_header, write_theme};
use std::sync::Arc;
use store::TextSearch;

/// Free texts listed per question; the search narrows them down.
pub const TEXTS_LISTED: i64 = 50;

/// The view a dashboard URL asks for (`gemeinde`, `art` or `monat`, one at a time), with what
/// the form shows; `None` with the problems at their fields when the lattice has no such view.
pub fn read_view(pairs: &[(String, String)]) -> (Option<View>, FilterView) {
    let form_values: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "gemeinde" | "art" | "monat" | "von" | "bis"))
        .cloned()
        .collect();
    let refused = |errors: Vec<FieldError>| {
        (
            None,
            FilterView {
                form: FormProblems { values: form_values.clone(), errors },
                query: String::new(),
                description: String::new(),
                months: vec![],
            },
        )
    };
    // Only submitted responses are ever aggregated, whatever the URL says.
    let own: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "status").cloned().collect();
    let filter = match ResponseFilter::from_query(&own) {
        Ok(filter) => filter,
        Err(errors) => return refused(errors),
    };
    match View::from_filter(&filter) {
        Ok(view) => {
            let shown = FilterView {
                form: FormProblems { values: form_values.clone(), errors: vec![] },
                query: view.to_query(),
                description: view.describe(),
                months: vec![],
            };
            (Some(view), shown)
        }
        Err(error) => refused(vec![error]),
    }
}

/// A theme under disclosure control, from the cache while the tallies are unchanged.
pub(crate) async fn protected(
    store: &crate::Store,
    stored: &StoredQuestionnaire,
    theme: &Theme,
    matrices_only: bool,
    min_group: u64,
) -> Result<Arc<Protected>, AppError> {
    // The version first: atoms read after it are at least as new, so a kept theme is never older.
    let version = store.tally_version(stored.questionnaire.id).await?;
    let key: ProtectedKey =
        (stored.questionnaire.id, stored.revision, theme.code.clone(), matrices_only, min_group);
    let cache = store.protected_cache();
    if let Some((kept, p)) = cache.themes.lock().map_err(AppError::internal)?.get(&key) {
        if *kept == version {
            return Ok(p.clone());
        }
    }
    let p = Arc::new(Protected::new(store.theme_atoms(stored, theme).await?, min_group));
    let mut themes = cache.themes.lock().map_err(AppError::internal)?;
    if themes.len() >= PROTECTED_KEPT {
        themes.clear();
    }
    themes.insert(key, (version, p.clone()));
    Ok(p)
}

/// A view's figures of a theme under disclosure control, without free texts (the aggregates
/// export).
pub(crate) async fn protected_figures(
    store: &crate::Store,
    stored: &StoredQuestionnaire,
    theme: &Theme,
    view: &View,
    min_group: u64,
) -> Result<ThemeFigures, AppError> {
    let protected = protected(store, stored, theme, false, min_group).await?;
    let mut figures = protected.figures(theme, view);
    for q in figures.questions.iter_mut() {
        if let Figure::Choices { others, .. } = &mut q.figure {
            others.clear();
        }
    }
    Ok(figures)
}

impl Staff {
    /// The questionnaires to choose from, and the one a dashboard shows: the one asked for,
    /// else the first.
    async fn dashboard_questionnaire(
        &self,
        pairs: &[(String, String)],
    ) -> Result<(Vec<QuestionnaireChoice>, Arc<StoredQuestionnaire>), AppError> {
        let choices = self.questionnaire_choices().await?;
        let wanted = last_value(pairs, "fragebogen").and_then(|v| v.parse::<i64>().ok());
        let id = match wanted {
            Some(id) if choices.iter().any(|c| c.id == id) => id,
            Some(_) => return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into())),
            None => choices
                .first()
                .map(|c| c.id)
                .ok_or_else(|| AppError::NotFound("Es gibt noch keinen Fragebogen.".into()))?,
        };
        let revision = self.store.questionnaire_revision(id).await?.unwrap_or(0);
        Ok((choices, self.store.questionnaire(id, revision).await?))
    }

    fn visible_themes<'q>(
        principal: &Principal,
        stored: &'q StoredQuestionnaire,
    ) -> Vec<&'q Theme> {
        stored
            .questionnaire
            .themes
            .iter()
            .filter(|t| principal.is_admin() || principal.themes.contains(&t.code))
            .collect()
    }

    /// A theme's figures over the filtered submitted responses. Members see their themes only.
    pub async fn theme_page(
        &self,
        principal: &Principal,
        theme_code: &str,
        query: &str,
    ) -> Result<ThemePage, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        self.theme_page_of(principal, choices, &stored, theme_code, &pairs, true).await
    }

    /// A theme's figures as its page shows them, without the free-text search behind the page
    /// (for taking one figure as evidence).
    pub async fn theme_figures(
        &self,
        principal: &Principal,
        theme_code: &str,
        query: &str,
    ) -> Result<ThemePage, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        self.theme_page_of(principal, choices, &stored, theme_code, &pairs, false).await
    }

    /// A theme page of a loaded questionnaire; free texts only `with_texts` (a CSV has none).
    async fn theme_page_of(
        &self,
        principal: &Principal,
        choices: Vec<QuestionnaireChoice>,
        stored: &StoredQuestionnaire,
        theme_code: &str,
        pairs: &[(String, String)],
        with_texts: bool,
    ) -> Result<ThemePage, AppError> {
        let themes = Self::visible_themes(principal, stored);
        let theme =
            stored.questionnaire.themes.iter().find(|t| t.code == theme_code).ok_or_else(|| {
                AppError::NotFound("Dieses Thema gibt es im Fragebogen nicht.".into())
            })?;
        if !themes.iter().any(|t| t.code == theme.code) {
            return Err(AppError::not_allowed());
        }
        let (view, mut filter_view) = read_view(pairs);
        let typed = last_value(pairs, SEARCH_FIELD).unwrap_or("");
        // A term too short is reported at its field; the figures are shown without a search.
        let term = search_term(typed).unwrap_or_else(|problem| {
            filter_view.form.errors.push(problem);
            String::new()
        });
        let protected = protected(&self.store, stored, theme, false, self.min_group).await?;
        filter_view.months = protected.months();
        // Free texts only for the whole county: a text listed under one view and missing under
        // another would tell which small group wrote it.
        let texts_county_only = with_texts && view.as_ref().is_some_and(|v| *v != View::County);
        let (figures, text_matches) = match &view {
            Some(view) => {
                let mut figures = protected.figures(theme, view);
                let mut matches = Vec::new();
                if with_texts && *view == View::County && !figures.suppressed {
                    let texts = TextSearch { contains: term, limit: TEXTS_LISTED };
                    let listed = self
                        .store
                        .theme_texts(
                            stored,
                            theme,
                            &view.to_filter(),
                            &texts,
                            &protected.tallies(view),
                        )
                        .await?;
                    for q in figures.questions.iter_mut() {
                        // Texts only where the figure is shown: a suppressed one's would tell its n.
                        let Some((texts, count)) = listed.get(&q.code) else { continue };
                        let masked: Vec<String> = texts.iter().map(|t| mask_contacts(t)).collect();
                        match &mut q.figure {
                            Figure::Texts { texts } => *texts = masked,
                            Figure::Choices { others, .. } => *others = masked,
                            _ => continue,
                        }
                        matches.push((q.code.clone(), *count));
                    }
                } else {
                    for q in figures.questions.iter_mut() {
                        match &mut q.figure {
                            Figure::Texts { texts } => texts.clear(),
                            Figure::Choices { others, .. } => others.clear(),
                            _ => {}
                        }
                    }
                }
                matches.sort_by(|a, b| a.0.cmp(&b.0));
                (Some(figures), matches)
            }
            None => (None, vec![]),
        };
        Ok(ThemePage {
            me: principal.clone(),
            questionnaires: choices,
            questionnaire_id: stored.questionnaire.id,
            questionnaire_title: stored.questionnaire.title.clone(),
            theme: link(theme),
            themes: themes.iter().map(|t| link(t)).collect(),
            filter: filter_view,
            figures,
            text_matches,
            search: typed.chars().take(200).collect(),
            texts_county_only,
            min_group: self.min_group,
            waves: self
                .store
                .series_of(stored.questionnaire.id)
                .await?
                .map(|s| s.2)
                .unwrap_or_default(),
        })
    }

    /// Every theme this user may see, for a printed report.
    pub async fn report(
        &self,
        principal: &Principal,
        query: &str,
    ) -> Result<Vec<ThemePage>, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        let mut pages = Vec::new();
        for theme in Self::visible_themes(principal, &stored) {
            pages.push(
                self.theme_page_of(principal, choices.clone(), &stored, &theme.code, &pairs, true)
                    .await?,
            );
        }
        Ok(pages)
    }

    /// The figures of a theme page as CSV: exactly what the page shows (its `frage` narrows it
    /// to one question), in the dialect asked for.
    pub async fn theme_csv(
        &self,
        principal: &Principal,
        theme_code: &str,
        query: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        let page =
            self.theme_page_of(principal, choices, &stored, theme_code, &pairs, false).await?;
        let Some(mut figures) = page.figures else {
            return Err(AppError::BadRequest(
                "Der Filter enthält Fehler; bitte korrigieren Sie ihn auf der Seite.".into(),
            ));
        };
        if let Some(question) = last_value(&pairs, "frage") {
            figures.questions.retain(|q| q.code == question);
        }
        let dialect = last_value(&pairs, "dialekt").and_then(Dialect::parse).unwrap_or_default();
        let mut out = CsvOut::new(dialect);
        write_header(&mut out)?;
        write_theme(&mut out, &figures)?;
        let name = match last_value(&pairs, "frage") {
            Some(q) => format!("auswertung_{theme_code}_{q}.csv"),
            None => format!("auswertung_{theme_code}.csv"),
        };
        Ok((
            name.replace(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'), "_"),
            out.take()?,
        ))
    }

    /// What exists against what is needed, per theme and municipality.
    pub async fn overview_page(
        &self,
        principal: &Principal,
        query: &str,
    ) -> Result<OverviewPage, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        let themes = Self::visible_themes(principal, &stored);
        let (view, mut filter_view) = read_view(&pairs);
        // Its columns are the municipalities: a kind or month on top would make cells of two
        // dimensions, which the publication lattice leaves out.
        if view.as_ref().is_some_and(|v| *v != View::County) {
            filter_view.form.errors.push(FieldError::new(
                "f-gemeinde",
                "Diese Auswahl ist zu klein: Die Übersicht zeigt immer den ganzen Kreis und jede Kommune. \
                 Nach Art der Organisation oder Monat lässt sich auf den Seiten der Themen auswählen.",
            ));
        }
        let columns: Vec<(String, String)> =
            MUNICIPALITIES.iter().map(|m| (m.ags.to_string(), m.name.to_string())).collect();
        let mut rows = Vec::new();
        if filter_view.form.errors.is_empty() {
            for theme in &themes {
                // The indicators read the stock and rating matrices only: count nothing else, and
                // leave out themes without them (a row of empty cells would look withheld).
                let matrices_only = Theme {
                    questions: theme
                        .questions
                        .iter()
                        .filter(|q| feeds_heat_map(q))
                        .cloned()
                        .collect(),
                    ..(*theme).clone()
                };
                if matrices_only.questions.is_empty() {
                    continue;
                }
                let protected =
                    protected(&self.store, &stored, &matrices_only, true, self.min_group).await?;
                let cell = |view: View| self.heat_cell(&matrices_only, &protected, &view);
                let cells =
                    columns.iter().map(|(ags, _)| cell(View::Municipality(ags.clone()))).collect();
                rows.push(HeatRow { theme: link(theme), county: cell(View::County), cells });
            }
        }
        Ok(OverviewPage {
            me: principal.clone(),
            questionnaires: choices,
            questionnaire_id: stored.questionnaire.id,
            questionnaire_title: stored.questionnaire.title.clone(),
            municipalities: columns,
            rows,
            filter: filter_view,
            min_group: self.min_group,
            measures: self.measures_per_municipality().await?,
            waves: self
                .store
                .series_of(stored.questionnaire.id)
                .await?
                .map(|s| s.2)
                .unwrap_or_default(),
        })
    }

    /// One heat-map cell; "zu wenige Antworten" alike for none and too few, without its n.
    fn heat_cell(&self, theme: &Theme, protected: &Protected, view: &View) -> HeatCell {
        let Some(tallies) = protected.shown_tallies(theme, view) else {
            return HeatCell { suppressed: true, ..Default::default() };
        };
        let stock = stock_share(theme, &tallies);
        let need = mean_need(theme, &tallies);
        let n = stock.map(|s| s.1).max(need.map(|s| s.1)).unwrap_or(0);
        let enough = |x: Option<(f64, u64)>| {
            x.filter(|(_, n)| *n >= self.min_group && *n > 0).map(|(v, _)| v)
        };
        let (stock_percent, need_mean) = (enough(stock), enough(need));
        let suppressed = stock_percent.is_none() && need_mean.is_none();
        HeatCell { stock_percent, need_mean, n: if suppressed { 0 } else { n }, suppressed }
    }
}

fn link(theme: &Theme) -> ThemeLink {
    ThemeLink { code: theme.code.clone(), title: theme.title.clone() }
}

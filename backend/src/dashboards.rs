//! The working groups' dashboards: a theme's figures and the needs-and-inventory overview,
//! for the themes a user may see, with the minimum group size applied everywhere.

use crate::aggregates::{write_header, write_theme};
use crate::db::{StoredQuestionnaire, TextSearch};
use crate::export::{CsvOut, Dialect};
use crate::staff::Staff;
use domain::dashboard::{search_term, FilterView, HeatCell, HeatRow, OverviewPage, ThemeLink, ThemePage, SEARCH_FIELD};
use domain::filter::{last_value, parse_query, ResponseFilter};
use domain::reference::{MUNICIPALITIES, WHOLE_COUNTY};
use domain::staff::{FormProblems, Principal, QuestionnaireChoice};
use domain::stats::{mean_need, stock_share, theme_figures, Figure, Tallies, TextCount};
use domain::{AppError, Theme};
use std::sync::Arc;

/// Free texts listed per question; the search narrows them down.
pub const TEXTS_LISTED: i64 = 50;

/// The filter of a dashboard URL, with what the form shows.
fn read_filter(pairs: &[(String, String)]) -> (Option<ResponseFilter>, FilterView) {
    let form_values: Vec<(String, String)> =
        pairs.iter().filter(|(k, _)| matches!(k.as_str(), "gemeinde" | "art" | "von" | "bis")).cloned().collect();
    match ResponseFilter::from_query(pairs) {
        Ok(filter) => {
            let view = FilterView {
                form: FormProblems { values: form_values, errors: vec![] },
                query: filter.to_query(),
                description: filter.describe(),
            };
            (Some(filter), view)
        }
        Err(errors) => (None, FilterView { form: FormProblems { values: form_values, errors }, query: String::new(), description: String::new() }),
    }
}

impl Staff {
    /// The questionnaires to choose from, and the one a dashboard shows: the one asked for,
    /// else the first.
    async fn dashboard_questionnaire(&self, pairs: &[(String, String)]) -> Result<(Vec<QuestionnaireChoice>, Arc<StoredQuestionnaire>), AppError> {
        let choices = self.questionnaire_choices().await?;
        let wanted = last_value(pairs, "fragebogen").and_then(|v| v.parse::<i64>().ok());
        let id = match wanted {
            Some(id) if choices.iter().any(|c| c.id == id) => id,
            Some(_) => return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into())),
            None => choices.first().map(|c| c.id).ok_or_else(|| AppError::NotFound("Es gibt noch keinen Fragebogen.".into()))?,
        };
        let revision = self.store.questionnaire_revision(id).await?.unwrap_or(0);
        Ok((choices, self.store.questionnaire(id, revision).await?))
    }

    fn visible_themes<'q>(principal: &Principal, stored: &'q StoredQuestionnaire) -> Vec<&'q Theme> {
        stored.questionnaire.themes.iter().filter(|t| principal.is_admin() || principal.themes.contains(&t.code)).collect()
    }

    /// A theme's figures over the filtered submitted responses. Members see their themes only.
    pub async fn theme_page(&self, principal: &Principal, theme_code: &str, query: &str) -> Result<ThemePage, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        self.theme_page_of(principal, choices, &stored, theme_code, &pairs, true).await
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
        let themes = Self::visible_themes(principal, &stored);
        let theme = stored
            .questionnaire
            .themes
            .iter()
            .find(|t| t.code == theme_code)
            .ok_or_else(|| AppError::NotFound("Dieses Thema gibt es im Fragebogen nicht.".into()))?;
        if !themes.iter().any(|t| t.code == theme.code) {
            return Err(AppError::not_allowed());
        }
        let (filter, mut filter_view) = read_filter(pairs);
        let typed = last_value(pairs, SEARCH_FIELD).unwrap_or("");
        // A term too short is reported at its field; the figures are shown without a search.
        let term = search_term(typed).unwrap_or_else(|problem| {
            filter_view.form.errors.push(problem);
            String::new()
        });
        let (figures, text_matches) = match &filter {
            Some(filter) => {
                let texts = TextSearch { contains: term, limit: TEXTS_LISTED };
                let texts = with_texts.then_some(&texts);
                let tallies = self.store.theme_tallies(stored, theme, &submitted_only(filter), texts).await?;
                let figures = theme_figures(theme, &tallies, self.min_group);
                // Counts only where the texts are shown: a suppressed figure's would tell its n.
                let mut matches: Vec<(String, TextCount)> = figures
                    .questions
                    .iter()
                    .filter(|q| !figures.suppressed && !matches!(q.figure, Figure::Suppressed))
                    .filter_map(|q| tallies.text_matches.get(&q.code).map(|m| (q.code.clone(), *m)))
                    .collect();
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
            min_group: self.min_group,
        })
    }

    /// Every theme this user may see, for a printed report.
    pub async fn report(&self, principal: &Principal, query: &str) -> Result<Vec<ThemePage>, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        let mut pages = Vec::new();
        for theme in Self::visible_themes(principal, &stored) {
            pages.push(self.theme_page_of(principal, choices.clone(), &stored, &theme.code, &pairs, true).await?);
        }
        Ok(pages)
    }

    /// The figures of a theme page as CSV: exactly what the page shows (its `frage` narrows it
    /// to one question), in the dialect asked for.
    pub async fn theme_csv(&self, principal: &Principal, theme_code: &str, query: &str) -> Result<(String, Vec<u8>), AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        let page = self.theme_page_of(principal, choices, &stored, theme_code, &pairs, false).await?;
        let Some(mut figures) = page.figures else {
            return Err(AppError::BadRequest("Der Filter enthält Fehler; bitte korrigieren Sie ihn auf der Seite.".into()));
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
        Ok((name.replace(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'), "_"), out.take()?))
    }

    /// What exists against what is needed, per theme and municipality.
    pub async fn overview_page(&self, principal: &Principal, query: &str) -> Result<OverviewPage, AppError> {
        let pairs = parse_query(query);
        let (choices, stored) = self.dashboard_questionnaire(&pairs).await?;
        let themes = Self::visible_themes(principal, &stored);
        let (filter, filter_view) = read_filter(&pairs);
        let columns: Vec<(String, String)> = MUNICIPALITIES
            .iter()
            .filter(|m| filter.as_ref().is_none_or(|f| f.municipalities.is_empty() || f.municipalities.iter().any(|c| c == m.ags)))
            .map(|m| (m.ags.to_string(), m.name.to_string()))
            .collect();
        let mut rows = Vec::new();
        if let Some(filter) = &filter {
            let filter = submitted_only(filter);
            let matrices: Vec<&str> = themes
                .iter()
                .flat_map(|t| t.questions.iter())
                .filter(|q| matches!(q.kind, domain::QuestionKind::Matrix { .. }))
                .map(|q| q.code.as_str())
                .collect();
            let per_place = self.store.municipality_tallies(&stored, &matrices, &filter).await?;
            let county_wide = per_place.get(WHOLE_COUNTY).cloned().unwrap_or_default();
            for theme in &themes {
                // The indicators read the matrices only: count nothing else.
                let matrices_only = Theme {
                    questions: theme.questions.iter().filter(|q| matches!(q.kind, domain::QuestionKind::Matrix { .. })).cloned().collect(),
                    ..(*theme).clone()
                };
                if matrices_only.questions.is_empty() {
                    continue;
                }
                let tallies = self.store.theme_tallies(&stored, &matrices_only, &filter, None).await?;
                let cells = columns
                    .iter()
                    .map(|(ags, _)| {
                        let mut t = per_place.get(ags).cloned().unwrap_or_default();
                        merge(&mut t, &county_wide);
                        self.heat_cell(theme, &t)
                    })
                    .collect();
                rows.push(HeatRow { theme: link(theme), county: self.heat_cell(theme, &tallies), cells });
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
        })
    }

    fn heat_cell(&self, theme: &Theme, tallies: &Tallies) -> HeatCell {
        let stock = stock_share(theme, tallies);
        let need = mean_need(theme, tallies);
        let n = stock.map(|s| s.1).max(need.map(|s| s.1)).unwrap_or(0);
        let enough = |x: Option<(f64, u64)>| x.filter(|(_, n)| *n >= self.min_group && *n > 0).map(|(v, _)| v);
        let (stock_percent, need_mean) = (enough(stock), enough(need));
        HeatCell { stock_percent, need_mean, n, suppressed: stock_percent.is_none() && need_mean.is_none() && n > 0 }
    }
}

/// Dashboards describe what was submitted; drafts may still change.
fn submitted_only(filter: &ResponseFilter) -> ResponseFilter {
    ResponseFilter { status: domain::filter::StatusFilter::Submitted, ..filter.clone() }
}

fn link(theme: &Theme) -> ThemeLink {
    ThemeLink { code: theme.code.clone(), title: theme.title.clone() }
}

/// Adds the counts of `more` (county-wide responses) to a municipality's tallies.
fn merge(into: &mut Tallies, more: &Tallies) {
    into.respondents += more.respondents;
    for ((q, r, v), c) in &more.counts {
        into.add(q, r, v, *c);
    }
    for (q, n) in &more.answered {
        *into.answered.entry(q.clone()).or_default() += n;
    }
}

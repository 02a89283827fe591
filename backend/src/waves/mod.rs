//! Survey waves: the builder's mapping of a later wave's questions to the wave before it, and
//! the dashboards of wave A against wave B (a theme page and the heat map), each wave's figures
//! under that wave's own disclosure control, exactly as its single-wave dashboard shows them.

pub(crate) mod store;

use crate::csv_out::{CsvOut, Dialect};
use crate::dashboards::{protected, read_view};
use crate::db::StoredQuestionnaire;
use crate::now_ms;
use crate::staff::{refused, require_admin, FormOutcome, Staff};
use domain::builder::STALE_MESSAGE;
use domain::dashboard::{FilterView, HeatCell, ThemeLink};
use domain::disclosure::View;
use domain::filter::{last_value, parse_query};
use domain::locale::format_decimal;
use domain::number::parse_number;
use domain::protected::Protected;
use domain::reference::MUNICIPALITIES;
use domain::staff::Principal;
use domain::stats::{
    feeds_heat_map, mean_need, need_distribution, stock_counts, stock_share, Tallies, ThemeFigures,
    MEAN_PLACES, PERCENT_PLACES, TOO_FEW,
};
use domain::validation::FieldError;
use domain::wave_comparison::{
    compare_question, mean_difference, share_difference, ComparisonPage, HeatComparison,
    HeatComparisonRow, Measure, OverviewComparisonPage, QuestionComparison, ThemeComparison,
    NOT_RANDOM_NOTE,
};
use domain::waves::{
    field, mapping_question_id, resolve_across, resolve_match, BuilderWaves, MappingChange,
    MappingForm, MappingRow, WaveChoice, WaveStep,
};
use domain::{AppError, QuestionKind, Questionnaire, Theme};
use std::collections::HashMap;
use std::sync::Arc;

/// Where the wave selects' problems show.
pub const WAVE_A_FIELD: &str = "w-welle_a";
pub const WAVE_B_FIELD: &str = "w-welle_b";

/// Two waves of one series, earlier first, with their structures.
struct Pair {
    series_title: String,
    waves: Vec<WaveChoice>,
    chosen: Option<(WaveChoice, WaveChoice)>,
    errors: Vec<FieldError>,
}

fn link(theme: &Theme) -> ThemeLink {
    ThemeLink { code: theme.code.clone(), title: theme.title.clone() }
}

fn sees(principal: &Principal, theme: &Theme) -> bool {
    principal.is_admin() || principal.themes.contains(&theme.code)
}

/// The parseable values of number question `code` in `tallies`, as the number figure reads them.
fn number_values(tallies: &Tallies, code: &str) -> Vec<(f64, u64)> {
    tallies
        .counts
        .iter()
        .filter(|((q, r, _), _)| q == code && r.is_empty())
        .filter_map(|((_, _, v), c)| parse_number(v, false).map(|x| (x, *c)))
        .collect()
}

/// One wave's figures per theme for one view, each audited once.
struct WaveFigures<'a> {
    stored: &'a StoredQuestionnaire,
    view: &'a View,
    themes: HashMap<String, (Arc<Protected>, ThemeFigures)>,
}

impl<'a> WaveFigures<'a> {
    fn new(stored: &'a StoredQuestionnaire, view: &'a View) -> Self {
        Self { stored, view, themes: HashMap::new() }
    }

    async fn theme(
        &mut self,
        staff: &Staff,
        theme: &Theme,
    ) -> Result<&(Arc<Protected>, ThemeFigures), AppError> {
        if !self.themes.contains_key(&theme.code) {
            let p = protected(&staff.store, self.stored, theme, false, staff.min_group).await?;
            let figures = p.figures(theme, self.view);
            self.themes.insert(theme.code.clone(), (p, figures));
        }
        self.themes
            .get(&theme.code)
            .ok_or_else(|| AppError::internal("theme figures just computed are missing"))
    }
}

impl Staff {
    /// The builder's view of questionnaire `q` as a wave: its series and, when a wave comes
    /// before it, how each of its questions matches that wave's questions.
    pub(crate) async fn builder_waves(
        &self,
        q: &Questionnaire,
    ) -> Result<Option<BuilderWaves>, AppError> {
        let Some((_, series_title, waves)) = self.store.series_of(q.id).await? else {
            return Ok(None);
        };
        let Some(at) = waves.iter().position(|w| w.questionnaire_id == q.id) else {
            return Ok(None);
        };
        let label = waves[at].label.clone();
        let Some(earlier) = at.checked_sub(1).map(|i| waves[i].clone()) else {
            return Ok(Some(BuilderWaves {
                series_title,
                label,
                earlier: None,
                earlier_questions: vec![],
                rows: vec![],
            }));
        };
        let earlier_q = self.wave_structure(earlier.questionnaire_id).await?;
        let stored = self.store.wave_mappings(q.id, earlier.questionnaire_id).await?;
        let rows = q
            .questions()
            .map(|question| {
                let explicit = stored.iter().find(|m| m.question == question.code);
                MappingRow {
                    code: question.code.clone(),
                    text: question.text.clone(),
                    stored: explicit.cloned(),
                    outcome: resolve_match(question, &earlier_q.questionnaire, explicit),
                    mappable: domain::waves::comparable(question),
                }
            })
            .collect();
        let earlier_questions = earlier_q
            .questionnaire
            .questions()
            .filter(|x| domain::waves::comparable(x))
            .map(|x| (x.code.clone(), format!("{} – {}", x.code, x.text)))
            .collect();
        Ok(Some(BuilderWaves {
            series_title,
            label,
            earlier: Some(earlier),
            earlier_questions,
            rows,
        }))
    }

    async fn wave_structure(&self, id: i64) -> Result<Arc<StoredQuestionnaire>, AppError> {
        Ok(self.store.current_questionnaire(id).await?)
    }

    /// Stores (or removes) the explicit match of question `code` of questionnaire `id` with a
    /// question of the wave before it. Administrators only; audited.
    pub async fn save_wave_mapping(
        &self,
        principal: &Principal,
        id: i64,
        code: &str,
        form: &MappingForm,
    ) -> Result<FormOutcome<()>, AppError> {
        require_admin(principal)?;
        let later = self.wave_structure(id).await?;
        let Some(question) = later.questionnaire.question(code) else {
            return Err(AppError::NotFound("Diese Frage gibt es im Fragebogen nicht.".into()));
        };
        if form.revision != Some(later.revision) {
            return Ok(refused(
                form,
                vec![FieldError::new(mapping_question_id(code), STALE_MESSAGE)],
            ));
        }
        let waves = self.store.series_of(id).await?.map(|(_, _, w)| w).unwrap_or_default();
        let at = waves.iter().position(|w| w.questionnaire_id == id);
        let Some(earlier) = at.and_then(|i| i.checked_sub(1)).map(|i| waves[i].clone()) else {
            return Ok(refused(
                form,
                vec![FieldError::new(
                    mapping_question_id(code),
                    "Dieser Fragebogen ist die erste Welle seiner Reihe; es gibt keine frühere, der Fragen zugeordnet werden könnten.",
                )],
            ));
        };
        let earlier_q = self.wave_structure(earlier.questionnaire_id).await?;
        let change = match form.validate(question, &earlier_q.questionnaire) {
            Ok(change) => change,
            Err(errors) => return Ok(refused(form, errors)),
        };
        let (stored, detail) = match &change {
            MappingChange::ByCode => (None, "gleicher Code".to_string()),
            MappingChange::Store(m) if m.earlier.is_empty() => {
                (Some(m), "nicht verglichen".to_string())
            }
            MappingChange::Store(m) => (
                Some(m),
                format!(
                    "→ {}{}",
                    m.earlier,
                    if m.values.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", domain::waves::values_text(&m.values).replace('\n', ", "))
                    }
                ),
            ),
        };
        self.store.save_wave_mapping(id, code, earlier.questionnaire_id, stored, now_ms()).await?;
        self.store
            .audit_by(
                principal,
                "Frage einer früheren Welle zugeordnet",
                &format!(
                    "Fragebogen Nr. {id}, Frage {code} gegenüber Welle „{}“ (Nr. {}): {detail}",
                    earlier.label, earlier.questionnaire_id
                ),
            )
            .await?;
        Ok(FormOutcome::Done(()))
    }

    /// Wave A (`welle_a`, default: the wave before B) and wave B (`welle_b`, else
    /// `fragebogen`, else the dashboards' first questionnaire) of one series.
    async fn wave_pair(&self, pairs: &[(String, String)]) -> Result<Pair, AppError> {
        let id_of = |name: &str| last_value(pairs, name).map(|v| v.parse::<i64>().ok());
        let later_id = match id_of(field::WAVE_B).or_else(|| id_of("fragebogen")) {
            Some(Some(id)) => id,
            Some(None) => {
                return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()))
            }
            None => self
                .questionnaire_choices()
                .await?
                .first()
                .map(|c| c.id)
                .ok_or_else(|| AppError::NotFound("Es gibt noch keinen Fragebogen.".into()))?,
        };
        let Some((_, series_title, waves)) = self.store.series_of(later_id).await? else {
            return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()));
        };
        let Some(later) = waves.iter().find(|w| w.questionnaire_id == later_id).cloned() else {
            return Err(AppError::NotFound("Diesen Fragebogen gibt es nicht.".into()));
        };
        let mut errors = Vec::new();
        let earlier = match id_of(field::WAVE_A) {
            Some(id) => waves.iter().find(|w| Some(w.questionnaire_id) == id).cloned(),
            None => waves.iter().rev().find(|w| w.position < later.position).cloned(),
        };
        match &earlier {
            _ if waves.len() < 2 => errors.push(FieldError::new(
                WAVE_A_FIELD,
                "Diese Reihe hat nur eine Welle; es gibt noch nichts zu vergleichen. Eine weitere Welle entsteht mit „Als neue Version kopieren“.",
            )),
            None => errors.push(FieldError::new(
                WAVE_A_FIELD,
                "Welle A: Bitte wählen Sie eine Welle derselben Reihe.",
            )),
            Some(a) if a.position >= later.position => errors.push(FieldError::new(
                WAVE_A_FIELD,
                "Welle A muss vor Welle B liegen: Verglichen wird die spätere mit der früheren Welle.",
            )),
            Some(_) => {}
        }
        let chosen = earlier.filter(|_| errors.is_empty()).map(|a| (a, later));
        Ok(Pair { series_title, waves, chosen, errors })
    }

    /// The view of a comparison: as the single-wave dashboards read it, but without a month
    /// (the waves lie in different periods).
    fn comparison_view(pairs: &[(String, String)], pair: &Pair) -> (Option<View>, FilterView) {
        let (mut view, mut filter) = read_view(pairs);
        if matches!(view, Some(View::Month(_))) {
            filter.form.errors.push(FieldError::new(
                "f-gemeinde",
                "Ein Monat lässt sich nicht vergleichen, da die Wellen in verschiedenen Zeiträumen liegen. Bitte wählen Sie eine Kommune oder eine Art der Organisation.",
            ));
            view = None;
        }
        filter.form.errors.extend(pair.errors.iter().cloned());
        for name in [field::WAVE_A, field::WAVE_B] {
            if let Some(v) = last_value(pairs, name) {
                filter.form.values.push((name.to_string(), v.to_string()));
            }
        }
        if !filter.form.errors.is_empty() {
            view = None;
        }
        (view, filter)
    }

    /// A theme of wave B against wave A over one view. Members see their themes only, in both
    /// waves.
    pub async fn comparison_page(
        &self,
        principal: &Principal,
        theme_code: &str,
        query: &str,
    ) -> Result<ComparisonPage, AppError> {
        let pairs = parse_query(query);
        let pair = self.wave_pair(&pairs).await?;
        let (view, filter) = Self::comparison_view(&pairs, &pair);
        let later_id = match &pair.chosen {
            Some((_, b)) => b.questionnaire_id,
            None => pair
                .waves
                .iter()
                .find(|w| {
                    Some(w.questionnaire_id.to_string()).as_deref()
                        == last_value(&pairs, field::WAVE_B).or(last_value(&pairs, "fragebogen"))
                })
                .or(pair.waves.last())
                .map(|w| w.questionnaire_id)
                .unwrap_or(0),
        };
        let later = self.wave_structure(later_id).await?;
        let themes: Vec<&Theme> =
            later.questionnaire.themes.iter().filter(|t| sees(principal, t)).collect();
        let theme =
            later.questionnaire.themes.iter().find(|t| t.code == theme_code).ok_or_else(|| {
                AppError::NotFound("Dieses Thema gibt es im Fragebogen nicht.".into())
            })?;
        if !sees(principal, theme) {
            return Err(AppError::not_allowed());
        }
        let comparison = match (&pair.chosen, &view) {
            (Some((a, b)), Some(view)) => {
                // The waves from the one right before B back to A, for chained mappings.
                let between: Vec<WaveChoice> = pair
                    .waves
                    .iter()
                    .rev()
                    .filter(|w| w.position >= a.position && w.position < b.position)
                    .cloned()
                    .collect();
                Some(self.compare_theme(principal, &between, &later, theme, view).await?)
            }
            _ => None,
        };
        Ok(ComparisonPage {
            me: principal.clone(),
            series_title: pair.series_title,
            waves: pair.waves,
            earlier: pair.chosen.as_ref().map(|(a, _)| a.clone()),
            later: pair.chosen.as_ref().map(|(_, b)| b.clone()),
            theme: link(theme),
            themes: themes.iter().map(|t| link(t)).collect(),
            filter,
            comparison,
            min_group: self.min_group,
        })
    }

    async fn compare_theme(
        &self,
        principal: &Principal,
        between: &[WaveChoice],
        later: &StoredQuestionnaire,
        theme: &Theme,
        view: &View,
    ) -> Result<ThemeComparison, AppError> {
        // Each wave's structure and the mappings of the wave after it against it.
        let mut structures = Vec::with_capacity(between.len());
        let mut after = later.questionnaire.id;
        for wave in between {
            let structure = self.wave_structure(wave.questionnaire_id).await?;
            let mappings = self.store.wave_mappings(after, wave.questionnaire_id).await?;
            after = wave.questionnaire_id;
            structures.push((structure, mappings));
        }
        let steps: Vec<WaveStep> = between
            .iter()
            .zip(&structures)
            .map(|(wave, (structure, mappings))| WaveStep {
                label: &wave.label,
                earlier: &structure.questionnaire,
                mappings,
            })
            .collect();
        let earlier_q = structures
            .last()
            .map(|(structure, _)| structure.clone())
            .ok_or_else(|| AppError::internal("a comparison without an earlier wave"))?;
        let mut b = WaveFigures::new(later, view);
        let mut a = WaveFigures::new(&earlier_q, view);
        let (_, later_theme) = b.theme(self, theme).await?;
        let later_respondents = (!later_theme.suppressed).then_some(later_theme.respondents);
        // The earlier wave's theme of the same code counts its respondents (if it has one).
        let earlier_respondents =
            match earlier_q.questionnaire.themes.iter().find(|t| t.code == theme.code) {
                Some(t) => {
                    let (_, f) = a.theme(self, t).await?;
                    (!f.suppressed).then_some(f.respondents)
                }
                None => None,
            };
        let mut questions = Vec::new();
        for q in &theme.questions {
            let base = |not_compared: String| QuestionComparison {
                code: q.code.clone(),
                text: q.text.clone(),
                earlier_code: None,
                not_compared: Some(not_compared),
                lines: vec![],
            };
            let matched = match resolve_across(q, &steps) {
                Ok(m) => m,
                Err(why) => {
                    questions.push(base(why));
                    continue;
                }
            };
            let Some(earlier_theme) = earlier_q
                .questionnaire
                .themes
                .iter()
                .find(|t| t.questions.iter().any(|x| x.code == matched.earlier))
            else {
                questions.push(base("Die frühere Frage gibt es nicht mehr.".into()));
                continue;
            };
            if !sees(principal, earlier_theme) {
                questions.push(base(format!(
                    "Die frühere Frage gehört zum Thema „{}“, das Sie nicht sehen.",
                    earlier_theme.title
                )));
                continue;
            }
            let (pb, fb) = b.theme(self, theme).await?.clone();
            let (pa, fa) = a.theme(self, earlier_theme).await?.clone();
            let (Some(later_f), Some(earlier_f)) = (
                fb.questions.iter().find(|x| x.code == q.code),
                fa.questions.iter().find(|x| x.code == matched.earlier),
            ) else {
                questions.push(base("Die Frage hat keine Zahlen.".into()));
                continue;
            };
            let numbers = if matches!(q.kind, QuestionKind::Number { .. }) {
                (
                    number_values(&pa.tallies(view), &matched.earlier),
                    number_values(&pb.tallies(view), &q.code),
                )
            } else {
                (vec![], vec![])
            };
            let lines = compare_question(q, later_f, earlier_f, &matched, (&numbers.0, &numbers.1));
            questions.push(QuestionComparison {
                code: q.code.clone(),
                text: q.text.clone(),
                earlier_code: Some(matched.earlier.clone()),
                not_compared: None,
                lines,
            });
        }
        Ok(ThemeComparison { earlier_respondents, later_respondents, questions })
    }

    /// The comparison of a theme page as CSV, in the dialect asked for.
    pub async fn comparison_csv(
        &self,
        principal: &Principal,
        theme_code: &str,
        query: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        let page = self.comparison_page(principal, theme_code, query).await?;
        let (Some(comparison), Some(a), Some(b)) = (&page.comparison, &page.earlier, &page.later)
        else {
            return Err(AppError::BadRequest(
                "Die Auswahl enthält Fehler; bitte korrigieren Sie sie auf der Seite.".into(),
            ));
        };
        let pairs = parse_query(query);
        let mut comparison = comparison.clone();
        // `frage` narrows it to one chart.
        if let Some(question) = last_value(&pairs, "frage") {
            comparison.questions.retain(|q| q.code == question);
        }
        let dialect = last_value(&pairs, "dialekt").and_then(Dialect::parse).unwrap_or_default();
        let mut out = CsvOut::new(dialect);
        write_comparison(
            &mut out,
            &page.theme.code,
            (a, b),
            &comparison,
            &page.filter.description,
        )?;
        let name = format!("vergleich_{}_{}_{}.csv", page.theme.code, a.label, b.label)
            .replace(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'), "_");
        Ok((name, out.take()?))
    }

    /// The heat map of wave B against wave A: per theme (by code, in both waves) and for the
    /// county and each municipality, both cells as each wave's heat map shows them and the
    /// differences where both are shown.
    pub async fn overview_comparison(
        &self,
        principal: &Principal,
        query: &str,
    ) -> Result<OverviewComparisonPage, AppError> {
        let pairs = parse_query(query);
        let pair = self.wave_pair(&pairs).await?;
        let (view, mut filter) = Self::comparison_view(&pairs, &pair);
        if view.as_ref().is_some_and(|v| *v != View::County) {
            filter.form.errors.push(FieldError::new(
                "f-gemeinde",
                "Die Übersicht zeigt immer den ganzen Kreis und jede Kommune; eine Auswahl ist hier nicht möglich.",
            ));
        }
        let municipalities: Vec<(String, String)> =
            MUNICIPALITIES.iter().map(|m| (m.ags.to_string(), m.name.to_string())).collect();
        let mut rows = Vec::new();
        if let (Some((a, b)), true) = (&pair.chosen, filter.form.errors.is_empty()) {
            let (earlier, later) = (
                self.wave_structure(a.questionnaire_id).await?,
                self.wave_structure(b.questionnaire_id).await?,
            );
            for theme in later.questionnaire.themes.iter().filter(|t| sees(principal, t)) {
                let Some(earlier_theme) =
                    earlier.questionnaire.themes.iter().find(|t| t.code == theme.code)
                else {
                    continue;
                };
                if !sees(principal, earlier_theme) {
                    continue;
                }
                let (Some(tb), Some(ta)) = (heat_theme(theme), heat_theme(earlier_theme)) else {
                    continue;
                };
                let pb = protected(&self.store, &later, &tb, true, self.min_group).await?;
                let pa = protected(&self.store, &earlier, &ta, true, self.min_group).await?;
                let cell = |view: View| self.heat_comparison((&ta, &pa), (&tb, &pb), &view);
                rows.push(HeatComparisonRow {
                    theme: link(theme),
                    county: cell(View::County),
                    cells: municipalities
                        .iter()
                        .map(|(ags, _)| cell(View::Municipality(ags.clone())))
                        .collect(),
                });
            }
        }
        Ok(OverviewComparisonPage {
            me: principal.clone(),
            series_title: pair.series_title,
            waves: pair.waves,
            earlier: pair.chosen.as_ref().map(|(a, _)| a.clone()),
            later: pair.chosen.as_ref().map(|(_, b)| b.clone()),
            municipalities,
            rows,
            filter,
            min_group: self.min_group,
        })
    }

    /// The compared heat map as CSV: per theme and column (the county, then each
    /// municipality) one record for stock and one for need.
    pub async fn overview_comparison_csv(
        &self,
        principal: &Principal,
        query: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        let page = self.overview_comparison(principal, query).await?;
        let (Some(a), Some(b), true) =
            (&page.earlier, &page.later, page.filter.form.errors.is_empty())
        else {
            return Err(AppError::BadRequest(
                "Die Auswahl enthält Fehler; bitte korrigieren Sie sie auf der Seite.".into(),
            ));
        };
        let pairs = parse_query(query);
        let dialect = last_value(&pairs, "dialekt").and_then(Dialect::parse).unwrap_or_default();
        let mut out = CsvOut::new(dialect);
        for column in HEAT_COLUMNS {
            out.plain(column)?;
        }
        out.end_record()?;
        let comma = out.dialect().decimal_comma();
        let fixed = |v: f64, places: usize| format_decimal(v, places, comma);
        for row in &page.rows {
            let columns = std::iter::once(("kreis".to_string(), &row.county)).chain(
                page.municipalities.iter().map(|(ags, _)| ags.clone()).zip(row.cells.iter()),
            );
            for (place, cell) in columns {
                for measure in [Measure::Share, Measure::Mean] {
                    let (places, name) = match measure {
                        Measure::Share => (PERCENT_PLACES, "bestand_prozent"),
                        Measure::Mean => (MEAN_PLACES, "bedarf_mittelwert"),
                    };
                    let value = |c: &HeatCell| match measure {
                        Measure::Share => c.stock_percent,
                        Measure::Mean => c.need_mean,
                    };
                    let side = |c: &HeatCell| match value(c) {
                        Some(v) if !c.withheld() => (c.n.to_string(), fixed(v, places)),
                        _ => (String::new(), TOO_FEW.to_string()),
                    };
                    let (sa, sb) = (side(&cell.earlier), side(&cell.later));
                    let d = match measure {
                        Measure::Share => cell.stock.as_ref(),
                        Measure::Mean => cell.need.as_ref(),
                    };
                    out.plain(&row.theme.code)?;
                    out.plain(&place)?;
                    out.plain(name)?;
                    out.text(&a.label)?;
                    out.plain(&sa.0)?;
                    out.plain(&sa.1)?;
                    out.text(&b.label)?;
                    out.plain(&sb.0)?;
                    out.plain(&sb.1)?;
                    out.plain(&d.map(|d| fixed(d.value, places)).unwrap_or_default())?;
                    out.plain(&d.map(|d| fixed(d.low, places)).unwrap_or_default())?;
                    out.plain(&d.map(|d| fixed(d.high, places)).unwrap_or_default())?;
                    out.plain(
                        &d.and_then(|d| d.statistic).map(|s| fixed(s, 2)).unwrap_or_default(),
                    )?;
                    out.plain(
                        d.map(|d| if d.notable { "ja" } else { "nein" }).unwrap_or_default(),
                    )?;
                    out.text(&format!("{} (Zellen als Beobachtungen)", measure.test()))?;
                    out.text(NOT_RANDOM_NOTE)?;
                    out.end_record()?;
                }
            }
        }
        let name = format!("vergleich_uebersicht_{}_{}.csv", a.label, b.label)
            .replace(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'), "_");
        Ok((name, out.take()?))
    }

    /// One compared cell: each side exactly as that wave's heat map computes it (shown tallies
    /// of the view, minimum group on each indicator), the differences only where both sides
    /// show the indicator.
    fn heat_comparison(
        &self,
        (ta, pa): (&Theme, &Protected),
        (tb, pb): (&Theme, &Protected),
        view: &View,
    ) -> HeatComparison {
        let side = |theme: &Theme, p: &Protected| {
            let Some(tallies) = p.shown_tallies(theme, view) else {
                return (HeatCell { suppressed: true, ..Default::default() }, None, None);
            };
            let enough = |n: u64| n >= self.min_group && n > 0;
            let stock = stock_share(theme, &tallies).filter(|(_, n)| enough(*n));
            let need = mean_need(theme, &tallies).filter(|(_, n)| enough(*n));
            let n = stock.map(|s| s.1).max(need.map(|s| s.1)).unwrap_or(0);
            let suppressed = stock.is_none() && need.is_none();
            let cell = HeatCell {
                stock_percent: stock.map(|s| s.0),
                need_mean: need.map(|s| s.0),
                n: if suppressed { 0 } else { n },
                suppressed,
            };
            let counts = stock.map(|_| stock_counts(theme, &tallies));
            let dist = need.map(|_| need_distribution(theme, &tallies));
            (cell, counts, dist)
        };
        let (earlier, ca, da) = side(ta, pa);
        let (later, cb, db) = side(tb, pb);
        let stock = match (ca, cb) {
            (Some((xa, na)), Some((xb, nb))) => share_difference(xa, na, xb, nb),
            _ => None,
        };
        let need = match (da, db) {
            (Some(a), Some(b)) => mean_difference(&a, &b),
            _ => None,
        };
        HeatComparison { earlier, later, stock, need }
    }
}

/// A theme with the questions the heat map reads, `None` when it has none.
fn heat_theme(theme: &Theme) -> Option<Theme> {
    let questions: Vec<_> = theme.questions.iter().filter(|q| feeds_heat_map(q)).cloned().collect();
    (!questions.is_empty()).then(|| Theme { questions, ..theme.clone() })
}

pub const HEAT_COLUMNS: [&str; 16] = [
    "thema",
    "kommune",
    "kennzahl",
    "welle_a",
    "n_a",
    "wert_a",
    "welle_b",
    "n_b",
    "wert_b",
    "differenz",
    "ki95_unten",
    "ki95_oben",
    "teststatistik",
    "auffaellig",
    "test",
    "hinweis",
];

pub const COMPARISON_COLUMNS: [&str; 24] = [
    "thema",
    "frage",
    "frage_frueher",
    "fragetext",
    "zeile",
    "zeile_text",
    "kennzahl",
    "code",
    "beschriftung",
    "welle_a",
    "n_a",
    "anzahl_a",
    "wert_a",
    "welle_b",
    "n_b",
    "anzahl_b",
    "wert_b",
    "differenz",
    "ki95_unten",
    "ki95_oben",
    "teststatistik",
    "auffaellig",
    "test",
    "hinweis",
];

/// Columns holding what people typed (texts, labels, wave labels), which the Excel dialect
/// defuses; the others are codes and numbers the file formats itself (a negative difference
/// must stay a number).
const TEXT_COLUMNS: [usize; 7] = [3, 5, 8, 9, 13, 22, 23];

fn write_record(out: &mut CsvOut, record: &[String]) -> Result<(), AppError> {
    for (i, cell) in record.iter().enumerate() {
        if TEXT_COLUMNS.contains(&i) {
            out.text(cell)?;
        } else {
            out.plain(cell)?;
        }
    }
    out.end_record()
}

/// The comparison as CSV: the waves' respondents, then one record per compared figure (a
/// withheld side reads "zu wenige Antworten", its n and count empty; a difference only where
/// both sides are shown), then the questions not compared with the reason. Values rounded as
/// the page shows them, counts and n exact.
fn write_comparison(
    out: &mut CsvOut,
    theme: &str,
    (a, b): (&WaveChoice, &WaveChoice),
    c: &ThemeComparison,
    view: &str,
) -> Result<(), AppError> {
    for column in COMPARISON_COLUMNS {
        out.plain(column)?;
    }
    out.end_record()?;
    let comma = out.dialect().decimal_comma();
    let fixed = |v: f64, places: usize| format_decimal(v, places, comma);
    let note = format!("Ansicht: {view}. {NOT_RANDOM_NOTE}");
    // Respondents of the theme in each wave.
    let respondents = |n: Option<u64>| match n {
        Some(n) => (n.to_string(), n.to_string(), String::new()),
        None => (String::new(), String::new(), TOO_FEW.to_string()),
    };
    let (ra, rb) = (respondents(c.earlier_respondents), respondents(c.later_respondents));
    let mut record: Vec<String> = vec![
        theme.into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        "antworten".into(),
        "".into(),
        "".into(),
    ];
    record.extend([a.label.clone(), ra.0, ra.1, ra.2, b.label.clone(), rb.0, rb.1, rb.2]);
    record.extend(["".into(), "".into(), "".into(), "".into(), "".into(), "".into(), note.clone()]);
    write_record(out, &record)?;
    for q in &c.questions {
        for line in &q.lines {
            let places = match line.measure {
                Measure::Share => PERCENT_PLACES,
                Measure::Mean => MEAN_PLACES,
            };
            let side = |e: &Option<domain::wave_comparison::Estimate>| match e {
                Some(e) => (
                    e.n.to_string(),
                    e.count.map(|c| c.to_string()).unwrap_or_default(),
                    fixed(e.value, places),
                ),
                None => (String::new(), String::new(), TOO_FEW.to_string()),
            };
            let (sa, sb) = (side(&line.earlier), side(&line.later));
            let d = line.difference.as_ref();
            let (row, row_label) = line.row.clone().unwrap_or_default();
            let mut record: Vec<String> = vec![
                theme.into(),
                q.code.clone(),
                q.earlier_code.clone().unwrap_or_default(),
                q.text.clone(),
                row,
                row_label,
                line.measure.code().into(),
                line.code.clone(),
                line.label.clone(),
                a.label.clone(),
            ];
            record.extend([sa.0, sa.1, sa.2, b.label.clone(), sb.0, sb.1, sb.2]);
            record.extend([
                d.map(|d| fixed(d.value, places)).unwrap_or_default(),
                d.map(|d| fixed(d.low, places)).unwrap_or_default(),
                d.map(|d| fixed(d.high, places)).unwrap_or_default(),
                d.and_then(|d| d.statistic).map(|s| fixed(s, 2)).unwrap_or_default(),
                d.map(|d| if d.notable { "ja" } else { "nein" }.to_string()).unwrap_or_default(),
                line.measure.test().into(),
                String::new(),
            ]);
            write_record(out, &record)?;
        }
        if let Some(why) = &q.not_compared {
            let mut record: Vec<String> = vec![
                theme.into(),
                q.code.clone(),
                "".into(),
                q.text.clone(),
                "".into(),
                "".into(),
                "nicht_verglichen".into(),
            ];
            record.extend(std::iter::repeat_n(String::new(), 16));
            record.push(why.clone());
            write_record(out, &record)?;
        }
    }
    Ok(())
}

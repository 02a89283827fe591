//! What the working groups' dashboards show: a theme's figures, and the overview of needs and
//! inventory per theme and municipality.

use crate::staff::{FormProblems, Principal, QuestionnaireChoice};
use crate::stats::ThemeFigures;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeLink {
    pub code: String,
    pub title: String,
}

/// The filter as the page shows it: the query's values, any problems, and the description.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterView {
    /// Values and problems of the filter form, as typed.
    pub form: FormProblems,
    /// The valid filter as a query string (without `?`), for links and downloads.
    pub query: String,
    /// E.g. "Kommune: Kleve · Zeitraum: ab 01.09.2026", or "alle Antworten".
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemePage {
    pub me: Principal,
    pub questionnaires: Vec<QuestionnaireChoice>,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    pub theme: ThemeLink,
    /// The themes this user may see, for the navigation.
    pub themes: Vec<ThemeLink>,
    pub filter: FilterView,
    /// `None` when the filter has problems (they are shown instead).
    pub figures: Option<ThemeFigures>,
    /// Per text question: how many texts match the search; the figures list the first ones.
    pub text_matches: Vec<(String, u64)>,
    pub search: String,
    pub min_group: u64,
}

/// One cell of the heat map: what exists (share of offers reported as existing) against what
/// is needed (mean need rating, 1 to 5), each over `n` responses; `None` where there are too
/// few responses or no answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeatCell {
    pub stock_percent: Option<f64>,
    pub need_mean: Option<f64>,
    pub n: u64,
    /// Fewer than the minimum group size: nothing is shown.
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatRow {
    pub theme: ThemeLink,
    /// The whole county (all municipalities), then one cell per municipality column.
    pub county: HeatCell,
    pub cells: Vec<HeatCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewPage {
    pub me: Principal,
    pub questionnaires: Vec<QuestionnaireChoice>,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    /// `(ags, name)` of the columns.
    pub municipalities: Vec<(String, String)>,
    pub rows: Vec<HeatRow>,
    pub filter: FilterView,
    pub min_group: u64,
}

//! What the working groups' dashboards show: a theme's figures, and the overview of needs and
//! inventory per theme and municipality.

use crate::staff::{FormProblems, Principal, QuestionnaireChoice};
use crate::stats::{TextCount, ThemeFigures};
use crate::validation::FieldError;
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
    /// E.g. "Kommune: Kleve", or "ganzer Kreis, alle Arten, gesamter Zeitraum".
    pub description: String,
    /// The months with submitted responses, for the form's month field.
    #[serde(default)]
    pub months: Vec<crate::disclosure::Month>,
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
    pub text_matches: Vec<(String, TextCount)>,
    pub search: String,
    /// The view is not the whole county, so its free texts are not listed.
    pub texts_county_only: bool,
    pub min_group: u64,
    /// The waves of the questionnaire's series, for "Mit früherer Welle vergleichen" (empty
    /// or one: nothing to compare).
    #[serde(default)]
    pub waves: Vec<crate::waves::WaveChoice>,
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

impl HeatCell {
    /// Shows no figure at all: withheld by disclosure control, or without answers. Such a cell
    /// reads "zu wenige Antworten" wherever it is drawn, and nothing else of it is written.
    pub fn withheld(&self) -> bool {
        self.suppressed || (self.stock_percent.is_none() && self.need_mean.is_none())
    }

    /// How far need outruns stock, in four steps, as the colour class of the heat map and the
    /// county map (`heat-0` … `heat-3`; `heat-none` without both figures).
    pub fn gap_class(&self) -> &'static str {
        match (self.withheld(), self.stock_percent, self.need_mean) {
            (false, Some(stock), Some(need)) => {
                // Need 1..5 as 0..100 against the share of offers that exist.
                let gap = (need - 1.0) * 25.0 - stock;
                match gap {
                    g if g <= 0.0 => "heat-0",
                    g if g <= 20.0 => "heat-1",
                    g if g <= 40.0 => "heat-2",
                    _ => "heat-3",
                }
            }
            _ => HEAT_NONE,
        }
    }
}

/// The colour classes of the heat map with what they mean, from no gap to a large one.
pub const GAP_CLASSES: [(&str, &str); 4] = [
    ("heat-0", "Bedarf gedeckt"),
    ("heat-1", "leichte Lücke"),
    ("heat-2", "deutliche Lücke"),
    ("heat-3", "große Lücke"),
];
/// The class of a cell without both figures ("zu wenige Antworten").
pub const HEAT_NONE: &str = "heat-none";

/// What a colour class means, for legends and text alternatives.
pub fn gap_label(class: &str) -> &'static str {
    GAP_CLASSES
        .iter()
        .find(|(c, _)| *c == class)
        .map(|(_, label)| *label)
        .unwrap_or(crate::stats::TOO_FEW)
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
    /// Per theme the integration concept's measures per municipality (AGS), for the map;
    /// county-wide measures count for every municipality.
    #[serde(default)]
    pub measures: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u32>>,
    /// The waves of the questionnaire's series, for the compared heat map.
    #[serde(default)]
    pub waves: Vec<crate::waves::WaveChoice>,
}

/// Shorter search terms would match nearly every text, and the trigram index behind the
/// search cannot look them up.
pub const SEARCH_MIN_CHARS: usize = 3;
const SEARCH_MAX_CHARS: usize = 100;
/// The id of the search field, to which its error links.
pub const SEARCH_FIELD: &str = "suche";

/// The search term as typed (trimmed, at most 100 characters; empty: no search), or what is
/// wrong with it.
pub fn search_term(typed: &str) -> Result<String, FieldError> {
    let term: String = typed.trim().chars().take(SEARCH_MAX_CHARS).collect();
    let length = term.chars().count();
    if length > 0 && length < SEARCH_MIN_CHARS {
        return Err(FieldError::new(
            SEARCH_FIELD,
            format!("Suchbegriff: Bitte geben Sie mindestens {SEARCH_MIN_CHARS} Zeichen ein."),
        ));
    }
    Ok(term)
}

/// Texts and search terms as the search compares them: in lower case (also umlauts, which
/// SQLite's `LOWER` leaves alone), so that it ignores case.
pub fn fold_for_search(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_trimmed_and_need_three_characters() {
        assert_eq!(search_term("  Kurs "), Ok("Kurs".to_string()));
        assert_eq!(search_term("   "), Ok(String::new()));
        assert_eq!(search_term("Öl1"), Ok("Öl1".to_string()), "characters, not bytes");
        let error = search_term(" ab ").unwrap_err();
        assert_eq!(
            (error.field_id.as_str(), error.message.as_str()),
            (SEARCH_FIELD, "Suchbegriff: Bitte geben Sie mindestens 3 Zeichen ein.")
        );
        assert_eq!(search_term(&"x".repeat(150)).unwrap().len(), 100);
        assert_eq!(fold_for_search("ÄRZTE und Straße"), "ärzte und straße");
    }

    #[test]
    fn gap_classes_grade_need_against_stock() {
        let cell = |stock: Option<f64>, need: Option<f64>| HeatCell {
            stock_percent: stock,
            need_mean: need,
            n: 5,
            suppressed: false,
        };
        // Need 1..5 is read as 0..100 and set against the share of existing offers.
        assert_eq!(cell(Some(80.0), Some(4.0)).gap_class(), "heat-0");
        assert_eq!(cell(Some(60.0), Some(4.0)).gap_class(), "heat-1");
        assert_eq!(cell(Some(45.0), Some(4.2)).gap_class(), "heat-2");
        assert_eq!(cell(Some(10.0), Some(5.0)).gap_class(), "heat-3");
        assert_eq!(cell(Some(10.0), None).gap_class(), "heat-none");
        assert!(!cell(Some(10.0), None).withheld());
        assert!(cell(None, None).withheld());
        let withheld = HeatCell { suppressed: true, ..cell(Some(10.0), Some(5.0)) };
        assert!(withheld.withheld());
        assert_eq!(withheld.gap_class(), "heat-none", "a withheld cell is never graded");
        assert_eq!(gap_label("heat-3"), "große Lücke");
        assert_eq!(gap_label(HEAT_NONE), "zu wenige Antworten");
    }
}

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
}

//! Dashboard figures from plain counts. The database layer counts, for one theme and one filtered
//! set of responses, how often each stored row `(question, row_code, value)` occurs; this module
//! turns those tallies into shares, means and medians, and suppresses every figure that rests on
//! fewer than `min_group` responses so that no single organisation can be recognised.
//! Pure: no I/O, no clock.

use crate::answers::OTHER_ROW;
use crate::number::parse_number;
use crate::questionnaire::{Choice, Question, QuestionKind, Theme, CANNOT_JUDGE};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a suppressed figure shows instead of numbers, on the pages and in the CSV files.
pub const TOO_FEW: &str = "zu wenige Antworten";
/// Decimals of shares, and of means, medians and number summaries: the same on the pages and
/// in the CSV files, so that both show the same figures.
pub const PERCENT_PLACES: usize = 1;
pub const MEAN_PLACES: usize = 2;

/// Code of the "exists" column of a stock (Bestand) matrix; see `default_questionnaire`.
pub const STOCK_EXISTS: &str = "vorhanden";

/// Counts of one theme over one filtered set of responses, as a SQL `GROUP BY` delivers them.
/// Not meant to cross to the browser (the tuple keys do not serialise to JSON).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tallies {
    /// Number of responses in the filtered set (the page's overall n).
    pub respondents: u64,
    /// `(question_code, row_code, value)` → number of responses with that stored row.
    /// Single choice, yes/no, rating: row code "", value the option code. Multiple choice: one
    /// row per chosen option (row code ""), the "other" text under [`OTHER_ROW`] (its value does
    /// not matter here, only the count). Matrix: row code = matrix row, value = column code.
    /// Number: row code "", value the text as typed. Text questions need no counts.
    pub counts: HashMap<(String, String, String), u64>,
    /// `question_code` → number of distinct responses with at least one stored row for the
    /// question. Must be filled for every question kind (missing means 0, i.e. suppressed).
    pub answered: HashMap<String, u64>,
    /// `question_code` → texts in the order to show: short/long text answers, and for a
    /// multiple choice with "other" the "other" texts.
    pub texts: HashMap<String, Vec<String>>,
    /// `question_code` → how many texts match the search, of which `texts` lists the first.
    pub text_matches: HashMap<String, TextCount>,
}

/// A search stops counting its matches after this many: beyond, the page says "mehr als".
pub const SEARCH_COUNT_LIMIT: u64 = 1000;

/// How many texts a question has, or match a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextCount {
    Exactly(u64),
    /// A search that found more than this many (then [`SEARCH_COUNT_LIMIT`]).
    MoreThan(u64),
}

impl TextCount {
    /// A search's count of at most `SEARCH_COUNT_LIMIT + 1` matches.
    pub fn of_search(counted: u64) -> Self {
        if counted > SEARCH_COUNT_LIMIT {
            Self::MoreThan(SEARCH_COUNT_LIMIT)
        } else {
            Self::Exactly(counted)
        }
    }

    /// Whether there are more than `shown` texts.
    pub fn exceeds(self, shown: usize) -> bool {
        match self {
            Self::Exactly(n) => n > shown as u64,
            Self::MoreThan(n) => n >= shown as u64,
        }
    }

    /// "12" or "mehr als 1000".
    pub fn describe(self) -> String {
        match self {
            Self::Exactly(n) => n.to_string(),
            Self::MoreThan(n) => format!("mehr als {n}"),
        }
    }
}

impl Tallies {
    /// Adds `count` to a stored row's count (rows may be added more than once).
    pub fn add(&mut self, question: &str, row_code: &str, value: &str, count: u64) {
        *self
            .counts
            .entry((question.to_string(), row_code.to_string(), value.to_string()))
            .or_insert(0) += count;
    }

    pub fn count(&self, question: &str, row_code: &str, value: &str) -> u64 {
        self.counts
            .get(&(question.to_string(), row_code.to_string(), value.to_string()))
            .copied()
            .unwrap_or(0)
    }

    pub fn answered(&self, question: &str) -> u64 {
        self.answered.get(question).copied().unwrap_or(0)
    }

    /// All `(value, count)` of one question and row code.
    fn values_of<'a>(
        &'a self,
        question: &'a str,
        row_code: &'a str,
    ) -> impl Iterator<Item = (&'a str, u64)> + 'a {
        self.counts
            .iter()
            .filter(move |((q, r, _), _)| q == question && r == row_code)
            .map(|((_, _, v), c)| (v.as_str(), *c))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeFigures {
    pub code: String,
    pub title: String,
    pub respondents: u64,
    /// `respondents < min_group`: then every question's figure is [`Figure::Suppressed`].
    pub suppressed: bool,
    pub questions: Vec<QuestionFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionFigures {
    pub code: String,
    pub text: String,
    /// [`QuestionKind::name`], e.g. "matrix".
    pub kind: String,
    /// Responses that answered the question at all (`Tallies::answered`).
    pub n: u64,
    pub figure: Figure,
}

/// One option with its count and share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub code: String,
    pub label: String,
    pub count: u64,
    /// `count / n * 100` (0 when n is 0), unrounded.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub code: String,
    pub label: String,
    /// Responses that answered this row (sum of its cells).
    pub n: u64,
    /// One share per column, percent of the row's n; `None` when the row's n < min_group.
    pub cells: Option<Vec<Share>>,
    /// Over the numeric columns only ("ka" excluded), for scale matrices; `None` otherwise, when
    /// the row is suppressed or has no numeric answer.
    pub mean: Option<f64>,
    pub median: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Figure {
    /// Fewer than `min_group` responses behind the figure (including none at all).
    Suppressed,
    /// Single choice, multiple choice, yes/no. Percentages are of the responses that answered
    /// the question; for a multiple choice they can therefore sum to more than 100 %.
    Choices {
        options: Vec<Share>,
        /// Responses that gave an "other, namely" text (multiple choice only).
        other_count: u64,
        /// The "other" texts (multiple choice with "other" only).
        others: Vec<String>,
    },
    Rating {
        /// Every scale point, then "cannot judge" if offered; percent of all who answered.
        options: Vec<Share>,
        cannot_judge: u64,
        /// Responses with a scale value (n without "cannot judge").
        rated: u64,
        /// Over scale values only; `None` when `rated` is 0.
        mean: Option<f64>,
        median: Option<f64>,
    },
    Matrix {
        columns: Vec<Choice>,
        rows: Vec<MatrixRow>,
    },
    /// Over the values that parse as numbers; `n` counts those only. No minimum or maximum:
    /// an extreme is one organisation's own value.
    Number {
        n: u64,
        mean: f64,
        median: f64,
        sum: f64,
    },
    Texts {
        texts: Vec<String>,
    },
}

/// The figures of one theme. Every figure whose n is below `min_group` (and every figure when
/// fewer than `min_group` responded at all) is [`Figure::Suppressed`]; a figure with n = 0 is
/// always suppressed, whatever `min_group`.
pub fn theme_figures(theme: &Theme, tallies: &Tallies, min_group: u64) -> ThemeFigures {
    let suppressed = tallies.respondents < min_group;
    let questions = theme
        .questions
        .iter()
        .map(|q| {
            let n = tallies.answered(&q.code);
            let figure = if suppressed {
                Figure::Suppressed
            } else {
                question_figure(q, tallies, n, min_group)
            };
            QuestionFigures {
                code: q.code.clone(),
                text: q.text.clone(),
                kind: q.kind.name().to_string(),
                n,
                figure,
            }
        })
        .collect();
    let mut figures = ThemeFigures {
        code: theme.code.clone(),
        title: theme.title.clone(),
        respondents: tallies.respondents,
        suppressed,
        questions,
    };
    figures.withhold(&Withheld::default());
    figures
}

/// The figures of a view that disclosure control withholds beyond those with too few
/// responses of their own (see `disclosure::suppressed_views`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Withheld {
    /// The whole view.
    pub theme: bool,
    pub questions: std::collections::BTreeSet<String>,
    /// (question, matrix row).
    pub rows: std::collections::BTreeSet<(String, String)>,
}

impl ThemeFigures {
    /// Withholds what `withheld` names, and clears every count of a withheld figure (its n, the
    /// rated count, the matrix row's n), so that nothing of it leaves the server.
    pub fn withhold(&mut self, withheld: &Withheld) {
        if withheld.theme {
            self.suppressed = true;
        }
        if self.suppressed {
            self.respondents = 0;
        }
        for q in &mut self.questions {
            if self.suppressed || withheld.questions.contains(&q.code) {
                q.figure = Figure::Suppressed;
            }
            if let Figure::Matrix { rows, .. } = &mut q.figure {
                for row in rows.iter_mut() {
                    if withheld.rows.contains(&(q.code.clone(), row.code.clone())) {
                        row.cells = None;
                    }
                    if row.cells.is_none() {
                        (row.n, row.mean, row.median) = (0, None, None);
                    }
                }
            }
            if matches!(q.figure, Figure::Suppressed) {
                q.n = 0;
            }
        }
    }
}

fn too_few(n: u64, min_group: u64) -> bool {
    n == 0 || n < min_group
}

fn percent(count: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        count as f64 / n as f64 * 100.0
    }
}

fn shares(choices: &[Choice], n: u64, count_of: impl Fn(&str) -> u64) -> Vec<Share> {
    choices
        .iter()
        .map(|c| {
            let count = count_of(&c.code);
            Share {
                code: c.code.clone(),
                label: c.label.clone(),
                count,
                percent: percent(count, n),
            }
        })
        .collect()
}

fn question_figure(q: &Question, t: &Tallies, n: u64, min_group: u64) -> Figure {
    let code = q.code.as_str();
    // Numbers are suppressed by the count of parseable values instead (in `number_figure`).
    let is_number = matches!(q.kind, QuestionKind::Number { .. });
    if !is_number && too_few(n, min_group) {
        return Figure::Suppressed;
    }
    match &q.kind {
        QuestionKind::SingleChoice { .. } | QuestionKind::YesNo => Figure::Choices {
            options: shares(&q.kind.choices(), n, |c| t.count(code, "", c)),
            other_count: 0,
            others: vec![],
        },
        QuestionKind::MultipleChoice { options, other } => Figure::Choices {
            options: shares(options, n, |c| t.count(code, "", c)),
            other_count: t.values_of(code, OTHER_ROW).map(|(_, c)| c).sum(),
            others: if other.is_some() {
                t.texts.get(code).cloned().unwrap_or_default()
            } else {
                vec![]
            },
        },
        QuestionKind::Rating { min, max, .. } => {
            let options = shares(&q.kind.choices(), n, |c| t.count(code, "", c));
            let dist: Vec<(f64, u64)> =
                (*min..=*max).map(|v| (f64::from(v), t.count(code, "", &v.to_string()))).collect();
            let rated: u64 = dist.iter().map(|(_, c)| c).sum();
            // "Cannot judge" may leave too few ratings for a mean even when n suffices.
            let rated_enough = !too_few(rated, min_group);
            Figure::Rating {
                options,
                cannot_judge: t.count(code, "", CANNOT_JUDGE),
                rated,
                mean: mean(&dist).filter(|_| rated_enough),
                median: median(&dist).filter(|_| rated_enough),
            }
        }
        QuestionKind::Matrix { rows, columns } => {
            let scale = scale_values(columns);
            let rows = rows
                .iter()
                .map(|row| {
                    let count_of = |c: &str| t.count(code, &row.code, c);
                    let row_n: u64 = columns.iter().map(|c| count_of(&c.code)).sum();
                    let shown = !too_few(row_n, min_group);
                    let dist: Option<Vec<(f64, u64)>> = scale
                        .as_ref()
                        .filter(|_| shown)
                        .map(|s| s.iter().map(|(c, v)| (*v, count_of(c))).collect::<Vec<_>>())
                        .filter(|d| !too_few(d.iter().map(|(_, c)| c).sum(), min_group));
                    MatrixRow {
                        code: row.code.clone(),
                        label: row.label.clone(),
                        n: row_n,
                        cells: shown.then(|| shares(columns, row_n, count_of)),
                        mean: dist.as_deref().and_then(mean),
                        median: dist.as_deref().and_then(median),
                    }
                })
                .collect();
            Figure::Matrix { columns: columns.clone(), rows }
        }
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
            Figure::Texts { texts: t.texts.get(code).cloned().unwrap_or_default() }
        }
        QuestionKind::Number { .. } => number_figure(t, code, min_group),
    }
}

fn number_figure(t: &Tallies, code: &str, min_group: u64) -> Figure {
    let mut dist: Vec<(f64, u64)> = t
        .values_of(code, "")
        .filter_map(|(v, c)| parse_number(v, false).map(|x| (x, c)))
        .filter(|(_, c)| *c > 0)
        .collect();
    dist.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: u64 = dist.iter().map(|(_, c)| c).sum();
    if too_few(n, min_group) {
        return Figure::Suppressed;
    }
    let sum: f64 = dist.iter().map(|(v, c)| v * *c as f64).sum();
    Figure::Number { n, mean: sum / n as f64, median: median(&dist).unwrap_or(0.0), sum }
}

/// For a scale matrix (column codes are integers, apart from "cannot judge", at least two of
/// them): the numeric columns with their values, in column order. `None` otherwise.
pub fn scale_values(columns: &[Choice]) -> Option<Vec<(String, f64)>> {
    let mut out = Vec::new();
    for c in columns {
        if c.code == CANNOT_JUDGE {
            continue;
        }
        let v: i64 = c.code.parse().ok()?;
        out.push((c.code.clone(), v as f64));
    }
    (out.len() >= 2).then_some(out)
}

/// Mean of a value → count distribution; `None` when it is empty.
pub fn mean(dist: &[(f64, u64)]) -> Option<f64> {
    let n: u64 = dist.iter().map(|(_, c)| c).sum();
    (n > 0).then(|| dist.iter().map(|(v, c)| v * *c as f64).sum::<f64>() / n as f64)
}

/// Median of a value → count distribution (any order), without expanding it: the middle value,
/// or the mean of the two middle values for an even count. `None` when it is empty.
pub fn median(dist: &[(f64, u64)]) -> Option<f64> {
    let mut sorted: Vec<(f64, u64)> = dist.iter().copied().filter(|(_, c)| *c > 0).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: u64 = sorted.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    // 0-based positions of the middle element(s).
    let (lo, hi) = if n % 2 == 1 { (n / 2, n / 2) } else { (n / 2 - 1, n / 2) };
    let at = |pos: u64| {
        let mut seen = 0;
        for (v, c) in &sorted {
            seen += c;
            if pos < seen {
                return *v;
            }
        }
        sorted[sorted.len() - 1].0
    };
    Some((at(lo) + at(hi)) / 2.0)
}

/// Whether the heat map reads the question: a stock matrix or a matrix with a rating scale.
pub fn feeds_heat_map(q: &Question) -> bool {
    is_stock_matrix(q).is_some()
        || matches!(&q.kind, QuestionKind::Matrix { columns, .. } if scale_values(columns).is_some())
}

fn is_stock_matrix(q: &Question) -> Option<(&str, &[Choice])> {
    match &q.kind {
        QuestionKind::Matrix { columns, .. }
            if q.code.ends_with("_bestand")
                || columns.first().is_some_and(|c| c.code == STOCK_EXISTS) =>
        {
            Some((columns.first().map(|c| c.code.as_str()).unwrap_or(STOCK_EXISTS), columns))
        }
        _ => None,
    }
}

/// Heat-map indicator "Bestand": over the theme's stock matrices (code ending in `_bestand`, or
/// first column [`STOCK_EXISTS`]), the share in per cent of answered cells that are the first
/// ("exists") column, among all answered cells (all columns, "don't know" included).
/// The returned n is the number of respondents who answered a stock matrix (the largest
/// `answered` among them, if a theme has several). `None` when no cell was answered.
/// The caller must suppress the indicator when n < min_group.
pub fn stock_share(theme: &Theme, tallies: &Tallies) -> Option<(f64, u64)> {
    let (exists, cells) = stock_counts(theme, tallies);
    let n = theme
        .questions
        .iter()
        .filter(|q| is_stock_matrix(q).is_some())
        .map(|q| tallies.answered(&q.code))
        .max()
        .unwrap_or(0);
    (cells > 0).then(|| (percent(exists, cells), n))
}

/// The cells of the theme's stock matrices reported as existing, and all answered cells: the
/// counts behind [`stock_share`].
pub fn stock_counts(theme: &Theme, tallies: &Tallies) -> (u64, u64) {
    let (mut exists, mut cells) = (0u64, 0u64);
    for q in &theme.questions {
        let Some((exists_code, columns)) = is_stock_matrix(q) else { continue };
        let QuestionKind::Matrix { rows, .. } = &q.kind else { continue };
        for row in rows {
            for c in columns {
                let count = tallies.count(&q.code, &row.code, &c.code);
                cells += count;
                if c.code == exists_code {
                    exists += count;
                }
            }
        }
    }
    (exists, cells)
}

/// Heat-map indicator "Bedarf": the mean of all numeric ratings in the theme's scale matrices
/// (the need matrix, columns "1".."5"; "ka" excluded), all rows pooled. The returned n is the
/// number of respondents who answered a scale matrix (the largest `answered` among them).
/// `None` when there is no numeric rating. The caller must suppress when n < min_group.
pub fn mean_need(theme: &Theme, tallies: &Tallies) -> Option<(f64, u64)> {
    let n = theme
        .questions
        .iter()
        .filter(|q| matches!(&q.kind, QuestionKind::Matrix { columns, .. } if scale_values(columns).is_some()))
        .map(|q| tallies.answered(&q.code))
        .max()
        .unwrap_or(0);
    mean(&need_distribution(theme, tallies)).map(|m| (m, n))
}

/// Every numeric rating of the theme's scale matrices, all rows pooled, as value → count: the
/// distribution behind [`mean_need`].
pub fn need_distribution(theme: &Theme, tallies: &Tallies) -> Vec<(f64, u64)> {
    let mut dist = Vec::new();
    for q in &theme.questions {
        let QuestionKind::Matrix { rows, columns } = &q.kind else { continue };
        let Some(scale) = scale_values(columns) else { continue };
        for row in rows {
            dist.extend(scale.iter().map(|(c, v)| (*v, tallies.count(&q.code, &row.code, c))));
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_counts_up_to_its_limit() {
        assert_eq!(TextCount::of_search(3), TextCount::Exactly(3));
        assert_eq!(TextCount::of_search(SEARCH_COUNT_LIMIT), TextCount::Exactly(1000));
        let many = TextCount::of_search(SEARCH_COUNT_LIMIT + 1);
        assert_eq!((many, many.describe().as_str()), (TextCount::MoreThan(1000), "mehr als 1000"));
        assert!(many.exceeds(50) && many.exceeds(1000) && !many.exceeds(1001));
        assert!(TextCount::Exactly(51).exceeds(50) && !TextCount::Exactly(50).exceeds(50));
    }

    fn question(code: &str, kind: QuestionKind) -> Question {
        Question {
            code: code.into(),
            text: format!("Frage {code}"),
            help: None,
            required: false,
            kind,
            condition: None,
            reference: None,
        }
    }

    fn choices(pairs: &[(&str, &str)]) -> Vec<Choice> {
        pairs.iter().map(|(c, l)| Choice::new(*c, *l)).collect()
    }

    fn theme() -> Theme {
        let offers = choices(&[("a", "Angebot A"), ("b", "Angebot B")]);
        Theme {
            code: "t".into(),
            title: "Thema".into(),
            intro: None,
            questions: vec![
                question(
                    "einzel",
                    QuestionKind::SingleChoice {
                        options: choices(&[("x", "X"), ("y", "Y"), ("z", "Z")]),
                    },
                ),
                question(
                    "mehr",
                    QuestionKind::MultipleChoice {
                        options: choices(&[("m1", "M1"), ("m2", "M2")]),
                        other: Some("Sonstiges".into()),
                    },
                ),
                question("janein", QuestionKind::YesNo),
                question(
                    "skala",
                    QuestionKind::Rating {
                        min: 1,
                        max: 5,
                        min_label: "gering".into(),
                        max_label: "hoch".into(),
                        cannot_judge: Some("kann ich nicht beurteilen".into()),
                    },
                ),
                question(
                    "t_bestand",
                    QuestionKind::Matrix {
                        rows: offers.clone(),
                        columns: choices(&[
                            ("vorhanden", "vorhanden"),
                            ("geplant", "geplant"),
                            ("nicht_vorhanden", "nicht vorhanden"),
                            ("unbekannt", "weiß nicht"),
                        ]),
                    },
                ),
                question(
                    "t_bedarf",
                    QuestionKind::Matrix {
                        rows: offers,
                        columns: choices(&[
                            ("1", "1"),
                            ("2", "2"),
                            ("3", "3"),
                            ("4", "4"),
                            ("5", "5"),
                            ("ka", "kann ich nicht beurteilen"),
                        ]),
                    },
                ),
                question(
                    "zahl",
                    QuestionKind::Number { min: None, max: None, unit: None, integer: false },
                ),
                question("kurz", QuestionKind::ShortText { max_len: 100 }),
                question("lang", QuestionKind::LongText { max_len: 2000 }),
            ],
        }
    }

    fn tallies() -> Tallies {
        let mut t = Tallies { respondents: 10, ..Default::default() };
        let mut add = |q: &str, r: &str, v: &str, c: u64| t.add(q, r, v, c);
        // Single choice: 4 x, 2 y, 0 z (6 answered).
        add("einzel", "", "x", 4);
        add("einzel", "", "y", 2);
        // Multiple choice: 5 answered; m1 4, m2 3, 2 "other" texts.
        add("mehr", "", "m1", 4);
        add("mehr", "", "m2", 3);
        add("mehr", OTHER_ROW, "Theater", 1);
        add("mehr", OTHER_ROW, "Chor", 1);
        // Yes/no: 3 ja, 1 nein.
        add("janein", "", "ja", 3);
        add("janein", "", "nein", 1);
        // Rating: 1×1, 2×2, 1×4, 1×5 (rated 5, median 2), 2×ka.
        add("skala", "", "1", 1);
        add("skala", "", "2", 2);
        add("skala", "", "4", 1);
        add("skala", "", "5", 1);
        add("skala", "", "ka", 2);
        // Stock: row a 3 vorhanden + 1 geplant; row b 1 vorhanden + 1 unbekannt.
        add("t_bestand", "a", "vorhanden", 3);
        add("t_bestand", "a", "geplant", 1);
        add("t_bestand", "b", "vorhanden", 1);
        add("t_bestand", "b", "unbekannt", 1);
        // Need: row a 1,2,4,5 + ka (n 5, mean 3, median 3); row b 2 only (n 2, suppressed at 3).
        add("t_bedarf", "a", "1", 1);
        add("t_bedarf", "a", "2", 1);
        add("t_bedarf", "a", "4", 1);
        add("t_bedarf", "a", "5", 1);
        add("t_bedarf", "a", "ka", 1);
        add("t_bedarf", "b", "2", 2);
        // Numbers: "12", "1,5" ×2, "zwölf" (ignored), "7.5" → values 1.5, 1.5, 7.5, 12.
        add("zahl", "", "12", 1);
        add("zahl", "", "1,5", 2);
        add("zahl", "", "zwölf", 1);
        add("zahl", "", "7.5", 1);
        for (q, n) in [
            ("einzel", 6),
            ("mehr", 5),
            ("janein", 4),
            ("skala", 7),
            ("t_bestand", 4),
            ("t_bedarf", 5),
            ("zahl", 5),
            ("kurz", 3),
            ("lang", 2),
        ] {
            t.answered.insert(q.to_string(), n);
        }
        t.texts.insert("mehr".into(), vec!["Chor".into(), "Theater".into()]);
        t.texts.insert("kurz".into(), vec!["eins".into(), "zwei".into(), "drei".into()]);
        t.texts.insert("lang".into(), vec!["lang eins".into(), "lang zwei".into()]);
        t
    }

    fn figure<'a>(f: &'a ThemeFigures, code: &str) -> &'a Figure {
        &f.questions.iter().find(|q| q.code == code).unwrap().figure
    }

    fn share(code: &str, label: &str, count: u64, percent: f64) -> Share {
        Share { code: code.into(), label: label.into(), count, percent }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn theme_header_and_question_meta() {
        let f = theme_figures(&theme(), &tallies(), 3);
        assert_eq!(f.code, "t");
        assert_eq!(f.title, "Thema");
        assert_eq!(f.respondents, 10);
        assert!(!f.suppressed);
        assert_eq!(f.questions.len(), 9);
        assert_eq!(f.questions[0].kind, "single_choice");
        assert_eq!(f.questions[0].text, "Frage einzel");
        assert_eq!(f.questions[4].kind, "matrix");
        assert_eq!(f.questions[6].n, 5);
        let codes: Vec<&str> = f.questions.iter().map(|q| q.code.as_str()).collect();
        assert_eq!(
            codes,
            ["einzel", "mehr", "janein", "skala", "t_bestand", "t_bedarf", "zahl", "kurz", "lang"]
        );
    }

    #[test]
    fn single_choice_shares_in_questionnaire_order() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let Figure::Choices { options, other_count, others } = figure(&f, "einzel") else {
            panic!()
        };
        assert_eq!(options.len(), 3);
        assert_eq!(options[0], share("x", "X", 4, 4.0 / 6.0 * 100.0));
        assert_eq!(options[1], share("y", "Y", 2, 2.0 / 6.0 * 100.0));
        assert_eq!(options[2], share("z", "Z", 0, 0.0));
        assert_eq!(*other_count, 0);
        assert!(others.is_empty());
    }

    #[test]
    fn multiple_choice_percent_of_answered_and_other_texts() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let Figure::Choices { options, other_count, others } = figure(&f, "mehr") else { panic!() };
        assert_eq!(options, &vec![share("m1", "M1", 4, 80.0), share("m2", "M2", 3, 60.0)]);
        assert_eq!(*other_count, 2);
        assert_eq!(others, &vec!["Chor".to_string(), "Theater".to_string()]);
    }

    #[test]
    fn yes_no() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let Figure::Choices { options, .. } = figure(&f, "janein") else { panic!() };
        assert_eq!(options, &vec![share("ja", "Ja", 3, 75.0), share("nein", "Nein", 1, 25.0)]);
    }

    #[test]
    fn rating_counts_cannot_judge_apart() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let Figure::Rating { options, cannot_judge, rated, mean, median } = figure(&f, "skala")
        else {
            panic!()
        };
        let counts: Vec<u64> = options.iter().map(|s| s.count).collect();
        assert_eq!(counts, [1, 2, 0, 1, 1, 2]);
        assert_eq!(options[0].label, "1 – gering");
        assert_eq!(options[5].code, "ka");
        assert!(close(options[1].percent, 2.0 / 7.0 * 100.0));
        assert!(close(options[5].percent, 2.0 / 7.0 * 100.0));
        assert_eq!(*cannot_judge, 2);
        assert_eq!(*rated, 5);
        // (1 + 2 + 2 + 4 + 5) / 5 = 2.8; sorted 1 2 2 4 5 → 2.
        assert!(close(mean.unwrap(), 2.8));
        assert_eq!(*median, Some(2.0));
    }

    #[test]
    fn rating_with_only_cannot_judge_has_no_mean() {
        let th = theme();
        let mut t = Tallies { respondents: 5, ..Default::default() };
        t.add("skala", "", "ka", 4);
        t.answered.insert("skala".into(), 4);
        let f = theme_figures(&th, &t, 3);
        let Figure::Rating { rated, mean, median, cannot_judge, .. } = figure(&f, "skala") else {
            panic!()
        };
        assert_eq!((*rated, *cannot_judge), (0, 4));
        assert_eq!((*mean, *median), (None, None));
    }

    #[test]
    fn rating_mean_needs_enough_ratings_besides_cannot_judge() {
        let th = theme();
        let mut t = Tallies { respondents: 5, ..Default::default() };
        t.add("skala", "", "ka", 3);
        t.add("skala", "", "4", 2);
        t.answered.insert("skala".into(), 5);
        let f = theme_figures(&th, &t, 3);
        let Figure::Rating { options, rated, mean, median, .. } = figure(&f, "skala") else {
            panic!()
        };
        assert_eq!(*rated, 2);
        assert_eq!(options[3].count, 2, "the distribution is shown over n = 5");
        assert_eq!(
            (*mean, *median),
            (None, None),
            "a mean over two ratings would describe too few"
        );
        t.add("skala", "", "2", 1);
        t.answered.insert("skala".into(), 6);
        let f = theme_figures(&th, &t, 3);
        let Figure::Rating { mean, .. } = figure(&f, "skala") else { panic!() };
        assert!(close(mean.unwrap(), 10.0 / 3.0));
    }

    #[test]
    fn matrix_rows_with_own_suppression_and_scale_means() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let Figure::Matrix { columns, rows } = figure(&f, "t_bestand") else { panic!() };
        assert_eq!(columns.len(), 4);
        assert_eq!(rows[0].n, 4);
        let cells = rows[0].cells.as_ref().unwrap();
        assert_eq!(cells[0], share("vorhanden", "vorhanden", 3, 75.0));
        assert_eq!(cells[1], share("geplant", "geplant", 1, 25.0));
        assert_eq!(cells[3].count, 0);
        assert_eq!((rows[0].mean, rows[0].median), (None, None), "no scale");
        // Row b: n = 2 < 3.
        assert_eq!(rows[1].n, 0, "no n of a suppressed row leaves the server");
        assert_eq!(rows[1].cells, None);

        let Figure::Matrix { rows, .. } = figure(&f, "t_bedarf") else { panic!() };
        assert_eq!(rows[0].n, 5);
        let cells = rows[0].cells.as_ref().unwrap();
        assert_eq!(cells.len(), 6);
        assert_eq!(cells[5], share("ka", "kann ich nicht beurteilen", 1, 20.0));
        // 1 2 4 5 without ka: mean 3, even count → median (2 + 4) / 2 = 3.
        assert_eq!(rows[0].mean, Some(3.0));
        assert_eq!(rows[0].median, Some(3.0));
        assert_eq!(rows[1].n, 0);
        assert_eq!((rows[1].cells.as_ref(), rows[1].mean, rows[1].median), (None, None, None));
    }

    #[test]
    fn matrix_row_shown_at_min_group() {
        let f = theme_figures(&theme(), &tallies(), 2);
        let Figure::Matrix { rows, .. } = figure(&f, "t_bedarf") else { panic!() };
        assert_eq!(rows[1].cells.as_ref().unwrap()[1], share("2", "2", 2, 100.0));
        assert_eq!((rows[1].mean, rows[1].median), (Some(2.0), Some(2.0)));
    }

    #[test]
    fn number_ignores_unparseable_values() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let Figure::Number { n, mean, median, sum } = figure(&f, "zahl") else { panic!() };
        assert_eq!(*n, 4);
        assert!(close(*sum, 22.5));
        assert!(close(*mean, 22.5 / 4.0));
        // 1.5 1.5 7.5 12 → (1.5 + 7.5) / 2.
        assert_eq!(*median, 4.5);
        // The question's own n is still everyone who typed something.
        assert_eq!(f.questions[6].n, 5);
    }

    #[test]
    fn number_suppressed_by_parseable_count() {
        let th = theme();
        let mut t = Tallies { respondents: 5, ..Default::default() };
        t.add("zahl", "", "3", 2);
        t.add("zahl", "", "drei", 3);
        t.answered.insert("zahl".into(), 5);
        assert_eq!(*figure(&theme_figures(&th, &t, 3), "zahl"), Figure::Suppressed);
        t.add("zahl", "", "-1", 1);
        let f = theme_figures(&th, &t, 3);
        let Figure::Number { n, median, .. } = figure(&f, "zahl") else { panic!() };
        assert_eq!((*n, *median), (3, 3.0));
    }

    #[test]
    fn texts_in_given_order() {
        let f = theme_figures(&theme(), &tallies(), 3);
        assert_eq!(
            *figure(&f, "kurz"),
            Figure::Texts { texts: vec!["eins".into(), "zwei".into(), "drei".into()] }
        );
        // Two long texts < 3.
        assert_eq!(*figure(&f, "lang"), Figure::Suppressed);
        let f = theme_figures(&theme(), &tallies(), 2);
        assert_eq!(
            *figure(&f, "lang"),
            Figure::Texts { texts: vec!["lang eins".into(), "lang zwei".into()] }
        );
    }

    #[test]
    fn suppression_at_min_group_minus_one_versus_min_group() {
        let th = theme();
        let t = tallies();
        // janein answered by 4.
        assert_eq!(*figure(&theme_figures(&th, &t, 5), "janein"), Figure::Suppressed);
        assert!(matches!(figure(&theme_figures(&th, &t, 4), "janein"), Figure::Choices { .. }));
        // Unanswered questions are suppressed even with min_group 0.
        let empty = Tallies { respondents: 10, ..Default::default() };
        let f = theme_figures(&th, &empty, 0);
        assert!(f.questions.iter().all(|q| q.figure == Figure::Suppressed && q.n == 0));
    }

    #[test]
    fn whole_theme_suppressed_below_min_group() {
        let th = theme();
        let mut t = tallies();
        t.respondents = 2;
        let f = theme_figures(&th, &t, 3);
        assert!(f.suppressed);
        assert_eq!(f.respondents, 0);
        assert!(f.questions.iter().all(|q| q.figure == Figure::Suppressed));
        t.respondents = 3;
        assert!(!theme_figures(&th, &t, 3).suppressed);
    }

    #[test]
    fn figures_round_trip_through_json() {
        let f = theme_figures(&theme(), &tallies(), 3);
        let json = serde_json::to_string(&f).unwrap();
        let back: ThemeFigures = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn median_from_distribution() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3.0, 0)]), None);
        assert_eq!(median(&[(3.0, 1)]), Some(3.0));
        assert_eq!(median(&[(5.0, 1), (1.0, 1)]), Some(3.0));
        // 1 1 1 5 → (1 + 1) / 2.
        assert_eq!(median(&[(1.0, 3), (5.0, 1)]), Some(1.0));
        // 1 1 5 5 → 3.
        assert_eq!(median(&[(5.0, 2), (1.0, 2)]), Some(3.0));
        // 1 2 2 3 3 3 (6) → (2 + 3) / 2.
        assert_eq!(median(&[(3.0, 3), (1.0, 1), (2.0, 2)]), Some(2.5));
        assert_eq!(mean(&[(1.0, 1), (4.0, 3)]), Some(3.25));
        assert_eq!(mean(&[(1.0, 0)]), None);
    }

    #[test]
    fn scale_detection() {
        assert_eq!(
            scale_values(&choices(&[("1", "1"), ("2", "2"), ("ka", "k. A.")])),
            Some(vec![("1".into(), 1.0), ("2".into(), 2.0)])
        );
        assert_eq!(scale_values(&choices(&[("1", "1"), ("gut", "gut")])), None);
        assert_eq!(scale_values(&choices(&[("1", "1"), ("ka", "k. A.")])), None);
    }

    #[test]
    fn heat_map_indicators() {
        let th = theme();
        let t = tallies();
        // Stock cells: 3 + 1 + 1 + 1 = 6, of which vorhanden 4.
        let (share, n) = stock_share(&th, &t).unwrap();
        assert!(close(share, 4.0 / 6.0 * 100.0));
        assert_eq!(n, 4);
        // Need: 1 2 4 5 2 2 (ka excluded) → 16 / 6.
        let (m, n) = mean_need(&th, &t).unwrap();
        assert!(close(m, 16.0 / 6.0));
        assert_eq!(n, 5);
        let empty = Tallies::default();
        assert_eq!(stock_share(&th, &empty), None);
        assert_eq!(mean_need(&th, &empty), None);
        let mut only_ka = Tallies::default();
        only_ka.add("t_bedarf", "a", "ka", 3);
        assert_eq!(mean_need(&th, &only_ka), None);
    }

    #[test]
    fn heat_map_finds_default_questionnaire_matrices() {
        let q = crate::default_questionnaire::default_questionnaire();
        let theme = &q.themes[1];
        let stock = theme.questions.iter().find(|q| q.code.ends_with("_bestand")).unwrap();
        let need = theme.questions.iter().find(|q| q.code.ends_with("_bedarf")).unwrap();
        let QuestionKind::Matrix { rows, .. } = &stock.kind else { panic!() };
        let row = rows[0].code.clone();
        let mut t = Tallies { respondents: 3, ..Default::default() };
        t.add(&stock.code, &row, "vorhanden", 1);
        t.add(&stock.code, &row, "nicht_vorhanden", 3);
        t.add(&need.code, &row, "4", 2);
        t.add(&need.code, &row, "ka", 1);
        t.answered.insert(stock.code.clone(), 4);
        t.answered.insert(need.code.clone(), 3);
        assert_eq!(stock_share(theme, &t), Some((25.0, 4)));
        assert_eq!(mean_need(theme, &t), Some((4.0, 3)));
    }
}

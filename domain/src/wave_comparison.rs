//! Two waves of a series side by side: each wave's figures exactly as its own dashboard shows
//! them (disclosure control applied per wave), the difference of the later against the earlier
//! one, and a marker where the difference is larger than sampling noise would explain.
//!
//! Which numbers, so that anyone can recompute them from the two waves' raw exports:
//! - **Shares** (choices, yes/no, each column of a matrix row that is not a scale): the count
//!   of responses with that answer over n, the responses that answered the question (for a
//!   matrix: that answered the row). Difference in percentage points, later minus earlier.
//!   Marker: two-proportion z-test with the pooled share, two-sided, 5 % (|z| > 1.96); the
//!   95 % interval of the difference uses the unpooled standard error.
//! - **Means** (ratings and scale-matrix rows over their scale values, "cannot judge"
//!   excluded; numbers over the values that parse): n is the number of such values. Difference
//!   of the means, later minus earlier; Welch's standard error `sqrt(s_a²/n_a + s_b²/n_b)`
//!   with sample variances (n − 1), 95 % interval and test with the normal approximation
//!   (|d / se| > 1.96), which with small n marks somewhat too readily.
//!
//! The survey is not a random sample: whoever answered chose to. The marker says only that a
//! difference this large would be unlikely by chance if it were one, so it is a guide to what
//! deserves a closer look, not proof of a change.
//! Pure: no I/O.

use crate::dashboard::{FilterView, HeatCell, ThemeLink};
use crate::questionnaire::{Question, QuestionKind, CANNOT_JUDGE};
use crate::staff::Principal;
use crate::stats::{scale_values, Figure, MatrixRow, QuestionFigures, Share};
use crate::waves::{QuestionMatch, WaveChoice};
use serde::{Deserialize, Serialize};

/// Two-sided 5 %: the 97.5 % quantile of the standard normal distribution.
pub const Z_CRITICAL: f64 = 1.959_963_984_540_054;

/// What the page and the CSV say about the marker.
pub const NOT_RANDOM_NOTE: &str = "Die Befragung ist keine Zufallsstichprobe: Wer geantwortet hat, hat sich selbst dafür entschieden. Die Markierung „auffällig“ zeigt nur, dass ein so großer Unterschied bei einer Zufallsstichprobe selten zufällig wäre; sie ist ein Anhaltspunkt, kein Beweis einer Veränderung.";
pub const SHARE_TEST: &str =
    "Zwei-Stichproben-z-Test für Anteile (gepoolter Anteil, zweiseitig, 5 %)";
pub const MEAN_TEST: &str = "Welch-Test der Mittelwerte mit Normalnäherung (zweiseitig, 5 %)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    /// Per cent of n.
    Share,
    Mean,
}

impl Measure {
    /// The `kennzahl` of the CSV.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Share => "anteil_prozent",
            Measure::Mean => "mittelwert",
        }
    }

    pub fn test(self) -> &'static str {
        match self {
            Measure::Share => SHARE_TEST,
            Measure::Mean => MEAN_TEST,
        }
    }
}

/// One wave's figure: its value (per cent or mean), its n and, for shares, the count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub n: u64,
    pub value: f64,
    pub count: Option<u64>,
}

/// Later minus earlier (percentage points or the mean's unit), with its 95 % interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// z (shares) or Welch's statistic (means); `None` when it cannot be computed (no spread
    /// in either wave).
    pub statistic: Option<f64>,
    /// |statistic| > [`Z_CRITICAL`].
    pub notable: bool,
}

/// Shares `x_a / n_a` (earlier) against `x_b / n_b` (later); `None` without responses.
pub fn share_difference(x_a: u64, n_a: u64, x_b: u64, n_b: u64) -> Option<Difference> {
    if n_a == 0 || n_b == 0 {
        return None;
    }
    let (na, nb) = (n_a as f64, n_b as f64);
    let (pa, pb) = (x_a as f64 / na, x_b as f64 / nb);
    let pooled = (x_a + x_b) as f64 / (na + nb);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let d = pb - pa;
    let statistic = (se0 > 0.0).then(|| d / se0);
    Some(Difference {
        value: d * 100.0,
        low: (d - Z_CRITICAL * se) * 100.0,
        high: (d + Z_CRITICAL * se) * 100.0,
        statistic,
        notable: statistic.is_some_and(|z| z.abs() > Z_CRITICAL),
    })
}

/// n, mean and sample variance (n − 1) of a value → count distribution.
pub fn moments(dist: &[(f64, u64)]) -> (u64, f64, f64) {
    let n: u64 = dist.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return (0, 0.0, 0.0);
    }
    let mean = dist.iter().map(|(v, c)| v * *c as f64).sum::<f64>() / n as f64;
    let squares: f64 = dist.iter().map(|(v, c)| (v - mean).powi(2) * *c as f64).sum();
    let variance = if n > 1 { squares / (n - 1) as f64 } else { 0.0 };
    (n, mean, variance)
}

/// Means of two distributions (earlier, later); `None` when either has fewer than two values.
pub fn mean_difference(earlier: &[(f64, u64)], later: &[(f64, u64)]) -> Option<Difference> {
    let (na, ma, va) = moments(earlier);
    let (nb, mb, vb) = moments(later);
    if na < 2 || nb < 2 {
        return None;
    }
    let se = (va / na as f64 + vb / nb as f64).sqrt();
    let d = mb - ma;
    let statistic = (se > 0.0).then(|| d / se);
    Some(Difference {
        value: d,
        low: d - Z_CRITICAL * se,
        high: d + Z_CRITICAL * se,
        statistic,
        notable: statistic.is_some_and(|t| t.abs() > Z_CRITICAL),
    })
}

/// One compared figure: an option's share, a matrix cell's share or a mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparedLine {
    /// Matrix row (code and label of the later wave), if any.
    pub row: Option<(String, String)>,
    /// Option or column code of the later wave (empty for a mean).
    pub code: String,
    pub label: String,
    pub measure: Measure,
    /// `None`: that wave withholds the figure ("zu wenige Antworten").
    pub earlier: Option<Estimate>,
    pub later: Option<Estimate>,
    /// Only when both figures are shown.
    pub difference: Option<Difference>,
}

/// A question of the later wave and how it compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionComparison {
    pub code: String,
    pub text: String,
    /// The earlier wave's question it is compared with.
    pub earlier_code: Option<String>,
    /// Why it is not compared (then `lines` is empty).
    pub not_compared: Option<String>,
    pub lines: Vec<ComparedLine>,
}

fn share_estimate(share: Option<&Share>, n: u64) -> Option<Estimate> {
    share.map(|s| Estimate { n, value: s.percent, count: Some(s.count) })
}

fn share_line(
    row: Option<(String, String)>,
    later_share: &Share,
    earlier: Option<Estimate>,
    later: Option<Estimate>,
) -> ComparedLine {
    let difference = match (&earlier, &later) {
        (Some(a), Some(b)) => {
            share_difference(a.count.unwrap_or(0), a.n, b.count.unwrap_or(0), b.n)
        }
        _ => None,
    };
    ComparedLine {
        row,
        code: later_share.code.clone(),
        label: later_share.label.clone(),
        measure: Measure::Share,
        earlier,
        later,
        difference,
    }
}

fn mean_line(
    row: Option<(String, String)>,
    earlier: Option<(f64, Vec<(f64, u64)>)>,
    later: Option<(f64, Vec<(f64, u64)>)>,
) -> ComparedLine {
    let estimate = |side: &Option<(f64, Vec<(f64, u64)>)>| {
        side.as_ref().map(|(mean, dist)| Estimate {
            n: dist.iter().map(|(_, c)| c).sum(),
            value: *mean,
            count: None,
        })
    };
    let difference = match (&earlier, &later) {
        (Some((_, a)), Some((_, b))) => mean_difference(a, b),
        _ => None,
    };
    ComparedLine {
        row,
        code: String::new(),
        label: "Mittelwert".into(),
        measure: Measure::Mean,
        earlier: estimate(&earlier),
        later: estimate(&later),
        difference,
    }
}

/// A rating's scale values with their counts ("cannot judge" apart).
fn rating_dist(options: &[Share]) -> Vec<(f64, u64)> {
    options
        .iter()
        .filter(|s| s.code != CANNOT_JUDGE)
        .filter_map(|s| s.code.parse::<f64>().ok().map(|v| (v, s.count)))
        .collect()
}

/// A shown matrix row's mean with its distribution over the scale columns.
fn row_mean(row: &MatrixRow, scale: &[(String, f64)]) -> Option<(f64, Vec<(f64, u64)>)> {
    let (mean, cells) = (row.mean?, row.cells.as_ref()?);
    let dist = scale
        .iter()
        .map(|(code, v)| (*v, cells.iter().find(|c| &c.code == code).map_or(0, |c| c.count)))
        .collect();
    Some((mean, dist))
}

/// Values with their counts.
pub type Values = [(f64, u64)];

/// The lines of a later question against its match, each side as that wave's dashboard shows
/// it (a withheld figure stays withheld). `numbers` are the parseable values of a number
/// question per wave (earlier, later), needed for its spread; only read when the figure is
/// shown.
pub fn compare_question(
    later_q: &Question,
    later: &QuestionFigures,
    earlier: &QuestionFigures,
    matched: &QuestionMatch,
    numbers: (&Values, &Values),
) -> Vec<ComparedLine> {
    let pairs = &matched.values;
    match (&later_q.kind, &later.figure, &earlier.figure) {
        (QuestionKind::Rating { .. }, b, a) => {
            let side = |f: &Figure| match f {
                Figure::Rating { options, mean: Some(mean), .. } => {
                    Some((*mean, rating_dist(options)))
                }
                _ => None,
            };
            vec![mean_line(None, side(a), side(b))]
        }
        (QuestionKind::Number { .. }, b, a) => {
            let side = |f: &Figure, dist: &[(f64, u64)]| match f {
                Figure::Number { mean, .. } => Some((*mean, dist.to_vec())),
                _ => None,
            };
            vec![mean_line(None, side(a, numbers.0), side(b, numbers.1))]
        }
        (QuestionKind::Matrix { rows, columns }, b, a) => {
            let find = |f: &Figure, code: &str| match f {
                Figure::Matrix { rows, .. } => rows.iter().find(|r| r.code == code).cloned(),
                _ => None,
            };
            let scale = scale_values(columns);
            let mut lines = Vec::new();
            for (l, e) in pairs {
                let Some(label) = rows.iter().find(|r| &r.code == l) else { continue };
                let row = Some((label.code.clone(), label.label.clone()));
                let (rb, ra) = (find(b, l), find(a, e));
                if let Some(scale) = &scale {
                    let side = |r: &Option<MatrixRow>| r.as_ref().and_then(|r| row_mean(r, scale));
                    lines.push(mean_line(row, side(&ra), side(&rb)));
                    continue;
                }
                for column in columns {
                    let cell = |r: &Option<MatrixRow>| {
                        r.as_ref().and_then(|r| {
                            let n = r.n;
                            r.cells.as_ref().and_then(|cells| {
                                share_estimate(cells.iter().find(|c| c.code == column.code), n)
                            })
                        })
                    };
                    let later_share = Share {
                        code: column.code.clone(),
                        label: column.label.clone(),
                        count: 0,
                        percent: 0.0,
                    };
                    lines.push(share_line(row.clone(), &later_share, cell(&ra), cell(&rb)));
                }
            }
            lines
        }
        (_, b, a) => {
            let options = |f: &Figure| match f {
                Figure::Choices { options, .. } => Some(options.clone()),
                _ => None,
            };
            let (ob, oa) = (options(b), options(a));
            let mut lines = Vec::new();
            for (l, e) in pairs {
                let Some(choice) = later_q.kind.choices().into_iter().find(|c| &c.code == l) else {
                    continue;
                };
                let later_share =
                    Share { code: choice.code, label: choice.label, count: 0, percent: 0.0 };
                let side = |o: &Option<Vec<Share>>, code: &str, n: u64| {
                    o.as_ref().and_then(|o| share_estimate(o.iter().find(|s| s.code == code), n))
                };
                lines.push(share_line(
                    None,
                    &later_share,
                    side(&oa, e, earlier.n),
                    side(&ob, l, later.n),
                ));
            }
            lines
        }
    }
}

/// The comparison of one theme for a view: both waves' respondents and every question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeComparison {
    /// `None`: that wave withholds the whole view.
    pub earlier_respondents: Option<u64>,
    pub later_respondents: Option<u64>,
    pub questions: Vec<QuestionComparison>,
}

/// The comparison page of a theme: wave A (earlier) against wave B (later) of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonPage {
    pub me: Principal,
    pub series_title: String,
    /// The series' waves in order, for the form.
    pub waves: Vec<WaveChoice>,
    /// `None` when the form has problems (shown in `filter`).
    pub earlier: Option<WaveChoice>,
    pub later: Option<WaveChoice>,
    pub theme: ThemeLink,
    pub themes: Vec<ThemeLink>,
    /// The view (municipality or kind) and the form's problems, the waves' included.
    pub filter: FilterView,
    pub comparison: Option<ThemeComparison>,
    pub min_group: u64,
}

/// One cell of the compared heat map: both waves' cells as their heat maps show them, and the
/// differences of stock (percentage points) and need (mean) where both are shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeatComparison {
    pub earlier: HeatCell,
    pub later: HeatCell,
    pub stock: Option<Difference>,
    pub need: Option<Difference>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatComparisonRow {
    pub theme: ThemeLink,
    pub county: HeatComparison,
    pub cells: Vec<HeatComparison>,
}

/// The heat map of wave A against wave B: themes (by code, in both waves) × the county and
/// its municipalities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewComparisonPage {
    pub me: Principal,
    pub series_title: String,
    pub waves: Vec<WaveChoice>,
    pub earlier: Option<WaveChoice>,
    pub later: Option<WaveChoice>,
    pub municipalities: Vec<(String, String)>,
    pub rows: Vec<HeatComparisonRow>,
    pub filter: FilterView,
    pub min_group: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Choice;

    /// Equal to the six decimals computed by hand.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 2e-6
    }

    #[test]
    fn shares_are_tested_with_the_pooled_two_proportion_test() {
        // 30 of 100 against 45 of 100: pooled 0.375, se0 = sqrt(0.375 · 0.625 · 0.02)
        // = 0.0684653, z = 0.15 / 0.0684653 = 2.19089; unpooled se = sqrt(0.21/100 +
        // 0.2475/100) = 0.0676387, interval 15 ± 1.959964 · 6.763875 = 15 ± 13.256951.
        let d = share_difference(30, 100, 45, 100).unwrap();
        assert!(close(d.value, 15.0));
        assert!(close(d.statistic.unwrap(), 2.190_890_2), "{d:?}");
        assert!(close(d.low, 15.0 - 13.256_951), "{d:?}");
        assert!(close(d.high, 15.0 + 13.256_951));
        assert!(d.notable);
        // 3 of 10 against 5 of 10: z = 0.2 / sqrt(0.4 · 0.6 · 0.2) = 0.912871, not notable.
        let small = share_difference(3, 10, 5, 10).unwrap();
        assert!(close(small.statistic.unwrap(), 0.912_870_9) && !small.notable);
        assert!(close(small.value, 20.0));
        // Everybody in both waves: no spread, nothing to test.
        let all = share_difference(4, 4, 7, 7).unwrap();
        assert_eq!((all.value, all.statistic, all.notable), (0.0, None, false));
        assert_eq!(share_difference(0, 0, 1, 3), None);
    }

    #[test]
    fn means_are_tested_with_welch_and_the_normal_approximation() {
        // Earlier 2, 3, 4 (mean 3, variance 1), later 4, 4, 5, 5 (mean 4.5, variance 1/3):
        // se = sqrt(1/3 + 1/12) = 0.645497, statistic 1.5 / 0.645497 = 2.323790.
        let earlier = [(2.0, 1), (3.0, 1), (4.0, 1)];
        let later = [(4.0, 2), (5.0, 2)];
        assert_eq!(moments(&earlier), (3, 3.0, 1.0));
        let d = mean_difference(&earlier, &later).unwrap();
        assert!(close(d.value, 1.5));
        assert!(close(d.statistic.unwrap(), 2.323_790), "{d:?}");
        assert!(
            close(d.low, 1.5 - 1.959_964 * 0.645_497) && close(d.high, 1.5 + 1.959_964 * 0.645_497)
        );
        assert!(d.notable);
        // 1, 5 against 2, 4: difference 0, statistic 0.
        let flat = mean_difference(&[(1.0, 1), (5.0, 1)], &[(2.0, 1), (4.0, 1)]).unwrap();
        assert!(close(flat.value, 0.0) && !flat.notable);
        assert_eq!(mean_difference(&[(1.0, 1)], &later), None, "one value has no spread");
    }

    fn figures(code: &str, n: u64, figure: Figure) -> QuestionFigures {
        QuestionFigures { code: code.into(), text: code.into(), kind: String::new(), n, figure }
    }

    fn share(code: &str, count: u64, n: u64) -> Share {
        Share {
            code: code.into(),
            label: code.into(),
            count,
            percent: count as f64 / n as f64 * 100.0,
        }
    }

    #[test]
    fn a_withheld_side_shows_no_difference() {
        let q = Question {
            code: "bestand".into(),
            text: "Bestand".into(),
            help: None,
            required: false,
            kind: QuestionKind::Matrix {
                rows: vec![Choice::new("neu", "Neu"), Choice::new("b", "B")],
                columns: vec![Choice::new("ja", "ja"), Choice::new("nein", "nein")],
            },
            condition: None,
            reference: None,
        };
        let row = |code: &str, cells: Option<Vec<Share>>, n: u64| MatrixRow {
            code: code.into(),
            label: code.into(),
            n,
            cells,
            mean: None,
            median: None,
        };
        let columns = vec![Choice::new("ja", "ja"), Choice::new("nein", "nein")];
        let earlier = figures(
            "alt",
            10,
            Figure::Matrix {
                columns: columns.clone(),
                rows: vec![
                    row("a", Some(vec![share("ja", 3, 10), share("nein", 7, 10)]), 10),
                    row("b", None, 0),
                ],
            },
        );
        let later = figures(
            "bestand",
            10,
            Figure::Matrix {
                columns,
                rows: vec![
                    row("neu", Some(vec![share("ja", 5, 10), share("nein", 5, 10)]), 10),
                    row("b", Some(vec![share("ja", 4, 4), share("nein", 0, 4)]), 4),
                ],
            },
        );
        let matched = QuestionMatch {
            earlier: "alt".into(),
            values: vec![("neu".into(), "a".into()), ("b".into(), "b".into())],
        };
        let lines = compare_question(&q, &later, &earlier, &matched, (&[], &[]));
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].row.as_ref().map(|r| r.0.as_str()), Some("neu"));
        assert_eq!(lines[0].earlier.as_ref().map(|e| (e.n, e.count)), Some((10, Some(3))));
        assert!(close(lines[0].difference.as_ref().unwrap().value, 20.0));
        assert!(lines[2].earlier.is_none() && lines[2].later.is_some());
        assert!(lines[2].difference.is_none(), "a difference needs both figures");
        let suppressed = figures("bestand", 0, Figure::Suppressed);
        let none = compare_question(&q, &suppressed, &earlier, &matched, (&[], &[]));
        assert!(none.iter().all(|l| l.later.is_none() && l.difference.is_none()));
    }
}

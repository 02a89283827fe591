//! Disclosure control of the dashboards: which views exist, and which figures of them may be
//! shown so that no figure about fewer than the minimum group can be derived, whichever views
//! a reader combines (see the README, "Schutz kleiner Gruppen").
//!
//! A view is the county as a whole, one municipality, one kind of organisation or one calendar
//! month: a fixed publication lattice with one dimension at a time, so that a reader cannot
//! narrow a view step by step. Every figure rests on the responses of one *atom* each: the
//! responses that no view can tell apart (same kind, same set of municipalities, same month).
//! For one figure (a theme's respondents, a question, a matrix row) [`suppressed_views`]
//! decides which views are withheld:
//!
//! 1. primary suppression: a view with fewer than `min_group` responses behind the figure;
//! 2. pairs: two shown views A and B must not differ by fewer than `min_group` responses on
//!    either side (A \ B and B \ A), else A − B describes that small group (this also covers a
//!    view and its complement, the county);
//! 3. partitions: kinds and months each split the county; the withheld members of such a line
//!    (and the responses without a kind) must together hold none or at least `min_group`
//!    responses, else the county minus the shown members gives them;
//! 4. linear audit: no atom with fewer than `min_group` responses and no withheld view may be
//!    a linear combination of the shown views (every figure the lattice shows is a sum over
//!    atoms, so this is exactly what a reader combining any number of views can compute).
//!
//! Withholding only ever grows, one view at a time (the smallest that breaks the disclosure),
//! until all four rules hold. Pure: no I/O.

pub use crate::filter::Month;
use crate::filter::{Date, ResponseFilter, StatusFilter};
use crate::locale::days_in_month;
use crate::reference::{municipality, org_kind, WHOLE_COUNTY};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// One view of the publication lattice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum View {
    County,
    /// An AGS code: the responses serving that municipality or the whole county.
    Municipality(String),
    /// A kind of organisation's code.
    Kind(String),
    Month(Month),
}

/// Where the page explains why some views are not shown.
pub const EXPLANATION_PATH: &str = "/datenschutz#kleine-gruppen";

/// What a page says when the chosen view is withheld as a whole.
pub const VIEW_WITHHELD: &str =
    "Diese Auswahl ist zu klein: Für sie werden keine Zahlen gezeigt, weil sich sonst \
    zusammen mit anderen Ansichten Angaben über weniger Organisationen errechnen ließen, als \
    die Mindestgruppe erlaubt.";

impl View {
    /// The view a filter asks for, or why the lattice has no such view (German, at its field):
    /// one municipality, one kind or one whole calendar month, never several at once, and
    /// submitted responses only.
    pub fn from_filter(filter: &ResponseFilter) -> Result<View, FieldError> {
        let month = match (filter.from, filter.to) {
            (None, None) => None,
            (Some(from), Some(to)) if from.day == 1 && to.year == from.year && to.month == from.month && to.day == days_in_month(to.year, to.month) => {
                Some(Month { year: from.year, month: from.month })
            }
            _ => {
                return Err(FieldError::new(
                    "f-monat",
                    "Diese Auswahl ist zu klein: Zeiträume werden nur in ganzen Kalendermonaten ausgewertet. Bitte wählen Sie einen Monat.",
                ))
            }
        };
        if filter.municipalities.len() > 1 {
            return Err(FieldError::new(
                "f-gemeinde",
                "Diese Auswahl ist zu klein: Gezeigt werden eine Kommune oder der ganze Kreis, nicht mehrere Kommunen zusammen, \
                 denn aus zwei solchen Ansichten ließen sich die Antworten einzelner Organisationen errechnen.",
            ));
        }
        if filter.kinds.len() > 1 {
            return Err(FieldError::new(
                "f-art",
                "Diese Auswahl ist zu klein: Gezeigt werden eine Art der Organisation oder alle, nicht mehrere Arten zusammen, \
                 denn aus zwei solchen Ansichten ließen sich die Antworten einzelner Organisationen errechnen.",
            ));
        }
        if filter.status != StatusFilter::Submitted {
            return Err(FieldError::new(
                "f-status",
                "Ausgewertet werden nur abgeschickte Antworten.",
            ));
        }
        let chosen: Vec<View> = [
            filter.municipalities.first().map(|m| View::Municipality(m.clone())),
            filter.kinds.first().map(|k| View::Kind(k.clone())),
            month.map(View::Month),
        ]
        .into_iter()
        .flatten()
        .collect();
        match chosen.len() {
            0 => Ok(View::County),
            1 => Ok(chosen.into_iter().next().unwrap_or(View::County)),
            _ => Err(FieldError::new(
                "f-gemeinde",
                "Diese Auswahl ist zu klein: Bitte wählen Sie entweder eine Kommune, eine Art der Organisation oder einen Monat, \
                 nicht mehreres zugleich. Jede Kombination bildet kleinere Gruppen, in denen einzelne Organisationen erkennbar würden.",
            )),
        }
    }

    /// The responses of this view, as a filter of submitted responses.
    pub fn to_filter(&self) -> ResponseFilter {
        let mut filter = ResponseFilter::default();
        match self {
            View::County => {}
            View::Municipality(ags) => filter.municipalities = vec![ags.clone()],
            View::Kind(kind) => filter.kinds = vec![kind.clone()],
            View::Month(m) => {
                filter.from = Date::new(m.year, m.month, 1);
                filter.to = Date::new(m.year, m.month, days_in_month(m.year, m.month));
            }
        }
        filter
    }

    /// The URL query of this view: `gemeinde=`, `art=` or `monat=`; empty for the county.
    pub fn to_query(&self) -> String {
        match self {
            View::County => String::new(),
            View::Municipality(ags) => format!("gemeinde={ags}"),
            View::Kind(kind) => format!("art={}", crate::filter::percent_encode(kind)),
            View::Month(m) => format!("monat={}", m.to_query()),
        }
    }

    /// "ganzer Kreis", "Kommune: Kleve", "Art: Kita", "Monat: September 2026".
    pub fn describe(&self) -> String {
        match self {
            View::County => "ganzer Kreis, alle Arten, gesamter Zeitraum".to_string(),
            View::Municipality(ags) => {
                format!("Kommune: {}", municipality(ags).map(|m| m.name).unwrap_or(ags.as_str()))
            }
            View::Kind(kind) => {
                format!("Art: {}", org_kind(kind).map(|k| k.label).unwrap_or(kind.as_str()))
            }
            View::Month(m) => format!("Monat: {}", m.label()),
        }
    }
}

/// Responses that no view tells apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Atom {
    /// '' when the response names no kind.
    pub kind: String,
    /// AGS codes, or [`WHOLE_COUNTY`].
    pub places: Vec<String>,
    pub month: Month,
}

impl View {
    pub fn contains(&self, atom: &Atom) -> bool {
        match self {
            View::County => true,
            View::Municipality(ags) => atom.places.iter().any(|p| p == ags || p == WHOLE_COUNTY),
            View::Kind(kind) => &atom.kind == kind,
            View::Month(month) => &atom.month == month,
        }
    }

    fn line(&self) -> Option<u8> {
        match self {
            View::Kind(_) => Some(0),
            View::Month(_) => Some(1),
            _ => None,
        }
    }
}

/// The views of a lattice: the county, every municipality, every kind and each given month.
pub fn lattice(municipalities: &[&str], kinds: &[&str], months: &[Month]) -> Vec<View> {
    std::iter::once(View::County)
        .chain(municipalities.iter().map(|m| View::Municipality(m.to_string())))
        .chain(kinds.iter().map(|k| View::Kind(k.to_string())))
        .chain(months.iter().map(|m| View::Month(*m)))
        .collect()
}

/// Which of `views` must be withheld for one figure, given how many responses of each atom
/// stand behind it (atoms with 0 may be left out). Indices into `views`; a view with 0 responses
/// is always among them.
pub fn suppressed_views(views: &[View], atoms: &[(Atom, u64)], min_group: u64) -> BTreeSet<usize> {
    // Atoms that every view contains alike are one group to a reader: no combination of views
    // tells them apart, but their sum may be isolated. So they are audited as one, which is
    // also what keeps the audit small (one column per distinct membership, not per atom).
    let mut merged: HashMap<Vec<bool>, u64> = HashMap::new();
    for (atom, w) in atoms.iter().filter(|(_, w)| *w > 0) {
        *merged.entry(views.iter().map(|v| v.contains(atom)).collect()).or_default() += *w;
    }
    let mut groups: Vec<(Vec<bool>, u64)> = merged.into_iter().collect();
    groups.sort();
    let weights: Vec<u64> = groups.iter().map(|(_, w)| *w).collect();
    let member: Vec<Vec<bool>> =
        (0..views.len()).map(|v| groups.iter().map(|(m, _)| m[v]).collect()).collect();
    let width = weights.len();
    let n: Vec<u64> = member.iter().map(|m| weight(&weights, m)).collect();
    let mut withheld: BTreeSet<usize> =
        (0..views.len()).filter(|&v| n[v] == 0 || n[v] < min_group).collect();
    let small = |w: u64| w > 0 && w < min_group;
    // The smallest shown view among `candidates`, the county last.
    let pick = |withheld: &BTreeSet<usize>,
                candidates: &mut dyn Iterator<Item = usize>|
     -> Option<usize> {
        candidates
            .filter(|v| !withheld.contains(v))
            .min_by_key(|&v| (views[v] == View::County, n[v]))
    };
    loop {
        let shown: Vec<usize> = (0..views.len()).filter(|v| !withheld.contains(v)).collect();
        // 2. Pairs.
        let mut breach = None;
        'pairs: for (i, &a) in shown.iter().enumerate() {
            for &b in &shown[i + 1..] {
                let both = weight_both(&weights, &member[a], &member[b]);
                if small(n[a] - both) || small(n[b] - both) {
                    breach = pick(&withheld, &mut [a, b].into_iter());
                    break 'pairs;
                }
            }
        }
        // 3. Partition lines: the withheld members, and the responses outside every member.
        if breach.is_none() {
            for line in [0u8, 1] {
                let in_line: Vec<usize> =
                    (0..views.len()).filter(|&v| views[v].line() == Some(line)).collect();
                if in_line.is_empty() {
                    continue;
                }
                let outside: u64 = (0..width)
                    .filter(|&i| !in_line.iter().any(|&v| member[v][i]))
                    .map(|i| weights[i])
                    .sum();
                let hidden: u64 = outside
                    + in_line.iter().filter(|v| withheld.contains(v)).map(|&v| n[v]).sum::<u64>();
                if small(hidden) {
                    breach = pick(&withheld, &mut in_line.iter().copied().filter(|&v| n[v] > 0))
                        .or_else(|| pick(&withheld, &mut [0].into_iter()));
                    if breach.is_some() {
                        break;
                    }
                }
            }
        }
        // 4. Linear audit.
        if breach.is_none() {
            let rows: Vec<Vec<f64>> = shown.iter().map(|&v| indicator(&member[v])).collect();
            let basis = Orthonormal::of(&rows);
            let target = (0..width)
                .find(|&i| small(weights[i]) && basis.spans_unit(i))
                .map(|i| unit(width, i))
                .or_else(|| {
                    withheld
                        .iter()
                        .find(|&&s| n[s] > 0 && basis.spans(&indicator(&member[s])))
                        .map(|&s| indicator(&member[s]))
                });
            if let Some(target) = target {
                // The smallest shown view without which the target is no longer a combination;
                // the county only when nothing else helps.
                let mut candidates: Vec<usize> =
                    shown.iter().copied().filter(|&v| views[v] != View::County).collect();
                candidates.sort_by_key(|&v| n[v]);
                breach = candidates
                    .into_iter()
                    .find(|&c| {
                        let rest: Vec<Vec<f64>> = shown
                            .iter()
                            .filter(|&&v| v != c)
                            .map(|&v| indicator(&member[v]))
                            .collect();
                        !Orthonormal::of(&rest).spans(&target)
                    })
                    .or_else(|| pick(&withheld, &mut shown.iter().copied()));
            }
        }
        match breach {
            Some(v) => {
                withheld.insert(v);
            }
            None => return withheld,
        }
    }
}

fn weight(weights: &[u64], member: &[bool]) -> u64 {
    weights.iter().zip(member).filter(|(_, m)| **m).map(|(w, _)| *w).sum()
}

fn weight_both(weights: &[u64], a: &[bool], b: &[bool]) -> u64 {
    weights.iter().zip(a.iter().zip(b)).filter(|(_, (x, y))| **x && **y).map(|(w, _)| *w).sum()
}

fn indicator(member: &[bool]) -> Vec<f64> {
    member.iter().map(|&m| if m { 1.0 } else { 0.0 }).collect()
}

fn unit(len: usize, at: usize) -> Vec<f64> {
    let mut v = vec![0.0; len];
    v[at] = 1.0;
    v
}

/// An orthonormal basis of the span of some rows (modified Gram-Schmidt, each vector
/// orthogonalised twice), to test whether a vector is a linear combination of them. The rows
/// are few (one per view, a few dozen) and hold 0 and 1, so f64 is exact enough.
struct Orthonormal {
    rows: Vec<Vec<f64>>,
}

impl Orthonormal {
    fn of(rows: &[Vec<f64>]) -> Self {
        let mut basis: Vec<Vec<f64>> = Vec::new();
        for row in rows {
            let mut v = row.clone();
            let norm_before = dot(&v, &v).sqrt();
            for _ in 0..2 {
                for b in &basis {
                    let f = dot(&v, b);
                    v.iter_mut().zip(b).for_each(|(x, y)| *x -= f * y);
                }
            }
            let norm = dot(&v, &v).sqrt();
            if norm > 1e-7 * norm_before.max(1.0) {
                v.iter_mut().for_each(|x| *x /= norm);
                basis.push(v);
            }
        }
        Self { rows: basis }
    }

    fn spans(&self, v: &[f64]) -> bool {
        let mut rest = v.to_vec();
        for b in &self.rows {
            let f = dot(&rest, b);
            rest.iter_mut().zip(b).for_each(|(x, y)| *x -= f * y);
        }
        rest.iter().all(|x| x.abs() < 1e-6)
    }

    /// Whether the unit vector of column `i` is in the span: its projection onto the basis
    /// has length 1, read off column `i` alone (the basis is orthonormal).
    fn spans_unit(&self, i: usize) -> bool {
        let projected: f64 = self.rows.iter().map(|b| b[i] * b[i]).sum();
        projected > 1.0 - 1e-6
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// E-mail addresses and telephone numbers in a free text, masked before a working group reads
/// it: "[E-Mail-Adresse entfernt]", "[Telefonnummer entfernt]".
pub fn mask_contacts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_inclusive(char::is_whitespace) {
        let core = word.trim_end();
        let trail = &word[core.len()..];
        let bare = core.trim_matches(|c: char| "<>()[],;:\"'".contains(c));
        if looks_like_email(bare) {
            out.push_str(&core.replace(bare, "[E-Mail-Adresse entfernt]"));
            out.push_str(trail);
        } else {
            out.push_str(word);
        }
    }
    mask_phone_numbers(&out)
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

/// Runs of at least six digits, possibly with spaces, slashes, dashes, dots, brackets and a
/// leading "+", count as a telephone number.
fn mask_phone_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let joiner = |c: char| matches!(c, ' ' | '/' | '-' | '.' | '(' | ')');
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
            || (chars[i] == '(' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        if starts && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let mut j = i;
            let mut digits = 0;
            let mut last_digit = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || joiner(chars[j]) || (j == i && chars[j] == '+'))
            {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    last_digit = j;
                }
                j += 1;
            }
            if digits >= 6 {
                out.push_str("[Telefonnummer entfernt]");
                i = last_digit + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: u8) -> Month {
        Month { year: 2026, month: m }
    }

    fn atom(kind: &str, places: &[&str], m: u8) -> Atom {
        Atom {
            kind: kind.into(),
            places: places.iter().map(|p| p.to_string()).collect(),
            month: month(m),
        }
    }

    const KLEVE: &str = "05154036";
    const GOCH: &str = "05154016";
    const EMMERICH: &str = "05154012";

    fn views() -> Vec<View> {
        lattice(
            &[KLEVE, GOCH, EMMERICH],
            &["kita", "schule", "integrationsrat"],
            &[month(9), month(10)],
        )
    }

    fn position(views: &[View], v: &View) -> usize {
        views.iter().position(|x| x == v).unwrap()
    }

    /// An independent check of spans for the tests: the rows in reduced row echelon form.
    struct Echelon {
        rows: Vec<(usize, Vec<f64>)>,
    }

    impl Echelon {
        fn of(rows: &[Vec<f64>], width: usize) -> Self {
            let mut m: Vec<Vec<f64>> = rows.to_vec();
            let mut out: Vec<(usize, Vec<f64>)> = Vec::new();
            let mut col = 0;
            while col < width && !m.is_empty() {
                let best =
                    (0..m.len()).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()));
                let Some(best) = best.filter(|&b| m[b][col].abs() > 1e-9) else {
                    col += 1;
                    continue;
                };
                let mut pivot = m.swap_remove(best);
                let p = pivot[col];
                pivot.iter_mut().for_each(|x| *x /= p);
                for row in m.iter_mut().chain(out.iter_mut().map(|(_, r)| r)) {
                    let f = row[col];
                    if f.abs() > 1e-9 {
                        row.iter_mut().zip(&pivot).for_each(|(x, y)| *x -= f * y);
                    }
                }
                out.push((col, pivot));
                col += 1;
            }
            Self { rows: out }
        }

        fn spans(&self, v: &[f64]) -> bool {
            let mut rest = v.to_vec();
            for (col, row) in &self.rows {
                let f = rest[*col];
                if f.abs() > 1e-9 {
                    rest.iter_mut().zip(row).for_each(|(x, y)| *x -= f * y);
                }
            }
            rest.iter().all(|x| x.abs() < 1e-6)
        }
    }

    /// Every group an attacker could compute: each view's, each difference of two shown views,
    /// and each small atom whose indicator the shown views span.
    fn assert_nothing_small_derivable(views: &[View], atoms: &[(Atom, u64)], min: u64) {
        let withheld = suppressed_views(views, atoms, min);
        let member = |v: usize, a: &Atom| views[v].contains(a);
        let shown: Vec<usize> = (0..views.len()).filter(|v| !withheld.contains(v)).collect();
        for &a in &shown {
            let n: u64 = atoms.iter().filter(|(x, _)| member(a, x)).map(|(_, w)| w).sum();
            assert!(n >= min, "view {:?} shown with n = {n}", views[a]);
            for &b in &shown {
                let d: u64 = atoms
                    .iter()
                    .filter(|(x, _)| member(a, x) && !member(b, x))
                    .map(|(_, w)| w)
                    .sum();
                assert!(d == 0 || d >= min, "{:?} minus {:?} leaves {d}", views[a], views[b]);
            }
        }
        let rows: Vec<Vec<f64>> = shown
            .iter()
            .map(|&v| atoms.iter().map(|(a, _)| if member(v, a) { 1.0 } else { 0.0 }).collect())
            .collect();
        let basis = Echelon::of(&rows, atoms.len());
        for (i, (a, w)) in atoms.iter().enumerate() {
            if *w < min {
                assert!(!basis.spans(&unit(atoms.len(), i)), "atom {a:?} with {w} isolated");
            }
        }
        // Without the county, the members of a line sum to nothing shown.
        for line in [0u8, 1].into_iter().filter(|_| !withheld.contains(&0)) {
            let hidden: u64 = atoms
                .iter()
                .filter(|(a, _)| {
                    !shown.iter().any(|&v| views[v].line() == Some(line) && member(v, a))
                })
                .map(|(_, w)| w)
                .sum();
            assert!(hidden == 0 || hidden >= min, "line {line}: {hidden} hidden");
        }
    }

    #[test]
    fn a_single_organisation_of_a_kind_is_not_the_county_minus_the_other_kinds() {
        let v = views();
        let atoms = vec![
            (atom("kita", &[KLEVE], 9), 10),
            (atom("schule", &[GOCH], 9), 10),
            (atom("integrationsrat", &[KLEVE], 9), 1),
            (atom("kita", &[EMMERICH], 10), 5),
            (atom("schule", &[KLEVE], 10), 6),
        ];
        let withheld = suppressed_views(&v, &atoms, 3);
        assert!(withheld.contains(&position(&v, &View::Kind("integrationsrat".into()))));
        // County minus kita and schule would give the one Integrationsrat: one more is withheld.
        assert!(
            withheld.contains(&position(&v, &View::Kind("kita".into())))
                || withheld.contains(&position(&v, &View::Kind("schule".into())))
        );
        assert_nothing_small_derivable(&v, &atoms, 3);
    }

    #[test]
    fn a_view_close_to_the_county_is_withheld() {
        let v = views();
        // Everyone but two serves Kleve (one of them the whole county): Kleve = county − 2.
        let atoms = vec![
            (atom("kita", &[KLEVE], 9), 20),
            (atom("schule", &[WHOLE_COUNTY], 9), 20),
            (atom("kita", &[GOCH], 9), 2),
        ];
        let withheld = suppressed_views(&v, &atoms, 3);
        assert!(withheld.contains(&position(&v, &View::Municipality(KLEVE.into()))));
        assert_nothing_small_derivable(&v, &atoms, 3);
    }

    #[test]
    fn months_split_the_county_like_kinds() {
        let v = views();
        let atoms = vec![
            (atom("kita", &[KLEVE], 9), 30),
            (atom("schule", &[GOCH], 9), 30),
            (atom("kita", &[GOCH], 10), 1),
        ];
        let withheld = suppressed_views(&v, &atoms, 3);
        assert!(withheld.contains(&position(&v, &View::Month(month(10)))));
        assert!(
            withheld.contains(&position(&v, &View::Month(month(9)))),
            "September is the county minus October's one"
        );
        assert_nothing_small_derivable(&v, &atoms, 3);
    }

    #[test]
    fn combinations_of_three_views_are_audited() {
        let v = views();
        // Kita = Kleve ∪ Goch-in-October? Schule lies wholly in October in Emmerich, so
        // October − Schule is the one Kita of Goch in October.
        let atoms = vec![
            (atom("kita", &[KLEVE], 9), 12),
            (atom("kita", &[GOCH], 10), 1),
            (atom("schule", &[EMMERICH], 10), 8),
            (atom("integrationsrat", &[GOCH], 9), 9),
        ];
        assert_nothing_small_derivable(&v, &atoms, 3);
    }

    #[test]
    fn random_data_never_leaves_a_small_group_derivable() {
        // A small deterministic generator: many sparse data sets with tiny groups.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let places = [KLEVE, GOCH, EMMERICH, WHOLE_COUNTY];
        let kinds = ["kita", "schule", "integrationsrat", ""];
        for _ in 0..300 {
            let count = 1 + next(12) as usize;
            let mut atoms: Vec<(Atom, u64)> = Vec::new();
            for _ in 0..count {
                let mut ps: Vec<&str> = vec![places[next(4) as usize]];
                if next(3) == 0 {
                    ps.push(places[next(3) as usize]);
                }
                ps.sort();
                ps.dedup();
                let a = atom(kinds[next(4) as usize], &ps, 9 + next(2) as u8);
                let w = 1 + next(6);
                match atoms.iter_mut().find(|(x, _)| *x == a) {
                    Some((_, n)) => *n += w,
                    None => atoms.push((a, w)),
                }
            }
            assert_nothing_small_derivable(&views(), &atoms, 3);
        }
    }

    #[test]
    fn many_small_atoms_leave_the_county_shown() {
        // As in the demo data: about a hundred responses, most of them alone in their atom.
        let mut state: u64 = 7;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let places = [KLEVE, GOCH, EMMERICH, WHOLE_COUNTY];
        let kinds = ["kita", "schule", "integrationsrat"];
        let mut atoms: Vec<(Atom, u64)> = Vec::new();
        for _ in 0..100 {
            let a = atom(kinds[next(3) as usize], &[places[next(4) as usize]], 9 + next(2) as u8);
            match atoms.iter_mut().find(|(x, _)| *x == a) {
                Some((_, n)) => *n += 1,
                None => atoms.push((a, 1)),
            }
        }
        let v = views();
        assert!(!suppressed_views(&v, &atoms, 3).contains(&position(&v, &View::County)));
        assert_nothing_small_derivable(&v, &atoms, 3);
    }

    #[test]
    fn large_groups_keep_every_view() {
        let v = views();
        let mut atoms = Vec::new();
        for kind in ["kita", "schule", "integrationsrat"] {
            for place in [KLEVE, GOCH, EMMERICH] {
                for m in [9, 10] {
                    atoms.push((atom(kind, &[place], m), 5));
                }
            }
        }
        assert!(suppressed_views(&v, &atoms, 3).is_empty());
    }

    #[test]
    fn empty_views_are_withheld_with_the_same_wording() {
        let v = views();
        let atoms = vec![(atom("kita", &[KLEVE], 9), 5), (atom("schule", &[KLEVE], 9), 5)];
        let withheld = suppressed_views(&v, &atoms, 3);
        assert!(withheld.contains(&position(&v, &View::Municipality(GOCH.into()))));
        assert!(!withheld.contains(&position(&v, &View::County)));
        assert_nothing_small_derivable(&v, &atoms, 3);
    }

    #[test]
    fn filters_map_onto_the_lattice_or_are_refused() {
        let f = |q: &str| View::from_filter(&ResponseFilter::from_query_string(q).unwrap());
        assert_eq!(f(""), Ok(View::County));
        assert_eq!(f(&format!("gemeinde={KLEVE}")), Ok(View::Municipality(KLEVE.into())));
        assert_eq!(f("art=kita"), Ok(View::Kind("kita".into())));
        assert_eq!(f("von=2026-09-01&bis=2026-09-30"), Ok(View::Month(month(9))));
        for (query, field) in [
            (format!("gemeinde={KLEVE}&gemeinde={GOCH}"), "f-gemeinde"),
            ("art=kita&art=schule".to_string(), "f-art"),
            (format!("gemeinde={KLEVE}&art=kita"), "f-gemeinde"),
            ("von=2026-09-01&bis=2026-09-29".to_string(), "f-monat"),
            ("von=2026-09-02&bis=2026-09-30".to_string(), "f-monat"),
            ("von=2026-09-01".to_string(), "f-monat"),
            ("art=kita&von=2026-09-01&bis=2026-09-30".to_string(), "f-gemeinde"),
            ("status=entwurf".to_string(), "f-status"),
        ] {
            let error = f(&query).unwrap_err();
            assert_eq!(error.field_id, field, "{query}");
            assert!(
                error.message.starts_with("Diese Auswahl ist zu klein") || field == "f-status",
                "{query}"
            );
        }
        for view in [
            View::County,
            View::Municipality(KLEVE.into()),
            View::Kind("kita".into()),
            View::Month(month(2)),
        ] {
            assert_eq!(View::from_filter(&view.to_filter()), Ok(view.clone()));
        }
        assert_eq!(View::Month(month(9)).to_query(), "monat=2026-09");
        assert_eq!(View::Municipality(KLEVE.into()).describe(), "Kommune: Kleve");
    }

    #[test]
    fn months_parse_and_read() {
        assert_eq!(Month::parse("2026-09"), Some(month(9)));
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("26-09"), None);
        assert_eq!(month(3).label(), "März 2026");
        assert_eq!(month(9).to_query(), "2026-09");
    }

    #[test]
    fn contacts_are_masked() {
        assert_eq!(
            mask_contacts("Frau Muster, muster@kreis-kleve.de, Tel. 02821 594-123"),
            "Frau Muster, [E-Mail-Adresse entfernt], Tel. [Telefonnummer entfernt]"
        );
        assert_eq!(
            mask_contacts("<a.b@c.de> oder +49 (2821) 12345"),
            "<[E-Mail-Adresse entfernt]> oder [Telefonnummer entfernt]"
        );
        assert_eq!(
            mask_contacts("Seit 2018 drei Kurse, 12 Plätze"),
            "Seit 2018 drei Kurse, 12 Plätze"
        );
    }
}

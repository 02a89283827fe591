//! A theme under disclosure control: its kept counts per atom (municipality, kind, month)
//! and, audited on demand and remembered, which views may show each of its figures.

use crate::disclosure::{lattice, suppressed_views, Atom, Month, View};
use crate::number::parse_number;
use crate::reference::{MUNICIPALITIES, ORG_KINDS};
use crate::stats::{theme_figures, Tallies, ThemeFigures, Withheld};
use crate::{QuestionKind, Reference, Theme};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// A theme's kept counts per atom, and which of its figures each view may show.
pub struct Protected {
    lattice: Vec<View>,
    atoms: Vec<(Atom, Tallies)>,
    min_group: u64,
    /// The withheld views per figure, as audited so far.
    audited: Mutex<HashMap<FigureKey, Arc<BTreeSet<usize>>>>,
    /// The counts per view, as summed so far.
    summed: Mutex<HashMap<View, Arc<Tallies>>>,
}

/// A figure of a theme: its respondents, a question (`answered`, or a number question's
/// parseable values) or a matrix row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FigureKey {
    Respondents,
    Question(String),
    Row(String, String),
}

impl Protected {
    pub fn new(atoms: Vec<(Atom, Tallies)>, min_group: u64) -> Self {
        let months: BTreeSet<Month> = atoms.iter().map(|(a, _)| a.month).collect();
        let municipalities: Vec<&str> = MUNICIPALITIES.iter().map(|m| m.ags).collect();
        let kinds: Vec<&str> = ORG_KINDS.iter().map(|k| k.code).collect();
        let months: Vec<Month> = months.into_iter().collect();
        Self {
            lattice: lattice(&municipalities, &kinds, &months),
            atoms,
            min_group,
            audited: Mutex::default(),
            summed: Mutex::default(),
        }
    }

    /// The months with submitted responses, for the form.
    pub fn months(&self) -> Vec<Month> {
        self.lattice
            .iter()
            .filter_map(|v| if let View::Month(m) = v { Some(*m) } else { None })
            .collect()
    }

    /// Whether disclosure control withholds `view`'s figure whose responses per atom `weight`
    /// counts. A view outside the lattice (a month without responses) has nothing to show.
    fn withheld(&self, figure: FigureKey, view: &View, weight: impl Fn(&Tallies) -> u64) -> bool {
        let Some(index) = self.lattice.iter().position(|v| v == view) else { return true };
        let kept = self.audited.lock().ok().and_then(|a| a.get(&figure).cloned());
        let suppressed = kept.unwrap_or_else(|| {
            let weights: Vec<(Atom, u64)> =
                self.atoms.iter().map(|(a, t)| (a.clone(), weight(t))).collect();
            let audited = Arc::new(suppressed_views(&self.lattice, &weights, self.min_group));
            if let Ok(mut all) = self.audited.lock() {
                all.insert(figure, audited.clone());
            }
            audited
        });
        suppressed.contains(&index)
    }

    /// The counts of a view: the sum of its atoms, kept (the county sums thousands).
    pub fn tallies(&self, view: &View) -> Arc<Tallies> {
        if let Some(kept) = self.summed.lock().ok().and_then(|s| s.get(view).cloned()) {
            return kept;
        }
        let mut sum = Tallies::default();
        for (_, t) in self.atoms.iter().filter(|(a, _)| view.contains(a)) {
            merge(&mut sum, t);
        }
        let sum = Arc::new(sum);
        if let Ok(mut summed) = self.summed.lock() {
            summed.insert(view.clone(), sum.clone());
        }
        sum
    }

    /// A view's figures of `theme`, with every figure withheld that the view may not show.
    pub fn figures(&self, theme: &Theme, view: &View) -> ThemeFigures {
        let mut figures = theme_figures(theme, &self.tallies(view), self.min_group);
        figures.withhold(&self.withheld_figures(theme, view));
        figures
    }

    /// What disclosure control withholds of `theme` in `view`.
    fn withheld_figures(&self, theme: &Theme, view: &View) -> Withheld {
        let mut withheld = Withheld {
            theme: self.withheld(FigureKey::Respondents, view, |t| t.respondents),
            ..Default::default()
        };
        if withheld.theme {
            return withheld;
        }
        for q in &theme.questions {
            let code = q.code.as_str();
            let hidden = q.reference == Some(Reference::Personal)
                || match &q.kind {
                    QuestionKind::Number { .. } => {
                        self.withheld(FigureKey::Question(q.code.clone()), view, |t| {
                            parseable_numbers(t, code)
                        })
                    }
                    _ => self
                        .withheld(FigureKey::Question(q.code.clone()), view, |t| t.answered(code)),
                };
            if hidden {
                withheld.questions.insert(q.code.clone());
                continue;
            }
            if let QuestionKind::Matrix { rows, columns } = &q.kind {
                for row in rows {
                    let row_n = |t: &Tallies| {
                        columns.iter().map(|c| t.count(code, &row.code, &c.code)).sum()
                    };
                    if self.withheld(FigureKey::Row(q.code.clone(), row.code.clone()), view, row_n)
                    {
                        withheld.rows.insert((q.code.clone(), row.code.clone()));
                    }
                }
            }
        }
        withheld
    }

    /// The counts of `view` without those of withheld figures (`None`: the whole view is
    /// withheld): what the heat map may pool, so that its indicators tell nothing the shown
    /// figures do not.
    pub fn shown_tallies(&self, theme: &Theme, view: &View) -> Option<Tallies> {
        let withheld = self.withheld_figures(theme, view);
        if withheld.theme {
            return None;
        }
        let mut tallies = Tallies::clone(&self.tallies(view));
        tallies.counts.retain(|(q, r, _), _| {
            !withheld.questions.contains(q) && !withheld.rows.contains(&(q.clone(), r.clone()))
        });
        tallies.answered.retain(|q, _| !withheld.questions.contains(q));
        Some(tallies)
    }
}

fn parseable_numbers(t: &Tallies, code: &str) -> u64 {
    t.counts
        .iter()
        .filter(|((q, r, v), _)| q == code && r.is_empty() && parse_number(v, false).is_some())
        .map(|(_, c)| *c)
        .sum()
}

/// Adds the counts of `more` to `into`.
fn merge(into: &mut Tallies, more: &Tallies) {
    into.respondents += more.respondents;
    for ((q, r, v), c) in &more.counts {
        into.add(q, r, v, *c);
    }
    for (q, n) in &more.answered {
        *into.answered.entry(q.clone()).or_default() += n;
    }
}

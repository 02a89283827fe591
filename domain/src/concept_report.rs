//! The council's progress report on the integration concept (Sachstandsbericht): the measures
//! by status per theme and per municipality, what changed since a date, and the indicators
//! against their targets. Computed from the concept's chapters alone, so that every figure of
//! the page is tested without storage or HTTP.

use crate::clock::{berlin_midnight_ms, berlin_time};
use crate::concept::{date_for_reading, iso_date, value_for_reading, ConceptTheme, MeasureStatus};
use crate::locale::{format_percent, format_time};
use crate::reference::MUNICIPALITIES;
use crate::staff::{FormProblems, Principal};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// The query field (and the input's id) of the date the changes are counted from.
pub const SINCE_FIELD: &str = "seit";

pub const SINCE_MESSAGE: &str =
    "Änderungen seit: Bitte geben Sie ein Datum wie 01.01.2026 oder 2026-01-01 an.";

/// Measures per status, in the order of [`MeasureStatus::ALL`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts(pub [u32; 5]);

fn column(status: MeasureStatus) -> usize {
    match status {
        MeasureStatus::Planned => 0,
        MeasureStatus::InProgress => 1,
        MeasureStatus::Done => 2,
        MeasureStatus::Sustained => 3,
        MeasureStatus::Deferred => 4,
    }
}

impl StatusCounts {
    fn add(&mut self, status: MeasureStatus) {
        self.0[column(status)] += 1;
    }

    pub fn of(&self, status: MeasureStatus) -> u32 {
        self.0[column(status)]
    }

    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }
}

/// A row of a status table: a theme (by code) or a municipality (by AGS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRow {
    pub key: String,
    pub label: String,
    pub counts: StatusCounts,
}

/// The measures by status, per theme and per municipality.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusTables {
    /// Every theme, also those without measures, in the concept's order.
    pub by_theme: Vec<StatusRow>,
    /// Every measure once.
    pub all: StatusCounts,
    /// Every municipality; a county-wide measure counts in each.
    pub by_municipality: Vec<StatusRow>,
    /// The county-wide measures (contained in every municipality's row).
    pub county_wide: StatusCounts,
}

pub fn status_tables(themes: &[ConceptTheme]) -> StatusTables {
    let mut tables = StatusTables::default();
    let mut places: Vec<StatusRow> = MUNICIPALITIES
        .iter()
        .map(|m| StatusRow {
            key: m.ags.to_string(),
            label: m.name.to_string(),
            counts: StatusCounts::default(),
        })
        .collect();
    for theme in themes {
        let mut counts = StatusCounts::default();
        for m in theme.measures() {
            counts.add(m.status);
            tables.all.add(m.status);
            if m.county_wide {
                tables.county_wide.add(m.status);
            }
            for place in &mut places {
                if m.county_wide || m.municipalities.contains(&place.key) {
                    place.counts.add(m.status);
                }
            }
        }
        tables.by_theme.push(StatusRow {
            key: theme.code.clone(),
            label: theme.title.clone(),
            counts,
        });
    }
    tables.by_municipality = places;
    tables
}

/// What changed about a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ChangeKind {
    NewMeasure { status: MeasureStatus },
    StatusChanged { from: MeasureStatus, to: MeasureStatus },
    Note { text: String, author: String },
    IndicatorValue { indicator: String, value: f64, unit: String },
}

impl ChangeKind {
    pub fn label(&self) -> &'static str {
        match self {
            ChangeKind::NewMeasure { .. } => "Neue Maßnahme",
            ChangeKind::StatusChanged { .. } => "Stand geändert",
            ChangeKind::Note { .. } => "Fortschritt notiert",
            ChangeKind::IndicatorValue { .. } => "Neuer Indikatorwert",
        }
    }

    pub fn details(&self) -> String {
        match self {
            ChangeKind::NewMeasure { status } => format!("angelegt mit Stand „{}“", status.label()),
            ChangeKind::StatusChanged { from, to } => format!("{} → {}", from.label(), to.label()),
            ChangeKind::Note { text, author } => format!("{text} ({author})"),
            ChangeKind::IndicatorValue { indicator, value, unit } => {
                format!("{indicator}: {}", value_for_reading(*value, unit))
            }
        }
    }
}

/// One change of a measure since the report's date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The day it concerns (`YYYY-MM-DD`): a note's or value's own date, otherwise the German
    /// local date it was recorded.
    pub on: String,
    pub theme_code: String,
    pub theme_title: String,
    pub measure_id: i64,
    pub measure_title: String,
    pub what: ChangeKind,
}

impl Change {
    pub fn on_for_reading(&self) -> String {
        date_for_reading(&self.on)
    }
}

/// The German local date of an instant, `YYYY-MM-DD`.
fn local_date(ms: i64) -> String {
    let t = berlin_time(ms);
    format!("{:04}-{:02}-{:02}", t.year, t.month, t.day)
}

/// The instant German local midnight begins on an ISO date.
pub fn start_of(iso: &str) -> Option<i64> {
    let mut parts = iso.split('-').map(str::parse::<u32>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(berlin_midnight_ms(year as i64, month, day))
}

/// Everything recorded from `since` (an ISO date, German local midnight) on, oldest first:
/// new measures, changes of status (from → to), progress notes and indicator values. What
/// counts is when it was recorded, so that consecutive reports leave nothing out even when a
/// note is written down late; notes and values are shown with the date they concern.
pub fn changes_since(themes: &[ConceptTheme], since: &str) -> Vec<Change> {
    let Some(from) = start_of(since) else { return Vec::new() };
    let mut changes = Vec::new();
    for theme in themes {
        for m in theme.measures() {
            let mut push = |on: String, what: ChangeKind| {
                changes.push(Change {
                    on,
                    theme_code: theme.code.clone(),
                    theme_title: theme.title.clone(),
                    measure_id: m.id,
                    measure_title: m.title.clone(),
                    what,
                })
            };
            if m.created_at >= from {
                let status = m.status_history.first().map(|s| s.status).unwrap_or(m.status);
                push(local_date(m.created_at), ChangeKind::NewMeasure { status });
            }
            for pair in m.status_history.windows(2) {
                let (before, after) = (pair[0], pair[1]);
                if after.at >= from && before.status != after.status {
                    let what = ChangeKind::StatusChanged { from: before.status, to: after.status };
                    push(local_date(after.at), what);
                }
            }
            // Notes are kept newest first; the report reads oldest first.
            for n in m.notes.iter().rev().filter(|n| n.created_at >= from) {
                let what = ChangeKind::Note { text: n.text.clone(), author: n.author.clone() };
                push(n.noted_on.clone(), what);
            }
            for i in &m.indicators {
                for v in i.values.iter().filter(|v| v.created_at >= from) {
                    let what = ChangeKind::IndicatorValue {
                        indicator: i.name.clone(),
                        value: v.value,
                        unit: i.unit.clone(),
                    };
                    push(v.measured_on.clone(), what);
                }
            }
        }
    }
    // Stable: within a day the concept's order, and a measure's own order, stay.
    changes.sort_by(|a, b| a.on.cmp(&b.on));
    changes
}

/// How many of each kind of change, for the summary line.
pub fn change_summary(changes: &[Change]) -> String {
    let count = |kind: fn(&ChangeKind) -> bool| changes.iter().filter(|c| kind(&c.what)).count();
    let parts = [
        (count(|k| matches!(k, ChangeKind::NewMeasure { .. })), "neue Maßnahme", "neue Maßnahmen"),
        (
            count(|k| matches!(k, ChangeKind::StatusChanged { .. })),
            "Änderung des Stands",
            "Änderungen des Stands",
        ),
        (
            count(|k| matches!(k, ChangeKind::Note { .. })),
            "Notiz zum Fortschritt",
            "Notizen zum Fortschritt",
        ),
        (
            count(|k| matches!(k, ChangeKind::IndicatorValue { .. })),
            "neuer Indikatorwert",
            "neue Indikatorwerte",
        ),
    ];
    parts
        .iter()
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An indicator against its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorProgress {
    pub theme_code: String,
    pub theme_title: String,
    pub measure_id: i64,
    pub measure_title: String,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_on: Option<String>,
    pub latest: Option<f64>,
    pub latest_on: Option<String>,
    pub target: Option<f64>,
    /// How far of the way from baseline to target the latest value has come, in percent
    /// (below 0 or above 100 when it moved away or beyond).
    pub progress_percent: Option<f64>,
}

/// `None` unless baseline, latest value and target all exist and the target differs from the
/// baseline (there is no way to go otherwise).
pub fn progress_percent(
    baseline: Option<f64>,
    latest: Option<f64>,
    target: Option<f64>,
) -> Option<f64> {
    let (baseline, latest, target) = (baseline?, latest?, target?);
    let way = target - baseline;
    if way.abs() < f64::EPSILON * target.abs().max(baseline.abs()).max(1.0) {
        return None;
    }
    Some((latest - baseline) / way * 100.0)
}

impl IndicatorProgress {
    fn show(&self, value: Option<f64>, on: Option<&String>) -> String {
        match (value, on) {
            (Some(v), Some(on)) => {
                format!("{} (Stand {})", value_for_reading(v, &self.unit), date_for_reading(on))
            }
            (Some(v), None) => value_for_reading(v, &self.unit),
            (None, _) => "–".into(),
        }
    }

    pub fn baseline_text(&self) -> String {
        self.show(self.baseline, self.baseline_on.as_ref())
    }

    pub fn latest_text(&self) -> String {
        self.show(self.latest, self.latest_on.as_ref())
    }

    pub fn target_text(&self) -> String {
        self.show(self.target, None)
    }

    /// "60 %", or "–" when it cannot be computed.
    pub fn progress_text(&self) -> String {
        self.progress_percent.map(|p| format_percent(p, 0)).unwrap_or_else(|| "–".into())
    }
}

/// Every indicator of every measure, in the concept's order.
pub fn indicator_progress(themes: &[ConceptTheme]) -> Vec<IndicatorProgress> {
    let mut rows = Vec::new();
    for theme in themes {
        for m in theme.measures() {
            for i in &m.indicators {
                let latest = i.latest();
                let latest_value = latest.map(|v| v.value);
                rows.push(IndicatorProgress {
                    theme_code: theme.code.clone(),
                    theme_title: theme.title.clone(),
                    measure_id: m.id,
                    measure_title: m.title.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    baseline: i.baseline,
                    baseline_on: i.baseline_on.clone(),
                    latest: latest_value,
                    latest_on: latest.map(|v| v.measured_on.clone()),
                    target: i.target,
                    progress_percent: progress_percent(i.baseline, latest_value, i.target),
                });
            }
        }
    }
    rows
}

/// The date the changes are counted from, as `YYYY-MM-DD`: as typed (German or ISO), or the
/// start of the current year (German local time) when none is given.
pub fn since_date(typed: &str, now_ms: i64) -> Result<String, FieldError> {
    if typed.trim().is_empty() {
        return Ok(format!("{:04}-01-01", berlin_time(now_ms).year));
    }
    iso_date(typed).ok_or_else(|| FieldError::new(SINCE_FIELD, SINCE_MESSAGE))
}

/// The progress report's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReportPage {
    pub me: Principal,
    /// The form: the date as the field shows it, and its problem.
    pub form: FormProblems,
    /// The date the changes are counted from; `None` when the one typed is no date.
    pub since: Option<String>,
    /// German local time the report was made, e.g. "03.12.2026, 11:05 Uhr".
    pub as_of: String,
    pub tables: StatusTables,
    pub changes: Vec<Change>,
    pub indicators: Vec<IndicatorProgress>,
}

impl ProgressReportPage {
    /// The report of `themes` at `now_ms`, with changes since `typed_since`.
    pub fn new(me: Principal, themes: &[ConceptTheme], typed_since: &str, now_ms: i64) -> Self {
        let since = since_date(typed_since, now_ms);
        let (form, since) = match since {
            Ok(since) => (
                FormProblems { values: vec![(SINCE_FIELD.into(), since.clone())], errors: vec![] },
                Some(since),
            ),
            Err(error) => (
                FormProblems {
                    values: vec![(SINCE_FIELD.into(), typed_since.trim().to_string())],
                    errors: vec![error],
                },
                None,
            ),
        };
        ProgressReportPage {
            me,
            form,
            changes: since.as_deref().map(|s| changes_since(themes, s)).unwrap_or_default(),
            since,
            as_of: format_time(now_ms),
            tables: status_tables(themes),
            indicators: indicator_progress(themes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::berlin_midnight_ms;
    use crate::concept::{
        GoalView, IndicatorValueView, IndicatorView, MeasureView, NoteView, StatusChange,
    };
    use crate::staff::Role;

    const KLEVE: &str = "05154036";
    const GOCH: &str = "05154016";

    /// Noon (German time) of a day of 2026.
    fn day(month: u32, d: u32) -> i64 {
        berlin_midnight_ms(2026, month, d) + 12 * 3_600_000
    }

    fn measure(id: i64, title: &str, history: &[(i64, MeasureStatus)]) -> MeasureView {
        MeasureView {
            id,
            goal_id: 1,
            title: title.into(),
            description: String::new(),
            responsible: String::new(),
            responsible_registered: false,
            partners: String::new(),
            county_wide: false,
            municipalities: vec![],
            starts_on: None,
            ends_on: None,
            budget_cents: None,
            status: history.last().map(|h| h.1).unwrap_or(MeasureStatus::Planned),
            status_history: history
                .iter()
                .map(|(at, status)| StatusChange { at: *at, status: *status })
                .collect(),
            notes: vec![],
            indicators: vec![],
            revision: 1,
            created_at: history.first().map(|h| h.0).unwrap_or(0),
        }
    }

    fn theme(code: &str, title: &str, measures: Vec<MeasureView>) -> ConceptTheme {
        ConceptTheme {
            code: code.into(),
            title: title.into(),
            introduction: String::new(),
            introduction_revision: 0,
            evidence: vec![],
            findings: vec![],
            goals: vec![GoalView {
                id: 1,
                title: "Ziel".into(),
                description: String::new(),
                measures,
                revision: 1,
            }],
        }
    }

    fn indicator(
        name: &str,
        baseline: Option<f64>,
        target: Option<f64>,
        values: &[(&str, f64, i64)],
    ) -> IndicatorView {
        IndicatorView {
            id: 1,
            name: name.into(),
            unit: "Familien".into(),
            baseline,
            baseline_on: baseline.map(|_| "2025-12-01".into()),
            baseline_source: String::new(),
            baseline_evidence_id: None,
            target,
            values: values
                .iter()
                .map(|(on, value, at)| IndicatorValueView {
                    measured_on: on.to_string(),
                    value: *value,
                    created_at: *at,
                })
                .collect(),
            revision: 1,
        }
    }

    /// Two themes (one without measures): a measure in Kleve and Goch moved from planned to
    /// in progress in June, with a note and a value; a county-wide one done since March; and
    /// an old one in Goch deferred last year.
    fn concept() -> Vec<ConceptTheme> {
        let mut rucksack = measure(
            1,
            "Rucksack KiTa",
            &[(day(2, 1), MeasureStatus::Planned), (day(6, 15), MeasureStatus::InProgress)],
        );
        rucksack.municipalities = vec![GOCH.into(), KLEVE.into()];
        rucksack.notes = vec![
            NoteView {
                noted_on: "2026-06-20".into(),
                text: "Zwei Gruppen gestartet.".into(),
                author: "AG Bildung".into(),
                created_at: day(6, 21),
            },
            NoteView {
                noted_on: "2026-01-10".into(),
                text: "Auftakt.".into(),
                author: "AG Bildung".into(),
                created_at: day(1, 10),
            },
        ];
        rucksack.indicators = vec![indicator(
            "Teilnehmende Familien",
            Some(12.0),
            Some(40.0),
            &[("2026-03-31", 15.0, day(4, 1)), ("2026-06-30", 26.0, day(7, 1))],
        )];
        let mut lotsen = measure(
            2,
            "Sprachlotsen",
            &[(day(1, 5), MeasureStatus::Planned), (day(3, 1), MeasureStatus::Done)],
        );
        lotsen.county_wide = true;
        let last_year = berlin_midnight_ms(2025, 11, 1);
        let mut old = measure(3, "Elterncafé", &[(last_year, MeasureStatus::Deferred)]);
        old.municipalities = vec![GOCH.into()];
        old.indicators = vec![indicator("Besuche", Some(10.0), None, &[])];
        vec![
            theme("bildung", "Frühe Bildung", vec![rucksack, lotsen, old]),
            theme("sprache", "Sprache", vec![]),
        ]
    }

    #[test]
    fn measures_are_counted_by_status_per_theme() {
        let tables = status_tables(&concept());
        assert_eq!(tables.by_theme.len(), 2, "themes without measures are rows, too");
        let bildung = &tables.by_theme[0];
        assert_eq!(bildung.label, "Frühe Bildung");
        assert_eq!(bildung.counts.0, [0, 1, 1, 0, 1]);
        assert_eq!(bildung.counts.total(), 3);
        assert_eq!(tables.by_theme[1].counts.total(), 0);
        assert_eq!(tables.all.of(MeasureStatus::InProgress), 1);
        assert_eq!(tables.all.total(), 3);
    }

    #[test]
    fn county_wide_measures_count_for_every_municipality() {
        let tables = status_tables(&concept());
        assert_eq!(tables.by_municipality.len(), MUNICIPALITIES.len());
        let row = |ags: &str| tables.by_municipality.iter().find(|r| r.key == ags).unwrap();
        // Goch: the Rucksack (in progress), the county-wide one (done), the café (deferred).
        assert_eq!(row(GOCH).counts.0, [0, 1, 1, 0, 1]);
        assert_eq!(row(KLEVE).counts.0, [0, 1, 1, 0, 0]);
        assert_eq!(row("05154064").counts.0, [0, 0, 1, 0, 0], "Weeze: only the county-wide one");
        assert_eq!(tables.county_wide.0, [0, 0, 1, 0, 0]);
    }

    #[test]
    fn changes_since_a_date_oldest_first() {
        let since = "2026-03-01";
        let changes = changes_since(&concept(), since);
        let seen: Vec<(String, &str, String)> = changes
            .iter()
            .map(|c| (c.on_for_reading(), c.what.label(), c.what.details()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("01.03.2026".into(), "Stand geändert", "geplant → umgesetzt".into()),
                (
                    "31.03.2026".into(),
                    "Neuer Indikatorwert",
                    "Teilnehmende Familien: 15 Familien".into()
                ),
                ("15.06.2026".into(), "Stand geändert", "geplant → in Umsetzung".into()),
                (
                    "20.06.2026".into(),
                    "Fortschritt notiert",
                    "Zwei Gruppen gestartet. (AG Bildung)".into()
                ),
                (
                    "30.06.2026".into(),
                    "Neuer Indikatorwert",
                    "Teilnehmende Familien: 26 Familien".into()
                ),
            ]
        );
        assert!(changes.iter().all(|c| c.theme_title == "Frühe Bildung"));
        assert_eq!(changes[0].measure_title, "Sprachlotsen");
        assert_eq!(
            change_summary(&changes),
            "0 neue Maßnahmen, 2 Änderungen des Stands, 1 Notiz zum Fortschritt, 2 neue Indikatorwerte"
        );

        // From the start of the year: both measures are new, with the status they began with.
        let changes = changes_since(&concept(), "2026-01-01");
        let new: Vec<(&str, String)> = changes
            .iter()
            .filter(|c| matches!(c.what, ChangeKind::NewMeasure { .. }))
            .map(|c| (c.measure_title.as_str(), c.what.details()))
            .collect();
        assert_eq!(
            new,
            vec![
                ("Sprachlotsen", "angelegt mit Stand „geplant“".to_string()),
                ("Rucksack KiTa", "angelegt mit Stand „geplant“".to_string()),
            ]
        );
        assert!(!changes.iter().any(|c| c.measure_title == "Elterncafé"), "nothing this year");
        assert!(changes_since(&concept(), "2026-12-01").is_empty());
    }

    #[test]
    fn the_day_begins_at_german_midnight() {
        // A change at 23:30 UTC on 28 February is 1 March in Germany: it belongs to March.
        let late = berlin_midnight_ms(2026, 3, 1) + 30 * 60_000;
        let themes = vec![theme(
            "t",
            "T",
            vec![measure(
                1,
                "M",
                &[(day(1, 2), MeasureStatus::Planned), (late, MeasureStatus::InProgress)],
            )],
        )];
        let changes = changes_since(&themes, "2026-03-01");
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].on, "2026-03-01");
        assert!(changes_since(&themes, "2026-03-02").is_empty());
    }

    #[test]
    fn a_note_written_down_late_is_not_lost() {
        let mut m = measure(1, "M", &[(day(1, 2), MeasureStatus::Planned)]);
        m.notes = vec![NoteView {
            noted_on: "2026-02-10".into(),
            text: "Nachgetragen".into(),
            author: "A".into(),
            created_at: day(5, 2),
        }];
        let changes = changes_since(&[theme("t", "T", vec![m])], "2026-05-01");
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].on_for_reading(), "10.02.2026", "shown with its own date");
    }

    #[test]
    fn indicators_against_their_targets() {
        let rows = indicator_progress(&concept());
        assert_eq!(rows.len(), 2);
        let families = &rows[0];
        assert_eq!(families.measure_title, "Rucksack KiTa");
        // From 12 to 40 is 28; 26 is 14 of them: half the way.
        assert_eq!(families.progress_percent, Some(50.0));
        assert_eq!(families.progress_text(), "50\u{a0}%");
        assert_eq!(families.baseline_text(), "12 Familien (Stand 01.12.2025)");
        assert_eq!(families.latest_text(), "26 Familien (Stand 30.06.2026)");
        assert_eq!(families.target_text(), "40 Familien");
        let visits = &rows[1];
        assert_eq!((visits.progress_text(), visits.latest_text()), ("–".into(), "–".into()));
        assert_eq!(visits.target_text(), "–");
    }

    #[test]
    fn progress_needs_all_three_values_and_a_way_to_go() {
        assert_eq!(progress_percent(Some(10.0), Some(5.0), Some(0.0)), Some(50.0), "downwards");
        assert_eq!(progress_percent(Some(10.0), Some(12.0), Some(20.0)), Some(20.0));
        assert_eq!(progress_percent(Some(10.0), Some(8.0), Some(20.0)), Some(-20.0));
        assert_eq!(progress_percent(Some(10.0), Some(30.0), Some(20.0)), Some(200.0));
        assert_eq!(progress_percent(Some(10.0), Some(12.0), Some(10.0)), None);
        assert_eq!(progress_percent(None, Some(12.0), Some(20.0)), None);
        assert_eq!(progress_percent(Some(10.0), None, Some(20.0)), None);
        assert_eq!(progress_percent(Some(10.0), Some(12.0), None), None);
    }

    #[test]
    fn since_is_german_or_iso_and_defaults_to_the_start_of_the_year() {
        let now = day(12, 3);
        assert_eq!(since_date("", now).unwrap(), "2026-01-01");
        assert_eq!(since_date("  ", now).unwrap(), "2026-01-01");
        assert_eq!(since_date("1.6.2026", now).unwrap(), "2026-06-01");
        assert_eq!(since_date("2026-06-01", now).unwrap(), "2026-06-01");
        let error = since_date("31.02.2026", now).unwrap_err();
        assert_eq!((error.field_id.as_str(), error.message.as_str()), (SINCE_FIELD, SINCE_MESSAGE));
        // New Year's Eve after 23:00 UTC is already the new year in Germany.
        let new_year = berlin_midnight_ms(2027, 1, 1) + 60_000;
        assert_eq!(since_date("", new_year).unwrap(), "2027-01-01");
    }

    #[test]
    fn the_page_keeps_a_wrong_date_and_shows_no_changes_for_it() {
        let me = Principal {
            account_id: 1,
            email: "ki@kreis-kleve.de".into(),
            name: "KI".into(),
            role: Role::Admin,
            themes: vec![],
            csrf: String::new(),
        };
        let page = ProgressReportPage::new(me.clone(), &concept(), "morgen", day(12, 3));
        assert_eq!(page.since, None);
        assert_eq!(page.form.value(SINCE_FIELD), "morgen");
        assert_eq!(page.form.error(SINCE_FIELD).as_deref(), Some(SINCE_MESSAGE));
        assert!(page.changes.is_empty());
        assert_eq!(page.tables.all.total(), 3, "the tables do not depend on the date");
        assert_eq!(page.indicators.len(), 2);
        let page = ProgressReportPage::new(me, &concept(), "", day(12, 3));
        assert_eq!(page.since.as_deref(), Some("2026-01-01"));
        assert_eq!(page.form.value(SINCE_FIELD), "2026-01-01");
        assert!(page.form.errors.is_empty());
        assert_eq!(page.as_of, "03.12.2026, 12:00 Uhr");
        assert_eq!(page.changes.len(), 8);
    }
}

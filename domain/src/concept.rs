//! The integration concept: per theme (Handlungsfeld) the working group's findings (Befunde),
//! goals (Ziele) and measures (Maßnahmen) with their progress notes and indicators, and the
//! evidence (Belege) taken over from the dashboards. The forms' fields, their checks into
//! commands, and what the pages show.

use crate::dashboard::HeatCell;
use crate::locale::{format_decimal, format_percent, german_date, parse_date};
use crate::number::parse_number;
use crate::reference::{municipality, MUNICIPALITIES};
use crate::staff::Principal;
use crate::stats::{Figure, QuestionFigures, Share, MEAN_PLACES, PERCENT_PLACES};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// Where a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Sustained,
    Deferred,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 5] = [
        MeasureStatus::Planned,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
        MeasureStatus::Sustained,
        MeasureStatus::Deferred,
    ];

    /// As stored and as the form sends it.
    pub fn code(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "geplant",
            MeasureStatus::InProgress => "in_umsetzung",
            MeasureStatus::Done => "umgesetzt",
            MeasureStatus::Sustained => "verstetigt",
            MeasureStatus::Deferred => "zurueckgestellt",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "geplant",
            MeasureStatus::InProgress => "in Umsetzung",
            MeasureStatus::Done => "umgesetzt",
            MeasureStatus::Sustained => "verstetigt",
            MeasureStatus::Deferred => "zurückgestellt",
        }
    }
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 5_000;
/// Budgets above this are typing errors, not county measures.
const MAX_BUDGET_EUR: f64 = 1_000_000_000.0;

/// The message when someone else saved the item since the form was shown.
pub const STALE_MESSAGE: &str = "Dieser Eintrag wurde inzwischen (vermutlich von einer anderen Person) geändert. Ihre Änderung wurde nicht gespeichert, damit sie die andere nicht überschreibt. Bitte prüfen Sie den aktuellen Stand und wiederholen Sie Ihre Änderung.";

/// A calendar date as stored (`YYYY-MM-DD`, so that it sorts) from a date input or `T.M.JJJJ`.
pub fn iso_date(typed: &str) -> Option<String> {
    let (year, month, day) = parse_date(typed)?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// A stored date as people read it: `2026-03-01` → `01.03.2026`.
pub fn date_for_reading(iso: &str) -> String {
    german_date(iso).unwrap_or_else(|| iso.to_string())
}

/// An amount in euros as people read it: 12500 → "12.500,00 €".
pub fn euros_for_reading(cents: i64) -> String {
    let euros = cents / 100;
    let mut grouped = String::new();
    let digits = euros.abs().to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{grouped},{:02} €", (cents % 100).abs())
}

/// A value of an indicator as people read it, with its unit.
pub fn value_for_reading(value: f64, unit: &str) -> String {
    let places = if value.fract() == 0.0 { 0 } else { 2 };
    let number = format_decimal(value, places, true);
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
}

fn one_line(typed: &str) -> String {
    typed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A one-line title that must be given: `missing` is the message when it is not.
fn required_title(
    typed: &str,
    field: &str,
    label: &str,
    missing: &str,
    errors: &mut Vec<FieldError>,
) -> String {
    let title = one_line(typed);
    if title.is_empty() {
        errors.push(FieldError::new(field, missing));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            field,
            format!("{label}: höchstens {MAX_TITLE_CHARS} Zeichen sind möglich."),
        ));
    }
    title
}

fn bounded_text(typed: &str, field: &str, label: &str, errors: &mut Vec<FieldError>) -> String {
    let text = typed.trim().replace("\r\n", "\n");
    if text.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::new(
            field,
            format!("{label}: höchstens {MAX_TEXT_CHARS} Zeichen sind möglich."),
        ));
    }
    text
}

fn optional_date(
    typed: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let hint = "Bitte geben Sie ein Datum wie 31.12.2026 an.";
    optional(typed, field, label, hint, iso_date, errors)
}

fn optional_number(
    typed: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<f64> {
    optional(typed, field, label, NUMBER_HINT, |t| parse_number(t, false), errors)
}

/// An amount of euros: a point before three digits groups thousands, as Germans write
/// amounts ("12.500" is twelve thousand five hundred, not twelve and a half).
fn optional_euros(
    typed: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<f64> {
    optional(typed, field, label, NUMBER_HINT, |t| parse_number(t, true), errors)
}

const NUMBER_HINT: &str = "Bitte geben Sie eine Zahl an, zum Beispiel 12 oder 12,5.";

/// An optional field: empty is none, anything else must parse, else the field gets
/// "<label>: <hint>".
fn optional<T>(
    typed: &str,
    field: &str,
    label: &str,
    hint: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    if typed.trim().is_empty() {
        return None;
    }
    let value = parse(typed);
    if value.is_none() {
        errors.push(FieldError::new(field, format!("{label}: {hint}")));
    }
    value
}

/// A whole number of a form (a revision, an id); 0 when it is none, which no stored item has.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(crate::form::number(d)?.unwrap_or(0))
}

/// Form field names, shared by the pages and the checks.
pub mod fields {
    pub const TEXT: &str = "text";
    pub const EVIDENCE: &str = "beleg";
    pub const TITLE: &str = "titel";
    pub const DESCRIPTION: &str = "beschreibung";
    pub const GOAL: &str = "ziel";
    pub const RESPONSIBLE: &str = "verantwortlich";
    pub const PARTNERS: &str = "partner";
    pub const COUNTY_WIDE: &str = "kreisweit";
    pub const MUNICIPALITIES: &str = "kommunen";
    pub const STARTS: &str = "beginn";
    pub const ENDS: &str = "ende";
    pub const BUDGET: &str = "budget";
    pub const STATUS: &str = "status";
    pub const DATE: &str = "datum";
    pub const NAME: &str = "name";
    pub const UNIT: &str = "einheit";
    pub const BASELINE: &str = "ausgangswert";
    pub const BASELINE_DATE: &str = "ausgangsdatum";
    pub const BASELINE_SOURCE: &str = "quelle";
    pub const TARGET: &str = "zielwert";
    pub const VALUE: &str = "wert";
    pub const REVISION: &str = "revision";
}

/// The introduction of a theme's chapter.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IntroductionForm {
    #[serde(default, deserialize_with = "crate::form::text")]
    pub text: String,
    #[serde(default, deserialize_with = "whole_number")]
    pub revision: i64,
}

/// A finding: what the working group reads from the figures, citing evidence.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindingForm {
    #[serde(default, deserialize_with = "crate::form::text")]
    pub text: String,
    #[serde(default, rename = "beleg", deserialize_with = "crate::form::ids")]
    pub evidence: Vec<i64>,
    #[serde(default, deserialize_with = "whole_number")]
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FindingCommand {
    pub text: String,
    pub evidence: Vec<i64>,
}

impl FindingForm {
    pub fn check(&self) -> Result<FindingCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = bounded_text(&self.text, fields::TEXT, "Befund", &mut errors);
        if text.is_empty() {
            errors.push(FieldError::new(fields::TEXT, "Bitte beschreiben Sie den Befund."));
        }
        let mut evidence = self.evidence.clone();
        evidence.sort_unstable();
        evidence.dedup();
        errors.is_empty().then_some(FindingCommand { text, evidence }).ok_or(errors)
    }

    pub fn kept(&self) -> Vec<(String, String)> {
        let mut kept = vec![(fields::TEXT.to_string(), self.text.clone())];
        kept.extend(self.evidence.iter().map(|id| (fields::EVIDENCE.to_string(), id.to_string())));
        kept
    }
}

/// A goal under a theme.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoalForm {
    #[serde(default, rename = "titel", deserialize_with = "crate::form::text")]
    pub title: String,
    #[serde(default, rename = "beschreibung", deserialize_with = "crate::form::text")]
    pub description: String,
    #[serde(default, deserialize_with = "whole_number")]
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoalCommand {
    pub title: String,
    pub description: String,
}

impl GoalForm {
    pub fn check(&self) -> Result<GoalCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = required_title(
            &self.title,
            fields::TITLE,
            "Titel",
            "Bitte geben Sie den Titel des Ziels an.",
            &mut errors,
        );
        let description =
            bounded_text(&self.description, fields::DESCRIPTION, "Beschreibung", &mut errors);
        errors.is_empty().then_some(GoalCommand { title, description }).ok_or(errors)
    }

    pub fn kept(&self) -> Vec<(String, String)> {
        vec![
            (fields::TITLE.into(), self.title.clone()),
            (fields::DESCRIPTION.into(), self.description.clone()),
        ]
    }
}

/// A measure under a goal.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeasureForm {
    #[serde(default, rename = "ziel", deserialize_with = "crate::form::text")]
    pub goal: String,
    #[serde(default, rename = "titel", deserialize_with = "crate::form::text")]
    pub title: String,
    #[serde(default, rename = "beschreibung", deserialize_with = "crate::form::text")]
    pub description: String,
    #[serde(default, rename = "verantwortlich", deserialize_with = "crate::form::text")]
    pub responsible: String,
    #[serde(default, rename = "partner", deserialize_with = "crate::form::text")]
    pub partners: String,
    #[serde(default, rename = "kreisweit", deserialize_with = "crate::form::text")]
    pub county_wide: String,
    #[serde(default, rename = "kommunen", deserialize_with = "crate::form::texts")]
    pub municipalities: Vec<String>,
    #[serde(default, rename = "beginn", deserialize_with = "crate::form::text")]
    pub starts: String,
    #[serde(default, rename = "ende", deserialize_with = "crate::form::text")]
    pub ends: String,
    #[serde(default, deserialize_with = "crate::form::text")]
    pub budget: String,
    #[serde(default, deserialize_with = "crate::form::text")]
    pub status: String,
    #[serde(default, deserialize_with = "whole_number")]
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasureCommand {
    pub goal_id: i64,
    pub title: String,
    pub description: String,
    /// As typed; the store links it to the register when a registered organisation has
    /// exactly this name.
    pub responsible: String,
    pub partners: String,
    pub county_wide: bool,
    /// AGS, sorted; empty when county-wide.
    pub municipalities: Vec<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub budget_cents: Option<i64>,
    pub status: MeasureStatus,
}

/// The id of a measure form's first municipality box, where problems of the list are shown.
pub fn municipalities_field() -> String {
    format!("{}-{}", fields::MUNICIPALITIES, MUNICIPALITIES[0].ags)
}

impl MeasureForm {
    pub fn check(&self) -> Result<MeasureCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let goal_id = self.goal.trim().parse::<i64>().unwrap_or(0);
        if goal_id <= 0 {
            errors.push(FieldError::new(fields::GOAL, "Bitte wählen Sie das Ziel der Maßnahme."));
        }
        let title = required_title(
            &self.title,
            fields::TITLE,
            "Titel",
            "Bitte geben Sie den Titel der Maßnahme an.",
            &mut errors,
        );
        let description =
            bounded_text(&self.description, fields::DESCRIPTION, "Beschreibung", &mut errors);
        let responsible = one_line(&self.responsible);
        if responsible.chars().count() > MAX_TITLE_CHARS {
            errors.push(FieldError::new(
                fields::RESPONSIBLE,
                format!("Verantwortlich: höchstens {MAX_TITLE_CHARS} Zeichen sind möglich."),
            ));
        }
        let partners = bounded_text(&self.partners, fields::PARTNERS, "Partner", &mut errors);
        let county_wide = !self.county_wide.trim().is_empty();
        let mut municipalities: Vec<String> = self
            .municipalities
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        municipalities.sort();
        municipalities.dedup();
        if municipalities.iter().any(|a| municipality(a).is_none()) {
            errors.push(FieldError::new(
                municipalities_field(),
                "Eine gewählte Kommune ist unbekannt.",
            ));
        } else if county_wide && !municipalities.is_empty() {
            errors.push(FieldError::new(
                municipalities_field(),
                "Bitte wählen Sie entweder „kreisweit“ oder einzelne Kommunen, nicht beides.",
            ));
        } else if !county_wide && municipalities.is_empty() {
            errors.push(FieldError::new(
                municipalities_field(),
                "Bitte wählen Sie die betroffenen Kommunen oder „kreisweit“.",
            ));
        }
        let starts_on = optional_date(&self.starts, fields::STARTS, "Beginn", &mut errors);
        let ends_on = optional_date(&self.ends, fields::ENDS, "Ende", &mut errors);
        if let (Some(start), Some(end)) = (&starts_on, &ends_on) {
            if end < start {
                errors.push(FieldError::new(fields::ENDS, "Ende: Das Ende liegt vor dem Beginn."));
            }
        }
        let budget_cents = match optional_euros(&self.budget, fields::BUDGET, "Budget", &mut errors)
        {
            Some(euros) if !(0.0..=MAX_BUDGET_EUR).contains(&euros) => {
                errors.push(FieldError::new(
                    fields::BUDGET,
                    "Budget: Bitte geben Sie einen Betrag ab 0 Euro an.",
                ));
                None
            }
            Some(euros) => Some((euros * 100.0).round() as i64),
            None => None,
        };
        let status = MeasureStatus::parse(self.status.trim()).unwrap_or_else(|| {
            errors
                .push(FieldError::new(fields::STATUS, "Bitte wählen Sie den Stand der Maßnahme."));
            MeasureStatus::Planned
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(MeasureCommand {
            goal_id,
            title,
            description,
            responsible,
            partners,
            county_wide,
            municipalities,
            starts_on,
            ends_on,
            budget_cents,
            status,
        })
    }

    pub fn kept(&self) -> Vec<(String, String)> {
        let mut kept: Vec<(String, String)> = [
            (fields::GOAL, &self.goal),
            (fields::TITLE, &self.title),
            (fields::DESCRIPTION, &self.description),
            (fields::RESPONSIBLE, &self.responsible),
            (fields::PARTNERS, &self.partners),
            (fields::COUNTY_WIDE, &self.county_wide),
            (fields::STARTS, &self.starts),
            (fields::ENDS, &self.ends),
            (fields::BUDGET, &self.budget),
            (fields::STATUS, &self.status),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
        kept.extend(
            self.municipalities.iter().map(|a| (fields::MUNICIPALITIES.to_string(), a.clone())),
        );
        kept
    }
}

/// A dated note on a measure's timeline.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoteForm {
    #[serde(default, rename = "datum", deserialize_with = "crate::form::text")]
    pub date: String,
    #[serde(default, deserialize_with = "crate::form::text")]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteCommand {
    pub noted_on: String,
    pub text: String,
}

impl NoteForm {
    pub fn check(&self) -> Result<NoteCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let noted_on = optional_date(&self.date, fields::DATE, "Datum", &mut errors);
        if self.date.trim().is_empty() {
            errors.push(FieldError::new(fields::DATE, "Bitte geben Sie das Datum an."));
        }
        let text = bounded_text(&self.text, fields::TEXT, "Notiz", &mut errors);
        if text.is_empty() {
            errors.push(FieldError::new(fields::TEXT, "Bitte beschreiben Sie den Fortschritt."));
        }
        match noted_on {
            Some(noted_on) if errors.is_empty() => Ok(NoteCommand { noted_on, text }),
            _ => Err(errors),
        }
    }

    pub fn kept(&self) -> Vec<(String, String)> {
        vec![(fields::DATE.into(), self.date.clone()), (fields::TEXT.into(), self.text.clone())]
    }
}

/// An indicator of a measure: what is measured, from where to where.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndicatorForm {
    #[serde(default, deserialize_with = "crate::form::text")]
    pub name: String,
    #[serde(default, rename = "einheit", deserialize_with = "crate::form::text")]
    pub unit: String,
    #[serde(default, rename = "ausgangswert", deserialize_with = "crate::form::text")]
    pub baseline: String,
    #[serde(default, rename = "ausgangsdatum", deserialize_with = "crate::form::text")]
    pub baseline_date: String,
    #[serde(default, rename = "quelle", deserialize_with = "crate::form::text")]
    pub baseline_source: String,
    /// An evidence snapshot of the theme as the baseline's source.
    #[serde(default, rename = "beleg", deserialize_with = "crate::form::text")]
    pub baseline_evidence: String,
    #[serde(default, rename = "zielwert", deserialize_with = "crate::form::text")]
    pub target: String,
    #[serde(default, deserialize_with = "whole_number")]
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCommand {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_on: Option<String>,
    pub baseline_source: String,
    pub baseline_evidence_id: Option<i64>,
    pub target: Option<f64>,
}

impl IndicatorForm {
    pub fn check(&self) -> Result<IndicatorCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_title(
            &self.name,
            fields::NAME,
            "Name",
            "Bitte geben Sie den Namen des Indikators an.",
            &mut errors,
        );
        let unit = one_line(&self.unit);
        if unit.chars().count() > 40 {
            errors
                .push(FieldError::new(fields::UNIT, "Einheit: höchstens 40 Zeichen sind möglich."));
        }
        let baseline =
            optional_number(&self.baseline, fields::BASELINE, "Ausgangswert", &mut errors);
        let baseline_on = optional_date(
            &self.baseline_date,
            fields::BASELINE_DATE,
            "Stand des Ausgangswerts",
            &mut errors,
        );
        let baseline_source = one_line(&self.baseline_source);
        if baseline_source.chars().count() > MAX_TITLE_CHARS {
            errors.push(FieldError::new(
                fields::BASELINE_SOURCE,
                format!("Quelle: höchstens {MAX_TITLE_CHARS} Zeichen sind möglich."),
            ));
        }
        let baseline_evidence_id = self.baseline_evidence.trim().parse::<i64>().ok();
        let target = optional_number(&self.target, fields::TARGET, "Zielwert", &mut errors);
        if baseline.is_some() && baseline_on.is_none() && baseline_evidence_id.is_none() {
            errors.push(FieldError::new(
                fields::BASELINE_DATE,
                "Stand des Ausgangswerts: Bitte geben Sie an, von wann der Ausgangswert ist.",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(IndicatorCommand {
            name,
            unit,
            baseline,
            baseline_on,
            baseline_source,
            baseline_evidence_id,
            target,
        })
    }

    pub fn kept(&self) -> Vec<(String, String)> {
        [
            (fields::NAME, &self.name),
            (fields::UNIT, &self.unit),
            (fields::BASELINE, &self.baseline),
            (fields::BASELINE_DATE, &self.baseline_date),
            (fields::BASELINE_SOURCE, &self.baseline_source),
            (fields::EVIDENCE, &self.baseline_evidence),
            (fields::TARGET, &self.target),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

/// A later value of an indicator.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndicatorValueForm {
    #[serde(default, rename = "datum", deserialize_with = "crate::form::text")]
    pub date: String,
    #[serde(default, rename = "wert", deserialize_with = "crate::form::text")]
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValueCommand {
    pub measured_on: String,
    pub value: f64,
}

impl IndicatorValueForm {
    pub fn check(&self) -> Result<IndicatorValueCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.date.trim().is_empty() {
            errors.push(FieldError::new(fields::DATE, "Bitte geben Sie das Datum des Werts an."));
        }
        let measured_on = optional_date(&self.date, fields::DATE, "Datum", &mut errors);
        if self.value.trim().is_empty() {
            errors.push(FieldError::new(fields::VALUE, "Bitte geben Sie den Wert an."));
        }
        let value = optional_number(&self.value, fields::VALUE, "Wert", &mut errors);
        match (measured_on, value) {
            (Some(measured_on), Some(value)) if errors.is_empty() => {
                Ok(IndicatorValueCommand { measured_on, value })
            }
            _ => Err(errors),
        }
    }

    pub fn kept(&self) -> Vec<(String, String)> {
        vec![(fields::DATE.into(), self.date.clone()), (fields::VALUE.into(), self.value.clone())]
    }
}

/// Which figure of the dashboards to take over as evidence. Only identifiers: the server
/// computes the value itself, as the page showed it, so that nothing else can be stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceForm {
    #[serde(default, deserialize_with = "whole_number")]
    pub fragebogen: i64,
    #[serde(default, deserialize_with = "crate::form::text")]
    pub thema: String,
    /// The question; empty for a heat-map cell (the theme's stock and need).
    #[serde(default, deserialize_with = "crate::form::text")]
    pub frage: String,
    /// The option or matrix row (`row` or `row:column`); empty for the question as a whole.
    #[serde(default, deserialize_with = "crate::form::text")]
    pub eintrag: String,
    /// The view, as the dashboard's query (`gemeinde=…`, `art=…`, `monat=…`).
    #[serde(default, deserialize_with = "crate::form::text")]
    pub ansicht: String,
}

/// An evidence snapshot: a figure as the dashboard showed it on the day it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceSnapshot {
    pub theme_code: String,
    pub questionnaire_id: i64,
    pub questionnaire_title: String,
    /// Empty for a heat-map cell.
    pub question_code: String,
    pub question_text: String,
    pub item_code: String,
    pub item_label: String,
    /// The view's query (for the link to today's figure) and its description.
    pub view_query: String,
    pub view_description: String,
    /// The value as the page showed it, e.g. "38 % (5 von 13)".
    pub value_text: String,
    /// The value as a number (percent or mean), for indicators' baselines.
    pub value: Option<f64>,
    pub n: u64,
}

impl EvidenceSnapshot {
    /// Today's figure on the dashboards.
    pub fn live_href(&self) -> String {
        let mut href = if self.question_code.is_empty() {
            format!("/auswertung?fragebogen={}", self.questionnaire_id)
        } else {
            format!("/auswertung/{}?fragebogen={}", self.theme_code, self.questionnaire_id)
        };
        if !self.view_query.is_empty() {
            href.push('&');
            href.push_str(&self.view_query);
        }
        if !self.question_code.is_empty() {
            href.push_str(&format!("#fig-{}-frage", self.question_code));
        }
        href
    }

    /// The length of its bar in a chart: the share in percent, for values that are shares (a
    /// mean has no common scale, so it is written, not drawn).
    pub fn bar_percent(&self) -> Option<f64> {
        self.value.filter(|_| self.value_text.contains('%')).map(|v| v.clamp(0.0, 100.0))
    }

    /// One line naming the figure: "Frage – Eintrag, Ansicht".
    pub fn describe(&self) -> String {
        let mut what = self.question_text.clone();
        if !self.item_label.is_empty() {
            what.push_str(&format!(" – {}", self.item_label));
        }
        format!("{what} ({})", self.view_description)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: i64,
    pub snapshot: EvidenceSnapshot,
    /// German local time of the snapshot.
    pub taken_at: String,
    pub taken_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingView {
    pub id: i64,
    pub text: String,
    pub evidence: Vec<i64>,
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    pub noted_on: String,
    pub text: String,
    pub author: String,
    /// When it was written down (ms, UTC), which may be long after `noted_on`.
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValueView {
    pub measured_on: String,
    pub value: f64,
    /// When it was recorded (ms, UTC).
    pub created_at: i64,
}

/// A measure's status from a moment on: the first is the status it was created with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// ms, UTC
    pub at: i64,
    pub status: MeasureStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_on: Option<String>,
    pub baseline_source: String,
    pub baseline_evidence_id: Option<i64>,
    pub target: Option<f64>,
    /// Later values, oldest first.
    pub values: Vec<IndicatorValueView>,
    pub revision: i64,
}

impl IndicatorView {
    /// The newest value, if any.
    pub fn latest(&self) -> Option<&IndicatorValueView> {
        self.values.last()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureView {
    pub id: i64,
    pub goal_id: i64,
    pub title: String,
    pub description: String,
    pub responsible: String,
    /// The responsible organisation is one of the register.
    pub responsible_registered: bool,
    pub partners: String,
    pub county_wide: bool,
    /// AGS of the municipalities concerned (empty when county-wide).
    pub municipalities: Vec<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub budget_cents: Option<i64>,
    pub status: MeasureStatus,
    /// Oldest first, beginning with the status it was created with.
    pub status_history: Vec<StatusChange>,
    /// Newest first.
    pub notes: Vec<NoteView>,
    pub indicators: Vec<IndicatorView>,
    pub revision: i64,
    /// ms, UTC
    pub created_at: i64,
}

impl MeasureView {
    /// "kreisweit" or the municipalities' names.
    pub fn where_(&self) -> String {
        if self.county_wide {
            return "kreisweit".into();
        }
        self.municipalities
            .iter()
            .map(|a| municipality(a).map(|m| m.name.to_string()).unwrap_or_else(|| a.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "01.03.2026 – 31.12.2027", open ends shown as such.
    pub fn period(&self) -> String {
        match (&self.starts_on, &self.ends_on) {
            (None, None) => "offen".into(),
            (Some(s), None) => format!("ab {}", date_for_reading(s)),
            (None, Some(e)) => format!("bis {}", date_for_reading(e)),
            (Some(s), Some(e)) => format!("{} – {}", date_for_reading(s), date_for_reading(e)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub measures: Vec<MeasureView>,
    pub revision: i64,
}

/// One theme's chapter of the concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptTheme {
    pub code: String,
    pub title: String,
    pub introduction: String,
    pub introduction_revision: i64,
    pub evidence: Vec<EvidenceView>,
    pub findings: Vec<FindingView>,
    pub goals: Vec<GoalView>,
}

impl ConceptTheme {
    pub fn evidence(&self, id: i64) -> Option<&EvidenceView> {
        self.evidence.iter().find(|e| e.id == id)
    }

    pub fn measures(&self) -> impl Iterator<Item = &MeasureView> {
        self.goals.iter().flat_map(|g| g.measures.iter())
    }
}

/// A theme's workspace for its working group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspacePage {
    pub me: Principal,
    pub theme: ConceptTheme,
    /// The signed-in user may change this theme (its working group, or the KI).
    pub can_edit: bool,
    /// The other themes, for the navigation: (code, title).
    pub themes: Vec<(String, String)>,
}

/// The whole concept, theme by theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptPage {
    pub me: Principal,
    pub themes: Vec<ConceptTheme>,
    /// Local date of the document, e.g. "03.12.2026".
    pub as_of: String,
}

/// A figure's value as the dashboard shows it, ready to become evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownValue {
    pub item_label: String,
    pub value_text: String,
    pub value: Option<f64>,
    pub n: u64,
}

fn share_value(label: String, share: &Share, n: u64) -> ShownValue {
    ShownValue {
        item_label: label,
        value_text: format!(
            "{} ({} von {n})",
            format_percent(share.percent, PERCENT_PLACES),
            share.count
        ),
        value: Some(share.percent),
        n,
    }
}

fn mean_value(label: String, mean: f64, n: u64) -> ShownValue {
    ShownValue {
        item_label: label,
        value_text: format!("Mittelwert {} (n = {n})", format_decimal(mean, MEAN_PLACES, true)),
        value: Some(mean),
        n,
    }
}

/// Every value of a figure that can be taken over as evidence, by item code: the options of a
/// choice, a rating's mean (item "") and options, a matrix row's mean (item = row) and cells
/// (`row:column`), a number's mean. Nothing of a suppressed figure or row, and no free texts:
/// only what the page shows.
pub fn shown_values(q: &QuestionFigures) -> Vec<(String, ShownValue)> {
    let mut values = Vec::new();
    match &q.figure {
        Figure::Suppressed | Figure::Texts { .. } => {}
        Figure::Choices { options, .. } => {
            for o in options {
                values.push((o.code.clone(), share_value(o.label.clone(), o, q.n)));
            }
        }
        Figure::Rating { options, rated, mean, .. } => {
            if let Some(mean) = mean {
                values.push((String::new(), mean_value(String::new(), *mean, *rated)));
            }
            for o in options {
                values.push((o.code.clone(), share_value(o.label.clone(), o, q.n)));
            }
        }
        Figure::Matrix { rows, .. } => {
            for row in rows {
                let Some(cells) = &row.cells else { continue };
                if let Some(mean) = row.mean {
                    values.push((row.code.clone(), mean_value(row.label.clone(), mean, row.n)));
                }
                for cell in cells {
                    let label = format!("{} – {}", row.label, cell.label);
                    values.push((
                        format!("{}:{}", row.code, cell.code),
                        share_value(label, cell, row.n),
                    ));
                }
            }
        }
        Figure::Number { n, mean, .. } => {
            values.push((String::new(), mean_value(String::new(), *mean, *n)));
        }
    }
    values
}

/// The value of a heat-map cell as the overview shows it; `None` when it is withheld.
pub fn shown_heat_value(cell: &HeatCell, municipality_name: &str) -> Option<ShownValue> {
    if cell.suppressed || (cell.stock_percent.is_none() && cell.need_mean.is_none()) {
        return None;
    }
    let stock = cell
        .stock_percent
        .map(|p| format!("Bestand {}", format_percent(p, PERCENT_PLACES)))
        .unwrap_or_else(|| "Bestand –".into());
    let need = cell
        .need_mean
        .map(|m| format!("Bedarf {}", format_decimal(m, MEAN_PLACES, true)))
        .unwrap_or_else(|| "Bedarf –".into());
    Some(ShownValue {
        item_label: municipality_name.to_string(),
        value_text: format!("{stock}, {need} (n = {})", cell.n),
        value: cell.stock_percent,
        n: cell.n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_stored_sortable_and_read_in_german() {
        assert_eq!(iso_date("2026-03-01").as_deref(), Some("2026-03-01"));
        assert_eq!(iso_date(" 1.3.2026 ").as_deref(), Some("2026-03-01"));
        assert_eq!(iso_date("29.02.2025"), None);
        assert_eq!(iso_date("morgen"), None);
        assert_eq!(date_for_reading("2026-03-01"), "01.03.2026");
    }

    #[test]
    fn euros_are_grouped_with_points_and_a_decimal_comma() {
        assert_eq!(euros_for_reading(1_250_000), "12.500,00 €");
        assert_eq!(euros_for_reading(99), "0,99 €");
        assert_eq!(euros_for_reading(10_000_000_005), "100.000.000,05 €");
    }

    fn measure_form() -> MeasureForm {
        MeasureForm {
            goal: "3".into(),
            title: "  Sprachmittlerpool   ausbauen ".into(),
            status: "in_umsetzung".into(),
            municipalities: vec!["05154036".into(), "05154016".into(), "05154036".into()],
            starts: "1.3.2026".into(),
            ends: "2027-12-31".into(),
            budget: "12.500,50".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_measure_is_checked_into_a_command() {
        let command = measure_form().check().unwrap();
        assert_eq!(command.goal_id, 3);
        assert_eq!(command.title, "Sprachmittlerpool ausbauen");
        assert_eq!(command.municipalities, vec!["05154016", "05154036"]);
        assert_eq!(command.starts_on.as_deref(), Some("2026-03-01"));
        assert_eq!(command.budget_cents, Some(1_250_050));
        assert_eq!(command.status, MeasureStatus::InProgress);
        assert!(!command.county_wide);
    }

    #[test]
    fn budgets_are_read_as_germans_write_amounts() {
        let budget = |typed: &str| MeasureForm { budget: typed.into(), ..measure_form() }.check();
        // The form's own hint: "12.500 oder 12.500,50".
        assert_eq!(budget("12.500").unwrap().budget_cents, Some(1_250_000));
        assert_eq!(budget("12.500,50").unwrap().budget_cents, Some(1_250_050));
        assert_eq!(budget("12500").unwrap().budget_cents, Some(1_250_000));
        assert_eq!(budget("12,5").unwrap().budget_cents, Some(1_250));
        assert_eq!(budget("12.5").unwrap().budget_cents, Some(1_250));
        assert_eq!(budget("1.2.3").unwrap_err()[0].field_id, "budget");
    }

    #[test]
    fn measure_problems_name_their_fields() {
        let form = MeasureForm {
            goal: "x".into(),
            starts: "2027-01-01".into(),
            ends: "2026-01-01".into(),
            budget: "viel".into(),
            county_wide: "1".into(),
            municipalities: vec!["05154036".into()],
            ..Default::default()
        };
        let errors = form.check().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field_id.as_str()).collect();
        assert_eq!(
            fields,
            vec!["ziel", "titel", municipalities_field().as_str(), "ende", "budget", "status"]
        );
        assert!(errors[3].message.contains("vor dem Beginn"));
    }

    #[test]
    fn every_status_round_trips_through_its_code() {
        for status in MeasureStatus::ALL {
            assert_eq!(MeasureStatus::parse(status.code()), Some(status));
        }
        assert_eq!(MeasureStatus::Deferred.label(), "zurückgestellt");
    }

    #[test]
    fn an_indicator_baseline_needs_its_date_or_evidence() {
        let form = IndicatorForm {
            name: "Vermittelte Einsätze".into(),
            baseline: "180".into(),
            ..Default::default()
        };
        assert_eq!(form.check().unwrap_err()[0].field_id, "ausgangsdatum");
        let cited = IndicatorForm { baseline_evidence: "4".into(), ..form };
        assert_eq!(cited.check().unwrap().baseline_evidence_id, Some(4));
    }

    #[test]
    fn findings_need_text_and_cite_each_evidence_once() {
        let form =
            FindingForm { text: " Mehr Bedarf ".into(), evidence: vec![2, 1, 2], revision: 0 };
        assert_eq!(
            form.check().unwrap(),
            FindingCommand { text: "Mehr Bedarf".into(), evidence: vec![1, 2] }
        );
        assert_eq!(FindingForm::default().check().unwrap_err()[0].field_id, "text");
    }

    #[test]
    fn only_shown_values_can_become_evidence() {
        let share = |code: &str, count, percent| Share {
            code: code.into(),
            label: code.to_uppercase(),
            count,
            percent,
        };
        let choices = QuestionFigures {
            code: "q".into(),
            text: "Q".into(),
            kind: "single_choice".into(),
            n: 8,
            figure: Figure::Choices {
                options: vec![share("ja", 6, 75.0), share("nein", 2, 25.0)],
                other_count: 0,
                others: vec![],
            },
        };
        let values = shown_values(&choices);
        assert_eq!(values.len(), 2);
        assert_eq!(values[0].1.value_text, "75,0\u{a0}% (6 von 8)");
        let suppressed = QuestionFigures { figure: Figure::Suppressed, ..choices };
        assert!(shown_values(&suppressed).is_empty());
        let withheld = HeatCell { stock_percent: None, need_mean: None, n: 0, suppressed: true };
        assert_eq!(shown_heat_value(&withheld, "Kleve"), None);
        let shown =
            HeatCell { stock_percent: Some(40.0), need_mean: Some(3.25), n: 9, suppressed: false };
        assert_eq!(
            shown_heat_value(&shown, "Kleve").unwrap().value_text,
            "Bestand 40,0\u{a0}%, Bedarf 3,25 (n = 9)"
        );
    }

    #[test]
    fn evidence_links_to_todays_figure_in_the_same_view() {
        let snapshot = EvidenceSnapshot {
            theme_code: "sprache".into(),
            questionnaire_id: 1,
            questionnaire_title: "B".into(),
            question_code: "sprache_bedarf".into(),
            question_text: "Bedarf".into(),
            item_code: String::new(),
            item_label: String::new(),
            view_query: "gemeinde=05154036".into(),
            view_description: "Kommune: Kleve".into(),
            value_text: "3,4".into(),
            value: Some(3.4),
            n: 9,
        };
        assert_eq!(
            snapshot.live_href(),
            "/auswertung/sprache?fragebogen=1&gemeinde=05154036#fig-sprache_bedarf-frage"
        );
    }
}

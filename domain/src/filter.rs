//! The response filter shared by dashboards and exports: municipalities, kinds of organisation,
//! a period and the response status, read from and written to a URL query string. Also the
//! calendar arithmetic the period needs (days in German local time, Europe/Berlin).

use crate::clock::{berlin_midnight_ms, berlin_offset_ms, civil_from_days, days_from_civil};
use crate::locale::days_in_month;
use crate::reference::{municipality, org_kind, MUNICIPALITIES, ORG_KINDS, WHOLE_COUNTY};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which responses count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// Submitted responses only (the default, and what every dashboard figure rests on).
    #[default]
    Submitted,
    /// Drafts only (started, not submitted).
    Drafts,
    /// Both.
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 3] =
        [StatusFilter::Submitted, StatusFilter::Drafts, StatusFilter::All];

    /// The value of the query parameter `status`.
    pub fn as_query(self) -> &'static str {
        match self {
            Self::Submitted => "abgeschlossen",
            Self::Drafts => "entwurf",
            Self::All => "alle",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_query() == s)
    }

    /// German label for select boxes and descriptions.
    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "abgeschlossene Antworten",
            Self::Drafts => "Entwürfe",
            Self::All => "alle (auch Entwürfe)",
        }
    }
}

/// A calendar day. Fields are ordered so that the derived `Ord` is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A real calendar day (years 1 to 9999), or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Self { year, month, day })
    }

    /// Reads the HTML date input format "YYYY-MM-DD" or the German "TT.MM.JJJJ" (also "1.9.2026").
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim();
        let digits = |p: &str, min: usize, max: usize| {
            (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        let parts: Vec<&str>;
        let (y, m, d) = if s.contains('-') {
            parts = s.split('-').collect();
            if parts.len() != 3
                || !digits(parts[0], 4, 4)
                || !digits(parts[1], 2, 2)
                || !digits(parts[2], 2, 2)
            {
                return None;
            }
            (parts[0], parts[1], parts[2])
        } else {
            parts = s.split('.').collect();
            if parts.len() != 3
                || !digits(parts[0], 1, 2)
                || !digits(parts[1], 1, 2)
                || !digits(parts[2], 4, 4)
            {
                return None;
            }
            (parts[2], parts[1], parts[0])
        };
        Self::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// "2026-09-01", the HTML date input format and the query format.
    pub fn to_iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// "01.09.2026".
    pub fn to_german(self) -> String {
        format!("{:02}.{:02}.{:04}", self.day, self.month, self.year)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), u32::from(self.month), u32::from(self.day))
    }

    pub fn from_days_since_epoch(days: i64) -> Self {
        let (y, m, d) = civil_from_days(days);
        Self { year: y as i32, month: m as u8, day: d as u8 }
    }

    pub fn next_day(self) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + 1)
    }

    /// Milliseconds since the Unix epoch of this day's midnight in Berlin.
    pub fn start_ms_berlin(self) -> i64 {
        berlin_midnight_ms(i64::from(self.year), u32::from(self.month), u32::from(self.day))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_german())
    }
}

const DAY_MS: i64 = 86_400_000;

/// The calendar day in Berlin of an instant (e.g. to show when a response was submitted).
pub fn berlin_date(utc_ms: i64) -> Date {
    Date::from_days_since_epoch((utc_ms + berlin_offset_ms(utc_ms)).div_euclid(DAY_MS))
}

/// Which responses a dashboard or export covers. An empty list means "no restriction".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseFilter {
    /// AGS codes, in the order of [`MUNICIPALITIES`], each once.
    pub municipalities: Vec<String>,
    /// Organisation kind codes, in the order of [`ORG_KINDS`], each once.
    pub kinds: Vec<String>,
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
    pub status: StatusFilter,
}

/// Shortens user input quoted in a message.
fn quoted(v: &str) -> String {
    let short: String = v.chars().take(40).collect();
    format!("„{short}“")
}

impl ResponseFilter {
    /// Reads the query parameters `gemeinde` (repeatable), `art` (repeatable), `von`, `bis`
    /// (YYYY-MM-DD or TT.MM.JJJJ), `monat` (YYYY-MM, instead of `von` and `bis`) and `status` ("abgeschlossen", "entwurf", "alle"). Other
    /// parameters are ignored, empty values too; for `von`, `bis` and `status` the last non-empty
    /// value counts. Errors are German, one per field, with the ids "f-gemeinde", "f-art",
    /// "f-von", "f-bis", "f-status".
    pub fn from_query(pairs: &[(String, String)]) -> Result<ResponseFilter, Vec<FieldError>> {
        let values = |name: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
                .collect()
        };
        let last = |name: &str| values(name).last().copied();
        let mut errors = Vec::new();
        let mut filter = ResponseFilter::default();

        let gemeinden = values("gemeinde");
        let unknown: Vec<String> =
            gemeinden.iter().filter(|v| municipality(v).is_none()).map(|v| quoted(v)).collect();
        if !unknown.is_empty() {
            let what =
                if unknown.len() == 1 { "Unbekannte Kommune" } else { "Unbekannte Kommunen" };
            errors.push(FieldError::new(
                "f-gemeinde",
                format!("{what}: {}. Bitte wählen Sie Kommunen aus der Liste.", unknown.join(", ")),
            ));
        }
        filter.municipalities = MUNICIPALITIES
            .iter()
            .filter(|m| gemeinden.contains(&m.ags))
            .map(|m| m.ags.to_string())
            .collect();

        let arten = values("art");
        let unknown: Vec<String> =
            arten.iter().filter(|v| org_kind(v).is_none()).map(|v| quoted(v)).collect();
        if !unknown.is_empty() {
            let what = if unknown.len() == 1 {
                "Unbekannte Art der Organisation"
            } else {
                "Unbekannte Arten der Organisation"
            };
            errors.push(FieldError::new(
                "f-art",
                format!("{what}: {}. Bitte wählen Sie aus der Liste.", unknown.join(", ")),
            ));
        }
        filter.kinds = ORG_KINDS
            .iter()
            .filter(|k| arten.contains(&k.code))
            .map(|k| k.code.to_string())
            .collect();

        let mut date = |name: &str, id: &str, what: &str| -> Option<Date> {
            let v = last(name)?;
            let d = Date::parse(v);
            if d.is_none() {
                errors.push(FieldError::new(id, format!("{} ist kein gültiges {what}. Bitte geben Sie es als TT.MM.JJJJ an, z. B. 01.09.2026.", quoted(v))));
            }
            d
        };
        filter.from = date("von", "f-von", "Anfangsdatum");
        filter.to = date("bis", "f-bis", "Enddatum");
        // A calendar month, as the dashboards offer it: the same as its first to its last day.
        if let Some(v) = last("monat") {
            match Month::parse(v) {
                Some(m) => {
                    filter.from = Date::new(m.year, m.month, 1);
                    filter.to = Date::new(m.year, m.month, days_in_month(m.year, m.month));
                }
                None => errors.push(FieldError::new(
                    "f-monat",
                    format!(
                        "{} ist kein Monat. Bitte wählen Sie einen Monat aus der Liste.",
                        quoted(v)
                    ),
                )),
            }
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to) {
            if to < from {
                errors.push(FieldError::new("f-bis", "Das Enddatum liegt vor dem Anfangsdatum."));
            }
        }

        if let Some(v) = last("status") {
            match StatusFilter::parse(v) {
                Some(s) => filter.status = s,
                None => errors.push(FieldError::new(
                    "f-status",
                    format!("Unbekannter Status {}. Möglich sind „abgeschlossen“, „entwurf“ und „alle“.", quoted(v)),
                )),
            }
        }

        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }

    /// Like [`from_query`](Self::from_query), from a raw query string (with or without '?').
    pub fn from_query_string(query: &str) -> Result<ResponseFilter, Vec<FieldError>> {
        Self::from_query(&parse_query(query))
    }

    /// No restriction at all (status is the default).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The URL query string, without '?': empty for the empty filter; `status` only when not the
    /// default. `from_query(&parse_query(&f.to_query()))` gives `f` back.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        pairs.extend(self.municipalities.iter().map(|m| ("gemeinde", m.clone())));
        pairs.extend(self.kinds.iter().map(|k| ("art", k.clone())));
        if let Some(d) = self.from {
            pairs.push(("von", d.to_iso()));
        }
        if let Some(d) = self.to {
            pairs.push(("bis", d.to_iso()));
        }
        if self.status != StatusFilter::default() {
            pairs.push(("status", self.status.as_query().to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// `(from, to)` in milliseconds since the Unix epoch: the start of the first day and the
    /// start of the day after the last day (exclusive end), both in German local time. Compare
    /// as `from <= t && t < to`.
    pub fn time_range_ms(&self) -> (Option<i64>, Option<i64>) {
        (self.from.map(Date::start_ms_berlin), self.to.map(|d| d.next_day().start_ms_berlin()))
    }

    /// A German one-line description, e.g.
    /// "Kommunen: Kleve, Goch · Art: Kindertageseinrichtung · Zeitraum: 01.09.2026 – 31.10.2026",
    /// or "alle Antworten" for the empty filter. Names follow the reference data's order.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.municipalities.is_empty() {
            let names: Vec<&str> = self
                .municipalities
                .iter()
                .map(|a| municipality(a).map(|m| m.name).unwrap_or(a.as_str()))
                .collect();
            let what = if names.len() == 1 { "Kommune" } else { "Kommunen" };
            parts.push(format!("{what}: {}", names.join(", ")));
        }
        if !self.kinds.is_empty() {
            let labels: Vec<&str> = self
                .kinds
                .iter()
                .map(|c| org_kind(c).map(|k| k.label).unwrap_or(c.as_str()))
                .collect();
            let what = if labels.len() == 1 { "Art" } else { "Arten" };
            parts.push(format!("{what}: {}", labels.join(", ")));
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) if f == t => parts.push(format!("Zeitraum: {f}")),
            (Some(f), Some(t)) => parts.push(format!("Zeitraum: {f} – {t}")),
            (Some(f), None) => parts.push(format!("Zeitraum: ab {f}")),
            (None, Some(t)) => parts.push(format!("Zeitraum: bis {t}")),
            (None, None) => {}
        }
        if self.status != StatusFilter::default() {
            parts.push(format!("Status: {}", self.status.label()));
        }
        if parts.is_empty() {
            "alle Antworten".to_string()
        } else {
            parts.join(" · ")
        }
    }

    /// Whether a response serving these municipalities (AGS codes, possibly [`WHOLE_COUNTY`])
    /// passes the municipality filter: always without a selection; a county-wide response counts
    /// for every municipality; otherwise it must serve at least one selected municipality.
    pub fn matches_municipalities(&self, served: &[&str]) -> bool {
        self.municipalities.is_empty()
            || served.contains(&WHOLE_COUNTY)
            || served.iter().any(|s| self.municipalities.iter().any(|m| m == s))
    }

    /// Whether a response of this organisation kind passes the kind filter (a response without
    /// a kind passes only when no kind is selected).
    pub fn matches_kind(&self, kind: Option<&str>) -> bool {
        self.kinds.is_empty() || kind.is_some_and(|k| self.kinds.iter().any(|s| s == k))
    }

    /// Whether an instant (ms since the epoch) lies within the period.
    pub fn matches_time(&self, utc_ms: i64) -> bool {
        let (from, to) = self.time_range_ms();
        from.is_none_or(|f| f <= utc_ms) && to.is_none_or(|t| utc_ms < t)
    }
}

/// Percent-encodes everything but the unreserved characters `A-Z a-z 0-9 - . _ ~` (UTF-8 bytes).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` and '+' (space); malformed escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string ("a=1&b=2", with or without leading '?') into decoded pairs.
/// The last non-empty value of a query parameter, trimmed.
pub fn last_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim())
}

pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

/// A calendar month in German local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl Month {
    /// "2026-09", the query format; `None` for anything else.
    pub fn parse(input: &str) -> Option<Self> {
        let (y, m) = input.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let month = Self { year: y.parse().ok()?, month: m.parse().ok()? };
        ((1..=12).contains(&month.month) && month.year >= 1).then_some(month)
    }

    pub fn to_query(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "September 2026".
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        format!("{} {}", NAMES[usize::from(self.month.clamp(1, 12)) - 1], self.year)
    }

    /// The month of a day counted from 1970-01-01.
    pub fn of_day(days_since_epoch: i64) -> Self {
        let d = Date::from_days_since_epoch(days_since_epoch);
        Self { year: d.year, month: d.month }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    const KLEVE: &str = "05154036";
    const GOCH: &str = "05154016";

    #[test]
    fn dates_parse_in_both_formats_and_are_validated() {
        assert_eq!(Date::parse("2026-09-01"), Some(d(2026, 9, 1)));
        assert_eq!(Date::parse(" 01.09.2026 "), Some(d(2026, 9, 1)));
        assert_eq!(Date::parse("1.9.2026"), Some(d(2026, 9, 1)));
        assert_eq!(Date::parse("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(Date::parse("29.02.2000"), Some(d(2000, 2, 29)));
        for bad in [
            "",
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "31.11.2026",
            "00.01.2026",
            "2026-9-1",
            "26-09-01",
            "01.09.26",
            "2026/09/01",
            "abc",
            "2026-09-01x",
            "+1.09.2026",
            "1.-9.2026",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
        assert_eq!(d(2026, 9, 1).to_iso(), "2026-09-01");
        assert_eq!(d(2026, 9, 1).to_german(), "01.09.2026");
        assert_eq!(d(2026, 9, 1).to_string(), "01.09.2026");
        assert!(d(2026, 1, 31) < d(2026, 2, 1));
        assert!(d(2025, 12, 31) < d(2026, 1, 1));
    }

    #[test]
    fn civil_day_arithmetic() {
        assert_eq!(d(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(d(1969, 12, 31).days_since_epoch(), -1);
        assert_eq!(d(2000, 3, 1).days_since_epoch(), 11_017);
        assert_eq!(d(2026, 1, 15).days_since_epoch(), 20_468);
        for days in [-800_000, -1, 0, 59, 60, 11_016, 11_017, 20_468, 2_932_896] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(d(2024, 2, 28).next_day(), d(2024, 2, 29));
        assert_eq!(d(2026, 2, 28).next_day(), d(2026, 3, 1));
        assert_eq!(d(2026, 12, 31).next_day(), d(2027, 1, 1));
    }

    #[test]
    fn berlin_day_boundaries_with_dst() {
        // A winter day: CET.
        let f = ResponseFilter {
            from: Some(d(2026, 1, 15)),
            to: Some(d(2026, 1, 15)),
            ..Default::default()
        };
        assert_eq!(f.time_range_ms(), (Some(1_768_431_600_000), Some(1_768_518_000_000)));
        // A summer day: CEST (2026-07-15 00:00 = 2026-07-14 22:00 UTC).
        assert_eq!(d(2026, 7, 15).start_ms_berlin(), 1_784_066_400_000);
        // Spring forward: the day has 23 hours.
        let f = ResponseFilter {
            from: Some(d(2026, 3, 29)),
            to: Some(d(2026, 3, 29)),
            ..Default::default()
        };
        assert_eq!(f.time_range_ms(), (Some(1_774_738_800_000), Some(1_774_821_600_000)));
        assert_eq!(1_774_821_600_000 - 1_774_738_800_000, 23 * HOUR_MS);
        // Fall back: 25 hours.
        let f = ResponseFilter {
            from: Some(d(2026, 10, 25)),
            to: Some(d(2026, 10, 25)),
            ..Default::default()
        };
        assert_eq!(f.time_range_ms(), (Some(1_792_879_200_000), Some(1_792_969_200_000)));
        assert_eq!(1_792_969_200_000 - 1_792_879_200_000, 25 * HOUR_MS);
        // Leap day: ends at 2024-03-01 00:00 CET = 2024-02-29 23:00 UTC.
        let f = ResponseFilter {
            from: Some(d(2024, 2, 29)),
            to: Some(d(2024, 2, 29)),
            ..Default::default()
        };
        assert_eq!(f.time_range_ms(), (Some(1_709_161_200_000), Some(1_709_247_600_000)));
        assert_eq!(ResponseFilter::default().time_range_ms(), (None, None));
    }

    #[test]
    fn berlin_dates_of_instants() {
        // 2026-03-28 23:30 UTC is already the 29th in Berlin; 2026-10-25 22:30 UTC the 25th still.
        assert_eq!(berlin_date(1_774_740_600_000), d(2026, 3, 29));
        assert_eq!(berlin_date(1_792_967_400_000), d(2026, 10, 25));
        assert_eq!(berlin_date(1_792_969_200_000), d(2026, 10, 26));
    }

    #[test]
    fn matches_time_uses_exclusive_end() {
        let f = ResponseFilter {
            from: Some(d(2026, 3, 29)),
            to: Some(d(2026, 3, 29)),
            ..Default::default()
        };
        assert!(!f.matches_time(1_774_738_800_000 - 1));
        assert!(f.matches_time(1_774_738_800_000));
        assert!(f.matches_time(1_774_821_600_000 - 1));
        assert!(!f.matches_time(1_774_821_600_000));
        assert!(ResponseFilter::default().matches_time(0));
    }

    #[test]
    fn from_query_reads_everything_in_reference_order() {
        let f = ResponseFilter::from_query(&q(&[
            ("gemeinde", KLEVE),
            ("gemeinde", GOCH),
            ("gemeinde", KLEVE),
            ("gemeinde", ""),
            ("art", "schule"),
            ("art", "kita"),
            ("von", "01.09.2026"),
            ("bis", "2026-10-31"),
            ("status", "alle"),
            ("seite", "2"),
        ]))
        .unwrap();
        assert_eq!(f.municipalities, vec![GOCH, KLEVE]);
        assert_eq!(f.kinds, vec!["kita", "schule"]);
        assert_eq!(f.from, Some(d(2026, 9, 1)));
        assert_eq!(f.to, Some(d(2026, 10, 31)));
        assert_eq!(f.status, StatusFilter::All);
    }

    #[test]
    fn empty_query_is_the_default_filter() {
        let f =
            ResponseFilter::from_query(&q(&[("von", ""), ("bis", " "), ("status", "")])).unwrap();
        assert!(f.is_empty());
        assert_eq!(f.status, StatusFilter::Submitted);
        assert_eq!(f.to_query(), "");
        assert_eq!(ResponseFilter::from_query_string("").unwrap(), f);
        assert_eq!(ResponseFilter::from_query(&q(&[("status", "abgeschlossen")])).unwrap(), f);
        assert_eq!(
            ResponseFilter::from_query(&q(&[("status", "entwurf")])).unwrap().status,
            StatusFilter::Drafts
        );
    }

    #[test]
    fn from_query_reports_german_errors_per_field() {
        let errors = ResponseFilter::from_query(&q(&[
            ("gemeinde", "0000"),
            ("gemeinde", KLEVE),
            ("gemeinde", "<b>"),
            ("art", "zoo"),
            ("von", "31.02.2026"),
            ("bis", "morgen"),
            ("status", "geloescht"),
        ]))
        .unwrap_err();
        let ids: Vec<&str> = errors.iter().map(|e| e.field_id.as_str()).collect();
        assert_eq!(ids, ["f-gemeinde", "f-art", "f-von", "f-bis", "f-status"]);
        assert_eq!(
            errors[0].message,
            "Unbekannte Kommunen: „0000“, „<b>“. Bitte wählen Sie Kommunen aus der Liste."
        );
        assert_eq!(errors[0].question, "f-gemeinde");
        assert_eq!(
            errors[1].message,
            "Unbekannte Art der Organisation: „zoo“. Bitte wählen Sie aus der Liste."
        );
        assert_eq!(errors[2].message, "„31.02.2026“ ist kein gültiges Anfangsdatum. Bitte geben Sie es als TT.MM.JJJJ an, z. B. 01.09.2026.");
        assert!(errors[3].message.contains("Enddatum"));
        assert!(errors[4].message.starts_with("Unbekannter Status „geloescht“"));
        // Whole county is not a municipality filter value.
        let errors = ResponseFilter::from_query(&q(&[("gemeinde", WHOLE_COUNTY)])).unwrap_err();
        assert_eq!(
            errors[0].message,
            "Unbekannte Kommune: „kreisweit“. Bitte wählen Sie Kommunen aus der Liste."
        );
    }

    #[test]
    fn end_before_start_is_an_error_at_the_end() {
        let errors =
            ResponseFilter::from_query(&q(&[("von", "2026-10-01"), ("bis", "2026-09-30")]))
                .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field_id, "f-bis");
        assert_eq!(errors[0].message, "Das Enddatum liegt vor dem Anfangsdatum.");
        let same = ResponseFilter::from_query(&q(&[("von", "2026-10-01"), ("bis", "01.10.2026")]))
            .unwrap();
        assert_eq!(same.from, same.to);
    }

    #[test]
    fn query_round_trip() {
        let filters = [
            ResponseFilter::default(),
            ResponseFilter {
                municipalities: vec![GOCH.into(), KLEVE.into()],
                ..Default::default()
            },
            ResponseFilter {
                municipalities: vec![KLEVE.into()],
                kinds: vec!["kita".into(), "verein".into()],
                from: Some(d(2026, 9, 1)),
                to: Some(d(2026, 10, 31)),
                status: StatusFilter::Drafts,
            },
            ResponseFilter {
                to: Some(d(2024, 2, 29)),
                status: StatusFilter::All,
                ..Default::default()
            },
        ];
        for f in filters {
            let s = f.to_query();
            assert!(!s.starts_with('?'));
            assert_eq!(ResponseFilter::from_query(&parse_query(&s)).unwrap(), f, "{s}");
            assert_eq!(ResponseFilter::from_query_string(&format!("?{s}")).unwrap(), f, "{s}");
        }
        let f = ResponseFilter {
            municipalities: vec![KLEVE.into()],
            kinds: vec!["kita".into()],
            from: Some(d(2026, 9, 1)),
            to: None,
            status: StatusFilter::All,
        };
        assert_eq!(f.to_query(), "gemeinde=05154036&art=kita&von=2026-09-01&status=alle");
    }

    #[test]
    fn percent_coding() {
        assert_eq!(percent_encode("a b&c=d/ä~-._"), "a%20b%26c%3Dd%2F%C3%A4~-._");
        assert_eq!(percent_decode("a%20b%26c%3Dd%2F%C3%A4+x"), "a b&c=d/ä x");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%41"), "A");
        assert_eq!(parse_query("?a=1&&b&c=x%3Dy"), q(&[("a", "1"), ("b", ""), ("c", "x=y")]));
        for s in ["", "ä ö ü ß", "a+b", "%", "x=1&y=2"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
    }

    #[test]
    fn describes_in_german() {
        assert_eq!(ResponseFilter::default().describe(), "alle Antworten");
        let f = ResponseFilter {
            municipalities: vec![GOCH.into(), KLEVE.into()],
            kinds: vec!["kita".into()],
            from: Some(d(2026, 9, 1)),
            to: Some(d(2026, 10, 31)),
            status: StatusFilter::Submitted,
        };
        assert_eq!(f.describe(), "Kommunen: Goch, Kleve · Art: Kindertageseinrichtung · Zeitraum: 01.09.2026 – 31.10.2026");
        let f = ResponseFilter {
            municipalities: vec![KLEVE.into()],
            kinds: vec!["kita".into(), "schule".into()],
            ..Default::default()
        };
        assert_eq!(f.describe(), "Kommune: Kleve · Arten: Kindertageseinrichtung, Schule");
        let f = ResponseFilter {
            from: Some(d(2026, 9, 1)),
            status: StatusFilter::Drafts,
            ..Default::default()
        };
        assert_eq!(f.describe(), "Zeitraum: ab 01.09.2026 · Status: Entwürfe");
        let f = ResponseFilter { to: Some(d(2026, 9, 1)), ..Default::default() };
        assert_eq!(f.describe(), "Zeitraum: bis 01.09.2026");
        let f = ResponseFilter {
            from: Some(d(2026, 9, 1)),
            to: Some(d(2026, 9, 1)),
            status: StatusFilter::All,
            ..Default::default()
        };
        assert_eq!(f.describe(), "Zeitraum: 01.09.2026 · Status: alle (auch Entwürfe)");
    }

    #[test]
    fn municipality_and_kind_matching() {
        let none = ResponseFilter::default();
        assert!(none.matches_municipalities(&[]));
        assert!(none.matches_municipalities(&[GOCH]));
        let kleve = ResponseFilter { municipalities: vec![KLEVE.into()], ..Default::default() };
        assert!(kleve.matches_municipalities(&[GOCH, KLEVE]));
        assert!(!kleve.matches_municipalities(&[GOCH]));
        assert!(!kleve.matches_municipalities(&[]));
        assert!(kleve.matches_municipalities(&[WHOLE_COUNTY]));
        assert!(none.matches_kind(None));
        let kita = ResponseFilter { kinds: vec!["kita".into()], ..Default::default() };
        assert!(kita.matches_kind(Some("kita")));
        assert!(!kita.matches_kind(Some("schule")));
        assert!(!kita.matches_kind(None));
    }

    #[test]
    fn filter_round_trips_through_json() {
        let f = ResponseFilter {
            municipalities: vec![KLEVE.into()],
            kinds: vec![],
            from: Some(d(2026, 9, 1)),
            to: None,
            status: StatusFilter::Drafts,
        };
        let back: ResponseFilter =
            serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
    }
}

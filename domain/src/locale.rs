//! German conventions in one place: codes made from labels, the calendar, dates as typed and
//! shown, decimals and percentages, and times as people read them (German local time).

use crate::clock::berlin_time;

/// A code made from a label: lower case, umlauts spelled out, other characters as `_`.
pub fn code_from_label(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => out.push(c),
            _ => {
                if !out.ends_with('_') && !out.is_empty() {
                    out.push('_')
                }
            }
        }
    }
    let mut code: String = out.trim_end_matches('_').chars().take(40).collect();
    while code.ends_with('_') {
        code.pop();
    }
    code
}

/// A time as pages show it, in German local time: "23.11.2026, 11:05 Uhr".
pub fn format_time(utc_ms: i64) -> String {
    berlin_time(utc_ms).for_reading()
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A calendar date typed as `YYYY-MM-DD` (the date input) or `T.M.JJJJ`: (year, month, day),
/// for years 2000 to 2100.
pub fn parse_date(typed: &str) -> Option<(i32, u8, u8)> {
    let typed = typed.trim();
    let parts: Vec<&str> = typed.split(['-', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let (year, month, day) = if typed.contains('-') { (*a, *b, *c) } else { (*c, *b, *a) };
    let (year, month, day): (i32, u8, u8) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    if !(2000..=2100).contains(&year) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some((year, month, day))
}

/// Accepts `YYYY-MM-DD` (the date input) or `T.M.JJJJ`; returns the German form `TT.MM.JJJJ`.
pub fn german_date(typed: &str) -> Option<String> {
    let (year, month, day) = parse_date(typed)?;
    Some(format!("{day:02}.{month:02}.{year}"))
}

/// Formats with exactly `places` decimals, rounding half away from zero (2.25 → "2,3"), without
/// thousands separators; a decimal comma for display and the German Excel CSV dialect, a point
/// otherwise. Never prints a negative zero ("-0,0" becomes "0,0").
pub fn format_decimal(value: f64, places: usize, decimal_comma: bool) -> String {
    let rounded = if places <= 15 {
        let factor = 10f64.powi(places as i32);
        let r = (value * factor).round() / factor;
        if r.is_finite() {
            r
        } else {
            value
        }
    } else {
        value
    };
    let mut s = format!("{rounded:.places$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s.remove(0);
    }
    if decimal_comma {
        s = s.replace('.', ",");
    }
    s
}

/// A percentage for display: "12,5 %" (German style, with a no-break space before the sign).
pub fn format_percent(value: f64, places: usize) -> String {
    format!("{}\u{a0}%", format_decimal(value, places, true))
}

/// For messages and forms: a decimal comma, at most two decimals and none needless:
/// 12 → "12", 12.5 → "12,5", 2/3 → "0,67".
pub fn format_german(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let s = if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded}") };
    if s == "-0" {
        "0".into()
    } else {
        s.replace('.', ",")
    }
}

/// For data files: the shortest exact form, with a decimal comma if asked (2.5 → "2,5").
pub fn format_shortest(value: f64, decimal_comma: bool) -> String {
    let value = if value == 0.0 { 0.0 } else { value };
    let text = value.to_string();
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_labels() {
        assert_eq!(code_from_label("Dari/Farsi"), "dari_farsi");
        assert_eq!(code_from_label("Türkisch"), "tuerkisch");
        assert_eq!(code_from_label("  Straße & Weg "), "strasse_weg");
        assert_eq!(code_from_label("Größere Räume für Übungen!"), "groessere_raeume_fuer_uebungen");
        assert_eq!(code_from_label("  Ja  "), "ja");
        assert_eq!(code_from_label("…"), "");
        assert_eq!(code_from_label(&"Sehr langer Text ".repeat(5)).len(), 40);
    }

    #[test]
    fn dates() {
        assert_eq!(german_date("2026-12-31").as_deref(), Some("31.12.2026"));
        assert_eq!(german_date("1.2.2027").as_deref(), Some("01.02.2027"));
        assert_eq!(german_date("2027-02-29"), None);
        assert_eq!(german_date("2028-02-29").as_deref(), Some("29.02.2028"));
        assert_eq!(german_date("2100-02-29"), None);
        assert_eq!(german_date("morgen"), None);
        assert_eq!(
            (days_in_month(2000, 2), days_in_month(1900, 2), days_in_month(2026, 4)),
            (29, 28, 30)
        );
    }

    #[test]
    fn times_in_german_local_time() {
        assert_eq!(format_time(0), "01.01.1970, 01:00 Uhr");
        // Winter (CET, UTC+1) and summer (CEST, UTC+2).
        assert_eq!(format_time(1_795_428_300_000), "23.11.2026, 11:05 Uhr");
        assert_eq!(format_time(1_784_282_700_000), "17.07.2026, 12:05 Uhr");
    }

    #[test]
    fn decimal_formatting() {
        assert_eq!(format_decimal(3.456, 1, true), "3,5");
        assert_eq!(format_decimal(3.456, 1, false), "3.5");
        assert_eq!(format_decimal(3.456, 0, true), "3");
        assert_eq!(format_decimal(2.25, 1, true), "2,3");
        assert_eq!(format_decimal(12.5, 0, true), "13");
        assert_eq!(format_decimal(-0.04, 1, true), "0,0");
        assert_eq!(format_decimal(-0.0, 2, true), "0,00");
        assert_eq!(format_decimal(-1.25, 1, true), "-1,3");
        assert_eq!(format_decimal(1234567.0, 2, true), "1234567,00");
        assert_eq!(format_decimal(100.0, 1, true), "100,0");
        assert_eq!(format_percent(66.666, 1), "66,7\u{a0}%");
    }

    #[test]
    fn numbers_for_people_and_files() {
        assert_eq!(format_german(12.0), "12");
        assert_eq!(format_german(12.5), "12,5");
        assert_eq!(format_german(2.0 / 3.0), "0,67");
        assert_eq!(format_german(-0.001), "0");
        assert_eq!(format_shortest(2.5, true), "2,5");
        assert_eq!(format_shortest(2.5, false), "2.5");
        assert_eq!(format_shortest(-0.0, true), "0");
        assert_eq!(format_shortest(1250.0, true), "1250");
    }
}

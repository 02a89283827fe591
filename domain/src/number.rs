//! Numbers as people in Germany type them: "12", "12,5", "1.250", "1.250,5", also "12.5".

/// Parses a typed number. `integer` questions accept thousands points ("1.250").
pub fn parse_number(input: &str, integer: bool) -> Option<f64> {
    let s: String = input.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if s.is_empty() {
        return None;
    }
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, s.strip_prefix('+').unwrap_or(&s)),
    };
    let normalised = if digits.contains(',') {
        // Comma is the decimal separator, points group thousands.
        if !thousands_grouped(digits.split(',').next().unwrap_or(""), true) {
            return None;
        }
        digits.replace('.', "").replacen(',', ".", 1)
    } else if integer && digits.contains('.') && thousands_grouped(digits, false) {
        digits.replace('.', "")
    } else {
        digits.to_string()
    };
    let mut parts = normalised.splitn(2, '.');
    let int_part = parts.next().unwrap_or("");
    let frac_part = parts.next();
    let valid = !int_part.is_empty()
        && int_part.bytes().all(|b| b.is_ascii_digit())
        && frac_part.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return None;
    }
    normalised.parse::<f64>().ok().map(|v| sign * v).filter(|v| v.is_finite())
}

/// The stored form of a typed number: the value in Rust's shortest round-trip notation,
/// decimal point, no grouping, no exponent ("1.250" in an integer question → "1250",
/// "12,5" → "12.5"). `None` when the input is no number; then the text is kept as typed, so
/// that validation can explain it. Stored once at save time, so that validation, the
/// exports and the dashboards read one value.
pub fn normalise(input: &str, integer: bool) -> Option<String> {
    let value = parse_number(input, integer)?;
    let value = if value == 0.0 { 0.0 } else { value };
    Some(format!("{value}"))
}

/// A stored number as a German would type it (decimal comma), for the form field.
pub fn stored_to_input(stored: &str) -> String {
    let canonical = stored.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && stored.parse::<f64>().is_ok();
    if canonical {
        stored.replace('.', ",")
    } else {
        stored.to_string()
    }
}

/// "1.250.000" groups by three; with `allow_plain`, digits without points pass too.
fn thousands_grouped(s: &str, allow_plain: bool) -> bool {
    if !s.contains('.') {
        return allow_plain && s.bytes().all(|b| b.is_ascii_digit());
    }
    let mut groups = s.split('.');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_is_one_notation() {
        assert_eq!(normalise("1.250", true).as_deref(), Some("1250"));
        assert_eq!(normalise("1.250", false).as_deref(), Some("1.25"));
        assert_eq!(normalise("12,5", false).as_deref(), Some("12.5"));
        assert_eq!(normalise("1.250.000,75", false).as_deref(), Some("1250000.75"));
        assert_eq!(normalise(" 1 250 ", true).as_deref(), Some("1250"));
        assert_eq!(normalise("-0", true).as_deref(), Some("0"));
        assert_eq!(normalise("1e3", true), None);
        assert_eq!(normalise("viele", true), None);
        for typed in ["1.250", "12,5", "-3", "0,001"] {
            let stored = normalise(typed, false).unwrap();
            assert_eq!(
                parse_number(&stored, false),
                stored.parse::<f64>().ok(),
                "{stored} reads one way"
            );
            assert_eq!(
                normalise(&stored_to_input(&stored), false),
                Some(stored.clone()),
                "round trip of {typed}"
            );
        }
        assert_eq!(stored_to_input("12.5"), "12,5");
        assert_eq!(stored_to_input("1250"), "1250");
        assert_eq!(stored_to_input("viele"), "viele");
    }

    #[test]
    fn german_and_international_forms() {
        assert_eq!(parse_number("12", true), Some(12.0));
        assert_eq!(parse_number("12,5", false), Some(12.5));
        assert_eq!(parse_number("12.5", false), Some(12.5));
        assert_eq!(parse_number("1.250", true), Some(1250.0));
        assert_eq!(parse_number("1.250,75", false), Some(1250.75));
        assert_eq!(parse_number(" -3 ", true), Some(-3.0));
        assert_eq!(parse_number("1 250", true), Some(1250.0));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in
            ["", "abc", "12a", "1,2,3", "1.2.3,4", ",5", "5,", "1e5", "--1", "12.", "inf", "NaN"]
        {
            assert_eq!(parse_number(bad, false), None, "{bad:?}");
        }
    }
}

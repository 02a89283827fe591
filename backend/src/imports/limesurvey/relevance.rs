//! LimeSurvey's relevance equations (ExpressionScript) of the common simple forms, read into
//! comparisons that [`super::mapping`] turns into a condition:
//!
//! - `1`, `true` or empty: always shown;
//! - `Q1 == "A1"`, `Q1.NAOK == "A1"`, `{Q1 == 'A1'}`, `Q1 eq "A1"`;
//! - alternatives joined by `or`/`||`, in parentheses or not: `(Q1 == "A1" or Q1 == "A2")`;
//! - `Q1 != ""`, `!is_empty(Q1)`: answered at all;
//! - subquestions `Q2_SQ001 == "Y"` (an option ticked), `Q3_SQ001 == "A2"` (a matrix row);
//! - LimeSurvey's internal names `12345X6X78` or `12345X6X78SQ001`.
//!
//! Everything else (and, comparisons of size, functions, several questions) is refused with
//! the reason, and the question is imported without condition.

/// One comparison: the variable as written (question code, with a subquestion code or not),
/// and the value it must have; `None` means "answered at all".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub variable: String,
    pub value: Option<String>,
}

/// What an equation says: always shown, or shown when one of the comparisons holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relevance {
    Always,
    AnyOf(Vec<Comparison>),
}

/// Reads an equation; `Err` with the German reason when it is not of a simple form.
pub fn parse(equation: &str) -> Result<Relevance, String> {
    let mut text = equation.trim();
    // `{…}` wraps an expression in texts; in the relevance field it is optional.
    while let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        text = inner.trim();
    }
    let text = strip_parens(text);
    if text.is_empty() || text == "1" || text.eq_ignore_ascii_case("true") {
        return Ok(Relevance::Always);
    }
    let tokens = tokenize(text)?;
    let mut parts: Vec<Vec<Token>> = vec![Vec::new()];
    for t in tokens {
        match t {
            Token::Or => parts.push(Vec::new()),
            Token::And => {
                return Err("Verknüpfungen mit „and“ werden nicht übernommen.".into());
            }
            // Parentheses around alternatives or single comparisons carry no meaning here,
            // since only `or` joins them.
            Token::Open | Token::Close => {}
            other => parts.last_mut().map(|p| p.push(other)).unwrap_or(()),
        }
    }
    let mut out = Vec::new();
    for part in parts {
        out.push(comparison(&part)?);
    }
    Ok(Relevance::AnyOf(out))
}

fn strip_parens(mut text: &str) -> &str {
    loop {
        let t = text.trim();
        let Some(inner) = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
            return t;
        };
        // Only when the outer pair encloses everything: "(a) or (b)" keeps its parentheses.
        let mut depth = 0i32;
        let balanced = inner.chars().all(|c| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth >= 0
        });
        if !balanced || depth != 0 {
            return t;
        }
        text = inner;
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Text(String),
    Number(String),
    Eq,
    Ne,
    Not,
    Or,
    And,
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '=' if chars.get(i + 1) == Some(&'=') => {
                out.push(Token::Eq);
                i += 2;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Token::Ne);
                i += 2;
            }
            '!' => {
                out.push(Token::Not);
                i += 1;
            }
            '|' if chars.get(i + 1) == Some(&'|') => {
                out.push(Token::Or);
                i += 2;
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                out.push(Token::And);
                i += 2;
            }
            '"' | '\'' => {
                let quote = c;
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(
                                "Ein Text in Anführungszeichen ist nicht geschlossen.".into()
                            )
                        }
                        Some('\\') => {
                            if let Some(n) = chars.get(i + 1) {
                                value.push(*n);
                            }
                            i += 2;
                        }
                        Some(q) if *q == quote => {
                            i += 1;
                            break;
                        }
                        Some(other) => {
                            value.push(*other);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Text(value));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // An internal name such as 12345X6X78 starts with digits.
                if word.contains('X') && !word.starts_with('-') {
                    out.push(Token::Name(word));
                } else {
                    out.push(Token::Number(word));
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.to_ascii_lowercase().as_str() {
                    "or" => out.push(Token::Or),
                    "and" => out.push(Token::And),
                    "eq" => out.push(Token::Eq),
                    "ne" => out.push(Token::Ne),
                    _ => out.push(Token::Name(word)),
                }
            }
            other => {
                return Err(format!("Das Zeichen „{other}“ gehört zu keiner einfachen Bedingung."))
            }
        }
    }
    Ok(out)
}

/// `.NAOK`, `.value`, `.code` and `.shown` suffixes name the same value here.
fn variable(name: &str) -> Result<String, String> {
    let base = match name.split_once('.') {
        Some((base, suffix))
            if ["NAOK", "value", "code", "shown"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(suffix)) =>
        {
            base
        }
        Some(_) => return Err(format!("„{name}“ ist keine einfache Variable.")),
        None => name,
    };
    Ok(base.to_string())
}

fn comparison(part: &[Token]) -> Result<Comparison, String> {
    match part {
        [Token::Name(n), Token::Eq, Token::Text(v) | Token::Number(v)]
        | [Token::Text(v) | Token::Number(v), Token::Eq, Token::Name(n)] => {
            if v.is_empty() {
                return Err("Die Bedingung „ist unbeantwortet“ wird nicht übernommen.".into());
            }
            Ok(Comparison { variable: variable(n)?, value: Some(v.clone()) })
        }
        [Token::Name(n), Token::Ne, Token::Text(v)] if v.is_empty() => {
            Ok(Comparison { variable: variable(n)?, value: None })
        }
        [Token::Not, Token::Name(f), Token::Name(n)] if f.eq_ignore_ascii_case("is_empty") => {
            Ok(Comparison { variable: variable(n)?, value: None })
        }
        [] => Err("Die Bedingung ist leer.".into()),
        _ => Err("Die Bedingung ist keine einfache Gleichheit (Frage == \"Antwort\").".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(list: &[(&str, Option<&str>)]) -> Relevance {
        Relevance::AnyOf(
            list.iter()
                .map(|(v, x)| Comparison { variable: v.to_string(), value: x.map(String::from) })
                .collect(),
        )
    }

    #[test]
    fn simple_forms() {
        assert_eq!(parse(""), Ok(Relevance::Always));
        assert_eq!(parse(" 1 "), Ok(Relevance::Always));
        assert_eq!(parse("{1}"), Ok(Relevance::Always));
        assert_eq!(parse("Q1 == \"A1\""), Ok(any(&[("Q1", Some("A1"))])));
        assert_eq!(parse("{Q1.NAOK=='A1'}"), Ok(any(&[("Q1", Some("A1"))])));
        assert_eq!(
            parse("((Q1.NAOK == \"A1\") or (Q1.NAOK == \"A2\"))"),
            Ok(any(&[("Q1", Some("A1")), ("Q1", Some("A2"))]))
        );
        assert_eq!(
            parse("Q1 == \"A1\" || Q1 eq 'A3'"),
            Ok(any(&[("Q1", Some("A1")), ("Q1", Some("A3"))]))
        );
        assert_eq!(parse("Q1 != \"\""), Ok(any(&[("Q1", None)])));
        assert_eq!(parse("!is_empty(Q1)"), Ok(any(&[("Q1", None)])));
        assert_eq!(parse("Q2_SQ001 == \"Y\""), Ok(any(&[("Q2_SQ001", Some("Y"))])));
        assert_eq!(parse("Q4 == 3"), Ok(any(&[("Q4", Some("3"))])));
        assert_eq!(parse("123X4X56 == \"A1\""), Ok(any(&[("123X4X56", Some("A1"))])));
    }

    #[test]
    fn other_forms_are_refused() {
        for e in [
            "Q1 == \"A1\" and Q2 == \"A1\"",
            "Q1 > 3",
            "count(Q1) > 0",
            "Q1 == \"A1",
            "Q1.relevanceStatus == 1",
            "Q1 == \"\"",
            "Q1 = 3",
        ] {
            assert!(parse(e).is_err(), "{e}");
        }
    }
}

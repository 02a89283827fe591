//! How the administration's forms are read, in one place: the `deserialize_with` helpers of
//! their typed structs. Texts are trimmed (only passwords and the sign-in's return path are
//! taken as typed), a missing field reads as empty, a field sent twice counts with its first
//! value, and check boxes of one name become a list. None of them fails, so that a form the
//! page did not make (a field missing or doubled, a word unknown) reaches the use case, which
//! answers it in German as before.

use crate::error::AppError;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::fmt;

/// The hidden field of every staff form that carries the session's token against cross-site
/// request forgery.
pub const CSRF: &str = "csrf";

/// The answer to a button's `aktion` that no page offers (a 400).
pub fn unknown_action() -> AppError {
    AppError::BadRequest("Diese Aktion gibt es nicht.".into())
}

/// A form that comes back with its problems shows what was typed: these pairs, never a
/// password or the CSRF token.
pub trait FormValues {
    fn values(&self) -> Vec<(String, String)>;
}

/// A value chosen from a fixed set of words, e.g. a button's `aktion` or a role.
pub trait Keyword: Sized {
    fn from_keyword(word: &str) -> Option<Self>;
}

/// Every value sent under one name, as typed, in order.
struct AllValues;

impl<'de> Visitor<'de> for AllValues {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a form field's text")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(vec![v])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut all = Vec::new();
        while let Some(v) = seq.next_element::<String>()? {
            all.push(v);
        }
        Ok(all)
    }
}

fn all_values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    d.deserialize_any(AllValues)
}

/// A text field, trimmed; its first value if it was sent twice.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(all_values(d)?.into_iter().next().map(|v| v.trim().to_string()).unwrap_or_default())
}

/// A field taken exactly as typed (a password: spaces are part of it).
pub fn as_typed<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(all_values(d)?.into_iter().next().unwrap_or_default())
}

/// Check boxes of one name: their values, trimmed, without empty ones.
pub fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(all_values(d)?.into_iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
}

/// A check box sent with the value `1`.
pub fn checked<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(text(d)? == "1")
}

/// Check boxes of ids: the numbers among their values; anything else is skipped.
pub fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    Ok(all_values(d)?.iter().filter_map(|v| v.trim().parse().ok()).collect())
}

/// A whole number (e.g. the revision a form was rendered from); `None` if it is none.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(text(d)?.parse().ok())
}

/// One of a fixed set of words; `None` for a word not in it, so that the use case says what
/// it always said about it.
pub fn keyword<'de, D: Deserializer<'de>, T: Keyword>(d: D) -> Result<Option<T>, D::Error> {
    Ok(T::from_keyword(&text(d)?))
}

#[cfg(test)]
pub(crate) mod tests {
    use serde::de::DeserializeOwned;

    /// Reads `T` from the pairs a browser would post, the way the server reads it.
    pub fn read<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> T {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        serde_html_form::from_str(&body).unwrap_or_else(|e| panic!("{body}: {e}"))
    }

    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[derive(Debug, serde::Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "super::text")]
        name: String,
        #[serde(default, deserialize_with = "super::as_typed")]
        passwort: String,
        #[serde(default, deserialize_with = "super::texts")]
        themen: Vec<String>,
        #[serde(default, deserialize_with = "super::ids")]
        id: Vec<i64>,
        #[serde(default, deserialize_with = "super::checked")]
        gesperrt: bool,
        #[serde(default, deserialize_with = "super::number")]
        revision: Option<i64>,
    }

    #[test]
    fn fields_are_read_alike() {
        let s: Sample = read(&[
            ("name", "  Ada  "),
            ("passwort", " mit Leerzeichen "),
            ("themen", "sprache"),
            ("themen", " "),
            ("themen", " wohnen "),
            ("id", "3"),
            ("csrf", "x"),
            ("id", "kein"),
            ("id", "7"),
            ("name", "zweiter Wert"),
            ("gesperrt", "1"),
            ("revision", "zwei"),
        ]);
        assert_eq!(s.name, "Ada", "trimmed, the first value counts");
        assert_eq!(s.passwort, " mit Leerzeichen ");
        assert_eq!(s.themen, ["sprache", "wohnen"]);
        assert_eq!(s.id, [3, 7], "numbers only");
        assert!(s.gesperrt);
        assert_eq!(s.revision, None);
        let empty: Sample = read(&[]);
        assert_eq!((empty.name.as_str(), empty.themen.len(), empty.gesperrt), ("", 0, false));
        let one: Sample = read(&[("id", "4"), ("themen", "sprache"), ("revision", "12")]);
        assert_eq!((one.id, one.themen, one.revision), (vec![4], vec!["sprache".into()], Some(12)));
    }
}

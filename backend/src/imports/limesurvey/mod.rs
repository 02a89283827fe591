//! LimeSurvey: a survey structure (`.lss` XML in the layouts before and since LimeSurvey 4,
//! or the tab-separated `.txt`/`.tsv` export) becomes a draft questionnaire, and the CSV export
//! of its responses becomes submitted responses of that questionnaire.
//!
//! Both structure readers first fill the same [`Survey`] (the source as LimeSurvey holds it,
//! one language), which [`mapping`] turns into the draft, the list of what could not be
//! carried over, and the [`CodeMap`] from LimeSurvey's response columns to our questions that
//! the response import ([`responses`]) reads by.

pub mod lss;
pub mod mapping;
pub mod relevance;
pub mod responses;
pub mod tsv;

pub use mapping::{CodeMap, ColumnTarget, Target};

use super::{ImportError, ImportedStructure};

/// A LimeSurvey structure as read, in the language that was taken.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Survey {
    pub title: String,
    pub description: String,
    pub welcome: String,
    /// The language whose texts were taken, e.g. "de".
    pub language: String,
    /// Every language of the survey, the base language first.
    pub languages: Vec<String>,
    pub groups: Vec<Group>,
    /// Old-style conditions (LimeSurvey's `conditions` table), by question id.
    pub conditions: Vec<OldCondition>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub description: String,
    pub relevance: String,
    pub questions: Vec<SourceQuestion>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceQuestion {
    pub id: String,
    /// LimeSurvey's question code (`title`).
    pub code: String,
    /// The type letter, e.g. "L".
    pub kind: String,
    pub text: String,
    pub help: String,
    /// "Y", "N" or "S" (soft mandatory).
    pub mandatory: String,
    pub other: bool,
    pub relevance: String,
    /// The `preg` validation, if any.
    pub validation: String,
    pub subquestions: Vec<Item>,
    pub answers: Vec<Item>,
    /// Question attributes (name, value) of the language taken or of none.
    pub attributes: Vec<(String, String)>,
}

impl SourceQuestion {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}

/// A subquestion or answer option.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// The subquestion's id (`qid`), where the source has one; answers have none here.
    pub id: String,
    pub code: String,
    pub text: String,
    pub scale: u8,
}

/// One row of LimeSurvey's old `conditions` table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OldCondition {
    pub qid: String,
    pub cqid: String,
    pub cfieldname: String,
    pub method: String,
    pub value: String,
    pub scenario: String,
}

/// What a LimeSurvey structure import gives: the draft and its losses, the language taken,
/// and the code map for the later response import.
#[derive(Debug, Clone, PartialEq)]
pub struct LimeSurveyImport {
    pub structure: ImportedStructure,
    pub language: String,
    pub languages: Vec<String>,
    pub codes: CodeMap,
}

impl LimeSurveyImport {
    /// One sentence on the language taken, for the import's report.
    pub fn language_note(&self) -> String {
        let others: Vec<&str> =
            self.languages.iter().map(String::as_str).filter(|l| *l != self.language).collect();
        if others.is_empty() {
            format!("Übernommen wurden die Texte der Sprache „{}“.", self.language)
        } else {
            format!(
                "Übernommen wurden die Texte der Sprache „{}“; die Sprachen {} wurden nicht übernommen.",
                self.language,
                others.iter().map(|l| format!("„{l}“")).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

/// Reads an `.lss` file.
pub fn read_lss(bytes: &[u8]) -> Result<LimeSurveyImport, ImportError> {
    mapping::map_survey(lss::read(bytes)?)
}

/// Reads a tab-separated structure file (`.txt`, `.tsv`).
pub fn read_tsv(bytes: &[u8]) -> Result<LimeSurveyImport, ImportError> {
    mapping::map_survey(tsv::read(bytes)?)
}

/// The language taken from a survey's languages (base first): German when the survey has it
/// (also a variant such as "de-informal"), else the base language.
pub(crate) fn choose_language(languages: &[String]) -> String {
    languages
        .iter()
        .find(|l| l.as_str() == "de")
        .or_else(|| languages.iter().find(|l| l.starts_with("de")))
        .or_else(|| languages.first())
        .cloned()
        .unwrap_or_default()
}

/// LimeSurvey's texts are HTML: the plain text a reader sees, with paragraphs and line breaks
/// as line breaks and the common character references decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            // A lone "<" is text, as browsers show it.
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..end].trim().to_ascii_lowercase();
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if matches!(name.as_str(), "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4") {
            out.push('\n');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    // Whitespace within a line collapses as in a browser; blank lines go.
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "auml" => Some('ä'),
                "ouml" => Some('ö'),
                "uuml" => Some('ü'),
                "Auml" => Some('Ä'),
                "Ouml" => Some('Ö'),
                "Uuml" => Some('Ü'),
                "szlig" => Some('ß'),
                "euro" => Some('€'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32)
                    .filter(|c| *c != '\0'),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(plain_text("<p>Wie  viele <b>Angebote</b>?</p>"), "Wie viele Angebote?");
        assert_eq!(plain_text("Zeile 1<br />Zeile 2"), "Zeile 1\nZeile 2");
        assert_eq!(plain_text("Gr&ouml;&szlig;e &amp; Zahl&#39;s &#x263A;"), "Größe & Zahl's ☺");
        assert_eq!(plain_text("a < b & c"), "a < b & c");
        assert_eq!(plain_text("&#0; &#99999999;"), "&#0; &#99999999;");
    }

    #[test]
    fn german_is_preferred() {
        let langs = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(choose_language(&langs(&["en", "de"])), "de");
        assert_eq!(choose_language(&langs(&["en", "de-informal"])), "de-informal");
        assert_eq!(choose_language(&langs(&["fr", "en"])), "fr");
        assert_eq!(choose_language(&[]), "");
    }
}

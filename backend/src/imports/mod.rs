//! Bringing earlier surveys in: another survey tool's structure file becomes a draft
//! questionnaire, and whatever cannot be carried over is listed by its code with the reason,
//! never dropped silently. The readers per format are pure: bytes in, [`ImportedStructure`] or
//! an [`ImportError`] out; storing the draft is the use case's job.

pub mod limesurvey;
pub(crate) mod store;
pub mod structure;
pub mod use_cases;
pub mod xlsform;

use domain::locale::code_from_label;
use domain::Questionnaire;
use std::collections::HashSet;

/// A structure read from another tool's file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedStructure {
    /// The draft (id 0, status draft); it passes `Questionnaire::check_draft`.
    pub questionnaire: Questionnaire,
    /// Everything that could not be carried over, in the order of the source file.
    pub unmapped: Vec<Unmapped>,
}

/// One element of the source that the draft lacks or holds only in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// The code in the source file (question, subquestion, group or answer code).
    pub code: String,
    /// Why, in German: "Fragetyp „R“ (Rangfolge) wird nicht unterstützt."
    pub reason: String,
}

/// Why a file could not be read at all, in German, naming the place where possible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

/// The code a source identifier gets here: lowercase letters, digits and underscores (see
/// `domain::is_code`), unique among `taken`. Source codes such as "Q1", "SQ001" or "g-2" keep
/// their reading ("q1", "sq001", "g_2"); an empty result becomes `fallback` numbered.
pub fn code_from_source(raw: &str, fallback: &str, taken: &mut HashSet<String>) -> String {
    let base = match code_from_label(raw) {
        code if code.is_empty() => fallback.to_string(),
        code => code,
    };
    let mut code = base.clone();
    let mut n = 2;
    while !taken.insert(code.clone()) {
        let suffix = format!("_{n}");
        let room = 40usize.saturating_sub(suffix.len());
        code = format!("{}{suffix}", base.chars().take(room).collect::<String>());
        n += 1;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_codes_become_valid_unique_codes() {
        let mut taken = HashSet::new();
        assert_eq!(code_from_source("Q1", "frage", &mut taken), "q1");
        assert_eq!(code_from_source("q1", "frage", &mut taken), "q1_2");
        assert_eq!(code_from_source("g-2", "frage", &mut taken), "g_2");
        assert_eq!(code_from_source("", "frage", &mut taken), "frage");
        assert_eq!(code_from_source("!!", "frage", &mut taken), "frage_2");
        let long = "x".repeat(60);
        let first = code_from_source(&long, "frage", &mut taken);
        let second = code_from_source(&long, "frage", &mut taken);
        assert_eq!(first.len(), 40);
        assert!(second.len() <= 40 && second.ends_with("_2"));
        for code in [&first, &second] {
            assert!(domain::questionnaire::is_code(code), "{code}");
        }
    }
}

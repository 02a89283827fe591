//! The survey's domain: reference data, the questionnaire model, answers, conditions and
//! validation. Pure Rust without I/O, compiled for the server and for the browser, so that the
//! browser evaluates conditions with exactly the rules the server enforces.

pub mod accounts;
pub mod answers;
pub mod builder;
pub mod clock;
pub mod concept;
pub mod concept_report;
pub mod county_map;
pub mod dashboard;
pub mod default_questionnaire;
pub mod disclosure;
pub mod error;
pub mod filter;
pub mod form;
pub mod imports;
pub mod invitations;
pub mod locale;
pub mod number;
pub mod organisations;
pub mod protected;
pub mod questionnaire;
pub mod reference;
pub mod response;
pub mod staff;
pub mod stats;
pub mod validation;
pub mod views;
pub mod wave_comparison;
pub mod waves;

pub use answers::{Answer, Answers};
pub use error::AppError;
pub use questionnaire::{
    Choice, Condition, Question, QuestionKind, Questionnaire, QuestionnaireStatus, Reference, Theme,
};
pub use response::{ResponseStatus, Review};

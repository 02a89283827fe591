//! The questionnaires: the list with status and versions, and the builder (editor, question
//! form, preview). Forms post to the server crate's `routes::questionnaires`.

pub mod builder;
mod fns;
mod list;

pub use list::QuestionnairesPage;

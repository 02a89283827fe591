//! The respondent's pages: the start of a personal or an open link, the question pages, the
//! review with submit, the thanks and the copy of the answers. They read through [`fns`];
//! their forms post to the server crate's `routes::respondent`.

pub mod fns;
pub mod open_start;
pub mod question_page;
pub mod review;
pub mod start;

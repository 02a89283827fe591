//! The default questionnaire, created on first start. Filled in below.

//! The invitation and reminder forms: which organisations get a link, which responses a
//! reminder (none chosen: all that are due). The field names are the pages' `name=` attributes.

use crate::form;
use serde::Deserialize;

/// The fields' names, as the pages send them.
pub mod field {
    /// An organisation's check box in the register.
    pub const ORGANISATION: &str = "organisation";
    /// A response to remind, on the progress page.
    pub const RESPONSE: &str = "antwort";
}

/// Links for the chosen organisations, as mail-merge file or by e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct InvitationForm {
    #[serde(rename = "organisation", default, deserialize_with = "form::ids")]
    pub organisations: Vec<i64>,
}

/// Reminders for the chosen responses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ReminderForm {
    #[serde(rename = "antwort", default, deserialize_with = "form::ids")]
    pub responses: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::read;

    #[test]
    fn forms_read_the_pages_field_names() {
        let form: InvitationForm = read(&[
            (field::ORGANISATION, "3"),
            ("csrf", "x"),
            (field::ORGANISATION, "kein"),
            (field::ORGANISATION, "7"),
        ]);
        assert_eq!(form.organisations, [3, 7]);
        assert_eq!(read::<InvitationForm>(&[]).organisations, Vec::<i64>::new());
        assert_eq!(read::<ReminderForm>(&[(field::RESPONSE, "12")]).responses, [12]);
    }
}

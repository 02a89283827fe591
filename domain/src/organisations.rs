//! The form of an organisation added by hand, and the register entry it is checked into. The
//! field names are the page's `name=` attributes.

use crate::form::{self, FormValues};
use crate::reference::{municipality, org_kind, MUNICIPALITIES};
use crate::staff::is_plausible_email;
use crate::validation::FieldError;
use serde::Deserialize;

/// The fields' names, as the page sends them.
pub mod field {
    pub const NAME: &str = "name";
    pub const KIND: &str = "art";
    pub const MUNICIPALITIES: &str = "kommunen";
    pub const EMAIL: &str = "email";
    /// The import's file (a multipart form).
    pub const FILE: &str = "datei";
}

/// The id of a municipality's check box; the first one carries the group's problems.
pub fn municipality_field(ags: &str) -> String {
    format!("{}-{ags}", field::MUNICIPALITIES)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OrganisationForm {
    #[serde(rename = "name", default, deserialize_with = "form::text")]
    pub name: String,
    #[serde(rename = "art", default, deserialize_with = "form::text")]
    pub kind: String,
    #[serde(rename = "kommunen", default, deserialize_with = "form::texts")]
    pub municipalities: Vec<String>,
    #[serde(rename = "email", default, deserialize_with = "form::text")]
    pub email: String,
}

/// An organisation for the register: the name with single spaces, a known kind, the
/// municipalities sorted and once, the address in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationEntry {
    pub name: String,
    pub kind: String,
    pub municipalities: Vec<String>,
    pub email: Option<String>,
}

impl OrganisationForm {
    pub fn validate(&self) -> Result<OrganisationEntry, Vec<FieldError>> {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let email = self.email.to_lowercase();
        let first_municipality = municipality_field(MUNICIPALITIES[0].ags);
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new(
                field::NAME,
                "Bitte geben Sie den Namen der Organisation an.",
            ));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new(
                field::NAME,
                "Der Name darf höchstens 200 Zeichen lang sein.",
            ));
        }
        if org_kind(&self.kind).is_none() {
            errors.push(FieldError::new(field::KIND, "Bitte wählen Sie die Art der Organisation."));
        }
        if self.municipalities.is_empty() {
            errors.push(FieldError::new(
                first_municipality,
                "Bitte wählen Sie mindestens eine Kommune.",
            ));
        } else if self.municipalities.iter().any(|a| municipality(a).is_none()) {
            errors
                .push(FieldError::new(first_municipality, "Eine gewählte Kommune ist unbekannt."));
        }
        if !email.is_empty() && !is_plausible_email(&email) {
            errors.push(FieldError::new(
                field::EMAIL,
                "Bitte geben Sie eine gültige E-Mail-Adresse an oder lassen Sie das Feld leer.",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut municipalities = self.municipalities.clone();
        municipalities.sort();
        municipalities.dedup();
        Ok(OrganisationEntry {
            name,
            kind: self.kind.clone(),
            municipalities,
            email: (!email.is_empty()).then_some(email),
        })
    }
}

impl FormValues for OrganisationForm {
    fn values(&self) -> Vec<(String, String)> {
        let mut values = vec![
            (field::NAME.to_string(), self.name.clone()),
            (field::KIND.to_string(), self.kind.clone()),
        ];
        values
            .extend(self.municipalities.iter().map(|a| (field::MUNICIPALITIES.into(), a.clone())));
        values.push((field::EMAIL.to_string(), self.email.clone()));
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::read;

    #[test]
    fn the_form_reads_the_pages_field_names() {
        let form: OrganisationForm = read(&[
            (field::NAME, "  Kita   Sonnenschein "),
            (field::KIND, "kita"),
            (field::MUNICIPALITIES, "05154036"),
            (field::MUNICIPALITIES, "05154008"),
            (field::MUNICIPALITIES, "05154036"),
            (field::EMAIL, "Kita@Example.org"),
        ]);
        assert_eq!(
            form.validate().unwrap(),
            OrganisationEntry {
                name: "Kita Sonnenschein".into(),
                kind: "kita".into(),
                municipalities: vec!["05154008".into(), "05154036".into()],
                email: Some("kita@example.org".into()),
            }
        );
        let form: OrganisationForm = read(&[(field::MUNICIPALITIES, "99999999")]);
        let errors = form.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field_id.as_str()).collect();
        assert_eq!(fields, ["name", "art", &municipality_field(MUNICIPALITIES[0].ags)]);
    }
}

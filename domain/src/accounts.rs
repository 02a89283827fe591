//! The accounts' forms (sign-in, the own password, a new account, an account's role, working
//! groups and lock) and the commands they are checked into. The field names are the pages'
//! `name=` attributes.

use crate::form::{self, FormValues, Keyword};
use crate::staff::{check_new_password, is_plausible_email, Role, ThemeChoice};
use crate::validation::FieldError;
use serde::Deserialize;

/// The fields' names, as the pages send them.
pub mod field {
    pub const EMAIL: &str = "email";
    pub const NAME: &str = "name";
    pub const ROLE: &str = "rolle";
    pub const THEMES: &str = "themen";
    pub const DISABLED: &str = "gesperrt";
    pub const PASSWORD: &str = "passwort";
    pub const PASSWORD_REPEATED: &str = "passwort_wiederholt";
    pub const NEW_PASSWORD: &str = "neues_passwort";
    pub const NEW_PASSWORD_REPEATED: &str = "neues_passwort_wiederholt";
    /// The sign-in's return path.
    pub const NEXT: &str = "weiter";
}

impl Keyword for Role {
    fn from_keyword(word: &str) -> Option<Self> {
        Role::parse(word)
    }
}

/// The sign-in form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SignInForm {
    #[serde(rename = "email", default, deserialize_with = "form::text")]
    pub email: String,
    #[serde(rename = "passwort", default, deserialize_with = "form::as_typed")]
    pub password: String,
    /// Where to go afterwards; the server accepts only a plain local path, so it is not trimmed.
    #[serde(rename = "weiter", default, deserialize_with = "form::as_typed")]
    pub next: String,
}

/// The own password's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PasswordForm {
    #[serde(rename = "passwort", default, deserialize_with = "form::as_typed")]
    pub current: String,
    #[serde(rename = "neues_passwort", default, deserialize_with = "form::as_typed")]
    pub new: String,
    #[serde(rename = "neues_passwort_wiederholt", default, deserialize_with = "form::as_typed")]
    pub repeated: String,
}

/// A new password that fits the rules (the current one is checked against the stored hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    pub new: String,
}

impl PasswordForm {
    pub fn validate(&self) -> Result<PasswordChange, Vec<FieldError>> {
        let errors = check_new_password(
            &self.new,
            &self.repeated,
            field::NEW_PASSWORD,
            field::NEW_PASSWORD_REPEATED,
        );
        if errors.is_empty() {
            Ok(PasswordChange { new: self.new.clone() })
        } else {
            Err(errors)
        }
    }
}

/// The form of a new account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewAccountForm {
    #[serde(rename = "name", default, deserialize_with = "form::text")]
    pub name: String,
    #[serde(rename = "email", default, deserialize_with = "form::text")]
    pub email: String,
    #[serde(rename = "rolle", default, deserialize_with = "form::keyword")]
    pub role: Option<Role>,
    #[serde(rename = "themen", default, deserialize_with = "form::texts")]
    pub themes: Vec<String>,
    #[serde(rename = "passwort", default, deserialize_with = "form::as_typed")]
    pub password: String,
    #[serde(rename = "passwort_wiederholt", default, deserialize_with = "form::as_typed")]
    pub repeated: String,
}

/// A new account, checked: the address in lower case, themes only for members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub themes: Vec<String>,
    pub password: String,
}

/// The themes chosen, each one of `known`, sorted and once; else the problem with the first
/// unknown one.
fn checked_themes(chosen: &[String], known: &[ThemeChoice]) -> Result<Vec<String>, String> {
    let mut themes = Vec::new();
    for code in chosen {
        if !known.iter().any(|t| &t.code == code) {
            return Err(format!("Das Handlungsfeld „{code}“ gibt es nicht."));
        }
        themes.push(code.clone());
    }
    themes.sort();
    themes.dedup();
    Ok(themes)
}

impl NewAccountForm {
    /// The address as it is stored and shown.
    pub fn email(&self) -> String {
        self.email.to_lowercase()
    }

    /// Checks the form; `known` are the themes working groups can have.
    pub fn validate(&self, known: &[ThemeChoice]) -> Result<NewAccount, Vec<FieldError>> {
        let email = self.email();
        let name = &self.name;
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new(field::NAME, "Bitte geben Sie den Namen der Person an."));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new(
                field::NAME,
                "Der Name darf höchstens 200 Zeichen lang sein.",
            ));
        }
        if email.is_empty() {
            errors.push(FieldError::new(field::EMAIL, "Bitte geben Sie die E-Mail-Adresse an."));
        } else if !is_plausible_email(&email) {
            errors.push(FieldError::new(
                field::EMAIL,
                "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kreis-kleve.de.",
            ));
        }
        if self.role.is_none() {
            errors.push(FieldError::new(field::ROLE, "Bitte wählen Sie eine Rolle."));
        }
        let themes = checked_themes(&self.themes, known).unwrap_or_else(|message| {
            errors.push(FieldError::new(field::THEMES, message));
            vec![]
        });
        if self.role == Some(Role::Member) && themes.is_empty() {
            errors.push(FieldError::new(
                field::THEMES,
                "Bitte wählen Sie mindestens ein Handlungsfeld für die Arbeitsgruppe.",
            ));
        }
        errors.extend(
            check_new_password(
                &self.password,
                &self.repeated,
                field::PASSWORD,
                field::PASSWORD_REPEATED,
            )
            .into_iter()
            .map(|e| FieldError::new(e.field_id, e.message.replace("neue Passwort", "Passwort"))),
        );
        match (self.role, errors.is_empty()) {
            (Some(role), true) => Ok(NewAccount {
                name: name.clone(),
                email,
                role,
                themes: if role == Role::Admin { vec![] } else { themes },
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }
}

impl FormValues for NewAccountForm {
    fn values(&self) -> Vec<(String, String)> {
        let mut values = vec![
            (field::NAME.to_string(), self.name.clone()),
            (field::EMAIL.to_string(), self.email.clone()),
        ];
        values.extend(self.role.map(|r| (field::ROLE.to_string(), r.as_str().to_string())));
        values.extend(self.themes.iter().map(|t| (field::THEMES.to_string(), t.clone())));
        values
    }
}

/// The form of an existing account: role, working groups, lock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AccountForm {
    /// Without a role chosen the account keeps its own.
    #[serde(rename = "rolle", default, deserialize_with = "form::keyword")]
    pub role: Option<Role>,
    #[serde(rename = "themen", default, deserialize_with = "form::texts")]
    pub themes: Vec<String>,
    #[serde(rename = "gesperrt", default, deserialize_with = "form::checked")]
    pub disabled: bool,
}

/// An account's new role, working groups (none for administrators) and lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountUpdate {
    pub role: Role,
    pub disabled: bool,
    pub themes: Vec<String>,
}

/// The id of a field of account `id`'s form, e.g. `themen-7`.
pub fn account_field(name: &str, id: i64) -> String {
    format!("{name}-{id}")
}

impl AccountForm {
    /// Checks the form of account `id` (of `name`, now in role `current`); problems are at
    /// that account's fields. Whether the last administrator would go is the use case's check.
    pub fn validate(
        &self,
        id: i64,
        name: &str,
        current: Role,
        known: &[ThemeChoice],
    ) -> Result<AccountUpdate, Vec<FieldError>> {
        let role = self.role.unwrap_or(current);
        let mut errors = Vec::new();
        let themes = checked_themes(&self.themes, known).unwrap_or_else(|message| {
            errors.push(FieldError::new(account_field(field::THEMES, id), message));
            vec![]
        });
        if role == Role::Member && themes.is_empty() && !self.disabled {
            errors.push(FieldError::new(
                account_field(field::THEMES, id),
                format!("Bitte wählen Sie für {name} mindestens ein Handlungsfeld."),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let themes = if role == Role::Admin { vec![] } else { themes };
        Ok(AccountUpdate { role, disabled: self.disabled, themes })
    }
}

impl FormValues for AccountForm {
    fn values(&self) -> Vec<(String, String)> {
        let mut values: Vec<(String, String)> = self
            .role
            .map(|r| (field::ROLE.to_string(), r.as_str().to_string()))
            .into_iter()
            .collect();
        values.extend(self.themes.iter().map(|t| (field::THEMES.to_string(), t.clone())));
        if self.disabled {
            values.push((field::DISABLED.to_string(), "1".to_string()));
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::read;

    const PASSWORD: &str = "ein langes Passwort";

    fn themes() -> Vec<ThemeChoice> {
        ["sprache", "wohnen"]
            .map(|c| ThemeChoice { code: c.into(), title: c.to_uppercase() })
            .to_vec()
    }

    #[test]
    fn forms_read_the_pages_field_names() {
        let sign_in: SignInForm = read(&[
            (field::EMAIL, " KI@kreis-kleve.de "),
            (field::PASSWORD, " geheim "),
            (field::NEXT, "/verwaltung/konten"),
        ]);
        assert_eq!(
            sign_in,
            SignInForm {
                email: "KI@kreis-kleve.de".into(),
                password: " geheim ".into(),
                next: "/verwaltung/konten".into()
            }
        );
        let password: PasswordForm = read(&[
            (field::PASSWORD, "alt"),
            (field::NEW_PASSWORD, "neu"),
            (field::NEW_PASSWORD_REPEATED, "neu "),
            ("csrf", "x"),
        ]);
        assert_eq!((password.current.as_str(), password.repeated.as_str()), ("alt", "neu "));
        let new: NewAccountForm = read(&[
            (field::NAME, "Ada"),
            (field::EMAIL, "Ada@Kreis-Kleve.de"),
            (field::ROLE, "member"),
            (field::THEMES, "wohnen"),
            (field::THEMES, "sprache"),
            (field::THEMES, "wohnen"),
            (field::PASSWORD, PASSWORD),
            (field::PASSWORD_REPEATED, PASSWORD),
        ]);
        let account = new.validate(&themes()).unwrap();
        assert_eq!(account.email, "ada@kreis-kleve.de");
        assert_eq!(account.themes, ["sprache", "wohnen"]);
        assert!(!new.values().iter().any(|(k, _)| k.contains("passwort")), "never kept");
        let update: AccountForm =
            read(&[(field::ROLE, "admin"), (field::THEMES, "sprache"), (field::DISABLED, "1")]);
        assert_eq!(
            update.validate(7, "Ada", Role::Member, &themes()).unwrap(),
            AccountUpdate { role: Role::Admin, disabled: true, themes: vec![] }
        );
    }

    #[test]
    fn problems_name_their_fields() {
        let new: NewAccountForm = read(&[(field::ROLE, "member"), (field::THEMES, "bauen")]);
        let fields: Vec<String> =
            new.validate(&themes()).unwrap_err().into_iter().map(|e| e.field_id).collect();
        assert_eq!(fields, ["name", "email", "themen", "themen", "passwort"]);
        let update: AccountForm = read(&[]);
        let errors = update.validate(7, "Ada", Role::Member, &themes()).unwrap_err();
        assert_eq!(errors[0].field_id, "themen-7");
        assert!(errors[0].message.contains("für Ada"), "{}", errors[0].message);
        assert!(update.validate(7, "Ada", Role::Admin, &themes()).is_ok());
    }
}

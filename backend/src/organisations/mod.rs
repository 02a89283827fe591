//! The organisations to invite: listed, added one by one, imported from a file.

pub mod import;
pub(crate) mod store;

pub use store::{NewOrganisation, OrganisationRow};

use crate::organisations::import::{
    parse_organisations, registered_problems, ImportProblem, MAX_NAME_CHARS,
};
use crate::staff::{
    kind_label, municipality_name, refused, require_admin, FormOutcome, Staff, PAGE_SIZE,
};
use domain::organisations::{field, OrganisationForm};
use domain::staff::{OrganisationView, OrganisationsPage, Principal};
use domain::validation::FieldError;
use domain::AppError;

impl Staff {
    /// One page of the register (`page` from 1; beyond the last, the last), optionally only
    /// names containing `search`, with the forms around it.
    pub async fn organisations_page(
        &self,
        principal: &Principal,
        page: u32,
        search: &str,
    ) -> Result<OrganisationsPage, AppError> {
        require_admin(principal)?;
        let search = search.split_whitespace().collect::<Vec<_>>().join(" ");
        let search: String = search.chars().take(MAX_NAME_CHARS).collect();
        let mut page = page.max(1);
        let (mut total, mut rows) =
            self.store.organisation_page(&search, PAGE_SIZE, (page as i64 - 1) * PAGE_SIZE).await?;
        let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1) as u32;
        if page > last {
            // A bookmarked page after the register shrank: show its last page instead of none.
            page = last;
            (total, rows) = self
                .store
                .organisation_page(&search, PAGE_SIZE, (page as i64 - 1) * PAGE_SIZE)
                .await?;
        }
        let organisations = rows
            .into_iter()
            .map(|o| OrganisationView {
                id: o.id,
                name: o.name,
                kind_label: kind_label(Some(&o.kind)),
                municipalities: o.municipalities.iter().map(|a| municipality_name(a)).collect(),
                email: o.email,
            })
            .collect();
        Ok(OrganisationsPage {
            me: principal.clone(),
            organisations,
            total,
            page,
            has_more: page < last,
            search,
            questionnaires: self.questionnaire_choices().await?,
            mail_enabled: self.mail_enabled(),
        })
    }

    pub async fn create_organisation(
        &self,
        principal: &Principal,
        form: &OrganisationForm,
    ) -> Result<FormOutcome<i64>, AppError> {
        require_admin(principal)?;
        let entry = match form.validate() {
            Ok(entry) => entry,
            Err(errors) => return Ok(refused(form, errors)),
        };
        let name = entry.name;
        let new = NewOrganisation {
            name: name.clone(),
            kind: entry.kind,
            municipalities: entry.municipalities,
            email: entry.email,
        };
        let Ok(ids) = self.store.register_organisations(vec![new], true).await? else {
            let errors = vec![FieldError::new(
                field::NAME,
                format!("„{name}“ ist mit dieser Art schon im Verzeichnis."),
            )];
            return Ok(refused(form, errors));
        };
        let id = ids[0];
        self.store.audit_by(principal, "Organisation angelegt", &name).await?;
        Ok(FormOutcome::Done(id))
    }

    /// Imports a CSV file: all rows or, if any row is wrong or already registered, none.
    pub async fn import_organisations(
        &self,
        principal: &Principal,
        bytes: &[u8],
    ) -> Result<Result<usize, Vec<ImportProblem>>, AppError> {
        require_admin(principal)?;
        let parsed = match parse_organisations(bytes) {
            Ok(p) => p,
            Err(problems) => return Ok(Err(problems)),
        };
        let lines: Vec<usize> = parsed.iter().map(|o| o.line).collect();
        let new: Vec<NewOrganisation> = parsed
            .into_iter()
            .map(|o| NewOrganisation {
                name: o.name,
                kind: o.kind.to_string(),
                municipalities: o.municipalities.into_iter().map(String::from).collect(),
                email: o.email,
            })
            .collect();
        let count = new.len();
        let names: Vec<String> = new.iter().map(|o| o.name.clone()).collect();
        if let Err(known) = self.store.register_organisations(new, true).await? {
            return Ok(Err(registered_problems(
                known.into_iter().map(|i| (lines[i], names[i].as_str())),
            )));
        }
        self.store
            .audit_by(principal, "Organisationen importiert", &format!("{count} Organisationen"))
            .await?;
        Ok(Ok(count))
    }

    // ---- Invitations ----
}

//! Invitation links: issued for organisations, sent by e-mail, reminded, listed for mail merge.

pub(crate) mod store;

pub use store::{NewInvitation, ReminderTarget};

use crate::db::StoredQuestionnaire;
use crate::lease::MailRoundLease;
use crate::mail::{self, MailText, Mailer, SendFailure, SurveyFacts};
use crate::organisations::OrganisationRow;
use crate::respondent::profile_answers;
use crate::staff::{kind_label, municipality_name, require_admin, Staff};
use crate::{now_ms, token};
use domain::staff::Principal;
use domain::{AppError, QuestionnaireStatus, ResponseStatus};

/// One mail that did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFailure {
    pub organisation: String,
    pub email: String,
    pub reason: &'static str,
}

/// What a round of invitations or reminders by e-mail did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailReport {
    /// Organisations whose mail went out.
    pub sent: Vec<String>,
    pub failed: Vec<MailFailure>,
    /// Organisations left out because the register has no address for them.
    pub without_email: usize,
    /// Mails not tried because the mail server could not be reached.
    pub not_attempted: usize,
}

impl MailReport {
    /// One line for the page, e.g. „2 Einladungen wurden per E-Mail versendet.“
    pub fn summary(&self, reminders: bool) -> String {
        let n = self.sent.len();
        let what = match (reminders, n) {
            (false, 1) => "1 Einladung wurde".to_string(),
            (false, n) => format!("{n} Einladungen wurden"),
            (true, 1) => "1 Erinnerung wurde".to_string(),
            (true, n) => format!("{n} Erinnerungen wurden"),
        };
        let mut text = format!("{what} per E-Mail versendet.");
        if !self.failed.is_empty() {
            text.push_str(&format!(" {} nicht (siehe unten).", self.failed.len()));
        }
        if self.not_attempted > 0 {
            text.push_str(&format!(
                " {} weitere wurden nicht versucht, weil der Mailserver nicht erreichbar war; bitte später erneut senden.",
                self.not_attempted
            ));
        }
        match self.without_email {
            0 => {}
            1 => text.push_str(" 1 Organisation ohne E-Mail-Adresse wurde übergangen; ihren Link erzeugen Sie als CSV-Datei für einen Serienbrief."),
            k => text.push_str(&format!(" {k} Organisationen ohne E-Mail-Adresse wurden übergangen; ihre Links erzeugen Sie als CSV-Datei für einen Serienbrief.")),
        }
        text
    }

    /// One line per mail that did not go out.
    pub fn failure_lines(&self) -> Vec<String> {
        self.failed
            .iter()
            .map(|f| format!("{} ({}): {}", f.organisation, f.email, f.reason))
            .collect()
    }

    fn audit_detail(&self, title: &str) -> String {
        let mut detail = format!("{title}: {} versendet", self.sent.len());
        if !self.failed.is_empty() {
            let addresses: Vec<&str> = self.failed.iter().map(|f| f.email.as_str()).collect();
            detail.push_str(&format!(
                ", {} fehlgeschlagen ({})",
                self.failed.len(),
                addresses.join(", ")
            ));
        }
        if self.not_attempted > 0 {
            detail.push_str(&format!(
                ", {} nicht versucht (Mailserver nicht erreichbar)",
                self.not_attempted
            ));
        }
        detail
    }
}

/// Invitation links just made, for the mail-merge file.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    pub organisation: String,
    pub kind_label: String,
    pub municipalities: Vec<String>,
    pub email: Option<String>,
    pub link: String,
}

impl Staff {
    /// Makes links for the chosen organisations (or, with none chosen, for every organisation
    /// without a link yet) and returns them for the mail merge; they cannot be shown again.
    pub async fn issue_invitations(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<Vec<IssuedLink>, AppError> {
        require_admin(principal)?;
        let stored = self.store.current_questionnaire(questionnaire_id).await?;
        let q = &stored.questionnaire;
        let organisations = self.store.organisations().await?;
        let already = self.store.invited_organisations(questionnaire_id).await?;
        let targets: Vec<_> = if chosen.is_empty() {
            organisations.into_iter().filter(|o| !already.contains(&o.id)).collect()
        } else {
            organisations.into_iter().filter(|o| chosen.contains(&o.id)).collect()
        };
        if targets.is_empty() {
            return Err(AppError::BadRequest(if chosen.is_empty() {
                "Alle Organisationen haben bereits einen Link zu diesem Fragebogen. Wählen Sie Organisationen aus, um ihnen einen neuen Link auszustellen.".into()
            } else {
                "Die gewählten Organisationen gibt es nicht (mehr).".into()
            }));
        }
        let mut invitations = Vec::with_capacity(targets.len());
        let mut issued = Vec::with_capacity(targets.len());
        for o in targets {
            let answers = profile_answers(q, &o.kind, &o.municipalities);
            let link_token = token::generate();
            invitations.push(NewInvitation {
                organisation_id: o.id,
                token_hash: token::hash(&link_token),
                answers,
            });
            issued.push(IssuedLink {
                kind_label: kind_label(Some(&o.kind)),
                municipalities: o.municipalities.iter().map(|a| municipality_name(a)).collect(),
                organisation: o.name,
                email: o.email,
                link: format!("{}/f/{link_token}", self.public_base_url),
            });
        }
        self.store.create_invitations(&stored, &invitations).await?;
        self.store
            .audit_by(
                principal,
                "Einladungslinks erzeugt",
                &format!("{}: {} Links", q.title, issued.len()),
            )
            .await?;
        Ok(issued)
    }

    // ---- Invitations and reminders by e-mail ----

    fn mailer(&self) -> Result<&Mailer, AppError> {
        self.mailer.as_ref().ok_or_else(|| {
            AppError::BadRequest("Der Versand per E-Mail ist nicht eingerichtet. Erzeugen Sie die Links als CSV-Datei für einen Serienbrief.".into())
        })
    }

    /// The questionnaire, if it takes answers: links to any other would lead nowhere.
    async fn questionnaire_for_mail(
        &self,
        questionnaire_id: i64,
    ) -> Result<std::sync::Arc<StoredQuestionnaire>, AppError> {
        let stored = self.store.current_questionnaire(questionnaire_id).await?;
        if stored.questionnaire.status != QuestionnaireStatus::Open {
            return Err(AppError::BadRequest(format!(
                "Der Fragebogen „{}“ ist nicht geöffnet. E-Mails werden erst versendet, wenn er Antworten annimmt.",
                stored.questionnaire.title
            )));
        }
        Ok(stored)
    }

    fn link(&self, link_token: &str) -> String {
        format!("{}/f/{link_token}", self.public_base_url)
    }

    /// Makes a link, mails it and only then counts it (revoking the organisation's older unused
    /// link); if the mail does not go out, the new link is deleted again and the old one stays.
    #[allow(clippy::too_many_arguments)]
    async fn mail_new_link(
        &self,
        mailer: &Mailer,
        stored: &StoredQuestionnaire,
        o: &OrganisationRow,
        email: &str,
        text: impl FnOnce(&str) -> MailText,
        invited_mail_at: Option<i64>,
        reminder: bool,
    ) -> Result<Result<(), SendFailure>, AppError> {
        let link_token = token::generate();
        let answers = profile_answers(&stored.questionnaire, &o.kind, &o.municipalities);
        let id = self
            .store
            .insert_invitation(
                stored,
                &NewInvitation {
                    organisation_id: o.id,
                    token_hash: token::hash(&link_token),
                    answers,
                },
            )
            .await?;
        match mailer.send(email, &text(&self.link(&link_token))).await {
            Ok(()) => {
                let now = now_ms();
                let invited = if reminder { invited_mail_at } else { Some(now) };
                self.store
                    .mark_invitation_mailed(id, invited, reminder.then_some(now), now)
                    .await?;
                Ok(Ok(()))
            }
            Err(failure) => {
                self.store.delete_response(id, stored).await?;
                Ok(Err(failure))
            }
        }
    }

    /// Audits a round of mails, also one that broke off, and reports it (or why it broke off).
    async fn close_mail_round(
        &self,
        principal: &Principal,
        action: &str,
        title: &str,
        report: MailReport,
        error: Option<AppError>,
    ) -> Result<MailReport, AppError> {
        self.store.audit_by(principal, action, &report.audit_detail(title)).await?;
        match error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Mails personal links to the chosen organisations (or, with none chosen, to every
    /// organisation without a link yet) that have an address. Each mail is its own step: a
    /// refused address is reported and the others still go out.
    pub async fn mail_invitations(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        self.mail_round(principal, questionnaire_id, Round::Invitations, chosen).await
    }

    /// Reminds organisations whose link is not submitted (all, or the chosen responses), one
    /// mail per organisation. Those that have not begun get a fresh link replacing the unused
    /// one; those that have begun a reminder without link, as their link is not stored.
    pub async fn mail_reminders(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        self.mail_round(principal, questionnaire_id, Round::Reminders, chosen).await
    }

    async fn mail_round(
        &self,
        principal: &Principal,
        questionnaire_id: i64,
        round: Round,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        require_admin(principal)?;
        let mailer = self.mailer()?;
        // One round per questionnaire at a time, in whichever instance: two clicks must not
        // mail two links to one organisation, the second revoking the first.
        let lease = MailRoundLease::acquire(&self.store, questionnaire_id).await?;
        let report = self.send_round(principal, mailer, questionnaire_id, round, chosen).await;
        lease.release().await;
        report
    }

    async fn send_round(
        &self,
        principal: &Principal,
        mailer: &Mailer,
        questionnaire_id: i64,
        round: Round,
        chosen: &[i64],
    ) -> Result<MailReport, AppError> {
        let stored = self.questionnaire_for_mail(questionnaire_id).await?;
        let q = &stored.questionnaire;
        let (mails, without_email) = match round {
            Round::Invitations => self.invitation_mails(questionnaire_id, chosen).await?,
            Round::Reminders => self.reminder_mails(questionnaire_id, chosen).await?,
        };
        let contact = mailer.contact();
        let mut report = MailReport { without_email, ..Default::default() };
        let mut error = None;
        let mut stopped = false;
        for (o, email, mail) in &mails {
            if stopped {
                report.not_attempted += 1;
                continue;
            }
            let facts = SurveyFacts {
                organisation: &o.name,
                questionnaire_title: &q.title,
                deadline: q.deadline.as_deref(),
                duration_minutes: q.duration_minutes,
                contact: &contact,
            };
            let outcome = match mail {
                Mail::Invitation => {
                    let text = |link: &str| mail::invitation_text(&facts, link);
                    self.mail_new_link(mailer, &stored, o, email, text, None, false).await
                }
                Mail::ReminderWithNewLink { invited_mail_at } => {
                    let text = |link: &str| mail::reminder_text(&facts, Some(link));
                    self.mail_new_link(mailer, &stored, o, email, text, *invited_mail_at, true)
                        .await
                }
                Mail::Reminder { response_id } => {
                    match mailer.send(email, &mail::reminder_text(&facts, None)).await {
                        Ok(()) => {
                            let marked = self.store.mark_reminded(*response_id, now_ms()).await;
                            marked.map(Ok).map_err(AppError::from)
                        }
                        Err(failure) => Ok(Err(failure)),
                    }
                }
            };
            match outcome {
                Ok(outcome) => stopped = !report.record(o, email.clone(), outcome),
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        self.close_mail_round(principal, round.audit_action(), &q.title, report, error).await
    }

    /// The invitations of a round, and how many organisations lack an address.
    async fn invitation_mails(
        &self,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<(Vec<(OrganisationRow, String, Mail)>, usize), AppError> {
        let organisations = self.store.organisations().await?;
        let already = self.store.invited_organisations(questionnaire_id).await?;
        let targets: Vec<OrganisationRow> = if chosen.is_empty() {
            organisations.into_iter().filter(|o| !already.contains(&o.id)).collect()
        } else {
            organisations.into_iter().filter(|o| chosen.contains(&o.id)).collect()
        };
        let mut without = 0;
        let mut mails = Vec::new();
        for o in targets {
            match address_of(&o) {
                Some(email) => mails.push((o, email, Mail::Invitation)),
                None => without += 1,
            }
        }
        if mails.is_empty() {
            return Err(AppError::BadRequest(match (chosen.is_empty(), without == 0) {
                (true, true) => "Alle Organisationen haben bereits einen Link zu diesem Fragebogen. Wählen Sie Organisationen aus, um ihnen einen neuen Link zu senden.".into(),
                (true, false) => "Keine Organisation ohne Link hat eine E-Mail-Adresse. Erzeugen Sie die Links als CSV-Datei für einen Serienbrief.".into(),
                (false, true) => "Die gewählten Organisationen gibt es nicht (mehr).".into(),
                (false, false) => "Keine der gewählten Organisationen hat eine E-Mail-Adresse.".into(),
            }));
        }
        Ok((mails, without))
    }

    /// The reminders of a round (one per organisation, for its newest open link), and how
    /// many organisations lack an address.
    async fn reminder_mails(
        &self,
        questionnaire_id: i64,
        chosen: &[i64],
    ) -> Result<(Vec<(OrganisationRow, String, Mail)>, usize), AppError> {
        let mut organisations: std::collections::HashMap<i64, OrganisationRow> =
            self.store.organisations().await?.into_iter().map(|o| (o.id, o)).collect();
        // The newest open link of each organisation.
        let mut targets: Vec<crate::invitations::ReminderTarget> = Vec::new();
        for t in self.store.reminder_targets(questionnaire_id).await? {
            if !chosen.is_empty() && !chosen.contains(&t.response_id) {
                continue;
            }
            targets.retain(|x| x.organisation_id != t.organisation_id);
            targets.push(t);
        }
        if targets.is_empty() {
            return Err(AppError::BadRequest(if chosen.is_empty() {
                "Alle Organisationen mit Link haben den Fragebogen abgeschickt: Niemand ist zu erinnern.".into()
            } else {
                "Die gewählten Links sind schon abgeschickt oder zurückgezogen.".into()
            }));
        }
        let mut without = 0;
        let mut mails = Vec::new();
        for t in targets {
            let Some(o) = organisations.remove(&t.organisation_id) else { continue };
            let Some(email) = address_of(&o) else {
                without += 1;
                continue;
            };
            let mail = if t.status == ResponseStatus::Invited {
                Mail::ReminderWithNewLink { invited_mail_at: t.invited_mail_at }
            } else {
                Mail::Reminder { response_id: t.response_id }
            };
            mails.push((o, email, mail));
        }
        Ok((mails, without))
    }
}

#[derive(Debug, Clone, Copy)]
enum Round {
    Invitations,
    Reminders,
}

impl Round {
    fn audit_action(self) -> &'static str {
        match self {
            Self::Invitations => "Einladungen per E-Mail versendet",
            Self::Reminders => "Erinnerungen per E-Mail versendet",
        }
    }
}

/// One mail of a round.
enum Mail {
    Invitation,
    /// Not begun: a fresh link replaces the unused one.
    ReminderWithNewLink {
        invited_mail_at: Option<i64>,
    },
    /// Begun: a reminder without link, as the link is not stored.
    Reminder {
        response_id: i64,
    },
}

impl MailReport {
    /// Notes one mail's outcome; false when the rest should not be tried: the server, not
    /// the address, failed, and the others would fail alike.
    fn record(
        &mut self,
        o: &OrganisationRow,
        email: String,
        outcome: Result<(), SendFailure>,
    ) -> bool {
        match outcome {
            Ok(()) => {
                self.sent.push(o.name.clone());
                true
            }
            Err(failure) => {
                self.failed.push(MailFailure {
                    organisation: o.name.clone(),
                    email,
                    reason: failure.message(),
                });
                failure != SendFailure::Unreachable
            }
        }
    }
}

/// The organisation's address for invitations, if it has one.
fn address_of(o: &OrganisationRow) -> Option<String> {
    o.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(String::from)
}

/// The mail-merge file of freshly issued links (Excel dialect: `;`, UTF-8 with BOM, CRLF).
pub fn invitation_csv(links: &[IssuedLink]) -> Result<Vec<u8>, AppError> {
    use crate::csv_out::{CsvOut, Dialect};
    let mut out = CsvOut::new(Dialect::Excel);
    out.texts(["Organisation", "Art", "Kommunen", "E-Mail", "Link"])?;
    for l in links {
        out.texts([
            l.organisation.as_str(),
            l.kind_label.as_str(),
            l.municipalities.join(", ").as_str(),
            l.email.as_deref().unwrap_or(""),
            l.link.as_str(),
        ])?;
    }
    out.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_reports_read_well() {
        let mut report = MailReport { sent: vec!["A".into(), "B".into()], ..Default::default() };
        assert_eq!(report.summary(false), "2 Einladungen wurden per E-Mail versendet.");
        report.sent.pop();
        report.failed.push(MailFailure {
            organisation: "Kita X".into(),
            email: "x@example.org".into(),
            reason: SendFailure::Refused.message(),
        });
        report.without_email = 1;
        report.not_attempted = 3;
        let text = report.summary(true);
        assert!(
            text.starts_with("1 Erinnerung wurde per E-Mail versendet. 1 nicht (siehe unten)."),
            "{text}"
        );
        assert!(
            text.contains("3 weitere wurden nicht versucht")
                && text.contains("1 Organisation ohne E-Mail-Adresse"),
            "{text}"
        );
        assert_eq!(report.failure_lines(), ["Kita X (x@example.org): Der Mailserver hat die Nachricht an diese Adresse abgelehnt."]);
        let detail = report.audit_detail("Bedarfsanalyse");
        assert_eq!(detail, "Bedarfsanalyse: 1 versendet, 1 fehlgeschlagen (x@example.org), 3 nicht versucht (Mailserver nicht erreichbar)");
    }

    #[test]
    fn mail_merge_file_is_excel_friendly() {
        let links = vec![IssuedLink {
            organisation: "=Caritas; \"Kleve\"".into(),
            kind_label: "Wohlfahrtsverband".into(),
            municipalities: vec!["Kleve".into(), "Goch".into()],
            email: None,
            link: "http://x/f/abc".into(),
        }];
        let bytes = invitation_csv(&links).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\r\n"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[0], "'=Caritas; \"Kleve\"");
        assert_eq!(&record[2], "Kleve, Goch");
    }
}

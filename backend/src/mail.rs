//! Invitations and reminders by e-mail: the SMTP settings, the transport (lettre over tokio,
//! TLS by rustls), and the German plain-text mails as pure functions.
//!
//! Links are stored as hashes only, so a link can be put in a mail only when it is made. A
//! reminder to an organisation that has not begun therefore carries a fresh link that replaces
//! the unused one; a reminder to one that has begun carries no link (a new link would lock it
//! out of its draft), it points to the first mail instead. Nothing secret is kept in clear.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the mail server is secured (`SMTP_TLS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP, e.g. to a relay on the same host (default port 25).
    None,
    /// STARTTLS required (default port 587).
    StartTls,
    /// TLS from the first byte, "SMTPS" (default port 465).
    Tls,
}

impl SmtpTls {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" | "aus" | "off" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" | "smtps" => Some(Self::Tls),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

/// The mail server, from the environment (`SMTP_*`).
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `KI Kreis Kleve <ki@kreis-kleve.de>`; also the contact named in mails.
    pub from: String,
    pub tls: SmtpTls,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .finish()
    }
}

/// A mail to send: subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// Why one mail did not go out, in words an administrator can act on; the server's own
/// answer goes to the log only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFailure {
    /// The address cannot be used at all.
    InvalidAddress,
    /// The mail server refused this mail for good (e.g. unknown mailbox).
    Refused,
    /// The mail server refused for now (e.g. mailbox full, greylisting).
    Deferred,
    /// No conversation with the mail server (connection, TLS, log-in, timeout).
    Unreachable,
}

impl SendFailure {
    pub fn message(self) -> &'static str {
        match self {
            Self::InvalidAddress => "Die E-Mail-Adresse ist ungültig.",
            Self::Refused => "Der Mailserver hat die Nachricht an diese Adresse abgelehnt.",
            Self::Deferred => "Der Mailserver hat die Nachricht vorübergehend abgelehnt; bitte später erneut versuchen.",
            Self::Unreachable => "Der Mailserver war nicht erreichbar.",
        }
    }
}

/// Sends mails through the configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// How long one SMTP conversation step may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

impl Mailer {
    pub fn new(settings: &SmtpSettings) -> Result<Self, String> {
        let from: Mailbox = settings.from.parse().map_err(|_| {
            format!("SMTP_FROM „{}“ ist keine gültige Absenderadresse.", settings.from)
        })?;
        let host = settings.host.trim();
        let builder = match settings.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::StartTls | SmtpTls::Tls => {
                let parameters = TlsParameters::new(host.to_string())
                    .map_err(|e| format!("TLS für SMTP_HOST „{host}“ nicht möglich: {e}"))?;
                let tls = if settings.tls == SmtpTls::Tls {
                    Tls::Wrapper(parameters)
                } else {
                    Tls::Required(parameters)
                };
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).tls(tls)
            }
        };
        let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = settings.user.as_ref().filter(|u| !u.is_empty()) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                settings.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Self { transport: builder.build(), from })
    }

    /// The sender's address, named in the mails as contact.
    pub fn contact(&self) -> String {
        self.from.email.to_string()
    }

    /// Sends one mail to one address.
    pub async fn send(&self, to: &str, mail: &MailText) -> Result<(), SendFailure> {
        let to: Mailbox = to.trim().parse().map_err(|_| SendFailure::InvalidAddress)?;
        let body =
            Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| SendFailure::InvalidAddress)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| {
                tracing::warn!(error = %e, "mail not built");
                SendFailure::InvalidAddress
            })?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let failure = if e.is_permanent() {
                    SendFailure::Refused
                } else if e.is_transient() {
                    SendFailure::Deferred
                } else {
                    SendFailure::Unreachable
                };
                // The server's answer may say more; it stays in the log.
                tracing::warn!(error = %e, ?failure, "mail not sent");
                Err(failure)
            }
        }
    }
}

/// What a mail says about the survey.
#[derive(Debug, Clone, Copy)]
pub struct SurveyFacts<'a> {
    /// The organisation addressed.
    pub organisation: &'a str,
    pub questionnaire_title: &'a str,
    /// Deadline as shown to respondents (`TT.MM.JJJJ`), if set.
    pub deadline: Option<&'a str>,
    pub duration_minutes: u32,
    /// Address for questions (the sender's).
    pub contact: &'a str,
}

const SENDER_NAME: &str = "Kommunales Integrationszentrum Kreis Kleve";

const PRIVACY_HINT: &str = "Datenschutz: Die Teilnahme ist freiwillig. Ausgewertet und weitergegeben werden nur \
zusammengefasste Ergebnisse; Angaben aus weniger als drei Antworten werden nicht ausgewiesen. Der Link ist der \
Schlüssel zu Ihren Antworten: Wir speichern nur eine nicht umkehrbare Prüfsumme davon. Geben Sie ihn bitte nur \
innerhalb Ihrer Organisation weiter. Die vollständigen Datenschutzhinweise stehen auf der Startseite des Fragebogens.";

fn deadline_sentence(facts: &SurveyFacts) -> String {
    match facts.deadline {
        Some(d) => format!("Bitte beantworten Sie den Fragebogen bis zum {d}."),
        None => "Bitte beantworten Sie den Fragebogen möglichst bald.".to_string(),
    }
}

fn closing(facts: &SurveyFacts) -> String {
    format!(
        "Bei Fragen erreichen Sie uns unter {contact}.\n\n\
         Vielen Dank für Ihre Unterstützung!\n\n\
         Mit freundlichen Grüßen\n\
         {SENDER_NAME}\n\
         Nassauerallee 15–23, 47533 Kleve\n",
        contact = facts.contact
    )
}

/// The invitation with the organisation's personal link.
pub fn invitation_text(facts: &SurveyFacts, link: &str) -> MailText {
    let body = format!(
        "Guten Tag,\n\n\
         das {SENDER_NAME} lädt {organisation} herzlich zur Befragung „{title}“ ein. \
         Ihre Angaben zu bestehenden Angeboten und zu Bedarfen fließen in das Integrationskonzept des Kreises ein.\n\n\
         Ihr persönlicher Link zum Fragebogen:\n\
         {link}\n\n\
         Die Beantwortung dauert etwa {minutes} Minuten. Sie können jederzeit unterbrechen; \
         Ihre Angaben werden gespeichert und Sie setzen über denselben Link später fort. {deadline}\n\n\
         {privacy}\n\n\
         {closing}",
        organisation = facts.organisation,
        title = facts.questionnaire_title,
        minutes = facts.duration_minutes,
        deadline = deadline_sentence(facts),
        privacy = PRIVACY_HINT,
        closing = closing(facts),
    );
    MailText { subject: format!("Einladung zur Befragung: {}", facts.questionnaire_title), body }
}

/// A reminder. With a link (the organisation has not begun) it replaces the earlier link; without
/// one (it has begun) it points to the link of the first mail, where its answers are kept.
pub fn reminder_text(facts: &SurveyFacts, new_link: Option<&str>) -> MailText {
    let how = match new_link {
        Some(link) => format!(
            "Falls Sie noch nicht dazu gekommen sind: Hier ist Ihr neuer persönlicher Link zum Fragebogen. \
             Er ersetzt den Link aus unserer Einladung, der nicht mehr gilt.\n\
             {link}\n\n\
             Die Beantwortung dauert etwa {minutes} Minuten.",
            minutes = facts.duration_minutes
        ),
        None => "Sie haben den Fragebogen bereits begonnen, vielen Dank! Ihre bisherigen Angaben sind gespeichert, \
                 aber noch nicht abgeschickt. Bitte öffnen Sie den persönlichen Link aus unserer Einladung, \
                 ergänzen Sie Ihre Angaben und schicken Sie den Fragebogen auf der letzten Seite ab. \
                 Aus Sicherheitsgründen speichern wir den Link nicht und können ihn nicht erneut senden; \
                 falls er nicht mehr vorliegt, melden Sie sich bitte bei uns."
            .to_string(),
    };
    let body = format!(
        "Guten Tag,\n\n\
         wir möchten {organisation} freundlich an die Befragung „{title}“ erinnern. \
         Ihre Antworten sind uns wichtig.\n\n\
         {how}\n\n\
         {deadline}\n\n\
         {privacy}\n\n\
         {closing}",
        organisation = facts.organisation,
        title = facts.questionnaire_title,
        deadline = deadline_sentence(facts),
        privacy = PRIVACY_HINT,
        closing = closing(facts),
    );
    MailText { subject: format!("Erinnerung: Befragung „{}“", facts.questionnaire_title), body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(deadline: Option<&'static str>) -> SurveyFacts<'static> {
        SurveyFacts {
            organisation: "Kita Pusteblume",
            questionnaire_title: "Bedarfsanalyse 2026",
            deadline,
            duration_minutes: 30,
            contact: "ki@kreis-kleve.de",
        }
    }

    #[test]
    fn invitation_says_everything_needed() {
        let mail = invitation_text(&facts(Some("31.12.2026")), "https://umfrage.example/f/abc");
        assert_eq!(mail.subject, "Einladung zur Befragung: Bedarfsanalyse 2026");
        for text in [
            "Kita Pusteblume",
            "„Bedarfsanalyse 2026“",
            "\nhttps://umfrage.example/f/abc\n",
            "etwa 30 Minuten",
            "bis zum 31.12.2026",
            "Datenschutz:",
            "freiwillig",
            "ki@kreis-kleve.de",
            "Kommunales Integrationszentrum Kreis Kleve",
        ] {
            assert!(mail.body.contains(text), "{text} missing in {}", mail.body);
        }
        let without = invitation_text(&facts(None), "https://umfrage.example/f/abc");
        assert!(without.body.contains("möglichst bald") && !without.body.contains("bis zum"));
    }

    #[test]
    fn reminder_with_a_new_link_or_without() {
        let with = reminder_text(&facts(Some("31.12.2026")), Some("https://umfrage.example/f/neu"));
        assert!(with.subject.starts_with("Erinnerung"));
        assert!(with.body.contains("\nhttps://umfrage.example/f/neu\n"));
        assert!(with.body.contains("ersetzt den Link"));
        assert!(
            with.body.contains("bis zum 31.12.2026") && with.body.contains("ki@kreis-kleve.de")
        );
        let without = reminder_text(&facts(None), None);
        assert!(!without.body.contains("/f/"));
        assert!(
            without.body.contains("bereits begonnen")
                && without.body.contains("Link aus unserer Einladung")
        );
        assert!(without.body.contains("Datenschutz:"));
    }

    #[test]
    fn settings() {
        assert_eq!(SmtpTls::parse("STARTTLS"), Some(SmtpTls::StartTls));
        assert_eq!(SmtpTls::parse("none"), Some(SmtpTls::None));
        assert_eq!(SmtpTls::parse("tls").map(SmtpTls::default_port), Some(465));
        assert_eq!(SmtpTls::parse("ssl3"), None);
        let settings = SmtpSettings {
            host: "127.0.0.1".into(),
            port: 2525,
            user: Some("ki".into()),
            password: Some("geheim".into()),
            from: "KI Kreis Kleve <ki@kreis-kleve.de>".into(),
            tls: SmtpTls::None,
        };
        assert!(!format!("{settings:?}").contains("geheim"));
        let mailer = Mailer::new(&settings).unwrap();
        assert_eq!(mailer.contact(), "ki@kreis-kleve.de");
        assert!(Mailer::new(&SmtpSettings { from: "kein absender".into(), ..settings }).is_err());
    }

    #[tokio::test]
    async fn an_unreachable_server_is_reported_as_such() {
        // A port nobody listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let settings = SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            user: None,
            password: None,
            from: "ki@kreis-kleve.de".into(),
            tls: SmtpTls::None,
        };
        let mailer = Mailer::new(&settings).unwrap();
        let mail = MailText { subject: "Test".into(), body: "Grüße".into() };
        assert_eq!(mailer.send("kita@example.org", &mail).await, Err(SendFailure::Unreachable));
        assert_eq!(mailer.send("kein at", &mail).await, Err(SendFailure::InvalidAddress));
    }

    #[test]
    fn failures_are_plain_german() {
        for f in [
            SendFailure::InvalidAddress,
            SendFailure::Refused,
            SendFailure::Deferred,
            SendFailure::Unreachable,
        ] {
            let m = f.message();
            assert!(!m.contains("SMTP") && m.ends_with('.'), "{m}");
        }
    }
}

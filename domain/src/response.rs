//! The states of a response: where it stands (invited, draft, submitted, revoked) and whether
//! it counts in aggregated outputs (the review of open-link responses). Shared by the server
//! and the browser build; stored as the codes of `as_str`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseStatus {
    /// Invitation created, link not used yet.
    Invited,
    Draft,
    Submitted,
    /// The link was withdrawn.
    Revoked,
}

impl ResponseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Revoked => "revoked",
        }
    }

    /// The German wording on the staff's pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "eingeladen",
            Self::Draft => "begonnen",
            Self::Submitted => "abgeschickt",
            Self::Revoked => "zurückgezogen",
        }
    }

    /// Whether the link can still change the answers (not yet submitted, not withdrawn).
    pub fn is_unanswered(self) -> bool {
        matches!(self, Self::Invited | Self::Draft)
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "invited" => Some(Self::Invited),
            "draft" => Some(Self::Draft),
            "submitted" => Some(Self::Submitted),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }
}

/// Whether a response counts in aggregated outputs. Open-link responses wait for the KI's
/// review, so that made-up responses cannot pad a small group (see README, "Schutz kleiner
/// Gruppen").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Review {
    Pending,
    Accepted,
    Rejected,
}

impl Review {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    /// The German wording of the review, for open-link responses.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "wartet auf Freigabe",
            Self::Rejected => "nicht in der Auswertung",
            Self::Accepted => "in der Auswertung",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Accepted, Self::Rejected].into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// A personal invitation, bound to an organisation; starts as `invited`.
    Invitation,
    /// Started through the open link; starts as a draft.
    Open,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Open => "open",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Invitation, Self::Open].into_iter().find(|c| c.as_str() == s)
    }
}

/// The fields' names of the forms acting on a response (progress and review pages).
pub mod field {
    pub const ACTION: &str = "aktion";
    /// Sent by the confirmation page before a response is deleted.
    pub const CONFIRMED: &str = "bestaetigt";
}

/// What the staff can do with a single response (the forms' `aktion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseAction {
    /// A submitted response can be changed again through its link.
    Reopen,
    /// An unanswered link stops working.
    Withdraw,
    /// An open-link response counts in the aggregated outputs …
    Accept,
    /// … or not.
    Reject,
    Delete,
}

impl ResponseAction {
    pub const ALL: [Self; 5] =
        [Self::Reopen, Self::Withdraw, Self::Accept, Self::Reject, Self::Delete];

    /// The value of the form's `aktion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reopen => "wieder-oeffnen",
            Self::Withdraw => "zurueckziehen",
            Self::Accept => "freigeben",
            Self::Reject => "ablehnen",
            Self::Delete => "loeschen",
        }
    }
}

impl crate::form::Keyword for ResponseAction {
    fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == word)
    }
}

/// A form acting on a response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ResponseForm {
    #[serde(rename = "aktion", default, deserialize_with = "crate::form::keyword")]
    pub action: Option<ResponseAction>,
    #[serde(rename = "bestaetigt", default, deserialize_with = "crate::form::checked")]
    pub confirmed: bool,
}

impl ResponseForm {
    /// The action asked for; one no page offers is a bad request.
    pub fn action(&self) -> Result<ResponseAction, crate::AppError> {
        self.action.ok_or_else(crate::form::unknown_action)
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;
    use crate::form::tests::read;

    #[test]
    fn the_form_reads_the_pages_field_names() {
        for action in ResponseAction::ALL {
            let form: ResponseForm = read(&[(field::ACTION, action.as_str())]);
            assert_eq!((form.action, form.confirmed), (Some(action), false));
        }
        let form: ResponseForm = read(&[(field::ACTION, "loeschen"), (field::CONFIRMED, "1")]);
        assert_eq!((form.action, form.confirmed), (Some(ResponseAction::Delete), true));
        let form: ResponseForm = read(&[(field::ACTION, "sprengen")]);
        assert_eq!(form.action().unwrap_err().to_string(), "Diese Aktion gibt es nicht.");
    }
}

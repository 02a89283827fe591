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

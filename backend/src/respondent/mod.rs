//! The respondent's use cases: open a link, see a page, save it, review, submit. Every entry
//! point takes the link's token as typed and answers unknown, malformed, revoked or closed
//! links with a clear error, counting misses against the caller's address.

pub(crate) mod store;

pub use store::{GeneratedResponse, NewResponse, PageSave, ResponseRow};

use crate::db::StoredQuestionnaire;
use crate::rate_limit::{Counter, MissLimiter};
use crate::{token, Store};
use domain::answers::answer_from_form;
use domain::response::Channel;
use domain::validation::{prune_hidden, validate_all, validate_page, FieldError};
use domain::views::{review_pages, OpenStartView, PageView, ReviewView, StartView};
use domain::{Answers, AppError, QuestionnaireStatus};
use domain::{ResponseStatus, Review};
use std::net::IpAddr;
use std::sync::Arc;

/// What the respondent's request needs besides its own data.
#[derive(Clone)]
pub struct Survey {
    pub store: Store,
    /// Counts unknown links per address.
    pub misses: MissLimiter,
    /// Counts responses started through open links per address.
    pub starts: MissLimiter,
    /// Saves per link (response id), in this process: a link is one organisation's
    /// questionnaire, and nobody saves it more than a few times a minute by hand.
    pub saves: Arc<governor::DefaultKeyedRateLimiter<i64>>,
    /// Base of the links shown to respondents, e.g. `https://beteiligung.kreis-kleve.de`.
    pub public_base_url: String,
}

/// Where a form post leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Navigation {
    Back,
    Next,
    /// Save and stay, e.g. to continue later.
    Save,
    /// Go to the review page.
    Review,
    /// Saved in the background by the browser script; nothing to show.
    Autosave,
}

impl Navigation {
    pub fn parse(action: Option<&str>) -> Self {
        match action {
            Some("zurueck") => Self::Back,
            Some("speichern") => Self::Save,
            Some("uebersicht") => Self::Review,
            Some("autosave") => Self::Autosave,
            _ => Self::Next,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Continue at this path.
    Redirect(String),
    /// Background save done at this time (ms); the response is now at `version`.
    Saved { at: i64, version: i64 },
    /// Background save done except for these fields, which were not stored.
    Refused { errors: Vec<FieldError>, version: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Submitted,
    AlreadySubmitted,
    /// Some shown question still needs an answer.
    Incomplete,
}

/// Default of the saves allowed per link and minute, all at once: the page script saves at
/// most about once a second while somebody types, and a person posting pages by hand far less
/// often. Counted in the process (a database counter would cost a write per save), so each app
/// instance allows this many.
pub const SAVES_PER_MINUTE: u32 = 120;

/// Allowances per minute of the respondents' side.
#[derive(Debug, Clone, Copy)]
pub struct SurveyLimits {
    /// Unknown links one address may try (shared by all instances).
    pub unknown_links_per_minute: u32,
    /// Responses one address may start through open links (shared by all instances).
    pub open_starts_per_minute: u32,
    /// Saves per link (per instance).
    pub saves_per_minute: u32,
}

impl Default for SurveyLimits {
    fn default() -> Self {
        Self {
            unknown_links_per_minute: 20,
            open_starts_per_minute: 30,
            saves_per_minute: SAVES_PER_MINUTE,
        }
    }
}

struct Link {
    response: ResponseRow,
    questionnaire: Arc<StoredQuestionnaire>,
}

impl Survey {
    pub fn new(store: Store, public_base_url: String, limits: SurveyLimits) -> Self {
        let saves =
            std::num::NonZeroU32::new(limits.saves_per_minute).unwrap_or(std::num::NonZeroU32::MIN);
        Self {
            misses: MissLimiter::new(
                store.clone(),
                Counter::UnknownLinks,
                limits.unknown_links_per_minute,
            ),
            starts: MissLimiter::new(
                store.clone(),
                Counter::OpenStarts,
                limits.open_starts_per_minute,
            ),
            saves: Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(saves))),
            store,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
        }
    }

    fn link_url(&self, token: &str) -> String {
        format!("{}/f/{token}", self.public_base_url)
    }

    async fn resolve(&self, token: &str, ip: IpAddr) -> Result<Link, AppError> {
        let found = if token::is_well_formed(token) {
            self.store.response_by_token_hash(&token::hash(token)).await?
        } else {
            None
        };
        let Some(response) = found else {
            return Err(if self.misses.record_miss(&ip).await? {
                AppError::unknown_link()
            } else {
                AppError::TooManyRequests
            });
        };
        match (response.status, response.questionnaire_status) {
            (ResponseStatus::Revoked, _) => {
                return Err(AppError::Gone(
                    "Dieser Link wurde vom Kommunalen Integrationszentrum zurückgezogen. Bitte wenden Sie sich dorthin, wenn Sie einen neuen Link brauchen.".into(),
                ))
            }
            (_, QuestionnaireStatus::Draft) => return Err(AppError::unknown_link()),
            (ResponseStatus::Submitted, _) => {}
            (_, QuestionnaireStatus::Closed) => {
                return Err(AppError::Gone(
                    "Die Befragung ist beendet; es können keine Antworten mehr gegeben werden. Vielen Dank für Ihr Interesse.".into(),
                ))
            }
            _ => {}
        }
        let questionnaire = self
            .store
            .questionnaire(response.questionnaire_id, response.questionnaire_revision)
            .await?;
        Ok(Link { response, questionnaire })
    }

    /// Like `resolve`, but refuses submitted responses for writing.
    async fn resolve_open(&self, token: &str, ip: IpAddr) -> Result<Link, AppError> {
        let link = self.resolve(token, ip).await?;
        if link.response.questionnaire_status == QuestionnaireStatus::Closed {
            return Err(AppError::Gone(
                "Die Befragung ist beendet; Ihre abgeschickten Antworten bleiben erhalten.".into(),
            ));
        }
        Ok(link)
    }

    pub async fn start(&self, token: &str, ip: IpAddr) -> Result<StartView, AppError> {
        let link = self.resolve(token, ip).await?;
        let q = &link.questionnaire.questionnaire;
        Ok(StartView {
            title: q.title.clone(),
            intro: q.intro.clone(),
            duration_minutes: q.duration_minutes,
            deadline: q.deadline.clone(),
            steps: q.page_count(),
            resume_step: (link.response.status == ResponseStatus::Draft).then(|| {
                (link.response.current_page as usize).min(q.page_count().saturating_sub(1)) + 1
            }),
            submitted: link.response.status == ResponseStatus::Submitted,
            link: self.link_url(token),
        })
    }

    /// One page (1-based `step`) with the stored answers; errors only when asked for.
    /// `too_long`: codes of texts a save refused for their length (`?zu_lang=`), shown as
    /// errors at their fields.
    pub async fn page(
        &self,
        token: &str,
        step: usize,
        ip: IpAddr,
        show_errors: bool,
        too_long: &[String],
    ) -> Result<PageView, AppError> {
        let link = self.resolve(token, ip).await?;
        let q = &link.questionnaire.questionnaire;
        let page = page_index(q.page_count(), step)?;
        let answers = self.store.answers(link.response.id, &link.questionnaire).await?;
        let mut theme = q.themes[page].clone();
        // Questions hidden by answers on other pages are left out; conditions on this page
        // stay, so that the browser (or, without script, the respondent) can follow them.
        theme.questions.retain(|question| match &question.condition {
            Some(c) if q.page_of(&c.question) != Some(page) => q.is_visible(question, &answers),
            _ => true,
        });
        let page_answers: Answers = answers
            .iter()
            .filter(|(code, _)| theme.questions.iter().any(|x| &x.code == *code))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(PageView {
            title: q.title.clone(),
            step,
            steps: q.page_count(),
            errors: {
                let mut errors =
                    if show_errors { validate_page(q, page, &answers) } else { vec![] };
                let refused = theme
                    .questions
                    .iter()
                    .filter(|x| too_long.contains(&x.code))
                    .filter_map(domain::validation::refused_as_too_long);
                let refused: Vec<FieldError> = refused.collect();
                errors.retain(|e| !refused.iter().any(|r| r.question == e.question));
                errors.extend(refused);
                errors
            },
            theme,
            answers: page_answers,
            submitted: link.response.status == ResponseStatus::Submitted,
            deadline: q.deadline.clone(),
            link: self.link_url(token),
            version: link.response.version,
        })
    }

    /// Saves the posted fields of one page, whatever their validity, then says where to go.
    pub async fn save_page(
        &self,
        token: &str,
        step: usize,
        form: &[(String, String)],
        navigation: Navigation,
        ip: IpAddr,
    ) -> Result<SaveOutcome, AppError> {
        let link = self.resolve_open(token, ip).await?;
        if link.response.status == ResponseStatus::Submitted {
            return Ok(SaveOutcome::Redirect(format!("/f/{token}/kopie")));
        }
        if self.saves.check_key(&link.response.id).is_err() {
            return Err(AppError::TooManyRequests);
        }
        // Keys of links that have rested are dropped now and then; the map stays small.
        if self.saves.len() > 10_000 {
            self.saves.retain_recent();
        }
        let q = &link.questionnaire.questionnaire;
        let page = page_index(q.page_count(), step)?;
        // A text over its question's maximum is not stored (the stored one stays): the
        // limit holds for what is kept, not only for what may be submitted. The writer
        // thread gets only these parsed, bounded answers.
        let mut posted = Vec::new();
        let mut too_long = Vec::new();
        for question in &q.themes[page].questions {
            let answer = answer_from_form(question, form);
            match domain::validation::too_long_to_store(question, &answer) {
                Some(error) => too_long.push(error),
                None => posted.push((question.code.clone(), answer)),
            }
        }
        // A background save may arrive after the post that moved on: it must not move back.
        // A post with a text not stored stays on its page, and so does the resume point.
        let resume_at = match navigation {
            Navigation::Autosave => None,
            _ if !too_long.is_empty() => Some(page),
            Navigation::Back => Some(page.saturating_sub(1)),
            Navigation::Next => Some((page + 1).min(q.page_count() - 1)),
            Navigation::Save | Navigation::Review => Some(page),
        }
        .map(|p| p as i64);
        // Background saves say which version their page showed (`stand`, kept current by the
        // script); one that arrives after a newer save is refused instead of undoing it.
        let only_at = match navigation {
            Navigation::Autosave => {
                form.iter().find(|(k, _)| k == "stand").and_then(|(_, v)| v.parse::<i64>().ok())
            }
            _ => None,
        };
        let (saved, answers) = self
            .store
            .update_answers(
                link.response.id,
                Some(link.response.version),
                only_at,
                &link.questionnaire,
                resume_at,
                posted,
            )
            .await?;
        let errors = validate_page(q, page, &answers);
        let base = format!("/f/{token}");
        if !too_long.is_empty() {
            let codes: Vec<&str> = too_long.iter().map(|e| e.question.as_str()).collect();
            return Ok(match navigation {
                Navigation::Autosave => {
                    SaveOutcome::Refused { errors: too_long, version: saved.version }
                }
                _ => SaveOutcome::Redirect(format!(
                    "{base}/s/{step}?zu_lang={}#fehler",
                    codes.join(",")
                )),
            });
        }
        Ok(match navigation {
            Navigation::Autosave => {
                SaveOutcome::Saved { at: saved.updated_at, version: saved.version }
            }
            Navigation::Back if page == 0 => SaveOutcome::Redirect(base),
            Navigation::Back => SaveOutcome::Redirect(format!("{base}/s/{page}")),
            Navigation::Next if !errors.is_empty() => {
                SaveOutcome::Redirect(format!("{base}/s/{step}?pruefen=1#fehler"))
            }
            Navigation::Next if page + 1 == q.page_count() => {
                SaveOutcome::Redirect(format!("{base}/uebersicht"))
            }
            Navigation::Next => SaveOutcome::Redirect(format!("{base}/s/{}", step + 1)),
            Navigation::Save => SaveOutcome::Redirect(format!("{base}/s/{step}?gespeichert=1")),
            Navigation::Review => SaveOutcome::Redirect(format!("{base}/uebersicht")),
        })
    }

    pub async fn review(
        &self,
        token: &str,
        ip: IpAddr,
        show_errors: bool,
    ) -> Result<ReviewView, AppError> {
        let link = self.resolve(token, ip).await?;
        let q = &link.questionnaire.questionnaire;
        let answers = self.store.answers(link.response.id, &link.questionnaire).await?;
        let errors = validate_all(q, &answers);
        let shown: &[(usize, Vec<_>)] = if show_errors { &errors } else { &[] };
        Ok(ReviewView {
            title: q.title.clone(),
            steps: q.page_count(),
            pages: review_pages(q, &answers, shown),
            submitted: link.response.status == ResponseStatus::Submitted,
            submitted_at: link.response.submitted_at.map(domain::locale::format_time),
            complete: errors.is_empty(),
            link: self.link_url(token),
            awaiting_review: link.response.review == Review::Pending,
        })
    }

    /// Submits once; a repeated or concurrent submit changes nothing.
    pub async fn submit(&self, token: &str, ip: IpAddr) -> Result<SubmitOutcome, AppError> {
        let link = self.resolve_open(token, ip).await?;
        if link.response.status == ResponseStatus::Submitted {
            return Ok(SubmitOutcome::AlreadySubmitted);
        }
        Ok(self.store.submit(link.response.id, &link.questionnaire).await?)
    }

    async fn open_questionnaire(&self, slug: &str) -> Result<Arc<StoredQuestionnaire>, AppError> {
        let unknown = || {
            AppError::NotFound("Diese Befragung gibt es nicht. Bitte prüfen Sie den Link.".into())
        };
        let (id, revision) = self.store.questionnaire_by_slug(slug).await?.ok_or_else(unknown)?;
        let stored = self.store.questionnaire(id, revision).await?;
        match stored.questionnaire.status {
            QuestionnaireStatus::Open => Ok(stored),
            QuestionnaireStatus::Draft => Err(unknown()),
            QuestionnaireStatus::Closed => Err(AppError::Gone(
                "Die Befragung ist beendet; es können keine Antworten mehr gegeben werden. Vielen Dank für Ihr Interesse.".into(),
            )),
        }
    }

    pub async fn open_start(
        &self,
        slug: &str,
        show_errors: bool,
    ) -> Result<OpenStartView, AppError> {
        let stored = self.open_questionnaire(slug).await?;
        let q = &stored.questionnaire;
        Ok(OpenStartView {
            slug: q.slug.clone(),
            title: q.title.clone(),
            intro: q.intro.clone(),
            duration_minutes: q.duration_minutes,
            deadline: q.deadline.clone(),
            steps: q.page_count(),
            profile: q.themes[0].clone(),
            errors: if show_errors { validate_page(q, 0, &Answers::new()) } else { vec![] },
        })
    }

    /// Starts a response through the open link with the posted profile and returns where to
    /// continue: the new personal link, which from now on is the way back.
    pub async fn start_open_response(
        &self,
        slug: &str,
        form: &[(String, String)],
        ip: IpAddr,
    ) -> Result<String, AppError> {
        let stored = self.open_questionnaire(slug).await?;
        let q = &stored.questionnaire;
        let mut answers = Answers::new();
        for question in &q.themes[0].questions {
            let answer = answer_from_form(question, form);
            if !answer.is_empty() {
                answers.insert(question.code.clone(), answer);
            }
        }
        prune_hidden(q, &mut answers);
        if answers.is_empty() {
            // Nothing typed, nothing to keep: show what is required.
            return Ok(format!("/o/{slug}?pruefen=1#fehler"));
        }
        if !self.starts.record_miss(&ip).await? {
            return Err(AppError::TooManyRequests);
        }
        let valid = validate_page(q, 0, &answers).is_empty();
        let token = token::generate();
        let new = NewResponse {
            questionnaire_id: q.id,
            token_hash: &token::hash(&token),
            organisation_id: None,
            channel: Channel::Open,
            current_page: if valid && q.page_count() > 1 { 1 } else { 0 },
        };
        self.store.create_response(new, &stored, &answers).await?;
        Ok(if valid || q.page_count() == 1 {
            format!("/f/{token}/s/{}?neu=1", 2.min(q.page_count()))
        } else {
            format!("/f/{token}/s/1?neu=1&pruefen=1#fehler")
        })
    }
}

impl Survey {
    /// Creates a personal invitation link for a registered organisation, with the profile
    /// answers prefilled from the register. Returns the link; only its hash is stored.
    pub async fn invite(
        &self,
        questionnaire_slug: &str,
        organisation_id: i64,
        kind: &str,
        municipalities: &[String],
    ) -> Result<String, AppError> {
        let (id, revision) =
            self.store.questionnaire_by_slug(questionnaire_slug).await?.ok_or_else(|| {
                AppError::NotFound(format!("Es gibt keinen Fragebogen „{questionnaire_slug}“."))
            })?;
        let stored = self.store.questionnaire(id, revision).await?;
        let answers = profile_answers(&stored.questionnaire, kind, municipalities);
        let token = token::generate();
        let new = NewResponse {
            questionnaire_id: id,
            token_hash: &token::hash(&token),
            organisation_id: Some(organisation_id),
            channel: Channel::Invitation,
            current_page: 0,
        };
        self.store.create_response(new, &stored, &answers).await?;
        Ok(self.link_url(&token))
    }
}

/// The profile an invitation starts with: the organisation's kind and municipalities, as
/// answers to the questions that refer to them.
pub fn profile_answers(
    q: &domain::Questionnaire,
    kind: &str,
    municipalities: &[String],
) -> Answers {
    let mut answers = Answers::new();
    if let Some(kind_q) = q.question_with_reference(domain::Reference::OrgKind) {
        answers.entry(kind_q.code.clone()).or_default().values.push(kind.to_string());
    }
    if let Some(mun_q) = q.question_with_reference(domain::Reference::Municipalities) {
        answers
            .entry(mun_q.code.clone())
            .or_default()
            .values
            .extend(municipalities.iter().cloned());
    }
    answers
}

fn page_index(pages: usize, step: usize) -> Result<usize, AppError> {
    if step == 0 || step > pages {
        return Err(AppError::NotFound(format!(
            "Diesen Schritt gibt es nicht; der Fragebogen hat die Schritte 1 bis {pages}."
        )));
    }
    Ok(step - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_defaults_to_next() {
        assert_eq!(Navigation::parse(None), Navigation::Next);
        assert_eq!(Navigation::parse(Some("zurueck")), Navigation::Back);
    }
}

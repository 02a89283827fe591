//! The respondent's server functions (and the home page's list of open questionnaires): thin
//! adapters from the pages to the back end's survey use cases. Each returns the use case's own
//! result, so that a clear error reaches the page as data.

use domain::views::{OpenStartView, PageView, ReviewView, StartView};
use domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenQuestionnaireLink {
    pub title: String,
    pub intro: String,
    pub duration_minutes: i64,
    pub deadline: Option<String>,
    pub path: String,
    /// The full open link, to forward.
    pub url: String,
}

#[cfg(feature = "ssr")]
mod ssr {
    use backend::respondent::Survey;
    use leptos::prelude::*;
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};

    pub fn survey() -> Result<Survey, ServerFnError> {
        use_context::<Survey>().ok_or_else(|| ServerFnError::new("Survey fehlt im Kontext"))
    }

    /// The caller's address, for rate limits.
    pub async fn client_ip() -> IpAddr {
        leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
            .await
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

#[server]
pub async fn open_questionnaires(
) -> Result<Result<Vec<OpenQuestionnaireLink>, AppError>, ServerFnError> {
    let survey = ssr::survey()?;
    Ok(survey.store.open_questionnaires().await.map_err(AppError::from).map(|list| {
        list.into_iter()
            .map(|q| OpenQuestionnaireLink {
                url: format!("{}/o/{}", survey.public_base_url, q.slug),
                path: format!("/o/{}", q.slug),
                title: q.title,
                intro: q.intro,
                duration_minutes: q.duration_minutes,
                deadline: q.deadline,
            })
            .collect()
    }))
}

#[server]
pub async fn open_start(
    slug: String,
    show_errors: bool,
) -> Result<Result<OpenStartView, AppError>, ServerFnError> {
    Ok(ssr::survey()?.open_start(&slug, show_errors).await)
}

#[server]
pub async fn start(token: String) -> Result<Result<StartView, AppError>, ServerFnError> {
    Ok(ssr::survey()?.start(&token, ssr::client_ip().await).await)
}

#[server]
/// `too_long`: the `zu_lang` query, question codes separated by commas.
pub async fn page(
    token: String,
    step: usize,
    show_errors: bool,
    too_long: String,
) -> Result<Result<PageView, AppError>, ServerFnError> {
    let too_long: Vec<String> =
        too_long.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect();
    Ok(ssr::survey()?.page(&token, step, ssr::client_ip().await, show_errors, &too_long).await)
}

#[server]
pub async fn review(
    token: String,
    show_errors: bool,
) -> Result<Result<ReviewView, AppError>, ServerFnError> {
    Ok(ssr::survey()?.review(&token, ssr::client_ip().await, show_errors).await)
}

//! Server functions of the administration pages. Each authenticates the session cookie and
//! hands over to `backend::staff::Staff`, which checks the role; they only read (changes go
//! through the form posts of the server crate) and pass on the session's flash.

use domain::staff::{
    AccountsPage, AuditPage, BuilderPage, ExportPage, Flash, OrganisationsPage, Principal,
    ProgressPage, QuestionnairesPage, ResponseDetailPage,
};
use domain::AppError;
use leptos::prelude::*;

/// A page's data with what the last form post left for it.
pub type WithFlash<T> = Result<Result<(T, Option<Flash>), AppError>, ServerFnError>;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ba_sitzung";

/// The session cookie's value in a `Cookie` header.
pub fn session_token_in(cookie_header: &str) -> Option<String> {
    cookie_header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE).then(|| value.to_string())
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use backend::staff::Staff;
    use domain::staff::{Flash, Principal};
    use domain::AppError;
    use leptos::prelude::*;

    pub struct Signed {
        pub staff: Staff,
        pub principal: Principal,
        pub flash: Option<Flash>,
    }

    /// The signed-in user of this request, with what the last form post left for this page.
    pub async fn signed() -> Result<Result<Signed, AppError>, ServerFnError> {
        let staff =
            use_context::<Staff>().ok_or_else(|| ServerFnError::new("Staff fehlt im Kontext"))?;
        let headers: http::HeaderMap = leptos_axum::extract().await?;
        let token = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(super::session_token_in);
        Ok(match staff.authenticate_page(token.as_deref()).await {
            Ok((principal, flash)) => Ok(Signed { staff, principal, flash }),
            Err(e) => Err(e),
        })
    }

    impl Signed {
        pub fn with_flash<T>(
            self,
            data: Result<T, AppError>,
        ) -> Result<(T, Option<Flash>), AppError> {
            let data = data.inspect_err(set_status)?;
            Ok((data, self.flash))
        }
    }

    /// Called directly (not through a page), the answer's status says what went wrong.
    pub fn set_status(error: &AppError) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(
                http::StatusCode::from_u16(error.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
}

#[cfg(feature = "ssr")]
macro_rules! signed_or_return {
    () => {
        match ssr::signed().await? {
            Ok(s) => s,
            Err(e) => {
                ssr::set_status(&e);
                return Ok(Err(e));
            }
        }
    };
}

#[server(endpoint = "verwaltung/me")]
pub async fn me() -> WithFlash<Principal> {
    let s = signed_or_return!();
    let me = s.principal.clone();
    Ok(s.with_flash(Ok(me)))
}

#[server(endpoint = "verwaltung/progress")]
pub async fn progress(
    questionnaire: Option<i64>,
    status: Option<String>,
    page: u32,
) -> WithFlash<ProgressPage> {
    let s = signed_or_return!();
    let data = s.staff.progress_page(&s.principal, questionnaire, status, page).await;
    Ok(s.with_flash(data))
}

/// One response with its answers, for the review of open-link responses.
#[server(endpoint = "verwaltung/response")]
pub async fn response_detail(id: i64) -> WithFlash<ResponseDetailPage> {
    let s = signed_or_return!();
    let data = s.staff.response_detail_page(&s.principal, id).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/questionnaires")]
pub async fn questionnaires() -> WithFlash<QuestionnairesPage> {
    let s = signed_or_return!();
    let data = s.staff.questionnaires_page(&s.principal).await;
    Ok(s.with_flash(data))
}

/// The questionnaire builder's editor, question form and preview.
#[server(endpoint = "verwaltung/builder")]
pub async fn builder(id: i64) -> WithFlash<BuilderPage> {
    let s = signed_or_return!();
    let data = s.staff.builder_page(&s.principal, id).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/organisations")]
pub async fn organisations(
    page: Option<u32>,
    search: Option<String>,
) -> WithFlash<OrganisationsPage> {
    let s = signed_or_return!();
    let data = s
        .staff
        .organisations_page(&s.principal, page.unwrap_or(1), search.as_deref().unwrap_or(""))
        .await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/accounts")]
pub async fn accounts() -> WithFlash<AccountsPage> {
    let s = signed_or_return!();
    let data = s.staff.accounts_page(&s.principal).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/audit")]
pub async fn audit(page: u32) -> WithFlash<AuditPage> {
    let s = signed_or_return!();
    let data = s.staff.audit_page(&s.principal, page).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "verwaltung/export")]
pub async fn exports() -> WithFlash<ExportPage> {
    let s = signed_or_return!();
    let data = s.staff.export_page(&s.principal).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "auswertung/thema")]
pub async fn theme_dashboard(
    theme: String,
    query: String,
) -> WithFlash<domain::dashboard::ThemePage> {
    let s = signed_or_return!();
    let data = s.staff.theme_page(&s.principal, &theme, &query).await;
    Ok(s.with_flash(data))
}

#[server(endpoint = "auswertung/uebersicht")]
pub async fn overview(query: String) -> WithFlash<domain::dashboard::OverviewPage> {
    let s = signed_or_return!();
    let data = s.staff.overview_page(&s.principal, &query).await;
    Ok(s.with_flash(data))
}

/// Every theme this user may see, for the printable report.
#[server(endpoint = "auswertung/bericht")]
pub async fn report(query: String) -> WithFlash<Vec<domain::dashboard::ThemePage>> {
    let s = signed_or_return!();
    let data = s.staff.report(&s.principal, &query).await;
    Ok(s.with_flash(data))
}

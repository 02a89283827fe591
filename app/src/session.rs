//! The staff's session as the pages see it: the cookie, the signed-in user of a request and the
//! flash the last form post left. The staff pages' server functions (in each feature's `fns`)
//! authenticate through `signed_or_return!` and hand over to `backend::staff::Staff`, which
//! checks the role; they only read (changes go through the form posts of the server crate).

use domain::staff::{Flash, Principal};
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
pub(crate) mod ssr {
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

/// The signed-in user of a server function's request; without one, the function returns the
/// error (as data, with the answer's status set).
#[cfg(feature = "ssr")]
macro_rules! signed_or_return {
    () => {
        match $crate::session::ssr::signed().await? {
            Ok(s) => s,
            Err(e) => {
                $crate::session::ssr::set_status(&e);
                return Ok(Err(e));
            }
        }
    };
}
#[cfg(feature = "ssr")]
pub(crate) use signed_or_return;

/// The signed-in user, for pages that need nothing else.
#[server(endpoint = "verwaltung/me")]
pub async fn me() -> WithFlash<Principal> {
    let s = signed_or_return!();
    let me = s.principal.clone();
    Ok(s.with_flash(Ok(me)))
}

//! The signed-in user's own password.

use crate::components::admin::{AdminNav, Csrf, FlashNotice, FormErrors, TextField};
use crate::components::{loaded, Loading};
use domain::accounts::field;
use domain::staff::Flash;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::session::me());
    view! {
        <Title text="Passwort ändern"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(me, flash)| {
                    let problems = Flash::for_form(&flash, "passwort");
                    view! {
                        <AdminNav me=me.clone() current="/konto/passwort"/>
                        <h1>"Passwort ändern"</h1>
                        <FlashNotice flash=flash.clone()/>
                        <FormErrors problems=problems.clone()/>
                        <form method="post" action="/konto/passwort" class="narrow">
                            <Csrf token=me.csrf.clone()/>
                            <input type="text" name="benutzername" value=me.email.clone() autocomplete="username" hidden/>
                            <TextField id=field::PASSWORD.into() name=field::PASSWORD label="Bisheriges Passwort" error=problems.error(field::PASSWORD) input_type="password" autocomplete="current-password" required=true/>
                            <TextField id=field::NEW_PASSWORD.into() name=field::NEW_PASSWORD label="Neues Passwort" error=problems.error(field::NEW_PASSWORD) input_type="password" autocomplete="new-password" hint="Mindestens 12 Zeichen; ein Satz aus mehreren Wörtern ist sicher und gut zu merken." required=true/>
                            <TextField id=field::NEW_PASSWORD_REPEATED.into() name=field::NEW_PASSWORD_REPEATED label="Neues Passwort wiederholen" error=problems.error(field::NEW_PASSWORD_REPEATED) input_type="password" autocomplete="new-password" required=true/>
                            <div class="actions"><button type="submit" class="button primary">"Passwort ändern"</button></div>
                        </form>
                    }
                })
            })}
        </Suspense>
    }
}

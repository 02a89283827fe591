//! The audit log: who did what in the administration, newest first, a page at a time.

use super::fns;
use crate::components::admin::AdminNav;
use crate::components::{loaded, Loading};
use crate::pages::query_number;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let page = query_number("seite");
    let data = Resource::new(
        move || page.get(),
        |p| fns::audit(p.unwrap_or(1).clamp(1, 1_000_000) as u32),
    );
    view! {
        <Title text="Protokoll"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                loaded(data.await, move |(p, _)| {
                    view! {
                        <AdminNav me=p.me.clone() current="/verwaltung/protokoll"/>
                        <h1>"Protokoll der Verwaltung"</h1>
                        <p>"Wer hat wann was in der Verwaltung getan; neueste Einträge zuerst."</p>
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Protokoll">
                            <table class="data">
                                <caption>{format!("Seite {}", p.page)}</caption>
                                <thead><tr><th scope="col">"Zeit"</th><th scope="col">"Wer"</th><th scope="col">"Was"</th><th scope="col">"Einzelheiten"</th></tr></thead>
                                <tbody>
                                    {p.entries.iter().map(|e| view! {
                                        <tr><td>{e.at.clone()}</td><td>{e.actor.clone()}</td><th scope="row">{e.action.clone()}</th><td>{e.detail.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <nav class="pager" aria-label="Seiten des Protokolls">
                            {(p.page > 1).then(|| view! { <a href=format!("/verwaltung/protokoll?seite={}", p.page - 1)>"Neuere Einträge"</a> })}
                            {p.has_more.then(|| view! { <a href=format!("/verwaltung/protokoll?seite={}", p.page + 1)>"Ältere Einträge"</a> })}
                        </nav>
                    }
                })
            })}
        </Suspense>
    }
}

//! What the load generators share.

use anyhow::{bail, Context};

/// Starts `count` responses through the open link of `slug`, spread over the kinds of
/// organisation and the municipalities; returns their link tokens.
pub async fn start_open_responses(
    client: &reqwest::Client,
    base: &str,
    slug: &str,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    eprintln!("Starting {count} responses through the open link …");
    let mut tokens = Vec::with_capacity(count);
    for i in 0..count {
        let kind = domain::reference::ORG_KINDS[i % domain::reference::ORG_KINDS.len()].code;
        let ags =
            domain::reference::MUNICIPALITIES[i % domain::reference::MUNICIPALITIES.len()].ags;
        let r = client
            .post(format!("{base}/o/{slug}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("profil_art={kind}&profil_kommunen={ags}"))
            .send()
            .await
            .context("server not reachable")?;
        let location = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("");
        let Some(token) = location.strip_prefix("/f/").and_then(|rest| rest.split('/').next())
        else {
            bail!("unexpected answer to the open link: {} {location}", r.status());
        };
        tokens.push(token.to_string());
    }
    Ok(tokens)
}

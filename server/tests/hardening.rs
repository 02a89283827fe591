//! Hardening for a real deployment (issue 18): escaping, odd bytes, redirects, logs,
//! headers, body limits, lengths, numbers. Over real HTTP, on SQLite and on PostgreSQL.

mod common;

use common::{location, pairs, TestApp};
use domain::QuestionKind;

/// The stored values of one question (all responses), as the database holds them.
async fn stored(app: &TestApp, code: &str) -> Vec<String> {
    let pool = app.db().await;
    let values: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT a.value FROM answer a JOIN question q ON q.id = a.question_id WHERE q.code = '{code}' ORDER BY a.response_id, a.position"
    ))
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    values
}

/// The first long-text question of a step (1-based) and its maximum length.
fn long_text_of(app: &TestApp, step: usize) -> (String, u32) {
    app.questionnaire.themes[step - 1]
        .questions
        .iter()
        .find_map(|q| match q.kind {
            QuestionKind::LongText { max_len } => Some((q.code.clone(), max_len)),
            _ => None,
        })
        .expect("a long text on the step")
}

/// What a browser shows in the textarea `name`: its content with the character references decoded.
fn textarea_value(html: &str, name: &str) -> String {
    let start = html.find(&format!("name=\"{name}\"")).expect("the textarea");
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</textarea>").unwrap();
    html[open..close].replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

on_both_backends!(textarea_text_is_escaped_and_round_trips, textarea_escaped);
async fn textarea_escaped(app: TestApp) {
    let token = app.start_open_response().await;
    let (code, _) = long_text_of(&app, 2);
    let text = "A &amp; B </textarea><i id=x>y</i> C";
    let r = app.post(&format!("/f/{token}/s/2"), &pairs(&[(&code, text), ("aktion", "speichern")])).await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, html) = app.get_text(&format!("/f/{token}/s/2")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<i id=x>"), "no markup from the answer");
    assert!(html.contains("A &amp;amp; B &lt;/textarea&gt;&lt;i id=x&gt;y&lt;/i&gt; C</textarea>"), "escaped");

    // Posting the page back unchanged keeps the text exactly.
    let shown = textarea_value(&html, &code);
    assert_eq!(shown, text);
    let r = app.post(&format!("/f/{token}/s/2"), &pairs(&[(&code, &shown), ("aktion", "speichern")])).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(stored(&app, &code).await, vec![text.to_string()]);
}

const ADMIN: &str = "ki@kreis-kleve.de";

on_both_backends!(sign_in_redirects_only_to_local_paths, sign_in_redirects_locally);
async fn sign_in_redirects_locally(app: TestApp) {
    app.account(ADMIN, domain::staff::Role::Admin, &[]).await;
    let (status, html) = app.get_text("/anmelden?weiter=/%09/evil.example/phish").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"weiter\""), "{html}");
    for next in ["/\t/evil.example/phish", "/\n/evil.example", "/\\evil.example", "//evil.example"] {
        let r = app.post("/anmelden", &pairs(&[("email", ADMIN), ("passwort", common::PASSWORD), ("weiter", next)])).await;
        assert_eq!(r.status().as_u16(), 303, "{next:?}");
        assert_eq!(location(&r), "/verwaltung", "{next:?}");
    }
    let r = app.post("/anmelden", &pairs(&[("email", ADMIN), ("passwort", common::PASSWORD), ("weiter", "/verwaltung/konten")])).await;
    assert_eq!(location(&r), "/verwaltung/konten");
}

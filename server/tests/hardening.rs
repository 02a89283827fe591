//! Hardening for a real deployment (issue 18): escaping, odd bytes, redirects, logs,
//! headers, body limits, lengths, numbers. Over real HTTP, on SQLite and on PostgreSQL.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

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
    html[open..close]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

on_both_backends!(textarea_text_is_escaped_and_round_trips, textarea_escaped);
async fn textarea_escaped(app: TestApp) {
    let token = app.start_open_response().await;
    let (code, _) = long_text_of(&app, 2);
    let text = "A &amp; B </textarea><i id=x>y</i> C";
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[(&code, text), ("aktion", "speichern")]))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, html) = app.get_text(&format!("/f/{token}/s/2")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<i id=x>"), "no markup from the answer");
    assert!(
        html.contains("A &amp;amp; B &lt;/textarea&gt;&lt;i id=x&gt;y&lt;/i&gt; C</textarea>"),
        "escaped"
    );

    // Posting the page back unchanged keeps the text exactly.
    let shown = textarea_value(&html, &code);
    assert_eq!(shown, text);
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[(&code, &shown), ("aktion", "speichern")]))
        .await;
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
    for next in ["/\t/evil.example/phish", "/\n/evil.example", "/\\evil.example", "//evil.example"]
    {
        let r = app
            .post(
                "/anmelden",
                &pairs(&[("email", ADMIN), ("passwort", common::PASSWORD), ("weiter", next)]),
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{next:?}");
        assert_eq!(location(&r), "/verwaltung", "{next:?}");
    }
    let r = app
        .post(
            "/anmelden",
            &pairs(&[
                ("email", ADMIN),
                ("passwort", common::PASSWORD),
                ("weiter", "/verwaltung/konten"),
            ]),
        )
        .await;
    assert_eq!(location(&r), "/verwaltung/konten");
}

/// The log lines of this test process (installed once; tests run side by side).
fn captured_log() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let writer = move || LogWriter(sink.clone());
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,server=debug,tower_http=debug",
            ))
            .with_writer(writer)
            .with_ansi(false)
            .init();
        buffer
    })
    .clone()
}

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

on_both_backends!(the_log_never_holds_a_link_token, tokens_not_logged);
async fn tokens_not_logged(app: TestApp) {
    let log = captured_log();
    let token = app.start_open_response().await;
    let r = app
        .client
        .post(format!("{}/f/{token}/s/2", app.base))
        .header("origin", "https://evil.example")
        .form(&pairs(&[("aktion", "speichern")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.get(&format!("/f/{token}/s/2")).await.status().as_u16(), 200);
    let text = String::from_utf8_lossy(&log.lock().unwrap()).to_string();
    assert!(text.contains("cross-site request refused"), "{text}");
    assert!(text.contains("/f/…/s/2"), "{text}");
    assert!(!text.contains(&token), "the token is in the log:\n{text}");
}

on_both_backends!(nul_bytes_never_answer_500, nul_bytes);
async fn nul_bytes(app: TestApp) {
    app.account(ADMIN, domain::staff::Role::Admin, &[]).await;
    // Sign-in: the NUL is dropped, so the address is the account's.
    let r = app
        .post(
            "/anmelden",
            &pairs(&[
                ("email", "ki@kreis-kleve.de\0"),
                ("passwort", common::PASSWORD),
                ("weiter", "/verwaltung"),
            ]),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post(
            "/anmelden",
            &pairs(&[("email", "\0x@y.de"), ("passwort", "falsch\0"), ("weiter", "/verwaltung")]),
        )
        .await;
    assert_eq!(r.status().as_u16(), 401);

    // Open-link start, with NUL bytes in the values and in a field name.
    let r = app
        .post(
            "/o/bedarfsanalyse-2026",
            &pairs(&[
                ("profil_art", "schule\0"),
                ("profil_kommunen", "05154036"),
                ("profil_\0name", "x\0"),
            ]),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let token = location(&r).strip_prefix("/f/").unwrap().split('/').next().unwrap().to_string();
    assert_eq!(stored(&app, "profil_art").await, vec!["schule".to_string()]);

    // A page save: the text is kept without the NUL.
    let (code, _) = long_text_of(&app, 2);
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[(&code, "vor\0nach"), ("aktion", "speichern")]))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(stored(&app, &code).await, vec!["vornach".to_string()]);
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[(&code, "\0"), ("aktion", "autosave")]))
        .await;
    assert_eq!(r.status().as_u16(), 200);

    // In the URL.
    assert_eq!(app.get("/o/bedarfsanalyse-2026%00").await.status().as_u16(), 200);
    assert_eq!(app.get("/o/unbekannt%00").await.status().as_u16(), 404);
    assert_eq!(app.get("/anmelden?weiter=/verwaltung%00").await.status().as_u16(), 200);
}

on_both_backends!(personal_pages_are_not_cached, no_store);
async fn no_store(app: TestApp) {
    let cache = |r: &reqwest::Response| {
        r.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string())
    };
    let token = app.start_open_response().await;
    for path in [
        format!("/f/{token}"),
        format!("/f/{token}/s/2"),
        format!("/f/{token}/uebersicht"),
        "/verwaltung".into(),
        "/auswertung".into(),
        "/konto/passwort".into(),
    ] {
        let r = app.get(&path).await;
        assert_eq!(cache(&r).as_deref(), Some("no-store"), "{path}");
    }
    let r = app.post(&format!("/f/{token}/s/2"), &pairs(&[("aktion", "speichern")])).await;
    assert_eq!(cache(&r).as_deref(), Some("no-store"));

    app.account(ADMIN, domain::staff::Role::Admin, &[]).await;
    let admin = app.login(ADMIN).await;
    for path in ["/verwaltung", "/verwaltung/konten", "/auswertung", "/konto/passwort"] {
        let r = app
            .client
            .get(format!("{}{path}", app.base))
            .header("cookie", &admin.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert_eq!(cache(&r).as_deref(), Some("no-store"), "{path}");
    }
    assert_eq!(cache(&app.get("/").await), None, "public pages may be cached");
}

/// Posts only the head of a request announcing `length` bytes of form: a server that refuses
/// by the announced length answers at once (a client still sending the body could see the
/// connection closed under it instead of the answer).
async fn announce_body(app: &TestApp, path: &str, length: usize) -> (u16, String) {
    send_raw(app, path, &format!("Content-Length: {length}"), b"").await
}

/// A form post over a plain TCP connection: the head with `framing`, then `body`; the answer
/// as far as it arrived before the server closed the connection.
async fn send_raw(app: &TestApp, path: &str, framing: &str, body: &[u8]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n{framing}\r\nConnection: close\r\n\r\n",
        app.base
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(body).await;
    let mut answer = Vec::new();
    let mut buffer = [0u8; 8192];
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..n]);
    }
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

on_both_backends!(oversized_bodies_answer_413, body_limits);
async fn body_limits(app: TestApp) {
    use leptos::server_fn::ServerFn;
    let token = app.start_open_response().await;
    let (code, _) = long_text_of(&app, 2);
    let (status, html) = announce_body(&app, &format!("/f/{token}/s/2"), 70 * 1024).await;
    assert_eq!(status, 413);
    assert!(html.contains("zu umfangreich"), "{html}");
    assert!(stored(&app, &code).await.is_empty());

    // Without a length announced (chunked), too.
    let (status, _) = send_raw(&app, &format!("/f/{token}/s/2"), "Transfer-Encoding: chunked", &{
        let mut body = format!("{:x}\r\n{code}=", 70 * 1024 + code.len() + 1).into_bytes();
        body.extend(std::iter::repeat_n(b'y', 70 * 1024));
        body.extend_from_slice(b"\r\n0\r\n\r\n");
        body
    })
    .await;
    assert_eq!(status, 413);
    assert!(stored(&app, &code).await.is_empty());

    // A server function over 2 MB.
    let path = app::pages::respondent::fns::OpenStart::PATH;
    assert_eq!(announce_body(&app, path, 3 * 1024 * 1024).await.0, 413);
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .header("origin", &app.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("slug=bedarfsanalyse-2026&show_errors=false")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

on_both_backends!(texts_over_their_maximum_are_not_stored, texts_capped);
async fn texts_capped(app: TestApp) {
    let token = app.start_open_response().await;
    let (code, max_len) = long_text_of(&app, 2);
    let fits = "ä".repeat(max_len as usize);
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[(&code, &fits), ("aktion", "speichern")]))
        .await;
    assert_eq!(location(&r), format!("/f/{token}/s/2?gespeichert=1"));
    assert_eq!(stored(&app, &code).await, vec![fits.clone()]);

    // One character more: the stored text stays, the page says why, at the field.
    let over = "b".repeat(max_len as usize + 1);
    let r =
        app.post(&format!("/f/{token}/s/2"), &pairs(&[(&code, &over), ("aktion", "weiter")])).await;
    let to = location(&r);
    assert_eq!(to, format!("/f/{token}/s/2?zu_lang={code}#fehler"));
    assert_eq!(stored(&app, &code).await, vec![fits.clone()]);
    let (_, html) = app.get_text(to.trim_end_matches("#fehler")).await;
    assert!(html.contains(&format!("höchstens {max_len} Zeichen")), "{html}");
    assert!(
        html.contains(&format!("href=\"#f-{code}\"")),
        "in the error summary, linked to the field"
    );
    assert!(html.contains(&format!("id=\"f-{code}-fehler\"")), "at the field");
    let (_, start) = app.get_text(&format!("/f/{token}")).await;
    assert!(start.contains("Fortsetzen bei Schritt 2 von 12"), "the post stayed on its page");

    // A background save: 422 with the message for the field; the text stays unstored.
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[(&code, &over), ("aktion", "autosave")]))
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    let message = body["fehler"][0]["meldung"].as_str().unwrap();
    assert!(message.contains(&format!("höchstens {max_len} Zeichen")), "{message}");
    assert_eq!(body["fehler"][0]["feld"], format!("f-{code}"));
    assert_eq!(stored(&app, &code).await, vec![fits]);

    // A "number" of many characters is refused the same way (it would be kept as typed).
    let junk = "9".repeat(domain::validation::NUMBER_MAX_CHARS + 1);
    let r = app
        .post(
            &format!("/f/{token}/s/1"),
            &pairs(&[("profil_mitarbeitende", &junk), ("aktion", "speichern")]),
        )
        .await;
    assert_eq!(location(&r), format!("/f/{token}/s/1?zu_lang=profil_mitarbeitende#fehler"));
    assert!(stored(&app, "profil_mitarbeitende").await.is_empty());
}

on_both_backends!(numbers_are_stored_in_one_notation, numbers_normalised);
async fn numbers_normalised(app: TestApp) {
    app.account(ADMIN, domain::staff::Role::Admin, &[]).await;
    let token = app.start_open_response().await;
    let form = pairs(&[
        ("profil_art", "schule"),
        ("profil_kommunen", "05154036"),
        ("profil_mitarbeitende", "1.250"),
        ("aktion", "speichern"),
    ]);
    let r = app.post(&format!("/f/{token}/s/1"), &form).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(stored(&app, "profil_mitarbeitende").await, vec!["1250".to_string()]);
    let (_, html) = app.get_text(&format!("/f/{token}/s/1?pruefen=1")).await;
    assert!(html.contains("value=\"1250\""), "shown as stored");
    assert!(!html.contains("f-profil_mitarbeitende-fehler"), "valid");

    let admin = app.login(ADMIN).await;
    let (id, _) = app.store.questionnaire_by_slug("bedarfsanalyse-2026").await.unwrap().unwrap();
    let r = app
        .client
        .get(format!(
            "{}/verwaltung/export/datei?fragebogen={id}&datei=wide&dialekt=standard&status=alle",
            app.base
        ))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().await.unwrap();
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .into_records()
        .map(|r| r.unwrap());
    let header = rows.next().unwrap();
    let row = rows.next().unwrap();
    let column = header.iter().position(|h| h == "profil_mitarbeitende").unwrap();
    assert_eq!(&row[column], "1250");
}

on_both_backends!(typed_addresses_are_capped_at_254_characters, address_cap);
async fn address_cap(app: TestApp) {
    let longest = format!("{}@kreis-kleve.de", "a".repeat(254 - "@kreis-kleve.de".len()));
    assert_eq!(longest.len(), 254);
    app.account(&longest, domain::staff::Role::Admin, &[]).await;
    let r = app.login_response(&longest, common::PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303, "254 characters are an address");

    // One more: the usual message, and not a key of the per-account limit (5 a minute here).
    let too_long = format!("a{longest}");
    for _ in 0..7 {
        let r = app.login_response(&too_long, common::PASSWORD).await;
        assert_eq!(r.status().as_u16(), 401);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("E-Mail-Adresse oder Passwort sind nicht richtig."));
    }
    let r = app.login_response(&"x".repeat(1_000_000), common::PASSWORD).await;
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_behind_trusted_proxies() {
    let unknown = |app: &TestApp, client: &'static str| {
        app.client
            .get(format!("{}/f/unbekannt/s/1", app.base))
            .header("accept", "text/html")
            .header("x-forwarded-for", client)
            .send()
    };
    // Behind a trusted proxy (here: the test client's own address): per forwarded client.
    let app = TestApp::spawn_configured(common::Db::Sqlite, |c| {
        c.trusted_proxies = server::client_addr::parse_ranges("127.0.0.1").unwrap();
    })
    .await
    .unwrap();
    for _ in 0..20 {
        assert_eq!(unknown(&app, "203.0.113.1").await.unwrap().status().as_u16(), 404);
    }
    assert_eq!(unknown(&app, "203.0.113.1").await.unwrap().status().as_u16(), 429);
    assert_eq!(
        unknown(&app, "203.0.113.2").await.unwrap().status().as_u16(),
        404,
        "another client"
    );
    // IPv6 clients share the allowance of their /64.
    for _ in 0..20 {
        assert_eq!(unknown(&app, "2001:db8:1:2::1").await.unwrap().status().as_u16(), 404);
    }
    assert_eq!(unknown(&app, "2001:db8:1:2::99").await.unwrap().status().as_u16(), 429);

    // Without trusted proxies the header is the client's word and ignored.
    let app = TestApp::spawn(common::Db::Sqlite).await.unwrap();
    let spoofed = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];
    for i in 0..20 {
        assert_eq!(unknown(&app, spoofed[i % 3]).await.unwrap().status().as_u16(), 404);
    }
    assert_eq!(unknown(&app, "198.51.100.9").await.unwrap().status().as_u16(), 429);
}

on_both_backends!(stale_background_saves_are_refused, stale_autosaves);
async fn stale_autosaves(app: TestApp) {
    let token = app.start_open_response().await;
    let (code, _) = long_text_of(&app, 2);
    let autosave = |text: &'static str, stand: Option<i64>| {
        let mut form = pairs(&[(&code, text), ("aktion", "autosave")]);
        if let Some(v) = stand {
            form.push(("stand".into(), v.to_string()));
        }
        let url = format!("/f/{token}/s/2");
        let app = &app;
        async move { app.post(&url, &form).await }
    };
    let v0 = app.count("SELECT version FROM response").await;
    let r = autosave("eins", Some(v0)).await;
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["stand"], v0 + 1);
    let r = autosave("zwei", Some(v0 + 1)).await;
    assert_eq!(r.status().as_u16(), 200);

    // A save from the page as it was before "zwei" arrives late: refused, "zwei" stays.
    let r = autosave("alt", Some(v0 + 1)).await;
    assert_eq!(r.status().as_u16(), 409);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert!(
        body["fehler"][0]["meldung"].as_str().unwrap().contains("Bitte laden Sie die Seite neu"),
        "{body}"
    );
    assert_eq!(stored(&app, &code).await, vec!["zwei".to_string()]);

    // Posts of the form itself (the respondent's own click) are taken as they come.
    let r = app
        .post(
            &format!("/f/{token}/s/2"),
            &pairs(&[(&code, "drei"), ("aktion", "speichern"), ("stand", "1")]),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(stored(&app, &code).await, vec!["drei".to_string()]);
}

on_both_backends!(pages_carry_a_content_security_policy_with_their_nonce, content_security_policy);
async fn content_security_policy(app: TestApp) {
    let policy = |r: &reqwest::Response| {
        r.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_string())
    };
    let token = app.start_open_response().await;
    let mut nonces = Vec::new();
    for path in
        ["/".to_string(), "/anmelden".into(), format!("/f/{token}/s/2"), "/gibt-es-nicht".into()]
    {
        let r = app.get(&path).await;
        let header = policy(&r).unwrap_or_else(|| panic!("{path}: no policy"));
        let html = r.text().await.unwrap();
        assert!(!header.contains("unsafe-inline"), "{path}: {header}");
        // Every inline script carries the nonce the header allows; no other script is inline.
        let nonce = header
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: {header}"));
        let scripts = html.matches("<script").count();
        assert!(scripts >= 1, "{path}: the hydration script");
        assert_eq!(
            html.matches(&format!("<script type=\"module\" nonce=\"{nonce}\"")).count()
                + html.matches(&format!("<script nonce=\"{nonce}\"")).count(),
            scripts,
            "{path}"
        );
        assert!(
            !html.contains(&format!("crossorigin=\"{nonce}\"")),
            "{path}: the nonce is no crossorigin value"
        );
        assert!(!html.contains(" style="), "{path}: no inline style");
        assert!(html.trim_end().ends_with("</html>"), "{path}: nothing after </html>");
        nonces.push(nonce.to_string());
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a new nonce per response");

    // Pages outside the router (a refused post) and files get the policy without a nonce.
    let r = app.post("/f/unbekannt/s/2", &pairs(&[("aktion", "speichern")])).await;
    assert_eq!(r.status().as_u16(), 404);
    let header = policy(&r).expect("error pages too");
    assert!(!header.contains("nonce"), "{header}");
}

on_both_backends!(sign_in_returns_to_the_page_with_its_query, sign_in_keeps_query);
async fn sign_in_keeps_query(app: TestApp) {
    app.account(ADMIN, domain::staff::Role::Admin, &[]).await;
    let r = app.get("/verwaltung?status=pending").await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let to_sign_in = location(&r);
    assert_eq!(to_sign_in, "/anmelden?weiter=/verwaltung%3Fstatus%3Dpending");
    let (_, html) = app.get_text(&to_sign_in).await;
    assert!(
        html.contains("value=\"/verwaltung?status=pending\""),
        "the form carries the whole path"
    );
    let r = app
        .post(
            "/anmelden",
            &pairs(&[
                ("email", ADMIN),
                ("passwort", common::PASSWORD),
                ("weiter", "/verwaltung?status=pending"),
            ]),
        )
        .await;
    assert_eq!(location(&r), "/verwaltung?status=pending");
}

// A small allowance (one save back every 6 s), so that no save comes back while the test runs.
mod saves_are_limited_per_link {
    use crate::common::{Db, TestApp};

    fn few_saves(config: &mut server::config::Config) {
        config.survey_limits.saves_per_minute = 10;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::saves_per_link(TestApp::spawn_configured(Db::Sqlite, few_saves).await.unwrap())
            .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_configured(Db::Postgres, few_saves).await {
            super::saves_per_link(app).await;
        }
    }
}
async fn saves_per_link(app: TestApp) {
    let (code, _) = long_text_of(&app, 2);
    let flooded = app.start_open_response().await;
    let other = app.start_open_response().await;
    let save = |token: &str, text: String| {
        let url = format!("/f/{token}/s/2");
        let form = pairs(&[(&code, &text), ("aktion", "autosave")]);
        let app = &app;
        async move { app.post(&url, &form).await }
    };
    let allowance = app.config.survey_limits.saves_per_minute as usize;
    let mut accepted = 0;
    let mut refused = None;
    for i in 0..allowance + 20 {
        let r = save(&flooded, format!("Fassung {i}")).await;
        match r.status().as_u16() {
            200 => accepted = i,
            429 => {
                let body: serde_json::Value =
                    serde_json::from_str(&r.text().await.unwrap()).unwrap();
                assert!(
                    body["fehler"][0]["meldung"].as_str().unwrap().contains("Bitte warten Sie"),
                    "{body}"
                );
                refused = Some(i);
                break;
            }
            s => panic!("save {i}: {s}"),
        }
    }
    let refused = refused.expect("a flood of saves is refused");
    assert!(refused >= allowance, "the allowance is kept: refused at {refused}");
    // The refused save changed nothing; another link saves as before.
    assert_eq!(stored(&app, &code).await, vec![format!("Fassung {accepted}")]);
    assert_eq!(save(&other, "andere".into()).await.status().as_u16(), 200);
    // A page post by hand is refused with a page, and nothing stored is lost.
    let r = app
        .post(
            &format!("/f/{flooded}/s/2"),
            &pairs(&[(&code, "zu schnell"), ("aktion", "speichern")]),
        )
        .await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.text().await.unwrap().contains("Bitte warten Sie"));
    assert_eq!(stored(&app, &code).await.len(), 2);
}

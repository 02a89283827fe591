//! Imports over HTTP, on SQLite and PostgreSQL: a LimeSurvey structure becomes a draft with
//! its report; its response export becomes submitted responses that the tallies, texts and
//! dashboards count; a file with problems writes nothing and names them by line; only
//! administrators import, and only with the session's CSRF token. An XLSForm becomes a draft
//! the same way.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{location, TestApp};
use domain::staff::Role;

const ADMIN: &str = "admin@kreis-kleve.de";
const MEMBER: &str = "ag@kreis-kleve.de";
const NEW: &[u8] = include_bytes!("../../backend/tests/fixtures/limesurvey/integration-neu.lss");
const OLD: &[u8] = include_bytes!("../../backend/tests/fixtures/limesurvey/integration-alt.lss");
const TSV: &[u8] = include_bytes!("../../backend/tests/fixtures/limesurvey/integration.txt");
const RESPONSES: &[u8] = include_bytes!("../../backend/tests/fixtures/limesurvey/antworten.csv");
const XLSFORM: &[u8] = include_bytes!("../../backend/tests/fixtures/xlsform/alle_typen.xlsx");
const BAD: &[u8] =
    include_bytes!("../../backend/tests/fixtures/limesurvey/antworten-fehlerhaft.csv");

async fn upload(
    app: &TestApp,
    session: &common::Session,
    path: &str,
    csrf: &str,
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf.to_string());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part(
        "datei",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_string()),
    );
    app.client
        .post(format!("{}{path}", app.base))
        .header("origin", &app.base)
        .header("cookie", &session.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Imports a structure; the report's path.
async fn import_structure(
    app: &TestApp,
    admin: &common::Session,
    name: &str,
    bytes: &[u8],
) -> String {
    let r = upload(app, admin, "/verwaltung/import", &admin.csrf, name, bytes, &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let to = location(&r);
    assert!(to.starts_with("/verwaltung/import/"), "{to}");
    to
}

async fn newest_questionnaire(app: &TestApp) -> i64 {
    app.count("SELECT MAX(id) FROM questionnaire").await
}

const MAPPING: [(&str, &str); 4] = [
    ("spalte_art", "ART"),
    ("spalte_kommune", "KOMMUNE"),
    ("zuordnung", "A3 = verein\nAndere Art = Sonstige"),
    ("aktion", "importieren"),
];

async fn structure_and_responses(app: TestApp) {
    app.account(ADMIN, Role::Admin, &[]).await;
    let admin = app.login(ADMIN).await;
    let before = app.count("SELECT COUNT(*) FROM questionnaire").await;

    let report = import_structure(&app, &admin, "integration-neu.lss", NEW).await;
    let (status, html) = app.get_as(&admin, &report).await;
    assert_eq!(status, 200);
    assert!(html.contains("Integrationsangebote 2023"), "{html}");
    assert!(html.contains("<code>RANG</code>") && html.contains("Rangfolge"));
    assert!(
        html.contains("JANEIN == &quot;Y&quot; and ART == &quot;A1&quot;")
            || html.contains("JANEIN == \"Y\" and ART == \"A1\"")
    );
    assert!(html.contains("Sprache „de“"));
    let id = newest_questionnaire(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM questionnaire").await, before + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM questionnaire WHERE id = {id} AND status = 'draft'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM question WHERE questionnaire_id = {id}")).await,
        25
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'Fragebogen importiert'").await,
        1
    );
    // The draft opens in the builder and the list links the import.
    assert_eq!(app.get_as(&admin, &format!("/verwaltung/fragebogen/{id}")).await.0, 200);
    let (_, list) = app.get_as(&admin, "/verwaltung/import").await;
    assert!(list.contains("integration-neu.lss"));

    // The older layout and the tab-separated file make drafts of their own, with their own
    // open-link names.
    import_structure(&app, &admin, "integration-alt.lss", OLD).await;
    import_structure(&app, &admin, "integration.txt", TSV).await;
    assert_eq!(app.count("SELECT COUNT(DISTINCT slug) FROM questionnaire").await, before + 3);

    // Responses into the first draft: checked first (nothing written), then imported.
    let page = format!("/verwaltung/fragebogen/{id}/antworten-import");
    let (status, html) = app.get_as(&admin, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("LimeSurvey-Struktur"));
    let mut check = MAPPING;
    check[3] = ("aktion", "pruefen");
    let r = upload(&app, &admin, &page, &admin.csrf, "antworten.csv", RESPONSES, &check).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = app.get_as(&admin, &page).await;
    assert!(html.contains("4 abgeschlossene Antworten können importiert werden"), "{html}");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM response WHERE questionnaire_id = {id}")).await,
        0
    );

    let r = upload(&app, &admin, &page, &admin.csrf, "antworten.csv", RESPONSES, &MAPPING).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = app.get_as(&admin, &page).await;
    assert!(html.contains("4 abgeschlossene Antworten wurden importiert"), "{html}");
    assert!(html.contains("1 unvollständige"));
    let q = format!("questionnaire_id = {id}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM response WHERE {q} AND status = 'submitted' AND import_id IS NOT NULL")).await, 4);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM response WHERE {q} AND org_kind = 'schule'"))
            .await,
        1
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM response_municipality m JOIN response r ON r.id = m.response_id WHERE r.{q} AND m.ags = '05154036'")).await, 2);
    // Tallies and texts are up to date: all four counted, the free texts listed.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM tally_built WHERE {q}")).await, 1);
    assert_eq!(app.count(&format!("SELECT CAST(SUM(respondents) AS BIGINT) FROM tally WHERE {q} AND theme_code = '' AND day = -1 AND municipalities = '*'")).await, 4);
    assert!(app.count(&format!("SELECT COUNT(*) FROM response_text WHERE {q}")).await >= 3);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'Antworten importiert'").await,
        1
    );
    // The same file again would count its responses twice: refused, nothing written.
    let r = upload(&app, &admin, &page, &admin.csrf, "kopie.csv", RESPONSES, &MAPPING).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = app.get_as(&admin, &page).await;
    assert!(html.contains("schon importiert (als „antworten.csv“)"), "{html}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM response WHERE {q}")).await, 4);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM response_import WHERE {q}")).await, 1);
    let (status, html) = app.get_as(&admin, &format!("/auswertung/angebote?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Wie bewerten Sie die Lage?"), "{html}");
    assert!(
        html.contains("4 Antworten") || html.contains("n = 4") || html.contains(">4<"),
        "the theme counts four responses"
    );
    let (_, html) = app.get_as(&admin, &page).await;
    assert!(html.contains("antworten.csv"));
}
on_both_backends!(structure_and_responses_on, structure_and_responses);

async fn a_bad_file_writes_nothing(app: TestApp) {
    app.account(ADMIN, Role::Admin, &[]).await;
    let admin = app.login(ADMIN).await;
    import_structure(&app, &admin, "integration-neu.lss", NEW).await;
    let id = newest_questionnaire(&app).await;
    let page = format!("/verwaltung/fragebogen/{id}/antworten-import");
    let r = upload(&app, &admin, &page, &admin.csrf, "fehler.csv", BAD, &MAPPING).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), format!("{page}#fehler"));
    let (_, html) = app.get_as(&admin, &page).await;
    assert!(html.contains("Es wurde nichts importiert"), "{html}");
    assert!(html.contains("Zeile 3: Spalte „ART“: „A9“"), "{html}");
    assert!(html.contains("Zeile 5: Spalte „BEDARF“: „7“"), "{html}");
    assert!(html.contains("Zeile 6: Frage „janein“"), "{html}");
    // What was typed comes back.
    assert!(html.contains("value=\"KOMMUNE\""), "{html}");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM response WHERE questionnaire_id = {id}")).await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM response_import").await, 0);
    // A structure file that is no structure: a clear message, no draft.
    let before = app.count("SELECT COUNT(*) FROM questionnaire").await;
    let r = upload(
        &app,
        &admin,
        "/verwaltung/import",
        &admin.csrf,
        "kaputt.lss",
        b"<document><questions>",
        &[],
    )
    .await;
    assert_eq!(location(&r), "/verwaltung/import");
    let (_, html) = app.get_as(&admin, "/verwaltung/import").await;
    assert!(html.contains("kein gültiges XML"), "{html}");
    let r =
        upload(&app, &admin, "/verwaltung/import", &admin.csrf, "form.xlsx", b"PK\x03\x04", &[])
            .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = app.get_as(&admin, "/verwaltung/import").await;
    assert!(html.contains("nicht als Excel-Arbeitsmappe lesen"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM questionnaire").await, before);
}
on_both_backends!(a_bad_file_writes_nothing_on, a_bad_file_writes_nothing);

async fn only_administrators_with_the_token(app: TestApp) {
    app.account(ADMIN, Role::Admin, &[]).await;
    app.account(MEMBER, Role::Member, &["wohnen"]).await;
    let admin = app.login(ADMIN).await;
    let member = app.login(MEMBER).await;
    let before = app.count("SELECT COUNT(*) FROM questionnaire").await;
    // A member: neither the page nor the upload.
    assert_eq!(app.get_as(&member, "/verwaltung/import").await.0, 403);
    let r = upload(&app, &member, "/verwaltung/import", &member.csrf, "a.lss", NEW, &[]).await;
    assert_eq!(r.status().as_u16(), 403);
    // An administrator without (or with a wrong) token.
    let r = upload(&app, &admin, "/verwaltung/import", "", "a.lss", NEW, &[]).await;
    assert_eq!(r.status().as_u16(), 403);
    let r = upload(&app, &admin, "/verwaltung/import", "falsch", "a.lss", NEW, &[]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM questionnaire").await, before);
    // Responses likewise.
    import_structure(&app, &admin, "a.lss", NEW).await;
    let id = newest_questionnaire(&app).await;
    let page = format!("/verwaltung/fragebogen/{id}/antworten-import");
    assert_eq!(app.get_as(&member, &page).await.0, 403);
    let r = upload(&app, &member, &page, &member.csrf, "a.csv", RESPONSES, &MAPPING).await;
    assert_eq!(r.status().as_u16(), 403);
    let r = upload(&app, &admin, &page, "", "a.csv", RESPONSES, &MAPPING).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    // Without a session: as every page of the administration.
    let (usual, _) = app.get_text("/verwaltung/fragebogen").await;
    assert_eq!(app.get_text("/verwaltung/import").await.0, usual);
    assert_eq!(app.get_text("/verwaltung/import/1").await.0, usual);
    assert_eq!(app.get_text(&page).await.0, usual);
    let anonymous = common::Session { cookie: String::new(), csrf: String::new() };
    let r = upload(&app, &anonymous, &page, "", "a.csv", RESPONSES, &MAPPING).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
}
on_both_backends!(only_administrators_with_the_token_on, only_administrators_with_the_token);

async fn xlsform_structure(app: TestApp) {
    app.account(ADMIN, Role::Admin, &[]).await;
    let admin = app.login(ADMIN).await;
    let before = app.count("SELECT COUNT(*) FROM questionnaire").await;
    let report = import_structure(&app, &admin, "testbefragung.xlsx", XLSFORM).await;
    let (status, html) = app.get_as(&admin, &report).await;
    assert_eq!(status, 200);
    assert!(html.contains("Testbefragung Integration"), "{html}");
    assert!(html.contains("Texte aus der Sprache „Deutsch (de)“ übernommen."), "{html}");
    // What could not be carried over is listed by its name with the reason.
    for (code, reason) in [
        ("standort", "Ortsangaben per GPS"),
        ("summe", "Berechnung"),
        ("kurse_liste", "Wiederholungsgruppe"),
        ("label::English (en)", "English (en)"),
    ] {
        assert!(html.contains(&format!("<code>{code}</code>")), "{code}: {html}");
        assert!(html.contains(reason), "{reason}");
    }
    let id = newest_questionnaire(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM questionnaire").await, before + 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM question WHERE questionnaire_id = {id}")).await,
        18
    );
    // The draft opens in the builder.
    let (status, builder) = app.get_as(&admin, &format!("/verwaltung/fragebogen/{id}")).await;
    assert_eq!(status, 200);
    assert!(builder.contains("Sprache und Verständigung"), "{builder}");
}
on_both_backends!(xlsform_structure_on, xlsform_structure);

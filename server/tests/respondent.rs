//! The respondent's flow over real HTTP, on SQLite and on PostgreSQL.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{location, pairs, TestApp};
use domain::QuestionnaireStatus;
use sha2::{Digest, Sha256};

on_both_backends!(health_check_follows_the_database, health_check);
async fn health_check(app: TestApp) {
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
    app.store.close().await;
    assert_eq!(app.get("/healthz").await.status().as_u16(), 503);
}

on_both_backends!(home_lists_the_open_link, home_lists_open_link);
async fn home_lists_open_link(app: TestApp) {
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/o/bedarfsanalyse-2026\""), "{html}");
    assert!(html.contains("Bedarfs- und Bestandsanalyse der Integrationsarbeit im Kreis Kleve"));
    let (status, html) = app.get_text("/o/bedarfsanalyse-2026").await;
    assert_eq!(status, 200);
    assert!(html.contains("Datenschutzhinweise"));
    assert!(html.contains("Schritt 1 von 12"));
}

on_both_backends!(open_link_creates_a_personal_link_stored_only_as_hash, open_link_start);
async fn open_link_start(app: TestApp) {
    // Nothing typed: nothing is created, the required fields are shown.
    let r = app.post("/o/bedarfsanalyse-2026", &[]).await;
    assert_eq!(location(&r), "/o/bedarfsanalyse-2026?pruefen=1#fehler");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    let (_, html) = app.get_text("/o/bedarfsanalyse-2026?pruefen=1").await;
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("href=\"#f-profil_art\""));

    let token = app.start_open_response().await;
    assert_eq!(token.len(), 43);
    let hash: String =
        Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM response WHERE token_hash = '{hash}'")).await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM response WHERE token_hash LIKE '%{token}%'"))
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response_municipality WHERE ags = '05154036'").await,
        1
    );

    // The link box shows the personal link.
    let (status, html) = app.get_text(&format!("/f/{token}/s/2?neu=1")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("http://127.0.0.1/f/{token}")));
    assert!(html.contains("Schritt 2 von 12"));
    let (_, start) = app.get_text(&format!("/f/{token}")).await;
    assert!(start.contains("Fortsetzen bei Schritt 2 von 12"), "a valid profile resumes at step 2");

    // A partial profile is kept and its errors shown on step 1.
    let r = app.post("/o/bedarfsanalyse-2026", &pairs(&[("profil_kommunen", "05154016")])).await;
    let to = location(&r);
    assert!(to.ends_with("/s/1?neu=1&pruefen=1#fehler"), "{to}");
    let (_, html) = app.get_text(to.trim_end_matches("#fehler")).await;
    assert!(
        html.contains(
            "Bitte wählen Sie bei „Zu welcher Art von Organisation gehört Ihre Einrichtung“"
        ) || html.contains("error-summary"),
        "{html}"
    );
    assert!(html.contains("value=\"05154016\" checked"), "the typed answer is kept");
}

on_both_backends!(pages_save_and_resume_on_another_device, save_and_resume);
async fn save_and_resume(app: TestApp) {
    let token = app.start_open_response().await;
    let mut form = app.valid_page_form(2, 3);
    form.push(("aktion".into(), "speichern".into()));
    let r = app.post(&format!("/f/{token}/s/2"), &form).await;
    assert_eq!(location(&r), format!("/f/{token}/s/2?gespeichert=1"));

    // "Another device": a fresh client with nothing but the link.
    let other = reqwest::Client::new();
    let html = other
        .get(format!("{}/f/{token}/s/2", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (name, value) in form.iter().filter(|(k, _)| k != "aktion") {
        if value.contains(' ') || name.ends_with("_sonstiges") {
            continue;
        }
        assert!(
            html.contains(&format!("name=\"{name}\" value=\"{value}\" checked"))
                || html.contains(&format!("value=\"{value}\"")),
            "{name}={value} not shown"
        );
    }
    let start =
        other.get(format!("{}/f/{token}", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(start.contains("Fortsetzen bei Schritt 2 von 12"), "{start}");

    // Next moves on and is remembered.
    let mut form = app.valid_page_form(2, 3);
    form.push(("aktion".into(), "weiter".into()));
    let r = app.post(&format!("/f/{token}/s/2"), &form).await;
    assert_eq!(location(&r), format!("/f/{token}/s/3"));
    let (_, start) = app.get_text(&format!("/f/{token}")).await;
    assert!(start.contains("Fortsetzen bei Schritt 3 von 12"));

    // Back saves without checking.
    let r = app
        .post(&format!("/f/{token}/s/3"), &pairs(&[("aktion", "zurueck"), ("aus_gesamt", "4")]))
        .await;
    assert_eq!(location(&r), format!("/f/{token}/s/2"));
}

on_both_backends!(wrong_input_is_kept_and_explained, wrong_input);
async fn wrong_input(app: TestApp) {
    let token = app.start_open_response().await;
    let r = app
        .post(
            &format!("/f/{token}/s/1"),
            &pairs(&[
                ("profil_art", "schule"),
                ("profil_kommunen", "05154036"),
                ("profil_mitarbeitende", "zwölf"),
                ("aktion", "weiter"),
            ]),
        )
        .await;
    assert_eq!(location(&r), format!("/f/{token}/s/1?pruefen=1#fehler"));
    let (_, html) = app.get_text(&format!("/f/{token}/s/1?pruefen=1")).await;
    assert!(html.contains("„zwölf“ ist keine gültige Angabe"), "{html}");
    assert!(html.contains("href=\"#f-profil_mitarbeitende\""));
    assert!(html.contains("id=\"f-profil_mitarbeitende-fehler\""));
    assert!(html.contains("value=\"zwölf\""), "typed value is kept");
    // Unknown options are not stored.
    app.post(
        &format!("/f/{token}/s/1"),
        &pairs(&[("profil_art", "erfunden"), ("aktion", "speichern")]),
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE value = 'erfunden'").await, 0);
}

on_both_backends!(hidden_questions_are_not_kept, hidden_not_kept);
async fn hidden_not_kept(app: TestApp) {
    let token = app.start_open_response().await;
    let form = pairs(&[
        ("profil_art", "verein"),
        ("profil_kommunen", "05154016"),
        ("profil_ehrenamt", "ja"),
        ("profil_ehrenamtliche", "25"),
        ("aktion", "weiter"),
    ]);
    app.post(&format!("/f/{token}/s/1"), &form).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE value = '25'").await, 1);
    let form = pairs(&[
        ("profil_art", "verein"),
        ("profil_kommunen", "05154016"),
        ("profil_ehrenamt", "nein"),
        ("profil_ehrenamtliche", "25"),
        ("aktion", "weiter"),
    ]);
    let r = app.post(&format!("/f/{token}/s/1"), &form).await;
    assert_eq!(location(&r), format!("/f/{token}/s/2"));
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE value = '25'").await, 0);

    // A condition on another page: language questions only when mediation is needed.
    let step = app.questionnaire.page_of("sm_bedarf").unwrap() + 1;
    let r = app
        .post(
            &format!("/f/{token}/s/{step}"),
            &pairs(&[("sm_bedarf", "nein"), ("aktion", "weiter")]),
        )
        .await;
    assert_eq!(location(&r), format!("/f/{token}/s/{}", step + 1));
}

on_both_backends!(submit_is_idempotent_and_final, submit_once);
async fn submit_once(app: TestApp) {
    let token = app.start_open_response().await;
    // Incomplete: back to the review with the missing answers.
    let r = app.post(&format!("/f/{token}/absenden"), &[]).await;
    assert_eq!(location(&r), format!("/f/{token}/uebersicht?pruefen=1#fehler"));
    let (_, html) = app.get_text(&format!("/f/{token}/uebersicht?pruefen=1")).await;
    assert!(html.contains("noch nicht vollständig"));

    app.fill_everything(&token, 11).await;
    let (_, review) = app.get_text(&format!("/f/{token}/uebersicht")).await;
    assert!(review.contains("Alle Pflichtangaben sind vollständig"));
    // Double post and concurrent posts: one submission, the same answer each time.
    let path = format!("/f/{token}/absenden");
    let (a, b, c) = tokio::join!(app.post(&path, &[]), app.post(&path, &[]), app.post(&path, &[]));
    for r in [a, b, c] {
        assert_eq!(location(&r), format!("/f/{token}/danke"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE status = 'submitted'").await, 1);
    let answers_before = app.count("SELECT COUNT(*) FROM answer").await;

    let (status, thanks) = app.get_text(&format!("/f/{token}/danke")).await;
    assert_eq!(status, 200);
    assert!(thanks.contains("Vielen Dank"));
    let (status, copy) = app.get_text(&format!("/f/{token}/kopie")).await;
    assert_eq!(status, 200);
    assert!(copy.contains("Ihre Antworten"));

    // Read-only: a later post changes nothing.
    let kind_before =
        app.count("SELECT COUNT(*) FROM response WHERE org_kind = 'integrationsrat'").await;
    let r = app
        .post(
            &format!("/f/{token}/s/1"),
            &pairs(&[("profil_art", "integrationsrat"), ("aktion", "weiter")]),
        )
        .await;
    assert_eq!(location(&r), format!("/f/{token}/kopie"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response WHERE org_kind = 'integrationsrat'").await,
        kind_before
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM answer").await, answers_before);
}

on_both_backends!(bad_links_answer_404_410_and_429, bad_links);
async fn bad_links(app: TestApp) {
    let (status, html) = app.get_text("/f/xyz").await;
    assert_eq!(status, 404);
    assert!(html.contains("Dieser Link ist uns nicht bekannt"));
    let unknown = "A".repeat(43);
    assert_eq!(app.get(&format!("/f/{unknown}/s/1")).await.status().as_u16(), 404);
    assert_eq!(app.post(&format!("/f/{unknown}/s/1"), &[]).await.status().as_u16(), 404);
    assert_eq!(app.get("/o/gibt-es-nicht").await.status().as_u16(), 404);
    assert_eq!(app.get("/keine-seite").await.status().as_u16(), 404);

    let token = app.start_open_response().await;
    assert_eq!(app.get(&format!("/f/{token}/s/99")).await.status().as_u16(), 404);

    // Closed questionnaire: 410 for the link and the open link.
    let id = app.store.questionnaire_ids().await.unwrap()[0];
    app.store.set_questionnaire_status(id, QuestionnaireStatus::Closed).await.unwrap();
    let (status, html) = app.get_text(&format!("/f/{token}/s/2")).await;
    assert_eq!(status, 410);
    assert!(html.contains("Die Befragung ist beendet"));
    assert_eq!(app.get("/o/bedarfsanalyse-2026").await.status().as_u16(), 410);
    assert_eq!(
        app.post(&format!("/f/{token}/s/2"), &pairs(&[("aktion", "weiter")]))
            .await
            .status()
            .as_u16(),
        410
    );
    app.store.set_questionnaire_status(id, QuestionnaireStatus::Open).await.unwrap();
    assert_eq!(app.get(&format!("/f/{token}/s/2")).await.status().as_u16(), 200);

    // Revoked link: 410.
    let hash: String =
        Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let row = app.store.response_by_token_hash(&hash).await.unwrap().unwrap();
    app.store.revoke_response(row.id).await.unwrap();
    assert_eq!(app.get(&format!("/f/{token}")).await.status().as_u16(), 410);

    // Guessing links is limited per address.
    let mut statuses = Vec::new();
    for i in 0..25 {
        statuses.push(app.get(&format!("/f/{}{i:02}", "B".repeat(41))).await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

on_both_backends!(cross_site_posts_are_refused, cross_site);
async fn cross_site(app: TestApp) {
    let token = app.start_open_response().await;
    let r = app
        .client
        .post(format!("{}/f/{token}/s/1", app.base))
        .header("origin", "https://angreifer.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("profil_art=kita&aktion=weiter")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = app
        .client
        .post(format!("{}/o/bedarfsanalyse-2026", app.base))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("profil_art=kita")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE value = 'kita'").await, 0);
}

on_both_backends!(autosave_answers_without_redirect, autosave);
async fn autosave(app: TestApp) {
    let token = app.start_open_response().await;
    let r = app
        .post(&format!("/f/{token}/s/2"), &pairs(&[("fbs_gesamt", "5"), ("aktion", "autosave")]))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE value = '5'").await, 1);
    // A late background save of an earlier page does not move the resume point back.
    let mut form = app.valid_page_form(3, 1);
    form.push(("aktion".into(), "weiter".into()));
    app.post(&format!("/f/{token}/s/3"), &form).await;
    app.post(&format!("/f/{token}/s/2"), &pairs(&[("fbs_gesamt", "4"), ("aktion", "autosave")]))
        .await;
    let (_, start) = app.get_text(&format!("/f/{token}")).await;
    assert!(start.contains("Fortsetzen bei Schritt 4 von 12"), "{start}");
}

on_both_backends!(invitation_links_are_bound_to_an_organisation, invitation);
async fn invitation(app: TestApp) {
    let municipalities = vec!["05154016".to_string(), "05154036".to_string()];
    let org = app
        .store
        .insert_organisation(
            "Familienzentrum Goch",
            "kita",
            &municipalities,
            Some("info@example.org"),
        )
        .await
        .unwrap();
    let survey = backend::respondent::Survey::new(
        app.store.clone(),
        "http://127.0.0.1".into(),
        Default::default(),
    );
    let link = survey.invite("bedarfsanalyse-2026", org, "kita", &municipalities).await.unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM response WHERE status = 'invited' AND organisation_id = {org}"
        ))
        .await,
        1
    );
    let (status, html) = app.get_text(&format!("/f/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Fragebogen beginnen"));
    // The profile is prefilled from the register.
    let (_, step1) = app.get_text(&format!("/f/{token}/s/1")).await;
    assert!(step1.contains("value=\"kita\" checked"), "{step1}");
    assert!(step1.contains("value=\"05154016\" checked"));
    app.fill_everything(&token, 5).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE status = 'draft'").await, 1);
    let r = app.post(&format!("/f/{token}/absenden"), &[]).await;
    assert_eq!(location(&r), format!("/f/{token}/danke"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM response WHERE status = 'submitted' AND organisation_id = {org}"
        ))
        .await,
        1
    );
}

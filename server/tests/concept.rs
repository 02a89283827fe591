//! The integration concept over HTTP, on both backends: a working group goes from a dashboard
//! figure and a heat-map cell to evidence, a finding, a goal and a measure with a note and an
//! indicator; withheld figures never become evidence; two people never overwrite each other;
//! the document shows it all; and who may change what.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use backend::respondent::GeneratedResponse;
use common::{location, pairs, Session, TestApp};
use domain::answers::Answer;
use domain::default_questionnaire::DEFAULT_SLUG;
use domain::staff::Role;
use domain::Answers;
use domain::ResponseStatus;

const KLEVE: &str = "05154036";
const GOCH: &str = "05154016";
const THEME: &str = "fruehe_bildung_schule";
const OTHER_THEME: &str = "sprache_verstaendigung";
const ADMIN: &str = "ki@kreis-kleve.de";
const MEMBER: &str = "ag-bildung@kreis-kleve.de";
const OTHER: &str = "ag-sprache@kreis-kleve.de";

/// Six submitted responses from Kleve: enough for every figure of the county and Kleve; none
/// from Goch, so Goch's figures are withheld.
async fn seed(app: &TestApp) -> i64 {
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let generated: Vec<GeneratedResponse> = (0..6)
        .map(|i| {
            let mut a = Answers::new();
            let values = |v: &[&str]| Answer {
                values: v.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            };
            let rows = |r: &[(&str, &str)]| Answer {
                rows: r.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                ..Default::default()
            };
            a.insert("profil_art".into(), values(&["kita"]));
            a.insert("profil_kommunen".into(), values(&[KLEVE]));
            a.insert("fbs_bestand".into(), rows(&[("griffbereit", "vorhanden")]));
            a.insert(
                "fbs_bedarf".into(),
                rows(&[("griffbereit", if i % 2 == 0 { "5" } else { "4" })]),
            );
            a.insert("fbs_gesamt".into(), values(&[if i < 3 { "4" } else { "5" }]));
            GeneratedResponse {
                token_hash: format!("concept-test-{i}"),
                status: ResponseStatus::Submitted,
                current_page: 0,
                answers: a,
                created_at: 1_788_256_800_000,
                updated_at: 1_788_256_860_000,
                submitted_at: Some(1_788_256_860_000),
            }
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
    id
}

async fn people(app: &TestApp) -> (Session, Session, Session) {
    app.account(ADMIN, Role::Admin, &[]).await;
    app.account(MEMBER, Role::Member, &[THEME]).await;
    app.account(OTHER, Role::Member, &[OTHER_THEME]).await;
    (app.login(ADMIN).await, app.login(MEMBER).await, app.login(OTHER).await)
}

async fn the_whole_path(app: TestApp) {
    let questionnaire = seed(&app).await;
    let q = questionnaire.to_string();
    let (admin, member, other) = people(&app).await;
    let base = format!("/konzept/{THEME}");

    // A dashboard figure becomes evidence: the rating's mean over the county, as shown.
    let to = app
        .posted_as(
            &member,
            &format!("{base}/belege"),
            &[("fragebogen", &q), ("frage", "fbs_gesamt"), ("eintrag", ""), ("ansicht", "")],
        )
        .await;
    assert!(to.starts_with(&format!("{base}#beleg-")), "{to}");
    let (value_text, n): (String, i64) = {
        let db = app.db().await;
        let row: (String, i64) =
            sqlx::query_as("SELECT value_text, n FROM concept_evidence ORDER BY id DESC LIMIT 1")
                .fetch_one(&db)
                .await
                .unwrap();
        row
    };
    assert_eq!((value_text.as_str(), n), ("Mittelwert 4,50 (n = 6)", 6));

    // The theme page offers it for each figure, the overview for each cell.
    let (_, html) = app.get_as(&member, &format!("/auswertung/{THEME}?fragebogen={q}")).await;
    assert!(html.contains("name=\"frage\" value=\"fbs_gesamt\""), "{html}");
    assert!(html.contains("Als Beleg übernehmen"));
    let (_, html) = app.get_as(&member, &format!("/auswertung?fragebogen={q}")).await;
    assert!(html.contains("action=\"/konzept/belege\""), "{html}");

    // The heat-map cell of Kleve, too.
    app.posted_as(
        &member,
        "/konzept/belege",
        &[("fragebogen", &q), ("thema", THEME), ("frage", ""), ("eintrag", KLEVE)],
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM concept_evidence").await, 2);

    // Withheld figures cannot: Goch has no responses, neither as a figure nor as a cell; the
    // answer goes back to the dashboard with the reason, and nothing is stored.
    for (frage, eintrag, ansicht) in
        [("fbs_gesamt", "", format!("gemeinde={GOCH}")), ("", GOCH, String::new())]
    {
        let to = app
            .posted_as(
                &member,
                &format!("{base}/belege"),
                &[
                    ("fragebogen", &q),
                    ("frage", frage),
                    ("eintrag", eintrag),
                    ("ansicht", &ansicht),
                ],
            )
            .await;
        assert!(to.starts_with("/auswertung"), "{to}");
        let (_, html) = app.get_as(&member, &to).await;
        assert!(html.contains("class=\"error-summary\""), "{to}: {html}");
        assert!(html.contains("zum Schutz kleiner Gruppen nicht gezeigt"), "{to}: {html}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM concept_evidence").await, 2, "none withheld");

    // A finding citing both; a goal; a measure under it, with problems first.
    let to = app
        .posted_as(
            &member,
            &format!("{base}/befunde"),
            &[
                ("text", "Der Bedarf an früher Sprachförderung ist hoch."),
                ("beleg", "1"),
                ("beleg", "2"),
            ],
        )
        .await;
    assert!(to.contains("#befund-1"), "{to}");
    app.posted_as(
        &member,
        &format!("{base}/ziele"),
        &[("titel", "Sprachbildung in Kitas stärken")],
    )
    .await;
    let to = app
        .posted_as(
            &member,
            &format!("{base}/massnahmen"),
            &[("ziel", "1"), ("titel", ""), ("status", "geplant"), ("ende", "32.13.2026")],
        )
        .await;
    assert_eq!(to, format!("{base}/massnahme/neu?ziel=1#fehler"));
    let (_, html) = app.get_as(&member, &to).await;
    for message in [
        "Bitte geben Sie den Titel der Maßnahme an.",
        "Bitte wählen Sie die betroffenen Kommunen oder „kreisweit“.",
        "Ende: Bitte geben Sie ein Datum wie 31.12.2026 an.",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("value=\"32.13.2026\""), "what was typed comes back");
    let to = app
        .posted_as(
            &member,
            &format!("{base}/massnahmen"),
            &[
                ("ziel", "1"),
                ("titel", "Rucksack KiTa in Goch und Kleve"),
                ("verantwortlich", "KI Kreis Kleve"),
                ("kommunen", GOCH),
                ("kommunen", KLEVE),
                ("beginn", "2027-01-01"),
                ("ende", "2027-12-31"),
                ("budget", "12.500"),
                ("status", "in_umsetzung"),
            ],
        )
        .await;
    assert_eq!(to, format!("{base}/massnahme/1"));
    app.posted_as(
        &member,
        &format!("{base}/massnahmen/1/notizen"),
        &[("datum", "2027-02-01"), ("text", "Zwei Gruppen in Kleve gestartet.")],
    )
    .await;
    app.posted_as(
        &member,
        &format!("{base}/massnahmen/1/indikatoren"),
        &[
            ("name", "Teilnehmende Familien"),
            ("einheit", "Familien"),
            ("ausgangswert", "12"),
            ("ausgangsdatum", "2026-12-01"),
            ("beleg", "1"),
            ("zielwert", "40"),
        ],
    )
    .await;
    app.posted_as(
        &member,
        &format!("{base}/massnahmen/1/indikatoren/1/werte"),
        &[("datum", "2027-06-30"), ("wert", "25")],
    )
    .await;

    // The measure's page shows it all.
    let (status, html) = app.get_as(&member, &format!("{base}/massnahme/1")).await;
    assert_eq!(status, 200);
    for shown in [
        "Rucksack KiTa in Goch und Kleve",
        "Zwei Gruppen in Kleve gestartet.",
        "01.02.2027",
        "Teilnehmende Familien",
        "12 Familien (Stand 01.12.2026)",
        "25 Familien (Stand 30.06.2027)",
        "Mittelwert 4,50 (n = 6)",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }

    // Two people edit the same finding: the second is refused and told why.
    let edit = |text: &'static str| [("text", text), ("revision", "1"), ("beleg", "1")];
    app.posted_as(&member, &format!("{base}/befunde/1"), &edit("Erste Fassung")).await;
    let to = app.posted_as(&admin, &format!("{base}/befunde/1"), &edit("Zweite Fassung")).await;
    assert!(to.ends_with("#fehler"), "{to}");
    let (_, html) = app.get_as(&admin, &to).await;
    assert!(html.contains("inzwischen (vermutlich von einer anderen Person) geändert"), "{html}");
    let text: String = sqlx::query_scalar("SELECT text FROM concept_finding WHERE id = 1")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(text, "Erste Fassung", "the first edit stands");

    // Another working group reads the theme but changes nothing.
    let (status, html) = app.get_as(&other, &base).await;
    assert_eq!(status, 200);
    assert!(html.contains("bearbeitet eine andere Arbeitsgruppe"), "{html}");
    assert!(!html.contains("Befund hinzufügen"), "no forms for readers");
    let findings = app.count("SELECT COUNT(*) FROM concept_finding").await;
    for (path, form) in [
        (format!("{base}/befunde"), vec![("text", "Fremd")]),
        (format!("{base}/befunde/1"), vec![("text", "Fremd"), ("revision", "2")]),
        (format!("{base}/befunde/1/loeschen"), vec![("revision", "2")]),
        (format!("{base}/ziele"), vec![("titel", "Fremd")]),
        (format!("{base}/einleitung"), vec![("text", "Fremd")]),
        (format!("{base}/massnahmen/1/notizen"), vec![("datum", "2027-01-01"), ("text", "x")]),
        (format!("{base}/belege"), vec![("fragebogen", q.as_str()), ("frage", "fbs_gesamt")]),
    ] {
        let r = app.post_as(&other, &path, &form).await;
        assert_eq!(r.status().as_u16(), 403, "{path}");
        // Without a session, or with a forged token, nobody changes anything either.
        let r = app.post(&path, &pairs(&form)).await;
        assert_eq!(location(&r), "/anmelden?abgelaufen=1", "anonymous {path}");
        let forged = Session { cookie: admin.cookie.clone(), csrf: "falsch".into() };
        assert_eq!(app.post_as(&forged, &path, &form).await.status().as_u16(), 403, "{path}");
        // A post from another site is refused even with the right token.
        let mut cross_site = pairs(&form);
        cross_site.push(("csrf".into(), admin.csrf.clone()));
        let r = app
            .client
            .post(format!("{}{path}", app.base))
            .header("cookie", &admin.cookie)
            .header("sec-fetch-site", "cross-site")
            .form(&cross_site)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "cross-site {path}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM concept_finding").await, findings);
    // An item of one theme cannot be reached through another theme's address.
    let r = app
        .post_as(
            &other,
            &format!("/konzept/{OTHER_THEME}/befunde/1"),
            &[("text", "x"), ("revision", "2")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);

    // A goal with measures stays; cited evidence stays.
    let to =
        app.posted_as(&member, &format!("{base}/ziele/1/loeschen"), &[("revision", "1")]).await;
    let (_, html) = app.get_as(&member, &to).await;
    assert!(html.contains("Das Ziel hat noch Maßnahmen"), "{html}");
    app.posted_as(&member, &format!("{base}/belege/1/loeschen"), &[]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM concept_evidence").await, 2);

    // The concept document: every theme, with this one's figures, finding, goal and measure.
    let (status, html) = app.get_as(&other, "/konzept").await;
    assert_eq!(status, 200);
    for shown in [
        "Integrationskonzept Kreis Kleve",
        "Erste Fassung",
        "Sprachbildung in Kitas stärken",
        "Rucksack KiTa in Goch und Kleve",
        "in Umsetzung",
        "Mittelwert 4,50 (n = 6)",
        &format!("kapitel-{OTHER_THEME}"),
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    assert!(!html.contains("concept-test-"), "nothing of a response");

    // The same as an editable Word file: its main part holds the chapters.
    let r = app
        .client
        .get(format!("{}/konzept/integrationskonzept.docx", app.base))
        .header("cookie", &other.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").unwrap(),
        &mut document,
    )
    .unwrap();
    for shown in [
        "Integrationskonzept Kreis Kleve",
        "Erste Fassung",
        "Sprachbildung in Kitas stärken",
        "Rucksack KiTa in Goch und Kleve",
        "in Umsetzung",
        "Mittelwert 4,50 (n = 6)",
        "w:pStyle w:val=\"Heading1\"",
    ] {
        assert!(document.contains(shown), "{shown}: {document}");
    }
    let r = app.get("/konzept/integrationskonzept.docx").await;
    assert_eq!(r.status().as_u16(), 303, "signed out: to the sign-in");

    // Every change is in the audit log.
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action IN ('Beleg übernommen', 'Befund angelegt', 'Befund geändert', 'Ziel angelegt', 'Maßnahme angelegt', 'Fortschritt notiert', 'Indikator angelegt', 'Indikatorwert erfasst')")
        .await;
    assert_eq!(audited, 9);

    // Signed out, the pages lead to the sign-in, and their server functions answer 401.
    for page in ["/konzept", base.as_str(), &format!("{base}/massnahme/1")] {
        let r = app.get(page).await;
        assert_eq!(r.status().as_u16(), 302, "{page}");
        assert!(location(&r).starts_with("/anmelden?weiter=/konzept"), "{page}");
    }
    for (path, body) in [
        ("/api/konzept/dokument", String::new()),
        ("/api/konzept/arbeitsbereich", format!("theme={THEME}")),
    ] {
        let r = app
            .client
            .post(format!("{}{path}", app.base))
            .header("origin", &app.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "{path}");
    }
}
on_both_backends!(the_whole_path_on, the_whole_path);

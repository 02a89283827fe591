//! Survey waves on both backends: the series and "Als neue Version kopieren" with the wave's
//! label, the builder's explicit mapping (checked, audited, CSRF), the comparison of two waves
//! on a theme page and the heat map (each wave's own minimum group, differences only where
//! both figures are shown), members' access, and the comparison's CSV recomputed independently
//! from the two waves' raw wide exports.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use backend::respondent::GeneratedResponse;
use common::{location, Session, TestApp};
use domain::answers::Answer;
use domain::default_questionnaire::DEFAULT_SLUG;
use domain::staff::Role;
use domain::{Answers, ResponseStatus};
use std::collections::HashMap;

const KLEVE: &str = "05154036";
const THEME: &str = "fruehe_bildung_schule";
/// 1 September 2026, 10:00 UTC.
const SEPTEMBER: i64 = 1_788_256_800_000;

/// One response: kind, stock of Griffbereit and Rucksack KiTa (None: row not answered), need
/// for Griffbereit, overall rating, barriers.
type Known = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// Wave A: 8 responses from Kleve. Rucksack KiTa answered by two only (withheld).
const WAVE_A: [Known; 8] = [
    ("kita", "vorhanden", Some("vorhanden"), "5", "3", &["sprachbarrieren_eltern"]),
    ("kita", "nicht_vorhanden", Some("geplant"), "4", "3", &["personal_zeit"]),
    ("kita", "nicht_vorhanden", None, "4", "2", &["personal_zeit", "sprachbarrieren_eltern"]),
    ("kita", "nicht_vorhanden", None, "3", "4", &["personal_zeit"]),
    ("schule", "vorhanden", None, "2", "2", &["sprachbarrieren_eltern"]),
    ("schule", "nicht_vorhanden", None, "3", "3", &["personal_zeit"]),
    ("schule", "geplant", None, "4", "3", &["personal_zeit"]),
    ("schule", "nicht_vorhanden", None, "ka", "2", &["finanzierung"]),
];

/// Wave B: 10 responses from Kleve; Griffbereit now mostly exists, need for it higher.
const WAVE_B: [Known; 10] = [
    ("kita", "vorhanden", Some("vorhanden"), "5", "3", &["sprachbarrieren_eltern"]),
    (
        "kita",
        "vorhanden",
        Some("vorhanden"),
        "5",
        "2",
        &["sprachbarrieren_eltern", "personal_zeit"],
    ),
    ("kita", "vorhanden", Some("nicht_vorhanden"), "5", "3", &["personal_zeit"]),
    ("kita", "vorhanden", Some("vorhanden"), "4", "3", &["sprachbarrieren_eltern"]),
    ("kita", "vorhanden", Some("geplant"), "5", "2", &["sprachbarrieren_eltern"]),
    ("schule", "vorhanden", Some("vorhanden"), "4", "4", &["personal_zeit"]),
    ("schule", "vorhanden", Some("nicht_vorhanden"), "5", "3", &["sprachbarrieren_eltern"]),
    ("schule", "vorhanden", Some("vorhanden"), "5", "3", &["finanzierung"]),
    ("schule", "nicht_vorhanden", Some("nicht_vorhanden"), "4", "2", &["sprachbarrieren_eltern"]),
    ("schule", "geplant", Some("geplant"), "5", "3", &["personal_zeit"]),
];

fn answers(k: &Known) -> Answers {
    let (kind, griff, rucksack, need, overall, barriers) = *k;
    let mut a = Answers::new();
    let values = |v: &[&str]| Answer {
        values: v.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    a.insert("profil_art".into(), values(&[kind]));
    a.insert("profil_kommunen".into(), values(&[KLEVE]));
    let mut stock = vec![("griffbereit".to_string(), griff.to_string())];
    if let Some(r) = rucksack {
        stock.push(("rucksack_kita".into(), r.into()));
    }
    a.insert(
        "fbs_bestand".into(),
        Answer { rows: stock.into_iter().collect(), ..Default::default() },
    );
    a.insert(
        "fbs_bedarf".into(),
        Answer {
            rows: [("griffbereit".to_string(), need.to_string())].into_iter().collect(),
            ..Default::default()
        },
    );
    a.insert("fbs_gesamt".into(), values(&[overall]));
    a.insert("fbs_huerden".into(), values(barriers));
    a
}

async fn add_responses(app: &TestApp, id: i64, known: &[Known], tag: &str, at: i64) {
    let revision = app.store.questionnaire_revision(id).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let generated: Vec<GeneratedResponse> = known
        .iter()
        .enumerate()
        .map(|(i, k)| GeneratedResponse {
            token_hash: format!("waves-{tag}-{i}"),
            status: ResponseStatus::Submitted,
            current_page: 0,
            answers: answers(k),
            created_at: at,
            updated_at: at + 60_000,
            submitted_at: Some(at + 60_000 + i as i64),
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
}

/// Wave A (the default questionnaire) with its responses, copied as wave B with its own.
async fn two_waves(app: &TestApp, admin: &Session) -> (i64, i64) {
    let (a, _) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let r =
        app.post_as(admin, &format!("/verwaltung/fragebogen/{a}/kopieren"), &[("welle", "")]).await;
    assert_eq!(r.status(), 303);
    let b: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    add_responses(app, a, &WAVE_A, "a", SEPTEMBER).await;
    add_responses(app, b, &WAVE_B, "b", SEPTEMBER + 400 * 86_400_000).await;
    (a, b)
}

fn parse_csv(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(!text.starts_with('\u{feff}'), "standard dialect");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| headers.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

async fn download(app: &TestApp, session: &Session, path: &str) -> (u16, Vec<u8>) {
    let r = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

async fn series_copy_and_labels(app: TestApp) {
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let (a, _) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let year = domain::clock::berlin_time(backend::now_ms()).year;
    let (_, html) = app.get_as(&admin, "/verwaltung/fragebogen").await;
    assert!(
        html.contains("Reihen und Wellen") && html.contains(&format!("Welle {year}")),
        "{html}"
    );
    // Copied without a label: the next year; the copy joins the series.
    let r = app
        .post_as(&admin, &format!("/verwaltung/fragebogen/{a}/kopieren"), &[("welle", "")])
        .await;
    assert_eq!(r.status(), 303);
    let b: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    let (series, _, waves) = app.store.series_of(b).await.unwrap().unwrap();
    assert_eq!(app.store.series_of(a).await.unwrap().unwrap().0, series);
    let labels: Vec<(i64, String, i64)> =
        waves.iter().map(|w| (w.questionnaire_id, w.label.clone(), w.position)).collect();
    assert_eq!(labels, [(a, year.to_string(), 1), (b, (year + 1).to_string(), 2)]);
    // A label the series has is refused at its field; nothing is copied.
    let before = app.count("SELECT COUNT(*) FROM questionnaire").await;
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/fragebogen/{b}/kopieren"),
            &[("welle", &year.to_string())],
        )
        .await;
    assert_eq!(location(&r), format!("/verwaltung/fragebogen/{b}#fehler"));
    let (_, html) = app.get_as(&admin, &format!("/verwaltung/fragebogen/{b}")).await;
    assert!(html.contains(&format!("Die Reihe hat schon eine Welle „{year}“")), "{html}");
    assert!(html.contains(&format!("id=\"kopie-{b}-welle\"")));
    assert_eq!(app.count("SELECT COUNT(*) FROM questionnaire").await, before);
    // A typed label; the third wave.
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/fragebogen/{b}/kopieren"),
            &[("welle", "Herbst 2030")],
        )
        .await;
    let c: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    let waves = app.store.series_of(c).await.unwrap().unwrap().2;
    assert_eq!(waves.last().map(|w| (w.label.as_str(), w.position)), Some(("Herbst 2030", 3)));
    // A new questionnaire is a series of its own.
    let r = app
        .post_as(
            &admin,
            "/verwaltung/fragebogen",
            &[
                ("titel", "Andere Befragung"),
                ("slug", "andere"),
                ("einleitung", ""),
                ("dauer", "10"),
            ],
        )
        .await;
    let d: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    let (other, title, waves) = app.store.series_of(d).await.unwrap().unwrap();
    assert!(other != series && title == "Andere Befragung" && waves.len() == 1);
    // The builder of a later wave shows its matching with the wave before: by code.
    let (_, html) = app.get_as(&admin, &format!("/verwaltung/fragebogen/{b}")).await;
    assert!(html.contains(&format!("Abgleich mit der früheren Welle {year}")), "{html}");
    assert!(html.contains("fbs_gesamt (gleicher Code)"));
    assert!(html.contains("nicht verglichen: Freitexte und persönliche Angaben"));
    let (_, log) = app.get_as(&admin, "/verwaltung/protokoll").await;
    assert!(log.contains(&format!("Welle „{}“", year + 1)), "the wave's label is in the audit log");
}
on_both_backends!(series_copy_and_labels_on, series_copy_and_labels);

async fn mappings_are_checked_and_audited(app: TestApp) {
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    app.account("ag@kreis-kleve.de", Role::Member, &[THEME]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let member = app.login("ag@kreis-kleve.de").await;
    let (a, b) = two_waves(&app, &admin).await;
    let revision = app.store.questionnaire_revision(b).await.unwrap().unwrap().to_string();
    let path = format!("/verwaltung/fragebogen/{b}/abgleich/fbs_huerden");
    let form = |earlier: &'static str, values: &'static str| {
        vec![
            ("revision", revision.clone()),
            ("fruehere_frage", earlier.into()),
            ("werte", values.into()),
        ]
    };
    let post = |session: &Session, f: Vec<(&'static str, String)>| {
        let (app, session, path) = (&app, session.clone(), path.clone());
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_as(&session, &path, &f).await
        }
    };
    let stored = || app.count("SELECT COUNT(*) FROM wave_mapping");
    // Without the session's token, or by a member: refused, nothing stored.
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .header("origin", &app.base)
        .header("cookie", &admin.cookie)
        .form(&[("revision", revision.as_str()), ("fruehere_frage", "fbs_huerden")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(post(&member, form("fbs_huerden", "")).await.status(), 403);
    assert_eq!(stored().await, 0);
    // Field by field errors.
    let r = post(&admin, form("fbs_huerden", "sprachbarrieren_eltern = gibtsnicht\nquatsch")).await;
    assert_eq!(location(&r), format!("/verwaltung/fragebogen/{b}#fehler"));
    let (_, html) = app.get_as(&admin, &format!("/verwaltung/fragebogen/{b}")).await;
    assert!(html.contains("Zeile 1: „gibtsnicht“ ist keine Option der früheren Frage"), "{html}");
    assert!(html.contains("Zeile 2: Bitte schreiben Sie"));
    assert!(
        html.contains("href=\"#abgleich-fbs_huerden-werte\""),
        "the summary links to the field"
    );
    let r = post(&admin, form("fbs_gesamt", "")).await;
    assert_eq!(location(&r), format!("/verwaltung/fragebogen/{b}#fehler"));
    let (_, html) = app.get_as(&admin, &format!("/verwaltung/fragebogen/{b}")).await;
    assert!(html.contains("verschiedener Art"), "a rating for a multiple choice");
    assert_eq!(stored().await, 0);
    // A valid mapping: B's language barriers against A's staff shortage.
    let r = post(&admin, form("fbs_huerden", "sprachbarrieren_eltern = personal_zeit")).await;
    assert_eq!(location(&r), format!("/verwaltung/fragebogen/{b}#abgleich-fbs_huerden"));
    assert_eq!(stored().await, 1);
    let (_, html) = app.get_as(&admin, &format!("/verwaltung/fragebogen/{b}")).await;
    assert!(
        html.contains("fbs_huerden (zugeordnet)")
            && html.contains("sprachbarrieren_eltern = personal_zeit")
    );
    let csv = |session: Session| {
        let app = &app;
        async move {
            let (status, bytes) = download(
                app,
                &session,
                &format!("/auswertung/{THEME}/vergleich.csv?welle_a={a}&welle_b={b}&dialekt=standard&frage=fbs_huerden"),
            )
            .await;
            assert_eq!(status, 200);
            parse_csv(&bytes)
        }
    };
    let rows = csv(admin.clone()).await;
    let lines: Vec<_> = rows.iter().filter(|r| r["frage"] == "fbs_huerden").collect();
    assert_eq!(lines.len(), 1, "only the mapped option is compared");
    // A: personal_zeit in 5 of 8; B: sprachbarrieren_eltern in 6 of 10.
    assert_eq!(
        (lines[0]["frage_frueher"].as_str(), lines[0]["code"].as_str()),
        ("fbs_huerden", "sprachbarrieren_eltern")
    );
    assert_eq!((lines[0]["anzahl_a"].as_str(), lines[0]["n_a"].as_str()), ("5", "8"));
    assert_eq!((lines[0]["anzahl_b"].as_str(), lines[0]["n_b"].as_str()), ("6", "10"));
    // Not compared on purpose, then back to matching by code.
    post(&admin, form("-keine", "")).await;
    let rows = csv(member.clone()).await;
    assert!(rows
        .iter()
        .any(|r| r["frage"] == "fbs_huerden" && r["kennzahl"] == "nicht_verglichen"));
    post(&admin, form("-gleicher-code", "")).await;
    assert_eq!(stored().await, 0);
    assert_eq!(
        csv(admin.clone()).await.iter().filter(|r| r["frage"] == "fbs_huerden").count(),
        6,
        "every option by code"
    );
    let (_, log) = app.get_as(&admin, "/verwaltung/protokoll").await;
    assert!(log.contains("Frage einer früheren Welle zugeordnet") && log.contains("fbs_huerden"));
    assert!(log.contains("nicht verglichen") && log.contains("gleicher Code"));
}
on_both_backends!(mappings_are_checked_and_audited_on, mappings_are_checked_and_audited);

/// Sample mean and variance of values.
fn moments(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (mean, values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0))
}

/// German decimal comma or point, as written.
fn number(cell: &str) -> f64 {
    cell.replace(',', ".").parse().unwrap_or_else(|_| panic!("number: {cell:?}"))
}

fn rounded(value: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (value * f).round() / f
}

async fn comparison_matches_the_raw_exports(app: TestApp) {
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let (a, b) = two_waves(&app, &admin).await;
    let wide = |id: i64| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let (status, bytes) = download(
                app,
                &admin,
                &format!("/verwaltung/export/datei?fragebogen={id}&datei=wide&dialekt=standard&status=abgeschlossen"),
            )
            .await;
            assert_eq!(status, 200);
            parse_csv(&bytes)
        }
    };
    let (raw_a, raw_b) = (wide(a).await, wide(b).await);
    assert_eq!((raw_a.len(), raw_b.len()), (8, 10));
    let (status, bytes) = download(
        &app,
        &admin,
        &format!("/auswertung/{THEME}/vergleich.csv?welle_a={a}&welle_b={b}&dialekt=standard"),
    )
    .await;
    assert_eq!(status, 200);
    let compared = parse_csv(&bytes);
    let line = |frage: &str, zeile: &str, code: &str| {
        compared
            .iter()
            .find(|r| r["frage"] == frage && r["zeile"] == zeile && r["code"] == code)
            .unwrap_or_else(|| panic!("{frage} {zeile} {code}"))
    };
    let respondents = compared.iter().find(|r| r["kennzahl"] == "antworten").unwrap();
    assert!(
        respondents["hinweis"].contains("keine Zufallsstichprobe"),
        "the caveat heads the file"
    );
    assert_eq!((respondents["n_a"].as_str(), respondents["n_b"].as_str()), ("8", "10"));

    // Shares: n = responses with a value in the column, count = those with the code.
    let share_check = |column: &str, value: &str, got: &HashMap<String, String>| {
        let of = |raw: &[HashMap<String, String>]| {
            let answered: Vec<&String> =
                raw.iter().map(|r| &r[column]).filter(|v| !v.is_empty()).collect();
            (answered.iter().filter(|v| v.as_str() == value).count() as f64, answered.len() as f64)
        };
        let ((xa, na), (xb, nb)) = (of(&raw_a), of(&raw_b));
        assert_eq!((number(&got["anzahl_a"]), number(&got["n_a"])), (xa, na), "{column} {value}");
        assert_eq!((number(&got["anzahl_b"]), number(&got["n_b"])), (xb, nb), "{column} {value}");
        let (pa, pb) = (xa / na, xb / nb);
        assert_eq!(number(&got["wert_a"]), rounded(pa * 100.0, 1));
        assert_eq!(number(&got["wert_b"]), rounded(pb * 100.0, 1));
        assert_eq!(number(&got["differenz"]), rounded((pb - pa) * 100.0, 1));
        let pooled = (xa + xb) / (na + nb);
        let z = (pb - pa) / (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
        assert_eq!(number(&got["teststatistik"]), rounded(z, 2), "{column} {value}");
        assert_eq!(got["auffaellig"], if z.abs() > 1.96 { "ja" } else { "nein" });
        let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
        assert_eq!(number(&got["ki95_unten"]), rounded((pb - pa - 1.959964 * se) * 100.0, 1));
        z
    };
    let z = share_check(
        "fbs_bestand__griffbereit",
        "vorhanden",
        line("fbs_bestand", "griffbereit", "vorhanden"),
    );
    assert!(z > 1.96, "2 of 8 against 8 of 10 is notable");
    share_check(
        "fbs_bestand__griffbereit",
        "nicht_vorhanden",
        line("fbs_bestand", "griffbereit", "nicht_vorhanden"),
    );
    share_check("fbs_huerden__personal_zeit", "1", line("fbs_huerden", "", "personal_zeit"));
    share_check(
        "fbs_huerden__sprachbarrieren_eltern",
        "1",
        line("fbs_huerden", "", "sprachbarrieren_eltern"),
    );

    // Means: over the scale values ("ka" left out); Welch with the normal approximation.
    let mean_check = |column: &str, got: &HashMap<String, String>| {
        let of = |raw: &[HashMap<String, String>]| -> Vec<f64> {
            raw.iter().filter_map(|r| r[column].parse::<f64>().ok()).collect()
        };
        let (va, vb) = (of(&raw_a), of(&raw_b));
        let ((ma, sa), (mb, sb)) = (moments(&va), moments(&vb));
        assert_eq!(
            (number(&got["n_a"]), number(&got["n_b"])),
            (va.len() as f64, vb.len() as f64),
            "{column}"
        );
        assert_eq!(number(&got["wert_a"]), rounded(ma, 2));
        assert_eq!(number(&got["wert_b"]), rounded(mb, 2));
        assert_eq!(number(&got["differenz"]), rounded(mb - ma, 2));
        let se = (sa / va.len() as f64 + sb / vb.len() as f64).sqrt();
        assert_eq!(number(&got["teststatistik"]), rounded((mb - ma) / se, 2), "{column}");
        assert_eq!(number(&got["ki95_oben"]), rounded(mb - ma + 1.959964 * se, 2));
        assert_eq!(got["auffaellig"], if ((mb - ma) / se).abs() > 1.96 { "ja" } else { "nein" });
        assert_eq!(got["kennzahl"], "mittelwert");
    };
    mean_check("fbs_bedarf__griffbereit", line("fbs_bedarf", "griffbereit", ""));
    mean_check("fbs_gesamt", line("fbs_gesamt", "", ""));
    assert_eq!(number(&line("fbs_bedarf", "griffbereit", "")["n_a"]), 7.0, "ka is not a rating");

    // Rucksack KiTa: two answers in wave A are too few there; B shows its figure, no difference.
    let withheld = line("fbs_bestand", "rucksack_kita", "vorhanden");
    assert_eq!(
        (withheld["wert_a"].as_str(), withheld["n_a"].as_str()),
        ("zu wenige Antworten", "")
    );
    assert_eq!((withheld["n_b"].as_str(), withheld["anzahl_b"].as_str()), ("10", "5"));
    assert_eq!((withheld["differenz"].as_str(), withheld["auffaellig"].as_str()), ("", ""));
    // Texts are not compared, and say so.
    assert!(compared
        .iter()
        .any(|r| r["frage"] == "fbs_fehlt" && r["kennzahl"] == "nicht_verglichen"));

    // The page shows the same, with the test named and the caveat.
    let (status, html) =
        app.get_as(&admin, &format!("/auswertung/{THEME}/vergleich?welle_a={a}&welle_b={b}")).await;
    assert_eq!(status, 200);
    for part in [
        "Zwei-Stichproben-z-Test für Anteile",
        "Welch-Test der Mittelwerte mit Normalnäherung",
        "keine Zufallsstichprobe",
        "zu wenige Antworten",
        "Auffällig (größer, als der Zufall erklären würde)",
        "Nicht verglichen: Freitexte",
        "+55,0 Prozentpunkte",
        "role=\"img\"",
        "Als Tabelle anzeigen",
        "Daten als CSV",
    ] {
        assert!(html.contains(part), "{part}");
    }
    // Each wave's own minimum group: kinds of organisation. Vereine answered in neither wave.
    let (_, bytes) = download(
        &app,
        &admin,
        &format!(
            "/auswertung/{THEME}/vergleich.csv?welle_a={a}&welle_b={b}&dialekt=standard&art=verein"
        ),
    )
    .await;
    let verein = parse_csv(&bytes);
    assert!(verein
        .iter()
        .filter(|r| r["kennzahl"] != "nicht_verglichen")
        .all(|r| r["wert_a"] == "zu wenige Antworten"
            && r["wert_b"] == "zu wenige Antworten"
            && r["differenz"].is_empty()));
    // Schools: 4 in A, 5 in B; the whole county minus the schools is the kitas (4 and 5), so
    // both are shown.
    let (_, bytes) = download(
        &app,
        &admin,
        &format!(
            "/auswertung/{THEME}/vergleich.csv?welle_a={a}&welle_b={b}&dialekt=standard&art=schule"
        ),
    )
    .await;
    let schools = parse_csv(&bytes);
    let griff = schools
        .iter()
        .find(|r| {
            r["frage"] == "fbs_bestand" && r["zeile"] == "griffbereit" && r["code"] == "vorhanden"
        })
        .unwrap();
    assert_eq!(
        (
            griff["anzahl_a"].as_str(),
            griff["n_a"].as_str(),
            griff["anzahl_b"].as_str(),
            griff["n_b"].as_str()
        ),
        ("1", "4", "3", "5")
    );
    // A month cannot be compared; the waves must be in order and of one series.
    let (_, html) = app
        .get_as(
            &admin,
            &format!("/auswertung/{THEME}/vergleich?welle_a={a}&welle_b={b}&monat=2026-09"),
        )
        .await;
    assert!(html.contains("Ein Monat lässt sich nicht vergleichen"));
    let (_, html) =
        app.get_as(&admin, &format!("/auswertung/{THEME}/vergleich?welle_a={b}&welle_b={a}")).await;
    assert!(html.contains("Welle A muss vor Welle B liegen"));
    let (status, _) = download(
        &app,
        &admin,
        &format!("/auswertung/{THEME}/vergleich.csv?welle_a={b}&welle_b={a}"),
    )
    .await;
    assert_eq!(status, 400);

    // The heat map: both waves' cells and the differences, from the same counts.
    let (status, bytes) = download(
        &app,
        &admin,
        &format!("/auswertung/vergleich.csv?welle_a={a}&welle_b={b}&dialekt=standard"),
    )
    .await;
    assert_eq!(status, 200);
    let heat = parse_csv(&bytes);
    let stock = heat
        .iter()
        .find(|r| {
            r["thema"] == THEME && r["kommune"] == "kreis" && r["kennzahl"] == "bestand_prozent"
        })
        .unwrap();
    // Stock cells of wave A: Griffbereit 8 answered (2 exist), Rucksack KiTa withheld there,
    // so only Griffbereit counts: 25 %. B: 20 cells, 8 + 5 exist: 65 %.
    assert_eq!((stock["wert_a"].as_str(), stock["wert_b"].as_str()), ("25.0", "65.0"));
    assert_eq!(stock["differenz"], "40.0");
    let kleve = heat
        .iter()
        .find(|r| {
            r["thema"] == THEME && r["kommune"] == KLEVE && r["kennzahl"] == "bestand_prozent"
        })
        .unwrap();
    assert_eq!(kleve["differenz"], "40.0", "all answered for Kleve");
    let goch = heat
        .iter()
        .find(|r| {
            r["thema"] == THEME
                && r["kommune"] == "05154016"
                && r["kennzahl"] == "bedarf_mittelwert"
        })
        .unwrap();
    assert_eq!((goch["wert_a"].as_str(), goch["differenz"].as_str()), ("zu wenige Antworten", ""));
    let (status, html) =
        app.get_as(&admin, &format!("/auswertung/vergleich?welle_a={a}&welle_b={b}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Bestand und Bedarf im Vergleich der Wellen")
            && html.contains("Δ +40,0 Prozentpunkte"),
        "{html}"
    );
    // The single-wave pages offer the comparison.
    let (_, html) = app.get_as(&admin, &format!("/auswertung/{THEME}?fragebogen={b}")).await;
    assert!(html.contains("Wellen vergleichen") && html.contains(&format!("value=\"{a}\"")));
}
on_both_backends!(comparison_matches_the_raw_exports_on, comparison_matches_the_raw_exports);

async fn members_see_their_themes_only(app: TestApp) {
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    app.account("ag@kreis-kleve.de", Role::Member, &[THEME]).await;
    app.account("andere@kreis-kleve.de", Role::Member, &["wohnen"]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let (a, b) = two_waves(&app, &admin).await;
    let query = format!("welle_a={a}&welle_b={b}");
    let member = app.login("ag@kreis-kleve.de").await;
    let other = app.login("andere@kreis-kleve.de").await;
    assert_eq!(app.get_as(&member, &format!("/auswertung/{THEME}/vergleich?{query}")).await.0, 200);
    assert_eq!(app.get_as(&other, &format!("/auswertung/{THEME}/vergleich?{query}")).await.0, 403);
    assert_eq!(
        download(&app, &other, &format!("/auswertung/{THEME}/vergleich.csv?{query}")).await.0,
        403
    );
    let (_, bytes) =
        download(&app, &other, &format!("/auswertung/vergleich.csv?{query}&dialekt=standard"))
            .await;
    assert!(
        parse_csv(&bytes).iter().all(|r| r["thema"] != THEME),
        "the heat map leaves out others' themes"
    );
    // Without a session: to the sign-in.
    let r = app.get(&format!("/auswertung/{THEME}/vergleich?{query}")).await;
    assert!(matches!(r.status().as_u16(), 303 | 302 | 307), "{}", r.status());
    assert_eq!(
        app.get(&format!("/auswertung/{THEME}/vergleich.csv?{query}")).await.status().as_u16()
            / 100,
        3
    );
    // Members may not map questions.
    let revision = app.store.questionnaire_revision(b).await.unwrap().unwrap().to_string();
    let r = app
        .post_as(
            &member,
            &format!("/verwaltung/fragebogen/{b}/abgleich/fbs_gesamt"),
            &[("revision", &revision), ("fruehere_frage", "-keine")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // Nor copy.
    assert_eq!(
        app.post_as(&member, &format!("/verwaltung/fragebogen/{a}/kopieren"), &[]).await.status(),
        403
    );
}
on_both_backends!(members_see_their_themes_only_on, members_see_their_themes_only);

/// Mappings are stored against the wave right before; comparing wave C with wave A chains
/// them through wave B.
async fn mappings_chain_through_the_waves_between(app: TestApp) {
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let (a, _) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let copy = |from: i64, label: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let r = app
                .post_as(
                    &admin,
                    &format!("/verwaltung/fragebogen/{from}/kopieren"),
                    &[("welle", label)],
                )
                .await;
            assert_eq!(r.status(), 303);
            location(&r).rsplit('/').next().unwrap().parse::<i64>().unwrap()
        }
    };
    let b = copy(a, "2027").await;
    let c = copy(b, "2028").await;
    add_responses(&app, a, &WAVE_A, "a", SEPTEMBER).await;
    add_responses(&app, c, &WAVE_B, "c", SEPTEMBER + 800 * 86_400_000).await;
    let map = |later: i64, values: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let revision = app.store.questionnaire_revision(later).await.unwrap().unwrap();
            let r = app
                .post_as(
                    &admin,
                    &format!("/verwaltung/fragebogen/{later}/abgleich/fbs_huerden"),
                    &[
                        ("revision", revision.to_string().as_str()),
                        ("fruehere_frage", "fbs_huerden"),
                        ("werte", values),
                    ],
                )
                .await;
            assert_eq!(
                location(&r),
                format!("/verwaltung/fragebogen/{later}#abgleich-fbs_huerden")
            );
        }
    };
    // C's financing stands for B's language barriers, which stand for A's staff shortage.
    map(b, "sprachbarrieren_eltern = personal_zeit").await;
    map(c, "finanzierung = sprachbarrieren_eltern").await;
    let (status, bytes) = download(
        &app,
        &admin,
        &format!("/auswertung/{THEME}/vergleich.csv?welle_a={a}&welle_b={c}&dialekt=standard&frage=fbs_huerden"),
    )
    .await;
    assert_eq!(status, 200);
    let rows = parse_csv(&bytes);
    let lines: Vec<_> = rows.iter().filter(|r| r["frage"] == "fbs_huerden").collect();
    assert_eq!(lines.len(), 1, "only the option carried through both mappings: {rows:?}");
    assert_eq!(lines[0]["code"], "finanzierung");
    // A: personal_zeit in 5 of 8; C: finanzierung in 1 of 10.
    assert_eq!((lines[0]["anzahl_a"].as_str(), lines[0]["n_a"].as_str()), ("5", "8"));
    assert_eq!((lines[0]["anzahl_b"].as_str(), lines[0]["n_b"].as_str()), ("1", "10"));
    // "Not compared" between B and A ends the chain, and the page says where.
    let revision = app.store.questionnaire_revision(b).await.unwrap().unwrap().to_string();
    app.post_as(
        &admin,
        &format!("/verwaltung/fragebogen/{b}/abgleich/fbs_huerden"),
        &[("revision", revision.as_str()), ("fruehere_frage", "-keine"), ("werte", "")],
    )
    .await;
    let (_, html) =
        app.get_as(&admin, &format!("/auswertung/{THEME}/vergleich?welle_a={a}&welle_b={c}")).await;
    assert!(html.contains("Bis Welle"), "{html}");
}
on_both_backends!(
    mappings_chain_through_the_waves_between_on,
    mappings_chain_through_the_waves_between
);

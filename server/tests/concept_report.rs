//! The council's progress report and the catalogue of measures over HTTP, on both backends:
//! two working groups build a small concept, one measure changes its status; the report
//! counts the measures by status per theme and per municipality (county-wide ones in each),
//! lists what changed since the date, sets the indicator against its target, refuses a wrong
//! date with a message at the field, and the catalogue comes in both CSV dialects. Only
//! signed-in staff read either.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{location, Session, TestApp};
use domain::clock::berlin_time;
use domain::concept_report::SINCE_MESSAGE;
use domain::staff::Role;

const KLEVE: &str = "05154036";
const GOCH: &str = "05154016";
const THEME: &str = "fruehe_bildung_schule";
const THEME_TITLE: &str = "Frühe Bildung und Schule";
const OTHER_THEME: &str = "sprache_verstaendigung";
const OTHER_TITLE: &str = "Sprache und Verständigung";
const MEMBER: &str = "ag-bildung@kreis-kleve.de";
const OTHER: &str = "ag-sprache@kreis-kleve.de";

/// The numbers of the row labelled `label` in the table with the id `table`.
fn row_numbers(html: &str, table: &str, label: &str) -> Vec<u32> {
    let start = html.find(&format!("id=\"{table}\"")).unwrap_or_else(|| panic!("{table}: {html}"));
    let table = &html[start..];
    let table = &table[..table.find("</table>").unwrap()];
    let at = table.find(&format!(">{label}</th>")).unwrap_or_else(|| panic!("{label}: {table}"));
    let row = &table[at..];
    let row = &row[..row.find("</tr>").unwrap()];
    // Tags (and the renderer's comment markers) out, numbers left.
    let mut text = String::new();
    let mut in_tag = false;
    for c in row.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().filter_map(|w| w.parse().ok()).collect()
}

/// Two measures of the education group (one in Goch and Kleve with a note and an indicator,
/// one county-wide), one of the language group in Kleve; the county-wide one is then done.
async fn build(app: &TestApp, member: &Session, other: &Session) {
    let base = format!("/konzept/{THEME}");
    app.posted_as(member, &format!("{base}/ziele"), &[("titel", "Sprachbildung in Kitas stärken")])
        .await;
    let to = app
        .posted_as(
            member,
            &format!("{base}/massnahmen"),
            &[
                ("ziel", "1"),
                ("titel", "Rucksack KiTa in Goch und Kleve"),
                ("verantwortlich", "KI Kreis Kleve"),
                ("kommunen", GOCH),
                ("kommunen", KLEVE),
                ("beginn", "2027-01-01"),
                ("ende", "31.12.2027"),
                ("budget", "12.500"),
                ("status", "in_umsetzung"),
            ],
        )
        .await;
    assert_eq!(to, format!("{base}/massnahme/1"));
    app.posted_as(
        member,
        &format!("{base}/massnahmen/1/notizen"),
        &[("datum", "2027-02-01"), ("text", "Zwei Gruppen in Kleve gestartet.")],
    )
    .await;
    app.posted_as(
        member,
        &format!("{base}/massnahmen/1/indikatoren"),
        &[
            ("name", "Teilnehmende Familien"),
            ("einheit", "Familien"),
            ("ausgangswert", "12"),
            ("ausgangsdatum", "2026-12-01"),
            ("zielwert", "40"),
        ],
    )
    .await;
    app.posted_as(
        member,
        &format!("{base}/massnahmen/1/indikatoren/1/werte"),
        &[("datum", "2027-06-30"), ("wert", "26")],
    )
    .await;
    let county_wide = |status: &'static str, revision: &'static str| {
        [
            ("ziel", "1"),
            ("titel", "Sprachlotsen"),
            ("partner", "@Ehrenamt"),
            ("kreisweit", "1"),
            ("status", status),
            ("revision", revision),
        ]
    };
    let to =
        app.posted_as(member, &format!("{base}/massnahmen"), &county_wide("geplant", "0")).await;
    assert_eq!(to, format!("{base}/massnahme/2"));
    app.posted_as(member, &format!("{base}/massnahmen/2"), &county_wide("umgesetzt", "1")).await;

    let other_base = format!("/konzept/{OTHER_THEME}");
    app.posted_as(other, &format!("{other_base}/ziele"), &[("titel", "Sprachmittlung sichern")])
        .await;
    app.posted_as(
        other,
        &format!("{other_base}/massnahmen"),
        &[
            ("ziel", "2"),
            ("titel", "Sprachmittlerpool"),
            ("kommunen", KLEVE),
            ("status", "zurueckgestellt"),
        ],
    )
    .await;
}

async fn the_report(app: TestApp) {
    app.account("ki@kreis-kleve.de", Role::Admin, &[]).await;
    app.account(MEMBER, Role::Member, &[THEME]).await;
    app.account(OTHER, Role::Member, &[OTHER_THEME]).await;
    let (member, other) = (app.login(MEMBER).await, app.login(OTHER).await);
    build(&app, &member, &other).await;
    let now = berlin_time(backend::now_ms());
    let today = format!("{:02}.{:02}.{}", now.day, now.month, now.year);

    // The concept document leads to the report.
    let (_, html) = app.get_as(&other, "/konzept").await;
    assert!(html.contains("href=\"/konzept/sachstand\""), "{html}");

    // Without a date: since New Year. Every signed-in person reads it, whatever their group.
    let (status, html) = app.get_as(&other, "/konzept/sachstand").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("Änderungen seit dem 01.01.{}", now.year)), "{html}");
    assert!(html.contains(&format!("value=\"{}-01-01\"", now.year)), "the field shows the date");
    assert!(html.contains("<label for=\"seit\">"), "a labelled field");
    assert!(html.contains("method=\"get\" action=\"/konzept/sachstand\""), "{html}");

    // By theme: planned, in progress, done, sustained, deferred, total.
    let themes = "tabelle-handlungsfelder";
    assert_eq!(row_numbers(&html, themes, THEME_TITLE), [0, 1, 1, 0, 0, 2]);
    assert_eq!(row_numbers(&html, themes, OTHER_TITLE), [0, 0, 0, 0, 1, 1]);
    assert_eq!(row_numbers(&html, themes, "Alle Handlungsfelder"), [0, 1, 1, 0, 1, 3]);
    assert!(html.contains("<th scope=\"col\" class=\"num\">zurückgestellt</th>"), "{html}");
    assert!(html.contains("<caption>Maßnahmen je Handlungsfeld nach Stand</caption>"));

    // By municipality: the county-wide measure counts in each.
    let places = "tabelle-kommunen";
    assert_eq!(row_numbers(&html, places, "Kleve"), [0, 1, 1, 0, 1, 3]);
    assert_eq!(row_numbers(&html, places, "Goch"), [0, 1, 1, 0, 0, 2]);
    assert_eq!(row_numbers(&html, places, "Weeze"), [0, 0, 1, 0, 0, 1]);
    assert_eq!(
        row_numbers(&html, places, "darunter kreisweit (in jeder Zeile enthalten)"),
        [0, 0, 1, 0, 0, 1]
    );
    assert!(html.contains("Kreisweite Maßnahmen zählen bei jeder Kommune mit"));

    // Since New Year: three new measures, the change of status with its date, the note and
    // the value with theirs.
    for shown in [
        "3 neue Maßnahmen, 1 Änderung des Stands, 1 Notiz zum Fortschritt, 1 neuer Indikatorwert.",
        "Stand geändert",
        "geplant → umgesetzt",
        "angelegt mit Stand „in Umsetzung“",
        "Zwei Gruppen in Kleve gestartet.",
        "01.02.2027",
        "Teilnehmende Familien: 26 Familien",
        "30.06.2027",
        &today,
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    // Each change names its theme and links its measure.
    assert!(html.contains(&format!("href=\"/konzept/{THEME}/massnahme/2\">Sprachlotsen</a>")));
    assert!(html.contains(&format!("href=\"/konzept/{OTHER_THEME}/massnahme/3\"")));

    // The indicator against its target: from 12 to 40, at 26, is half the way.
    for shown in [
        "12 Familien (Stand 01.12.2026)",
        "26 Familien (Stand 30.06.2027)",
        "40 Familien",
        "50\u{a0}%",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }

    // From a later date, German or ISO: nothing changed since.
    for since in ["31.12.2030", "2030-12-31"] {
        let (status, html) = app.get_as(&member, &format!("/konzept/sachstand?seit={since}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Seit dem 31.12.2030 wurde nichts erfasst."), "{since}: {html}");
        assert!(!html.contains("geplant → umgesetzt"), "{since}");
        assert_eq!(row_numbers(&html, themes, "Alle Handlungsfelder"), [0, 1, 1, 0, 1, 3]);
    }

    // A wrong date: the message in the error summary, linked to the field; the form and the
    // tables stay.
    let (status, html) = app.get_as(&member, "/konzept/sachstand?seit=32.13.2026").await;
    assert_eq!(status, 200);
    assert!(html.contains("class=\"error-summary\""), "{html}");
    assert!(html.contains(&format!("<a href=\"#seit\" target=\"_self\">{SINCE_MESSAGE}</a>")));
    assert!(html.contains("id=\"seit-fehler\""), "the message at the field");
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("name=\"seit\""), "the form stays usable");
    assert_eq!(row_numbers(&html, themes, "Alle Handlungsfelder"), [0, 1, 1, 0, 1, 3]);
    assert!(!html.contains("Stand geändert"), "no changes for a wrong date");

    // The catalogue in both dialects, for every signed-in person.
    assert!(html.contains("href=\"/konzept/massnahmen.csv?dialekt=excel\" download=\"\""));
    assert!(html.contains("href=\"/konzept/massnahmen.csv?dialekt=standard\" download=\"\""));
    let header = "handlungsfeld,ziel,massnahme,beschreibung,stand,verantwortlich,partner,kommunen,beginn,ende,budget_eur,indikatoren,letzte_notiz";
    for (dialect, delimiter) in [("excel", b';'), ("standard", b',')] {
        let r = app
            .client
            .get(format!("{}/konzept/massnahmen.csv?dialekt={dialect}", app.base))
            .header("cookie", &other.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{dialect}");
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert_eq!(
            r.headers()["content-disposition"],
            format!("attachment; filename=\"massnahmenkatalog_{dialect}.csv\"").as_str()
        );
        let bytes = r.bytes().await.unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(text.starts_with('\u{feff}'), dialect == "excel", "BOM only for Excel");
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows[0].join(","), header, "{dialect}");
        assert_eq!(rows.len(), 4, "a row per measure: {rows:?}");
        let (dates, budget, partner) = if dialect == "excel" {
            (["01.01.2027", "31.12.2027", "01.02.2027"], "12500,00", "'@Ehrenamt")
        } else {
            (["2027-01-01", "2027-12-31", "2027-02-01"], "12500.00", "@Ehrenamt")
        };
        assert_eq!(
            rows[1],
            [
                THEME_TITLE,
                "Sprachbildung in Kitas stärken",
                "Rucksack KiTa in Goch und Kleve",
                "",
                "in Umsetzung",
                "KI Kreis Kleve",
                "",
                "Goch, Kleve",
                dates[0],
                dates[1],
                budget,
                "1",
                dates[2],
            ],
            "{dialect}"
        );
        assert_eq!(
            (rows[2][2].as_str(), rows[2][4].as_str(), rows[2][6].as_str(), rows[2][7].as_str()),
            ("Sprachlotsen", "umgesetzt", partner, "kreisweit"),
            "{dialect}"
        );
        assert_eq!(rows[3][0], OTHER_TITLE);
    }

    // Signed out: the page leads to the sign-in and back, the file and the server function
    // are refused.
    let r = app.get("/konzept/sachstand?seit=01.06.2026").await;
    assert_eq!(r.status().as_u16(), 302);
    assert_eq!(location(&r), "/anmelden?weiter=/konzept/sachstand%3Fseit%3D01.06.2026");
    let r = app.get("/konzept/massnahmen.csv?dialekt=standard").await;
    assert_eq!(location(&r), "/anmelden?abgelaufen=1");
    let r = app
        .client
        .post(format!("{}/api/konzept/sachstand", app.base))
        .header("origin", &app.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("seit=")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // Signed in, the report is not kept in caches either.
    let r = app
        .client
        .get(format!("{}/konzept/sachstand", app.base))
        .header("cookie", &member.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
}
on_both_backends!(the_report_on, the_report);

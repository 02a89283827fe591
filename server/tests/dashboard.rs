//! The dashboards over a known set of responses, on both backends: every figure of a theme,
//! filter combinations, the suppression of small groups, the heat map, the members' themes,
//! and the page and its CSV showing the same numbers.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use backend::respondent::{GeneratedResponse, SubmitOutcome};
use backend::staff::Staff;
use common::{location, TestApp};
use domain::answers::Answer;
use domain::default_questionnaire::DEFAULT_SLUG;
use domain::staff::{Principal, Role};
use domain::stats::{Figure, QuestionFigures, Share, TextCount, SEARCH_COUNT_LIMIT};
use domain::validation::FieldError;
use domain::Answers;
use domain::ResponseStatus;

const KLEVE: &str = "05154036";
const GOCH: &str = "05154016";
const EMMERICH: &str = "05154008";
/// 1 September 2026, 10:00 UTC.
const SEPTEMBER: i64 = 1_788_256_800_000;
/// 20 October 2026, 10:00 UTC.
const OCTOBER: i64 = 1_792_490_400_000;
const THEME: &str = "fruehe_bildung_schule";

struct Known {
    kind: &'static str,
    places: &'static [&'static str],
    stock: &'static [(&'static str, &'static str)],
    need: &'static [(&'static str, &'static str)],
    overall: &'static str,
    barriers: &'static [&'static str],
    missing: Option<&'static str>,
    status: ResponseStatus,
    at: i64,
}

fn known() -> Vec<Known> {
    use ResponseStatus::{Draft, Submitted};
    vec![
        Known {
            kind: "kita",
            places: &[KLEVE],
            stock: &[("griffbereit", "vorhanden"), ("rucksack_kita", "vorhanden")],
            need: &[("griffbereit", "5"), ("rucksack_kita", "4")],
            overall: "5",
            barriers: &["sprachbarrieren_eltern"],
            missing: Some("Mehr Sprachkurse am Vormittag"),
            status: Submitted,
            at: SEPTEMBER,
        },
        Known {
            kind: "schule",
            places: &[GOCH, KLEVE],
            stock: &[("griffbereit", "vorhanden")],
            need: &[("griffbereit", "4")],
            overall: "4",
            barriers: &["sprachbarrieren_eltern", "personal_zeit"],
            missing: Some("Kleinere Klassen"),
            status: Submitted,
            at: SEPTEMBER + 3_600_000,
        },
        Known {
            kind: "kita",
            places: &["kreisweit"],
            stock: &[("griffbereit", "geplant"), ("rucksack_kita", "nicht_vorhanden")],
            need: &[("griffbereit", "4"), ("rucksack_kita", "ka")],
            overall: "3",
            barriers: &[],
            missing: None,
            status: Submitted,
            at: SEPTEMBER + 7_200_000,
        },
        Known {
            kind: "verein",
            places: &[EMMERICH],
            stock: &[("griffbereit", "vorhanden")],
            need: &[("griffbereit", "ka")],
            overall: "2",
            barriers: &[],
            missing: Some("Busse zu den Kursorten"),
            status: Submitted,
            at: OCTOBER,
        },
        Known {
            kind: "kita",
            places: &[KLEVE],
            stock: &[("griffbereit", "nicht_vorhanden")],
            need: &[("griffbereit", "1")],
            overall: "1",
            barriers: &[],
            missing: Some("Entwurf"),
            status: Draft,
            at: OCTOBER,
        },
    ]
}

fn answers(k: &Known) -> Answers {
    let mut a = Answers::new();
    let values = |v: &[&str]| Answer {
        values: v.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let rows = |pairs: &[(&str, &str)]| Answer {
        rows: pairs.iter().map(|(r, v)| (r.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    a.insert("profil_art".into(), values(&[k.kind]));
    a.insert("profil_kommunen".into(), values(k.places));
    a.insert("fbs_bestand".into(), rows(k.stock));
    a.insert("fbs_bedarf".into(), rows(k.need));
    a.insert("fbs_gesamt".into(), values(&[k.overall]));
    if !k.barriers.is_empty() {
        let mut barriers = values(k.barriers);
        barriers.other = Some("Elterncafé fehlt".into());
        a.insert("fbs_huerden".into(), barriers);
    }
    if let Some(text) = k.missing {
        a.insert("fbs_fehlt".into(), values(&[text]));
    }
    a
}

async fn seed(app: &TestApp) -> i64 {
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let q = &stored.questionnaire;
    // The codes this test relies on.
    for code in [
        "profil_art",
        "profil_kommunen",
        "fbs_bestand",
        "fbs_bedarf",
        "fbs_gesamt",
        "fbs_huerden",
        "fbs_fehlt",
    ] {
        assert!(q.question(code).is_some(), "{code}");
    }
    let generated: Vec<GeneratedResponse> = known()
        .iter()
        .enumerate()
        .map(|(i, k)| GeneratedResponse {
            token_hash: format!("dashboard-test-{i}"),
            status: k.status,
            current_page: 0,
            answers: answers(k),
            created_at: k.at,
            updated_at: k.at + 60_000,
            submitted_at: (k.status == ResponseStatus::Submitted).then_some(k.at + 60_000),
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
    id
}

async fn principal(app: &TestApp, staff: &Staff, session: &common::Session) -> Principal {
    let token = session.cookie.split_once('=').unwrap().1;
    let _ = app;
    staff.authenticate(Some(token)).await.unwrap()
}

fn figure<'a>(figures: &'a [QuestionFigures], code: &str) -> &'a QuestionFigures {
    figures.iter().find(|q| q.code == code).unwrap()
}

/// The texts a theme page lists for `fbs_fehlt` under a query, how many match, and the
/// filter's errors.
async fn searched(
    staff: &Staff,
    as_admin: &Principal,
    questionnaire: i64,
    query: String,
) -> (Vec<String>, Option<TextCount>, Vec<FieldError>) {
    let page = staff
        .theme_page(as_admin, THEME, &format!("fragebogen={questionnaire}&{query}"))
        .await
        .unwrap();
    let texts = match page.figures.as_ref().map(|f| &figure(&f.questions, "fbs_fehlt").figure) {
        Some(Figure::Texts { texts }) => texts.clone(),
        other => panic!("{query}: {other:?}"),
    };
    let count = page.text_matches.iter().find(|(code, _)| code == "fbs_fehlt").map(|(_, n)| *n);
    (texts, count, page.filter.form.errors)
}

fn counts(shares: &[Share]) -> Vec<(String, u64)> {
    shares.iter().map(|s| (s.code.clone(), s.count)).collect()
}

/// The county map's drawing in a page.
fn map_svg(html: &str) -> &str {
    let start = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=").expect("a map");
    let end = start + html[start..].find("</svg>").unwrap();
    &html[start..end]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

async fn dashboards_show_exact_figures(app: TestApp) {
    let id = seed(&app).await;
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    app.account("ag@kreis-kleve.de", Role::Member, &[THEME]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let member = app.login("ag@kreis-kleve.de").await;
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(3);
    let as_admin = principal(&app, &staff, &admin).await;
    let as_member = principal(&app, &staff, &member).await;

    // All submitted responses: four (the draft does not count).
    let page = staff.theme_page(&as_admin, THEME, &format!("fragebogen={id}")).await.unwrap();
    let f = page.figures.clone().unwrap();
    assert_eq!((f.respondents, f.suppressed), (4, false));
    let Figure::Matrix { rows, .. } = &figure(&f.questions, "fbs_bestand").figure else {
        panic!("matrix")
    };
    assert_eq!(rows[0].n, 4);
    let cells = rows[0].cells.as_ref().unwrap();
    assert_eq!(
        counts(cells),
        [
            ("vorhanden".into(), 3),
            ("geplant".into(), 1),
            ("nicht_vorhanden".into(), 0),
            ("unbekannt".into(), 0)
        ]
    );
    assert!(close(cells[0].percent, 75.0) && close(cells[1].percent, 25.0));
    assert_eq!(
        (rows[1].n, rows[1].cells.is_none()),
        (0, true),
        "a row over two responses is suppressed, its n withheld too"
    );
    let Figure::Matrix { rows, .. } = &figure(&f.questions, "fbs_bedarf").figure else {
        panic!("matrix")
    };
    let cells = rows[0].cells.as_ref().unwrap();
    assert_eq!(
        counts(cells).iter().filter(|(_, c)| *c > 0).cloned().collect::<Vec<_>>(),
        [("4".into(), 2), ("5".into(), 1), ("ka".into(), 1)]
    );
    assert!(
        close(rows[0].mean.unwrap(), 13.0 / 3.0) && close(rows[0].median.unwrap(), 4.0),
        "ka is not in the mean"
    );
    let Figure::Rating { options, cannot_judge, rated, mean, median } =
        &figure(&f.questions, "fbs_gesamt").figure
    else {
        panic!("rating")
    };
    assert_eq!((*cannot_judge, *rated), (0, 4));
    assert!(options.iter().filter(|o| o.count == 1).all(|o| close(o.percent, 25.0)));
    assert!(close(mean.unwrap(), 3.5) && close(median.unwrap(), 3.5));
    assert_eq!(
        figure(&f.questions, "fbs_huerden").figure,
        Figure::Suppressed,
        "two answers are too few"
    );
    assert_eq!(figure(&f.questions, "fbs_huerden").n, 0, "no n of a suppressed figure");
    let Figure::Texts { texts } = &figure(&f.questions, "fbs_fehlt").figure else {
        panic!("texts")
    };
    assert_eq!(
        texts,
        &["Busse zu den Kursorten", "Kleinere Klassen", "Mehr Sprachkurse am Vormittag"],
        "newest first, no draft"
    );

    // One view at a time; county-wide responses count for every municipality. (Groups of
    // one, so that every view shows its figures.)
    let all_groups = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(1);
    let respondents = |query: String| {
        let (staff, as_admin) = (&all_groups, &as_admin);
        async move {
            let page = staff
                .theme_page(as_admin, THEME, &format!("fragebogen={id}&{query}"))
                .await
                .unwrap();
            let f = page.figures.unwrap();
            (f.respondents, f.suppressed)
        }
    };
    assert_eq!(respondents(format!("gemeinde={KLEVE}")).await, (3, false));
    assert_eq!(respondents(format!("gemeinde={GOCH}")).await, (2, false));
    assert_eq!(respondents("art=kita".into()).await, (2, false));
    assert_eq!(respondents("monat=2026-10".into()).await, (1, false));
    assert_eq!(
        respondents("von=2026-09-01&bis=2026-09-30".into()).await,
        (3, false),
        "a whole month as a period"
    );
    assert_eq!(respondents("art=integrationsrat".into()).await, (0, true));
    // Several municipalities or kinds, combinations and other periods are refused at their field.
    for (query, field) in [
        (format!("gemeinde={EMMERICH}&gemeinde={GOCH}"), "f-gemeinde"),
        ("art=kita&art=schule".to_string(), "f-art"),
        (format!("art=kita&gemeinde={KLEVE}"), "f-gemeinde"),
        ("von=2026-10-01".to_string(), "f-monat"),
        ("monat=2026-09&art=verein".to_string(), "f-gemeinde"),
        ("monat=2026-9".to_string(), "f-monat"),
    ] {
        let page =
            staff.theme_page(&as_admin, THEME, &format!("fragebogen={id}&{query}")).await.unwrap();
        assert!(page.figures.is_none(), "{query}");
        assert_eq!(page.filter.form.errors[0].field_id, field, "{query}");
    }
    let kleve = all_groups
        .theme_page(&as_admin, THEME, &format!("fragebogen={id}&gemeinde={KLEVE}"))
        .await
        .unwrap()
        .figures
        .unwrap();
    let Figure::Matrix { rows, .. } = &figure(&kleve.questions, "fbs_bestand").figure else {
        panic!("matrix")
    };
    assert_eq!(
        counts(rows[0].cells.as_ref().unwrap())[..2],
        [("vorhanden".into(), 2), ("geplant".into(), 1)]
    );
    // A wrong filter is reported, and no figures are shown.
    let wrong = staff
        .theme_page(&as_admin, THEME, &format!("fragebogen={id}&von=2026-02-30"))
        .await
        .unwrap();
    assert!(wrong.figures.is_none());
    assert_eq!(wrong.filter.form.errors[0].field_id, "f-von");
    // The text search: substrings in any case, newest first, and counted; a draft's text is
    // never found. Texts are listed for the whole county only.
    let search = |query: String| searched(&all_groups, &as_admin, id, query);
    let (texts, count, errors) = search("suche=klassen".into()).await;
    assert_eq!(
        (texts, count, errors),
        (vec!["Kleinere Klassen".to_string()], Some(TextCount::Exactly(1)), vec![])
    );
    let (texts, count, _) = search("suche=KURS".into()).await;
    assert_eq!(
        (texts, count),
        (
            vec!["Busse zu den Kursorten".to_string(), "Mehr Sprachkurse am Vormittag".into()],
            Some(TextCount::Exactly(2))
        )
    );
    for query in [
        format!("suche=kurs&gemeinde={KLEVE}"),
        "suche=kurs&art=verein".into(),
        "suche=kurs&monat=2026-09".into(),
        "art=kita".into(),
    ] {
        let page = all_groups
            .theme_page(&as_admin, THEME, &format!("fragebogen={id}&{query}"))
            .await
            .unwrap();
        assert!(page.texts_county_only, "{query}");
        assert!(page.text_matches.is_empty(), "{query}");
        assert_eq!(
            figure(&page.figures.unwrap().questions, "fbs_fehlt").figure,
            Figure::Texts { texts: vec![] },
            "{query}"
        );
    }
    for (query, found) in [
        ("suche=entwurf".to_string(), vec![]),
        // LIKE's and the search index's special characters are searched for as typed.
        ("suche=kurs%25".into(), vec![]),
        ("suche=%22kurs".into(), vec![]),
        ("suche=_ur".into(), vec![]),
        ("suche=%20%20kurse%20am%20".into(), vec!["Mehr Sprachkurse am Vormittag"]),
    ] {
        let (texts, count, _) = search(query.clone()).await;
        assert_eq!(texts, found, "{query}");
        assert_eq!(count, Some(TextCount::Exactly(found.len() as u64)), "{query}");
    }
    // Without a search the count is every text of the filter.
    assert_eq!(search(String::new()).await.1, Some(TextCount::Exactly(3)));
    // Too short a term is reported at the search field; the texts are listed unsearched.
    let (texts, count, errors) = search("suche=ku".into()).await;
    assert_eq!((texts.len(), count), (3, Some(TextCount::Exactly(3))));
    assert_eq!(
        errors.iter().map(|e| (e.field_id.as_str(), e.message.as_str())).collect::<Vec<_>>(),
        [("suche", "Suchbegriff: Bitte geben Sie mindestens 3 Zeichen ein.")]
    );
    // A suppressed figure's texts are not counted for the page either ("other" texts of two).
    assert_eq!(
        all_groups
            .theme_page(&as_admin, THEME, &format!("fragebogen={id}&suche=eltern"))
            .await
            .unwrap()
            .text_matches[0],
        ("fbs_fehlt".into(), TextCount::Exactly(0))
    );
    let page =
        staff.theme_page(&as_admin, THEME, &format!("fragebogen={id}&suche=eltern")).await.unwrap();
    assert!(matches!(
        figure(&page.figures.unwrap().questions, "fbs_huerden").figure,
        Figure::Suppressed
    ));
    assert!(!page.text_matches.iter().any(|(code, _)| code == "fbs_huerden"));

    // The heat map: what exists against what is needed.
    let overview = all_groups.overview_page(&as_admin, &format!("fragebogen={id}")).await.unwrap();
    let row = overview.rows.iter().find(|r| r.theme.code == THEME).unwrap();
    assert_eq!(row.county.n, 4);
    assert!(close(row.county.stock_percent.unwrap(), 4.0 / 6.0 * 100.0));
    assert!(close(row.county.need_mean.unwrap(), 17.0 / 4.0));
    let column = |ags: &str| overview.municipalities.iter().position(|(a, _)| a == ags).unwrap();
    let kleve_cell = &row.cells[column(KLEVE)];
    assert_eq!(kleve_cell.n, 3);
    assert!(
        close(kleve_cell.stock_percent.unwrap(), 60.0)
            && close(kleve_cell.need_mean.unwrap(), 17.0 / 4.0)
    );
    let other = overview.rows.iter().find(|r| r.theme.code != THEME).unwrap();
    assert_eq!(
        (other.county.n, other.county.suppressed),
        (0, true),
        "no answers and too few read alike"
    );
    // At the minimum group of 3: Goch has two responses, and Kleve is the county but one.
    let overview = staff.overview_page(&as_admin, &format!("fragebogen={id}")).await.unwrap();
    let row = overview.rows.iter().find(|r| r.theme.code == THEME).unwrap();
    assert_eq!(row.county.n, 4);
    // The row "Rucksack" (two answers) is withheld, so the county pools the other row only.
    assert!(
        close(row.county.stock_percent.unwrap(), 75.0)
            && close(row.county.need_mean.unwrap(), 13.0 / 3.0)
    );
    for ags in [GOCH, KLEVE] {
        let cell = &row.cells[column(ags)];
        assert_eq!(
            (cell.stock_percent, cell.need_mean, cell.n, cell.suppressed),
            (None, None, 0, true),
            "{ags}"
        );
    }
    let refused =
        staff.overview_page(&as_admin, &format!("fragebogen={id}&art=kita")).await.unwrap();
    assert!(
        refused.rows.is_empty()
            && refused.filter.form.errors[0].message.starts_with("Diese Auswahl ist zu klein")
    );

    // Members see their themes only.
    assert!(matches!(
        staff.theme_page(&as_member, "wohnen", "").await,
        Err(domain::AppError::Forbidden(_))
    ));
    let member_overview = staff.overview_page(&as_member, "").await.unwrap();
    assert_eq!(
        member_overview.rows.iter().map(|r| r.theme.code.as_str()).collect::<Vec<_>>(),
        [THEME]
    );

    // Over HTTP: the page and its CSV show the same numbers.
    let (status, html) = app.get_as(&admin, &format!("/auswertung/{THEME}?fragebogen={id}")).await;
    assert_eq!(status, 200);
    for shown in [
        "75,0\u{a0}% (3)",
        "Mittelwert 3,50 · Median 3,50",
        "zu wenige Antworten",
        "Grundlage: 4 abgeschickte Antworten.",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    let r = app
        .client
        .get(format!("{}/auswertung/{THEME}/daten.csv?fragebogen={id}&frage=fbs_bestand", app.base))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csv_text = String::from_utf8(r.bytes().await.unwrap().to_vec()).unwrap();
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let exists = records
        .iter()
        .find(|r| r[1] == "fbs_bestand" && r[4] == "griffbereit" && r[7] == "vorhanden")
        .unwrap();
    assert_eq!((exists[9].as_str(), exists[10].as_str(), exists[11].as_str()), ("3", "75,0", "4"));
    assert!(
        html.contains(&format!("{}\u{a0}% ({})", exists[10], exists[9])),
        "the page shows the CSV's figure"
    );
    assert!(records.iter().any(|r| r[1] == "fbs_bestand"
        && r[4] == "rucksack_kita"
        && r[6] == "zu wenige Antworten"));
    assert!(
        records.iter().all(|r| r[1] == "fbs_bestand" || r[6] == "antworten"),
        "one chart's CSV holds that chart (and the theme's n) only"
    );
    let (status, html) = app.get_as(&admin, &format!("/auswertung?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Bestand 75,0\u{a0}%") && html.contains("Bedarf 4,33"),
        "heat map values are written out"
    );
    // The county map beside it: the chosen theme's cells, each municipality a link to its
    // page of the theme, the attribution the map data asks for, and a table.
    let (status, html) =
        app.get_as(&admin, &format!("/auswertung?fragebogen={id}&karte={THEME}")).await;
    assert_eq!(status, 200);
    let svg = map_svg(&html);
    assert_eq!(svg.matches("<a href=").count(), 16, "{svg}");
    assert!(svg.contains(&format!(
        "<a href=\"/auswertung/{THEME}?fragebogen={id}&amp;gemeinde={KLEVE}\""
    )));
    assert!(html.contains("© GeoBasis-DE / BKG 2013 (Daten verändert)"));
    assert!(html.contains("<select id=\"karte-thema\" name=\"karte\">"));
    assert!(html.contains(&format!("<option value=\"{THEME}\" selected")));
    // Kleve has three responses, Goch two: shown with groups of one, withheld with three.
    // Their figures are nowhere on the page, nor their n; the map says "zu wenige Antworten".
    let open = all_groups.overview_page(&as_admin, &format!("fragebogen={id}")).await.unwrap();
    let open_row = open.rows.iter().find(|r| r.theme.code == THEME).unwrap();
    let kleve_open = &open_row.cells[column(KLEVE)];
    let goch_open = &open_row.cells[column(GOCH)];
    let shown_as = |cell: &domain::dashboard::HeatCell| {
        (
            domain::locale::format_percent(cell.stock_percent.unwrap(), 1),
            domain::locale::format_decimal(cell.need_mean.unwrap(), 2, true),
            format!("n = {}", cell.n),
        )
    };
    let (kleve_stock, kleve_need, kleve_n) = shown_as(kleve_open);
    assert_eq!((kleve_stock.as_str(), kleve_need.as_str()), ("60,0\u{a0}%", "4,25"));
    let (goch_stock, goch_need, goch_n) = shown_as(goch_open);
    for withheld in [&kleve_stock, &kleve_need, &kleve_n, &goch_stock, &goch_need, &goch_n] {
        assert!(!html.contains(withheld.as_str()), "{withheld} is withheld");
    }
    for name in ["Kleve", "Goch"] {
        let title = format!("<title>{name}: zu wenige Antworten. Maßnahmen: keine erfasst</title>");
        assert!(svg.contains(&title), "{title}");
    }
    assert!(
        html.contains("<th scope=\"row\"><a href=\"/auswertung/fruehe_bildung_schule?fragebogen="),
        "the table names each municipality with the same link"
    );
    // Another theme is chosen by the form's field; an unknown one falls back to the first.
    let other = overview.rows.iter().find(|r| r.theme.code != THEME).unwrap();
    let (_, html) = app
        .get_as(&admin, &format!("/auswertung?fragebogen={id}&karte={}", other.theme.code))
        .await;
    assert!(html.contains(&format!("Karte: {}", other.theme.title)));
    assert_eq!(map_svg(&html).matches("class=\"area heat-none\"").count(), 16, "no answers");
    let (status, html) =
        app.get_as(&admin, &format!("/auswertung?fragebogen={id}&karte=gibt-es-nicht")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("Karte: {}", overview.rows[0].theme.title)));
    let (status, html) = app.get_as(&admin, &format!("/auswertung/bericht?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("75,0\u{a0}% (3)"));

    // Members are refused other themes; anonymous callers are sent to sign in.
    assert_eq!(app.get_as(&member, &format!("/auswertung/wohnen?fragebogen={id}")).await.0, 403);
    assert_eq!(app.get_as(&member, &format!("/auswertung/{THEME}?fragebogen={id}")).await.0, 200);
    let r = app
        .client
        .get(format!("{}/auswertung/wohnen/daten.csv", app.base))
        .header("cookie", &member.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let anonymous = app.get(&format!("/auswertung/{THEME}")).await;
    assert!(anonymous.status().is_redirection());
    assert!(location(&anonymous).starts_with("/anmelden"));
}
on_both_backends!(dashboards_show_exact_figures_on, dashboards_show_exact_figures);

/// The tallies kept by submitting, re-opening and deleting equal the tallies counted afresh
/// from the answers, for every theme, under filters, and on the overview.
async fn kept_tallies_follow_submissions_reopenings_and_deletions(app: TestApp) {
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(1);
    let as_admin = principal(&app, &staff, &admin).await;
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let today = domain::filter::berlin_date(backend::now_ms()).to_iso();
    let queries = [
        "".to_string(),
        format!("gemeinde={KLEVE}"),
        format!("gemeinde={GOCH}"),
        "art=schule".into(),
        format!("monat={}", &today[..7]),
        // The kept texts too: searched (demo texts: "Sprachkurse", "Kursorten", ...).
        "suche=kurs".into(),
        "suche=Tigrinya".into(),
        "suche=Elternca".into(),
    ];
    let pages = || async {
        let mut all = Vec::new();
        for theme in &stored.questionnaire.themes {
            for query in &queries {
                let page = staff
                    .theme_page(&as_admin, &theme.code, &format!("fragebogen={id}&{query}"))
                    .await
                    .unwrap();
                all.push(format!("{:?} {:?}", page.figures, page.text_matches));
            }
        }
        all.push(format!(
            "{:?}",
            staff.overview_page(&as_admin, &format!("fragebogen={id}")).await.unwrap().rows
        ));
        all
    };
    let respondents = || async {
        staff
            .theme_page(&as_admin, THEME, &format!("fragebogen={id}"))
            .await
            .unwrap()
            .figures
            .map(|f| f.respondents)
            .unwrap_or(0)
    };
    for seed in 1..=8 {
        let token = app.start_open_response().await;
        app.fill_everything(&token, seed).await;
        let r = app.post(&format!("/f/{token}/absenden"), &[]).await;
        assert_eq!(r.status().as_u16(), 303, "seed {seed}");
    }
    // Open-link responses count once the KI has accepted them.
    assert_eq!(respondents().await, 0);
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM response WHERE status = 'submitted' ORDER BY id")
            .fetch_all(&app.db().await)
            .await
            .unwrap();
    for id in &ids {
        let r = app
            .post_as(&admin, &format!("/verwaltung/antworten/{id}"), &[("aktion", "freigeben")])
            .await;
        assert_eq!(location(&r), format!("/verwaltung/antworten/{id}"));
    }
    assert_eq!(respondents().await, 8);
    let kept = pages().await;
    app.store.rebuild_tallies(&stored).await.unwrap();
    assert_eq!(kept, pages().await, "after submissions");

    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/antworten/{}", ids[0]),
            &[("aktion", "wieder-oeffnen")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/antworten/{}", ids[1]),
            &[("aktion", "loeschen"), ("bestaetigt", "1")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(respondents().await, 6, "the re-opened and the deleted response are taken out");
    let kept = pages().await;
    app.store.rebuild_tallies(&stored).await.unwrap();
    assert_eq!(kept, pages().await, "after re-opening and deleting");

    // Submitted again, the re-opened response counts again.
    assert_eq!(app.store.submit(ids[0], &stored).await.unwrap(), SubmitOutcome::Submitted);
    assert_eq!(respondents().await, 7);
    let kept = pages().await;
    app.store.rebuild_tallies(&stored).await.unwrap();
    assert_eq!(kept, pages().await, "after submitting again");
}
on_both_backends!(kept_tallies_follow_on, kept_tallies_follow_submissions_reopenings_and_deletions);

/// A search counts its matches up to the limit and lists the newest; a rare term among many
/// texts is found exactly, umlauts in any case.
async fn a_search_counts_up_to_its_limit(app: TestApp) {
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let total = SEARCH_COUNT_LIMIT as i64 + 3;
    let generated: Vec<GeneratedResponse> = (0..total)
        .map(|i| {
            let places: &[&str] = if i % 2 == 0 { &[KLEVE] } else { &[GOCH] };
            let k = Known {
                kind: "schule",
                places,
                stock: &[],
                need: &[],
                overall: "3",
                barriers: &[],
                missing: None,
                status: ResponseStatus::Submitted,
                at: SEPTEMBER,
            };
            let mut answers = answers(&k);
            let text = format!("Sprachkurs Nr. {i} für Ärztinnen");
            answers.insert("fbs_fehlt".into(), Answer { values: vec![text], ..Default::default() });
            GeneratedResponse {
                token_hash: format!("search-limit-{i}"),
                status: ResponseStatus::Submitted,
                current_page: 0,
                answers,
                created_at: SEPTEMBER,
                updated_at: SEPTEMBER,
                submitted_at: Some(SEPTEMBER + i * 1000),
            }
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(3);
    let as_admin = principal(&app, &staff, &admin).await;
    let search = |query: &str| {
        let found = searched(&staff, &as_admin, id, query.to_string());
        async move {
            let (texts, count, _) = found.await;
            (texts, count)
        }
    };
    let (texts, count) = search("suche=ÄRZTINNEN").await;
    assert_eq!(count, Some(TextCount::MoreThan(SEARCH_COUNT_LIMIT)));
    assert_eq!(
        (texts.len(), texts[0].as_str()),
        (backend::dashboards::TEXTS_LISTED as usize, "Sprachkurs Nr. 1002 für Ärztinnen"),
        "the newest first"
    );
    assert_eq!(
        search("").await.1,
        Some(TextCount::Exactly(total as u64)),
        "unsearched, the kept counts know them all"
    );
    assert_eq!(
        search("suche=nr.%2017%20f").await,
        (vec!["Sprachkurs Nr. 17 für Ärztinnen".to_string()], Some(TextCount::Exactly(1)))
    );
    assert_eq!(
        search("suche=nr.%2010").await.1,
        Some(TextCount::Exactly(14)),
        "10, 100 to 109, 1000 to 1002"
    );

    // Over HTTP, the page says so.
    let (status, html) =
        app.get_as(&admin, &format!("/auswertung/{THEME}?fragebogen={id}&suche=kurs")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Die neuesten 50 von mehr als 1000 passenden Texten"), "{html}");
}
on_both_backends!(a_search_counts_up_to_its_limit_on, a_search_counts_up_to_its_limit);

/// A response serving the whole county and also naming a municipality counts once for that
/// municipality, on the theme page and in the heat map, and once for every other.
async fn county_wide_responses_count_once_per_municipality(app: TestApp) {
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let served: [&[&str]; 3] = [&[KLEVE, "kreisweit"], &[KLEVE], &[GOCH, EMMERICH]];
    let generated: Vec<GeneratedResponse> = served
        .iter()
        .enumerate()
        .map(|(i, places)| {
            let k = Known {
                kind: "kita",
                places,
                stock: &[("griffbereit", "vorhanden")],
                need: &[("griffbereit", "4")],
                overall: "3",
                barriers: &[],
                missing: None,
                status: ResponseStatus::Submitted,
                at: SEPTEMBER,
            };
            GeneratedResponse {
                token_hash: format!("county-wide-{i}"),
                status: ResponseStatus::Submitted,
                current_page: 0,
                answers: answers(&k),
                created_at: SEPTEMBER,
                updated_at: SEPTEMBER,
                submitted_at: Some(SEPTEMBER + i as i64),
            }
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(1);
    let as_admin = principal(&app, &staff, &admin).await;
    let respondents = |query: String| {
        let (staff, as_admin) = (&staff, &as_admin);
        async move {
            staff
                .theme_page(as_admin, THEME, &format!("fragebogen={id}&{query}"))
                .await
                .unwrap()
                .figures
                .unwrap()
                .respondents
        }
    };
    assert_eq!(respondents(format!("gemeinde={KLEVE}")).await, 2);
    assert_eq!(respondents(format!("gemeinde={GOCH}")).await, 2);
    assert_eq!(respondents(format!("gemeinde={EMMERICH}")).await, 2);

    let overview = staff.overview_page(&as_admin, &format!("fragebogen={id}")).await.unwrap();
    let row = overview.rows.iter().find(|r| r.theme.code == THEME).unwrap();
    let n = |ags: &str| {
        row.cells[overview.municipalities.iter().position(|(a, _)| a == ags).unwrap()].n
    };
    assert_eq!((row.county.n, n(KLEVE), n(GOCH), n(EMMERICH)), (3, 2, 2, 2));
    const BEDBURG_HAU: &str = "05154004";
    assert_eq!(n(BEDBURG_HAU), 1, "the county-wide response counts everywhere");
}
on_both_backends!(
    county_wide_responses_count_once_on,
    county_wide_responses_count_once_per_municipality
);

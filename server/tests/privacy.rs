//! Attacks on the dashboards' disclosure control, on both backends. A working-group member
//! requests every view of the publication lattice (and the finer ones it refuses) as theme
//! pages, chart and theme CSV files, aggregates exports and the overview, and combines them:
//! differences of two views, complements, sums of many. The data holds groups of one and two
//! (a single Integrationsrat, two organisations of Bedburg-Hau, one response in November, one
//! follow-up answer). No count of such a group, nor of any single response, may follow from
//! what was shown; no n of a withheld figure and no contact detail may be sent at all.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use backend::respondent::GeneratedResponse;
use backend::staff::Staff;
use common::TestApp;
use domain::answers::Answer;
use domain::dashboard::gap_label;
use domain::default_questionnaire::DEFAULT_SLUG;
use domain::disclosure::{Month, View};
use domain::reference::{MUNICIPALITIES, ORG_KINDS, WHOLE_COUNTY};
use domain::staff::Role;
use domain::stats::{Figure, ThemeFigures};
use domain::Answers;
use domain::ResponseStatus;

const KLEVE: &str = "05154036";
const GOCH: &str = "05154016";
const EMMERICH: &str = "05154008";
const BEDBURG_HAU: &str = "05154004";
const THEME: &str = "fruehe_bildung_schule";
const MIN: usize = 3;
/// 10 September, 15 October and 12 November 2026, 10:00 UTC.
const SEPTEMBER: i64 = 1_789_034_400_000;
const OCTOBER: i64 = 1_792_058_400_000;
const NOVEMBER: i64 = 1_794_477_600_000;
const STOCK: [&str; 4] = ["vorhanden", "geplant", "nicht_vorhanden", "unbekannt"];

struct Respondent {
    kind: &'static str,
    places: Vec<&'static str>,
    at: i64,
}

/// 31 submitted responses: large groups, and the small ones the attacks aim at.
fn respondents() -> Vec<Respondent> {
    let mut out = Vec::new();
    let mut add = |count: usize, kind: &'static str, places: &[&'static str], at: i64| {
        for _ in 0..count {
            out.push(Respondent { kind, places: places.to_vec(), at });
        }
    };
    add(12, "kita", &[KLEVE], SEPTEMBER);
    add(8, "schule", &[GOCH], SEPTEMBER);
    add(6, "verein", &[EMMERICH], OCTOBER);
    add(1, "integrationsrat", &[KLEVE], OCTOBER);
    add(2, "kita", &[BEDBURG_HAU], SEPTEMBER);
    add(1, "schule", &[WHOLE_COUNTY], NOVEMBER);
    add(1, "verein", &[GOCH, EMMERICH], OCTOBER);
    out
}

fn answers(i: usize, r: &Respondent) -> Answers {
    let mut a = Answers::new();
    let values = |v: &[&str]| Answer {
        values: v.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    a.insert("profil_art".into(), values(&[r.kind]));
    a.insert("profil_kommunen".into(), values(&r.places));
    let rows = vec![
        ("griffbereit".to_string(), STOCK[i % 4].to_string()),
        ("rucksack_kita".to_string(), STOCK[(i / 2) % 4].to_string()),
    ];
    a.insert(
        "fbs_bestand".into(),
        Answer { rows: rows.into_iter().collect(), ..Default::default() },
    );
    a.insert("fbs_gesamt".into(), values(&[&(1 + i % 5).to_string()]));
    // A question only one organisation answered, and "other" texts with contact details.
    if r.kind == "integrationsrat" {
        let mut barriers = values(&["sprachbarrieren_eltern"]);
        barriers.other = Some("Bitte melden: rat@example.org, 02821 594 123".into());
        a.insert("fbs_huerden".into(), barriers);
    }
    a.insert(
        "fbs_fehlt".into(),
        values(&[&format!("Wunsch {i}: mehr Kurse, Kontakt info{i}@kita-kleve.de")]),
    );
    a.insert("mit_arbeitsgruppen".into(), values(&["fruehe_bildung"]));
    a.insert("mit_kontakt".into(), values(&[&format!("Erika Muster {i}, erika{i}@example.org")]));
    a
}

async fn seed(app: &TestApp) -> i64 {
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let generated: Vec<GeneratedResponse> = respondents()
        .iter()
        .enumerate()
        .map(|(i, r)| GeneratedResponse {
            token_hash: format!("privacy-test-{i}"),
            status: ResponseStatus::Submitted,
            current_page: 0,
            answers: answers(i, r),
            created_at: r.at,
            updated_at: r.at,
            submitted_at: Some(r.at + i as i64 * 1000),
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
    id
}

fn month_of(at: i64) -> Month {
    let d = domain::filter::berlin_date(at);
    Month { year: d.year, month: d.month }
}

fn contains(view: &View, r: &Respondent) -> bool {
    match view {
        View::County => true,
        View::Municipality(ags) => r.places.iter().any(|p| p == ags || *p == WHOLE_COUNTY),
        View::Kind(kind) => r.kind == kind,
        View::Month(m) => month_of(r.at) == *m,
    }
}

/// Whether `target` is a linear combination of `rows` (Gaussian elimination, partial pivoting).
fn in_span(rows: &[Vec<f64>], target: &[f64]) -> bool {
    let width = target.len();
    let mut m: Vec<Vec<f64>> = rows.to_vec();
    m.push(target.to_vec());
    let rank = |mut m: Vec<Vec<f64>>| {
        let mut rank = 0;
        for col in 0..width {
            let Some(p) =
                (rank..m.len()).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            else {
                break;
            };
            if m[p][col].abs() < 1e-9 {
                continue;
            }
            m.swap(rank, p);
            let pivot = m[rank].clone();
            for row in m.iter_mut().skip(rank + 1) {
                let f = row[col] / pivot[col];
                row.iter_mut().zip(&pivot).for_each(|(x, y)| *x -= f * y);
            }
            rank += 1;
        }
        rank
    };
    rank(rows.to_vec()) == rank(m)
}

/// Every "n = <count>" a page writes.
fn shown_ns(html: &str) -> Vec<u64> {
    html.match_indices("n = ")
        .filter_map(|(at, _)| {
            let digits: String =
                html[at + 4..].chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse().ok()
        })
        .collect()
}

/// One figure as the attacker sees it across views: which views showed it (each shown view is
/// one equation over the responses behind the figure).
#[derive(Default)]
struct Seen {
    shown: Vec<View>,
}

async fn theme_pages_do_not_disclose_small_groups(app: TestApp) {
    let id = seed(&app).await;
    let data = respondents();
    app.account("ag@kreis-kleve.de", Role::Member, &[THEME, "mitwirkung"]).await;
    let member = app.login("ag@kreis-kleve.de").await;
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(MIN as u64);
    let token = member.cookie.split_once('=').unwrap().1;
    let as_member = staff.authenticate(Some(token)).await.unwrap();

    let months: Vec<Month> = {
        let mut m: Vec<Month> = data.iter().map(|r| month_of(r.at)).collect();
        m.sort();
        m.dedup();
        m
    };
    let mut views = vec![View::County];
    views.extend(MUNICIPALITIES.iter().map(|m| View::Municipality(m.ags.to_string())));
    views.extend(ORG_KINDS.iter().map(|k| View::Kind(k.code.to_string())));
    views.extend(months.iter().map(|m| View::Month(*m)));

    // Every view's page, as the server functions and the hydration data carry it.
    let mut pages: Vec<(View, ThemeFigures)> = Vec::new();
    for view in &views {
        let page = staff
            .theme_page(&as_member, THEME, &format!("fragebogen={id}&{}", view.to_query()))
            .await
            .unwrap();
        let figures = page.figures.expect("a lattice view is never refused");
        pages.push((view.clone(), figures));
    }

    // The figures and their populations (responses behind them) as the data defines them.
    type Population = Box<dyn Fn(usize, &Respondent) -> bool>;
    let figures: Vec<(String, Population)> = vec![
        ("respondents".into(), Box::new(|_, _| true)),
        ("fbs_bestand".into(), Box::new(|_, _| true)),
        ("fbs_gesamt".into(), Box::new(|_, _| true)),
        ("fbs_huerden".into(), Box::new(|_, r: &Respondent| r.kind == "integrationsrat")),
    ];
    for (code, population) in &figures {
        let mut seen = Seen::default();
        for (view, page) in &pages {
            let shown = if code == "respondents" {
                !page.suppressed
            } else {
                let q = page.questions.iter().find(|q| &q.code == code).unwrap();
                if matches!(q.figure, Figure::Suppressed) {
                    assert_eq!(q.n, 0, "{code} in {view:?}: a withheld figure's n is sent");
                }
                !matches!(q.figure, Figure::Suppressed)
            };
            if shown {
                seen.shown.push(view.clone());
            } else if code == "respondents" {
                assert_eq!(page.respondents, 0, "{view:?}: a withheld view's n is sent");
            }
        }
        // The responses behind the figure are the columns of the attacker's equations.
        let behind: Vec<usize> = (0..data.len()).filter(|&i| population(i, &data[i])).collect();
        let rows: Vec<Vec<f64>> = seen
            .shown
            .iter()
            .map(|v| {
                behind.iter().map(|&i| if contains(v, &data[i]) { 1.0 } else { 0.0 }).collect()
            })
            .collect();
        // Groups the attacker aims at: each single response, each view's group and the two
        // organisations of Bedburg-Hau.
        let mut groups: Vec<(String, Vec<bool>)> = behind
            .iter()
            .map(|&i| (format!("response {i}"), behind.iter().map(|&j| j == i).collect()))
            .collect();
        for v in &views {
            groups
                .push((format!("{v:?}"), behind.iter().map(|&i| contains(v, &data[i])).collect()));
        }
        for (name, group) in groups {
            let size = group.iter().filter(|g| **g).count();
            if size == 0 || size >= MIN {
                continue;
            }
            let target: Vec<f64> = group.iter().map(|&g| if g { 1.0 } else { 0.0 }).collect();
            assert!(
                !in_span(&rows, &target),
                "{code}: the {size} of {name} follow from the views {:?}",
                seen.shown
            );
        }
        if code == "fbs_huerden" {
            assert!(seen.shown.is_empty(), "a question one organisation answered is shown nowhere");
        }
    }

    // Shown views still serve the working groups: the county, and large groups.
    let shown = |view: &View| pages.iter().any(|(v, f)| v == view && !f.suppressed);
    assert!(shown(&View::County));
    assert!(shown(&View::Kind("kita".into())) || shown(&View::Kind("schule".into())));
    assert!(!shown(&View::Kind("integrationsrat".into())));
    assert!(!shown(&View::Municipality(BEDBURG_HAU.into())), "two organisations are too few");

    // Finer views are refused, wherever they are asked for.
    for query in [
        format!("gemeinde={KLEVE}&gemeinde={GOCH}"),
        "art=kita&art=verein".into(),
        format!("art=kita&gemeinde={KLEVE}"),
        "von=2026-09-01&bis=2026-09-15".into(),
    ] {
        let page =
            staff.theme_page(&as_member, THEME, &format!("fragebogen={id}&{query}")).await.unwrap();
        assert!(page.figures.is_none(), "{query}");
        let r = app
            .client
            .get(format!("{}/auswertung/{THEME}/daten.csv?fragebogen={id}&{query}", app.base))
            .header("cookie", &member.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{query}: the chart CSV");
        let r = app
            .client
            .get(format!(
                "{}/verwaltung/export/datei?fragebogen={id}&datei=aggregates&{query}",
                app.base
            ))
            .header("cookie", &member.cookie)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_redirection(),
            "{query}: the aggregates export goes back to its form"
        );
    }
    // Members may not aggregate drafts.
    let r = app
        .client
        .get(format!(
            "{}/verwaltung/export/datei?fragebogen={id}&datei=aggregates&status=alle",
            app.base
        ))
        .header("cookie", &member.cookie)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());

    // The CSV files and the aggregates export show exactly the page's figures.
    for (view, page) in &pages {
        let query = view.to_query();
        let r = app
            .client
            .get(format!(
                "{}/auswertung/{THEME}/daten.csv?fragebogen={id}&{query}&dialekt=standard",
                app.base
            ))
            .header("cookie", &member.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let csv_text = r.text().await.unwrap();
        let r = app
            .client
            .get(format!("{}/verwaltung/export/datei?fragebogen={id}&datei=aggregates&dialekt=standard&{query}", app.base))
            .header("cookie", &member.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{view:?}");
        let export = r.text().await.unwrap();
        let theme_lines: Vec<&str> =
            export.lines().filter(|l| l.starts_with(&format!("{THEME},"))).collect();
        assert_eq!(
            theme_lines,
            csv_text.lines().skip(1).collect::<Vec<_>>(),
            "{view:?}: export and chart CSV agree"
        );
        for q in &page.questions {
            let counted = csv_text
                .lines()
                .any(|l| l.contains(&format!(",{},", q.code)) && l.contains("anteil_prozent"));
            if matches!(q.figure, Figure::Suppressed) {
                assert!(
                    !counted,
                    "{view:?}: {} withheld on the page but counted in the CSV",
                    q.code
                );
            }
        }
        if page.suppressed {
            assert!(
                csv_text.lines().skip(1).all(|l| l.contains("zu wenige Antworten")),
                "{view:?}"
            );
        }
    }

    // The heat map: a withheld cell has neither figures nor n, and reads like an empty one.
    let overview = staff.overview_page(&as_member, &format!("fragebogen={id}")).await.unwrap();
    for row in &overview.rows {
        for cell in row.cells.iter().chain([&row.county]) {
            if cell.suppressed {
                assert_eq!((cell.n, cell.stock_percent, cell.need_mean), (0, None, None));
            }
        }
    }
    let row = overview.rows.iter().find(|r| r.theme.code == THEME).unwrap();
    let column = |ags: &str| overview.municipalities.iter().position(|(a, _)| a == ags).unwrap();
    assert!(row.cells[column(BEDBURG_HAU)].suppressed);
    let (status, html) = app.get_as(&member, &format!("/auswertung?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("keine Antworten"), "one wording for none and too few");

    // The county map draws the same cells, theme by theme: a withheld municipality reads
    // "zu wenige Antworten" there too, a shown one has exactly its cell's class, and no n
    // under the minimum group appears on the page.
    for row in &overview.rows {
        let (status, html) = app
            .get_as(&member, &format!("/auswertung?fragebogen={id}&karte={}", row.theme.code))
            .await;
        assert_eq!(status, 200);
        for ((_, name), cell) in overview.municipalities.iter().zip(&row.cells) {
            let title = if cell.withheld() {
                format!("<title>{name}: zu wenige Antworten. ")
            } else {
                format!("<title>{name}: {}. Bestand ", gap_label(cell.gap_class()))
            };
            assert!(html.contains(&title), "{}: {title}", row.theme.code);
        }
        let ns = shown_ns(&html);
        assert!(ns.iter().all(|n| *n >= MIN as u64), "{}: {ns:?}", row.theme.code);
    }
    let (_, html) =
        app.get_as(&member, &format!("/auswertung?fragebogen={id}&karte={THEME}")).await;
    assert!(
        html.contains("<title>Bedburg-Hau: zu wenige Antworten. Maßnahmen: keine erfasst</title>")
    );

    // Contact details never appear; e-mail addresses and phone numbers in texts are masked.
    let (status, html) = app.get_as(&member, &format!("/auswertung/{THEME}?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("[E-Mail-Adresse entfernt]"), "texts are shown, masked");
    assert!(
        !html.contains("@kita-kleve.de")
            && !html.contains("rat@example.org")
            && !html.contains("594 123")
    );
    let (status, html) =
        app.get_as(&member, &format!("/auswertung/mitwirkung?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("Erika Muster") && !html.contains("@example.org"),
        "the contact question is never aggregated"
    );
    let (status, html) = app.get_as(&member, &format!("/auswertung/bericht?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Erika Muster") && !html.contains("@kita-kleve.de"));

    // The codebook of a member covers the member's themes only.
    let r = app
        .client
        .get(format!(
            "{}/verwaltung/export/datei?fragebogen={id}&datei=codebook&dialekt=standard",
            app.base
        ))
        .header("cookie", &member.cookie)
        .send()
        .await
        .unwrap();
    let codebook = r.text().await.unwrap();
    let themes: std::collections::BTreeSet<&str> =
        codebook.lines().skip(1).filter_map(|l| l.split(',').nth(1)).collect();
    assert_eq!(themes, ["", THEME, "mitwirkung"].into_iter().collect(), "{codebook}");
}
on_both_backends!(
    theme_pages_do_not_disclose_small_groups_on,
    theme_pages_do_not_disclose_small_groups
);

/// Open-link padding: a member who submits made-up responses through the open link, to lift
/// the single Integrationsrat over the minimum and subtract the fakes' known answers, learns
/// nothing, because open-link responses count only once the KI accepts them. Accepted ones
/// count, rejected ones are taken out again, and a rebuild agrees with the kept tallies.
async fn open_link_padding_changes_no_figure(app: TestApp) {
    let id = seed(&app).await;
    let (_, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    app.account("ag@kreis-kleve.de", Role::Member, &[THEME]).await;
    app.account("ki@kreis-kleve.de", Role::Admin, &[]).await;
    let member = app.login("ag@kreis-kleve.de").await;
    let admin = app.login("ki@kreis-kleve.de").await;
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100).with_min_group(MIN as u64);
    let as_member =
        staff.authenticate(Some(member.cookie.split_once('=').unwrap().1)).await.unwrap();
    let views =
        [View::County, View::Municipality(KLEVE.into()), View::Kind("integrationsrat".into())];
    let figures = || async {
        let mut all = Vec::new();
        for view in &views {
            let page = staff
                .theme_page(&as_member, THEME, &format!("fragebogen={id}&{}", view.to_query()))
                .await
                .unwrap();
            all.push(format!("{:?}", page.figures));
        }
        let r = app
            .client
            .get(format!("{}/verwaltung/export/datei?fragebogen={id}&datei=aggregates&dialekt=standard&art=integrationsrat", app.base))
            .header("cookie", &member.cookie)
            .send()
            .await
            .unwrap();
        all.push(r.text().await.unwrap());
        all.push(format!(
            "{:?}",
            staff.overview_page(&as_member, &format!("fragebogen={id}")).await.unwrap().rows
        ));
        all
    };
    let before = figures().await;
    let county_respondents = || async {
        let page = staff.theme_page(&as_member, THEME, &format!("fragebogen={id}")).await.unwrap();
        page.figures.unwrap().respondents
    };
    assert_eq!(county_respondents().await, 31);

    // Two fakes as Integrationsrat of Kleve, each complete and submitted.
    let mut fakes = Vec::new();
    for seed in 0..2 {
        let r = app
            .post(
                "/o/bedarfsanalyse-2026",
                &common::pairs(&[("profil_art", "integrationsrat"), ("profil_kommunen", KLEVE)]),
            )
            .await;
        let token = common::location(&r)
            .strip_prefix("/f/")
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string();
        for step in 2..=stored.questionnaire.page_count() {
            let mut form = app.valid_page_form(step, seed);
            form.push(("aktion".into(), "weiter".into()));
            assert_eq!(
                app.post(&format!("/f/{token}/s/{step}"), &form).await.status().as_u16(),
                303
            );
        }
        assert_eq!(app.post(&format!("/f/{token}/absenden"), &[]).await.status().as_u16(), 303);
        let (status, thanks) = app.get_text(&format!("/f/{token}/danke")).await;
        assert_eq!(status, 200);
        assert!(
            thanks.contains("nach einer kurzen Prüfung in die Auswertung auf"),
            "the respondent is told"
        );
        fakes.push(token);
    }
    assert_eq!(figures().await, before, "pending open-link responses change no aggregated output");
    app.store.rebuild_tallies(&stored).await.unwrap();
    assert_eq!(figures().await, before, "nor does a rebuild of the tallies");

    // The KI sees them waiting, with their answers, and decides.
    let (status, html) = app.get_as(&admin, &format!("/verwaltung?fragebogen={id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("2 über den offenen Link abgeschickte Antworten warten auf Ihre Prüfung"),
        "{html}"
    );
    let pending: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM response WHERE review = 'pending' AND status = 'submitted' ORDER BY id",
    )
    .fetch_all(&app.db().await)
    .await
    .unwrap();
    assert_eq!(pending.len(), 2);
    let (status, html) = app.get_as(&admin, &format!("/verwaltung/antworten/{}", pending[0])).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("wartet auf Freigabe") && html.contains("In die Auswertung aufnehmen"),
        "{html}"
    );
    // Members may not review.
    let r = app
        .post_as(
            &member,
            &format!("/verwaltung/antworten/{}", pending[0]),
            &[("aktion", "freigeben")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(figures().await, before);
    // An accepted response (the bulk-loaded ones are) can be taken out and put back.
    let accepted_one: i64 = sqlx::query_scalar(
        "SELECT MIN(id) FROM response WHERE channel = 'open' AND review = 'accepted'",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/antworten/{accepted_one}"),
            &[("aktion", "ablehnen")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_ne!(figures().await, before);
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/antworten/{accepted_one}"),
            &[("aktion", "freigeben")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(figures().await, before, "out and in again: as before");

    // Accepted, the fakes count (the KI vouched for them); rejected, they are out again.
    for id in &pending {
        let r = app
            .post_as(&admin, &format!("/verwaltung/antworten/{id}"), &[("aktion", "freigeben")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
    let accepted = figures().await;
    assert_ne!(accepted, before);
    assert_eq!(county_respondents().await, 33, "accepted, the two count");
    app.store.rebuild_tallies(&stored).await.unwrap();
    assert_eq!(figures().await, accepted, "the kept tallies agree with a rebuild");
    for id in &pending {
        let r = app
            .post_as(&admin, &format!("/verwaltung/antworten/{id}"), &[("aktion", "ablehnen")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
    assert_eq!(figures().await, before, "rejected responses are taken out");
    // A rejected response deleted, or re-opened, leaves the tallies alone.
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/antworten/{}", pending[0]),
            &[("aktion", "loeschen"), ("bestaetigt", "1")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post_as(
            &admin,
            &format!("/verwaltung/antworten/{}", pending[1]),
            &[("aktion", "wieder-oeffnen")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(figures().await, before);
    app.store.rebuild_tallies(&stored).await.unwrap();
    assert_eq!(figures().await, before);
    let audit = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'Antwort in die Auswertung aufgenommen'",
        )
        .await;
    assert_eq!(audit, 3, "every decision is in the audit log");
}
on_both_backends!(open_link_padding_changes_no_figure_on, open_link_padding_changes_no_figure);

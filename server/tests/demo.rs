//! `server demo` at a small size, on both backends: the same seed gives the same tallies; the
//! heat map tells the designed story (it is not uniform, language and housing need most, the
//! towns report more offers than the Gemeinden); small groups are withheld while most cells
//! are shown; and the demo concept stands on evidence equal to what the dashboards show.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use backend::staff::Staff;
use common::{Db, TestApp};
use domain::concept::{shown_heat_value, shown_values, MeasureStatus};
use domain::dashboard::OverviewPage;
use domain::reference::MUNICIPALITIES;
use domain::staff::{Principal, Role};
use server::demo::story::{RHEURDT, WACHTENDONK};
use server::demo::Amount;
use std::collections::BTreeSet;

/// Small, but with enough responses for every municipality but the designed ones (about 310
/// submitted): the default size is 1000.
const RESPONSES: u32 = 400;
const SEED: u64 = 1;
const ADMIN: &str = "ki@kreis-kleve.de";

/// Generates the demo responses; a signed-in administrator and the dashboards' use cases.
async fn generated(app: &TestApp) -> (Staff, Principal) {
    let summary =
        server::demo::generate(&app.store, Amount::Responses(RESPONSES), SEED, 0.2).await.unwrap();
    assert_eq!(summary.submitted + summary.drafts, RESPONSES);
    assert!(summary.drafts > 40 && summary.drafts < 120, "about a fifth: {}", summary.drafts);
    let staff = Staff::new(app.store.clone(), "http://127.0.0.1", 100)
        .with_min_group(app.config.min_group_size);
    app.account(ADMIN, Role::Admin, &[]).await;
    let session = app.login(ADMIN).await;
    let token = session.cookie.split_once('=').unwrap().1;
    let admin = staff.authenticate(Some(token)).await.unwrap();
    (staff, admin)
}

/// Everything the dashboards show of the whole county: the heat map and every theme's figures.
async fn tallies(staff: &Staff, admin: &Principal) -> Vec<String> {
    let overview = staff.overview_page(admin, "").await.unwrap();
    let mut shown = vec![format!("{:?}", overview.rows)];
    for row in &overview.rows {
        let page = staff.theme_page(admin, &row.theme.code, "").await.unwrap();
        shown.push(format!("{:?}", page.figures));
    }
    shown
}

fn spread(values: impl IntoIterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.into_iter().collect();
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    max - min
}

fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.into_iter().collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// The heat map's figures of the story, printed for the record (`--nocapture`).
fn story_figures(overview: &OverviewPage) {
    for row in &overview.rows {
        let Some(need) = row.county.need_mean else { continue };
        let stock = |town: bool| {
            mean(
                row.cells
                    .iter()
                    .zip(MUNICIPALITIES.iter())
                    .filter_map(|(c, m)| (m.is_town == town).then_some(c.stock_percent).flatten()),
            )
        };
        println!(
            "{:26} Bedarf {need:.2}  Bestand Kreis {:4.1} %  Städte {:4.1} %  Gemeinden {:4.1} %",
            row.theme.code,
            row.county.stock_percent.unwrap(),
            stock(true),
            stock(false)
        );
    }
}

async fn the_demo_tells_a_story(app: TestApp) {
    let (staff, admin) = generated(&app).await;

    // Reproducible: the same seed on a fresh database of the same kind gives the same tallies.
    let db = if app.database_url.starts_with("sqlite") { Db::Sqlite } else { Db::Postgres };
    let again = TestApp::spawn(db).await.unwrap();
    let (staff_again, admin_again) = generated(&again).await;
    assert_eq!(tallies(&staff, &admin).await, tallies(&staff_again, &admin_again).await);
    // The same seed twice on one database would make the same links: refused, and told why.
    let refused = server::demo::generate(&again.store, Amount::Responses(10), SEED, 0.2).await;
    assert!(refused.err().unwrap().to_string().contains("--seed 2"));

    // The heat map: the themes with stock and need (not the cooperation matrix).
    let overview = staff.overview_page(&admin, "").await.unwrap();
    story_figures(&overview);
    let rows: Vec<_> = overview.rows.iter().filter(|r| r.county.need_mean.is_some()).collect();
    assert_eq!(rows.len(), 8, "the eight Handlungsfelder");
    let need = |code: &str| {
        rows.iter().find(|r| r.theme.code == code).and_then(|r| r.county.need_mean).unwrap()
    };
    let needs: Vec<f64> = rows.iter().map(|r| r.county.need_mean.unwrap()).collect();
    // Not uniform. Drawn alike, every theme's mean would be the same but for chance: over about
    // 310 responses with five or six rated offers each, a theme's mean varies by about 0.05, so
    // eight of them would spread by 0.2 at most. The story puts participation near 2.7 and
    // housing near 4.4: a spread of 1.0 is far from chance and well inside the design.
    assert!(spread(needs.iter().copied()) > 1.0, "{needs:?}");
    // Language and housing: clearly above the mean of the themes (by design by 0.8 or more).
    let overall = mean(needs.iter().copied());
    for high in ["sprache_verstaendigung", "wohnen"] {
        assert!(need(high) > overall + 0.4, "{high}: {} against {overall}", need(high));
    }

    // Stock across municipalities: the towns report more offers than the Gemeinden, in early
    // education by design by about 20 points (by chance, a few points at most).
    let gap =
        |code: &str| {
            let row = rows.iter().find(|r| r.theme.code == code).unwrap();
            let of =
                |town: bool| {
                    mean(row.cells.iter().zip(MUNICIPALITIES.iter()).filter_map(|(c, m)| {
                        (m.is_town == town).then_some(c.stock_percent).flatten()
                    }))
                };
            of(true) - of(false)
        };
    assert!(gap("fruehe_bildung_schule") > 12.0, "{}", gap("fruehe_bildung_schule"));
    let gaps: Vec<f64> = rows.iter().map(|r| gap(&r.theme.code)).collect();
    assert!(mean(gaps.iter().copied()) > 4.0, "{gaps:?}");
    let fbs = rows.iter().find(|r| r.theme.code == "fruehe_bildung_schule").unwrap();
    let stocks = fbs.cells.iter().filter_map(|c| c.stock_percent);
    assert!(spread(stocks) > 15.0);

    // Small groups: the smallest Gemeinden are withheld (their few own organisations could be
    // told from the neighbour's figures), and most cells are shown.
    let column = |ags: &str| MUNICIPALITIES.iter().position(|m| m.ags == ags).unwrap();
    let cells: Vec<_> = rows.iter().flat_map(|r| r.cells.iter()).collect();
    let withheld = cells.iter().filter(|c| c.withheld()).count();
    assert!(withheld >= 1 && withheld * 4 <= cells.len(), "{withheld} of {}", cells.len());
    for small in [RHEURDT, WACHTENDONK] {
        assert!(rows.iter().all(|r| r.cells[column(small)].withheld()), "{small}");
    }

    // The demo concept, written through the use cases.
    let written = server::demo::concept::create(&staff).await.unwrap().unwrap();
    assert!(written.themes >= 3 && written.findings >= written.themes, "{written:?}");
    assert_eq!(server::demo::concept::create(&staff).await.unwrap(), None, "written once");
    let concept = staff.concept_page(&admin).await.unwrap();
    let chapters: Vec<_> = concept.themes.iter().filter(|t| !t.findings.is_empty()).collect();
    assert!(chapters.len() >= 3);
    let mut statuses = BTreeSet::new();
    let (mut budgets, mut notes, mut followed, mut cited_baseline) = (0, 0, 0, 0);
    for t in &chapters {
        assert!(!t.introduction.is_empty(), "{}", t.code);
        assert!((2..=4).contains(&t.evidence.len()), "{}", t.code);
        assert!((1..=3).contains(&t.findings.len()), "{}", t.code);
        for f in &t.findings {
            assert!(
                !f.evidence.is_empty() && f.evidence.iter().all(|id| t.evidence(*id).is_some())
            );
        }
        assert!((1..=2).contains(&t.goals.len()), "{}", t.code);
        for g in &t.goals {
            assert!((1..=3).contains(&g.measures.len()), "{}", g.title);
        }
        for m in t.measures() {
            statuses.insert(m.status);
            budgets += usize::from(m.budget_cents.is_some());
            notes += m.notes.len();
            assert!(m.county_wide || !m.municipalities.is_empty());
            for i in &m.indicators {
                assert!(i.baseline.is_some() && i.target.is_some(), "{}", i.name);
                followed += usize::from(!i.values.is_empty());
                if let Some(id) = i.baseline_evidence_id {
                    // As the page shows it: a share to one place, a mean to two.
                    let value = t.evidence(id).unwrap().snapshot.value.unwrap();
                    assert!((i.baseline.unwrap() - value).abs() <= 0.05, "{}", i.name);
                    cited_baseline += 1;
                }
            }
        }
    }
    assert_eq!(statuses, MeasureStatus::ALL.into_iter().collect());
    assert!(budgets >= 3 && notes >= 5 && followed >= 1 && cited_baseline >= 1);

    // Every piece of evidence is what the dashboard shows for the same view, recomputed.
    let mut checked = 0;
    for t in &concept.themes {
        for e in &t.evidence {
            let s = &e.snapshot;
            let shown = if s.question_code.is_empty() {
                let row = overview.rows.iter().find(|r| r.theme.code == s.theme_code).unwrap();
                let (cell, place) = if s.item_code.is_empty() {
                    (&row.county, "Kreis gesamt".to_string())
                } else {
                    let i = column(&s.item_code);
                    (&row.cells[i], MUNICIPALITIES[i].name.to_string())
                };
                shown_heat_value(cell, &place).unwrap()
            } else {
                let query = format!("fragebogen={}&{}", s.questionnaire_id, s.view_query);
                let page = staff.theme_page(&admin, &s.theme_code, &query).await.unwrap();
                let figures = page.figures.unwrap();
                let question = figures.questions.iter().find(|q| q.code == s.question_code);
                let values = shown_values(question.unwrap());
                values.into_iter().find(|(item, _)| *item == s.item_code).unwrap().1
            };
            assert_eq!(
                (&shown.value_text, shown.value, shown.n),
                (&s.value_text, s.value, s.n),
                "{}",
                s.describe()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, written.evidence);

    // Audited as the command line's, without an account.
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE actor = 'Kommandozeile (server demo)' AND account_id IS NULL")
        .await;
    assert!(audited as usize > written.evidence + written.measures, "{audited}");
}
on_both_backends!(the_demo_tells_a_story_on, the_demo_tells_a_story);

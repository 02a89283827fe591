//! The exports over HTTP and from the command line, on both backends: known responses,
//! checked cell by cell after parsing with the csv crate, in both dialects; the SPSS and R
//! syntax beside the wide file.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use backend::respondent::GeneratedResponse;
use common::{location, TestApp};
use domain::answers::Answer;
use domain::default_questionnaire::DEFAULT_SLUG;
use domain::staff::Role;
use domain::ResponseStatus;
use domain::{Answers, Question, QuestionKind, Questionnaire, Reference};
use std::collections::HashMap;

const KLEVE: &str = "05154036";
const GOCH: &str = "05154016";
const EMMERICH: &str = "05154008";
/// 1 September 2026, 10:00 UTC (12:00 in Germany).
const SEPTEMBER: i64 = 1_788_256_800_000;
/// 20 October 2026, 10:00 UTC.
const OCTOBER: i64 = 1_792_490_400_000;
const NASTY: &str = "=SUMME(A1); \"Zitat\"\nzweite Zeile: Ärger, Öfen, Übel";

struct Picked {
    kind: Question,
    places: Question,
    multiple: Question,
    matrix: Question,
    number: Question,
    long_text: Question,
    yes_no: Question,
}

fn pick(q: &Questionnaire) -> Picked {
    let first = |f: &dyn Fn(&Question) -> bool| {
        q.questions().find(|x| f(x)).cloned().expect("question of that kind")
    };
    Picked {
        kind: q.question_with_reference(Reference::OrgKind).cloned().unwrap(),
        places: q.question_with_reference(Reference::Municipalities).cloned().unwrap(),
        multiple: first(&|x| {
            matches!(&x.kind, QuestionKind::MultipleChoice { other: Some(_), .. })
                && x.reference.is_none()
        }),
        matrix: first(&|x| matches!(x.kind, QuestionKind::Matrix { .. })),
        number: first(&|x| matches!(x.kind, QuestionKind::Number { .. })),
        long_text: first(&|x| matches!(x.kind, QuestionKind::LongText { .. })),
        yes_no: first(&|x| matches!(x.kind, QuestionKind::YesNo)),
    }
}

fn options(q: &Question) -> Vec<String> {
    q.kind.choices().into_iter().map(|c| c.code).collect()
}

fn matrix_parts(q: &Question) -> (Vec<String>, Vec<String>) {
    let QuestionKind::Matrix { rows, columns } = &q.kind else { panic!("no matrix") };
    (
        rows.iter().map(|r| r.code.clone()).collect(),
        columns.iter().map(|c| c.code.clone()).collect(),
    )
}

struct Known {
    kind: &'static str,
    places: Vec<&'static str>,
    other: Option<&'static str>,
    number: &'static str,
    text: &'static str,
    yes: bool,
    status: ResponseStatus,
    at: i64,
}

fn answers(p: &Picked, k: &Known) -> Answers {
    let mut a = Answers::new();
    let one = |v: &str| Answer { values: vec![v.to_string()], ..Default::default() };
    a.insert(p.kind.code.clone(), one(k.kind));
    a.insert(
        p.places.code.clone(),
        Answer { values: k.places.iter().map(|s| s.to_string()).collect(), ..Default::default() },
    );
    let multiple = options(&p.multiple);
    a.insert(
        p.multiple.code.clone(),
        Answer {
            values: vec![multiple[1].clone()],
            other: k.other.map(String::from),
            ..Default::default()
        },
    );
    let (rows, columns) = matrix_parts(&p.matrix);
    let mut matrix = Answer::default();
    matrix.rows.insert(rows[0].clone(), columns[0].clone());
    a.insert(p.matrix.code.clone(), matrix);
    a.insert(p.number.code.clone(), one(k.number));
    a.insert(p.long_text.code.clone(), one(k.text));
    a.insert(p.yes_no.code.clone(), one(if k.yes { "ja" } else { "nein" }));
    a
}

/// Four responses: three submitted (Kleve kita, Goch+Kleve school, Emmerich club in October)
/// and a county-wide kita draft.
fn known() -> Vec<Known> {
    vec![
        Known {
            kind: "kita",
            places: vec![KLEVE],
            other: Some(NASTY),
            number: "1.250,5",
            text: "Zeile eins\nZeile zwei; mit Semikolon",
            yes: true,
            status: ResponseStatus::Submitted,
            at: SEPTEMBER,
        },
        Known {
            kind: "schule",
            places: vec![GOCH, KLEVE],
            other: None,
            number: "3",
            text: "-minus vorne",
            yes: true,
            status: ResponseStatus::Submitted,
            at: SEPTEMBER + 3_600_000,
        },
        Known {
            kind: "kita",
            places: vec!["kreisweit"],
            other: None,
            number: "7",
            text: "Entwurf",
            yes: false,
            status: ResponseStatus::Draft,
            at: SEPTEMBER + 7_200_000,
        },
        Known {
            kind: "verein",
            places: vec![EMMERICH],
            other: None,
            number: "10",
            text: "+plus vorne",
            yes: false,
            status: ResponseStatus::Submitted,
            at: OCTOBER,
        },
    ]
}

async fn seed(app: &TestApp) -> (i64, Picked) {
    let (id, revision) = app.store.questionnaire_by_slug(DEFAULT_SLUG).await.unwrap().unwrap();
    let stored = app.store.questionnaire(id, revision).await.unwrap();
    let p = pick(&stored.questionnaire);
    let generated: Vec<GeneratedResponse> = known()
        .iter()
        .enumerate()
        .map(|(i, k)| GeneratedResponse {
            token_hash: format!("export-test-{i}"),
            status: k.status,
            current_page: 0,
            answers: answers(&p, k),
            created_at: k.at,
            updated_at: k.at + 60_000,
            submitted_at: (k.status == ResponseStatus::Submitted).then_some(k.at + 60_000),
        })
        .collect();
    app.store.insert_generated_responses(&stored, &generated).await.unwrap();
    app.store.rebuild_tallies(&stored).await.unwrap();
    (id, p)
}

fn parse(bytes: &[u8], dialect: &str) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let (text, delimiter) = match dialect {
        "excel" => {
            assert!(text.starts_with('\u{feff}'), "Excel files start with a BOM");
            assert!(text.ends_with("\r\n"));
            (&text[3..], b';')
        }
        _ => {
            assert!(!text.starts_with('\u{feff}'));
            assert!(!text.contains("\r\n"), "standard files end lines with LF only");
            (text, b',')
        }
    };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("well-formed CSV").iter().map(String::from).collect())
        .collect()
}

/// Rows as maps from column code to cell, keyed by the first column.
fn by_id(records: &[Vec<String>]) -> HashMap<String, HashMap<String, String>> {
    records[1..]
        .iter()
        .map(|r| (r[0].clone(), records[0].iter().cloned().zip(r.iter().cloned()).collect()))
        .collect()
}

async fn download(app: &TestApp, session: &common::Session, query: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/verwaltung/export/datei?{query}", app.base))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
}

async fn csv_of(app: &TestApp, session: &common::Session, query: &str) -> Vec<u8> {
    let r = download(app, session, query).await;
    assert_eq!(r.status(), 200, "{query}");
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename="));
    r.bytes().await.unwrap().to_vec()
}

async fn exports_hold_known_responses(app: TestApp) {
    let (id, p) = seed(&app).await;
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let ids: Vec<i64> = {
        let pool = app.db().await;
        sqlx::query_scalar("SELECT id FROM response ORDER BY id").fetch_all(&pool).await.unwrap()
    };
    let id_of = |i: usize| ids[i].to_string();
    let multiple = options(&p.multiple);
    let (rows, columns) = matrix_parts(&p.matrix);
    let col = |q: &Question, part: &str| format!("{}__{part}", q.code);

    for dialect in ["excel", "standard"] {
        // Wide: submitted responses by default, one row each, in response order.
        let wide = parse(
            &csv_of(&app, &admin, &format!("fragebogen={id}&datei=wide&dialekt={dialect}")).await,
            dialect,
        );
        assert_eq!(wide.len(), 4, "header and three submitted responses");
        let rows_by_id = by_id(&wide);
        let first = &rows_by_id[&id_of(0)];
        let (comma, begun, nasty, minus) = if dialect == "excel" {
            ("1250,5", "01.09.2026 12:00:00", format!("'{NASTY}"), "'-minus vorne")
        } else {
            ("1250.5", "2026-09-01T12:00:00+02:00", NASTY.to_string(), "-minus vorne")
        };
        assert_eq!(first["status"], "submitted");
        assert_eq!(first["begonnen"], begun);
        assert_eq!(first["art"], "kita");
        assert_eq!(first["kommunen"], KLEVE);
        assert_eq!(first[&p.kind.code], "kita");
        assert_eq!(first[&col(&p.places, KLEVE)], "1");
        assert_eq!(first[&col(&p.places, GOCH)], "0");
        assert_eq!(first[&col(&p.multiple, &multiple[0])], "0");
        assert_eq!(first[&col(&p.multiple, &multiple[1])], "1");
        assert_eq!(
            first[&col(&p.multiple, "sonstiges")],
            nasty,
            "the nasty cell survives the round trip"
        );
        assert_eq!(first[&col(&p.matrix, &rows[0])], columns[0]);
        assert_eq!(first[&col(&p.matrix, &rows[1])], "");
        assert_eq!(first[&p.number.code], comma);
        assert_eq!(first[&p.long_text.code], "Zeile eins\nZeile zwei; mit Semikolon");
        assert_eq!(first[&p.yes_no.code], "ja");
        let second = &rows_by_id[&id_of(1)];
        assert_eq!(second["kommunen"], format!("{GOCH} {KLEVE}"));
        assert_eq!(second[&p.long_text.code], minus);
        assert_eq!(second[&col(&p.multiple, "sonstiges")], "");
        assert!(!rows_by_id.contains_key(&id_of(2)), "drafts only when asked for");
        assert!(!wide[0].contains(&"organisation".to_string()), "names only when asked for");

        // The codebook names exactly the wide file's columns, in order.
        let codebook = parse(
            &csv_of(&app, &admin, &format!("fragebogen={id}&datei=codebook&dialekt={dialect}"))
                .await,
            dialect,
        );
        let named: Vec<String> = codebook[1..].iter().map(|r| r[0].clone()).collect();
        assert_eq!(named, wide[0]);
        let number_entry = codebook.iter().find(|r| r[0] == p.number.code).unwrap();
        assert_eq!(
            (number_entry[3].as_str(), number_entry[5].as_str()),
            (p.number.code.as_str(), "number")
        );

        // Long: one row per stored value of the submitted responses.
        let long = parse(
            &csv_of(&app, &admin, &format!("fragebogen={id}&datei=long&dialekt={dialect}")).await,
            dialect,
        );
        assert_eq!(long[0], ["antwort_id", "frage", "zeile", "wert_code", "wert"]);
        let stored_rows: usize = known()
            .iter()
            .filter(|k| k.status == ResponseStatus::Submitted)
            .map(|k| answers(&p, k).values().map(|a| a.to_rows().len()).sum::<usize>())
            .sum();
        assert_eq!(long.len() - 1, stored_rows);
        let row_of = |question: &str, row: &str| {
            long.iter()
                .find(|r| r[0] == id_of(0) && r[1] == question && r[2] == row)
                .unwrap()
                .clone()
        };
        assert_eq!(
            row_of(&p.yes_no.code, ""),
            [id_of(0), p.yes_no.code.clone(), "".into(), "ja".into(), "Ja".into()]
        );
        assert_eq!(row_of(&p.number.code, "")[4], comma);
        assert_eq!(row_of(&p.multiple.code, "_sonstiges")[4], nasty);
        assert_eq!(row_of(&p.matrix.code, &rows[0])[3], columns[0]);

        // Aggregates: the yes/no question over three submitted responses.
        let aggregates = parse(
            &csv_of(&app, &admin, &format!("fragebogen={id}&datei=aggregates&dialekt={dialect}"))
                .await,
            dialect,
        );
        let share = |code: &str| {
            aggregates
                .iter()
                .find(|r| r[1] == p.yes_no.code && r[6] == "anteil_prozent" && r[7] == code)
                .unwrap()
                .clone()
        };
        let (two_thirds, one_third) =
            if dialect == "excel" { ("66,7", "33,3") } else { ("66.7", "33.3") };
        assert_eq!(share("ja")[9..], ["2".to_string(), two_thirds.into(), "3".into()]);
        assert_eq!(share("nein")[9..], ["1".to_string(), one_third.into(), "3".into()]);
        let number = |measure: &str| {
            aggregates.iter().find(|r| r[1] == p.number.code && r[6] == measure).unwrap()[10]
                .clone()
        };
        let expected = if dialect == "excel" {
            ["421,17", "10,00", "1263,50"]
        } else {
            ["421.17", "10.00", "1263.50"]
        };
        for (measure, value) in ["mittelwert", "median", "summe"].iter().zip(expected) {
            assert_eq!(number(measure), value, "{measure}");
        }
        assert!(
            !aggregates.iter().any(|r| r[6] == "minimum" || r[6] == "maximum"),
            "an extreme is one organisation's value"
        );
    }

    // Filters, combined as on the dashboards.
    let ids_in = |records: Vec<Vec<String>>| -> Vec<String> {
        records[1..].iter().map(|r| r[0].clone()).collect()
    };
    let wide_ids = |query: String| {
        let app = &app;
        let admin = &admin;
        async move {
            ids_in(parse(
                &csv_of(
                    app,
                    admin,
                    &format!("fragebogen={id}&datei=wide&dialekt=standard&{query}"),
                )
                .await,
                "standard",
            ))
        }
    };
    assert_eq!(wide_ids("art=kita".into()).await, [id_of(0)]);
    assert_eq!(wide_ids(format!("gemeinde={GOCH}")).await, [id_of(1)]);
    assert_eq!(
        wide_ids(format!("gemeinde={GOCH}&status=alle")).await,
        [id_of(1), id_of(2)],
        "county-wide counts for Goch"
    );
    assert_eq!(wide_ids("status=entwurf".into()).await, [id_of(2)]);
    assert_eq!(wide_ids("von=2026-10-01".into()).await, [id_of(3)]);
    assert_eq!(wide_ids("bis=01.09.2026&art=schule".into()).await, [id_of(1)]);
    assert!(wide_ids(format!("gemeinde={EMMERICH}&art=kita")).await.is_empty());

    // A filter over fewer than three responses shows no figures.
    let small = parse(
        &csv_of(
            &app,
            &admin,
            &format!("fragebogen={id}&datei=aggregates&dialekt=standard&art=kita"),
        )
        .await,
        "standard",
    );
    assert!(small[1..].iter().all(|r| r[6] == "zu wenige Antworten"), "{small:?}");

    // Names and contacts only when asked for.
    let organisation = app
        .store
        .insert_organisation(
            "Kita Sonnenschein",
            "kita",
            &[KLEVE.to_string()],
            Some("kita@example.org"),
        )
        .await
        .unwrap();
    {
        let pool = app.db().await;
        sqlx::query(&format!(
            "UPDATE response SET organisation_id = {organisation} WHERE id = {}",
            ids[0]
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    let with_names = by_id(&parse(
        &csv_of(&app, &admin, &format!("fragebogen={id}&datei=wide&dialekt=standard&kontakte=1"))
            .await,
        "standard",
    ));
    assert_eq!(with_names[&id_of(0)]["organisation"], "Kita Sonnenschein");
    assert_eq!(with_names[&id_of(0)]["e_mail"], "kita@example.org");
    assert_eq!(with_names[&id_of(1)]["organisation"], "");

    // The command line writes the very same bytes.
    for (file, query) in [
        (server::cli::ExportFile::Wide, "datei=wide"),
        (server::cli::ExportFile::Long, "datei=long"),
    ] {
        let dir = common::TempDir(
            std::env::temp_dir().join(format!("export-cli-{}", std::process::id())),
        );
        std::fs::create_dir_all(&dir.0).unwrap();
        let output = dir.0.join("export.csv");
        let args = server::cli::ExportArgs {
            file,
            dialect: "excel".into(),
            output: Some(output.clone()),
            questionnaire: DEFAULT_SLUG.into(),
            municipalities: vec![KLEVE.into()],
            kinds: vec![],
            von: None,
            bis: None,
            status: Some("alle".into()),
            kontakte: false,
        };
        server::cli::export_to(&app.store, &args, 3).await.unwrap();
        let over_http =
            csv_of(&app, &admin, &format!("fragebogen={id}&{query}&gemeinde={KLEVE}&status=alle"))
                .await;
        assert_eq!(std::fs::read(&output).unwrap(), over_http);
        assert!(!dir.0.join("export.csv.teil").exists());
    }

    // Every download is in the audit log (the command line runs with the machine's authority).
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'Export'").await, 19);
}
on_both_backends!(exports_hold_known_responses_on, exports_hold_known_responses);

async fn exports_respect_roles(app: TestApp) {
    let (id, p) = seed(&app).await;
    let theme =
        app.questionnaire.themes[app.questionnaire.page_of(&p.yes_no.code).unwrap()].code.clone();
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    app.account("ag@kreis-kleve.de", Role::Member, &[theme.as_str()]).await;
    let member = app.login("ag@kreis-kleve.de").await;
    let admin = app.login("admin@kreis-kleve.de").await;

    // Anonymous callers are sent to sign in; respondent links count for nothing here.
    let anonymous = app
        .client
        .get(format!("{}/verwaltung/export/datei?fragebogen={id}&datei=aggregates", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/anmelden"));

    // Members: no single responses, no names; aggregates only of their own themes.
    for query in
        ["datei=wide", "datei=long", "datei=aggregates&kontakte=1", "datei=codebook&kontakte=1"]
    {
        let r = download(&app, &member, &format!("fragebogen={id}&{query}")).await;
        assert_eq!(r.status(), 403, "{query}");
    }
    let aggregates = parse(
        &csv_of(&app, &member, &format!("fragebogen={id}&datei=aggregates&dialekt=standard")).await,
        "standard",
    );
    assert!(aggregates.len() > 2);
    assert!(aggregates[1..].iter().all(|r| r[0] == theme), "only the member's theme");
    let all = parse(
        &csv_of(&app, &admin, &format!("fragebogen={id}&datei=aggregates&dialekt=standard")).await,
        "standard",
    );
    assert!(all.iter().any(|r| r[0] != theme && r[0] != "thema"));
    let codebook = csv_of(&app, &member, &format!("fragebogen={id}&datei=codebook")).await;
    assert!(!codebook.is_empty());

    // A wrong filter goes back to the form with the field named.
    let r = download(&app, &admin, &format!("fragebogen={id}&datei=wide&von=2026-02-30")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/verwaltung/export");
    let (status, page) = app.get_as(&admin, "/verwaltung/export").await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"#f-von\""), "the error summary links to the date field");
    let r = download(&app, &admin, "fragebogen=999999&datei=wide").await;
    assert_eq!(r.status(), 404);
}
on_both_backends!(exports_respect_roles_on, exports_respect_roles);

/// A download's file name from its Content-Disposition.
fn file_name_of(r: &reqwest::Response) -> String {
    let value = r.headers()["content-disposition"].to_str().unwrap().to_string();
    value.trim_start_matches("attachment; filename=\"").trim_end_matches('"').to_string()
}

async fn syntax_files_describe_the_wide_file(app: TestApp) {
    let (id, p) = seed(&app).await;
    let theme =
        app.questionnaire.themes[app.questionnaire.page_of(&p.yes_no.code).unwrap()].code.clone();
    app.account("admin@kreis-kleve.de", Role::Admin, &[]).await;
    app.account("ag@kreis-kleve.de", Role::Member, &[theme.as_str()]).await;
    let admin = app.login("admin@kreis-kleve.de").await;
    let member = app.login("ag@kreis-kleve.de").await;
    let before = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'Export'").await;

    for (dialect, delimiter) in [("excel", ";"), ("standard", ",")] {
        for contacts in ["", "&kontakte=1"] {
            let query =
                |file: &str| format!("fragebogen={id}&datei={file}&dialekt={dialect}{contacts}");
            let wide_response = download(&app, &admin, &query("wide")).await;
            let wide_name = file_name_of(&wide_response);
            let wide_bytes = wide_response.bytes().await.unwrap();
            let wide = parse(&wide_bytes, dialect);
            let header = &wide[0];

            let sps_response = download(&app, &admin, &query("spss")).await;
            assert_eq!(sps_response.status(), 200);
            assert_eq!(sps_response.headers()["content-type"], "text/plain; charset=utf-8");
            assert_eq!(file_name_of(&sps_response), wide_name.replace(".csv", ".sps"));
            let sps = sps_response.text().await.unwrap();
            assert!(sps.contains(&format!("/FILE='{wide_name}'")), "{sps}");
            assert!(sps.contains(&format!("/DELIMITERS=\"{delimiter}\"")));
            // One variable per column of the wide file, in its order (none needs renaming here).
            let start = sps.find("/VARIABLES=\n").unwrap() + "/VARIABLES=\n".len();
            let variables: Vec<&str> = sps[start..]
                .lines()
                .take_while(|l| *l != ".")
                .map(|l| l.split_whitespace().next().unwrap())
                .collect();
            assert_eq!(variables, *header, "{dialect}{contacts}");
            assert!(
                sps.contains(&format!("  /{}\n    'ja' 'Ja'\n    'nein' 'Nein'\n", p.yes_no.code))
            );
            assert!(
                sps.contains("MISSING VALUES\n"),
                "the need ratings' „kann ich nicht beurteilen“"
            );

            let r_response = download(&app, &admin, &query("r")).await;
            assert_eq!(r_response.status(), 200);
            assert_eq!(file_name_of(&r_response), wide_name.replace(".csv", ".R"));
            let script = r_response.text().await.unwrap();
            assert!(script.contains(&format!("datei <- \"{wide_name}\"")));
            let names: Vec<String> = header.iter().map(|h| format!("\"{h}\"")).collect();
            assert!(script.contains(&format!("spalten <- c({})", names.join(", "))), "{script}");
            assert_eq!(header.contains(&"organisation".to_string()), !contacts.is_empty());

            run_r_if_installed(&wide_bytes, &wide_name, &script, wide.len() - 1);
        }
    }
    // As the raw files: administrators only, and in the audit log.
    for file in ["spss", "r"] {
        let r = download(&app, &member, &format!("fragebogen={id}&datei={file}")).await;
        assert_eq!(r.status(), 403, "{file}");
    }
    let after = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'Export'").await;
    assert_eq!(after - before, 4 * 3, "wide, SPSS and R for each dialect and option");
}
on_both_backends!(syntax_files_describe_the_wide_file_on, syntax_files_describe_the_wide_file);

/// Runs the R script on the downloaded wide file where R is installed (`apt-get install
/// r-base-core`); elsewhere says so and checks nothing more.
fn run_r_if_installed(wide: &[u8], wide_name: &str, script: &str, rows: usize) {
    if std::process::Command::new("Rscript").arg("--version").output().is_err() {
        eprintln!("Rscript is not installed: the R script is not run");
        return;
    }
    let dir = std::env::temp_dir().join(format!("export-r-{}-{wide_name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(wide_name), wide).unwrap();
    std::fs::write(dir.join("lesen.R"), script).unwrap();
    let output = std::process::Command::new("Rscript")
        .current_dir(&dir)
        .args(["-e", "source('lesen.R', encoding = 'UTF-8'); cat(nrow(daten), ncol(daten), sum(sapply(daten, is.factor)))"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let numbers: Vec<usize> = stdout.split_whitespace().map(|n| n.parse().unwrap()).collect();
    assert_eq!(numbers[0], rows);
    assert!(numbers[2] > 10, "coded columns become factors: {stdout}");
}

//! Two app instances on one database behave as one: one mail round at a time, and the rate
//! limits count the requests of both.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{location, TestApp, PASSWORD};
use domain::staff::Role;
use std::time::Duration;

const ADMIN: &str = "ki@kreis-kleve.de";

const ORGANISATIONS: &[(&str, &str, &str, &str)] = &[
    ("Grundschule Kellen", "schule", "05154036", "schule@example.org"),
    ("Kita Pusteblume", "kita", "05154016", "kita@example.org"),
    ("Integrationsagentur Kleve", "integrationsagentur", "05154036", "agentur@example.org"),
    ("Verein Miteinander", "verein", "05154016", "verein@example.org"),
    ("Sprachcafé Goch", "ehrenamt", "05154016", "cafe@example.org"),
    ("Jobcenter Kleve", "arbeitsagentur", "05154036", "jobcenter@example.org"),
];

on_both_backends!(one_mail_round_at_a_time_across_instances, one_mail_round);
async fn one_mail_round(a: TestApp) {
    let b = a.second_instance().await;
    a.account(ADMIN, Role::Admin, &[]).await;
    let (on_a, on_b) = (a.login(ADMIN).await, b.login(ADMIN).await);
    for (name, kind, ags, email) in ORGANISATIONS {
        let r = a
            .post_as(
                &on_a,
                "/verwaltung/organisationen",
                &[("name", name), ("art", kind), ("kommunen", ags), ("email", email)],
            )
            .await;
        assert_eq!(location(&r), "/verwaltung/organisationen", "{name}");
    }
    // The lease of an instance that crashed during a round has run out: it blocks nothing.
    let db = a.db().await;
    sqlx::query("INSERT INTO mail_round_lease (questionnaire_id, holder, expires_at) VALUES (1, 'abgestuerzt', 1)").execute(&db).await.unwrap();

    // Both instances start the invitations at the same moment: one round mails every
    // organisation once, the other waits for it and then finds nobody left to invite.
    let path = "/verwaltung/fragebogen/1/einladungen/email";
    let (ra, rb) = tokio::join!(a.post_as(&on_a, path, &[]), b.post_as(&on_b, path, &[]));
    let mut outcomes = [location(&ra), location(&rb)];
    outcomes.sort();
    assert_eq!(outcomes, ["/verwaltung/organisationen", "/verwaltung/organisationen#fehler"]);
    let mails = a.sink().take();
    let mut recipients: Vec<String> = mails.iter().map(|m| m.to.join(",")).collect();
    recipients.sort();
    let mut expected: Vec<String> = ORGANISATIONS.iter().map(|o| o.3.to_string()).collect();
    expected.sort();
    assert_eq!(recipients, expected, "exactly one mail per organisation");
    // Every mailed link works, on either instance: no second round revoked them.
    for (i, mail) in mails.iter().enumerate() {
        let instance = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            instance.get(&format!("/f/{}", mail.token().unwrap())).await.status().as_u16(),
            200
        );
    }
    assert_eq!(a.count("SELECT COUNT(*) FROM response").await, ORGANISATIONS.len() as i64);
    assert_eq!(a.count("SELECT COUNT(*) FROM response WHERE status = 'revoked'").await, 0);
    assert_eq!(
        a.count("SELECT COUNT(*) FROM audit_log WHERE action = 'Einladungen per E-Mail versendet'")
            .await,
        1
    );
    let waited = if location(&ra).ends_with("#fehler") {
        a.get_as(&on_a, "/verwaltung/organisationen").await
    } else {
        b.get_as(&on_b, "/verwaltung/organisationen").await
    };
    assert!(
        waited.1.contains("Alle Organisationen haben bereits einen Link zu diesem Fragebogen."),
        "{}",
        waited.1
    );
    assert_eq!(
        a.count("SELECT COUNT(*) FROM mail_round_lease").await,
        0,
        "released after the round"
    );

    // While another instance holds the lease (and renews it), a round waits for it.
    let far = backend::now_ms() + 60_000;
    sqlx::query(&format!("INSERT INTO mail_round_lease (questionnaire_id, holder, expires_at) VALUES (1, 'andere Instanz', {far})")).execute(&db).await.unwrap();
    let reminders = b.post_as(&on_b, "/verwaltung/fragebogen/1/erinnerungen", &[]);
    tokio::pin!(reminders);
    assert!(
        tokio::time::timeout(Duration::from_millis(1500), &mut reminders).await.is_err(),
        "waits for the lease"
    );
    assert!(a.sink().take().is_empty());
    sqlx::query("DELETE FROM mail_round_lease WHERE holder = 'andere Instanz'")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(location(&reminders.await), "/verwaltung?fragebogen=1");
    assert_eq!(a.sink().take().len(), ORGANISATIONS.len());
    db.close().await;
}

on_both_backends!(rate_limits_count_across_instances, shared_limits);
async fn shared_limits(a: TestApp) {
    let b = a.second_instance().await;
    a.account(ADMIN, Role::Admin, &[]).await;
    // 5 log-in attempts per account and minute in tests, split between the instances …
    for i in 0..5 {
        let instance = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            instance.login_response(ADMIN, "falsches Passwort!!").await.status().as_u16(),
            401,
            "attempt {}",
            i + 1
        );
    }
    // … and the sixth is refused on both, even with the right password.
    assert_eq!(b.login_response(ADMIN, PASSWORD).await.status().as_u16(), 429);
    assert_eq!(a.login_response(ADMIN, PASSWORD).await.status().as_u16(), 429);
    assert_eq!(a.count("SELECT COUNT(*) FROM session").await, 0);
    // Only hashes of the keys are stored, not the addresses typed.
    assert!(a.count("SELECT COUNT(*) FROM rate_limit WHERE counter = 'logins_account'").await == 1);
    assert_eq!(a.count("SELECT COUNT(*) FROM rate_limit WHERE key_hash LIKE '%@%' OR key_hash LIKE '%127.0.0.1%'").await, 0);

    // Unknown links: 20 per address and minute in tests, half on each instance.
    for i in 0..20 {
        let instance = if i % 2 == 0 { &a } else { &b };
        assert_eq!(instance.get("/f/unbekannt/s/1").await.status().as_u16(), 404, "miss {}", i + 1);
    }
    assert_eq!(a.get("/f/unbekannt/s/1").await.status().as_u16(), 429);
    assert_eq!(b.get("/f/unbekannt/s/1").await.status().as_u16(), 429);
}

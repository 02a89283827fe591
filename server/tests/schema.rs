//! The two migration sets (`migrations/sqlite`, `migrations/postgres`) are kept in step by
//! hand; this test applies both to fresh databases and compares what they built: tables,
//! columns with their type class and nullability, unique keys, indexes and foreign keys.
//! Which unique key is the primary one is left to each engine (SQLite clusters
//! `response_text` by its search order, PostgreSQL keys it by `id`). What only one engine
//! has (its text search) is listed below, with the reason.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Db, TestApp};
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// Engine-specific parts, each with its reason; everything else must agree.
const ONLY_SQLITE_TABLES: &[&str] = &[
    // FTS5 index of the free texts (PostgreSQL searches `response_text` itself).
    "response_text_search",
];
/// (table, column) only in PostgreSQL.
const ONLY_POSTGRES_COLUMNS: &[(&str, &str)] = &[
    // Generated arrays that PostgreSQL's GIN index answers the filtered searches from.
    ("response_text", "facets"),
    ("response_text", "places"),
];

#[derive(Debug, Default, PartialEq)]
struct Table {
    /// Column → (type class, NOT NULL).
    columns: BTreeMap<String, (&'static str, bool)>,
    primary_key: Vec<String>,
    /// (unique, columns, partial).
    indexes: BTreeSet<(bool, Vec<String>, bool)>,
    /// (columns, referenced table, referenced columns).
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
}

/// What a declared type means for the data, whatever the engine calls it.
fn type_class(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else if t.contains("real")
        || t.contains("floa")
        || t.contains("doub")
        || t.contains("numeric")
    {
        "real"
    } else if t.contains("bool") {
        "boolean"
    } else {
        "other"
    }
}

async fn sqlite_schema(url: &str) -> BTreeMap<String, Table> {
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let virtual_tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let mut schema = BTreeMap::new();
    for name in tables {
        // A virtual table's shadow tables belong to it.
        if virtual_tables.iter().any(|v| name.starts_with(&format!("{v}_"))) {
            continue;
        }
        let mut table = Table::default();
        let mut key: Vec<(i64, String)> = Vec::new();
        for row in sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)")
            .bind(&name)
            .fetch_all(&mut db)
            .await
            .unwrap()
        {
            let column: String = row.get("name");
            let pk: i64 = row.get("pk");
            let not_null = row.get::<i64, _>("notnull") == 1 || pk > 0;
            if pk > 0 {
                key.push((pk, column.clone()));
            }
            table
                .columns
                .insert(column, (type_class(row.get::<String, _>("type").as_str()), not_null));
        }
        key.sort();
        table.primary_key = key.into_iter().map(|(_, c)| c).collect();
        for index in
            sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
                .bind(&name)
                .fetch_all(&mut db)
                .await
                .unwrap()
        {
            if index.get::<String, _>("origin") == "pk" {
                continue;
            }
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind(index.get::<String, _>("name"))
                    .fetch_all(&mut db)
                    .await
                    .unwrap();
            table.indexes.insert((
                index.get::<i64, _>("unique") == 1,
                columns,
                index.get::<i64, _>("partial") == 1,
            ));
        }
        let mut keys: BTreeMap<i64, (Vec<String>, String, Vec<String>)> = BTreeMap::new();
        for fk in sqlx::query("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")
            .bind(&name)
            .fetch_all(&mut db)
            .await
            .unwrap()
        {
            let entry = keys.entry(fk.get("id")).or_default();
            entry.0.push(fk.get("from"));
            entry.1 = fk.get("table");
            entry.2.push(fk.get::<Option<String>, _>("to").unwrap_or_else(|| "id".into()));
        }
        table.foreign_keys = keys.into_values().collect();
        schema.insert(name, table);
    }
    db.close().await.unwrap();
    schema
}

async fn postgres_schema(url: &str) -> BTreeMap<String, Table> {
    let mut db = sqlx::PgConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let mut schema = BTreeMap::new();
    for name in tables {
        let mut table = Table::default();
        for row in sqlx::query(
            "SELECT column_name::text AS name, data_type::text AS type, is_nullable::text AS nullable \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&name)
        .fetch_all(&mut db)
        .await
        .unwrap()
        {
            let data_type: String = row.get("type");
            let class = if data_type == "ARRAY" { "array" } else { type_class(&data_type) };
            table.columns.insert(row.get("name"), (class, row.get::<String, _>("nullable") == "NO"));
        }
        for index in sqlx::query(
            "SELECT ix.indisunique AS is_unique, ix.indisprimary AS is_primary, \
             ix.indpred IS NOT NULL AS partial, \
             ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) \
                   JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum \
                   ORDER BY k.ord) AS columns \
             FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = 'public' AND t.relname = $1",
        )
        .bind(&name)
        .fetch_all(&mut db)
        .await
        .unwrap()
        {
            let columns: Vec<String> = index.get("columns");
            if index.get::<bool, _>("is_primary") {
                table.primary_key = columns;
            } else {
                table.indexes.insert((index.get("is_unique"), columns, index.get("partial")));
            }
        }
        for fk in sqlx::query(
            "SELECT ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns, \
                    r.relname::text AS referenced, \
                    ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname = $1",
        )
        .bind(&name)
        .fetch_all(&mut db)
        .await
        .unwrap()
        {
            table.foreign_keys.insert((fk.get("columns"), fk.get("referenced"), fk.get("referenced_columns")));
        }
        schema.insert(name, table);
    }
    db.close().await.unwrap();
    schema
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_sets_build_the_same_schema() {
    let Some(postgres) = TestApp::spawn(Db::Postgres).await else {
        eprintln!("TEST_POSTGRES_URL is not set: the schema comparison is skipped.");
        return;
    };
    let sqlite = TestApp::spawn(Db::Sqlite).await.unwrap();
    let mut lite = sqlite_schema(&sqlite.database_url).await;
    let mut pg = postgres_schema(&postgres.database_url).await;

    for table in ONLY_SQLITE_TABLES {
        assert!(lite.remove(*table).is_some(), "{table} is listed as SQLite's own but missing");
    }
    for (table, column) in ONLY_POSTGRES_COLUMNS {
        let columns = &mut pg.get_mut(*table).unwrap().columns;
        assert!(
            columns.remove(*column).is_some(),
            "{table}.{column} is listed as PostgreSQL's own but missing"
        );
    }
    // PostgreSQL's indexes over its own columns go with them.
    for table in pg.values_mut() {
        let own: Vec<&str> = ONLY_POSTGRES_COLUMNS.iter().map(|(_, c)| *c).collect();
        table.indexes.retain(|(_, columns, _)| !columns.iter().any(|c| own.contains(&c.as_str())));
    }

    // A primary key is one more unique key.
    for table in lite.values_mut().chain(pg.values_mut()) {
        let key = std::mem::take(&mut table.primary_key);
        if !key.is_empty() {
            table.indexes.insert((true, key, false));
        }
    }
    assert!(lite.contains_key("response") && lite.contains_key("tally"), "the schema was read");
    let names = |s: &BTreeMap<String, Table>| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&lite), names(&pg), "the same tables");
    let mut differences = Vec::new();
    for (name, table) in &lite {
        let other = &pg[name];
        if table.columns != other.columns {
            differences.push(format!(
                "{name} columns:\n  SQLite     {:?}\n  PostgreSQL {:?}",
                table.columns, other.columns
            ));
        }
        if table.indexes != other.indexes {
            differences.push(format!(
                "{name} indexes:\n  SQLite     {:?}\n  PostgreSQL {:?}",
                table.indexes, other.indexes
            ));
        }
        if table.foreign_keys != other.foreign_keys {
            differences.push(format!(
                "{name} foreign keys:\n  SQLite     {:?}\n  PostgreSQL {:?}",
                table.foreign_keys, other.foreign_keys
            ));
        }
    }
    assert!(differences.is_empty(), "the migration sets differ:\n{}", differences.join("\n"));
}

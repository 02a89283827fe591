//! Everything only PostgreSQL runs: the session settings and migrations, its dialect
//! fragments, the text search with its index conditions, statistics, page saves that claim
//! the response by its version, registrations with ids drawn from sequences, and bulk loads
//! with COPY on a `PgConnection` of their own.

use super::scan::bind_all;
use super::scan::{contact_sql, FilterSql, Param};
use super::search::{
    count_matches, push_contains, text_filter_sql, text_values, TextColumns, TextQuery,
    NEWEST_FIRST,
};
use super::{
    write_all, BulkResponse, Claimed, ClaimedWrite, Plan, Planned, ReadRow, Registration, Store,
    Write,
};
use crate::error::StoreResult;
use domain::filter::ResponseFilter;
use domain::stats::{TextCount, SEARCH_COUNT_LIMIT};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// Locks the selected rows until commit, so that concurrent transactions take turns.
pub(super) const ROW_LOCK: &str = " FOR UPDATE";

pub(super) const LIKE_IGNORING_CASE: &str = "ILIKE";

/// Statistics of the rebuilt rows, so that searches are planned for how common a term is.
pub(super) const AFTER_REBUILD: &str = "ANALYZE response_text, tally";

/// Refreshes the planner statistics and visibility map after a bulk load: with the row counts
/// of an empty table the planner walks every response to list the newest free texts, and
/// until vacuumed the index-only scans still read the table.
pub(super) const AFTER_BULK_LOAD: &str = "VACUUM (ANALYZE)";

pub(super) fn migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("../migrations/postgres")
}

/// One pool for reads and writes.
pub(super) async fn pool(url: &str) -> StoreResult<AnyPool> {
    Ok(AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _| {
            Box::pin(async move {
                // Parallel workers take tens of milliseconds to start, longer than the short
                // indexed queries of a request run (the newest texts: 80 ms with a worker,
                // 5 ms without).
                conn.execute("SET max_parallel_workers_per_gather = 0").await?;
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

pub(super) fn responses_sql(filter: &FilterSql, with_contacts: bool) -> String {
    let (contact_columns, contact_join) = contact_sql(with_contacts);
    // Answers in primary-key order, as the export writes them.
    format!(
        "SELECT r.id, r.status, r.started_at, r.submitted_at, r.org_kind, {contact_columns},
                a.question_id, a.row_code, a.value
         FROM response r {contact_join}
         LEFT JOIN answer a ON a.response_id = r.id
         WHERE {}
         ORDER BY r.id, a.question_id, a.row_code, a.position",
        filter.condition
    )
}

/// Draws `$1` ids from the sequence of `table`'s `id`: rows written in bulk can then be named
/// by other rows without relying on the order of `RETURNING` rows, which PostgreSQL does not
/// promise.
fn draw_ids(table: &str) -> String {
    format!("SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)")
}

/// Blocks other writers of `table` (not its readers) until commit: what the transaction read
/// of it then holds.
fn lock_against_writers(table: &str) -> String {
    format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
}

/// How many of a question's newest texts a search reads before it asks the search index
/// instead.
const SEARCH_WALK: i64 = 5_000;

/// A question's newest texts (at most [`SEARCH_WALK`], in `order`), as the table `t`.
fn newest_texts(question_id: i64, order: &str) -> String {
    format!("(SELECT * FROM response_text t WHERE t.question_id = {question_id} {order} LIMIT {SEARCH_WALK}) t")
}

/// An element of `response_text.facets` (the migration computes them): the question, or the
/// question with a kind of organisation.
fn search_facet(question_id: i64, org_kind: Option<&str>) -> String {
    match org_kind {
        None => format!("q{question_id}"),
        Some(kind) => format!("q{question_id}:{kind}"),
    }
}

/// The search index's condition on a question's texts (table alias `t`) of any of `kinds`
/// (of any kind when empty), so that the index answers the filter with the term.
pub(super) fn facets_condition(
    question_id: i64,
    kinds: &[String],
    placeholder: &mut impl FnMut(Param) -> String,
) -> String {
    if kinds.is_empty() {
        return format!(
            "t.facets @> ARRAY[{}]",
            placeholder(Param::Text(search_facet(question_id, None)))
        );
    }
    let list: Vec<String> = kinds
        .iter()
        .map(|k| placeholder(Param::Text(search_facet(question_id, Some(k.as_str())))))
        .collect();
    format!("t.facets && ARRAY[{}]", list.join(", "))
}

/// The search index's condition on texts (table alias `t`) for any of the municipalities.
pub(super) fn places_condition<'p>(
    places: impl Iterator<Item = &'p str>,
    placeholder: &mut impl FnMut(Param) -> String,
) -> String {
    let list: Vec<String> = places.map(|m| placeholder(Param::Text(m.to_string()))).collect();
    format!("t.places && ARRAY[{}]", list.join(", "))
}

/// A search's `WHERE` condition on PostgreSQL: the filter as the search index holds it, and
/// the term.
fn search_sql(
    questionnaire_id: i64,
    question_id: i64,
    filter: &ResponseFilter,
    folded_term: &str,
) -> FilterSql {
    let mut sql = text_filter_sql(questionnaire_id, question_id, filter, TextColumns::SearchIndex);
    push_contains(&mut sql, folded_term);
    sql
}

/// A search on PostgreSQL, whose texts lie in the order they came. The question's newest
/// texts (at most [`SEARCH_WALK`]) are walked first: when a term is common there, the count
/// and the listing end in that walk; otherwise the search index finds the few matches
/// together with the filter, and only those are read.
pub(super) async fn search_texts(
    read: &AnyPool,
    q: &TextQuery<'_>,
) -> StoreResult<(Vec<String>, TextCount)> {
    let sql = search_sql(q.questionnaire_id, q.question_id, q.filter, q.term);
    let condition = &sql.condition;
    let newest = newest_texts(q.question_id, NEWEST_FIRST);
    let cap = SEARCH_COUNT_LIMIT + 1;
    let in_newest = count_matches(read, &format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {newest} WHERE {condition} LIMIT {cap}) matching"), &sql.params)
        .await?;
    let count = if in_newest > SEARCH_COUNT_LIMIT {
        in_newest
    } else {
        count_matches(read, &format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM response_text t WHERE {condition} LIMIT {cap}) matching"), &sql.params)
            .await?
    };
    // The newest matches lie in the walk when it found enough of them.
    let from = if in_newest >= q.limit.max(0) as u64 { newest.as_str() } else { "response_text t" };
    let list_sql = format!(
        "SELECT t.value FROM {from} WHERE {condition} {NEWEST_FIRST} LIMIT {}",
        q.limit.max(0)
    );
    Ok((text_values(read, &list_sql, &sql.params, false).await?, TextCount::of_search(count)))
}

/// A claimed write: the version and rows are read outside the write transaction, which then
/// claims the row (locking it until commit) and writes only if it is still at the version
/// read; otherwise another write came first, and it reads again.
pub(super) async fn claimed_write<R: ReadRow, T>(
    store: &Store,
    write: ClaimedWrite,
    plan: impl Plan<R, T>,
) -> StoreResult<Claimed<T>> {
    let mut known_version = write.known_version;
    for _ in 0..write.attempts {
        let mut conn = store.read.acquire().await?;
        let version = match known_version.take() {
            Some(v) => Some(v),
            None => {
                let row = bind_all(sqlx::query(write.version), &write.params)
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|row| sqlx::Row::try_get::<i64, _>(&row, 0)).transpose()?
            }
        };
        let Some(version) = version else { return Ok(Claimed::Refused) };
        let rows = bind_all(sqlx::query(write.rows), &write.params).fetch_all(&mut *conn).await?;
        let rows = rows.iter().map(R::from_any).collect::<StoreResult<_>>()?;
        drop(conn);
        let Planned { claim: (claim, params), writes, outcome } = plan(version, rows)?;
        let mut tx = store.begin_write().await?;
        if bind_all(sqlx::query(claim), &params).execute(&mut *tx).await?.rows_affected() == 0 {
            continue;
        }
        write_all(&mut tx, &writes).await?;
        tx.commit().await?;
        return Ok(Claimed::Written(outcome));
    }
    Ok(Claimed::Lost)
}

/// Registers new rows in one transaction of the write pool, several hundred rows per
/// statement. The new rows' ids are drawn from the table's sequence first, so that the naming
/// rows can name them without relying on the order of `RETURNING` rows, which PostgreSQL
/// does not promise.
pub(super) async fn register(
    store: &Store,
    registration: Registration,
) -> StoreResult<Result<Vec<i64>, Vec<usize>>> {
    let Registration { table, columns, rows, naming, naming_width, check } = registration;
    let mut tx = store.begin_write().await?;
    if let Some(check) = check {
        // Blocks other registrations (not readers) until commit: the check below then holds.
        sqlx::query(&lock_against_writers(table)).execute(&mut *tx).await?;
        let registered: Vec<(String, String)> =
            sqlx::query_as(check.read).fetch_all(&mut *tx).await?;
        let refused = (check.refuse)(registered);
        if !refused.is_empty() {
            return Ok(Err(refused));
        }
    }
    let ids: Vec<i64> =
        sqlx::query_scalar(&draw_ids(table)).bind(rows.len() as i64).fetch_all(&mut *tx).await?;
    let width = rows.first().map_or(0, |(cells, _)| cells.len()) + 1;
    let (mut new, mut named) = (Vec::new(), Vec::new());
    for (id, (cells, named_by)) in ids.iter().zip(rows) {
        new.push(Param::Int(*id));
        new.extend(cells);
        for cells in named_by {
            named.push(Param::Int(*id));
            named.extend(cells);
        }
    }
    let writes = [
        // 500 rows per statement (a few thousand parameters, far below the 65,535 allowed).
        Write::Rows {
            insert: format!("INSERT INTO {table} (id, {columns}) VALUES ").into(),
            width,
            rows: new,
            per_statement: 500,
        },
        Write::Rows {
            insert: naming.into(),
            width: naming_width,
            rows: named,
            per_statement: 1000,
        },
    ];
    write_all(&mut tx, &writes).await?;
    tx.commit().await?;
    Ok(Ok(ids))
}

/// Loads responses with COPY on a connection of its own, several times faster than
/// multi-row inserts for the hundred million answer rows of a large demo. The response ids
/// are drawn from the table's sequence first, so that the answers can name them. `finish`
/// runs last in the same transaction, with the first response's questionnaire as `$1`.
pub(crate) async fn copy_responses(
    url: &str,
    rows: &[BulkResponse],
    finish: &str,
) -> StoreResult<()> {
    use sqlx::Connection;
    let Some(first) = rows.first() else { return Ok(()) };
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let mut tx = conn.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(&draw_ids("response"))
        .bind(rows.len() as i64)
        .fetch_all(&mut *tx)
        .await?;
    let mut responses = String::new();
    let mut answers = String::new();
    let mut places = String::new();
    let optional = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "\\N".to_string());
    for (id, r) in ids.iter().zip(rows) {
        responses.push_str(&format!(
            "{id}\t{}\t{}\topen\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.questionnaire_id,
            copy_text(&r.token_hash),
            r.status,
            r.current_page,
            r.org_kind.as_deref().map(copy_text).unwrap_or_else(|| "\\N".into()),
            r.created_at,
            r.created_at,
            r.updated_at,
            optional(r.submitted_at),
        ));
        for (question, row, position, value) in &r.answers {
            answers.push_str(&format!(
                "{id}\t{question}\t{}\t{position}\t{}\n",
                copy_text(row),
                copy_text(value)
            ));
        }
        for ags in &r.municipalities {
            places.push_str(&format!("{id}\t{}\n", copy_text(ags)));
        }
    }
    for (statement, data) in [
        ("COPY response (id, questionnaire_id, token_hash, channel, status, current_page, org_kind, created_at, started_at, updated_at, submitted_at) FROM STDIN", responses),
        ("COPY answer (response_id, question_id, row_code, position, value) FROM STDIN", answers),
        ("COPY response_municipality (response_id, ags) FROM STDIN", places),
    ] {
        let mut copy = tx.copy_in_raw(statement).await?;
        copy.send(data.into_bytes()).await?;
        copy.finish().await?;
    }
    sqlx::query(finish).bind(first.questionnaire_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(conn.close().await?)
}

/// A value in COPY's text format: backslash, tab, newline and carriage return escaped.
fn copy_text(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::filter::Date;
    use domain::reference::WHOLE_COUNTY;

    #[test]
    fn postgres_searches_give_the_search_index_the_filter() {
        let mut filter = ResponseFilter::default();
        let sql = search_sql(2, 7, &filter, "kurs");
        assert_eq!(
            sql.condition,
            "t.questionnaire_id = $1 AND t.facets @> ARRAY[$2] AND t.folded LIKE $3 ESCAPE '\\'"
        );
        assert_eq!(sql.params[1..], [Param::Text("q7".into()), Param::Text("%kurs%".into())]);
        filter.kinds = vec!["kita".into(), "schule".into()];
        filter.municipalities = vec!["05154008".into()];
        filter.from = Date::new(2026, 9, 1);
        let sql = search_sql(2, 7, &filter, "kurs");
        assert_eq!(
            sql.condition,
            "t.questionnaire_id = $1 AND t.facets && ARRAY[$2, $3] AND t.places && ARRAY[$4, $5] AND t.submitted_at >= $6 AND t.folded LIKE $7 ESCAPE '\\'"
        );
        assert_eq!(
            sql.params[1..5],
            [
                Param::Text("q7:kita".into()),
                Param::Text("q7:schule".into()),
                Param::Text("05154008".into()),
                Param::Text(WHOLE_COUNTY.into())
            ]
        );
    }
}

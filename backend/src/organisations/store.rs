//! The organisation register's statements.

use crate::db::scan::Param;
use crate::db::sqlite::Tx;
use crate::db::{get, postgres, values_placeholders, Engine, Store};
use crate::error::StoreResult;
use crate::now_ms;
use domain::AppError;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub email: Option<String>,
    pub municipalities: Vec<String>,
}

/// An organisation to register.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: String,
    pub municipalities: Vec<String>,
    pub email: Option<String>,
}

impl Store {
    pub async fn organisations(&self) -> StoreResult<Vec<OrganisationRow>> {
        let rows = sqlx::query("SELECT id, name, kind, email FROM organisation ORDER BY name, id")
            .fetch_all(&self.read)
            .await?;
        let served: Vec<(i64, String)> =
            sqlx::query_as("SELECT organisation_id, ags FROM organisation_municipality ORDER BY organisation_id, ags")
                .fetch_all(&self.read)
                .await?;
        let mut by_org: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, ags) in served {
            by_org.entry(id).or_default().push(ags);
        }
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                Ok(OrganisationRow {
                    id,
                    name: get(r, "name")?,
                    kind: get(r, "kind")?,
                    email: get(r, "email")?,
                    municipalities: by_org.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// One page of the register in name order, with the number of organisations; with a
    /// search term only those whose name contains it, ignoring case.
    pub async fn organisation_page(
        &self,
        search: &str,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(i64, Vec<OrganisationRow>)> {
        let (total, ids) = if search.is_empty() {
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisation")
                .fetch_one(&self.read)
                .await?;
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM organisation ORDER BY name, id LIMIT $1 OFFSET $2",
            )
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.read)
            .await?;
            (total, ids)
        } else {
            // Decided in Rust, as the duplicate rule is: SQLite's LIKE folds ASCII only, so
            // "ärzte" would miss "Ärzte" there. The database only narrows the candidates, with
            // every other character left open (`_`).
            let needle = search.to_lowercase();
            let pattern: String = search
                .chars()
                .map(|c| match c {
                    '%' | '_' | '\\' => format!("\\{c}"),
                    c if c.is_ascii() => c.to_string(),
                    _ => "_".to_string(),
                })
                .collect();
            let like = self.engine.like_ignoring_case();
            let names: Vec<(i64, String)> =
                sqlx::query_as(&format!("SELECT id, name FROM organisation WHERE name {like} $1 ESCAPE '\\' ORDER BY name, id"))
                    .bind(format!("%{pattern}%"))
                    .fetch_all(&self.read)
                    .await?;
            let hits: Vec<i64> = names
                .into_iter()
                .filter(|(_, name)| name.to_lowercase().contains(&needle))
                .map(|(id, _)| id)
                .collect();
            let page = hits
                .iter()
                .skip(offset.max(0) as usize)
                .take(limit.max(0) as usize)
                .copied()
                .collect();
            (hits.len() as i64, page)
        };
        Ok((total, self.organisations_by_id(&ids).await?))
    }

    /// The organisations with these ids (at most a page), in the given order.
    async fn organisations_by_id(&self, ids: &[i64]) -> StoreResult<Vec<OrganisationRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let list = placeholders.join(",");
        let sql = format!("SELECT id, name, kind, email FROM organisation WHERE id IN ({list})");
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.read).await?;
        let served_sql = format!("SELECT organisation_id, ags FROM organisation_municipality WHERE organisation_id IN ({list}) ORDER BY ags");
        let mut served = sqlx::query_as::<_, (i64, String)>(&served_sql);
        for id in ids {
            served = served.bind(*id);
        }
        let mut by_org: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, ags) in served.fetch_all(&self.read).await? {
            by_org.entry(id).or_default().push(ags);
        }
        let mut found: HashMap<i64, OrganisationRow> = rows
            .iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                let row = OrganisationRow {
                    id,
                    name: get(r, "name")?,
                    kind: get(r, "kind")?,
                    email: get(r, "email")?,
                    municipalities: by_org.remove(&id).unwrap_or_default(),
                };
                Ok((id, row))
            })
            .collect::<StoreResult<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Registers all organisations or, on any error, none.
    pub async fn insert_organisations(
        &self,
        organisations: &[NewOrganisation],
    ) -> StoreResult<Vec<i64>> {
        let registered = self.register_organisations(organisations.to_vec(), false).await?;
        Ok(registered
            .map_err(|_| AppError::internal("organisations refused without a duplicate check"))?)
    }

    /// Registers all organisations in one transaction, or none. With `refuse_known`, those
    /// whose name (ignoring case) and kind are registered already are not inserted: their
    /// positions in `organisations` are returned instead. The register is read inside the
    /// transaction, so that a concurrent registration cannot slip in between check and insert.
    pub async fn register_organisations(
        &self,
        organisations: Vec<NewOrganisation>,
        refuse_known: bool,
    ) -> StoreResult<Result<Vec<i64>, Vec<usize>>> {
        if organisations.is_empty() {
            return Ok(Ok(Vec::new()));
        }
        if let Engine::Sqlite { writer, .. } = &self.engine {
            // Prepared statements on the writer's connection, as for the tallies' rebuild: an
            // import of 100,000 rows is one transaction of in-process inserts. Immediate: the
            // write lock is taken before the register is read, so the check holds.
            return writer
                .transaction(move |tx| register_sqlite(tx, &organisations, refuse_known))
                .await;
        }
        let mut tx = self.begin_write().await?;
        if refuse_known {
            // Blocks other registrations (not readers) until commit: the check below then holds.
            sqlx::query(&postgres::lock_against_writers("organisation")).execute(&mut *tx).await?;
            let existing: Vec<(String, String)> =
                sqlx::query_as(REGISTERED).fetch_all(&mut *tx).await?;
            let known =
                known_positions(&organisations, existing.into_iter().map(Ok::<_, AppError>))?;
            if !known.is_empty() {
                return Ok(Err(known));
            }
        }
        // Ids drawn first, so that the municipalities can name them without relying on the
        // order of RETURNING rows, which PostgreSQL does not promise.
        let ids: Vec<i64> = sqlx::query_scalar(&postgres::draw_ids("organisation"))
            .bind(organisations.len() as i64)
            .fetch_all(&mut *tx)
            .await?;
        let now = now_ms();
        let rows: Vec<(i64, &NewOrganisation)> = ids.iter().copied().zip(&organisations).collect();
        // 500 rows per statement: 2,500 parameters, far below PostgreSQL's 65,535.
        for chunk in rows.chunks(500) {
            let sql = format!(
                "INSERT INTO organisation (id, name, kind, email, created_at) VALUES {}",
                values_placeholders(chunk.len(), 5)
            );
            let mut query = sqlx::query(&sql);
            for (id, o) in chunk {
                query = query
                    .bind(*id)
                    .bind(o.name.as_str())
                    .bind(o.kind.as_str())
                    .bind(o.email.as_deref())
                    .bind(now);
            }
            query.execute(&mut *tx).await?;
        }
        let served: Vec<(i64, &str)> = rows
            .iter()
            .flat_map(|(id, o)| o.municipalities.iter().map(move |ags| (*id, ags.as_str())))
            .collect();
        for chunk in served.chunks(1000) {
            let sql = format!("{INSERT_SERVED}{}", values_placeholders(chunk.len(), 2));
            let mut query = sqlx::query(&sql);
            for (id, ags) in chunk {
                query = query.bind(*id).bind(*ags);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(Ok(ids))
    }
}

/// Positions of the organisations whose name (ignoring case) and kind are among `existing`:
/// one pass over the register against a set of the new keys.
fn known_positions<E>(
    organisations: &[NewOrganisation],
    existing: impl Iterator<Item = Result<(String, String), E>>,
) -> Result<Vec<usize>, E> {
    let mut new: HashMap<(String, String), Vec<usize>> =
        HashMap::with_capacity(organisations.len());
    for (i, o) in organisations.iter().enumerate() {
        new.entry((o.name.to_lowercase(), o.kind.clone())).or_default().push(i);
    }
    let mut known = Vec::new();
    for row in existing {
        let (name, kind) = row?;
        if let Some(positions) = new.remove(&(name.to_lowercase(), kind)) {
            known.extend(positions);
        }
    }
    known.sort_unstable();
    Ok(known)
}

/// The register as the duplicate check reads it: names and kinds.
const REGISTERED: &str = "SELECT name, kind FROM organisation";

/// The municipalities an organisation serves, after which the driver adds tuples of values.
const INSERT_SERVED: &str = "INSERT INTO organisation_municipality (organisation_id, ags) VALUES ";

/// A registration on the SQLite writer thread, in one immediate transaction.
fn register_sqlite(
    tx: Tx<'_>,
    organisations: &[NewOrganisation],
    refuse_known: bool,
) -> StoreResult<Result<Vec<i64>, Vec<usize>>> {
    if refuse_known {
        let rows = tx.query(REGISTERED, &[], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let known = known_positions(organisations, rows.into_iter().map(Ok::<_, AppError>))?;
        if !known.is_empty() {
            // Dropping the transaction rolls it back; nothing was written.
            return Ok(Err(known));
        }
    }
    let now = now_ms();
    let mut ids = Vec::with_capacity(organisations.len());
    for o in organisations {
        let id = tx.insert(
            "INSERT INTO organisation (name, kind, email, created_at) VALUES ($1, $2, $3, $4)",
            &[
                o.name.as_str().into(),
                o.kind.as_str().into(),
                o.email.as_deref().into(),
                Param::Int(now),
            ],
        )?;
        let served: Vec<[Param; 2]> =
            o.municipalities.iter().map(|ags| [Param::Int(id), ags.as_str().into()]).collect();
        tx.insert_rows(INSERT_SERVED, 2, &served)?;
        ids.push(id);
    }
    tx.commit()?;
    Ok(Ok(ids))
}

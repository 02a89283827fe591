//! The organisation register's statements.

use crate::db::scan::Param;
use crate::db::{get, RegisterCheck, Registration, Store};
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
        let now = now_ms();
        let rows = organisations
            .iter()
            .map(|o| {
                let cells = vec![
                    o.name.as_str().into(),
                    o.kind.as_str().into(),
                    o.email.as_deref().into(),
                    Param::Int(now),
                ];
                let served = o.municipalities.iter().map(|ags| vec![ags.as_str().into()]).collect();
                (cells, served)
            })
            .collect();
        let check = refuse_known.then(|| RegisterCheck {
            read: REGISTERED,
            refuse: Box::new(move |registered| known_positions(&organisations, registered)),
        });
        self.register(Registration {
            table: "organisation",
            columns: "name, kind, email, created_at",
            rows,
            naming: INSERT_SERVED,
            naming_width: 2,
            check,
        })
        .await
    }
}

/// Positions of the organisations whose name (ignoring case) and kind are among `registered`:
/// one pass over the register against a set of the new keys.
fn known_positions(
    organisations: &[NewOrganisation],
    registered: Vec<(String, String)>,
) -> Vec<usize> {
    let mut new: HashMap<(String, String), Vec<usize>> =
        HashMap::with_capacity(organisations.len());
    for (i, o) in organisations.iter().enumerate() {
        new.entry((o.name.to_lowercase(), o.kind.clone())).or_default().push(i);
    }
    let mut known = Vec::new();
    for (name, kind) in registered {
        if let Some(positions) = new.remove(&(name.to_lowercase(), kind)) {
            known.extend(positions);
        }
    }
    known.sort_unstable();
    known
}

/// The register as the duplicate check reads it: names and kinds.
const REGISTERED: &str = "SELECT name, kind FROM organisation";

/// The municipalities an organisation serves, after which the driver adds tuples of values.
const INSERT_SERVED: &str = "INSERT INTO organisation_municipality (organisation_id, ags) VALUES ";

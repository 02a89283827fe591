//! The dashboards' counts. Submitted responses are counted in the `tally` table, kept up to
//! date in the transactions that submit, re-open or delete a response, so that a dashboard
//! sums a few thousand rows of its theme instead of reading every answer. Drafts (only the
//! aggregates export asks for them) are counted from the answers.

use crate::dashboards::tally::{
    self, Contribution, ResponseTally, SlotCounts, SlotKey, TallyLayout, ALL_DAYS, ALL_PLACES,
    ANSWERED_ROW, RESPONDENTS_THEME,
};
use crate::db::scan::{bind_all, AnyQuery, Param};
use crate::db::scan::{ResponseMeta, ResponseSink};
use crate::db::search::{text_filter_sql, text_values, TextColumns, TextQuery, NEWEST_FIRST};
use crate::db::{get, Engine, Store, StoredQuestionnaire, Write};
use crate::error::StoreResult;
use domain::answers::OTHER_ROW;
use domain::dashboard::fold_for_search;
use domain::disclosure::{Atom, Month};
use domain::filter::ResponseFilter;
use domain::stats::{Tallies, TextCount};
use domain::{AppError, QuestionKind, Theme};
use sqlx::{Any, Transaction};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// Which free texts a dashboard lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextSearch {
    /// Only texts containing this, whatever the case.
    pub contains: String,
    pub limit: i64,
}

/// Question ids, which come from the database, as an SQL list.
fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
}

fn question_ids<'q>(
    stored: &StoredQuestionnaire,
    questions: impl IntoIterator<Item = &'q domain::Question>,
) -> Vec<i64> {
    questions.into_iter().filter_map(|q| stored.question_id(&q.code)).collect()
}

impl Store {
    /// Per text question (and multiple choice with "other") of a theme: the newest texts of the
    /// filtered submitted responses and how many match the search; `counted` are the filter's
    /// tallies, which know how many texts there are without a search.
    pub async fn theme_texts(
        &self,
        questionnaire: &StoredQuestionnaire,
        theme: &Theme,
        filter: &ResponseFilter,
        search: &TextSearch,
        counted: &Tallies,
    ) -> StoreResult<HashMap<String, (Vec<String>, TextCount)>> {
        let mut out = HashMap::new();
        for question in theme.questions.iter().filter(|q| {
            matches!(
                q.kind,
                QuestionKind::ShortText { .. }
                    | QuestionKind::LongText { .. }
                    | QuestionKind::MultipleChoice { other: Some(_), .. }
            )
        }) {
            let Some(id) = questionnaire.question_id(&question.code) else { continue };
            let other = matches!(question.kind, QuestionKind::MultipleChoice { .. });
            // Without a search every stored text matches: the counts already know how many.
            let stored = if other {
                counted.count(&question.code, OTHER_ROW, "")
            } else {
                counted.answered(&question.code)
            };
            let (listed, searched) = if stored == 0 {
                (Vec::new(), None)
            } else {
                self.texts_of(questionnaire.questionnaire.id, filter, id, search).await?
            };
            out.insert(
                question.code.clone(),
                (listed, searched.unwrap_or(TextCount::Exactly(stored))),
            );
        }
        Ok(out)
    }

    /// Slot id → key, for the given questions.
    async fn slot_keys(&self, ids: &[i64]) -> StoreResult<HashMap<i64, SlotKey>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = sqlx::query(&slots_sql(ids.iter().copied())).fetch_all(&self.read).await?;
        rows.iter().map(slot_row).collect()
    }

    /// Texts of one question (its "other" texts for a multiple choice) from submitted
    /// responses, newest first, and when searching how many match (up to the count limit).
    async fn texts_of(
        &self,
        questionnaire_id: i64,
        filter: &ResponseFilter,
        question_id: i64,
        search: &TextSearch,
    ) -> StoreResult<(Vec<String>, Option<TextCount>)> {
        let term = fold_for_search(&search.contains);
        if term.is_empty() {
            let sql = text_filter_sql(questionnaire_id, question_id, filter, TextColumns::Kept);
            let list_sql = format!(
                "SELECT t.value FROM response_text t WHERE {} {NEWEST_FIRST} LIMIT {}",
                sql.condition,
                search.limit.max(0)
            );
            return Ok((text_values(&self.read, &list_sql, &sql.params, true).await?, None));
        }
        let query = TextQuery {
            questionnaire_id,
            question_id,
            ids: tally::text_id_range(question_id),
            filter,
            term: &term,
            limit: search.limit,
        };
        let (texts, count) = self.search_texts(&query).await?;
        Ok((texts, Some(count)))
    }

    /// How often the questionnaire's tallies have changed (0: never): what the dashboards'
    /// kept audits are checked against.
    pub async fn tally_version(&self, questionnaire_id: i64) -> StoreResult<i64> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM tally_version WHERE questionnaire_id = $1")
                .bind(questionnaire_id)
                .fetch_optional(&self.read)
                .await?;
        Ok(version.unwrap_or(0))
    }

    /// The tallies of a theme per atom of the disclosure control: the submitted responses of
    /// one kind, one set of municipalities and one month (the kept rows per day and set).
    pub async fn theme_atoms(
        &self,
        stored: &StoredQuestionnaire,
        theme: &Theme,
    ) -> StoreResult<Vec<(Atom, Tallies)>> {
        let sql = format!(
            "SELECT theme_code, municipalities, day, org_kind, respondents, counts FROM tally
             WHERE questionnaire_id = $1 AND day <> {ALL_DAYS} AND municipalities LIKE ',%' AND theme_code IN ('{RESPONDENTS_THEME}', $2)"
        );
        let rows = sqlx::query(&sql)
            .bind(stored.questionnaire.id)
            .bind(&theme.code)
            .fetch_all(&self.read)
            .await?;
        let slots = self.slot_keys(&question_ids(stored, &theme.questions)).await?;
        let mut atoms: HashMap<Atom, (i64, HashMap<i64, i64>)> = HashMap::new();
        for row in rows {
            let key: String = get(&row, "municipalities")?;
            let atom = Atom {
                kind: get(&row, "org_kind")?,
                places: tally::places_of_key(&key).map(str::to_string).collect(),
                month: Month::of_day(get(&row, "day")?),
            };
            let sums = atoms.entry(atom).or_default();
            if get::<String>(&row, "theme_code")? == RESPONDENTS_THEME {
                sums.0 += get::<i64>(&row, "respondents")?;
                continue;
            }
            tally::decode(&get::<Vec<u8>>(&row, "counts")?, |slot, count| {
                *sums.1.entry(slot).or_insert(0) += count
            })?;
        }
        let mut out: Vec<(Atom, Tallies)> = atoms
            .into_iter()
            .map(|(atom, (respondents, counts))| {
                let mut tallies =
                    Tallies { respondents: respondents.max(0) as u64, ..Default::default() };
                for (slot, count) in counts {
                    if let Some(key) = slots.get(&slot) {
                        add_slot(&mut tallies, stored, key, count);
                    }
                }
                (atom, tallies)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

/// Adds a slot's count to the tallies under its question's code.
fn add_slot(
    tallies: &mut Tallies,
    stored: &StoredQuestionnaire,
    (question, row, value): &SlotKey,
    count: i64,
) {
    let Some(code) = stored.question_codes.get(question) else { return };
    let count = count.max(0) as u64;
    if row == ANSWERED_ROW {
        *tallies.answered.entry(code.clone()).or_insert(0) += count;
    } else {
        tallies.add(code, row, value, count);
    }
}

/// The slots of the given questions.
fn slots_sql(questions: impl IntoIterator<Item = i64>) -> String {
    format!(
        "SELECT id, question_id, row_code, value FROM tally_slot WHERE question_id IN ({})",
        id_list(questions)
    )
}

fn slot_row(row: &sqlx::any::AnyRow) -> StoreResult<(i64, SlotKey)> {
    Ok((get(row, "id")?, (get(row, "question_id")?, get(row, "row_code")?, get(row, "value")?)))
}

/// The ids of the slots, created where missing when `create`.
async fn slot_ids(
    tx: &mut Transaction<'static, Any>,
    keys: &BTreeSet<&SlotKey>,
    create: bool,
) -> StoreResult<HashMap<SlotKey, i64>> {
    let questions: BTreeSet<i64> = keys.iter().map(|k| k.0).collect();
    if questions.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = slots_sql(questions);
    let read = |rows: Vec<sqlx::any::AnyRow>| -> StoreResult<HashMap<SlotKey, i64>> {
        rows.iter().map(|row| slot_row(row).map(|(id, key)| (key, id))).collect()
    };
    let mut ids = read(sqlx::query(&sql).fetch_all(&mut **tx).await?)?;
    let missing: Vec<&&SlotKey> = keys.iter().filter(|k| !ids.contains_key(**k)).collect();
    if missing.is_empty() {
        return Ok(ids);
    }
    if !create {
        return Err(AppError::internal(format!(
            "{} tally slots missing for a response being taken out",
            missing.len()
        ))
        .into());
    }
    for (question, row, value) in missing {
        sqlx::query("INSERT INTO tally_slot (question_id, row_code, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(*question)
            .bind(row.as_str())
            .bind(value.as_str())
            .execute(&mut **tx)
            .await?;
    }
    ids = read(sqlx::query(&sql).fetch_all(&mut **tx).await?)?;
    Ok(ids)
}

/// Adds a response's contribution to the tallies and its texts to the searched ones (`delta`
/// 1), or takes them out (`delta` -1), inside the transaction that submits, re-opens or
/// deletes it.
pub(crate) async fn apply_contribution(
    tx: &mut Transaction<'static, Any>,
    engine: &Engine,
    questionnaire_id: i64,
    response_id: i64,
    contribution: &Contribution,
    delta: i64,
) -> StoreResult<()> {
    apply_texts(tx, questionnaire_id, response_id, contribution, delta > 0).await?;
    let keys: BTreeSet<&SlotKey> =
        contribution.themes.iter().flat_map(|(_, slots)| slots.iter()).collect();
    let ids = slot_ids(tx, &keys, delta > 0).await?;
    // PostgreSQL: the rows stay locked until commit, so that concurrent submissions add up.
    let lock = engine.row_lock();
    const KEY: &str = "questionnaire_id = $1 AND theme_code = $2 AND day = $3 AND org_kind = $4 AND municipalities = $5";
    // Themes in order, so that concurrent transactions lock rows in the same order.
    let mut themes: Vec<&(String, Vec<SlotKey>)> = contribution.themes.iter().collect();
    themes.sort_by(|a, b| a.0.cmp(&b.0));
    let delete = format!("DELETE FROM tally WHERE {KEY}");
    // Within a theme too, every transaction visits (and locks) the rows in the same order.
    let mut place_keys = contribution.municipality_keys();
    place_keys.sort();
    let mut rows: Vec<(i64, String)> = Vec::new();
    for day in [ALL_DAYS, contribution.day] {
        rows.extend(place_keys.iter().map(|p| (day, p.clone())));
    }
    let update = format!("UPDATE tally SET respondents = $6, counts = $7 WHERE {KEY}");
    for (theme, slots) in themes {
        let slot_ids: Vec<i64> = slots.iter().filter_map(|k| ids.get(k).copied()).collect();
        for (day, places) in &rows {
            let (day, places) = (*day, places.as_str());
            fn keyed<'q>(
                sql: &'q str,
                questionnaire_id: i64,
                theme: &'q str,
                day: i64,
                c: &'q Contribution,
                places: &'q str,
            ) -> AnyQuery<'q> {
                sqlx::query(sql)
                    .bind(questionnaire_id)
                    .bind(theme)
                    .bind(day)
                    .bind(c.org_kind.as_str())
                    .bind(places)
            }
            let keyed = |sql| keyed(sql, questionnaire_id, theme, day, contribution, places);
            if delta > 0 {
                sqlx::query(
                    "INSERT INTO tally (questionnaire_id, theme_code, day, org_kind, municipalities, respondents, counts)
                     VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT DO NOTHING",
                )
                .bind(questionnaire_id)
                .bind(theme.as_str())
                .bind(day)
                .bind(contribution.org_kind.as_str())
                .bind(places)
                .bind(Vec::<u8>::new())
                .execute(&mut **tx)
                .await?;
            }
            let select = format!("SELECT respondents, counts FROM tally WHERE {KEY}{lock}");
            let row = keyed(&select).fetch_optional(&mut **tx).await?.ok_or_else(|| {
                AppError::internal("the tally row of a response being taken out is missing")
            })?;
            let respondents = get::<i64>(&row, "respondents")? + delta;
            if respondents <= 0 {
                keyed(&delete).execute(&mut **tx).await?;
                continue;
            }
            let counts = tally::apply(&get::<Vec<u8>>(&row, "counts")?, &slot_ids, delta)?;
            keyed(&update).bind(respondents).bind(counts).execute(&mut **tx).await?;
        }
    }
    // Last, after the tally rows, so that concurrent transactions lock rows in one order.
    bump_tally_version(&mut **tx, questionnaire_id).await
}

const BUMP_TALLY_VERSION: &str =
    "INSERT INTO tally_version (questionnaire_id, version) VALUES ($1, 1)
     ON CONFLICT (questionnaire_id) DO UPDATE SET version = tally_version.version + 1";

async fn bump_tally_version<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    questionnaire_id: i64,
) -> StoreResult<()> {
    sqlx::query(BUMP_TALLY_VERSION).bind(questionnaire_id).execute(executor).await?;
    Ok(())
}

/// Adds a response's free texts to the searched texts (`add`) or takes them out.
async fn apply_texts(
    tx: &mut Transaction<'static, Any>,
    questionnaire_id: i64,
    response_id: i64,
    contribution: &Contribution,
    add: bool,
) -> StoreResult<()> {
    if !add {
        let ids: Vec<i64> = contribution
            .texts
            .iter()
            .map(|(question, _)| tally::text_id(*question, response_id))
            .collect::<Result<_, _>>()?;
        if !ids.is_empty() {
            sqlx::query(&format!("DELETE FROM response_text WHERE id IN ({})", id_list(ids)))
                .execute(&mut **tx)
                .await?;
        }
        return Ok(());
    }
    let insert = format!("{INSERT_TEXT}($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    for row in text_rows(contribution, response_id) {
        let cells = text_cells(questionnaire_id, row?);
        bind_all(sqlx::query(&insert), &cells).execute(&mut **tx).await?;
    }
    Ok(())
}

const INSERT_TEXT: &str =
    "INSERT INTO response_text (questionnaire_id, id, question_id, submitted_at, response_id, org_kind, municipalities, value, folded) VALUES ";

/// A free text to write: id, question, submission time, response, kind, municipalities, text.
type TextRow = (i64, i64, i64, i64, String, String, String);

/// A response's free texts as rows to write (the submission's and the rebuild's alike).
fn text_rows(
    c: &Contribution,
    response_id: i64,
) -> impl Iterator<Item = Result<TextRow, AppError>> + '_ {
    c.texts.iter().map(move |(question_id, value)| {
        let id = tally::text_id(*question_id, response_id)?;
        let (kind, places) = (c.org_kind.clone(), c.municipalities.clone());
        Ok((id, *question_id, c.submitted_at, response_id, kind, places, value.clone()))
    })
}

/// A text row's cells in the order of [`INSERT_TEXT`], with the text folded for the search.
fn text_cells(
    questionnaire_id: i64,
    (id, question, submitted_at, response, kind, places, value): TextRow,
) -> [Param; 9] {
    let folded = fold_for_search(&value);
    [
        Param::Int(questionnaire_id),
        Param::Int(id),
        Param::Int(question),
        Param::Int(submitted_at),
        Param::Int(response),
        Param::Text(kind),
        Param::Text(places),
        Param::Text(value),
        Param::Text(folded),
    ]
}

/// A tally cell's key: theme, kind, municipalities, day.
type CellKey = (String, String, String, i64);
/// A cell's responses and its counts by interned slot.
type CellCounts = (i64, HashMap<usize, i64>);

/// Gathers streamed responses into tally rows per (theme, kind, municipalities, day).
struct Gatherer {
    layout: Arc<TallyLayout>,
    current: Option<Gathering>,
    /// Interned slot keys: a cell's counts are kept by index.
    slot_index: HashMap<SlotKey, usize>,
    slot_keys: Vec<SlotKey>,
    cells: HashMap<CellKey, CellCounts>,
    texts: Vec<TextRow>,
    /// A text id out of range, reported when the scan ends.
    failed: Option<AppError>,
}

/// The response being gathered: its id, submission time and rows so far.
type Gathering = (i64, i64, ResponseTally);

impl Gatherer {
    fn new(layout: Arc<TallyLayout>) -> Self {
        Self {
            layout,
            current: None,
            slot_index: HashMap::new(),
            slot_keys: Vec::new(),
            cells: HashMap::new(),
            texts: Vec::new(),
            failed: None,
        }
    }

    fn finish_current(&mut self) {
        let Some((response_id, submitted_at, response)) = self.current.take() else { return };
        let c = response.finish(&self.layout, submitted_at);
        for row in text_rows(&c, response_id) {
            match row {
                Ok(row) => self.texts.push(row),
                Err(e) => self.failed = Some(e),
            }
        }
        for (theme, slots) in &c.themes {
            let indexes: Vec<usize> = slots
                .iter()
                .map(|key| {
                    let next = self.slot_keys.len();
                    let index = *self.slot_index.entry(key.clone()).or_insert(next);
                    if index == next {
                        self.slot_keys.push(key.clone());
                    }
                    index
                })
                .collect();
            for places in c.municipality_keys() {
                let cell = self
                    .cells
                    .entry((theme.clone(), c.org_kind.clone(), places, c.day))
                    .or_default();
                cell.0 += 1;
                for index in &indexes {
                    *cell.1.entry(*index).or_insert(0) += 1;
                }
            }
        }
    }
}

/// The sink that feeds a [`Gatherer`] from the export scan.
struct GatherSink(Arc<Mutex<Gatherer>>);

impl ResponseSink for GatherSink {
    fn response(&mut self, meta: ResponseMeta) -> Result<(), AppError> {
        let mut g = self.0.lock().map_err(AppError::internal)?;
        g.finish_current();
        let submitted_at = meta
            .submitted_at
            .ok_or_else(|| AppError::internal("a submitted response without submission time"))?;
        g.current = Some((meta.id, submitted_at, ResponseTally::default()));
        Ok(())
    }

    fn value(&mut self, question: i64, row_code: &str, value: &str) -> Result<(), AppError> {
        let mut g = self.0.lock().map_err(AppError::internal)?;
        let layout = g.layout.clone();
        if let Some((_, _, response)) = g.current.as_mut() {
            response.add_row(&layout, question, row_code, value);
        }
        Ok(())
    }

    fn chunk(&mut self, last: bool) -> Result<Option<Vec<u8>>, AppError> {
        if last {
            self.0.lock().map_err(AppError::internal)?.finish_current();
        }
        Ok(None)
    }
}

/// A tally row to write: theme, day, kind, municipalities, respondents, counts.
type TallyRow = (String, i64, String, String, i64, Vec<u8>);

const INSERT_TALLY: &str = "INSERT INTO tally (questionnaire_id, theme_code, day, org_kind, municipalities, respondents, counts) VALUES ";

/// A tally row's cells in the order of [`INSERT_TALLY`].
fn tally_cells(
    questionnaire_id: i64,
    (theme, day, kind, places, respondents, counts): TallyRow,
) -> [Param; 7] {
    [
        Param::Int(questionnaire_id),
        Param::Text(theme),
        Param::Int(day),
        Param::Text(kind),
        Param::Text(places),
        Param::Int(respondents),
        Param::Bytes(counts),
    ]
}

impl Store {
    /// Builds the tallies of every questionnaire that has none built yet: after the migration
    /// that introduced them, and after bulk inserts. Runs at start, before requests are served.
    pub async fn build_missing_tallies(&self) -> StoreResult<()> {
        let missing: Vec<i64> = sqlx::query_scalar("SELECT id FROM questionnaire WHERE id NOT IN (SELECT questionnaire_id FROM tally_built) ORDER BY id")
            .fetch_all(&self.read)
            .await?;
        for id in missing {
            let revision = self.questionnaire_revision(id).await?.unwrap_or(0);
            let stored = self.questionnaire(id, revision).await?;
            self.rebuild_tallies(&stored).await?;
        }
        Ok(())
    }

    /// Counts a questionnaire's submitted responses into its tallies from scratch, one day of
    /// submissions at a time (memory stays small), then sums the days per cell.
    pub async fn rebuild_tallies(&self, stored: &StoredQuestionnaire) -> StoreResult<()> {
        let id = stored.questionnaire.id;
        let started = std::time::Instant::now();
        for sql in [
            "DELETE FROM tally_built WHERE questionnaire_id = $1",
            "DELETE FROM tally WHERE questionnaire_id = $1",
            "DELETE FROM response_text WHERE questionnaire_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&self.write).await?;
        }
        let range = sqlx::query("SELECT MIN(submitted_at) AS first, MAX(submitted_at) AS last FROM response WHERE questionnaire_id = $1 AND status = 'submitted' AND review = 'accepted'")
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        let layout = Arc::new(TallyLayout::new(stored));
        let (first, last): (Option<i64>, Option<i64>) =
            (get(&range, "first")?, get(&range, "last")?);
        let mut responses = 0i64;
        if let (Some(first), Some(last)) = (first, last) {
            let (first, last) =
                (domain::filter::berlin_date(first), domain::filter::berlin_date(last));
            let mut day = first;
            while day <= last {
                let gatherer = Arc::new(Mutex::new(Gatherer::new(layout.clone())));
                let filter =
                    ResponseFilter { from: Some(day), to: Some(day), ..Default::default() };
                let (chunks, _unused) = tokio::sync::mpsc::channel(1);
                self.stream_counted_responses(
                    stored,
                    &filter,
                    GatherSink(gatherer.clone()),
                    chunks,
                )
                .await?;
                // The scan has dropped its sink: this is the last reference.
                let mut g = Arc::try_unwrap(gatherer)
                    .map_err(|_| AppError::internal("the tally scan kept its gatherer"))?
                    .into_inner()
                    .map_err(AppError::internal)?;
                if let Some(e) = g.failed.take() {
                    return Err(e.into());
                }
                let texts = std::mem::take(&mut g.texts).into_iter();
                self.insert_rebuilt(INSERT_TEXT, texts.map(|row| text_cells(id, row))).await?;
                let ids = self.ensure_slots(&g.slot_keys).await?;
                let mut rows: Vec<TallyRow> = Vec::with_capacity(g.cells.len());
                for ((theme, kind, places, cell_day), (respondents, counts)) in g.cells {
                    responses += if theme == RESPONDENTS_THEME && places == ALL_PLACES {
                        respondents
                    } else {
                        0
                    };
                    let counts: SlotCounts =
                        counts.into_iter().map(|(index, n)| (ids[index], n)).collect();
                    rows.push((theme, cell_day, kind, places, respondents, tally::encode(&counts)));
                }
                self.insert_rebuilt(INSERT_TALLY, rows.into_iter().map(|row| tally_cells(id, row)))
                    .await?;
                day = day.next_day();
            }
            // The rows over all days: each theme's days summed per cell.
            for theme in std::iter::once(RESPONDENTS_THEME)
                .chain(layout.theme_codes().iter().map(String::as_str))
            {
                let daily = sqlx::query("SELECT org_kind, municipalities, respondents, counts FROM tally WHERE questionnaire_id = $1 AND theme_code = $2 AND day >= 0")
                    .bind(id)
                    .bind(theme)
                    .fetch_all(&self.read)
                    .await?;
                let mut cells: HashMap<(String, String), (i64, SlotCounts)> = HashMap::new();
                for row in daily {
                    let cell = cells
                        .entry((get(&row, "org_kind")?, get(&row, "municipalities")?))
                        .or_default();
                    cell.0 += get::<i64>(&row, "respondents")?;
                    tally::decode(&get::<Vec<u8>>(&row, "counts")?, |slot, n| {
                        *cell.1.entry(slot).or_insert(0) += n
                    })?;
                }
                let rows = cells.into_iter().map(|((kind, places), (respondents, counts))| {
                    let row = (
                        theme.to_string(),
                        ALL_DAYS,
                        kind,
                        places,
                        respondents,
                        tally::encode(&counts),
                    );
                    tally_cells(id, row)
                });
                self.insert_rebuilt(INSERT_TALLY, rows).await?;
            }
        }
        sqlx::query(self.engine.after_rebuild()).execute(&self.write).await?;
        sqlx::query("INSERT INTO tally_built (questionnaire_id) VALUES ($1)")
            .bind(id)
            .execute(&self.write)
            .await?;
        bump_tally_version(&self.write, id).await?;
        tracing::info!(
            questionnaire = id,
            responses,
            seconds = started.elapsed().as_secs_f64(),
            "dashboard tallies built"
        );
        Ok(())
    }

    /// Refreshes the planner's statistics after a bulk load, where the engine needs it
    /// (PostgreSQL).
    pub async fn analyze(&self) -> StoreResult<()> {
        if let Some(sql) = self.engine.after_bulk_load() {
            sqlx::query(sql).execute(&self.write).await?;
        }
        Ok(())
    }

    /// Database ids of the slot keys, in their order, created where missing.
    async fn ensure_slots(&self, keys: &[SlotKey]) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let set: BTreeSet<&SlotKey> = keys.iter().collect();
        let ids = slot_ids(&mut tx, &set, true).await?;
        tx.commit().await?;
        let ids = keys.iter().map(|k| {
            ids.get(k).copied().ok_or_else(|| AppError::internal("a tally slot was not created"))
        });
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Writes rows of a rebuild in one transaction, after `insert` (`INSERT INTO … VALUES `).
    async fn insert_rebuilt<const WIDTH: usize>(
        &self,
        insert: &'static str,
        rows: impl Iterator<Item = [Param; WIDTH]>,
    ) -> StoreResult<()> {
        let cells: Vec<Param> = rows.flatten().collect();
        if cells.is_empty() {
            return Ok(());
        }
        // Through sqlx several hundred rows per statement: one round trip each, not one a row.
        let rows =
            Write::Rows { insert: insert.into(), width: WIDTH, rows: cells, per_statement: 500 };
        self.write_planned(vec![rows]).await
    }
}

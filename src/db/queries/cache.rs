//! Remembered results of the statements whose cost grows with the corpus: the exact total
//! of a list, its facet counts (a `COUNT` or a `GROUP BY` over up to every measure) and the
//! ranking of a full-text query (every match, best first).
//!
//! The database does not change while it is served: the server opens it read-only, and a
//! new load writes a new file that replaces the old one. So the answer of a count statement
//! is the same every time it is asked, and is kept in memory, keyed by the database as the
//! connection sees it (file path, size and modification time, dataset version and load time)
//! and by the statement with its bind values. At most [`MAX_WEIGHT`] bytes of results are
//! kept; when a new result does not fit, the least recently used ones make room. At most
//! [`MAX_COMPUTING`] results are computed at once, which bounds the memory that concurrent
//! first requests take.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::UNIX_EPOCH;

use diesel::sql_types::{Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};
use once_cell::sync::Lazy;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{QueryResult, Sql};

/// Most bytes of results kept (estimated by [`Weigh`]).
pub(crate) const MAX_WEIGHT: usize = 48 * 1024 * 1024;

/// An estimate of the memory a result row takes.
pub(crate) trait Weigh {
    /// Bytes, roughly.
    fn weight(&self) -> usize;
}

/// Most results computed at once: each can hold a large intermediate result (every match of
/// a common word, sorted), so more at once would only add memory, not speed, on a server
/// with this many cores.
const MAX_COMPUTING: usize = 2;

/// A remembered result.
struct Entry {
    rows: Arc<dyn Any + Send + Sync>,
    weight: usize,
    /// When it was last read or written, on [`Results::clock`].
    used: u64,
}

#[derive(Default)]
struct Results {
    entries: HashMap<String, Entry>,
    weight: usize,
    clock: u64,
}

static RESULTS: Lazy<Mutex<Results>> = Lazy::new(|| Mutex::new(Results::default()));

/// How many computations run, and the signal that one has finished.
struct Computing {
    count: Mutex<usize>,
    freed: Condvar,
}

static COMPUTING: Computing = Computing {
    count: Mutex::new(0),
    freed: Condvar::new(),
};

/// Statements being computed, each with the lock its computation holds.
static IN_FLIGHT: Lazy<Mutex<HashMap<String, Arc<Mutex<()>>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

#[derive(QueryableByName)]
struct Stamp {
    #[diesel(sql_type = Nullable<Text>)]
    file: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    stamp: Option<String>,
}

/// What identifies the data a connection reads, or `None` when it cannot be told (an
/// in-memory database, or one without a `dataset` table): then nothing is cached.
fn database_key(conn: &mut SqliteConnection) -> Option<String> {
    let sql = Sql::new(
        "SELECT (SELECT file FROM pragma_database_list WHERE name = 'main') AS file, \
         (SELECT group_concat(value, ' ') FROM (SELECT value FROM dataset \
         WHERE key IN ('version', 'loaded_at') ORDER BY key)) AS stamp",
    );
    let stamp: Stamp = sql.load(conn).ok()?.into_iter().next()?;
    let file = stamp.file.filter(|file| !file.is_empty())?;
    let stamp = stamp.stamp?;
    let metadata = std::fs::metadata(&file).ok()?;
    let modified = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |elapsed| elapsed.as_nanos());
    Some(format!(
        "{file}\u{0}{}\u{0}{modified}\u{0}{stamp}",
        metadata.len()
    ))
}

/// The rows remembered under `key`, if any, marking them as recently used.
fn remembered<T: Send + Sync + 'static>(key: &str) -> Option<Arc<Vec<T>>> {
    let mut results = RESULTS.lock().ok()?;
    results.clock += 1;
    let clock = results.clock;
    let entry = results.entries.get_mut(key)?;
    entry.used = clock;
    Arc::clone(&entry.rows).downcast::<Vec<T>>().ok()
}

/// Keeps `rows` under `key`, dropping the least recently used results to make room. Results
/// heavier than the whole budget are not kept.
fn remember<T: Send + Sync + 'static>(key: String, rows: Arc<Vec<T>>, weight: usize) {
    if weight > MAX_WEIGHT {
        return;
    }
    let Ok(mut results) = RESULTS.lock() else {
        return;
    };
    if results.entries.contains_key(&key) {
        return;
    }
    while results.weight + weight > MAX_WEIGHT {
        let Some(oldest) = results
            .entries
            .iter()
            .min_by_key(|(_, entry)| entry.used)
            .map(|(key, _)| key.clone())
        else {
            break;
        };
        if let Some(entry) = results.entries.remove(&oldest) {
            results.weight = results.weight.saturating_sub(entry.weight);
        }
    }
    results.clock += 1;
    let used = results.clock;
    results.weight += weight;
    results.entries.insert(key, Entry { rows, weight, used });
}

/// Drops every result remembered for the dataset of this version and load time (the
/// `dataset` table's `version` and `loaded_at`), once the server has stopped answering from
/// it; returns how many results and bytes were dropped. Results of other databases stay.
pub fn forget_dataset(version: &str, loaded_at: &str) -> (usize, usize) {
    let stamp = format!("{loaded_at} {version}");
    let Ok(mut results) = RESULTS.lock() else {
        return (0, 0);
    };
    // A key starts with the database: file, size, modification time, then this stamp.
    let stale: Vec<String> = results
        .entries
        .keys()
        .filter(|key| key.split('\u{0}').nth(3) == Some(stamp.as_str()))
        .cloned()
        .collect();
    let mut weight = 0;
    for key in &stale {
        if let Some(entry) = results.entries.remove(key) {
            weight += entry.weight;
        }
    }
    results.weight = results.weight.saturating_sub(weight);
    (stale.len(), weight)
}

/// Waits for one of the [`MAX_COMPUTING`] places for a computation; the place is given back
/// when the returned guard is dropped.
fn computing_place() -> Option<Place> {
    let mut running = COMPUTING.count.lock().ok()?;
    while *running >= MAX_COMPUTING {
        running = COMPUTING.freed.wait(running).ok()?;
    }
    *running += 1;
    Some(Place)
}

/// A place among the computations running at once (see [`computing_place`]).
struct Place;

impl Drop for Place {
    fn drop(&mut self) {
        if let Ok(mut running) = COMPUTING.count.lock() {
            *running = running.saturating_sub(1);
        }
        COMPUTING.freed.notify_one();
    }
}

/// A result row that can be kept in memory and in the database's `precomputed` table.
pub(crate) trait Kept:
    QueryableByName<Sqlite> + Weigh + Serialize + DeserializeOwned + Send + Sync + 'static
{
}

impl<T> Kept for T where
    T: QueryableByName<Sqlite> + Weigh + Serialize + DeserializeOwned + Send + Sync + 'static
{
}

thread_local! {
    /// While [`recording`] runs on this thread: the statements computed, with their rows as
    /// JSON.
    static RECORDED: RefCell<Option<Vec<(String, String)>>> = const { RefCell::new(None) };
}

/// Runs `work` on this thread and returns its result with every statement it computed
/// through this cache, as (statement, rows as JSON): what the loader keeps in the table
/// `precomputed`. Nothing remembered before is reused meanwhile, so every statement is
/// recorded.
pub(crate) fn recording<R>(work: impl FnOnce() -> R) -> (R, Vec<(String, String)>) {
    RECORDED.with(|recorded| *recorded.borrow_mut() = Some(Vec::new()));
    let result = work();
    let statements = RECORDED.with(|recorded| recorded.borrow_mut().take().unwrap_or_default());
    (result, statements)
}

fn is_recording() -> bool {
    RECORDED.with(|recorded| recorded.borrow().is_some())
}

#[derive(QueryableByName)]
struct PrecomputedRow {
    #[diesel(sql_type = Text)]
    rows: String,
}

/// The rows the loader computed for `statement` and kept in the database, if any.
fn precomputed<T: Kept>(conn: &mut SqliteConnection, statement: &str) -> Option<Vec<T>> {
    let mut sql = Sql::new("SELECT rows FROM precomputed WHERE statement = ");
    sql.text(statement.to_owned());
    let row: PrecomputedRow = sql.load(conn).ok()?.into_iter().next()?;
    serde_json::from_str(&row.rows).ok()
}

/// Runs `sql` and reads every row, or returns the rows it gave before on the same database.
pub(crate) fn load<T>(conn: &mut SqliteConnection, sql: &Sql) -> QueryResult<Vec<T>>
where
    T: Kept + Clone,
{
    Ok(load_shared::<T>(conn, sql)?.as_ref().clone())
}

/// [`load`] without copying the rows: the remembered rows themselves, shared. On the first
/// request the rows come from the database's `precomputed` table where the loader kept them
/// (the counts and facets of lists without filters), else from running the statement.
pub(crate) fn load_shared<T: Kept>(
    conn: &mut SqliteConnection,
    sql: &Sql,
) -> QueryResult<Arc<Vec<T>>> {
    let Some(database) = database_key(conn) else {
        return Ok(Arc::new(sql.load(conn)?));
    };
    let statement = format!(
        "{}\u{0}{}\u{0}{:?}",
        std::any::type_name::<T>(),
        sql.text,
        sql.binds
    );
    let key = format!("{database}\u{0}{statement}");
    let recording = is_recording();
    if !recording {
        if let Some(rows) = remembered::<T>(&key) {
            return Ok(rows);
        }
        if let Some(rows) = precomputed::<T>(conn, &statement) {
            let rows = Arc::new(rows);
            let weight = key.len() + rows.iter().map(Weigh::weight).sum::<usize>();
            remember(key, Arc::clone(&rows), weight);
            return Ok(rows);
        }
    }
    // One computation per statement at a time: requests that ask for the same result while
    // it runs wait for it instead of running it again alongside.
    let flight = IN_FLIGHT.lock().ok().map(|mut flights| {
        flights
            .entry(key.clone())
            .or_insert_with(|| Arc::new(Mutex::new(())))
            .clone()
    });
    let _turn = flight.as_ref().and_then(|flight| flight.lock().ok());
    if let Some(rows) = remembered::<T>(&key) {
        return Ok(rows);
    }
    let loaded = {
        let _place = computing_place();
        sql.load::<T>(conn)
    };
    if let Ok(mut flights) = IN_FLIGHT.lock() {
        flights.remove(&key);
    }
    let rows = Arc::new(loaded?);
    if recording {
        let json = serde_json::to_string(rows.as_ref())
            .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
        RECORDED.with(|recorded| {
            if let Some(statements) = recorded.borrow_mut().as_mut() {
                statements.push((statement, json));
            }
        });
        return Ok(rows);
    }
    let weight = key.len() + rows.iter().map(Weigh::weight).sum::<usize>();
    remember(key, Arc::clone(&rows), weight);
    Ok(rows)
}

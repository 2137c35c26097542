//! Remembered results of the statements whose cost grows with the corpus: the exact total
//! of a list and its facet counts (a `COUNT` or a `GROUP BY` over up to every measure).
//!
//! The database does not change while it is served: the server opens it read-only, and a
//! new load writes a new file that replaces the old one. So the answer of a count statement
//! is the same every time it is asked, and is kept in memory, keyed by the database as the
//! connection sees it (file path, size and modification time, dataset version and load time)
//! and by the statement with its bind values. At most [`MAX_WEIGHT`] bytes of results are
//! kept; when a new result does not fit, the cache starts over.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use diesel::sql_types::{Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};
use once_cell::sync::Lazy;

use super::{QueryResult, Sql};

/// Most bytes of results kept (estimated by [`Weigh`]).
pub(crate) const MAX_WEIGHT: usize = 16 * 1024 * 1024;

/// An estimate of the memory a result row takes.
pub(crate) trait Weigh {
    /// Bytes, roughly.
    fn weight(&self) -> usize;
}

#[derive(Default)]
struct Results {
    rows: HashMap<String, Arc<dyn Any + Send + Sync>>,
    weight: usize,
}

static RESULTS: Lazy<Mutex<Results>> = Lazy::new(|| Mutex::new(Results::default()));

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

/// The rows remembered under `key`, if any.
fn remembered<T: Clone + 'static>(key: &str) -> Option<Vec<T>> {
    let results = RESULTS.lock().ok()?;
    results
        .rows
        .get(key)
        .and_then(|rows| rows.downcast_ref::<Vec<T>>())
        .cloned()
}

/// Runs `sql` and reads every row, or returns the rows it gave before on the same database.
pub(crate) fn load<T>(conn: &mut SqliteConnection, sql: &Sql) -> QueryResult<Vec<T>>
where
    T: QueryableByName<Sqlite> + Clone + Weigh + Send + Sync + 'static,
{
    let Some(database) = database_key(conn) else {
        return sql.load(conn);
    };
    let key = format!(
        "{database}\u{0}{}\u{0}{}\u{0}{:?}",
        std::any::type_name::<T>(),
        sql.text,
        sql.binds
    );
    if let Some(rows) = remembered::<T>(&key) {
        return Ok(rows);
    }
    // One computation per statement at a time: requests that ask for the same count while
    // it runs wait for its result instead of running it again alongside.
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
    let loaded = sql.load(conn);
    if let Ok(mut flights) = IN_FLIGHT.lock() {
        flights.remove(&key);
    }
    let rows: Vec<T> = loaded?;
    let weight = key.len() + rows.iter().map(Weigh::weight).sum::<usize>();
    if weight <= MAX_WEIGHT {
        if let Ok(mut results) = RESULTS.lock() {
            if results.weight + weight > MAX_WEIGHT {
                results.rows.clear();
                results.weight = 0;
            }
            if !results.rows.contains_key(&key) {
                results.weight += weight;
                results.rows.insert(key, Arc::new(rows.clone()));
            }
        }
    }
    Ok(rows)
}

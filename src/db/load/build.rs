//! The database file of a load: its schema, the phases that fill it in one transaction, the
//! indexes built once over the loaded rows and the planner statistics.

use std::path::Path;
use std::time::{Instant, SystemTime};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;

use super::insert::ROWS_PER_STATEMENT;
use super::integrity::check_foreign_keys;
use super::version::rfc3339_utc;
use super::{timed, LOG_TARGET};
use crate::db::schema::precomputed;
use crate::db::{sqlite_uri, DbError, MIGRATIONS};

/// At most this many connections compute the precomputed counts side by side (the server's
/// cache runs at most two computations at once as well).
const PRECOMPUTE_CONNECTIONS: usize = 2;

/// Creates the schema in the empty file at `path` and lets `fill` write every record in
/// one transaction (it is given the load time); then builds the indexes, checks the foreign
/// keys and stores the precomputed counts. The connection is closed when this returns.
pub(super) fn build_database<R, E>(
    path: &Path,
    fill: impl FnOnce(&mut SqliteConnection, String) -> Result<R, E>,
) -> Result<R, E>
where
    E: From<DbError> + From<diesel::result::Error>,
{
    let uri = sqlite_uri(path, "rw")?;
    let mut conn = SqliteConnection::establish(&uri).map_err(|source| DbError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // The temporary file is thrown away on failure, so SQLite need not journal to disk or
    // sync; the file is synced once before the rename. Foreign keys are checked once, after
    // every row is in, so that rows can go in table by table and a dangling reference is
    // reported by name (see `check_foreign_keys`). A large page cache keeps the B-trees
    // being filled in memory instead of re-reading pages from the file.
    conn.batch_execute(
        "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; \
         PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
    )
    .map_err(DbError::from)?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|error| DbError::Migrate {
            path: path.to_path_buf(),
            message: error.to_string(),
        })?;
    let indexes = drop_indexes(&mut conn)?;
    let loaded_at = rfc3339_utc(SystemTime::now());
    let written = conn.immediate_transaction(|conn| {
        let written = fill(conn, loaded_at)?;
        timed("indexes", || create_indexes(conn, &indexes))?;
        timed("foreign keys", || check_foreign_keys(conn))?;
        Ok::<_, E>(written)
    })?;
    insert_precomputed(path, &mut conn)?;
    // 0x10002: gather planner statistics for every table, not only those this connection
    // has queried.
    timed("optimize", || {
        conn.batch_execute("PRAGMA journal_mode = DELETE; PRAGMA optimize = 0x10002;")
    })
    .map_err(DbError::from)?;
    Ok(written)
}

/// Counts the unfiltered lists and their facets over the loaded (committed) rows and stores
/// them in `precomputed`, so that the server answers them without scanning the tables. The
/// counts are computed on one read-only connection per core, side by side.
fn insert_precomputed(path: &Path, conn: &mut SqliteConnection) -> Result<(), DbError> {
    let started = Instant::now();
    let uri = sqlite_uri(path, "ro")?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut readers = (0..cores.clamp(1, PRECOMPUTE_CONNECTIONS))
        .map(|_| {
            SqliteConnection::establish(&uri).map_err(|source| DbError::Open {
                path: path.to_path_buf(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let precomputed = crate::db::queries::precompute(&mut readers).map_err(|error| {
        DbError::InvalidCorpus(format!("cannot count the lists without filters: {error}"))
    })?;
    drop(readers);
    conn.immediate_transaction(|conn| insert_precomputed_rows(conn, &precomputed))?;
    log::debug!(
        target: LOG_TARGET,
        "{} counts and facets precomputed in {:.3} s",
        precomputed.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes the precomputed statements with their rows into `precomputed`.
fn insert_precomputed_rows(
    conn: &mut SqliteConnection,
    precomputed: &[(String, String)],
) -> Result<(), DbError> {
    for chunk in precomputed.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<PrecomputedRow> = chunk
            .iter()
            .map(|(statement, rows)| PrecomputedRow { statement, rows })
            .collect();
        diesel::insert_into(precomputed::table)
            .values(&rows)
            .execute(conn)
            .map_err(|source| DbError::Insert {
                table: "precomputed",
                source,
            })?;
    }
    Ok(())
}

/// An index as the migrations declared it.
#[derive(QueryableByName)]
struct IndexDefinition {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Drops the indexes the migrations declared (not the ones SQLite keeps for primary keys
/// and UNIQUE constraints) and returns their definitions, so that they can be built once
/// over the loaded rows, which is much faster than keeping them up to date row by row.
fn drop_indexes(conn: &mut SqliteConnection) -> Result<Vec<IndexDefinition>, DbError> {
    let indexes: Vec<IndexDefinition> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         ORDER BY rowid",
    )
    .load(conn)?;
    for index in &indexes {
        conn.batch_execute(&format!(
            "DROP INDEX \"{}\"",
            index.name.replace('"', "\"\"")
        ))?;
    }
    Ok(indexes)
}

/// Builds the indexes [`drop_indexes`] dropped, from their original statements.
fn create_indexes(conn: &mut SqliteConnection, indexes: &[IndexDefinition]) -> Result<(), DbError> {
    for index in indexes {
        // A UNIQUE index fails here when two records share a key.
        conn.batch_execute(&index.sql).map_err(|error| {
            DbError::InvalidCorpus(format!("cannot build index {}: {error}", index.name))
        })?;
    }
    Ok(())
}

/// A row of `precomputed`: a statement of the server and the rows it returns, as JSON.
#[derive(Insertable)]
#[diesel(table_name = precomputed)]
struct PrecomputedRow<'a> {
    statement: &'a str,
    rows: &'a str,
}

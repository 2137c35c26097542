//! The read-only connection pool the server queries through.
//!
//! The database file is opened with SQLite's `mode=ro` and `immutable=1`, and every
//! connection also runs `PRAGMA query_only = ON`, so no statement sent through the pool can
//! change the data.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection};

use super::schema::dataset;
use super::{sqlite_uri, DbError};

/// A pool of read-only SQLite connections.
pub type Pool = diesel::r2d2::Pool<ConnectionManager<SqliteConnection>>;

/// A connection taken from a [`Pool`].
pub type PooledConnection = diesel::r2d2::PooledConnection<ConnectionManager<SqliteConnection>>;

/// How long a connection waits for a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page cache of each connection, in KiB. SQLite's default (2 MiB) is smaller than the
/// pages one list request reads on a large corpus (a page of 50 measures, their documents,
/// agency links and themes, scattered over the file), so repeated requests read them from
/// the file again; 8 MiB keeps them. With [`crate::api`]'s 8 connections that is at most
/// 64 MiB.
const PAGE_CACHE_KIB: u32 = 8 * 1024;

/// How long the server waits for a free connection before reporting an error.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);

/// Sets up each new pooled connection: read-only and patient with locks.
#[derive(Debug, Clone, Copy)]
struct ReadOnlySettings;

impl ReadOnlySettings {
    fn apply(conn: &mut SqliteConnection) -> QueryResult<()> {
        conn.batch_execute(&format!(
            "PRAGMA query_only = ON; PRAGMA busy_timeout = {}; PRAGMA cache_size = -{};",
            BUSY_TIMEOUT.as_millis(),
            PAGE_CACHE_KIB
        ))
    }
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ReadOnlySettings {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        Self::apply(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens the database at `path` read-only with up to `max_size` connections.
///
/// Fails with [`DbError::Missing`] when the file does not exist, with
/// [`DbError::NotZhengce`] when it is not a database written by `zhengce load`, and with
/// [`DbError::PoolSize`] when `max_size` is 0.
pub fn open_read_only_pool(path: &Path, max_size: u32) -> Result<Pool, DbError> {
    if max_size == 0 {
        return Err(DbError::PoolSize(max_size));
    }
    match path.metadata() {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => {
            return Err(DbError::NotZhengce {
                path: path.to_path_buf(),
                reason: "it is not a regular file".into(),
            })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(DbError::Missing {
                path: path.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(DbError::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            })
        }
    }

    // `immutable=1`: the file never changes while it is open — `zhengce load` writes a new
    // file and renames it over the old one, and a connection keeps reading the file it
    // opened — so SQLite can skip the file locks and the change check that every
    // statement would otherwise begin with.
    let uri = format!("{}&immutable=1", sqlite_uri(path, "ro")?);

    // Check the file once, directly, so that a bad file gives one clear error instead of
    // the pool retrying until its timeout.
    let mut probe = SqliteConnection::establish(&uri).map_err(|source| DbError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    ReadOnlySettings::apply(&mut probe).map_err(|error| not_zhengce(path, error))?;
    match dataset_version(&mut probe) {
        Ok(_) => {}
        Err(DbError::MissingVersion) => {
            return Err(DbError::NotZhengce {
                path: path.to_path_buf(),
                reason: "table `dataset` has no `version` key".into(),
            })
        }
        Err(DbError::Query(error)) => return Err(not_zhengce(path, error)),
        Err(other) => return Err(other),
    }
    drop(probe);

    // Every connection is opened now (r2d2 keeps `max_size` idle ones) and none is closed
    // for age or idleness: a connection reopened later would open whatever file is at the
    // path by then, and a pool must answer from one file only. A new file gets a new pool.
    let pool = diesel::r2d2::Pool::builder()
        .max_size(max_size)
        .idle_timeout(None)
        .max_lifetime(None)
        .connection_timeout(CONNECTION_TIMEOUT)
        .connection_customizer(Box::new(ReadOnlySettings))
        .build(ConnectionManager::<SqliteConnection>::new(uri))?;
    Ok(pool)
}

fn not_zhengce(path: &Path, error: diesel::result::Error) -> DbError {
    DbError::NotZhengce {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

/// The dataset version stored by the loader (16 hex digits that change whenever the data
/// changes).
pub fn dataset_version(conn: &mut SqliteConnection) -> Result<String, DbError> {
    dataset::table
        .find("version")
        .select(dataset::value)
        .first::<String>(conn)
        .optional()?
        .ok_or(DbError::MissingVersion)
}

#[derive(QueryableByName)]
struct AppliedMigration {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// Checks that the database behind `conn` has exactly the schema of this build: every
/// migration compiled into the binary applied, and none unknown to it. Fails with
/// [`DbError::NotZhengce`] naming the difference (a database written by an older or newer
/// `zhengce load`).
pub fn check_schema(conn: &mut SqliteConnection, path: &Path) -> Result<(), DbError> {
    use diesel::migration::MigrationSource;

    let expected: Vec<String> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&super::MIGRATIONS)
            .map_err(|error| DbError::NotZhengce {
                path: path.to_path_buf(),
                reason: format!("cannot list the migrations of this build: {error}"),
            })?
            .iter()
            .map(|migration| migration.name().version().to_string())
            .collect();
    let applied: Vec<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load::<AppliedMigration>(conn)
            .map_err(|error| not_zhengce(path, error))?
            .into_iter()
            .map(|row| row.version)
            .collect();
    let missing: Vec<&str> = expected
        .iter()
        .filter(|version| !applied.contains(version))
        .map(String::as_str)
        .collect();
    let unknown: Vec<&str> = applied
        .iter()
        .filter(|version| !expected.contains(version))
        .map(String::as_str)
        .collect();
    if missing.is_empty() && unknown.is_empty() {
        return Ok(());
    }
    let mut reason = String::from("its schema is not the one this build serves");
    if !missing.is_empty() {
        reason.push_str(&format!(
            "; migrations missing: {} (written by an older `zhengce load`?)",
            missing.join(", ")
        ));
    }
    if !unknown.is_empty() {
        reason.push_str(&format!(
            "; migrations unknown to this build: {} (written by a newer `zhengce load`?)",
            unknown.join(", ")
        ));
    }
    Err(DbError::NotZhengce {
        path: path.to_path_buf(),
        reason,
    })
}

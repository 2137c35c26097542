//! The database layer: diesel schema, migrations, the atomic loader and the read-only pool.
//! Nothing here knows about HTTP.
//!
//! - [`schema`]: the diesel tables, column for column as in `migrations/`.
//! - [`load`]: writes a parsed [`Corpus`](crate::corpus::Corpus) into a new SQLite file and
//!   renames it over the old one only when everything succeeded.
//! - [`pool`]: the read-only connection pool the server queries through.
//! - [`queries`]: the read queries behind the API.
//! - [`search`]: the full-text index the loader writes, the query language and ranking.
//! - [`export`]: one CSV or NDJSON file per table, into a folder or a zip archive.

pub mod export;
pub mod load;
pub mod pool;
pub mod queries;
pub mod schema;
pub mod search;

use std::io;
use std::path::{Path, PathBuf};

use diesel_migrations::{embed_migrations, EmbeddedMigrations};

pub use pool::{dataset_version, open_read_only_pool, Pool};

/// The schema migrations, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Everything that can go wrong when writing or reading the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database file does not exist.
    #[error("database file {} does not exist; build it with `zhengce load`", path.display())]
    Missing {
        /// The path that was looked for.
        path: PathBuf,
    },
    /// The file exists but is not a database written by `zhengce load`.
    #[error("{} is not a zhengce database: {reason}", path.display())]
    NotZhengce {
        /// The file at fault.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// SQLite could not open the file.
    #[error("cannot open database {}: {source}", path.display())]
    Open {
        /// The file at fault.
        path: PathBuf,
        /// The error SQLite gave.
        source: diesel::ConnectionError,
    },
    /// SQLite needs a UTF-8 path and this one is not.
    #[error("database path {} is not valid UTF-8", path.display())]
    NonUtf8Path {
        /// The path at fault.
        path: PathBuf,
    },
    /// The schema migrations failed.
    #[error("cannot create the schema in {}: {message}", path.display())]
    Migrate {
        /// The database file.
        path: PathBuf,
        /// What the migration runner reported.
        message: String,
    },
    /// Writing the rows of one table failed.
    #[error("cannot write table {table}: {source}")]
    Insert {
        /// The table being written.
        table: &'static str,
        /// The error SQLite gave.
        source: diesel::result::Error,
    },
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// No connection could be taken from the pool.
    #[error("cannot get a database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// A pool needs room for at least one connection.
    #[error("invalid connection pool size {0}: it must be at least 1")]
    PoolSize(u32),
    /// The `dataset` table has no `version` key.
    #[error("the database has no dataset version (table `dataset` lacks the key `version`)")]
    MissingVersion,
    /// The corpus contradicts itself in a way the database cannot store
    /// (an index out of range, a reference to a record that does not exist …).
    #[error("the corpus cannot be stored: {0}")]
    InvalidCorpus(String),
    /// The corpus could not be serialized for its version hash.
    #[error("cannot serialize the corpus: {0}")]
    Serialize(#[from] serde_json::Error),
    /// A file-system operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done: `create a temporary file in`, `replace` …
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The operating-system error.
        source: io::Error,
    },
}

/// Builds an SQLite URI (`file:…?mode=…`) for `path`, escaping the characters that have a
/// meaning in URIs. `mode` is `ro`, `rw` or `rwc`.
pub(crate) fn sqlite_uri(path: &Path, mode: &str) -> Result<String, DbError> {
    let text = path.to_str().ok_or_else(|| DbError::NonUtf8Path {
        path: path.to_path_buf(),
    })?;
    let mut uri = String::with_capacity(text.len() + 16);
    // An absolute path gets an empty authority (`file:///abs`), so that a path starting
    // with `//` is never read as a host name.
    uri.push_str(if text.starts_with('/') {
        "file://"
    } else {
        "file:"
    });
    for character in text.chars() {
        match character {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            other => uri.push(other),
        }
    }
    uri.push_str("?mode=");
    uri.push_str(mode);
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_special_characters() {
        let uri = sqlite_uri(Path::new("/tmp/a?b#c%d.db"), "ro").unwrap();
        assert_eq!(uri, "file:///tmp/a%3fb%23c%25d.db?mode=ro");
    }

    #[test]
    fn uri_keeps_relative_paths_relative() {
        let uri = sqlite_uri(Path::new("zhengce.db"), "rwc").unwrap();
        assert_eq!(uri, "file:zhengce.db?mode=rwc");
    }
}

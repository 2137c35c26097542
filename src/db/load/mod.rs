//! Writes a parsed corpus into a new SQLite database, atomically.
//!
//! [`write_corpus`] builds the whole database in a temporary file next to the target, in one
//! transaction, and renames it over the target only when every step succeeded. A failed load
//! leaves the previous database exactly as it was and removes the temporary file.
//!
//! The stages, each in its own module:
//! - `report`: what a load wrote, per document and in total ([`LoadReport`], [`LoadStats`]).
//! - `build`: the schema, the phases of the load in one transaction, the indexes built once
//!   over the loaded rows and the planner statistics.
//! - `insert`: one function per table, called in order by `insert_corpus`.
//! - `integrity`: the foreign keys, checked once after every row is in.
//! - `version`: the dataset version hashed from the corpus, and the load time.

mod build;
mod insert;
mod integrity;
mod report;
mod version;

use std::io;
use std::path::Path;
use std::time::Instant;

use super::DbError;
use crate::corpus::{self, Corpus, CorpusError};

pub use report::{DocumentSummary, LoadReport, LoadStats};
pub use version::corpus_version;

/// The target of every log line of the load, whichever stage writes it.
const LOG_TARGET: &str = module_path!();

/// Why `zhengce load` failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The data folder could not be parsed (`file:line: reason`).
    #[error("{0}")]
    Corpus(#[from] CorpusError),
    /// The database could not be written.
    #[error("{0}")]
    Db(#[from] DbError),
}

/// Parses the data folder `data` and writes the database `db`, replacing any previous one
/// only when everything succeeded.
pub fn load_data_dir(data: &Path, db: &Path) -> Result<LoadReport, LoadError> {
    let started = Instant::now();
    let corpus = timed("parsed", || corpus::load_corpus(data))?;
    let stats = write_corpus(&corpus, db)?;
    Ok(LoadReport {
        documents: corpus.documents.iter().map(DocumentSummary::of).collect(),
        stats,
        unresolved_agencies: report::unresolved_agency_lines(&corpus),
        elapsed: started.elapsed(),
        db_path: db.to_path_buf(),
    })
}

/// Writes `corpus` into a new database and renames it over `db_path`.
///
/// The database is built in a temporary file in the same directory, in one transaction;
/// any error leaves an existing `db_path` untouched and removes the temporary file.
pub fn write_corpus(corpus: &Corpus, db_path: &Path) -> Result<LoadStats, DbError> {
    let file_name = db_path.file_name().ok_or_else(|| DbError::Io {
        action: "write a database at",
        path: db_path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
    })?;
    let directory = match db_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };

    let prefix = format!(".{}.tmp", file_name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Readable by the server whoever runs it; the process umask still applies.
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let temp = builder
        .tempfile_in(directory)
        .map_err(|source| DbError::Io {
            action: "create a temporary database file in",
            path: directory.to_path_buf(),
            source,
        })?;

    // On any error below, dropping `temp` removes the temporary file. The dataset version
    // is hashed on a second thread while this one writes the rows.
    let stats = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| corpus_version(corpus));
        build::build_database(temp.path(), corpus, move || {
            hashing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })?;
    temp.as_file().sync_all().map_err(|source| DbError::Io {
        action: "flush",
        path: temp.path().to_path_buf(),
        source,
    })?;
    temp.persist(db_path).map_err(|error| DbError::Io {
        action: "replace",
        path: db_path.to_path_buf(),
        source: error.error,
    })?;
    sync_directory(directory);
    Ok(stats)
}

/// Makes the rename durable. Best effort: the new database is already in place, and a
/// failure here only means a crash in the next moments could bring the old one back.
fn sync_directory(directory: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(directory) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = directory;
}

/// Runs one phase of the load and, when it succeeds, logs how long it took as
/// `{phase} in {seconds} s`.
fn timed<T, E>(phase: &str, run: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let started = Instant::now();
    let value = run()?;
    log::debug!(target: LOG_TARGET, "{phase} in {:.3} s", started.elapsed().as_secs_f64());
    Ok(value)
}

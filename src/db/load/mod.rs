//! Writes a parsed corpus into a new SQLite database, atomically.
//!
//! [`load_data_dir`] parses a data folder and writes each slice of documents as soon as it
//! is parsed; [`write_corpus`] writes a corpus already in memory. Both build the whole
//! database in a temporary file next to the target, in one transaction, and rename it over
//! the target only when every step succeeded. A failed load leaves the previous database
//! exactly as it was and removes the temporary file.
//!
//! The stages, each in its own module:
//! - `report`: what a load wrote, per document and in total ([`LoadReport`], [`LoadStats`]).
//! - `build`: the schema, the phases of the load in one transaction, the indexes built once
//!   over the loaded rows and the planner statistics.
//! - `insert`: the writer of a corpus's records, slice by slice, with one function per table.
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
use crate::corpus::{self, Corpus, CorpusError, ParsedDocument};
use insert::CorpusWriter;

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

impl From<diesel::result::Error> for LoadError {
    fn from(error: diesel::result::Error) -> Self {
        LoadError::Db(error.into())
    }
}

/// Source text (in bytes, the file's and its extracted text's) of the documents the loader
/// holds before it writes them: the larger, the fewer statements; the smaller, the less
/// memory. The parse workers hold a few documents more (see [`corpus::CorpusFiles`]).
pub const LOAD_SLICE_BYTES: usize = 16 << 20;

/// Parses the data folder `data` and writes the database `db`, replacing any previous one
/// only when everything succeeded.
///
/// Documents are written as they are parsed, in slices of about [`LOAD_SLICE_BYTES`], and
/// only what the corpus-wide steps read is kept of them ([`ParsedDocument::without_body`]),
/// so that the memory a load takes does not grow with the corpus's text.
pub fn load_data_dir(data: &Path, db: &Path) -> Result<LoadReport, LoadError> {
    load_data_dir_in_slices(data, db, LOAD_SLICE_BYTES)
}

/// [`load_data_dir`] with slices of about `slice_bytes` of source text (at least one
/// document each). The database is the same whatever the slices.
pub fn load_data_dir_in_slices(
    data: &Path,
    db: &Path,
    slice_bytes: usize,
) -> Result<LoadReport, LoadError> {
    let started = Instant::now();
    let files = corpus::CorpusFiles::open(data, &[])?;
    let (stats, documents, unresolved_agencies) = write_database(db, |conn, loaded_at| {
        let mut writer = CorpusWriter::begin(conn, files.themes())?;
        let mut slice: Vec<ParsedDocument> = Vec::new();
        let mut slice_size = 0;
        let mut kept: Vec<ParsedDocument> = Vec::with_capacity(files.len());
        let mut write_slice = |conn: &mut diesel::SqliteConnection,
                               slice: &mut Vec<ParsedDocument>|
         -> Result<(), DbError> {
            writer.write_documents(conn, slice)?;
            kept.extend(slice.drain(..).map(ParsedDocument::without_body));
            Ok(())
        };
        let provisional = timed("parsed and written", || {
            files.parse_each(|document| {
                slice_size += document.raw.len() + document.source.len();
                slice.push(document);
                if slice_size >= slice_bytes {
                    write_slice(conn, &mut slice)?;
                    slice_size = 0;
                }
                Ok::<_, LoadError>(())
            })
        })?;
        write_slice(conn, &mut slice)?;
        let corpus = files.assemble(kept, provisional);
        let unresolved = report::unresolved_agency_lines(&corpus);
        let (stats, summaries) = writer.finish(conn, &corpus, loaded_at)?;
        Ok::<_, LoadError>((stats, summaries, unresolved))
    })?;
    Ok(LoadReport {
        documents,
        stats,
        unresolved_agencies,
        elapsed: started.elapsed(),
        db_path: db.to_path_buf(),
    })
}

/// Writes `corpus` into a new database and renames it over `db_path`.
///
/// The database is built in a temporary file in the same directory, in one transaction;
/// any error leaves an existing `db_path` untouched and removes the temporary file.
pub fn write_corpus(corpus: &Corpus, db_path: &Path) -> Result<LoadStats, DbError> {
    let (stats, _) = write_database(db_path, |conn, loaded_at| {
        let mut writer = CorpusWriter::begin(conn, &corpus.themes)?;
        writer.write_documents(conn, &corpus.documents)?;
        writer.finish(conn, corpus, loaded_at)
    })?;
    Ok(stats)
}

/// Builds a database with `fill` (see `build::build_database`) in a temporary file next to
/// `db_path` and renames it over `db_path` when everything succeeded; any error leaves an
/// existing `db_path` untouched and removes the temporary file.
fn write_database<R, E>(
    db_path: &Path,
    fill: impl FnOnce(&mut diesel::SqliteConnection, String) -> Result<R, E>,
) -> Result<R, E>
where
    E: From<DbError> + From<diesel::result::Error>,
{
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

    // On any error below, dropping `temp` removes the temporary file.
    let written = build::build_database(temp.path(), fill)?;
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
    Ok(written)
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

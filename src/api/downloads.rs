//! The bulk files, for analysis of everything at once (served at `/v1/downloads` by
//! [`super::controllers::downloads`]):
//!
//! - `zhengce.db`: the SQLite database the server answers from, byte for byte (Datasette,
//!   the `sqlite3` shell or any SQLite library opens it directly).
//! - `zhengce.db.gz`: the same database compressed with gzip (a fraction of its size; any
//!   unzip tool or `gunzip` restores it byte for byte), compressed once on first use, in a
//!   temporary file.
//! - `zhengce-csv.zip`: one CSV file per table (what `zhengce export --format csv` writes),
//!   built once from the read-only database on first use, in a temporary file.
//!
//! The database file is opened together with the database the server answers from (at
//! startup and at each reload), so the download is that file even when `zhengce load`
//! replaces it meanwhile. Each file's size and SHA-256 are computed once per database.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::{Arc, Mutex};

use actix_web::web::{self, Bytes};
use futures_util::{stream, Stream};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use crate::db::export::{write_zip, ExportFormat};
use crate::db::Pool;

/// Name of the database download.
pub const DATABASE: &str = "zhengce.db";
/// Name of the compressed database download.
pub const DATABASE_GZ: &str = "zhengce.db.gz";
/// Name of the CSV archive download.
pub const CSV_ZIP: &str = "zhengce-csv.zip";

/// Bytes read from disk per chunk of a download.
const CHUNK: usize = 256 * 1024;

/// A bulk file ready to serve: an open file with its size and SHA-256.
#[derive(Debug)]
pub struct BulkFile {
    file: File,
    size: u64,
    sha256: String,
}

impl BulkFile {
    /// Hashes `file` from its start.
    fn hashed(file: File) -> io::Result<BulkFile> {
        let mut hasher = Sha256::new();
        let size = read_chunks(&file, |chunk| {
            hasher.update(chunk);
            Ok(())
        })?;
        Ok(BulkFile {
            file,
            size,
            sha256: hex::encode(hasher.finalize()),
        })
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// SHA-256 of the file, hexadecimal.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The bytes of the file from its start, a chunk at a time, each read on a blocking
    /// thread; fails when the file turns out shorter than when it was hashed.
    pub fn chunks(self: Arc<Self>) -> impl Stream<Item = io::Result<Bytes>> {
        stream::try_unfold(0u64, move |offset| {
            let file = self.clone();
            async move {
                if offset >= file.size {
                    return Ok(None);
                }
                let chunk = web::block(move || -> io::Result<Vec<u8>> {
                    let length = usize::try_from(file.size - offset)
                        .unwrap_or(CHUNK)
                        .min(CHUNK);
                    let mut buffer = vec![0u8; length];
                    let mut filled = 0;
                    while filled < length {
                        let read =
                            read_at(&file.file, &mut buffer[filled..], offset + filled as u64)?;
                        if read == 0 {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "the file is shorter than when it was hashed",
                            ));
                        }
                        filled += read;
                    }
                    Ok(buffer)
                })
                .await
                .map_err(io::Error::other)??;
                let next = offset + chunk.len() as u64;
                Ok::<_, io::Error>(Some((Bytes::from(chunk), next)))
            }
        })
    }
}

/// Calls `each` with the bytes of `file` from its start, a chunk at a time; returns how many
/// bytes there were.
fn read_chunks(file: &File, mut each: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<u64> {
    let mut buffer = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let read = read_at(file, &mut buffer, size)?;
        if read == 0 {
            return Ok(size);
        }
        each(&buffer[..read])?;
        size += read as u64;
    }
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buffer, offset)
}

/// The bulk files of a server, prepared on first use.
#[derive(Debug)]
pub struct Downloads {
    /// The database file as opened at startup, until it is hashed.
    opened: Mutex<Option<File>>,
    database: Mutex<Option<Arc<BulkFile>>>,
    database_gz: Mutex<Option<Arc<BulkFile>>>,
    csv_zip: Mutex<Option<Arc<BulkFile>>>,
}

/// Logs why `what` cannot be prepared and answers 503.
pub fn unavailable(what: &str, error: impl std::fmt::Display) -> ApiError {
    log::error!("cannot prepare {what}: {error}");
    ApiError::Unavailable(format!("{what} is not available; try again later"))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl Downloads {
    /// Opens the database file at `database` (when known) to serve it later.
    pub fn new(database: Option<&Path>) -> Downloads {
        let opened = database.and_then(|path| match File::open(path) {
            Ok(file) => Some(file),
            Err(error) => {
                log::warn!("cannot open {} for download: {error}", path.display());
                None
            }
        });
        Downloads {
            opened: Mutex::new(opened),
            database: Mutex::new(None),
            database_gz: Mutex::new(None),
            csv_zip: Mutex::new(None),
        }
    }

    /// The database file (blocking: hashes it on first use).
    pub fn database(&self) -> Result<Arc<BulkFile>, ApiError> {
        let mut database = lock(&self.database);
        if let Some(file) = database.as_ref() {
            return Ok(file.clone());
        }
        let Some(file) = lock(&self.opened).take() else {
            return Err(ApiError::Unavailable(
                "the database file is not available for download".into(),
            ));
        };
        let file = Arc::new(BulkFile::hashed(file).map_err(|e| unavailable(DATABASE, e))?);
        *database = Some(file.clone());
        Ok(file)
    }

    /// The database file compressed with gzip (blocking: compresses it on first use).
    pub fn database_gz(&self) -> Result<Arc<BulkFile>, ApiError> {
        let mut compressed = lock(&self.database_gz);
        if let Some(file) = compressed.as_ref() {
            return Ok(file.clone());
        }
        let database = self.database()?;
        let file = tempfile::tempfile().map_err(|e| unavailable(DATABASE_GZ, e))?;
        let mut encoder = flate2::write::GzEncoder::new(
            BufWriter::with_capacity(CHUNK, file),
            // The fastest level: about 60 MB/s on one core, and a quarter of the size of a
            // database of Chinese text (the default level saves another fifth in 2.5 times
            // the time).
            flate2::Compression::fast(),
        );
        let size = read_chunks(&database.file, |chunk| {
            io::Write::write_all(&mut encoder, chunk)
        })
        .map_err(|e| unavailable(DATABASE_GZ, e))?;
        if size != database.size {
            return Err(unavailable(
                DATABASE_GZ,
                "the database file changed size since it was hashed",
            ));
        }
        let file = encoder
            .finish()
            .map_err(|e| unavailable(DATABASE_GZ, e))?
            .into_inner()
            .map_err(|e| unavailable(DATABASE_GZ, e.error().to_string()))?;
        file.sync_data().map_err(|e| unavailable(DATABASE_GZ, e))?;
        let file = Arc::new(BulkFile::hashed(file).map_err(|e| unavailable(DATABASE_GZ, e))?);
        *compressed = Some(file.clone());
        Ok(file)
    }

    /// The CSV archive (blocking: builds it from the database on first use).
    pub fn csv_zip(&self, pool: &Pool) -> Result<Arc<BulkFile>, ApiError> {
        let mut archive = lock(&self.csv_zip);
        if let Some(file) = archive.as_ref() {
            return Ok(file.clone());
        }
        let mut conn = pool.get().map_err(|e| unavailable(CSV_ZIP, e))?;
        let file = tempfile::tempfile().map_err(|e| unavailable(CSV_ZIP, e))?;
        let writer = write_zip(&mut conn, ExportFormat::Csv, BufWriter::new(file))
            .map_err(|e| unavailable(CSV_ZIP, e))?;
        let file = writer
            .into_inner()
            .map_err(|e| unavailable(CSV_ZIP, e.error().to_string()))?;
        file.sync_data().map_err(|e| unavailable(CSV_ZIP, e))?;
        let file = Arc::new(BulkFile::hashed(file).map_err(|e| unavailable(CSV_ZIP, e))?);
        *archive = Some(file.clone());
        Ok(file)
    }
}

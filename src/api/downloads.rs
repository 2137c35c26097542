//! `/v1/downloads`: the bulk files, for analysis of everything at once.
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

use actix_web::body::SizedStream;
use actix_web::http::header;
use actix_web::http::Method;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::stream;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::controllers::no_params;
use super::error::{ApiError, Problem};
use super::state::AppState;
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

fn unavailable(what: &str, error: impl std::fmt::Display) -> ApiError {
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

/// A bulk file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DownloadView {
    /// File name, also the last segment of its URL.
    #[schema(example = "zhengce.db")]
    pub name: String,
    /// Where to get it.
    #[schema(example = "/v1/downloads/zhengce.db")]
    pub url: String,
    /// Size in bytes.
    #[schema(example = 4194304)]
    pub size: u64,
    /// SHA-256 of the file, hexadecimal, to check a copy against.
    pub sha256: String,
    /// `sqlite`, `sqlite-gzip` or `csv-zip`.
    #[schema(example = "sqlite")]
    pub format: String,
    /// Media type it is served as.
    #[schema(example = "application/vnd.sqlite3")]
    pub media_type: String,
    /// What it holds and what to open it with.
    pub description: String,
}

/// The dataset the bulk files hold.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DownloadsMeta {
    /// Version of the data (as in `/v1`).
    #[schema(example = "3f2a9c01d4e5b6a7")]
    pub dataset_version: Option<String>,
    /// When the data was loaded, RFC 3339 UTC.
    #[schema(example = "2026-11-25T08:30:00Z")]
    pub loaded_at: Option<String>,
}

/// The bulk files.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DownloadsView {
    /// Every bulk file.
    pub data: Vec<DownloadView>,
    /// The dataset they hold.
    pub meta: DownloadsMeta,
}

/// The bytes of a file.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

const DATABASE_TYPE: &str = "application/vnd.sqlite3";
const GZIP_TYPE: &str = "application/gzip";
const ZIP_TYPE: &str = "application/zip";

fn describe(name: &str, file: &BulkFile) -> DownloadView {
    let (format, media_type, description) = match name {
        DATABASE => (
            "sqlite",
            DATABASE_TYPE,
            "The SQLite database the API answers from, with every table (documents with \
             their source text and the files as received, provisions, measures, agencies and \
             their aliases, measure-agency links with roles, goals, cited documents and \
             cross-references, themes and tags, warnings) and the full-text index. Open it \
             with Datasette, the sqlite3 shell or any SQLite library.",
        ),
        DATABASE_GZ => (
            "sqlite-gzip",
            GZIP_TYPE,
            "The same SQLite database compressed with gzip: a fraction of the size to \
             download. `gunzip`, 7-Zip or any unzip tool restores zhengce.db byte for byte \
             (its SHA-256 is listed beside it).",
        ),
        _ => (
            "csv-zip",
            ZIP_TYPE,
            "A zip archive of one CSV file per table of the database (UTF-8 with a \
             byte-order mark, header row), for spreadsheets and data tools; README.txt \
             explains the columns. `zhengce export --format csv` writes the same files.",
        ),
    };
    DownloadView {
        name: name.to_owned(),
        url: format!("/v1/downloads/{name}"),
        size: file.size,
        sha256: file.sha256.clone(),
        format: format.to_owned(),
        media_type: media_type.to_owned(),
        description: description.to_owned(),
    }
}

async fn prepare(state: &web::Data<AppState>, name: &str) -> Result<Arc<BulkFile>, ApiError> {
    let state = state.clone();
    let name = name.to_owned();
    web::block(move || match name.as_str() {
        DATABASE => state.delivery.downloads.database(),
        DATABASE_GZ => state.delivery.downloads.database_gz(),
        _ => state.delivery.downloads.csv_zip(&state.pool),
    })
    .await
    .map_err(|error| unavailable("a bulk file", error))?
}

/// List the bulk files.
///
/// Bulk files are for analysing everything at once: the SQLite database itself, the same
/// database compressed with gzip, and a zip of one CSV file per table, each with its size
/// and SHA-256. Use the API for queries and the
/// Atom feeds (`/v1/measures.atom`) for following new measures.
#[utoipa::path(
    get,
    path = "/v1/downloads",
    operation_id = "list_downloads",
    tag = "downloads",
    responses(
        (status = 200, description = "The bulk files", body = DownloadsView),
        (status = 400, description = "A query parameter was given; this endpoint takes none", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The files cannot be prepared", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    let database = prepare(&state, DATABASE).await?;
    let database_gz = prepare(&state, DATABASE_GZ).await?;
    let csv_zip = prepare(&state, CSV_ZIP).await?;
    let dataset = state.delivery.dataset.as_ref();
    Ok(HttpResponse::Ok().json(DownloadsView {
        data: vec![
            describe(DATABASE, &database),
            describe(DATABASE_GZ, &database_gz),
            describe(CSV_ZIP, &csv_zip),
        ],
        meta: DownloadsMeta {
            dataset_version: dataset.map(|d| d.version.clone()),
            loaded_at: dataset.map(|d| d.loaded_at.clone()),
        },
    }))
}

/// Download a bulk file.
///
/// `zhengce.db` is served as `application/vnd.sqlite3`, `zhengce.db.gz` as
/// `application/gzip`, `zhengce-csv.zip` as `application/zip`, all as attachments named
/// after the dataset version.
#[utoipa::path(
    get,
    path = "/v1/downloads/{name}",
    operation_id = "get_download",
    tag = "downloads",
    params(("name" = String, Path, description = "File name from `/v1/downloads`", example = "zhengce.db")),
    responses(
        (status = 200, description = "The file", content(
            (FileBytes = "application/vnd.sqlite3"),
            (FileBytes = "application/gzip"),
            (FileBytes = "application/zip")
        )),
        (status = 404, description = "No bulk file of this name", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The file cannot be prepared", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn file(
    request: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    let name = name.into_inner();
    let (media_type, suffix) = match name.as_str() {
        DATABASE => (DATABASE_TYPE, ".db"),
        DATABASE_GZ => (GZIP_TYPE, ".db.gz"),
        CSV_ZIP => (ZIP_TYPE, "-csv.zip"),
        _ => {
            return Err(ApiError::NotFound(format!(
                "there is no bulk file {name:?}; the files are {DATABASE}, {DATABASE_GZ} and {CSV_ZIP}, listed at /v1/downloads"
            )))
        }
    };
    let file = prepare(&state, &name).await?;
    let version = state
        .delivery
        .dataset
        .as_ref()
        .map_or("data".to_owned(), |d| d.version.clone());
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, media_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"zhengce-{version}{suffix}\""),
        ));
    let size = file.size;
    if request.method() == Method::HEAD {
        let empty = stream::empty::<Result<Bytes, io::Error>>();
        return Ok(response.body(SizedStream::new(size, empty)));
    }
    let chunks = stream::try_unfold(0u64, move |offset| {
        let file = file.clone();
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
                    let read = read_at(&file.file, &mut buffer[filled..], offset + filled as u64)?;
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
    });
    Ok(response.body(SizedStream::new(size, chunks)))
}

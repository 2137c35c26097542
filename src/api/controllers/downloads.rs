//! `GET /v1/downloads` and `GET /v1/downloads/{name}`: the bulk files, each with its size
//! and SHA-256 (what they hold and how they are prepared: [`crate::api::downloads`]).

use std::sync::Arc;

use actix_web::body::SizedStream;
use actix_web::http::header;
use actix_web::http::Method;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::stream;
use serde::Serialize;
use utoipa::ToSchema;

use super::no_params;
use crate::api::downloads::{unavailable, BulkFile, CSV_ZIP, DATABASE, DATABASE_GZ};
use crate::api::error::{ApiError, Problem};
use crate::api::state::AppState;

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
        size: file.size(),
        sha256: file.sha256().to_owned(),
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
    let size = file.size();
    if request.method() == Method::HEAD {
        let empty = stream::empty::<Result<Bytes, std::io::Error>>();
        return Ok(response.body(SizedStream::new(size, empty)));
    }
    let chunks = file.chunks();
    Ok(response.body(SizedStream::new(size, chunks)))
}

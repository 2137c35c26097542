//! The HTTP layer: actix-web handlers, views, errors and the OpenAPI document.
//!
//! - [`startup`] builds the `App` and starts the server (used by `serve` and the tests).
//! - [`controllers`] hold one module of thin handlers per resource.
//! - [`params`] and [`pagination`] parse query strings; [`views`] are the JSON shapes;
//!   [`error`] turns every failure into `application/problem+json`.
//! - [`openapi`] gathers the OpenAPI document served at `/v1/openapi.json`.
//! - [`explorer`] serves the browser explorer at `/` and the embeddable widget.
//! - [`formats`] answers lists as CSV and NDJSON ([`tabular`] holds the CSV rows) and
//!   [`feeds`] as Atom; [`downloads`] serves the bulk files; [`middleware`] adds request ids,
//!   security and caching headers and rate limits, configured by [`delivery`];
//!   [`openapi_delivery`] documents all of it in the OpenAPI document.

pub mod controllers;
pub mod delivery;
pub mod downloads;
pub mod error;
pub mod explorer;
pub mod feeds;
pub mod formats;
pub mod hygiene;
pub mod middleware;
pub mod openapi;
pub mod openapi_delivery;
pub mod pagination;
pub mod params;
pub mod startup;
pub mod tabular;
pub mod views;

use std::net::TcpListener;
use std::path::PathBuf;

use utoipa::OpenApi;

/// How `zhengce serve` runs.
pub struct ServeConfig {
    /// Database file.
    pub db: PathBuf,
    /// Data folder to build the database from when it is missing.
    pub data: PathBuf,
    /// Listen address.
    pub bind: String,
    /// Caching, rate limiting, the export bound and proxy trust.
    pub options: delivery::ServerOptions,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Building the missing database failed.
    #[error("cannot build the database {db} from {data}: {reason}")]
    Load {
        /// The database file.
        db: String,
        /// The data folder.
        data: String,
        /// What went wrong.
        reason: String,
    },
    /// Opening the database failed.
    #[error("{0}")]
    Database(#[from] crate::db::DbError),
    /// Binding the address or running the server failed.
    #[error("cannot serve on {bind}: {source}")]
    Io {
        /// The listen address.
        bind: String,
        /// The operating-system error.
        source: std::io::Error,
    },
}

/// Number of pooled database connections.
const POOL_SIZE: u32 = 8;

/// Runs the server until SIGTERM/SIGINT. When the database file does not exist, it is built
/// from the data folder first; the server then opens it read-only.
pub fn serve(config: ServeConfig) -> Result<(), ServeError> {
    if !config.db.exists() {
        log::info!(
            "{} does not exist; building it from {}",
            config.db.display(),
            config.data.display()
        );
        let report = crate::db::load::load_data_dir(&config.data, &config.db).map_err(|error| {
            ServeError::Load {
                db: config.db.display().to_string(),
                data: config.data.display().to_string(),
                reason: error.to_string(),
            }
        })?;
        log::info!("{report}");
    }
    let pool = crate::db::open_read_only_pool(&config.db, POOL_SIZE)?;
    let io_error = |source| ServeError::Io {
        bind: config.bind.clone(),
        source,
    };
    let listener = TcpListener::bind(&config.bind).map_err(io_error)?;
    match listener.local_addr() {
        Ok(address) => log::info!("serving {} on http://{address}/v1", config.db.display()),
        Err(_) => log::info!("serving {} on {}", config.db.display(), config.bind),
    }
    actix_web::rt::System::new()
        .block_on(async move { startup::spawn_with(listener, pool, config.options)?.await })
        .map_err(io_error)
}

/// The OpenAPI document as pretty JSON (what `/v1/openapi.json` serves and
/// `openapi/openapi.json` holds).
pub fn openapi_json() -> String {
    openapi::ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|error| {
            log::error!("cannot serialize the OpenAPI document: {error}");
            "{}".to_owned()
        })
}

//! The HTTP layer: actix-web handlers, views, errors and the OpenAPI document.
//!
//! Each module depends only on modules listed before it here, so this is also an order to
//! read them in:
//!
//! 1. [`error`] turns every failure into `application/problem+json`; [`params`] parses
//!    query strings; [`views`] are the JSON shapes and [`tabular`] their CSV rows.
//! 2. [`listing`]: what a list request asks for (page, sort, facets, format), its cursors and
//!    the envelope of a page.
//! 3. [`downloads`] prepares the bulk files of a database; [`delivery`] holds the options of
//!    `zhengce serve` and the state behind them (dataset version, rate limiter, bulk files);
//!    [`state`] is what every handler shares ([`state::AppState`]: pool and delivery state).
//! 4. [`formats`] answers lists as JSON pages, CSV and NDJSON; [`feeds`] as Atom;
//!    [`openapi_delivery`] documents formats, caching and limits, and writes query
//!    parameters for the OpenAPI document.
//! 5. [`controllers`]: one module of thin handlers per resource.
//! 6. [`route_table`]: every route and its handler, once, for the `App` and the document;
//!    [`openapi`] makes the OpenAPI document served at `/v1/openapi.json` from it and from
//!    [`openapi_delivery`].
//! 7. [`middleware`] adds request ids, security and caching headers and rate limits;
//!    [`hygiene`] refuses malformed requests; [`explorer`] serves the browser explorer at
//!    `/` and the embeddable widget; [`reload`] serves a newly built database without a
//!    restart, on SIGHUP and when the file is replaced.
//! 8. [`startup`] builds the `App` from all of these and starts the server (used by
//!    [`serve`] and the tests).

pub mod controllers;
pub mod delivery;
pub mod downloads;
pub mod error;
pub mod explorer;
pub mod feeds;
pub mod formats;
pub mod hygiene;
pub mod listing;
pub mod middleware;
pub mod openapi;
pub mod openapi_delivery;
pub mod params;
pub mod reload;
pub mod route_table;
pub mod startup;
pub mod state;
pub mod tabular;
pub mod views;

pub use openapi::openapi_json;

use std::net::TcpListener;
use std::path::PathBuf;

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
    /// How often to look whether the database file has been replaced; `None` reloads on
    /// SIGHUP only.
    pub reload_interval: Option<std::time::Duration>,
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
    /// The database could not be opened for serving.
    #[error("{0}")]
    Open(#[from] reload::OpenError),
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
/// from the data folder first; the server then opens it read-only, and opens it again when
/// it is replaced or on SIGHUP (see [`reload`]).
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
    let options = config.options;
    let (state, stamp) = reload::open_generation(&config.db, POOL_SIZE, |pool| {
        state::AppState::with_options(pool, options.clone())
    })?;
    let served = std::sync::Arc::new(reload::Served::new(state));
    let reloader = reload::Reloader::new(served.clone(), config.db.clone(), stamp);
    let bind = config.bind;
    let io_error = |source| ServeError::Io {
        bind: bind.clone(),
        source,
    };
    let listener = TcpListener::bind(&bind).map_err(io_error)?;
    let address = listener
        .local_addr()
        .map_or_else(|_| bind.clone(), |address| format!("http://{address}/v1"));
    let db = config.db;
    let reload_interval = config.reload_interval;
    actix_web::rt::System::new()
        .block_on(async move {
            // The SIGHUP handler is in place before the address is announced.
            let trigger = reload::watch(reloader, reload_interval)?;
            reload::forward_hangups(trigger)?;
            match reload_interval {
                Some(interval) => log::info!(
                    "reloading {} when it is replaced (looking every {} ms) and on SIGHUP",
                    db.display(),
                    interval.as_millis()
                ),
                None => log::info!("reloading {} on SIGHUP", db.display()),
            }
            log::info!("serving {} on {address}", db.display());
            startup::spawn_served(listener, served)?.await
        })
        .map_err(io_error)
}

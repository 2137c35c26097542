//! What every handler shares: [`AppState`], the connection pool and the delivery state of one
//! opened database, and the two ways a handler runs a query on it.
//!
//! Handlers and middleware depend on this module; the module that builds the `App`
//! ([`super::startup`]) depends on them, never the reverse.

use std::sync::Arc;

use actix_web::web;
use diesel::SqliteConnection;

use super::delivery::{DeliveryState, ServerOptions};
use super::error::ApiError;
use crate::db::queries::QueryError;
use crate::db::Pool;

/// What every handler shares: the read-only connection pool and the delivery state
/// (options, dataset version, rate limiter, bulk files). One is made per opened database;
/// each request reads from the one that was current when it arrived (see
/// [`super::reload`]).
#[derive(Debug, Clone)]
pub struct AppState {
    /// Read-only SQLite connections.
    pub pool: Pool,
    /// Caching, rate limiting and bulk files.
    pub delivery: Arc<DeliveryState>,
}

impl AppState {
    /// State over a pool, with the default options.
    pub fn new(pool: Pool) -> AppState {
        AppState::with_options(pool, ServerOptions::default())
    }

    /// State over a pool with the given options.
    pub fn with_options(pool: Pool, options: ServerOptions) -> AppState {
        let delivery = Arc::new(DeliveryState::new(&pool, options));
        AppState { pool, delivery }
    }

    /// State over the pool of a newly opened database, with this state's options and rate
    /// limiter.
    pub fn renewed(&self, pool: Pool) -> AppState {
        let delivery = Arc::new(self.delivery.renewed(&pool));
        AppState { pool, delivery }
    }

    /// Runs `query` with a pooled connection on a blocking thread.
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, QueryError> + Send + 'static,
        T: Send + 'static,
    {
        // The whole state, not only the pool, goes along: the database it belongs to stays
        // in use (see `api::reload`) until the query has finished, even when the request is
        // abandoned meanwhile.
        let state = self.clone();
        let result = web::block(move || {
            let mut conn = state.pool.get().map_err(|error| {
                log::error!("no database connection: {error}");
                ApiError::Unavailable("the database is not available; try again later".into())
            })?;
            query(&mut conn).map_err(ApiError::from)
        })
        .await;
        match result {
            Ok(result) => result,
            Err(error) => {
                log::error!("database task failed: {error}");
                Err(ApiError::Unavailable(
                    "the database is not available; try again later".into(),
                ))
            }
        }
    }

    /// Runs a point lookup — one statement by primary key, tens of microseconds — on the
    /// calling thread when a pooled connection is idle, which spares the two thread switches
    /// of handing it to the blocking pool (they cost more than the statement). When every
    /// connection is busy it waits for one like [`AppState::run`], off this thread.
    pub async fn lookup<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, QueryError> + Send + 'static,
        T: Send + 'static,
    {
        match self.pool.try_get() {
            Some(mut conn) => query(&mut conn).map_err(ApiError::from),
            None => self.run(query).await,
        }
    }
}

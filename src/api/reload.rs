//! Serving a newly built database without a restart and without failing a request.
//!
//! Everything a request reads from belongs to one opened database, a *generation*: the
//! connection pool, the dataset version behind the ETags, the bulk files (see
//! [`AppState`]). [`Served`] holds the current one. Each request takes the current
//! generation when it arrives ([`pin`]) and keeps it to its last byte, so a request in
//! flight during a reload finishes on the old database while the next one starts on the new.
//!
//! The [`Reloader`] opens a new generation when the database file is replaced (`zhengce load`
//! writes a new file and renames it over the old one; the reloader compares the file's
//! device, inode, size and modification time every interval) and on SIGHUP. It validates the
//! new file first (a zhengce database, of this build's schema, that answers a query) and
//! keeps serving the old one, saying why in the log, when it is not. An old generation is
//! closed once its last request has finished; the counts and rankings remembered for it are
//! dropped with it.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{mpsc, Arc, RwLock};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Extensions, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error};

use super::delivery::FileStamp;
use super::state::AppState;
use crate::db::{DbError, Pool};

/// Default of `zhengce serve --reload-interval`: seconds between two looks at the
/// database file.
pub const DEFAULT_RELOAD_INTERVAL: u64 = 1;

/// How many times a file that changes while it is being opened is opened again.
const OPEN_ATTEMPTS: usize = 3;

/// The generation of the database that new requests are answered from.
#[derive(Debug)]
pub struct Served {
    current: RwLock<Arc<AppState>>,
}

impl Served {
    /// Serves `state` until it is replaced.
    pub fn new(state: AppState) -> Served {
        Served {
            current: RwLock::new(Arc::new(state)),
        }
    }

    /// The generation a request arriving now is answered from.
    pub fn current(&self) -> Arc<AppState> {
        match self.current.read() {
            Ok(current) => Arc::clone(&current),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Answers new requests from `next`; returns the generation it replaces.
    fn replace(&self, next: AppState) -> Arc<AppState> {
        let next = Arc::new(next);
        let mut current = match self.current.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::mem::replace(&mut *current, next)
    }
}

/// Middleware: gives the request the current generation as its `web::Data<AppState>`, so
/// that every handler and middleware after this one reads from the same database for the
/// whole request, whatever is reloaded meanwhile.
///
/// It must be the outermost middleware of the `App` (the request is not shared yet there,
/// which adding a data container requires).
pub async fn pin(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = request
        .app_data::<web::Data<Served>>()
        .map(|served| web::Data::from(served.current()));
    if let Some(state) = state {
        let mut container = Extensions::new();
        container.insert(state);
        request.add_data_container(Rc::new(container));
    }
    next.call(request).await
}

/// Why a database file could not be opened for serving.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file is missing, unreadable, not a zhengce database or of another schema.
    #[error("{0}")]
    Database(#[from] DbError),
    /// The file was replaced again each time it was being opened.
    #[error("{} changed while it was being opened ({attempts} attempts); it is being written in place rather than renamed into place", path.display())]
    Unsettled {
        /// The database file.
        path: PathBuf,
        /// How many times it was opened.
        attempts: usize,
    },
    /// The `dataset` table could not be read.
    #[error("cannot read the dataset version of {}", path.display())]
    NoDataset {
        /// The database file.
        path: PathBuf,
    },
}

/// Opens the database at `path` read-only with `pool_size` connections, checks it (a zhengce
/// database of this build's schema that answers a query) and builds its generation with
/// `build`. Returns it with the stamp of the file it was opened from; a file replaced while
/// it is opened is opened again.
pub fn open_generation(
    path: &Path,
    pool_size: u32,
    build: impl Fn(Pool) -> AppState,
) -> Result<(AppState, Option<FileStamp>), OpenError> {
    for _ in 0..OPEN_ATTEMPTS {
        let before = FileStamp::of(path);
        let pool = open_checked(path, pool_size)?;
        let state = build(pool);
        if FileStamp::of(path) != before {
            continue;
        }
        if state.delivery.dataset.is_none() {
            return Err(OpenError::NoDataset {
                path: path.to_path_buf(),
            });
        }
        return Ok((state, before));
    }
    Err(OpenError::Unsettled {
        path: path.to_path_buf(),
        attempts: OPEN_ATTEMPTS,
    })
}

/// [`crate::db::open_read_only_pool`], then the schema check and one query.
fn open_checked(path: &Path, pool_size: u32) -> Result<Pool, DbError> {
    let pool = crate::db::open_read_only_pool(path, pool_size)?;
    let mut conn = pool.get()?;
    crate::db::pool::check_schema(&mut conn, path)?;
    crate::db::queries::index::ping(&mut conn).map_err(|error| DbError::NotZhengce {
        path: path.to_path_buf(),
        reason: format!("counting its documents failed: {error}"),
    })?;
    drop(conn);
    Ok(pool)
}

/// What makes the [`Reloader`] look at the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The interval has passed: open the file when it has been replaced.
    Poll,
    /// SIGHUP: open the file again whatever its stamp.
    Signal,
}

/// What one look at the database file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to do: the file is the one served (or was already found unusable).
    Unchanged,
    /// A new generation is served.
    Reloaded,
    /// The file could not be served; the previous generation still is.
    Kept(String),
}

/// Opens a new generation when the database file is replaced or on request, and closes old
/// generations once their last request has finished.
#[derive(Debug)]
pub struct Reloader {
    served: Arc<Served>,
    path: PathBuf,
    /// The stamp of the file the current generation was opened from.
    stamp: Option<FileStamp>,
    /// The stamp of the last file that could not be opened, not to try it at every look.
    failed: Option<FileStamp>,
    /// Whether the missing file has been reported.
    missing: bool,
    /// Replaced generations, some of whose requests may still run.
    retiring: Vec<Arc<AppState>>,
}

impl Reloader {
    /// Watches `path`, whose file with `stamp` `served` answers from now.
    pub fn new(served: Arc<Served>, path: PathBuf, stamp: Option<FileStamp>) -> Reloader {
        Reloader {
            served,
            path,
            stamp,
            failed: None,
            missing: false,
            retiring: Vec::new(),
        }
    }

    /// Looks at the file once: opens it when it was replaced (or on `Trigger::Signal`), then
    /// closes the replaced generations that no request uses any more.
    pub fn check(&mut self, trigger: Trigger) -> Outcome {
        let outcome = self.look(trigger);
        self.retire();
        outcome
    }

    fn look(&mut self, trigger: Trigger) -> Outcome {
        let now = FileStamp::of(&self.path);
        if now.is_none() {
            if !self.missing || trigger == Trigger::Signal {
                log::warn!(
                    "{} cannot be read; still serving the database opened before",
                    self.path.display()
                );
            }
            self.missing = true;
            return Outcome::Kept(format!("{} cannot be read", self.path.display()));
        }
        self.missing = false;
        if trigger == Trigger::Poll && (now == self.stamp || now == self.failed) {
            return Outcome::Unchanged;
        }
        match self.reload() {
            Ok(()) => Outcome::Reloaded,
            Err(error) => {
                log::error!(
                    "cannot serve the new {}: {error}; still serving the database opened \
                     before",
                    self.path.display()
                );
                self.failed = now;
                Outcome::Kept(error.to_string())
            }
        }
    }

    fn reload(&mut self) -> Result<(), OpenError> {
        let started = Instant::now();
        let current = self.served.current();
        let size = current.pool.max_size();
        let (next, stamp) = open_generation(&self.path, size, |pool| current.renewed(pool))?;
        let version = |state: &AppState| {
            state
                .delivery
                .dataset
                .as_ref()
                .map_or_else(|| "unknown".to_owned(), |d| d.version.clone())
        };
        log::info!(
            "serving the new {} (dataset {}, was {}), opened in {} ms",
            self.path.display(),
            version(&next),
            version(&current),
            started.elapsed().as_millis()
        );
        drop(current);
        let previous = self.served.replace(next);
        self.retiring.push(previous);
        self.stamp = stamp;
        self.failed = None;
        Ok(())
    }

    /// Closes each replaced generation that no request holds any more, and drops the
    /// results remembered for its data (unless the served generation has the same data).
    fn retire(&mut self) {
        if self.retiring.is_empty() {
            return;
        }
        let current = self.served.current();
        let served_stamp = dataset_stamp(&current);
        let (idle, busy): (Vec<_>, Vec<_>) = std::mem::take(&mut self.retiring)
            .into_iter()
            .partition(|state| {
                Arc::strong_count(state) == 1 && Arc::strong_count(&state.delivery) == 1
            });
        self.retiring = busy;
        for state in idle {
            let stamp = dataset_stamp(&state);
            drop(state);
            let Some((version, loaded_at)) = stamp else {
                continue;
            };
            if served_stamp.as_ref() == Some(&(version.clone(), loaded_at.clone())) {
                continue;
            }
            let (results, bytes) = crate::db::queries::forget_dataset(&version, &loaded_at);
            log::info!(
                "closed the database of dataset {version}: its last request has finished; \
                 dropped {results} remembered results ({} KiB)",
                bytes / 1024
            );
        }
    }
}

/// The version and load time of a generation's dataset.
fn dataset_stamp(state: &AppState) -> Option<(String, String)> {
    state
        .delivery
        .dataset
        .as_ref()
        .map(|dataset| (dataset.version.clone(), dataset.loaded_at.clone()))
}

/// Runs `reloader` on a thread of its own: it looks at the file every `interval` (never when
/// `None`) and whenever the returned sender is sent a trigger (SIGHUP). The thread ends when
/// every sender is dropped.
pub fn watch(
    mut reloader: Reloader,
    interval: Option<Duration>,
) -> std::io::Result<mpsc::Sender<Trigger>> {
    let (sender, receiver) = mpsc::channel();
    // Without polling, replaced generations are still closed once their requests are done.
    let tick = interval.unwrap_or(Duration::from_secs(DEFAULT_RELOAD_INTERVAL));
    std::thread::Builder::new()
        .name("zhengce-reload".to_owned())
        .spawn(move || loop {
            let trigger = match receiver.recv_timeout(tick) {
                Ok(trigger) => trigger,
                Err(mpsc::RecvTimeoutError::Timeout) => Trigger::Poll,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            if trigger == Trigger::Poll && interval.is_none() {
                reloader.retire();
                continue;
            }
            reloader.check(trigger);
        })?;
    Ok(sender)
}

/// Sends [`Trigger::Signal`] to `trigger` on every SIGHUP, for as long as the actix system
/// runs. Call it inside the system; the handler is installed before it returns.
#[cfg(unix)]
pub fn forward_hangups(trigger: mpsc::Sender<Trigger>) -> std::io::Result<()> {
    use actix_web::rt::signal::unix::{signal, SignalKind};

    let mut hangups = signal(SignalKind::hangup())?;
    actix_web::rt::spawn(async move {
        while hangups.recv().await.is_some() {
            log::info!("SIGHUP: opening the database file again");
            if trigger.send(Trigger::Signal).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Without Unix signals there is no SIGHUP to forward; the sender is kept for as long as the
/// actix system runs, so that the file is still watched.
#[cfg(not(unix))]
pub fn forward_hangups(trigger: mpsc::Sender<Trigger>) -> std::io::Result<()> {
    actix_web::rt::spawn(async move {
        let _trigger = trigger;
        std::future::pending::<()>().await;
    });
    Ok(())
}

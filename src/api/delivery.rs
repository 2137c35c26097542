//! What the server needs beyond its routes to deliver open data well: the options of
//! `zhengce serve` (caching, rate limits, the export bound, proxies) and the state behind them
//! (the served dataset's version and load time, the rate limiter's buckets).

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

use super::params::digits_at;
use crate::db::Pool;

/// Default of `--cache-max-age`: how long clients and caches may reuse an answer, in seconds.
pub const DEFAULT_CACHE_MAX_AGE: u32 = 300;

/// Default of `--max-export-rows`: the most records one CSV or NDJSON answer holds.
pub const DEFAULT_MAX_EXPORT_ROWS: u64 = 100_000;

/// How `zhengce serve` delivers: caching, rate limiting, the export bound and proxies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    /// `Cache-Control: public, max-age=…` of successful reads, in seconds.
    pub cache_max_age: u32,
    /// Requests per client and minute; `None` turns rate limiting off (the default).
    pub rate_limit: Option<RateLimitOptions>,
    /// Whether a reverse proxy in front sets `X-Forwarded-For` (the client address used for
    /// rate limiting), `X-Forwarded-Proto` and `X-Forwarded-Host` (the absolute links of
    /// feeds). Without it these headers are ignored.
    pub trust_proxy: bool,
    /// The most records a CSV or NDJSON answer holds; a larger result is refused with a 400
    /// that points to the bulk downloads.
    pub max_export_rows: u64,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            cache_max_age: DEFAULT_CACHE_MAX_AGE,
            rate_limit: None,
            trust_proxy: false,
            max_export_rows: DEFAULT_MAX_EXPORT_ROWS,
        }
    }
}

/// A per-client rate limit: a token bucket holding `burst` requests, refilled at
/// `per_minute` requests per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitOptions {
    /// Sustained requests per minute.
    pub per_minute: u32,
    /// Requests a client may send at once (the bucket's size).
    pub burst: u32,
}

impl RateLimitOptions {
    /// A limit of `per_minute` requests per minute with bursts of `burst` (default: the
    /// per-minute limit). Zero values are raised to 1.
    pub fn new(per_minute: u32, burst: Option<u32>) -> RateLimitOptions {
        let per_minute = per_minute.max(1);
        RateLimitOptions {
            per_minute,
            burst: burst.unwrap_or(per_minute).max(1),
        }
    }
}

/// The identity of a file on disk (size, modification time, device and inode), to notice
/// when it is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl FileStamp {
    /// The stamp of the file at `path` now, `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (metadata.dev(), metadata.ino())
            },
        })
    }
}

/// The dataset the server answers from, read when its database is opened.
#[derive(Debug)]
pub struct Dataset {
    /// The dataset version (a hash of the loaded data).
    pub version: String,
    /// When it was loaded, RFC 3339 UTC (`2026-11-25T08:30:00Z`).
    pub loaded_at: String,
    /// `loaded_at` as a time, for `Last-Modified`.
    pub last_modified: SystemTime,
    /// The database file, when it is one.
    pub path: Option<PathBuf>,
    stamp: Option<FileStamp>,
    replaced: AtomicBool,
}

#[derive(QueryableByName)]
struct Fact {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct FileRow {
    #[diesel(sql_type = Text)]
    file: String,
}

impl Dataset {
    /// Reads the version, load time and file of the database behind `pool`; `None` when the
    /// database cannot be read (the server then answers without validators).
    pub fn read(pool: &Pool) -> Option<Dataset> {
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(error) => {
                log::warn!("cannot read the dataset version; answers carry no ETag: {error}");
                return None;
            }
        };
        let facts: Vec<Fact> = match diesel::sql_query(
            "SELECT key, value FROM dataset WHERE key IN ('version', 'loaded_at')",
        )
        .load(&mut conn)
        {
            Ok(facts) => facts,
            Err(error) => {
                log::warn!("cannot read the dataset version; answers carry no ETag: {error}");
                return None;
            }
        };
        let fact = |key: &str| {
            facts
                .iter()
                .find(|fact| fact.key == key)
                .map(|fact| fact.value.clone())
        };
        let version = fact("version")?;
        let loaded_at = fact("loaded_at").unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
        let last_modified = parse_rfc3339_utc(&loaded_at).unwrap_or(UNIX_EPOCH);
        let path = diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .load::<FileRow>(&mut conn)
            .ok()
            .and_then(|rows| rows.into_iter().next())
            .map(|row| PathBuf::from(row.file))
            .filter(|path| !path.as_os_str().is_empty());
        let stamp = path.as_deref().and_then(FileStamp::of);
        Some(Dataset {
            version,
            loaded_at,
            last_modified,
            path,
            stamp,
            replaced: AtomicBool::new(false),
        })
    }

    /// Whether the database file is still the one this dataset was read from. Once
    /// `zhengce load` replaces it, the server stops promising that answers are unchanged
    /// (no ETag, no `Last-Modified`) until it has opened the new file (see
    /// [`crate::api::reload`]): clients must not keep answers of the old data as current.
    pub fn is_current(&self) -> bool {
        if self.replaced.load(Ordering::Relaxed) {
            return false;
        }
        let (Some(path), Some(stamp)) = (&self.path, &self.stamp) else {
            return true;
        };
        if FileStamp::of(path).as_ref() == Some(stamp) {
            return true;
        }
        if !self.replaced.swap(true, Ordering::Relaxed) {
            log::info!(
                "{} has been replaced; answers carry no ETag or Last-Modified until the \
                 server has opened the new file",
                path.display()
            );
        }
        false
    }
}

/// Parses the RFC 3339 UTC times the loader writes (`2026-11-25T08:30:00Z`).
pub fn parse_rfc3339_utc(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    if bytes.len() != 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[10] != b'T'
        || bytes[13] != b':'
        || bytes[16] != b':'
        || bytes[19] != b'Z'
    {
        return None;
    }
    let number = |range| digits_at::<i64>(text, range);
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    let seconds = u64::try_from(seconds).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// What the delivery layer shares across requests: the options, the served dataset and the
/// rate limiter.
///
/// One is made per opened database: the dataset and the bulk files belong to that database
/// and go with it; the options and the rate limiter's buckets carry over to the next one
/// (see [`DeliveryState::renewed`]).
#[derive(Debug)]
pub struct DeliveryState {
    /// The options the server was started with.
    pub options: ServerOptions,
    /// The served dataset, when it could be read when the database was opened.
    pub dataset: Option<Dataset>,
    /// Per-client rate limits, when enabled; shared by every database the server opens.
    pub limiter: Option<Arc<RateLimiter>>,
    /// The bulk files.
    pub downloads: super::downloads::Downloads,
}

impl DeliveryState {
    /// Reads the dataset behind `pool` and sets up the rate limiter and bulk files.
    pub fn new(pool: &Pool, options: ServerOptions) -> DeliveryState {
        let limiter = options
            .rate_limit
            .map(|limit| Arc::new(RateLimiter::new(limit)));
        DeliveryState::over(pool, options, limiter)
    }

    /// The state for a newly opened database behind `pool`: its own dataset and bulk files,
    /// the same options and rate limiter as this one.
    pub fn renewed(&self, pool: &Pool) -> DeliveryState {
        DeliveryState::over(pool, self.options.clone(), self.limiter.clone())
    }

    fn over(
        pool: &Pool,
        options: ServerOptions,
        limiter: Option<Arc<RateLimiter>>,
    ) -> DeliveryState {
        let dataset = Dataset::read(pool);
        let downloads =
            super::downloads::Downloads::new(dataset.as_ref().and_then(|d| d.path.as_deref()));
        DeliveryState {
            limiter,
            options,
            dataset,
            downloads,
        }
    }

    /// The dataset, while the database file is still the one it was read from.
    pub fn current_dataset(&self) -> Option<&Dataset> {
        self.dataset.as_ref().filter(|dataset| dataset.is_current())
    }
}

// ---------------------------------------------------------------------------------------------
// Rate limiting
// ---------------------------------------------------------------------------------------------

/// Buckets kept before idle ones are dropped.
const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// The outcome of one request against the rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The bucket's size (`RateLimit-Limit`).
    pub limit: u32,
    /// Requests left right now (`RateLimit-Remaining`).
    pub remaining: u32,
    /// Seconds until the bucket is full again (`RateLimit-Reset`).
    pub reset: u64,
    /// Seconds until the next request is allowed (`Retry-After`), 0 when allowed.
    pub retry_after: u64,
}

/// Per-client token buckets: each client may send `burst` requests at once and
/// `per_minute` requests per minute on average.
#[derive(Debug)]
pub struct RateLimiter {
    options: RateLimitOptions,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    /// A limiter with empty history.
    pub fn new(options: RateLimitOptions) -> RateLimiter {
        RateLimiter {
            options,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The limit it enforces.
    pub fn options(&self) -> RateLimitOptions {
        self.options
    }

    /// Counts a request of `client` at `now`.
    pub fn check(&self, client: IpAddr, now: Instant) -> Decision {
        let capacity = f64::from(self.options.burst);
        let rate = f64::from(self.options.per_minute) / 60.0;
        let key = client_key(client);
        let mut buckets = match self.buckets.lock() {
            Ok(buckets) => buckets,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(&key) {
            let full_after = Duration::from_secs_f64(capacity / rate);
            buckets.retain(|_, bucket| now.saturating_duration_since(bucket.updated) < full_after);
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.updated = now;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        let seconds = |tokens: f64| (tokens.max(0.0) / rate).ceil() as u64;
        Decision {
            allowed,
            limit: self.options.burst,
            remaining: bucket.tokens.floor() as u32,
            reset: seconds(capacity - bucket.tokens),
            retry_after: if allowed {
                0
            } else {
                seconds(1.0 - bucket.tokens).max(1)
            },
        }
    }
}

/// The key a client is counted under: its IPv4 address, or the /64 network of its IPv6
/// address (one host usually has a whole /64).
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                for segment in &mut segments[4..] {
                    *segment = 0;
                }
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_times_parse() {
        assert_eq!(parse_rfc3339_utc("1970-01-01T00:00:00Z"), Some(UNIX_EPOCH));
        let leap_day = UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(parse_rfc3339_utc("2024-02-29T12:34:56Z"), Some(leap_day));
        assert_eq!(parse_rfc3339_utc("2024-02-29 12:34:56"), None);
        assert_eq!(parse_rfc3339_utc("2024-13-01T00:00:00Z"), None);
    }

    #[test]
    fn buckets_allow_bursts_then_the_rate() {
        let limiter = RateLimiter::new(RateLimitOptions::new(60, Some(2)));
        let client: IpAddr = "192.0.2.1".parse().expect("address");
        let start = Instant::now();
        assert!(limiter.check(client, start).allowed);
        let second = limiter.check(client, start);
        assert!(second.allowed);
        assert_eq!(second.remaining, 0);
        let refused = limiter.check(client, start);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, 1);
        assert_eq!(refused.reset, 2);
        let other: IpAddr = "192.0.2.2".parse().expect("address");
        assert!(limiter.check(other, start).allowed);
        assert!(
            limiter
                .check(client, start + Duration::from_secs(1))
                .allowed
        );
    }

    #[test]
    fn ipv6_clients_count_per_network() {
        let a: IpAddr = "2001:db8::1".parse().expect("address");
        let b: IpAddr = "2001:db8::2".parse().expect("address");
        assert_eq!(client_key(a), client_key(b));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().expect("address");
        assert_eq!(
            client_key(mapped),
            "192.0.2.1".parse::<IpAddr>().expect("address")
        );
    }
}

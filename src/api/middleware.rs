//! The HTTP behaviour every route shares, as middleware (outermost first):
//!
//! 1. [`request_context`]: a request id on every request and response (`X-Request-Id`,
//!    echoed when the client sends a sane one, else generated; the access log prints it) and
//!    the security headers (`X-Content-Type-Options: nosniff`, and a `Content-Security-Policy`
//!    of `default-src 'none'; frame-ancestors 'none'` on everything but the Swagger UI and
//!    pages that bring their own).
//! 2. The access log and CORS (set up in [`super::startup`]).
//! 3. [`rate_limit`]: per-client token buckets when `--rate-limit` is given; a limited client
//!    gets a 429 problem with `Retry-After`, and every answer carries `RateLimit-Limit`,
//!    `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`.
//! 4. [`conditional`]: `ETag` (from the dataset version and load time, the server build, and
//!    the request's path, query, host and answer type), `Last-Modified` (the load time) and
//!    `Cache-Control: public, max-age=…` on successful reads, and `304 Not Modified` for
//!    `If-None-Match` or `If-Modified-Since`. Answers that carry their own `ETag` (the
//!    explorer's pages and assets) keep their own caching.
//! 5. [`head_as_get`]: HEAD for the Swagger UI, which routes GET only (every other route
//!    answers HEAD itself).

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue, HttpDate};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpRequest, HttpResponse, ResponseError};
use sha2::{Digest, Sha256};

use super::delivery::{Decision, RateLimitOptions};
use super::error::ApiError;
use super::openapi::openapi_json;
use super::state::AppState;

/// Header carrying the request id.
pub const REQUEST_ID: &str = "x-request-id";

/// The `Content-Security-Policy` of API answers: nothing may load, nothing may frame them.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers a browser script on another origin may read (besides the CORS-safelisted ones).
pub const EXPOSED_HEADERS: [&str; 10] = [
    "etag",
    "link",
    "x-request-id",
    "x-total-count",
    "content-disposition",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "ratelimit-policy",
];

/// A short fingerprint of the server build (its version and API description), part of every
/// ETag so that an upgraded server never confirms an answer of the old one.
pub static BUILD: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update([0]);
    hasher.update(openapi_json().as_bytes());
    hex::encode(hasher.finalize())[..8].to_owned()
});

/// Paths that report the server's own state and are never cached or rate limited.
const PROBES: [&str; 2] = ["/health", "/ready"];

/// The longest request id accepted from a client.
const MAX_REQUEST_ID: usize = 128;

/// Whether a client's request id can be echoed: 1 to 128 letters, digits and `-_.:/+=@`.
fn sane_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(&b))
}

/// A new request id: 32 hexadecimal digits, unique within the process and unpredictable.
fn new_request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static KEYS: LazyLock<(std::collections::hash_map::RandomState, u64)> = LazyLock::new(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        (std::collections::hash_map::RandomState::new(), nanos)
    });
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let (keys, start) = &*KEYS;
    let mut high = keys.build_hasher();
    high.write_u64(*start);
    high.write_u64(count);
    let mut low = keys.build_hasher();
    low.write_u64(count);
    low.write_u64(u64::from(std::process::id()));
    format!("{:016x}{:016x}", high.finish(), low.finish())
}

/// Gives every request an id and every answer the id and the security headers.
pub async fn request_context(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| sane_request_id(id))
        .map(str::to_owned)
        .unwrap_or_else(new_request_id);
    let id = HeaderValue::from_str(&id)
        .unwrap_or_else(|_| HeaderValue::from_static("invalid-request-id"));
    request
        .headers_mut()
        .insert(HeaderName::from_static(REQUEST_ID), id.clone());
    let docs = is_docs(request.path());
    // Handlers' errors arrive here as responses; an `Err` would come from a middleware
    // failing, which none of ours does.
    let mut response = next.call(request).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    headers.insert(HeaderName::from_static(REQUEST_ID), id);
    if !headers.contains_key(header::X_CONTENT_TYPE_OPTIONS) {
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    if !docs && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_POLICY),
        );
    }
    Ok(response)
}

fn is_docs(path: &str) -> bool {
    path == "/docs" || path.starts_with("/docs/")
}

/// Lets HEAD reach the Swagger UI, which answers GET only: HEAD is GET without the body,
/// and the server leaves the body out by itself.
pub async fn head_as_get(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if request.method() == Method::HEAD && is_docs(request.path()) {
        request.head_mut().method = Method::GET;
    }
    next.call(request).await
}

/// The address a request is counted under: the socket's peer, or with `trust_proxy` the
/// last address of `X-Forwarded-For` (the one the proxy in front appended).
pub fn client_address(request: &HttpRequest, trust_proxy: bool) -> IpAddr {
    let peer = request
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |address| address.ip());
    if !trust_proxy {
        return peer;
    }
    request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .last()
        .unwrap_or(peer)
}

fn rate_headers(headers: &mut header::HeaderMap, decision: &Decision, options: RateLimitOptions) {
    let number = |n: u64| HeaderValue::from(n);
    headers.insert(
        HeaderName::from_static("ratelimit-limit"),
        number(u64::from(decision.limit)),
    );
    headers.insert(
        HeaderName::from_static("ratelimit-remaining"),
        number(u64::from(decision.remaining)),
    );
    headers.insert(
        HeaderName::from_static("ratelimit-reset"),
        number(decision.reset),
    );
    if let Ok(policy) = HeaderValue::from_str(&format!(
        "{};w=60;burst={}",
        options.per_minute, options.burst
    )) {
        headers.insert(HeaderName::from_static("ratelimit-policy"), policy);
    }
}

/// Refuses clients over their rate limit with a 429 problem (when `--rate-limit` is set).
pub async fn rate_limit(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let limiter = state.as_ref().and_then(|state| {
        state
            .delivery
            .limiter
            .as_ref()
            .map(|limiter| (limiter, state.delivery.options.trust_proxy))
    });
    let Some((limiter, trust_proxy)) = limiter else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    if PROBES.contains(&request.path()) {
        return Ok(next.call(request).await?.map_into_boxed_body());
    }
    let client = client_address(request.request(), trust_proxy);
    let decision = limiter.check(client, Instant::now());
    let options = limiter.options();
    if !decision.allowed {
        let error = ApiError::Status(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "too many requests from this client: the limit is {} requests per minute \
                 (bursts of {}); retry after {} seconds, or use the bulk downloads at \
                 /v1/downloads to get everything at once",
                options.per_minute, options.burst, decision.retry_after
            ),
        );
        let mut response = error.error_response();
        rate_headers(response.headers_mut(), &decision, options);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(decision.retry_after));
        return Ok(request.into_response(response).map_into_boxed_body());
    }
    let mut response = next.call(request).await?.map_into_boxed_body();
    rate_headers(response.headers_mut(), &decision, options);
    Ok(response)
}

/// Whether an `If-None-Match` header value names `etag` (weak comparison, as for GET).
fn matches_etag(if_none_match: &[String], etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    if_none_match
        .iter()
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

/// Adds validators and caching headers to successful reads and answers 304 when the client's
/// copy is current.
pub async fn conditional(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let probe = PROBES.contains(&request.path());
    let header_text = |name: HeaderName| -> Vec<String> {
        request
            .headers()
            .get_all(name)
            .filter_map(|value| value.to_str().ok())
            .map(str::to_owned)
            .collect()
    };
    let if_none_match = header_text(header::IF_NONE_MATCH);
    let if_modified_since = request
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<HttpDate>().ok())
        .map(std::time::SystemTime::from);
    let trust_proxy = state
        .as_ref()
        .is_some_and(|state| state.delivery.options.trust_proxy);
    let mut identity = vec![request.path().to_owned(), request.query_string().to_owned()];
    identity.extend(header_text(header::HOST));
    if trust_proxy {
        for name in ["forwarded", "x-forwarded-host", "x-forwarded-proto"] {
            identity.extend(header_text(HeaderName::from_static(name)));
        }
    }

    let mut response = next.call(request).await?.map_into_boxed_body();
    if !read || response.status() != StatusCode::OK {
        return Ok(response);
    }
    let headers = response.headers_mut();
    if probe {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(response);
    }
    if headers.contains_key(header::ETAG) {
        return Ok(response);
    }
    let Some(state) = state else {
        return Ok(response);
    };
    let Some(dataset) = state.delivery.current_dataset() else {
        if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
        return Ok(response);
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut hasher = Sha256::new();
    for part in [
        BUILD.as_str(),
        dataset.loaded_at.as_str(),
        content_type.as_str(),
    ]
    .into_iter()
    .chain(identity.iter().map(String::as_str))
    {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let etag = format!(
        "\"{}-{}\"",
        dataset.version,
        &hex::encode(hasher.finalize())[..16]
    );
    let max_age = state.delivery.options.cache_max_age;
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&HttpDate::from(dataset.last_modified).to_string()) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
            headers.insert(header::CACHE_CONTROL, value);
        }
    }
    let unchanged = if if_none_match.is_empty() {
        if_modified_since.is_some_and(|since| dataset.last_modified <= since)
    } else {
        matches_etag(&if_none_match, &etag)
    };
    if !unchanged {
        return Ok(response);
    }
    let (http_request, response) = response.into_parts();
    let mut not_modified = HttpResponse::NotModified();
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_DISPOSITION
            && name != header::TRANSFER_ENCODING
        {
            not_modified.append_header((name.clone(), value.clone()));
        }
    }
    Ok(ServiceResponse::new(http_request, not_modified.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_from_clients_are_checked() {
        assert!(sane_request_id("abc-123_x.y:z"));
        assert!(!sane_request_id(""));
        assert!(!sane_request_id("a b"));
        assert!(!sane_request_id(&"x".repeat(129)));
    }

    #[test]
    fn generated_request_ids_differ() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(sane_request_id(&a));
    }

    #[test]
    fn etags_compare_weakly() {
        let etag = "\"v-1\"";
        assert!(matches_etag(&["\"v-1\"".to_owned()], etag));
        assert!(matches_etag(&["W/\"v-1\"".to_owned()], etag));
        assert!(matches_etag(&["\"x\", \"v-1\"".to_owned()], etag));
        assert!(matches_etag(&["*".to_owned()], etag));
        assert!(!matches_etag(&["\"v-2\"".to_owned()], etag));
    }
}

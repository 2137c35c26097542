//! Limits on what a request may look like, checked before any route runs: an over-long URL
//! is a 414, over-large headers a 431, and a path or query string that does not decode to
//! UTF-8 text, or holds control characters, a 400 — each as a problem document.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};

use super::error::ApiError;

/// Longest request target (path and query string) accepted, in bytes: room for a
/// 1,000-character query of four-byte characters, percent-encoded, and every filter.
pub const MAX_URI_BYTES: usize = 32 * 1024;
/// Most header bytes (names and values) accepted.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// What is wrong with a request, if anything.
pub fn problem(path: &str, query: &str, header_bytes: usize) -> Option<ApiError> {
    let uri_bytes = path.len() + query.len();
    if uri_bytes > MAX_URI_BYTES {
        return Some(ApiError::Status(
            StatusCode::URI_TOO_LONG,
            format!("the URL has {uri_bytes} bytes; at most {MAX_URI_BYTES} are accepted"),
        ));
    }
    if header_bytes > MAX_HEADER_BYTES {
        return Some(ApiError::Status(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request headers have {header_bytes} bytes; at most {MAX_HEADER_BYTES} are accepted"
            ),
        ));
    }
    if let Err(reason) = check_text(path, false) {
        return Some(ApiError::BadRequest(format!("the path {reason}")));
    }
    // Name the parameter whose value is not text, so the client knows what to fix.
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if let Err(reason) = check_text(name, true) {
            return Some(ApiError::BadRequest(format!(
                "a parameter name in the query string {reason}"
            )));
        }
        if let Err(reason) = check_text(value, true) {
            let name = decode_lossy(name);
            return Some(ApiError::invalid(name, format!("the value {reason}")));
        }
    }
    None
}

/// Percent-decodes a path or query string and checks the result is UTF-8 text without
/// control characters.
fn check_text(raw: &str, plus_is_space: bool) -> Result<(), String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let raw = raw.as_bytes();
    let mut index = 0;
    while index < raw.len() {
        let byte = raw[index];
        if byte == b'%' && index + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[index + 1..index + 3]).ok();
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                bytes.push(value);
                index += 3;
                continue;
            }
        }
        bytes.push(if plus_is_space && byte == b'+' {
            b' '
        } else {
            byte
        });
        index += 1;
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        format!(
            "is not valid UTF-8 once percent-decoded (bad byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })?;
    // In a query string, tabs and line breaks are whitespace a pasted text may carry.
    let allowed = |c: char| plus_is_space && matches!(c, '\t' | '\n' | '\r');
    if let Some(control) = text.chars().find(|c| c.is_control() && !allowed(*c)) {
        return Err(format!(
            "holds the control character U+{:04X}; send text only",
            u32::from(control)
        ));
    }
    Ok(())
}

/// A parameter name for an error message (already checked to be text).
fn decode_lossy(raw: &str) -> String {
    form_urlencoded::parse(format!("{raw}=").as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_else(|| raw.to_owned())
}

/// The middleware: answers a problem document instead of routing a request that breaks a
/// limit.
pub async fn check_request(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    if let Some(error) = problem(&path, &query, header_bytes) {
        let response = error.error_response();
        return Ok(request.into_response(response).map_into_boxed_body());
    }
    Ok(next.call(request).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(path: &str, query: &str, header_bytes: usize) -> Option<StatusCode> {
        problem(path, query, header_bytes).map(|error| error.status_code())
    }

    #[test]
    fn ordinary_requests_pass() {
        assert_eq!(
            status("/v1/measures", "q=%E5%8C%BB%E7%96%97&role=lead", 200),
            None
        );
        assert_eq!(status("/v1/measures", "q=a+b&x=%", 200), None);
        assert_eq!(
            status("/v1/measures", "q=%E5%8C%BB%09%0A%E7%96%97", 0),
            None
        );
    }

    #[test]
    fn limits_give_414_431_and_400() {
        assert_eq!(
            status("/v1", &"a".repeat(40_000), 0),
            Some(StatusCode::URI_TOO_LONG)
        );
        assert_eq!(
            status("/v1", "", 20_000),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        assert_eq!(
            status("/v1/documents/%FF", "", 0),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            status("/v1/measures", "q=%E5%8C", 0),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            status("/v1/measures", "document=%01", 0),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            status("/v1/documents/a%00b", "", 0),
            Some(StatusCode::BAD_REQUEST)
        );
    }
}

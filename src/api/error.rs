//! The one error type of the API and its `application/problem+json` form (RFC 9457).

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::queries::{Allowed, QueryError, UnknownValue};

/// Media type of error responses.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response (RFC 9457 problem details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank",
    "title": "Bad Request",
    "status": 400,
    "detail": "rol: unknown parameter; allowed: document, jurisdiction, agency, role, theme, year, q, limit, cursor, sort, facet",
    "invalid_params": [{"name": "rol", "reason": "unknown parameter; allowed: document, jurisdiction, agency, role, theme, year, q, limit, cursor, sort, facet"}]
}))]
pub struct Problem {
    /// Problem type; `about:blank` means the HTTP status says it all.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary: the HTTP status phrase.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong, in a sentence a newcomer can act on.
    pub detail: String,
    /// The query parameters at fault, for 400 responses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

/// A query parameter that was not accepted and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvalidParam {
    /// Parameter name as sent.
    #[schema(example = "limit")]
    pub name: String,
    /// What is wrong and what is allowed.
    #[schema(example = "must be a whole number from 1 to 500")]
    pub reason: String,
}

impl InvalidParam {
    /// A parameter and the reason it was refused.
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> InvalidParam {
        InvalidParam {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

/// Everything a request can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// Query parameters that are unknown or carry bad values (400).
    #[error("invalid query parameters")]
    InvalidParams(Vec<InvalidParam>),
    /// A request the server cannot read for another reason (400).
    #[error("{0}")]
    BadRequest(String),
    /// No such route or record (404).
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method (405).
    #[error("method {0} is not allowed")]
    MethodNotAllowed(String),
    /// The database cannot be reached (503).
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the server (500); the details go to the log, not to the client.
    #[error("internal error")]
    Internal,
    /// Any other status, with a detail (used to turn plain error responses into problems).
    #[error("{1}")]
    Status(StatusCode, String),
}

impl ApiError {
    /// A 400 for one parameter.
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> ApiError {
        ApiError::InvalidParams(vec![InvalidParam::new(name, reason)])
    }

    /// The problem document of this error.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (detail, invalid_params) = match self {
            ApiError::InvalidParams(params) => (
                params
                    .iter()
                    .map(|param| format!("{}: {}", param.name, param.reason))
                    .collect::<Vec<_>>()
                    .join("; "),
                params.clone(),
            ),
            ApiError::BadRequest(detail)
            | ApiError::NotFound(detail)
            | ApiError::Unavailable(detail)
            | ApiError::Status(_, detail) => (detail.clone(), Vec::new()),
            ApiError::MethodNotAllowed(method) => (
                format!("method {method} is not allowed here; this API is read-only and answers GET and HEAD"),
                Vec::new(),
            ),
            ApiError::Internal => (
                "the server failed to answer this request; the error has been logged".to_owned(),
                Vec::new(),
            ),
        };
        Problem {
            problem_type: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            invalid_params,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParams(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Status(status, _) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if self.status_code() == StatusCode::METHOD_NOT_ALLOWED {
            response.insert_header((header::ALLOW, HeaderValue::from_static("GET, HEAD")));
        }
        let body = serde_json::to_string(&self.problem()).unwrap_or_else(|_| {
            r#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.to_owned()
        });
        response.body(body)
    }
}

impl From<QueryError> for ApiError {
    fn from(error: QueryError) -> ApiError {
        match error {
            QueryError::NotFound { resource, id } => {
                ApiError::NotFound(format!("there is no {resource} with id {id:?}"))
            }
            QueryError::UnknownValues(values) => {
                ApiError::InvalidParams(values.iter().map(unknown_value).collect())
            }
            QueryError::Database(error) => {
                log::error!("database query failed: {error}");
                ApiError::Internal
            }
        }
    }
}

fn unknown_value(value: &UnknownValue) -> InvalidParam {
    let reason = match &value.allowed {
        Allowed::Values(values) if values.is_empty() => {
            format!(
                "unknown value {:?}; no record has a value here",
                value.value
            )
        }
        Allowed::Values(values) => format!(
            "unknown value {:?}; allowed: {}",
            value.value,
            values.join(", ")
        ),
        Allowed::IdsOf(resource) => format!(
            "unknown value {:?}; use an id listed at /v1/{resource}",
            value.value
        ),
        Allowed::FieldOf { field, resource } => format!(
            "unknown value {:?}; use a {field} listed at /v1/{resource}",
            value.value
        ),
    };
    InvalidParam::new(value.filter, reason)
}

/// Answers requests for paths no route matches.
pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "no resource at {}; the index at /v1 lists every resource",
        request.path()
    )))
}

/// Answers requests with a method a route does not accept.
pub async fn method_not_allowed(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed(request.method().to_string()))
}

/// Maps errors of actix's extractors (path segments, query strings, JSON bodies) to
/// problem documents, for the error handlers of their configurations.
pub fn extractor_error(error: impl std::fmt::Display) -> actix_web::Error {
    ApiError::BadRequest(format!("the request could not be read: {error}")).into()
}

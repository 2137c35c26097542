//! `GET /health` and `GET /ready` for orchestrators, and `GET /v1/openapi.json`.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};

use super::no_params;
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::StatusView;
use crate::db::queries::index;

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "probes",
    responses((status = 200, description = "The server is alive", body = StatusView))
)]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(StatusView {
        status: "ok".to_owned(),
    })
}

/// Readiness: the database answers a query.
#[utoipa::path(
    get,
    path = "/ready",
    operation_id = "ready",
    tag = "probes",
    responses(
        (status = 200, description = "The database is readable", body = StatusView),
        (status = 503, description = "The database cannot be queried", body = crate::api::error::Problem, content_type = "application/problem+json")
    )
)]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match state.run(index::ping).await {
        Ok(_) => Ok(HttpResponse::Ok().json(StatusView {
            status: "ready".to_owned(),
        })),
        Err(error) => {
            log::warn!("readiness check failed: {error}");
            Err(ApiError::Unavailable(
                "the database cannot be queried".to_owned(),
            ))
        }
    }
}

/// The OpenAPI document as `/v1/openapi.json` serves it ([`crate::api::openapi_json`]).
///
/// The `App` hands it to [`openapi`] as app data: the document is made from the route table,
/// which lists that handler, so the handler does not ask the document for itself.
#[derive(Debug, Clone)]
pub struct OpenApiJson(pub Bytes);

/// The OpenAPI document of this API (the same as `zhengce openapi` prints).
#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    operation_id = "get_openapi",
    tag = "index",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub async fn openapi(
    request: HttpRequest,
    document: web::Data<OpenApiJson>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .body(document.0.clone()))
}

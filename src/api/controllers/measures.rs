//! `/v1/measures`, `/v1/measures/{id}` and the measure lists of documents and agencies.

use actix_web::{web, HttpRequest, HttpResponse};

use super::resource::{self, serve_list, serve_record, ListParams, PathFilter, Within};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{Item, ListEnvelope, MeasureView};
use crate::db::queries::measures::{self, MeasureRecord};

/// Measures, as the generic handlers serve them.
pub struct Measures;

serve_list!(Measures, measures, MeasureRecord => MeasureView);
serve_record!(Measures, measures::get, MeasureRecord => MeasureView, point);

/// The document a path names (`/v1/documents/{id}/measures`).
pub struct DocumentInPath;

impl PathFilter for DocumentInPath {
    const NAME: &'static str = "document";
}

/// The agency a path names (`/v1/agencies/{id}/measures`); a `role` filter applies to it.
pub struct AgencyInPath;

impl PathFilter for AgencyInPath {
    const NAME: &'static str = "agency";
}

/// List measures.
///
/// The actionable units of the documents: the numbered items of the action parts, each with
/// the agencies charged with it and its themes. Filter, sort, page and facet them; for
/// example `/v1/measures?role=lead&facet=agency` counts the measures each agency leads.
#[utoipa::path(
    get,
    path = "/v1/measures",
    operation_id = "list_measures",
    tag = "measures",
    params(ListParams<Measures>, PageParams),
    responses(
        (status = 200, description = "A page of measures", body = ListEnvelope<MeasureView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Measures>(&request, &state, None).await
}

/// Get one measure.
#[utoipa::path(
    get,
    path = "/v1/measures/{id}",
    operation_id = "get_measure",
    tag = "measures",
    params(("id" = String, Path, description = "Measure id", example = "yubei-2020-online-economy-plan--p5.s14.i25")),
    responses(
        (status = 200, description = "The measure", body = Item<MeasureView>),
        ItemErrors
    )
)]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    resource::get::<Measures>(&request, &state, id.into_inner()).await
}

/// List the measures of a document.
///
/// The same list as `/v1/measures?document={id}`, with every other measure filter, but a
/// 404 when the document does not exist.
#[utoipa::path(
    get,
    path = "/v1/documents/{id}/measures",
    operation_id = "list_document_measures",
    tag = "documents",
    params(
        ("id" = String, Path, description = "Document id", example = "hongkou-2020-online-new-economy-opinions"),
        ListParams<Within<Measures, DocumentInPath>>,
        PageParams
    ),
    responses(
        (status = 200, description = "A page of the document's measures", body = ListEnvelope<MeasureView>),
        ItemErrors
    )
)]
pub async fn of_document(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Within<Measures, DocumentInPath>>(&request, &state, Some(id.into_inner()))
        .await
}

/// List the measures an agency is named on.
///
/// The same list as `/v1/measures?agency={id}`: combine with `role` for the measures the
/// agency leads, cooperates on, and so on. A 404 when the agency does not exist.
#[utoipa::path(
    get,
    path = "/v1/agencies/{id}/measures",
    operation_id = "list_agency_measures",
    tag = "agencies",
    params(
        ("id" = String, Path, description = "Agency id", example = "yubei-urban-management-bureau"),
        ListParams<Within<Measures, AgencyInPath>>,
        PageParams
    ),
    responses(
        (status = 200, description = "A page of the agency's measures", body = ListEnvelope<MeasureView>),
        ItemErrors
    )
)]
pub async fn of_agency(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Within<Measures, AgencyInPath>>(&request, &state, Some(id.into_inner())).await
}

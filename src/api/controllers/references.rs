//! `/v1/references`, `/v1/references/{id}` and `/v1/references/cited/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{CitedDetailView, Item, ListEnvelope, ReferenceView};
use crate::db::queries::references::{self, ReferenceFilter, SPEC};

/// Filter parameters of `/v1/references`.
pub const FILTERS: [&str; 3] = ["document", "cited", "resolved"];

/// Facets of reference lists: `document` (citing), `cited`, `resolved` (cited document in
/// the corpus or not).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReferenceFacet {
    /// References per citing document.
    Document,
    /// References per cited document.
    Cited,
    /// References to corpus documents (`true`) and to outside ones (`false`).
    Resolved,
}

/// Filters, order and facets of `/v1/references`. A repeated parameter matches any of its
/// values (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ReferenceParams {
    /// Only citations made by these documents (ids from `/v1/documents`).
    #[param(example = json!(["chongqing-bigdata-2020-reply-0040"]))]
    document: Option<Vec<String>>,
    /// Only citations of these cited documents (the `cited.id` of a reference).
    cited: Option<Vec<String>>,
    /// `true`: only citations of documents that are in the corpus; `false`: only citations
    /// of outside documents.
    #[param(example = false)]
    resolved: Option<bool>,
    /// Sort order: one or more of `document`, `ordinal`, `cited`, `id`, separated by commas;
    /// prefix a field with `-` for descending order. Default: `document,ordinal`.
    #[param(example = "cited")]
    sort: Option<String>,
    /// Count the matching references per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<ReferenceFacet>>, example = json!(["cited"]))]
    facet: Option<Vec<String>>,
}

fn read_filter(params: &mut Params) -> ReferenceFilter {
    ReferenceFilter {
        documents: params.values("document"),
        cited: params.values("cited"),
        resolved: params.boolean("resolved"),
    }
}

/// List references.
///
/// Citations of other documents by 《title》 or document number (`渝府办发〔2020〕25号`),
/// each tied to one cited-document record shared by every document citing it, and to the
/// corpus document when the cited document is in the corpus.
#[utoipa::path(
    get,
    path = "/v1/references",
    operation_id = "list_references",
    tag = "references",
    params(ReferenceParams, PageParams),
    responses(
        (status = 200, description = "A page of references", body = ListEnvelope<ReferenceView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, filter) = parse_list(&request, &FILTERS, &SPEC, read_filter)?;
    formats::answer(
        &request,
        &state,
        &params,
        options,
        filter,
        references::list,
        ReferenceView::from,
    )
    .await
}

/// Get one reference.
#[utoipa::path(
    get,
    path = "/v1/references/{id}",
    operation_id = "get_reference",
    tag = "references",
    params(("id" = String, Path, description = "Reference id", example = "yubei-2020-online-economy-plan--r1")),
    responses(
        (status = 200, description = "The reference", body = Item<ReferenceView>),
        ItemErrors
    )
)]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    let id = id.into_inner();
    let record = state.run(move |conn| references::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(ReferenceView::from(record))))
}

/// Get a cited document and everything that cites it.
///
/// One document cited by the corpus (by title, number or both) with every citation of it:
/// which corpus documents cite it, in which sentence, and where.
#[utoipa::path(
    get,
    path = "/v1/references/cited/{id}",
    operation_id = "get_cited_document",
    tag = "references",
    params(("id" = String, Path, description = "Cited-document id (the `cited.id` of a reference)", example = "yu-fu-ban-fa-2020-25")),
    responses(
        (status = 200, description = "The cited document with its citations", body = Item<CitedDetailView>),
        ItemErrors
    )
)]
pub async fn cited(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    let id = id.into_inner();
    let detail = state.run(move |conn| references::cited(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(CitedDetailView::from(detail))))
}

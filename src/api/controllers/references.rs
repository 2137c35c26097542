//! `/v1/references`, `/v1/references/{id}` and `/v1/references/cited/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::resource::{self, serve_list, serve_record, ListParams};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{CitedDetailView, Item, ListEnvelope, ReferenceView};
use crate::db::queries::references::{self, CitedDetail, ReferenceRecord};

/// References, as the generic handlers serve them.
pub struct References;

/// A cited document with its citations, as the generic record handler serves it.
pub struct CitedDocuments;

serve_list!(References, references, ReferenceRecord => ReferenceView);
serve_record!(References, references::get, ReferenceRecord => ReferenceView);
serve_record!(CitedDocuments, references::cited, CitedDetail => CitedDetailView);

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
    params(ListParams<References>, PageParams),
    responses(
        (status = 200, description = "A page of references", body = ListEnvelope<ReferenceView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<References>(&request, &state, None).await
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
    resource::get::<References>(&request, &state, id.into_inner()).await
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
    resource::get::<CitedDocuments>(&request, &state, id.into_inner()).await
}

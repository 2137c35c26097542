//! `/v1/jurisdictions` and `/v1/jurisdictions/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::resource::{self, serve_list, serve_record, ListParams};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{Item, JurisdictionView, ListEnvelope};
use crate::db::queries::jurisdictions::{self, JurisdictionRecord};

/// Jurisdictions, as the generic handlers serve them.
pub struct Jurisdictions;

serve_list!(Jurisdictions, jurisdictions, JurisdictionRecord => JurisdictionView);
serve_record!(Jurisdictions, jurisdictions::get, JurisdictionRecord => JurisdictionView);

/// List jurisdictions.
///
/// The places documents and agencies belong to, as a tree: 中国 ⊃ 重庆市 ⊃ 渝北区, with
/// every provincial-, prefecture- and county-level division of China and its GB/T 2260
/// code. Most hold no document: `has_documents=true` lists those that do. Filtering another
/// resource by a jurisdiction includes everything below it.
#[utoipa::path(
    get,
    path = "/v1/jurisdictions",
    operation_id = "list_jurisdictions",
    tag = "jurisdictions",
    params(ListParams<Jurisdictions>, PageParams),
    responses(
        (status = 200, description = "A page of jurisdictions", body = ListEnvelope<JurisdictionView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Jurisdictions>(&request, &state, None).await
}

/// Get one jurisdiction.
#[utoipa::path(
    get,
    path = "/v1/jurisdictions/{id}",
    operation_id = "get_jurisdiction",
    tag = "jurisdictions",
    params(("id" = String, Path, description = "Jurisdiction id", example = "chongqing")),
    responses(
        (status = 200, description = "The jurisdiction", body = Item<JurisdictionView>),
        ItemErrors
    )
)]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    resource::get::<Jurisdictions>(&request, &state, id.into_inner()).await
}

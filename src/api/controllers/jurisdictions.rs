//! `/v1/jurisdictions` and `/v1/jurisdictions/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{Item, JurisdictionView, ListEnvelope};
use crate::db::queries::jurisdictions::{self, JurisdictionFilter, SPEC};

/// Filter parameters of `/v1/jurisdictions`.
pub const FILTERS: [&str; 2] = ["level", "parent"];

/// Facets of jurisdiction lists: `level`, `parent`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JurisdictionFacet {
    /// Jurisdictions per level.
    Level,
    /// Jurisdictions per parent.
    Parent,
}

/// Filters, order and facets of `/v1/jurisdictions`. A repeated parameter matches any of its
/// values (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct JurisdictionParams {
    /// Only jurisdictions of this level (`national`, `province`, `municipality`, `district`,
    /// `county`).
    #[param(example = json!(["district"]))]
    level: Option<Vec<String>>,
    /// Only the jurisdictions directly below these.
    #[param(example = json!(["chongqing"]))]
    parent: Option<Vec<String>>,
    /// Sort order: one or more of `position`, `id`, `name`, `level`, `documents`, separated
    /// by commas; prefix a field with `-` for descending order. Default: `position` (each
    /// jurisdiction after its parent).
    #[param(example = "-documents")]
    sort: Option<String>,
    /// Count the matching jurisdictions per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<JurisdictionFacet>>, example = json!(["level"]))]
    facet: Option<Vec<String>>,
}

fn read_filter(params: &mut Params) -> JurisdictionFilter {
    JurisdictionFilter {
        levels: params.values("level"),
        parents: params.values("parent"),
    }
}

/// List jurisdictions.
///
/// The places documents and agencies belong to, as a tree: 中国 ⊃ 重庆市 ⊃ 渝北区. Filtering
/// another resource by a jurisdiction includes everything below it.
#[utoipa::path(
    get,
    path = "/v1/jurisdictions",
    operation_id = "list_jurisdictions",
    tag = "jurisdictions",
    params(JurisdictionParams, PageParams),
    responses(
        (status = 200, description = "A page of jurisdictions", body = ListEnvelope<JurisdictionView>),
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
        jurisdictions::list,
        JurisdictionView::from,
    )
    .await
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
    no_params(&request)?;
    let id = id.into_inner();
    let record = state.run(move |conn| jurisdictions::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(JurisdictionView::from(record))))
}

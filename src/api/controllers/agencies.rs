//! `/v1/agencies` and `/v1/agencies/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::resource::{self, serve_list, serve_record, ListParams};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{AgencyDetailView, AgencyView, Item, ListEnvelope};
use crate::db::queries::agencies::{self, AgencyDetail, AgencyRecord};

/// Agencies, as the generic handlers serve them.
pub struct Agencies;

serve_list!(Agencies, agencies, AgencyRecord => AgencyView);
serve_record!(Agencies, agencies::get, AgencyDetail => AgencyDetailView);

/// List agencies.
///
/// Government departments, party organs, leading groups, companies and collectives named in
/// the documents' annotations, each resolved to one canonical record within its
/// jurisdiction, with how many measures it leads, cooperates on, and so on.
#[utoipa::path(
    get,
    path = "/v1/agencies",
    operation_id = "list_agencies",
    tag = "agencies",
    params(ListParams<Agencies>, PageParams),
    responses(
        (status = 200, description = "A page of agencies", body = ListEnvelope<AgencyView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Agencies>(&request, &state, None).await
}

/// Get one agency with its partners.
///
/// The agency and `partners`: the agencies named on the same measures, with the number of
/// measures shared, most shared first.
#[utoipa::path(
    get,
    path = "/v1/agencies/{id}",
    operation_id = "get_agency",
    tag = "agencies",
    params(("id" = String, Path, description = "Agency id", example = "yubei-urban-management-bureau")),
    responses(
        (status = 200, description = "The agency", body = Item<AgencyDetailView>),
        ItemErrors
    )
)]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    resource::get::<Agencies>(&request, &state, id.into_inner()).await
}

//! `/v1/agencies` and `/v1/agencies/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::pagination::{envelope, respond};
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{AgencyDetailView, AgencyView, Item, ListEnvelope, Role};
use crate::db::queries::agencies::{self, AgencyFilter, SPEC};
use crate::db::queries::measures::ROLES;

/// Filter parameters of `/v1/agencies`.
pub const FILTERS: [&str; 5] = ["jurisdiction", "kind", "role", "q", "resolved"];

/// Facets of agency lists: `jurisdiction`, `kind`, `role` (agencies with at least one
/// measure in the role), `resolved`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AgencyFacet {
    /// Agencies per jurisdiction.
    Jurisdiction,
    /// Agencies per kind.
    Kind,
    /// Agencies with at least one measure in each role.
    Role,
    /// Gazetteer agencies (`true`) and provisional ones (`false`).
    Resolved,
}

/// Filters, order and facets of `/v1/agencies`. A repeated parameter matches any of its
/// values (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AgencyParams {
    /// Only agencies of these jurisdictions or of jurisdictions below them (ids from
    /// `/v1/jurisdictions`). Abbreviations are scoped: 区商务委 of Yubei and 区商务委 of
    /// Hongkou are different agencies.
    #[param(example = json!(["chongqing-yubei"]))]
    jurisdiction: Option<Vec<String>>,
    /// Only agencies of this kind: `government`, `government_office`,
    /// `government_department`, `party_organ`, `leading_group`, `public_institution`,
    /// `company`, `collective`, `zone_administration`, `mass_organization`, `court` …
    #[param(example = json!(["government_department"]))]
    kind: Option<Vec<String>>,
    /// Only agencies with at least one measure in this role.
    #[param(value_type = Option<Vec<Role>>, example = json!(["lead"]))]
    role: Option<Vec<String>>,
    /// Only agencies whose canonical name, one of its aliases or its English name contains
    /// this text.
    #[param(example = json!(["商务"]))]
    q: Option<Vec<String>>,
    /// `true`: only agencies from the gazetteer; `false`: only provisional agencies created
    /// for names the gazetteer lacks.
    #[param(example = false)]
    resolved: Option<bool>,
    /// Sort order: one or more of `id`, `name`, `name_en`, `jurisdiction`, `kind`,
    /// `measures`, separated by commas; prefix a field with `-` for descending order
    /// (`-measures`: the busiest agencies first). Default: `id`.
    #[param(example = "-measures")]
    sort: Option<String>,
    /// Count the matching agencies per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<AgencyFacet>>, example = json!(["kind"]))]
    facet: Option<Vec<String>>,
}

fn read_filter(params: &mut Params) -> AgencyFilter {
    AgencyFilter {
        jurisdictions: params.values("jurisdiction"),
        kinds: params.values("kind"),
        roles: params.choices("role", &ROLES),
        q: params.values("q"),
        resolved: params.boolean("resolved"),
    }
}

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
    params(AgencyParams, PageParams),
    responses(
        (status = 200, description = "A page of agencies", body = ListEnvelope<AgencyView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, filter) = parse_list(&request, &FILTERS, &SPEC, read_filter)?;
    let list_request = options.request(filter);
    let page = state
        .run(move |conn| agencies::list(conn, &list_request))
        .await?;
    Ok(respond(&envelope(
        &request,
        &params,
        &options,
        page,
        AgencyView::from,
    )))
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
    no_params(&request)?;
    let id = id.into_inner();
    let detail = state.run(move |conn| agencies::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(AgencyDetailView::from(detail))))
}

//! `/v1/agencies` and `/v1/agencies/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{AgencyDetailView, AgencyView, Item, ListEnvelope, Origin, Role};
use crate::corpus::AgencyOrigin;
use crate::db::queries::agencies::{self, AgencyFilter, SPEC};
use crate::db::queries::measures::ROLES;

/// Filter parameters of `/v1/agencies`.
pub const FILTERS: [&str; 6] = ["jurisdiction", "kind", "role", "q", "resolved", "origin"];

/// Facets of agency lists: `jurisdiction`, `kind`, `role` (agencies with at least one
/// measure in the role), `resolved`, `origin`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AgencyFacet {
    /// Agencies per jurisdiction.
    Jurisdiction,
    /// Agencies per kind.
    Kind,
    /// Agencies with at least one measure in each role.
    Role,
    /// Resolved agencies (`true`: gazetteer and model) and provisional ones (`false`).
    Resolved,
    /// Agencies per origin: `gazetteer`, `model`, `provisional`.
    Origin,
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
    /// Full-text search in the canonical name, the aliases and the English name. Plain
    /// words must all occur, in any order (`医疗 教育`); Chinese text is split into words.
    /// `"quoted text"` must occur exactly, even across word boundaries (`"线上业"`). `A OR B`
    /// matches either; `-word` excludes. Latin letters and digits ignore case and match
    /// whole words (`5G`, `APP`). Examples: `医疗`, `"线上业"`, `医疗 OR 教育 -金融`,
    /// `5G`. Give it once. With `q` the default order is `relevance` (title matches first,
    /// then bm25). A query that is empty, only excludes, has no letters, digits or Chinese
    /// characters, or is over 1000 characters is a 400 naming `q`.
    #[param(example = "商务")]
    q: Option<String>,
    /// `true`: only resolved agencies (from the gazetteer or the standard-agency model);
    /// `false`: only provisional agencies created for names neither knows.
    #[param(example = false)]
    resolved: Option<bool>,
    /// Only agencies known from this source: `gazetteer` (the hand gazetteer,
    /// `data/agencies.toml`), `model` (the standard-agency model, `data/agency_model.toml`,
    /// instantiated for the document's jurisdiction, and its national bodies and
    /// collectives) or `provisional` (a printed name nothing else resolved).
    #[param(value_type = Option<Vec<Origin>>, example = json!(["model"]))]
    origin: Option<Vec<String>>,
    /// Sort order: one or more of `id`, `name`, `name_en`, `jurisdiction`, `kind`,
    /// `measures`, `relevance` (only with `q`), separated by commas; prefix a field with `-`
    /// for descending order (`-measures`: the busiest agencies first). Default: `id`, or
    /// `relevance` when `q` is given.
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
        q: super::search::read_query(params),
        resolved: params.boolean("resolved"),
        origins: params.choices("origin", &origin_names()),
    }
}

/// The values `origin` accepts, in the corpus's order.
fn origin_names() -> Vec<&'static str> {
    AgencyOrigin::ALL
        .iter()
        .map(|origin| origin.as_str())
        .collect()
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
    formats::answer(
        &request,
        &state,
        &params,
        options,
        filter,
        agencies::list,
        AgencyView::from,
    )
    .await
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

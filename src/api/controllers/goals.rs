//! `/v1/goals` and `/v1/goals/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{GoalView, Item, ListEnvelope};
use crate::db::queries::goals::{self, GoalFilter, SPEC};

/// Filter parameters of `/v1/goals`.
pub const FILTERS: [&str; 7] = [
    "document",
    "jurisdiction",
    "year",
    "year_from",
    "year_to",
    "unit",
    "q",
];

/// Facets of goal lists: `document`, `jurisdiction` (of the document), `year` (target
/// year), `unit`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GoalFacet {
    /// Goals per document.
    Document,
    /// Goals per jurisdiction of their document.
    Jurisdiction,
    /// Goals per target year.
    Year,
    /// Goals per unit.
    Unit,
}

/// Filters, order and facets of `/v1/goals`. A repeated parameter matches any of its values
/// (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct GoalParams {
    /// Only goals of these documents (ids from `/v1/documents`).
    #[param(example = json!(["chongqing-2015-internet-plus-plan"]))]
    document: Option<Vec<String>>,
    /// Only goals of documents of these jurisdictions or of jurisdictions below them.
    #[param(example = json!(["tianjin"]))]
    jurisdiction: Option<Vec<String>>,
    /// Only goals for these target years.
    #[param(example = json!([2018]))]
    year: Option<Vec<i32>>,
    /// Only goals with a target year from this year on.
    #[param(example = 2020)]
    year_from: Option<i32>,
    /// Only goals with a target year up to this year.
    #[param(example = 2022)]
    year_to: Option<i32>,
    /// Only goals in this unit, as printed (`亿元`, `%`, `家`, `个` …).
    #[param(example = json!(["亿元"]))]
    unit: Option<Vec<String>>,
    /// Full-text search in the metric and the sentence. Plain
    /// words must all occur, in any order (`医疗 教育`); Chinese text is split into words.
    /// `"quoted text"` must occur exactly, even across word boundaries (`"线上业"`). `A OR B`
    /// matches either; `-word` excludes. Latin letters and digits ignore case and match
    /// whole words (`5G`, `APP`). Examples: `医疗`, `"线上业"`, `医疗 OR 教育 -金融`,
    /// `5G`. Give it once. With `q` the default order is `relevance` (title matches first,
    /// then bm25). A query that is empty, only excludes, has no letters, digits or Chinese
    /// characters, or is over 1000 characters is a 400 naming `q`.
    #[param(example = "软件")]
    q: Option<String>,
    /// Sort order: one or more of `document`, `ordinal`, `year`, `metric`, `unit`, `value`,
    /// `value_base`, `id`, `relevance` (only with `q`), separated by commas; prefix a field
    /// with `-` for descending order. Records without a value sort last. Default:
    /// `document,ordinal`, or `relevance` when `q` is given.
    #[param(example = "-value_base")]
    sort: Option<String>,
    /// Count the matching goals per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<GoalFacet>>, example = json!(["year"]))]
    facet: Option<Vec<String>>,
}

fn read_filter(params: &mut Params) -> GoalFilter {
    GoalFilter {
        documents: params.values("document"),
        jurisdictions: params.values("jurisdiction"),
        years: params.years("year"),
        year_from: params.year("year_from"),
        year_to: params.year("year_to"),
        units: params.values("unit"),
        q: super::search::read_query(params),
    }
}

/// List goals.
///
/// Quantified targets with a year, such as `到2018年 … 软件和信息服务业产值达2500亿元`: the
/// metric, value, unit, comparator, target year, the value in base units (亿元 → yuan) and
/// the sentence it came from.
#[utoipa::path(
    get,
    path = "/v1/goals",
    operation_id = "list_goals",
    tag = "goals",
    params(GoalParams, PageParams),
    responses(
        (status = 200, description = "A page of goals", body = ListEnvelope<GoalView>),
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
        goals::list,
        GoalView::from,
    )
    .await
}

/// Get one goal.
#[utoipa::path(
    get,
    path = "/v1/goals/{id}",
    operation_id = "get_goal",
    tag = "goals",
    params(("id" = String, Path, description = "Goal id", example = "chongqing-2015-internet-plus-plan--g1")),
    responses(
        (status = 200, description = "The goal", body = Item<GoalView>),
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
    let record = state.lookup(move |conn| goals::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(GoalView::from(record))))
}

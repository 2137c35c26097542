//! `/v1/goals` and `/v1/goals/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::resource::{self, serve_list, serve_record, ListParams};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{GoalView, Item, ListEnvelope};
use crate::db::queries::goals::{self, GoalRecord};

/// Goals, as the generic handlers serve them.
pub struct Goals;

serve_list!(Goals, goals, GoalRecord => GoalView);
serve_record!(Goals, goals::get, GoalRecord => GoalView, point);

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
    params(ListParams<Goals>, PageParams),
    responses(
        (status = 200, description = "A page of goals", body = ListEnvelope<GoalView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Goals>(&request, &state, None).await
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
    resource::get::<Goals>(&request, &state, id.into_inner()).await
}

//! `/v1/goals` and `/v1/goals/{id}`.

use super::resource::{get_handler, list_handler, serve_list, serve_record};
use crate::api::views::GoalView;
use crate::db::queries::goals::{self, GoalRecord};

/// Goals, as the generic handlers serve them.
pub struct Goals;

serve_list!(Goals, goals, GoalRecord => GoalView);
serve_record!(Goals, goals::get, GoalRecord => GoalView, point);

list_handler! {
    /// List goals.
    ///
    /// Quantified targets with a year, such as `到2018年 … 软件和信息服务业产值达2500亿元`: the
    /// metric, value, unit, comparator, target year, the value in base units (亿元 → yuan) and
    /// the sentence it came from.
    list: Goals at "/v1/goals" as "list_goals" in "goals",
    "A page of goals" => GoalView
}

get_handler! {
    /// Get one goal.
    get: Goals at "/v1/goals/{id}" as "get_goal" in "goals",
    id "Goal id" "chongqing-2015-internet-plus-plan--g1",
    "The goal" => GoalView
}

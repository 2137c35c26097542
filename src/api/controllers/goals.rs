//! `/v1/goals` and `/v1/goals/{id}`.

use super::resource::resource;
use crate::api::views::GoalView;
use crate::db::queries::goals;

resource! {
    /// Goals, as the generic handlers serve them.
    Goals in "goals";
    /// List goals.
    ///
    /// Quantified targets with a year, such as `到2018年 … 软件和信息服务业产值达2500亿元`: the
    /// metric, value, unit, comparator, target year, the value in base units (亿元 → yuan) and
    /// the sentence it came from.
    list goals => GoalView at "/v1/goals" as list_goals;
    /// Get one goal.
    get [point] goals::get => GoalView at "/v1/goals/{id}" as get_goal, "The goal",
        id "Goal id" "chongqing-2015-internet-plus-plan--g1";
}

//! The `goals` table: the quantified targets of each document.

use diesel::prelude::*;

use super::{int, provision_id, SpanColumns};
use crate::corpus::{self, ParsedDocument};
use crate::db::schema::goals;
use crate::db::DbError;

/// The `goals` row of a goal of `document`.
pub(super) fn goal_row<'a>(
    document: &'a ParsedDocument,
    goal: &'a corpus::Goal,
) -> Result<GoalRow<'a>, DbError> {
    let owner = goal.id.as_str();
    let span = SpanColumns::of(&goal.span, owner)?;
    Ok(GoalRow {
        id: owner,
        document_id: &document.id,
        provision_id: goal
            .provision
            .map(|index| provision_id(document, index, owner))
            .transpose()?,
        ordinal: int(goal.ordinal, owner, "ordinal")?,
        metric: &goal.metric,
        value: goal.value,
        value_text: &goal.value_text,
        unit: &goal.unit,
        comparator: goal.comparator.as_str(),
        comparator_text: &goal.comparator_text,
        year: goal.year,
        value_base: goal.value_base,
        base_unit: goal.base_unit.as_deref(),
        clause: &goal.clause,
        sentence: &goal.sentence,
        span_start: span.start,
        span_end: span.end,
        line_start: span.line_start,
        line_end: span.line_end,
    })
}

/// A row of `goals`.
#[derive(Insertable)]
#[diesel(table_name = goals, treat_none_as_default_value = false)]
pub(super) struct GoalRow<'a> {
    id: &'a str,
    document_id: &'a str,
    provision_id: Option<&'a str>,
    ordinal: i32,
    metric: &'a str,
    value: f64,
    value_text: &'a str,
    unit: &'a str,
    comparator: &'static str,
    comparator_text: &'a str,
    year: Option<i32>,
    value_base: Option<f64>,
    base_unit: Option<&'a str>,
    clause: &'a str,
    sentence: &'a str,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

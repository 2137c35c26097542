//! Goals: quantified targets with a year.

use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::QueryableByName;
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    read_model, Condition, Example, FacetSpec, FilterField, ListSpec, SortField, SourceRecord,
    SpanColumns, Takes, RELEVANCE_FIELD,
};
use crate::db::search::SearchKind;

/// Goal lists: their filters, sort fields and facets.
pub static SPEC: ListSpec = ListSpec {
    name: "goals",
    record: "goal",
    from: "goals g JOIN documents d ON d.id = g.document_id",
    id: "g.id",
    search: Some(SearchKind::Goal),
    filters: &[
        FilterField::document(
            "g.document_id",
            "Only goals of these documents (ids from `/v1/documents`).",
            &["chongqing-2015-internet-plus-plan"],
        ),
        FilterField::jurisdiction(
            "d.jurisdiction_id",
            "Only goals of documents of these jurisdictions or of jurisdictions below them.",
            &["tianjin"],
        ),
        FilterField::years("g.year", "Only goals for these target years.", &[2018]),
        FilterField::new(
            "year_from",
            Takes::Year,
            Condition::AtLeast("g.year"),
            "Only goals with a target year from this year on.",
        )
        .example(Example::Number(2020)),
        FilterField::new(
            "year_to",
            Takes::Year,
            Condition::AtMost("g.year"),
            "Only goals with a target year up to this year.",
        )
        .example(Example::Number(2022)),
        FilterField::new(
            "unit",
            Takes::Texts,
            Condition::In("g.unit"),
            "Only goals in this unit, as printed (`亿元`, `%`, `家`, `个` …).",
        )
        .vocabulary("goals", "unit")
        .example(Example::Texts(&["亿元"])),
        FilterField::search("Full-text search in the metric and the sentence.", "软件"),
    ],
    sort_fields: &[
        SortField::text("document", "g.document_id", "document id"),
        SortField::int(
            "ordinal",
            "g.ordinal",
            "position of the goal within its document",
        ),
        SortField::int(
            "year",
            "g.year",
            "target year (goals without one come last)",
        )
        .or_null(),
        SortField::text("metric", "g.metric", "what is measured"),
        SortField::text("unit", "g.unit", "unit as printed"),
        SortField::real("value", "g.value", "value as printed"),
        SortField::real(
            "value_base",
            "g.value_base",
            "value in base units (yuan, percent, count …)",
        )
        .or_null(),
        SortField::text("id", "g.id", "goal id"),
        RELEVANCE_FIELD,
    ],
    default_sort: &["document", "ordinal"],
    examples: ("-value_base", "year"),
    facets: &[
        FacetSpec::new("document", "g.document_id", "d.title", "goals per document"),
        FacetSpec::new(
            "jurisdiction",
            "d.jurisdiction_id",
            "fj.name",
            "goals per jurisdiction of their document",
        )
        .joined("LEFT JOIN jurisdictions fj ON fj.id = d.jurisdiction_id"),
        FacetSpec::new("year", "g.year", "g.year", "goals per target year"),
        FacetSpec::new("unit", "g.unit", "g.unit", "goals per unit"),
    ],
};

/// A quantified target with a year: `到2018年 … 软件和信息服务业产值达2500亿元`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = GoalView)]
pub struct GoalRecord {
    /// Goal id.
    #[schema(example = "chongqing-2015-internet-plus-plan--g4")]
    pub id: String,
    /// Document id.
    #[schema(example = "chongqing-2015-internet-plus-plan")]
    pub document: String,
    /// Position among the document's goals (1-based).
    pub ordinal: i64,
    /// What is measured.
    #[schema(example = "软件和信息服务业产值")]
    pub metric: String,
    /// The target value in the printed unit.
    #[schema(example = 2500.0)]
    pub value: f64,
    /// The value as printed.
    #[schema(example = "2500")]
    pub value_text: String,
    /// Unit as printed.
    #[schema(example = "亿元")]
    pub unit: String,
    /// `eq`, `gte` (at least), `gt` (more than), `lte` (at most) or `approx`.
    #[schema(example = "eq")]
    pub comparator: String,
    /// The words that gave the comparator (`达到`, `以上` …).
    pub comparator_text: String,
    /// Target year.
    #[schema(example = 2018)]
    pub year: Option<i64>,
    /// The value in base units (亿元 → yuan), where the unit converts.
    #[schema(example = 250000000000.0)]
    pub value_base: Option<f64>,
    /// The base unit: `yuan`, `percent`, `count` …
    #[schema(example = "yuan")]
    pub base_unit: Option<String>,
    /// The sentence the goal came from.
    pub text: String,
    /// The clause of the sentence that states the goal.
    pub clause: String,
    /// Where the goal stands in the document.
    pub source: SourceRecord,
}

#[derive(QueryableByName)]
struct GoalRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    document_id: String,
    #[diesel(sql_type = BigInt)]
    ordinal: i64,
    #[diesel(sql_type = Text)]
    metric: String,
    #[diesel(sql_type = Double)]
    value: f64,
    #[diesel(sql_type = Text)]
    value_text: String,
    #[diesel(sql_type = Text)]
    unit: String,
    #[diesel(sql_type = Text)]
    comparator: String,
    #[diesel(sql_type = Text)]
    comparator_text: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    year: Option<i64>,
    #[diesel(sql_type = Nullable<Double>)]
    value_base: Option<f64>,
    #[diesel(sql_type = Nullable<Text>)]
    base_unit: Option<String>,
    #[diesel(sql_type = Text)]
    clause: String,
    #[diesel(sql_type = Text)]
    sentence: String,
    #[diesel(embed)]
    span: SpanColumns,
}

impl GoalRow {
    fn into_record(self) -> GoalRecord {
        GoalRecord {
            source: self.span.into_record(&self.document_id),
            id: self.id,
            document: self.document_id,
            ordinal: self.ordinal,
            metric: self.metric,
            value: self.value,
            value_text: self.value_text,
            unit: self.unit,
            comparator: self.comparator,
            comparator_text: self.comparator_text,
            year: self.year,
            value_base: self.value_base,
            base_unit: self.base_unit,
            clause: self.clause,
            text: self.sentence,
        }
    }
}

fn columns() -> String {
    format!(
        "g.id AS id, g.document_id AS document_id, g.ordinal AS ordinal, g.metric AS metric, \
         g.value AS value, g.value_text AS value_text, g.unit AS unit, \
         g.comparator AS comparator, g.comparator_text AS comparator_text, g.year AS year, \
         g.value_base AS value_base, g.base_unit AS base_unit, g.clause AS clause, \
         g.sentence AS sentence, {}",
        SpanColumns::select("g", "d")
    )
}

read_model! {
    /// Lists goals: page, exact total and the requested facets.
    GoalRow => GoalRecord, columns columns(), each GoalRow::into_record;
    /// One goal by id.
    get
}

//! Goals: quantified targets with a year.

use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};

use super::{
    and_in, and_in_ints, and_in_jurisdictions, check_values, matches, Base, Check, FacetSpec,
    FacetSql, KeyKind, Keyed, ListRequest, ListSpec, Page, QueryError, QueryResult, SortField,
    SourceRecord, SpanColumns, Sql, RELEVANCE_FIELD,
};
use crate::db::search::{CompiledQuery, SearchKind};

/// Sorting and facets of goal lists.
pub static SPEC: ListSpec = ListSpec {
    name: "goals",
    sort_fields: &[
        SortField {
            name: "document",
            sql: "g.document_id",
            kind: KeyKind::Text,
            nullable: false,
            description: "document id",
        },
        SortField {
            name: "ordinal",
            sql: "g.ordinal",
            kind: KeyKind::Int,
            nullable: false,
            description: "position of the goal within its document",
        },
        SortField {
            name: "year",
            sql: "g.year",
            kind: KeyKind::Int,
            nullable: true,
            description: "target year (goals without one come last)",
        },
        SortField {
            name: "metric",
            sql: "g.metric",
            kind: KeyKind::Text,
            nullable: false,
            description: "what is measured",
        },
        SortField {
            name: "unit",
            sql: "g.unit",
            kind: KeyKind::Text,
            nullable: false,
            description: "unit as printed",
        },
        SortField {
            name: "value",
            sql: "g.value",
            kind: KeyKind::Real,
            nullable: false,
            description: "value as printed",
        },
        SortField {
            name: "value_base",
            sql: "g.value_base",
            kind: KeyKind::Real,
            nullable: true,
            description: "value in base units (yuan, percent, count …)",
        },
        SortField {
            name: "id",
            sql: "g.id",
            kind: KeyKind::Text,
            nullable: false,
            description: "goal id",
        },
        RELEVANCE_FIELD,
    ],
    default_sort: &["document", "ordinal"],
    facets: &[
        FacetSpec {
            name: "document",
            description: "goals per document",
        },
        FacetSpec {
            name: "jurisdiction",
            description: "goals per jurisdiction of their document",
        },
        FacetSpec {
            name: "year",
            description: "goals per target year",
        },
        FacetSpec {
            name: "unit",
            description: "goals per unit",
        },
    ],
};

/// Which goals a list holds (values within a field OR, fields AND).
#[derive(Debug, Clone, Default)]
pub struct GoalFilter {
    /// Document ids.
    pub documents: Vec<String>,
    /// Jurisdiction ids (each includes the jurisdictions below it).
    pub jurisdictions: Vec<String>,
    /// Target years.
    pub years: Vec<i32>,
    /// Earliest target year, inclusive.
    pub year_from: Option<i32>,
    /// Latest target year, inclusive.
    pub year_to: Option<i32>,
    /// Units as printed (`亿元`, `%`, `家` …).
    pub units: Vec<String>,
    /// Full-text search over the metric and the sentence.
    pub q: Option<CompiledQuery>,
}

/// A goal.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalRecord {
    /// Goal id.
    pub id: String,
    /// Document id.
    pub document: String,
    /// 1-based position within the document.
    pub ordinal: i64,
    /// What is measured.
    pub metric: String,
    /// The value.
    pub value: f64,
    /// The value as printed.
    pub value_text: String,
    /// Unit as printed.
    pub unit: String,
    /// `eq`, `gte`, `gt`, `lte` or `approx`.
    pub comparator: String,
    /// The words that gave the comparator.
    pub comparator_text: String,
    /// Target year.
    pub year: Option<i64>,
    /// Value in base units.
    pub value_base: Option<f64>,
    /// Base unit.
    pub base_unit: Option<String>,
    /// The clause the goal was read from.
    pub clause: String,
    /// The sentence the goal came from.
    pub sentence: String,
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
    #[diesel(sql_type = Text)]
    sort_key: String,
}

impl Keyed for GoalRow {
    fn sort_key(&self) -> &str {
        &self.sort_key
    }
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
            sentence: self.sentence,
        }
    }
}

const FROM: &str = "goals g JOIN documents d ON d.id = g.document_id";

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

fn base(filter: &GoalFilter) -> Base {
    let mut conditions = Sql::default();
    and_in(&mut conditions, "g.document_id", &filter.documents);
    and_in_jurisdictions(&mut conditions, "d.jurisdiction_id", &filter.jurisdictions);
    and_in_ints(&mut conditions, "g.year", &filter.years);
    if let Some(from) = filter.year_from {
        conditions.push(" AND g.year >= ").int(i64::from(from));
    }
    if let Some(to) = filter.year_to {
        conditions.push(" AND g.year <= ").int(i64::from(to));
    }
    and_in(&mut conditions, "g.unit", &filter.units);
    let search = matches("g.id", SearchKind::Goal, filter.q.as_ref());
    Base {
        from: FROM,
        id: "g.id",
        conditions,
        search,
    }
}

fn facet(name: &str) -> Option<FacetSql> {
    Some(match name {
        "document" => FacetSql::plain("g.document_id", "d.title"),
        "jurisdiction" => FacetSql::joined(
            "d.jurisdiction_id",
            "fj.name",
            "LEFT JOIN jurisdictions fj ON fj.id = d.jurisdiction_id",
        ),
        "year" => FacetSql::plain("g.year", "g.year"),
        "unit" => FacetSql::plain("g.unit", "g.unit"),
        _ => return None,
    })
}

/// Lists goals: page, exact total and the requested facets.
pub fn list(
    conn: &mut SqliteConnection,
    request: &ListRequest<GoalFilter>,
) -> QueryResult<Page<GoalRecord>> {
    let filter = &request.filter;
    check_values(
        conn,
        &[
            Check {
                param: "document",
                table: "documents",
                column: "id",
                values: &filter.documents,
                ids_of: Some("documents"),
            },
            Check {
                param: "jurisdiction",
                table: "jurisdictions",
                column: "id",
                values: &filter.jurisdictions,
                ids_of: Some("jurisdictions"),
            },
            Check {
                param: "unit",
                table: "goals",
                column: "unit",
                values: &filter.units,
                ids_of: None,
            },
        ],
    )?;
    let base = base(filter);
    let (rows, next) = base.page_ranked::<GoalRow, _>(
        conn,
        &columns(),
        request,
        filter.q.as_ref(),
        SearchKind::Goal,
    )?;
    let total = base.total(conn)?;
    let facets = base.facets(conn, &request.facets, facet)?;
    Ok(Page {
        items: rows.into_iter().map(GoalRow::into_record).collect(),
        total,
        next,
        facets,
    })
}

/// One goal by id.
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<GoalRecord> {
    let mut sql = Sql::new("SELECT ");
    sql.push(&columns())
        .push(", '' AS sort_key FROM ")
        .push(FROM)
        .push(" WHERE g.id = ")
        .text(id);
    sql.load::<GoalRow>(conn)?
        .into_iter()
        .next()
        .map(GoalRow::into_record)
        .ok_or_else(|| QueryError::NotFound {
            resource: "goal",
            id: id.to_owned(),
        })
}

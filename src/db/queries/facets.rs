//! Facets: counts of the records of a list per value of a field.

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::{Deserialize, Serialize};

use super::{and_in, cache, Base, Filters, QueryResult, Sql};

/// A facet a list offers: what it counts, as SQL over the list's tables.
#[derive(Debug)]
pub struct FacetSpec {
    /// Name used in the `facet` parameter (also the filter its values fit).
    pub name: &'static str,
    /// What it counts, for the API documentation.
    pub description: &'static str,
    /// The value expression.
    pub value: &'static str,
    /// The label expression (the value where it is NULL).
    pub label: &'static str,
    /// Joins the expressions need, added to the list's `FROM` clause.
    pub joins: &'static str,
    /// A filter whose values also narrow the joined rows, and the column they apply to:
    /// the agencies counted on measures are those in the roles of a `role` filter.
    pub narrowed_by: Option<(&'static str, &'static str)>,
}

impl FacetSpec {
    /// A facet counting `value` (labelled by `label`) over the list's own tables.
    pub const fn new(
        name: &'static str,
        value: &'static str,
        label: &'static str,
        description: &'static str,
    ) -> FacetSpec {
        FacetSpec {
            name,
            description,
            value,
            label,
            joins: "",
            narrowed_by: None,
        }
    }

    /// The same facet over the list's tables and `joins`.
    pub const fn joined(self, joins: &'static str) -> FacetSpec {
        FacetSpec { joins, ..self }
    }

    /// The same facet with the joined rows narrowed to the values of `filter` in `column`.
    pub const fn narrowed_by(self, filter: &'static str, column: &'static str) -> FacetSpec {
        FacetSpec {
            narrowed_by: Some((filter, column)),
            ..self
        }
    }

    /// The facet as SQL under `filters`.
    pub(super) fn sql(&self, filters: &Filters) -> FacetSql {
        let mut joins = Sql::new(self.joins);
        if let Some((filter, column)) = self.narrowed_by {
            and_in(&mut joins, column, filters.texts(filter));
        }
        FacetSql {
            value: self.value,
            label: self.label,
            joins,
        }
    }
}

/// A facet as SQL: value and label expressions and the joins they need, added to the base
/// `FROM` clause.
pub(crate) struct FacetSql {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    pub(crate) joins: Sql,
}

/// One value of a facet with the number of records that have it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value, as it would be passed to the filter parameter of the same name.
    #[diesel(sql_type = Text)]
    pub value: String,
    /// A human-readable label (a name or title where the value is an id).
    #[diesel(sql_type = Text)]
    pub label: String,
    /// Number of records under the current filter with this value.
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

impl cache::Weigh for FacetCount {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.value.len() + self.label.len()
    }
}

impl Base {
    /// Runs one statement per requested facet.
    pub(crate) fn facets(
        &self,
        conn: &mut SqliteConnection,
        names: &[&'static str],
        facet: impl Fn(&str) -> Option<FacetSql>,
    ) -> QueryResult<Vec<(&'static str, Vec<FacetCount>)>> {
        let mut facets = Vec::with_capacity(names.len());
        for name in names {
            let Some(spec) = facet(name) else {
                continue;
            };
            let mut sql = Sql::new("SELECT CAST(");
            sql.push(spec.value)
                .push(" AS TEXT) AS value, CAST(COALESCE(")
                .push(spec.label)
                .push(", ")
                .push(spec.value)
                .push(") AS TEXT) AS label, COUNT(DISTINCT ")
                .push(self.id)
                .push(") AS count FROM ")
                .push(self.from)
                .push(" ")
                .append(&spec.joins)
                .push(" WHERE ")
                .push(spec.value)
                .push(" IS NOT NULL")
                .append(&self.conditions)
                .append(&self.search)
                .push(" GROUP BY 1 ORDER BY 3 DESC, 1 ASC");
            facets.push((*name, cache::load::<FacetCount>(conn, &sql)?));
        }
        Ok(facets)
    }
}

//! The read queries behind the API. Nothing here knows about HTTP.
//!
//! Every list query follows the same plan, so that the number of SQL statements a request
//! runs does not depend on how many rows it returns:
//!
//! 1. at most one statement checking that the ids and vocabulary values used as filters exist;
//! 2. one statement for the page (keyset pagination: `WHERE (sort key, id) > cursor`);
//! 3. one statement for the exact total under the filter;
//! 4. one batched statement per related collection of the page's rows (`IN (json_each(?))`);
//! 5. one statement per requested facet.
//!
//! A list is declared once, as a [`ListSpec`] (its tables, [`filters`], sort fields and
//! facets); `ListSpec::rows` runs that plan for any of them, and this module holds it with
//! the error type. The machinery is split by stage: `sql` (statements with their bind
//! values), `checks` (filter values that must exist), `keyset` (sort fields, cursors, the
//! page statement), `facets`, and `source` (quotes cut out of the documents' source texts,
//! names of what a page links to). One submodule per resource holds its declaration, its
//! record types and what is its own (a document's outline, an agency's partners).

pub mod agencies;
mod cache;
mod checks;
pub mod documents;
mod facets;
pub mod feeds;
pub mod filters;
pub mod goals;
pub mod index;
pub mod jurisdictions;
mod keyset;
pub mod measures;
mod precompute;
mod prepared;
mod ranking;
pub mod references;
pub mod search;
mod source;
mod sql;
pub mod themes;

use std::borrow::Cow;

use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};
use serde::{Deserialize, Serialize};

use crate::db::search::{ranked_sql, CompiledQuery, SearchKind};

pub use cache::forget_dataset;
pub(crate) use checks::{check_values, ensure_exists, Check};
pub(crate) use facets::FacetSql;
pub use facets::{FacetCount, FacetSpec};
pub use filters::{
    Condition, Example, Exists, FilterField, FilterValue, Filters, Listed, Subquery, Takes,
};
pub use keyset::{KeyKind, KeyValue, SortField, SortKey, RELEVANCE, RELEVANCE_FIELD};
pub use precompute::{precompute, Precomputed};
pub use source::SourceRecord;
pub(crate) use source::{json_strings, NameKind, PageContext, SpanColumns};
pub(crate) use sql::{and_in, and_in_ints, and_in_jurisdictions, matches, Sql};

/// What a query can fail with.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// SQLite reported an error.
    #[error("database query failed: {0}")]
    Database(#[from] diesel::result::Error),
    /// Filter values that name nothing in the database (an unknown document id, a kind no
    /// record has …).
    #[error("unknown filter values")]
    UnknownValues(Vec<UnknownValue>),
    /// The record addressed by id does not exist.
    #[error("no {resource} with id {id:?}")]
    NotFound {
        /// Resource name, singular: `document`, `measure` …
        resource: &'static str,
        /// The id that was asked for.
        id: String,
    },
}

/// A filter value that names nothing in the database.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownValue {
    /// The filter it was given to.
    pub filter: &'static str,
    /// The value as given.
    pub value: String,
    /// What would have been accepted.
    pub allowed: Allowed,
}

/// What a filter parameter accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Allowed {
    /// A small vocabulary, listed in full.
    Values(Vec<String>),
    /// Ids of records of a resource (plural name, e.g. `documents`), too many to list.
    IdsOf(&'static str),
    /// Values of a field of a resource's records (the `code` of `jurisdictions`), too many
    /// to list.
    FieldOf {
        /// The field (`code`).
        field: &'static str,
        /// The resource listing them (plural name).
        resource: &'static str,
    },
}

/// Result alias of this module.
pub type QueryResult<T> = Result<T, QueryError>;

/// A list of records declared once: where its rows come from, its filters, sort fields and
/// facets. The generic list (`ListSpec::rows`) and lookup (`ListSpec::row`) read it, and
/// the API reads its query parameters and their documentation from it.
#[derive(Debug)]
pub struct ListSpec {
    /// Name of the resource listed (`measures` …); cursors are tied to it.
    pub name: &'static str,
    /// Name of one record (`measure`), as a record that is not found is named.
    pub record: &'static str,
    /// The `FROM` clause, with table aliases.
    pub from: &'static str,
    /// The record id expression.
    pub id: &'static str,
    /// The kind of search record the list's `q` filter searches, if it has one.
    pub search: Option<SearchKind>,
    /// Filters, in the order their conditions and checks are made.
    pub filters: &'static [FilterField],
    /// Sortable fields.
    pub sort_fields: &'static [SortField],
    /// The order used when the request gives none: field names, `-` for descending.
    pub default_sort: &'static [&'static str],
    /// Examples of a sort order and of a facet, for the API documentation (`""`: none).
    pub examples: (&'static str, &'static str),
    /// Facets, each named after the filter whose values it counts.
    pub facets: &'static [FacetSpec],
}

/// A list narrowed to what one record owns, named by the path of a sub-resource
/// (`/v1/documents/{id}/measures`): the filter it sets and the record's id. A scope naming
/// no record fails with [`QueryError::NotFound`].
#[derive(Debug, Clone)]
pub struct Scope {
    /// The filter the path sets (`document`).
    pub filter: &'static str,
    /// The id of the record.
    pub id: String,
}

impl ListSpec {
    /// The sort field called `name`.
    pub fn sort_field(&self, name: &str) -> Option<&'static SortField> {
        self.sort_fields.iter().find(|field| field.name == name)
    }

    /// The default sort order as keys.
    pub fn default_keys(&'static self) -> Vec<SortKey> {
        self.default_sort
            .iter()
            .filter_map(|name| {
                let (descending, name) = match name.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, *name),
                };
                self.sort_field(name)
                    .map(|field| SortKey { field, descending })
            })
            .collect()
    }

    /// The facet called `name` as SQL under `filters`.
    pub(crate) fn facet_sql(&self, name: &str, filters: &Filters) -> Option<FacetSql> {
        self.facets
            .iter()
            .find(|facet| facet.name == name)
            .map(|facet| facet.sql(filters))
    }

    /// The filter called `name`.
    pub fn filter(&self, name: &str) -> Option<&'static FilterField> {
        self.filters.iter().find(|field| field.name == name)
    }

    /// The rows `filters` select.
    fn base(&'static self, filters: &Filters) -> Base {
        let search = match self.search {
            Some(kind) => matches(self.id, kind, filters.query()),
            None => Sql::default(),
        };
        Base {
            from: self.from,
            id: self.id,
            conditions: filters::conditions(self.filters, filters),
            search,
        }
    }

    /// A page of rows `R` read as `columns` (within `scope` when given): the check of the
    /// filter values, the page, the exact total and the requested facets.
    pub(crate) fn rows<R>(
        &'static self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<Filters>,
        scope: Option<&Scope>,
    ) -> QueryResult<Page<R>>
    where
        R: QueryableByName<Sqlite> + 'static,
    {
        let scoped;
        let filters = match scope {
            None => &request.filter,
            Some(scope) => {
                if let Some(exists) = self.filter(scope.filter).and_then(|field| field.exists) {
                    ensure_exists(conn, &exists, scope.filter, &scope.id)?;
                }
                scoped = request.filter.clone().with(scope.filter, &scope.id);
                &scoped
            }
        };
        check_values(conn, &filters::checks(self.filters, &request.filter))?;
        let base = self.base(filters);
        let (items, next) = match self.search {
            Some(kind) => base.page_ranked(conn, columns, request, filters.query(), kind)?,
            None => base.page(conn, columns, request)?,
        };
        let total = base.total(conn)?;
        let facets = base.facets(conn, &request.facets, |name| self.facet_sql(name, filters))?;
        Ok(Page {
            items,
            total,
            next,
            facets,
        })
    }

    /// The row `R` (read as `columns`) of the record with this id.
    pub(crate) fn row<R>(
        &'static self,
        conn: &mut SqliteConnection,
        columns: &str,
        id: &str,
    ) -> QueryResult<R>
    where
        R: QueryableByName<Sqlite> + 'static,
    {
        let mut sql = Sql::new("SELECT ");
        sql.push(columns)
            .push(" FROM ")
            .push(self.from)
            .push(" WHERE ")
            .push(self.id)
            .push(" = ")
            .text(id);
        sql.load_one::<R>(conn, self.record, id)
    }
}

/// A page request: filter, order, page size, position and facets.
#[derive(Debug, Clone)]
pub struct ListRequest<F> {
    /// Resource-specific filter.
    pub filter: F,
    /// Sort order (the record id is always the final tie-breaker).
    pub sort: Vec<SortKey>,
    /// Page size.
    pub limit: u32,
    /// Key of the last row of the previous page: one value per sort key, then the id.
    pub after: Option<Vec<KeyValue>>,
    /// Names of the facets to compute.
    pub facets: Vec<&'static str>,
}

/// A page of records with what the API needs to describe it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The records.
    pub items: Vec<T>,
    /// Number of records under the filter, all pages together.
    pub total: i64,
    /// Key of the last record when there is a next page.
    pub next: Option<Vec<KeyValue>>,
    /// Requested facets, in the order requested.
    pub facets: Facets,
}

/// Facet counts by facet name, in the order requested.
pub type Facets = Vec<(&'static str, Vec<FacetCount>)>;

/// Every list the database serves, in the order the API documents them.
pub static LISTS: [&ListSpec; 7] = [
    &measures::SPEC,
    &documents::SPEC,
    &agencies::SPEC,
    &goals::SPEC,
    &references::SPEC,
    &jurisdictions::SPEC,
    &themes::SPEC,
];

impl<T> Page<T> {
    /// The same page with each item turned into another by `convert`.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(convert).collect(),
            total: self.total,
            next: self.next,
            facets: self.facets,
        }
    }

    /// The same page with its items turned into others by `complete`, which sees them all at
    /// once (to read what they refer to in one statement).
    pub(crate) fn complete<U>(
        self,
        complete: impl FnOnce(Vec<T>) -> QueryResult<Vec<U>>,
    ) -> QueryResult<Page<U>> {
        Ok(Page {
            items: complete(self.items)?,
            total: self.total,
            next: self.next,
            facets: self.facets,
        })
    }
}

/// How the rows of a list become its records. From it [`list_of`] serves the list and
/// [`record_of`] the lookup by id, so a resource module declares only its row, select list
/// and completion (with `read_model!`).
pub(crate) trait ReadModel: QueryableByName<Sqlite> + Sized + 'static {
    /// The record a row becomes.
    type Record;
    /// The list the rows are read for.
    const SPEC: &'static ListSpec;

    /// The select list, each column named as the row's field.
    fn columns() -> Cow<'static, str>;

    /// Turns a page's rows into records, reading what they refer to in one statement per
    /// related collection.
    fn complete(conn: &mut SqliteConnection, rows: Vec<Self>) -> QueryResult<Vec<Self::Record>>;
}

/// A page of records of `R`'s list (within `scope` when given): see [`ListSpec::rows`].
pub(crate) fn list_of<R: ReadModel>(
    conn: &mut SqliteConnection,
    scope: Option<&Scope>,
    request: &ListRequest<Filters>,
) -> QueryResult<Page<R::Record>> {
    R::SPEC
        .rows::<R>(conn, &R::columns(), request, scope)?
        .complete(|rows| R::complete(conn, rows))
}

/// The record of `R`'s list with this id.
pub(crate) fn record_of<R: ReadModel>(
    conn: &mut SqliteConnection,
    id: &str,
) -> QueryResult<R::Record> {
    let row = R::SPEC.row::<R>(conn, &R::columns(), id)?;
    R::complete(conn, vec![row])?
        .pop()
        .ok_or_else(|| QueryError::NotFound {
            resource: R::SPEC.record,
            id: id.to_owned(),
        })
}

/// Declares a resource module's [`ReadModel`] and its public `list` (and, with `get`, its
/// lookup by id), in the module that holds its `SPEC`:
///
/// ```text
/// read_model! {
///     /// Lists goals: page, exact total and the requested facets.
///     GoalRow => GoalRecord, columns columns(), each GoalRow::into_record;
///     /// One goal by id.
///     get
/// }
/// ```
///
/// `each f` turns rows into records one by one; `with f` calls `f(conn, rows)` for the
/// whole page.
macro_rules! read_model {
    (
        $(#[doc = $doc:tt])*
        $row:ident => $record:ty, columns $columns:expr, $how:ident $complete:expr
        $(; $(#[doc = $get_doc:tt])* get)?
    ) => {
        impl $crate::db::queries::ReadModel for $row {
            type Record = $record;
            const SPEC: &'static $crate::db::queries::ListSpec = &SPEC;

            fn columns() -> std::borrow::Cow<'static, str> {
                $columns.into()
            }

            fn complete(
                conn: &mut diesel::SqliteConnection,
                rows: Vec<Self>,
            ) -> $crate::db::queries::QueryResult<Vec<$record>> {
                $crate::db::queries::read_model!(@complete $how $complete, conn, rows)
            }
        }

        $(#[doc = $doc])*
        pub fn list(
            conn: &mut diesel::SqliteConnection,
            scope: Option<&$crate::db::queries::Scope>,
            request: &$crate::db::queries::ListRequest<$crate::db::queries::Filters>,
        ) -> $crate::db::queries::QueryResult<$crate::db::queries::Page<$record>> {
            $crate::db::queries::list_of::<$row>(conn, scope, request)
        }

        $(
            $(#[doc = $get_doc])*
            pub fn get(
                conn: &mut diesel::SqliteConnection,
                id: &str,
            ) -> $crate::db::queries::QueryResult<$record> {
                $crate::db::queries::record_of::<$row>(conn, id)
            }
        )?
    };
    (@complete each $each:expr, $conn:ident, $rows:ident) => {{
        let _ = $conn;
        Ok($rows.into_iter().map($each).collect())
    }};
    (@complete with $complete:expr, $conn:ident, $rows:ident) => {
        $complete($conn, $rows)
    };
}
pub(crate) use read_model;

/// The filtered set a list draws from: `FROM` clause (with table aliases), the id
/// expression and the `WHERE` conditions.
pub(crate) struct Base {
    pub(crate) from: &'static str,
    pub(crate) id: &'static str,
    /// The filters other than the full-text query.
    pub(crate) conditions: Sql,
    /// The full-text query's condition (see [`matches`]); empty without one.
    pub(crate) search: Sql,
}

/// A page row `R` read together with its keyset key, the column `sort_key` holding
/// `json_array(sort keys…, id)`; the key of a page's last row is the next page's cursor.
pub(crate) struct Keyed<R> {
    row: R,
    sort_key: String,
}

impl<R: QueryableByName<Sqlite>> QueryableByName<Sqlite> for Keyed<R> {
    fn build<'a>(
        row: &impl diesel::row::NamedRow<'a, Sqlite>,
    ) -> diesel::deserialize::Result<Self> {
        Ok(Keyed {
            row: R::build(row)?,
            sort_key: diesel::row::NamedRow::get::<diesel::sql_types::Text, String>(
                row, "sort_key",
            )?,
        })
    }
}

impl<R> Keyed<R> {
    /// Splits `limit + 1` rows read for a page into the page's rows and, when there were
    /// more than `limit`, the cursor after the last one shown.
    pub(crate) fn split_page(
        mut rows: Vec<Keyed<R>>,
        limit: usize,
    ) -> (Vec<R>, Option<Vec<KeyValue>>) {
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last()
                .and_then(|last| serde_json::from_str::<Vec<KeyValue>>(&last.sort_key).ok())
        } else {
            None
        };
        (rows.into_iter().map(|keyed| keyed.row).collect(), next)
    }
}

impl Base {
    /// Whether the list has filters besides the full-text query.
    pub(crate) fn filtered(&self) -> bool {
        !self.conditions.text.is_empty()
    }

    /// Runs the count statement: the exact number of rows under the filter.
    pub(crate) fn total(&self, conn: &mut SqliteConnection) -> QueryResult<i64> {
        let mut sql = Sql::new("SELECT COUNT(*) AS count FROM ");
        sql.push(self.from)
            .push(" WHERE 1 = 1")
            .append(&self.conditions)
            .append(&self.search);
        let rows: Vec<CountRow> = cache::load(conn, &sql)?;
        Ok(rows.first().map_or(0, |row| row.count))
    }
}

/// The join ` JOIN (ranked hits) rk ON <on>` giving `rk.rank_key` (see
/// [`crate::db::search::ranked_sql`]) for the records of `kinds` matching `query`. Without a
/// query every row gets the same key, so the order falls back to the id.
pub(crate) fn relevance_join(query: Option<&CompiledQuery>, kinds: &[SearchKind], on: &str) -> Sql {
    match query {
        Some(query) => {
            let (ranked, binds) = ranked_sql(query, kinds);
            let mut sql = Sql::new(" JOIN (");
            sql.with_binds(&ranked, &binds).push(") rk ON ").push(on);
            sql
        }
        None => Sql::new(" JOIN (SELECT 0 AS rank_key) rk ON 1 = 1"),
    }
}

#[derive(Clone, QueryableByName, Serialize, Deserialize)]
pub(crate) struct CountRow {
    #[diesel(sql_type = BigInt)]
    pub(crate) count: i64,
}

impl cache::Weigh for CountRow {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

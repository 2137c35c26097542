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
//! The shared machinery lives here: [`Sql`] (a statement with its bind values), sort fields
//! and keyset conditions, facets and the error type. One submodule per resource holds its
//! filters, sort fields, facets and record types.

pub mod agencies;
mod cache;
pub mod documents;
pub mod feeds;
pub mod filters;
pub mod goals;
pub mod index;
pub mod jurisdictions;
pub mod measures;
mod precompute;
mod prepared;
mod ranking;
pub mod references;
pub mod search;
pub mod themes;

use std::collections::HashMap;

use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Binary, Double, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::search::{ranked_sql, CompiledQuery, SearchKind};

pub use cache::forget_dataset;
pub use filters::{
    Condition, Example, Exists, FilterField, FilterValue, Filters, Listed, Subquery, Takes,
};
pub use precompute::{precompute, Precomputed};

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

// ---------------------------------------------------------------------------------------------
// Statements with bind values
// ---------------------------------------------------------------------------------------------

/// A value bound to a `?` placeholder.
#[derive(Debug, Clone, PartialEq)]
enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

/// An SQL statement under construction: text with `?` placeholders and their values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    /// A statement starting with `text`.
    pub(crate) fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            binds: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to a string.
    pub(crate) fn text(&mut self, value: impl Into<String>) -> &mut Sql {
        self.text.push('?');
        self.binds.push(Bind::Text(value.into()));
        self
    }

    /// Appends a placeholder bound to an integer.
    pub(crate) fn int(&mut self, value: i64) -> &mut Sql {
        self.text.push('?');
        self.binds.push(Bind::Int(value));
        self
    }

    /// Appends a placeholder bound to a JSON array of strings, to be used as
    /// `IN (SELECT value FROM json_each(?))`: one placeholder whatever the number of values.
    pub(crate) fn list<S: AsRef<str>>(&mut self, values: &[S]) -> &mut Sql {
        let values: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
        let json = serde_json::to_string(&values).unwrap_or_else(|_| "[]".to_owned());
        self.push("(SELECT value FROM json_each(")
            .text(json)
            .push("))")
    }

    /// Appends a placeholder bound to a sort-key value (NULL is written literally).
    fn key(&mut self, value: &KeyValue) -> &mut Sql {
        match value {
            KeyValue::Null => self.push("NULL"),
            KeyValue::Int(value) => self.int(*value),
            KeyValue::Real(value) => {
                self.text.push('?');
                self.binds.push(Bind::Real(*value));
                self
            }
            KeyValue::Text(value) => self.text(value.clone()),
        }
    }

    /// Appends another statement fragment with its bind values.
    pub(crate) fn append(&mut self, other: &Sql) -> &mut Sql {
        self.text.push_str(&other.text);
        self.binds.extend(other.binds.iter().cloned());
        self
    }

    /// Appends SQL text holding `?` placeholders with their text values, in order.
    pub(crate) fn with_binds(&mut self, text: &str, binds: &[String]) -> &mut Sql {
        self.text.push_str(text);
        self.binds
            .extend(binds.iter().map(|bind| Bind::Text(bind.clone())));
        self
    }

    fn boxed(&self) -> BoxedSqlQuery<'static, Sqlite, diesel::query_builder::SqlQuery> {
        let mut query = diesel::sql_query(self.text.clone()).into_boxed::<Sqlite>();
        for bind in &self.binds {
            query = match bind {
                Bind::Text(value) => query.bind::<Text, _>(value.clone()),
                Bind::Int(value) => query.bind::<BigInt, _>(*value),
                Bind::Real(value) => query.bind::<Double, _>(*value),
            };
        }
        query
    }

    /// Runs the statement and reads every row.
    pub(crate) fn load<T>(&self, conn: &mut SqliteConnection) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Sqlite> + 'static,
    {
        prepared::load(conn, self)
    }
}

/// Appends ` AND <id> IN (the records of this kind that match the search query)` when there
/// is a query (see [`crate::db::search`]).
pub(crate) fn matches(id: &str, kind: SearchKind, query: Option<&CompiledQuery>) -> Sql {
    let mut sql = Sql::default();
    if let Some(query) = query {
        if kind == SearchKind::Document {
            // The query over the whole document: its header, measures and goals.
            sql.push(" AND ")
                .with_binds(&query.document_condition_on(id), &query.document_binds);
        } else {
            sql.push(" AND ")
                .push(id)
                .push(" IN (SELECT sd.record_id FROM search_texts sd WHERE sd.kind = ")
                .text(kind.as_str())
                .push(" AND ")
                .with_binds(&query.condition, &query.binds)
                .push(")");
        }
    }
    sql
}

/// Appends ` AND <column> IN (values)` when `values` is not empty.
pub(crate) fn and_in(sql: &mut Sql, column: &str, values: &[String]) {
    if !values.is_empty() {
        sql.push(" AND ").push(column).push(" IN ").list(values);
    }
}

/// Appends ` AND <column> IN (values)` for integer values when `values` is not empty.
pub(crate) fn and_in_ints(sql: &mut Sql, column: &str, values: &[i32]) {
    if !values.is_empty() {
        let values: Vec<String> = values.iter().map(i32::to_string).collect();
        sql.push(" AND ")
            .push(column)
            .push(" IN (SELECT CAST(value AS INTEGER) FROM json_each(")
            .text(serde_json::to_string(&values).unwrap_or_else(|_| "[]".to_owned()))
            .push("))");
    }
}

/// Appends ` AND <column> IN (the jurisdictions and every jurisdiction below them)`.
pub(crate) fn and_in_jurisdictions(sql: &mut Sql, column: &str, values: &[String]) {
    if !values.is_empty() {
        sql.push(" AND ")
            .push(column)
            .push(" IN (WITH RECURSIVE below(id) AS (SELECT id FROM jurisdictions WHERE id IN ")
            .list(values)
            .push(
                " UNION SELECT j.id FROM jurisdictions j JOIN below ON j.parent_id = below.id) \
                 SELECT id FROM below)",
            );
    }
}

// ---------------------------------------------------------------------------------------------
// Checking filter values
// ---------------------------------------------------------------------------------------------

/// A set of filter values that must exist in a column.
pub(crate) struct Check<'a> {
    /// The filter they were given to.
    pub(crate) filter: &'static str,
    /// Where they must exist.
    pub(crate) exists: Exists,
    /// The values given.
    pub(crate) values: &'a [String],
}

#[derive(QueryableByName)]
struct MissingRow {
    #[diesel(sql_type = Text)]
    filter: String,
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct ValueRow {
    #[diesel(sql_type = Text)]
    value: String,
}

/// Checks in one statement that every value of every check exists; fails with
/// [`QueryError::UnknownValues`] naming each one that does not.
pub(crate) fn check_values(conn: &mut SqliteConnection, checks: &[Check<'_>]) -> QueryResult<()> {
    let checks: Vec<&Check<'_>> = checks.iter().filter(|c| !c.values.is_empty()).collect();
    if checks.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::default();
    for (index, check) in checks.iter().enumerate() {
        if index > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT ")
            .text(check.filter)
            .push(" AS filter, v.value AS value FROM json_each(")
            .text(serde_json::to_string(check.values).unwrap_or_else(|_| "[]".to_owned()))
            .push(") v WHERE NOT EXISTS (SELECT 1 FROM ")
            .push(check.exists.table)
            .push(" t WHERE t.")
            .push(check.exists.column)
            .push(" = v.value)");
    }
    let missing: Vec<MissingRow> = sql.load(conn)?;
    if missing.is_empty() {
        return Ok(());
    }
    let mut unknown = Vec::with_capacity(missing.len());
    for row in missing {
        let Some(check) = checks.iter().find(|c| c.filter == row.filter) else {
            continue;
        };
        let allowed = match check.exists.listed {
            Listed::IdsOf(resource) => Allowed::IdsOf(resource),
            Listed::FieldOf { field, resource } => Allowed::FieldOf { field, resource },
            Listed::InFull => {
                let mut sql = Sql::new("SELECT DISTINCT CAST(");
                sql.push(check.exists.column)
                    .push(" AS TEXT) AS value FROM ")
                    .push(check.exists.table)
                    .push(" WHERE ")
                    .push(check.exists.column)
                    .push(" IS NOT NULL ORDER BY 1");
                let values: Vec<ValueRow> = sql.load(conn)?;
                Allowed::Values(values.into_iter().map(|row| row.value).collect())
            }
        };
        unknown.push(UnknownValue {
            filter: check.filter,
            value: row.value,
            allowed,
        });
    }
    Err(QueryError::UnknownValues(unknown))
}

/// Fails with [`QueryError::NotFound`] unless `table` has a row with this id.
pub(crate) fn ensure_exists(
    conn: &mut SqliteConnection,
    table: &'static str,
    resource: &'static str,
    id: &str,
) -> QueryResult<()> {
    let mut sql = Sql::new("SELECT CAST(COUNT(*) AS TEXT) AS value FROM ");
    sql.push(table).push(" WHERE id = ").text(id);
    let rows: Vec<ValueRow> = sql.load(conn)?;
    match rows.first() {
        Some(row) if row.value != "0" => Ok(()),
        _ => Err(QueryError::NotFound {
            resource,
            id: id.to_owned(),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Sorting and keyset pagination
// ---------------------------------------------------------------------------------------------

/// The type of a sort field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Text, compared byte by byte.
    Text,
    /// Integer.
    Int,
    /// Floating-point number.
    Real,
}

/// A field a list can be sorted by.
#[derive(Debug)]
pub struct SortField {
    /// Name used in the `sort` parameter.
    pub name: &'static str,
    /// SQL expression over the list's table aliases.
    pub sql: &'static str,
    /// Type of its values.
    pub kind: KeyKind,
    /// Whether the expression can be NULL (NULLs sort last in either direction).
    pub nullable: bool,
    /// What it sorts by, for the API documentation.
    pub description: &'static str,
}

impl SortField {
    /// A text field that is never NULL.
    pub const fn text(name: &'static str, sql: &'static str, description: &'static str) -> Self {
        SortField {
            name,
            sql,
            kind: KeyKind::Text,
            nullable: false,
            description,
        }
    }

    /// An integer field that is never NULL.
    pub const fn int(name: &'static str, sql: &'static str, description: &'static str) -> Self {
        SortField {
            kind: KeyKind::Int,
            ..SortField::text(name, sql, description)
        }
    }

    /// A floating-point field that is never NULL.
    pub const fn real(name: &'static str, sql: &'static str, description: &'static str) -> Self {
        SortField {
            kind: KeyKind::Real,
            ..SortField::text(name, sql, description)
        }
    }

    /// The same field, which can be NULL (NULLs sort last in either direction).
    pub const fn or_null(self) -> Self {
        SortField {
            nullable: true,
            ..self
        }
    }
}

/// Name of the relevance sort field of searchable lists.
pub const RELEVANCE: &str = "relevance";

/// The sort field of searchable lists ordering by how well a record matches `q`: matches in
/// the title first, then by bm25 score, best first. Its SQL reads the `rk` join that
/// [`Base::page_ranked`] adds when a list is sorted by it.
pub const RELEVANCE_FIELD: SortField = SortField {
    name: RELEVANCE,
    sql: "rk.rank_key",
    kind: KeyKind::Int,
    nullable: false,
    description: "relevance to `q`: matches in the title first, then by bm25 score, best first \
        (the default order when `q` is given; only with `q`)",
};

/// One field of a sort order.
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    /// The field.
    pub field: &'static SortField,
    /// `true` for descending order (`-field`).
    pub descending: bool,
}

/// One value of a keyset cursor: the sort-key value of the last row of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyValue {
    /// No value (NULL sorts last in either direction).
    Null,
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// A string.
    Text(String),
}

impl KeyValue {
    /// Whether the value fits a field: its kind, or NULL where the field can be NULL.
    pub fn fits(&self, field: &SortField) -> bool {
        match (self, field.kind) {
            (KeyValue::Null, _) => field.nullable,
            (KeyValue::Text(_), KeyKind::Text)
            | (KeyValue::Int(_), KeyKind::Int)
            | (KeyValue::Int(_) | KeyValue::Real(_), KeyKind::Real) => true,
            _ => false,
        }
    }
}

/// A list of records declared once: where its rows come from, its filters, sort fields and
/// facets. The generic list ([`ListSpec::rows`]) and lookup ([`ListSpec::row`]) read it, and
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
    fn sql(&self, filters: &Filters) -> FacetSql {
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
        R: QueryableByName<Sqlite> + Keyed + 'static,
    {
        let scoped;
        let filters = match scope {
            None => &request.filter,
            Some(scope) => {
                if let Some(exists) = self.filter(scope.filter).and_then(|field| field.exists) {
                    ensure_exists(conn, exists.table, scope.filter, &scope.id)?;
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
            .push(", '' AS sort_key FROM ")
            .push(self.from)
            .push(" WHERE ")
            .push(self.id)
            .push(" = ")
            .text(id);
        sql.load::<R>(conn)?
            .into_iter()
            .next()
            .ok_or_else(|| QueryError::NotFound {
                resource: self.record,
                id: id.to_owned(),
            })
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
    pub facets: Vec<(&'static str, Vec<FacetCount>)>,
}

impl<T> Page<T> {
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

/// A facet as SQL: value and label expressions and the joins they need, added to the base
/// `FROM` clause.
pub(crate) struct FacetSql {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    pub(crate) joins: Sql,
}

/// A row that carries its keyset key as a JSON array (`json_array(sort keys…, id)`).
pub(crate) trait Keyed {
    fn sort_key(&self) -> &str;
}

impl Base {
    /// Whether the list has filters besides the full-text query.
    pub(crate) fn filtered(&self) -> bool {
        !self.conditions.text.is_empty()
    }

    /// Runs the page statement: the rows after `request.after` in the requested order,
    /// `limit + 1` of them to learn whether a next page exists.
    pub(crate) fn page<T, F>(
        &self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<F>,
    ) -> QueryResult<(Vec<T>, Option<Vec<KeyValue>>)>
    where
        T: QueryableByName<Sqlite> + Keyed + 'static,
    {
        self.page_joined(conn, columns, request, &Sql::default())
    }

    /// [`Base::page`] for a searchable list: when the order uses [`RELEVANCE_FIELD`], the
    /// rank of every matching record of `kind` is joined as `rk` (on `rk.record_id = id`).
    pub(crate) fn page_ranked<T, F>(
        &self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<F>,
        query: Option<&CompiledQuery>,
        kind: SearchKind,
    ) -> QueryResult<(Vec<T>, Option<Vec<KeyValue>>)>
    where
        T: QueryableByName<Sqlite> + Keyed + 'static,
    {
        if request.sort.iter().any(|key| key.field.name == RELEVANCE) {
            let on = format!("rk.record_id = {}", self.id);
            self.page_by_relevance(conn, columns, request, query, &[kind], "rk.record_id", &on)
        } else {
            self.page(conn, columns, request)
        }
    }

    /// [`Base::page`] with `join` appended to the `FROM` clause.
    pub(crate) fn page_joined<T, F>(
        &self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<F>,
        join: &Sql,
    ) -> QueryResult<(Vec<T>, Option<Vec<KeyValue>>)>
    where
        T: QueryableByName<Sqlite> + Keyed + 'static,
    {
        let mut sql = Sql::new("SELECT ");
        sql.push(columns).push(", json_array(");
        for key in &request.sort {
            sql.push(key.field.sql).push(", ");
        }
        sql.push(self.id)
            .push(") AS sort_key FROM ")
            .push(self.from)
            .append(join)
            .push(" WHERE 1 = 1")
            .append(&self.conditions)
            .append(&self.search);
        if let Some(after) = &request.after {
            sql.push(" AND ").append(&self.after(&request.sort, after));
        }
        sql.push(" ORDER BY ");
        for key in &request.sort {
            let direction = if key.descending { "DESC" } else { "ASC" };
            if key.field.nullable {
                sql.push("(").push(key.field.sql).push(") IS NULL, ");
            }
            sql.push(key.field.sql).push(" ").push(direction).push(", ");
        }
        sql.push(self.id)
            .push(" ASC LIMIT ")
            .int(i64::from(request.limit) + 1);
        let mut rows: Vec<T> = sql.load(conn)?;
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last()
                .and_then(|row| serde_json::from_str::<Vec<KeyValue>>(row.sort_key()).ok())
        } else {
            None
        };
        Ok((rows, next))
    }

    /// The condition "the row comes after `after`" for the order `sort` then id.
    fn after(&self, sort: &[SortKey], after: &[KeyValue]) -> Sql {
        let mut sql = Sql::new("(");
        let mut first = true;
        let mut equal = Sql::default();
        for (index, key) in sort.iter().enumerate() {
            let value = after.get(index).unwrap_or(&KeyValue::Null);
            if *value != KeyValue::Null {
                if !first {
                    sql.push(" OR ");
                }
                first = false;
                let operator = if key.descending { " < " } else { " > " };
                sql.push("(1 = 1")
                    .append(&equal)
                    .push(" AND (")
                    .push(key.field.sql)
                    .push(operator)
                    .key(value);
                if key.field.nullable {
                    sql.push(" OR ").push(key.field.sql).push(" IS NULL");
                }
                sql.push("))");
                equal
                    .push(" AND ")
                    .push(key.field.sql)
                    .push(" = ")
                    .key(value);
            } else {
                equal.push(" AND ").push(key.field.sql).push(" IS NULL");
            }
        }
        if !first {
            sql.push(" OR ");
        }
        let id = match after.get(sort.len()) {
            Some(KeyValue::Text(id)) => id.clone(),
            _ => String::new(),
        };
        sql.push("(1 = 1")
            .append(&equal)
            .push(" AND ")
            .push(self.id)
            .push(" > ")
            .text(id)
            .push("))");
        // Every later row has a first sort key at or past the cursor's (when that key has no
        // NULLs): said plainly, this lets SQLite start the index scan at the cursor instead
        // of at the first row.
        match (sort.first(), after.first()) {
            (Some(key), Some(value)) if !key.field.nullable && *value != KeyValue::Null => {
                let mut bounded = Sql::new("(");
                bounded
                    .push(key.field.sql)
                    .push(if key.descending { " <= " } else { " >= " })
                    .key(value)
                    .push(" AND ")
                    .append(&sql)
                    .push(")");
                bounded
            }
            _ => sql,
        }
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

impl cache::Weigh for FacetCount {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.value.len() + self.label.len()
    }
}

// The vocabularies of record fields, for the API documentation.

/// The role of an agency on a measure.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 牵头: leads the measure.
    Lead,
    /// 配合 / 协同: cooperates.
    Cooperating,
    /// 责任部门 / 责任单位 / 负责: responsible.
    Responsible,
    /// 指导: guides.
    Guide,
    /// 参与: participates.
    Participate,
}

/// Where an agency record is known from.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The hand gazetteer (`data/agencies.toml`): canonical names, aliases, English names.
    Gazetteer,
    /// The standard-agency model (`data/agency_model.toml`): a department a government of
    /// its level normally has, instantiated for the jurisdiction (省商务厅 in an Anhui
    /// document is 安徽省商务厅), or one of the national bodies or collectives.
    Model,
    /// A name as printed that neither the gazetteer nor the model resolved.
    Provisional,
}

/// Where a record stands in its document: provenance to quote and check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Source)]
pub struct SourceRecord {
    /// Id of the document.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Byte offset of the first byte in the document's source text: the text extracted
    /// from its file, served as `/v1/documents/{id}/text?source=true` (for a UTF-8 text file
    /// the file itself).
    pub start: i64,
    /// Byte offset one past the last byte.
    pub end: i64,
    /// First line (1-based).
    pub line_start: i64,
    /// Last line (1-based, inclusive).
    pub line_end: i64,
    /// The source text of the span exactly as received.
    pub verbatim: String,
}

/// What the records of a page refer to, read in one statement: the source texts of their
/// documents (to cut the verbatim text of spans out of them) and the names of their agencies
/// and themes.
pub(crate) struct PageContext {
    texts: HashMap<String, Vec<u8>>,
    names: HashMap<(NameKind, String), (String, Option<String>)>,
}

/// Which table a name is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NameKind {
    /// `agencies`.
    Agency,
    /// `themes`.
    Theme,
}

/// A JSON array of distinct ids, to bind for `json_each`.
fn id_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned())
}

impl PageContext {
    /// The source texts of the documents `documents` names (repeats and unknown ids are
    /// fine).
    pub(crate) fn sources<'a>(
        conn: &mut SqliteConnection,
        documents: impl IntoIterator<Item = &'a str>,
    ) -> QueryResult<PageContext> {
        Self::load(conn, documents, [], [])
    }

    /// The source texts of `documents` and the names of `agencies` and `themes`. One
    /// statement text whatever the number of ids, so that it is prepared once; run even for
    /// no ids, so that a list costs the same statements whatever its page holds.
    pub(crate) fn load<'a>(
        conn: &mut SqliteConnection,
        documents: impl IntoIterator<Item = &'a str>,
        agencies: impl IntoIterator<Item = &'a str>,
        themes: impl IntoIterator<Item = &'a str>,
    ) -> QueryResult<PageContext> {
        let mut sql = Sql::new(
            "SELECT 'document' AS kind, id, NULL AS name, NULL AS name_en, \
             CAST(source AS BLOB) AS source FROM documents \
             WHERE id IN (SELECT value FROM json_each(",
        );
        sql.text(id_list(documents))
            .push(
                ")) UNION ALL SELECT 'agency', id, name, name_en, NULL FROM agencies \
                 WHERE id IN (SELECT value FROM json_each(",
            )
            .text(id_list(agencies))
            .push(
                ")) UNION ALL SELECT 'theme', id, name, name_en, NULL FROM themes \
                 WHERE id IN (SELECT value FROM json_each(",
            )
            .text(id_list(themes))
            .push("))");
        let rows: Vec<ContextRow> = sql.load(conn)?;
        let mut context = PageContext {
            texts: HashMap::new(),
            names: HashMap::new(),
        };
        for row in rows {
            let kind = match row.kind.as_str() {
                "agency" => NameKind::Agency,
                "theme" => NameKind::Theme,
                _ => {
                    context.texts.insert(row.id, row.source.unwrap_or_default());
                    continue;
                }
            };
            context
                .names
                .insert((kind, row.id), (row.name.unwrap_or_default(), row.name_en));
        }
        Ok(context)
    }

    /// The name and English name of an agency or theme, when it was loaded.
    pub(crate) fn name(&self, kind: NameKind, id: &str) -> Option<&(String, Option<String>)> {
        self.names.get(&(kind, id.to_owned()))
    }

    /// The normalized text of document `id` (its source text normalized, as the loader
    /// did), when it was loaded.
    pub(crate) fn normalized(&self, id: &str) -> Option<String> {
        let source = String::from_utf8_lossy(self.texts.get(id)?);
        Some(crate::corpus::normalize::normalize(&source).text)
    }

    /// Sets the verbatim text of `source` from its document's source text; an empty text
    /// when the document was not loaded or the span lies outside it.
    pub(crate) fn quote(&self, source: &mut SourceRecord) {
        let bytes = self.texts.get(&source.document).and_then(|text| {
            let start = usize::try_from(source.start).ok()?;
            let end = usize::try_from(source.end).ok()?;
            text.get(start..end)
        });
        source.verbatim = bytes
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
    }
}

#[derive(QueryableByName)]
struct ContextRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    name_en: Option<String>,
    #[diesel(sql_type = Nullable<Binary>)]
    source: Option<Vec<u8>>,
}

/// Row columns of a source span whose verbatim text is cut out of `documents.source`
/// (as bytes, so that a span never splits a character into invalid text).
#[derive(Debug, QueryableByName)]
pub(crate) struct SpanColumns {
    #[diesel(sql_type = BigInt)]
    pub(crate) span_start: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) span_end: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) line_start: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) line_end: i64,
    #[diesel(sql_type = Nullable<Binary>)]
    pub(crate) verbatim: Option<Vec<u8>>,
}

impl SpanColumns {
    /// The SQL for these columns given the alias of the row's table and of its document.
    pub(crate) fn select(table: &str, document: &str) -> String {
        format!(
            "{table}.span_start AS span_start, {table}.span_end AS span_end, \
             {table}.line_start AS line_start, {table}.line_end AS line_end, \
             substr(CAST({document}.source AS BLOB), {table}.span_start + 1, \
             {table}.span_end - {table}.span_start) AS verbatim"
        )
    }

    /// The span as a record.
    pub(crate) fn into_record(self, document: &str) -> SourceRecord {
        SourceRecord {
            document: document.to_owned(),
            start: self.span_start,
            end: self.span_end,
            line_start: self.line_start,
            line_end: self.line_end,
            verbatim: self
                .verbatim
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default(),
        }
    }
}

/// Parses a JSON array of strings stored in a column; malformed content reads as empty.
pub(crate) fn json_strings(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

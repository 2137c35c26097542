//! SQL statements under construction, with their bind values, and the conditions every
//! list shares.

use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Double, Text};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};

use super::{prepared, KeyValue, QueryError, QueryResult};
use crate::db::search::{CompiledQuery, SearchKind};

/// A value bound to a `?` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

/// An SQL statement under construction: text with `?` placeholders and their values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sql {
    pub(super) text: String,
    pub(super) binds: Vec<Bind>,
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
    pub(super) fn key(&mut self, value: &KeyValue) -> &mut Sql {
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

    pub(super) fn boxed(&self) -> BoxedSqlQuery<'static, Sqlite, diesel::query_builder::SqlQuery> {
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

    /// Runs the statement for the one record `id` of `resource` (singular name): its first
    /// row, or [`QueryError::NotFound`].
    pub(crate) fn load_one<T>(
        &self,
        conn: &mut SqliteConnection,
        resource: &'static str,
        id: &str,
    ) -> QueryResult<T>
    where
        T: QueryableByName<Sqlite> + 'static,
    {
        self.load::<T>(conn)?
            .into_iter()
            .next()
            .ok_or_else(|| QueryError::NotFound {
                resource,
                id: id.to_owned(),
            })
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

//! Sort fields, keyset cursors and the page statement: `WHERE (sort key, id) > cursor`.

use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};
use serde::{Deserialize, Serialize};

use super::{Base, Keyed, ListRequest, QueryResult, Sql};
use crate::db::search::{CompiledQuery, SearchKind};

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
/// `Base::page_ranked` adds when a list is sorted by it.
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

impl Base {
    /// Runs the page statement: the rows after `request.after` in the requested order,
    /// `limit + 1` of them to learn whether a next page exists.
    pub(crate) fn page<T, F>(
        &self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<F>,
    ) -> QueryResult<(Vec<T>, Option<Vec<KeyValue>>)>
    where
        T: QueryableByName<Sqlite> + 'static,
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
        T: QueryableByName<Sqlite> + 'static,
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
        T: QueryableByName<Sqlite> + 'static,
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
        let rows: Vec<Keyed<T>> = sql.load(conn)?;
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        Ok(Keyed::split_page(rows, limit))
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
}

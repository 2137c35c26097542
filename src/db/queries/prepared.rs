//! Runs an [`Sql`] statement through diesel's prepared-statement cache.
//!
//! diesel's `sql_query` never caches its statements, so every request would parse and plan
//! each of its statements again, which costs about as much as running them on a small
//! result. The statements of this module are built from a bounded set of fragments (the
//! values are bound, never spliced in), so the same few texts come back request after
//! request: they are kept prepared per connection. To bound memory whatever clients send,
//! only the first [`MAX_TEXTS`] distinct texts the process sees are cached; any other runs
//! as before, prepared for the one execution.

use std::collections::HashSet;
use std::sync::Mutex;

use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Double, Text, Untyped};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, RunQueryDsl, SqliteConnection};
use once_cell::sync::Lazy;

use super::sql::Bind;
use super::{QueryResult, Sql};

/// Most distinct statement texts kept prepared.
pub(crate) const MAX_TEXTS: usize = 128;

static CACHED_TEXTS: Lazy<Mutex<HashSet<String>>> = Lazy::new(|| Mutex::new(HashSet::new()));

/// Whether statements with this text may stay prepared.
fn cacheable(text: &str) -> bool {
    let Ok(mut texts) = CACHED_TEXTS.lock() else {
        return false;
    };
    if texts.contains(text) {
        return true;
    }
    if texts.len() < MAX_TEXTS {
        texts.insert(text.to_owned());
        return true;
    }
    false
}

/// A statement split at its `?` placeholders, with the values bound to them.
struct Prepared<'a> {
    pieces: Vec<&'a str>,
    binds: &'a [Bind],
    cacheable: bool,
}

impl QueryId for Prepared<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Prepared<'_> {
    type SqlType = Untyped;
}

impl QueryFragment<Sqlite> for Prepared<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> diesel::QueryResult<()> {
        if !self.cacheable {
            out.unsafe_to_cache_prepared();
        }
        for (piece, bind) in self.pieces.iter().zip(self.binds) {
            out.push_sql(piece);
            match bind {
                Bind::Text(value) => out.push_bind_param::<Text, _>(value)?,
                Bind::Int(value) => out.push_bind_param::<BigInt, _>(value)?,
                Bind::Real(value) => out.push_bind_param::<Double, _>(value)?,
            }
        }
        // One piece more than values: the text after the last placeholder.
        if let Some(last) = self.pieces.get(self.binds.len()) {
            out.push_sql(last);
        }
        Ok(())
    }
}

impl RunQueryDsl<SqliteConnection> for Prepared<'_> {}

/// Runs `sql` and reads every row, keeping the statement prepared where allowed.
pub(crate) fn load<T>(conn: &mut SqliteConnection, sql: &Sql) -> QueryResult<Vec<T>>
where
    T: QueryableByName<Sqlite> + 'static,
{
    let pieces: Vec<&str> = sql.text.split('?').collect();
    // Every `?` of the text is a placeholder (values are never spliced into the text); a
    // text that says otherwise runs the plain way.
    if pieces.len() != sql.binds.len() + 1 {
        return Ok(sql.boxed().load::<T>(conn)?);
    }
    let statement = Prepared {
        pieces,
        binds: &sql.binds,
        cacheable: cacheable(&sql.text),
    };
    Ok(statement.load::<T>(conn)?)
}

#[cfg(test)]
mod tests {
    use diesel::Connection;

    use super::*;

    #[derive(QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = Text)]
        label: String,
        #[diesel(sql_type = BigInt)]
        number: i64,
        #[diesel(sql_type = Double)]
        ratio: f64,
    }

    fn statement(label: &str, number: i64) -> Sql {
        let mut sql = Sql::new("SELECT ");
        sql.text(label)
            .push(" || '?' AS label, ")
            .int(number)
            .push(" + 1 AS number, ");
        sql.binds.push(Bind::Real(0.5));
        sql.push("? AS ratio");
        sql
    }

    #[test]
    fn kept_statements_read_new_values_each_time() {
        let Ok(mut conn) = SqliteConnection::establish(":memory:") else {
            panic!("an in-memory database opens");
        };
        // A '?' inside a literal makes the pieces disagree with the values: the plain way runs.
        for (label, number) in [("a", 1), ("b", 41)] {
            let rows: Vec<Row> = load(&mut conn, &statement(label, number)).unwrap_or_default();
            assert_eq!(
                rows,
                [Row {
                    label: format!("{label}?"),
                    number: number + 1,
                    ratio: 0.5
                }]
            );
        }
        let mut plain = Sql::new("SELECT ");
        plain
            .text("x")
            .push(" AS label, ")
            .int(2)
            .push(" AS number, 0.25 AS ratio");
        for _ in 0..2 {
            let rows: Vec<Row> = load(&mut conn, &plain).unwrap_or_default();
            assert_eq!(
                rows,
                [Row {
                    label: "x".into(),
                    number: 2,
                    ratio: 0.25
                }]
            );
        }
        assert!(cacheable(&plain.text));
    }
}

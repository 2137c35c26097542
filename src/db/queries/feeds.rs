//! What Atom feeds need beyond a page of measures: the documents the page's measures come
//! from and when the data was loaded.

use diesel::sql_types::{Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};

use super::{QueryResult, Sql};

/// A document as a feed entry shows it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct FeedDocument {
    /// Document id.
    #[diesel(sql_type = Text)]
    pub id: String,
    /// Title.
    #[diesel(sql_type = Text)]
    pub title: String,
    /// Issuing body as printed.
    #[diesel(sql_type = Nullable<Text>)]
    pub issuer: Option<String>,
    /// Document number (文号).
    #[diesel(sql_type = Nullable<Text>)]
    pub doc_number: Option<String>,
    /// Date of issue, `YYYY-MM-DD`.
    #[diesel(sql_type = Nullable<Text>)]
    pub date: Option<String>,
}

#[derive(QueryableByName)]
struct ValueRow {
    #[diesel(sql_type = Text)]
    value: String,
}

/// The documents with these ids, in one statement.
pub fn documents(conn: &mut SqliteConnection, ids: &[&str]) -> QueryResult<Vec<FeedDocument>> {
    let mut sql =
        Sql::new("SELECT id, title, issuer, doc_number, date FROM documents WHERE id IN ");
    sql.list(ids).push(" ORDER BY id");
    sql.load(conn)
}

/// When the data was loaded (RFC 3339 UTC), if the loader recorded it.
pub fn loaded_at(conn: &mut SqliteConnection) -> QueryResult<Option<String>> {
    let rows: Vec<ValueRow> =
        Sql::new("SELECT value FROM dataset WHERE key = 'loaded_at'").load(conn)?;
    Ok(rows.into_iter().next().map(|row| row.value))
}

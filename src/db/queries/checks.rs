//! Checking that the values given to filters name something in the database.

use diesel::sql_types::Text;
use diesel::{QueryableByName, SqliteConnection};

use super::{Allowed, Exists, Listed, QueryError, QueryResult, Sql, UnknownValue};

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
            .push(&format!(
                ") v WHERE NOT EXISTS (SELECT 1 FROM {} t WHERE t.{} = v.value)",
                check.exists.table, check.exists.column
            ));
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
                let Exists { table, column, .. } = check.exists;
                let sql = Sql::new(&format!(
                    "SELECT DISTINCT CAST({column} AS TEXT) AS value FROM {table} \
                     WHERE {column} IS NOT NULL ORDER BY 1"
                ));
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

/// Fails with [`QueryError::NotFound`] (naming `resource`) unless the column the values of a
/// filter must exist in holds `id`.
pub(crate) fn ensure_exists(
    conn: &mut SqliteConnection,
    exists: &Exists,
    resource: &'static str,
    id: &str,
) -> QueryResult<()> {
    let mut sql = Sql::new("SELECT CAST(COUNT(*) AS TEXT) AS value FROM ");
    sql.push(exists.table)
        .push(" WHERE ")
        .push(exists.column)
        .push(" = ")
        .text(id);
    let rows: Vec<ValueRow> = sql.load(conn)?;
    match rows.first() {
        Some(row) if row.value != "0" => Ok(()),
        _ => Err(QueryError::NotFound {
            resource,
            id: id.to_owned(),
        }),
    }
}

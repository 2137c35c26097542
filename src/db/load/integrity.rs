//! The checks after every row is in: each reference points to a record the corpus has.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use crate::db::DbError;

/// Most dangling references spelled out in one error.
const MAX_REPORTED_VIOLATIONS: usize = 5;

/// A row of `PRAGMA foreign_key_check`: a row that refers to a missing record.
#[derive(QueryableByName)]
struct ForeignKeyViolation {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = Integer)]
    fkid: i32,
}

/// A row of `PRAGMA foreign_key_list`: the column of one foreign key.
#[derive(QueryableByName)]
struct ForeignKeyColumn {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    from: String,
}

/// The value of a column that refers to a missing record.
#[derive(QueryableByName)]
struct DanglingValue {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// Fails with [`DbError::InvalidCorpus`] naming the first few records that refer to a
/// record the corpus does not have (an agency, a theme, a jurisdiction …).
pub(super) fn check_foreign_keys(conn: &mut SqliteConnection) -> Result<(), DbError> {
    let violations: Vec<ForeignKeyViolation> =
        diesel::sql_query("PRAGMA foreign_key_check").load(conn)?;
    if violations.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for violation in violations.iter().take(MAX_REPORTED_VIOLATIONS) {
        lines.push(describe_violation(conn, violation)?);
    }
    if violations.len() > MAX_REPORTED_VIOLATIONS {
        lines.push(format!(
            "and {} more",
            violations.len() - MAX_REPORTED_VIOLATIONS
        ));
    }
    Err(DbError::InvalidCorpus(format!(
        "references to missing records ({}): {}",
        violations.len(),
        lines.join("; ")
    )))
}

/// One dangling reference in words: the table, the column and the value that is missing
/// from the parent table.
fn describe_violation(
    conn: &mut SqliteConnection,
    violation: &ForeignKeyViolation,
) -> Result<String, DbError> {
    // Table names come from SQLite's own catalogue, not from the corpus.
    let columns: Vec<ForeignKeyColumn> =
        diesel::sql_query(format!("PRAGMA foreign_key_list(\"{}\")", violation.table))
            .load(conn)?;
    let column = columns
        .into_iter()
        .find(|column| column.id == violation.fkid)
        .map(|column| column.from);
    let (Some(column), Some(rowid)) = (column, violation.rowid) else {
        return Ok(format!(
            "a row of {} refers to a missing row of {}",
            violation.table, violation.parent
        ));
    };
    let value = diesel::sql_query(format!(
        "SELECT CAST(\"{column}\" AS TEXT) AS value FROM \"{}\" WHERE rowid = ?",
        violation.table
    ))
    .bind::<BigInt, _>(rowid)
    .get_result::<DanglingValue>(conn)?
    .value
    .unwrap_or_default();
    Ok(format!(
        "{}.{column} = '{value}' is not in {}",
        violation.table, violation.parent
    ))
}

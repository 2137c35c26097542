//! What the load records about itself: the parser's `warnings` and the `dataset` facts.

use diesel::prelude::*;

use super::int;
use crate::corpus::Corpus;
use crate::db::load::LoadStats;
use crate::db::schema::{dataset, warnings};
use crate::db::DbError;

/// Writes `warnings`, numbered from 1 in corpus order; returns the number of rows.
pub(super) fn insert_warnings(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let rows = corpus
        .warnings
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            Ok(WarningRow {
                id: int(index + 1, &entry.file, "warning number")?,
                document_id: entry.document.as_deref(),
                file: &entry.file,
                kind: entry.warning.kind.as_str(),
                line: entry
                    .warning
                    .line
                    .map(|line| int(line, &entry.file, "warning line"))
                    .transpose()?,
                message: &entry.warning.message,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, warnings, &rows))
}

/// Writes the `dataset` facts: the version, the load time, the main counts and the version
/// of zhengce that wrote the database; returns the number of rows.
pub(super) fn insert_dataset(
    conn: &mut SqliteConnection,
    stats: &LoadStats,
) -> Result<usize, DbError> {
    let rows = [
        ("version", stats.version.clone()),
        ("loaded_at", stats.loaded_at.clone()),
        ("documents", stats.documents.to_string()),
        ("measures", stats.measures.to_string()),
        ("agencies", stats.agencies.to_string()),
        ("goals", stats.goals.to_string()),
        ("references", stats.references.to_string()),
        ("themes", stats.themes.to_string()),
        ("zhengce_version", env!("CARGO_PKG_VERSION").to_string()),
    ]
    .map(|(key, value)| DatasetRow { key, value });
    Ok(insert_rows!(conn, dataset, &rows[..]))
}

/// A row of `warnings`.
#[derive(Insertable)]
#[diesel(table_name = warnings, treat_none_as_default_value = false)]
struct WarningRow<'a> {
    id: i32,
    document_id: Option<&'a str>,
    file: &'a str,
    kind: &'static str,
    line: Option<i32>,
    message: &'a str,
}

/// A row of `dataset`: one fact about the load.
#[derive(Insertable)]
#[diesel(table_name = dataset, treat_none_as_default_value = false)]
struct DatasetRow {
    key: &'static str,
    value: String,
}

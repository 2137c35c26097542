//! Facts about the loaded dataset: its version and record counts.

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::{QueryResult, Sql};

/// Number of records per resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = CountsView)]
pub struct Counts {
    /// Documents.
    #[diesel(sql_type = BigInt)]
    pub documents: i64,
    /// Measures.
    #[diesel(sql_type = BigInt)]
    pub measures: i64,
    /// Agencies.
    #[diesel(sql_type = BigInt)]
    pub agencies: i64,
    /// Links between measures and agencies.
    #[diesel(sql_type = BigInt)]
    pub agency_links: i64,
    /// Goals.
    #[diesel(sql_type = BigInt)]
    pub goals: i64,
    /// Citations.
    #[diesel(sql_type = BigInt)]
    pub references: i64,
    /// Distinct cited documents.
    #[diesel(sql_type = BigInt)]
    pub cited_documents: i64,
    /// Themes.
    #[diesel(sql_type = BigInt)]
    pub themes: i64,
    /// Jurisdictions.
    #[diesel(sql_type = BigInt)]
    pub jurisdictions: i64,
}

/// One fact of the `dataset` table.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DatasetEntry {
    /// Name of the fact (`version`, `loaded_at` …).
    #[diesel(sql_type = Text)]
    pub key: String,
    /// Its value.
    #[diesel(sql_type = Text)]
    pub value: String,
}

/// The dataset's facts and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetSummary {
    /// Every fact of the `dataset` table, by key.
    pub entries: Vec<DatasetEntry>,
    /// Record counts.
    pub counts: Counts,
}

impl DatasetSummary {
    /// The value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| entry.value.as_str())
    }
}

/// Reads the dataset facts and counts (two statements).
pub fn summary(conn: &mut SqliteConnection) -> QueryResult<DatasetSummary> {
    let entries: Vec<DatasetEntry> =
        Sql::new("SELECT key, value FROM dataset ORDER BY key").load(conn)?;
    let counts: Vec<Counts> = Sql::new(
        "SELECT (SELECT COUNT(*) FROM documents) AS documents, \
         (SELECT COUNT(*) FROM measures) AS measures, \
         (SELECT COUNT(*) FROM agencies) AS agencies, \
         (SELECT COUNT(*) FROM measure_agencies) AS agency_links, \
         (SELECT COUNT(*) FROM goals) AS goals, \
         (SELECT COUNT(*) FROM cross_references) AS \"references\", \
         (SELECT COUNT(*) FROM cited_documents) AS cited_documents, \
         (SELECT COUNT(*) FROM themes) AS themes, \
         (SELECT COUNT(*) FROM jurisdictions) AS jurisdictions",
    )
    .load(conn)?;
    Ok(DatasetSummary {
        entries,
        counts: counts.into_iter().next().unwrap_or_default(),
    })
}

/// Runs a trivial query over the documents table: succeeds when the database is readable.
pub fn ping(conn: &mut SqliteConnection) -> QueryResult<i64> {
    let rows: Vec<super::CountRow> =
        Sql::new("SELECT COUNT(*) AS count FROM documents").load(conn)?;
    Ok(rows.first().map_or(0, |row| row.count))
}

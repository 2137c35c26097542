//! Writes the records of a corpus, one function per table, in the order `insert_corpus`
//! calls them. Every row of a table is built, and checked, before the first is written; the
//! rows are written in multi-row statements (see `insert_rows!`).

use std::fmt;

use diesel::prelude::*;

use super::{timed, LoadStats};
use crate::corpus::{Corpus, ParsedDocument, SourceSpan};
use crate::db::{search, DbError};

/// The most bound parameters SQLite accepts in one statement.
const MAX_BIND_PARAMETERS: usize = 32_766;

/// An upper bound on the number of columns of any table (checked by a test).
const MAX_COLUMNS_PER_TABLE: usize = 32;

/// Rows per multi-row `INSERT`, small enough for any table to stay under
/// [`MAX_BIND_PARAMETERS`].
pub(super) const ROWS_PER_STATEMENT: usize = MAX_BIND_PARAMETERS / MAX_COLUMNS_PER_TABLE;
const _: () = assert!(ROWS_PER_STATEMENT * MAX_COLUMNS_PER_TABLE <= MAX_BIND_PARAMETERS);

/// Inserts `rows` into the table of [`crate::db::schema`] named `table`, in multi-row
/// statements of at most [`ROWS_PER_STATEMENT`] rows, and evaluates to the number of rows.
/// It can be used in this module and the modules below it, which are declared after it.
macro_rules! insert_rows {
    ($conn:expr, $table:ident, $rows:expr) => {{
        let started = std::time::Instant::now();
        let rows = $rows;
        for chunk in rows.chunks($crate::db::load::insert::ROWS_PER_STATEMENT) {
            ::diesel::RunQueryDsl::execute(
                ::diesel::insert_into($crate::db::schema::$table::table).values(chunk),
                $conn,
            )
            .map_err(|source| $crate::db::DbError::Insert {
                table: stringify!($table),
                source,
            })?;
        }
        ::log::debug!(
            target: $crate::db::load::LOG_TARGET,
            "{}: {} rows in {:.3} s",
            stringify!($table),
            rows.len(),
            started.elapsed().as_secs_f64()
        );
        rows.len()
    }};
}

mod dataset;
mod documents;
mod goals;
mod measures;
mod references;
mod registers;

use dataset::{insert_dataset, insert_warnings};
use documents::{insert_documents, push_provision_rows, ProvisionRow};
use goals::{goal_row, GoalRow};
use measures::{
    measure_row, push_deadline_rows, push_measure_agency_rows, push_measure_theme_rows,
    DeadlineRow, LinkNames, MeasureAgencyRow, MeasureRow, MeasureThemeRow,
};
use references::{insert_cited_documents, insert_cross_references};
use registers::{insert_agencies, insert_agency_aliases, insert_jurisdictions, insert_themes};

/// Writes every record of `corpus` and the `dataset` facts, one table after another.
pub(super) fn insert_corpus(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
    version: impl FnOnce() -> Result<String, DbError>,
    loaded_at: String,
) -> Result<LoadStats, DbError> {
    let jurisdiction_count = insert_jurisdictions(conn, corpus)?;
    let document_count = insert_documents(conn, corpus)?;
    let records = DocumentRecords::of(corpus)?;
    let provision_count = insert_rows!(conn, provisions, &records.provisions);
    let measure_count = insert_rows!(conn, measures, &records.measures);
    let agency_count = insert_agencies(conn, corpus)?;
    let alias_count = insert_agency_aliases(conn, corpus)?;
    let measure_agency_count = insert_rows!(conn, measure_agencies, &records.measure_agencies);
    let deadline_count = insert_rows!(conn, deadlines, &records.deadlines);
    let goal_count = insert_rows!(conn, goals, &records.goals);
    let cited_count = insert_cited_documents(conn, corpus)?;
    let reference_count = insert_cross_references(conn, corpus)?;
    let theme_count = insert_themes(conn, corpus)?;
    let measure_theme_count = insert_rows!(conn, measure_themes, &records.measure_themes);
    let warning_count = insert_warnings(conn, corpus)?;
    let search_entries = timed("search index", || search::write_index(conn, corpus))?;

    let stats = LoadStats {
        version: version()?,
        loaded_at,
        jurisdictions: jurisdiction_count,
        documents: document_count,
        provisions: provision_count,
        measures: measure_count,
        agencies: agency_count,
        agency_aliases: alias_count,
        measure_agencies: measure_agency_count,
        deadlines: deadline_count,
        goals: goal_count,
        cited_documents: cited_count,
        references: reference_count,
        themes: theme_count,
        measure_themes: measure_theme_count,
        warnings: warning_count,
        search_entries,
    };
    insert_dataset(conn, &stats)?;
    Ok(stats)
}

/// The rows of the tables whose records belong to a document, built in one pass over the
/// documents: their outlines, measures with their agency links, deadlines and themes, and
/// goals.
struct DocumentRecords<'a> {
    provisions: Vec<ProvisionRow<'a>>,
    measures: Vec<MeasureRow<'a>>,
    measure_agencies: Vec<MeasureAgencyRow<'a>>,
    deadlines: Vec<DeadlineRow<'a>>,
    measure_themes: Vec<MeasureThemeRow<'a>>,
    goals: Vec<GoalRow<'a>>,
}

impl<'a> DocumentRecords<'a> {
    /// Builds the rows of every document of `corpus`, in corpus order; an error names the
    /// first record that cannot be stored.
    fn of(corpus: &'a Corpus) -> Result<Self, DbError> {
        let mut records = DocumentRecords {
            provisions: Vec::new(),
            measures: Vec::new(),
            measure_agencies: Vec::new(),
            deadlines: Vec::new(),
            measure_themes: Vec::new(),
            goals: Vec::new(),
        };
        let names = LinkNames::of(corpus);
        for document in &corpus.documents {
            push_provision_rows(document, &mut records.provisions)?;
            for measure in &document.measures {
                records
                    .measures
                    .push(measure_row(document, measure, &names)?);
                push_measure_agency_rows(measure, &mut records.measure_agencies)?;
                push_deadline_rows(measure, &mut records.deadlines)?;
                push_measure_theme_rows(measure, &mut records.measure_themes);
            }
            for goal in &document.goals {
                records.goals.push(goal_row(document, goal)?);
            }
        }
        Ok(records)
    }
}

/// A source span converted to database integers.
struct SpanColumns {
    start: i32,
    end: i32,
    line_start: i32,
    line_end: i32,
}

impl SpanColumns {
    fn of(span: &SourceSpan, owner: &str) -> Result<Self, DbError> {
        Ok(SpanColumns {
            start: int(span.start, owner, "span start")?,
            end: int(span.end, owner, "span end")?,
            line_start: int(span.line_start, owner, "start line")?,
            line_end: int(span.line_end, owner, "end line")?,
        })
    }
}

/// Converts a count, offset or number to the database's 32-bit integer.
fn int<T>(value: T, owner: &str, what: &str) -> Result<i32, DbError>
where
    T: TryInto<i32> + Copy + fmt::Display,
{
    value.try_into().map_err(|_| {
        DbError::InvalidCorpus(format!(
            "{owner}: {what} {value} is too large for the database"
        ))
    })
}

/// The id of the provision at `index` of `document`'s outline.
fn provision_id<'a>(
    document: &'a ParsedDocument,
    index: usize,
    owner: &str,
) -> Result<&'a str, DbError> {
    document
        .outline
        .get(index)
        .map(|provision| provision.id.as_str())
        .ok_or_else(|| {
            DbError::InvalidCorpus(format!(
                "{owner}: provision index {index} is outside the outline of {} ({} provisions)",
                document.id,
                document.outline.len()
            ))
        })
}

/// The source text of `span` in `document`, as received; an error naming `owner` when the
/// span is outside the text or splits a character.
fn verbatim<'a>(
    document: &'a ParsedDocument,
    span: &SourceSpan,
    owner: &str,
) -> Result<&'a str, DbError> {
    document.source.get(span.start..span.end).ok_or_else(|| {
        DbError::InvalidCorpus(format!(
            "{owner}: span {}..{} is outside the source text of {} ({} bytes) \
             or splits a character",
            span.start,
            span.end,
            document.id,
            document.source.len()
        ))
    })
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::{BigInt, Text};
    use diesel_migrations::MigrationHarness;

    use super::*;
    use crate::db::MIGRATIONS;

    #[test]
    fn every_table_fits_the_rows_per_statement_bound() {
        #[derive(QueryableByName)]
        struct ColumnCount {
            #[diesel(sql_type = Text)]
            name: String,
            #[diesel(sql_type = BigInt)]
            columns: i64,
        }
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.run_pending_migrations(MIGRATIONS).unwrap();
        let counts: Vec<ColumnCount> = diesel::sql_query(
            "SELECT m.name AS name, (SELECT COUNT(*) FROM pragma_table_info(m.name)) AS columns \
             FROM sqlite_master m WHERE m.type = 'table'",
        )
        .load(&mut conn)
        .unwrap();
        assert!(counts.len() >= 14);
        for count in counts {
            assert!(
                count.columns as usize <= MAX_COLUMNS_PER_TABLE,
                "table {} has {} columns",
                count.name,
                count.columns
            );
        }
    }
}

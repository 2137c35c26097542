//! Writes the records of a corpus ([`CorpusWriter`]), one function per table. The rows of a
//! slice of documents are built, and checked, before the first is written; they are written
//! in multi-row statements (see `insert_rows!`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::version::{document_digests, VersionHasher};
use super::{DocumentSummary, LoadStats, LOG_TARGET};
use crate::corpus::{Corpus, ParsedDocument, SourceSpan, Theme};
use crate::db::search::SearchIndexWriter;
use crate::db::DbError;

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
    DeadlineRow, MeasureAgencyRow, MeasureRow, MeasureThemeRow,
};
use references::{insert_cited_documents, insert_cross_references};
use registers::{insert_agencies, insert_agency_aliases, insert_jurisdictions, insert_themes};

/// Writes a corpus into the loader's transaction: its documents a slice at a time, in
/// corpus order, as they are parsed ([`CorpusWriter::write_documents`]), then what is not a
/// document ([`CorpusWriter::finish`]). Every table's rows are written in corpus order
/// whatever the slices, so the database does not depend on how the documents were sliced.
pub(super) struct CorpusWriter {
    /// Each theme's id with its position in the theme list.
    themes: HashMap<String, usize>,
    /// The agency ids the measures link to, each with the first measure that does, in
    /// order of first use: they are checked once every agency is known.
    agencies_used: Vec<(String, String)>,
    agency_ids_seen: HashSet<String>,
    search: SearchIndexWriter,
    search_time: Duration,
    version: VersionHasher,
    rows: DocumentRowCounts,
    summaries: Vec<DocumentSummary>,
}

/// The rows written so far to the tables whose records belong to a document.
#[derive(Default)]
struct DocumentRowCounts {
    documents: usize,
    provisions: usize,
    measures: usize,
    measure_agencies: usize,
    deadlines: usize,
    goals: usize,
    measure_themes: usize,
}

impl CorpusWriter {
    /// Starts writing a corpus with the theme list `themes`.
    pub(super) fn begin(conn: &mut SqliteConnection, themes: &[Theme]) -> Result<Self, DbError> {
        Ok(CorpusWriter {
            themes: themes
                .iter()
                .enumerate()
                .map(|(position, theme)| (theme.id.clone(), position))
                .collect(),
            agencies_used: Vec::new(),
            agency_ids_seen: HashSet::new(),
            search: SearchIndexWriter::begin(conn)?,
            search_time: Duration::ZERO,
            version: VersionHasher::default(),
            rows: DocumentRowCounts::default(),
            summaries: Vec::new(),
        })
    }

    /// Writes the records of the next `documents`: their rows, outlines, measures with their
    /// links, goals and search entries. Their digests for the dataset version are taken on
    /// a second thread meanwhile.
    pub(super) fn write_documents(
        &mut self,
        conn: &mut SqliteConnection,
        documents: &[ParsedDocument],
    ) -> Result<(), DbError> {
        let digests = std::thread::scope(|scope| {
            let hashing = scope.spawn(|| document_digests(documents));
            let written = self.write_rows(conn, documents);
            let digests = hashing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            written.and(digests)
        })?;
        self.version.add_digests(&digests);
        Ok(())
    }

    fn write_rows(
        &mut self,
        conn: &mut SqliteConnection,
        documents: &[ParsedDocument],
    ) -> Result<(), DbError> {
        let summaries = insert_documents(conn, documents)?;
        self.rows.documents += summaries.len();
        self.summaries.extend(summaries);
        let records = DocumentRecords::of(documents, &self.themes)?;
        for measure in documents.iter().flat_map(|document| &document.measures) {
            for mention in &measure.agencies {
                if self.agency_ids_seen.insert(mention.agency_id.clone()) {
                    self.agencies_used
                        .push((mention.agency_id.clone(), measure.id.clone()));
                }
            }
        }
        let rows = &mut self.rows;
        rows.provisions += insert_rows!(conn, provisions, &records.provisions);
        rows.measures += insert_rows!(conn, measures, &records.measures);
        rows.measure_agencies += insert_rows!(conn, measure_agencies, &records.measure_agencies);
        rows.deadlines += insert_rows!(conn, deadlines, &records.deadlines);
        rows.goals += insert_rows!(conn, goals, &records.goals);
        rows.measure_themes += insert_rows!(conn, measure_themes, &records.measure_themes);
        let started = Instant::now();
        self.search.write_documents(conn, documents)?;
        self.search_time += started.elapsed();
        Ok(())
    }

    /// Writes what is not a document: the registers (with the provisional agencies), the
    /// cited documents and cross-references, the warnings, the agencies' search entries and
    /// the `dataset` facts. `corpus` is the whole corpus, its documents with or without
    /// their bodies ([`ParsedDocument::without_body`]). Returns the row counts with each
    /// document's summary, in corpus order.
    pub(super) fn finish(
        self,
        conn: &mut SqliteConnection,
        corpus: &Corpus,
        loaded_at: String,
    ) -> Result<(LoadStats, Vec<DocumentSummary>), DbError> {
        let known: HashSet<&str> = corpus.agencies.iter().map(|a| a.id.as_str()).collect();
        if let Some((agency, measure)) = self
            .agencies_used
            .iter()
            .find(|(agency, _)| !known.contains(agency.as_str()))
        {
            return Err(DbError::InvalidCorpus(format!(
                "{measure}: measure_agencies.agency_id = '{agency}' is not in agencies"
            )));
        }
        let jurisdictions = insert_jurisdictions(conn, corpus)?;
        let agencies = insert_agencies(conn, corpus)?;
        let agency_aliases = insert_agency_aliases(conn, corpus)?;
        let cited_documents = insert_cited_documents(conn, corpus)?;
        let references = insert_cross_references(conn, corpus)?;
        let themes = insert_themes(conn, corpus)?;
        let warnings = insert_warnings(conn, corpus)?;
        let started = Instant::now();
        let search_entries = self.search.finish(conn, &corpus.agencies)?;
        log::debug!(
            target: LOG_TARGET,
            "search index in {:.3} s",
            (self.search_time + started.elapsed()).as_secs_f64()
        );
        let rows = self.rows;
        let stats = LoadStats {
            version: self.version.finish(corpus)?,
            loaded_at,
            jurisdictions,
            documents: rows.documents,
            provisions: rows.provisions,
            measures: rows.measures,
            agencies,
            agency_aliases,
            measure_agencies: rows.measure_agencies,
            deadlines: rows.deadlines,
            goals: rows.goals,
            cited_documents,
            references,
            themes,
            measure_themes: rows.measure_themes,
            warnings,
            search_entries,
        };
        insert_dataset(conn, &stats)?;
        Ok((stats, self.summaries))
    }
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
    /// Builds the rows of `documents`, in their order; an error names the first record
    /// that cannot be stored.
    fn of(
        documents: &'a [ParsedDocument],
        themes: &HashMap<String, usize>,
    ) -> Result<Self, DbError> {
        let mut records = DocumentRecords {
            provisions: Vec::new(),
            measures: Vec::new(),
            measure_agencies: Vec::new(),
            deadlines: Vec::new(),
            measure_themes: Vec::new(),
            goals: Vec::new(),
        };
        for document in documents {
            push_provision_rows(document, &mut records.provisions)?;
            for measure in &document.measures {
                records
                    .measures
                    .push(measure_row(document, measure, themes)?);
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

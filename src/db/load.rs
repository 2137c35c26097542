//! Writes a parsed corpus into a new SQLite database, atomically.
//!
//! [`write_corpus`] builds the whole database in a temporary file next to the target, in one
//! transaction, and renames it over the target only when every step succeeded. A failed load
//! leaves the previous database exactly as it was and removes the temporary file.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel_migrations::MigrationHarness;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::schema::{
    agencies, agency_aliases, cited_documents, cross_references, dataset, deadlines, documents,
    goals, jurisdictions, measure_agencies, measure_themes, measures, provisions, themes, warnings,
};
use super::{sqlite_uri, DbError, MIGRATIONS};
use crate::corpus::{self, Corpus, CorpusError, ParsedDocument, SourceSpan, WarningKind};

/// The most bound parameters SQLite accepts in one statement.
const MAX_BIND_PARAMETERS: usize = 32_766;

/// An upper bound on the number of columns of any table (checked by a test).
const MAX_COLUMNS_PER_TABLE: usize = 32;

/// Rows per multi-row `INSERT`, small enough for any table to stay under
/// [`MAX_BIND_PARAMETERS`].
const ROWS_PER_STATEMENT: usize = MAX_BIND_PARAMETERS / MAX_COLUMNS_PER_TABLE;
const _: () = assert!(ROWS_PER_STATEMENT * MAX_COLUMNS_PER_TABLE <= MAX_BIND_PARAMETERS);

/// The target of every log line of the load, whichever stage writes it.
const LOG_TARGET: &str = module_path!();

/// Number of hex digits of the corpus hash kept as the dataset version.
const VERSION_HEX_DIGITS: usize = 16;

/// Row counts of a freshly written database, and the dataset version it was stamped with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadStats {
    /// Dataset version: 16 hex digits of a hash over the whole corpus.
    pub version: String,
    /// When the database was written, RFC 3339 UTC.
    pub loaded_at: String,
    /// Rows in `jurisdictions`.
    pub jurisdictions: usize,
    /// Rows in `documents`.
    pub documents: usize,
    /// Rows in `provisions`.
    pub provisions: usize,
    /// Rows in `measures`.
    pub measures: usize,
    /// Rows in `agencies`.
    pub agencies: usize,
    /// Rows in `agency_aliases`.
    pub agency_aliases: usize,
    /// Rows in `measure_agencies` (agency links).
    pub measure_agencies: usize,
    /// Rows in `deadlines`.
    pub deadlines: usize,
    /// Rows in `goals`.
    pub goals: usize,
    /// Rows in `cited_documents`.
    pub cited_documents: usize,
    /// Rows in `cross_references`.
    pub references: usize,
    /// Rows in `themes`.
    pub themes: usize,
    /// Rows in `measure_themes`.
    pub measure_themes: usize,
    /// Rows in `warnings`.
    pub warnings: usize,
    /// Rows in `search_docs` (records in the full-text index).
    pub search_entries: usize,
}

/// Per-document counts, as stored in the `documents` table and printed by `zhengce load`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    /// Document id.
    pub id: String,
    /// Number of measures.
    pub measures: usize,
    /// Number of agency mentions over all measures.
    pub agency_links: usize,
    /// Number of goals.
    pub goals: usize,
    /// Number of citations of other documents.
    pub references: usize,
    /// Number of distinct agency names (as printed) that did not resolve.
    pub unresolved_names: usize,
    /// Number of parser warnings.
    pub warnings: usize,
}

impl DocumentSummary {
    /// Counts the records of one parsed document.
    pub fn of(document: &ParsedDocument) -> Self {
        let mentions = document
            .measures
            .iter()
            .flat_map(|measure| measure.agencies.iter());
        let unresolved: HashSet<&str> = mentions
            .clone()
            .filter(|mention| !mention.resolved)
            .map(|mention| mention.raw_name.as_str())
            .collect();
        DocumentSummary {
            id: document.id.clone(),
            measures: document.measures.len(),
            agency_links: mentions.count(),
            goals: document.goals.len(),
            references: document.citations.len(),
            unresolved_names: unresolved.len(),
            warnings: document.warnings.len(),
        }
    }
}

/// What `zhengce load` did: per-document counts, totals, timing and unresolved names.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// Counts per document, in corpus order.
    pub documents: Vec<DocumentSummary>,
    /// Row counts of the written database.
    pub stats: LoadStats,
    /// Unresolved agency warnings, as `file:line: message`, without repeats.
    pub unresolved_agencies: Vec<String>,
    /// Wall-clock time of parsing and writing.
    pub elapsed: Duration,
    /// The database file written.
    pub db_path: PathBuf,
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for document in &self.documents {
            writeln!(
                f,
                "{}: {} measures, {} agency links, {} goals, {} references, {} unresolved names",
                document.id,
                document.measures,
                document.agency_links,
                document.goals,
                document.references,
                document.unresolved_names
            )?;
        }
        let stats = &self.stats;
        writeln!(
            f,
            "total: {} documents, {} measures, {} agency links, {} goals, {} references, \
             {} agencies, {} themes, {} warnings",
            stats.documents,
            stats.measures,
            stats.measure_agencies,
            stats.goals,
            stats.references,
            stats.agencies,
            stats.themes,
            stats.warnings
        )?;
        writeln!(f, "dataset version {}", stats.version)?;
        writeln!(
            f,
            "loaded in {:.3} s into {}",
            self.elapsed.as_secs_f64(),
            self.db_path.display()
        )?;
        if !self.unresolved_agencies.is_empty() {
            writeln!(
                f,
                "unresolved agency names ({}):",
                self.unresolved_agencies.len()
            )?;
            for line in &self.unresolved_agencies {
                writeln!(f, "  {line}")?;
            }
        }
        Ok(())
    }
}

/// Why `zhengce load` failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The data folder could not be parsed (`file:line: reason`).
    #[error("{0}")]
    Corpus(#[from] CorpusError),
    /// The database could not be written.
    #[error("{0}")]
    Db(#[from] DbError),
}

/// Parses the data folder `data` and writes the database `db`, replacing any previous one
/// only when everything succeeded.
pub fn load_data_dir(data: &Path, db: &Path) -> Result<LoadReport, LoadError> {
    let started = Instant::now();
    let corpus = timed("parsed", || corpus::load_corpus(data))?;
    let stats = write_corpus(&corpus, db)?;
    Ok(LoadReport {
        documents: corpus.documents.iter().map(DocumentSummary::of).collect(),
        stats,
        unresolved_agencies: unresolved_agency_lines(&corpus),
        elapsed: started.elapsed(),
        db_path: db.to_path_buf(),
    })
}

/// The corpus's unresolved-agency warnings as `file:line: message`, first occurrence of
/// each message per file only.
fn unresolved_agency_lines(corpus: &Corpus) -> Vec<String> {
    let mut seen = HashSet::new();
    corpus
        .warnings
        .iter()
        .filter(|entry| entry.warning.kind == WarningKind::UnresolvedAgency)
        .filter(|entry| seen.insert((entry.file.as_str(), entry.warning.message.as_str())))
        .map(|entry| match entry.warning.line {
            Some(line) => format!("{}:{}: {}", entry.file, line, entry.warning.message),
            None => format!("{}: {}", entry.file, entry.warning.message),
        })
        .collect()
}

/// Writes `corpus` into a new database and renames it over `db_path`.
///
/// The database is built in a temporary file in the same directory, in one transaction;
/// any error leaves an existing `db_path` untouched and removes the temporary file.
pub fn write_corpus(corpus: &Corpus, db_path: &Path) -> Result<LoadStats, DbError> {
    let file_name = db_path.file_name().ok_or_else(|| DbError::Io {
        action: "write a database at",
        path: db_path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
    })?;
    let directory = match db_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };

    let prefix = format!(".{}.tmp", file_name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Readable by the server whoever runs it; the process umask still applies.
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let temp = builder
        .tempfile_in(directory)
        .map_err(|source| DbError::Io {
            action: "create a temporary database file in",
            path: directory.to_path_buf(),
            source,
        })?;

    // On any error below, dropping `temp` removes the temporary file. The dataset version
    // is hashed on a second thread while this one writes the rows.
    let stats = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| corpus_version(corpus));
        build_database(temp.path(), corpus, move || {
            hashing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })?;
    temp.as_file().sync_all().map_err(|source| DbError::Io {
        action: "flush",
        path: temp.path().to_path_buf(),
        source,
    })?;
    temp.persist(db_path).map_err(|error| DbError::Io {
        action: "replace",
        path: db_path.to_path_buf(),
        source: error.error,
    })?;
    sync_directory(directory);
    Ok(stats)
}

/// Makes the rename durable. Best effort: the new database is already in place, and a
/// failure here only means a crash in the next moments could bring the old one back.
fn sync_directory(directory: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(directory) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = directory;
}

/// Creates the schema in the empty file at `path` and writes every record; the connection
/// is closed when this returns.
fn build_database(
    path: &Path,
    corpus: &Corpus,
    version: impl FnOnce() -> Result<String, DbError>,
) -> Result<LoadStats, DbError> {
    let uri = sqlite_uri(path, "rw")?;
    let mut conn = SqliteConnection::establish(&uri).map_err(|source| DbError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // The temporary file is thrown away on failure, so SQLite need not journal to disk or
    // sync; the file is synced once before the rename. Foreign keys are checked once, after
    // every row is in, so that rows can go in table by table and a dangling reference is
    // reported by name (see `check_foreign_keys`). A large page cache keeps the B-trees
    // being filled in memory instead of re-reading pages from the file.
    conn.batch_execute(
        "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; \
         PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
    )?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|error| DbError::Migrate {
            path: path.to_path_buf(),
            message: error.to_string(),
        })?;
    let indexes = drop_indexes(&mut conn)?;
    let loaded_at = rfc3339_utc(SystemTime::now());
    let stats = conn.immediate_transaction(|conn| {
        let stats = insert_corpus(conn, corpus, version, loaded_at)?;
        timed("indexes", || create_indexes(conn, &indexes))?;
        timed("foreign keys", || check_foreign_keys(conn))?;
        insert_precomputed(conn)?;
        Ok::<_, DbError>(stats)
    })?;
    // 0x10002: gather planner statistics for every table, not only those this connection
    // has queried.
    timed("optimize", || {
        conn.batch_execute("PRAGMA journal_mode = DELETE; PRAGMA optimize = 0x10002;")
    })?;
    Ok(stats)
}

/// Runs one phase of the load and, when it succeeds, logs how long it took as
/// `{phase} in {seconds} s`.
fn timed<T, E>(phase: &str, run: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let started = Instant::now();
    let value = run()?;
    log::debug!(target: LOG_TARGET, "{phase} in {:.3} s", started.elapsed().as_secs_f64());
    Ok(value)
}

/// Counts the unfiltered lists and their facets over the loaded rows and stores them in
/// `precomputed`, so that the server answers them without scanning the tables.
fn insert_precomputed(conn: &mut SqliteConnection) -> Result<(), DbError> {
    let started = Instant::now();
    let precomputed = super::queries::precompute(conn).map_err(|error| {
        DbError::InvalidCorpus(format!("cannot count the lists without filters: {error}"))
    })?;
    for chunk in precomputed.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<PrecomputedRow> = chunk
            .iter()
            .map(|(statement, rows)| PrecomputedRow { statement, rows })
            .collect();
        diesel::insert_into(super::schema::precomputed::table)
            .values(&rows)
            .execute(conn)
            .map_err(|source| DbError::Insert {
                table: "precomputed",
                source,
            })?;
    }
    log::debug!(
        target: LOG_TARGET,
        "{} counts and facets precomputed in {:.3} s",
        precomputed.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// An index as the migrations declared it.
#[derive(QueryableByName)]
struct IndexDefinition {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Drops the indexes the migrations declared (not the ones SQLite keeps for primary keys
/// and UNIQUE constraints) and returns their definitions, so that they can be built once
/// over the loaded rows, which is much faster than keeping them up to date row by row.
fn drop_indexes(conn: &mut SqliteConnection) -> Result<Vec<IndexDefinition>, DbError> {
    let indexes: Vec<IndexDefinition> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         ORDER BY rowid",
    )
    .load(conn)?;
    for index in &indexes {
        conn.batch_execute(&format!(
            "DROP INDEX \"{}\"",
            index.name.replace('"', "\"\"")
        ))?;
    }
    Ok(indexes)
}

/// Builds the indexes [`drop_indexes`] dropped, from their original statements.
fn create_indexes(conn: &mut SqliteConnection, indexes: &[IndexDefinition]) -> Result<(), DbError> {
    for index in indexes {
        // A UNIQUE index fails here when two records share a key.
        conn.batch_execute(&index.sql).map_err(|error| {
            DbError::InvalidCorpus(format!("cannot build index {}: {error}", index.name))
        })?;
    }
    Ok(())
}

/// The dataset version: the first 16 hex digits of SHA-256 over the corpus serialized as
/// JSON followed by each document's raw bytes (length-prefixed), in corpus order.
pub fn corpus_version(corpus: &Corpus) -> Result<String, DbError> {
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, corpus)?;
    for document in &corpus.documents {
        hasher.update((document.raw.len() as u64).to_le_bytes());
        hasher.update(&document.raw);
    }
    let mut version = hex::encode(hasher.finalize());
    version.truncate(VERSION_HEX_DIGITS);
    Ok(version)
}

/// Formats a time as RFC 3339 UTC with whole seconds: `2026-11-25T08:30:00Z`.
fn rfc3339_utc(time: SystemTime) -> String {
    // A clock set before 1970 is reported as the epoch rather than failing the load.
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let days = (seconds / 86_400) as i64;
    let second_of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------

#[derive(Insertable)]
#[diesel(table_name = dataset, treat_none_as_default_value = false)]
struct DatasetRow {
    key: &'static str,
    value: String,
}

#[derive(Insertable)]
#[diesel(table_name = jurisdictions, treat_none_as_default_value = false)]
struct JurisdictionRow<'a> {
    id: &'a str,
    name: &'a str,
    name_en: &'a str,
    level: &'a str,
    parent_id: Option<&'a str>,
    aliases: String,
    position: i32,
    code: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = documents, treat_none_as_default_value = false)]
struct DocumentRow<'a> {
    id: &'a str,
    title: &'a str,
    issuer: Option<&'a str>,
    jurisdiction_id: Option<&'a str>,
    doc_number: Option<&'a str>,
    doc_number_issuer_code: Option<&'a str>,
    doc_number_year: Option<i32>,
    doc_number_serial: Option<i32>,
    date: Option<&'a str>,
    year: Option<i32>,
    kind: &'a str,
    status: &'static str,
    consultation_start: Option<&'a str>,
    consultation_end: Option<&'a str>,
    file_name: &'a str,
    encoding: &'a str,
    sha256: String,
    raw: Option<&'a [u8]>,
    source: &'a str,
    measure_count: i32,
    goal_count: i32,
    reference_count: i32,
    agency_link_count: i32,
    unresolved_count: i32,
    warning_count: i32,
    format: &'static str,
    extractor: &'static str,
}

#[derive(Insertable)]
#[diesel(table_name = provisions, treat_none_as_default_value = false)]
struct ProvisionRow<'a> {
    id: &'a str,
    document_id: &'a str,
    parent_id: Option<&'a str>,
    position: i32,
    level: &'static str,
    label: &'a str,
    number: i32,
    title: Option<&'a str>,
    text: Option<&'a str>,
    is_measure: bool,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

#[derive(Insertable)]
#[diesel(table_name = measures, treat_none_as_default_value = false)]
struct MeasureRow<'a> {
    id: &'a str,
    document_id: &'a str,
    provision_id: &'a str,
    ordinal: i32,
    number: Option<i32>,
    label: &'a str,
    title: Option<&'a str>,
    text: &'a str,
    path: String,
    annotation: Option<&'a str>,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
    agencies: String,
    themes: String,
    deadlines: String,
}

#[derive(Insertable)]
#[diesel(table_name = super::schema::precomputed)]
struct PrecomputedRow<'a> {
    statement: &'a str,
    rows: &'a str,
}

/// A source span as the JSON columns of `measures` hold it: in the measure's document, and
/// without the verbatim text, which is read from `documents.source` by the span.
#[derive(Serialize)]
struct StoredSpan {
    start: usize,
    end: usize,
    line_start: usize,
    line_end: usize,
}

impl StoredSpan {
    /// The span, checked to cut whole characters out of the document's source text.
    fn of(document: &ParsedDocument, span: &SourceSpan, owner: &str) -> Result<Self, DbError> {
        verbatim(document, span, owner)?;
        Ok(StoredSpan {
            start: span.start,
            end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        })
    }
}

/// One agency of a measure as the `measures.agencies` column holds it: the link, with the
/// agency by id (its names are read from `agencies`).
#[derive(Serialize)]
struct StoredAgency<'a> {
    id: &'a str,
    role: &'static str,
    raw_name: &'a str,
    #[serde(flatten)]
    span: StoredSpan,
}

/// One deadline of a measure as the `measures.deadlines` column holds it.
#[derive(Serialize)]
struct StoredDeadline<'a> {
    text: &'a str,
    date: Option<&'a str>,
    #[serde(flatten)]
    span: StoredSpan,
}

/// The agencies and themes of the corpus by id, to write each measure's served copy of its
/// links.
struct LinkNames<'a> {
    agencies: HashMap<&'a str, &'a corpus::Agency>,
    /// Each theme with its position in the theme list.
    themes: HashMap<&'a str, (usize, &'a corpus::Theme)>,
}

impl<'a> LinkNames<'a> {
    fn of(corpus: &'a Corpus) -> LinkNames<'a> {
        LinkNames {
            agencies: corpus
                .agencies
                .iter()
                .map(|agency| (agency.id.as_str(), agency))
                .collect(),
            themes: corpus
                .themes
                .iter()
                .enumerate()
                .map(|(position, theme)| (theme.id.as_str(), (position, theme)))
                .collect(),
        }
    }

    /// The `agencies` column of a measure: its links in annotation order.
    fn agencies_json(
        &self,
        document: &ParsedDocument,
        measure: &corpus::Measure,
    ) -> Result<String, DbError> {
        let served = measure
            .agencies
            .iter()
            .map(|mention| {
                let agency = self
                    .agencies
                    .get(mention.agency_id.as_str())
                    .ok_or_else(|| {
                        DbError::InvalidCorpus(format!(
                            "{}: measure_agencies.agency_id = '{}' is not in agencies",
                            measure.id, mention.agency_id
                        ))
                    })?;
                Ok(StoredAgency {
                    id: &agency.id,
                    role: mention.role.as_str(),
                    raw_name: &mention.raw_name,
                    span: StoredSpan::of(document, &mention.span, &measure.id)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        Ok(serde_json::to_string(&served)?)
    }

    /// The `themes` column of a measure: the id of each theme once, in theme-list order.
    fn themes_json(&self, measure: &corpus::Measure) -> Result<String, DbError> {
        let mut themes = measure
            .themes
            .iter()
            .map(|id| {
                self.themes.get(id.as_str()).copied().ok_or_else(|| {
                    DbError::InvalidCorpus(format!(
                        "{}: measure_themes.theme_id = '{id}' is not in themes",
                        measure.id
                    ))
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        themes.sort_by(|(a, x), (b, y)| (a, &x.id).cmp(&(b, &y.id)));
        themes.dedup_by(|(_, x), (_, y)| x.id == y.id);
        let ids: Vec<&str> = themes.iter().map(|(_, theme)| theme.id.as_str()).collect();
        Ok(serde_json::to_string(&ids)?)
    }
}

/// The `deadlines` column of a measure: its deadlines in reading order.
fn deadlines_json(document: &ParsedDocument, measure: &corpus::Measure) -> Result<String, DbError> {
    let served = measure
        .deadlines
        .iter()
        .map(|deadline| {
            Ok(StoredDeadline {
                text: &deadline.text,
                date: deadline.date.as_deref(),
                span: StoredSpan::of(document, &deadline.span, &measure.id)?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(serde_json::to_string(&served)?)
}

#[derive(Insertable)]
#[diesel(table_name = agencies, treat_none_as_default_value = false)]
struct AgencyRow<'a> {
    id: &'a str,
    jurisdiction_id: Option<&'a str>,
    name: &'a str,
    name_en: Option<&'a str>,
    kind: &'a str,
    resolved: bool,
    note: Option<&'a str>,
    origin: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = agency_aliases, treat_none_as_default_value = false)]
struct AgencyAliasRow<'a> {
    agency_id: &'a str,
    alias: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = measure_agencies, treat_none_as_default_value = false)]
struct MeasureAgencyRow<'a> {
    measure_id: &'a str,
    position: i32,
    agency_id: &'a str,
    role: &'static str,
    raw_name: &'a str,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

#[derive(Insertable)]
#[diesel(table_name = deadlines, treat_none_as_default_value = false)]
struct DeadlineRow<'a> {
    measure_id: &'a str,
    position: i32,
    text: &'a str,
    date: Option<&'a str>,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

#[derive(Insertable)]
#[diesel(table_name = goals, treat_none_as_default_value = false)]
struct GoalRow<'a> {
    id: &'a str,
    document_id: &'a str,
    provision_id: Option<&'a str>,
    ordinal: i32,
    metric: &'a str,
    value: f64,
    value_text: &'a str,
    unit: &'a str,
    comparator: &'static str,
    comparator_text: &'a str,
    year: Option<i32>,
    value_base: Option<f64>,
    base_unit: Option<&'a str>,
    clause: &'a str,
    sentence: &'a str,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

#[derive(Insertable)]
#[diesel(table_name = cited_documents, treat_none_as_default_value = false)]
struct CitedDocumentRow<'a> {
    id: &'a str,
    title: Option<&'a str>,
    doc_number: Option<&'a str>,
    doc_number_issuer_code: Option<&'a str>,
    doc_number_year: Option<i32>,
    doc_number_serial: Option<i32>,
    document_id: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = cross_references, treat_none_as_default_value = false)]
struct CrossReferenceRow<'a> {
    id: &'a str,
    citing_document_id: &'a str,
    cited_document_id: &'a str,
    provision_id: Option<&'a str>,
    ordinal: i32,
    raw: &'a str,
    title: Option<&'a str>,
    doc_number: Option<&'a str>,
    context: &'a str,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

#[derive(Insertable)]
#[diesel(table_name = themes, treat_none_as_default_value = false)]
struct ThemeRow<'a> {
    id: &'a str,
    name: &'a str,
    name_en: &'a str,
    description: &'a str,
    keywords: String,
    position: i32,
}

#[derive(Insertable)]
#[diesel(table_name = measure_themes, treat_none_as_default_value = false)]
struct MeasureThemeRow<'a> {
    measure_id: &'a str,
    theme_id: &'a str,
}

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

/// Inserts `rows` into `table` in multi-row statements of at most [`ROWS_PER_STATEMENT`]
/// rows and evaluates to the number of rows.
macro_rules! insert_rows {
    ($conn:expr, $table:ident, $rows:expr) => {{
        let started = Instant::now();
        let rows = $rows;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            diesel::insert_into($table::table)
                .values(chunk)
                .execute($conn)
                .map_err(|source| DbError::Insert {
                    table: stringify!($table),
                    source,
                })?;
        }
        log::debug!(
            target: LOG_TARGET,
            "{}: {} rows in {:.3} s",
            stringify!($table),
            rows.len(),
            started.elapsed().as_secs_f64()
        );
        rows.len()
    }};
}

/// Writes every record of `corpus` and the `dataset` facts, one table after another.
fn insert_corpus(
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
    let search_entries = timed("search index", || super::search::write_index(conn, corpus))?;

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

/// Writes `jurisdictions`; returns the number of rows.
fn insert_jurisdictions(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let rows = corpus
        .jurisdictions
        .iter()
        .enumerate()
        .map(|(position, jurisdiction)| {
            Ok(JurisdictionRow {
                id: &jurisdiction.id,
                name: &jurisdiction.name,
                name_en: &jurisdiction.name_en,
                level: &jurisdiction.level,
                parent_id: jurisdiction.parent.as_deref(),
                aliases: serde_json::to_string(&jurisdiction.aliases)?,
                position: int(position, &jurisdiction.id, "position")?,
                code: jurisdiction.code.as_deref(),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, jurisdictions, &rows))
}

/// Writes `documents`; returns the number of rows.
fn insert_documents(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let rows = corpus
        .documents
        .iter()
        .map(document_row)
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, documents, &rows))
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

/// Writes `agencies`; returns the number of rows.
fn insert_agencies(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let rows: Vec<AgencyRow> = corpus
        .agencies
        .iter()
        .map(|agency| AgencyRow {
            id: &agency.id,
            jurisdiction_id: agency.jurisdiction.as_deref(),
            name: &agency.name,
            name_en: agency.name_en.as_deref(),
            kind: &agency.kind,
            resolved: agency.resolved,
            note: agency.note.as_deref(),
            origin: agency.origin.as_str(),
        })
        .collect();
    Ok(insert_rows!(conn, agencies, &rows))
}

/// Writes `agency_aliases`, each alias of an agency once; returns the number of rows.
fn insert_agency_aliases(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let mut rows = Vec::new();
    for agency in &corpus.agencies {
        let mut seen = HashSet::new();
        for alias in &agency.aliases {
            if seen.insert(alias.as_str()) {
                rows.push(AgencyAliasRow {
                    agency_id: &agency.id,
                    alias,
                });
            }
        }
    }
    Ok(insert_rows!(conn, agency_aliases, &rows))
}

/// Writes `cited_documents`; returns the number of rows.
fn insert_cited_documents(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let rows: Vec<CitedDocumentRow> = corpus
        .cited_documents
        .iter()
        .map(|cited| {
            let number = cited.doc_number.as_ref();
            CitedDocumentRow {
                id: &cited.id,
                title: cited.title.as_deref(),
                doc_number: number.map(|number| number.text.as_str()),
                doc_number_issuer_code: number.map(|number| number.issuer_code.as_str()),
                doc_number_year: number.map(|number| number.year),
                doc_number_serial: number.map(|number| number.serial),
                document_id: cited.document.as_deref(),
            }
        })
        .collect();
    Ok(insert_rows!(conn, cited_documents, &rows))
}

/// Writes `cross_references`; returns the number of rows.
fn insert_cross_references(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let documents_by_id: HashMap<&str, &ParsedDocument> = corpus
        .documents
        .iter()
        .map(|document| (document.id.as_str(), document))
        .collect();
    let rows = corpus
        .references
        .iter()
        .map(|reference| cross_reference_row(&documents_by_id, reference))
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, cross_references, &rows))
}

/// Writes `themes`; returns the number of rows.
fn insert_themes(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let rows = corpus
        .themes
        .iter()
        .enumerate()
        .map(|(position, theme)| {
            Ok(ThemeRow {
                id: &theme.id,
                name: &theme.name,
                name_en: &theme.name_en,
                description: &theme.description,
                keywords: serde_json::to_string(&serde_json::json!({
                    "strong": theme.strong,
                    "weak": theme.weak,
                }))?,
                position: int(position, &theme.id, "position")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, themes, &rows))
}

/// Writes `warnings`, numbered from 1 in corpus order; returns the number of rows.
fn insert_warnings(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
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
fn insert_dataset(conn: &mut SqliteConnection, stats: &LoadStats) -> Result<usize, DbError> {
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

fn document_row(document: &ParsedDocument) -> Result<DocumentRow<'_>, DbError> {
    let metadata = &document.metadata;
    let number = metadata.doc_number.as_ref();
    let date_year = metadata
        .date
        .as_deref()
        .and_then(|date| date.get(..4))
        .and_then(|year| year.parse::<i32>().ok());
    let summary = DocumentSummary::of(document);
    let id = document.id.as_str();
    Ok(DocumentRow {
        id,
        title: &metadata.title,
        issuer: metadata.issuer.as_deref(),
        jurisdiction_id: metadata.jurisdiction.as_deref(),
        doc_number: number.map(|number| number.text.as_str()),
        doc_number_issuer_code: number.map(|number| number.issuer_code.as_str()),
        doc_number_year: number.map(|number| number.year),
        doc_number_serial: number.map(|number| number.serial),
        date: metadata.date.as_deref(),
        year: date_year.or(number.map(|number| number.year)),
        kind: &metadata.kind,
        status: metadata.status.as_str(),
        consultation_start: metadata.consultation_start.as_deref(),
        consultation_end: metadata.consultation_end.as_deref(),
        file_name: &document.file_name,
        encoding: &document.encoding,
        sha256: hex::encode(Sha256::digest(&document.raw)),
        // A file that is its own source text is stored once, as the source.
        raw: (document.raw != document.source.as_bytes()).then_some(&document.raw[..]),
        source: &document.source,
        measure_count: int(summary.measures, id, "measure count")?,
        goal_count: int(summary.goals, id, "goal count")?,
        reference_count: int(summary.references, id, "reference count")?,
        agency_link_count: int(summary.agency_links, id, "agency link count")?,
        unresolved_count: int(summary.unresolved_names, id, "unresolved name count")?,
        warning_count: int(summary.warnings, id, "warning count")?,
        format: document.format().as_str(),
        extractor: document.extractor(),
    })
}

fn push_provision_rows<'a>(
    document: &'a ParsedDocument,
    rows: &mut Vec<ProvisionRow<'a>>,
) -> Result<(), DbError> {
    let measure_provisions: HashMap<usize, &corpus::Measure> = document
        .measures
        .iter()
        .map(|measure| (measure.provision, measure))
        .collect();
    for (position, provision) in document.outline.iter().enumerate() {
        let owner = provision.id.as_str();
        let span = SpanColumns::of(&provision.span, owner)?;
        rows.push(ProvisionRow {
            id: owner,
            document_id: &document.id,
            parent_id: provision
                .parent
                .map(|parent| provision_id(document, parent, owner))
                .transpose()?,
            position: int(position, owner, "position")?,
            level: provision.level.as_str(),
            label: &provision.label,
            number: int(provision.number, owner, "number")?,
            title: provision.title.as_deref(),
            // Not stored again where it is the text and annotation of its measure.
            text: match measure_provisions.get(&position) {
                Some(measure) if is_text_and_annotation(&provision.text, measure) => None,
                _ => Some(&provision.text),
            },
            is_measure: measure_provisions.contains_key(&position),
            span_start: span.start,
            span_end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        });
    }
    Ok(())
}

/// Whether `text` is the measure's text followed by its annotation, as the outline reader
/// puts them back together (see the `provisions.text` column).
fn is_text_and_annotation(text: &str, measure: &corpus::Measure) -> bool {
    let annotation = measure.annotation.as_deref().unwrap_or("");
    text.len() == measure.text.len() + annotation.len()
        && text.starts_with(measure.text.as_str())
        && text.ends_with(annotation)
}

fn measure_row<'a>(
    document: &'a ParsedDocument,
    measure: &'a corpus::Measure,
    names: &LinkNames,
) -> Result<MeasureRow<'a>, DbError> {
    let owner = measure.id.as_str();
    let span = SpanColumns::of(&measure.span, owner)?;
    verbatim(document, &measure.span, owner)?;
    Ok(MeasureRow {
        id: owner,
        document_id: &document.id,
        provision_id: provision_id(document, measure.provision, owner)?,
        ordinal: int(measure.ordinal, owner, "ordinal")?,
        number: measure
            .number
            .map(|number| int(number, owner, "number"))
            .transpose()?,
        label: &measure.label,
        title: measure.title.as_deref(),
        text: &measure.text,
        path: serde_json::to_string(&measure.path)?,
        annotation: measure.annotation.as_deref(),
        span_start: span.start,
        span_end: span.end,
        line_start: span.line_start,
        line_end: span.line_end,
        agencies: names.agencies_json(document, measure)?,
        themes: names.themes_json(measure)?,
        deadlines: deadlines_json(document, measure)?,
    })
}

/// Appends the agency links of `measure`, in annotation order.
fn push_measure_agency_rows<'a>(
    measure: &'a corpus::Measure,
    rows: &mut Vec<MeasureAgencyRow<'a>>,
) -> Result<(), DbError> {
    for (position, mention) in measure.agencies.iter().enumerate() {
        let span = SpanColumns::of(&mention.span, &measure.id)?;
        rows.push(MeasureAgencyRow {
            measure_id: &measure.id,
            position: int(position, &measure.id, "agency position")?,
            agency_id: &mention.agency_id,
            role: mention.role.as_str(),
            raw_name: &mention.raw_name,
            span_start: span.start,
            span_end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        });
    }
    Ok(())
}

/// Appends the deadlines of `measure`, in reading order.
fn push_deadline_rows<'a>(
    measure: &'a corpus::Measure,
    rows: &mut Vec<DeadlineRow<'a>>,
) -> Result<(), DbError> {
    for (position, deadline) in measure.deadlines.iter().enumerate() {
        let span = SpanColumns::of(&deadline.span, &measure.id)?;
        rows.push(DeadlineRow {
            measure_id: &measure.id,
            position: int(position, &measure.id, "deadline position")?,
            text: &deadline.text,
            date: deadline.date.as_deref(),
            span_start: span.start,
            span_end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        });
    }
    Ok(())
}

/// Appends the themes of `measure`, each once.
fn push_measure_theme_rows<'a>(measure: &'a corpus::Measure, rows: &mut Vec<MeasureThemeRow<'a>>) {
    let mut seen_themes = HashSet::new();
    for theme in &measure.themes {
        if seen_themes.insert(theme.as_str()) {
            rows.push(MeasureThemeRow {
                measure_id: &measure.id,
                theme_id: theme,
            });
        }
    }
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

fn goal_row<'a>(
    document: &'a ParsedDocument,
    goal: &'a corpus::Goal,
) -> Result<GoalRow<'a>, DbError> {
    let owner = goal.id.as_str();
    let span = SpanColumns::of(&goal.span, owner)?;
    Ok(GoalRow {
        id: owner,
        document_id: &document.id,
        provision_id: goal
            .provision
            .map(|index| provision_id(document, index, owner))
            .transpose()?,
        ordinal: int(goal.ordinal, owner, "ordinal")?,
        metric: &goal.metric,
        value: goal.value,
        value_text: &goal.value_text,
        unit: &goal.unit,
        comparator: goal.comparator.as_str(),
        comparator_text: &goal.comparator_text,
        year: goal.year,
        value_base: goal.value_base,
        base_unit: goal.base_unit.as_deref(),
        clause: &goal.clause,
        sentence: &goal.sentence,
        span_start: span.start,
        span_end: span.end,
        line_start: span.line_start,
        line_end: span.line_end,
    })
}

fn cross_reference_row<'a>(
    documents_by_id: &HashMap<&str, &'a ParsedDocument>,
    reference: &'a corpus::CrossReference,
) -> Result<CrossReferenceRow<'a>, DbError> {
    let owner = reference.id.as_str();
    let document = documents_by_id
        .get(reference.citing_document.as_str())
        .copied()
        .ok_or_else(|| {
            DbError::InvalidCorpus(format!(
                "{owner}: citing document {} is not in the corpus",
                reference.citing_document
            ))
        })?;
    let citation = document.citations.get(reference.citation).ok_or_else(|| {
        DbError::InvalidCorpus(format!(
            "{owner}: citation index {} is outside the {} citations of {}",
            reference.citation,
            document.citations.len(),
            document.id
        ))
    })?;
    let span = SpanColumns::of(&citation.span, owner)?;
    Ok(CrossReferenceRow {
        id: owner,
        citing_document_id: &document.id,
        cited_document_id: &reference.cited,
        provision_id: citation
            .provision
            .map(|index| provision_id(document, index, owner))
            .transpose()?,
        ordinal: int(citation.ordinal, owner, "ordinal")?,
        raw: &citation.raw,
        title: citation.title.as_deref(),
        doc_number: citation
            .doc_number
            .as_ref()
            .map(|number| number.text.as_str()),
        context: &citation.context,
        span_start: span.start,
        span_end: span.end,
        line_start: span.line_start,
        line_end: span.line_end,
    })
}

// ---------------------------------------------------------------------------------------
// Integrity
// ---------------------------------------------------------------------------------------

/// Most dangling references spelled out in one error.
const MAX_REPORTED_VIOLATIONS: usize = 5;

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

#[derive(QueryableByName)]
struct ForeignKeyColumn {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    from: String,
}

#[derive(QueryableByName)]
struct DanglingValue {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// Fails with [`DbError::InvalidCorpus`] naming the first few records that refer to a
/// record the corpus does not have (an agency, a theme, a jurisdiction …).
fn check_foreign_keys(conn: &mut SqliteConnection) -> Result<(), DbError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap_day = UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(rfc3339_utc(leap_day), "2024-02-29T12:34:56Z");
        let millennium = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339_utc(millennium), "2000-02-29T00:00:00Z");
        let new_year = UNIX_EPOCH + Duration::from_secs(1_798_761_599);
        assert_eq!(rfc3339_utc(new_year), "2026-12-31T23:59:59Z");
    }

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

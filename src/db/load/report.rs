//! What a load wrote: row counts, per-document counts and the report `zhengce load` prints.

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::corpus::{Corpus, ParsedDocument, WarningKind};

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

/// The corpus's unresolved-agency warnings as `file:line: message`, first occurrence of
/// each message per file only.
pub(super) fn unresolved_agency_lines(corpus: &Corpus) -> Vec<String> {
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

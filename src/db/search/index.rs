//! The search index the loader writes: one `search_docs` row per searchable record, and its
//! word and gram tokens in the FTS5 table `search_fts`. The view `search_texts` reads each
//! record's texts back from its own table.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::SearchKind;
use crate::corpus::tokens::{gram_field, WordCache};
use crate::corpus::{Agency, ParsedDocument};
use crate::db::DbError;

/// One searchable record and the texts its tokens are made of: the texts the view
/// `search_texts` reads back from the record.
struct Entry<'a> {
    kind: SearchKind,
    record_id: &'a str,
    document_id: Option<&'a str>,
    title: String,
    body: String,
}

/// Writes `search_docs` and `search_fts` (inside the loader's transaction), a slice of
/// documents at a time and then the agencies, with row ids 1, 2, … in that order: each
/// document's header, measures and goals, document by document, then the agencies.
pub struct SearchIndexWriter {
    next_id: usize,
}

impl SearchIndexWriter {
    /// Starts the index. FTS5 writes a segment per statement and by default merges segments
    /// as they pile up; the load merges them once, at the end ([`SearchIndexWriter::finish`]).
    pub fn begin(conn: &mut SqliteConnection) -> Result<Self, DbError> {
        conn.batch_execute(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0); \
             INSERT INTO search_fts(search_fts, rank) VALUES ('crisismerge', 1000);",
        )?;
        Ok(SearchIndexWriter { next_id: 1 })
    }

    /// Indexes the documents' headers, measures and goals, after those written before.
    pub fn write_documents(
        &mut self,
        conn: &mut SqliteConnection,
        documents: &[ParsedDocument],
    ) -> Result<(), DbError> {
        self.write(conn, &document_entries(documents))
    }

    /// Indexes the agencies, merges the index and returns the number of entries written.
    pub fn finish(
        mut self,
        conn: &mut SqliteConnection,
        agencies: &[Agency],
    ) -> Result<usize, DbError> {
        self.write(conn, &agency_entries(agencies))?;
        conn.batch_execute(
            "INSERT INTO search_fts(search_fts) VALUES ('optimize'); \
             DELETE FROM search_fts_config WHERE k IN ('automerge', 'crisismerge');",
        )?;
        Ok(self.next_id - 1)
    }

    fn write(&mut self, conn: &mut SqliteConnection, entries: &[Entry<'_>]) -> Result<(), DbError> {
        insert_entries(conn, self.next_id, entries)?;
        self.next_id += entries.len();
        Ok(())
    }
}

/// The searchable records of documents, in index order: each document's header, measures
/// and goals, document by document.
fn document_entries(documents: &[ParsedDocument]) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for document in documents {
        // The document's header; its body is indexed through its measures (and goals),
        // which are entries of their own.
        let header: Vec<&str> = [
            document
                .metadata
                .doc_number
                .as_ref()
                .map(|number| number.text.as_str()),
            document.metadata.issuer.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        entries.push(Entry {
            kind: SearchKind::Document,
            record_id: &document.id,
            document_id: Some(&document.id),
            title: document.metadata.title.clone(),
            body: header.join("\n"),
        });
        for measure in &document.measures {
            entries.push(Entry {
                kind: SearchKind::Measure,
                record_id: &measure.id,
                document_id: Some(&document.id),
                title: measure.title.clone().unwrap_or_default(),
                body: measure.text.clone(),
            });
        }
        for goal in &document.goals {
            entries.push(Entry {
                kind: SearchKind::Goal,
                record_id: &goal.id,
                document_id: Some(&document.id),
                title: goal.metric.clone(),
                body: goal.sentence.clone(),
            });
        }
    }
    entries
}

/// The searchable records of agencies, in index order.
fn agency_entries(agencies: &[Agency]) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for agency in agencies {
        // The aliases as the API serves them (sorted, distinct), then the English name.
        let aliases: std::collections::BTreeSet<&str> =
            agency.aliases.iter().map(String::as_str).collect();
        let mut names: Vec<&str> = aliases.into_iter().collect();
        if let Some(english) = &agency.name_en {
            names.push(english);
        }
        entries.push(Entry {
            kind: SearchKind::Agency,
            record_id: &agency.id,
            document_id: None,
            title: agency.name.clone(),
            body: names.join("\n"),
        });
    }
    entries
}

/// Entries per multi-row `INSERT` (at most 5 bound values each, within SQLite's limit of
/// 32,766).
/// Each statement ends an FTS5 segment, so fewer, larger statements mean less merging.
const ENTRIES_PER_STATEMENT: usize = 2048;

/// The four token fields of an entry, as stored in `search_fts`.
type TokenFields = [String; 4];

/// The word and gram tokens of an entry's title and body, in the column order of
/// `search_fts`.
fn token_fields(entry: &Entry<'_>, words: &mut WordCache) -> TokenFields {
    [
        words.word_field(&entry.title),
        words.word_field(&entry.body),
        gram_field(&entry.title),
        gram_field(&entry.body),
    ]
}

/// Inserts the entries into `search_docs` and their tokens into `search_fts`, row ids
/// 1, 2, … in entry order. Segmentation runs on worker threads (one per core) while this
/// thread writes the previous batches; the rows written are the same as one by one. The
/// first entry gets row id `first_id`.
fn insert_entries(
    conn: &mut SqliteConnection,
    first_id: usize,
    entries: &[Entry<'_>],
) -> Result<(), DbError> {
    let batches: Vec<&[Entry<'_>]> = entries.chunks(ENTRIES_PER_STATEMENT).collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(batches.len());
    if workers <= 1 {
        let mut first_id = first_id;
        let mut words = WordCache::default();
        for batch in &batches {
            let tokens: Vec<TokenFields> = batch
                .iter()
                .map(|entry| token_fields(entry, &mut words))
                .collect();
            words.clear();
            insert_batch(conn, first_id, batch, &tokens)?;
            first_id += batch.len();
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        // Worker w segments batches w, w + workers, …; this thread takes them in order.
        let receivers: Vec<_> = (0..workers)
            .map(|worker| {
                let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<TokenFields>>(2);
                let batches = &batches;
                scope.spawn(move || {
                    let mut words = WordCache::default();
                    for batch in batches.iter().skip(worker).step_by(workers) {
                        let tokens = batch
                            .iter()
                            .map(|entry| token_fields(entry, &mut words))
                            .collect();
                        // A batch is mostly documents with their measures, which repeat
                        // the documents' text; the next batch shares little with this one.
                        words.clear();
                        if sender.send(tokens).is_err() {
                            // The writer stopped at an error.
                            break;
                        }
                    }
                });
                receiver
            })
            .collect();
        let mut first_id = first_id;
        for (index, batch) in batches.iter().enumerate() {
            let tokens = receivers[index % workers].recv().map_err(|_| {
                DbError::InvalidCorpus("a search-index worker stopped unexpectedly".into())
            })?;
            insert_batch(conn, first_id, batch, &tokens)?;
            first_id += batch.len();
        }
        Ok(())
    })
}

/// Writes one batch of entries, the first with row id `first_id`, in two statements.
fn insert_batch(
    conn: &mut SqliteConnection,
    first_id: usize,
    batch: &[Entry<'_>],
    tokens: &[TokenFields],
) -> Result<(), DbError> {
    let ids = (first_id..first_id + batch.len())
        .map(|id| {
            i64::try_from(id).map_err(|_| DbError::InvalidCorpus("too many search entries".into()))
        })
        .collect::<Result<Vec<i64>, DbError>>()?;
    let rows = vec!["(?, ?, ?, ?)"; batch.len()].join(", ");
    let mut docs = diesel::sql_query(format!(
        "INSERT INTO search_docs (id, kind, record_id, document_id) VALUES {rows}"
    ))
    .into_boxed::<diesel::sqlite::Sqlite>();
    for (id, entry) in ids.iter().zip(batch) {
        docs = docs
            .bind::<BigInt, _>(*id)
            .bind::<Text, _>(entry.kind.as_str())
            .bind::<Text, _>(entry.record_id)
            .bind::<Nullable<Text>, _>(entry.document_id);
    }
    docs.execute(conn).map_err(|source| DbError::Insert {
        table: "search_docs",
        source,
    })?;
    let rows = vec!["(?, ?, ?, ?, ?)"; batch.len()].join(", ");
    let mut fts = diesel::sql_query(format!(
        "INSERT INTO search_fts (rowid, title_words, body_words, title_grams, body_grams) \
         VALUES {rows}"
    ))
    .into_boxed::<diesel::sqlite::Sqlite>();
    for (id, fields) in ids.iter().zip(tokens) {
        fts = fts.bind::<BigInt, _>(*id);
        for field in fields {
            fts = fts.bind::<Text, _>(field.as_str());
        }
    }
    fts.execute(conn).map_err(|source| DbError::Insert {
        table: "search_fts",
        source,
    })?;
    Ok(())
}

//! Chinese full-text search that never silently misses.
//!
//! The loader writes one `search_docs` row per searchable record (measures, documents,
//! goals, agencies) and its tokens into the contentless FTS5 table `search_fts`: jieba
//! search-mode words (for ranking) and the character-bigram stream (for matching; see
//! [`crate::corpus::tokens`]). A query term matches a record when the phrase of the term's
//! grams occurs in the record's grams — which is the case exactly when the record's text
//! contains the term (up to punctuation and case) — so two-character words such as 医疗 and
//! strings that cross word boundaries (线上业) are found wherever they stand.
//!
//! Query language: plain words are segmented by jieba and AND-ed; `"quoted phrase"` is one
//! exact phrase; `A OR B`; `-word` excludes. User text never reaches FTS5 syntax: every term
//! becomes a quoted phrase of generated tokens, so any input is safe.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::DbError;
use crate::corpus::decode::is_han;
use crate::corpus::tokens::{
    gram_field, grams, grams_are_exact, query_words, word_field, Gram, WordCache,
};
use crate::corpus::Corpus;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most terms a query may hold after segmentation.
pub const MAX_TERMS: usize = 256;

/// Kinds of searchable records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    /// A measure (title + text).
    Measure,
    /// A document (title + header: number and issuer); its text is searched through its
    /// measures and goals.
    Document,
    /// A goal (metric + sentence).
    Goal,
    /// An agency (canonical name, aliases, English name).
    Agency,
}

impl SearchKind {
    /// Every kind, in display order.
    pub const ALL: [SearchKind; 4] = [
        SearchKind::Measure,
        SearchKind::Document,
        SearchKind::Goal,
        SearchKind::Agency,
    ];

    /// The stable name used in the database and the API (`type=measure`).
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Measure => "measure",
            SearchKind::Document => "document",
            SearchKind::Goal => "goal",
            SearchKind::Agency => "agency",
        }
    }

    /// Parses the stable name.
    pub fn parse(value: &str) -> Option<SearchKind> {
        SearchKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

/// One searchable record and the texts its tokens are made of: the texts the view
/// `search_texts` reads back from the record.
struct Entry<'a> {
    kind: SearchKind,
    record_id: &'a str,
    document_id: Option<&'a str>,
    title: String,
    body: String,
}

/// Writes `search_docs` and `search_fts` for a corpus (inside the loader's transaction).
/// Returns the number of entries.
pub fn write_index(conn: &mut SqliteConnection, corpus: &Corpus) -> Result<usize, DbError> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for document in &corpus.documents {
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
    for agency in &corpus.agencies {
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
    // FTS5 writes a segment per statement and by default merges segments as they pile up;
    // the load merges them once, at the end ('optimize'), and then drops these settings.
    conn.batch_execute(
        "INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0); \
         INSERT INTO search_fts(search_fts, rank) VALUES ('crisismerge', 1000);",
    )?;
    insert_entries(conn, &entries)?;
    conn.batch_execute(
        "INSERT INTO search_fts(search_fts) VALUES ('optimize'); \
         DELETE FROM search_fts_config WHERE k IN ('automerge', 'crisismerge');",
    )?;
    Ok(entries.len())
}

/// Entries per multi-row `INSERT` (at most 5 bound values each, within SQLite's limit of
/// 32,766).
/// Each statement ends an FTS5 segment, so fewer, larger statements mean less merging.
const ENTRIES_PER_STATEMENT: usize = 2048;

/// The four token fields of an entry, as stored in `search_fts`.
type TokenFields = [String; 4];

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
/// thread writes the previous batches; the rows written are the same as one by one.
fn insert_entries(conn: &mut SqliteConnection, entries: &[Entry<'_>]) -> Result<(), DbError> {
    let batches: Vec<&[Entry<'_>]> = entries.chunks(ENTRIES_PER_STATEMENT).collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(batches.len());
    if workers <= 1 {
        let mut first_id = 1;
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
        let mut first_id = 1;
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

/// A query that cannot be answered, with a message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SearchError(pub String);

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// All must match.
    And(Vec<Expr>),
    /// Any must match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
    /// A string the record's text must contain.
    Term(String),
}

/// Lexical items of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Plain(String),
    Phrase(String),
    Or,
}

fn lex(query: &str) -> Vec<(bool, Lexeme)> {
    let mut lexemes = Vec::new();
    let chars: Vec<char> = query.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c.is_whitespace() {
            index += 1;
            continue;
        }
        let negated = (c == '-' || c == '－')
            && chars
                .get(index + 1)
                .is_some_and(|next| !next.is_whitespace());
        if negated {
            index += 1;
        }
        if matches!(chars.get(index), Some('"' | '“' | '”')) {
            // A quoted phrase; an unbalanced quote runs to the end of the query.
            index += 1;
            let start = index;
            while index < chars.len() && !matches!(chars[index], '"' | '“' | '”') {
                index += 1;
            }
            let phrase: String = chars[start..index].iter().collect();
            index += 1;
            lexemes.push((negated, Lexeme::Phrase(phrase)));
            continue;
        }
        let start = index;
        while index < chars.len()
            && !chars[index].is_whitespace()
            && !matches!(chars[index], '"' | '“' | '”')
        {
            index += 1;
        }
        let word: String = chars[start..index].iter().collect();
        if word == "OR" && !negated {
            lexemes.push((false, Lexeme::Or));
        } else {
            lexemes.push((negated, Lexeme::Plain(word)));
        }
    }
    lexemes
}

/// Whether a string holds anything the index can find (Han characters, letters or digits).
fn searchable(text: &str) -> bool {
    text.chars().any(|c| c.is_alphanumeric())
}

/// Turns one lexeme into an expression: a phrase is one term; a plain word is split by jieba
/// into terms that are AND-ed. `None` when nothing searchable is left.
fn lexeme_expr(lexeme: &Lexeme) -> Option<Expr> {
    match lexeme {
        Lexeme::Phrase(text) => searchable(text).then(|| Expr::Term(text.trim().to_string())),
        Lexeme::Plain(text) => {
            let words: Vec<Expr> = query_words(text)
                .into_iter()
                .filter(|word| searchable(word))
                .map(Expr::Term)
                .collect();
            match words.len() {
                0 => None,
                1 => words.into_iter().next(),
                _ => Some(Expr::And(words)),
            }
        }
        Lexeme::Or => None,
    }
}

/// Parses a query. Plain words AND, `OR` between two items, `-item` excludes, quotes make a
/// phrase. Errors say what is wrong in words a user understands.
pub fn parse_query(query: &str) -> Result<Expr, SearchError> {
    let length = query.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(SearchError(format!(
            "the query has {length} characters; at most {MAX_QUERY_CHARS} are accepted"
        )));
    }
    if query.trim().is_empty() {
        return Err(SearchError(
            "the query is empty; give at least one word to search for".into(),
        ));
    }
    // Groups joined by OR; groups are AND-ed.
    let mut groups: Vec<Vec<Expr>> = Vec::new();
    let mut pending_or = false;
    for (negated, lexeme) in lex(query) {
        if lexeme == Lexeme::Or {
            pending_or = !groups.is_empty();
            continue;
        }
        let Some(expr) = lexeme_expr(&lexeme) else {
            continue;
        };
        let expr = if negated {
            Expr::Not(Box::new(expr))
        } else {
            expr
        };
        match groups.last_mut() {
            Some(group) if pending_or => group.push(expr),
            _ => groups.push(vec![expr]),
        }
        pending_or = false;
    }
    // The AND-ed items, the words of plain text flattened in, each once (a pasted paragraph
    // repeats words; repeating a condition changes nothing).
    let mut items: Vec<Expr> = Vec::new();
    for mut group in groups {
        let item = if group.len() == 1 {
            group.remove(0)
        } else {
            Expr::Or(group)
        };
        let parts = match item {
            Expr::And(parts) => parts,
            other => vec![other],
        };
        for part in parts {
            if !items.contains(&part) {
                items.push(part);
            }
        }
    }
    if items.is_empty() {
        return Err(SearchError(
            "the query has no searchable characters (letters, digits or Chinese characters)".into(),
        ));
    }
    let terms = count_terms(&Expr::And(items.clone()));
    if terms > MAX_TERMS {
        return Err(SearchError(format!(
            "the query has {terms} terms; at most {MAX_TERMS} are accepted"
        )));
    }
    if !has_positive(&Expr::And(items.clone())) {
        return Err(SearchError(
            "the query only excludes (-word); add at least one word to search for".into(),
        ));
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::And(items)
    })
}

fn count_terms(expr: &Expr) -> usize {
    match expr {
        Expr::And(items) | Expr::Or(items) => items.iter().map(count_terms).sum(),
        Expr::Not(inner) => count_terms(inner),
        Expr::Term(_) => 1,
    }
}

fn has_positive(expr: &Expr) -> bool {
    match expr {
        Expr::And(items) => items.iter().any(has_positive),
        Expr::Or(items) => items.iter().all(has_positive),
        Expr::Not(_) => false,
        Expr::Term(_) => true,
    }
}

/// The positive terms of a query (for ranking and highlighting).
pub fn positive_terms(expr: &Expr) -> Vec<String> {
    match expr {
        Expr::And(items) | Expr::Or(items) => items.iter().flat_map(positive_terms).collect(),
        Expr::Not(_) => Vec::new(),
        Expr::Term(term) => vec![term.clone()],
    }
}

/// A query compiled to SQL over the view `search_texts` aliased `sd`, with its bind values in
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledQuery {
    /// Boolean condition on `sd`.
    pub condition: String,
    /// Bind values for `condition`, in order.
    pub binds: Vec<String>,
    /// The query over a whole document: each term holds when the document's header, or one
    /// of its measures or goals, contains it (so `医疗 -互联网` is a document that mentions
    /// 医疗 somewhere and 互联网 nowhere). The document id expression stands as
    /// [`DOCUMENT`]; see [`CompiledQuery::document_condition_on`].
    pub document_condition: String,
    /// Bind values for `document_condition`, in order.
    pub document_binds: Vec<String>,
    /// FTS5 expression over all positive terms, for bm25 ranking (`None` when no positive
    /// term is indexable).
    pub rank_match: Option<String>,
    /// FTS5 expression matching positive terms in titles only.
    pub title_match: Option<String>,
    /// Positive terms, for highlighting.
    pub terms: Vec<String>,
}

/// Where the document id expression stands in [`CompiledQuery::document_condition`].
pub const DOCUMENT: &str = "{document}";

impl CompiledQuery {
    /// [`CompiledQuery::document_condition`] over the document id expression `id`.
    pub fn document_condition_on(&self, id: &str) -> String {
        self.document_condition.replace(DOCUMENT, id)
    }
}

/// FTS5 phrase of a term's grams, restricted to the gram columns of `columns`.
fn gram_phrase(term: &str, columns: &str) -> String {
    format!("{{{columns}}} : \"{}\"", gram_field(term))
}

/// Compiles a parsed query.
pub fn compile(expr: &Expr) -> CompiledQuery {
    let mut binds = Vec::new();
    let condition = compile_expr(expr, &mut binds, &|term| term.to_owned());
    let mut document_binds = Vec::new();
    let kinds = DOCUMENT_ENTRY_KINDS
        .map(|kind| format!("'{}'", kind.as_str()))
        .join(", ");
    let document_condition = compile_expr(expr, &mut document_binds, &|term| {
        format!(
            "{DOCUMENT} IN (SELECT sd.document_id FROM search_texts sd \
             WHERE sd.kind IN ({kinds}) AND {term})"
        )
    });
    let terms = positive_terms(expr);
    let exact: Vec<&String> = terms.iter().filter(|term| grams_are_exact(term)).collect();
    let rank_match = (!exact.is_empty()).then(|| {
        exact
            .iter()
            .flat_map(|term| {
                let mut parts = vec![gram_phrase(term, "title_grams body_grams")];
                let words = word_field(term);
                if !words.is_empty() {
                    parts.push(format!("{{title_words body_words}} : \"{words}\""));
                }
                parts
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    });
    let title_match = (!exact.is_empty()).then(|| {
        exact
            .iter()
            .map(|term| gram_phrase(term, "title_grams"))
            .collect::<Vec<_>>()
            .join(" OR ")
    });
    CompiledQuery {
        condition,
        binds,
        document_condition,
        document_binds,
        rank_match,
        title_match,
        terms,
    }
}

/// The condition of `expr`, each term's condition on an entry passed through `wrap`.
fn compile_expr(expr: &Expr, binds: &mut Vec<String>, wrap: &dyn Fn(&str) -> String) -> String {
    match expr {
        Expr::And(items) => format!(
            "({})",
            items
                .iter()
                .map(|item| compile_expr(item, binds, wrap))
                .collect::<Vec<_>>()
                .join(" AND ")
        ),
        Expr::Or(items) => format!(
            "({})",
            items
                .iter()
                .map(|item| compile_expr(item, binds, wrap))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Expr::Not(inner) => format!("NOT {}", compile_expr(inner, binds, wrap)),
        Expr::Term(term) if index_decides(term) => {
            // One bigram or one Latin word: its token is in the index exactly when the text
            // contains the term, so no text needs reading.
            binds.push(gram_phrase(term, "title_grams body_grams"));
            wrap("sd.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)")
        }
        Expr::Term(term) if grams_are_exact(term) => {
            // The index narrows to candidates; the display text confirms the exact string
            // (grams drop symbols such as the `+` of `互联网+`, and spaces).
            binds.push(gram_phrase(term, "title_grams body_grams"));
            binds.push(term.to_ascii_lowercase());
            wrap(
                "(sd.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) \
                 AND instr(lower(sd.title || char(10) || sd.body), ?) > 0)",
            )
        }
        Expr::Term(term) => {
            // A lone Han character (or one beside a Latin word) is not a whole bigram: scan
            // the display text instead, which is exact and, for such short terms, still fast
            // enough.
            binds.push(term.to_ascii_lowercase());
            wrap("instr(lower(sd.title || char(10) || sd.body), ?) > 0")
        }
    }
}

/// Whether the index alone decides whether a text contains the term: the term is a single
/// gram — two Han characters, or one Latin/digit word — and nothing else, so its token is in
/// a text's gram stream exactly when the text contains it (a Latin word as a whole word, as
/// everywhere in the index).
fn index_decides(term: &str) -> bool {
    let single = match grams(term).as_slice() {
        [Gram::Han(pair)] => pair.chars().count() == 2,
        [Gram::Word(_)] => true,
        _ => false,
    };
    single
        && term
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || (is_han(c) && c.is_alphabetic()))
}

/// One ranked hit.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct Hit {
    /// `measure`, `document`, `goal` or `agency`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The record's id.
    #[diesel(sql_type = Text)]
    pub record_id: String,
    /// The record's document, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub document_id: Option<String>,
    /// Display title.
    #[diesel(sql_type = Text)]
    pub title: String,
    /// Display text.
    #[diesel(sql_type = Text)]
    pub body: String,
    /// 1 when a term matched the title.
    #[diesel(sql_type = Integer)]
    pub title_hit: i32,
    /// bm25 score (lower is better); 0 when the query has no indexable term.
    #[diesel(sql_type = diesel::sql_types::Double)]
    pub score: f64,
}

/// Every title hit ranks before every body hit in [`ranked_sql`]'s `rank_key`.
const TITLE_TIER: i64 = 1_000_000_000_000_000;

/// The kinds of the entries through which a document is found: its header and its records
/// that are entries of their own (measures and goals), which cover its text.
pub const DOCUMENT_ENTRY_KINDS: [SearchKind; 3] =
    [SearchKind::Document, SearchKind::Measure, SearchKind::Goal];

/// A JSON array of the kinds' names, to bind for `json_each`.
fn kind_names(kinds: &[SearchKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_owned())
}

/// A subquery listing the records of `kinds` (every kind when empty) that match, with their
/// rank. Columns: `sid` (the `search_docs` id), `kind`, `record_id`, `title_hit` (1 when a
/// term occurs in the title), `score` (bm25, lower is better; 0 when no term is indexable)
/// and `rank_key`, an integer where lower is better: title hits first, then bm25 rounded to a
/// millionth. Being an exact integer, `rank_key` (with a tie-breaker) serves as a keyset
/// pagination key. A document matches when the query holds over its header and its measures
/// and goals together ([`CompiledQuery::document_condition`]), and ranks as the best of those
/// entries (its `sid` is its header's). Returns the SQL and its bind values in order.
pub fn ranked_sql(query: &CompiledQuery, kinds: &[SearchKind]) -> (String, Vec<String>) {
    let requested = if kinds.is_empty() {
        SearchKind::ALL.to_vec()
    } else {
        kinds.to_vec()
    };
    // The FTS matches are materialized once: left to itself, the planner may run the full
    // MATCH again for every candidate row (a rowid lookup cannot narrow an FTS5 query).
    let mut ctes: Vec<&str> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let rank_join = match &query.rank_match {
        Some(rank_match) => {
            ctes.push(
                "rank_hits AS MATERIALIZED (SELECT rowid AS rid, \
                 bm25(search_fts, 10.0, 1.0, 10.0, 1.0) AS score FROM search_fts \
                 WHERE search_fts MATCH ?)",
            );
            binds.push(rank_match.clone());
            "LEFT JOIN rank_hits r ON r.rid = sd.id"
        }
        None => "LEFT JOIN (SELECT NULL AS rid, NULL AS score) r ON 0",
    };
    let (title_join, title_hit) = match &query.title_match {
        Some(title_match) => {
            ctes.push(
                "title_hits AS MATERIALIZED (SELECT rowid AS tid FROM search_fts \
                 WHERE search_fts MATCH ?)",
            );
            binds.push(title_match.clone());
            (
                "LEFT JOIN title_hits th ON th.tid = sd.id",
                "CASE WHEN th.tid IS NULL THEN 0 ELSE 1 END",
            )
        }
        None => ("", "0"),
    };
    let others: Vec<SearchKind> = requested
        .iter()
        .copied()
        .filter(|kind| *kind != SearchKind::Document)
        .collect();
    let hits = format!(
        "hits AS MATERIALIZED (SELECT sd.id AS sid, sd.kind AS kind, sd.record_id AS record_id, \
         {title_hit} AS title_hit, COALESCE(r.score, 0.0) AS score \
         FROM search_texts sd {rank_join} {title_join} \
         WHERE sd.kind IN (SELECT value FROM json_each(?)) AND {})",
        query.condition
    );
    binds.push(kind_names(&others));
    binds.extend(query.binds.iter().cloned());
    ctes.push(&hits);
    let rank_key =
        format!("(1 - title_hit) * {TITLE_TIER} + CAST(ROUND(score * 1000000.0) AS INTEGER)");
    let own =
        format!("SELECT sid, kind, record_id, title_hit, score, {rank_key} AS rank_key FROM hits");
    let scores;
    let body = if requested.contains(&SearchKind::Document) {
        // A document is a hit when the query holds over the whole of it (its header, its
        // measures and goals); it ranks by the best bm25 among those entries, and first
        // when a term is in its title.
        let entry_kinds = kind_names(&DOCUMENT_ENTRY_KINDS);
        // The header's own score where it matched, so that a title match of a document
        // ranks by its header and not by its best measure; else its best entry's.
        let score = if query.rank_match.is_some() {
            scores = format!(
                "document_scores AS MATERIALIZED (SELECT e.document_id AS document_id, \
                 MIN(r.score) AS score FROM rank_hits r JOIN search_docs e ON e.id = r.rid \
                 WHERE e.kind IN (SELECT value FROM json_each('{entry_kinds}')) \
                 GROUP BY e.document_id)"
            );
            ctes.push(&scores);
            "COALESCE((SELECT h.score FROM rank_hits h WHERE h.rid = sd.id), \
             (SELECT s.score FROM document_scores s WHERE s.document_id = sd.record_id), 0.0)"
        } else {
            "0.0"
        };
        let documents = format!(
            "SELECT sd.id AS sid, sd.kind AS kind, sd.record_id AS record_id, \
             {title_hit} AS title_hit, {score} AS score FROM search_docs sd {title_join} \
             WHERE sd.kind = 'document' AND {}",
            query.document_condition_on("sd.record_id")
        );
        binds.extend(query.document_binds.iter().cloned());
        format!(
            "{own} UNION ALL SELECT sid, kind, record_id, title_hit, score, {rank_key} \
             AS rank_key FROM ({documents})"
        )
    } else {
        own
    };
    let sql = format!(
        "SELECT h.sid AS sid, h.kind AS kind, h.record_id AS record_id, h.title_hit AS title_hit, \
         h.score AS score, h.rank_key AS rank_key FROM (WITH {} {body}) h",
        ctes.join(", ")
    );
    (sql, binds)
}

/// Runs a compiled query over the given kinds (every kind when empty): every hit, best first
/// (title hits first, then bm25, then kind and id for a stable order).
pub fn search(
    conn: &mut SqliteConnection,
    query: &CompiledQuery,
    kinds: &[SearchKind],
) -> Result<Vec<Hit>, DbError> {
    let (ranked, binds) = ranked_sql(query, kinds);
    let sql = format!(
        "SELECT sd.kind AS kind, sd.record_id AS record_id, sd.document_id AS document_id, \
         sd.title AS title, sd.body AS body, rk.title_hit AS title_hit, rk.score AS score \
         FROM ({ranked}) rk JOIN search_texts sd ON sd.id = rk.sid \
         ORDER BY rk.rank_key, sd.kind, sd.record_id"
    );
    let mut statement = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
    for bind in binds {
        statement = statement.bind::<Text, _>(bind);
    }
    Ok(statement.load(conn)?)
}

/// Character offsets `[start, end)` of every occurrence of any term in a text
/// (case-insensitive for Latin letters), merged where they overlap. As in the index, Latin
/// letters and digits at the edges of a term match whole words only: `ar` is found in
/// `VR/AR`, not in `care`.
pub fn highlight_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let lower: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let latin = |c: &char| c.is_ascii_alphanumeric();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in terms {
        let needle: Vec<char> = term
            .trim()
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let (Some(first), Some(last)) = (needle.first(), needle.last()) else {
            continue;
        };
        if needle.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - needle.len() {
            let end = start + needle.len();
            let opens = !latin(first) || start == 0 || !latin(&lower[start - 1]);
            let closes = !latin(last) || lower.get(end).is_none_or(|next| !latin(next));
            if opens && closes && lower[start..end] == needle[..] {
                ranges.push((start, end));
            }
        }
    }
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A window of a record's text around its first match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The snippet text (with `…` where it was cut).
    pub text: String,
    /// Highlight ranges in characters of `text`.
    pub highlights: Vec<(usize, usize)>,
    /// Highlight ranges in characters of the record's whole text.
    pub highlights_in_text: Vec<(usize, usize)>,
}

/// Builds a snippet of about `width` characters around the first match.
pub fn snippet(text: &str, terms: &[String], width: usize) -> Snippet {
    let chars: Vec<char> = text.chars().collect();
    let all = highlight_ranges(text, terms);
    let first = all.first().map_or(0, |range| range.0);
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let offset = prefix.chars().count();
    let body: String = chars[start..end].iter().collect();
    let highlights = all
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + offset, e - start + offset))
        .collect();
    Snippet {
        text: format!("{prefix}{body}{suffix}"),
        highlights,
        highlights_in_text: all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(expr: &Expr) -> Vec<String> {
        positive_terms(expr)
    }

    #[test]
    fn plain_words_are_and_ed() {
        let expr = parse_query("医疗 教育").unwrap();
        assert_eq!(
            expr,
            Expr::And(vec![Expr::Term("医疗".into()), Expr::Term("教育".into())])
        );
    }

    #[test]
    fn or_binds_neighbours_and_minus_excludes() {
        let expr = parse_query("医疗 OR 教育 -金融").unwrap();
        assert_eq!(
            expr,
            Expr::And(vec![
                Expr::Or(vec![Expr::Term("医疗".into()), Expr::Term("教育".into())]),
                Expr::Not(Box::new(Expr::Term("金融".into()))),
            ])
        );
    }

    #[test]
    fn quoted_phrase_is_one_term_and_unbalanced_quote_runs_to_the_end() {
        assert_eq!(
            parse_query("\"线上业\"").unwrap(),
            Expr::Term("线上业".into())
        );
        assert_eq!(
            parse_query("\"在线医疗").unwrap(),
            Expr::Term("在线医疗".into())
        );
    }

    #[test]
    fn unsafe_inputs_give_terms_or_clear_errors() {
        for query in [
            "covid-19",
            "a\"b",
            "医疗:",
            "互联网+",
            "5G",
            "O2O",
            "NEAR(a b)",
            "医疗*",
            "{title}:x",
        ] {
            let expr = parse_query(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            let compiled = compile(&expr);
            assert!(!terms(&expr).is_empty(), "{query}");
            // Bind values are generated token phrases, never raw user syntax.
            let fts_binds = compiled
                .binds
                .iter()
                .filter_map(|bind| bind.strip_prefix("{title_grams body_grams} : "));
            for phrase in fts_binds {
                let inner = phrase.trim_matches('"');
                assert!(
                    inner.chars().all(|c| c == ' ' || c.is_alphanumeric()),
                    "{query}: {phrase}"
                );
            }
        }
        // Found by fuzzing: an unassigned code point inside the Han compatibility block.
        let compiled = compile(&parse_query("\"\" `O\"\u{fae5}线").unwrap());
        for bind in compiled
            .binds
            .iter()
            .filter(|bind| bind.starts_with("{title_grams"))
        {
            assert!(!bind.contains('\u{fae5}'), "{bind}");
        }
        for query in ["", "   ", "*", "\"\"", "-医疗", ":::"] {
            assert!(parse_query(query).is_err(), "{query:?} should be refused");
        }
        assert!(parse_query(&"医".repeat(1001)).is_err());
        // Repeated words count once.
        assert_eq!(
            parse_query(&"在线医疗 教育 ".repeat(125)),
            parse_query("在线 医疗 教育")
        );
    }

    #[test]
    fn the_index_alone_decides_single_grams() {
        for term in ["医疗", "5G", "app", "O2O"] {
            assert!(index_decides(term), "{term}");
        }
        for term in [
            "医",
            "医疗卫生",
            "互联网+",
            "5G网络",
            "快5G",
            "a b",
            " 医疗",
        ] {
            assert!(!index_decides(term), "{term}");
        }
        let compiled = compile(&parse_query("医疗").unwrap());
        assert!(
            !compiled.condition.contains("instr"),
            "{}",
            compiled.condition
        );
    }

    #[test]
    fn highlights_and_snippets_use_character_offsets() {
        let text = "推进互联网医院发展，完善互联网诊疗服务";
        assert_eq!(
            highlight_ranges(text, &["互联网".into()]),
            vec![(2, 5), (12, 15)]
        );
        assert_eq!(
            highlight_ranges("VR/AR、Care、AR眼镜", &["ar".into()]),
            vec![(3, 5), (11, 13)]
        );
        let snippet = snippet(text, &["诊疗".into()], 8);
        let chars: Vec<char> = snippet.text.chars().collect();
        let (start, end) = snippet.highlights[0];
        assert_eq!(chars[start..end].iter().collect::<String>(), "诊疗");
    }
}

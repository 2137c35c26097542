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
//!
//! The parts, each in its own module and all reachable from here:
//! - `kind`: the kinds of searchable records ([`SearchKind`]).
//! - `index`: the rows and tokens the loader writes ([`SearchIndexWriter`]).
//! - `parse`: the query language, from `q` to an [`Expr`] ([`parse_query`]).
//! - `compile`: an [`Expr`] as SQL conditions and FTS5 expressions ([`CompiledQuery`]).
//! - `rank`: the ranked hits of a compiled query ([`ranked_sql`], [`search`]).
//! - `highlight`: where the terms stand in a text, and snippets around them.

mod compile;
mod highlight;
mod index;
mod kind;
mod parse;
mod rank;

pub use compile::{compile, CompiledQuery, DOCUMENT};
pub use highlight::{highlight_ranges, snippet, Snippet};
pub use index::SearchIndexWriter;
pub use kind::{SearchKind, DOCUMENT_ENTRY_KINDS};
pub use parse::{parse_query, positive_terms, Expr, SearchError, MAX_QUERY_CHARS, MAX_TERMS};
pub use rank::{ranked_sql, search, Hit};

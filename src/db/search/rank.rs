//! The ranked hits of a compiled query: title hits first, then bm25, as one SQL statement
//! that list queries page through by its `rank_key`.

use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text};

use super::{CompiledQuery, SearchKind, DOCUMENT_ENTRY_KINDS};
use crate::db::DbError;

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
    let mut ctes: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let joins = FtsJoins::of(query, &mut ctes, &mut binds);
    let others: Vec<SearchKind> = requested
        .iter()
        .copied()
        .filter(|kind| *kind != SearchKind::Document)
        .collect();
    ctes.push(format!(
        "hits AS MATERIALIZED (SELECT sd.id AS sid, sd.kind AS kind, sd.record_id AS record_id, \
         {} AS title_hit, COALESCE(r.score, 0.0) AS score \
         FROM search_texts sd {} {} \
         WHERE sd.kind IN (SELECT value FROM json_each(?)) AND {})",
        joins.title_hit, joins.rank, joins.title, query.condition
    ));
    binds.push(kind_names(&others));
    binds.extend(query.binds.iter().cloned());
    let rank_key =
        format!("(1 - title_hit) * {TITLE_TIER} + CAST(ROUND(score * 1000000.0) AS INTEGER)");
    let own =
        format!("SELECT sid, kind, record_id, title_hit, score, {rank_key} AS rank_key FROM hits");
    let body = if requested.contains(&SearchKind::Document) {
        let documents = document_hits(query, &joins, &mut ctes, &mut binds);
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

/// How the entries of [`ranked_sql`] meet the FTS matches of a query: the join of the bm25
/// scores, the join of the title matches, and the expression that is 1 on a title hit.
struct FtsJoins {
    rank: &'static str,
    title: &'static str,
    title_hit: &'static str,
}

impl FtsJoins {
    /// Adds the common table expressions of the query's FTS matches to `ctes`, and their
    /// bind values to `binds`, and returns the joins that read them. The FTS matches are
    /// materialized once: left to itself, the planner may run the full MATCH again for every
    /// candidate row (a rowid lookup cannot narrow an FTS5 query).
    fn of(query: &CompiledQuery, ctes: &mut Vec<String>, binds: &mut Vec<String>) -> FtsJoins {
        let rank = match &query.rank_match {
            Some(rank_match) => {
                ctes.push(
                    "rank_hits AS MATERIALIZED (SELECT rowid AS rid, \
                     bm25(search_fts, 10.0, 1.0, 10.0, 1.0) AS score FROM search_fts \
                     WHERE search_fts MATCH ?)"
                        .to_owned(),
                );
                binds.push(rank_match.clone());
                "LEFT JOIN rank_hits r ON r.rid = sd.id"
            }
            None => "LEFT JOIN (SELECT NULL AS rid, NULL AS score) r ON 0",
        };
        let (title, title_hit) = match &query.title_match {
            Some(title_match) => {
                ctes.push(
                    "title_hits AS MATERIALIZED (SELECT rowid AS tid FROM search_fts \
                     WHERE search_fts MATCH ?)"
                        .to_owned(),
                );
                binds.push(title_match.clone());
                (
                    "LEFT JOIN title_hits th ON th.tid = sd.id",
                    "CASE WHEN th.tid IS NULL THEN 0 ELSE 1 END",
                )
            }
            None => ("", "0"),
        };
        FtsJoins {
            rank,
            title,
            title_hit,
        }
    }
}

/// The documents that match `query`, with the columns of [`ranked_sql`]'s hits but
/// `rank_key`, adding the common table expressions it reads to `ctes` and its bind values to
/// `binds`. A document is a hit when the query holds over the whole of it (its header, its
/// measures and goals); it ranks by the best bm25 among those entries, and first when a term
/// is in its title.
fn document_hits(
    query: &CompiledQuery,
    joins: &FtsJoins,
    ctes: &mut Vec<String>,
    binds: &mut Vec<String>,
) -> String {
    let entry_kinds = kind_names(&DOCUMENT_ENTRY_KINDS);
    // The header's own score where it matched, so that a title match of a document
    // ranks by its header and not by its best measure; else its best entry's.
    let score = if query.rank_match.is_some() {
        ctes.push(format!(
            "document_scores AS MATERIALIZED (SELECT e.document_id AS document_id, \
             MIN(r.score) AS score FROM rank_hits r JOIN search_docs e ON e.id = r.rid \
             WHERE e.kind IN (SELECT value FROM json_each('{entry_kinds}')) \
             GROUP BY e.document_id)"
        ));
        "COALESCE((SELECT h.score FROM rank_hits h WHERE h.rid = sd.id), \
         (SELECT s.score FROM document_scores s WHERE s.document_id = sd.record_id), 0.0)"
    } else {
        "0.0"
    };
    binds.extend(query.document_binds.iter().cloned());
    format!(
        "SELECT sd.id AS sid, sd.kind AS kind, sd.record_id AS record_id, \
         {} AS title_hit, {score} AS score FROM search_docs sd {} \
         WHERE sd.kind = 'document' AND {}",
        joins.title_hit,
        joins.title,
        query.document_condition_on("sd.record_id")
    )
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

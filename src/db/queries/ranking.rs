//! Pages in relevance order read off a remembered ranking.
//!
//! Ranking a full-text query scores every match (bm25) and confirms it against its text, so
//! its cost grows with the number of matches: tens of thousands for a common word in a large
//! corpus. The ranking of a query depends on nothing but the query and the database, which
//! does not change while it is served, so it is computed once — every match with its rank
//! key, best first — and kept with the other remembered results ([`super::cache`]). A page
//! then walks the ranking from its cursor and reads only the records it shows, checking the
//! list's other filters on them a slice of the ranking at a time.

use std::sync::Arc;

use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, SqliteConnection};

use super::{
    cache, relevance_join, Base, KeyValue, Keyed, ListRequest, QueryResult, Sql, RELEVANCE,
};
use crate::db::search::{ranked_sql, CompiledQuery, SearchKind};

/// One match of a ranking.
#[derive(Debug, Clone, QueryableByName, serde::Serialize, serde::Deserialize)]
pub(crate) struct Ranked {
    /// Lower is better (see [`ranked_sql`]).
    #[diesel(sql_type = BigInt)]
    rank_key: i64,
    /// The list's id of the record: the order's tie-breaker.
    #[diesel(sql_type = Text)]
    id: String,
    /// The record's `search_docs` id.
    #[diesel(sql_type = BigInt)]
    sid: i64,
}

impl cache::Weigh for Ranked {
    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.id.len()
    }
}

/// Every record of `kinds` matching `query`, in the list order `rank_key, id`, where the id
/// of a record is `id_sql` over the ranked hit `rk` (columns `kind`, `record_id`).
fn ranking(
    conn: &mut SqliteConnection,
    query: &CompiledQuery,
    kinds: &[SearchKind],
    id_sql: &str,
) -> QueryResult<Arc<Vec<Ranked>>> {
    let (ranked, binds) = ranked_sql(query, kinds);
    let mut sql = Sql::new("SELECT rk.rank_key AS rank_key, ");
    sql.push(id_sql)
        .push(" AS id, rk.sid AS sid FROM (")
        .with_binds(&ranked, &binds)
        .push(") rk ORDER BY 1, 2");
    cache::load_shared(conn, &sql)
}

/// The rows of a page and the cursor of the next page, if any.
type PageRows<T> = (Vec<T>, Option<Vec<KeyValue>>);

/// Fewest ranked records checked by one statement.
const FIRST_SLICE: usize = 64;

/// Most ranked records checked by one statement.
const LARGEST_SLICE: usize = 4096;

/// Where a page starts in `ranking`: just after the cursor `after` (`[rank_key, id]`), or
/// at the start. `None` when the cursor does not have that shape.
fn start(ranking: &[Ranked], after: Option<&[KeyValue]>) -> Option<usize> {
    match after {
        None => Some(0),
        Some([KeyValue::Int(rank_key), KeyValue::Text(id)]) => Some(
            ranking.partition_point(|entry| (entry.rank_key, entry.id.as_str()) <= (*rank_key, id)),
        ),
        Some(_) => None,
    }
}

/// Whether a request is ordered by relevance alone (best first, then id), the order a
/// ranking holds.
fn by_relevance_alone<F>(request: &ListRequest<F>) -> bool {
    matches!(request.sort.as_slice(), [key] if key.field.name == RELEVANCE && !key.descending)
}

impl Base {
    /// The page of `request` in relevance order over the matches of `query` among `kinds`,
    /// the ranked hit joined as `rk` on `on`: read off the kept ranking (ids `id_sql` over
    /// `rk`) when the order is relevance alone, else from the ranked statement.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn page_by_relevance<T, F>(
        &self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<F>,
        query: Option<&CompiledQuery>,
        kinds: &[SearchKind],
        id_sql: &str,
        on: &str,
    ) -> QueryResult<PageRows<T>>
    where
        T: QueryableByName<Sqlite> + 'static,
    {
        if let (Some(query), true) = (query, by_relevance_alone(request)) {
            let ranked = ranking(conn, query, kinds, id_sql)?;
            if let Some(page) = self.page_from_ranking(conn, columns, request, &ranked, on)? {
                return Ok(page);
            }
        }
        let join = relevance_join(query, kinds, on);
        self.page_joined(conn, columns, request, &join)
    }

    /// The page of `request` (ordered by relevance alone) from `ranking`: the ranked records
    /// after the cursor that pass the list's filters other than the query, joined to the
    /// ranking's row `rk` (`rank_key`, `record_id`, `sid`) on `on`. `None` when the cursor
    /// does not fit the ranking's order.
    pub(crate) fn page_from_ranking<T, F>(
        &self,
        conn: &mut SqliteConnection,
        columns: &str,
        request: &ListRequest<F>,
        ranking: &[Ranked],
        on: &str,
    ) -> QueryResult<Option<PageRows<T>>>
    where
        T: QueryableByName<Sqlite> + 'static,
    {
        let Some(mut position) = start(ranking, request.after.as_deref()) else {
            return Ok(None);
        };
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let wanted = limit.saturating_add(1);
        let mut rows: Vec<Keyed<T>> = Vec::new();
        // Without other filters every ranked record is on the list: one slice of the page's
        // size is enough. With them, slices grow until the page is full.
        let mut slice = if self.filtered() {
            FIRST_SLICE.max(wanted)
        } else {
            wanted
        };
        while rows.len() < wanted && position < ranking.len() {
            let end = position.saturating_add(slice).min(ranking.len());
            let entries: Vec<(i64, &str, i64)> = ranking[position..end]
                .iter()
                .map(|entry| (entry.rank_key, entry.id.as_str(), entry.sid))
                .collect();
            let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned());
            let mut sql = Sql::new("SELECT ");
            sql.push(columns)
                .push(", json_array(rk.rank_key, ")
                .push(self.id)
                .push(
                    ") AS sort_key FROM (SELECT CAST(value ->> 0 AS INTEGER) AS rank_key, \
                     value ->> 1 AS record_id, CAST(value ->> 2 AS INTEGER) AS sid, \
                     CAST(key AS INTEGER) AS position FROM json_each(",
                )
                .text(json)
                .push(")) rk CROSS JOIN ")
                .push(self.from)
                .push(" WHERE ")
                .push(on)
                .append(&self.conditions)
                .push(" ORDER BY rk.position");
            let found: Vec<Keyed<T>> = sql.load(conn)?;
            rows.extend(found.into_iter().take(wanted - rows.len()));
            position = end;
            slice = slice.saturating_mul(4).min(LARGEST_SLICE.max(wanted));
        }
        Ok(Some(Keyed::split_page(rows, limit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(rank_key: i64, id: &str) -> Ranked {
        Ranked {
            rank_key,
            id: id.to_owned(),
            sid: 0,
        }
    }

    #[test]
    fn pages_start_after_the_cursor_in_rank_then_id_order() {
        let ranking = [entry(1, "b"), entry(1, "c"), entry(5, "a"), entry(7, "a")];
        assert_eq!(start(&ranking, None), Some(0));
        let cursor = |rank_key, id: &str| vec![KeyValue::Int(rank_key), KeyValue::Text(id.into())];
        assert_eq!(start(&ranking, Some(&cursor(1, "b"))), Some(1));
        assert_eq!(start(&ranking, Some(&cursor(1, "bb"))), Some(1));
        assert_eq!(start(&ranking, Some(&cursor(5, "a"))), Some(3));
        assert_eq!(start(&ranking, Some(&cursor(0, "z"))), Some(0));
        assert_eq!(start(&ranking, Some(&cursor(9, "a"))), Some(4));
        assert_eq!(start(&ranking, Some(&[KeyValue::Int(1)])), None);
    }
}

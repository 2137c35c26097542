//! Search across record kinds: one ranked list of the measures, documents, goals and agencies
//! that match a query (see [`crate::db::search`] for the index and the query language).

use diesel::sql_types::{Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};

use super::{
    Base, FacetSpec, Filters, ListRequest, ListSpec, Page, PageContext, QueryResult, Sql,
    RELEVANCE_FIELD,
};
use crate::db::search::{CompiledQuery, SearchKind};

/// Order and facets of the search list: relevance only (title matches first, then bm25, then
/// type and id), and counts per type.
pub static SPEC: ListSpec = ListSpec {
    name: "search",
    record: "hit",
    from: FROM,
    id: ID,
    // The query is the list itself, not a filter of it (see `base`).
    search: None,
    filters: &[],
    sort_fields: &[RELEVANCE_FIELD],
    default_sort: &["relevance"],
    examples: ("relevance", "type"),
    facets: &[FacetSpec::new(
        "type",
        "sd.kind",
        "sd.kind",
        "hits per type of record",
    )],
};

/// The records searched.
const FROM: &str = "search_texts sd";

/// A hit's id: unique across kinds, and the final tie-breaker of the order.
const ID: &str = "(sd.kind || ':' || sd.record_id)";

/// What to search.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// The query; without one the list is empty.
    pub q: Option<CompiledQuery>,
    /// Kinds of records to search; every kind when empty.
    pub kinds: Vec<SearchKind>,
}

/// A matching record with the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRecord {
    /// Kind of record.
    pub kind: SearchKind,
    /// The record's id.
    pub id: String,
    /// The record's document (`None` for agencies).
    pub document: Option<String>,
    /// Display title (empty for measures without a title).
    pub title: String,
    /// Display text: a measure's text, a document's normalized text, a goal's sentence, an
    /// agency's aliases and English name, one per line.
    pub text: String,
}

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    record_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    document_id: Option<String>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    body: String,
}

const COLUMNS: &str = "sd.kind AS kind, sd.record_id AS record_id, \
    sd.document_id AS document_id, sd.title AS title, sd.body AS body";

fn kinds(filter: &SearchFilter) -> Vec<SearchKind> {
    if filter.kinds.is_empty() {
        SearchKind::ALL.to_vec()
    } else {
        filter.kinds.clone()
    }
}

fn base(filter: &SearchFilter) -> Base {
    let mut conditions = Sql::default();
    let names: Vec<&str> = kinds(filter).iter().map(|kind| kind.as_str()).collect();
    conditions.push(" AND sd.kind IN ").list(&names);
    let mut search = Sql::default();
    match &filter.q {
        Some(query) => {
            // Other records match by their own entry; a document (its header entry) when
            // the query holds over the whole document, as in `/v1/documents?q=`.
            search
                .push(" AND ((sd.kind <> 'document' AND ")
                .with_binds(&query.condition, &query.binds)
                .push(") OR (sd.kind = 'document' AND ")
                .with_binds(
                    &query.document_condition_on("sd.record_id"),
                    &query.document_binds,
                )
                .push("))");
        }
        None => {
            search.push(" AND 0");
        }
    }
    Base {
        from: FROM,
        id: ID,
        conditions,
        search,
    }
}

/// One page of hits, best first, with the exact number of hits and the requested facets.
pub fn list(
    conn: &mut SqliteConnection,
    request: &ListRequest<SearchFilter>,
) -> QueryResult<Page<SearchRecord>> {
    let filter = &request.filter;
    let base = base(filter);
    let (rows, next) = base.page_by_relevance::<HitRow, _>(
        conn,
        COLUMNS,
        request,
        filter.q.as_ref(),
        &kinds(filter),
        "(rk.kind || ':' || rk.record_id)",
        "rk.sid = sd.id",
    )?;
    let total = base.total(conn)?;
    let facets = base.facets(conn, &request.facets, |name| {
        SPEC.facet_sql(name, &Filters::none())
    })?;
    // A document's text is not stored apart from its source text: normalize that.
    let sources = PageContext::sources(
        conn,
        rows.iter()
            .filter(|row| row.kind == SearchKind::Document.as_str())
            .map(|row| row.record_id.as_str()),
    )?;
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let kind = SearchKind::parse(&row.kind)?;
            let text = match kind {
                SearchKind::Document => sources.normalized(&row.record_id).unwrap_or(row.body),
                _ => row.body,
            };
            Some(SearchRecord {
                kind,
                id: row.record_id,
                document: row.document_id,
                title: row.title,
                text,
            })
        })
        .collect();
    Ok(Page {
        items,
        total,
        next,
        facets,
    })
}

//! The counts and facets the loader computes once and keeps in the database.
//!
//! The served database never changes, so the exact total and every facet of a list without
//! filters (a `COUNT` or `GROUP BY` over up to every measure: seconds at scale) is the same
//! for every request. The loader runs each list's statements once, as a request without
//! filters would, and keeps their rows in the table `precomputed`, keyed by the statement
//! and its values; the cache ([`super::cache`]) reads them from there on a server's first
//! request instead of computing them.

use diesel::SqliteConnection;

use super::{cache, Filters, ListRequest, ListSpec, QueryResult, LISTS};

/// Statements computed once, with their rows as JSON: (statement, rows).
pub type Precomputed = Vec<(String, String)>;

/// A first page without filters, with every facet of the list.
fn unfiltered(spec: &'static ListSpec) -> ListRequest<Filters> {
    ListRequest {
        filter: Filters::none(),
        sort: spec.default_keys(),
        limit: 1,
        after: None,
        facets: spec.facets.iter().map(|facet| facet.name).collect(),
    }
}

/// Runs the total and every facet of each list ([`LISTS`]) without filters and returns the statements
/// with their rows.
pub fn precompute(conn: &mut SqliteConnection) -> QueryResult<Precomputed> {
    let (result, statements) = cache::recording(|| -> QueryResult<()> {
        for spec in LISTS {
            spec.summary(conn, &unfiltered(spec))?;
        }
        Ok(())
    });
    result?;
    Ok(statements)
}

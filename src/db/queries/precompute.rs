//! The counts and facets the loader computes once and keeps in the database.
//!
//! The served database never changes, so the exact total and every facet of a list without
//! filters (a `COUNT` or `GROUP BY` over up to every measure: seconds at scale) is the same
//! for every request. The loader runs each list's statements once, as a request without
//! filters would, and keeps their rows in the table `precomputed`, keyed by the statement
//! and its values; the cache ([`super::cache`]) reads them from there on a server's first
//! request instead of computing them.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::SqliteConnection;

use super::{cache, Filters, ListSpec, QueryResult, LISTS};

/// Statements computed once, with their rows as JSON: (statement, rows).
pub type Precomputed = Vec<(String, String)>;

/// One statement of the precomputation: a list's total or one of its facets, without filters.
#[derive(Clone, Copy)]
enum Part {
    /// The exact total of the list.
    Total,
    /// The facet of this name.
    Facet(&'static str),
}

/// Every statement to precompute: each list's ([`LISTS`]) total and each of its facets.
fn parts() -> Vec<(&'static ListSpec, Part)> {
    LISTS
        .iter()
        .flat_map(|&spec| {
            std::iter::once((spec, Part::Total)).chain(
                spec.facets
                    .iter()
                    .map(move |facet| (spec, Part::Facet(facet.name))),
            )
        })
        .collect()
}

/// Runs one part on `conn`, through the cache, which records it.
fn compute(conn: &mut SqliteConnection, spec: &'static ListSpec, part: Part) -> QueryResult<()> {
    let filters = Filters::none();
    let base = spec.base(&filters);
    match part {
        Part::Total => base.total(conn).map(drop),
        Part::Facet(name) => base
            .facets(conn, &[name], |name| spec.facet_sql(name, &filters))
            .map(drop),
    }
}

/// Runs the total and every facet of each list ([`LISTS`]) without filters and returns the
/// statements with their rows. The statements are shared out among `connections` (one
/// thread each, every thread taking the next statement when it is done with one), so that a
/// connection per core computes them side by side; the order of the result is not defined.
pub fn precompute(connections: &mut [SqliteConnection]) -> QueryResult<Precomputed> {
    let parts = parts();
    let next = AtomicUsize::new(0);
    let recorded = std::thread::scope(|scope| {
        let workers: Vec<_> = connections
            .iter_mut()
            .map(|conn| {
                let (parts, next) = (&parts, &next);
                scope.spawn(move || {
                    let (result, statements) = cache::recording(|| -> QueryResult<()> {
                        while let Some(&(spec, part)) =
                            parts.get(next.fetch_add(1, Ordering::Relaxed))
                        {
                            compute(conn, spec, part)?;
                        }
                        Ok(())
                    });
                    result.map(|()| statements)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect::<Vec<_>>()
    });
    let mut statements = Vec::new();
    for worker in recorded {
        statements.extend(worker?);
    }
    Ok(statements)
}

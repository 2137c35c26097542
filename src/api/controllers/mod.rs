//! Request handlers, one module per resource. Each handler parses the query, calls one
//! `db::queries` function on a blocking thread and turns the result into a view.
//!
//! Handlers depend on the shared state ([`crate::api::state`]) and on the modules that read
//! and answer lists ([`crate::api::listing`], [`crate::api::formats`],
//! [`crate::api::feeds`]); of the rest of `api`, only the route table, the OpenAPI document
//! and `startup` depend on them.

pub mod agencies;
pub mod atom;
pub mod documents;
pub mod downloads;
pub mod goals;
pub mod index;
pub mod jurisdictions;
pub mod measures;
pub mod probes;
pub mod references;
pub mod resource;
pub mod search;
pub mod themes;

use actix_web::HttpRequest;
use utoipa::{IntoParams, IntoResponses};

use super::error::{ApiError, Problem};
use super::feeds::FEEDS;
use super::formats::EXPORTABLE;
use super::listing::{Delivery, ListOptions, DELIVERY_PARAMS, LIST_PARAMS};
use super::params::Params;
use crate::db::queries::ListSpec;

/// Parses the query string of a list request: the resource's filters (read by `read`), the
/// shared `limit`, `cursor`, `sort` and `facet`, and the answer's `format` and `bom` (or
/// `Accept`). Fails with every problem found.
pub(crate) fn parse_list<F>(
    request: &HttpRequest,
    filters: &[&str],
    spec: &'static ListSpec,
    read: impl FnOnce(&mut Params) -> F,
) -> Result<(Params, ListOptions, F), ApiError> {
    let exportable = EXPORTABLE.contains(&spec.name);
    let delivery: &[&str] = if exportable { &DELIVERY_PARAMS } else { &[] };
    let allowed: Vec<&str> = filters
        .iter()
        .chain(LIST_PARAMS.iter())
        .chain(delivery.iter())
        .copied()
        .collect();
    let mut params = Params::parse(request.query_string(), &allowed)?;
    let filter = read(&mut params);
    let searching = filters.contains(&"q") && params.pairs().iter().any(|(name, _)| name == "q");
    let mut options = ListOptions::parse_searchable(&mut params, spec, searching);
    if exportable {
        options.delivery = Delivery::parse(&mut params, request, FEEDS.contains(&spec.name));
    }
    params.finish()?;
    Ok((params, options, filter))
}

/// Refuses any query parameter on endpoints that take none.
pub(crate) fn no_params(request: &HttpRequest) -> Result<(), ApiError> {
    Params::parse(request.query_string(), &[]).map(|_| ())
}

/// Page size and position, shared by every list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageParams {
    /// Number of records per page, from 1 to 500.
    #[param(minimum = 1, maximum = 500, default = 50, example = 20)]
    limit: Option<u32>,
    /// Where the page starts: copy `meta.next_cursor` of the previous page here (or follow
    /// `links.next`). Leave it out for the first page. A cursor is tied to the sort order it
    /// was made with.
    cursor: Option<String>,
}

/// Error responses of list endpoints.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ListErrors {
    /// An unknown query parameter, a bad value, a bad cursor or a limit out of range. The
    /// problem names each parameter and what is allowed.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The database is not available.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Error responses of sub-resource lists and single records.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ItemErrors {
    /// An unknown query parameter or a bad value.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No record with this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The database is not available.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

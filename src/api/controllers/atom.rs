//! `GET /v1/measures.atom`: the measure list as an Atom feed, at a URL of its own (see
//! [`crate::api::feeds`] for how a feed is written).

use actix_web::{web, HttpRequest, HttpResponse};

use super::measures::Measures;
use super::resource::{self, ListParams};
use super::{ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::feeds;
use crate::api::state::AppState;

/// Follow measures as an Atom feed.
///
/// An Atom 1.0 feed of the measures matching the filters of `/v1/measures`, for feed readers
/// and portals: newest documents first unless `sort` is given, `limit` entries per feed
/// document (default 50) and a `rel="next"` link to the next page. Each entry's id is the
/// URL of the API record; its authors are the lead agencies, its categories the themes, and
/// it links to the API record, the explorer page and the document. The same feed is
/// `format=atom` on any measure list.
#[utoipa::path(
    get,
    path = "/v1/measures.atom",
    operation_id = "feed_measures",
    tag = "measures",
    params(ListParams<Measures>, PageParams),
    responses(
        (status = 200, description = "An Atom 1.0 feed of measures", body = String, content_type = "application/atom+xml"),
        ListErrors
    )
)]
pub async fn measures_atom(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, filter) = resource::parse::<Measures>(&request)?;
    let explicit = params
        .pairs()
        .iter()
        .find(|(name, value)| name == "format" && value != "atom");
    if let Some((_, value)) = explicit {
        return Err(ApiError::invalid(
            "format",
            format!(
                "unknown value {value:?}; this URL serves the Atom feed only (format=atom); \
                 use /v1/measures?format={value} for other formats"
            ),
        ));
    }
    feeds::measures(&request, &state, &params, options, None, filter).await
}

//! `/v1/themes` and `/v1/themes/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::IntoParams;

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::startup::AppState;
use crate::api::views::{Item, ListEnvelope, ThemeDetailView, ThemeView};
use crate::db::queries::themes::{self, ThemeFilter, SPEC};

/// Order and facets of `/v1/themes`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ThemeParams {
    /// Sort order: one or more of `position`, `id`, `name`, `name_en`, `measures`, separated
    /// by commas; prefix a field with `-` for descending order (`-measures`: the most common
    /// themes first). Default: `position` (the order of the vocabulary).
    #[param(example = "-measures")]
    sort: Option<String>,
    /// Themes have no facets; the parameter is accepted for uniformity and any value is
    /// refused.
    facet: Option<Vec<String>>,
}

/// List themes.
///
/// The controlled vocabulary measures are tagged with (online healthcare, e-commerce,
/// industrial internet, talent …), each with its keyword rules and number of measures.
#[utoipa::path(
    get,
    path = "/v1/themes",
    operation_id = "list_themes",
    tag = "themes",
    params(ThemeParams, PageParams),
    responses(
        (status = 200, description = "A page of themes", body = ListEnvelope<ThemeView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, filter) = parse_list(&request, &[], &SPEC, |_| ThemeFilter)?;
    formats::answer(
        &request,
        &state,
        &params,
        options,
        filter,
        themes::list,
        ThemeView::from,
    )
    .await
}

/// Get one theme with its measure counts per document.
///
/// The theme and, for every document, how many of its measures carry the theme and how many
/// measures it has: enough to draw a theme × jurisdiction comparison in one request. The
/// measures themselves are at `/v1/measures?theme={id}`.
#[utoipa::path(
    get,
    path = "/v1/themes/{id}",
    operation_id = "get_theme",
    tag = "themes",
    params(("id" = String, Path, description = "Theme id", example = "online-healthcare")),
    responses(
        (status = 200, description = "The theme", body = Item<ThemeDetailView>),
        ItemErrors
    )
)]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    let id = id.into_inner();
    let detail = state.run(move |conn| themes::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(ThemeDetailView::from(detail))))
}

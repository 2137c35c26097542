//! `/v1/themes` and `/v1/themes/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::resource::{self, serve_list, serve_record, ListParams};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{Item, ListEnvelope, ThemeDetailView, ThemeView};
use crate::db::queries::themes::{self, ThemeDetail, ThemeRecord};

/// Themes, as the generic handlers serve them.
pub struct Themes;

serve_list!(Themes, themes, ThemeRecord => ThemeView);
serve_record!(Themes, themes::get, ThemeDetail => ThemeDetailView);

/// List themes.
///
/// The controlled vocabulary measures are tagged with (online healthcare, e-commerce,
/// industrial internet, talent …), each with its keyword rules and number of measures.
#[utoipa::path(
    get,
    path = "/v1/themes",
    operation_id = "list_themes",
    tag = "themes",
    params(ListParams<Themes>, PageParams),
    responses(
        (status = 200, description = "A page of themes", body = ListEnvelope<ThemeView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Themes>(&request, &state, None).await
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
    resource::get::<Themes>(&request, &state, id.into_inner()).await
}

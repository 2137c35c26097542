//! `/v1/themes` and `/v1/themes/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::SqliteConnection;

use super::resource::{self, ListParams, Listing, Lookup};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::startup::AppState;
use crate::api::views::{Item, ListEnvelope, ThemeDetailView, ThemeView};
use crate::db::queries::themes::{self, ThemeDetail, ThemeRecord};
use crate::db::queries::{Filters, ListRequest, ListSpec, Page, QueryResult, Scope};

/// Themes, as the generic handlers serve them.
pub struct Themes;

impl Listing for Themes {
    const SPEC: &'static ListSpec = &themes::SPEC;
    type Record = ThemeRecord;
    type View = ThemeView;

    fn list(
        conn: &mut SqliteConnection,
        _: Option<&Scope>,
        request: &ListRequest<Filters>,
    ) -> QueryResult<Page<ThemeRecord>> {
        themes::list(conn, request)
    }
}

impl Lookup for Themes {
    type Record = ThemeDetail;
    type View = ThemeDetailView;

    fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<ThemeDetail> {
        themes::get(conn, id)
    }
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

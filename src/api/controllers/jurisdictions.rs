//! `/v1/jurisdictions` and `/v1/jurisdictions/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::SqliteConnection;

use super::resource::{self, ListParams, Listing, Lookup};
use super::{ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::startup::AppState;
use crate::api::views::{Item, JurisdictionView, ListEnvelope};
use crate::db::queries::jurisdictions::{self, JurisdictionRecord};
use crate::db::queries::{Filters, ListRequest, ListSpec, Page, QueryResult, Scope};

/// Jurisdictions, as the generic handlers serve them.
pub struct Jurisdictions;

impl Listing for Jurisdictions {
    const SPEC: &'static ListSpec = &jurisdictions::SPEC;
    type Record = JurisdictionRecord;
    type View = JurisdictionView;

    fn list(
        conn: &mut SqliteConnection,
        _: Option<&Scope>,
        request: &ListRequest<Filters>,
    ) -> QueryResult<Page<JurisdictionRecord>> {
        jurisdictions::list(conn, request)
    }
}

impl Lookup for Jurisdictions {
    type Record = JurisdictionRecord;
    type View = JurisdictionView;

    fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<JurisdictionRecord> {
        jurisdictions::get(conn, id)
    }
}

/// List jurisdictions.
///
/// The places documents and agencies belong to, as a tree: 中国 ⊃ 重庆市 ⊃ 渝北区, with
/// every provincial-, prefecture- and county-level division of China and its GB/T 2260
/// code. Most hold no document: `has_documents=true` lists those that do. Filtering another
/// resource by a jurisdiction includes everything below it.
#[utoipa::path(
    get,
    path = "/v1/jurisdictions",
    operation_id = "list_jurisdictions",
    tag = "jurisdictions",
    params(ListParams<Jurisdictions>, PageParams),
    responses(
        (status = 200, description = "A page of jurisdictions", body = ListEnvelope<JurisdictionView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    resource::list::<Jurisdictions>(&request, &state, None).await
}

/// Get one jurisdiction.
#[utoipa::path(
    get,
    path = "/v1/jurisdictions/{id}",
    operation_id = "get_jurisdiction",
    tag = "jurisdictions",
    params(("id" = String, Path, description = "Jurisdiction id", example = "chongqing")),
    responses(
        (status = 200, description = "The jurisdiction", body = Item<JurisdictionView>),
        ItemErrors
    )
)]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    resource::get::<Jurisdictions>(&request, &state, id.into_inner()).await
}

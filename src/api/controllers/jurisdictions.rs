//! `/v1/jurisdictions` and `/v1/jurisdictions/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{Item, JurisdictionView, ListEnvelope};
use crate::db::queries::jurisdictions::{self, JurisdictionFilter, SPEC};

/// Filter parameters of `/v1/jurisdictions`.
pub const FILTERS: [&str; 4] = ["level", "parent", "code", "has_documents"];

/// Facets of jurisdiction lists: `level`, `parent`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JurisdictionFacet {
    /// Jurisdictions per level.
    Level,
    /// Jurisdictions per parent.
    Parent,
}

/// Filters, order and facets of `/v1/jurisdictions`. A repeated parameter matches any of its
/// values (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct JurisdictionParams {
    /// Only jurisdictions of this level (`national`, `province`, `municipality`,
    /// `prefecture`, `district`, `county`).
    #[param(example = json!(["district"]))]
    level: Option<Vec<String>>,
    /// Only the jurisdictions directly below these.
    #[param(example = json!(["chongqing"]))]
    parent: Option<Vec<String>>,
    /// Only the jurisdictions with this GB/T 2260 code: six digits, exact (`310000` is
    /// 上海市, `000000` the nation). A code no jurisdiction has is a 400.
    #[param(value_type = Option<Vec<String>>, pattern = "^[0-9]{6}$", example = json!(["310000"]))]
    code: Option<Vec<String>>,
    /// `true`: only jurisdictions that hold at least one document themselves (not counting
    /// the jurisdictions below them; `document_count` > 0); `false`: only those that hold
    /// none.
    #[param(example = true)]
    has_documents: Option<bool>,
    /// Sort order: one or more of `position`, `id`, `name`, `level`, `code`, `documents`,
    /// separated by commas; prefix a field with `-` for descending order. Default:
    /// `position` (each jurisdiction after its parent).
    #[param(example = "-documents")]
    sort: Option<String>,
    /// Count the matching jurisdictions per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<JurisdictionFacet>>, example = json!(["level"]))]
    facet: Option<Vec<String>>,
}

fn read_filter(params: &mut Params) -> JurisdictionFilter {
    JurisdictionFilter {
        levels: params.values("level"),
        parents: params.values("parent"),
        codes: read_codes(params),
        has_documents: params.boolean("has_documents"),
    }
}

/// The `code` values: each six ASCII digits.
fn read_codes(params: &mut Params) -> Vec<String> {
    let codes = params.values("code");
    match codes.iter().find(|code| !is_division_code(code)) {
        Some(bad) => {
            let reason = format!("{bad:?} is not a GB/T 2260 code; write six digits, e.g. 310000");
            params.reject("code", reason);
            Vec::new()
        }
        None => codes,
    }
}

/// Whether `value` has the form of a GB/T 2260 code: six ASCII digits.
fn is_division_code(value: &str) -> bool {
    value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())
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
    params(JurisdictionParams, PageParams),
    responses(
        (status = 200, description = "A page of jurisdictions", body = ListEnvelope<JurisdictionView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, filter) = parse_list(&request, &FILTERS, &SPEC, read_filter)?;
    formats::answer(
        &request,
        &state,
        &params,
        options,
        filter,
        jurisdictions::list,
        JurisdictionView::from,
    )
    .await
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
    no_params(&request)?;
    let id = id.into_inner();
    let record = state.run(move |conn| jurisdictions::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(JurisdictionView::from(record))))
}

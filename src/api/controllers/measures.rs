//! `/v1/measures`, `/v1/measures/{id}` and the measure lists of documents and agencies.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::feeds;
use crate::api::formats::{self, Format};
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{Item, ListEnvelope, MeasureView, Role};
use crate::db::queries::measures::{self, MeasureFilter, Scope, ROLES, SPEC};

/// Filter parameters of `/v1/measures`.
pub const FILTERS: [&str; 9] = [
    "document",
    "jurisdiction",
    "agency",
    "role",
    "theme",
    "year",
    "deadline_from",
    "deadline_to",
    "q",
];

/// Facets of measure lists: `document`, `jurisdiction` (of the document), `agency` (only
/// links in the roles of a `role` filter count), `role` (only links of the agencies of an
/// `agency` filter count), `theme`, `year` (of the document).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MeasureFacet {
    /// Measures per document.
    Document,
    /// Measures per jurisdiction of their document.
    Jurisdiction,
    /// Measures per agency (only links in the roles of a `role` filter count).
    Agency,
    /// Measures per role (only links of the agencies of an `agency` filter count).
    Role,
    /// Measures per theme.
    Theme,
    /// Measures per year of their document.
    Year,
}

/// The `document` filter of measure lists.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MeasureDocumentParam {
    /// Only measures of these documents (document ids from `/v1/documents`). Repeat the
    /// parameter for several: `document=a&document=b`.
    #[param(example = json!(["yubei-2020-online-economy-plan"]))]
    document: Option<Vec<String>>,
}

/// The `agency` filter of measure lists.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MeasureAgencyParam {
    /// Only measures naming these agencies (ids from `/v1/agencies`). Combined with `role`,
    /// the agency must have that role: `agency=X&role=lead` lists the measures X leads.
    #[param(example = json!(["yubei-urban-management-bureau"]))]
    agency: Option<Vec<String>>,
}

/// Filters, order and facets of every measure list. A repeated parameter matches any of its
/// values (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MeasureParams {
    /// Only measures of documents of these jurisdictions; a jurisdiction includes those
    /// below it, so `chongqing` also returns the measures of Yubei District. Ids from
    /// `/v1/jurisdictions`.
    #[param(example = json!(["chongqing"]))]
    jurisdiction: Option<Vec<String>>,
    /// Only measures with an agency in this role: `lead` (牵头), `cooperating` (配合),
    /// `responsible` (负责), `guide` (指导), `participate` (参与).
    #[param(value_type = Option<Vec<Role>>, example = json!(["lead"]))]
    role: Option<Vec<String>>,
    /// Only measures tagged with these themes (ids from `/v1/themes`).
    #[param(example = json!(["online-healthcare"]))]
    theme: Option<Vec<String>>,
    /// Only measures of documents issued in these years.
    #[param(example = json!([2020]))]
    year: Option<Vec<i32>>,
    /// Only measures with a deadline on or after this day (`YYYY-MM-DD`). With
    /// `deadline_to`, one deadline must fall in the whole range. Deadlines without a known
    /// date are left out.
    #[param(value_type = Option<String>, format = Date, example = "2019-01-01")]
    deadline_from: Option<String>,
    /// Only measures with a deadline on or before this day (`YYYY-MM-DD`): what is due by
    /// then. `2019年6月底前` falls on 2019-06-30. Deadlines without a known date are left out.
    #[param(value_type = Option<String>, format = Date, example = "2019-12-31")]
    deadline_to: Option<String>,
    /// Full-text search in the title and text (see also `/v1/search`). Plain
    /// words must all occur, in any order (`医疗 教育`); Chinese text is split into words.
    /// `"quoted text"` must occur exactly, even across word boundaries (`"线上业"`). `A OR B`
    /// matches either; `-word` excludes. Latin letters and digits ignore case and match
    /// whole words (`5G`, `APP`). Examples: `医疗`, `"线上业"`, `医疗 OR 教育 -金融`,
    /// `5G`. Give it once. With `q` the default order is `relevance` (title matches first,
    /// then bm25). A query that is empty, only excludes, has no letters, digits or Chinese
    /// characters, or is over 1000 characters is a 400 naming `q`.
    #[param(example = "医疗")]
    q: Option<String>,
    /// Sort order: one or more of `document`, `ordinal`, `number`, `title`, `date`, `id`,
    /// `relevance` (only with `q`), separated by commas; prefix a field with `-` for
    /// descending order. Records without a value sort last. Default: `document,ordinal` (each
    /// document in reading order), or `relevance` when `q` is given.
    #[param(example = "-date,ordinal")]
    sort: Option<String>,
    /// Count the matching measures per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<MeasureFacet>>, example = json!(["agency"]))]
    facet: Option<Vec<String>>,
}

/// Reads the filters of a measure list.
pub(crate) fn read_filter(params: &mut Params) -> MeasureFilter {
    MeasureFilter {
        documents: params.values("document"),
        jurisdictions: params.values("jurisdiction"),
        agencies: params.values("agency"),
        roles: params.choices("role", &ROLES),
        themes: params.values("theme"),
        years: params.years("year"),
        deadline_from: params.date("deadline_from"),
        deadline_to: params.date("deadline_to"),
        q: super::search::read_query(params),
    }
}

///
/// The filters are those of `/v1/measures` but the one the path already names (`document`
/// for a document's measures, `agency` for an agency's).
async fn list_scoped(
    request: HttpRequest,
    state: web::Data<AppState>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let named_by_path = match scope {
        Scope::All => None,
        Scope::Document(_) => Some("document"),
        Scope::Agency(_) => Some("agency"),
    };
    let filters: Vec<&str> = FILTERS
        .into_iter()
        .filter(|filter| Some(*filter) != named_by_path)
        .collect();
    let (params, options, filter) = parse_list(&request, &filters, &SPEC, read_filter)?;
    if options.delivery.format == Format::Atom {
        return feeds::measures(&request, &state, &params, options, scope, filter).await;
    }
    let query = move |conn: &mut _, list: &_| measures::list(conn, &scope, list);
    formats::answer(
        &request,
        &state,
        &params,
        options,
        filter,
        query,
        MeasureView::from,
    )
    .await
}

/// List measures.
///
/// The actionable units of the documents: the numbered items of the action parts, each with
/// the agencies charged with it and its themes. Filter, sort, page and facet them; for
/// example `/v1/measures?role=lead&facet=agency` counts the measures each agency leads.
#[utoipa::path(
    get,
    path = "/v1/measures",
    operation_id = "list_measures",
    tag = "measures",
    params(MeasureDocumentParam, MeasureAgencyParam, MeasureParams, PageParams),
    responses(
        (status = 200, description = "A page of measures", body = ListEnvelope<MeasureView>),
        ListErrors
    )
)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    list_scoped(request, state, Scope::All).await
}

/// Get one measure.
#[utoipa::path(
    get,
    path = "/v1/measures/{id}",
    operation_id = "get_measure",
    tag = "measures",
    params(("id" = String, Path, description = "Measure id", example = "yubei-2020-online-economy-plan--p5.s14.i25")),
    responses(
        (status = 200, description = "The measure", body = Item<MeasureView>),
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
    let record = state.lookup(move |conn| measures::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(MeasureView::from(record))))
}

/// List the measures of a document.
///
/// The same list as `/v1/measures?document={id}`, with every other measure filter, but a
/// 404 when the document does not exist.
#[utoipa::path(
    get,
    path = "/v1/documents/{id}/measures",
    operation_id = "list_document_measures",
    tag = "documents",
    params(
        ("id" = String, Path, description = "Document id", example = "hongkou-2020-online-new-economy-opinions"),
        MeasureAgencyParam,
        MeasureParams,
        PageParams
    ),
    responses(
        (status = 200, description = "A page of the document's measures", body = ListEnvelope<MeasureView>),
        ItemErrors
    )
)]
pub async fn of_document(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    list_scoped(request, state, Scope::Document(id.into_inner())).await
}

/// List the measures an agency is named on.
///
/// The same list as `/v1/measures?agency={id}`: combine with `role` for the measures the
/// agency leads, cooperates on, and so on. A 404 when the agency does not exist.
#[utoipa::path(
    get,
    path = "/v1/agencies/{id}/measures",
    operation_id = "list_agency_measures",
    tag = "agencies",
    params(
        ("id" = String, Path, description = "Agency id", example = "yubei-urban-management-bureau"),
        MeasureDocumentParam,
        MeasureParams,
        PageParams
    ),
    responses(
        (status = 200, description = "A page of the agency's measures", body = ListEnvelope<MeasureView>),
        ItemErrors
    )
)]
pub async fn of_agency(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    list_scoped(request, state, Scope::Agency(id.into_inner())).await
}

//! `/v1/documents`, `/v1/documents/{id}` and `/v1/documents/{id}/text`.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{no_params, parse_list, ItemErrors, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::formats;
use crate::api::params::Params;
use crate::api::startup::AppState;
use crate::api::views::{DocumentDetailView, DocumentView, Item, ListEnvelope};
use crate::db::queries::documents::{self, DocumentFilter, SPEC, STATUSES};

/// Filter parameters of `/v1/documents`.
pub const FILTERS: [&str; 8] = [
    "jurisdiction",
    "issuer",
    "kind",
    "status",
    "year",
    "date_from",
    "date_to",
    "q",
];

/// Document statuses.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Published text.
    Final,
    /// Consultation draft (征求意见稿).
    Draft,
}

/// Facets of document lists: `jurisdiction` (the document's own), `issuer`, `kind`,
/// `status`, `year`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFacet {
    /// Documents per jurisdiction (the document's own).
    Jurisdiction,
    /// Documents per issuing body.
    Issuer,
    /// Documents per kind.
    Kind,
    /// Documents per status.
    Status,
    /// Documents per year of issue.
    Year,
}

/// Filters, order and facets of `/v1/documents`. A repeated parameter matches any of its
/// values (OR); different parameters must all match (AND).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DocumentParams {
    /// Only documents of these jurisdictions or of jurisdictions below them (ids from
    /// `/v1/jurisdictions`): `chongqing` includes Yubei District's documents.
    #[param(example = json!(["chongqing"]))]
    jurisdiction: Option<Vec<String>>,
    /// Only documents issued by this body, written exactly as in the `issuer` field.
    #[param(example = json!(["重庆市人民政府办公厅"]))]
    issuer: Option<Vec<String>>,
    /// Only documents of this kind (实施方案, 行动计划, 实施意见, 工作方案, 复函 …), written
    /// exactly as in the `kind` field.
    #[param(example = json!(["行动计划"]))]
    kind: Option<Vec<String>>,
    /// Only final documents or only consultation drafts.
    #[param(value_type = Option<Vec<Status>>, example = json!(["draft"]))]
    status: Option<Vec<String>>,
    /// Only documents issued in these years.
    #[param(example = json!([2020]))]
    year: Option<Vec<i32>>,
    /// Only documents dated on or after this day (`YYYY-MM-DD`); undated documents are left
    /// out.
    #[param(value_type = Option<String>, format = Date, example = "2020-01-01")]
    date_from: Option<String>,
    /// Only documents dated on or before this day (`YYYY-MM-DD`); undated documents are left
    /// out.
    #[param(value_type = Option<String>, format = Date, example = "2020-12-31")]
    date_to: Option<String>,
    /// Full-text search in the header (title, number, issuer) and in the measures and
    /// goals of the document: a document matches when its header or one of them matches.
    /// Plain words must all occur, in any order (`医疗 教育`); Chinese text is split into words.
    /// `"quoted text"` must occur exactly, even across word boundaries (`"线上业"`). `A OR B`
    /// matches either; `-word` excludes. Latin letters and digits ignore case and match
    /// whole words (`5G`, `APP`). Examples: `医疗`, `"线上业"`, `医疗 OR 教育 -金融`,
    /// `5G`. Give it once. With `q` the default order is `relevance` (title matches first,
    /// then bm25). A query that is empty, only excludes, has no letters, digits or Chinese
    /// characters, or is over 1000 characters is a 400 naming `q`.
    #[param(example = "\"线上业\"")]
    q: Option<String>,
    /// Sort order: one or more of `id`, `title`, `date`, `year`, `jurisdiction`, `kind`,
    /// `status`, `measures`, `goals`, `references`, `relevance` (only with `q`), separated
    /// by commas; prefix a field with `-` for descending order. Records without a value sort
    /// last. Default: `id`, or `relevance` when `q` is given.
    #[param(example = "-date")]
    sort: Option<String>,
    /// Count the matching documents per value of these fields; the counts appear in the
    /// top-level `facets` object.
    #[param(value_type = Option<Vec<DocumentFacet>>, example = json!(["status"]))]
    facet: Option<Vec<String>>,
}

/// The `raw` and `source` switches of `/v1/documents/{id}/text`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TextParams {
    /// `true` returns the file exactly as received (plain text in its original encoding,
    /// an HTML page, a DOCX or PDF file), with its media type.
    #[param(default = false, example = true)]
    raw: Option<bool>,
    /// `true` returns the text extracted from the file (UTF-8), which every record's
    /// `source` span points into; for a UTF-8 text file it is the file itself. Not with
    /// `raw=true`. Without either, the normalized text.
    #[param(default = false, example = true)]
    source: Option<bool>,
}

fn read_filter(params: &mut Params) -> DocumentFilter {
    DocumentFilter {
        jurisdictions: params.values("jurisdiction"),
        issuers: params.values("issuer"),
        kinds: params.values("kind"),
        statuses: params.choices("status", &STATUSES),
        years: params.years("year"),
        date_from: params.date("date_from"),
        date_to: params.date("date_to"),
        q: super::search::read_query(params),
    }
}

/// List documents.
///
/// The policy documents of the corpus with their metadata and what the parser found in
/// each (counts of measures, goals, references, agency links and warnings).
#[utoipa::path(
    get,
    path = "/v1/documents",
    operation_id = "list_documents",
    tag = "documents",
    params(DocumentParams, PageParams),
    responses(
        (status = 200, description = "A page of documents", body = ListEnvelope<DocumentView>),
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
        documents::list,
        DocumentView::from,
    )
    .await
}

/// Get one document with its outline.
///
/// The metadata, the numbered outline as a tree (`一、` → `（一）` → `1.` → `（1）`, each
/// node with its text and source span) and the parser's warnings.
#[utoipa::path(
    get,
    path = "/v1/documents/{id}",
    operation_id = "get_document",
    tag = "documents",
    params(("id" = String, Path, description = "Document id", example = "chongqing-2015-internet-plus-plan")),
    responses(
        (status = 200, description = "The document", body = Item<DocumentDetailView>),
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
    let detail = state.run(move |conn| documents::get(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(Item::new(DocumentDetailView::from(detail))))
}

/// Get the text of a document.
///
/// The normalized text as `text/plain`; with `source=true` the text extracted from the
/// file, which every record's `source` span points into; with `raw=true` the file exactly
/// as received (`text/plain`, `text/html`, DOCX or PDF).
#[utoipa::path(
    get,
    path = "/v1/documents/{id}/text",
    operation_id = "get_document_text",
    tag = "documents",
    params(
        ("id" = String, Path, description = "Document id", example = "tianjin-2020-online-services-opinions"),
        TextParams
    ),
    responses(
        (status = 200, description = "The text", body = String, content_type = "text/plain"),
        ItemErrors
    )
)]
pub async fn text(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::parse(request.query_string(), &["raw", "source"])?;
    let raw = params.boolean("raw").unwrap_or(false);
    let source = params.boolean("source").unwrap_or(false);
    params.finish()?;
    if raw && source {
        return Err(ApiError::invalid(
            "source",
            "not with raw=true: raw is the file as received, source the text extracted from it; give one of them",
        ));
    }
    let id = id.into_inner();
    if source {
        let text = state.run(move |conn| documents::source(conn, &id)).await?;
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body(text.source));
    }
    if raw {
        let file = state.run(move |conn| documents::raw(conn, &id)).await?;
        let mut response = HttpResponse::Ok();
        response.insert_header((header::CONTENT_TYPE, raw_type(&file.format, &file.encoding)));
        if is_token(&file.file_name) {
            response.insert_header(ContentDisposition {
                disposition: DispositionType::Inline,
                parameters: vec![DispositionParam::Filename(file.file_name)],
            });
        }
        Ok(response.body(file.raw))
    } else {
        let text = state.run(move |conn| documents::text(conn, &id)).await?;
        Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body(text.text))
    }
}

/// Whether `text` can stand in a header unquoted: ASCII letters, digits and `-._`.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

/// The media type of a file as received: its format's, with the charset of a text or
/// HTML file when it is a plain encoding label.
fn raw_type(format: &str, encoding: &str) -> String {
    let (media_type, textual) = match format {
        "html" => ("text/html", true),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            false,
        ),
        "pdf" => ("application/pdf", false),
        _ => ("text/plain", true),
    };
    if textual && is_token(encoding) {
        format!("{media_type}; charset={encoding}")
    } else {
        media_type.to_owned()
    }
}

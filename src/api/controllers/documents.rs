//! `/v1/documents`, `/v1/documents/{id}` and `/v1/documents/{id}/text`.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::IntoParams;

use super::resource::resource;
use super::ItemErrors;
use crate::api::error::ApiError;
use crate::api::params::Params;
use crate::api::state::AppState;
use crate::api::views::{DocumentDetailView, DocumentView};
use crate::db::queries::documents;

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

resource! {
    /// Documents, as the generic handlers serve them.
    Documents in "documents";
    /// List documents.
    ///
    /// The policy documents of the corpus with their metadata and what the parser found in
    /// each (counts of measures, goals, references, agency links and warnings).
    list documents => DocumentView at "/v1/documents" as list_documents;
    /// Get one document with its outline.
    ///
    /// The metadata, the numbered outline as a tree (`一、` → `（一）` → `1.` → `（1）`, each
    /// node with its text and source span) and the parser's warnings.
    get documents::get => DocumentDetailView at "/v1/documents/{id}" as get_document,
        "The document", id "Document id" "chongqing-2015-internet-plus-plan";
}

/// Get the text of a document.
///
/// The normalized text as `text/plain`; with `source=true` the text extracted from the
/// file, which every record's `source` span points into; with `raw=true` the file exactly
/// as received (`text/plain`, `text/html`, DOCX or PDF).
#[utoipa::path(
    get,
    path = "/v1/documents/{id}/text",
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
pub async fn get_document_text(
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

//! Every list in the format its client wants: JSON pages (the default), CSV for
//! spreadsheets, NDJSON for scripts, Atom for feed readers (measure lists only).
//!
//! - The format comes from `format=json|csv|ndjson|atom`, or else from the `Accept` header
//!   (`text/csv`, `application/x-ndjson`, `application/atom+xml`); JSON otherwise. It is read
//!   with the other list options ([`Delivery`] in [`super::listing`]).
//! - JSON answers one page and names the next one in a `Link: <…>; rel="next"` header as well
//!   as in `links.next`.
//! - CSV and NDJSON answer the whole result set, not one page: the records are fetched a
//!   thousand at a time (keyset pagination, as for pages) and streamed as they come, so
//!   memory does not grow with the result. `limit` (a page size) and `facet` do not apply;
//!   `cursor` starts the export after that position. A result of more than
//!   `--max-export-rows` records (default 100,000) is refused with a 400 pointing to the bulk
//!   downloads; `X-Total-Count` gives the number of records matching the filters.
//! - CSV is UTF-8 with a byte-order mark so that Excel opens Chinese text correctly
//!   (`bom=false` drops it), with a header row, RFC 4180 quoting and CRLF line ends, served as
//!   an attachment named after the query (`zhengce-measures-document-yubei-….csv`).

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use diesel::SqliteConnection;
use futures_util::stream;
use serde::Serialize;

use super::error::ApiError;
use super::listing::{envelope, Delivery, Format, ListOptions};
use super::params::{percent_encode, Params};
use super::state::AppState;
use super::tabular::Tabular;
use crate::db::queries::{KeyValue, ListRequest, Page, QueryResult};

/// The lists (by `ListSpec` name) that answer in every format; the others take no `format`.
pub const EXPORTABLE: [&str; 7] = [
    "documents",
    "measures",
    "agencies",
    "goals",
    "references",
    "themes",
    "jurisdictions",
];

/// Media type of CSV answers.
pub const CSV_TYPE: &str = "text/csv; charset=utf-8; header=present";
/// Media type of NDJSON answers.
pub const NDJSON_TYPE: &str = "application/x-ndjson";
/// Media type of Atom feeds.
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";

/// Records fetched per statement while streaming an export.
const EXPORT_PAGE: u32 = 1_000;

/// The longest file name an attachment gets, in characters, before its extension.
const MAX_FILE_NAME: usize = 150;

/// Reads one page of a list's records, as they are served, for a request with filters `F`.
pub trait PageQuery<F, V>:
    Fn(&mut SqliteConnection, &ListRequest<F>) -> QueryResult<Page<V>> + Send + Sync + 'static
{
}

impl<F, V, Q> PageQuery<F, V> for Q where
    Q: Fn(&mut SqliteConnection, &ListRequest<F>) -> QueryResult<Page<V>> + Send + Sync + 'static
{
}

/// Answers a list request in its format: `query` fetches one page of records for a request,
/// each in its JSON shape (and CSV row).
pub async fn answer<F, V>(
    request: &HttpRequest,
    state: &web::Data<AppState>,
    params: &Params,
    options: ListOptions,
    filter: F,
    query: impl PageQuery<F, V>,
) -> Result<HttpResponse, ApiError>
where
    F: Clone + Send + 'static,
    V: Serialize + Tabular + Send + 'static,
{
    let list_request = options.request(filter);
    match options.delivery.format {
        Format::Json => {
            let page = state.run(move |conn| query(conn, &list_request)).await?;
            let list = envelope(request, params, &options, page, |record| record);
            let mut response = HttpResponse::Ok();
            response.insert_header((header::VARY, "Accept"));
            if let Some(next) = &list.links.next {
                response.insert_header((header::LINK, format!("<{next}>; rel=\"next\"")));
            }
            Ok(response.json(&list))
        }
        Format::Csv | Format::Ndjson => {
            export(
                request,
                state,
                params,
                options.delivery,
                list_request,
                query,
            )
            .await
        }
        Format::Atom => Err(ApiError::invalid(
            "format",
            "Atom feeds are offered for measure lists; allowed here: json, csv, ndjson",
        )),
    }
}

/// Streams the whole result set of `template` (its filter and order; page size and
/// facets are its own) as CSV or NDJSON.
async fn export<F, V>(
    request: &HttpRequest,
    state: &web::Data<AppState>,
    params: &Params,
    delivery: Delivery,
    mut template: ListRequest<F>,
    query: impl PageQuery<F, V>,
) -> Result<HttpResponse, ApiError>
where
    F: Clone + Send + 'static,
    V: Serialize + Tabular + Send + 'static,
{
    template.facets.clear();
    template.limit = EXPORT_PAGE;
    let query = Arc::new(query);
    let first = {
        let query = query.clone();
        let first_request = template.clone();
        state.run(move |conn| query(conn, &first_request)).await?
    };
    let max = state.delivery.options.max_export_rows;
    let total = u64::try_from(first.total).unwrap_or(0);
    if total > max {
        return Err(ApiError::invalid(
            "format",
            format!(
                "{total} records match, more than the {max} a {} answer holds; narrow the \
                 filters (by year, jurisdiction or document, for example) or download every \
                 table at /v1/downloads",
                delivery.format.name()
            ),
        ));
    }
    let (content_type, extension) = match delivery.format {
        Format::Csv => (CSV_TYPE, "csv"),
        _ => (NDJSON_TYPE, "ndjson"),
    };
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment(request, params, extension),
        ))
        .insert_header(("X-Total-Count", total.to_string()))
        .insert_header((header::VARY, "Accept"));
    if first.next.is_none() {
        // Everything fits in the first page: one body with its length, no stream (for HEAD
        // too, so that it announces the same length; the server leaves the body out).
        return Ok(response.body(render(first.items, delivery, true)?));
    }
    if request.method() == Method::HEAD {
        return Ok(response.streaming(stream::empty::<Result<Bytes, ApiError>>()));
    }
    let state = state.clone();
    let body = stream::try_unfold((Step::Page(first), true), move |(step, first_chunk)| {
        let state = state.clone();
        let query = query.clone();
        let mut page_request = template.clone();
        async move {
            let page = match step {
                Step::Done => return Ok::<_, ApiError>(None),
                Step::Page(page) => page,
                Step::After(after) => {
                    page_request.after = Some(after);
                    let fetched = state.run(move |conn| query(conn, &page_request)).await;
                    fetched.inspect_err(|error| {
                        log::error!("export stopped: {error}");
                    })?
                }
            };
            let chunk = render(page.items, delivery, first_chunk)?;
            let next = match page.next {
                Some(after) => Step::After(after),
                None => Step::Done,
            };
            Ok(Some((chunk, (next, false))))
        }
    });
    Ok(response.streaming(body))
}

/// Where a streamed export stands.
enum Step<T> {
    /// A page fetched and not yet written.
    Page(Page<T>),
    /// The next page starts after this key.
    After(Vec<KeyValue>),
    /// Everything has been written.
    Done,
}

/// One chunk of an export: the records of a page, after the byte-order mark and header row
/// when it is the first.
fn render<V: Serialize + Tabular>(
    items: Vec<V>,
    delivery: Delivery,
    first: bool,
) -> Result<Bytes, ApiError> {
    let failed = |error: &dyn std::fmt::Display| {
        log::error!("cannot write an export chunk: {error}");
        ApiError::Internal
    };
    match delivery.format {
        Format::Csv => {
            // A measure row is about 2 KB of CSV.
            let mut buffer = Vec::with_capacity(items.len() * 2048 + 1024);
            if first && delivery.bom {
                buffer.extend_from_slice(crate::db::export::BOM);
            }
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(buffer);
            let columns = V::columns();
            if first {
                let header = columns.iter().map(|column| column.header);
                writer.write_record(header).map_err(|e| failed(&e))?;
            }
            for record in items {
                let cells = columns.iter().map(|column| (column.cell)(&record));
                writer.write_record(cells).map_err(|e| failed(&e))?;
            }
            let buffer = writer.into_inner().map_err(|e| failed(&e))?;
            Ok(Bytes::from(buffer))
        }
        _ => {
            let mut buffer = Vec::with_capacity(items.len() * 1024);
            for item in items {
                serde_json::to_writer(&mut buffer, &item).map_err(|e| failed(&e))?;
                buffer.push(b'\n');
            }
            Ok(Bytes::from(buffer))
        }
    }
}

/// Parameters that shape an answer rather than select records; attachment names leave them
/// out.
const NOT_IN_NAMES: [&str; 6] = ["format", "bom", "limit", "cursor", "facet", "sort"];

/// A `Content-Disposition: attachment` value naming the file after the request: the path
/// below `/v1` and each filter, `zhengce-measures-document-yubei-2020-online-economy-plan.csv`.
/// Non-ASCII values (`q=直播`) appear in the UTF-8 name (`filename*`) and are left out of
/// the plain one.
pub fn attachment(request: &HttpRequest, params: &Params, extension: &str) -> HeaderValue {
    let mut parts: Vec<String> = vec!["zhengce".to_owned()];
    parts.extend(
        request
            .path()
            .split('/')
            .filter(|segment| !segment.is_empty() && *segment != "v1")
            .map(|segment| {
                let decoded = percent_decode(segment);
                slug(decoded.strip_suffix(".atom").unwrap_or(&decoded))
            }),
    );
    for (name, value) in params.pairs() {
        if !NOT_IN_NAMES.contains(&name.as_str()) {
            parts.push(slug(name));
            parts.push(slug(value));
        }
    }
    let unicode = truncate(&collapse(&parts.join("-")));
    let ascii = truncate(&collapse(
        &unicode
            .chars()
            .map(|c| if c.is_ascii() { c } else { '-' })
            .collect::<String>(),
    ));
    let mut value = format!("attachment; filename=\"{ascii}.{extension}\"");
    if unicode != ascii {
        value.push_str(&format!(
            "; filename*=UTF-8''{}.{extension}",
            rfc5987(&unicode)
        ));
    }
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"zhengce.csv\""))
}

/// Letters and digits kept (any script), everything else a dash; ASCII lower-cased.
fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Runs of dashes made one; none at the ends.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches('-').to_owned()
}

fn truncate(text: &str) -> String {
    let cut: String = text.chars().take(MAX_FILE_NAME).collect();
    cut.trim_end_matches('-').to_owned()
}

fn percent_decode(text: &str) -> String {
    form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// Percent-encodes everything but RFC 5987's `attr-char`.
fn rfc5987(text: &str) -> String {
    percent_encode(text, b"!#$&+-.^_`|~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn attachments_are_named_after_the_query() {
        let request = TestRequest::default()
            .uri("/v1/measures?document=yubei-2020-online-economy-plan&role=lead&limit=5")
            .to_http_request();
        let params = Params::parse(request.query_string(), &["document", "role", "limit"])
            .expect("known parameters");
        assert_eq!(
            attachment(&request, &params, "csv"),
            "attachment; filename=\"zhengce-measures-document-yubei-2020-online-economy-plan-role-lead.csv\""
        );
        let request = TestRequest::default()
            .uri("/v1/measures?q=%E7%9B%B4%E6%92%AD")
            .to_http_request();
        let params = Params::parse(request.query_string(), &["q"]).expect("known parameters");
        assert_eq!(
            attachment(&request, &params, "csv"),
            "attachment; filename=\"zhengce-measures-q.csv\"; filename*=UTF-8''zhengce-measures-q-%E7%9B%B4%E6%92%AD.csv"
        );
    }
}

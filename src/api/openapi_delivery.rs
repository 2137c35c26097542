//! The parts of the OpenAPI document about delivery, added to every operation they apply to:
//! the `format` and `bom` parameters and the CSV, NDJSON and Atom answers of lists, the
//! caching, rate-limit and request-id headers, `304 Not Modified` and `429 Too Many Requests`.

use serde_json::json;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Ref, Schema, Type};
use utoipa::openapi::{OpenApi, RefOr, Required};
use utoipa::Modify;

use super::error::PROBLEM_JSON;
use super::formats::{ATOM_TYPE, CSV_TYPE, NDJSON_TYPE};

/// Operations of lists that answer in every format.
const EXPORTABLE: [&str; 9] = [
    "list_documents",
    "list_measures",
    "list_document_measures",
    "list_agency_measures",
    "list_agencies",
    "list_goals",
    "list_references",
    "list_themes",
    "list_jurisdictions",
];

/// Operations of measure lists, which also answer as Atom.
const FEEDS: [&str; 3] = [
    "list_measures",
    "list_document_measures",
    "list_agency_measures",
];

/// What the API description says about formats, caching and limits.
const DESCRIPTION: &str = "\n\n**Which to use when.** Use the API for queries (filters, facets, \
one record at a time); the Atom feeds for following new measures (`/v1/measures.atom` with any \
measure filter, in a feed reader or a portal); the bulk files at `/v1/downloads` (the SQLite \
database and a zip of one CSV per table) for analysing everything at once.\n\n\
**Formats.** Every list also answers as CSV (`format=csv` or `Accept: text/csv`) and NDJSON \
(`format=ndjson` or `Accept: application/x-ndjson`), with the same filters and order. CSV and \
NDJSON hold the whole result, not one page, streamed as it is read, up to 100,000 records (a \
larger result is a 400 naming `format`; the server's `--max-export-rows` sets the bound); \
`X-Total-Count` gives the number of records matching the filters. `limit` and `facet` do not apply to them and \
`cursor` starts them after that position. CSV is UTF-8 with a byte-order mark so that Excel \
reads Chinese correctly (`bom=false` drops it), has a header row, joins lists with `; `, \
flattens nested objects into columns, and comes as an attachment named after the query. \
Measure lists also answer as Atom 1.0 feeds (`format=atom`, or `/v1/measures.atom`), newest \
documents first. JSON pages name the next page in a `Link: <…>; rel=\"next\"` header.\n\n\
**Caching.** Successful answers carry an `ETag` (from the dataset version and the request), \
`Last-Modified` (when the data was loaded) and `Cache-Control: public, max-age=300`; send \
`If-None-Match` or `If-Modified-Since` to get `304 Not Modified` while the data is unchanged. \
HEAD works wherever GET does.\n\n\
**Browsers, limits, tracing.** Any origin may call the API (`Access-Control-Allow-Origin: *`), \
and scripts may read `ETag`, `Link`, the rate-limit headers and `X-Request-Id`. A server may \
limit requests per client; a client over the limit gets `429` with `Retry-After`, and answers \
carry `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`. Every \
answer carries an `X-Request-Id` (the client's own when it sends a sane one), also in the \
server's log.";

/// Adds the delivery parameters, answers and headers to the OpenAPI document.
pub struct DeliveryDoc;

/// An optional query parameter described by `description`, its values by `schema`.
pub(crate) fn query_parameter(
    name: &str,
    description: impl Into<String>,
    schema: impl Into<RefOr<Schema>>,
) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
}

fn string_schema() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(string_schema())
        .description(Some(description))
        .build()
}

fn document_list(operation: &mut Operation, id: &str) {
    let feed = FEEDS.contains(&id);
    let mut formats = vec!["json", "csv", "ndjson"];
    if feed {
        formats.push("atom");
    }
    let format_description = if feed {
        "Format of the answer: `json` (a page, the default), `csv` or `ndjson` (the whole \
         result, up to 100,000 records, streamed), `atom` (an Atom 1.0 feed page, newest \
         documents first). Without it, the `Accept` header decides (`text/csv`, \
         `application/x-ndjson`, `application/atom+xml`)."
    } else {
        "Format of the answer: `json` (a page, the default), `csv` or `ndjson` (the whole \
         result, up to 100,000 records, streamed). Without it, the `Accept` header decides \
         (`text/csv`, `application/x-ndjson`)."
    };
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    parameters.push(
        query_parameter(
            "format",
            format_description,
            string_schema()
                .enum_values(Some(formats))
                .default(Some(json!("json"))),
        )
        .build(),
    );
    parameters.push(
        query_parameter(
            "bom",
            "With `format=csv`: start the file with the UTF-8 byte-order mark, which \
                 Excel needs to read Chinese text correctly (default `true`).",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .default(Some(json!(true))),
        )
        .build(),
    );
    if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
        let text = |description: &str| {
            ContentBuilder::new()
                .schema(Some(string_schema().description(Some(description))))
                .build()
        };
        ok.content.insert(
            CSV_TYPE.to_owned(),
            text("The whole result: a header row, then one row per record (`format=csv`)."),
        );
        ok.content.insert(
            NDJSON_TYPE.to_owned(),
            text("The whole result: one JSON record per line (`format=ndjson`)."),
        );
        if feed {
            ok.content.insert(
                ATOM_TYPE.to_owned(),
                text("An Atom 1.0 feed page (`format=atom`)."),
            );
        }
        ok.headers.insert(
            "Link".to_owned(),
            header("JSON pages: `<URL of the next page>; rel=\"next\"`, absent on the last page."),
        );
        ok.headers.insert(
            "X-Total-Count".to_owned(),
            header(
                "CSV and NDJSON: the number of records matching the filters (all in the \
                 answer, unless `cursor` starts it later).",
            ),
        );
        ok.headers.insert(
            "Content-Disposition".to_owned(),
            header("CSV and NDJSON: `attachment` with a file name describing the query."),
        );
    }
}

/// `/v1/measures.atom` takes every parameter of `/v1/measures`, `format` only as `atom`.
fn document_feed(operation: &mut Operation) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    parameters.push(
        query_parameter(
            "format",
            "Only `atom`: this URL always answers with the Atom feed.",
            string_schema()
                .enum_values(Some(["atom"]))
                .default(Some(json!("atom"))),
        )
        .build(),
    );
    parameters.push(
        query_parameter(
            "bom",
            "Accepted like on `/v1/measures`; it applies to CSV only and does not change a \
                 feed.",
            ObjectBuilder::new().schema_type(Type::Boolean),
        )
        .build(),
    );
}

impl Modify for DeliveryDoc {
    fn modify(&self, openapi: &mut OpenApi) {
        if let Some(description) = openapi.info.description.as_mut() {
            description.push_str(DESCRIPTION);
        }
        for item in openapi.paths.paths.values_mut() {
            let Some(operation) = item.get.as_mut() else {
                continue;
            };
            let id = operation.operation_id.clone().unwrap_or_default();
            if EXPORTABLE.contains(&id.as_str()) {
                document_list(operation, &id);
            }
            if id == "feed_measures" {
                document_feed(operation);
            }
            if id == "health" || id == "ready" {
                continue;
            }
            if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
                for (name, description) in [
                    (
                        "ETag",
                        "Validator of this answer; send it back in `If-None-Match`.",
                    ),
                    ("Last-Modified", "When the data was loaded."),
                    (
                        "Cache-Control",
                        "`public, max-age=300` (the server's `--cache-max-age`).",
                    ),
                    ("X-Request-Id", "The request's id, as in the server's log."),
                ] {
                    ok.headers.insert(name.to_owned(), header(description));
                }
            }
            operation.responses.responses.insert(
                "304".to_owned(),
                RefOr::T(
                    ResponseBuilder::new()
                        .description(
                            "Not modified: the `If-None-Match` or `If-Modified-Since` of the \
                             request still describes the current answer.",
                        )
                        .build(),
                ),
            );
            operation.responses.responses.insert(
                "429".to_owned(),
                RefOr::T(
                    ResponseBuilder::new()
                        .description(
                            "Too many requests from this client (when the server limits \
                             rates); retry after `Retry-After` seconds.",
                        )
                        .header("Retry-After", header("Seconds to wait."))
                        .header(
                            "RateLimit-Limit",
                            header("Requests a client may send at once."),
                        )
                        .header("RateLimit-Remaining", header("Requests left now."))
                        .header(
                            "RateLimit-Reset",
                            header("Seconds until all are available."),
                        )
                        .content(
                            PROBLEM_JSON,
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .build(),
                        )
                        .build(),
                ),
            );
        }
    }
}

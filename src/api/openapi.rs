//! The OpenAPI document: the operations of the route table ([`super::route_table`]) with the
//! description, schemas and tags around them.

use utoipa::{Modify, OpenApi};

use super::controllers::downloads::{DownloadView, DownloadsMeta, DownloadsView, FileBytes};
use super::controllers::resource::FacetSchemas;
use super::controllers::search;
use super::error::{InvalidParam, Problem};
use super::openapi_delivery::DeliveryDoc;
use super::route_table::DocumentedRoutes;
use super::views::*;
use crate::db::queries;

/// Every list with facets gets a facet schema of its own (`GoalFacet`).
static FACET_SCHEMAS: FacetSchemas = FacetSchemas(&queries::LISTS);

/// What the document says besides its paths: the description, the named schemas and the
/// tags.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "zhengce API",
        version = "1",
        description = "Chinese government policy documents (实施方案, 行动计划, 实施意见, 工作方案, 复函 …) as open data.\n\n\
Every document is split into its numbered outline and its **measures**: the actionable items, each with the \
**agencies** charged with it and their role (lead 牵头, cooperating 配合, responsible 负责, guide 指导, \
participate 参与). The API also serves quantified **goals** (`到2018年 … 达2500亿元`), **references** between \
documents, a vocabulary of **themes**, and the **jurisdictions** tree.\n\n\
**Conventions.** Everything lives under `/v1`. Lists return `{data, meta, links}` and take `limit` (1–500, default 50) \
and `cursor` (copy `meta.next_cursor`) for paging, `sort` (comma-separated fields, `-` for descending) and \
`facet` (counts per value, returned in a top-level `facets` object). Filters are plain query parameters named \
after fields; a repeated parameter matches any of its values (OR), different parameters must all match (AND). \
A jurisdiction filter includes the jurisdictions below it. One record comes as `{data}`. Errors are \
`application/problem+json` (RFC 9457); an unknown parameter or a bad value is a 400 naming the parameter and \
what is allowed.\n\n\
**Search.** `q` on `/v1/measures`, `/v1/documents`, `/v1/goals` and `/v1/agencies`, and `/v1/search` across them, \
take one query: plain words must all occur in any order (`医疗 教育`; Chinese text is split into words), \
`\"quoted text\"` must occur exactly, even across word boundaries (`\"线上业\"`), `A OR B` matches either, `-word` \
excludes (`医疗 OR 教育 -金融`); Latin letters and digits ignore case and match whole words (`5G`, `APP`, `O2O`). Search never silently \
misses: besides words, the index holds every pair of adjacent Chinese characters, so every record containing a \
quoted term is found. With `q`, lists are sorted by `relevance` (title matches first, then bm25) unless `sort` is \
given. A bad query is a 400 naming `q` and saying why.\n\n\
**Provenance.** Every measure, goal and reference carries `source`: the document id, the byte span and lines in \
the document's source text, and the verbatim text, so it can be quoted and checked against \
`/v1/documents/{id}/text?source=true`: the text extracted from the file as published (plain text, an HTML \
page's article, a DOCX file's paragraphs, a PDF's text layer), whose `format` and `extractor` each document \
records; `raw=true` returns the file itself, byte for byte.\n\n\
**Licence.** Chinese government normative documents are not protected by copyright under Article 5 of the \
Copyright Law of the People's Republic of China. The derived data is offered under CC BY 4.0; attribute it to the \
issuing bodies of the documents.",
        license(name = "CC BY 4.0 (data)", url = "https://creativecommons.org/licenses/by/4.0/")
    ),
    components(schemas(
        search::SearchType,
        search::SearchFacet,
        search::HighlightMode,
        search::SearchHitView,
        search::HighlightView,
        Problem,
        InvalidParam,
        Meta,
        Links,
        FacetValue,
        Source,
        Span,
        Role,
        MeasureView,
        MeasureAgencyView,
        DeadlineView,
        ThemeRef,
        DocumentView,
        DocumentCountsView,
        DocumentDetailView,
        OutlineNodeView,
        WarningView,
        Origin,
        AgencyView,
        AgencyDetailView,
        RoleCountsView,
        PartnerView,
        GoalView,
        ReferenceView,
        CitedView,
        CitedDetailView,
        ThemeView,
        ThemeDetailView,
        ThemeDocumentView,
        KeywordsView,
        JurisdictionView,
        IndexView,
        DatasetView,
        CountsView,
        LicenceView,
        IndexLinks,
        GuideView,
        StatusView,
        DownloadView,
        DownloadsView,
        DownloadsMeta,
        FileBytes,
    )),
    tags(
        (name = "index", description = "Where to start: links, dataset version, counts, licence, and this document."),
        (name = "documents", description = "The policy documents: metadata, outline, text."),
        (name = "measures", description = "The actionable items of the documents, with agencies, roles and themes."),
        (name = "agencies", description = "The bodies charged with measures, resolved to canonical records per jurisdiction."),
        (name = "goals", description = "Quantified targets with a year."),
        (name = "references", description = "Citations between documents."),
        (name = "themes", description = "The controlled vocabulary measures are tagged with."),
        (name = "jurisdictions", description = "The tree of places documents and agencies belong to: every provincial-, prefecture- and county-level division of China with its GB/T 2260 code."),
        (name = "search", description = "Full-text search across measures, documents, goals and agencies. The same query language works in the `q` parameter of `/v1/measures`, `/v1/documents`, `/v1/goals` and `/v1/agencies`."),
        (name = "downloads", description = "Bulk files for analysis: the SQLite database, the same database gzip-compressed, and a zip of one CSV per table."),
        (name = "probes", description = "Liveness and readiness for orchestrators."),
    )
)]
struct Description;

/// The OpenAPI description of the API: its description, schemas and tags, the operations
/// of the route table ([`DocumentedRoutes`]), and what the modifiers add to them.
pub struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut openapi = Description::openapi();
        openapi.merge(DocumentedRoutes::openapi());
        let modifiers: [&dyn Modify; 3] = [&FACET_SCHEMAS, &DeliveryDoc, &NonEmptyParameters];
        for modifier in modifiers {
            modifier.modify(&mut openapi);
        }
        openapi
    }
}

/// The OpenAPI document as pretty JSON (what `/v1/openapi.json` serves and
/// `openapi/openapi.json` holds).
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|error| {
        log::error!("cannot serialize the OpenAPI document: {error}");
        "{}".to_owned()
    })
}

/// Says in the document what the server enforces: a query or path parameter, when given,
/// is never empty (`?cursor=` is a 400), so string parameters get `minLength: 1` and
/// repeatable ones `minItems: 1`; `q` is at most 1,000 characters; every operation may
/// answer 400 for a path or query that is not text, and 414 or 431 over the size limits.
pub struct NonEmptyParameters;

impl Modify for NonEmptyParameters {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ArrayItems, Schema};
        use utoipa::openapi::RefOr;

        fn non_empty_string(schema: &mut Schema) {
            if let Schema::Object(object) = schema {
                if schema_is_string(&object.schema_type) && object.enum_values.is_none() {
                    object.min_length = Some(1);
                }
            }
        }

        fn schema_is_string(schema_type: &utoipa::openapi::schema::SchemaType) -> bool {
            use utoipa::openapi::schema::{SchemaType, Type};
            match schema_type {
                SchemaType::Type(Type::String) => true,
                SchemaType::Array(types) => types.contains(&Type::String),
                _ => false,
            }
        }

        let limit_responses = [
            (
                "400",
                "The path or query string is not text (invalid UTF-8 or control characters).",
            ),
            ("414", "The URL is longer than the server accepts (32 KiB)."),
            (
                "431",
                "The request headers are larger than the server accepts (16 KiB).",
            ),
        ];
        for item in openapi.paths.paths.values_mut() {
            let operations = [item.get.as_mut(), item.head.as_mut()];
            for operation in operations.into_iter().flatten() {
                for (status, description) in limit_responses {
                    let problem = utoipa::openapi::ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            "Problem",
                        ))))
                        .build();
                    let response = utoipa::openapi::ResponseBuilder::new()
                        .description(description)
                        .content("application/problem+json", problem)
                        .build();
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert(RefOr::T(response));
                }
                for parameter in operation.parameters.iter_mut().flatten() {
                    match parameter.schema.as_mut() {
                        Some(RefOr::T(Schema::Array(array))) => {
                            array.min_items = Some(1);
                            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                                if let RefOr::T(items) = items.as_mut() {
                                    non_empty_string(items);
                                }
                            }
                        }
                        Some(RefOr::T(schema)) => {
                            non_empty_string(schema);
                            if parameter.name == "q" {
                                if let Schema::Object(object) = schema {
                                    object.max_length = Some(crate::db::search::MAX_QUERY_CHARS);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

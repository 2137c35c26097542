//! `GET /v1`: the index of the API.

use actix_web::{web, HttpRequest, HttpResponse};

use super::no_params;
use crate::api::error::ApiError;
use crate::api::state::AppState;
use crate::api::views::{DatasetView, GuideView, IndexLinks, IndexView, Item, LicenceView};
use crate::db::queries::index;

/// The legal status of the source documents.
pub const SOURCE_STATUS: &str = "Chinese government normative documents (laws, regulations, \
    resolutions, decisions, orders and other documents of a legislative, administrative or \
    judicial nature, and their official translations) are not protected by copyright under \
    Article 5 of the Copyright Law of the People's Republic of China.";

/// How to attribute the data.
pub const ATTRIBUTION: &str = "The derived data (measures, agencies, goals, references, \
    themes) is offered under CC BY 4.0. Attribute it to the issuing bodies of the documents \
    (each document's `issuer`) and to zhengce.";

/// The API index.
///
/// Links to every resource, the version of the loaded dataset, record counts and the source
/// and licence of the data. Start here.
#[utoipa::path(
    get,
    path = "/v1",
    operation_id = "get_index",
    tag = "index",
    responses(
        (status = 200, description = "The index", body = Item<IndexView>),
        (status = 503, description = "The database is not available", body = crate::api::error::Problem, content_type = "application/problem+json")
    )
)]
pub async fn index(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    no_params(&request)?;
    let summary = state.run(index::summary).await?;
    let view = IndexView {
        name: "zhengce".to_owned(),
        description: "Chinese government policy documents as open data: documents, their \
            measures with the agencies charged with them, quantified goals, cross-references \
            and themes."
            .to_owned(),
        api_version: "v1".to_owned(),
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        dataset: DatasetView {
            version: summary.get("version").map(str::to_owned),
            facts: summary
                .entries
                .into_iter()
                .map(|entry| (entry.key, entry.value))
                .collect(),
        },
        counts: summary.counts,
        licence: LicenceView {
            source: "Policy documents published by Chinese government bodies, kept byte for \
                byte as received; see /v1/documents/{id}/text?raw=true."
                .to_owned(),
            source_status: SOURCE_STATUS.to_owned(),
            licence: "CC BY 4.0".to_owned(),
            licence_url: "https://creativecommons.org/licenses/by/4.0/".to_owned(),
            attribution: ATTRIBUTION.to_owned(),
        },
        guide: GuideView {
            queries: "Use the API for questions: filter, facet and page any list, one record \
                at a time, from a script or a browser on any origin."
                .to_owned(),
            following: "Use the Atom feeds to follow new measures in a feed reader or a \
                portal: /v1/measures.atom takes every filter of /v1/measures (agency, role, \
                theme, jurisdiction …), newest documents first."
                .to_owned(),
            analysis: "Use the bulk files at /v1/downloads to analyse everything at once: \
                the SQLite database (open it with Datasette or sqlite3) and a zip of one CSV \
                per table."
                .to_owned(),
            formats: "Every list also answers as CSV for Excel (format=csv, UTF-8 with a BOM) \
                and NDJSON (format=ndjson) with the whole result, up to 100,000 records."
                .to_owned(),
        },
        links: IndexLinks {
            self_link: "/v1".to_owned(),
            documents: "/v1/documents".to_owned(),
            measures: "/v1/measures".to_owned(),
            agencies: "/v1/agencies".to_owned(),
            goals: "/v1/goals".to_owned(),
            references: "/v1/references".to_owned(),
            themes: "/v1/themes".to_owned(),
            jurisdictions: "/v1/jurisdictions".to_owned(),
            search: "/v1/search{?q}".to_owned(),
            measures_feed: "/v1/measures.atom".to_owned(),
            downloads: "/v1/downloads".to_owned(),
            openapi: "/v1/openapi.json".to_owned(),
            docs: "/docs/".to_owned(),
            health: "/health".to_owned(),
            ready: "/ready".to_owned(),
        },
    };
    Ok(HttpResponse::Ok().json(Item::new(view)))
}

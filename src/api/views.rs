//! The JSON shapes the API returns, with their OpenAPI schemas: the envelopes, the index, and
//! the records of the database layer, which are served as they are read.
//!
//! Lists come in a [`ListEnvelope`] (`data`, `meta`, `links`, optional `facets`), single
//! records in an [`Item`] (`data`). Every record that stands for a piece of a document carries
//! a [`Source`]: the document id, the byte span in the document's source text, the lines and
//! the verbatim text, so that it can be quoted and checked.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

// The records of the database layer are served as they are read: each is its own JSON shape
// and OpenAPI schema. These names are the ones the API documents them by.
pub use crate::corpus::model::{AgencyOrigin as Origin, Role};
pub use crate::db::queries::agencies::{
    AgencyDetail as AgencyDetailView, AgencyRecord as AgencyView, Partner as PartnerView,
    RoleCounts as RoleCountsView,
};
pub use crate::db::queries::documents::{
    DocumentCounts as DocumentCountsView, DocumentDetail as DocumentDetailView,
    DocumentRecord as DocumentView, OutlineNode as OutlineNodeView, Span,
    WarningRecord as WarningView,
};
pub use crate::db::queries::goals::GoalRecord as GoalView;
pub use crate::db::queries::index::Counts as CountsView;
pub use crate::db::queries::jurisdictions::JurisdictionRecord as JurisdictionView;
pub use crate::db::queries::measures::{
    MeasureAgency as MeasureAgencyView, MeasureDeadline as DeadlineView,
    MeasureRecord as MeasureView, MeasureTheme as ThemeRef,
};
pub use crate::db::queries::references::{
    CitedDetail as CitedDetailView, CitedRecord as CitedView, ReferenceRecord as ReferenceView,
};
pub use crate::db::queries::themes::{
    Keywords as KeywordsView, ThemeDetail as ThemeDetailView,
    ThemeDocumentCount as ThemeDocumentView, ThemeRecord as ThemeView,
};
pub use crate::db::queries::SourceRecord as Source;

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

/// A page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListEnvelope<T> {
    /// The records of this page.
    pub data: Vec<T>,
    /// Size and position of the page.
    pub meta: Meta,
    /// Links to this page and the next.
    pub links: Links,
    /// Counts per value for each facet requested with `facet=…`, computed over every
    /// record matching the filters (all pages). Present only when a facet was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<String, Vec<FacetValue>>>,
}

/// One record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Item<T> {
    /// The record.
    pub data: T,
}

impl<T> Item<T> {
    /// Wraps a record.
    pub fn new(data: T) -> Item<T> {
        Item { data }
    }
}

/// Size and position of a page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    /// Number of records matching the filters, all pages together (exact).
    #[schema(example = 48)]
    pub total: i64,
    /// Page size used.
    #[schema(example = 50)]
    pub limit: u32,
    /// Pass this as `cursor` to get the next page; `null` on the last page.
    #[schema(example = "eyJzIjoiZG9jdW1lbnQsb3JkaW5hbCIsImsiOlsieXViZWkiLDUwLCJ5dWJlaSJdfQ")]
    pub next_cursor: Option<String>,
}

/// Links of a page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Links {
    /// This page.
    #[serde(rename = "self")]
    #[schema(example = "/v1/measures?role=lead")]
    pub self_link: String,
    /// The next page, `null` on the last page.
    pub next: Option<String>,
}

/// One value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The value; pass it to the filter parameter named like the facet to narrow the list.
    #[schema(example = "yubei-economy-it-commission")]
    pub value: String,
    /// Human-readable label: a name or title where the value is an id.
    #[schema(example = "重庆市渝北区经济和信息化委员会")]
    pub label: String,
    /// Number of matching records with this value.
    #[schema(example = 12)]
    pub count: i64,
}

// ---------------------------------------------------------------------------------------------
// Index and probes
// ---------------------------------------------------------------------------------------------

/// The loaded dataset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetView {
    /// Version of the data: a hash that changes whenever the loaded data changes.
    #[schema(example = "3f2a9c01d4e5b6a7")]
    pub version: Option<String>,
    /// Every fact the loader recorded (`version`, `loaded_at`, counts …).
    pub facts: BTreeMap<String, String>,
}

/// Where the data comes from and the terms it is offered under.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LicenceView {
    /// The source documents.
    pub source: String,
    /// The legal status of the source documents.
    pub source_status: String,
    /// Licence of the derived data.
    #[schema(example = "CC BY 4.0")]
    pub licence: String,
    /// Text of the licence.
    #[schema(example = "https://creativecommons.org/licenses/by/4.0/")]
    pub licence_url: String,
    /// How to attribute the data.
    pub attribution: String,
}

/// Links to every resource of the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexLinks {
    /// This index.
    #[serde(rename = "self")]
    pub self_link: String,
    /// Documents.
    pub documents: String,
    /// Measures.
    pub measures: String,
    /// Agencies.
    pub agencies: String,
    /// Goals.
    pub goals: String,
    /// Cross-references.
    pub references: String,
    /// Themes.
    pub themes: String,
    /// Jurisdictions.
    pub jurisdictions: String,
    /// Full-text search across measures, documents, goals and agencies: a URI template
    /// (RFC 6570) taking the query `q`.
    #[schema(example = "/v1/search{?q}")]
    pub search: String,
    /// The Atom feed of measures (takes the filters of `/v1/measures`).
    #[schema(example = "/v1/measures.atom")]
    pub measures_feed: String,
    /// The bulk files.
    #[schema(example = "/v1/downloads")]
    pub downloads: String,
    /// The OpenAPI document.
    pub openapi: String,
    /// Interactive documentation.
    pub docs: String,
    /// Liveness probe.
    pub health: String,
    /// Readiness probe.
    pub ready: String,
}

/// Which way of getting the data to use when: the API for queries, feeds for following,
/// bulk files for analysis.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuideView {
    /// When to use the API.
    pub queries: String,
    /// When to use the Atom feeds.
    pub following: String,
    /// When to use the bulk files.
    pub analysis: String,
    /// The formats every list answers in.
    pub formats: String,
}

/// The API's entry point.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexView {
    /// Name of the service.
    #[schema(example = "zhengce")]
    pub name: String,
    /// What the service offers.
    pub description: String,
    /// API version (the path prefix).
    #[schema(example = "v1")]
    pub api_version: String,
    /// Version of the server software.
    pub server_version: String,
    /// The loaded dataset.
    pub dataset: DatasetView,
    /// Number of records per resource.
    pub counts: CountsView,
    /// Source and licence.
    pub licence: LicenceView,
    /// Which way of getting the data to use when.
    pub guide: GuideView,
    /// Links to every resource.
    pub links: IndexLinks,
}

/// Answer of the health and readiness probes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusView {
    /// `ok` or `ready`.
    #[schema(example = "ok")]
    pub status: String,
}

//! `/v1/measures`, `/v1/measures/{id}` and the measure lists of documents and agencies.

use super::resource::{resource, scoped_list, PathFilter};
use crate::api::views::MeasureView;
use crate::db::queries::measures;

resource! {
    /// Measures, as the generic handlers serve them.
    Measures in "measures";
    /// List measures.
    ///
    /// The actionable units of the documents: the numbered items of the action parts, each with
    /// the agencies charged with it and its themes. Filter, sort, page and facet them; for
    /// example `/v1/measures?role=lead&facet=agency` counts the measures each agency leads.
    list measures => MeasureView at "/v1/measures" as list_measures;
    /// Get one measure.
    get [point] measures::get => MeasureView at "/v1/measures/{id}" as get_measure, "The measure",
        id "Measure id" "yubei-2020-online-economy-plan--p5.s14.i25";
}

/// The document a path names (`/v1/documents/{id}/measures`).
pub struct DocumentInPath;

impl PathFilter for DocumentInPath {
    const NAME: &'static str = "document";
}

/// The agency a path names (`/v1/agencies/{id}/measures`); a `role` filter applies to it.
pub struct AgencyInPath;

impl PathFilter for AgencyInPath {
    const NAME: &'static str = "agency";
}

scoped_list! {
    /// List the measures of a document.
    ///
    /// The same list as `/v1/measures?document={id}`, with every other measure filter, but a
    /// 404 when the document does not exist.
    Measures within DocumentInPath => MeasureView in "documents"
    at "/v1/documents/{id}/measures" as list_document_measures,
    "A page of the document's measures", id "Document id" "hongkou-2020-online-new-economy-opinions";
}

scoped_list! {
    /// List the measures an agency is named on.
    ///
    /// The same list as `/v1/measures?agency={id}`: combine with `role` for the measures the
    /// agency leads, cooperates on, and so on. A 404 when the agency does not exist.
    Measures within AgencyInPath => MeasureView in "agencies"
    at "/v1/agencies/{id}/measures" as list_agency_measures,
    "A page of the agency's measures", id "Agency id" "yubei-urban-management-bureau";
}

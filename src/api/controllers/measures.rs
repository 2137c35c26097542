//! `/v1/measures`, `/v1/measures/{id}` and the measure lists of documents and agencies.

use super::resource::{get_handler, list_handler, serve_list, serve_record, PathFilter, Within};
use crate::api::views::MeasureView;
use crate::db::queries::measures::{self, MeasureRecord};

/// Measures, as the generic handlers serve them.
pub struct Measures;

serve_list!(Measures, measures, MeasureRecord => MeasureView);
serve_record!(Measures, measures::get, MeasureRecord => MeasureView, point);

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

/// The measures of the document a path names.
pub type MeasuresOfDocument = Within<Measures, DocumentInPath>;

/// The measures of the agency a path names.
pub type MeasuresOfAgency = Within<Measures, AgencyInPath>;

list_handler! {
    /// List measures.
    ///
    /// The actionable units of the documents: the numbered items of the action parts, each with
    /// the agencies charged with it and its themes. Filter, sort, page and facet them; for
    /// example `/v1/measures?role=lead&facet=agency` counts the measures each agency leads.
    list: Measures at "/v1/measures" as "list_measures" in "measures",
    "A page of measures" => MeasureView
}

get_handler! {
    /// Get one measure.
    get: Measures at "/v1/measures/{id}" as "get_measure" in "measures",
    id "Measure id" "yubei-2020-online-economy-plan--p5.s14.i25",
    "The measure" => MeasureView
}

list_handler! {
    /// List the measures of a document.
    ///
    /// The same list as `/v1/measures?document={id}`, with every other measure filter, but a
    /// 404 when the document does not exist.
    of_document: MeasuresOfDocument at "/v1/documents/{id}/measures" as "list_document_measures" in "documents",
    id "Document id" "hongkou-2020-online-new-economy-opinions",
    "A page of the document's measures" => MeasureView
}

list_handler! {
    /// List the measures an agency is named on.
    ///
    /// The same list as `/v1/measures?agency={id}`: combine with `role` for the measures the
    /// agency leads, cooperates on, and so on. A 404 when the agency does not exist.
    of_agency: MeasuresOfAgency at "/v1/agencies/{id}/measures" as "list_agency_measures" in "agencies",
    id "Agency id" "yubei-urban-management-bureau",
    "A page of the agency's measures" => MeasureView
}

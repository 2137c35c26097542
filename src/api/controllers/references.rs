//! `/v1/references`, `/v1/references/{id}` and `/v1/references/cited/{id}`.

use super::resource::{get_handler, list_handler, serve_list, serve_record};
use crate::api::views::{CitedDetailView, ReferenceView};
use crate::db::queries::references::{self, CitedDetail, ReferenceRecord};

/// References, as the generic handlers serve them.
pub struct References;

/// A cited document with its citations, as the generic record handler serves it.
pub struct CitedDocuments;

serve_list!(References, references, ReferenceRecord => ReferenceView);
serve_record!(References, references::get, ReferenceRecord => ReferenceView);
serve_record!(CitedDocuments, references::cited, CitedDetail => CitedDetailView);

list_handler! {
    /// List references.
    ///
    /// Citations of other documents by 《title》 or document number (`渝府办发〔2020〕25号`),
    /// each tied to one cited-document record shared by every document citing it, and to the
    /// corpus document when the cited document is in the corpus.
    list: References at "/v1/references" as "list_references" in "references",
    "A page of references" => ReferenceView
}

get_handler! {
    /// Get one reference.
    get: References at "/v1/references/{id}" as "get_reference" in "references",
    id "Reference id" "yubei-2020-online-economy-plan--r1",
    "The reference" => ReferenceView
}

get_handler! {
    /// Get a cited document and everything that cites it.
    ///
    /// One document cited by the corpus (by title, number or both) with every citation of it:
    /// which corpus documents cite it, in which sentence, and where.
    cited: CitedDocuments at "/v1/references/cited/{id}" as "get_cited_document" in "references",
    id "Cited-document id (the `cited.id` of a reference)" "yu-fu-ban-fa-2020-25",
    "The cited document with its citations" => CitedDetailView
}

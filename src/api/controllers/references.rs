//! `/v1/references`, `/v1/references/{id}` and `/v1/references/cited/{id}`.

use super::resource::resource;
use crate::api::views::{CitedDetailView, ReferenceView};
use crate::db::queries::references;

resource! {
    /// References, as the generic handlers serve them.
    References in "references";
    /// List references.
    ///
    /// Citations of other documents by 《title》 or document number (`渝府办发〔2020〕25号`),
    /// each tied to one cited-document record shared by every document citing it, and to the
    /// corpus document when the cited document is in the corpus.
    list references => ReferenceView at "/v1/references" as list_references;
    /// Get one reference.
    get references::get => ReferenceView at "/v1/references/{id}" as get_reference,
        "The reference", id "Reference id" "yubei-2020-online-economy-plan--r1";
}

resource! {
    /// A cited document with its citations, as the generic record handler serves it.
    CitedDocuments in "references";
    /// Get a cited document and everything that cites it.
    ///
    /// One document cited by the corpus (by title, number or both) with every citation of it:
    /// which corpus documents cite it, in which sentence, and where.
    get references::cited => CitedDetailView at "/v1/references/cited/{id}"
        as get_cited_document, "The cited document with its citations",
        id "Cited-document id (the `cited.id` of a reference)" "yu-fu-ban-fa-2020-25";
}

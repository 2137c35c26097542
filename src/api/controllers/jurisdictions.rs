//! `/v1/jurisdictions` and `/v1/jurisdictions/{id}`.

use super::resource::resource;
use crate::api::views::JurisdictionView;
use crate::db::queries::jurisdictions;

resource! {
    /// Jurisdictions, as the generic handlers serve them.
    Jurisdictions in "jurisdictions";
    /// List jurisdictions.
    ///
    /// The places documents and agencies belong to, as a tree: 中国 ⊃ 重庆市 ⊃ 渝北区, with
    /// every provincial-, prefecture- and county-level division of China and its GB/T 2260
    /// code. Most hold no document: `has_documents=true` lists those that do. Filtering another
    /// resource by a jurisdiction includes everything below it.
    list jurisdictions => JurisdictionView at "/v1/jurisdictions" as list_jurisdictions;
    /// Get one jurisdiction.
    get jurisdictions::get => JurisdictionView at "/v1/jurisdictions/{id}" as get_jurisdiction,
        "The jurisdiction", id "Jurisdiction id" "chongqing";
}

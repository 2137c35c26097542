//! `/v1/jurisdictions` and `/v1/jurisdictions/{id}`.

use super::resource::{get_handler, list_handler, serve_list, serve_record};
use crate::api::views::JurisdictionView;
use crate::db::queries::jurisdictions::{self, JurisdictionRecord};

/// Jurisdictions, as the generic handlers serve them.
pub struct Jurisdictions;

serve_list!(Jurisdictions, jurisdictions, JurisdictionRecord => JurisdictionView);
serve_record!(Jurisdictions, jurisdictions::get, JurisdictionRecord => JurisdictionView);

list_handler! {
    /// List jurisdictions.
    ///
    /// The places documents and agencies belong to, as a tree: 中国 ⊃ 重庆市 ⊃ 渝北区, with
    /// every provincial-, prefecture- and county-level division of China and its GB/T 2260
    /// code. Most hold no document: `has_documents=true` lists those that do. Filtering another
    /// resource by a jurisdiction includes everything below it.
    list: Jurisdictions at "/v1/jurisdictions" as "list_jurisdictions" in "jurisdictions",
    "A page of jurisdictions" => JurisdictionView
}

get_handler! {
    /// Get one jurisdiction.
    get: Jurisdictions at "/v1/jurisdictions/{id}" as "get_jurisdiction" in "jurisdictions",
    id "Jurisdiction id" "chongqing",
    "The jurisdiction" => JurisdictionView
}

//! `/v1/agencies` and `/v1/agencies/{id}`.

use super::resource::{get_handler, list_handler, serve_list, serve_record};
use crate::api::views::{AgencyDetailView, AgencyView};
use crate::db::queries::agencies::{self, AgencyDetail, AgencyRecord};

/// Agencies, as the generic handlers serve them.
pub struct Agencies;

serve_list!(Agencies, agencies, AgencyRecord => AgencyView);
serve_record!(Agencies, agencies::get, AgencyDetail => AgencyDetailView);

list_handler! {
    /// List agencies.
    ///
    /// Government departments, party organs, leading groups, companies and collectives named in
    /// the documents' annotations, each resolved to one canonical record within its
    /// jurisdiction, with how many measures it leads, cooperates on, and so on.
    list: Agencies at "/v1/agencies" as "list_agencies" in "agencies",
    "A page of agencies" => AgencyView
}

get_handler! {
    /// Get one agency with its partners.
    ///
    /// The agency and `partners`: the agencies named on the same measures, with the number of
    /// measures shared, most shared first.
    get: Agencies at "/v1/agencies/{id}" as "get_agency" in "agencies",
    id "Agency id" "yubei-urban-management-bureau",
    "The agency" => AgencyDetailView
}

//! `/v1/agencies` and `/v1/agencies/{id}`.

use super::resource::resource;
use crate::api::views::{AgencyDetailView, AgencyView};
use crate::db::queries::agencies;

resource! {
    /// Agencies, as the generic handlers serve them.
    Agencies in "agencies";
    /// List agencies.
    ///
    /// Government departments, party organs, leading groups, companies and collectives named in
    /// the documents' annotations, each resolved to one canonical record within its
    /// jurisdiction, with how many measures it leads, cooperates on, and so on.
    list agencies => AgencyView at "/v1/agencies" as list_agencies;
    /// Get one agency with its partners.
    ///
    /// The agency and `partners`: the agencies named on the same measures, with the number of
    /// measures shared, most shared first.
    get agencies::get => AgencyDetailView at "/v1/agencies/{id}" as get_agency, "The agency",
        id "Agency id" "yubei-urban-management-bureau";
}

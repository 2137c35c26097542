//! Agencies: the gazetteer's canonical agencies and the provisional ones created for names it
//! lacks, with their aliases, measure counts per role and partners.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::measures::ROLE_LABEL;
use super::{
    read_model, record_of, Condition, Example, FacetSpec, FilterField, ListSpec, QueryResult,
    SortField, Sql, Subquery, Takes, RELEVANCE_FIELD,
};
use crate::corpus::model::{AgencyOrigin, Role};
use crate::db::search::SearchKind;

/// SQL for the number of distinct measures an agency (alias `a`) is named on.
const MEASURE_COUNT: &str =
    "(SELECT COUNT(DISTINCT smc.measure_id) FROM measure_agencies smc WHERE smc.agency_id = a.id)";

/// Agency lists: their filters, sort fields and facets.
pub static SPEC: ListSpec = ListSpec {
    name: "agencies",
    record: "agency",
    from: "agencies a",
    id: "a.id",
    search: Some(SearchKind::Agency),
    filters: &[
        FilterField::jurisdiction(
            "a.jurisdiction_id",
            "Only agencies of these jurisdictions or of jurisdictions below them (ids from \
             `/v1/jurisdictions`). Abbreviations are scoped: 区商务委 of Yubei and 区商务委 of \
             Hongkou are different agencies.",
            &["chongqing-yubei"],
        ),
        FilterField::new(
            "kind",
            Takes::Texts,
            Condition::In("a.kind"),
            "Only agencies of this kind: `government`, `government_office`, \
             `government_department`, `party_organ`, `leading_group`, `public_institution`, \
             `company`, `collective`, `zone_administration`, `mass_organization`, `court` …",
        )
        .vocabulary("agencies", "kind")
        .example(Example::Texts(&["government_department"])),
        FilterField::new(
            "role",
            Takes::OneOf(&Role::NAMES),
            Condition::Within(&LINKS_IN_ROLE, &Condition::In("ma.role")),
            "Only agencies with at least one measure in this role.",
        )
        .example(Example::Texts(&["lead"])),
        FilterField::search(
            "Full-text search in the canonical name, the aliases and the English name.",
            "商务",
        ),
        FilterField::new(
            "resolved",
            Takes::Boolean,
            Condition::Holds("a.resolved = 1", "a.resolved = 0"),
            "`true`: only resolved agencies (from the gazetteer or the standard-agency \
             model); `false`: only provisional agencies created for names neither knows.",
        )
        .example(Example::Boolean(false)),
        FilterField::new(
            "origin",
            Takes::OneOf(&AgencyOrigin::NAMES),
            Condition::In("a.origin"),
            "Only agencies known from this source: `gazetteer` (the hand gazetteer, \
             `data/agencies.toml`), `model` (the standard-agency model, \
             `data/agency_model.toml`, instantiated for the document's jurisdiction, and its \
             national bodies and collectives) or `provisional` (a printed name nothing else \
             resolved).",
        )
        .example(Example::Texts(&["model"])),
    ],
    sort_fields: &[
        SortField::text("id", "a.id", "agency id"),
        SortField::text("name", "a.name", "canonical Chinese name"),
        SortField::text(
            "name_en",
            "a.name_en",
            "English name (agencies without one come last)",
        )
        .or_null(),
        SortField::text("jurisdiction", "a.jurisdiction_id", "jurisdiction id").or_null(),
        SortField::text("kind", "a.kind", "kind of agency"),
        SortField::int(
            "measures",
            MEASURE_COUNT,
            "number of measures the agency is named on, in any role",
        ),
        RELEVANCE_FIELD,
    ],
    default_sort: &["id"],
    examples: ("-measures", "kind"),
    facets: &[
        FacetSpec::new(
            "jurisdiction",
            "a.jurisdiction_id",
            "fj.name",
            "agencies per jurisdiction",
        )
        .joined("LEFT JOIN jurisdictions fj ON fj.id = a.jurisdiction_id"),
        FacetSpec::new("kind", "a.kind", "a.kind", "agencies per kind"),
        FacetSpec::new(
            "role",
            "fa.role",
            ROLE_LABEL,
            "agencies with at least one measure in each role",
        )
        .joined("JOIN measure_agencies fa ON fa.agency_id = a.id"),
        FacetSpec::new(
            "resolved",
            "CASE WHEN a.resolved THEN 'true' ELSE 'false' END",
            "CASE WHEN a.resolved THEN 'resolved' ELSE 'unresolved' END",
            "resolved agencies (`true`: gazetteer and model) and provisional ones (`false`)",
        ),
        FacetSpec::new(
            "origin",
            "a.origin",
            "a.origin",
            "agencies per origin (`gazetteer`, `model`, `provisional`)",
        ),
    ],
};

/// The agency's links to measures, which a `role` filter looks into.
static LINKS_IN_ROLE: Subquery = Subquery {
    open: " AND EXISTS (SELECT 1 FROM measure_agencies ma WHERE ma.agency_id = a.id",
    close: ")",
};

/// Number of distinct measures per role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = RoleCountsView)]
pub struct RoleCounts {
    /// Measures the agency leads (牵头).
    pub lead: i64,
    /// Measures it cooperates on (配合).
    pub cooperating: i64,
    /// Measures it is responsible for (负责).
    pub responsible: i64,
    /// Measures it guides (指导).
    pub guide: i64,
    /// Measures it participates in (参与).
    pub participate: i64,
}

/// A government body, party organ, company or collective named in the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = AgencyView)]
pub struct AgencyRecord {
    /// Agency id.
    #[schema(example = "yubei-urban-management-bureau")]
    pub id: String,
    /// Canonical full name.
    #[schema(example = "重庆市渝北区城市管理局")]
    pub name: String,
    /// English name, where known.
    pub name_en: Option<String>,
    /// Short forms and variants printed in documents.
    pub aliases: Vec<String>,
    /// Kind: `government_department`, `party_organ`, `collective`, `company` …
    #[schema(example = "government_department")]
    pub kind: String,
    /// Jurisdiction id.
    #[schema(example = "chongqing-yubei")]
    pub jurisdiction: Option<String>,
    /// `true` for agencies from the gazetteer or the standard-agency model; `false` for
    /// names neither knows, kept as provisional agencies.
    pub resolved: bool,
    /// Where the agency record is known from.
    #[schema(value_type = crate::corpus::model::AgencyOrigin, example = "gazetteer")]
    pub origin: String,
    /// Editorial note.
    pub note: Option<String>,
    /// Distinct measures the agency is named on, in any role.
    pub measure_count: i64,
    /// Distinct measures per role.
    pub measure_counts: RoleCounts,
}

/// An agency that shares measures with another.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = PartnerView)]
pub struct Partner {
    /// Agency id.
    #[diesel(sql_type = Text)]
    pub id: String,
    /// Canonical name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// English name.
    #[diesel(sql_type = Nullable<Text>)]
    pub name_en: Option<String>,
    /// Number of measures both are named on.
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// An agency with the agencies it shares measures with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = AgencyDetailView)]
pub struct AgencyDetail {
    /// The agency.
    #[serde(flatten)]
    pub agency: AgencyRecord,
    /// Agencies named on the same measures, most shared measures first.
    pub partners: Vec<Partner>,
}

#[derive(QueryableByName)]
struct AgencyRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    name_en: Option<String>,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    jurisdiction_id: Option<String>,
    #[diesel(sql_type = Bool)]
    resolved: bool,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Nullable<Text>)]
    note: Option<String>,
}

const COLUMNS: &str = "a.id AS id, a.name AS name, a.name_en AS name_en, a.kind AS kind, \
    a.jurisdiction_id AS jurisdiction_id, a.resolved AS resolved, a.origin AS origin, \
    a.note AS note";

#[derive(QueryableByName)]
struct AliasRow {
    #[diesel(sql_type = Text)]
    agency_id: String,
    #[diesel(sql_type = Text)]
    alias: String,
}

#[derive(QueryableByName)]
struct RoleCountRow {
    #[diesel(sql_type = Text)]
    agency_id: String,
    #[diesel(sql_type = Text)]
    role: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

read_model! {
    /// Lists agencies: page, exact total, aliases and role counts of the page's agencies,
    /// and the requested facets.
    AgencyRow => AgencyRecord, columns COLUMNS, with complete
}

/// One agency with its partners (four statements).
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<AgencyDetail> {
    let agency = record_of::<AgencyRow>(conn, id)?;
    let mut sql = Sql::new(
        "SELECT p.agency_id AS id, a.name AS name, a.name_en AS name_en, \
         COUNT(DISTINCT p.measure_id) AS count \
         FROM measure_agencies s JOIN measure_agencies p \
         ON p.measure_id = s.measure_id AND p.agency_id <> s.agency_id \
         JOIN agencies a ON a.id = p.agency_id WHERE s.agency_id = ",
    );
    sql.text(id)
        .push(" GROUP BY p.agency_id ORDER BY count DESC, p.agency_id ASC");
    let partners: Vec<Partner> = sql.load(conn)?;
    Ok(AgencyDetail { agency, partners })
}

/// Adds aliases and measure counts to agency rows: one statement each.
fn complete(conn: &mut SqliteConnection, rows: Vec<AgencyRow>) -> QueryResult<Vec<AgencyRecord>> {
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let mut sql = Sql::new("SELECT agency_id, alias FROM agency_aliases WHERE agency_id IN ");
    sql.list(&ids).push(" ORDER BY agency_id, alias");
    let alias_rows: Vec<AliasRow> = sql.load(conn)?;
    let mut sql = Sql::new(
        "SELECT agency_id, role, COUNT(DISTINCT measure_id) AS count FROM measure_agencies \
         WHERE agency_id IN ",
    );
    sql.list(&ids).push(
        " GROUP BY agency_id, role UNION ALL SELECT agency_id, '*' AS role, \
         COUNT(DISTINCT measure_id) AS count FROM measure_agencies WHERE agency_id IN ",
    );
    sql.list(&ids).push(" GROUP BY agency_id");
    let count_rows: Vec<RoleCountRow> = sql.load(conn)?;

    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for row in alias_rows {
        aliases.entry(row.agency_id).or_default().push(row.alias);
    }
    let mut counts: HashMap<String, (i64, RoleCounts)> = HashMap::new();
    for row in count_rows {
        let entry = counts.entry(row.agency_id).or_default();
        match row.role.as_str() {
            "*" => entry.0 = row.count,
            "lead" => entry.1.lead = row.count,
            "cooperating" => entry.1.cooperating = row.count,
            "responsible" => entry.1.responsible = row.count,
            "guide" => entry.1.guide = row.count,
            "participate" => entry.1.participate = row.count,
            _ => {}
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let (measure_count, measure_counts) = counts.remove(&row.id).unwrap_or_default();
            AgencyRecord {
                aliases: aliases.remove(&row.id).unwrap_or_default(),
                measure_count,
                measure_counts,
                id: row.id,
                name: row.name,
                name_en: row.name_en,
                kind: row.kind,
                jurisdiction: row.jurisdiction_id,
                resolved: row.resolved,
                origin: row.origin,
                note: row.note,
            }
        })
        .collect())
}

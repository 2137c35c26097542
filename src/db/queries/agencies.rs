//! Agencies: the gazetteer's canonical agencies and the provisional ones created for names it
//! lacks, with their aliases, measure counts per role and partners.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};

use super::measures::ROLE_LABEL;
use super::{
    and_in, and_in_jurisdictions, check_values, matches, Base, Check, FacetSpec, FacetSql, KeyKind,
    Keyed, ListRequest, ListSpec, Page, QueryError, QueryResult, SortField, Sql, RELEVANCE_FIELD,
};
use crate::db::search::{CompiledQuery, SearchKind};

/// SQL for the number of distinct measures an agency (alias `a`) is named on.
const MEASURE_COUNT: &str =
    "(SELECT COUNT(DISTINCT smc.measure_id) FROM measure_agencies smc WHERE smc.agency_id = a.id)";

/// Sorting and facets of agency lists.
pub static SPEC: ListSpec = ListSpec {
    name: "agencies",
    sort_fields: &[
        SortField {
            name: "id",
            sql: "a.id",
            kind: KeyKind::Text,
            nullable: false,
            description: "agency id",
        },
        SortField {
            name: "name",
            sql: "a.name",
            kind: KeyKind::Text,
            nullable: false,
            description: "canonical Chinese name",
        },
        SortField {
            name: "name_en",
            sql: "a.name_en",
            kind: KeyKind::Text,
            nullable: true,
            description: "English name (agencies without one come last)",
        },
        SortField {
            name: "jurisdiction",
            sql: "a.jurisdiction_id",
            kind: KeyKind::Text,
            nullable: true,
            description: "jurisdiction id",
        },
        SortField {
            name: "kind",
            sql: "a.kind",
            kind: KeyKind::Text,
            nullable: false,
            description: "kind of agency",
        },
        SortField {
            name: "measures",
            sql: MEASURE_COUNT,
            kind: KeyKind::Int,
            nullable: false,
            description: "number of measures the agency is named on, in any role",
        },
        RELEVANCE_FIELD,
    ],
    default_sort: &["id"],
    facets: &[
        FacetSpec {
            name: "jurisdiction",
            description: "agencies per jurisdiction",
        },
        FacetSpec {
            name: "kind",
            description: "agencies per kind",
        },
        FacetSpec {
            name: "role",
            description: "agencies with at least one measure in each role",
        },
        FacetSpec {
            name: "resolved",
            description: "resolved agencies (`true`: gazetteer and model) and provisional ones \
                (`false`)",
        },
        FacetSpec {
            name: "origin",
            description: "agencies per origin (`gazetteer`, `model`, `provisional`)",
        },
    ],
};

/// Which agencies a list holds (values within a field OR, fields AND).
#[derive(Debug, Clone, Default)]
pub struct AgencyFilter {
    /// Jurisdiction ids (each includes the jurisdictions below it).
    pub jurisdictions: Vec<String>,
    /// Kinds (`government_department`, `collective` …).
    pub kinds: Vec<String>,
    /// Roles: agencies with at least one measure in one of them.
    pub roles: Vec<String>,
    /// Full-text search over the canonical name, the aliases and the English name.
    pub q: Option<CompiledQuery>,
    /// Resolved agencies only (`true`: gazetteer and model) or provisional ones only
    /// (`false`).
    pub resolved: Option<bool>,
    /// Origins (`gazetteer`, `model`, `provisional`).
    pub origins: Vec<String>,
}

/// Number of distinct measures per role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleCounts {
    /// Measures the agency leads.
    pub lead: i64,
    /// Measures it cooperates on.
    pub cooperating: i64,
    /// Measures it is responsible for.
    pub responsible: i64,
    /// Measures it guides.
    pub guide: i64,
    /// Measures it participates in.
    pub participate: i64,
}

/// An agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRecord {
    /// Agency id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Short forms and variants.
    pub aliases: Vec<String>,
    /// Kind.
    pub kind: String,
    /// Jurisdiction id.
    pub jurisdiction: Option<String>,
    /// Whether it comes from the gazetteer or the model (not provisional).
    pub resolved: bool,
    /// Where it is known from: `gazetteer`, `model` or `provisional`.
    pub origin: String,
    /// Editorial note.
    pub note: Option<String>,
    /// Distinct measures in any role.
    pub measure_count: i64,
    /// Distinct measures per role.
    pub measure_counts: RoleCounts,
}

/// An agency that shares measures with another.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
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

/// An agency with its partners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyDetail {
    /// The agency.
    pub agency: AgencyRecord,
    /// Agencies sharing measures with it, most shared first.
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
    #[diesel(sql_type = Text)]
    sort_key: String,
}

impl Keyed for AgencyRow {
    fn sort_key(&self) -> &str {
        &self.sort_key
    }
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

fn base(filter: &AgencyFilter) -> Base {
    let mut conditions = Sql::default();
    and_in_jurisdictions(&mut conditions, "a.jurisdiction_id", &filter.jurisdictions);
    and_in(&mut conditions, "a.kind", &filter.kinds);
    if !filter.roles.is_empty() {
        conditions.push(
            " AND EXISTS (SELECT 1 FROM measure_agencies ma WHERE ma.agency_id = a.id AND ma.role IN ",
        );
        conditions.list(&filter.roles).push(")");
    }
    let search = matches("a.id", SearchKind::Agency, filter.q.as_ref());
    if let Some(resolved) = filter.resolved {
        conditions
            .push(" AND a.resolved = ")
            .int(i64::from(resolved));
    }
    and_in(&mut conditions, "a.origin", &filter.origins);
    Base {
        from: "agencies a",
        id: "a.id",
        conditions,
        search,
    }
}

fn facet(name: &str) -> Option<FacetSql> {
    Some(match name {
        "jurisdiction" => FacetSql::joined(
            "a.jurisdiction_id",
            "fj.name",
            "LEFT JOIN jurisdictions fj ON fj.id = a.jurisdiction_id",
        ),
        "kind" => FacetSql::plain("a.kind", "a.kind"),
        "role" => FacetSql::joined(
            "fa.role",
            ROLE_LABEL,
            "JOIN measure_agencies fa ON fa.agency_id = a.id",
        ),
        "resolved" => FacetSql::plain(
            "CASE WHEN a.resolved THEN 'true' ELSE 'false' END",
            "CASE WHEN a.resolved THEN 'resolved' ELSE 'unresolved' END",
        ),
        "origin" => FacetSql::plain("a.origin", "a.origin"),
        _ => return None,
    })
}

/// Lists agencies: page, exact total, the aliases and role counts of the page's agencies in
/// one statement each, and the requested facets.
pub fn list(
    conn: &mut SqliteConnection,
    request: &ListRequest<AgencyFilter>,
) -> QueryResult<Page<AgencyRecord>> {
    let filter = &request.filter;
    check_values(
        conn,
        &[
            Check {
                param: "jurisdiction",
                table: "jurisdictions",
                column: "id",
                values: &filter.jurisdictions,
                ids_of: Some("jurisdictions"),
            },
            Check {
                param: "kind",
                table: "agencies",
                column: "kind",
                values: &filter.kinds,
                ids_of: None,
            },
        ],
    )?;
    let base = base(filter);
    let (rows, next) = base.page_ranked::<AgencyRow, _>(
        conn,
        COLUMNS,
        request,
        filter.q.as_ref(),
        SearchKind::Agency,
    )?;
    let total = base.total(conn)?;
    let items = complete(conn, rows)?;
    let facets = base.facets(conn, &request.facets, facet)?;
    Ok(Page {
        items,
        total,
        next,
        facets,
    })
}

/// One agency with its partners (four statements).
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<AgencyDetail> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(", '' AS sort_key FROM agencies a WHERE a.id = ")
        .text(id);
    let rows: Vec<AgencyRow> = sql.load(conn)?;
    let agency = complete(conn, rows)?
        .into_iter()
        .next()
        .ok_or_else(|| QueryError::NotFound {
            resource: "agency",
            id: id.to_owned(),
        })?;
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

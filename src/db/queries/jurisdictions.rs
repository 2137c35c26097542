//! Jurisdictions: the tree of places documents and agencies belong to.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};

use super::{
    and_in, check_values, Allowed, Base, Check, FacetSpec, FacetSql, KeyKind, Keyed, ListRequest,
    ListSpec, Page, QueryError, QueryResult, SortField, Sql,
};

/// SQL for the number of documents of a jurisdiction itself (alias `j`).
const DOCUMENT_COUNT: &str = "(SELECT COUNT(*) FROM documents sd WHERE sd.jurisdiction_id = j.id)";

/// SQL for "the jurisdiction (alias `j`) holds at least one document itself".
const HAS_DOCUMENTS: &str = "EXISTS (SELECT 1 FROM documents hd WHERE hd.jurisdiction_id = j.id)";

/// Sorting and facets of jurisdiction lists.
pub static SPEC: ListSpec = ListSpec {
    name: "jurisdictions",
    sort_fields: &[
        SortField {
            name: "position",
            sql: "j.position",
            kind: KeyKind::Int,
            nullable: false,
            description: "order of the data file (each jurisdiction after its parent)",
        },
        SortField {
            name: "id",
            sql: "j.id",
            kind: KeyKind::Text,
            nullable: false,
            description: "jurisdiction id",
        },
        SortField {
            name: "name",
            sql: "j.name",
            kind: KeyKind::Text,
            nullable: false,
            description: "Chinese name",
        },
        SortField {
            name: "level",
            sql: "j.level",
            kind: KeyKind::Text,
            nullable: false,
            description: "level (`national`, `municipality`, `district` …)",
        },
        SortField {
            name: "code",
            sql: "j.code",
            kind: KeyKind::Text,
            nullable: true,
            description: "GB/T 2260 code (jurisdictions without one come last)",
        },
        SortField {
            name: "documents",
            sql: DOCUMENT_COUNT,
            kind: KeyKind::Int,
            nullable: false,
            description: "number of documents of the jurisdiction itself",
        },
    ],
    default_sort: &["position"],
    facets: &[
        FacetSpec {
            name: "level",
            description: "jurisdictions per level",
        },
        FacetSpec {
            name: "parent",
            description: "jurisdictions per parent jurisdiction",
        },
    ],
};

/// Which jurisdictions a list holds (values within a field OR, fields AND).
#[derive(Debug, Clone, Default)]
pub struct JurisdictionFilter {
    /// Levels.
    pub levels: Vec<String>,
    /// Parent jurisdiction ids (direct children only).
    pub parents: Vec<String>,
    /// GB/T 2260 codes (exact).
    pub codes: Vec<String>,
    /// Only jurisdictions holding at least one document themselves (`true`) or none
    /// (`false`).
    pub has_documents: Option<bool>,
}

/// A jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionRecord {
    /// Jurisdiction id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Level.
    pub level: String,
    /// Parent jurisdiction id.
    pub parent: Option<String>,
    /// Other names that identify it.
    pub aliases: Vec<String>,
    /// GB/T 2260 code, when known.
    pub code: Option<String>,
    /// Ids of the jurisdictions directly below it.
    pub children: Vec<String>,
    /// Documents of the jurisdiction itself.
    pub document_count: i64,
    /// Documents of the jurisdiction and every jurisdiction below it.
    pub document_count_with_children: i64,
}

#[derive(QueryableByName)]
struct JurisdictionRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    name_en: String,
    #[diesel(sql_type = Text)]
    level: String,
    #[diesel(sql_type = Nullable<Text>)]
    parent_id: Option<String>,
    #[diesel(sql_type = Text)]
    aliases: String,
    #[diesel(sql_type = Nullable<Text>)]
    code: Option<String>,
    #[diesel(sql_type = BigInt)]
    document_count: i64,
    #[diesel(sql_type = Text)]
    sort_key: String,
}

impl Keyed for JurisdictionRow {
    fn sort_key(&self) -> &str {
        &self.sort_key
    }
}

#[derive(QueryableByName)]
struct PairRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct TreeCountRow {
    #[diesel(sql_type = Text)]
    root: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn columns() -> String {
    format!(
        "j.id AS id, j.name AS name, j.name_en AS name_en, j.level AS level, \
         j.parent_id AS parent_id, j.aliases AS aliases, j.code AS code, \
         {DOCUMENT_COUNT} AS document_count"
    )
}

fn base(filter: &JurisdictionFilter) -> Base {
    let mut conditions = Sql::default();
    and_in(&mut conditions, "j.level", &filter.levels);
    and_in(&mut conditions, "j.parent_id", &filter.parents);
    and_in(&mut conditions, "j.code", &filter.codes);
    match filter.has_documents {
        Some(true) => {
            conditions.push(" AND ").push(HAS_DOCUMENTS);
        }
        Some(false) => {
            conditions.push(" AND NOT ").push(HAS_DOCUMENTS);
        }
        None => {}
    }
    Base {
        from: "jurisdictions j",
        id: "j.id",
        conditions,
        search: Sql::default(),
    }
}

fn facet(name: &str) -> Option<FacetSql> {
    Some(match name {
        "level" => FacetSql::plain("j.level", "j.level"),
        "parent" => FacetSql::joined(
            "j.parent_id",
            "fp.name",
            "LEFT JOIN jurisdictions fp ON fp.id = j.parent_id",
        ),
        _ => return None,
    })
}

/// Lists jurisdictions: page, exact total, children and document counts below the page's
/// jurisdictions in one statement each, and the requested facets.
pub fn list(
    conn: &mut SqliteConnection,
    request: &ListRequest<JurisdictionFilter>,
) -> QueryResult<Page<JurisdictionRecord>> {
    let filter = &request.filter;
    check_values(
        conn,
        &[
            Check {
                param: "level",
                table: "jurisdictions",
                column: "level",
                values: &filter.levels,
                ids_of: None,
            },
            Check {
                param: "parent",
                table: "jurisdictions",
                column: "id",
                values: &filter.parents,
                ids_of: Some("jurisdictions"),
            },
            Check {
                param: "code",
                table: "jurisdictions",
                column: "code",
                values: &filter.codes,
                ids_of: Some("jurisdictions"),
            },
        ],
    )
    .map_err(codes_listed)?;
    let base = base(filter);
    let (rows, next) = base.page::<JurisdictionRow, _>(conn, &columns(), request)?;
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

/// Refers an unknown `code` to the codes listed at `/v1/jurisdictions` (there are thousands;
/// the other checks keep what they report).
fn codes_listed(error: QueryError) -> QueryError {
    match error {
        QueryError::UnknownValues(mut unknown) => {
            for value in &mut unknown {
                if value.param == "code" {
                    value.allowed = Allowed::FieldOf {
                        field: "code",
                        resource: "jurisdictions",
                    };
                }
            }
            QueryError::UnknownValues(unknown)
        }
        other => other,
    }
}

/// One jurisdiction by id.
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<JurisdictionRecord> {
    let mut sql = Sql::new("SELECT ");
    sql.push(&columns())
        .push(", '' AS sort_key FROM jurisdictions j WHERE j.id = ")
        .text(id);
    let rows: Vec<JurisdictionRow> = sql.load(conn)?;
    complete(conn, rows)?
        .into_iter()
        .next()
        .ok_or_else(|| QueryError::NotFound {
            resource: "jurisdiction",
            id: id.to_owned(),
        })
}

/// Adds children and the document counts of whole subtrees: one statement each.
fn complete(
    conn: &mut SqliteConnection,
    rows: Vec<JurisdictionRow>,
) -> QueryResult<Vec<JurisdictionRecord>> {
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let mut sql =
        Sql::new("SELECT parent_id AS key, id AS value FROM jurisdictions WHERE parent_id IN ");
    sql.list(&ids).push(" ORDER BY parent_id, position, id");
    let child_rows: Vec<PairRow> = sql.load(conn)?;
    let mut sql =
        Sql::new("WITH RECURSIVE tree(root, id) AS (SELECT id, id FROM jurisdictions WHERE id IN ");
    sql.list(&ids).push(
        " UNION SELECT tree.root, j.id FROM jurisdictions j JOIN tree ON j.parent_id = tree.id) \
         SELECT tree.root AS root, COUNT(d.id) AS count FROM tree \
         JOIN documents d ON d.jurisdiction_id = tree.id GROUP BY tree.root",
    );
    let tree_counts: Vec<TreeCountRow> = sql.load(conn)?;

    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for row in child_rows {
        children.entry(row.key).or_default().push(row.value);
    }
    let totals: HashMap<String, i64> = tree_counts
        .into_iter()
        .map(|row| (row.root, row.count))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| JurisdictionRecord {
            children: children.remove(&row.id).unwrap_or_default(),
            document_count_with_children: totals.get(&row.id).copied().unwrap_or(0),
            aliases: super::json_strings(&row.aliases),
            code: row.code,
            id: row.id,
            name: row.name,
            name_en: row.name_en,
            level: row.level,
            parent: row.parent_id,
            document_count: row.document_count,
        })
        .collect())
}

//! Jurisdictions: the tree of places documents and agencies belong to.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    read_model, Condition, Example, FacetSpec, FilterField, ListSpec, QueryResult, SortField, Sql,
    Takes,
};

/// SQL for the number of documents of a jurisdiction itself (alias `j`).
const DOCUMENT_COUNT: &str = "(SELECT COUNT(*) FROM documents sd WHERE sd.jurisdiction_id = j.id)";

/// Jurisdiction lists: their filters, sort fields and facets.
pub static SPEC: ListSpec = ListSpec {
    name: "jurisdictions",
    record: "jurisdiction",
    from: "jurisdictions j",
    id: "j.id",
    search: None,
    filters: &[
        FilterField::new(
            "level",
            Takes::Texts,
            Condition::In("j.level"),
            "Only jurisdictions of this level (`national`, `province`, `municipality`, \
             `prefecture`, `district`, `county`).",
        )
        .vocabulary("jurisdictions", "level")
        .example(Example::Texts(&["district"])),
        FilterField::new(
            "parent",
            Takes::Texts,
            Condition::In("j.parent_id"),
            "Only the jurisdictions directly below these.",
        )
        .ids_of("jurisdictions", "id", "jurisdictions")
        .example(Example::Texts(&["chongqing"])),
        FilterField::new(
            "code",
            Takes::DivisionCodes,
            Condition::In("j.code"),
            "Only the jurisdictions with this GB/T 2260 code: six digits, exact (`310000` is \
             上海市, `000000` the nation). A code no jurisdiction has is a 400.",
        )
        .field_of("jurisdictions", "code", "code", "jurisdictions")
        .example(Example::Texts(&["310000"])),
        FilterField::new(
            "has_documents",
            Takes::Boolean,
            Condition::Holds(
                "EXISTS (SELECT 1 FROM documents hd WHERE hd.jurisdiction_id = j.id)",
                "NOT EXISTS (SELECT 1 FROM documents hd WHERE hd.jurisdiction_id = j.id)",
            ),
            "`true`: only jurisdictions that hold at least one document themselves (not \
             counting the jurisdictions below them; `document_count` > 0); `false`: only \
             those that hold none.",
        )
        .example(Example::Boolean(true)),
    ],
    sort_fields: &[
        SortField::int(
            "position",
            "j.position",
            "order of the data file (each jurisdiction after its parent)",
        ),
        SortField::text("id", "j.id", "jurisdiction id"),
        SortField::text("name", "j.name", "Chinese name"),
        SortField::text(
            "level",
            "j.level",
            "level (`national`, `municipality`, `district` …)",
        ),
        SortField::text(
            "code",
            "j.code",
            "GB/T 2260 code (jurisdictions without one come last)",
        )
        .or_null(),
        SortField::int(
            "documents",
            DOCUMENT_COUNT,
            "number of documents of the jurisdiction itself",
        ),
    ],
    default_sort: &["position"],
    examples: ("-documents", "level"),
    facets: &[
        FacetSpec::new("level", "j.level", "j.level", "jurisdictions per level"),
        FacetSpec::new(
            "parent",
            "j.parent_id",
            "fp.name",
            "jurisdictions per parent jurisdiction",
        )
        .joined("LEFT JOIN jurisdictions fp ON fp.id = j.parent_id"),
    ],
};

/// A place documents and agencies belong to; jurisdictions form a tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = JurisdictionView)]
pub struct JurisdictionRecord {
    /// Jurisdiction id.
    #[schema(example = "chongqing-yubei")]
    pub id: String,
    /// Chinese name.
    #[schema(example = "渝北区")]
    pub name: String,
    /// English name.
    #[schema(example = "Yubei District, Chongqing")]
    pub name_en: String,
    /// `national`, `province`, `municipality`, `prefecture`, `district` or `county`.
    #[schema(example = "district")]
    pub level: String,
    /// Parent jurisdiction id.
    #[schema(example = "chongqing")]
    pub parent: Option<String>,
    /// Other names that identify it.
    pub aliases: Vec<String>,
    /// GB/T 2260 code of the division (`000000` for the nation), where known.
    #[schema(example = "500112")]
    pub code: Option<String>,
    /// Ids of the jurisdictions directly below.
    pub children: Vec<String>,
    /// Documents of this jurisdiction itself.
    pub document_count: i64,
    /// Documents of this jurisdiction and all below it (what `jurisdiction=` filters match).
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

read_model! {
    /// Lists jurisdictions: page, exact total, children and subtree counts of the page's
    /// jurisdictions, and the requested facets.
    JurisdictionRow => JurisdictionRecord, columns columns(), with complete;
    /// One jurisdiction by id.
    get
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

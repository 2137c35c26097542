//! Themes: the controlled vocabulary measures are tagged with.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;

use super::{read_model, record_of, ListSpec, QueryResult, SortField, Sql};

/// SQL for the number of measures tagged with a theme (alias `t`).
const MEASURE_COUNT: &str = "(SELECT COUNT(*) FROM measure_themes smt WHERE smt.theme_id = t.id)";

/// Theme lists: their sort fields (themes have no filters and no facets).
pub static SPEC: ListSpec = ListSpec {
    name: "themes",
    record: "theme",
    from: "themes t",
    id: "t.id",
    search: None,
    filters: &[],
    sort_fields: &[
        SortField::int(
            "position",
            "t.position",
            "order of the controlled vocabulary",
        ),
        SortField::text("id", "t.id", "theme id"),
        SortField::text("name", "t.name", "Chinese name"),
        SortField::text("name_en", "t.name_en", "English name"),
        SortField::int(
            "measures",
            MEASURE_COUNT,
            "number of measures tagged with the theme",
        ),
    ],
    default_sort: &["position"],
    examples: ("-measures", ""),
    facets: &[],
};

/// The keyword rules that tag a measure with a theme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[schema(as = KeywordsView)]
pub struct Keywords {
    /// One occurrence tags the measure.
    #[serde(default)]
    #[schema(required = true)]
    pub strong: Vec<String>,
    /// Tag when one is in the title or two different ones are in the text.
    #[serde(default)]
    #[schema(required = true)]
    pub weak: Vec<String>,
}

/// A theme of the controlled vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ThemeView)]
pub struct ThemeRecord {
    /// Theme id.
    #[schema(example = "online-healthcare")]
    pub id: String,
    /// Chinese name.
    #[schema(example = "在线医疗")]
    pub name: String,
    /// English name.
    #[schema(example = "Online healthcare")]
    pub name_en: String,
    /// What the theme covers.
    pub description: String,
    /// How measures are tagged with it.
    pub keywords: Keywords,
    /// Number of measures tagged with it.
    pub measure_count: i64,
}

/// How many of a document's measures carry a theme.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = ThemeDocumentView)]
pub struct ThemeDocumentCount {
    /// Document id.
    #[diesel(sql_type = Text)]
    pub document: String,
    /// Document title.
    #[diesel(sql_type = Text)]
    pub title: String,
    /// Jurisdiction id of the document.
    #[diesel(sql_type = Nullable<Text>)]
    pub jurisdiction: Option<String>,
    /// Jurisdiction name.
    #[diesel(sql_type = Nullable<Text>)]
    pub jurisdiction_name: Option<String>,
    /// Measures of the document tagged with the theme.
    #[diesel(sql_type = BigInt)]
    pub count: i64,
    /// All measures of the document (for shares).
    #[diesel(sql_type = BigInt)]
    pub measures: i64,
}

/// A theme with its measure counts per document, for theme × jurisdiction comparisons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ThemeDetailView)]
pub struct ThemeDetail {
    /// The theme.
    #[serde(flatten)]
    pub theme: ThemeRecord,
    /// Every document with the number of its measures tagged with the theme (0 included).
    pub documents: Vec<ThemeDocumentCount>,
}

#[derive(QueryableByName)]
struct ThemeRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    name_en: String,
    #[diesel(sql_type = Text)]
    description: String,
    #[diesel(sql_type = Text)]
    keywords: String,
    #[diesel(sql_type = BigInt)]
    measure_count: i64,
}

impl ThemeRow {
    fn into_record(self) -> ThemeRecord {
        ThemeRecord {
            keywords: serde_json::from_str(&self.keywords).unwrap_or_default(),
            id: self.id,
            name: self.name,
            name_en: self.name_en,
            description: self.description,
            measure_count: self.measure_count,
        }
    }
}

fn columns() -> String {
    format!(
        "t.id AS id, t.name AS name, t.name_en AS name_en, t.description AS description, \
         t.keywords AS keywords, {MEASURE_COUNT} AS measure_count"
    )
}

read_model! {
    /// Lists themes: page, exact total and their measure counts.
    ThemeRow => ThemeRecord, columns columns(), each ThemeRow::into_record
}

/// One theme with its measure counts per document (two statements).
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<ThemeDetail> {
    let theme = record_of::<ThemeRow>(conn, id)?;
    let mut sql = Sql::new(
        "SELECT d.id AS document, d.title AS title, d.jurisdiction_id AS jurisdiction, \
         j.name AS jurisdiction_name, \
         (SELECT COUNT(*) FROM measures m JOIN measure_themes mt ON mt.measure_id = m.id \
          WHERE m.document_id = d.id AND mt.theme_id = ",
    );
    sql.text(id).push(
        ") AS count, d.measure_count AS measures FROM documents d \
         LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id ORDER BY d.id",
    );
    let documents: Vec<ThemeDocumentCount> = sql.load(conn)?;
    Ok(ThemeDetail { theme, documents })
}

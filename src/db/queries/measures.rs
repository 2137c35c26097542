//! Measures: the actionable units of the documents, with their agencies and themes.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};

use super::{
    and_in, and_in_ints, and_in_jurisdictions, check_values, ensure_exists, matches, Base, Check,
    FacetSpec, FacetSql, KeyKind, Keyed, ListRequest, ListSpec, NameKind, Page, PageContext,
    QueryError, QueryResult, SortField, SourceRecord, Sql, RELEVANCE_FIELD,
};
use crate::db::search::{CompiledQuery, SearchKind};

/// Roles an agency can have on a measure.
pub const ROLES: [&str; 5] = ["lead", "cooperating", "responsible", "guide", "participate"];

/// SQL giving the label of a role in `fa.role`: the Chinese term the documents use.
pub(crate) const ROLE_LABEL: &str =
    "CASE fa.role WHEN 'lead' THEN '牵头' WHEN 'cooperating' THEN '配合' \
    WHEN 'responsible' THEN '负责' WHEN 'guide' THEN '指导' WHEN 'participate' THEN '参与' \
    ELSE fa.role END";

/// Sorting and facets of measure lists.
pub static SPEC: ListSpec = ListSpec {
    name: "measures",
    sort_fields: &[
        SortField {
            name: "document",
            sql: "m.document_id",
            kind: KeyKind::Text,
            nullable: false,
            description: "document id",
        },
        SortField {
            name: "ordinal",
            sql: "m.ordinal",
            kind: KeyKind::Int,
            nullable: false,
            description: "position of the measure within its document",
        },
        SortField {
            name: "number",
            sql: "m.number",
            kind: KeyKind::Int,
            nullable: true,
            description: "item number as printed (measures without one come last)",
        },
        SortField {
            name: "title",
            sql: "m.title",
            kind: KeyKind::Text,
            nullable: true,
            description: "title (measures without one come last)",
        },
        SortField {
            name: "date",
            sql: "d.date",
            kind: KeyKind::Text,
            nullable: true,
            description: "date of the document",
        },
        SortField {
            name: "id",
            sql: "m.id",
            kind: KeyKind::Text,
            nullable: false,
            description: "measure id",
        },
        RELEVANCE_FIELD,
    ],
    default_sort: &["document", "ordinal"],
    facets: &[
        FacetSpec {
            name: "document",
            description: "measures per document",
        },
        FacetSpec {
            name: "jurisdiction",
            description: "measures per jurisdiction of their document",
        },
        FacetSpec {
            name: "agency",
            description: "measures per agency (restricted to the roles of a `role` filter)",
        },
        FacetSpec {
            name: "role",
            description:
                "measures per agency role (restricted to the agencies of an `agency` filter)",
        },
        FacetSpec {
            name: "theme",
            description: "measures per theme",
        },
        FacetSpec {
            name: "year",
            description: "measures per year of their document",
        },
    ],
};

/// Which measures a list holds. Values within a field are alternatives (OR); fields combine
/// with AND. `agency` and `role` apply to the same agency link: `agency=a&role=lead` means
/// "measures that agency a leads".
#[derive(Debug, Clone, Default)]
pub struct MeasureFilter {
    /// Document ids.
    pub documents: Vec<String>,
    /// Jurisdiction ids (each includes the jurisdictions below it).
    pub jurisdictions: Vec<String>,
    /// Agency ids.
    pub agencies: Vec<String>,
    /// Roles (see [`ROLES`]).
    pub roles: Vec<String>,
    /// Theme ids.
    pub themes: Vec<String>,
    /// Years of the document.
    pub years: Vec<i32>,
    /// Earliest deadline date, ISO `YYYY-MM-DD`, inclusive: with
    /// [`MeasureFilter::deadline_to`], the measure must have one deadline in the range.
    pub deadline_from: Option<String>,
    /// Latest deadline date, ISO `YYYY-MM-DD`, inclusive.
    pub deadline_to: Option<String>,
    /// Full-text search over the title and text.
    pub q: Option<CompiledQuery>,
}

/// The record a list is scoped to, for sub-resource lists such as
/// `/v1/documents/{id}/measures`. A scope that names no record fails with
/// [`QueryError::NotFound`]; a scoped agency is the agency the `role` filter applies to.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every measure.
    All,
    /// The measures of one document.
    Document(String),
    /// The measures one agency is named on.
    Agency(String),
}

/// An agency named on a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureAgency {
    /// Agency id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Role on this measure.
    pub role: String,
    /// The name as printed in the annotation.
    pub raw_name: String,
    /// Where the name stands in the document.
    pub source: SourceRecord,
}

/// A time-bound commitment of a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureDeadline {
    /// The phrase as printed: `2019年6月底前`.
    pub text: String,
    /// The last day of the period it names, ISO `YYYY-MM-DD`, when a year is known.
    pub date: Option<String>,
    /// Where the phrase stands in the document.
    pub source: SourceRecord,
}

/// A theme a measure is tagged with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureTheme {
    /// Theme id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
}

/// A measure with its agencies and themes.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureRecord {
    /// Measure id.
    pub id: String,
    /// Document id.
    pub document: String,
    /// Jurisdiction of the document.
    pub jurisdiction: Option<String>,
    /// 1-based position within the document.
    pub ordinal: i64,
    /// Item number, where the measure is a numbered item.
    pub number: Option<i64>,
    /// Label as printed.
    pub label: String,
    /// Title, if any.
    pub title: Option<String>,
    /// Normalized text, annotation excluded.
    pub text: String,
    /// Headings above the measure, outermost first.
    pub path: Vec<String>,
    /// The agency annotation as printed.
    pub annotation: Option<String>,
    /// Agencies in annotation order.
    pub agencies: Vec<MeasureAgency>,
    /// Themes in vocabulary order.
    pub themes: Vec<MeasureTheme>,
    /// Deadlines in reading order.
    pub deadlines: Vec<MeasureDeadline>,
    /// Where the measure stands in the document.
    pub source: SourceRecord,
}

#[derive(QueryableByName)]
struct MeasureRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    document_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    jurisdiction_id: Option<String>,
    #[diesel(sql_type = BigInt)]
    ordinal: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    number: Option<i64>,
    #[diesel(sql_type = Text)]
    label: String,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Text)]
    text: String,
    #[diesel(sql_type = Text)]
    path: String,
    #[diesel(sql_type = Nullable<Text>)]
    annotation: Option<String>,
    #[diesel(sql_type = BigInt)]
    span_start: i64,
    #[diesel(sql_type = BigInt)]
    span_end: i64,
    #[diesel(sql_type = BigInt)]
    line_start: i64,
    #[diesel(sql_type = BigInt)]
    line_end: i64,
    #[diesel(sql_type = Text)]
    agencies_json: String,
    #[diesel(sql_type = Text)]
    themes_json: String,
    #[diesel(sql_type = Text)]
    deadlines_json: String,
    #[diesel(sql_type = Text)]
    sort_key: String,
}

impl Keyed for MeasureRow {
    fn sort_key(&self) -> &str {
        &self.sort_key
    }
}

const COLUMNS: &str = "m.id AS id, m.document_id AS document_id, \
    d.jurisdiction_id AS jurisdiction_id, m.ordinal AS ordinal, m.number AS number, \
    m.label AS label, m.title AS title, m.text AS text, m.path AS path, \
    m.annotation AS annotation, m.span_start AS span_start, m.span_end AS span_end, \
    m.line_start AS line_start, m.line_end AS line_end, \
    m.agencies AS agencies_json, m.themes AS themes_json, m.deadlines AS deadlines_json";

const FROM: &str = "measures m JOIN documents d ON d.id = m.document_id";

fn base(filter: &MeasureFilter) -> Base {
    let mut conditions = Sql::default();
    and_in(&mut conditions, "m.document_id", &filter.documents);
    and_in_jurisdictions(&mut conditions, "d.jurisdiction_id", &filter.jurisdictions);
    if !filter.agencies.is_empty() || !filter.roles.is_empty() {
        // `IN` rather than a correlated `EXISTS`, so that SQLite can start from the links of
        // the agency (a few rows) instead of testing every measure.
        conditions.push(" AND m.id IN (SELECT ma.measure_id FROM measure_agencies ma WHERE 1 = 1");
        and_in(&mut conditions, "ma.agency_id", &filter.agencies);
        and_in(&mut conditions, "ma.role", &filter.roles);
        conditions.push(")");
    }
    if !filter.themes.is_empty() {
        conditions.push(
            " AND EXISTS (SELECT 1 FROM measure_themes mt WHERE mt.measure_id = m.id AND mt.theme_id IN ",
        );
        conditions.list(&filter.themes).push(")");
    }
    and_in_ints(&mut conditions, "d.year", &filter.years);
    if filter.deadline_from.is_some() || filter.deadline_to.is_some() {
        // One deadline must fall in the whole range; `IN` lets SQLite read the range off the
        // date index. Deadlines without a date never match.
        conditions
            .push(" AND m.id IN (SELECT dl.measure_id FROM deadlines dl WHERE dl.date IS NOT NULL");
        if let Some(from) = &filter.deadline_from {
            conditions.push(" AND dl.date >= ").text(from.clone());
        }
        if let Some(to) = &filter.deadline_to {
            conditions.push(" AND dl.date <= ").text(to.clone());
        }
        conditions.push(")");
    }
    let search = matches("m.id", SearchKind::Measure, filter.q.as_ref());
    Base {
        from: FROM,
        id: "m.id",
        conditions,
        search,
    }
}

fn facet(name: &str, filter: &MeasureFilter) -> Option<FacetSql> {
    Some(match name {
        "document" => FacetSql::plain("m.document_id", "d.title"),
        "jurisdiction" => FacetSql::joined(
            "d.jurisdiction_id",
            "fj.name",
            "LEFT JOIN jurisdictions fj ON fj.id = d.jurisdiction_id",
        ),
        "agency" => {
            let mut joins = Sql::new("JOIN measure_agencies fa ON fa.measure_id = m.id");
            and_in(&mut joins, "fa.role", &filter.roles);
            joins.push(" JOIN agencies fag ON fag.id = fa.agency_id");
            FacetSql {
                value: "fa.agency_id",
                label: "fag.name",
                joins,
            }
        }
        "role" => {
            let mut joins = Sql::new("JOIN measure_agencies fa ON fa.measure_id = m.id");
            and_in(&mut joins, "fa.agency_id", &filter.agencies);
            FacetSql {
                value: "fa.role",
                label: ROLE_LABEL,
                joins,
            }
        }
        "theme" => FacetSql::joined(
            "fmt.theme_id",
            "ft.name",
            "JOIN measure_themes fmt ON fmt.measure_id = m.id JOIN themes ft ON ft.id = fmt.theme_id",
        ),
        "year" => FacetSql::plain("d.year", "d.year"),
        _ => return None,
    })
}

/// Lists measures: page, exact total, the agencies and themes of the page's measures in one
/// statement each, and the requested facets.
pub fn list(
    conn: &mut SqliteConnection,
    scope: &Scope,
    request: &ListRequest<MeasureFilter>,
) -> QueryResult<Page<MeasureRecord>> {
    let mut scoped = request.filter.clone();
    match scope {
        Scope::All => {}
        Scope::Document(id) => {
            ensure_exists(conn, "documents", "document", id)?;
            scoped.documents = vec![id.clone()];
        }
        Scope::Agency(id) => {
            ensure_exists(conn, "agencies", "agency", id)?;
            scoped.agencies = vec![id.clone()];
        }
    }
    let filter = &request.filter;
    check_values(
        conn,
        &[
            Check {
                param: "document",
                table: "documents",
                column: "id",
                values: &filter.documents,
                ids_of: Some("documents"),
            },
            Check {
                param: "jurisdiction",
                table: "jurisdictions",
                column: "id",
                values: &filter.jurisdictions,
                ids_of: Some("jurisdictions"),
            },
            Check {
                param: "agency",
                table: "agencies",
                column: "id",
                values: &filter.agencies,
                ids_of: Some("agencies"),
            },
            Check {
                param: "theme",
                table: "themes",
                column: "id",
                values: &filter.themes,
                ids_of: None,
            },
        ],
    )?;
    let filter = &scoped;
    let base = base(filter);
    let (rows, next) = base.page_ranked::<MeasureRow, _>(
        conn,
        COLUMNS,
        request,
        filter.q.as_ref(),
        SearchKind::Measure,
    )?;
    let total = base.total(conn)?;
    let items = complete(conn, rows)?;
    let facets = base.facets(conn, &request.facets, |name| facet(name, filter))?;
    Ok(Page {
        items,
        total,
        next,
        facets,
    })
}

/// One measure by id.
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<MeasureRecord> {
    let mut sql = Sql::new("SELECT ");
    sql.push(COLUMNS)
        .push(", '' AS sort_key FROM ")
        .push(FROM)
        .push(" WHERE m.id = ")
        .text(id);
    let rows: Vec<MeasureRow> = sql.load(conn)?;
    complete(conn, rows)?
        .into_iter()
        .next()
        .ok_or_else(|| QueryError::NotFound {
            resource: "measure",
            id: id.to_owned(),
        })
}

/// An agency link as the `measures.agencies` column holds it.
#[derive(serde::Deserialize)]
struct StoredAgency {
    id: String,
    role: String,
    raw_name: String,
    start: i64,
    end: i64,
    line_start: i64,
    line_end: i64,
}

/// A deadline as the `measures.deadlines` column holds it.
#[derive(serde::Deserialize)]
struct StoredDeadline {
    text: String,
    date: Option<String>,
    start: i64,
    end: i64,
    line_start: i64,
    line_end: i64,
}

/// A measure row with its JSON columns read.
struct Stored {
    row: MeasureRow,
    agencies: Vec<StoredAgency>,
    themes: Vec<String>,
    deadlines: Vec<StoredDeadline>,
}

/// Turns measure rows into records: the agencies, themes and deadlines each row carries (see
/// the `measures.agencies`, `measures.themes` and `measures.deadlines` columns), completed in
/// one statement for the page with the names of the agencies and themes and the verbatim
/// text of every span, cut out of the documents' source texts.
fn complete(conn: &mut SqliteConnection, rows: Vec<MeasureRow>) -> QueryResult<Vec<MeasureRecord>> {
    let stored = rows
        .into_iter()
        .map(|row| {
            Ok(Stored {
                agencies: json_column(&row.agencies_json)?,
                themes: json_column(&row.themes_json)?,
                deadlines: json_column(&row.deadlines_json)?,
                row,
            })
        })
        .collect::<QueryResult<Vec<_>>>()?;
    let context = PageContext::load(
        conn,
        stored
            .iter()
            .map(|measure| measure.row.document_id.as_str()),
        stored
            .iter()
            .flat_map(|measure| measure.agencies.iter().map(|agency| agency.id.as_str())),
        stored
            .iter()
            .flat_map(|measure| measure.themes.iter().map(String::as_str)),
    )?;
    Ok(stored
        .into_iter()
        .map(|measure| record(measure, &context))
        .collect())
}

/// Reads a JSON column written by the loader; content that does not parse is an error, never
/// an empty list, so that no link is silently dropped.
fn json_column<T: serde::de::DeserializeOwned>(text: &str) -> QueryResult<T> {
    serde_json::from_str(text).map_err(|error| {
        QueryError::Database(diesel::result::Error::DeserializationError(Box::new(error)))
    })
}

fn record(stored: Stored, context: &PageContext) -> MeasureRecord {
    let Stored {
        row,
        agencies,
        themes,
        deadlines,
    } = stored;
    let span = |start, end, line_start, line_end| {
        let mut source = SourceRecord {
            document: row.document_id.clone(),
            start,
            end,
            line_start,
            line_end,
            verbatim: String::new(),
        };
        context.quote(&mut source);
        source
    };
    let agencies = agencies
        .into_iter()
        .map(|agency| {
            let (name, name_en) = context
                .name(NameKind::Agency, &agency.id)
                .cloned()
                .unwrap_or_default();
            MeasureAgency {
                source: span(agency.start, agency.end, agency.line_start, agency.line_end),
                id: agency.id,
                name,
                name_en,
                role: agency.role,
                raw_name: agency.raw_name,
            }
        })
        .collect();
    let themes = themes
        .into_iter()
        .map(|id| {
            let (name, name_en) = context
                .name(NameKind::Theme, &id)
                .cloned()
                .unwrap_or_default();
            MeasureTheme {
                id,
                name,
                name_en: name_en.unwrap_or_default(),
            }
        })
        .collect();
    let deadlines = deadlines
        .into_iter()
        .map(|deadline| MeasureDeadline {
            source: span(
                deadline.start,
                deadline.end,
                deadline.line_start,
                deadline.line_end,
            ),
            text: deadline.text,
            date: deadline.date,
        })
        .collect();
    MeasureRecord {
        source: span(row.span_start, row.span_end, row.line_start, row.line_end),
        agencies,
        themes,
        deadlines,
        path: super::json_strings(&row.path),
        id: row.id,
        document: row.document_id,
        jurisdiction: row.jurisdiction_id,
        ordinal: row.ordinal,
        number: row.number,
        label: row.label,
        title: row.title,
        text: row.text,
        annotation: row.annotation,
    }
}

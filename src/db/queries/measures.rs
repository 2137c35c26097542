//! Measures: the actionable units of the documents, with their agencies and themes.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    read_model, Condition, Example, FacetSpec, FilterField, ListSpec, NameKind, PageContext,
    QueryError, QueryResult, SortField, SourceRecord, Subquery, Takes, RELEVANCE_FIELD,
};
use crate::corpus::model::Role;
use crate::db::search::SearchKind;

/// SQL giving the label of a role in `fa.role`: the Chinese term the documents use.
pub(crate) const ROLE_LABEL: &str =
    "CASE fa.role WHEN 'lead' THEN '牵头' WHEN 'cooperating' THEN '配合' \
    WHEN 'responsible' THEN '负责' WHEN 'guide' THEN '指导' WHEN 'participate' THEN '参与' \
    ELSE fa.role END";

/// The agency links of measures, which `agency` and `role` look into together:
/// `agency=a&role=lead` means "measures that agency a leads". `IN` rather than a correlated
/// `EXISTS`, so that SQLite can start from the links of the agency (a few rows) instead of
/// testing every measure.
static AGENCY_LINKS: Subquery = Subquery {
    open: " AND m.id IN (SELECT ma.measure_id FROM measure_agencies ma WHERE 1 = 1",
    close: ")",
};

/// The theme links of a measure.
static THEME_LINKS: Subquery = Subquery {
    open: " AND EXISTS (SELECT 1 FROM measure_themes mt WHERE mt.measure_id = m.id",
    close: ")",
};

/// The dated deadlines of measures: with `deadline_from` and `deadline_to` one deadline must
/// fall in the whole range; `IN` lets SQLite read the range off the date index.
static DATED_DEADLINES: Subquery = Subquery {
    open: " AND m.id IN (SELECT dl.measure_id FROM deadlines dl WHERE dl.date IS NOT NULL",
    close: ")",
};

/// Measure lists: their filters, sort fields and facets.
pub static SPEC: ListSpec = ListSpec {
    name: "measures",
    record: "measure",
    from: FROM,
    id: "m.id",
    search: Some(SearchKind::Measure),
    filters: &[
        FilterField::document(
            "m.document_id",
            "Only measures of these documents (document ids from `/v1/documents`). Repeat \
             the parameter for several: `document=a&document=b`.",
            &["yubei-2020-online-economy-plan"],
        ),
        FilterField::jurisdiction(
            "d.jurisdiction_id",
            "Only measures of documents of these jurisdictions; a jurisdiction includes \
             those below it, so `chongqing` also returns the measures of Yubei District. Ids \
             from `/v1/jurisdictions`.",
            &["chongqing"],
        ),
        FilterField::new(
            "agency",
            Takes::Texts,
            Condition::Within(&AGENCY_LINKS, &Condition::In("ma.agency_id")),
            "Only measures naming these agencies (ids from `/v1/agencies`). Combined with \
             `role`, the agency must have that role: `agency=X&role=lead` lists the measures \
             X leads.",
        )
        .ids_of("agencies", "id", "agencies")
        .example(Example::Texts(&["yubei-urban-management-bureau"])),
        FilterField::new(
            "role",
            Takes::OneOf(&Role::NAMES),
            Condition::Within(&AGENCY_LINKS, &Condition::In("ma.role")),
            "Only measures with an agency in this role: `lead` (牵头), `cooperating` (配合), \
             `responsible` (负责), `guide` (指导), `participate` (参与).",
        )
        .example(Example::Texts(&["lead"])),
        FilterField::new(
            "theme",
            Takes::Texts,
            Condition::Within(&THEME_LINKS, &Condition::In("mt.theme_id")),
            "Only measures tagged with these themes (ids from `/v1/themes`).",
        )
        .vocabulary("themes", "id")
        .example(Example::Texts(&["online-healthcare"])),
        FilterField::years(
            "d.year",
            "Only measures of documents issued in these years.",
            &[2020],
        ),
        FilterField::new(
            "deadline_from",
            Takes::Date,
            Condition::Within(&DATED_DEADLINES, &Condition::AtLeast("dl.date")),
            "Only measures with a deadline on or after this day (`YYYY-MM-DD`). With \
             `deadline_to`, one deadline must fall in the whole range. Deadlines without a \
             known date are left out.",
        )
        .example(Example::Text("2019-01-01")),
        FilterField::new(
            "deadline_to",
            Takes::Date,
            Condition::Within(&DATED_DEADLINES, &Condition::AtMost("dl.date")),
            "Only measures with a deadline on or before this day (`YYYY-MM-DD`): what is due \
             by then. `2019年6月底前` falls on 2019-06-30. Deadlines without a known date are \
             left out.",
        )
        .example(Example::Text("2019-12-31")),
        FilterField::search(
            "Full-text search in the title and text (see also `/v1/search`).",
            "医疗",
        ),
    ],
    sort_fields: &[
        SortField::text("document", "m.document_id", "document id"),
        SortField::int(
            "ordinal",
            "m.ordinal",
            "position of the measure within its document",
        ),
        SortField::int(
            "number",
            "m.number",
            "item number as printed (measures without one come last)",
        )
        .or_null(),
        SortField::text("title", "m.title", "title (measures without one come last)").or_null(),
        SortField::text("date", "d.date", "date of the document").or_null(),
        SortField::text("id", "m.id", "measure id"),
        RELEVANCE_FIELD,
    ],
    default_sort: &["document", "ordinal"],
    examples: ("-date,ordinal", "agency"),
    facets: &[
        FacetSpec::new(
            "document",
            "m.document_id",
            "d.title",
            "measures per document",
        ),
        FacetSpec::new(
            "jurisdiction",
            "d.jurisdiction_id",
            "fj.name",
            "measures per jurisdiction of their document",
        )
        .joined("LEFT JOIN jurisdictions fj ON fj.id = d.jurisdiction_id"),
        FacetSpec::new(
            "agency",
            "fa.agency_id",
            "fag.name",
            "measures per agency (restricted to the roles of a `role` filter)",
        )
        .joined(
            "JOIN measure_agencies fa ON fa.measure_id = m.id \
             JOIN agencies fag ON fag.id = fa.agency_id",
        )
        .narrowed_by("role", "fa.role"),
        FacetSpec::new(
            "role",
            "fa.role",
            ROLE_LABEL,
            "measures per agency role (restricted to the agencies of an `agency` filter)",
        )
        .joined("JOIN measure_agencies fa ON fa.measure_id = m.id")
        .narrowed_by("agency", "fa.agency_id"),
        FacetSpec::new("theme", "fmt.theme_id", "ft.name", "measures per theme").joined(
            "JOIN measure_themes fmt ON fmt.measure_id = m.id \
             JOIN themes ft ON ft.id = fmt.theme_id",
        ),
        FacetSpec::new(
            "year",
            "d.year",
            "d.year",
            "measures per year of their document",
        ),
    ],
};

/// An agency named on a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = MeasureAgencyView)]
pub struct MeasureAgency {
    /// Agency id (see `/v1/agencies/{id}`).
    #[schema(example = "yubei-urban-management-bureau")]
    pub id: String,
    /// Canonical name.
    #[schema(example = "重庆市渝北区城市管理局")]
    pub name: String,
    /// English name, where known.
    pub name_en: Option<String>,
    /// Role on this measure.
    #[schema(value_type = crate::corpus::model::Role)]
    pub role: String,
    /// The name exactly as the annotation printed it.
    #[schema(example = "区城市管理局")]
    pub raw_name: String,
    /// Where the printed name stands in the document (for a name a document states once for
    /// all measures, such as `以下均需…落实`, that statement).
    pub source: SourceRecord,
}

/// A time-bound commitment of a measure: `2019年6月底前`, `到2020年`, `6月底前完成`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = DeadlineView)]
pub struct MeasureDeadline {
    /// The phrase as printed.
    #[schema(example = "2019年6月底前")]
    pub text: String,
    /// The last day of the period the phrase names, `YYYY-MM-DD` (a phrase without a year
    /// takes the document's year); `null` when no year is known.
    #[schema(example = "2019-06-30")]
    pub date: Option<String>,
    /// Where the phrase stands in the document.
    pub source: SourceRecord,
}

/// A theme a measure is tagged with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ThemeRef)]
pub struct MeasureTheme {
    /// Theme id.
    #[schema(example = "online-healthcare")]
    pub id: String,
    /// Chinese name.
    #[schema(example = "在线医疗")]
    pub name: String,
    /// English name.
    #[schema(example = "Online healthcare")]
    pub name_en: String,
}

/// A measure: an actionable unit of a document, with the agencies charged with it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = MeasureView)]
pub struct MeasureRecord {
    /// Measure id: the document id and the position in the outline.
    #[schema(example = "yubei-2020-online-economy-plan--p5.s14.i25")]
    pub id: String,
    /// Document id.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Jurisdiction of the document.
    #[schema(example = "chongqing-yubei")]
    pub jurisdiction: Option<String>,
    /// Position among the document's measures (1-based).
    #[schema(example = 25)]
    pub ordinal: i64,
    /// Item number where the measure is a numbered item, else `null`.
    #[schema(example = 25)]
    pub number: Option<i64>,
    /// Label as printed: `25.` or `（五）`.
    #[schema(example = "25.")]
    pub label: String,
    /// Title (lead phrase), or `null`.
    pub title: Option<String>,
    /// Normalized text, agency annotation excluded.
    pub text: String,
    /// Headings of the outline above the measure, outermost first.
    pub path: Vec<String>,
    /// The agency annotation as printed, or `null`.
    pub annotation: Option<String>,
    /// Agencies named in the measure's annotations, in reading order, each with the source
    /// of its printed name.
    pub agencies: Vec<MeasureAgency>,
    /// Themes the measure is tagged with.
    pub themes: Vec<MeasureTheme>,
    /// Time-bound commitments in the measure, in reading order (`deadline_from` and
    /// `deadline_to` filter by their dates).
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
}

const COLUMNS: &str = "m.id AS id, m.document_id AS document_id, \
    d.jurisdiction_id AS jurisdiction_id, m.ordinal AS ordinal, m.number AS number, \
    m.label AS label, m.title AS title, m.text AS text, m.path AS path, \
    m.annotation AS annotation, m.span_start AS span_start, m.span_end AS span_end, \
    m.line_start AS line_start, m.line_end AS line_end, \
    m.agencies AS agencies_json, m.themes AS themes_json, m.deadlines AS deadlines_json";

const FROM: &str = "measures m JOIN documents d ON d.id = m.document_id";

read_model! {
    /// Lists measures (within `scope` when given): page, exact total, the agencies, themes
    /// and deadlines of the page's measures in one statement, and the requested facets.
    MeasureRow => MeasureRecord, columns COLUMNS, with complete;
    /// One measure by id.
    get
}

/// An agency link as the `measures.agencies` column holds it: the JSON array
/// `[id, role, raw_name, start, end, line_start, line_end]`, read field by field in order.
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

/// A deadline as the `measures.deadlines` column holds it: the JSON array
/// `[text, date, start, end, line_start, line_end]`, read field by field in order.
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

//! Documents: metadata, counts, the outline and the text.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Binary, Bool, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    read_model, record_of, Condition, Example, FacetSpec, FilterField, ListSpec, QueryResult,
    SortField, Sql, Takes, RELEVANCE_FIELD,
};
use crate::db::search::SearchKind;

/// Document statuses.
pub const STATUSES: [&str; 2] = ["final", "draft"];

/// Document lists: their filters, sort fields and facets.
pub static SPEC: ListSpec = ListSpec {
    name: "documents",
    record: "document",
    from: "documents d",
    id: "d.id",
    search: Some(SearchKind::Document),
    filters: &[
        FilterField::jurisdiction(
            "d.jurisdiction_id",
            "Only documents of these jurisdictions or of jurisdictions below them (ids from \
             `/v1/jurisdictions`): `chongqing` includes Yubei District's documents.",
            &["chongqing"],
        ),
        FilterField::new(
            "issuer",
            Takes::Texts,
            Condition::In("d.issuer"),
            "Only documents issued by this body, written exactly as in the `issuer` field.",
        )
        .vocabulary("documents", "issuer")
        .example(Example::Texts(&["重庆市人民政府办公厅"])),
        FilterField::new(
            "kind",
            Takes::Texts,
            Condition::In("d.kind"),
            "Only documents of this kind (实施方案, 行动计划, 实施意见, 工作方案, 复函 …), \
             written exactly as in the `kind` field.",
        )
        .vocabulary("documents", "kind")
        .example(Example::Texts(&["行动计划"])),
        FilterField::new(
            "status",
            Takes::OneOf(&STATUSES),
            Condition::In("d.status"),
            "Only final documents or only consultation drafts.",
        )
        .example(Example::Texts(&["draft"])),
        FilterField::years("d.year", "Only documents issued in these years.", &[2020]),
        FilterField::new(
            "date_from",
            Takes::Date,
            Condition::AtLeast("d.date"),
            "Only documents dated on or after this day (`YYYY-MM-DD`); undated documents \
             are left out.",
        )
        .example(Example::Text("2020-01-01")),
        FilterField::new(
            "date_to",
            Takes::Date,
            Condition::AtMost("d.date"),
            "Only documents dated on or before this day (`YYYY-MM-DD`); undated documents \
             are left out.",
        )
        .example(Example::Text("2020-12-31")),
        FilterField::search(
            "Full-text search in the header (title, number, issuer) and in the measures and \
             goals of the document: a document matches when its header or one of them \
             matches.",
            "\"线上业\"",
        ),
    ],
    sort_fields: &[
        SortField::text("id", "d.id", "document id"),
        SortField::text("title", "d.title", "title"),
        SortField::text(
            "date",
            "d.date",
            "date of issue (documents without one come last)",
        )
        .or_null(),
        SortField::int("year", "d.year", "year of issue").or_null(),
        SortField::text("jurisdiction", "d.jurisdiction_id", "jurisdiction id").or_null(),
        SortField::text("kind", "d.kind", "kind of document"),
        SortField::text("status", "d.status", "status (`draft` before `final`)"),
        SortField::int("measures", "d.measure_count", "number of measures"),
        SortField::int("goals", "d.goal_count", "number of goals"),
        SortField::int(
            "references",
            "d.reference_count",
            "number of references to other documents",
        ),
        RELEVANCE_FIELD,
    ],
    default_sort: &["id"],
    examples: ("-date", "status"),
    facets: &[
        FacetSpec::new(
            "jurisdiction",
            "d.jurisdiction_id",
            "fj.name",
            "documents per jurisdiction (the document's own, not its parents)",
        )
        .joined("LEFT JOIN jurisdictions fj ON fj.id = d.jurisdiction_id"),
        FacetSpec::new(
            "issuer",
            "d.issuer",
            "d.issuer",
            "documents per issuing body",
        ),
        FacetSpec::new("kind", "d.kind", "d.kind", "documents per kind"),
        FacetSpec::new(
            "status",
            "d.status",
            "CASE d.status WHEN 'draft' THEN '征求意见稿' ELSE d.status END",
            "documents per status",
        ),
        FacetSpec::new("year", "d.year", "d.year", "documents per year of issue"),
    ],
};

/// Counts of what the parser found in a document.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = DocumentCountsView)]
pub struct DocumentCounts {
    /// Measures.
    #[diesel(sql_type = BigInt, column_name = measure_count)]
    pub measures: i64,
    /// Goals.
    #[diesel(sql_type = BigInt, column_name = goal_count)]
    pub goals: i64,
    /// References to other documents.
    #[diesel(sql_type = BigInt, column_name = reference_count)]
    pub references: i64,
    /// Links between measures and agencies.
    #[diesel(sql_type = BigInt, column_name = agency_link_count)]
    pub agency_links: i64,
    /// Agency names the gazetteer could not resolve.
    #[diesel(sql_type = BigInt, column_name = unresolved_count)]
    pub unresolved_agencies: i64,
    /// Parser warnings.
    #[diesel(sql_type = BigInt, column_name = warning_count)]
    pub warnings: i64,
}

/// A policy document's metadata.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = DocumentView)]
pub struct DocumentRecord {
    /// Document id (the file name without `.txt`).
    #[diesel(sql_type = Text)]
    #[schema(example = "chongqing-2015-internet-plus-plan")]
    pub id: String,
    /// Title.
    #[diesel(sql_type = Text)]
    #[schema(example = "重庆市“互联网+”行动计划")]
    pub title: String,
    /// Issuing body as printed.
    #[diesel(sql_type = Nullable<Text>)]
    #[schema(example = "重庆市人民政府办公厅")]
    pub issuer: Option<String>,
    /// Jurisdiction id (see `/v1/jurisdictions`).
    #[diesel(sql_type = Nullable<Text>, column_name = jurisdiction_id)]
    #[schema(example = "chongqing")]
    pub jurisdiction: Option<String>,
    /// Document number (文号).
    #[diesel(sql_type = Nullable<Text>)]
    #[schema(example = "渝府办发〔2020〕25号")]
    pub doc_number: Option<String>,
    /// Date of issue, `YYYY-MM-DD`.
    #[diesel(sql_type = Nullable<Text>)]
    #[schema(example = "2015-12-31")]
    pub date: Option<String>,
    /// Year of issue.
    #[diesel(sql_type = Nullable<BigInt>)]
    #[schema(example = 2015)]
    pub year: Option<i64>,
    /// Kind of document: 实施方案, 行动计划, 实施意见, 工作方案, 复函 …
    #[diesel(sql_type = Text)]
    #[schema(example = "行动计划")]
    pub kind: String,
    /// `final`, or `draft` for a consultation draft (征求意见稿).
    #[diesel(sql_type = Text)]
    #[schema(example = "final")]
    pub status: String,
    /// First day of the consultation period of a draft.
    #[diesel(sql_type = Nullable<Text>)]
    pub consultation_start: Option<String>,
    /// Last day of the consultation period of a draft.
    #[diesel(sql_type = Nullable<Text>)]
    pub consultation_end: Option<String>,
    /// File name in the data folder.
    #[diesel(sql_type = Text)]
    pub file_name: String,
    /// Encoding the file's text was stored in: `UTF-8`, `GB18030` or `GBK` for text and
    /// HTML pages, `UTF-8` for DOCX, `UTF-16BE` (ToUnicode maps) for PDF.
    #[diesel(sql_type = Text)]
    #[schema(example = "UTF-8")]
    pub encoding: String,
    /// SHA-256 of the file's bytes, to check a copy against.
    #[diesel(sql_type = Text)]
    pub sha256: String,
    /// Format of the file as received: `txt`, `html` (also `.htm`), `docx` or `pdf`.
    #[diesel(sql_type = Text)]
    #[schema(example = "txt")]
    pub format: String,
    /// Name and version of the extractor that turned the file into the source text every
    /// span points into (`/v1/documents/{id}/text?source=true`).
    #[diesel(sql_type = Text)]
    #[schema(example = "zhengce-txt/1")]
    pub extractor: String,
    /// What the parser found.
    #[diesel(embed)]
    pub counts: DocumentCounts,
}

#[derive(QueryableByName)]
struct DocumentRow {
    #[diesel(embed)]
    record: DocumentRecord,
}

const COLUMNS: &str = "d.id AS id, d.title AS title, d.issuer AS issuer, \
    d.jurisdiction_id AS jurisdiction_id, d.doc_number AS doc_number, d.date AS date, \
    d.year AS year, d.kind AS kind, d.status AS status, \
    d.consultation_start AS consultation_start, d.consultation_end AS consultation_end, \
    d.file_name AS file_name, d.encoding AS encoding, d.sha256 AS sha256, \
    d.format AS format, d.extractor AS extractor, \
    d.measure_count AS measure_count, d.goal_count AS goal_count, \
    d.reference_count AS reference_count, d.agency_link_count AS agency_link_count, \
    d.unresolved_count AS unresolved_count, d.warning_count AS warning_count";

/// A byte and line span in a document's source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: i64,
    /// Byte offset one past the last byte.
    pub end: i64,
    /// First line (1-based).
    pub line_start: i64,
    /// Last line (1-based, inclusive).
    pub line_end: i64,
}

/// A node of a document's numbered outline (`一、` → `（一）` → `1.` → `（1）`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = OutlineNodeView)]
pub struct OutlineNode {
    /// Provision id; for a measure also its measure id.
    #[schema(example = "yubei-2020-online-economy-plan--p3")]
    pub id: String,
    /// `part`, `section`, `item` or `subitem`.
    #[schema(example = "part")]
    pub level: String,
    /// Label as printed.
    #[schema(example = "三、")]
    pub label: String,
    /// The number the label stands for (`（二十五）` → 25).
    #[schema(example = 3)]
    pub number: i64,
    /// Heading, or `null`.
    pub title: Option<String>,
    /// The node's own text, children excluded.
    pub text: String,
    /// Whether the node is a measure (see `/v1/measures/{id}`).
    pub is_measure: bool,
    /// Span covering the node and its children.
    pub span: Span,
    /// Nodes below, in document order.
    #[schema(no_recursion)]
    pub children: Vec<OutlineNode>,
}

#[derive(QueryableByName)]
struct ProvisionRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Text>)]
    parent_id: Option<String>,
    #[diesel(sql_type = Text)]
    level: String,
    #[diesel(sql_type = Text)]
    label: String,
    #[diesel(sql_type = BigInt)]
    number: i64,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Text)]
    text: String,
    #[diesel(sql_type = Bool)]
    is_measure: bool,
    #[diesel(sql_type = BigInt)]
    span_start: i64,
    #[diesel(sql_type = BigInt)]
    span_end: i64,
    #[diesel(sql_type = BigInt)]
    line_start: i64,
    #[diesel(sql_type = BigInt)]
    line_end: i64,
}

/// Something the parser noticed in a document.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = WarningView)]
pub struct WarningRecord {
    /// Kind: `unresolved_agency`, `measure_without_agencies`, `numbering_gap`,
    /// `unparsed_annotation`, `unknown_jurisdiction`, `conflicting_jurisdiction` (the
    /// issuer, document number, title or opening point to different jurisdictions),
    /// `unresolved_reference`, `legacy_encoding`, `missing_metadata`.
    #[diesel(sql_type = Text)]
    #[schema(example = "unresolved_agency")]
    pub kind: String,
    /// Line (1-based), where it applies.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub line: Option<i64>,
    /// Explanation.
    #[diesel(sql_type = Text)]
    pub message: String,
}

/// A document with its outline and the parser's warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = DocumentDetailView)]
pub struct DocumentDetail {
    /// Metadata.
    #[serde(flatten)]
    pub document: DocumentRecord,
    /// The numbered outline as a tree.
    pub outline: Vec<OutlineNode>,
    /// Parser warnings.
    pub warnings: Vec<WarningRecord>,
}

/// A document's text.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DocumentText {
    /// Normalized text.
    #[diesel(sql_type = Text)]
    pub text: String,
    /// File name.
    #[diesel(sql_type = Text)]
    pub file_name: String,
    /// Encoding of the raw bytes.
    #[diesel(sql_type = Text)]
    pub encoding: String,
}

/// A document's file exactly as received.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DocumentRaw {
    /// The bytes.
    #[diesel(sql_type = Binary)]
    pub raw: Vec<u8>,
    /// File name.
    #[diesel(sql_type = Text)]
    pub file_name: String,
    /// Encoding of the bytes.
    #[diesel(sql_type = Text)]
    pub encoding: String,
    /// File format: `txt`, `html`, `docx`, `pdf`.
    #[diesel(sql_type = Text)]
    pub format: String,
}

/// The text extracted from a document's file, which every span points into.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DocumentSource {
    /// The extracted text.
    #[diesel(sql_type = Text)]
    pub source: String,
}

read_model! {
    /// Lists documents: page, exact total and the requested facets.
    DocumentRow => DocumentRecord, columns COLUMNS, each |row: DocumentRow| row.record
}

/// One document with its outline and warnings (three statements).
pub fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<DocumentDetail> {
    let document = record_of::<DocumentRow>(conn, id)?;
    let mut sql = Sql::new(
        "SELECT p.id AS id, p.parent_id AS parent_id, p.level AS level, p.label AS label, \
         p.number AS number, p.title AS title, \
         COALESCE(p.text, m.text || COALESCE(m.annotation, ''), '') AS text, \
         p.is_measure AS is_measure, p.span_start AS span_start, p.span_end AS span_end, \
         p.line_start AS line_start, p.line_end AS line_end \
         FROM provisions p LEFT JOIN measures m ON p.text IS NULL AND m.id = p.id \
         WHERE p.document_id = ",
    );
    sql.text(id).push(" ORDER BY p.position");
    let provisions: Vec<ProvisionRow> = sql.load(conn)?;
    let mut sql = Sql::new("SELECT kind, line, message FROM warnings WHERE document_id = ");
    sql.text(id).push(" ORDER BY line IS NULL, line, id");
    let warnings: Vec<WarningRecord> = sql.load(conn)?;
    Ok(DocumentDetail {
        document,
        outline: build_outline(provisions),
        warnings,
    })
}

/// Nests provisions (in document order, parents first) into a tree. A node whose parent is
/// missing becomes a top-level node rather than being lost.
fn build_outline(rows: Vec<ProvisionRow>) -> Vec<OutlineNode> {
    let index: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(position, row)| (row.id.clone(), position))
        .collect();
    let parents: Vec<Option<usize>> = rows
        .iter()
        .enumerate()
        .map(|(position, row)| {
            row.parent_id
                .as_ref()
                .and_then(|parent| index.get(parent).copied())
                .filter(|parent| *parent < position)
        })
        .collect();
    let mut nodes: Vec<Option<OutlineNode>> = rows
        .into_iter()
        .map(|row| {
            Some(OutlineNode {
                id: row.id,
                level: row.level,
                label: row.label,
                number: row.number,
                title: row.title,
                text: row.text,
                is_measure: row.is_measure,
                span: Span {
                    start: row.span_start,
                    end: row.span_end,
                    line_start: row.line_start,
                    line_end: row.line_end,
                },
                children: Vec::new(),
            })
        })
        .collect();
    // Children come after their parents, so attaching from the last node backwards moves
    // every subtree complete into its parent.
    let mut roots = Vec::new();
    for position in (0..nodes.len()).rev() {
        let Some(node) = nodes.get_mut(position).and_then(Option::take) else {
            continue;
        };
        match parents
            .get(position)
            .copied()
            .flatten()
            .and_then(|parent| nodes.get_mut(parent))
            .and_then(Option::as_mut)
        {
            Some(parent) => parent.children.insert(0, node),
            None => roots.push(node),
        }
    }
    roots.reverse();
    roots
}

/// The normalized text of a document: its source text normalized, as the loader did (the
/// normalized text is not stored; it is a function of the source text).
pub fn text(conn: &mut SqliteConnection, id: &str) -> QueryResult<DocumentText> {
    let mut sql = Sql::new("SELECT source AS text, file_name, encoding FROM documents WHERE id = ");
    sql.text(id);
    let mut document = sql.load_one::<DocumentText>(conn, SPEC.record, id)?;
    document.text = crate::corpus::normalize::normalize(&document.text).text;
    Ok(document)
}

/// The bytes of a document's file exactly as received.
pub fn raw(conn: &mut SqliteConnection, id: &str) -> QueryResult<DocumentRaw> {
    // A file that is its own source text is stored once, as the source.
    let mut sql = Sql::new(
        "SELECT COALESCE(raw, CAST(source AS BLOB)) AS raw, file_name, encoding, format \
         FROM documents WHERE id = ",
    );
    sql.text(id);
    sql.load_one::<DocumentRaw>(conn, SPEC.record, id)
}

/// The text extracted from a document's file, which every span points into.
pub fn source(conn: &mut SqliteConnection, id: &str) -> QueryResult<DocumentSource> {
    let mut sql = Sql::new("SELECT source FROM documents WHERE id = ");
    sql.text(id);
    sql.load_one::<DocumentSource>(conn, SPEC.record, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, parent: Option<&str>) -> ProvisionRow {
        ProvisionRow {
            id: id.into(),
            parent_id: parent.map(Into::into),
            level: "part".into(),
            label: String::new(),
            number: 1,
            title: None,
            text: String::new(),
            is_measure: false,
            span_start: 0,
            span_end: 0,
            line_start: 1,
            line_end: 1,
        }
    }

    #[test]
    fn outline_nests_children_in_order() {
        let tree = build_outline(vec![
            row("p1", None),
            row("p1.s1", Some("p1")),
            row("p1.s1.i1", Some("p1.s1")),
            row("p1.s2", Some("p1")),
            row("p2", None),
            row("orphan", Some("missing")),
        ]);
        let ids: Vec<&str> = tree.iter().map(|node| node.id.as_str()).collect();
        assert_eq!(ids, ["p1", "p2", "orphan"]);
        let children: Vec<&str> = tree[0].children.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(children, ["p1.s1", "p1.s2"]);
        assert_eq!(tree[0].children[0].children[0].id, "p1.s1.i1");
    }
}

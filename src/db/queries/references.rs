//! Cross-references: citations of other documents by title or document number, and the
//! cited documents they point to (one record per outside document).

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    read_model, Condition, Example, FacetSpec, FilterField, ListSpec, QueryResult, SortField,
    SourceRecord, SpanColumns, Sql, Takes,
};

/// Reference lists: their filters, sort fields and facets.
pub static SPEC: ListSpec = ListSpec {
    name: "references",
    record: "reference",
    from: FROM,
    id: "r.id",
    search: None,
    filters: &[
        FilterField::document(
            "r.citing_document_id",
            "Only citations made by these documents (ids from `/v1/documents`).",
            &["chongqing-bigdata-2020-reply-0040"],
        ),
        FilterField::new(
            "cited",
            Takes::Texts,
            Condition::In("r.cited_document_id"),
            "Only citations of these cited documents (the `cited.id` of a reference).",
        )
        .ids_of("cited_documents", "id", "references"),
        FilterField::new(
            "resolved",
            Takes::Boolean,
            Condition::Holds("c.document_id IS NOT NULL", "c.document_id IS NULL"),
            "`true`: only citations of documents that are in the corpus; `false`: only \
             citations of outside documents.",
        )
        .example(Example::Boolean(false)),
    ],
    sort_fields: &[
        SortField::text(
            "document",
            "r.citing_document_id",
            "id of the citing document",
        ),
        SortField::int(
            "ordinal",
            "r.ordinal",
            "position of the citation within the citing document",
        ),
        SortField::text("cited", "r.cited_document_id", "id of the cited document"),
        SortField::text("id", "r.id", "reference id"),
    ],
    default_sort: &["document", "ordinal"],
    examples: ("cited", "cited"),
    facets: &[
        FacetSpec::new(
            "document",
            "r.citing_document_id",
            "d.title",
            "references per citing document",
        ),
        FacetSpec::new(
            "cited",
            "r.cited_document_id",
            "COALESCE(c.title, c.doc_number)",
            "references per cited document",
        ),
        FacetSpec::new(
            "resolved",
            "CASE WHEN c.document_id IS NULL THEN 'false' ELSE 'true' END",
            "CASE WHEN c.document_id IS NULL THEN 'outside the corpus' ELSE 'in the corpus' END",
            "references to corpus documents (`true`) and to outside ones (`false`)",
        ),
    ],
};

/// A document cited by the corpus; one record per cited document, shared by all citations.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, Serialize, ToSchema)]
#[schema(as = CitedView)]
pub struct CitedRecord {
    /// Cited-document id (see `/v1/references/cited/{id}`).
    #[diesel(sql_type = Text, column_name = cited_id)]
    #[schema(example = "yu-fu-ban-fa-2020-25")]
    pub id: String,
    /// Title, the longest form any citation gave.
    #[diesel(sql_type = Nullable<Text>, column_name = cited_title)]
    #[schema(example = "重庆市人民政府办公厅关于加快线上业态线上服务线上管理发展的意见")]
    pub title: Option<String>,
    /// Document number.
    #[diesel(sql_type = Nullable<Text>, column_name = cited_doc_number)]
    #[schema(example = "渝府办发〔2020〕25号")]
    pub doc_number: Option<String>,
    /// Corpus document id when the cited document is in the corpus, else `null`.
    #[diesel(sql_type = Nullable<Text>, column_name = cited_document_id)]
    pub document: Option<String>,
}

/// One citation of another document by a corpus document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ReferenceView)]
pub struct ReferenceRecord {
    /// Reference id.
    #[schema(example = "yubei-2020-online-economy-plan--r1")]
    pub id: String,
    /// Citing document id.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Position among the citing document's citations (1-based).
    pub ordinal: i64,
    /// The citation as printed.
    pub raw: String,
    /// Title as this citation printed it.
    pub title: Option<String>,
    /// Document number as this citation printed it.
    pub doc_number: Option<String>,
    /// The cited document.
    pub cited: CitedRecord,
    /// The sentence the citation stands in.
    pub context: String,
    /// Where the citation stands in the citing document.
    pub source: SourceRecord,
}

/// A cited document with every citation of it in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = CitedDetailView)]
pub struct CitedDetail {
    /// The cited document.
    #[serde(flatten)]
    pub cited: CitedRecord,
    /// Every citation of it, by citing document.
    pub references: Vec<ReferenceRecord>,
}

#[derive(QueryableByName)]
struct ReferenceRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    citing_document_id: String,
    #[diesel(sql_type = BigInt)]
    ordinal: i64,
    #[diesel(sql_type = Text)]
    raw: String,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    doc_number: Option<String>,
    #[diesel(sql_type = Text)]
    context: String,
    #[diesel(embed)]
    cited: CitedRecord,
    #[diesel(embed)]
    span: SpanColumns,
}

impl ReferenceRow {
    fn into_record(self) -> ReferenceRecord {
        ReferenceRecord {
            source: self.span.into_record(&self.citing_document_id),
            id: self.id,
            document: self.citing_document_id,
            ordinal: self.ordinal,
            raw: self.raw,
            title: self.title,
            doc_number: self.doc_number,
            cited: self.cited,
            context: self.context,
        }
    }
}

const FROM: &str = "cross_references r JOIN cited_documents c ON c.id = r.cited_document_id \
    JOIN documents d ON d.id = r.citing_document_id";

fn columns() -> String {
    format!(
        "r.id AS id, r.citing_document_id AS citing_document_id, r.ordinal AS ordinal, \
         r.raw AS raw, r.title AS title, r.doc_number AS doc_number, r.context AS context, \
         c.id AS cited_id, c.title AS cited_title, c.doc_number AS cited_doc_number, \
         c.document_id AS cited_document_id, {}",
        SpanColumns::select("r", "d")
    )
}

read_model! {
    /// Lists references: page, exact total and the requested facets.
    ReferenceRow => ReferenceRecord, columns columns(), each ReferenceRow::into_record;
    /// One reference by id.
    get
}

/// One cited document with every citation of it (two statements).
pub fn cited(conn: &mut SqliteConnection, id: &str) -> QueryResult<CitedDetail> {
    let mut sql = Sql::new(
        "SELECT c.id AS cited_id, c.title AS cited_title, c.doc_number AS cited_doc_number, \
         c.document_id AS cited_document_id FROM cited_documents c WHERE c.id = ",
    );
    sql.text(id);
    let cited = sql.load_one::<CitedRecord>(conn, "cited document", id)?;
    let mut sql = Sql::new("SELECT ");
    sql.push(&columns())
        .push(" FROM ")
        .push(FROM)
        .push(" WHERE r.cited_document_id = ")
        .text(id)
        .push(" ORDER BY r.citing_document_id, r.ordinal, r.id");
    let references = sql
        .load::<ReferenceRow>(conn)?
        .into_iter()
        .map(ReferenceRow::into_record)
        .collect();
    Ok(CitedDetail { cited, references })
}

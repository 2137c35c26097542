//! The citations between documents: `cited_documents` and `cross_references`.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{int, provision_id, SpanColumns};
use crate::corpus::{self, Corpus, ParsedDocument};
use crate::db::schema::{cited_documents, cross_references};
use crate::db::DbError;

/// Writes `cited_documents`; returns the number of rows.
pub(super) fn insert_cited_documents(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let rows: Vec<CitedDocumentRow> = corpus
        .cited_documents
        .iter()
        .map(|cited| {
            let number = cited.doc_number.as_ref();
            CitedDocumentRow {
                id: &cited.id,
                title: cited.title.as_deref(),
                doc_number: number.map(|number| number.text.as_str()),
                doc_number_issuer_code: number.map(|number| number.issuer_code.as_str()),
                doc_number_year: number.map(|number| number.year),
                doc_number_serial: number.map(|number| number.serial),
                document_id: cited.document.as_deref(),
            }
        })
        .collect();
    Ok(insert_rows!(conn, cited_documents, &rows))
}

/// Writes `cross_references`; returns the number of rows.
pub(super) fn insert_cross_references(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let documents_by_id: HashMap<&str, &ParsedDocument> = corpus
        .documents
        .iter()
        .map(|document| (document.id.as_str(), document))
        .collect();
    let rows = corpus
        .references
        .iter()
        .map(|reference| cross_reference_row(&documents_by_id, reference))
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, cross_references, &rows))
}

/// The `cross_references` row of a reference, with the citation it was read from; an error
/// when the citing document or the citation is not in the corpus.
fn cross_reference_row<'a>(
    documents_by_id: &HashMap<&str, &'a ParsedDocument>,
    reference: &'a corpus::CrossReference,
) -> Result<CrossReferenceRow<'a>, DbError> {
    let owner = reference.id.as_str();
    let document = documents_by_id
        .get(reference.citing_document.as_str())
        .copied()
        .ok_or_else(|| {
            DbError::InvalidCorpus(format!(
                "{owner}: citing document {} is not in the corpus",
                reference.citing_document
            ))
        })?;
    let citation = document.citations.get(reference.citation).ok_or_else(|| {
        DbError::InvalidCorpus(format!(
            "{owner}: citation index {} is outside the {} citations of {}",
            reference.citation,
            document.citations.len(),
            document.id
        ))
    })?;
    let span = SpanColumns::of(&citation.span, owner)?;
    Ok(CrossReferenceRow {
        id: owner,
        citing_document_id: &document.id,
        cited_document_id: &reference.cited,
        provision_id: citation
            .provision
            .map(|index| provision_id(document, index, owner))
            .transpose()?,
        ordinal: int(citation.ordinal, owner, "ordinal")?,
        raw: &citation.raw,
        title: citation.title.as_deref(),
        doc_number: citation
            .doc_number
            .as_ref()
            .map(|number| number.text.as_str()),
        context: &citation.context,
        span_start: span.start,
        span_end: span.end,
        line_start: span.line_start,
        line_end: span.line_end,
    })
}

/// A row of `cited_documents`.
#[derive(Insertable)]
#[diesel(table_name = cited_documents, treat_none_as_default_value = false)]
struct CitedDocumentRow<'a> {
    id: &'a str,
    title: Option<&'a str>,
    doc_number: Option<&'a str>,
    doc_number_issuer_code: Option<&'a str>,
    doc_number_year: Option<i32>,
    doc_number_serial: Option<i32>,
    document_id: Option<&'a str>,
}

/// A row of `cross_references`.
#[derive(Insertable)]
#[diesel(table_name = cross_references, treat_none_as_default_value = false)]
struct CrossReferenceRow<'a> {
    id: &'a str,
    citing_document_id: &'a str,
    cited_document_id: &'a str,
    provision_id: Option<&'a str>,
    ordinal: i32,
    raw: &'a str,
    title: Option<&'a str>,
    doc_number: Option<&'a str>,
    context: &'a str,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

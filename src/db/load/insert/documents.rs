//! The `documents` table and each document's outline in `provisions`.

use std::collections::HashMap;

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::{int, provision_id, SpanColumns};
use crate::corpus::{self, ParsedDocument};
use crate::db::load::DocumentSummary;
use crate::db::schema::{documents, provisions};
use crate::db::DbError;

/// Writes the `documents` rows of `documents`; returns each one's summary.
pub(super) fn insert_documents(
    conn: &mut SqliteConnection,
    documents: &[ParsedDocument],
) -> Result<Vec<DocumentSummary>, DbError> {
    let mut summaries = Vec::with_capacity(documents.len());
    let rows = documents
        .iter()
        .map(|document| {
            let summary = DocumentSummary::of(document);
            let row = document_row(document, &summary);
            summaries.push(summary);
            row
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    insert_rows!(conn, documents, &rows);
    Ok(summaries)
}

/// The `documents` row of a document, with its counts (from `summary`); an error when a
/// count does not fit the database.
fn document_row<'a>(
    document: &'a ParsedDocument,
    summary: &DocumentSummary,
) -> Result<DocumentRow<'a>, DbError> {
    let metadata = &document.metadata;
    let number = metadata.doc_number.as_ref();
    let date_year = metadata
        .date
        .as_deref()
        .and_then(|date| date.get(..4))
        .and_then(|year| year.parse::<i32>().ok());
    let id = document.id.as_str();
    Ok(DocumentRow {
        id,
        title: &metadata.title,
        issuer: metadata.issuer.as_deref(),
        jurisdiction_id: metadata.jurisdiction.as_deref(),
        doc_number: number.map(|number| number.text.as_str()),
        doc_number_issuer_code: number.map(|number| number.issuer_code.as_str()),
        doc_number_year: number.map(|number| number.year),
        doc_number_serial: number.map(|number| number.serial),
        date: metadata.date.as_deref(),
        year: date_year.or(number.map(|number| number.year)),
        kind: &metadata.kind,
        status: metadata.status.as_str(),
        consultation_start: metadata.consultation_start.as_deref(),
        consultation_end: metadata.consultation_end.as_deref(),
        file_name: &document.file_name,
        encoding: &document.encoding,
        sha256: hex::encode(Sha256::digest(&document.raw)),
        // A file that is its own source text is stored once, as the source.
        raw: (document.raw != document.source.as_bytes()).then_some(&document.raw[..]),
        source: &document.source,
        measure_count: int(summary.measures, id, "measure count")?,
        goal_count: int(summary.goals, id, "goal count")?,
        reference_count: int(summary.references, id, "reference count")?,
        agency_link_count: int(summary.agency_links, id, "agency link count")?,
        unresolved_count: int(summary.unresolved_names, id, "unresolved name count")?,
        warning_count: int(summary.warnings, id, "warning count")?,
        format: document.format().as_str(),
        extractor: document.extractor(),
    })
}

/// Appends the outline of `document` to `rows`, in reading order.
pub(super) fn push_provision_rows<'a>(
    document: &'a ParsedDocument,
    rows: &mut Vec<ProvisionRow<'a>>,
) -> Result<(), DbError> {
    let measure_provisions: HashMap<usize, &corpus::Measure> = document
        .measures
        .iter()
        .map(|measure| (measure.provision, measure))
        .collect();
    for (position, provision) in document.outline.iter().enumerate() {
        let owner = provision.id.as_str();
        let span = SpanColumns::of(&provision.span, owner)?;
        rows.push(ProvisionRow {
            id: owner,
            document_id: &document.id,
            parent_id: provision
                .parent
                .map(|parent| provision_id(document, parent, owner))
                .transpose()?,
            position: int(position, owner, "position")?,
            level: provision.level.as_str(),
            label: &provision.label,
            number: int(provision.number, owner, "number")?,
            title: provision.title.as_deref(),
            // Not stored again where it is the text and annotation of its measure.
            text: match measure_provisions.get(&position) {
                Some(measure) if is_text_and_annotation(&provision.text, measure) => None,
                _ => Some(&provision.text),
            },
            is_measure: measure_provisions.contains_key(&position),
            span_start: span.start,
            span_end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        });
    }
    Ok(())
}

/// Whether `text` is the measure's text followed by its annotation, as the outline reader
/// puts them back together (see the `provisions.text` column).
fn is_text_and_annotation(text: &str, measure: &corpus::Measure) -> bool {
    let annotation = measure.annotation.as_deref().unwrap_or("");
    text.len() == measure.text.len() + annotation.len()
        && text.starts_with(measure.text.as_str())
        && text.ends_with(annotation)
}

/// A row of `documents`.
#[derive(Insertable)]
#[diesel(table_name = documents, treat_none_as_default_value = false)]
struct DocumentRow<'a> {
    id: &'a str,
    title: &'a str,
    issuer: Option<&'a str>,
    jurisdiction_id: Option<&'a str>,
    doc_number: Option<&'a str>,
    doc_number_issuer_code: Option<&'a str>,
    doc_number_year: Option<i32>,
    doc_number_serial: Option<i32>,
    date: Option<&'a str>,
    year: Option<i32>,
    kind: &'a str,
    status: &'static str,
    consultation_start: Option<&'a str>,
    consultation_end: Option<&'a str>,
    file_name: &'a str,
    encoding: &'a str,
    sha256: String,
    raw: Option<&'a [u8]>,
    source: &'a str,
    measure_count: i32,
    goal_count: i32,
    reference_count: i32,
    agency_link_count: i32,
    unresolved_count: i32,
    warning_count: i32,
    format: &'static str,
    extractor: &'static str,
}

/// A row of `provisions`.
#[derive(Insertable)]
#[diesel(table_name = provisions, treat_none_as_default_value = false)]
pub(super) struct ProvisionRow<'a> {
    id: &'a str,
    document_id: &'a str,
    parent_id: Option<&'a str>,
    position: i32,
    level: &'static str,
    label: &'a str,
    number: i32,
    title: Option<&'a str>,
    text: Option<&'a str>,
    is_measure: bool,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

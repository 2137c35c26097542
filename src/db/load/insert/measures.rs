//! The `measures` table and the links of each measure: `measure_agencies`, `deadlines` and
//! `measure_themes`, with the served copies of those links in the JSON columns of `measures`.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::{int, provision_id, verbatim, SpanColumns};
use crate::corpus::{self, ParsedDocument, SourceSpan};
use crate::db::schema::{deadlines, measure_agencies, measure_themes, measures};
use crate::db::DbError;

/// The `measures` row of a measure of `document`, with the served copies of its links;
/// an error when a span is outside the document's text or a link names a missing record.
pub(super) fn measure_row<'a>(
    document: &'a ParsedDocument,
    measure: &'a corpus::Measure,
    themes: &HashMap<String, usize>,
) -> Result<MeasureRow<'a>, DbError> {
    let owner = measure.id.as_str();
    let span = SpanColumns::of(&measure.span, owner)?;
    verbatim(document, &measure.span, owner)?;
    Ok(MeasureRow {
        id: owner,
        document_id: &document.id,
        provision_id: provision_id(document, measure.provision, owner)?,
        ordinal: int(measure.ordinal, owner, "ordinal")?,
        number: measure
            .number
            .map(|number| int(number, owner, "number"))
            .transpose()?,
        label: &measure.label,
        title: measure.title.as_deref(),
        text: &measure.text,
        path: serde_json::to_string(&measure.path)?,
        annotation: measure.annotation.as_deref(),
        span_start: span.start,
        span_end: span.end,
        line_start: span.line_start,
        line_end: span.line_end,
        agencies: agencies_json(document, measure)?,
        themes: themes_json(measure, themes)?,
        deadlines: deadlines_json(document, measure)?,
    })
}

/// Appends the agency links of `measure`, in annotation order.
pub(super) fn push_measure_agency_rows<'a>(
    measure: &'a corpus::Measure,
    rows: &mut Vec<MeasureAgencyRow<'a>>,
) -> Result<(), DbError> {
    for (position, mention) in measure.agencies.iter().enumerate() {
        let span = SpanColumns::of(&mention.span, &measure.id)?;
        rows.push(MeasureAgencyRow {
            measure_id: &measure.id,
            position: int(position, &measure.id, "agency position")?,
            agency_id: &mention.agency_id,
            role: mention.role.as_str(),
            raw_name: &mention.raw_name,
            span_start: span.start,
            span_end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        });
    }
    Ok(())
}

/// Appends the deadlines of `measure`, in reading order.
pub(super) fn push_deadline_rows<'a>(
    measure: &'a corpus::Measure,
    rows: &mut Vec<DeadlineRow<'a>>,
) -> Result<(), DbError> {
    for (position, deadline) in measure.deadlines.iter().enumerate() {
        let span = SpanColumns::of(&deadline.span, &measure.id)?;
        rows.push(DeadlineRow {
            measure_id: &measure.id,
            position: int(position, &measure.id, "deadline position")?,
            text: &deadline.text,
            date: deadline.date.as_deref(),
            span_start: span.start,
            span_end: span.end,
            line_start: span.line_start,
            line_end: span.line_end,
        });
    }
    Ok(())
}

/// Appends the themes of `measure`, each once.
pub(super) fn push_measure_theme_rows<'a>(
    measure: &'a corpus::Measure,
    rows: &mut Vec<MeasureThemeRow<'a>>,
) {
    let mut seen_themes = HashSet::new();
    for theme in &measure.themes {
        if seen_themes.insert(theme.as_str()) {
            rows.push(MeasureThemeRow {
                measure_id: &measure.id,
                theme_id: theme,
            });
        }
    }
}

/// A row of `measures`.
#[derive(Insertable)]
#[diesel(table_name = measures, treat_none_as_default_value = false)]
pub(super) struct MeasureRow<'a> {
    id: &'a str,
    document_id: &'a str,
    provision_id: &'a str,
    ordinal: i32,
    number: Option<i32>,
    label: &'a str,
    title: Option<&'a str>,
    text: &'a str,
    path: String,
    annotation: Option<&'a str>,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
    agencies: String,
    themes: String,
    deadlines: String,
}

/// A row of `measure_agencies`.
#[derive(Insertable)]
#[diesel(table_name = measure_agencies, treat_none_as_default_value = false)]
pub(super) struct MeasureAgencyRow<'a> {
    measure_id: &'a str,
    position: i32,
    agency_id: &'a str,
    role: &'static str,
    raw_name: &'a str,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

/// A row of `deadlines`.
#[derive(Insertable)]
#[diesel(table_name = deadlines, treat_none_as_default_value = false)]
pub(super) struct DeadlineRow<'a> {
    measure_id: &'a str,
    position: i32,
    text: &'a str,
    date: Option<&'a str>,
    span_start: i32,
    span_end: i32,
    line_start: i32,
    line_end: i32,
}

/// A row of `measure_themes`.
#[derive(Insertable)]
#[diesel(table_name = measure_themes, treat_none_as_default_value = false)]
pub(super) struct MeasureThemeRow<'a> {
    measure_id: &'a str,
    theme_id: &'a str,
}

/// One agency of a measure as the `measures.agencies` column holds it: the link as the
/// array `[id, role, raw_name, start, end, line_start, line_end]`, the agency by id (its
/// names are read from `agencies`) and the span in the measure's document without its
/// verbatim text (read from `documents.source` by the span).
type StoredAgency<'a> = (&'a str, &'static str, &'a str, usize, usize, usize, usize);

/// One deadline of a measure as the `measures.deadlines` column holds it: the array
/// `[text, date, start, end, line_start, line_end]`.
type StoredDeadline<'a> = (&'a str, Option<&'a str>, usize, usize, usize, usize);

/// The `agencies` column of a measure: its links in annotation order. That each agency
/// exists is checked once every agency is known (see `CorpusWriter::finish`).
fn agencies_json(document: &ParsedDocument, measure: &corpus::Measure) -> Result<String, DbError> {
    links_json(document, measure, &measure.agencies, |mention| {
        let stored: StoredAgency = (
            &mention.agency_id,
            mention.role.as_str(),
            &mention.raw_name,
            mention.span.start,
            mention.span.end,
            mention.span.line_start,
            mention.span.line_end,
        );
        (&mention.span, stored)
    })
}

/// A JSON column of a measure holding one kind of its links: each link as the array
/// `stored` makes of it, after the span `stored` gives with it is checked to cut whole
/// characters out of the document's source text.
fn links_json<'a, Link, Stored: serde::Serialize>(
    document: &ParsedDocument,
    measure: &corpus::Measure,
    links: &'a [Link],
    stored: impl Fn(&'a Link) -> (&'a SourceSpan, Stored),
) -> Result<String, DbError> {
    let served = links
        .iter()
        .map(|link| {
            let (span, stored) = stored(link);
            verbatim(document, span, &measure.id)?;
            Ok(stored)
        })
        .collect::<Result<Vec<Stored>, DbError>>()?;
    Ok(serde_json::to_string(&served)?)
}

/// The `themes` column of a measure: the id of each theme once, in theme-list order.
/// `themes` holds each theme's id with its position in the theme list.
fn themes_json(
    measure: &corpus::Measure,
    themes: &HashMap<String, usize>,
) -> Result<String, DbError> {
    let mut tagged = measure
        .themes
        .iter()
        .map(|id| {
            themes
                .get(id.as_str())
                .map(|position| (*position, id.as_str()))
                .ok_or_else(|| {
                    DbError::InvalidCorpus(format!(
                        "{}: measure_themes.theme_id = '{id}' is not in themes",
                        measure.id
                    ))
                })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    tagged.sort();
    tagged.dedup();
    let ids: Vec<&str> = tagged.iter().map(|(_, id)| *id).collect();
    Ok(serde_json::to_string(&ids)?)
}

/// The `deadlines` column of a measure: its deadlines in reading order.
fn deadlines_json(document: &ParsedDocument, measure: &corpus::Measure) -> Result<String, DbError> {
    links_json(document, measure, &measure.deadlines, |deadline| {
        let stored: StoredDeadline = (
            &deadline.text,
            deadline.date.as_deref(),
            deadline.span.start,
            deadline.span.end,
            deadline.span.line_start,
            deadline.span.line_end,
        );
        (&deadline.span, stored)
    })
}

//! Where a record stands in its document, and the statement that completes a page: the
//! source texts of its documents, to cut every quote out of, and the names of what it links.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Binary, Nullable, Text};
use diesel::{QueryableByName, SqliteConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::{QueryResult, Sql};

/// Where a record stands in its document: provenance to quote and check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Source)]
pub struct SourceRecord {
    /// Id of the document.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Byte offset of the first byte in the document's source text: the text extracted
    /// from its file, served as `/v1/documents/{id}/text?source=true` (for a UTF-8 text file
    /// the file itself).
    pub start: i64,
    /// Byte offset one past the last byte.
    pub end: i64,
    /// First line (1-based).
    pub line_start: i64,
    /// Last line (1-based, inclusive).
    pub line_end: i64,
    /// The source text of the span exactly as received.
    pub verbatim: String,
}

/// What the records of a page refer to, read in one statement: the source texts of their
/// documents (to cut the verbatim text of spans out of them) and the names of their agencies
/// and themes.
pub(crate) struct PageContext {
    texts: HashMap<String, Vec<u8>>,
    names: HashMap<(NameKind, String), (String, Option<String>)>,
}

/// Which table a name is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NameKind {
    /// `agencies`.
    Agency,
    /// `themes`.
    Theme,
}

/// A JSON array of distinct ids, to bind for `json_each`.
fn id_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned())
}

impl PageContext {
    /// The source texts of the documents `documents` names (repeats and unknown ids are
    /// fine).
    pub(crate) fn sources<'a>(
        conn: &mut SqliteConnection,
        documents: impl IntoIterator<Item = &'a str>,
    ) -> QueryResult<PageContext> {
        Self::load(conn, documents, [], [])
    }

    /// The source texts of `documents` and the names of `agencies` and `themes`. One
    /// statement text whatever the number of ids, so that it is prepared once; run even for
    /// no ids, so that a list costs the same statements whatever its page holds.
    pub(crate) fn load<'a>(
        conn: &mut SqliteConnection,
        documents: impl IntoIterator<Item = &'a str>,
        agencies: impl IntoIterator<Item = &'a str>,
        themes: impl IntoIterator<Item = &'a str>,
    ) -> QueryResult<PageContext> {
        let mut sql = Sql::new(
            "SELECT 'document' AS kind, id, NULL AS name, NULL AS name_en, \
             CAST(source AS BLOB) AS source FROM documents \
             WHERE id IN (SELECT value FROM json_each(",
        );
        sql.text(id_list(documents))
            .push(
                ")) UNION ALL SELECT 'agency', id, name, name_en, NULL FROM agencies \
                 WHERE id IN (SELECT value FROM json_each(",
            )
            .text(id_list(agencies))
            .push(
                ")) UNION ALL SELECT 'theme', id, name, name_en, NULL FROM themes \
                 WHERE id IN (SELECT value FROM json_each(",
            )
            .text(id_list(themes))
            .push("))");
        let rows: Vec<ContextRow> = sql.load(conn)?;
        let mut context = PageContext {
            texts: HashMap::new(),
            names: HashMap::new(),
        };
        for row in rows {
            let kind = match row.kind.as_str() {
                "agency" => NameKind::Agency,
                "theme" => NameKind::Theme,
                _ => {
                    context.texts.insert(row.id, row.source.unwrap_or_default());
                    continue;
                }
            };
            context
                .names
                .insert((kind, row.id), (row.name.unwrap_or_default(), row.name_en));
        }
        Ok(context)
    }

    /// The name and English name of an agency or theme, when it was loaded.
    pub(crate) fn name(&self, kind: NameKind, id: &str) -> Option<&(String, Option<String>)> {
        self.names.get(&(kind, id.to_owned()))
    }

    /// The normalized text of document `id` (its source text normalized, as the loader
    /// did), when it was loaded.
    pub(crate) fn normalized(&self, id: &str) -> Option<String> {
        let source = String::from_utf8_lossy(self.texts.get(id)?);
        Some(crate::corpus::normalize::normalize(&source).text)
    }

    /// Sets the verbatim text of `source` from its document's source text; an empty text
    /// when the document was not loaded or the span lies outside it.
    pub(crate) fn quote(&self, source: &mut SourceRecord) {
        let bytes = self.texts.get(&source.document).and_then(|text| {
            let start = usize::try_from(source.start).ok()?;
            let end = usize::try_from(source.end).ok()?;
            text.get(start..end)
        });
        source.verbatim = bytes
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
    }
}

#[derive(QueryableByName)]
struct ContextRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    name_en: Option<String>,
    #[diesel(sql_type = Nullable<Binary>)]
    source: Option<Vec<u8>>,
}

/// Row columns of a source span whose verbatim text is cut out of `documents.source`
/// (as bytes, so that a span never splits a character into invalid text).
#[derive(Debug, QueryableByName)]
pub(crate) struct SpanColumns {
    #[diesel(sql_type = BigInt)]
    pub(crate) span_start: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) span_end: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) line_start: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) line_end: i64,
    #[diesel(sql_type = Nullable<Binary>)]
    pub(crate) verbatim: Option<Vec<u8>>,
}

impl SpanColumns {
    /// The SQL for these columns given the alias of the row's table and of its document.
    pub(crate) fn select(table: &str, document: &str) -> String {
        format!(
            "{table}.span_start AS span_start, {table}.span_end AS span_end, \
             {table}.line_start AS line_start, {table}.line_end AS line_end, \
             substr(CAST({document}.source AS BLOB), {table}.span_start + 1, \
             {table}.span_end - {table}.span_start) AS verbatim"
        )
    }

    /// The span as a record.
    pub(crate) fn into_record(self, document: &str) -> SourceRecord {
        SourceRecord {
            document: document.to_owned(),
            start: self.span_start,
            end: self.span_end,
            line_start: self.line_start,
            line_end: self.line_end,
            verbatim: self
                .verbatim
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default(),
        }
    }
}

/// Parses a JSON array of strings stored in a column; malformed content reads as empty.
pub(crate) fn json_strings(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

//! Whole-table exports of the database: one CSV or NDJSON file per table, written to a folder
//! (`zhengce export`) or into a zip archive (the bulk download served at `/v1/downloads`).
//!
//! Both write the same files byte for byte: `<table>.csv` (UTF-8 with a byte-order mark, a
//! header row, RFC 4180 quoting, CRLF line ends) or `<table>.ndjson` (one JSON object per row,
//! columns in table order), plus `README.txt`. Every table of the data model is exported in
//! row order; the search index (`search_*`), SQLite's own tables and the migration log are
//! not. BLOB columns (`documents.raw`, the files as received) are written as hexadecimal;
//! JSON columns (`aliases`, `path`, `keywords`) as their JSON text.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl, SqliteConnection};
use serde_json::Value;

/// Rows read per statement while exporting a table.
const BATCH: i64 = 2_000;

/// The UTF-8 byte-order mark that makes Excel read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// File format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One CSV file per table.
    Csv,
    /// One newline-delimited JSON file per table.
    Ndjson,
}

impl ExportFormat {
    /// File name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Ndjson => "ndjson",
        }
    }
}

/// What an export can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Opening the database failed.
    #[error("{0}")]
    Database(#[from] super::DbError),
    /// A query failed.
    #[error("cannot read the database: {0}")]
    Query(#[from] diesel::result::Error),
    /// Writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder being written.
        path: PathBuf,
        /// The operating-system error.
        source: io::Error,
    },
    /// Writing the zip archive failed.
    #[error("cannot write the zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// A table of the database and its columns, in table order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// Table name.
    pub name: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Primary-key columns, for tables without a rowid.
    primary_key: Vec<String>,
    /// Whether the table is `WITHOUT ROWID`.
    without_rowid: bool,
}

#[derive(QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    wr: i64,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct DataRow {
    #[diesel(sql_type = BigInt)]
    rid: i64,
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct FactRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    value: String,
}

/// Quotes an SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables an export holds, by name: every ordinary table except SQLite's own, the
/// migration log and the search index.
pub fn tables(conn: &mut SqliteConnection) -> Result<Vec<TableInfo>, ExportError> {
    let rows: Vec<TableRow> = diesel::sql_query(
        "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT LIKE '\\_\\_diesel%' ESCAPE '\\' \
         AND name NOT LIKE 'search\\_%' ESCAPE '\\' ORDER BY name",
    )
    .load(conn)?;
    let mut tables = Vec::with_capacity(rows.len());
    for row in rows {
        let columns: Vec<ColumnRow> =
            diesel::sql_query("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid")
                .bind::<Text, _>(&row.name)
                .load(conn)?;
        let mut primary_key: Vec<(i64, String)> = columns
            .iter()
            .filter(|column| column.pk > 0)
            .map(|column| (column.pk, column.name.clone()))
            .collect();
        primary_key.sort();
        tables.push(TableInfo {
            name: row.name,
            columns: columns.into_iter().map(|column| column.name).collect(),
            primary_key: primary_key.into_iter().map(|(_, name)| name).collect(),
            without_rowid: row.wr != 0,
        });
    }
    Ok(tables)
}

/// The SQL of a column the database stores once, elsewhere, and an export writes out in
/// full: `documents.raw` is NULL where the file is its own source text, `provisions.text`
/// where it is the text and annotation of the measure standing on the provision.
fn stored_once(table: &str, column: &str) -> Option<String> {
    match (table, column) {
        ("documents", "raw") => Some("COALESCE(\"raw\", CAST(\"source\" AS BLOB))".to_owned()),
        ("provisions", "text") => Some(
            "COALESCE(\"text\", (SELECT m.text || COALESCE(m.annotation, '') \
             FROM measures m WHERE m.id = provisions.id))"
                .to_owned(),
        ),
        _ => None,
    }
}

/// Calls `each` with every row of `table` as JSON values, one per column, in row order
/// (rowid order, or primary-key order for tables without a rowid).
fn for_each_row(
    conn: &mut SqliteConnection,
    table: &TableInfo,
    mut each: impl FnMut(Vec<Value>) -> io::Result<()>,
) -> Result<u64, ExportError> {
    let values = table
        .columns
        .iter()
        .map(|column| {
            let column = stored_once(&table.name, column).unwrap_or_else(|| quote(column));
            format!("CASE WHEN typeof({column}) = 'blob' THEN hex({column}) ELSE {column} END")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let name = quote(&table.name);
    let mut count = 0u64;
    let mut emit = |row: &DataRow, count: &mut u64| -> Result<(), ExportError> {
        let values: Vec<Value> = serde_json::from_str(&row.row)
            .map_err(|error| diesel::result::Error::DeserializationError(Box::new(error)))?;
        each(values).map_err(|source| ExportError::Io {
            path: PathBuf::from(format!("{}.*", table.name)),
            source,
        })?;
        *count += 1;
        Ok(())
    };
    if table.without_rowid {
        let order = if table.primary_key.is_empty() {
            "1".to_owned()
        } else {
            table
                .primary_key
                .iter()
                .map(|column| quote(column))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let rows: Vec<DataRow> = diesel::sql_query(format!(
            "SELECT 0 AS rid, json_array({values}) AS row FROM {name} ORDER BY {order}"
        ))
        .load(conn)?;
        for row in &rows {
            emit(row, &mut count)?;
        }
        return Ok(count);
    }
    let statement = format!(
        "SELECT rowid AS rid, json_array({values}) AS row FROM {name} \
         WHERE rowid > ? ORDER BY rowid LIMIT ?"
    );
    let mut after = i64::MIN;
    loop {
        let rows: Vec<DataRow> = diesel::sql_query(&statement)
            .bind::<BigInt, _>(after)
            .bind::<BigInt, _>(BATCH)
            .load(conn)?;
        for row in &rows {
            emit(row, &mut count)?;
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == BATCH => after = last.rid,
            _ => return Ok(count),
        }
    }
}

/// A JSON value as a CSV cell: text as is, numbers as written, NULL as an empty cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Writes every row of `table` to `out` in `format`; returns the number of rows.
pub fn write_table(
    conn: &mut SqliteConnection,
    table: &TableInfo,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    let io_error = |source: io::Error| ExportError::Io {
        path: PathBuf::from(format!("{}.{}", table.name, format.extension())),
        source,
    };
    match format {
        ExportFormat::Csv => {
            out.write_all(BOM).map_err(io_error)?;
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut *out);
            writer
                .write_record(&table.columns)
                .map_err(|error| io_error(error.into()))?;
            let count = for_each_row(conn, table, |values| {
                writer
                    .write_record(values.iter().map(cell))
                    .map_err(io::Error::from)
            })?;
            writer.flush().map_err(io_error)?;
            Ok(count)
        }
        ExportFormat::Ndjson => {
            let keys: Vec<String> = table
                .columns
                .iter()
                .map(|column| Value::String(column.clone()).to_string())
                .collect();
            for_each_row(conn, table, |values| {
                let mut line = String::from("{");
                for (index, (key, value)) in keys.iter().zip(&values).enumerate() {
                    if index > 0 {
                        line.push(',');
                    }
                    line.push_str(key);
                    line.push(':');
                    line.push_str(&value.to_string());
                }
                line.push_str("}\n");
                out.write_all(line.as_bytes())
            })
        }
    }
}

/// The `README.txt` of an export: what the files are, the dataset version and the licence.
pub fn readme(conn: &mut SqliteConnection, format: ExportFormat) -> Result<String, ExportError> {
    let facts: Vec<FactRow> = diesel::sql_query(
        "SELECT key, value FROM dataset WHERE key IN ('version', 'loaded_at') ORDER BY key",
    )
    .load(conn)?;
    let fact = |key: &str| {
        facts
            .iter()
            .find(|row| row.key == key)
            .map_or("unknown", |row| row.value.as_str())
            .to_owned()
    };
    let files = match format {
        ExportFormat::Csv => {
            "One CSV file per table of the database: UTF-8 with a byte-order mark (Excel reads \
             it as UTF-8), a header row, RFC 4180 quoting."
        }
        ExportFormat::Ndjson => {
            "One NDJSON file per table of the database: one JSON object per row, keys in \
             column order."
        }
    };
    Ok(format!(
        "zhengce: Chinese government policy documents as open data\r\n\
         \r\n\
         dataset version: {}\r\n\
         loaded at: {}\r\n\
         \r\n\
         {files} Rows come in the order they were loaded. BLOB columns (documents.raw, the \
         files as received) are hexadecimal; JSON columns (aliases, path, keywords, and the \
         agencies, themes and deadlines of measures) hold JSON text. The tables link by id: measures.document_id = documents.id, \
         measure_agencies.measure_id = measures.id and measure_agencies.agency_id = \
         agencies.id, deadlines.measure_id = measures.id, measure_themes links measures and \
         themes, cross_references links documents and cited_documents. Spans \
         (span_start, span_end) are byte offsets into documents.source.\r\n\
         \r\n\
         Licence: the source documents are Chinese government normative documents, not \
         protected by copyright under Article 5 of the Copyright Law of the People's Republic \
         of China; the derived data is offered under CC BY 4.0 \
         (https://creativecommons.org/licenses/by/4.0/). Attribute it to the issuing bodies \
         of the documents and to zhengce.\r\n",
        fact("version"),
        fact("loaded_at"),
    ))
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Files written, with the number of rows of each table (`None` for `README.txt`).
    pub files: Vec<(PathBuf, Option<u64>)>,
}

impl std::fmt::Display for ExportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (path, rows) in &self.files {
            match rows {
                Some(rows) => writeln!(f, "{}: {rows} rows", path.display())?,
                None => writeln!(f, "{}", path.display())?,
            }
        }
        Ok(())
    }
}

/// Writes one file per table and `README.txt` into the folder `out` (created when missing),
/// reading the database at `db` read-only.
pub fn export_dir(
    db: &Path,
    format: ExportFormat,
    out: &Path,
) -> Result<ExportReport, ExportError> {
    let pool = super::open_read_only_pool(db, 1)?;
    let mut conn = pool
        .get()
        .map_err(|error| ExportError::Database(error.into()))?;
    std::fs::create_dir_all(out).map_err(|source| ExportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for table in tables(&mut conn)? {
        let path = out.join(format!("{}.{}", table.name, format.extension()));
        let io_error = |source| ExportError::Io {
            path: path.clone(),
            source,
        };
        let mut writer = BufWriter::new(File::create(&path).map_err(io_error)?);
        let rows = write_table(&mut conn, &table, format, &mut writer)?;
        writer.flush().map_err(io_error)?;
        files.push((path, Some(rows)));
    }
    let path = out.join("README.txt");
    std::fs::write(&path, readme(&mut conn, format)?).map_err(|source| ExportError::Io {
        path: path.clone(),
        source,
    })?;
    files.push((path, None));
    Ok(ExportReport { files })
}

/// Writes a zip archive holding the same files as [`export_dir`] into `writer`. The archive
/// is the same byte for byte for the same database: entries in name order, each dated
/// 1980-01-01 (the zip epoch).
pub fn write_zip<W: Write + Seek>(
    conn: &mut SqliteConnection,
    format: ExportFormat,
    writer: W,
) -> Result<W, ExportError> {
    let mut zip = zip::ZipWriter::new(writer);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for table in tables(conn)? {
        zip.start_file(format!("{}.{}", table.name, format.extension()), options)?;
        write_table(conn, &table, format, &mut zip)?;
    }
    zip.start_file("README.txt", options)?;
    let readme = readme(conn, format)?;
    zip.write_all(readme.as_bytes())
        .map_err(|source| ExportError::Io {
            path: PathBuf::from("README.txt"),
            source,
        })?;
    Ok(zip.finish()?)
}

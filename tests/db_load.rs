//! The database layer end to end: writing a corpus atomically, reading it back through the
//! read-only pool, and the errors a user sees when something is wrong.

use std::fs;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;
use diesel_migrations::MigrationHarness;
use sha2::{Digest, Sha256};

use zhengce::corpus::{
    Agency, AgencyMention, AgencyOrigin, Citation, CitedDocument, Comparator, Corpus,
    CorpusWarning, CrossReference, Deadline, DocNumber, DocumentMetadata, DocumentStatus, Goal,
    Jurisdiction, Level, Measure, ParsedDocument, Provision, Role, SourceSpan, Theme, Warning,
    WarningKind,
};
use zhengce::db::load::{
    corpus_version, load_data_dir, load_data_dir_in_slices, write_corpus, DocumentSummary,
    LoadError, LoadReport,
};
use zhengce::db::pool::open_read_only_pool;
use zhengce::db::schema::{
    agencies, agency_aliases, cited_documents, cross_references, dataset, deadlines, documents,
    goals, jurisdictions, measure_agencies, measure_themes, measures, precomputed, provisions,
    search_docs, themes, warnings,
};
use zhengce::db::{dataset_version, DbError, MIGRATIONS};

// ---------------------------------------------------------------------------------------
// A small corpus built by hand
// ---------------------------------------------------------------------------------------

const SOURCE_A: &str = "渝北区关于发展在线经济的实施方案\n\
一、主要任务\n\
（一）推进数据共享。建设数据平台。（牵头单位：区大数据局；配合单位：区商务委）\n\
（二）发展在线经济。到2025年，在线经济产值达到100亿元以上。落实《重庆市数字经济方案》（渝府办发〔2020〕25号）。（责任单位：区商务委）\n";

const SOURCE_B: &str =
    "关于在线服务的复函\n渝大数据函〔2019〕40号\n请按《重庆市数字经济方案》执行。\n";

/// The span of the first occurrence of `needle` in `source`.
fn span_of(source: &str, needle: &str) -> SourceSpan {
    span_within(source, "", needle)
}

/// The span of the first occurrence of `needle` after the first occurrence of `after` in
/// `source`.
fn span_within(source: &str, after: &str, needle: &str) -> SourceSpan {
    let from = source
        .find(after)
        .unwrap_or_else(|| panic!("{after} not in source"));
    let start = from
        + source[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in source after {after}"));
    let end = start + needle.len();
    let line_of = |offset: usize| source[..offset].matches('\n').count() + 1;
    SourceSpan {
        start,
        end,
        line_start: line_of(start),
        line_end: line_of(end),
    }
}

fn mention(
    raw_name: &str,
    role: Role,
    agency_id: &str,
    resolved: bool,
    span: SourceSpan,
) -> AgencyMention {
    AgencyMention {
        raw_name: raw_name.into(),
        role,
        agency_id: agency_id.into(),
        resolved,
        span,
    }
}

fn provision(
    id: &str,
    parent: Option<usize>,
    level: Level,
    label: &str,
    number: u32,
    title: &str,
    span: SourceSpan,
) -> Provision {
    Provision {
        id: id.into(),
        parent,
        level,
        label: label.into(),
        number,
        title: Some(title.into()),
        text: title.into(),
        span,
    }
}

/// Measure `ordinal` of part 一 of document A (provision `ordinal` of its outline), with its
/// label and title, text, annotation and span, and no agencies, deadlines or themes.
fn measure(
    ordinal: u32,
    (label, title): (&str, &str),
    text: &str,
    annotation: &str,
    span: SourceSpan,
) -> Measure {
    Measure {
        id: format!("doc-a--p1.s{ordinal}"),
        provision: ordinal as usize,
        ordinal,
        number: None,
        label: label.into(),
        title: Some(title.into()),
        text: text.into(),
        path: vec!["主要任务".into()],
        annotation: Some(annotation.into()),
        agencies: vec![],
        deadlines: vec![],
        themes: vec![],
        span,
    }
}

/// The number of 《重庆市数字经济方案》, which both documents cite.
fn plan_number() -> DocNumber {
    DocNumber {
        text: "渝府办发〔2020〕25号".into(),
        issuer_code: "渝府办发".into(),
        year: 2020,
        serial: 25,
    }
}

fn document_a() -> ParsedDocument {
    let source = SOURCE_A;
    let section_one =
        "（一）推进数据共享。建设数据平台。（牵头单位：区大数据局；配合单位：区商务委）";
    let section_two = "（二）发展在线经济。到2025年，在线经济产值达到100亿元以上。落实《重庆市数字经济方案》（渝府办发〔2020〕25号）。（责任单位：区商务委）";
    let part_span = SourceSpan {
        start: span_of(source, "一、主要任务").start,
        end: source.len() - 1,
        line_start: 2,
        line_end: 4,
    };
    ParsedDocument {
        id: "doc-a".into(),
        file_name: "doc-a.txt".into(),
        raw: source.as_bytes().to_vec(),
        encoding: "UTF-8".into(),
        source: source.into(),
        text: source.into(),
        metadata: DocumentMetadata {
            title: "渝北区关于发展在线经济的实施方案".into(),
            issuer: Some("渝北区人民政府".into()),
            jurisdiction: Some("chongqing-yubei".into()),
            doc_number: None,
            date: Some("2020-06-01".into()),
            kind: "实施方案".into(),
            status: DocumentStatus::Draft,
            consultation_start: Some("2020-06-01".into()),
            consultation_end: Some("2020-06-15".into()),
        },
        outline: vec![
            provision(
                "doc-a--p1",
                None,
                Level::Part,
                "一、",
                1,
                "主要任务",
                part_span,
            ),
            provision(
                "doc-a--p1.s1",
                Some(0),
                Level::Section,
                "（一）",
                1,
                "推进数据共享",
                span_of(source, section_one),
            ),
            provision(
                "doc-a--p1.s2",
                Some(0),
                Level::Section,
                "（二）",
                2,
                "发展在线经济",
                span_of(source, section_two),
            ),
        ],
        measures: vec![
            Measure {
                agencies: vec![
                    mention(
                        "区大数据局",
                        Role::Lead,
                        "yubei-bigdata",
                        true,
                        span_within(source, section_one, "区大数据局"),
                    ),
                    mention(
                        "区商务委",
                        Role::Cooperating,
                        "provisional-commerce",
                        false,
                        span_within(source, section_one, "区商务委"),
                    ),
                ],
                themes: vec!["data-sharing".into(), "data-sharing".into()],
                ..measure(
                    1,
                    ("（一）", "推进数据共享"),
                    "推进数据共享。建设数据平台。",
                    "牵头单位：区大数据局；配合单位：区商务委",
                    span_of(source, section_one),
                )
            },
            Measure {
                agencies: vec![mention(
                    "区商务委",
                    Role::Responsible,
                    "provisional-commerce",
                    false,
                    span_within(source, section_two, "区商务委"),
                )],
                deadlines: vec![Deadline {
                    text: "到2025年".into(),
                    date: Some("2025-12-31".into()),
                    span: span_within(source, section_two, "到2025年"),
                }],
                ..measure(
                    2,
                    ("（二）", "发展在线经济"),
                    "发展在线经济。",
                    "责任单位：区商务委",
                    span_of(source, section_two),
                )
            },
        ],
        goals: vec![Goal {
            id: "doc-a--g1".into(),
            ordinal: 1,
            metric: "在线经济产值".into(),
            value: 100.0,
            value_text: "100".into(),
            unit: "亿元".into(),
            comparator: Comparator::Gte,
            comparator_text: "达到…以上".into(),
            year: Some(2025),
            value_base: Some(1.0e10),
            base_unit: Some("yuan".into()),
            clause: "到2025年，在线经济产值达到100亿元以上".into(),
            sentence: "到2025年，在线经济产值达到100亿元以上。".into(),
            provision: Some(2),
            span: span_of(source, "到2025年，在线经济产值达到100亿元以上"),
        }],
        citations: vec![Citation {
            ordinal: 1,
            title: Some("重庆市数字经济方案".into()),
            doc_number: Some(plan_number()),
            raw: "《重庆市数字经济方案》（渝府办发〔2020〕25号）".into(),
            context: "落实《重庆市数字经济方案》（渝府办发〔2020〕25号）。".into(),
            provision: Some(2),
            span: span_of(source, "《重庆市数字经济方案》（渝府办发〔2020〕25号）"),
        }],
        warnings: vec![Warning {
            kind: WarningKind::UnresolvedAgency,
            line: Some(3),
            message: "agency name 区商务委 is not in the gazetteer".into(),
        }],
    }
}

fn document_b() -> ParsedDocument {
    let source = SOURCE_B;
    ParsedDocument {
        id: "doc-b".into(),
        file_name: "doc-b.txt".into(),
        raw: source.as_bytes().to_vec(),
        encoding: "UTF-8".into(),
        source: source.into(),
        text: source.into(),
        metadata: DocumentMetadata {
            title: "关于在线服务的复函".into(),
            issuer: None,
            jurisdiction: Some("chongqing".into()),
            doc_number: Some(DocNumber {
                text: "渝大数据函〔2019〕40号".into(),
                issuer_code: "渝大数据函".into(),
                year: 2019,
                serial: 40,
            }),
            date: None,
            kind: "复函".into(),
            status: DocumentStatus::Final,
            consultation_start: None,
            consultation_end: None,
        },
        outline: vec![],
        measures: vec![],
        goals: vec![],
        citations: vec![Citation {
            ordinal: 1,
            title: Some("重庆市数字经济方案".into()),
            doc_number: None,
            raw: "《重庆市数字经济方案》".into(),
            context: "请按《重庆市数字经济方案》执行。".into(),
            provision: None,
            span: span_of(source, "《重庆市数字经济方案》"),
        }],
        warnings: vec![],
    }
}

fn sample_corpus() -> Corpus {
    let document_a = document_a();
    let document_b = document_b();
    let mut corpus_warnings: Vec<CorpusWarning> = document_a
        .warnings
        .iter()
        .map(|warning| CorpusWarning {
            document: Some("doc-a".into()),
            file: "data/documents/doc-a.txt".into(),
            warning: warning.clone(),
        })
        .collect();
    corpus_warnings.push(CorpusWarning {
        document: None,
        file: "data/agencies.toml".into(),
        warning: Warning {
            kind: WarningKind::MissingMetadata,
            line: None,
            message: "agency yubei-bigdata has no English name".into(),
        },
    });
    Corpus {
        jurisdictions: vec![
            Jurisdiction {
                id: "chongqing".into(),
                name: "重庆市".into(),
                name_en: "Chongqing".into(),
                level: "municipality".into(),
                parent: None,
                aliases: vec!["重庆".into(), "渝".into()],
                code: Some("500000".into()),
            },
            Jurisdiction {
                id: "chongqing-yubei".into(),
                name: "渝北区".into(),
                name_en: "Yubei District".into(),
                level: "district".into(),
                parent: Some("chongqing".into()),
                aliases: vec![],
                code: Some("500112".into()),
            },
        ],
        agencies: vec![
            Agency {
                id: "yubei-bigdata".into(),
                jurisdiction: Some("chongqing-yubei".into()),
                name: "渝北区大数据发展局".into(),
                name_en: None,
                aliases: vec![
                    "区大数据局".into(),
                    "区大数据局".into(),
                    "渝北区大数据发展局".into(),
                ],
                kind: "government_department".into(),
                resolved: true,
                origin: AgencyOrigin::Gazetteer,
                note: None,
            },
            Agency {
                id: "provisional-commerce".into(),
                jurisdiction: Some("chongqing-yubei".into()),
                name: "区商务委".into(),
                name_en: None,
                aliases: vec![],
                kind: "unknown".into(),
                resolved: false,
                origin: AgencyOrigin::Provisional,
                note: Some("not in the gazetteer".into()),
            },
        ],
        themes: vec![Theme {
            id: "data-sharing".into(),
            name: "数据共享".into(),
            name_en: "Data sharing".into(),
            description: "Opening and sharing government data.".into(),
            strong: vec!["数据共享".into()],
            weak: vec!["数据".into(), "平台".into()],
        }],
        documents: vec![document_a, document_b],
        cited_documents: vec![CitedDocument {
            id: "chongqing-digital-economy-plan".into(),
            title: Some("重庆市数字经济方案".into()),
            doc_number: Some(plan_number()),
            document: None,
        }],
        references: vec![
            CrossReference {
                id: "doc-a--r1".into(),
                citing_document: "doc-a".into(),
                citation: 0,
                cited: "chongqing-digital-economy-plan".into(),
            },
            CrossReference {
                id: "doc-b--r1".into(),
                citing_document: "doc-b".into(),
                citation: 0,
                cited: "chongqing-digital-economy-plan".into(),
            },
        ],
        warnings: corpus_warnings,
    }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Names of the entries of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A new temporary folder and the path of `zhengce.db` in it.
fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("zhengce.db");
    (dir, db_path)
}

/// [`temp_db`] with the small corpus written to it, and the bytes of that file.
fn sample_database() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let (dir, db_path) = temp_db();
    write_corpus(&sample_corpus(), &db_path).unwrap();
    let before = fs::read(&db_path).unwrap();
    (dir, db_path, before)
}

/// Asserts that the database file still holds `before` and is all there is in `dir`.
fn assert_untouched(dir: &tempfile::TempDir, db_path: &Path, before: &[u8]) {
    assert_eq!(fs::read(db_path).unwrap(), before);
    assert_eq!(entries(dir.path()), vec!["zhengce.db".to_string()]);
}

/// Every row `query` returns, in its order.
fn load_all<'query, T, Q>(conn: &mut SqliteConnection, query: Q) -> Vec<T>
where
    Q: RunQueryDsl<SqliteConnection> + diesel::query_dsl::LoadQuery<'query, SqliteConnection, T>,
{
    query.load(conn).unwrap()
}

fn open_writable(path: &Path) -> SqliteConnection {
    SqliteConnection::establish(path.to_str().unwrap()).unwrap()
}

/// Column names of a `SELECT a.x, a.y FROM a` statement printed by diesel.
fn selected_columns(sql: &str) -> Vec<String> {
    let list = sql
        .strip_prefix("SELECT ")
        .and_then(|rest| rest.split(" FROM ").next())
        .unwrap();
    list.split(", ")
        .map(|column| {
            column
                .rsplit('.')
                .next()
                .unwrap()
                .trim_matches('`')
                .to_string()
        })
        .collect()
}

macro_rules! diesel_columns {
    ($table:ident) => {
        (
            stringify!($table),
            selected_columns(
                &diesel::debug_query::<Sqlite, _>(&$table::table.select($table::all_columns))
                    .to_string(),
            ),
        )
    };
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn schema_matches_the_migration_column_for_column() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' \
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load(&mut conn)
    .unwrap();
    let mut migration_tables: Vec<String> = tables.into_iter().map(|table| table.name).collect();
    migration_tables.sort();

    let diesel_tables = [
        diesel_columns!(dataset),
        diesel_columns!(jurisdictions),
        diesel_columns!(documents),
        diesel_columns!(provisions),
        diesel_columns!(measures),
        diesel_columns!(agencies),
        diesel_columns!(agency_aliases),
        diesel_columns!(measure_agencies),
        diesel_columns!(deadlines),
        diesel_columns!(goals),
        diesel_columns!(cited_documents),
        diesel_columns!(cross_references),
        diesel_columns!(themes),
        diesel_columns!(measure_themes),
        diesel_columns!(warnings),
        diesel_columns!(search_docs),
        diesel_columns!(precomputed),
    ];
    let mut diesel_names: Vec<String> = diesel_tables
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    diesel_names.sort();
    assert_eq!(diesel_names, migration_tables);

    for (table, columns) in diesel_tables {
        let in_migration: Vec<Name> =
            diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}')"))
                .load(&mut conn)
                .unwrap();
        let in_migration: Vec<String> = in_migration.into_iter().map(|c| c.name).collect();
        assert_eq!(columns, in_migration, "columns of table {table}");
    }
}

#[test]
fn round_trip_keeps_every_record() {
    let (dir, db_path) = temp_db();
    let corpus = sample_corpus();

    let stats = write_corpus(&corpus, &db_path).unwrap();
    for (what, written, expected) in [
        ("documents", stats.documents, 2),
        ("provisions", stats.provisions, 3),
        ("measures", stats.measures, 2),
        ("agencies", stats.agencies, 2),
        // The duplicate alias is stored once.
        ("agency_aliases", stats.agency_aliases, 2),
        ("measure_agencies", stats.measure_agencies, 3),
        ("deadlines", stats.deadlines, 1),
        ("goals", stats.goals, 1),
        ("cited_documents", stats.cited_documents, 1),
        ("references", stats.references, 2),
        ("themes", stats.themes, 1),
        // The duplicate theme tag is stored once.
        ("measure_themes", stats.measure_themes, 1),
        ("warnings", stats.warnings, 2),
        ("jurisdictions", stats.jurisdictions, 2),
    ] {
        assert_eq!(written, expected, "{what}");
    }
    assert_eq!(entries(dir.path()), vec!["zhengce.db".to_string()]);

    let pool = open_read_only_pool(&db_path, 2).unwrap();
    let mut conn = pool.get().unwrap();

    let counts: Vec<i64> = vec![
        documents::table.count().get_result(&mut conn).unwrap(),
        provisions::table.count().get_result(&mut conn).unwrap(),
        measures::table.count().get_result(&mut conn).unwrap(),
        agencies::table.count().get_result(&mut conn).unwrap(),
        agency_aliases::table.count().get_result(&mut conn).unwrap(),
        measure_agencies::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        goals::table.count().get_result(&mut conn).unwrap(),
        cited_documents::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        cross_references::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        themes::table.count().get_result(&mut conn).unwrap(),
        measure_themes::table.count().get_result(&mut conn).unwrap(),
        warnings::table.count().get_result(&mut conn).unwrap(),
        jurisdictions::table.count().get_result(&mut conn).unwrap(),
    ];
    assert_eq!(counts, vec![2, 3, 2, 2, 2, 3, 1, 1, 2, 1, 1, 2, 2]);

    // Dataset facts.
    let facts: Vec<(String, String)> = dataset::table.order(dataset::key).load(&mut conn).unwrap();
    let fact = |key: &str| {
        facts
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
            .unwrap_or_else(|| panic!("dataset has no {key}"))
    };
    assert_eq!(fact("version"), stats.version);
    assert_eq!(fact("version"), corpus_version(&corpus).unwrap());
    assert_eq!(fact("version").len(), 16);
    assert!(fact("version").chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(fact("documents"), "2");
    assert_eq!(fact("measures"), "2");
    assert_eq!(fact("agencies"), "2");
    assert_eq!(fact("goals"), "1");
    assert_eq!(fact("references"), "2");
    assert_eq!(fact("themes"), "1");
    assert_eq!(fact("zhengce_version"), env!("CARGO_PKG_VERSION"));
    let loaded_at = fact("loaded_at");
    assert_eq!(loaded_at.len(), 20, "{loaded_at}");
    assert!(loaded_at.ends_with('Z') && loaded_at.as_bytes()[10] == b'T');
    assert_eq!(dataset_version(&mut conn).unwrap(), stats.version);

    // Documents: metadata, year, raw bytes, hash and counts.
    type DocumentColumns = (
        String,
        Option<i32>,
        String,
        Option<Vec<u8>>,
        String,
        (i32, i32, i32, i32, i32, i32),
    );
    let rows: Vec<DocumentColumns> = load_all(
        &mut conn,
        documents::table
            .select((
                documents::id,
                documents::year,
                documents::status,
                documents::raw,
                documents::sha256,
                (
                    documents::measure_count,
                    documents::goal_count,
                    documents::reference_count,
                    documents::agency_link_count,
                    documents::unresolved_count,
                    documents::warning_count,
                ),
            ))
            .order(documents::id),
    );
    assert_eq!(rows[0].0, "doc-a");
    assert_eq!(rows[0].1, Some(2020), "year from the date");
    assert_eq!(rows[0].2, "draft");
    assert_eq!(
        rows[0].3, None,
        "a UTF-8 text file is its own source text, stored once"
    );
    assert_eq!(rows[0].4, hex::encode(Sha256::digest(SOURCE_A.as_bytes())));
    assert_eq!(rows[0].5, (2, 1, 1, 3, 1, 1));
    assert_eq!(rows[1].0, "doc-b");
    assert_eq!(rows[1].1, Some(2019), "year from the document number");
    assert_eq!(rows[1].5, (0, 0, 1, 0, 0, 0));

    // Provisions: parent ids through the outline index, order, measure flags.
    let outline: Vec<(String, Option<String>, i32, String, bool)> = load_all(
        &mut conn,
        provisions::table.order(provisions::position).select((
            provisions::id,
            provisions::parent_id,
            provisions::position,
            provisions::level,
            provisions::is_measure,
        )),
    );
    assert_eq!(
        outline,
        vec![
            ("doc-a--p1".into(), None, 0, "part".into(), false),
            (
                "doc-a--p1.s1".into(),
                Some("doc-a--p1".into()),
                1,
                "section".into(),
                true
            ),
            (
                "doc-a--p1.s2".into(),
                Some("doc-a--p1".into()),
                2,
                "section".into(),
                true
            ),
        ]
    );

    // Measures: provision, path as JSON, the span and the source text it covers.
    let measure_rows: Vec<(String, String, String, String, i32, i32)> = load_all(
        &mut conn,
        measures::table
            .inner_join(documents::table)
            .select((
                measures::id,
                measures::provision_id,
                measures::path,
                diesel::dsl::sql::<diesel::sql_types::Text>(
                    "CAST(substr(CAST(documents.source AS BLOB), measures.span_start + 1, \
                 measures.span_end - measures.span_start) AS TEXT)",
                ),
                measures::span_start,
                measures::line_start,
            ))
            .order(measures::ordinal),
    );
    assert_eq!(measure_rows[0].1, "doc-a--p1.s1");
    assert_eq!(measure_rows[0].2, r#"["主要任务"]"#);
    assert_eq!(
        measure_rows[0].3,
        "（一）推进数据共享。建设数据平台。（牵头单位：区大数据局；配合单位：区商务委）"
    );
    let start = usize::try_from(measure_rows[0].4).unwrap();
    assert_eq!(
        &SOURCE_A[start..start + measure_rows[0].3.len()],
        measure_rows[0].3
    );
    assert_eq!(measure_rows[0].5, 3);
    assert!(measure_rows[1].3.ends_with("（责任单位：区商务委）"));

    // Agency links keep their order and role.
    let links: Vec<(String, i32, String, String, String)> = load_all(
        &mut conn,
        measure_agencies::table
            .order((measure_agencies::measure_id, measure_agencies::position))
            .select((
                measure_agencies::measure_id,
                measure_agencies::position,
                measure_agencies::agency_id,
                measure_agencies::role,
                measure_agencies::raw_name,
            )),
    );
    assert_eq!(
        links,
        vec![
            (
                "doc-a--p1.s1".into(),
                0,
                "yubei-bigdata".into(),
                "lead".into(),
                "区大数据局".into()
            ),
            (
                "doc-a--p1.s1".into(),
                1,
                "provisional-commerce".into(),
                "cooperating".into(),
                "区商务委".into()
            ),
            (
                "doc-a--p1.s2".into(),
                0,
                "provisional-commerce".into(),
                "responsible".into(),
                "区商务委".into()
            ),
        ]
    );
    // Each link keeps the span of the name as printed.
    let link_spans: Vec<(i32, i32, i32, i32)> = load_all(
        &mut conn,
        measure_agencies::table
            .order((measure_agencies::measure_id, measure_agencies::position))
            .select((
                measure_agencies::span_start,
                measure_agencies::span_end,
                measure_agencies::line_start,
                measure_agencies::line_end,
            )),
    );
    assert_eq!(link_spans.len(), 3);
    for ((start, end, line_start, line_end), (_, _, _, _, raw_name)) in
        link_spans.iter().zip(&links)
    {
        let (start, end) = (
            usize::try_from(*start).unwrap(),
            usize::try_from(*end).unwrap(),
        );
        assert_eq!(&SOURCE_A[start..end], raw_name);
        assert_eq!(line_start, line_end);
    }
    assert_eq!(
        link_spans.iter().map(|span| span.2).collect::<Vec<_>>(),
        vec![3, 3, 4],
        "the second 区商务委 is the one of line 4"
    );

    // Deadlines keep their phrase, date and span.
    type DeadlineColumns = (String, i32, String, Option<String>, i32, i32, i32);
    let deadline_rows: Vec<DeadlineColumns> = load_all(
        &mut conn,
        deadlines::table
            .order((deadlines::measure_id, deadlines::position))
            .select((
                deadlines::measure_id,
                deadlines::position,
                deadlines::text,
                deadlines::date,
                deadlines::span_start,
                deadlines::span_end,
                deadlines::line_start,
            )),
    );
    assert_eq!(deadline_rows.len(), 1);
    let (measure, position, text, date, start, end, line) = &deadline_rows[0];
    assert_eq!(
        (
            measure.as_str(),
            *position,
            text.as_str(),
            date.as_deref(),
            *line
        ),
        ("doc-a--p1.s2", 0, "到2025年", Some("2025-12-31"), 4)
    );
    let (start, end) = (
        usize::try_from(*start).unwrap(),
        usize::try_from(*end).unwrap(),
    );
    assert_eq!(&SOURCE_A[start..end], "到2025年");

    let aliases: Vec<String> = load_all(
        &mut conn,
        agency_aliases::table
            .filter(agency_aliases::agency_id.eq("yubei-bigdata"))
            .select(agency_aliases::alias)
            .order(agency_aliases::alias),
    );
    assert_eq!(aliases, vec!["区大数据局", "渝北区大数据发展局"]);
    let resolved: Vec<(String, bool)> = load_all(
        &mut conn,
        agencies::table
            .order(agencies::id)
            .select((agencies::id, agencies::resolved)),
    );
    assert_eq!(
        resolved,
        vec![
            ("provisional-commerce".into(), false),
            ("yubei-bigdata".into(), true)
        ]
    );

    // Goals.
    let goal: (Option<String>, f64, Option<f64>, String, Option<i32>) = goals::table
        .select((
            goals::provision_id,
            goals::value,
            goals::value_base,
            goals::comparator,
            goals::year,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        goal,
        (
            Some("doc-a--p1.s2".into()),
            100.0,
            Some(1.0e10),
            "gte".into(),
            Some(2025)
        )
    );

    // Cross-references take their text from the citing document's citation.
    type ReferenceColumns = (String, String, Option<String>, String, Option<String>, i32);
    let references: Vec<ReferenceColumns> = load_all(
        &mut conn,
        cross_references::table.order(cross_references::id).select((
            cross_references::id,
            cross_references::cited_document_id,
            cross_references::provision_id,
            cross_references::raw,
            cross_references::doc_number,
            cross_references::line_start,
        )),
    );
    assert_eq!(references[0].1, "chongqing-digital-economy-plan");
    assert_eq!(references[0].2.as_deref(), Some("doc-a--p1.s2"));
    assert_eq!(
        references[0].3,
        "《重庆市数字经济方案》（渝府办发〔2020〕25号）"
    );
    assert_eq!(references[0].4.as_deref(), Some("渝府办发〔2020〕25号"));
    assert_eq!(references[0].5, 4);
    assert_eq!(references[1].0, "doc-b--r1");
    assert_eq!(references[1].2, None);
    assert_eq!(references[1].4, None);
    assert_eq!(references[1].5, 3);

    // JSON columns.
    let keywords: String = themes::table
        .select(themes::keywords)
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&keywords).unwrap(),
        serde_json::json!({"strong": ["数据共享"], "weak": ["数据", "平台"]})
    );
    let jurisdiction_aliases: Vec<(String, String, Option<String>, i32)> = load_all(
        &mut conn,
        jurisdictions::table.order(jurisdictions::position).select((
            jurisdictions::id,
            jurisdictions::aliases,
            jurisdictions::parent_id,
            jurisdictions::position,
        )),
    );
    assert_eq!(jurisdiction_aliases[0].1, r#"["重庆","渝"]"#);
    assert_eq!(jurisdiction_aliases[1].2.as_deref(), Some("chongqing"));

    // Warnings keep their document, kind and line.
    let warning_rows: Vec<(i32, Option<String>, String, Option<i32>)> = load_all(
        &mut conn,
        warnings::table.order(warnings::id).select((
            warnings::id,
            warnings::document_id,
            warnings::kind,
            warnings::line,
        )),
    );
    assert_eq!(
        warning_rows,
        vec![
            (1, Some("doc-a".into()), "unresolved_agency".into(), Some(3)),
            (2, None, "missing_metadata".into(), None),
        ]
    );
}

#[test]
fn the_same_corpus_always_gets_the_same_version() {
    let dir = tempfile::tempdir().unwrap();
    let first = write_corpus(&sample_corpus(), &dir.path().join("first.db")).unwrap();
    let second = write_corpus(&sample_corpus(), &dir.path().join("second.db")).unwrap();
    assert_eq!(first.version, second.version);

    // Loading again over an existing database replaces it and keeps the version.
    let again = write_corpus(&sample_corpus(), &dir.path().join("first.db")).unwrap();
    assert_eq!(again.version, first.version);

    // Raw bytes are not in the JSON form of the corpus, but still count.
    let mut changed = sample_corpus();
    changed.documents[1].raw.push(b'\n');
    assert_ne!(corpus_version(&changed).unwrap(), first.version);

    let mut retitled = sample_corpus();
    retitled.documents[0].metadata.title.push('！');
    assert_ne!(corpus_version(&retitled).unwrap(), first.version);
}

#[test]
fn a_failed_insert_leaves_the_old_database_untouched() {
    let (dir, db_path, before) = sample_database();

    let mut broken = sample_corpus();
    let duplicate = broken.documents[0].measures[0].clone();
    broken.documents[0].measures.push(duplicate);
    let error = write_corpus(&broken, &db_path).unwrap_err();
    assert!(
        matches!(
            error,
            DbError::Insert {
                table: "measures",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("UNIQUE constraint failed"),
        "{error}"
    );

    assert_untouched(&dir, &db_path, &before);
}

#[test]
fn a_reference_to_a_missing_record_is_named_and_nothing_is_replaced() {
    let (dir, db_path, before) = sample_database();

    let mut broken = sample_corpus();
    broken.documents[0].measures[0].agencies[0].agency_id = "no-such-agency".into();
    let error = write_corpus(&broken, &db_path).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, DbError::InvalidCorpus(_)), "{error:?}");
    assert!(
        message.contains("measure_agencies.agency_id = 'no-such-agency' is not in agencies"),
        "{message}"
    );

    assert_untouched(&dir, &db_path, &before);
}

#[test]
fn an_index_out_of_range_is_an_error_not_a_panic() {
    let (dir, db_path) = temp_db();

    let mut broken = sample_corpus();
    broken.references[0].citation = 7;
    let error = write_corpus(&broken, &db_path).unwrap_err();
    assert!(error.to_string().contains("citation index 7"), "{error}");

    let mut broken = sample_corpus();
    broken.documents[0].measures[0].span.end = SOURCE_A.len() + 10;
    let error = write_corpus(&broken, &db_path).unwrap_err();
    assert!(
        error.to_string().contains("outside the source text"),
        "{error}"
    );

    assert!(entries(dir.path()).is_empty());
}

#[test]
fn writing_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("no-such-dir").join("zhengce.db");
    let error = write_corpus(&sample_corpus(), &db_path).unwrap_err();
    assert!(matches!(error, DbError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("no-such-dir"), "{error}");
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn the_read_only_pool_rejects_writes() {
    let (_dir, db_path, before) = sample_database();

    let pool = open_read_only_pool(&db_path, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let query_only: Vec<Name> =
        diesel::sql_query("SELECT CAST(query_only AS TEXT) AS name FROM pragma_query_only")
            .load(&mut conn)
            .unwrap();
    assert_eq!(query_only[0].name, "1");

    let insert = diesel::insert_into(dataset::table)
        .values((dataset::key.eq("intruder"), dataset::value.eq("x")))
        .execute(&mut conn);
    assert!(insert.is_err(), "insert through the pool succeeded");
    let delete = diesel::delete(documents::table).execute(&mut conn);
    assert!(delete.is_err(), "delete through the pool succeeded");
    let documents: i64 = documents::table.count().get_result(&mut conn).unwrap();
    assert_eq!(documents, 2);

    // Even with query_only switched off, the file itself is open read-only.
    conn.batch_execute("PRAGMA query_only = OFF").unwrap();
    let error = diesel::insert_into(dataset::table)
        .values((dataset::key.eq("intruder"), dataset::value.eq("x")))
        .execute(&mut conn)
        .unwrap_err();
    assert!(error.to_string().contains("readonly"), "{error}");
    drop(conn);
    drop(pool);

    assert_eq!(fs::read(&db_path).unwrap(), before);
}

#[test]
fn opening_a_missing_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("missing.db");
    let error = open_read_only_pool(&db_path, 2).unwrap_err();
    assert!(matches!(error, DbError::Missing { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("missing.db"), "{message}");
    assert!(message.contains("does not exist"), "{message}");
    assert!(!db_path.exists(), "opening must not create the file");
}

#[test]
fn opening_a_file_that_is_not_a_zhengce_database_says_so() {
    let dir = tempfile::tempdir().unwrap();

    let text_file = dir.path().join("notes.db");
    fs::write(
        &text_file,
        "这不是数据库。This is not a database, just some text.\n".repeat(40),
    )
    .unwrap();
    let error = open_read_only_pool(&text_file, 2).unwrap_err();
    assert!(matches!(error, DbError::NotZhengce { .. }), "{error:?}");
    assert!(
        error.to_string().contains("is not a zhengce database"),
        "{error}"
    );

    let other_sqlite = dir.path().join("other.db");
    open_writable(&other_sqlite)
        .batch_execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
        .unwrap();
    let error = open_read_only_pool(&other_sqlite, 2).unwrap_err();
    assert!(matches!(error, DbError::NotZhengce { .. }), "{error:?}");
    assert!(error.to_string().contains("dataset"), "{error}");

    let without_version = dir.path().join("without-version.db");
    let mut conn = open_writable(&without_version);
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    drop(conn);
    let error = open_read_only_pool(&without_version, 2).unwrap_err();
    assert!(error.to_string().contains("no `version` key"), "{error}");

    let error = open_read_only_pool(dir.path(), 2).unwrap_err();
    assert!(matches!(error, DbError::NotZhengce { .. }), "{error:?}");
}

#[test]
fn a_pool_of_size_zero_is_an_error() {
    let (_dir, db_path) = temp_db();
    write_corpus(&sample_corpus(), &db_path).unwrap();
    let error = open_read_only_pool(&db_path, 0).unwrap_err();
    assert!(matches!(error, DbError::PoolSize(0)), "{error:?}");
}

#[test]
fn paths_with_uri_characters_work() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("odd?name#with%chars.db");
    let stats = write_corpus(&sample_corpus(), &db_path).unwrap();
    let pool = open_read_only_pool(&db_path, 1).unwrap();
    let mut conn = pool.get().unwrap();
    assert_eq!(dataset_version(&mut conn).unwrap(), stats.version);
    assert_eq!(
        entries(dir.path()),
        vec!["odd?name#with%chars.db".to_string()]
    );
}

#[test]
fn loading_a_missing_data_folder_reports_the_folder_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("no-data-here");
    let db_path = dir.path().join("zhengce.db");
    let error = load_data_dir(&data, &db_path).unwrap_err();
    assert!(matches!(error, LoadError::Corpus(_)), "{error:?}");
    assert!(error.to_string().contains("no-data-here"), "{error}");
    assert!(!db_path.exists());
}

#[test]
fn a_failed_rename_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a non-empty directory, so the final rename fails after a full build.
    let db_path = dir.path().join("zhengce.db");
    fs::create_dir(&db_path).unwrap();
    fs::write(db_path.join("keep.txt"), "kept").unwrap();

    let error = write_corpus(&sample_corpus(), &db_path).unwrap_err();
    assert!(
        matches!(
            error,
            DbError::Io {
                action: "replace",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(entries(dir.path()), vec!["zhengce.db".to_string()]);
    assert_eq!(
        fs::read_to_string(db_path.join("keep.txt")).unwrap(),
        "kept"
    );
}

#[test]
fn the_load_report_lists_documents_totals_and_unresolved_names() {
    let (_dir, db_path) = temp_db();
    let corpus = sample_corpus();
    let stats = write_corpus(&corpus, &db_path).unwrap();
    let summaries: Vec<DocumentSummary> =
        corpus.documents.iter().map(DocumentSummary::of).collect();
    assert_eq!(summaries[0].agency_links, 3);
    assert_eq!(summaries[0].unresolved_names, 1, "区商务委 counted once");

    let report = LoadReport {
        documents: summaries,
        stats: stats.clone(),
        unresolved_agencies: vec![
            "data/documents/doc-a.txt:3: agency name 区商务委 is not in the gazetteer".into(),
        ],
        elapsed: std::time::Duration::from_millis(123),
        db_path: "zhengce.db".into(),
    };
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "doc-a: 2 measures, 3 agency links, 1 goals, 1 references, 1 unresolved names"
    );
    assert_eq!(
        lines[1],
        "doc-b: 0 measures, 0 agency links, 0 goals, 1 references, 0 unresolved names"
    );
    assert_eq!(
        lines[2],
        "total: 2 documents, 2 measures, 3 agency links, 1 goals, 2 references, \
         2 agencies, 1 themes, 2 warnings"
    );
    assert_eq!(lines[3], format!("dataset version {}", stats.version));
    assert_eq!(lines[4], "loaded in 0.123 s into zhengce.db");
    assert_eq!(lines[5], "unresolved agency names (1):");
    assert_eq!(
        lines[6],
        "  data/documents/doc-a.txt:3: agency name 区商务委 is not in the gazetteer"
    );
    assert_eq!(lines.len(), 7);
}

fn real_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

#[test]
fn the_real_data_folder_loads_and_reloads_to_the_same_version() {
    let (dir, db_path) = temp_db();
    let report =
        load_data_dir(&real_data_dir(), &db_path).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(report.stats.documents, 5);
    assert_eq!(report.documents.len(), 5);
    assert!(report.stats.measures > 0, "no measures in the real data");
    let text = report.to_string();
    assert!(text.contains("loaded in "), "{text}");
    for document in &report.documents {
        assert!(text.contains(&format!("{}: ", document.id)), "{text}");
    }

    let pool = open_read_only_pool(&db_path, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let stored_documents: i64 = documents::table.count().get_result(&mut conn).unwrap();
    let stored_measures: i64 = measures::table.count().get_result(&mut conn).unwrap();
    assert_eq!(stored_documents, 5);
    assert_eq!(stored_measures as usize, report.stats.measures);
    assert_eq!(dataset_version(&mut conn).unwrap(), report.stats.version);
    drop(conn);
    drop(pool);

    let again = load_data_dir(&real_data_dir(), &db_path).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        again.stats.version, report.stats.version,
        "same data, same version"
    );
    assert_eq!(entries(dir.path()), vec!["zhengce.db".to_string()]);
}

#[derive(QueryableByName)]
struct ServedLinks {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    agencies: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    themes: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    deadlines: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    agencies_from_links: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    themes_from_links: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    deadlines_from_rows: String,
}

/// SQL for the span of a row of alias `x` as the JSON columns of `measures` hold it, closing
/// the array of its link: in the measure's document, without its verbatim text (neither is
/// stored again).
const SPAN_FROM_ROW: &str = "x.span_start, x.span_end, x.line_start, x.line_end";

/// Checks every measure's JSON copies of its links (agencies, themes, deadlines) against
/// its link rows; returns how many measures name agencies and how many have deadlines.
fn assert_measures_carry_their_link_rows(db_path: &Path) -> (usize, usize, usize) {
    let mut conn = SqliteConnection::establish(&db_path.to_string_lossy()).unwrap();
    let rows: Vec<ServedLinks> = diesel::sql_query(format!(
        "SELECT m.id AS id, m.agencies AS agencies, m.themes AS themes, \
         m.deadlines AS deadlines, \
         (SELECT json_group_array(json_array(x.agency_id, x.role, x.raw_name, \
           {SPAN_FROM_ROW})) \
          FROM (SELECT ma.agency_id, ma.role, ma.raw_name, ma.span_start, \
                ma.span_end, ma.line_start, ma.line_end \
                FROM measure_agencies ma JOIN agencies a ON a.id = ma.agency_id \
                WHERE ma.measure_id = m.id ORDER BY ma.position) x) AS agencies_from_links, \
         (SELECT json_group_array(x.id) \
          FROM (SELECT t.id FROM measure_themes mt \
                JOIN themes t ON t.id = mt.theme_id \
                WHERE mt.measure_id = m.id ORDER BY t.position, t.id) x) AS themes_from_links, \
         (SELECT json_group_array(json_array(x.text, x.date, {SPAN_FROM_ROW})) \
          FROM (SELECT dl.text, dl.date, dl.span_start, dl.span_end, dl.line_start, \
                dl.line_end FROM deadlines dl WHERE dl.measure_id = m.id \
                ORDER BY dl.position) x) AS deadlines_from_rows \
         FROM measures m JOIN documents d ON d.id = m.document_id ORDER BY m.id"
    ))
    .load(&mut conn)
    .unwrap();
    let parse = |text: &str| -> serde_json::Value { serde_json::from_str(text).unwrap() };
    let mut with_agencies = 0;
    let mut with_deadlines = 0;
    for row in &rows {
        assert_eq!(
            parse(&row.agencies),
            parse(&row.agencies_from_links),
            "{}: agencies",
            row.id
        );
        assert_eq!(
            parse(&row.themes),
            parse(&row.themes_from_links),
            "{}: themes",
            row.id
        );
        assert_eq!(
            parse(&row.deadlines),
            parse(&row.deadlines_from_rows),
            "{}: deadlines",
            row.id
        );
        if parse(&row.agencies)
            .as_array()
            .is_some_and(|a| !a.is_empty())
        {
            with_agencies += 1;
        }
        if parse(&row.deadlines)
            .as_array()
            .is_some_and(|a| !a.is_empty())
        {
            with_deadlines += 1;
        }
    }
    (rows.len(), with_agencies, with_deadlines)
}

#[test]
fn each_measure_carries_exactly_its_link_rows() {
    let (dir, db_path) = temp_db();
    load_data_dir(&real_data_dir(), &db_path).unwrap_or_else(|error| panic!("{error}"));
    let (measures, with_agencies, _) = assert_measures_carry_their_link_rows(&db_path);
    assert!(measures > 100, "{measures} measures");
    assert!(with_agencies > 50, "{with_agencies} measures name agencies");

    // The bundled documents state no deadline in a measure; the small corpus does.
    let db_path = dir.path().join("sample.db");
    write_corpus(&sample_corpus(), &db_path).unwrap();
    let (measures, with_agencies, with_deadlines) = assert_measures_carry_their_link_rows(&db_path);
    assert_eq!((measures, with_agencies, with_deadlines), (2, 2, 1));
}

#[test]
fn the_deadlines_migration_reverts_and_applies_again() {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let count = |conn: &mut SqliteConnection, sql: &str| -> i64 {
        diesel::sql_query(sql)
            .get_result::<Count>(conn)
            .unwrap()
            .count
    };
    const DEADLINE_OBJECTS: &str = "SELECT COUNT(*) AS count FROM sqlite_master \
        WHERE name IN ('deadlines', 'deadlines_date')";
    const NEW_COLUMNS: &str = "SELECT (SELECT COUNT(*) FROM pragma_table_info('measures') \
        WHERE name = 'deadlines') + (SELECT COUNT(*) FROM pragma_table_info('measure_agencies') \
        WHERE name IN ('span_start', 'span_end', 'line_start', 'line_end')) AS count";
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    assert_eq!(count(&mut conn, DEADLINE_OBJECTS), 2);
    assert_eq!(count(&mut conn, NEW_COLUMNS), 5);
    // Down to the deadlines migration, the ones after it first.
    loop {
        let reverted = conn.revert_last_migration(MIGRATIONS).unwrap();
        if reverted
            .to_string()
            .replace('-', "")
            .starts_with("20261125000004")
        {
            break;
        }
    }
    assert_eq!(count(&mut conn, DEADLINE_OBJECTS), 0);
    assert_eq!(count(&mut conn, NEW_COLUMNS), 0);
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    assert_eq!(count(&mut conn, DEADLINE_OBJECTS), 2);
    assert_eq!(count(&mut conn, NEW_COLUMNS), 5);
}

/// Loads the data folder `data` into a database in `dir` and checks that the verbatim text of
/// every measure, agency link, deadline and goal as read back — cut out of the document's
/// source text by the span — equals the text the loader used to store with each record: the
/// source text of the span in the parsed document. Returns how many quotes were compared.
fn assert_quotes_are_the_source_of_their_spans(data: &Path, dir: &Path) -> usize {
    let corpus = zhengce::corpus::load_corpus(data).unwrap_or_else(|error| panic!("{error}"));
    let db_path = dir.join("quotes.db");
    write_corpus(&corpus, &db_path).unwrap_or_else(|error| panic!("{error}"));
    let pool = open_read_only_pool(&db_path, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let mut compared = 0;
    for document in &corpus.documents {
        let quote =
            |span: &zhengce::corpus::SourceSpan| document.source[span.start..span.end].to_owned();
        for measure in &document.measures {
            let record = zhengce::db::queries::measures::get(&mut conn, &measure.id)
                .unwrap_or_else(|error| panic!("{}: {error}", measure.id));
            // The measure's own quote, then its agencies' and its deadlines', in order.
            let served: Vec<&str> = std::iter::once(&record.source)
                .chain(record.agencies.iter().map(|agency| &agency.source))
                .chain(record.deadlines.iter().map(|deadline| &deadline.source))
                .map(|source| source.verbatim.as_str())
                .collect();
            let stored: Vec<String> = std::iter::once(&measure.span)
                .chain(measure.agencies.iter().map(|mention| &mention.span))
                .chain(measure.deadlines.iter().map(|deadline| &deadline.span))
                .map(quote)
                .collect();
            assert_eq!(served, stored, "{}", measure.id);
            compared += 1 + measure.agencies.len() + measure.deadlines.len();
        }
        for goal in &document.goals {
            let record = zhengce::db::queries::goals::get(&mut conn, &goal.id)
                .unwrap_or_else(|error| panic!("{}: {error}", goal.id));
            assert_eq!(record.source.verbatim, quote(&goal.span), "{}", goal.id);
            compared += 1;
        }
    }
    compared
}

/// A synthetic data folder of `documents` documents drawn from the bundled data, at `path`.
fn synthetic_data(path: &Path, documents: usize, seed: u64) -> PathBuf {
    zhengce::synth::write_synthetic_corpus(
        &real_data_dir(),
        path,
        zhengce::synth::SynthOptions { documents, seed },
    )
    .unwrap_or_else(|error| panic!("synth: {error}"));
    path.to_path_buf()
}

#[test]
fn quotes_cut_from_the_source_equal_the_stored_copies_they_replace_on_the_bundled_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let compared = assert_quotes_are_the_source_of_their_spans(&real_data_dir(), dir.path());
    assert!(compared > 300, "{compared} quotes compared");
}

#[test]
fn quotes_cut_from_the_source_equal_the_stored_copies_they_replace_on_a_synthetic_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic_data(&dir.path().join("data"), 30, 5);
    let compared = assert_quotes_are_the_source_of_their_spans(&data, dir.path());
    assert!(compared > 3000, "{compared} quotes compared");
}

#[test]
fn the_counts_kept_by_the_loader_are_the_same_computed_on_one_connection_or_two() {
    let (_dir, db_path, _) = sample_database();
    let uri = db_path.display().to_string();
    let open = || SqliteConnection::establish(&uri).unwrap();
    let stored: Vec<(String, String)> = precomputed::table
        .select((precomputed::statement, precomputed::rows))
        .order(precomputed::statement)
        .load(&mut open())
        .unwrap();
    let sorted = |mut statements: Vec<(String, String)>| {
        statements.sort();
        statements
    };
    let one = sorted(zhengce::db::queries::precompute(&mut [open()]).unwrap());
    let two = sorted(zhengce::db::queries::precompute(&mut [open(), open()]).unwrap());
    assert!(
        stored.len() > zhengce::db::queries::LISTS.len(),
        "a total and facets for every list: {stored:?}"
    );
    assert_eq!(one, stored);
    assert_eq!(two, stored);
}

/// The rows of every table of the database at `path` that differ from those of the
/// database at `other`, as `table: n rows only here, m only there`; the load time and
/// FTS5's own segment tables (whose layout depends on how the entries were batched, not on
/// what they say) are left out.
fn tables_that_differ(path: &Path, other: &Path) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = open_writable(path);
    diesel::sql_query(format!(
        "ATTACH DATABASE '{}' AS other",
        other.display().to_string().replace('\'', "''")
    ))
    .execute(&mut conn)
    .unwrap();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' \
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load(&mut conn)
    .unwrap();
    assert!(tables.len() >= 16, "{} tables", tables.len());
    let mut differ = Vec::new();
    for Name { name } in tables {
        let mut except = |from: &str, to: &str| -> i64 {
            let filter = if name == "dataset" {
                " WHERE key <> 'loaded_at'"
            } else {
                ""
            };
            let rows: Vec<Count> = diesel::sql_query(format!(
                "SELECT COUNT(*) AS n FROM (SELECT * FROM {from}.\"{name}\"{filter} \
                 EXCEPT SELECT * FROM {to}.\"{name}\"{filter})"
            ))
            .load(&mut conn)
            .unwrap();
            rows[0].n
        };
        let (here, there) = (except("main", "other"), except("other", "main"));
        if here != 0 || there != 0 {
            differ.push(format!("{name}: {here} rows only here, {there} only there"));
        }
    }
    differ
}

#[test]
fn a_load_writes_the_same_database_whatever_the_slices_of_documents() {
    let dir = tempfile::tempdir().unwrap();
    let synthetic = synthetic_data(&dir.path().join("synthetic"), 12, 3);
    for (name, data) in [("bundled", real_data_dir()), ("synthetic", synthetic)] {
        let corpus = zhengce::corpus::load_corpus(&data).unwrap();
        let in_memory = dir.path().join(format!("{name}-memory.db"));
        let stats = write_corpus(&corpus, &in_memory).unwrap();
        assert_eq!(stats.version, corpus_version(&corpus).unwrap());
        for slice_bytes in [1, 100_000, usize::MAX] {
            let sliced = dir.path().join(format!("{name}-{slice_bytes}.db"));
            let report = load_data_dir_in_slices(&data, &sliced, slice_bytes)
                .unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(report.stats.version, stats.version, "{name}, {slice_bytes}");
            assert_eq!(report.stats.measures, stats.measures);
            assert_eq!(report.stats.search_entries, stats.search_entries);
            let summaries: Vec<DocumentSummary> =
                corpus.documents.iter().map(DocumentSummary::of).collect();
            assert_eq!(report.documents, summaries, "{name}, {slice_bytes}");
            assert_eq!(
                tables_that_differ(&sliced, &in_memory),
                Vec::<String>::new(),
                "{name}, slices of {slice_bytes} bytes"
            );
        }
    }
}

#[test]
fn a_document_without_its_body_assembles_into_the_same_corpus_records() {
    let corpus = zhengce::corpus::load_corpus(&real_data_dir()).unwrap();
    assert!(!corpus.references.is_empty() && !corpus.warnings.is_empty());
    let files = zhengce::corpus::CorpusFiles::open(&real_data_dir(), &[]).unwrap();
    let mut kept = Vec::new();
    let provisional = files
        .parse_each(|document| {
            assert!(!document.measures.is_empty() || !document.source.is_empty());
            kept.push(document.without_body());
            Ok::<_, zhengce::corpus::CorpusError>(())
        })
        .unwrap();
    let assembled = files.assemble(kept, provisional);
    assert_eq!(json(&assembled.agencies), json(&corpus.agencies));
    assert_eq!(
        json(&assembled.cited_documents),
        json(&corpus.cited_documents)
    );
    assert_eq!(json(&assembled.references), json(&corpus.references));
    assert_eq!(json(&assembled.warnings), json(&corpus.warnings));
    let mut cited_provisions = 0;
    for (slim, full) in assembled.documents.iter().zip(&corpus.documents) {
        assert!(slim.measures.is_empty() && slim.source.is_empty() && slim.raw.is_empty());
        assert!(slim.outline.len() <= slim.citations.len());
        assert_eq!(slim.citations.len(), full.citations.len());
        // Each citation still stands in the same provision, in the shorter outline.
        let provision_id = |document: &ParsedDocument, index: Option<usize>| {
            index.map(|index| document.outline[index].id.clone())
        };
        for (kept, citation) in slim.citations.iter().zip(&full.citations) {
            assert_eq!(
                provision_id(slim, kept.provision),
                provision_id(full, citation.provision)
            );
            cited_provisions += usize::from(kept.provision.is_some());
            let without_provision = |citation: &zhengce::corpus::Citation| {
                json(&zhengce::corpus::Citation {
                    provision: None,
                    ..citation.clone()
                })
            };
            assert_eq!(without_provision(kept), without_provision(citation));
        }
    }
    assert!(cited_provisions > 0, "no citation stands in a provision");
}

/// A value as JSON, to compare records that do not implement `PartialEq`.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

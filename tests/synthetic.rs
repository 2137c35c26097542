//! The API over a synthetic corpus of 40 documents (about 2,000 measures), large enough for
//! what the bundled corpus cannot show: relevance pages read off the remembered ranking of a
//! query, where a filtered page needs several slices of the ranking, and exports longer than
//! one export page, which are streamed.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use common::{request_at, scratch_dir, start, with_query};
use diesel::{Connection, SqliteConnection};
use zhengce::db::search::{compile, parse_query, search, SearchKind};
use zhengce::synth::{write_synthetic_corpus, SynthOptions};

/// Every record of a list, following `links.next` from `path` on the server at `base`, with
/// the total the first page gave.
fn walk_at(base: &str, path: &str) -> (Vec<String>, i64) {
    let mut keys = Vec::new();
    let mut total = None;
    let mut next = Some(path.to_owned());
    let mut pages = 0;
    while let Some(path) = next {
        let response = request_at(base, "GET", &path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        let page: Value = response.json();
        total.get_or_insert(page["meta"]["total"].as_i64().unwrap_or(-1));
        for record in page["data"].as_array().unwrap_or(&Vec::new()) {
            keys.push(format!(
                "{}:{}",
                record["type"].as_str().unwrap_or(""),
                record["id"].as_str().unwrap_or("")
            ));
        }
        next = page["links"]["next"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages < 5_000, "pagination does not end at {path}");
    }
    (keys, total.unwrap_or(-1))
}

/// The synthetic database and the base URL of a server over it, once per test binary.
fn synthetic() -> &'static (PathBuf, String) {
    static SERVER: OnceLock<(PathBuf, String)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = scratch_dir("zhengce-synthetic-");
        let data = dir.join("data");
        write_synthetic_corpus(
            &common::data_dir(),
            &data,
            SynthOptions {
                documents: 40,
                seed: 11,
            },
        )
        .unwrap_or_else(|error| panic!("synth: {error}"));
        let db = dir.join("zhengce.db");
        zhengce::db::load::load_data_dir(&data, &db)
            .unwrap_or_else(|error| panic!("loading the synthetic corpus: {error}"));
        let pool = zhengce::db::open_read_only_pool(&db, 4).unwrap_or_else(|e| panic!("pool: {e}"));
        (db, start(pool))
    })
}

/// `sort=relevance` takes the remembered ranking; `sort=relevance,id` is the same order (the
/// id is already the tie-breaker) computed by one ranked statement.
#[test]
fn relevance_pages_from_the_remembered_ranking_equal_the_ranked_statement() {
    let (db, base) = synthetic();
    let base = base.as_str();
    let mut conn = SqliteConnection::establish(&db.to_string_lossy())
        .unwrap_or_else(|e| panic!("opening the database: {e}"));

    // A measure of the corpus names the filters that keep a few of the matches.
    let sample = request_at(base, "GET", "/v1/measures?q=%E5%8F%91%E5%B1%95&limit=1").json();
    let first = &sample["data"][0];
    let document = first["document"].as_str().unwrap_or_default().to_owned();
    let agency = first["agencies"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!document.is_empty() && !agency.is_empty(), "{sample}");

    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/v1/measures", vec![("q", "发展")]),
        ("/v1/measures", vec![("q", "医疗 OR 教育")]),
        ("/v1/measures", vec![("q", "\"互联网+\"")]),
        ("/v1/measures", vec![("q", "发展"), ("document", &document)]),
        ("/v1/measures", vec![("q", "发展"), ("agency", &agency)]),
        ("/v1/measures", vec![("q", "发展 -数据"), ("role", "lead")]),
        ("/v1/documents", vec![("q", "发展")]),
        ("/v1/goals", vec![("q", "亿元 OR 家")]),
        ("/v1/agencies", vec![("q", "局")]),
        ("/v1/search", vec![("q", "发展")]),
        ("/v1/search", vec![("q", "发展"), ("type", "goal,document")]),
    ];
    for (list, pairs) in cases {
        for limit in ["7", "100"] {
            let mut remembered = pairs.clone();
            remembered.extend([("limit", limit)]);
            let mut statement = pairs.clone();
            statement.extend([("limit", limit)]);
            if list != "/v1/search" {
                remembered.push(("sort", "relevance"));
                statement.push(("sort", "relevance,id"));
            }
            let (from_ranking, total) = walk_at(base, &with_query(list, &remembered));
            assert_eq!(
                from_ranking.len() as i64,
                total,
                "{list} {pairs:?}: no gaps"
            );
            if list == "/v1/search" {
                // Search has one order: compare with every hit of the ranked statement.
                let kinds: Vec<SearchKind> = pairs
                    .iter()
                    .filter(|(name, _)| *name == "type")
                    .flat_map(|(_, value)| value.split(','))
                    .filter_map(SearchKind::parse)
                    .collect();
                let q = pairs
                    .iter()
                    .find(|(name, _)| *name == "q")
                    .map_or("", |p| p.1);
                let query = compile(&parse_query(q).unwrap_or_else(|e| panic!("{q}: {e}")));
                let hits = search(&mut conn, &query, &kinds).unwrap_or_else(|e| panic!("{e}"));
                let expected: Vec<String> = hits
                    .iter()
                    .map(|hit| format!("{}:{}", hit.kind, hit.record_id))
                    .collect();
                assert_eq!(from_ranking, expected, "{list} {pairs:?} limit {limit}");
                continue;
            }
            let (from_statement, statement_total) = walk_at(base, &with_query(list, &statement));
            assert!(from_ranking.len() > 7, "{list} {pairs:?}: several pages");
            assert_eq!(total, statement_total, "{list} {pairs:?}");
            assert_eq!(
                from_ranking, from_statement,
                "{list} {pairs:?} limit {limit}"
            );
        }
    }
}

/// An export longer than one export page (1,000 records) streams every record once, after
/// one header row; a shorter one is a single body with its length.
#[test]
fn long_exports_stream_every_record_once() {
    let (_, base) = synthetic();
    let total = request_at(base, "GET", "/v1/measures?limit=1").json()["meta"]["total"]
        .as_i64()
        .unwrap_or(0);
    assert!(total > 1_000, "{total} measures: more than one export page");
    let csv = request_at(base, "GET", "/v1/measures?format=csv&bom=false");
    assert_eq!(csv.status, 200);
    assert!(csv.headers.get("content-length").is_none(), "streamed");
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let ids: Vec<String> = reader
        .records()
        .map(|record| record.unwrap_or_else(|e| panic!("{e}"))[0].to_owned())
        .collect();
    assert_eq!(ids.len() as i64, total);
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no record twice");
    let ndjson = request_at(base, "GET", "/v1/measures?format=ndjson").text();
    assert_eq!(ndjson.lines().count() as i64, total);

    let short = request_at(
        base,
        "GET",
        "/v1/measures?format=csv&limit=5&document=synth-000001",
    );
    assert_eq!(short.status, 200);
    assert!(short.text().lines().count() > 2);
    let length = short
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok());
    assert_eq!(
        length,
        Some(short.body.len().to_string().as_str()),
        "one body"
    );
}

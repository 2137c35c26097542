//! Full-text search over the real corpus: recall for terms of every shape (two-, three- and
//! four-character words, Latin tokens, strings that cross word boundaries), exactness of
//! quoted terms, each operator, and unsafe input.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use common::terms::{self, TERMS};
use diesel::prelude::*;
use zhengce::corpus::{load_corpus, Corpus};
use zhengce::db::search::{compile, parse_query, search, SearchKind};

struct Fixture {
    corpus: Corpus,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let corpus = load_corpus(&common::data_dir()).expect("the bundled corpus loads");
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("zhengce.db");
        zhengce::db::load::write_corpus(&corpus, &db).expect("database written");
        Fixture {
            corpus,
            db,
            _dir: dir,
        }
    })
}

fn connection() -> SqliteConnection {
    let uri = format!("file:{}?mode=ro", fixture().db.display());
    SqliteConnection::establish(&uri).expect("database opens")
}

/// Measure ids the search returns for a query.
fn measures_found(query: &str) -> BTreeSet<String> {
    let expr = parse_query(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
    let compiled = compile(&expr);
    search(&mut connection(), &compiled, &[SearchKind::Measure])
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
        .into_iter()
        .map(|hit| hit.record_id)
        .collect()
}

/// Measure ids whose title or normalized text contains the term (ASCII case folded).
fn measures_containing(term: &str) -> BTreeSet<String> {
    terms::measures_containing(&fixture().corpus, term)
}

#[test]
fn every_measure_containing_a_term_is_found() {
    let mut checked = 0;
    for term in TERMS {
        let expected = measures_containing(term);
        let quoted = measures_found(&format!("\"{term}\""));
        assert_eq!(
            quoted, expected,
            "quoted {term:?}: exactly the measures that contain it"
        );
        let plain = measures_found(term);
        assert!(
            expected.is_subset(&plain),
            "plain {term:?} missed {:?}",
            expected.difference(&plain).collect::<Vec<_>>()
        );
        checked += 1;
    }
    assert!(checked >= 40, "{checked} terms");
    // The corpus does hold these: the test is not vacuous.
    assert!(measures_containing("医疗").len() >= 5);
    assert!(!measures_containing("线上业").is_empty());
}

#[test]
fn single_characters_are_found_by_scanning() {
    assert_eq!(measures_found("\"医\""), measures_containing("医"));
    assert_eq!(measures_found("\"快5G\""), measures_containing("快5G"));
}

#[test]
fn operators() {
    let healthcare = measures_containing("医疗");
    let education = measures_containing("教育");
    let both: BTreeSet<String> = healthcare.intersection(&education).cloned().collect();
    let either: BTreeSet<String> = healthcare.union(&education).cloned().collect();
    let only_healthcare: BTreeSet<String> = healthcare.difference(&education).cloned().collect();
    assert_eq!(measures_found("\"医疗\" \"教育\""), both);
    assert_eq!(measures_found("\"医疗\" OR \"教育\""), either);
    assert_eq!(measures_found("\"医疗\" -\"教育\""), only_healthcare);
    assert!(!both.is_empty() && both.len() < either.len());
}

#[test]
fn title_matches_rank_first() {
    let expr = parse_query("在线医疗").unwrap();
    let hits = search(&mut connection(), &compile(&expr), &[SearchKind::Measure]).unwrap();
    let first = &hits[0];
    assert!(first.title.contains("在线医疗"), "{first:?}");
    let first_body_only = hits
        .iter()
        .position(|hit| hit.title_hit == 0)
        .unwrap_or(hits.len());
    assert!(hits[first_body_only..].iter().all(|hit| hit.title_hit == 0));
}

#[test]
fn every_kind_is_searchable() {
    let expr = parse_query("大数据").unwrap();
    let hits = search(&mut connection(), &compile(&expr), &[]).unwrap();
    let kinds: BTreeSet<&str> = hits.iter().map(|hit| hit.kind.as_str()).collect();
    assert!(
        kinds.contains("measure") && kinds.contains("document") && kinds.contains("agency"),
        "{kinds:?}"
    );
    let expr = parse_query("Hongkou").unwrap();
    let hits = search(&mut connection(), &compile(&expr), &[SearchKind::Agency]).unwrap();
    assert!(!hits.is_empty(), "English agency names are indexed");
}

#[test]
fn unsafe_input_never_breaks_the_query() {
    for query in [
        "covid-19",
        "a\"b",
        "医疗:",
        "医疗*",
        "NEAR(医疗 教育)",
        "{title_grams}: 医疗",
        "AND OR NOT",
        "'; DROP TABLE measures; --",
        "\"unbalanced",
        "5G OR",
        "OR 5G",
        "-医疗 教育",
    ] {
        let expr = parse_query(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
        search(&mut connection(), &compile(&expr), &[])
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
    }
    let long = "在线医疗服务".repeat(40);
    match parse_query(&long) {
        Ok(expr) => {
            search(&mut connection(), &compile(&expr), &[]).unwrap();
        }
        Err(error) => assert!(error.0.contains("at most"), "{error}"),
    }
}

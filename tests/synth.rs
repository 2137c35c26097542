//! `zhengce synth`: the corpus it writes loads with every item it wrote as a measure, no
//! warning and no unresolved name, and a seed always writes the same files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::scratch_dir;
use zhengce::corpus::load_corpus;
use zhengce::synth::{write_synthetic_corpus, SynthOptions};

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{folder:?}: {e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
                found.insert(name, bytes);
            }
        }
    }
    found
}

#[test]
fn a_synthetic_corpus_loads_whole_and_the_same_for_a_seed() {
    let dir = scratch_dir("zhengce-synth-");
    let options = SynthOptions {
        documents: 60,
        seed: 7,
    };
    let summary = write_synthetic_corpus(&common::data_dir(), &dir.join("a"), options)
        .unwrap_or_else(|e| panic!("synth: {e}"));
    write_synthetic_corpus(&common::data_dir(), &dir.join("b"), options)
        .unwrap_or_else(|e| panic!("synth: {e}"));
    assert_eq!(
        files(&dir.join("a")),
        files(&dir.join("b")),
        "same seed, same files"
    );

    let corpus = load_corpus(&dir.join("a")).unwrap_or_else(|e| panic!("load: {e}"));
    assert_eq!(corpus.documents.len(), summary.documents);
    let measures: usize = corpus.documents.iter().map(|d| d.measures.len()).sum();
    assert_eq!(
        measures, summary.measures,
        "every item written is a measure"
    );
    assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings.first());
    assert!(corpus.agencies.iter().all(|agency| agency.resolved));
    let named = corpus
        .documents
        .iter()
        .flat_map(|d| &d.measures)
        .flat_map(|m| &m.agencies)
        .count();
    assert!(named >= measures, "each measure names at least one agency");
    assert!(corpus
        .documents
        .iter()
        .flat_map(|d| &d.measures)
        .flat_map(|m| &m.agencies)
        .all(|link| link.resolved));
}

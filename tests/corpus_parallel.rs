//! `load_corpus` parses documents on several threads; its result must be exactly that of a
//! parse one file after the other, including the provisional agencies that documents create
//! for names the gazetteer lacks (numbered in order of first appearance).

use std::fs;
use std::path::{Path, PathBuf};

use zhengce::corpus::document::{parse_document, ParseContext, ProvisionalAgencies};
use zhengce::corpus::reference::load_reference_and_gazetteer;
use zhengce::corpus::{self, Corpus};

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The corpus parsed file by file, in file-name order, with one shared registry.
fn sequential(data: &Path) -> Corpus {
    let (reference, gazetteer) = load_reference_and_gazetteer(data).unwrap();
    let context = ParseContext {
        reference: &reference,
        gazetteer: &gazetteer,
    };
    let mut files: Vec<PathBuf> = fs::read_dir(data.join("documents"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let mut provisional = ProvisionalAgencies::default();
    let documents = files
        .iter()
        .map(|path| {
            let id = path.file_stem().unwrap().to_str().unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            parse_document(
                id,
                name,
                fs::read(path).unwrap(),
                &context,
                &mut provisional,
            )
            .unwrap()
        })
        .collect();
    corpus::assemble(reference, documents, provisional, data)
}

fn json(corpus: &Corpus) -> String {
    serde_json::to_string(corpus).unwrap()
}

#[test]
fn the_parallel_parse_equals_the_file_by_file_parse() {
    let data = bundled();
    assert_eq!(
        json(&corpus::load_corpus(&data).unwrap()),
        json(&sequential(&data))
    );
}

#[test]
fn provisional_agencies_are_numbered_as_in_a_file_by_file_parse() {
    // The bundled data with only the national agencies in the gazetteer: every district
    // agency becomes provisional, in several documents, so the shared registry matters.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    fs::create_dir(data.join("documents")).unwrap();
    for entry in fs::read_dir(bundled().join("documents")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            data.join("documents").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    for file in ["jurisdictions.toml", "documents.toml", "themes.toml"] {
        fs::copy(bundled().join(file), data.join(file)).unwrap();
    }
    let gazetteer = fs::read_to_string(bundled().join("agencies.toml")).unwrap();
    let mut blocks = gazetteer.split("\n[[agency]]\n");
    let mut national = blocks.next().unwrap().to_string();
    for block in blocks.filter(|block| block.contains("jurisdiction = \"china\"")) {
        national.push_str("\n[[agency]]\n");
        national.push_str(block);
    }
    fs::write(data.join("agencies.toml"), national).unwrap();

    let parallel = corpus::load_corpus(data).unwrap();
    let provisional = parallel.agencies.iter().filter(|a| !a.resolved).count();
    assert!(provisional > 10, "{provisional} provisional agencies");
    let documents_with_provisional = parallel
        .documents
        .iter()
        .filter(|d| {
            d.measures
                .iter()
                .any(|m| m.agencies.iter().any(|a| !a.resolved))
        })
        .count();
    assert!(documents_with_provisional > 1);
    assert_eq!(json(&parallel), json(&sequential(data)));
}

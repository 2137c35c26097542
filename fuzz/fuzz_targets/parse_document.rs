//! Fuzz target: any bytes as a document are parsed or refused with a reason, never a
//! panic; every measure's span lies inside the decoded source.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zhengce::corpus::document::{parse_document, ParseContext, ProvisionalAgencies};
use zhengce::corpus::reference::{load_reference_and_gazetteer, Gazetteer, ReferenceData};

fn reference() -> &'static (ReferenceData, Gazetteer) {
    static REFERENCE: OnceLock<(ReferenceData, Gazetteer)> = OnceLock::new();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    REFERENCE.get_or_init(|| load_reference_and_gazetteer(&data).expect("reference data loads"))
}

fuzz_target!(|bytes: &[u8]| {
    let (reference, gazetteer) = reference();
    let context = ParseContext {
        reference,
        gazetteer,
    };
    let mut provisional = ProvisionalAgencies::default();
    if let Ok(parsed) = parse_document(
        "fuzz",
        "fuzz.txt",
        bytes.to_vec(),
        &context,
        &mut provisional,
    ) {
        for measure in &parsed.measures {
            assert!(measure.span.end <= parsed.source.len());
        }
    }
});

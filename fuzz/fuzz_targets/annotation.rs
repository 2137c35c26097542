//! Fuzz target: the outline marker, annotation, goal and citation readers never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengce::corpus::annotation::find_annotations;
use zhengce::corpus::citations::find_citations;
use zhengce::corpus::goals::{goals_in_paragraph, YearScope};
use zhengce::corpus::outline::parse_marker;

fuzz_target!(|text: &str| {
    let _ = parse_marker(text);
    let _ = find_annotations(text, &|name: &str| name.ends_with('委'));
    let _ = find_citations(text);
    let mut scope = YearScope::default();
    for line in text.split('\n') {
        let _ = goals_in_paragraph(line, &mut scope);
    }
});

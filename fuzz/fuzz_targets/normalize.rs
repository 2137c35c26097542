//! Fuzz target: the normalizer never panics and its spans stay inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengce::corpus::normalize::normalize;

fuzz_target!(|text: &str| {
    let normalized = normalize(text);
    for paragraph in normalized.paragraphs() {
        let span = normalized.source_span(paragraph.start..paragraph.end);
        assert!(span.start <= span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
});

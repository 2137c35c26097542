//! Questions the corpus tests ask of parsed documents.

use zhengce::corpus::normalize::normalize;
use zhengce::corpus::{Corpus, ParsedDocument};

/// The index among `document`'s citations of the one of title `title`.
pub fn citation_titled(document: &ParsedDocument, title: &str) -> usize {
    document
        .citations
        .iter()
        .position(|c| c.title.as_deref() == Some(title))
        .unwrap_or_else(|| panic!("{} cites no {title}", document.id))
}

/// Whether two numbers are equal but for rounding.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= b.abs() * 1e-9
}

/// Every measure's span lies in its document's source on character boundaries, starts at the
/// measure's label, covers as many lines as its line numbers say, and its normalized slice
/// holds the measure text.
pub fn assert_spans_quote_the_source(corpus: &Corpus) {
    for doc in &corpus.documents {
        for measure in &doc.measures {
            let span = measure.span;
            assert!(
                span.start < span.end && span.end <= doc.source.len(),
                "{}: span {span:?} outside the source",
                measure.id
            );
            let slice = doc.source.get(span.start..span.end).unwrap_or_else(|| {
                panic!("{}: span {span:?} not on character boundaries", measure.id)
            });
            let normalized = normalize(slice).text;
            assert!(
                normalized.contains(&measure.text),
                "{}: {normalized:?} does not contain {:?}",
                measure.id,
                measure.text
            );
            assert!(
                normalized.starts_with(&measure.label),
                "{}: span does not start at the label {}: {slice:?}",
                measure.id,
                measure.label
            );
            assert_eq!(
                span.line_end - span.line_start,
                slice.matches('\n').count(),
                "{}: line numbers disagree with the span",
                measure.id
            );
        }
    }
}

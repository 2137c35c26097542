//! The kinds of searchable records.

/// Kinds of searchable records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    /// A measure (title + text).
    Measure,
    /// A document (title + header: number and issuer); its text is searched through its
    /// measures and goals.
    Document,
    /// A goal (metric + sentence).
    Goal,
    /// An agency (canonical name, aliases, English name).
    Agency,
}

impl SearchKind {
    /// Every kind, in display order.
    pub const ALL: [SearchKind; 4] = [
        SearchKind::Measure,
        SearchKind::Document,
        SearchKind::Goal,
        SearchKind::Agency,
    ];

    /// The stable name used in the database and the API (`type=measure`).
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Measure => "measure",
            SearchKind::Document => "document",
            SearchKind::Goal => "goal",
            SearchKind::Agency => "agency",
        }
    }

    /// Parses the stable name.
    pub fn parse(value: &str) -> Option<SearchKind> {
        SearchKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

/// The kinds of the entries through which a document is found: its header and its records
/// that are entries of their own (measures and goals), which cover its text.
pub const DOCUMENT_ENTRY_KINDS: [SearchKind; 3] =
    [SearchKind::Document, SearchKind::Measure, SearchKind::Goal];

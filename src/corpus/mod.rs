//! The corpus layer: Chinese policy documents in, plain structs out.
//!
//! Entry points: [`load_corpus`] parses a whole data folder; [`parse_document`] parses one
//! text against already loaded reference data. Nothing here touches SQL or HTTP.

pub mod model;

use std::fmt;
use std::path::{Path, PathBuf};

pub use model::*;

/// An error that stops a load: the file, the line where known, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong, in words a data editor understands.
    pub reason: String,
}

impl CorpusError {
    /// Builds an error for `file` at an optional line.
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, reason: impl Into<String>) -> Self {
        CorpusError {
            file: file.into(),
            line,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.reason),
            None => write!(f, "{}: {}", self.file.display(), self.reason),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Parses every document of a data folder (`documents/*.txt`, `documents.toml`,
/// `agencies.toml`, `jurisdictions.toml`, `themes.toml`) into a [`Corpus`].
pub fn load_corpus(data_dir: &Path) -> Result<Corpus, CorpusError> {
    Err(CorpusError::new(data_dir, None, "not implemented yet"))
}

/// A human-readable report of a parsed corpus: one line per document and every warning.
pub fn check_report(corpus: &Corpus) -> String {
    let _ = corpus;
    String::new()
}

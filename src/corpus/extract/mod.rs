//! Extraction: a document file as published (plain text, an HTML page, a Word DOCX file or
//! a PDF) turned into plain text, one paragraph per line, before normalization.
//!
//! The file itself is never changed: it stays the provenance, and every span of the records
//! points into the text extracted from it. Extraction is deterministic: the same bytes and
//! the same extractor version always give the same text, which is why each document records
//! its [`Format`] and the extractor's version ([`Format::extractor`]).
//!
//! Table rows come out as one line per row, cells separated by a TAB character.
//!
//! - [`html`]: the article body of a page, without navigation, breadcrumbs, share bars and
//!   footers; charset from the BOM or the page's `<meta>`; the page's `<title>` and
//!   publication `<meta>` (ArticleTitle, PubDate, ContentSource) as [`MetadataHints`].
//! - [`docx`]: paragraphs and tables in order, with the numbers Word generates for
//!   auto-numbered paragraphs (`一、`, `（一）`, `1.`) written out.
//! - [`pdf`]: the text layer in reading order, CJK mapped through the fonts' ToUnicode maps;
//!   a PDF without text (a scan) or with a password is refused.

pub mod docx;
pub mod html;
pub mod pdf;

use std::fmt;

use super::decode::decode;
use super::metadata::{kind_of_title, looks_like_issuer, strip_draft_marker, InferredMetadata};

/// The largest document file taken, in bytes (32 MiB): policy documents are far smaller,
/// and a larger file is more likely a mistake (a scanned archive, a video) than a document.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The file extensions taken in `data/documents/`, as a message names them.
pub const ACCEPTED: &str = ".txt, .html, .htm, .docx, .pdf";

/// A document file format that extraction reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (UTF-8, or GB18030/GBK detected).
    Txt,
    /// An HTML page (`.html`, `.htm`).
    Html,
    /// A Word document in Office Open XML (`.docx`).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 4] = [Format::Txt, Format::Html, Format::Docx, Format::Pdf];

    /// The format of a file name by its extension (case-insensitive): `Ok(None)` for a file
    /// that is no document at all (no extension or an unrelated one, left alone), an error
    /// for a document format that is not taken (`.doc`, `.wps`, `.ofd` …).
    pub fn of_file_name(file_name: &str) -> Result<Option<Format>, ExtractError> {
        let Some((_, extension)) = file_name.rsplit_once('.') else {
            return Ok(None);
        };
        let format = match extension.to_ascii_lowercase().as_str() {
            "txt" => Format::Txt,
            "html" | "htm" => Format::Html,
            "docx" => Format::Docx,
            "pdf" => Format::Pdf,
            refused @ ("doc" | "wps" | "ofd" | "rtf" | "odt" | "xls" | "xlsx" | "et" | "ceb") => {
                return Err(ExtractError::UnsupportedFormat {
                    extension: refused.to_string(),
                })
            }
            _ => return Ok(None),
        };
        Ok(Some(format))
    }

    /// Stable string form, stored with each document: `txt`, `html`, `docx`, `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    /// The name and version of the extractor that reads this format. The version changes
    /// whenever the same file would give a different text, so that stored spans can be
    /// told apart from spans into another extraction.
    pub fn extractor(self) -> &'static str {
        match self {
            Format::Txt => "zhengce-txt/1",
            Format::Html => "zhengce-html/1 (scraper 0.29, html5ever)",
            Format::Docx => "zhengce-docx/1 (zip 2, roxmltree 0.20)",
            Format::Pdf => "zhengce-pdf/1 (pdf-extract 0.12, lopdf 0.42)",
        }
    }

    /// The media type the file is served with as received.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Txt => "text/plain",
            Format::Html => "text/html",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
        }
    }

    /// The format of a stored string form.
    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Metadata a file offers beside its text (an HTML page's `<title>` and `<meta>`), used
/// where the text itself does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataHints {
    /// The title (`<meta name="ArticleTitle">`, else `<title>` without the site's name).
    pub title: Option<String>,
    /// The publication date as `YYYY-MM-DD` (`<meta name="PubDate">` and the like).
    pub date: Option<String>,
    /// The publishing body (`<meta name="ContentSource">`), when it names a body.
    pub issuer: Option<String>,
}

impl MetadataHints {
    /// Fills what inference from the text left empty; the text's own metadata wins.
    pub fn fill(&self, inferred: &mut InferredMetadata) {
        if inferred.title.is_none() {
            if let Some(title) = &self.title {
                let title = strip_draft_marker(title).to_string();
                if inferred.kind.is_none() {
                    inferred.kind = kind_of_title(&title).map(str::to_string);
                }
                inferred.title = Some(title);
            }
        }
        if inferred.date.is_none() {
            inferred.date = self.date.clone();
        }
        if inferred.issuer.is_none() {
            inferred.issuer = self
                .issuer
                .clone()
                .filter(|issuer| looks_like_issuer(issuer));
        }
    }
}

/// The text of a file, ready for the normalizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The format read.
    pub format: Format,
    /// The text, one paragraph per line; table cells separated by TAB. Spans index into it.
    pub text: String,
    /// The character encoding the text was stored in: `UTF-8`, `GB18030`, `GBK` (plain
    /// text and HTML), `UTF-8` for DOCX (its XML), `UTF-16BE` for PDF (ToUnicode maps).
    pub encoding: String,
    /// Metadata the file offers beside its text.
    pub hints: MetadataHints,
}

impl Extracted {
    /// The encoding when it is a legacy Chinese one (worth a warning), else `None`.
    pub fn legacy_encoding(&self) -> Option<&str> {
        matches!(self.format, Format::Txt | Format::Html)
            .then_some(self.encoding.as_str())
            .filter(|encoding| *encoding != "UTF-8")
    }
}

/// Why a file could not be read. The display is a reason a data editor understands; the
/// caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// A document format that is not taken (`.doc`, `.wps`, `.ofd` …).
    UnsupportedFormat {
        /// The extension, lowercase, without the dot.
        extension: String,
    },
    /// The file is over [`MAX_FILE_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// Plain text or an HTML page that cannot be decoded.
    Decode(String),
    /// An HTML page in which no article text was found.
    NoArticleText,
    /// A DOCX file that is not a readable Office Open XML package.
    BrokenDocx(String),
    /// A PDF that cannot be parsed.
    BrokenPdf(String),
    /// A PDF protected by a password.
    EncryptedPdf,
    /// A PDF without a text layer (a scan).
    NoTextLayer {
        /// Its number of pages.
        pages: usize,
    },
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::UnsupportedFormat { extension } => {
                let what = match extension.as_str() {
                    "doc" => "legacy binary Word (.doc)",
                    "wps" => "WPS Office (.wps)",
                    "ofd" => "OFD (.ofd)",
                    _ => "this format",
                };
                write!(
                    f,
                    "{what} is not taken; documents are taken as {ACCEPTED}: save the file as .docx or .pdf (or copy its text into a .txt file)"
                )
            }
            ExtractError::TooLarge { bytes } => write!(
                f,
                "the file is {bytes} bytes, over the limit of {MAX_FILE_BYTES} bytes for one document"
            ),
            ExtractError::Decode(reason) => f.write_str(reason),
            ExtractError::NoArticleText => f.write_str(
                "no article text found in the HTML page (only navigation, scripts or an empty body); save the page that holds the document's text",
            ),
            ExtractError::BrokenDocx(reason) => write!(f, "not a readable DOCX file: {reason}"),
            ExtractError::BrokenPdf(reason) => write!(f, "not a readable PDF file: {reason}"),
            ExtractError::EncryptedPdf => f.write_str(
                "the PDF is encrypted with a password; save an unprotected copy of it",
            ),
            ExtractError::NoTextLayer { pages } => write!(
                f,
                "the PDF has no text layer in its {pages} page(s): a scan, not loaded empty; run OCR on it or find the document as HTML, DOCX or text"
            ),
        }
    }
}

impl std::error::Error for ExtractError {}

/// Extracts the text of a file's bytes in a format.
pub fn extract(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge { bytes: size });
    }
    match format {
        Format::Txt => {
            let decoded = decode(bytes).map_err(ExtractError::Decode)?;
            Ok(Extracted {
                format,
                text: decoded.text,
                encoding: decoded.encoding.to_string(),
                hints: MetadataHints::default(),
            })
        }
        Format::Html => html::extract(bytes),
        Format::Docx => docx::extract(bytes),
        Format::Pdf => pdf::extract(bytes),
    }
}

/// Extracts the text of a file named `file_name` (its extension tells the format). A name
/// without a taken extension is read as plain text.
pub fn extract_named(file_name: &str, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let format = Format::of_file_name(file_name)?.unwrap_or(Format::Txt);
    extract(format, bytes)
}

/// Joins lines into text: one line each, no trailing newline.
fn join_lines(lines: Vec<String>) -> String {
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_extension() {
        assert_eq!(Format::of_file_name("a.HTM"), Ok(Some(Format::Html)));
        assert_eq!(Format::of_file_name("a.docx"), Ok(Some(Format::Docx)));
        assert_eq!(Format::of_file_name("README"), Ok(None));
        assert_eq!(Format::of_file_name("a.toml"), Ok(None));
        let error = Format::of_file_name("a.doc").unwrap_err();
        assert!(error.to_string().contains(".docx"), "{error}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let bytes = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert!(matches!(
            extract(Format::Txt, &bytes),
            Err(ExtractError::TooLarge { .. })
        ));
    }
}

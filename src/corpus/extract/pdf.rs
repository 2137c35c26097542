//! PDF files: the text layer in reading order, as paragraphs.
//!
//! `pdf-extract` (over `lopdf`) interprets each page's content stream and maps every glyph
//! to characters through its font's ToUnicode map (the only reliable way for the CID fonts
//! that Chinese PDFs embed), or the font's encoding where there is none. Its positioned
//! characters are laid out here:
//!
//! - characters on one baseline form a line, left to right; a gap wider than one and a half
//!   characters separates table cells (a TAB), a narrower one is a space;
//! - lines form paragraphs as printed: a line starts a new paragraph when it is indented
//!   (Chinese paragraphs open with two characters of indent), when the line before it ends
//!   short of the right margin, when a wide vertical gap lies before it, or when either is a
//!   table row; a paragraph runs on across a page break;
//! - lines that hold only a page number (`- 3 -`, `— 3 —`, `3`) are left out.
//!
//! A PDF that needs a password is refused; one that is only restricted (an owner password,
//! readable by anyone) is read. A PDF whose pages hold no text is a scan and is refused
//! rather than loaded empty.

use super::{join_lines, ExtractError, Extracted, Format, MetadataHints};

/// One positioned character (or the few characters a glyph maps to).
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// A line of a page.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    row: bool,
}

/// Collects the positioned characters of every page.
#[derive(Default)]
struct Collector {
    page_height: f64,
    pages: Vec<Vec<Glyph>>,
    current: Vec<Glyph>,
}

impl pdf_extract::OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.current.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.pages.push(std::mem::take(&mut self.current));
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // The font size in page space: the side of the square with the area the text
        // matrix gives a square of the nominal size.
        let scaled_x = font_size * (trm.m11 + trm.m21);
        let scaled_y = font_size * (trm.m12 + trm.m22);
        let size = (scaled_x * scaled_y).abs().sqrt();
        let size = if size.is_finite() && size > 0.0 {
            size
        } else {
            1.0
        };
        let x = trm.m31;
        let y = self.page_height - trm.m32;
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        self.current.push(Glyph {
            x,
            y,
            end: x + width * size,
            size,
            text: char.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Extracts the text layer of a PDF.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    // The extractor panics on some malformed files; a panic is a broken file, not a crash.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_pages(bytes)));
    let (pages, page_count) = match outcome {
        Ok(result) => result?,
        Err(_) => {
            return Err(ExtractError::BrokenPdf(
                "its content streams could not be interpreted".to_string(),
            ))
        }
    };
    let significant: Vec<char> = pages
        .iter()
        .flatten()
        .flat_map(|glyph| glyph.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    if significant.is_empty() {
        return Err(ExtractError::NoTextLayer { pages: page_count });
    }
    let unmapped = significant
        .iter()
        .filter(|c| **c == '\u{fffd}' || c.is_control() || ('\u{e000}'..='\u{f8ff}').contains(*c))
        .count();
    if unmapped * 2 > significant.len() {
        return Err(ExtractError::BrokenPdf(
            "its fonts map the glyphs to no characters (no ToUnicode maps), so its text cannot be read".to_string(),
        ));
    }
    let lines: Vec<Vec<Line>> = pages.into_iter().map(page_lines).collect();
    Ok(Extracted {
        format: Format::Pdf,
        text: join_lines(paragraphs(&lines)),
        encoding: "UTF-16BE".to_string(),
        hints: MetadataHints::default(),
    })
}

/// Loads the file and collects every page's characters, with the number of pages.
fn read_pages(bytes: &[u8]) -> Result<(Vec<Vec<Glyph>>, usize), ExtractError> {
    let mut document =
        pdf_extract::Document::load_mem(bytes).map_err(|e| broken_or_encrypted(&e.to_string()))?;
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(ExtractError::EncryptedPdf);
    }
    let page_count = document.get_pages().len();
    let mut collector = Collector::default();
    pdf_extract::output_doc(&document, &mut collector).map_err(|e| {
        let reason = format!("{e:?}");
        broken_or_encrypted(&reason)
    })?;
    Ok((collector.pages, page_count))
}

/// A load error: a password-protected file, or a broken one.
fn broken_or_encrypted(reason: &str) -> ExtractError {
    let lower = reason.to_ascii_lowercase();
    if lower.contains("decrypt") || lower.contains("encrypt") || lower.contains("password") {
        ExtractError::EncryptedPdf
    } else {
        ExtractError::BrokenPdf(reason.to_string())
    }
}

/// Groups a page's characters into lines, top to bottom.
fn page_lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|glyph| !glyph.text.trim().is_empty());
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match rows.last_mut() {
            Some(row)
                if row.first().is_some_and(|first| {
                    (glyph.y - first.y).abs() <= 0.4 * first.size.max(glyph.size)
                }) =>
            {
                row.push(glyph)
            }
            _ => rows.push(vec![glyph]),
        }
    }
    rows.into_iter()
        .filter_map(|mut row| {
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            let first = row.first()?;
            let size = row.iter().map(|g| g.size).fold(first.size, f64::max);
            let mut text = String::new();
            let mut previous_end: Option<f64> = None;
            let mut is_row = false;
            for glyph in &row {
                if let Some(end) = previous_end {
                    let gap = glyph.x - end;
                    if gap > 1.5 * size {
                        text.push('\t');
                        is_row = true;
                    } else if gap > 0.25 * size {
                        text.push(' ');
                    }
                }
                text.push_str(&glyph.text);
                previous_end = Some(previous_end.map_or(glyph.end, |end| end.max(glyph.end)));
            }
            let x1 = row.iter().map(|g| g.end).fold(first.end, f64::max);
            let line = Line {
                text: text.trim().to_string(),
                x0: first.x,
                x1,
                y: first.y,
                size,
                row: is_row,
            };
            (!is_page_number(&line.text)).then_some(line)
        })
        .collect()
}

/// A line holding only a page number: `3`, `- 3 -`, `— 3 —`, `第3页`.
fn is_page_number(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '—' | '–' | '－'))
        .collect();
    let core = core
        .strip_prefix('第')
        .and_then(|c| c.strip_suffix('页'))
        .unwrap_or(&core);
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// Joins the lines of all pages into paragraphs.
fn paragraphs(pages: &[Vec<Line>]) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut previous: Option<(&Line, f64)> = None;
    for lines in pages {
        let left = lines
            .iter()
            .filter(|l| !l.row)
            .map(|l| l.x0)
            .fold(f64::INFINITY, f64::min);
        let right = lines
            .iter()
            .filter(|l| !l.row)
            .map(|l| l.x1)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut same_page = false;
        for line in lines {
            let starts_new = match previous {
                None => true,
                Some((before, before_right)) => {
                    let indented = line.x0 > left + 0.8 * line.size;
                    let short_before = before.x1 < before_right - 1.5 * before.size;
                    let wide_gap =
                        same_page && line.y - before.y > 2.6 * line.size.max(before.size);
                    indented || short_before || wide_gap || line.row || before.row
                }
            };
            let joined = match paragraphs.last_mut() {
                Some(last) if !starts_new => {
                    let ascii_seam = last
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                        && line
                            .text
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphanumeric());
                    if ascii_seam {
                        last.push(' ');
                    }
                    last.push_str(&line.text);
                    true
                }
                _ => false,
            };
            if !joined {
                paragraphs.push(line.text.clone());
            }
            previous = Some((line, right));
            same_page = true;
        }
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_told() {
        for (line, page_number) in [
            ("- 3 -", true),
            ("— 12 —", true),
            ("第2页", true),
            ("2020年", false),
            ("一、总体要求", false),
        ] {
            assert_eq!(is_page_number(line), page_number, "{line}");
        }
    }

    #[test]
    fn garbage_is_a_broken_pdf() {
        assert!(matches!(
            extract(b"%PDF-1.4 not really"),
            Err(ExtractError::BrokenPdf(_))
        ));
    }
}

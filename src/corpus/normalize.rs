//! The normalizer: one form for punctuation and spacing, page-break splits joined, the lost
//! `+` of `互联网+` restored — without touching the source, and keeping for every
//! normalized character the bytes of the source it came from.
//!
//! The normalized text has one paragraph per line (`\n`-separated, no blank lines, no
//! leading or trailing spaces). A TAB between two pieces of text is kept: it separates the
//! cells of a table row (one row per line, as the extractors write tables); a TAB that
//! indents a line or follows the numbering marker opening it is a space.

use std::ops::Range;

use super::decode::is_han;
use super::model::SourceSpan;

/// One normalized character and the source bytes it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unit {
    ch: char,
    start: usize,
    end: usize,
}

/// Normalized text with a map back to the source.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// For every char of `text`: its byte offset in `text`, and its source byte range.
    chars: Vec<(usize, usize, usize)>,
    /// Byte offsets in the source where each line starts (for line numbers).
    source_line_starts: Vec<usize>,
    /// Length of the source in bytes.
    source_len: usize,
}

/// A paragraph (line) of the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph<'a> {
    /// Its text.
    pub text: &'a str,
    /// Byte range in the normalized text.
    pub start: usize,
    /// End byte (exclusive) in the normalized text.
    pub end: usize,
}

impl Normalized {
    /// The paragraphs of the normalized text, in order.
    pub fn paragraphs(&self) -> Vec<Paragraph<'_>> {
        let mut paragraphs = Vec::new();
        let mut start = 0;
        for line in self.text.split('\n') {
            let end = start + line.len();
            if !line.is_empty() {
                paragraphs.push(Paragraph {
                    text: line,
                    start,
                    end,
                });
            }
            start = end + 1;
        }
        paragraphs
    }

    /// The source span of a byte range of the normalized text.
    pub fn source_span(&self, range: Range<usize>) -> SourceSpan {
        if self.chars.is_empty() {
            return SourceSpan::default();
        }
        let first = self.char_index_at(range.start);
        let last = if range.end > range.start {
            self.char_index_at(range.end - 1)
        } else {
            first
        };
        let start = self.chars[first].1;
        let end = self.chars[last].2.max(start);
        SourceSpan {
            start,
            end,
            line_start: self.line_of(start),
            line_end: self.line_of(end.saturating_sub(1).max(start)),
        }
    }

    /// The 1-based source line holding a source byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.source_len);
        match self.source_line_starts.binary_search(&offset) {
            Ok(index) => index + 1,
            Err(index) => index,
        }
    }

    /// Index into `chars` of the char covering normalized byte offset `offset`.
    fn char_index_at(&self, offset: usize) -> usize {
        match self.chars.binary_search_by(|entry| entry.0.cmp(&offset)) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        }
        .min(self.chars.len() - 1)
    }
}

/// Normalizes a document's source text.
pub fn normalize(source: &str) -> Normalized {
    let mut source_line_starts = vec![0];
    for (offset, byte) in source.bytes().enumerate() {
        if byte == b'\n' {
            source_line_starts.push(offset + 1);
        }
    }
    let lines: Vec<Vec<Unit>> = split_lines(source)
        .into_iter()
        .map(normalize_line)
        .collect();
    let paragraphs = join_page_breaks(lines);

    let mut text = String::with_capacity(source.len());
    let mut chars = Vec::with_capacity(source.len() / 2);
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if index > 0 {
            // The newline stands for the source bytes between the two paragraphs.
            let previous_end = paragraphs[index - 1].last().map_or(0, |unit| unit.end);
            let next_start = paragraph.first().map_or(previous_end, |unit| unit.start);
            chars.push((text.len(), previous_end, next_start.max(previous_end)));
            text.push('\n');
        }
        for unit in paragraph {
            chars.push((text.len(), unit.start, unit.end));
            text.push(unit.ch);
        }
    }
    Normalized {
        text,
        chars,
        source_line_starts,
        source_len: source.len(),
    }
}

/// Splits the source into lines of units, mapping characters that have one normal form.
fn split_lines(source: &str) -> Vec<Vec<Unit>> {
    let mut lines = Vec::new();
    let mut current = Vec::new();
    let mut iter = source.char_indices().peekable();
    while let Some((start, ch)) = iter.next() {
        let end = start + ch.len_utf8();
        match ch {
            '\n' => lines.push(std::mem::take(&mut current)),
            '\r' => {
                if iter.peek().map(|(_, next)| *next) != Some('\n') {
                    lines.push(std::mem::take(&mut current));
                }
            }
            '\u{feff}' | '\u{200b}' => {}
            // Other control characters carry nothing a reader sees.
            _ if ch.is_control() && ch != '\t' => {}
            _ => current.push(Unit {
                ch: map_char(ch),
                start,
                end,
            }),
        }
    }
    lines.push(current);
    lines
}

/// Maps one character to its normal form: full-width digits and letters to ASCII, every
/// kind of horizontal space to a plain space, full-width parentheses and half-width ones to
/// full-width.
fn map_char(ch: char) -> char {
    match ch {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch)
        }
        '\t' => '\t',
        _ if ch.is_whitespace() => ' ',
        '(' => '（',
        ')' => '）',
        '［' => '[',
        '］' => ']',
        _ => ch,
    }
}

/// Whether a character belongs to the Chinese side of a line: Han characters and
/// full-width punctuation.
fn is_wide(ch: char) -> bool {
    is_han(ch)
        || matches!(ch as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201F)
        || matches!(ch, '…' | '—' | '·')
}

/// Normalizes one line: trims it, restores `互联网+`, converts half-width punctuation that
/// stands in Chinese text, and removes spaces inside Chinese text.
fn normalize_line(line: Vec<Unit>) -> Vec<Unit> {
    let restored = restore_internet_plus(line);
    let punctuated = convert_punctuation(restored);
    collapse_spaces(settle_tabs(punctuated))
}

/// Keeps the TABs that separate table cells: tabs before the first or after the last text
/// of a line (indentation) and the tab after the numbering marker that opens a line
/// (`1.⇥加快…`, Word's tab after a list number) become spaces.
fn settle_tabs(mut line: Vec<Unit>) -> Vec<Unit> {
    if !line.iter().any(|unit| unit.ch == '\t') {
        return line;
    }
    let text = |unit: &Unit| unit.ch != ' ' && unit.ch != '\t';
    let first = line.iter().position(text);
    let last = line.iter().rposition(text);
    for (index, unit) in line.iter_mut().enumerate() {
        let outside = match (first, last) {
            (Some(first), Some(last)) => index < first || index > last,
            _ => true,
        };
        if unit.ch == '\t' && outside {
            unit.ch = ' ';
        }
    }
    if let Some(tab) = line.iter().position(|unit| unit.ch == '\t') {
        let prefix: String = line[..tab].iter().map(|unit| unit.ch).collect();
        let prefix = prefix.trim();
        let only_marker = !prefix.is_empty()
            && super::outline::parse_marker(prefix)
                .is_some_and(|marker| marker.len == prefix.len());
        if only_marker {
            line[tab].ch = ' ';
        }
    }
    line
}

/// `互联网 ”` / `互联网 行动` → `互联网+”` / `互联网+行动`: the `+` of the policy term is
/// often lost as a space when documents are converted from PDF or HTML.
fn restore_internet_plus(line: Vec<Unit>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(line.len());
    let mut index = 0;
    while index < line.len() {
        let unit = line[index];
        out.push(unit);
        index += 1;
        let ends_with_term = out.len() >= 3
            && out[out.len() - 3].ch == '互'
            && out[out.len() - 2].ch == '联'
            && out[out.len() - 1].ch == '网';
        if !ends_with_term || index >= line.len() || line[index].ch != ' ' {
            continue;
        }
        let mut after = index;
        while after < line.len() && line[after].ch == ' ' {
            after += 1;
        }
        let next = line.get(after).map(|unit| unit.ch);
        let lost_plus = match next {
            None => false,
            Some(ch) => matches!(ch, '”' | '’' | '」' | '』' | '"') || is_han(ch),
        };
        if lost_plus {
            out.push(Unit {
                ch: '+',
                start: line[index].start,
                end: line[after - 1].end,
            });
            index = after;
        }
    }
    out
}

/// Converts `, ; : ? !` to full width where the nearest non-space neighbour on either side
/// is Chinese.
fn convert_punctuation(mut line: Vec<Unit>) -> Vec<Unit> {
    for index in 0..line.len() {
        let full = match line[index].ch {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '?' => '？',
            '!' => '！',
            _ => continue,
        };
        let before = line[..index].iter().rev().find(|unit| unit.ch != ' ');
        let after = line[index + 1..].iter().find(|unit| unit.ch != ' ');
        let chinese_context = before.is_some_and(|unit| is_wide(unit.ch))
            || after.is_some_and(|unit| is_wide(unit.ch));
        if chinese_context {
            line[index].ch = full;
        }
    }
    line
}

/// Trims the line, removes spaces next to Chinese text, and collapses other space runs.
fn collapse_spaces(line: Vec<Unit>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(line.len());
    let mut index = 0;
    while index < line.len() {
        if line[index].ch != ' ' {
            out.push(line[index]);
            index += 1;
            continue;
        }
        let run_start = index;
        while index < line.len() && line[index].ch == ' ' {
            index += 1;
        }
        let before = out.last().map(|unit| unit.ch);
        let after = line.get(index).map(|unit| unit.ch);
        // A space stays only between Latin/digits, or between Han and Latin/digits
        // (`帮企智联 IOT 工业`); next to full-width punctuation or between two Han
        // characters it is layout, not text.
        let keep = match (before, after) {
            (Some(b), Some(a)) => {
                !(is_wide_punct(b)
                    || is_wide_punct(a)
                    || (is_han(b) && is_han(a))
                    || b == '\t'
                    || a == '\t')
            }
            _ => false,
        };
        if keep {
            out.push(Unit {
                ch: ' ',
                start: line[run_start].start,
                end: line[index - 1].end,
            });
        }
    }
    out
}

/// Full-width punctuation (not Han).
fn is_wide_punct(ch: char) -> bool {
    is_wide(ch) && !is_han(ch)
}

/// Whether a line ends a paragraph by its last character.
fn ends_paragraph(line: &[Unit]) -> bool {
    line.last().is_none_or(|unit| {
        matches!(
            unit.ch,
            '。' | '！' | '？' | '；' | '：' | '…' | '）' | '」' | '』' | '.' | '!' | '?'
        )
    })
}

/// Joins a paragraph split by a page break (`…建设“数` + blank line + `字渝北”…`): the first
/// part is prose that stops without closing punctuation, and the next does not open a new
/// numbered provision, an attachment, a date line or a parenthesis.
fn join_page_breaks(lines: Vec<Vec<Unit>>) -> Vec<Vec<Unit>> {
    let mut paragraphs: Vec<Vec<Unit>> = Vec::new();
    let mut blank_since_last = false;
    for line in lines {
        if line.is_empty() {
            blank_since_last = true;
            continue;
        }
        let join = blank_since_last
            && paragraphs
                .last()
                .is_some_and(|previous| continues_across_break(previous, &line));
        if join {
            if let Some(previous) = paragraphs.last_mut() {
                previous.extend(line);
            }
        } else {
            paragraphs.push(line);
        }
        blank_since_last = false;
    }
    paragraphs
}

/// The page-break rule for two non-empty lines separated by blank lines.
fn continues_across_break(previous: &[Unit], next: &[Unit]) -> bool {
    if ends_paragraph(previous) {
        return false;
    }
    let next_text: String = next.iter().take(12).map(|unit| unit.ch).collect();
    if super::outline::starts_with_marker(&next_text)
        || next_text.starts_with('（')
        || next_text.starts_with("附件")
        || next_text.starts_with("附：")
        || super::metadata::is_date_line(&next.iter().map(|unit| unit.ch).collect::<String>())
    {
        return false;
    }
    let previous_text: String = previous.iter().map(|unit| unit.ch).collect();
    let prose_marks = previous_text
        .chars()
        .filter(|c| matches!(c, '，' | '。' | '；' | '、' | '：'))
        .count();
    // A long line without punctuation is cut prose too (`…社区治理智能化网` + `格化共治平台`),
    // unless it is a heading or a title.
    let long_unpunctuated = previous.len() >= 25
        && super::metadata::kind_of_title(&previous_text).is_none()
        && super::outline::parse_marker(&previous_text)
            .is_none_or(|marker| marker.level >= super::model::Level::Item);
    (prose_marks > 0 && previous.len() >= 10) || long_unpunctuated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_texts() {
        #[rustfmt::skip]
        let cases = [
            // page break split is joined
            ("坚持整体推进，为加快建设“数\n\n字渝北”发挥重要的促进作用。",
             "坚持整体推进，为加快建设“数字渝北”发挥重要的促进作用。"),
            // long unpunctuated item line is joined
            ("32. 加快建设以“网络+网格”为核心的社区治理智能化网\n\n格化共治平台，推进建设。",
             "32. 加快建设以“网络+网格”为核心的社区治理智能化网格化共治平台，推进建设。"),
            // short heading without punctuation is not joined
            ("1.加强组织领导\n\n各部门要加强协调。\n\n（四）大力培育重点产业互联网平台建设和应用推广工作\n\n有关内容。",
             "1.加强组织领导\n各部门要加强协调。\n（四）大力培育重点产业互联网平台建设和应用推广工作\n有关内容。"),
            // paragraphs separated by blank lines stay apart
            ("一、总体要求\n\n以习近平新时代中国特色社会主义思想为指导。\n\n二、工作路径",
             "一、总体要求\n以习近平新时代中国特色社会主义思想为指导。\n二、工作路径"),
            // title and draft marker are not joined
            ("附件 1\n\n渝北区关于加快线上业态 线上服务线上管理发展的实施方案\n\n(征求意见稿)\n",
             "附件 1\n渝北区关于加快线上业态线上服务线上管理发展的实施方案\n（征求意见稿）"),
            // lost plus is restored
            ("重庆市“互联网 ”行动计划，推进互联网 政务服务",
             "重庆市“互联网+”行动计划，推进互联网+政务服务"),
            // half-width punctuation in Chinese becomes full-width
            ("(牵头单位:区经济信息委;配合单位:区大数据发展局,各镇街)",
             "（牵头单位：区经济信息委；配合单位：区大数据发展局，各镇街）"),
            // ASCII context keeps ASCII punctuation and spaces
            ("电子邮箱:sfz1@tj.gov.cn, 时间 10:30, 帮企智联 IOT 工业",
             "电子邮箱：sfz1@tj.gov.cn，时间 10:30，帮企智联 IOT 工业"),
            // tabs between cells are kept and layout tabs are not
            ("\t1.\t加快建设 \t区经济信息委\t\t2020年底前\t\n一、\t总体要求",
             "1. 加快建设\t区经济信息委\t\t2020年底前\n一、总体要求"),
        ];
        for (source, expected) in cases {
            assert_eq!(normalize(source).text, expected, "{source:?}");
        }
    }

    #[test]
    fn spans_point_back_to_the_source() {
        let source = "甲\r\n\r\n(五) 积极培育发展新零售\r\n";
        let normalized = normalize(source);
        assert_eq!(normalized.text, "甲\n（五）积极培育发展新零售");
        let start = normalized.text.find('（').unwrap();
        let span = normalized.source_span(start..normalized.text.len());
        assert_eq!(&source[span.start..span.end], "(五) 积极培育发展新零售");
        assert_eq!((span.line_start, span.line_end), (3, 3));
    }
}

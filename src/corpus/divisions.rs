//! The divisions of a file: the document's own body, further documents printed in the same
//! file (a transmittal notice with two plans, each after its own title or `附件N` line), and
//! annexes (`附件`) that hold task lists, as numbered items or as a table.
//!
//! ```text
//! file        = front_matter body division*
//! division    = document | annex
//! document    = [annex_line] title marker_lines* part_one …   a title, then `一、` again
//! annex       = annex_line [title] ( task_table | items )
//! annex_line  = "附件" [number] [("：" | ":" | " ") title]
//! task_table  = header_row row*          cells separated by TAB, or Markdown pipe rows;
//!                                        the header names a task column and at least one
//!                                        agency column
//! ```
//!
//! An annex that is neither a document nor a task list (a form, a list of names, a blank
//! 表) is not read: the body ends where it starts, as before.

use std::ops::Range;

use super::annotation::{column_role, read_cell, Mention};
use super::deadlines::{find_deadlines, FoundDeadline};
use super::metadata::{
    is_date_line, is_draft_marker_line, is_release_marker_line, kind_of_title, looks_like_issuer,
};
use super::model::{Level, Role};
use super::normalize::Paragraph;
use super::outline::{parse_chinese_numeral, parse_marker};

/// What a division is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DivisionKind {
    /// The document's own body, or a further document of the file: its own outline.
    Document,
    /// An annex whose numbered items are tasks: an outline under the annex.
    AnnexItems,
    /// An annex holding a task table.
    AnnexTable(TaskTable),
}

/// One division of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// What it is.
    pub kind: DivisionKind,
    /// The prefix of its provision ids: empty for the body, `c2.` for the second document
    /// of the file, `annex1.` for 附件1.
    pub id_prefix: String,
    /// Its number: the annex's (`附件2` is 2) or the document's place in the file.
    pub number: u32,
    /// The annex line as printed (`附件1`), for annexes.
    pub label: Option<String>,
    /// Its title (a further document's or an annex's), when printed.
    pub title: Option<String>,
    /// The paragraph that heads it (the annex line or the title), when it has one.
    pub heading: Option<usize>,
    /// The paragraphs of its outline or table (indices into the paragraphs).
    pub range: Range<usize>,
}

/// A task table: its rows, each a task with its agencies and deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskTable {
    /// The rows after the header, in order.
    pub rows: Vec<TaskRow>,
}

/// One row of a task table. Byte ranges are in the normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// Index of the row's paragraph.
    pub paragraph: usize,
    /// The serial number as printed, and its value (the row's ordinal when not printed).
    pub serial: (String, u32),
    /// The task cells (the first is the task's title when there are several).
    pub tasks: Vec<Range<usize>>,
    /// The agencies of the agency columns, with the header's role.
    pub mentions: Vec<Mention>,
    /// The deadlines of the time columns.
    pub deadlines: Vec<FoundDeadline>,
    /// The agency and time cells, as printed, header included (`牵头单位：市发展改革委`).
    pub cells: Vec<(Range<usize>, String)>,
}

/// The divisions of a file whose body (from [`super::metadata::body_range`]) is `body`.
///
/// Inside the body, a document title followed by a new `一、` after parts were seen starts a
/// further document. After the body, each `附件` line starts an annex, read as a document
/// (its outline has parts), a task table or annotated items; other annexes are skipped.
pub fn divisions(
    paragraphs: &[Paragraph<'_>],
    body: Range<usize>,
    has_annotation: &dyn Fn(&str) -> bool,
    is_known_name: &dyn Fn(&str) -> bool,
    document_year: Option<i32>,
) -> Vec<Division> {
    let mut found = Vec::new();
    let mut documents = 0;
    // Annex numbers given so far: two annexes printed with the same label (two bare
    // `附件` lines) still get ids of their own.
    let mut annex_numbers: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut next_annex_number = |label: &str| {
        let mut number = annex_number(label);
        while !annex_numbers.insert(number) {
            number += 1;
        }
        number
    };
    let mut document = |start: usize,
                        end: usize,
                        title: Option<usize>,
                        label: Option<String>,
                        annex: Option<u32>| {
        documents += 1;
        Division {
            kind: DivisionKind::Document,
            id_prefix: match (annex, documents) {
                (Some(number), _) => format!("annex{number}."),
                (None, 1) => String::new(),
                (None, n) => format!("c{n}."),
            },
            number: annex.unwrap_or(documents),
            title: title.map(|index| paragraphs[index].text.to_string()),
            heading: title,
            label,
            range: start..end,
        }
    };
    // The body, split where a further document starts.
    let mut start = body.start;
    let mut seen_part = false;
    let mut title = None;
    for index in body.clone() {
        let text = paragraphs[index].text;
        if parse_marker(text).is_some_and(|m| m.level == Level::Part) {
            seen_part = true;
            continue;
        }
        if seen_part && is_document_title(text) {
            if let Some(first) = opens_outline(paragraphs, index + 1, body.end) {
                found.push(document(start, index, title, None, None));
                start = first;
                title = Some(index);
            }
        }
    }
    found.push(document(start, body.end, title, None, None));

    // Annexes after the body.
    let annex_lines: Vec<(usize, (String, Option<String>))> = (body.end..paragraphs.len())
        .filter_map(|index| Some((index, annex_line(paragraphs[index].text)?)))
        .collect();
    for (position, (line, (label, inline_title))) in annex_lines.iter().cloned().enumerate() {
        let end = annex_lines
            .get(position + 1)
            .map_or(paragraphs.len(), |(next, _)| *next);
        let end = without_signature(paragraphs, line + 1, end);
        let (title, content) = match inline_title {
            Some(title) => (Some(title), line + 1),
            None => match paragraphs.get(line + 1) {
                Some(next) if line + 1 < end && is_heading_line(next.text) => {
                    (Some(next.text.to_string()), line + 2)
                }
                _ => (None, line + 1),
            },
        };
        if let Some(first) = opens_outline(paragraphs, content, end) {
            let number = next_annex_number(&label);
            let mut division = document(first, end, None, Some(label), Some(number));
            division.title = title;
            division.heading = Some(line);
            found.push(division);
            continue;
        }
        let kind = if let Some(table) =
            task_table(paragraphs, content..end, is_known_name, document_year)
        {
            DivisionKind::AnnexTable(table)
        } else if (content..end).any(|index| {
            parse_marker(paragraphs[index].text).is_some() && has_annotation(paragraphs[index].text)
        }) {
            DivisionKind::AnnexItems
        } else {
            continue;
        };
        let number = next_annex_number(&label);
        found.push(Division {
            kind,
            id_prefix: format!("annex{number}."),
            number,
            label: Some(label),
            title,
            heading: Some(line),
            range: content..end,
        });
    }
    found
}

/// The number of an annex label: `附件1` → 1; `附件` → 1; `附件二` → 2.
fn annex_number(label: &str) -> u32 {
    let number = label.trim_start_matches("附件");
    number
        .parse::<u32>()
        .ok()
        .or_else(|| parse_chinese_numeral(number))
        .unwrap_or(1)
}

/// An annex line: `附件`, `附件1`, `附件 2`, `附件一`, `附件：重点任务分工表`,
/// `附件1：…`; the label (`附件1`) and the title printed on the line.
pub fn annex_line(text: &str) -> Option<(String, Option<String>)> {
    let rest = text.strip_prefix("附件")?;
    let rest = rest.trim_start();
    let digits = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || super::outline::is_chinese_digit(*c)))
        .map_or(rest.len(), |(at, _)| at);
    let number = &rest[..digits];
    let after = rest[digits..].trim_start_matches(['：', ':', ' ', '.', '、']);
    if after.chars().count() > 60 || after.contains('。') || after.contains('\t') {
        return None;
    }
    // `附件1.A方案 2.B方案` lists the annexes of a notice: not an annex of its own.
    if after.contains(" 2.") || after.contains("；2") {
        return None;
    }
    let label = format!("附件{number}");
    let title = (!after.is_empty()).then(|| after.to_string());
    Some((label, title))
}

/// Whether a line reads as the title of a document of the genre (`…实施方案`).
fn is_document_title(text: &str) -> bool {
    let length = text.chars().count();
    (4..=80).contains(&length)
        && !text.contains(['。', '，', '；', '：', '\t'])
        && kind_of_title(text).is_some()
        && parse_marker(text).is_none()
}

/// Whether a line reads as a heading (an annex's title on the line after `附件1`), not as
/// prose or a table row.
fn is_heading_line(text: &str) -> bool {
    let length = text.chars().count();
    (2..=80).contains(&length)
        && !text.contains(['。', '\t'])
        && !text.starts_with(['|', '｜'])
        && parse_marker(text).is_none()
        && !is_date_line(text)
}

/// The first paragraph of an outline opening at `from` with `一、` (after a title's draft,
/// release or period lines and at most one more heading line), if one does.
fn opens_outline(paragraphs: &[Paragraph<'_>], from: usize, end: usize) -> Option<usize> {
    let mut headings = 0;
    let end = end.min(paragraphs.len());
    for (index, paragraph) in paragraphs.iter().enumerate().take(end).skip(from) {
        let text = paragraph.text;
        if let Some(marker) = parse_marker(text) {
            return (marker.level == Level::Part && marker.number == 1).then_some(index);
        }
        if is_draft_marker_line(text) || is_release_marker_line(text) {
            continue;
        }
        headings += 1;
        // A title, a subtitle or a lead paragraph may stand before `一、`.
        if headings > 3 {
            return None;
        }
    }
    None
}

/// The end of an annex without its closing signature (issuer and date lines).
fn without_signature(paragraphs: &[Paragraph<'_>], start: usize, mut end: usize) -> usize {
    if end > start && is_date_line(paragraphs[end - 1].text) {
        end -= 1;
        if end > start && looks_like_issuer(paragraphs[end - 1].text) {
            end -= 1;
        }
    }
    end
}

/// What a column of a task table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// The row's serial number (`序号`).
    Serial,
    /// The task (`重点任务`, `工作措施`, `具体内容`).
    Task,
    /// Agencies in a role (`牵头单位`, `配合部门`, `责任单位`).
    Agencies(Role),
    /// A time (`完成时限`, `时间进度`).
    Time,
    /// Anything else (`备注`).
    Other,
}

/// Reads a header cell.
fn column(header: &str) -> Column {
    let header = header.trim();
    if ["序号", "编号", "序"].contains(&header) {
        return Column::Serial;
    }
    if let Some(role) = column_role(header) {
        return Column::Agencies(role);
    }
    if ["时限", "时间", "期限", "进度", "节点"]
        .iter()
        .any(|word| header.contains(word))
    {
        return Column::Time;
    }
    if [
        "任务", "措施", "内容", "事项", "工作", "举措", "项目", "目标",
    ]
    .iter()
    .any(|word| header.contains(word))
    {
        return Column::Task;
    }
    Column::Other
}

/// The cells of a table row, as byte ranges in the normalized text without the blanks at
/// their edges; `None` when the paragraph is not a row. A row is TAB-separated (as Word,
/// spreadsheets and browsers copy tables, and as the extractors write them) or a Markdown
/// pipe row (`| 1 | 建设基地 | 区商务委 |`); a Markdown rule row (`|---|:---:|`) is no row.
fn cells(paragraph: &Paragraph<'_>) -> Option<Vec<Range<usize>>> {
    let text = paragraph.text;
    let (separator, inner, offset) = if text.contains('\t') {
        ('\t', text, 0)
    } else {
        let pipe = ['|', '｜'].into_iter().find(|&pipe| {
            text.starts_with(pipe) && text.ends_with(pipe) && text.matches(pipe).count() >= 3
        })?;
        let width = pipe.len_utf8();
        (pipe, &text[width..text.len() - width], width)
    };
    let mut ranges = Vec::new();
    let mut start = offset;
    for cell in inner.split(separator) {
        let leading = cell.len() - cell.trim_start().len();
        let trimmed = cell.trim();
        let from = paragraph.start + start + leading;
        ranges.push(from..from + trimmed.len());
        start += cell.len() + separator.len_utf8();
    }
    let is_rule = separator != '\t'
        && inner.split(separator).all(|cell| {
            !cell.trim().is_empty() && cell.trim().chars().all(|c| matches!(c, '-' | ':' | '—'))
        });
    (!is_rule).then_some(ranges)
}

/// A task table in `range`: a header row (short cells) naming a task column and an agency
/// column, then its rows. Rows with a different number of cells than the header are read
/// by position as far as they go; a row whose task cell is empty continues nothing and is
/// skipped.
fn task_table<'a>(
    paragraphs: &[Paragraph<'a>],
    range: Range<usize>,
    is_known_name: &dyn Fn(&str) -> bool,
    document_year: Option<i32>,
) -> Option<TaskTable> {
    let texts = |paragraph: &Paragraph<'a>| -> Option<Vec<&'a str>> {
        let text: &'a str = paragraph.text;
        Some(
            cells(paragraph)?
                .into_iter()
                .map(|cell| &text[cell.start - paragraph.start..cell.end - paragraph.start])
                .collect(),
        )
    };
    let (header_index, header) = range.clone().find_map(|index| {
        let header = texts(&paragraphs[index])?;
        let is_header = header.iter().all(|cell| cell.chars().count() <= 12)
            && header.iter().any(|cell| column(cell) == Column::Task)
            && header
                .iter()
                .any(|cell| matches!(column(cell), Column::Agencies(_)));
        is_header.then_some((index, header))
    })?;
    let header: Vec<(Column, &str)> = header
        .into_iter()
        .map(|cell| (column(cell), cell))
        .collect();
    let text_of = |cell: &Range<usize>, paragraph: &Paragraph<'a>| -> &'a str {
        &paragraph.text[cell.start - paragraph.start..cell.end - paragraph.start]
    };
    let mut rows = Vec::new();
    for (index, paragraph) in paragraphs
        .iter()
        .enumerate()
        .take(range.end)
        .skip(header_index + 1)
    {
        let Some(row_cells) = cells(paragraph) else {
            continue;
        };
        let mut row = TaskRow {
            paragraph: index,
            serial: (String::new(), rows.len() as u32 + 1),
            tasks: Vec::new(),
            mentions: Vec::new(),
            deadlines: Vec::new(),
            cells: Vec::new(),
        };
        for ((kind, header), cell) in header.iter().zip(row_cells) {
            let text = text_of(&cell, paragraph);
            if text.trim().is_empty() {
                continue;
            }
            match kind {
                Column::Serial => {
                    if let Ok(number) = text.trim_end_matches(['.', '、']).parse::<u32>() {
                        row.serial = (text.to_string(), number);
                    }
                }
                Column::Task => row.tasks.push(cell),
                Column::Agencies(role) => {
                    // Cells hold no blanks at their edges: the normalizer folds them
                    // into the tab.
                    for mut mention in read_cell(text, *role, is_known_name) {
                        mention.range =
                            cell.start + mention.range.start..cell.start + mention.range.end;
                        row.mentions.push(mention);
                    }
                    row.cells.push((cell, format!("{header}：{text}")));
                }
                Column::Time => {
                    for mut deadline in find_deadlines(text, document_year) {
                        let offset = cell.start;
                        deadline.range = offset + deadline.range.start..offset + deadline.range.end;
                        row.deadlines.push(deadline);
                    }
                    row.cells.push((cell, format!("{header}：{text}")));
                }
                Column::Other => {}
            }
        }
        if row.tasks.is_empty() {
            continue;
        }
        rows.push(row);
    }
    (!rows.is_empty()).then_some(TaskTable { rows })
}

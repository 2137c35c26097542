//! The outline: `一、` (part) → `（一）` (section) → `1.` (item) → `（1）` (subitem).
//!
//! Works on normalized paragraphs (parentheses are already full-width). Item numbers may
//! restart per section or run on across the document; both are accepted, anything else is
//! reported as a numbering gap.

use super::model::{Level, Provision, SourceSpan, Warning, WarningKind};
use super::normalize::{Normalized, Paragraph};

/// A numbering marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Level the marker opens.
    pub level: Level,
    /// Number it stands for.
    pub number: u32,
    /// Length in bytes of the marker in the paragraph, including a following space.
    pub len: usize,
    /// The label in normal form: `一、`, `（四）`, `1.`, `（1）`.
    pub label: String,
}

/// Whether a text starts with an outline marker.
pub fn starts_with_marker(text: &str) -> bool {
    parse_marker(text).is_some()
}

/// Reads the outline marker at the start of a paragraph, if any.
pub fn parse_marker(text: &str) -> Option<Marker> {
    if let Some(rest) = text.strip_prefix('（') {
        let close = rest.find('）')?;
        let inner = &rest[..close];
        let after = 3 + close + 3;
        let (level, number, label) = if let Some(number) = parse_chinese_numeral(inner) {
            (Level::Section, number, format!("（{inner}）"))
        } else if !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit())
        {
            let number = inner.parse().ok()?;
            (Level::Subitem, number, format!("（{number}）"))
        } else {
            return None;
        };
        return Some(Marker {
            level,
            number,
            len: after + leading_space(&text[after..]),
            label,
        });
    }
    let numeral_len: usize = text
        .char_indices()
        .take_while(|(_, c)| is_chinese_digit(*c))
        .map(|(_, c)| c.len_utf8())
        .sum();
    if numeral_len > 0 {
        let rest = &text[numeral_len..];
        let separator = ['、', '．'].into_iter().find(|s| rest.starts_with(*s))?;
        let number = parse_chinese_numeral(&text[..numeral_len])?;
        let after = numeral_len + separator.len_utf8();
        return Some(Marker {
            level: Level::Part,
            number,
            len: after + leading_space(&text[after..]),
            label: format!("{}、", &text[..numeral_len]),
        });
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (number, after) = item_number(text, digits)?;
    // `3.5亿元` is a number, not an item.
    if text[after..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(Marker {
        level: Level::Item,
        number,
        len: after + leading_space(&text[after..]),
        label: format!("{number}."),
    })
}

/// Dots that close an item number: `.` `．` `﹒` `、`.
const ITEM_DOTS: [char; 4] = ['.', '．', '﹒', '、'];

/// The number and the byte length of `12.` / `12．` / `12﹒` / `12、` at the start of a
/// text with `digits` leading ASCII digits.
fn item_number(text: &str, digits: usize) -> Option<(u32, usize)> {
    let rest = &text[digits..];
    let separator = ITEM_DOTS.into_iter().find(|s| rest.starts_with(*s))?;
    let number: u32 = text[..digits].parse().ok()?;
    Some((number, digits + separator.len_utf8()))
}

/// Reads the outline marker at the start of a paragraph, knowing which item number would
/// come next: `11.121人才梯队项目` after item 10 is item 11 titled `121人才梯队项目`,
/// where on its own it would read as the number 11.121.
pub fn parse_marker_in_sequence(text: &str, next_item: Option<u32>) -> Option<Marker> {
    if let Some(marker) = parse_marker(text) {
        return Some(marker);
    }
    let next_item = next_item?;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (number, after) = item_number(text, digits)?;
    // Only a title that goes on after its digits (`121人才…`), never a decimal (`3.5亿元`).
    let title_digits = text[after..].bytes().take_while(u8::is_ascii_digit).count();
    let after_digits = &text[after + title_digits..];
    let decimal = after_digits.starts_with(['%', '％', '亿', '万', '元', '倍', '个', '家'])
        || after_digits.is_empty();
    (number == next_item && !decimal).then(|| Marker {
        level: Level::Item,
        number,
        len: after,
        label: format!("{number}."),
    })
}

/// Whether a paragraph opens a `专栏` box (`专栏1 重点工程`, `专栏：…`).
pub fn is_box_heading(text: &str) -> bool {
    text.strip_prefix("专栏").is_some_and(|rest| {
        rest.is_empty()
            || rest
                .starts_with(|c: char| c.is_ascii_digit() || " ：:一二三四五六七八九十".contains(c))
    })
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// Whether a character is a digit of a Chinese numeral (`一` … `十`, `百`, `零`).
pub fn is_chinese_digit(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
    )
}

/// Parses a Chinese numeral such as `二十五` or `一百零二`.
pub fn parse_chinese_numeral(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(is_chinese_digit) {
        return None;
    }
    let mut total = 0u32;
    let mut current = 0u32;
    for c in text.chars() {
        let digit = match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            '十' => {
                total += if current == 0 { 10 } else { current * 10 };
                current = 0;
                continue;
            }
            '百' => {
                total += if current == 0 { 100 } else { current * 100 };
                current = 0;
                continue;
            }
            _ => return None,
        };
        current = current * 10 + digit;
    }
    Some(total + current).filter(|n| *n > 0)
}

/// A provision together with where it stands in the normalized text.
#[derive(Debug, Clone)]
pub struct OutlineNode {
    /// The provision record.
    pub provision: Provision,
    /// Byte offset in the normalized text just after the label.
    pub body_start: usize,
    /// Byte offset in the normalized text where the node's own text ends (children excluded).
    pub own_end: usize,
    /// Byte offset where the node and its children end.
    pub subtree_end: usize,
    /// Index of the heading paragraph.
    pub paragraph: usize,
}

/// Builds the outline from the paragraphs in `body` (indices into `paragraphs`).
pub fn build_outline(
    document_id: &str,
    normalized: &Normalized,
    paragraphs: &[Paragraph<'_>],
    body: std::ops::Range<usize>,
    warnings: &mut Vec<Warning>,
) -> Vec<OutlineNode> {
    let mut nodes: Vec<OutlineNode> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let body_end_offset = body
        .end
        .checked_sub(1)
        .and_then(|last| paragraphs.get(last))
        .map_or(0, |p| p.end);
    let mut last_item: Option<u32> = None;
    // Where a `专栏` box cuts the open node short, by node index.
    let mut box_cut: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut in_box = false;
    for index in body.clone() {
        let paragraph = &paragraphs[index];
        let Some(marker) = parse_marker_in_sequence(paragraph.text, last_item.map(|n| n + 1))
        else {
            // A `专栏` box between provisions belongs to none of them: it runs to the next
            // numbered paragraph.
            if is_box_heading(paragraph.text) {
                in_box = true;
                if let Some(&open) = stack.last() {
                    box_cut
                        .entry(open)
                        .or_insert(paragraph.start.saturating_sub(1));
                }
            }
            if in_box {
                continue;
            }
            if let Some(&open) = stack.last() {
                nodes[open].own_end = paragraph.end;
            }
            continue;
        };
        in_box = false;
        if marker.level == Level::Item {
            last_item = Some(marker.number);
        }
        while stack
            .last()
            .is_some_and(|&open| nodes[open].provision.level >= marker.level)
        {
            stack.pop();
        }
        let parent = stack.last().copied();
        let id_path = match parent {
            Some(parent) => format!(
                "{}.{}{}",
                nodes[parent].provision.id.rsplit("--").next().unwrap_or(""),
                marker.level.id_prefix(),
                marker.number
            ),
            None => format!("{}{}", marker.level.id_prefix(), marker.number),
        };
        let mut id = format!("{document_id}--{id_path}");
        if nodes.iter().any(|node| node.provision.id == id) {
            // A repeated number under one parent: keep ids unique and stable.
            let mut suffix = 2;
            while nodes
                .iter()
                .any(|node| node.provision.id == format!("{id}-{suffix}"))
            {
                suffix += 1;
            }
            id = format!("{id}-{suffix}");
        }
        let heading = &paragraph.text[marker.len..];
        let title = heading_title(marker.level, heading);
        nodes.push(OutlineNode {
            provision: Provision {
                id,
                parent,
                level: marker.level,
                label: marker.label.clone(),
                number: marker.number,
                title,
                text: String::new(),
                span: SourceSpan::default(),
            },
            body_start: paragraph.start + marker.len,
            own_end: paragraph.end,
            subtree_end: paragraph.end,
            paragraph: index,
        });
        stack.push(nodes.len() - 1);
    }
    // Subtree ends: up to the next node at the same or a higher level, or the body's end.
    for index in 0..nodes.len() {
        let level = nodes[index].provision.level;
        let end = nodes[index + 1..]
            .iter()
            .find(|node| node.provision.level <= level)
            .map(|node| paragraphs[node.paragraph].start.saturating_sub(1))
            .unwrap_or(body_end_offset);
        let end = box_cut.get(&index).map_or(end, |&cut| end.min(cut));
        nodes[index].subtree_end = end.max(nodes[index].own_end);
        let heading_start = paragraphs[nodes[index].paragraph].start;
        nodes[index].provision.span =
            normalized.source_span(heading_start..nodes[index].subtree_end);
        nodes[index].provision.text =
            normalized.text[nodes[index].body_start..nodes[index].own_end].to_string();
    }
    check_numbering(&nodes, normalized, paragraphs, warnings);
    nodes
}

/// The heading of a provision: for parts the whole line; otherwise the first sentence when
/// it is short and has no comma, or the whole line when it has no full stop and is short.
fn heading_title(level: Level, heading: &str) -> Option<String> {
    let heading = heading.trim();
    if heading.is_empty() {
        return None;
    }
    if level == Level::Part {
        return Some(heading.trim_end_matches('。').to_string());
    }
    let is_phrase = |text: &str| {
        let chars = text.chars().count();
        chars > 0 && chars <= 25 && !text.contains(['，', '；', '：'])
    };
    match heading.find('。') {
        Some(stop) => {
            let first = &heading[..stop];
            is_phrase(first).then(|| first.to_string())
        }
        None => (level == Level::Section && is_phrase(heading)).then(|| heading.to_string()),
    }
}

/// Reports numbers that neither count up from 1 under their parent nor run on from the
/// previous node of the same level.
fn check_numbering(
    nodes: &[OutlineNode],
    normalized: &Normalized,
    paragraphs: &[Paragraph<'_>],
    warnings: &mut Vec<Warning>,
) {
    let mut last_by_level: std::collections::HashMap<Level, (Option<usize>, u32)> =
        std::collections::HashMap::new();
    for node in nodes {
        let provision = &node.provision;
        let previous = last_by_level.get(&provision.level).copied();
        let ok = match previous {
            None => provision.number == 1,
            Some((parent, number)) => {
                provision.number == number + 1
                    || (parent != provision.parent && provision.number == 1)
            }
        };
        if !ok {
            let expected = match previous {
                Some((_, number)) => format!("{} or 1", number + 1),
                None => "1".to_string(),
            };
            let offset = paragraphs[node.paragraph].start;
            warnings.push(Warning {
                kind: WarningKind::NumberingGap,
                line: Some(normalized.source_span(offset..offset + 1).line_start),
                message: format!(
                    "{} {} follows number {}; expected {}",
                    provision.level.as_str(),
                    provision.label,
                    previous.map_or(0, |(_, n)| n),
                    expected
                ),
            });
        }
        last_by_level.insert(provision.level, (provision.parent, provision.number));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_chinese_numeral("一"), Some(1));
        assert_eq!(parse_chinese_numeral("十"), Some(10));
        assert_eq!(parse_chinese_numeral("十一"), Some(11));
        assert_eq!(parse_chinese_numeral("二十五"), Some(25));
        assert_eq!(parse_chinese_numeral("一百零二"), Some(102));
        assert_eq!(parse_chinese_numeral("五大"), None);
    }

    #[test]
    fn markers_of_every_level() {
        let part = parse_marker("三、加速发展线上新业态").unwrap();
        assert_eq!(
            (part.level, part.number, part.label.as_str()),
            (Level::Part, 3, "三、")
        );
        let section = parse_marker("（二十五）促进全社会协同联动").unwrap();
        assert_eq!((section.level, section.number), (Level::Section, 25));
        let item = parse_marker("48. 筹备建立线上业态服务联盟").unwrap();
        assert_eq!((item.level, item.number, item.len), (Level::Item, 48, 4));
        let item = parse_marker("3．在线金融服务").unwrap();
        assert_eq!((item.level, item.label.as_str()), (Level::Item, "3."));
        let item = parse_marker("7﹒在线金融服务").unwrap();
        assert_eq!((item.level, item.number), (Level::Item, 7));
        let sub = parse_marker("（2）加强监管").unwrap();
        assert_eq!((sub.level, sub.number), (Level::Subitem, 2));
    }

    #[test]
    fn things_that_are_not_markers() {
        assert!(parse_marker("3.5亿元资金").is_none());
        assert!(parse_marker("2020年3月，中共中央").is_none());
        assert!(parse_marker("5G网络").is_none());
        assert!(parse_marker("（此件公开发布）").is_none());
        assert!(parse_marker("五大功能区域").is_none());
        assert!(parse_marker("12345政务热线").is_none());
    }

    #[test]
    fn digits_right_after_the_number_in_sequence() {
        assert!(parse_marker("11.121人才梯队项目。重点培养").is_none());
        let item = parse_marker_in_sequence("11.121人才梯队项目。重点培养", Some(11)).unwrap();
        assert_eq!((item.level, item.number, item.len), (Level::Item, 11, 3));
        assert!(parse_marker_in_sequence("11.121人才梯队项目", Some(12)).is_none());
        assert!(parse_marker_in_sequence("3.5亿元资金", Some(3)).is_none());
    }

    #[test]
    fn titles() {
        assert_eq!(
            heading_title(Level::Item, "在线医疗。推进互联网医院发展。"),
            Some("在线医疗".into())
        );
        assert_eq!(
            heading_title(Level::Item, "实施工业互联网培育计划，重点在汽车领域。"),
            None
        );
        assert_eq!(
            heading_title(Level::Section, "实施创新型企业培育工程"),
            Some("实施创新型企业培育工程".into())
        );
        assert_eq!(
            heading_title(Level::Part, "二、主要任务"),
            Some("二、主要任务".into())
        );
    }
}

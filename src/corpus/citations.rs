//! Cross-references: titles in 《》 and document numbers such as `渝府办发〔2020〕25号`, and
//! the rules that tie citations of one outside document together.

use super::metadata::{find_doc_numbers, kind_of_title, strip_draft_marker, DRAFT_MARKERS, KINDS};
use super::model::DocNumber;

/// A citation found in a text, with byte offsets into that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCitation {
    /// Title without 《》 (inner 〈〉 kept), draft marker removed.
    pub title: Option<String>,
    /// The document number.
    pub doc_number: Option<DocNumber>,
    /// Byte range of the citation as printed.
    pub range: std::ops::Range<usize>,
    /// True when the title is a short back-reference such as 《指导意见》.
    pub abbreviated: bool,
}

/// Finds every citation in a text: 《title》 optionally followed by `（doc number）`, and
/// document numbers standing alone.
pub fn find_citations(text: &str) -> Vec<FoundCitation> {
    let mut found = Vec::new();
    let numbers = find_doc_numbers(text);
    let mut used_numbers = vec![false; numbers.len()];
    let mut position = 0;
    while let Some(open) = text[position..].find('《').map(|i| i + position) {
        let Some(close) = matching_close(text, open) else {
            break;
        };
        let inner = &text[open + '《'.len_utf8()..close];
        let mut end = close + '》'.len_utf8();
        // `《…》（征求意见稿）` and `《…》（渝府办发〔2020〕25号）`.
        let mut doc_number = None;
        let mut rest = &text[end..];
        for _ in 0..2 {
            let Some(paren) = rest.strip_prefix('（') else {
                break;
            };
            let Some(paren_close) = paren.find('）') else {
                break;
            };
            let content = &paren[..paren_close];
            let is_marker = DRAFT_MARKERS.contains(&content);
            let number = (!is_marker)
                .then(|| {
                    numbers.iter().position(|(range, _)| {
                        range.start == end + 3 && range.end == end + 3 + content.len()
                    })
                })
                .flatten();
            if let Some(index) = number {
                used_numbers[index] = true;
                doc_number = Some(numbers[index].1.clone());
            } else if !is_marker {
                break;
            }
            end += '（'.len_utf8() + paren_close + '）'.len_utf8();
            rest = &text[end..];
        }
        let title = clean_title(inner);
        if !title.is_empty() {
            found.push(FoundCitation {
                abbreviated: is_abbreviation(&title),
                title: Some(title),
                doc_number,
                range: open..end,
            });
        }
        position = end;
    }
    for (index, (range, number)) in numbers.into_iter().enumerate() {
        let inside_title = found
            .iter()
            .any(|c| c.range.start <= range.start && range.end <= c.range.end);
        if !used_numbers[index] && !inside_title {
            found.push(FoundCitation {
                title: None,
                doc_number: Some(number),
                range,
                abbreviated: false,
            });
        }
    }
    found.sort_by_key(|c| c.range.start);
    found
}

/// Byte offset of the `》` closing the `《` at `open`, allowing nested `《》`.
fn matching_close(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, ch) in text[open..].char_indices() {
        match ch {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + index);
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// A title in normal form: nested `<>`/`《》` as `〈〉`, draft marker removed.
fn clean_title(inner: &str) -> String {
    let title: String = inner
        .chars()
        .map(|c| match c {
            '<' | '《' => '〈',
            '>' | '》' => '〉',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut title = strip_draft_marker(&title).to_string();
    for marker in DRAFT_MARKERS {
        if let Some(stripped) = title.strip_suffix(&format!("（{marker}）")) {
            title = stripped.to_string();
        }
    }
    title
}

/// Whether a title is only a kind word (`指导意见`, `实施意见`), i.e. a short back-reference
/// to a document cited in full earlier.
fn is_abbreviation(title: &str) -> bool {
    KINDS.contains(&title) || (title.chars().count() <= 4 && kind_of_title(title).is_some())
}

/// The key under which two titles are the same document: the issuer before `关于` dropped,
/// punctuation, quotes and brackets removed.
pub fn title_key(title: &str) -> String {
    let title = strip_draft_marker(title);
    let from_about = match title.find("关于") {
        Some(position) if position > 0 => &title[position..],
        _ => title,
    };
    from_about
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '“' | '”'
                    | '"'
                    | '\''
                    | '‘'
                    | '’'
                    | '〈'
                    | '〉'
                    | '<'
                    | '>'
                    | '《'
                    | '》'
                    | ' '
                    | '·'
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_with_number() {
        let text = "根据《重庆市人民政府办公厅关于加快线上业态线上服务线上管理发展的意见》（渝府办发〔2020〕25号）文件精神";
        let found = find_citations(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].title.as_deref(),
            Some("重庆市人民政府办公厅关于加快线上业态线上服务线上管理发展的意见")
        );
        assert_eq!(
            found[0].doc_number.as_ref().map(|n| n.text.as_str()),
            Some("渝府办发〔2020〕25号")
        );
        assert_eq!(&text[found[0].range.clone()], "《重庆市人民政府办公厅关于加快线上业态线上服务线上管理发展的意见》（渝府办发〔2020〕25号）");
    }

    #[test]
    fn number_alone_and_nested_title() {
        let found = find_citations(
            "按照国发〔2015〕40号要求，落实《虹口区落实<上海市行动方案>的实施意见》。",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].doc_number.as_ref().map(|n| n.serial), Some(40));
        assert_eq!(found[0].title, None);
        assert_eq!(
            found[1].title.as_deref(),
            Some("虹口区落实〈上海市行动方案〉的实施意见")
        );
    }

    #[test]
    fn abbreviations_and_draft_markers() {
        let found = find_citations("我局对标《指导意见》，形成了《实施意见（送审稿）》。");
        assert!(found.iter().all(|c| c.abbreviated));
        assert_eq!(found[1].title.as_deref(), Some("实施意见"));
    }

    #[test]
    fn title_keys_ignore_the_issuer_before_about() {
        assert_eq!(
            title_key("重庆市人民政府办公厅关于加快线上业态线上服务线上管理发展的意见"),
            title_key("关于加快线上业态线上服务线上管理发展的意见")
        );
        assert_ne!(
            title_key("关于促进平台经济规范健康发展的指导意见"),
            title_key("关于促进平台经济规范健康发展的实施意见")
        );
    }
}

//! Metadata inferred from a document's text: title (also over several lines), kind, status,
//! issuer and date from the signature, document number, consultation period, and where the
//! body (the numbered outline) starts and ends.

use once_cell::sync::Lazy;
use regex::Regex;

use super::model::{DocNumber, DocumentStatus};
use super::normalize::Paragraph;

/// Document kinds, longest first so that `实施意见` wins over `意见`.
pub const KINDS: &[&str] = &[
    "实施方案",
    "行动计划",
    "实施意见",
    "工作方案",
    "行动方案",
    "指导意见",
    "实施细则",
    "管理办法",
    "若干措施",
    "复函",
    "答复",
    "通知",
    "意见",
    "方案",
    "计划",
    "办法",
    "规划",
    "决定",
    "措施",
    "细则",
    "规定",
    "纲要",
    "函",
];

/// Markers of a draft, as printed after or inside a title.
pub const DRAFT_MARKERS: &[&str] = &["征求意见稿", "送审稿", "讨论稿", "草案", "试行稿"];

static DATE_LINE: Lazy<Regex> = lazy_regex!(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$");
static DOC_NUMBER: Lazy<Regex> = lazy_regex!(
    r"([\p{Han}]{1,10}?[发字函办])\s*[〔［\[【（]\s*(\d{4})\s*[〕］\]】）]\s*(\d{1,4})\s*号"
);
static CONSULTATION: Lazy<Regex> = lazy_regex!(
    r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:至|到|—|－|-|~)\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
);

/// Words that stand before a document number and are not part of its issuer code.
const WORDS_BEFORE_CODE: &[&str] = &[
    "按照", "根据", "依据", "对照", "贯彻", "落实", "印发", "转发", "参照", "执行", "精神", "要求",
    "文件", "通知", "认真", "关于", "见", "即", "和", "及", "与", "的", "为", "、", "是", "在",
    "将", "按", "据", "经", "由",
];

/// Whether a paragraph is a date alone, such as a signature date `2015年12月31日`.
pub fn is_date_line(text: &str) -> bool {
    DATE_LINE.is_match(text.trim())
}

/// Parses a date line into ISO `YYYY-MM-DD`.
pub fn parse_date_line(text: &str) -> Option<String> {
    let captures = DATE_LINE.captures(text.trim())?;
    iso_date(&captures[1], &captures[2], &captures[3])
}

fn iso_date(year: &str, month: &str, day: &str) -> Option<String> {
    let year: u32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    ((1949..=2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Finds every document number in a text: (byte range, parsed number).
pub fn find_doc_numbers(text: &str) -> Vec<(std::ops::Range<usize>, DocNumber)> {
    DOC_NUMBER
        .captures_iter(text)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            // The leftmost match may have swallowed the words before the code
            // (`为认真贯彻落实国办发〔2020〕32号`): the code starts after the last word that
            // cannot be part of one.
            let captured = &captures[1];
            let cut = WORDS_BEFORE_CODE
                .iter()
                .filter_map(|word| captured.rfind(word).map(|at| at + word.len()))
                .filter(|&end| captured[end..].chars().count() >= 2)
                .max()
                .unwrap_or(0);
            let issuer_code = captured[cut..].to_string();
            let start = whole.start() + cut;
            let year: i32 = captures[2].parse().ok()?;
            let serial: i32 = captures[3].parse().ok()?;
            Some((
                start..whole.end(),
                DocNumber {
                    text: format!("{issuer_code}〔{year}〕{serial}号"),
                    issuer_code,
                    year,
                    serial,
                },
            ))
        })
        .collect()
}

static OWN_NUMBER_LINE: Lazy<Regex> =
    lazy_regex!(r"^([\p{Han}]{1,10})\s*[〔［\[【]\s*(\d{4})\s*[〕］\]】]\s*(\d{1,4})\s*号$");

/// A line that is only a document number whose issuer code ends in any character
/// (`沪科合〔2025〕7号`): on a line of its own, the form is unmistakable.
fn own_number_line(text: &str) -> Option<DocNumber> {
    let captures = OWN_NUMBER_LINE.captures(text.trim())?;
    let issuer_code = captures[1].to_string();
    let year: i32 = captures[2].parse().ok()?;
    let serial: i32 = captures[3].parse().ok()?;
    Some(DocNumber {
        text: format!("{issuer_code}〔{year}〕{serial}号"),
        issuer_code,
        year,
        serial,
    })
}

/// Parses a document number on its own (`渝府办发〔2020〕25号`, also with `[]` or `（）`).
pub fn parse_doc_number(text: &str) -> Option<DocNumber> {
    let found = find_doc_numbers(text);
    match found.as_slice() {
        [(range, number)] if range.start == 0 && range.end == text.len() => Some(number.clone()),
        _ => None,
    }
}

/// The kind word a title ends with (`实施方案`), if any; a period in parentheses after it
/// (`行动计划（2024-2025年）`) is part of the title.
pub fn kind_of_title(title: &str) -> Option<&'static str> {
    let title = strip_period(strip_draft_marker(title));
    KINDS.iter().copied().find(|kind| title.ends_with(kind))
}

/// A title without a closing period in parentheses: `行动计划（2024-2025年）` → `行动计划`.
fn strip_period(title: &str) -> &str {
    if let Some(open) = title.rfind('（') {
        let inner = &title[open + '（'.len_utf8()..];
        let is_period = inner.ends_with("年）")
            && inner
                .trim_end_matches("年）")
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '—' | '－' | '年' | '至' | '~'));
        if is_period {
            return &title[..open];
        }
    }
    title
}

/// The title of a document published inside a line such as `…办公厅印发《关于…若干意见》`
/// (a page title with no `的通知`): the title in the 《》.
pub fn publishing_title(text: &str) -> Option<&str> {
    let open = text.find("印发《")? + "印发".len();
    let inner = text[open..].strip_prefix('《')?.strip_suffix('》')?;
    (!inner.contains(['《', '》']) && kind_of_title(inner).is_some()).then_some(inner)
}

/// Removes a trailing `（征求意见稿）`-style marker.
pub fn strip_draft_marker(title: &str) -> &str {
    let trimmed = title.trim();
    for marker in DRAFT_MARKERS {
        let wrapped = format!("（{marker}）");
        if let Some(stripped) = trimmed.strip_suffix(wrapped.as_str()) {
            return stripped.trim_end();
        }
    }
    trimmed
}

/// Whether a paragraph is only a release marker such as `（此件公开发布）`,
/// `（此件不公开）` or `（此件主动公开）`, printed under a signature.
pub fn is_release_marker_line(text: &str) -> bool {
    let text = text.trim();
    text.starts_with("（此件") && text.ends_with('）') && text.chars().count() <= 14
}

/// Whether a paragraph is only a draft marker such as `（征求意见稿）`.
pub fn is_draft_marker_line(text: &str) -> bool {
    DRAFT_MARKERS
        .iter()
        .any(|marker| text.trim() == format!("（{marker}）"))
}

/// Where the body of a document is: the paragraph index of the first part marker, or of the
/// first numbered paragraph when there are no parts, up to (not including) an attachment
/// line or the closing signature.
pub fn body_range(
    paragraphs: &[Paragraph<'_>],
    title_index: Option<usize>,
) -> std::ops::Range<usize> {
    use super::model::Level;
    use super::outline::parse_marker;
    let search_from = title_index.map_or(0, |index| index + 1);
    let first_part = (search_from..paragraphs.len()).find(|&index| {
        parse_marker(paragraphs[index].text).is_some_and(|marker| marker.level == Level::Part)
    });
    let start = first_part
        .or_else(|| {
            (search_from..paragraphs.len())
                .find(|&index| parse_marker(paragraphs[index].text).is_some())
        })
        .unwrap_or(paragraphs.len());
    let mut end = (start..paragraphs.len())
        .find(|&index| {
            let text = paragraphs[index].text;
            text.starts_with("附件") || text.starts_with("附：") || text == "附"
        })
        .unwrap_or(paragraphs.len());
    // A closing signature: [issuer line] + date line at the very end.
    if end > start && end == paragraphs.len() && is_date_line(paragraphs[end - 1].text) {
        end -= 1;
        if end > start && looks_like_issuer(paragraphs[end - 1].text) {
            end -= 1;
        }
    }
    start..end.max(start)
}

/// Whether a short line reads as the name of an issuing body.
pub fn looks_like_issuer(text: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "人民政府",
        "办公厅",
        "办公室",
        "委员会",
        "管理局",
        "局",
        "委",
        "厅",
        "部",
        "办",
        "中心",
        "政府",
    ];
    let length = text.chars().count();
    (4..=30).contains(&length)
        && !text.contains(['。', '，', '：', '；', '、'])
        && SUFFIXES.iter().any(|suffix| text.ends_with(suffix))
}

/// What the front matter says about a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InferredMetadata {
    /// Title without draft marker.
    pub title: Option<String>,
    /// Paragraph index of the (last line of the) title.
    pub title_index: Option<usize>,
    /// Kind from the title's last word.
    pub kind: Option<String>,
    /// Draft or final.
    pub status: DocumentStatus,
    /// Issuer from the signature or the title's lead.
    pub issuer: Option<String>,
    /// Date from the first standalone date line.
    pub date: Option<String>,
    /// The document's own number, when printed on a line of its own before the body.
    pub doc_number: Option<DocNumber>,
    /// Consultation period.
    pub consultation: Option<(String, String)>,
}

/// Infers metadata from the paragraphs of a normalized document.
pub fn infer(paragraphs: &[Paragraph<'_>], full_text: &str) -> InferredMetadata {
    let mut inferred = InferredMetadata::default();
    let first_marker = paragraphs
        .iter()
        .position(|p| {
            super::outline::parse_marker(p.text)
                .is_some_and(|m| m.level == super::model::Level::Part)
        })
        .unwrap_or(paragraphs.len());

    // Title: the last title-like line before the body, extended upward over lines that
    // continue it (a title split over two or three lines).
    let title_like = |text: &str| {
        let text = strip_draft_marker(text);
        let length = text.chars().count();
        (4..=120).contains(&length)
            && !text.contains(['。', '，', '；'])
            && !text.contains('：')
            && !text.starts_with('《')
            && !is_release_marker_line(text)
            && (kind_of_title(text).is_some() || publishing_title(text).is_some())
    };
    if let Some(index) = (0..first_marker)
        .rev()
        .find(|&i| title_like(paragraphs[i].text))
    {
        let mut title = strip_draft_marker(paragraphs[index].text).to_string();
        let mut top = index;
        while top > 0 && !starts_with_place_or_body(&title) {
            let above = paragraphs[top - 1].text;
            if above.chars().count() > 40
                || above.contains(['。', '，', '：', '；', '、'])
                || above.starts_with("附件")
                || is_date_line(above)
                || is_draft_marker_line(above)
                || is_release_marker_line(above)
            {
                break;
            }
            if title.starts_with("关于") {
                // `关于…` may have its issuer on the line above, and nothing more.
                if looks_like_issuer(above) {
                    title = format!("{above}{title}");
                }
                break;
            }
            title = format!("{above}{title}");
            top -= 1;
        }
        inferred.kind = kind_of_title(&title)
            .or_else(|| publishing_title(&title).and_then(kind_of_title))
            .map(str::to_string);
        inferred.title = Some(title);
        inferred.title_index = Some(index);
    }

    // Draft markers next to the title, or in the title line itself.
    let near_title = inferred
        .title_index
        .map(|index| index.saturating_sub(1)..(index + 2).min(paragraphs.len()))
        .unwrap_or(0..0);
    let draft_near_title = near_title.clone().any(|index| {
        let text = paragraphs[index].text;
        is_draft_marker_line(text)
            || DRAFT_MARKERS
                .iter()
                .any(|m| text.ends_with(&format!("（{m}）")))
    });
    if draft_near_title {
        inferred.status = DocumentStatus::Draft;
    }

    // Signature: the first date alone on a line, and the issuer line just above it.
    if let Some(index) = paragraphs.iter().position(|p| is_date_line(p.text)) {
        inferred.date = parse_date_line(paragraphs[index].text);
        // Joint issuers sign one under the other.
        let mut issuers: Vec<&str> = Vec::new();
        let mut above = index;
        while above > 0 && issuers.len() < 4 && looks_like_issuer(paragraphs[above - 1].text) {
            issuers.insert(0, paragraphs[above - 1].text.trim());
            above -= 1;
        }
        if !issuers.is_empty() {
            inferred.issuer = Some(issuers.join("、"));
        }
    }
    if inferred.issuer.is_none() {
        if let Some(title) = &inferred.title {
            if let Some(position) = title.find("关于") {
                let lead = &title[..position];
                if looks_like_issuer(lead) {
                    inferred.issuer = Some(lead.to_string());
                }
            }
        }
    }

    // The document's own number: a line that is only a document number, before the body.
    inferred.doc_number = paragraphs[..first_marker]
        .iter()
        .find_map(|p| parse_doc_number(p.text.trim()).or_else(|| own_number_line(p.text)));

    // Consultation period: a date range in a sentence about soliciting comments.
    if inferred.status == DocumentStatus::Draft || full_text.contains("征求意见") {
        for sentence in full_text.split(['。', '\n']) {
            if !sentence.contains("意见") {
                continue;
            }
            if let Some(captures) = CONSULTATION.captures(sentence) {
                let start = iso_date(&captures[1], &captures[2], &captures[3]);
                let end_year = captures.get(4).map_or(&captures[1], |m| m.as_str());
                let end_month = captures.get(5).map_or(&captures[2], |m| m.as_str());
                let end = iso_date(end_year, end_month, &captures[6]);
                if let (Some(start), Some(end)) = (start, end) {
                    inferred.consultation = Some((start, end));
                    inferred.status = DocumentStatus::Draft;
                    break;
                }
            }
        }
    }
    inferred
}

/// Whether a title starts with a place (`渝北区…`, `黑龙江省…`) or a national body, as a
/// complete title does; a fragment such as `办理情况的复函` does not.
fn starts_with_place_or_body(title: &str) -> bool {
    if title.starts_with("关于") {
        return false;
    }
    let chars: Vec<char> = title.chars().take(8).collect();
    let place = (2..=4.min(chars.len())).any(|length| {
        matches!(
            chars[length - 1],
            '省' | '市' | '区' | '县' | '州' | '盟' | '旗'
        )
    }) || chars.iter().collect::<String>().contains("自治区");
    place
        || ["国务院", "中共", "国家", "中央"]
            .iter()
            .any(|body| title.starts_with(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::normalize::normalize;

    fn infer_text(text: &str) -> InferredMetadata {
        let normalized = normalize(text);
        let paragraphs = normalized.paragraphs();
        infer(&paragraphs, &normalized.text)
    }

    /// What [`infer_text`] reads from `text`, after checking that its title is `title`.
    fn inferred_titled(text: &str, title: &str) -> InferredMetadata {
        let inferred = infer_text(text);
        assert_eq!(inferred.title.as_deref(), Some(title));
        inferred
    }

    #[test]
    fn doc_numbers_in_every_bracket_form() {
        let found = find_doc_numbers("按照国发〔2015〕40号要求");
        assert_eq!(found[0].1.issuer_code, "国发");
        let found = find_doc_numbers("为认真贯彻落实国办发〔2020〕32号文件精神");
        assert_eq!(found[0].1.text, "国办发〔2020〕32号");
        for text in [
            "渝府办发〔2020〕25号",
            "渝府办发[2020]25号",
            "渝府办发（2020）25号",
            "国发〔2015〕40号",
        ] {
            let number = parse_doc_number(text).unwrap_or_else(|| panic!("{text}"));
            assert!(number.text.contains('〔'));
        }
        let number = parse_doc_number("渝府办发〔2020〕25号").unwrap();
        assert_eq!(
            (number.issuer_code.as_str(), number.year, number.serial),
            ("渝府办发", 2020, 25)
        );
    }

    #[test]
    fn title_split_over_three_lines_and_signature() {
        let inferred = inferred_titled(
            "某某市大数据应用发展管理局\n关于市五届人大三次会议第0001号建议\n办理情况的复函\n张三代表：\n您好。\n一、工作开展情况\n（一）出台意见\n某某市大数据应用发展管理局\n2020年4月13日\n",
            "某某市大数据应用发展管理局关于市五届人大三次会议第0001号建议办理情况的复函",
        );
        assert_eq!(inferred.kind.as_deref(), Some("复函"));
        assert_eq!(inferred.date.as_deref(), Some("2020-04-13"));
        assert_eq!(
            inferred.issuer.as_deref(),
            Some("某某市大数据应用发展管理局")
        );
        assert_eq!(inferred.status, DocumentStatus::Final);
    }

    #[test]
    fn draft_with_consultation_period() {
        let inferred = inferred_titled(
            "现公开征求意见。公开征求意见的时间是2020年10月15日至10月23日。\n某市促进线上服务经济发展实施意见\n（征求意见稿）\n为进一步发展，制定本意见。\n一、总体要求\n",
            "某市促进线上服务经济发展实施意见",
        );
        assert_eq!(inferred.status, DocumentStatus::Draft);
        assert_eq!(
            inferred.consultation,
            Some(("2020-10-15".to_string(), "2020-10-23".to_string()))
        );
    }
}

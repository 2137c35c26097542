//! HTML pages: the article body of a government portal page as paragraphs.
//!
//! Portal pages (gov.cn, provincial TRS/CMS layouts) wrap the document in navigation,
//! breadcrumbs (`当前位置：首页 > …`), share bars, related links and a footer. The page is
//! parsed with html5ever (through `scraper`, the same parser browsers' rules describe, so
//! broken markup parses as a browser would show it), then:
//!
//! 1. Boilerplate is dropped: scripts, styles, forms, `<nav>`, `<header>`, `<footer>`,
//!    `<aside>`, hidden elements, and elements whose `id` or `class` names navigation,
//!    menus, breadcrumbs, share bars, footers, sidebars or related links.
//! 2. The article is the element that the portal's templates name for it (`#UCAP-CONTENT`,
//!    `#zoom`, `.TRS_Editor`, `.pages_content` …) when one holds at least half of the
//!    page's text outside links; else the deepest element that holds at least nine tenths
//!    of it: from `<body>` down, a child is entered while the text around it is less than a
//!    tenth of its parent's.
//! 3. The article is written out one block per line: headings, `<p>`, `<div>`, list items
//!    and `<br>` break lines; a table row is one line with its cells separated by TAB.
//!
//! The charset comes from a byte-order mark, else from the page's `<meta charset>` or
//! `http-equiv` declaration (GB2312, GBK, GB18030, UTF-8 …), else UTF-8 or GB18030 as the
//! bytes allow.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{join_lines, ExtractError, Extracted, Format, MetadataHints};

/// Tags whose content is never article text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "nav", "header", "footer", "aside",
    "form", "button", "select", "option", "textarea", "input", "iframe", "object", "embed", "svg",
    "canvas", "map", "audio", "video",
];

/// Tags that start and end a line.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "blockquote",
    "center",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "pre",
    "address",
    "figure",
    "figcaption",
    "hr",
    "body",
    "html",
    "tr",
    "td",
    "th",
];

/// Parts of an `id` or `class` that mark page furniture rather than the article.
const BOILERPLATE_NAMES: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "share",
    "footer",
    "foot",
    "header",
    "toolbar",
    "sidebar",
    "related",
    "copyright",
    "bottom",
    "print",
    "qrcode",
    "weixin",
    "location",
    "position",
    "dqwz",
    "fenxiang",
    "jiathis",
    "comment",
    "search",
    "login",
    "topbar",
    "banner",
    "xgwz",
    "xgxx",
    "pager",
];

/// `id`s and classes that portal systems (TRS, UCAP, gov.cn templates) give the element
/// holding the article text, compared without case.
const ARTICLE_NAMES: &[&str] = &[
    "ucap-content",
    "zoom",
    "fontzoom",
    "trs_editor",
    "trs_ueditor",
    "pages_content",
    "article-content",
    "article_content",
    "articlecontent",
    "content_text",
    "detail-content",
    "view_content",
    "zwnr",
    "wzcon",
];

/// Elements deeper than this are read as plain inline text (no recursion), so that a
/// pathological page cannot exhaust the stack.
const MAX_DEPTH: usize = 200;

/// Extracts the article text of an HTML page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let (page, encoding) = decode_page(bytes)?;
    let document = Html::parse_document(&page);
    let hints = hints(&document);
    let root = document.root_element();
    let body = root
        .children()
        .find(|child| element_name(*child) == Some("body"))
        .unwrap_or(*root);
    let article = article_root(body);
    let mut writer = LineWriter::default();
    write_node(article, &mut writer, 0);
    let lines = writer.finish();
    let significant: usize = lines
        .iter()
        .map(|line| line.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    let han = lines
        .iter()
        .flat_map(|line| line.chars())
        .any(super::super::decode::is_han);
    if significant < 20 || !han {
        return Err(ExtractError::NoArticleText);
    }
    Ok(Extracted {
        format: Format::Html,
        text: join_lines(lines),
        encoding,
        hints,
    })
}

/// Decodes the page's bytes by BOM, declared charset, or UTF-8 / GB18030.
fn decode_page(bytes: &[u8]) -> Result<(String, String), ExtractError> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        return decode_as(encoding, &bytes[bom_length..], "its byte-order mark");
    }
    if let Some(encoding) = declared_charset(bytes) {
        if let Ok(decoded) = decode_as(encoding, bytes, "its <meta> charset") {
            return Ok(decoded);
        }
        // A page that declares one charset and is written in another (UTF-8 declared,
        // GBK written) is read as what its bytes are, when that is unambiguous.
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8".to_string()));
    }
    decode_as(
        encoding_rs::GB18030,
        bytes,
        "the bytes (no charset declared)",
    )
    .map_err(|_| {
        ExtractError::Decode(
            "the HTML page is neither UTF-8 nor GB18030 and declares no charset that reads it"
                .to_string(),
        )
    })
}

/// Decodes strictly: bytes invalid in the encoding are an error, never mojibake.
fn decode_as(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    source: &str,
) -> Result<(String, String), ExtractError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if !text.contains('\0') => Ok((text.into_owned(), display_name(encoding))),
        _ => Err(ExtractError::Decode(format!(
            "the HTML page has bytes that are invalid in {}, the charset given by {source}",
            display_name(encoding)
        ))),
    }
}

/// `UTF-8`, `GBK`, `GB18030`, `BIG5` …
fn display_name(encoding: &'static encoding_rs::Encoding) -> String {
    encoding.name().to_ascii_uppercase()
}

/// The charset a page declares in its first 4 KiB (`<meta charset="gb2312">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=GBK">`).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let needle = b"charset=";
    let mut from = 0;
    while let Some(position) = lower[from..]
        .windows(needle.len())
        .position(|window| window == needle)
    {
        let start = from + position + needle.len();
        let label: Vec<u8> = lower[start..]
            .iter()
            .copied()
            .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
            .collect();
        if let Some(encoding) = encoding_rs::Encoding::for_label(&label) {
            // A page saved as UTF-16 cannot declare it in ASCII; the label is then wrong.
            if encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE {
                return Some(encoding);
            }
        }
        from = start;
    }
    None
}

/// The page's title and publication metadata.
fn hints(document: &Html) -> MetadataHints {
    let mut hints = MetadataHints::default();
    let mut page_title = None;
    for node in document.tree.root().descendants() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        match element.name() {
            "title" if page_title.is_none() => {
                let text = collapse(&inline_text(node));
                page_title = site_free_title(&text);
            }
            "meta" => {
                let name = element
                    .attr("name")
                    .or_else(|| element.attr("property"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let Some(content) = element.attr("content").map(collapse) else {
                    continue;
                };
                if content.is_empty() {
                    continue;
                }
                match name.as_str() {
                    "articletitle" | "dc.title" | "og:title" if hints.title.is_none() => {
                        hints.title = Some(content);
                    }
                    "pubdate"
                    | "publishdate"
                    | "firstpublishedtime"
                    | "dc.date"
                    | "article:published_time"
                        if hints.date.is_none() =>
                    {
                        hints.date = iso_date(&content);
                    }
                    "contentsource" | "source" | "dc.publisher" if hints.issuer.is_none() => {
                        hints.issuer = Some(content);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if hints.title.is_none() {
        hints.title = page_title;
    }
    hints
}

/// A `<title>` without the site and column names portals append
/// (`关于…的通知_政策文件_重庆市人民政府网`).
fn site_free_title(title: &str) -> Option<String> {
    let first = title
        .split(['_', '|', '｜'])
        .next()
        .unwrap_or(title)
        .split(" - ")
        .next()
        .unwrap_or(title)
        .trim();
    (!first.is_empty()).then(|| first.to_string())
}

/// `2020-07-15 10:30`, `2020/7/15`, `2020年7月15日` → `2020-07-15`.
fn iso_date(text: &str) -> Option<String> {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .take(3)
        .filter_map(|part| part.parse().ok())
        .collect();
    match numbers.as_slice() {
        [year, month, day]
            if (1949..=2100).contains(year)
                && (1..=12).contains(month)
                && (1..=31).contains(day) =>
        {
            Some(format!("{year:04}-{month:02}-{day:02}"))
        }
        _ => None,
    }
}

/// The tag name of an element node.
fn element_name<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    match node.value() {
        Node::Element(element) => Some(element.name()),
        _ => None,
    }
}

/// Whether an element is page furniture, never article text.
fn is_boilerplate(node: NodeRef<'_, Node>) -> bool {
    let Node::Element(element) = node.value() else {
        return false;
    };
    if SKIPPED_TAGS.contains(&element.name()) || element.attr("hidden").is_some() {
        return true;
    }
    if element.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    }) {
        return true;
    }
    if element.attr("role").is_some_and(|role| {
        matches!(
            role.to_ascii_lowercase().as_str(),
            "navigation" | "banner" | "contentinfo" | "search"
        )
    }) {
        return true;
    }
    let names = element
        .attr("id")
        .into_iter()
        .chain(element.attr("class"))
        .flat_map(str::split_whitespace)
        .map(str::to_ascii_lowercase);
    for name in names {
        if BOILERPLATE_NAMES.iter().any(|part| name.contains(part)) {
            return true;
        }
    }
    false
}

/// Non-whitespace characters of a subtree outside boilerplate and outside links.
fn text_weight(node: NodeRef<'_, Node>) -> usize {
    let mut weight = 0;
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        match current.value() {
            Node::Text(text) => weight += text.chars().filter(|c| !c.is_whitespace()).count(),
            Node::Element(element) => {
                if element.name() == "a" || is_boilerplate(current) {
                    continue;
                }
                stack.extend(current.children());
            }
            _ => {}
        }
    }
    weight
}

/// The element holding the article: entered from `body` while one child holds nine tenths
/// of the text.
fn article_root(body: NodeRef<'_, Node>) -> NodeRef<'_, Node> {
    let total = text_weight(body);
    let named = body
        .descendants()
        .filter(|node| is_article_container(*node))
        .map(|node| (text_weight(node), node))
        .filter(|(weight, _)| *weight * 2 >= total && *weight > 0)
        .max_by_key(|(weight, _)| *weight);
    if let Some((_, node)) = named {
        return node;
    }
    let mut current = body;
    loop {
        let total = text_weight(current);
        if total == 0 {
            return current;
        }
        let best = current
            .children()
            .filter(|child| matches!(child.value(), Node::Element(_)) && !is_boilerplate(*child))
            .map(|child| (text_weight(child), child))
            .max_by_key(|(weight, _)| *weight);
        match best {
            Some((weight, child)) if (total - weight) * 10 < total => current = child,
            _ => return current,
        }
    }
}

/// Whether an element carries an `id` or class that portal templates give the article.
fn is_article_container(node: NodeRef<'_, Node>) -> bool {
    let Node::Element(element) = node.value() else {
        return false;
    };
    element
        .attr("id")
        .into_iter()
        .chain(element.attr("class"))
        .flat_map(str::split_whitespace)
        .any(|name| ARTICLE_NAMES.contains(&name.to_ascii_lowercase().as_str()))
}

/// Collects lines: text is appended to the current line; a break closes it.
#[derive(Default)]
struct LineWriter {
    lines: Vec<String>,
    current: String,
}

impl LineWriter {
    /// Appends text, whitespace runs collapsed to one space.
    fn text(&mut self, text: &str) {
        for ch in text.chars() {
            if ch.is_whitespace() {
                if !self.current.is_empty() && !self.current.ends_with(' ') {
                    self.current.push(' ');
                }
            } else {
                self.current.push(ch);
            }
        }
    }

    /// Closes the current line (an empty one is dropped).
    fn break_line(&mut self) {
        let line = self.current.trim_matches(' ').to_string();
        self.current.clear();
        if !line.is_empty() {
            self.lines.push(line);
        }
    }

    /// Adds a finished line (a table row).
    fn push_line(&mut self, line: String) {
        self.break_line();
        if !line.trim().is_empty() {
            self.lines.push(line);
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.break_line();
        self.lines
    }
}

/// Writes a node's text: blocks on lines of their own, rows as TAB-separated cells.
fn write_node(node: NodeRef<'_, Node>, writer: &mut LineWriter, depth: usize) {
    match node.value() {
        Node::Text(text) => writer.text(text),
        Node::Element(element) => {
            if is_boilerplate(node) {
                return;
            }
            let name = element.name();
            if depth > MAX_DEPTH {
                writer.text(&inline_text(node));
                return;
            }
            match name {
                "br" => writer.break_line(),
                "tr" => {
                    let cells: Vec<String> = node
                        .children()
                        .filter(|cell| matches!(element_name(*cell), Some("td" | "th")))
                        .filter(|cell| !is_boilerplate(*cell))
                        .map(|cell| collapse(&inline_text(cell)))
                        .collect();
                    if cells.iter().any(|cell| !cell.is_empty()) {
                        writer.push_line(cells.join("\t"));
                    }
                }
                "pre" => {
                    writer.break_line();
                    for line in inline_text_raw(node).lines() {
                        writer.text(line);
                        writer.break_line();
                    }
                }
                _ => {
                    let block = BLOCK_TAGS.contains(&name);
                    if block {
                        writer.break_line();
                    }
                    for child in node.children() {
                        write_node(child, writer, depth + 1);
                    }
                    if block {
                        writer.break_line();
                    }
                }
            }
        }
        _ => {
            for child in node.children() {
                write_node(child, writer, depth + 1);
            }
        }
    }
}

/// The text of a subtree outside boilerplate, blocks and breaks read as spaces (a table
/// cell stays on its row's line).
fn inline_text(node: NodeRef<'_, Node>) -> String {
    let mut text = String::new();
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        match current.value() {
            Node::Text(t) => text.push_str(t),
            Node::Element(element) => {
                if current != node && is_boilerplate(current) {
                    continue;
                }
                if element.name() == "br" || BLOCK_TAGS.contains(&element.name()) {
                    text.push(' ');
                }
                // Children pushed in reverse so that they pop in document order.
                let children: Vec<_> = current.children().collect();
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
    text
}

/// The text of a subtree with its line breaks kept (for `<pre>`).
fn inline_text_raw(node: NodeRef<'_, Node>) -> String {
    let mut text = String::new();
    for descendant in node.descendants() {
        match descendant.value() {
            Node::Text(t) => text.push_str(t),
            Node::Element(element) if element.name() == "br" => text.push('\n'),
            _ => {}
        }
    }
    text
}

/// Whitespace runs (newlines, tabs, `&nbsp;`, full-width spaces) collapsed to one space,
/// trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_is_read_from_meta() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>";
        assert_eq!(declared_charset(page), Some(encoding_rs::GBK));
        assert_eq!(
            declared_charset(b"<meta charset='utf-8'>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn site_names_are_cut_from_the_title() {
        assert_eq!(
            site_free_title("关于印发某方案的通知_政策文件_重庆市人民政府网").as_deref(),
            Some("关于印发某方案的通知")
        );
    }

    #[test]
    fn dates_are_read_in_the_forms_pages_print() {
        assert_eq!(iso_date("2020-07-15 10:30").as_deref(), Some("2020-07-15"));
        assert_eq!(iso_date("2020年7月5日").as_deref(), Some("2020-07-05"));
        assert_eq!(iso_date("七月"), None);
    }
}

//! Word DOCX files (Office Open XML): paragraphs and tables in document order, with the
//! numbers Word generates for auto-numbered paragraphs written out.
//!
//! A DOCX file is a ZIP package (read with `zip`) of XML parts (read with `roxmltree`, which
//! refuses DTDs and so entity expansion). The genre's outline depends on numbering that is
//! often not in the text at all: a heading styled `一、` or `（一）` is a paragraph whose
//! properties point into `word/numbering.xml`, directly (`w:numPr`) or through its style
//! (`word/styles.xml`). The counters are kept per list as Word keeps them (a level restarts
//! when a higher level advances; a `w:startOverride` restarts a list), and the level's
//! `w:lvlText` (`%1、`, `（%1）`, `%1.`, `%1.%2`) is filled in with each level's format
//! (`chineseCounting` 一二三, `decimal` 123, `decimalEnclosedCircle` ①②③ …). Bullets are
//! left out.
//!
//! Each paragraph is a line; a line break inside a paragraph starts a new line; a table
//! row is a line with its cells separated by TAB (a cell's paragraphs joined by spaces).
//! Deleted text of tracked changes, field instructions and the fallback copies of text
//! boxes are not text.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use roxmltree::{Document, Node};

use super::{join_lines, ExtractError, Extracted, Format, MetadataHints};

/// The WordprocessingML namespaces (transitional and strict).
const W_NAMESPACES: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// The largest XML part read, decompressed (a guard against ZIP bombs).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Nesting depth of tables and content controls followed.
const MAX_DEPTH: usize = 64;

/// Extracts the text of a DOCX file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(ExtractError::BrokenDocx(
            "it is a legacy binary Word (.doc) file or a password-protected one, not Office Open XML; save it as .docx without a password".to_string(),
        ));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ExtractError::BrokenDocx(format!("it is not a readable ZIP archive ({e})")))?;
    let main_part = main_part_name(&mut archive)?;
    let document_xml = read_part(&mut archive, &main_part)?
        .ok_or_else(|| ExtractError::BrokenDocx(format!("the package holds no {main_part}")))?;
    let numbering_xml = read_part(&mut archive, "word/numbering.xml")?;
    let styles_xml = read_part(&mut archive, "word/styles.xml")?;

    let document = parse_xml(&document_xml, &main_part)?;
    let numbering = match &numbering_xml {
        Some(xml) => Numbering::read(&parse_xml(xml, "word/numbering.xml")?),
        None => Numbering::default(),
    };
    let styles = match &styles_xml {
        Some(xml) => Styles::read(&parse_xml(xml, "word/styles.xml")?),
        None => Styles::default(),
    };
    let body = document
        .root_element()
        .children()
        .find(|node| is_w(*node, "body"))
        .ok_or_else(|| ExtractError::BrokenDocx(format!("{main_part} has no w:body element")))?;
    let mut reader = Reader {
        numbering: &numbering,
        styles: &styles,
        counters: Counters::default(),
        lines: Vec::new(),
    };
    reader.block_children(body, 0);
    Ok(Extracted {
        format: Format::Docx,
        text: join_lines(reader.lines),
        encoding: "UTF-8".to_string(),
        hints: MetadataHints::default(),
    })
}

/// The main document part: the package relationship of type officeDocument, else
/// `word/document.xml`.
fn main_part_name<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<String, ExtractError> {
    let fallback = "word/document.xml".to_string();
    let Some(rels) = read_part(archive, "_rels/.rels")? else {
        return Ok(fallback);
    };
    let Ok(rels) = Document::parse(&rels) else {
        return Ok(fallback);
    };
    let target = rels
        .descendants()
        .filter(|node| node.tag_name().name() == "Relationship")
        .find(|node| {
            node.attribute("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"))
        })
        .and_then(|node| node.attribute("Target"))
        .map(|target| target.trim_start_matches('/').to_string());
    Ok(target.unwrap_or(fallback))
}

/// A part of the package as text, `None` when the package lacks it.
fn read_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, ExtractError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(ExtractError::BrokenDocx(format!(
                "its part {name} cannot be read ({e})"
            )))
        }
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ExtractError::BrokenDocx(format!("its part {name} cannot be read ({e})")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(ExtractError::BrokenDocx(format!(
            "its part {name} is over {MAX_PART_BYTES} bytes decompressed"
        )));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ExtractError::BrokenDocx(format!("its part {name} is not UTF-8 XML")))
}

fn parse_xml<'a>(xml: &'a str, name: &str) -> Result<Document<'a>, ExtractError> {
    Document::parse(xml).map_err(|e| {
        ExtractError::BrokenDocx(format!("its part {name} is not well-formed XML ({e})"))
    })
}

/// Whether a node is the WordprocessingML element `name`.
fn is_w(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node
            .tag_name()
            .namespace()
            .is_some_and(|ns| W_NAMESPACES.contains(&ns))
}

/// The `w:val` attribute of an element.
fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    W_NAMESPACES
        .iter()
        .find_map(|ns| node.attribute((*ns, "val")))
}

/// The first child element `name`.
fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|c| is_w(*c, name))
}

/// The `w:val` of child `name`.
fn child_val<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).and_then(val)
}

/// A list level's definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
    legal: bool,
    style: Option<String>,
}

impl Level {
    fn read(node: Node<'_, '_>) -> Level {
        Level {
            start: child_val(node, "start")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
            format: child_val(node, "numFmt").unwrap_or("decimal").to_string(),
            text: child_val(node, "lvlText").unwrap_or_default().to_string(),
            legal: child(node, "isLgl")
                .is_some_and(|n| val(n).is_none_or(|v| v != "0" && v != "false")),
            style: child_val(node, "pStyle").map(str::to_string),
        }
    }
}

/// A `w:num`: a list instance of an abstract definition, with level overrides.
#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    start_overrides: HashMap<usize, u32>,
    level_overrides: HashMap<usize, Level>,
}

/// The definitions of `word/numbering.xml`.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<usize, Level>>,
    nums: HashMap<String, Num>,
}

impl Numbering {
    fn read(document: &Document<'_>) -> Numbering {
        let mut numbering = Numbering::default();
        for node in document.root_element().children() {
            if is_w(node, "abstractNum") {
                let Some(id) = W_NAMESPACES
                    .iter()
                    .find_map(|ns| node.attribute((*ns, "abstractNumId")))
                else {
                    continue;
                };
                let levels = node
                    .children()
                    .filter(|c| is_w(*c, "lvl"))
                    .filter_map(|lvl| Some((level_index(lvl)?, Level::read(lvl))))
                    .collect();
                numbering.abstracts.insert(id.to_string(), levels);
            } else if is_w(node, "num") {
                let Some(id) = W_NAMESPACES
                    .iter()
                    .find_map(|ns| node.attribute((*ns, "numId")))
                else {
                    continue;
                };
                let mut num = Num {
                    abstract_id: child_val(node, "abstractNumId")
                        .unwrap_or_default()
                        .to_string(),
                    ..Num::default()
                };
                for level in node.children().filter(|c| is_w(*c, "lvlOverride")) {
                    let Some(index) = level_index(level) else {
                        continue;
                    };
                    if let Some(start) =
                        child_val(level, "startOverride").and_then(|v| v.parse().ok())
                    {
                        num.start_overrides.insert(index, start);
                    }
                    if let Some(lvl) = child(level, "lvl") {
                        num.level_overrides.insert(index, Level::read(lvl));
                    }
                }
                numbering.nums.insert(id.to_string(), num);
            }
        }
        numbering
    }

    /// The level definition of a list instance.
    fn level(&self, num_id: &str, index: usize) -> Option<&Level> {
        let num = self.nums.get(num_id)?;
        num.level_overrides
            .get(&index)
            .or_else(|| self.abstracts.get(&num.abstract_id)?.get(&index))
    }

    /// The level of a list whose definition links a paragraph style.
    fn level_of_style(&self, num_id: &str, style: &str) -> Option<usize> {
        let num = self.nums.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        let mut found: Vec<usize> = levels
            .iter()
            .filter(|(_, level)| level.style.as_deref() == Some(style))
            .map(|(index, _)| *index)
            .collect();
        found.sort_unstable();
        found.first().copied()
    }
}

/// The `w:ilvl` of a level or override, 0–8.
fn level_index(node: Node<'_, '_>) -> Option<usize> {
    W_NAMESPACES
        .iter()
        .find_map(|ns| node.attribute((*ns, "ilvl")))
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|index| *index < 9)
}

/// Numbering properties: the list and, where given, the level.
#[derive(Debug, Clone, Default)]
struct NumPr {
    num_id: Option<String>,
    level: Option<usize>,
}

impl NumPr {
    fn read(ppr: Node<'_, '_>) -> Option<NumPr> {
        let numpr = child(ppr, "numPr")?;
        Some(NumPr {
            num_id: child_val(numpr, "numId").map(str::to_string),
            level: child_val(numpr, "ilvl").and_then(|v| v.parse().ok()),
        })
    }
}

/// The paragraph styles of `word/styles.xml` that carry numbering.
#[derive(Debug, Default)]
struct Styles {
    /// Style id → (based on, numbering).
    styles: HashMap<String, (Option<String>, Option<NumPr>)>,
}

impl Styles {
    fn read(document: &Document<'_>) -> Styles {
        let mut styles = Styles::default();
        for node in document
            .root_element()
            .children()
            .filter(|c| is_w(*c, "style"))
        {
            let Some(id) = W_NAMESPACES
                .iter()
                .find_map(|ns| node.attribute((*ns, "styleId")))
            else {
                continue;
            };
            let based_on = child_val(node, "basedOn").map(str::to_string);
            let numpr = child(node, "pPr").and_then(NumPr::read);
            styles.styles.insert(id.to_string(), (based_on, numpr));
        }
        styles
    }

    /// The numbering a style gives, following `w:basedOn` (at most 16 steps).
    fn numbering(&self, style: &str) -> Option<NumPr> {
        let mut current = style;
        for _ in 0..16 {
            let (based_on, numpr) = self.styles.get(current)?;
            if let Some(numpr) = numpr {
                if numpr.num_id.is_some() {
                    return Some(numpr.clone());
                }
            }
            current = based_on.as_deref()?;
        }
        None
    }
}

/// The running counters, per abstract list and level.
#[derive(Debug, Default)]
struct Counters {
    values: HashMap<String, [Option<u32>; 9]>,
    started: HashSet<String>,
}

/// Walks the body and writes lines.
struct Reader<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    counters: Counters,
    lines: Vec<String>,
}

impl Reader<'_> {
    /// Paragraphs, tables and content controls in order.
    fn block_children(&mut self, node: Node<'_, '_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in node.children().filter(Node::is_element) {
            if is_w(child, "p") {
                let lines = self.paragraph(child);
                self.lines
                    .extend(lines.into_iter().filter(|line| !line.is_empty()));
            } else if is_w(child, "tbl") {
                self.table(child, depth);
            } else if is_w(child, "sdt") {
                if let Some(content) = self::child(child, "sdtContent") {
                    self.block_children(content, depth + 1);
                }
            } else if is_w(child, "customXml") || is_w(child, "ins") {
                self.block_children(child, depth + 1);
            }
        }
    }

    /// A table: one line per row, cells separated by TAB.
    fn table(&mut self, table: Node<'_, '_>, depth: usize) {
        for row in table.descendants().filter(|n| is_w(*n, "tr")) {
            // Rows of nested tables are read as part of their cell.
            if row.ancestors().skip(1).find(|n| is_w(*n, "tbl")) != Some(table) {
                continue;
            }
            let cells: Vec<String> = row
                .descendants()
                .filter(|n| is_w(*n, "tc"))
                .filter(|cell| cell.ancestors().skip(1).find(|n| is_w(*n, "tr")) == Some(row))
                .map(|cell| self.cell(cell, depth + 1))
                .collect();
            if cells.iter().any(|cell| !cell.is_empty()) {
                self.lines.push(cells.join("\t"));
            }
        }
    }

    /// A cell's text on one line: its paragraphs (and nested tables) joined by spaces.
    fn cell(&mut self, cell: Node<'_, '_>, depth: usize) -> String {
        let mut parts = Vec::new();
        if depth > MAX_DEPTH {
            return String::new();
        }
        for paragraph in cell.descendants().filter(|n| is_w(*n, "p")) {
            for line in self.paragraph(paragraph) {
                if !line.is_empty() {
                    parts.push(line);
                }
            }
        }
        parts.join(" ")
    }

    /// A paragraph's lines (more than one where it holds line breaks), its generated
    /// number in front.
    fn paragraph(&mut self, paragraph: Node<'_, '_>) -> Vec<String> {
        let number = self.number(paragraph);
        let mut lines = vec![number.unwrap_or_default()];
        let mut stack: Vec<Node<'_, '_>> = paragraph.children().collect();
        stack.reverse();
        while let Some(node) = stack.pop() {
            if !node.is_element() {
                continue;
            }
            let name = node.tag_name().name();
            let skip = name == "Fallback"
                || (is_w(node, "p") && node != paragraph)
                || is_w(node, "pPr")
                || is_w(node, "rPr")
                || is_w(node, "del")
                || is_w(node, "delText")
                || is_w(node, "instrText");
            if skip {
                continue;
            }
            let current = lines.last_mut();
            if is_w(node, "t") {
                if let (Some(line), Some(text)) = (current, node.text()) {
                    line.extend(text.chars().map(|c| if c == '\t' { ' ' } else { c }));
                }
            } else if is_w(node, "tab") || is_w(node, "ptab") {
                if let Some(line) = current {
                    line.push(' ');
                }
            } else if is_w(node, "noBreakHyphen") {
                if let Some(line) = current {
                    line.push('-');
                }
            } else if is_w(node, "br") || is_w(node, "cr") {
                lines.push(String::new());
            } else {
                let mut children: Vec<Node<'_, '_>> = node.children().collect();
                children.reverse();
                stack.extend(children);
            }
        }
        lines
            .into_iter()
            .map(|line| line.trim().to_string())
            .collect()
    }

    /// The generated number of an auto-numbered paragraph (`一、`, `（一）`, `1.`), or
    /// `None` (not numbered, a bullet, or no text).
    fn number(&mut self, paragraph: Node<'_, '_>) -> Option<String> {
        let ppr = child(paragraph, "pPr");
        let own = ppr.and_then(NumPr::read);
        let style = ppr.and_then(|ppr| child_val(ppr, "pStyle"));
        let from_style = style.and_then(|s| self.styles.numbering(s));
        let num_id = own
            .as_ref()
            .and_then(|n| n.num_id.clone())
            .or_else(|| from_style.as_ref().and_then(|n| n.num_id.clone()))?;
        if num_id == "0" {
            return None;
        }
        let level = own
            .as_ref()
            .and_then(|n| n.level)
            .or_else(|| from_style.as_ref().and_then(|n| n.level))
            .or_else(|| style.and_then(|s| self.numbering.level_of_style(&num_id, s)))
            .unwrap_or(0)
            .min(8);
        let definition = self.numbering.level(&num_id, level)?.clone();
        let num = self.numbering.nums.get(&num_id)?;
        let key = num.abstract_id.clone();
        let counters = self.counters.values.entry(key).or_insert([None; 9]);
        if self.counters.started.insert(num_id.clone()) {
            for (index, start) in &num.start_overrides {
                if let Some(slot) = counters.get_mut(*index) {
                    // The override's start is the first value: store the one before it.
                    *slot = Some(start.saturating_sub(1));
                }
            }
        }
        counters[level] = Some(match counters[level] {
            Some(value) => value + 1,
            None => definition.start,
        });
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let values = *counters;
        if definition.format == "bullet" {
            return None;
        }
        let mut text = String::new();
        let mut chars = definition.text.chars().peekable();
        while let Some(ch) = chars.next() {
            let referenced = (ch == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|d| (1..=9).contains(d));
            let Some(digit) = referenced else {
                text.push(ch);
                continue;
            };
            chars.next();
            let index = digit as usize - 1;
            let other = self.numbering.level(&num_id, index);
            let value = values[index].unwrap_or_else(|| other.map_or(1, |l| l.start));
            let format = if definition.legal && index != level {
                "decimal"
            } else {
                other.map_or("decimal", |l| l.format.as_str())
            };
            text.push_str(&format_number(value, format));
        }
        Some(text)
    }
}

/// A counter in a Word number format.
pub fn format_number(value: u32, format: &str) -> String {
    match format {
        "none" => String::new(),
        "decimalZero" => format!("{value:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => value
            .to_string()
            .chars()
            .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32))
            .collect(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese_numeral(value, false),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => value
            .to_string()
            .chars()
            .map(|d| DIGITS[(d as u32 - '0' as u32) as usize])
            .collect(),
        "chineseLegalSimplified" | "ideographLegalTraditional" | "japaneseLegal" => {
            chinese_numeral(value, true)
        }
        "ideographTraditional" => cyclic(
            value,
            &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'],
        ),
        "ideographZodiac" => cyclic(
            value,
            &[
                '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
            ],
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle"
            if (1..=20).contains(&value) =>
        {
            char::from_u32(0x2460 + value - 1).map_or_else(|| value.to_string(), String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&value) => {
            char::from_u32(0x2474 + value - 1).map_or_else(|| value.to_string(), String::from)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&value) => {
            char::from_u32(0x2488 + value - 1).map_or_else(|| value.to_string(), String::from)
        }
        "lowerLetter" => letters(value, b'a'),
        "upperLetter" => letters(value, b'A'),
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        _ => value.to_string(),
    }
}

/// 〇 一 … 九.
const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 一, 十, 十一, 二十三, 一百零五 (`legal`: 壹, 拾, 壹拾壹 …).
fn chinese_numeral(value: u32, legal: bool) -> String {
    const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    let digits: &[char; 10] = if legal { &LEGAL } else { &DIGITS };
    let zero = '零';
    let units: [char; 4] = if legal {
        ['\0', '拾', '佰', '仟']
    } else {
        ['\0', '十', '百', '千']
    };
    if value == 0 {
        return digits[0].to_string();
    }
    if value >= 10_000 {
        return value.to_string();
    }
    let decimal: Vec<u32> = value
        .to_string()
        .chars()
        .filter_map(|d| d.to_digit(10))
        .collect();
    let mut text = String::new();
    let mut pending_zero = false;
    for (position, digit) in decimal.iter().enumerate() {
        let unit = decimal.len() - position - 1;
        if *digit == 0 {
            pending_zero = !text.is_empty();
            continue;
        }
        if pending_zero {
            text.push(zero);
            pending_zero = false;
        }
        // 十一, not 一十一, for 10–19 in plain counting.
        if !(unit == 1 && *digit == 1 && text.is_empty() && !legal) {
            text.push(digits[*digit as usize]);
        }
        if unit > 0 {
            text.push(units[unit]);
        }
    }
    text
}

fn cyclic(value: u32, symbols: &[char]) -> String {
    let index = (value.max(1) - 1) as usize % symbols.len();
    symbols[index].to_string()
}

fn letters(value: u32, base: u8) -> String {
    let value = value.max(1) - 1;
    let letter = (base + (value % 26) as u8) as char;
    letter.to_string().repeat(value as usize / 26 + 1)
}

fn roman(mut value: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut text = String::new();
    for (amount, symbol) in TABLE {
        while value >= amount {
            text.push_str(symbol);
            value -= amount;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting_reads_as_printed() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (23, "二十三"),
            (105, "一百零五"),
            (110, "一百一十"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_number(value, "chineseCounting"), expected, "{value}");
        }
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
    }
}

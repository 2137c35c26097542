//! The grammar of agency annotations: who leads, who cooperates, who is responsible.
//!
//! An annotation is a parenthesis anywhere in a measure whose whole content reads as
//! the grammar below; a measure may hold several (one after each sentence group), and
//! parentheses that do not read (`（1分）`, `（以下简称…）`, glosses, examples) stay text.
//!
//! ```text
//! annotation  = "（" content "）"
//! content     = part ( sep part )*
//! part        = labelled | clause | deadline | convention | timeframe
//! labelled    = label ("：" | ":") names            牵头单位：A；配合单位：B、C
//! label       = qualifier* role_word unit_word      主要责任单位, 市级牵头部门, 牵头责任单位
//!             | role_word                           牵头：A
//!             | deadline_label                      完成时限：2020年底前
//! role_word   = 牵头 | 配合 | 协办 | 协同 | 责任 | 参与 | 指导 | 主办 | 承办 | 落实
//! unit_word   = 单位 | 部门 | 主体 | 机构
//! clause      = "由"? names modifier* verb tail?    A、B按职责分工负责 / A牵头 / A会同B负责
//! verb        = 牵头 | 负责 | 配合 | 协助 | 协同 | 参与 | 参加 | 指导 | 具体实施 | 落实 …
//! modifier    = 按职责分工 | 按照职责分工 | 按职责 | 分别 | 共同 | 具体 | 等
//! names       = name ( list_sep name )* ( "等" collective? )?
//! list_sep    = 、 | ， | 及 | 以及 | 和        (及 / 和 only between two agency names)
//! convention  = 列第一(位)?(的|者)?为牵头单位 | 下同 | 以下均需 names 落实，不再列出
//! sep         = ； | ， | 。 | ; | ,
//! ```
//!
//! A name keeps nested parentheses (`各县（市、区）人民政府`) and a known name or a
//! collective keeps its own `、` (`各区、县级市`). A deadline inside an annotation is a
//! deadline, not an agency. Conventions are returned for the document to apply: the first
//! listed leads ([`Convention::FirstListedLeads`]); the names inherited by the following
//! measures ([`Convention::AppliesBelow`]).

use std::ops::Range;

use super::deadlines::find_deadlines;
use super::model::Role;

/// Labels of the labelled form are built from a role word and a unit word.
const ROLE_WORDS: &[(&str, Role)] = &[
    ("牵头", Role::Lead),
    ("配合", Role::Cooperating),
    ("协办", Role::Cooperating),
    ("协同", Role::Cooperating),
    ("协助", Role::Cooperating),
    ("参与", Role::Participate),
    ("参加", Role::Participate),
    ("指导", Role::Guide),
    ("责任", Role::Responsible),
    ("主办", Role::Responsible),
    ("承办", Role::Responsible),
    ("落实", Role::Responsible),
    ("实施", Role::Responsible),
];

/// The unit words that close a label.
const UNIT_WORDS: &[&str] = &["单位", "部门", "主体", "机构"];

/// Words that may stand before the role word inside a label.
const QUALIFIERS: &[&str] = &[
    "主要",
    "具体",
    "其他",
    "共同",
    "省级",
    "市级",
    "区级",
    "县级",
    "国家级",
    "省",
    "市",
    "区",
    "县",
];

/// Labels whose part holds a time, not names.
const DEADLINE_LABELS: &[&str] = &[
    "完成时限",
    "完成时间",
    "时间节点",
    "时间安排",
    "完成期限",
    "时限",
    "时间",
];

/// Role verbs of the inline form, longest first. `会同` is handled by the clause rule.
const VERBS: &[(&str, Role)] = &[
    ("按照职责分工负责", Role::Responsible),
    ("按职责分工负责", Role::Responsible),
    ("按职责分工落实", Role::Responsible),
    ("按职责分工配合", Role::Cooperating),
    ("按职能分工负责", Role::Responsible),
    ("按职责负责", Role::Responsible),
    ("按职责配合", Role::Cooperating),
    ("牵头负责", Role::Lead),
    ("牵头落实", Role::Lead),
    ("牵头实施", Role::Lead),
    ("分别负责", Role::Responsible),
    ("共同负责", Role::Responsible),
    ("具体负责", Role::Responsible),
    ("负责落实", Role::Responsible),
    ("负责实施", Role::Responsible),
    ("具体实施", Role::Responsible),
    ("配合落实", Role::Cooperating),
    ("参与实施", Role::Participate),
    ("负责", Role::Responsible),
    ("牵头", Role::Lead),
    ("配合", Role::Cooperating),
    ("协助", Role::Cooperating),
    ("协同", Role::Cooperating),
    ("参与", Role::Participate),
    ("参加", Role::Participate),
    ("指导", Role::Guide),
    ("落实", Role::Responsible),
];

/// Endings of names that stand for an organisation on their own.
const ORGANISATION_ENDINGS: &[&str] = &[
    "局",
    "委",
    "办",
    "厅",
    "部",
    "室",
    "中心",
    "公司",
    "院",
    "会",
    "社",
    "组",
    "处",
    "站",
    "队",
    "署",
    "馆",
    "所",
    "联",
    "协",
    "政府",
    "银行",
    "支行",
    "分行",
    "集团",
    "海关",
    "单位",
    "部门",
    "企业",
    "机构",
    "街道",
    "镇街",
    "园区",
    "开发区",
    "管委会",
    "法院",
    "检察院",
];

/// Endings of place names: a district or county acting as a unit (`越秀区`).
const PLACE_ENDINGS: &[&str] = &["区", "县", "市", "州", "盟", "旗", "地区", "各地"];

/// A convention an annotation states for the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Convention {
    /// `列第一的为牵头单位`: in every list of responsible agencies, the first also leads.
    FirstListedLeads,
    /// `以下均需A落实，不再列出`: the following measures also carry these names and role.
    AppliesBelow(Vec<(String, Role)>),
}

/// One agency named in an annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name as printed (whitespace removed).
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Byte range of the name in the searched text.
    pub range: Range<usize>,
}

/// An annotation that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Byte range of the annotation, parentheses included, in the searched text.
    pub range: Range<usize>,
    /// The annotation as printed (normalized), parentheses included.
    pub text: String,
    /// Names with their roles, in order.
    pub mentions: Vec<Mention>,
    /// Byte ranges of deadline phrases inside the annotation.
    pub deadlines: Vec<Range<usize>>,
    /// Conventions stated inside it.
    pub conventions: Vec<Convention>,
}

/// A parenthesis found in a text: an annotation, or one that looks like an annotation but
/// does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An annotation.
    Parsed(Annotation),
    /// Looks like an annotation but could not be read.
    Unparsed {
        /// Byte range of the parenthesis.
        range: Range<usize>,
        /// The text as printed.
        text: String,
    },
}

/// What the end of a measure holds (the last annotation, when it closes the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trailing {
    /// No annotation.
    None,
    /// An annotation that was read.
    Parsed(Annotation),
    /// Something that looks like an annotation but could not be read.
    Unparsed {
        /// Byte offset of the `（`.
        start: usize,
        /// The text as printed.
        text: String,
    },
}

/// Every annotation of a text (a measure), in order. `is_known_name` tells whether a
/// string is a known agency name, so that names spelt with `、` stay whole.
pub fn find_annotations(text: &str, is_known_name: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut found = Vec::new();
    for range in top_level_parentheses(text) {
        let open = '（'.len_utf8();
        let inner_range = range.start + open..range.end - '）'.len_utf8();
        let printed = text[range.clone()].to_string();
        match parse_content(text, inner_range.clone(), is_known_name) {
            Some(mut annotation) => {
                annotation.range = range;
                annotation.text = printed;
                found.push(Found::Parsed(annotation));
            }
            None if looks_like_annotation(&text[inner_range]) => found.push(Found::Unparsed {
                range,
                text: printed,
            }),
            None => {}
        }
    }
    found
}

/// The annotation that closes a text, if any (used where only the end matters).
pub fn read_trailing_annotation(text: &str, is_known_name: &dyn Fn(&str) -> bool) -> Trailing {
    let trimmed = text.trim_end_matches(['。', ' ', '\n', '；']);
    match find_annotations(trimmed, is_known_name).pop() {
        Some(Found::Parsed(annotation)) if annotation.range.end == trimmed.len() => {
            Trailing::Parsed(annotation)
        }
        Some(Found::Unparsed { range, text }) if range.end == trimmed.len() => Trailing::Unparsed {
            start: range.start,
            text,
        },
        _ => Trailing::None,
    }
}

/// The role a column of a task table names in its header (`牵头单位`, `责任部门`,
/// `配合单位`, `牵头`), read as the label of an annotation is.
pub fn column_role(header: &str) -> Option<Role> {
    role_of_label(header.trim().trim_end_matches(['：', ':']))
}

/// The agencies of a task table's cell under a column of `role`: a clause of its own
/// (`A牵头，B配合`) or a list of names (`A、B等`). Ranges are byte ranges in `cell`; a cell
/// that names no agency (`无`, `—`) gives none.
pub fn read_cell(cell: &str, role: Role, is_known_name: &dyn Fn(&str) -> bool) -> Vec<Mention> {
    if let Some(annotation) = parse_content(cell, 0..cell.len(), is_known_name) {
        if !annotation.mentions.is_empty() {
            return annotation.mentions;
        }
    }
    names_in(cell, 0, role, is_known_name)
        .unwrap_or_default()
        .into_iter()
        .filter(|mention| looks_like_agency(&mention.name, is_known_name))
        .collect()
}

/// Byte ranges of the outermost `（…）` pairs of a text, each within one paragraph.
fn top_level_parentheses(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (index, ch) in text.char_indices() {
        match ch {
            '（' => {
                if depth == 0 {
                    start = index;
                }
                depth += 1;
            }
            '）' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    ranges.push(start..index + ch.len_utf8());
                }
            }
            '\n' => depth = 0,
            _ => {}
        }
    }
    ranges
}

/// Whether the content of a parenthesis reads like an (unreadable) annotation.
fn looks_like_annotation(inner: &str) -> bool {
    let labelled = ROLE_WORDS.iter().any(|(word, _)| {
        UNIT_WORDS
            .iter()
            .any(|unit| inner.starts_with(&format!("{word}{unit}")))
    });
    labelled || inner.ends_with("牵头") || inner.contains("牵头，")
}

/// A piece of the content between separators, with its byte range in the text.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    start: usize,
}

/// Splits `range` of `text` at the separators of the top level (outside nested
/// parentheses), keeping each piece's offset.
fn split_top_level<'a>(text: &'a str, range: Range<usize>, separators: &[char]) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = range.start;
    for (offset, ch) in text[range.clone()].char_indices() {
        let index = range.start + offset;
        match ch {
            '（' => depth += 1,
            '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 && separators.contains(&ch) => {
                pieces.push(Piece {
                    text: &text[start..index],
                    start,
                });
                start = index + ch.len_utf8();
            }
            _ => {}
        }
    }
    pieces.push(Piece {
        text: &text[start..range.end],
        start,
    });
    pieces
        .into_iter()
        .filter(|piece| !piece.text.trim().is_empty())
        .collect()
}

/// Parses the content of a parenthesis; `None` when it is not an annotation.
fn parse_content(
    text: &str,
    inner: Range<usize>,
    is_known_name: &dyn Fn(&str) -> bool,
) -> Option<Annotation> {
    if text[inner.clone()].trim().is_empty() {
        return None;
    }
    let mut annotation = Annotation {
        range: inner.clone(),
        text: String::new(),
        mentions: Vec::new(),
        deadlines: Vec::new(),
        conventions: Vec::new(),
    };
    // Sentences first (`。`), then parts (`；` `，`): a labelled part owns what follows it
    // up to the next label, so labelled parts are read across commas.
    let mut current_label: Option<Role> = None;
    // Parts without a label or verb of their own, waiting for the clause that has one.
    let mut pending: Vec<(&str, usize)> = Vec::new();
    for piece in split_top_level(text, inner, &['。', '；', ';', '，', ',']) {
        let part = piece.text.trim();
        let start = piece.start + (piece.text.len() - piece.text.trim_start().len());
        if let Some(convention) = convention(part, start, is_known_name) {
            annotation.conventions.push(convention);
            current_label = None;
            continue;
        }
        if let Some((label_len, label)) = label(part) {
            let rest = &part[label_len..];
            let rest_start = start + label_len;
            match label {
                Label::Deadline => {
                    annotation
                        .deadlines
                        .extend(deadline_ranges(rest, rest_start));
                    current_label = None;
                }
                Label::Role(role) => {
                    push_names(
                        &mut annotation,
                        rest,
                        rest_start,
                        role,
                        false,
                        is_known_name,
                    )?;
                    current_label = Some(role);
                }
            }
            continue;
        }
        if let Some(deadline) = whole_deadline(part, start) {
            annotation.deadlines.push(deadline);
            continue;
        }
        if is_timeframe(part) {
            continue;
        }
        if let Some(mentions) = clause(part, start, is_known_name) {
            // Names listed before the clause with a comma share its verb
            // (`A，B负责`).
            if let Some(role) = mentions.first().map(|m| m.role) {
                for (text, at) in pending.drain(..) {
                    let names = names_in(text, at, role, is_known_name)?;
                    if !names
                        .iter()
                        .all(|m| looks_like_agency(&m.name, is_known_name))
                    {
                        return None;
                    }
                    annotation.mentions.extend(names);
                }
            }
            annotation.mentions.extend(mentions);
            current_label = None;
            continue;
        }
        // A labelled list goes on after a comma (`配合单位：A、B，各区、县级市`).
        match current_label {
            Some(role) => {
                push_names(&mut annotation, part, start, role, true, is_known_name)?;
            }
            None => pending.push((part, start)),
        }
    }
    if !pending.is_empty() {
        return None;
    }
    annotation
        .conventions
        .retain(|c| !matches!(c, Convention::AppliesBelow(names) if names.is_empty()));
    // A parenthesis holding only a time or a bare `下同` is not an annotation.
    if annotation.mentions.is_empty() && annotation.conventions.is_empty() {
        return None;
    }
    let mut seen = std::collections::HashSet::new();
    annotation
        .mentions
        .retain(|m| seen.insert((m.name.clone(), m.role)));
    Some(annotation)
}

/// What a label introduces.
#[derive(Debug, Clone, Copy)]
enum Label {
    /// Names in a role.
    Role(Role),
    /// A time.
    Deadline,
}

/// Reads a label and its colon at the start of a part: the byte length of both.
fn label(part: &str) -> Option<(usize, Label)> {
    let colon = part.find(['：', ':'])?;
    let word = &part[..colon];
    let after = colon + part[colon..].chars().next().map_or(1, char::len_utf8);
    if DEADLINE_LABELS.contains(&word) {
        return Some((after, Label::Deadline));
    }
    role_of_label(word).map(|role| (after, Label::Role(role)))
}

/// The role of a label word: `牵头单位`, `主要责任单位`, `牵头责任部门`, `牵头`, `配合`.
fn role_of_label(word: &str) -> Option<Role> {
    if word.chars().count() > 10 {
        return None;
    }
    let mut rest = word;
    loop {
        match QUALIFIERS.iter().find(|q| rest.starts_with(**q)) {
            Some(q) if rest.len() > q.len() => rest = &rest[q.len()..],
            _ => break,
        }
    }
    // Role words, then a unit word (or nothing: `牵头：`).
    let mut roles = Vec::new();
    while let Some((w, role)) = ROLE_WORDS.iter().find(|(w, _)| rest.starts_with(*w)) {
        roles.push(*role);
        rest = &rest[w.len()..];
    }
    if roles.is_empty() || !(rest.is_empty() || UNIT_WORDS.contains(&rest)) {
        return None;
    }
    // The strongest role of the label wins: 牵头责任单位 leads, 配合责任单位 cooperates.
    [
        Role::Lead,
        Role::Cooperating,
        Role::Participate,
        Role::Guide,
        Role::Responsible,
    ]
    .into_iter()
    .find(|role| roles.contains(role))
}

/// `列第一的为牵头单位`, `下同`, `以下均需试点城市政府落实，不再列出` (the last read as one
/// part: its second half `不再列出` is accepted on its own).
fn convention(
    part: &str,
    start: usize,
    is_known_name: &dyn Fn(&str) -> bool,
) -> Option<Convention> {
    const FIRST_LEADS: &[&str] = &[
        "列第一位的为牵头单位",
        "列第一位者为牵头单位",
        "列第一的为牵头单位",
        "列第一者为牵头单位",
        "列第一位为牵头单位",
        "列在第一位的为牵头单位",
        "列在首位的为牵头单位",
        "排在第一位的为牵头单位",
        "排名第一的为牵头单位",
        "排第一位的为牵头单位",
        "第一个为牵头单位",
        "首位为牵头单位",
        "列第一位的单位为牵头单位",
        "列第一位的部门为牵头部门",
        "列第一位者为牵头部门",
        "列第一的为牵头部门",
    ];
    let compact: String = part.chars().filter(|c| !c.is_whitespace()).collect();
    if FIRST_LEADS.iter().any(|form| compact.contains(form)) {
        return Some(Convention::FirstListedLeads);
    }
    if matches!(
        compact.as_str(),
        "下同" | "不再列出" | "不再一一列出" | "以下同"
    ) {
        return Some(Convention::AppliesBelow(Vec::new()));
    }
    for lead in ["以下均需", "以下均由", "以下各项均需", "以下均须"] {
        if let Some(rest) = part.strip_prefix(lead) {
            let (verb_at, role) = VERBS
                .iter()
                .filter_map(|(verb, role)| rest.rfind(verb).map(|at| (at, *role)))
                .max_by_key(|(at, _)| *at)?;
            let names = &rest[..verb_at];
            let offset = start + lead.len();
            let mentions = names_in(names, offset, role, is_known_name)?;
            return Some(Convention::AppliesBelow(
                mentions.into_iter().map(|m| (m.name, m.role)).collect(),
            ));
        }
    }
    None
}

/// Deadline phrases of a part, as ranges in the text.
fn deadline_ranges(part: &str, start: usize) -> Vec<Range<usize>> {
    find_deadlines(part, None)
        .into_iter()
        .map(|d| start + d.range.start..start + d.range.end)
        .collect()
}

/// A part that is one deadline phrase (with `完成` and the like around it).
fn whole_deadline(part: &str, start: usize) -> Option<Range<usize>> {
    let found = find_deadlines(part, None);
    let first = found.first()?;
    let rest = part[first.range.end..].trim_start_matches(['前', '完', '成']);
    let ok = first.range.start == 0
        && (rest.is_empty() || ["完成", "前完成", "起实施", "启动"].contains(&rest));
    ok.then(|| start + first.range.start..start + first.range.end)
}

/// A part that states a time frame without a date (`长期坚持`, `持续推进`).
fn is_timeframe(part: &str) -> bool {
    matches!(
        part,
        "长期坚持" | "持续推进" | "持续实施" | "长期推进" | "长期" | "持续" | "逐年推进"
    )
}

/// `A、B按职责分工负责` / `A牵头` / `A会同B负责` / `由A负责`: the mentions of a clause.
fn clause(part: &str, start: usize, is_known_name: &dyn Fn(&str) -> bool) -> Option<Vec<Mention>> {
    let (mut body, mut offset) = (part, start);
    if let Some(rest) = body.strip_prefix('由') {
        body = rest;
        offset += '由'.len_utf8();
    }
    // The verb ends the clause, or is followed by a short tail (`负责落实`).
    let (names, role) = VERBS
        .iter()
        .find_map(|(verb, role)| body.strip_suffix(verb).map(|names| (names, *role)))?;
    let names = names
        .trim_end_matches("按职责")
        .trim_end_matches("分别")
        .trim_end_matches("共同")
        .trim_end_matches("具体");
    // `A会同B负责`: A leads, B cooperates.
    if let Some(at) = names.find("会同") {
        let first = &names[..at];
        let others = &names[at + "会同".len()..];
        let mut mentions = names_in(first, offset, Role::Lead, is_known_name)?;
        mentions.extend(names_in(
            others,
            offset + at + "会同".len(),
            Role::Cooperating,
            is_known_name,
        )?);
        return Some(mentions);
    }
    let mentions = names_in(names, offset, role, is_known_name)?;
    mentions
        .iter()
        .all(|m| looks_like_agency(&m.name, is_known_name))
        .then_some(mentions)
}

/// Adds the names of a labelled part; `None` when the part holds no name.
fn push_names(
    annotation: &mut Annotation,
    part: &str,
    start: usize,
    role: Role,
    continued: bool,
    is_known_name: &dyn Fn(&str) -> bool,
) -> Option<()> {
    let mentions = names_in(part, start, role, is_known_name)?;
    // Continuing a list after a comma needs names that look like agencies.
    if continued
        && !mentions
            .iter()
            .all(|m| looks_like_agency(&m.name, is_known_name))
    {
        return None;
    }
    annotation.mentions.extend(mentions);
    Some(())
}

/// Splits a list of names (`A、B和C等相关部门`) with each name's range; `None` when the
/// list is empty.
fn names_in(
    names: &str,
    start: usize,
    role: Role,
    is_known_name: &dyn Fn(&str) -> bool,
) -> Option<Vec<Mention>> {
    let mut fragments: Vec<Piece<'_>> = Vec::new();
    for piece in split_top_level(names, 0..names.len(), &['、', '，', ',', '；', ';']) {
        for fragment in split_conjunctions(piece, is_known_name) {
            fragments.push(fragment);
        }
    }
    let names_only: Vec<&str> = fragments.iter().map(|f| f.text).collect();
    let grouped = group_names(&names_only, is_known_name);
    let mut mentions = Vec::new();
    for (first, last) in grouped {
        let from = fragments[first].start;
        let to = fragments[last].start + fragments[last].text.len();
        let name: String = names[from..to]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if name.is_empty() || name == "部门" || name == "单位" {
            continue;
        }
        mentions.push(Mention {
            name,
            role,
            range: start + from..start + to,
        });
    }
    (!mentions.is_empty()).then_some(mentions)
}

/// Splits a fragment at `等` (`A等相关部门` → `A`, `相关部门`; `A等和各省级人民政府` → `A`,
/// `各省级人民政府`), and at `及` / `以及` / `和` between two agency names.
fn split_conjunctions<'a>(
    piece: Piece<'a>,
    is_known_name: &dyn Fn(&str) -> bool,
) -> Vec<Piece<'a>> {
    let text = piece.text;
    if is_known_name(text) {
        return vec![piece];
    }
    if let Some(at) = text.find('等') {
        let before = &text[..at];
        let mut after_start = at + '等'.len_utf8();
        let mut after = &text[after_start..];
        for joiner in ["以及", "和", "及", "与"] {
            if let Some(rest) = after.strip_prefix(joiner) {
                after = rest;
                after_start += joiner.len();
            }
        }
        if !before.is_empty() && (after.is_empty() || looks_like_collective(after)) {
            let mut pieces = split_conjunctions(
                Piece {
                    text: before,
                    start: piece.start,
                },
                is_known_name,
            );
            if !after.is_empty() && after != "部门" && after != "单位" {
                pieces.extend(split_conjunctions(
                    Piece {
                        text: after,
                        start: piece.start + after_start,
                    },
                    is_known_name,
                ));
            }
            return pieces;
        }
    }
    for joiner in ["以及", "及", "和", "与"] {
        let mut search = 0;
        while let Some(found) = text[search..].find(joiner) {
            let at = search + found;
            let left = &text[..at];
            let right = &text[at + joiner.len()..];
            let splits = !left.is_empty()
                && !right.is_empty()
                && (looks_like_collective(right)
                    || (ends_like_organisation(left) && starts_like_agency(right)));
            if splits {
                let mut pieces = split_conjunctions(
                    Piece {
                        text: left,
                        start: piece.start,
                    },
                    is_known_name,
                );
                pieces.extend(split_conjunctions(
                    Piece {
                        text: right,
                        start: piece.start + at + joiner.len(),
                    },
                    is_known_name,
                ));
                return pieces;
            }
            search = at + joiner.len();
        }
    }
    vec![piece]
}

/// Groups fragments into names: the longest run that is a known name stays whole, and a
/// collective (`各区、县级市`) takes the fragments that do not stand alone.
fn group_names(fragments: &[&str], is_known_name: &dyn Fn(&str) -> bool) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut index = 0;
    while index < fragments.len() {
        let known = (index + 2..=fragments.len())
            .rev()
            .find(|&end| is_known_name(&fragments[index..end].join("、")));
        if let Some(end) = known {
            groups.push((index, end - 1));
            index = end;
            continue;
        }
        let first = index;
        let collective = fragments[index].starts_with('各');
        index += 1;
        if collective {
            while index < fragments.len() && !stands_alone(fragments[index]) {
                index += 1;
            }
        }
        groups.push((first, index - 1));
    }
    groups
}

/// Whether a fragment after `各…、` names an organisation of its own rather than continuing
/// the collective (`县级市` in `各区、县级市` does not stand alone).
fn stands_alone(fragment: &str) -> bool {
    const ORGANISATION_ONLY: &[&str] = &[
        "局", "委", "办", "厅", "部", "室", "中心", "公司", "院", "社", "组", "处", "站", "队",
        "署", "馆", "政府", "银行", "集团", "单位", "部门", "联", "协",
    ];
    fragment.starts_with('各')
        || fragment.starts_with("相关")
        || fragment.starts_with("有关")
        || ORGANISATION_ONLY
            .iter()
            .any(|ending| fragment.ends_with(ending))
}

/// `各地区`, `相关部门`, `有关单位`, `各省级人民政府`: names that stand for a group.
fn looks_like_collective(name: &str) -> bool {
    (name.starts_with('各') || name.starts_with("相关") || name.starts_with("有关"))
        && name.chars().count() >= 2
        && name.chars().count() <= 20
}

/// Whether a text ends like the name of an organisation.
fn ends_like_organisation(name: &str) -> bool {
    ORGANISATION_ENDINGS
        .iter()
        .any(|ending| name.ends_with(ending))
}

/// Whether a text starts like an agency name (a level word or a national prefix).
fn starts_like_agency(name: &str) -> bool {
    ["省", "市", "区", "县", "国家", "中国", "中央", "全国", "团"]
        .iter()
        .any(|p| name.starts_with(p))
        && ends_like_organisation(name)
}

/// Whether a name could be an agency (for the inline form, where any text may end in 负责).
fn looks_like_agency(name: &str, is_known_name: &dyn Fn(&str) -> bool) -> bool {
    let length = name.chars().count();
    if is_known_name(name) || looks_like_collective(name) {
        return true;
    }
    if !(2..=30).contains(&length) || name.contains(['。', '：', '“', '”']) {
        return false;
    }
    ends_like_organisation(name)
        || (length <= 8 && PLACE_ENDINGS.iter().any(|ending| name.ends_with(ending)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(_: &str) -> bool {
        false
    }

    fn annotations(text: &str) -> Vec<Annotation> {
        find_annotations(text, &unknown)
            .into_iter()
            .filter_map(|found| match found {
                Found::Parsed(annotation) => Some(annotation),
                Found::Unparsed { .. } => None,
            })
            .collect()
    }

    fn read(text: &str) -> Vec<(String, Role)> {
        annotations(text)
            .into_iter()
            .flat_map(|a| a.mentions)
            .map(|m| (m.name, m.role))
            .collect()
    }

    /// The names expected of each role.
    type Expected<'a> = &'a [(Role, &'a [&'a str])];

    /// Asserts, for each `(role, names)`, the names of that role read from `text`.
    fn assert_reads(text: &str, expected: Expected<'_>) {
        let mentions = read(text);
        for (role, expected) in expected {
            assert_eq!(names(&mentions, *role), *expected, "{text}: {role:?}");
        }
    }

    fn names(mentions: &[(String, Role)], role: Role) -> Vec<&str> {
        mentions
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(name, _)| name.as_str())
            .collect()
    }

    #[test]
    fn annotations_give_the_names_of_each_role() {
        #[rustfmt::skip]
        let cases: &[(&str, Expected)] = &[
            // lead and cooperating with semicolon
            ("推动紫光建筑产业云落地发展。（牵头单位：区经济信息委；配合单位：区大数据发展局、各园区平台公司）", &[(Role::Lead, &["区经济信息委"]), (Role::Cooperating, &["区大数据发展局", "各园区平台公司"])]),
            // comma between labelled parts and inside a list
            ("推进。（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）", &[(Role::Lead, &["市发展改革委"]), (Role::Cooperating, &["市委组织部", "市人力资源和社会保障局", "各区、县级市"])]),
            // responsible units with half width colon
            ("加强监管。（责任单位:市商务委;市市场监管局）", &[(Role::Responsible, &["市商务委", "市市场监管局"])]),
            // qualified labels
            ("推进。（牵头责任单位：市商务委；配合责任单位：市财政局）", &[(Role::Lead, &["市商务委"]), (Role::Cooperating, &["市财政局"])]),
            ("推进。（主要责任单位：市商务委）", &[(Role::Responsible, &["市商务委"])]),
            // modifiers and collectives
            ("推进。（国家发展改革委、国家卫生健康委牵头，相关部门及各地区按职责分工负责）", &[(Role::Lead, &["国家发展改革委", "国家卫生健康委"]), (Role::Responsible, &["相关部门", "各地区"])]),
            ("推进。（教育部、民政部等相关部门按职责分工负责）", &[(Role::Responsible, &["教育部", "民政部", "相关部门"])]),
            ("推进。（公安部、交通运输部等和各省级人民政府负责）", &[(Role::Responsible, &["公安部", "交通运输部", "各省级人民政府"])]),
            ("推进。（交通运输部及各地区按职责分工负责）", &[(Role::Responsible, &["交通运输部", "各地区"])]),
            // names holding and stay whole
            ("推进。（工业和信息化部、住房和城乡建设部负责）", &[(Role::Responsible, &["工业和信息化部", "住房和城乡建设部"])]),
            ("推进。（市科协和市工商联负责）", &[(Role::Responsible, &["市科协", "市工商联"])]),
            // names ending in a label word
            ("推进。（牵头单位：市人力资源和社会保障局，配合单位：各项目牵头单位）", &[(Role::Lead, &["市人力资源和社会保障局"]), (Role::Cooperating, &["各项目牵头单位"])]),
            // nested parentheses stay in names
            ("推进。（各区县（自治县）人民政府负责）", &[(Role::Responsible, &["各区县（自治县）人民政府"])]),
        ];
        for (text, expected) in cases {
            assert_reads(text, expected);
        }
    }

    #[test]
    fn several_annotations_in_one_paragraph() {
        let found = annotations(
            "建立标准体系。（市场监管总局、工业和信息化部负责）推广技术装备。（工业和信息化部指导）以铅酸蓄电池为重点。（生态环境部牵头，国家发展改革委参与）",
        );
        assert_eq!(found.len(), 3);
        let mentions: Vec<(String, Role)> = found
            .iter()
            .flat_map(|a| a.mentions.clone())
            .map(|m| (m.name, m.role))
            .collect();
        assert_eq!(
            names(&mentions, Role::Responsible),
            ["市场监管总局", "工业和信息化部"]
        );
        assert_eq!(names(&mentions, Role::Guide), ["工业和信息化部"]);
        assert_eq!(names(&mentions, Role::Lead), ["生态环境部"]);
        assert_eq!(names(&mentions, Role::Participate), ["国家发展改革委"]);
    }

    #[test]
    fn deadline_inside_an_annotation() {
        let found = annotations("完成改造。（2021年底前完成，牵头单位：市住房城乡建设委）");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].mentions.len(), 1);
        assert_eq!(found[0].mentions[0].name, "市住房城乡建设委");
        let text = "完成改造。（2021年底前完成，牵头单位：市住房城乡建设委）";
        assert_eq!(&text[found[0].deadlines[0].clone()], "2021年底前完成");
    }

    #[test]
    fn conventions() {
        let found =
            annotations("推进。（省发展改革委、省商务厅按职责分工负责，列第一的为牵头单位，下同）");
        assert!(found[0].conventions.contains(&Convention::FirstListedLeads));
        let found = annotations(
            "推进。（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）",
        );
        assert_eq!(
            found[0]
                .mentions
                .iter()
                .map(|m| (m.name.as_str(), m.role))
                .collect::<Vec<_>>(),
            [
                ("生态环境部", Role::Guide),
                ("试点城市政府", Role::Responsible)
            ]
        );
        assert!(found[0]
            .conventions
            .contains(&Convention::AppliesBelow(vec![(
                "试点城市政府".to_string(),
                Role::Responsible
            )])));
    }

    #[test]
    fn spans_point_at_each_name() {
        let text = "推进。（市商务委牵头，市财政局配合）";
        let found = annotations(text);
        for m in &found[0].mentions {
            assert_eq!(&text[m.range.clone()], m.name);
        }
    }

    #[test]
    fn ordinary_parentheses_are_not_annotations() {
        for text in [
            "推进社会保障卡（含电子社保卡）的应用。",
            "天津市发展和改革委员会服务业处。（邮政编码：300040）",
            "利用RFID（射频识别）等信息技术手段",
            "鼓励企业自主负责（按规定执行）",
            "实施“633”人才工程（简称“633”工程）",
            "加强考核（1分）",
            "“装、树、联”（垃圾焚烧企业依法依规安装自动监测设备、与生态环境部门联网）",
            "由企业所在区（县级市）提供服务",
            "政府和社会资本合作（PPP）",
            "首台（套）",
            "推进建设（2020年底前）",
        ] {
            assert!(annotations(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn broken_annotation_is_reported() {
        let trailing = read_trailing_annotation("推进落实。（牵头单位区商务委）", &unknown);
        assert!(
            matches!(trailing, Trailing::Unparsed { .. }),
            "{trailing:?}"
        );
    }

    #[test]
    fn known_names_with_enumeration_comma_stay_whole() {
        let known = |name: &str| name == "区委、区政府办公室联合督查组";
        let found = find_annotations(
            "推进。（牵头单位：区委、区政府办公室联合督查组、区财政局）",
            &known,
        );
        let Some(Found::Parsed(annotation)) = found.first() else {
            panic!()
        };
        assert_eq!(
            annotation
                .mentions
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>(),
            ["区委、区政府办公室联合督查组", "区财政局"]
        );
    }
}

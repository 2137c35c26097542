//! Agency annotations that close a measure.
//!
//! Labelled forms: `（牵头单位：A；配合单位：B、C）`, `（责任部门：A、B）`, `（责任单位：…）`,
//! with `；` `;` `，` `,` between the labelled parts. Inline forms:
//! `（生态环境部牵头，国家发展改革委参与）`, `（农业农村部指导）`,
//! `（市场监管总局、工业和信息化部负责）`. A collective such as `各区、县级市` is one entity.

use super::model::Role;

/// Labels of the labelled form, longest first, with the role they give.
const LABELS: &[(&str, Role)] = &[
    ("主要责任单位", Role::Responsible),
    ("主要责任部门", Role::Responsible),
    ("牵头单位", Role::Lead),
    ("牵头部门", Role::Lead),
    ("责任单位", Role::Responsible),
    ("责任部门", Role::Responsible),
    ("责任主体", Role::Responsible),
    ("配合单位", Role::Cooperating),
    ("配合部门", Role::Cooperating),
    ("协办单位", Role::Cooperating),
    ("协同单位", Role::Cooperating),
    ("参与单位", Role::Participate),
    ("参与部门", Role::Participate),
    ("指导单位", Role::Guide),
    ("指导部门", Role::Guide),
    ("牵头", Role::Lead),
    ("配合", Role::Cooperating),
    ("责任", Role::Responsible),
];

/// Role verbs of the inline form, longest first.
const VERBS: &[(&str, Role)] = &[
    ("按职责分工负责", Role::Responsible),
    ("按职责分工落实", Role::Responsible),
    ("按职责负责", Role::Responsible),
    ("分别负责", Role::Responsible),
    ("共同负责", Role::Responsible),
    ("负责", Role::Responsible),
    ("牵头", Role::Lead),
    ("配合", Role::Cooperating),
    ("协助", Role::Cooperating),
    ("协同", Role::Cooperating),
    ("参与", Role::Participate),
    ("指导", Role::Guide),
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
    "政府",
    "银行",
    "集团",
    "单位",
    "部门",
    "企业",
    "机构",
    "街道",
    "镇街",
    "园区",
    "开发区",
    "总局",
    "分局",
    "办公室",
    "法院",
    "检察院",
];

/// A parsed annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Byte offset in the measure text where the annotation's `（` stands.
    pub start: usize,
    /// The annotation as printed (normalized), parentheses included.
    pub text: String,
    /// Names with their roles, in order.
    pub mentions: Vec<(String, Role)>,
}

/// What the end of a measure holds.
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

/// Reads the annotation at the end of a measure's text. `is_known_name` tells whether a
/// string is a known agency name, so that collectives spelt with `、` stay whole.
pub fn read_trailing_annotation(text: &str, is_known_name: &dyn Fn(&str) -> bool) -> Trailing {
    let trimmed = text.trim_end_matches(['。', ' ', '\n', '；']);
    if !trimmed.ends_with('）') {
        return Trailing::None;
    }
    let Some(start) = matching_open(trimmed) else {
        return Trailing::None;
    };
    let inner = &trimmed[start + '（'.len_utf8()..trimmed.len() - '）'.len_utf8()];
    let annotation_text = trimmed[start..].to_string();
    match parse_annotation_content(inner, is_known_name) {
        Some(mentions) if !mentions.is_empty() => Trailing::Parsed(Annotation {
            start,
            text: annotation_text,
            mentions,
        }),
        _ if looks_like_annotation(inner) => Trailing::Unparsed {
            start,
            text: annotation_text,
        },
        _ => Trailing::None,
    }
}

/// Byte offset of the `（` matching the final `）`.
fn matching_open(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, ch) in text.char_indices().rev() {
        match ch {
            '）' => depth += 1,
            '（' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(index);
                }
            }
            '\n' if depth > 0 && index + 1 < text.len() => {
                // An annotation never spans paragraphs.
                return None;
            }
            _ => {}
        }
    }
    None
}

/// Whether the content of a parenthesis reads like an (unreadable) annotation.
fn looks_like_annotation(inner: &str) -> bool {
    LABELS
        .iter()
        .any(|(label, _)| label.chars().count() > 2 && inner.contains(label))
        || inner.ends_with("牵头")
        || inner.contains("牵头，")
}

/// Parses the inside of an annotation into (name, role) pairs.
pub fn parse_annotation_content(
    inner: &str,
    is_known_name: &dyn Fn(&str) -> bool,
) -> Option<Vec<(String, Role)>> {
    let inner: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    if inner.is_empty() {
        return None;
    }
    labelled_form(&inner, is_known_name).or_else(|| inline_form(&inner, is_known_name))
}

/// `牵头单位：A；配合单位：B、C` (any separator between the labelled parts).
fn labelled_form(inner: &str, is_known_name: &dyn Fn(&str) -> bool) -> Option<Vec<(String, Role)>> {
    let mut labels: Vec<(usize, usize, Role)> = Vec::new();
    let mut position = 0;
    while position < inner.len() {
        let rest = &inner[position..];
        let at_boundary =
            position == 0 || inner[..position].ends_with(['；', '，', ';', ',', '。']);
        let found = at_boundary
            .then(|| {
                LABELS.iter().find_map(|(label, role)| {
                    rest.strip_prefix(label)
                        .and_then(|after| after.strip_prefix(['：', ':']))
                        .map(|after| (rest.len() - after.len(), *role))
                })
            })
            .flatten();
        match found {
            Some((length, role)) => {
                labels.push((position, position + length, role));
                position += length;
            }
            None => position += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if labels.first().is_none_or(|(start, _, _)| *start != 0) {
        return None;
    }
    let mut mentions = Vec::new();
    for (index, (_, names_start, role)) in labels.iter().enumerate() {
        let names_end = labels.get(index + 1).map_or(inner.len(), |next| next.0);
        let names = inner[*names_start..names_end].trim_end_matches(['；', '，', ';', ',', '。']);
        for name in split_names(names, is_known_name) {
            mentions.push((name, *role));
        }
    }
    Some(mentions)
}

/// `A牵头，B、C参与` / `A指导` / `A、B负责`.
fn inline_form(inner: &str, is_known_name: &dyn Fn(&str) -> bool) -> Option<Vec<(String, Role)>> {
    let mut mentions = Vec::new();
    for clause in inner.split(['，', '；', ',', ';']) {
        if clause.is_empty() {
            continue;
        }
        let (names, role) = VERBS.iter().find_map(|(verb, role)| {
            clause
                .strip_suffix(verb)
                .map(|names| (names.trim_end_matches(['等']), *role))
        })?;
        let names = split_names(names, is_known_name);
        if names.is_empty()
            || !names
                .iter()
                .all(|name| looks_like_agency(name, is_known_name))
        {
            return None;
        }
        mentions.extend(names.into_iter().map(|name| (name, role)));
    }
    (!mentions.is_empty()).then_some(mentions)
}

/// Whether a name could be an agency (for the inline form, where any text may end in 负责).
fn looks_like_agency(name: &str, is_known_name: &dyn Fn(&str) -> bool) -> bool {
    let length = name.chars().count();
    is_known_name(name)
        || (name.starts_with('各') && length >= 2)
        || ((2..=30).contains(&length)
            && !name.contains(['。', '：'])
            && ORGANISATION_ENDINGS
                .iter()
                .any(|ending| name.ends_with(ending)))
}

/// Splits `A、B、C` into names, keeping collectives (`各区、县级市`) and known names that
/// contain `、` whole.
pub fn split_names(names: &str, is_known_name: &dyn Fn(&str) -> bool) -> Vec<String> {
    let fragments: Vec<&str> = names
        .split(['、', '，', ',', '；', ';'])
        .filter(|fragment| !fragment.is_empty())
        .collect();
    let mut result: Vec<String> = Vec::new();
    let mut index = 0;
    while index < fragments.len() {
        // The longest run of fragments that is a known name wins.
        let known = (index + 1..=fragments.len())
            .rev()
            .filter(|end| end - index > 1)
            .find(|&end| is_known_name(&fragments[index..end].join("、")));
        if let Some(end) = known {
            result.push(fragments[index..end].join("、"));
            index = end;
            continue;
        }
        let mut name = fragments[index].to_string();
        index += 1;
        if name.starts_with('各') {
            while index < fragments.len() && !stands_alone(fragments[index]) {
                name.push('、');
                name.push_str(fragments[index]);
                index += 1;
            }
        }
        result.push(name);
    }
    result
}

/// Whether a fragment after `各…、` names an organisation of its own rather than continuing
/// the collective (`县级市` in `各区、县级市` does not stand alone).
fn stands_alone(fragment: &str) -> bool {
    const ORGANISATION_ONLY: &[&str] = &[
        "局", "委", "办", "厅", "部", "室", "中心", "公司", "院", "社", "组", "处", "站", "队",
        "署", "馆", "政府", "银行", "集团",
    ];
    fragment.starts_with('各')
        || ORGANISATION_ONLY
            .iter()
            .any(|ending| fragment.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(_: &str) -> bool {
        false
    }

    fn read(text: &str) -> Vec<(String, Role)> {
        match read_trailing_annotation(text, &unknown) {
            Trailing::Parsed(annotation) => annotation.mentions,
            other => panic!("not parsed: {other:?}"),
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
    fn lead_and_cooperating_with_semicolon() {
        let mentions = read("推动紫光建筑产业云落地发展。（牵头单位：区经济信息委；配合单位：区大数据发展局、各园区平台公司）");
        assert_eq!(names(&mentions, Role::Lead), ["区经济信息委"]);
        assert_eq!(
            names(&mentions, Role::Cooperating),
            ["区大数据发展局", "各园区平台公司"]
        );
    }

    #[test]
    fn comma_between_labelled_parts() {
        let mentions = read(
            "实现统筹管理城市运行的目标。（牵头单位：区大数据发展局，配合单位：区城市管理局）",
        );
        assert_eq!(names(&mentions, Role::Lead), ["区大数据发展局"]);
        assert_eq!(names(&mentions, Role::Cooperating), ["区城市管理局"]);
    }

    #[test]
    fn comma_inside_a_name_list() {
        let mentions = read("给予贴息。（牵头单位：区经济信息委；配合单位：区金融办，区财政局）");
        assert_eq!(
            names(&mentions, Role::Cooperating),
            ["区金融办", "区财政局"]
        );
    }

    #[test]
    fn responsible_departments() {
        let mentions = read("推进互联网医院发展。（责任部门：区卫生健康委、区医保局、区科委）");
        assert_eq!(
            names(&mentions, Role::Responsible),
            ["区卫生健康委", "区医保局", "区科委"]
        );
    }

    #[test]
    fn responsible_units_with_half_width_colon() {
        let mentions = read("加强监管。（责任单位:市商务委;市市场监管局）");
        assert_eq!(
            names(&mentions, Role::Responsible),
            ["市商务委", "市市场监管局"]
        );
    }

    #[test]
    fn inline_lead_and_participate() {
        let mentions = read("加强生态保护。（生态环境部牵头，国家发展改革委参与）");
        assert_eq!(names(&mentions, Role::Lead), ["生态环境部"]);
        assert_eq!(names(&mentions, Role::Participate), ["国家发展改革委"]);
    }

    #[test]
    fn inline_guide_and_responsible() {
        assert_eq!(
            names(&read("发展智慧农业。（农业农村部指导）"), Role::Guide),
            ["农业农村部"]
        );
        let mentions = read("规范市场秩序。（市场监管总局、工业和信息化部负责）");
        assert_eq!(
            names(&mentions, Role::Responsible),
            ["市场监管总局", "工业和信息化部"]
        );
    }

    #[test]
    fn collectives_stay_whole() {
        let mentions = read("推进落实。（牵头单位：各区、县级市；配合单位：区级有关部门）");
        assert_eq!(names(&mentions, Role::Lead), ["各区、县级市"]);
        assert_eq!(names(&mentions, Role::Cooperating), ["区级有关部门"]);
        let mentions = read("推进落实。（各区、县级市负责）");
        assert_eq!(names(&mentions, Role::Responsible), ["各区、县级市"]);
    }

    #[test]
    fn annotation_on_its_own_line_with_trailing_stop() {
        let mentions = read("促进经济快速复苏。\n（牵头单位：区商务委；配合单位：各镇街）。");
        assert_eq!(names(&mentions, Role::Lead), ["区商务委"]);
        assert_eq!(names(&mentions, Role::Cooperating), ["各镇街"]);
    }

    #[test]
    fn ordinary_parentheses_are_not_annotations() {
        for text in [
            "推进社会保障卡（含电子社保卡）的应用。",
            "天津市发展和改革委员会服务业处。（邮政编码：300040）",
            "利用RFID（射频识别）等信息技术手段",
            "鼓励企业自主负责（按规定执行）",
        ] {
            assert_eq!(
                read_trailing_annotation(text, &unknown),
                Trailing::None,
                "{text}"
            );
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
        let trailing = read_trailing_annotation(
            "推进。（牵头单位：区委、区政府办公室联合督查组、区财政局）",
            &known,
        );
        let Trailing::Parsed(annotation) = trailing else {
            panic!()
        };
        assert_eq!(
            annotation
                .mentions
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>(),
            ["区委、区政府办公室联合督查组", "区财政局"]
        );
    }
}

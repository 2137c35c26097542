//! Quantified goals: `到2018年 … 软件和信息服务业产值达2500亿元`,
//! `政务信息网上公开率达到95%以上`, `打造30个…场景`.
//!
//! A goal needs a target year. A year phrase (`到2022年`, `2020年底前`) opens a scope that
//! runs to the end of its paragraph, or — when the paragraph ends with `：` — over the
//! following paragraphs up to the next numbered provision. In a `——` bullet only the lead
//! sentence states the target; the rest elaborates. Each clause (split at `，`) with one
//! quantity is one goal.

use once_cell::sync::Lazy;
use regex::Regex;

use super::model::Comparator;

static YEAR_PHRASE: Lazy<Regex> = lazy_regex!(
    r"(?:力争到|预计到|截至|截止到|到|至)(\d{4})年(?:底|末)?|(\d{4})年(?:底|末)?(?:前|以前)|(?:(\d{4})年起)?([1-9一二三四五六七八九十])年内"
);
static QUANTITY: Lazy<Regex> = lazy_regex!(
    r"(\d+(?:\.\d+)?)\s*(万亿元|亿元|万元|元|%|％|万户|户|万人|人次|万名|名|人|万家|家|万个|个|项|所|座|条|公里|千米|万吨|吨|倍|件|台|万套|套|款|场次|场|次|批|支|亿|万)"
);
/// `2024年、2025年分别突破2.2万亿元、2.4万亿元`: one year for each value.
static YEAR_LIST: Lazy<Regex> =
    lazy_regex!(r"((?:\d{4}年[、和])+\d{4}年)(?:底|末)?[^，。；]*?分别");
/// Words that make a quantity recurring or a rate, not a target (`每年`, `年均`).
const RECURRING: &[&str] = &["每年", "年均", "连续", "每季度", "每月"];

/// Words before a number that give a comparator, longest first.
const BEFORE: &[(&str, Comparator)] = &[
    ("不低于", Comparator::Gte),
    ("不少于", Comparator::Gte),
    ("不超过", Comparator::Lte),
    ("控制在", Comparator::Lte),
    ("保持在", Comparator::Eq),
    ("达到", Comparator::Gte),
    ("超过", Comparator::Gt),
    ("突破", Comparator::Gt),
    ("高于", Comparator::Gt),
    ("低于", Comparator::Lte),
    ("达", Comparator::Gte),
    ("约", Comparator::Approx),
];

/// Words after the unit that give a comparator.
const AFTER: &[(&str, Comparator)] = &[
    ("以上", Comparator::Gte),
    ("以下", Comparator::Lte),
    ("以内", Comparator::Lte),
    ("左右", Comparator::Approx),
];

/// Verbs that open a target clause and are not part of the metric, longest first.
const LEADING_VERBS: &[&str] = &[
    "引进培育",
    "培育引进",
    "引进和培育",
    "累计建成",
    "新增培育",
    "力争",
    "累计",
    "引进",
    "培育",
    "引育",
    "建成",
    "建设",
    "打造",
    "发展",
    "新增",
    "实现",
    "形成",
    "培养",
    "建立",
    "创建",
    "推广",
    "完成",
    "达到",
    "突破",
    "聚集",
    "集聚",
    "吸引",
    "认定",
    "开放",
    "推出",
    "带动",
    "新建",
    "改造",
    "培训",
];

/// Scope words at the start of a metric that name where, not what (`全市政务信息网上公开率`).
const SCOPE_WORDS: &[&str] = &[
    "全市", "全区", "全省", "全国", "全县", "本市", "本区", "我市", "我区",
];

/// A goal found in a paragraph, with byte offsets into that paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundGoal {
    /// Metric.
    pub metric: String,
    /// Value.
    pub value: f64,
    /// Value as printed.
    pub value_text: String,
    /// Unit as printed.
    pub unit: String,
    /// Comparator.
    pub comparator: Comparator,
    /// Comparator words.
    pub comparator_text: String,
    /// Target year.
    pub year: i32,
    /// Value in base units.
    pub value_base: Option<f64>,
    /// Base unit.
    pub base_unit: Option<String>,
    /// The clause.
    pub clause: String,
    /// The sentence.
    pub sentence: String,
    /// Byte range of the clause in the paragraph.
    pub range: std::ops::Range<usize>,
}

/// State carried from one paragraph to the next: a year whose scope continues.
#[derive(Debug, Clone, Copy, Default)]
pub struct YearScope {
    year: Option<i32>,
    /// True for the paragraph right after the one ending in `：`.
    just_opened: bool,
    /// The year a horizon such as `5年内` counts from: the document's year, or the last
    /// `2012年起` seen. Not closed by a new provision.
    start: Option<i32>,
}

impl YearScope {
    /// A scope for a document whose horizons (`5年内`) count from `start`.
    pub fn starting(start: Option<i32>) -> YearScope {
        YearScope {
            start,
            ..YearScope::default()
        }
    }

    /// Ends the carried scope (a new numbered provision starts).
    pub fn close(&mut self) {
        self.year = None;
        self.just_opened = false;
    }
}

/// Finds the goals of one paragraph, updating the carried year scope.
pub fn goals_in_paragraph(paragraph: &str, scope: &mut YearScope) -> Vec<FoundGoal> {
    let mut goals = Vec::new();
    let is_bullet = paragraph.starts_with("——") || paragraph.starts_with('—');
    // A carried year reaches the paragraph right after the colon and `——` bullets.
    let inherits = scope.just_opened || is_bullet;
    let mut year = if inherits { scope.year } else { None };
    let mut sentence_start = 0;
    for (sentence_index, sentence) in paragraph
        .split_inclusive(['。', '；', '！', '？'])
        .enumerate()
    {
        let range_start = sentence_start;
        sentence_start += sentence.len();
        let consider = !is_bullet || sentence_index == 0;
        let mut clause_start = range_start;
        // A horizon (`5年内`) holds for its sentence only.
        let mut horizon = false;
        let year_before_sentence = year;
        for clause in sentence.split_inclusive(['，', '：']) {
            let this_start = clause_start;
            clause_start += clause.len();
            let mut body = clause;
            if let Some(found) = YEAR_PHRASE.captures(clause) {
                if let Some(count) = found.get(4) {
                    if let Some(start) = found.get(3).and_then(|m| m.as_str().parse().ok()) {
                        scope.start = Some(start);
                    }
                    let count = numeral_value(count.as_str());
                    year = scope.start.map(|start| start + count - 1);
                    horizon = true;
                } else {
                    let digits = found.get(1).or_else(|| found.get(2)).map(|m| m.as_str());
                    year = digits.and_then(|d| d.parse().ok());
                }
                if let Some(whole) = found.get(0) {
                    body = &clause[whole.end()..];
                }
            }
            if !consider || RECURRING.iter().any(|w| clause.contains(w)) {
                continue;
            }
            let trimmed = clause.trim_end_matches(['，', '。', '；', '：']);
            if let Some(found) = distributive(body, year) {
                for goal in found {
                    goals.push(FoundGoal {
                        clause: trimmed.to_string(),
                        sentence: sentence.to_string(),
                        range: this_start..this_start + trimmed.len(),
                        ..goal
                    });
                }
                continue;
            }
            let Some(target_year) = year else {
                continue;
            };
            for goal in goals_in_clause(body, target_year) {
                goals.push(FoundGoal {
                    clause: trimmed.to_string(),
                    sentence: sentence.to_string(),
                    range: this_start..this_start + trimmed.len(),
                    ..goal
                });
            }
        }
        if horizon {
            year = year_before_sentence;
        }
    }
    // A paragraph that ends with `：` hands its year to the list that follows; the list's
    // `——` bullets pass it on to each other.
    if paragraph.ends_with('：') {
        scope.year = year;
        scope.just_opened = true;
    } else {
        scope.year = if inherits { scope.year.or(year) } else { None };
        scope.just_opened = false;
    }
    goals
}

/// The value of a one-character count (`5`, `五`).
fn numeral_value(text: &str) -> i32 {
    text.chars()
        .next()
        .and_then(|c| {
            c.to_digit(10).or_else(|| {
                "一二三四五六七八九十"
                    .chars()
                    .position(|d| d == c)
                    .map(|i| i as u32 + 1)
            })
        })
        .map_or(1, |n| n as i32)
}

/// The goals of a clause: one quantity, or a list of quantities each with its own metric
/// (`选拔100名正职后备人才、200名副职后备人才`).
fn goals_in_clause(clause: &str, year: i32) -> Vec<FoundGoal> {
    if let Some(goal) = goal_in_clause(clause, year) {
        return vec![goal];
    }
    // Pieces split at `、`, and at `和` / `及` before a number (`200名…和10000名…`).
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    for (at, ch) in clause.char_indices() {
        let next = clause[at + ch.len_utf8()..].chars().next();
        let joins =
            ch == '、' || (matches!(ch, '和' | '及') && next.is_some_and(|c| c.is_ascii_digit()));
        if joins {
            pieces.push(&clause[start..at]);
            start = at + ch.len_utf8();
        }
    }
    pieces.push(&clause[start..]);
    if pieces.len() < 2 {
        return Vec::new();
    }
    let goals: Vec<FoundGoal> = pieces
        .iter()
        .filter_map(|piece| goal_in_clause(piece, year))
        .collect();
    // Every piece with a number must read, or the list is not a list of targets.
    let numbered = pieces
        .iter()
        .filter(|piece| piece.chars().any(|c| c.is_ascii_digit()))
        .count();
    if goals.len() == numbered {
        goals
    } else {
        Vec::new()
    }
}

/// `2024年、2025年分别突破2.2万亿元、2.4万亿元` (a year for each value) or
/// `A、B和C分别达到30%、20%和10%` under a year (a metric for each value).
fn distributive(clause: &str, year: Option<i32>) -> Option<Vec<FoundGoal>> {
    let at = clause.find("分别")?;
    let after = &clause[at + "分别".len()..];
    let values: Vec<regex::Captures<'_>> = QUANTITY.captures_iter(after).collect();
    if values.len() < 2 {
        return None;
    }
    let years: Vec<i32> = match YEAR_LIST.captures(clause) {
        Some(found) => found[1]
            .split(['、', '和'])
            .filter_map(|y| y.trim_end_matches('年').parse().ok())
            .collect(),
        None => vec![year?; values.len()],
    };
    if years.len() != values.len() {
        return None;
    }
    // The metric stands before the year list or between it and `分别`.
    let before = &clause[..at];
    let before = match YEAR_LIST.captures(clause).and_then(|found| found.get(1)) {
        Some(years) => {
            let after_years = before.get(years.end()..).unwrap_or("");
            if after_years.trim().is_empty() {
                before.get(..years.start()).unwrap_or(before)
            } else {
                after_years
            }
        }
        None => before,
    };
    let metrics: Vec<&str> = before.split(['、', '和']).collect();
    let first_value = values.first()?.get(0)?.start();
    let verb = &after[..first_value];
    let comparator = BEFORE
        .iter()
        .find(|(word, _)| verb.ends_with(word))
        .map_or((Comparator::Eq, ""), |(word, c)| (*c, *word));
    let mut goals = Vec::new();
    for (index, (value, year)) in values.iter().zip(years).enumerate() {
        let value_text = value.get(1)?.as_str().to_string();
        let unit = value.get(2)?.as_str().replace('％', "%");
        let number: f64 = value_text.parse().ok()?;
        let metric = if metrics.len() == values.len() {
            strip_leading(metrics[index]).to_string()
        } else {
            strip_leading(before).to_string()
        };
        goals.push(FoundGoal::new(
            metric,
            (number, value_text, unit),
            (comparator.0, comparator.1.to_string()),
            year,
            clause,
        ));
    }
    Some(goals)
}

/// Reads one clause: exactly one quantity with a unit, a metric before or after it.
fn goal_in_clause(clause: &str, year: i32) -> Option<FoundGoal> {
    let clause = clause.trim_end_matches(['，', '。', '；', '：']);
    let quantities: Vec<regex::Captures<'_>> = QUANTITY
        .captures_iter(clause)
        .filter(|c| {
            // Not part of a longer token such as `5G` or `2020年`, not a percentage range.
            let end = c.get(0).map_or(0, |m| m.end());
            let start = c.get(0).map_or(0, |m| m.start());
            let before = clause[..start].chars().last();
            !clause[end..].starts_with(['年', '级', 'G'])
                && !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '.' || b == '-')
        })
        .collect();
    let [quantity] = quantities.as_slice() else {
        return None;
    };
    let whole = quantity.get(0)?;
    let value_text = quantity.get(1)?.as_str().to_string();
    let value: f64 = value_text.parse().ok()?;
    let unit = quantity.get(2)?.as_str().replace('％', "%");
    let before = &clause[..whole.start()];
    let after = &clause[whole.end()..];

    let mut comparator = Comparator::Eq;
    let mut comparator_words = Vec::new();
    let mut metric_before = before;
    if let Some((word, found)) = BEFORE.iter().find(|(word, _)| before.ends_with(word)) {
        comparator = *found;
        comparator_words.push(*word);
        metric_before = &before[..before.len() - word.len()];
    }
    let mut metric_after = after;
    if let Some((word, found)) = AFTER.iter().find(|(word, _)| after.starts_with(word)) {
        comparator = *found;
        comparator_words.push(*word);
        metric_after = &after[word.len()..];
    }
    let metric_before = strip_leading(metric_before);
    let metric = if metric_before.chars().count() >= 2 {
        metric_before.to_string()
    } else {
        metric_after.trim_start_matches('的').to_string()
    };
    let metric = metric.trim().to_string();
    if metric.chars().count() < 2 {
        return None;
    }
    Some(FoundGoal::new(
        metric,
        (value, value_text, unit),
        (comparator, comparator_words.join("…")),
        year,
        clause,
    ))
}

impl FoundGoal {
    /// A goal read from a clause: the value (number, as printed, unit) gives the base
    /// value; sentence and range are set by the caller.
    fn new(
        metric: String,
        (value, value_text, unit): (f64, String, String),
        (comparator, comparator_text): (Comparator, String),
        year: i32,
        clause: &str,
    ) -> FoundGoal {
        let (value_base, base_unit) = base_value(value, &unit);
        FoundGoal {
            metric,
            value,
            value_text,
            unit,
            comparator,
            comparator_text,
            year,
            value_base,
            base_unit,
            clause: clause.to_string(),
            sentence: String::new(),
            range: 0..0,
        }
    }
}

/// Strips scope words and opening verbs from the start of a metric.
fn strip_leading(text: &str) -> &str {
    let mut text = text
        .trim_start_matches(['—', '-', '•', '·', '●', ' '])
        .trim();
    loop {
        let before = text;
        for word in SCOPE_WORDS.iter().chain(LEADING_VERBS) {
            if let Some(rest) = text.strip_prefix(word) {
                text = rest;
                break;
            }
        }
        if text == before {
            return text;
        }
    }
}

/// A value in base units: 亿元 → yuan, 万人 → persons, % stays percent.
pub fn base_value(value: f64, unit: &str) -> (Option<f64>, Option<String>) {
    let (factor, base) = match unit {
        "万亿元" => (1e12, "yuan"),
        "亿元" => (1e8, "yuan"),
        "万元" => (1e4, "yuan"),
        "元" => (1.0, "yuan"),
        "%" => (1.0, "percent"),
        "万人" => (1e4, "person"),
        "人" => (1.0, "person"),
        "人次" => (1.0, "person_time"),
        "万户" => (1e4, "household"),
        "户" => (1.0, "household"),
        "公里" | "千米" => (1000.0, "metre"),
        "万吨" => (1e4, "tonne"),
        "吨" => (1.0, "tonne"),
        "倍" => (1.0, "times"),
        "亿" => (1e8, "count"),
        "万" => (1e4, "count"),
        "家" | "个" | "项" | "所" | "座" | "条" | "件" | "台" | "套" | "款" | "场" | "次"
        | "场次" | "批" | "支" => (1.0, "count"),
        "万家" | "万个" | "万套" => (1e4, "count"),
        "名" => (1.0, "person"),
        "万名" => (1e4, "person"),
        _ => return (None, None),
    };
    (Some(value * factor), Some(base.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goals(paragraphs: &[&str]) -> Vec<FoundGoal> {
        let mut scope = YearScope::default();
        paragraphs
            .iter()
            .flat_map(|p| goals_in_paragraph(p, &mut scope))
            .collect()
    }

    #[test]
    fn metric_before_value_with_comparators() {
        let found = goals(&[
            "到2018年，全市政务信息网上公开率达到95%以上，软件和信息服务业产值达2500亿元。",
        ]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].metric, "政务信息网上公开率");
        assert_eq!((found[0].value, found[0].unit.as_str()), (95.0, "%"));
        assert_eq!(found[0].comparator, Comparator::Gte);
        assert_eq!(found[0].comparator_text, "达到…以上");
        assert_eq!(found[1].metric, "软件和信息服务业产值");
        assert_eq!(found[1].value_base, Some(2500.0 * 1e8));
        assert_eq!(found[1].base_unit.as_deref(), Some("yuan"));
        assert!(found.iter().all(|g| g.year == 2018));
    }

    #[test]
    fn metric_after_value() {
        let found = goals(&["到2018年，建成10个以上“互联网+”产业示范基地。"]);
        assert_eq!(found[0].metric, "“互联网+”产业示范基地");
        assert_eq!(
            (found[0].value, found[0].comparator),
            (10.0, Comparator::Gte)
        );
    }

    #[test]
    fn verb_metric_value() {
        let found = goals(&["到2020年，引进培育互联网骨干企业50家，互联网产业生态体系基本完善。"]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].metric.as_str(), found[0].value, found[0].year),
            ("互联网骨干企业", 50.0, 2020)
        );
    }

    #[test]
    fn colon_list_carries_the_year_and_bullets_count_their_lead_only() {
        let found = goals(&[
            "到2022年，实现以下目标：",
            "——发展10个线上服务经济新业态。重点聚焦工业和服务业10个行业应用热点领域。",
            "——引育50家线上服务经济标杆企业。打造1家伍百亿级、5家百亿级企业。",
            "下一段不再继承年份，建成100个示范项目。",
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].metric, "线上服务经济新业态");
        assert_eq!(found[1].metric, "线上服务经济标杆企业");
        assert!(found.iter().all(|g| g.year == 2022));
    }

    #[test]
    fn no_year_no_goal() {
        assert!(goals(&["每年聚焦发展1-2个重点线上平台企业。"]).is_empty());
        assert!(goals(&["建成100个示范项目。"]).is_empty());
    }

    #[test]
    fn year_before_deadline_form() {
        let found = goals(&["2025年底前，新增就业岗位不少于3万人。"]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].year, found[0].comparator),
            (2025, Comparator::Gte)
        );
        assert_eq!(found[0].value_base, Some(30000.0));
        assert_eq!(found[0].metric, "就业岗位");
    }
}

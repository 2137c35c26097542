//! Time-bound commitments: `2019年6月底前`, `2020年底前`, `到2020年`, `2019年上半年`,
//! `6月底前完成`, `2012年起5年内`.
//!
//! A phrase is a deadline only when it bounds the time of an action: an end marker
//! (`底前`, `前`, `以前`, `之前`, `底`, `末`, `上半年`, `下半年`, `季度`, `内`) or a leading
//! `到` / `至` / `力争到`. A bare year (`2019年，我市…`) or a starting point (`2018年以来`,
//! `自2020年起`) is not. The ISO date is the last day of the period named; a phrase without
//! a year takes the document's year.

use once_cell::sync::Lazy;
use regex::Regex;

/// The grammar of a deadline phrase, as one regular expression with named parts.
///
/// ```text
/// deadline = lead? year? period end?          (a year or a month must be present)
///          | (year "起")? count "年内"
/// lead     = 力争到 | 力争在 | 力争于 | 到 | 至 | 于 | 在
/// year     = DIGITS{4} "年"
/// period   = month (day)? | "上半年" | "下半年" | quarter | "年底" | "底" | "末"
/// end      = 底前 | 底以前 | 前 | 以前 | 之前 | 底 | 末 | 完成
/// ```
static DEADLINE: Lazy<Regex> = lazy_regex!(concat!(
    r"(?P<relative>(?:(?P<start>\d{4})年起)?(?P<count>[1-9一二三四五六七八九十])年内)",
    r"|(?P<lead>力争到|力争在|力争于|到|至|于|在)?",
    // A year or a month must be present, so the expression never matches empty.
    r"(?:(?P<year>\d{4})年",
    r"(?:(?P<month>1[0-2]|[1-9])月(?:(?P<day>[1-3]?\d)日)?",
    r"|(?P<half>上半年|下半年)",
    r"|(?:第)?(?P<quarter>[一二三四1-4])季度",
    r")?",
    r"|(?P<bare_month>1[0-2]|[1-9])月(?:(?P<bare_day>[1-3]?\d)日)?)",
    r"(?P<end>底前|底以前|末前|以前|之前|前|底|末)?",
    r"(?P<done>完成)?",
));

/// A deadline found in a text, with its byte range in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDeadline {
    /// The phrase as printed.
    pub text: String,
    /// The last day of the period, ISO `YYYY-MM-DD`, when a year is known.
    pub date: Option<String>,
    /// Byte range in the searched text.
    pub range: std::ops::Range<usize>,
}

/// Every deadline phrase of a text, in order. `document_year` stands in for a phrase
/// without a year.
pub fn find_deadlines(text: &str, document_year: Option<i32>) -> Vec<FoundDeadline> {
    let mut found = Vec::new();
    for captures in DEADLINE.captures_iter(text) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        if whole.is_empty() {
            continue;
        }
        // Not a part of a longer number (`12019年`) and not a starting point (`…以来`, `起`).
        if text[..whole.start()].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let after = &text[whole.end()..];
        if captures.name("relative").is_some() {
            let count = captures
                .name("count")
                .and_then(|m| numeral(m.as_str()))
                .unwrap_or(1);
            let start = captures
                .name("start")
                .and_then(|m| m.as_str().parse::<i32>().ok())
                .or(document_year);
            found.push(FoundDeadline {
                text: whole.as_str().to_string(),
                date: start.map(|year| format!("{:04}-12-31", year + count as i32 - 1)),
                range: whole.range(),
            });
            continue;
        }
        let year: Option<i32> = captures.name("year").and_then(|m| m.as_str().parse().ok());
        let month: Option<u32> = captures
            .name("month")
            .or_else(|| captures.name("bare_month"))
            .and_then(|m| m.as_str().parse().ok());
        let day = captures.name("day").or_else(|| captures.name("bare_day"));
        let has_end = captures.name("end").is_some() || captures.name("done").is_some();
        let has_lead = captures.name("lead").is_some();
        let half = captures.name("half").map(|m| m.as_str());
        let quarter = captures.name("quarter").and_then(|m| numeral(m.as_str()));
        if year.is_none() && month.is_none() {
            continue;
        }
        // A month without a year is a deadline only with its end marker (`6月底前`).
        if year.is_none() && !has_end {
            continue;
        }
        // A year needs a bound: an end, a lead (`到2020年`), a half or a quarter.
        let bounded = has_end || has_lead || half.is_some() || quarter.is_some();
        if !bounded {
            continue;
        }
        // `2019年6月` followed by `以来` / `起` / `开始` is a start, not a deadline; so is
        // a lead of `于`/`在` without an end (`于2019年召开`).
        if after.starts_with("以来")
            || after.starts_with('起')
            || after.starts_with("开始")
            || after.starts_with("以后")
        {
            continue;
        }
        if matches!(captures.name("lead").map(|m| m.as_str()), Some("于" | "在"))
            && !has_end
            && half.is_none()
        {
            continue;
        }
        // A date with a day but no end marker (`2020年3月5日`) is a date, not a deadline.
        if day.is_some() && !has_end {
            continue;
        }
        let Some(year) = year.or(document_year) else {
            found.push(FoundDeadline {
                text: whole.as_str().to_string(),
                date: None,
                range: whole.range(),
            });
            continue;
        };
        let (month, day) = match (month, half, quarter) {
            (Some(month), _, _) => {
                let day = day
                    .and_then(|m| m.as_str().parse::<u32>().ok())
                    .filter(|d| (1..=days_in_month(year, month)).contains(d));
                (month, day.unwrap_or_else(|| days_in_month(year, month)))
            }
            (None, Some("上半年"), _) => (6, 30),
            (None, _, Some(q)) if (1..=4).contains(&q) => {
                let month = q * 3;
                (month, days_in_month(year, month))
            }
            _ => (12, 31),
        };
        found.push(FoundDeadline {
            text: whole.as_str().to_string(),
            date: Some(format!("{year:04}-{month:02}-{day:02}")),
            range: whole.range(),
        });
    }
    found
}

/// The value of a one-character numeral (`3`, `三`).
fn numeral(text: &str) -> Option<u32> {
    let c = text.chars().next()?;
    c.to_digit(10).or_else(|| {
        "一二三四五六七八九十"
            .chars()
            .position(|d| d == c)
            .map(|i| i as u32 + 1)
    })
}

/// Days in a month of a year of the Gregorian calendar.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, Option<String>)> {
        find_deadlines(text, Some(2019))
            .into_iter()
            .map(|d| (d.text, d.date))
            .collect()
    }

    /// Asserts that `text` states exactly one deadline, `phrase`, ending on `date`.
    fn assert_one(text: &str, phrase: &str, date: &str) {
        assert_eq!(
            texts(text),
            [(phrase.to_string(), Some(date.to_string()))],
            "{text}"
        );
    }

    #[test]
    fn dated_forms() {
        assert_one(
            "2019年6月底前，研究建立指标体系",
            "2019年6月底前",
            "2019-06-30",
        );
        assert_one("并于2018年12月底前报送", "于2018年12月底前", "2018-12-31");
        assert_one("到2020年，基本建成", "到2020年", "2020-12-31");
        assert_one("2020年底前完成", "2020年底前完成", "2020-12-31");
        assert_one("2019年上半年完成试点", "2019年上半年完成", "2019-06-30");
        assert_one("2020年2月底前", "2020年2月底前", "2020-02-29");
    }

    #[test]
    fn a_month_without_a_year_takes_the_document_year() {
        assert_one("6月底前完成", "6月底前完成", "2019-06-30");
    }

    #[test]
    fn relative_horizon() {
        assert_one("2012年起5年内，重点引进", "2012年起5年内", "2016-12-31");
        assert_one("5年内培养100名", "5年内", "2023-12-31");
    }

    #[test]
    fn not_deadlines() {
        for text in [
            "2019年，我市实现",
            "2018年以来，成效明显",
            "自2020年起施行",
            "于2019年召开会议",
            "2020年3月5日印发",
            "每年6月",
            "12345热线",
        ] {
            assert!(texts(text).is_empty(), "{text}: {:?}", texts(text));
        }
    }
}

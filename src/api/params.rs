//! Query-string parsing shared by every endpoint.
//!
//! The raw query string is split into `(name, value)` pairs so that repeated parameters
//! survive (`?role=lead&role=responsible` means lead OR responsible). A parameter the
//! endpoint does not know is refused with the list of those it does; a bad value is refused
//! with what would be accepted. All problems of one request are reported together.

use super::error::{ApiError, InvalidParam};

/// The query parameters of one request, checked against the names an endpoint accepts.
#[derive(Debug)]
pub struct Params {
    pairs: Vec<(String, String)>,
    invalid: Vec<InvalidParam>,
}

impl Params {
    /// Splits `query` into pairs and refuses every name not in `allowed`.
    pub fn parse(query: &str, allowed: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        let mut invalid: Vec<InvalidParam> = Vec::new();
        for (name, _) in &pairs {
            if !allowed.contains(&name.as_str()) && !invalid.iter().any(|p| &p.name == name) {
                let reason = if allowed.is_empty() {
                    "unknown parameter; this endpoint takes no parameters".to_owned()
                } else {
                    format!("unknown parameter; allowed: {}", allowed.join(", "))
                };
                invalid.push(InvalidParam::new(name.clone(), reason));
            }
        }
        if invalid.is_empty() {
            Ok(Params {
                pairs,
                invalid: Vec::new(),
            })
        } else {
            Err(ApiError::InvalidParams(invalid))
        }
    }

    /// The pairs as received, in order (for building links).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Records a problem with a parameter.
    pub fn reject(&mut self, name: &str, reason: impl Into<String>) {
        self.invalid.push(InvalidParam::new(name, reason));
    }

    fn raw(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Every value of a repeatable parameter; empty values are refused.
    pub fn values(&mut self, name: &str) -> Vec<String> {
        let values = self.raw(name);
        if values.iter().any(String::is_empty) {
            self.reject(name, "must not be empty");
            return Vec::new();
        }
        values
    }

    /// Every value of a repeatable parameter that must be one of `allowed`.
    pub fn choices(&mut self, name: &str, allowed: &[&str]) -> Vec<String> {
        let values = self.values(name);
        let bad: Vec<&String> = values
            .iter()
            .filter(|value| !allowed.contains(&value.as_str()))
            .collect();
        if let Some(value) = bad.first() {
            let reason = format!("unknown value {value:?}; allowed: {}", allowed.join(", "));
            self.reject(name, reason);
            return Vec::new();
        }
        values
    }

    /// The value of a parameter that may be given at most once.
    pub fn once(&mut self, name: &str) -> Option<String> {
        let values = self.raw(name);
        match values.as_slice() {
            [] => None,
            [value] if value.is_empty() => {
                self.reject(name, "must not be empty");
                None
            }
            [value] => Some(value.clone()),
            _ => {
                self.reject(name, "may be given only once");
                None
            }
        }
    }

    /// Every value of a repeatable year parameter.
    pub fn years(&mut self, name: &str) -> Vec<i32> {
        let mut years = Vec::new();
        for value in self.values(name) {
            match parse_year(&value) {
                Some(year) => years.push(year),
                None => {
                    self.reject(name, year_reason(&value));
                    return Vec::new();
                }
            }
        }
        years
    }

    /// A year given at most once.
    pub fn year(&mut self, name: &str) -> Option<i32> {
        let value = self.once(name)?;
        let year = parse_year(&value);
        if year.is_none() {
            self.reject(name, year_reason(&value));
        }
        year
    }

    /// An ISO date (`YYYY-MM-DD`) given at most once.
    pub fn date(&mut self, name: &str) -> Option<String> {
        let value = self.once(name)?;
        if is_iso_date(&value) {
            Some(value)
        } else {
            self.reject(
                name,
                format!("{value:?} is not a date; write it as YYYY-MM-DD, e.g. 2020-04-30"),
            );
            None
        }
    }

    /// A boolean (`true` or `false`) given at most once.
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        match self.once(name)?.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                let reason = format!("unknown value {other:?}; allowed: true, false");
                self.reject(name, reason);
                None
            }
        }
    }

    /// Fails with every problem recorded so far.
    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.invalid.is_empty() {
            Ok(())
        } else {
            Err(ApiError::InvalidParams(std::mem::take(&mut self.invalid)))
        }
    }
}

fn parse_year(value: &str) -> Option<i32> {
    if value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse().ok()
    } else {
        None
    }
}

fn year_reason(value: &str) -> String {
    format!("{value:?} is not a year; write four digits, e.g. 2020")
}

/// The number written in ASCII digits only (no sign, no space) at `range` of `text`.
pub(crate) fn digits_at<T: std::str::FromStr>(
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<T> {
    let part = text.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

/// Percent-encodes every byte of `text` but ASCII letters, digits and those in `keep`
/// (`-._~` for a URL path segment).
pub(crate) fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether `value` is a valid calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let digits = |range| digits_at::<u32>(value, range);
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_kept() {
        let mut params = Params::parse("role=lead&role=guide&q=%E5%8C%BB", &["role", "q"])
            .expect("known parameters");
        assert_eq!(params.values("role"), ["lead", "guide"]);
        assert_eq!(params.values("q"), ["医"]);
        assert!(params.finish().is_ok());
    }

    #[test]
    fn unknown_parameters_are_named_once() {
        let Err(ApiError::InvalidParams(invalid)) = Params::parse("x=1&x=2&y=3", &["a"]) else {
            panic!("expected a refusal");
        };
        let names: Vec<&str> = invalid.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["x", "y"]);
        assert!(invalid[0].reason.contains("allowed: a"));
    }

    #[test]
    fn bad_values_are_collected() {
        let mut params = Params::parse(
            "year=20&raw=maybe&date=2020-02-30&limit=1&limit=2",
            &["year", "raw", "date", "limit"],
        )
        .expect("known parameters");
        assert!(params.years("year").is_empty());
        assert_eq!(params.boolean("raw"), None);
        assert_eq!(params.date("date"), None);
        assert_eq!(params.once("limit"), None);
        let Err(ApiError::InvalidParams(invalid)) = params.finish() else {
            panic!("expected a refusal");
        };
        assert_eq!(invalid.len(), 4);
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(is_iso_date("2020-02-29"));
        assert!(!is_iso_date("2019-02-29"));
        assert!(!is_iso_date("2020-13-01"));
        assert!(!is_iso_date("2020-1-01"));
        assert!(!is_iso_date("２０２０-01-01"));
    }
}

//! Where the terms of a query stand in a text, and the snippet shown around the first.

/// Character offsets `[start, end)` of every occurrence of any term in a text
/// (case-insensitive for Latin letters), merged where they overlap. As in the index, Latin
/// letters and digits at the edges of a term match whole words only: `ar` is found in
/// `VR/AR`, not in `care`.
pub fn highlight_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let lower: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let latin = |c: &char| c.is_ascii_alphanumeric();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in terms {
        let needle: Vec<char> = term
            .trim()
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let (Some(first), Some(last)) = (needle.first(), needle.last()) else {
            continue;
        };
        if needle.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - needle.len() {
            let end = start + needle.len();
            let opens = !latin(first) || start == 0 || !latin(&lower[start - 1]);
            let closes = !latin(last) || lower.get(end).is_none_or(|next| !latin(next));
            if opens && closes && lower[start..end] == needle[..] {
                ranges.push((start, end));
            }
        }
    }
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A window of a record's text around its first match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The snippet text (with `…` where it was cut).
    pub text: String,
    /// Highlight ranges in characters of `text`.
    pub highlights: Vec<(usize, usize)>,
    /// Highlight ranges in characters of the record's whole text.
    pub highlights_in_text: Vec<(usize, usize)>,
}

/// Builds a snippet of about `width` characters around the first match.
pub fn snippet(text: &str, terms: &[String], width: usize) -> Snippet {
    let chars: Vec<char> = text.chars().collect();
    let all = highlight_ranges(text, terms);
    let first = all.first().map_or(0, |range| range.0);
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let offset = prefix.chars().count();
    let body: String = chars[start..end].iter().collect();
    let highlights = all
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + offset, e - start + offset))
        .collect();
    Snippet {
        text: format!("{prefix}{body}{suffix}"),
        highlights,
        highlights_in_text: all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_and_snippets_use_character_offsets() {
        let text = "推进互联网医院发展，完善互联网诊疗服务";
        assert_eq!(
            highlight_ranges(text, &["互联网".into()]),
            vec![(2, 5), (12, 15)]
        );
        assert_eq!(
            highlight_ranges("VR/AR、Care、AR眼镜", &["ar".into()]),
            vec![(3, 5), (11, 13)]
        );
        let snippet = snippet(text, &["诊疗".into()], 8);
        let chars: Vec<char> = snippet.text.chars().collect();
        let (start, end) = snippet.highlights[0];
        assert_eq!(chars[start..end].iter().collect::<String>(), "诊疗");
    }
}

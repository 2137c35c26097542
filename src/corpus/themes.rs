//! Tagging measures with the themes of the controlled vocabulary.
//!
//! A measure carries a theme when one of the theme's strong keywords occurs in its title or
//! text, when one of its weak keywords occurs in the title, or when two different weak
//! keywords occur in the text. The vocabulary's keywords (hundreds of them) are searched in
//! one pass over each text by one automaton, instead of one substring search per keyword and
//! measure.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use super::Theme;

/// How a keyword tags its theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// One occurrence, in the title or the text, tags.
    Strong,
    /// One occurrence in the title tags; in the text, two different ones do.
    Weak,
}

/// A use of a keyword by a theme: the theme (by position), how the keyword tags it and how
/// many times the theme lists it (a weak keyword listed twice counts twice).
#[derive(Debug, Clone, Copy)]
struct Use {
    theme: usize,
    strength: Strength,
    times: usize,
}

/// The theme vocabulary compiled for tagging: every distinct keyword of every theme in one
/// automaton, with the themes that use it.
#[derive(Debug, Clone, Default)]
pub struct ThemeTagger {
    /// Theme ids, in vocabulary order.
    ids: Vec<String>,
    /// All distinct keywords, in order of first use.
    keywords: Vec<String>,
    /// The automaton over `keywords`; `None` when there is none or when it could not be
    /// built, and each keyword is then searched on its own (the same result, more slowly).
    automaton: Option<AhoCorasick>,
    /// The uses of each keyword, by its index in `keywords`.
    uses: Vec<Vec<Use>>,
}

impl ThemeTagger {
    /// Compiles the vocabulary `themes`.
    pub fn new(themes: &[Theme]) -> ThemeTagger {
        let mut keywords: Vec<String> = Vec::new();
        let mut uses: Vec<Vec<Use>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (theme, entry) in themes.iter().enumerate() {
            let listed = entry
                .strong
                .iter()
                .map(|keyword| (keyword, Strength::Strong))
                .chain(entry.weak.iter().map(|keyword| (keyword, Strength::Weak)));
            for (keyword, strength) in listed {
                let pattern = *index.entry(keyword.as_str()).or_insert_with(|| {
                    keywords.push(keyword.clone());
                    uses.push(Vec::new());
                    keywords.len() - 1
                });
                let uses = &mut uses[pattern];
                match uses
                    .iter_mut()
                    .find(|u| u.theme == theme && u.strength == strength)
                {
                    Some(existing) => existing.times += 1,
                    None => uses.push(Use {
                        theme,
                        strength,
                        times: 1,
                    }),
                }
            }
        }
        let automaton = if keywords.is_empty() {
            None
        } else {
            AhoCorasick::new(&keywords).ok()
        };
        ThemeTagger {
            ids: themes.iter().map(|theme| theme.id.clone()).collect(),
            keywords,
            automaton,
            uses,
        }
    }

    /// The ids of the themes of a measure with `title` and `text`, in vocabulary order.
    pub fn tag(&self, title: Option<&str>, text: &str) -> Vec<String> {
        let mut tagged = vec![false; self.ids.len()];
        let mut weak_in_text = vec![0usize; self.ids.len()];
        for pattern in self.found(title.unwrap_or("")) {
            for use_ in &self.uses[pattern] {
                tagged[use_.theme] = true;
            }
        }
        for pattern in self.found(text) {
            for use_ in &self.uses[pattern] {
                match use_.strength {
                    Strength::Strong => tagged[use_.theme] = true,
                    Strength::Weak => weak_in_text[use_.theme] += use_.times,
                }
            }
        }
        self.ids
            .iter()
            .zip(tagged.iter().zip(&weak_in_text))
            .filter(|(_, (tagged, weak))| **tagged || **weak >= 2)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The distinct keywords (indexes into `keywords`) that occur in `text`.
    fn found(&self, text: &str) -> Vec<usize> {
        match &self.automaton {
            Some(automaton) => {
                let mut found = vec![false; self.keywords.len()];
                for hit in automaton.find_overlapping_iter(text) {
                    found[hit.pattern().as_usize()] = true;
                }
                (0..found.len()).filter(|&pattern| found[pattern]).collect()
            }
            None => (0..self.keywords.len())
                .filter(|&pattern| text.contains(self.keywords[pattern].as_str()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as written: each keyword searched on its own.
    fn tagged_one_keyword_at_a_time(
        themes: &[Theme],
        title: Option<&str>,
        text: &str,
    ) -> Vec<String> {
        let title = title.unwrap_or("");
        themes
            .iter()
            .filter(|theme| {
                let strong = theme
                    .strong
                    .iter()
                    .any(|k| title.contains(k.as_str()) || text.contains(k.as_str()));
                let weak_title = theme.weak.iter().any(|k| title.contains(k.as_str()));
                let weak_text = theme
                    .weak
                    .iter()
                    .filter(|k| text.contains(k.as_str()))
                    .count();
                strong || weak_title || weak_text >= 2
            })
            .map(|theme| theme.id.clone())
            .collect()
    }

    fn theme(id: &str, strong: &[&str], weak: &[&str]) -> Theme {
        Theme {
            id: id.to_owned(),
            name: id.to_owned(),
            name_en: id.to_owned(),
            description: String::new(),
            strong: strong.iter().map(|k| (*k).to_owned()).collect(),
            weak: weak.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn overlapping_shared_and_repeated_keywords_tag_as_the_rule_says() {
        let themes = [
            // 互联网医院 contains 互联网 and 医院: overlapping keywords, each found.
            theme("online-healthcare", &["互联网医院"], &["医院", "线上"]),
            // 医院 is weak for two themes; 互联网 strong here.
            theme("digital", &["互联网"], &["医院", "数据"]),
            // A weak keyword listed twice counts twice, as the rule counts list entries.
            theme("twice", &[], &["平台", "平台"]),
            theme("none", &["区块链"], &["养老", "托育"]),
        ];
        let tagger = ThemeTagger::new(&themes);
        let cases: [(Option<&str>, &str); 7] = [
            (None, "建设互联网医院。"),
            (None, "推动医院线上服务。"),
            (Some("医院"), "无关文本"),
            (None, "医院"),
            (None, "搭建平台。"),
            (Some("养老服务"), "托育"),
            (None, ""),
        ];
        for (title, text) in cases {
            assert_eq!(
                tagger.tag(title, text),
                tagged_one_keyword_at_a_time(&themes, title, text),
                "{title:?} {text:?}"
            );
        }
        assert_eq!(
            tagger.tag(None, "建设互联网医院。"),
            ["online-healthcare", "digital"]
        );
        assert_eq!(
            tagger.tag(None, "推动医院线上服务。"),
            ["online-healthcare"]
        );
        assert_eq!(tagger.tag(None, "搭建平台。"), ["twice"]);
        assert!(ThemeTagger::new(&[]).tag(Some("医院"), "医院").is_empty());
    }
}

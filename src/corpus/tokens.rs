//! Tokens for full-text search, shared by the indexer and the query parser so that both
//! segment text the same way.
//!
//! Two streams per text:
//! - **words**: jieba's `cut_for_search` tokens (a word and its sub-words: 医疗卫生 →
//!   医疗, 卫生, 医疗卫生), lower-cased, for ranking by whole words;
//! - **grams**: the text as a sequence of units — every pair of adjacent Han characters
//!   (character bigrams, as search engines' CJK analyzers index), a lone Han character as
//!   itself, and every Latin/digit word lower-cased. A string of the text is found by the
//!   phrase of its own grams, so a query term never misses a record that contains it, even
//!   when the term crosses jieba's word boundaries (线上业, 网上公开).

use jieba_rs::Jieba;
use once_cell::sync::Lazy;

use super::decode::is_han;

/// The one shared segmenter (loading the dictionary takes a moment and some memory).
static JIEBA: Lazy<Jieba> = Lazy::new(Jieba::new);

/// A unit of the gram stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gram {
    /// Two adjacent Han characters, or a Han character standing alone between non-Han text.
    Han(String),
    /// A Latin/digit word, lower-cased (`5g`, `iot`, `o2o`).
    Word(String),
}

impl Gram {
    /// The token text as indexed.
    pub fn as_str(&self) -> &str {
        match self {
            Gram::Han(text) | Gram::Word(text) => text,
        }
    }
}

/// Segments of a text: runs of Han characters and runs of ASCII letters/digits.
fn segments(text: &str) -> Vec<(bool, String)> {
    let mut result: Vec<(bool, String)> = Vec::new();
    let mut current = String::new();
    let mut current_han = false;
    for ch in text.chars() {
        // Unassigned code points inside the Han blocks are separators, as for SQLite.
        let han = is_han(ch) && ch.is_alphabetic();
        let word = ch.is_ascii_alphanumeric();
        if !han && !word {
            if !current.is_empty() {
                result.push((current_han, std::mem::take(&mut current)));
            }
            continue;
        }
        if !current.is_empty() && han != current_han {
            result.push((current_han, std::mem::take(&mut current)));
        }
        current_han = han;
        current.push(ch.to_ascii_lowercase());
    }
    if !current.is_empty() {
        result.push((current_han, current));
    }
    result
}

/// The gram stream of a text (see the module documentation).
pub fn grams(text: &str) -> Vec<Gram> {
    let mut grams = Vec::new();
    for (han, segment) in segments(text) {
        if !han {
            grams.push(Gram::Word(segment));
            continue;
        }
        let chars: Vec<char> = segment.chars().collect();
        if chars.len() == 1 {
            grams.push(Gram::Han(segment));
        } else {
            for pair in chars.windows(2) {
                grams.push(Gram::Han(pair.iter().collect()));
            }
        }
    }
    grams
}

/// The gram stream as the space-separated string stored in the index.
pub fn gram_field(text: &str) -> String {
    join(grams(text).iter().map(Gram::as_str))
}

/// jieba `cut_for_search` words of a text, lower-cased, punctuation dropped.
pub fn words(text: &str) -> Vec<String> {
    JIEBA
        .cut_for_search(text, true)
        .into_iter()
        .map(|word| word.trim().to_lowercase())
        .filter(|word| {
            word.chars()
                .any(|c| (is_han(c) && c.is_alphabetic()) || c.is_ascii_alphanumeric())
        })
        .map(|word| {
            word.chars()
                .filter(|c| (is_han(*c) && c.is_alphabetic()) || c.is_ascii_alphanumeric())
                .collect()
        })
        .collect()
}

/// The word stream as the space-separated string stored in the index.
pub fn word_field(text: &str) -> String {
    join(words(text).iter().map(String::as_str))
}

/// Whether jieba segments a character as part of a block (its default block class: the
/// CJK ideograph ranges, ASCII letters and digits, and `+#&._%-`). jieba splits a text into
/// maximal runs of block characters and runs of other characters and cuts each run on its
/// own, so the words of a text are the words of its runs, in order.
fn in_jieba_block(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0x2CEB0..=0x2EBEF
        | 0x2F800..=0x2FA1F)
        || c.is_ascii_alphanumeric()
        || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

/// [`word_field`] with the words of each jieba block remembered, for indexing texts that
/// repeat one another (a document's text and its measures' texts): the result is the same,
/// each distinct block is segmented once. Clear it between unrelated texts to bound memory.
#[derive(Debug, Default)]
pub struct WordCache {
    blocks: std::collections::HashMap<String, String>,
}

impl WordCache {
    /// The word stream of `text`, exactly as [`word_field`] gives it.
    pub fn word_field(&mut self, text: &str) -> String {
        let mut result = String::new();
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            let block = in_jieba_block(first);
            let end = rest
                .char_indices()
                .find(|(_, c)| in_jieba_block(*c) != block)
                .map_or(rest.len(), |(index, _)| index);
            let (run, tail) = rest.split_at(end);
            rest = tail;
            let unblocked;
            let words = if block {
                if !self.blocks.contains_key(run) {
                    self.blocks.insert(run.to_string(), word_field(run));
                }
                self.blocks.get(run).map_or("", String::as_str)
            } else {
                // Punctuation and spaces: jieba keeps each character alone.
                unblocked = word_field(run);
                unblocked.as_str()
            };
            if !words.is_empty() {
                if !result.is_empty() {
                    result.push(' ');
                }
                result.push_str(words);
            }
        }
        result
    }

    /// Forgets every remembered block.
    pub fn clear(&mut self) {
        self.blocks.clear();
    }
}

/// jieba `cut` of a query into words (how plain query text is split into AND-ed terms).
pub fn query_words(text: &str) -> Vec<String> {
    JIEBA
        .cut(text, true)
        .into_iter()
        .map(str::trim)
        .filter(|word| {
            word.chars()
                .any(|c| (is_han(c) && c.is_alphabetic()) || c.is_ascii_alphanumeric())
        })
        .map(str::to_string)
        .collect()
}

/// Whether the grams of a term find exactly the texts that contain it: true unless a lone
/// Han character stands next to a Latin word (`快5G`), whose bigram in the text is not the
/// lone character.
pub fn grams_are_exact(term: &str) -> bool {
    let segments = segments(term);
    let has_lone_han_beside_word = segments.len() > 1
        && segments
            .iter()
            .any(|(han, segment)| *han && segment.chars().count() == 1);
    let lone_han_alone = segments.len() == 1 && segments[0].0 && segments[0].1.chars().count() == 1;
    !segments.is_empty() && !has_lone_han_beside_word && !lone_han_alone
}

fn join<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    let mut result = String::new();
    for token in tokens {
        if !result.is_empty() {
            result.push(' ');
        }
        result.push_str(token);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_and_latin_words() {
        assert_eq!(gram_field("加快5G网络建设"), "加快 5g 网络 络建 建设");
        assert_eq!(gram_field("“互联网+”行动"), "互联 联网 行动");
        assert_eq!(gram_field("AR试衣、O2O"), "ar 试衣 o2o");
    }

    #[test]
    fn a_term_is_the_phrase_of_its_grams() {
        let text = gram_field("推进线上业态线上服务线上管理发展");
        let term = gram_field("线上业");
        assert!(text.contains(&term), "{text} / {term}");
    }

    #[test]
    fn words_come_from_jieba_search_mode() {
        let words = words("医疗卫生服务");
        assert!(words.contains(&"医疗".to_string()), "{words:?}");
        assert!(words.contains(&"卫生".to_string()), "{words:?}");
    }

    #[test]
    fn the_word_cache_gives_the_words_of_the_whole_text() {
        let mut cache = WordCache::default();
        let texts = [
            "",
            "  \r\n",
            "推进互联网医疗卫生服务，加快5G网络建设。",
            "1.加快建设（牵头单位：区经济信息委；配合单位：区商务委）",
            "“互联网+”行动、O2O、AR试衣 İstanbul ＡＢＣ 〇 \u{fae5}线上业",
            "到2025年，软件和信息服务业产值达2500亿元以上，打造30个应用场景。",
            "推进互联网医疗卫生服务，加快5G网络建设。",
        ];
        for text in texts {
            assert_eq!(cache.word_field(text), word_field(text), "{text:?}");
        }
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/documents");
        for entry in std::fs::read_dir(data).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            assert_eq!(cache.word_field(&text), word_field(&text));
            for line in text.lines() {
                assert_eq!(cache.word_field(line), word_field(line), "{line:?}");
            }
        }
    }

    #[test]
    fn exactness() {
        for term in ["医疗", "5G", "互联网+"] {
            assert!(grams_are_exact(term), "{term}");
        }
        for term in ["医", "快5G", "+"] {
            assert!(!grams_are_exact(term), "{term}");
        }
    }
}

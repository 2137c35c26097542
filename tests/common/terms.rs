//! Search terms of every shape, and the records of the corpus that contain them: what a
//! search for each must find.

use std::collections::BTreeSet;

use zhengce::corpus::Corpus;

/// Terms of every shape: two-character words, three- and four-character words, Latin and
/// mixed tokens, and strings that cross word boundaries.
pub const TERMS: &[&str] = &[
    // two characters
    "医疗",
    "教育",
    "金融",
    "物流",
    "交通",
    "养老",
    "旅游",
    "会展",
    "人才",
    "监管",
    "数据",
    "平台",
    "应急",
    "直播",
    "电商",
    "农村",
    "停车",
    "社保",
    // three and four characters
    "互联网",
    "区块链",
    "物联网",
    "云计算",
    "大数据",
    "人工智能",
    "工业互联网",
    "智慧城市",
    "远程会诊",
    "在线教育",
    "互联网医院",
    "一网通办",
    "一网统管",
    "新零售",
    // Latin and mixed
    "5G",
    "AR",
    "APP",
    "IOT",
    "O2O",
    "VR",
    "互联网+",
    "5G网络",
    // across word boundaries
    "医疗卫生",
    "线上业",
    "网上公开",
    "疗服务",
    "线上服",
    "联网平",
];

/// Whether `haystack` contains `term`, ASCII case folded (as search matches).
pub fn contains(haystack: &str, term: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&term.to_ascii_lowercase())
}

/// Ids of the measures of `corpus` whose title or text contains the term.
pub fn measures_containing(corpus: &Corpus, term: &str) -> BTreeSet<String> {
    corpus
        .documents
        .iter()
        .flat_map(|document| &document.measures)
        .filter(|measure| {
            let title = measure.title.clone().unwrap_or_default();
            contains(&format!("{title}\n{}", measure.text), term)
        })
        .map(|measure| measure.id.clone())
        .collect()
}

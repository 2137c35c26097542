//! Which jurisdiction a document belongs to, from the signals its text gives, in order:
//! the issuer (signature or header), the document number's issuer code, the title, and
//! the opening (`我省` / `我市` with the place named in the text). The manifest, when it
//! names one, wins over all of them (the caller applies it).

use std::collections::HashMap;

use super::model::{DocNumber, Jurisdiction};

/// An index of jurisdiction names for finding places at the start of a text.
#[derive(Debug, Clone, Default)]
pub struct Places {
    by_name: HashMap<String, Vec<usize>>,
    longest: usize,
}

/// What told a document's jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The issuing body, from the signature or the title's lead.
    Issuer,
    /// The issuer code of the document's own number.
    DocNumber,
    /// The title's first words.
    Title,
    /// `我省` / `我市` … with the place named in the text.
    Opening,
}

impl Signal {
    /// Words for a warning.
    pub fn describe(self) -> &'static str {
        match self {
            Signal::Issuer => "the issuer",
            Signal::DocNumber => "the document number",
            Signal::Title => "the title",
            Signal::Opening => "the opening",
        }
    }
}

impl Places {
    /// Indexes names and aliases. County-level short names (`和平`, `城关`) are common
    /// words, so only their full names and `{city}{county}` forms are indexed.
    pub fn new(jurisdictions: &[Jurisdiction]) -> Places {
        let mut places = Places::default();
        for (index, jurisdiction) in jurisdictions.iter().enumerate() {
            let county = matches!(jurisdiction.level.as_str(), "district" | "county");
            let names = std::iter::once(&jurisdiction.name).chain(
                jurisdiction
                    .aliases
                    .iter()
                    .filter(|alias| !county || alias.chars().count() > 3 || is_full_place(alias)),
            );
            for name in names {
                if name.chars().count() < 2 {
                    continue;
                }
                let entry = places.by_name.entry(name.clone()).or_default();
                if !entry.contains(&index) {
                    entry.push(index);
                }
                places.longest = places.longest.max(name.len());
            }
        }
        places
    }

    /// The jurisdictions whose name is the longest one that opens `text` (several when
    /// that name is shared, as 朝阳 is).
    pub fn at_start(&self, text: &str) -> Vec<usize> {
        let mut ends: Vec<usize> = text
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take_while(|&end| end <= self.longest)
            .collect();
        ends.reverse();
        ends.into_iter()
            .find_map(|end| self.by_name.get(&text[..end]).cloned())
            .unwrap_or_default()
    }

    /// The jurisdictions a text names anywhere, each once, in order of first mention
    /// (only names that point to a single jurisdiction).
    pub fn within(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        for (start, _) in text.char_indices() {
            if let [one] = self.at_start(&text[start..]).as_slice() {
                if !found.contains(one) {
                    found.push(*one);
                }
            }
        }
        found
    }

    /// How often each jurisdiction's name or alias occurs in a text.
    fn counts(
        &self,
        text: &str,
        jurisdictions: &[Jurisdiction],
        level: &[&str],
    ) -> Vec<(usize, usize)> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for (name, indices) in &self.by_name {
            let relevant: Vec<usize> = indices
                .iter()
                .copied()
                .filter(|&i| level.contains(&jurisdictions[i].level.as_str()))
                .collect();
            if relevant.len() != 1 {
                continue;
            }
            let found = text.matches(name.as_str()).count();
            if found > 0 {
                *counts.entry(relevant[0]).or_default() += found;
            }
        }
        let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }
}

/// Whether a name ends in a level word (`越秀区`, `莘县`).
fn is_full_place(name: &str) -> bool {
    ["省", "市", "区", "县", "州", "盟", "旗"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// Everything inference reads from a document.
pub struct Evidence<'a> {
    /// The issuer as printed; joint issuers are joined with `、`.
    pub issuer: Option<&'a str>,
    /// The document's own number.
    pub doc_number: Option<&'a DocNumber>,
    /// The title.
    pub title: &'a str,
    /// The normalized text.
    pub text: &'a str,
}

/// The jurisdiction each signal points to, in the order of the signals; `None` for a
/// signal that is silent or ambiguous.
pub fn signals(
    evidence: &Evidence<'_>,
    jurisdictions: &[Jurisdiction],
    places: &Places,
    prefixes: &[(String, Option<String>)],
) -> Vec<(Signal, Option<String>)> {
    let id = |index: usize| jurisdictions[index].id.clone();
    let unique = |found: Vec<usize>| match found.as_slice() {
        [one] => Some(id(*one)),
        _ => None,
    };
    let mut found = Vec::new();
    // Joint issuers on one chain (a city commission and a district government): the
    // deepest of them.
    let issuer = evidence.issuer.and_then(|issuer| {
        let each: Vec<String> = issuer
            .split('、')
            .filter_map(|one| unique(places.at_start(one)))
            .collect();
        deepest(&each, jurisdictions)
    });
    found.push((Signal::Issuer, issuer));
    let by_number = evidence.doc_number.and_then(|number| {
        prefixes
            .iter()
            .find(|(prefix, _)| number.issuer_code.starts_with(prefix.as_str()))
            .and_then(|(_, jurisdiction)| jurisdiction.clone())
    });
    found.push((Signal::DocNumber, by_number));
    found.push((Signal::Title, unique(places.at_start(evidence.title))));
    // The opening is read only when nothing before it spoke: it scans the whole text.
    if found.iter().all(|(_, j)| j.is_none()) {
        found.push((
            Signal::Opening,
            opening(evidence.text, jurisdictions, places),
        ));
    }
    found
}

/// Of several jurisdictions on one chain, the deepest; `None` when they are not on one
/// chain or there are none.
fn deepest(ids: &[String], jurisdictions: &[Jurisdiction]) -> Option<String> {
    let parent_of: HashMap<&str, Option<&str>> = jurisdictions
        .iter()
        .map(|j| (j.id.as_str(), j.parent.as_deref()))
        .collect();
    let ancestors = |id: &str| {
        let mut chain = vec![id.to_string()];
        let mut current = parent_of.get(id).copied().flatten();
        while let Some(parent) = current {
            if chain.iter().any(|c| c == parent) {
                break;
            }
            chain.push(parent.to_string());
            current = parent_of.get(parent).copied().flatten();
        }
        chain
    };
    let mut best: Option<Vec<String>> = None;
    for id in ids {
        let chain = ancestors(id);
        best = match best {
            None => Some(chain),
            Some(current) if chain.contains(&current[0]) => Some(chain),
            Some(current) if current.contains(id) => Some(current),
            Some(_) => return None,
        };
    }
    best.map(|chain| chain[0].clone())
}

/// `我省` / `全省` with the province named in the text; `我市` / `全市` with the city; and
/// so on. The most frequent marker decides the level; the most often named place of that
/// level is the jurisdiction. A text that speaks of `我国` and `各地区` and of no place of
/// its own is national.
fn opening(text: &str, jurisdictions: &[Jurisdiction], places: &Places) -> Option<String> {
    const MARKERS: &[(&[&str], &[&str])] = &[
        (&["我省", "全省"], &["province"]),
        (
            &["我市", "全市", "本市"],
            &["municipality", "prefecture", "county"],
        ),
        (&["我区", "全区", "本区"], &["district", "province"]),
        (&["我县", "全县", "本县"], &["county"]),
    ];
    let mut best: Option<(usize, &[&str])> = None;
    for (words, levels) in MARKERS {
        let count: usize = words.iter().map(|w| text.matches(w).count()).sum();
        if count > 0 && best.is_none_or(|(c, _)| count > c) {
            best = Some((count, levels));
        }
    }
    match best {
        Some((_, levels)) => places
            .counts(text, jurisdictions, levels)
            .first()
            .map(|(index, _)| jurisdictions[*index].id.clone()),
        None => {
            let national = (text.contains("我国") || text.contains("全国"))
                && ["各地区", "各部门", "国务院"]
                    .iter()
                    .any(|w| text.contains(w));
            national
                .then(|| jurisdictions.iter().find(|j| j.level == "national"))
                .flatten()
                .map(|j| j.id.clone())
        }
    }
}

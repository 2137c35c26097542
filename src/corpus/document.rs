//! Parsing one document: decode → normalize → metadata → outline → measures (with agencies
//! and themes) → goals → citations.

use std::collections::{HashMap, HashSet};

use super::annotation::{read_trailing_annotation, Trailing};
use super::citations::{find_citations, title_key};
use super::decode::decode;
use super::goals::{goals_in_paragraph, YearScope};
use super::metadata::{self, kind_of_title, parse_doc_number};
use super::model::*;
use super::normalize::normalize;
use super::outline::{build_outline, OutlineNode};
use super::reference::{Gazetteer, ManifestEntry, ReferenceData};

/// Headings of framing parts whose provisions are not measures (总体要求, 指导思想,
/// 发展目标, 工作开展情况 …), unless they also name tasks or measures.
const PREAMBLE_HEADINGS: &[&str] = &[
    "总体要求",
    "指导思想",
    "总体思路",
    "基本原则",
    "发展目标",
    "主要目标",
    "工作目标",
    "总体目标",
    "目标",
    "工作路径",
    "工作思路",
    "重要意义",
    "背景",
    "基本情况",
    "开展情况",
    "进展情况",
    "工作现状",
    "发展现状",
    "总体考虑",
    "适用范围",
];
/// Words that make a heading an action heading even when it also names a goal.
const ACTION_WORDS: &[&str] = &["任务", "措施", "举措", "行动", "工程", "重点", "打算"];

/// Agencies created for names the gazetteer lacks, shared across the documents of a corpus
/// so that one unknown name in one jurisdiction is one provisional agency.
#[derive(Debug, Default)]
pub struct ProvisionalAgencies {
    /// The agencies, in order of first appearance.
    pub agencies: Vec<Agency>,
    by_key: HashMap<(Option<String>, String), usize>,
    ids: HashSet<String>,
}

impl ProvisionalAgencies {
    /// The id of the provisional agency for `name` in `jurisdiction`, created on first use.
    pub fn id_for(
        &mut self,
        jurisdiction: Option<&str>,
        name: &str,
        taken: &dyn Fn(&str) -> bool,
    ) -> String {
        let key = (jurisdiction.map(str::to_string), name.to_string());
        if let Some(&index) = self.by_key.get(&key) {
            return self.agencies[index].id.clone();
        }
        let base = format!("{}--{}", jurisdiction.unwrap_or("unknown"), slug(name, 60));
        let mut id = base.clone();
        let mut suffix = 2;
        while taken(&id) || self.ids.contains(&id) {
            id = format!("{base}-{suffix}");
            suffix += 1;
        }
        self.agencies.push(Agency {
            id: id.clone(),
            jurisdiction: jurisdiction.map(str::to_string),
            name: name.to_string(),
            name_en: None,
            aliases: vec![name.to_string()],
            kind: "unknown".to_string(),
            resolved: false,
            note: Some("not in the gazetteer; created from the name as printed".to_string()),
        });
        self.by_key.insert(key, self.agencies.len() - 1);
        self.ids.insert(id.clone());
        id
    }
}

/// A readable ASCII slug of Chinese text: pinyin syllables joined by hyphens, ASCII letters
/// and digits kept, at most `max` bytes (cut at a hyphen).
pub fn slug(text: &str, max: usize) -> String {
    use pinyin::ToPinyin;
    let mut parts: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for (ch, syllable) in text.chars().zip(text.to_pinyin()) {
        if ch.is_ascii_alphanumeric() {
            ascii.push(ch.to_ascii_lowercase());
            continue;
        }
        if !ascii.is_empty() {
            parts.push(std::mem::take(&mut ascii));
        }
        if let Some(syllable) = syllable {
            parts.push(syllable.plain().to_string());
        }
    }
    if !ascii.is_empty() {
        parts.push(ascii);
    }
    let mut result = String::new();
    for part in parts {
        if result.len() + part.len() + 1 > max && !result.is_empty() {
            break;
        }
        if !result.is_empty() {
            result.push('-');
        }
        result.push_str(&part);
    }
    if result.is_empty() {
        "x".to_string()
    } else {
        result
    }
}

/// The jurisdiction a title or issuer starts with: the longest name or alias that matches.
pub fn infer_jurisdiction(jurisdictions: &[Jurisdiction], texts: &[&str]) -> Option<String> {
    texts.iter().find_map(|text| {
        jurisdictions
            .iter()
            .flat_map(|j| {
                std::iter::once(&j.name)
                    .chain(&j.aliases)
                    .map(move |name| (j, name))
            })
            .filter(|(_, name)| !name.is_empty() && text.starts_with(name.as_str()))
            .max_by_key(|(_, name)| name.len())
            .map(|(j, _)| j.id.clone())
    })
}

/// Whether a heading (part or section title) frames rather than acts.
pub(crate) fn is_preamble_heading(title: &str) -> bool {
    PREAMBLE_HEADINGS.iter().any(|h| title.contains(h))
        && !ACTION_WORDS.iter().any(|w| title.contains(w))
}

/// Tags a measure with themes: a strong keyword anywhere; a weak keyword in the title; or
/// two different weak keywords in the text.
pub fn tag_themes(themes: &[Theme], title: Option<&str>, text: &str) -> Vec<String> {
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

/// Everything a document parse needs from the corpus around it.
pub struct ParseContext<'a> {
    /// Reference data (jurisdictions, gazetteer agencies, themes, manifest).
    pub reference: &'a ReferenceData,
    /// The gazetteer index.
    pub gazetteer: &'a Gazetteer,
}

/// Parses one document. The error is a reason (the caller knows the file).
pub fn parse_document(
    id: &str,
    file_name: &str,
    raw: Vec<u8>,
    context: &ParseContext<'_>,
    provisional: &mut ProvisionalAgencies,
) -> Result<ParsedDocument, String> {
    let decoded = decode(&raw)?;
    let mut warnings = Vec::new();
    if decoded.encoding != "UTF-8" {
        warnings.push(Warning {
            kind: WarningKind::LegacyEncoding,
            line: None,
            message: format!(
                "decoded from {}; spans index into the decoded text",
                decoded.encoding
            ),
        });
    }
    let source = decoded.text;
    let normalized = normalize(&source);
    let paragraphs = normalized.paragraphs();
    let inferred = metadata::infer(&paragraphs, &normalized.text);
    let body = metadata::body_range(&paragraphs, inferred.title_index);
    let manifest = context
        .reference
        .manifest
        .get(id)
        .cloned()
        .unwrap_or_default();
    let metadata = merge_metadata(id, &inferred, &manifest, context, &mut warnings);
    let jurisdiction = metadata.jurisdiction.clone();

    let nodes = build_outline(id, &normalized, &paragraphs, body.clone(), &mut warnings);
    let outline: Vec<Provision> = nodes.iter().map(|node| node.provision.clone()).collect();

    // Measures.
    let preamble: Vec<bool> = (0..nodes.len()).map(|i| in_preamble(&nodes, i)).collect();
    // Whether a node has an item among its descendants: mark the ancestors of every item.
    let mut has_item_below = vec![false; nodes.len()];
    for node in nodes
        .iter()
        .filter(|node| node.provision.level == Level::Item)
    {
        let mut current = node.provision.parent;
        while let Some(parent) = current {
            if has_item_below[parent] {
                break;
            }
            has_item_below[parent] = true;
            current = nodes[parent].provision.parent;
        }
    }
    let measure_nodes: Vec<usize> = (0..nodes.len())
        .filter(|&i| !preamble[i])
        .filter(|&i| match nodes[i].provision.level {
            Level::Item => true,
            Level::Section => !has_item_below[i],
            _ => false,
        })
        .collect();
    let is_known_name = |name: &str| {
        context
            .gazetteer
            .resolve(jurisdiction.as_deref(), name)
            .is_some()
    };
    // Built on first need only: most documents name no agency the gazetteer lacks.
    let gazetteer_ids: std::cell::OnceCell<HashSet<&str>> = std::cell::OnceCell::new();
    let mut measures = Vec::new();
    for (ordinal, &index) in measure_nodes.iter().enumerate() {
        let node = &nodes[index];
        let full = &normalized.text[node.body_start..node.subtree_end];
        let (text, annotation, mentions) = match read_trailing_annotation(full, &is_known_name) {
            Trailing::Parsed(found) => (
                full[..found.start].trim_end(),
                Some(found.text),
                found.mentions,
            ),
            Trailing::Unparsed { start, text } => {
                let offset = node.body_start + start;
                warnings.push(Warning {
                    kind: WarningKind::UnparsedAnnotation,
                    line: Some(normalized.source_span(offset..offset + 1).line_start),
                    message: format!(
                        "measure {}: annotation {text} could not be read",
                        node.provision.label
                    ),
                });
                (full.trim_end(), None, Vec::new())
            }
            Trailing::None => (full.trim_end(), None, Vec::new()),
        };
        let mut agencies = Vec::new();
        for (raw_name, role) in mentions {
            let (agency_id, resolved) = match context
                .gazetteer
                .resolve(jurisdiction.as_deref(), &raw_name)
            {
                Some(found) => (context.reference.agencies[found].id.clone(), true),
                None => {
                    let id = provisional.id_for(jurisdiction.as_deref(), &raw_name, &|id| {
                        gazetteer_ids
                            .get_or_init(|| {
                                context
                                    .reference
                                    .agencies
                                    .iter()
                                    .map(|a| a.id.as_str())
                                    .collect()
                            })
                            .contains(id)
                    });
                    let offset = node.body_start;
                    warnings.push(Warning {
                        kind: WarningKind::UnresolvedAgency,
                        line: Some(normalized.source_span(node.subtree_end.saturating_sub(1)..node.subtree_end).line_end.max(normalized.source_span(offset..offset + 1).line_start)),
                        message: format!(
                            "agency name {raw_name:?} (measure {}) is not in the gazetteer for {}; recorded as provisional agency {id}",
                            node.provision.label,
                            jurisdiction.as_deref().unwrap_or("an unknown jurisdiction")
                        ),
                    });
                    (id, false)
                }
            };
            agencies.push(AgencyMention {
                raw_name,
                role,
                agency_id,
                resolved,
            });
        }
        let heading_start = paragraphs[node.paragraph].start;
        let themes = tag_themes(
            &context.reference.themes,
            node.provision.title.as_deref(),
            text,
        );
        measures.push(Measure {
            id: node.provision.id.clone(),
            provision: index,
            ordinal: ordinal as u32 + 1,
            number: (node.provision.level == Level::Item).then_some(node.provision.number),
            label: node.provision.label.clone(),
            title: node.provision.title.clone(),
            text: text.to_string(),
            path: ancestors(&nodes, index)
                .into_iter()
                .map(|a| heading_of(&nodes[a].provision))
                .collect(),
            annotation,
            agencies,
            themes,
            span: normalized.source_span(heading_start..node.subtree_end),
        });
    }
    if measures.iter().any(|m| !m.agencies.is_empty()) {
        for measure in measures.iter().filter(|m| m.agencies.is_empty()) {
            warnings.push(Warning {
                kind: WarningKind::MeasureWithoutAgencies,
                line: Some(measure.span.line_start),
                message: format!(
                    "measure {} names no agency while other measures of the document do",
                    measure.label
                ),
            });
        }
    }

    // Goals and citations, over the paragraphs after the title.
    let first = inferred.title_index.map_or(0, |i| i + 1);
    let containing = |offset: usize| -> Option<usize> {
        nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| {
                paragraphs[node.paragraph].start <= offset
                    && offset < node.subtree_end.max(paragraphs[node.paragraph].end)
            })
            .map(|(i, _)| i)
            .next_back()
    };
    let mut goals = Vec::new();
    let mut scope = YearScope::default();
    for (index, paragraph) in paragraphs.iter().enumerate().take(body.end).skip(first) {
        if index >= body.start && super::outline::parse_marker(paragraph.text).is_some() {
            scope.close();
        }
        for found in goals_in_paragraph(paragraph.text, &mut scope) {
            let start = paragraph.start + found.range.start;
            let end = paragraph.start + found.range.end;
            goals.push(Goal {
                id: format!("{id}--g{}", goals.len() + 1),
                ordinal: goals.len() as u32 + 1,
                metric: found.metric,
                value: found.value,
                value_text: found.value_text,
                unit: found.unit,
                comparator: found.comparator,
                comparator_text: found.comparator_text,
                year: Some(found.year),
                value_base: found.value_base,
                base_unit: found.base_unit,
                clause: found.clause,
                sentence: found.sentence,
                provision: containing(start),
                span: normalized.source_span(start..end),
            });
        }
    }
    let own_title_key = title_key(&metadata.title);
    let mut citations: Vec<Citation> = Vec::new();
    for paragraph in &paragraphs {
        for found in find_citations(paragraph.text) {
            let mut title = found.title.clone();
            let cites_own_title = title
                .as_deref()
                .is_some_and(|t| title_key(t) == own_title_key);
            let cites_own_number = found.doc_number.is_some()
                && found.doc_number.as_ref().map(|n| &n.text)
                    == metadata.doc_number.as_ref().map(|n| &n.text);
            if cites_own_title || cites_own_number {
                continue;
            }
            if found.abbreviated {
                let short = title.clone().unwrap_or_default();
                let kind = kind_of_title(&short).unwrap_or(short.as_str()).to_string();
                let antecedent = citations
                    .iter()
                    .rev()
                    .filter_map(|c| c.title.as_ref())
                    .find(|t| t.ends_with(&kind) && t.chars().count() > short.chars().count());
                match antecedent {
                    Some(full) => title = Some(full.clone()),
                    None => {
                        let offset = paragraph.start + found.range.start;
                        warnings.push(Warning {
                            kind: WarningKind::UnresolvedReference,
                            line: Some(normalized.source_span(offset..offset + 1).line_start),
                            message: format!("《{short}》 is a short reference with no earlier full title to refer to; not recorded as a citation"),
                        });
                        continue;
                    }
                }
            }
            let start = paragraph.start + found.range.start;
            let end = paragraph.start + found.range.end;
            citations.push(Citation {
                ordinal: citations.len() as u32 + 1,
                title,
                doc_number: found.doc_number,
                raw: normalized.text[start..end].to_string(),
                context: sentence_around(paragraph.text, found.range.clone()),
                provision: containing(start),
                span: normalized.source_span(start..end),
            });
        }
    }

    Ok(ParsedDocument {
        id: id.to_string(),
        file_name: file_name.to_string(),
        raw,
        encoding: decoded.encoding.to_string(),
        text: normalized.text.clone(),
        source,
        metadata,
        outline,
        measures,
        goals,
        citations,
        warnings,
    })
}

/// Combines what the text says with the manifest (the manifest wins).
fn merge_metadata(
    id: &str,
    inferred: &metadata::InferredMetadata,
    manifest: &ManifestEntry,
    context: &ParseContext<'_>,
    warnings: &mut Vec<Warning>,
) -> DocumentMetadata {
    let title = manifest
        .title
        .clone()
        .or_else(|| inferred.title.clone())
        .unwrap_or_else(|| {
            warnings.push(Warning {
                kind: WarningKind::MissingMetadata,
                line: None,
                message:
                    "no title found in the text and none in documents.toml; the file name stands in"
                        .into(),
            });
            id.to_string()
        });
    let issuer = manifest.issuer.clone().or_else(|| inferred.issuer.clone());
    let jurisdiction = manifest.jurisdiction.clone().or_else(|| {
        let mut texts = vec![title.as_str()];
        if let Some(issuer) = &issuer {
            texts.push(issuer);
        }
        infer_jurisdiction(&context.reference.jurisdictions, &texts)
    });
    if jurisdiction.is_none() {
        warnings.push(Warning {
            kind: WarningKind::UnknownJurisdiction,
            line: None,
            message: "the jurisdiction could not be told from the title or issuer; agencies resolve only by full name".into(),
        });
    }
    let status = match manifest.status.as_deref() {
        Some("draft") => DocumentStatus::Draft,
        Some(_) => DocumentStatus::Final,
        None => inferred.status,
    };
    let (consultation_start, consultation_end) = inferred.consultation.clone().unzip();
    let date = manifest
        .date
        .clone()
        .or_else(|| inferred.date.clone())
        .or_else(|| {
            (status == DocumentStatus::Draft)
                .then(|| consultation_start.clone())
                .flatten()
        });
    DocumentMetadata {
        kind: manifest
            .kind
            .clone()
            .or_else(|| inferred.kind.clone())
            .or_else(|| kind_of_title(&title).map(str::to_string))
            .unwrap_or_else(|| "文件".to_string()),
        doc_number: manifest
            .doc_number
            .as_deref()
            .and_then(parse_doc_number)
            .or_else(|| inferred.doc_number.clone()),
        title,
        issuer,
        jurisdiction,
        date,
        status,
        consultation_start,
        consultation_end,
    }
}

/// Whether a node or one of its ancestors has a framing heading.
fn in_preamble(nodes: &[OutlineNode], index: usize) -> bool {
    std::iter::once(index)
        .chain(ancestors(nodes, index))
        .filter(|&i| nodes[i].provision.level <= Level::Section)
        .any(|i| {
            nodes[i]
                .provision
                .title
                .as_deref()
                .is_some_and(is_preamble_heading)
        })
}

/// Indices of a node's ancestors, outermost first.
fn ancestors(nodes: &[OutlineNode], index: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = nodes[index].provision.parent;
    while let Some(parent) = current {
        chain.push(parent);
        current = nodes[parent].provision.parent;
    }
    chain.reverse();
    chain
}

/// `三、加速发展线上新业态` / `（四）大力培育重点产业互联网平台`.
fn heading_of(provision: &Provision) -> String {
    match &provision.title {
        Some(title) => format!("{}{}", provision.label, title),
        None => provision.label.clone(),
    }
}

/// The sentence of a paragraph around a byte range.
fn sentence_around(paragraph: &str, range: std::ops::Range<usize>) -> String {
    let stops = ['。', '！', '？', '；'];
    let start = paragraph[..range.start]
        .char_indices()
        .rev()
        .find(|(_, c)| stops.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = paragraph[range.end..]
        .char_indices()
        .find(|(_, c)| stops.contains(c))
        .map_or(paragraph.len(), |(i, c)| range.end + i + c.len_utf8());
    paragraph[start..end].to_string()
}

//! Parsing one document: extract (decode) → normalize → metadata and jurisdiction → divisions
//! and outline → annotations → measures (with agencies, deadlines and themes) → goals →
//! citations.

use std::collections::{HashMap, HashSet};

use super::agency_model::Instance;
use super::annotation::{find_annotations, Annotation, Convention, Found};
use super::citations::{find_citations, title_key};
use super::deadlines::{find_deadlines, FoundDeadline};
use super::divisions::{divisions, Division, DivisionKind, TaskRow};
use super::extract::{extract_named, Extracted, MetadataHints};
use super::goals::{goals_in_paragraph, YearScope};
use super::jurisdiction::{signals, Evidence};
use super::metadata::{self, kind_of_title, parse_doc_number};
use super::model::*;
use super::normalize::{normalize, Normalized, Paragraph};
use super::outline::{build_outline, OutlineNode};
use super::reference::{Gazetteer, ManifestEntry, ReferenceData};
use super::themes::ThemeTagger;

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
    /// Agencies derived from the standard-agency model, by id: one record per body and
    /// jurisdiction whatever document names it, so their order does not matter.
    pub derived: std::collections::BTreeMap<String, Agency>,
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
        while taken(&id) || self.ids.contains(&id) || self.derived.contains_key(&id) {
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
            origin: AgencyOrigin::Provisional,
            note: Some("not in the gazetteer; created from the name as printed".to_string()),
        });
        self.by_key.insert(key, self.agencies.len() - 1);
        self.ids.insert(id.clone());
        id
    }

    /// Records an agency derived from the model (once per id) and returns its id.
    pub fn derive(&mut self, agency: Agency) -> String {
        let id = agency.id.clone();
        self.derived.entry(id.clone()).or_insert(agency);
        id
    }
}

/// How a printed name resolved.
enum Resolved {
    /// A gazetteer agency (index into the reference agencies).
    Gazetteer(usize),
    /// An agency derived from the model.
    Derived(Agency),
}

/// Resolves a printed name in a document of `jurisdiction`: the gazetteer of the
/// jurisdiction and its ancestors; the model's bodies instantiated for them; the national
/// bodies; the collective phrases. A derived name that a gazetteer agency carries is that
/// agency.
fn resolve_name(
    context: &ParseContext<'_>,
    jurisdiction: Option<&str>,
    name: &str,
) -> Option<Resolved> {
    let gazetteer = context.gazetteer;
    if let Some(found) = gazetteer.resolve(jurisdiction, name) {
        return Some(Resolved::Gazetteer(found));
    }
    let model = &context.reference.model;
    if model.is_empty() {
        return None;
    }
    let chain = gazetteer.chain_of(jurisdiction);
    // Places the name itself names (`南昌海关`, `人行南昌中心支行`, `越秀区`) within the
    // document's jurisdiction or around it: their bodies are tried first.
    let related = |id: &str| {
        jurisdiction.is_none_or(|own| {
            gazetteer.chain(Some(id)).iter().any(|a| a == own)
                || gazetteer.chain(Some(own)).iter().any(|a| a == id)
        })
    };
    let named: Vec<&Jurisdiction> = gazetteer
        .places()
        .within(name)
        .into_iter()
        .map(|index| &gazetteer.jurisdictions()[index])
        .filter(|place| related(&place.id))
        .collect();
    let place_government = named.iter().find(|place| {
        std::iter::once(&place.name)
            .chain(&place.aliases)
            .any(|n| n == name && n.ends_with(['区', '县', '市', '州', '旗', '盟']))
    });
    if let Some(place) = place_government.filter(|p| p.level != "national") {
        let instance = Instance {
            jurisdiction: place.id.clone(),
            key: "government".to_string(),
            name: format!("{}人民政府", place.name),
            name_en: format!("{} People's Government", place.name_en),
            kind: "government".to_string(),
        };
        return Some(derived(gazetteer, instance, name));
    }
    let named_department = named.iter().find_map(|place| {
        let chain = gazetteer.chain_of(Some(&place.id));
        model.department(&chain, name)
    });
    let instance = named_department
        .or_else(|| model.department(&chain, name))
        .or_else(|| {
            let body = model.national(name)?;
            Some(Instance {
                jurisdiction: gazetteer.national()?.to_string(),
                key: body.key.clone(),
                name: body.name.clone(),
                name_en: body.name_en.clone(),
                kind: body.kind.clone(),
            })
        })
        .or_else(|| {
            // A collective stands for bodies of the document's own jurisdiction.
            let own = jurisdiction?;
            let (canonical, name_en) = match model.collective(name) {
                Some(collective) => (collective.name.clone(), collective.name_en.clone()),
                None if is_collective_phrase(name) => (name.to_string(), String::new()),
                None => return None,
            };
            Some(Instance {
                jurisdiction: own.to_string(),
                key: slug(&canonical, 60),
                name: canonical,
                name_en,
                kind: "collective".to_string(),
            })
        })?;
    Some(derived(gazetteer, instance, name))
}

/// The agency of a model instance: the gazetteer's when it carries the standard name,
/// else a derived record.
fn derived(gazetteer: &Gazetteer, instance: Instance, name: &str) -> Resolved {
    if let Some(found) = gazetteer.resolve(Some(&instance.jurisdiction), &instance.name) {
        return Resolved::Gazetteer(found);
    }
    Resolved::Derived(Agency {
        id: format!("{}--{}", instance.jurisdiction, instance.key),
        jurisdiction: Some(instance.jurisdiction.clone()),
        name: instance.name.clone(),
        name_en: (!instance.name_en.is_empty()).then(|| instance.name_en.clone()),
        aliases: if instance.name == name {
            Vec::new()
        } else {
            vec![name.to_string()]
        },
        kind: instance.kind,
        resolved: true,
        origin: AgencyOrigin::Model,
        note: Some("derived from the standard-agency model for its jurisdiction".to_string()),
    })
}

/// A phrase that stands for a group of bodies: `各有关单位`, `相关部门`, `各区县政府`,
/// `市级有关部门`.
fn is_collective_phrase(name: &str) -> bool {
    const HEADS: &[&str] = &["各", "相关", "有关", "其他", "其它"];
    const TAILS: &[&str] = &[
        "部门",
        "单位",
        "政府",
        "地区",
        "地方",
        "城市",
        "机构",
        "企业",
        "委员会",
        "镇街",
        "街道",
        "乡镇",
        "园区",
        "区",
        "县",
        "市",
        "镇",
        "高校",
        "学校",
        "医院",
    ];
    let length = name.chars().count();
    let level_group = ["省", "市", "区", "县"].iter().any(|level| {
        name.strip_prefix(level).is_some_and(|rest| {
            [
                "级有关部门",
                "级相关部门",
                "直有关部门",
                "直各有关部门",
                "直相关部门",
                "级各部门",
            ]
            .contains(&rest)
        })
    });
    level_group
        || ((2..=20).contains(&length)
            && HEADS.iter().any(|h| name.starts_with(h))
            && TAILS.iter().any(|t| name.ends_with(t)))
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

/// Whether a heading (part or section title) frames rather than acts.
pub(crate) fn is_preamble_heading(title: &str) -> bool {
    PREAMBLE_HEADINGS.iter().any(|h| title.contains(h))
        && !ACTION_WORDS.iter().any(|w| title.contains(w))
}

/// Everything a document parse needs from the corpus around it.
pub struct ParseContext<'a> {
    /// Reference data (jurisdictions, gazetteer agencies, themes, manifest).
    pub reference: &'a ReferenceData,
    /// The gazetteer index.
    pub gazetteer: &'a Gazetteer,
}

/// Parses one document. The error is a reason (the caller knows the file).
///
/// The stages run one after the other, each adding its warnings in turn: extraction
/// (`extract_text`) and normalization; metadata and jurisdiction (`read_header`); divisions
/// and outline (`lay_out`); the annotations and deadlines in each measure's text
/// (`read_units`); the measures with their agencies, deadlines and themes
/// (`build_measures`, then `warn_measures_without_agencies`); goals (`collect_goals`);
/// citations (`collect_citations`).
pub fn parse_document(
    id: &str,
    file_name: &str,
    raw: Vec<u8>,
    context: &ParseContext<'_>,
    provisional: &mut ProvisionalAgencies,
) -> Result<ParsedDocument, String> {
    let mut warnings = Vec::new();
    let Extracted {
        text: source,
        encoding,
        hints,
        ..
    } = extract_text(file_name, &raw, &mut warnings)?;
    let normalized = normalize(&source);
    let paragraphs = normalized.paragraphs();
    let header = read_header(id, &normalized, &paragraphs, &hints, context, &mut warnings);
    let jurisdiction = header.metadata.jurisdiction.clone();
    let is_known_name = known_names(context, jurisdiction.as_deref());
    let layout = lay_out(
        id,
        &normalized,
        &paragraphs,
        &header,
        &is_known_name,
        &mut warnings,
    );
    let read = read_units(&layout.units, &normalized, &is_known_name, header.year);
    let mut resolver = AgencyResolver::new(context, jurisdiction.as_deref(), provisional);
    let measures = build_measures(
        &layout,
        &read,
        &normalized,
        &context.reference.theme_tagger,
        &mut resolver,
        &mut warnings,
    );
    warn_measures_without_agencies(&measures, &mut warnings);
    let goals = collect_goals(id, &normalized, &paragraphs, &header, &layout);
    let citations = collect_citations(
        &normalized,
        &paragraphs,
        &header.metadata,
        &layout.nodes,
        &mut warnings,
    );
    Ok(ParsedDocument {
        id: id.to_string(),
        file_name: file_name.to_string(),
        raw,
        encoding,
        text: normalized.text.clone(),
        source,
        metadata: header.metadata,
        outline: layout
            .nodes
            .iter()
            .map(|node| node.provision.clone())
            .collect(),
        measures,
        goals,
        citations,
        warnings,
    })
}

/// Extraction: the text of the file (decoded, the article of an HTML page, the paragraphs
/// of a DOCX, the text layer of a PDF), with a warning when it was decoded from a legacy
/// encoding.
fn extract_text(
    file_name: &str,
    raw: &[u8],
    warnings: &mut Vec<Warning>,
) -> Result<Extracted, String> {
    let extracted = extract_named(file_name, raw).map_err(|e| e.to_string())?;
    if let Some(encoding) = extracted.legacy_encoding() {
        warnings.push(Warning {
            kind: WarningKind::LegacyEncoding,
            line: None,
            message: format!("decoded from {encoding}; spans index into the decoded text"),
        });
    }
    Ok(extracted)
}

/// What the head of a document and the manifest say about it.
struct Header {
    /// What the text says (title, its paragraph, number, issuer, date …).
    inferred: metadata::InferredMetadata,
    /// The metadata as recorded: the text's, overridden by the manifest.
    metadata: DocumentMetadata,
    /// Paragraph indices of the body: from the first part marker (the first numbered
    /// paragraph where there are no parts) up to an attachment line or the closing signature.
    body: std::ops::Range<usize>,
    /// The year the document speaks from (see [`document_year`]).
    year: Option<i32>,
}

/// Metadata and jurisdiction: what the text says (the file's hints where it is silent),
/// merged with the manifest, which wins; the jurisdiction from the manifest or the signals
/// of issuer, number, title and opening; the year the document speaks from; where the body
/// lies.
fn read_header(
    id: &str,
    normalized: &Normalized,
    paragraphs: &[Paragraph<'_>],
    hints: &MetadataHints,
    context: &ParseContext<'_>,
    warnings: &mut Vec<Warning>,
) -> Header {
    let mut inferred = metadata::infer(paragraphs, &normalized.text);
    hints.fill(&mut inferred);
    let body = metadata::body_range(paragraphs, inferred.title_index);
    let manifest = context
        .reference
        .manifest
        .get(id)
        .cloned()
        .unwrap_or_default();
    let metadata = merge_metadata(
        id,
        &inferred,
        &manifest,
        context,
        &normalized.text,
        warnings,
    );
    let year = document_year(&metadata, &inferred);
    Header {
        inferred,
        metadata,
        body,
        year,
    }
}

/// Whether a name is known in a document of `jurisdiction`, to the gazetteer or as a
/// collective phrase of the model: what tells an agency list from other parentheses.
fn known_names<'a>(
    context: &'a ParseContext<'a>,
    jurisdiction: Option<&'a str>,
) -> impl Fn(&str) -> bool + 'a {
    move |name: &str| {
        context.gazetteer.resolve(jurisdiction, name).is_some()
            || context.reference.model.collective(name).is_some()
    }
}

/// Whether a text holds an agency annotation, whatever names it gives.
fn has_annotation(text: &str) -> bool {
    !find_annotations(text, &|_: &str| false).is_empty()
}

/// How a file is laid out: its divisions, their outline and the measures to read.
struct Layout {
    /// The body, further documents and annexes of the file.
    divisions: Vec<Division>,
    /// The outline of every division, in document order.
    nodes: Vec<OutlineNode>,
    /// The measures to read, in document order.
    units: Vec<MeasureUnit>,
}

/// Divisions and outline: the file cut into its body, further documents and annexes, the
/// outline of each and the units that are measures.
fn lay_out(
    id: &str,
    normalized: &Normalized,
    paragraphs: &[Paragraph<'_>],
    header: &Header,
    is_known_name: &dyn Fn(&str) -> bool,
    warnings: &mut Vec<Warning>,
) -> Layout {
    let divisions = divisions(
        paragraphs,
        header.body.clone(),
        &has_annotation,
        is_known_name,
        header.year,
    );
    let (nodes, units) = outline_and_units(
        id,
        &divisions,
        normalized,
        paragraphs,
        &has_annotation,
        warnings,
    );
    Layout {
        divisions,
        nodes,
        units,
    }
}

/// Annotations and deadlines: what the text of each measure holds. A task table's row adds
/// its agency and time cells as annotations (with the agencies of each cell) and the
/// deadlines of its time columns; its text joins the task cells with spaces.
fn read_units(
    units: &[MeasureUnit],
    normalized: &Normalized,
    is_known_name: &dyn Fn(&str) -> bool,
    document_year: Option<i32>,
) -> Vec<ReadUnit> {
    units
        .iter()
        .map(|unit| {
            let mut read = read_unit(
                &normalized.text[unit.start..unit.end],
                unit.start,
                is_known_name,
                document_year,
            );
            if let Some(row) = &unit.row {
                read.text = read.text.replace('\t', " ");
                read.annotations
                    .extend(row.cells.iter().map(|(range, text)| {
                        Annotation {
                            range: range.clone(),
                            text: text.clone(),
                            mentions: row
                                .mentions
                                .iter()
                                .filter(|m| {
                                    range.start <= m.range.start && m.range.end <= range.end
                                })
                                .cloned()
                                .collect(),
                            deadlines: Vec::new(),
                            conventions: Vec::new(),
                        }
                    }));
                read.deadlines.extend(row.deadlines.iter().cloned());
            }
            read
        })
        .collect()
}

/// Measures: each unit with the agencies its annotations name (resolved, see
/// [`AgencyResolver`]), its deadlines and its themes, with a warning for every annotation
/// that could not be read.
fn build_measures(
    layout: &Layout,
    read: &[ReadUnit],
    normalized: &Normalized,
    tagger: &ThemeTagger,
    resolver: &mut AgencyResolver<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Measure> {
    let nodes = &layout.nodes;
    let first_listed_leads = read.iter().any(|unit| {
        unit.annotations
            .iter()
            .any(|a| a.conventions.contains(&Convention::FirstListedLeads))
    });
    let mut measures = Vec::new();
    // Names a measure said the following measures carry too (`以下均需…落实`): the part
    // they apply in, the names, and the span of the statement.
    let mut inherited: Option<Inherited> = None;
    for (ordinal, (unit, found)) in layout.units.iter().zip(read).enumerate() {
        let node = &nodes[unit.node];
        for (range, text) in &found.unparsed {
            let offset = range.start;
            warnings.push(Warning {
                kind: WarningKind::UnparsedAnnotation,
                line: Some(normalized.source_span(offset..offset + 1).line_start),
                message: format!(
                    "measure {}: annotation {text} could not be read",
                    node.provision.label
                ),
            });
        }
        let part = top_ancestor(nodes, unit.node);
        let mentions = mentions_of(found, part, first_listed_leads, &mut inherited, normalized);
        let agencies = resolver.resolve(mentions, &node.provision.label, warnings);
        let deadlines = found
            .deadlines
            .iter()
            .map(|deadline| Deadline {
                text: deadline.text.clone(),
                date: deadline.date.clone(),
                span: normalized.source_span(deadline.range.clone()),
            })
            .collect();
        let themes = tagger.tag(unit.title.as_deref(), &found.text);
        let annotation = (!found.annotations.is_empty()).then(|| {
            found
                .annotations
                .iter()
                .map(|a| a.text.as_str())
                .collect::<String>()
        });
        measures.push(Measure {
            id: unit.id.clone(),
            provision: unit.node,
            ordinal: ordinal as u32 + 1,
            number: (node.provision.level == Level::Item).then_some(node.provision.number),
            label: node.provision.label.clone(),
            title: unit.title.clone(),
            text: found.text.clone(),
            path: unit
                .division_heading
                .iter()
                .cloned()
                .chain(
                    ancestors(nodes, unit.node)
                        .into_iter()
                        .chain(unit.paragraph_of.then_some(unit.node))
                        .map(|a| heading_of(&nodes[a].provision)),
                )
                .collect(),
            annotation,
            agencies,
            deadlines,
            themes,
            span: normalized.source_span(unit.heading_start..unit.end),
        });
    }
    measures
}

/// The names a measure's annotations give, each once per role, in order. Where the
/// document says the first listed leads, the first name of an annotation without a lead
/// that lists two or more responsible bodies is also the lead. A measure with annotations
/// also carries the names an earlier measure of its `part` said the following ones carry;
/// a statement of such names in this measure replaces `inherited` for the measures after
/// it.
fn mentions_of(
    found: &ReadUnit,
    part: Option<usize>,
    first_listed_leads: bool,
    inherited: &mut Option<Inherited>,
    normalized: &Normalized,
) -> Vec<(String, Role, SourceSpan)> {
    let mut mentions: Vec<(String, Role, SourceSpan)> = Vec::new();
    for annotation in &found.annotations {
        let span_of = |range: &std::ops::Range<usize>| normalized.source_span(range.clone());
        let leads = annotation.mentions.iter().any(|m| m.role == Role::Lead);
        let responsible = annotation
            .mentions
            .iter()
            .filter(|m| m.role == Role::Responsible)
            .count();
        for (position, mention) in annotation.mentions.iter().enumerate() {
            if first_listed_leads && !leads && responsible >= 2 && position == 0 {
                mentions.push((mention.name.clone(), Role::Lead, span_of(&mention.range)));
            }
            mentions.push((mention.name.clone(), mention.role, span_of(&mention.range)));
        }
    }
    if !found.annotations.is_empty() {
        if let Some(Inherited {
            part: scope,
            names,
            span,
        }) = &*inherited
        {
            if *scope == part {
                for (name, role) in names {
                    mentions.push((name.clone(), *role, *span));
                }
            }
        }
    }
    for annotation in &found.annotations {
        for convention in &annotation.conventions {
            if let Convention::AppliesBelow(names) = convention {
                let span = normalized.source_span(annotation.range.clone());
                *inherited = Some(Inherited {
                    part,
                    names: names.clone(),
                    span,
                });
            }
        }
    }
    let mut seen = HashSet::new();
    mentions.retain(|(name, role, _)| seen.insert((name.clone(), *role)));
    mentions
}

/// Resolves the agency names of one document's measures: to a gazetteer agency, to one
/// derived from the model, or else to a provisional agency, reported.
struct AgencyResolver<'a> {
    /// The reference data and gazetteer names resolve against.
    context: &'a ParseContext<'a>,
    /// The document's jurisdiction.
    jurisdiction: Option<&'a str>,
    /// The corpus's provisional and derived agencies, added to as names need them.
    provisional: &'a mut ProvisionalAgencies,
    /// The gazetteer's agency ids, built on first need only: most documents name no agency
    /// the gazetteer lacks.
    gazetteer_ids: std::cell::OnceCell<HashSet<&'a str>>,
}

impl<'a> AgencyResolver<'a> {
    /// A resolver for a document of `jurisdiction`.
    fn new(
        context: &'a ParseContext<'a>,
        jurisdiction: Option<&'a str>,
        provisional: &'a mut ProvisionalAgencies,
    ) -> Self {
        AgencyResolver {
            context,
            jurisdiction,
            provisional,
            gazetteer_ids: std::cell::OnceCell::new(),
        }
    }

    /// The agencies of the measure `label` for its mentions, in order, with a warning for
    /// every name that became a provisional agency.
    fn resolve(
        &mut self,
        mentions: Vec<(String, Role, SourceSpan)>,
        label: &str,
        warnings: &mut Vec<Warning>,
    ) -> Vec<AgencyMention> {
        let context = self.context;
        let jurisdiction = self.jurisdiction;
        let mut agencies = Vec::new();
        for (raw_name, role, span) in mentions {
            let (agency_id, resolved) = match resolve_name(context, jurisdiction, &raw_name) {
                Some(Resolved::Gazetteer(found)) => {
                    (context.reference.agencies[found].id.clone(), true)
                }
                Some(Resolved::Derived(agency)) => (self.provisional.derive(agency), true),
                None => {
                    let gazetteer_ids = &self.gazetteer_ids;
                    let id = self.provisional.id_for(jurisdiction, &raw_name, &|id| {
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
                    warnings.push(Warning {
                        kind: WarningKind::UnresolvedAgency,
                        line: Some(span.line_start),
                        message: format!(
                            "agency name {raw_name:?} (measure {label}) is not in the gazetteer for {}; recorded as provisional agency {id}",
                            jurisdiction.unwrap_or("an unknown jurisdiction")
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
                span,
            });
        }
        agencies
    }
}

/// Warns of every measure without agencies in a document whose other measures name some.
fn warn_measures_without_agencies(measures: &[Measure], warnings: &mut Vec<Warning>) {
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
}

/// The innermost provision whose paragraphs hold a byte offset of the normalized text.
fn containing(nodes: &[OutlineNode], paragraphs: &[Paragraph<'_>], offset: usize) -> Option<usize> {
    nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| {
            paragraphs[node.paragraph].start <= offset
                && offset < node.subtree_end.max(paragraphs[node.paragraph].end)
        })
        .map(|(i, _)| i)
        .next_back()
}

/// Goals: the quantified targets of the front matter and the body after the title, then of
/// the further documents and annexed item lists (the cells of a task table hold tasks, not
/// targets), each with the year in scope where it stands.
fn collect_goals(
    id: &str,
    normalized: &Normalized,
    paragraphs: &[Paragraph<'_>],
    header: &Header,
    layout: &Layout,
) -> Vec<Goal> {
    let first = header.inferred.title_index.map_or(0, |i| i + 1);
    let body = &header.body;
    let mut goals = Vec::new();
    let goal_ranges = std::iter::once(first..body.end).chain(
        layout
            .divisions
            .iter()
            .filter(|d| !matches!(d.kind, DivisionKind::AnnexTable(_)))
            .filter(|d| d.range.start >= body.end)
            .map(|d| d.range.clone()),
    );
    let mut scope = YearScope::starting(header.year);
    for index in goal_ranges.flatten() {
        let paragraph = &paragraphs[index];
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
                provision: containing(&layout.nodes, paragraphs, start),
                span: normalized.source_span(start..end),
            });
        }
    }
    goals
}

/// Citations: the titles in 《》 and document numbers the text cites, other than its own;
/// a short title (`《方案》`) stands for the last full title of its kind before it, and is
/// reported and left out when there is none.
fn collect_citations(
    normalized: &Normalized,
    paragraphs: &[Paragraph<'_>],
    metadata: &DocumentMetadata,
    nodes: &[OutlineNode],
    warnings: &mut Vec<Warning>,
) -> Vec<Citation> {
    let own_title_key = title_key(&metadata.title);
    let mut citations: Vec<Citation> = Vec::new();
    for paragraph in paragraphs {
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
                provision: containing(nodes, paragraphs, start),
                span: normalized.source_span(start..end),
            });
        }
    }
    citations
}

/// Combines what the text says with the manifest (the manifest wins).
fn merge_metadata(
    id: &str,
    inferred: &metadata::InferredMetadata,
    manifest: &ManifestEntry,
    context: &ParseContext<'_>,
    text: &str,
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
    let doc_number = manifest
        .doc_number
        .as_deref()
        .and_then(parse_doc_number)
        .or_else(|| inferred.doc_number.clone());
    let evidence = Evidence {
        issuer: issuer.as_deref(),
        doc_number: doc_number.as_ref(),
        title: &title,
        text,
    };
    let signals = signals(
        &evidence,
        context.gazetteer.jurisdictions(),
        context.gazetteer.places(),
        &context.reference.doc_number_prefixes,
    );
    let inferred_jurisdiction = signals
        .iter()
        .find_map(|(signal, j)| j.clone().map(|j| (*signal, j)));
    if let Some((first, chosen)) = &inferred_jurisdiction {
        let chain = context.gazetteer.chain(Some(chosen));
        for (signal, other) in &signals {
            let Some(other) = other else { continue };
            // A signal pointing to an ancestor (the province of a city's document) agrees.
            let agrees =
                chain.contains(other) || context.gazetteer.chain(Some(other)).contains(chosen);
            if !agrees {
                warnings.push(Warning {
                    kind: WarningKind::ConflictingJurisdiction,
                    line: None,
                    message: format!(
                        "{} points to {other} but {} to {chosen}; {chosen} is taken",
                        signal.describe(),
                        first.describe()
                    ),
                });
            }
        }
    }
    let jurisdiction = manifest
        .jurisdiction
        .clone()
        .or_else(|| inferred_jurisdiction.map(|(_, j)| j));
    if jurisdiction.is_none() {
        warnings.push(Warning {
            kind: WarningKind::UnknownJurisdiction,
            line: None,
            message: "the jurisdiction could not be told from the issuer, the document number, the title or the opening; agencies resolve only by full name".into(),
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
        doc_number,
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
        // An annex's label is a word: `附件1 重点任务分工表`.
        Some(title) if provision.label.starts_with("附件") => {
            format!("{} {}", provision.label, title)
        }
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

/// One measure to be read: a provision, or one annotated paragraph of a provision whose
/// paragraphs are each a measure.
#[derive(Debug, Clone)]
struct MeasureUnit {
    /// Index of the provision in the outline.
    node: usize,
    /// Measure id.
    id: String,
    /// Byte range of its text (label excluded) in the normalized text.
    start: usize,
    end: usize,
    /// Where its first line starts (label included).
    heading_start: usize,
    /// Its title.
    title: Option<String>,
    /// Whether it is a paragraph of its provision rather than the whole provision.
    paragraph_of: bool,
    /// The heading of the further document it belongs to (`附件2 B方案`), shown first in
    /// its path.
    division_heading: Option<String>,
    /// The row of a task table it was read from.
    row: Option<TaskRow>,
}

/// What the text of a measure holds.
#[derive(Debug, Clone)]
struct ReadUnit {
    annotations: Vec<Annotation>,
    unparsed: Vec<(std::ops::Range<usize>, String)>,
    deadlines: Vec<FoundDeadline>,
    /// The text without its annotations.
    text: String,
}

/// The measures of an outline, in document order.
///
/// - A numbered item is a measure; so is a section without items below it; so is a part
///   without sections or items when the document's outline goes no deeper than parts, or
///   when the part carries an annotation. Provisions under a framing heading (总体要求,
///   发展目标 …) are not measures.
/// - A section or part whose paragraphs each close with their own annotation is a list of
///   measures, one per annotated paragraph, when its heading runs on into text (a section
///   whose heading stands alone as a title is one task told in several paragraphs).
fn measure_units(
    nodes: &[OutlineNode],
    paragraphs: &[Paragraph<'_>],
    text: &str,
    has_annotation: &dyn Fn(&str) -> bool,
) -> Vec<MeasureUnit> {
    let mut has_child = vec![false; nodes.len()];
    let mut has_item_below = vec![false; nodes.len()];
    for node in nodes {
        if let Some(parent) = node.provision.parent {
            has_child[parent] = true;
        }
        if node.provision.level == Level::Item {
            let mut current = node.provision.parent;
            while let Some(parent) = current {
                if has_item_below[parent] {
                    break;
                }
                has_item_below[parent] = true;
                current = nodes[parent].provision.parent;
            }
        }
    }
    let only_parts = nodes.iter().all(|node| node.provision.level == Level::Part);
    let mut units = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        if in_preamble(nodes, index) {
            continue;
        }
        let own_text = &text[node.body_start..node.subtree_end.max(node.body_start)];
        let is_measure = match node.provision.level {
            Level::Item => true,
            Level::Section => !has_item_below[index],
            Level::Part => !has_child[index] && (only_parts || has_annotation(own_text)),
            Level::Subitem => false,
        };
        if !is_measure {
            continue;
        }
        let whole = MeasureUnit {
            node: index,
            id: node.provision.id.clone(),
            start: node.body_start,
            end: node.subtree_end,
            heading_start: paragraphs[node.paragraph].start,
            title: node.provision.title.clone(),
            paragraph_of: false,
            division_heading: None,
            row: None,
        };
        let own: Vec<&Paragraph<'_>> = paragraphs
            .iter()
            .filter(|p| p.start >= paragraphs[node.paragraph].start && p.end <= node.subtree_end)
            .collect();
        let annotated = own
            .iter()
            .filter(|p| has_annotation(&text[p.start.max(node.body_start)..p.end]))
            .count();
        let heading = &text[node.body_start..paragraphs[node.paragraph].end];
        let runs_on = match &node.provision.title {
            Some(title) => heading.trim().chars().count() > title.chars().count() + 2,
            None => true,
        };
        let splits = node.provision.level != Level::Item
            && annotated >= 2
            && (node.provision.level == Level::Part || runs_on);
        if !splits {
            units.push(whole);
            continue;
        }
        // Each annotated paragraph closes a measure; paragraphs after the last join it.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut open: Option<usize> = None;
        for (position, paragraph) in own.iter().enumerate() {
            let first = *open.get_or_insert(position);
            let body = &text[paragraph.start.max(node.body_start)..paragraph.end];
            if has_annotation(body) {
                groups.push((first, position));
                open = None;
            }
        }
        if let (Some(first), Some(last)) = (open, groups.last_mut()) {
            last.1 = own.len() - 1;
            let _ = first;
        }
        for (number, (first, last)) in groups.into_iter().enumerate() {
            let start = if first == 0 {
                node.body_start
            } else {
                own[first].start
            };
            let body = &text[start..own[first].end];
            // The first paragraph's lead sentence after the section heading, or the
            // paragraph's own lead sentence.
            let lead = if first == 0 {
                node.provision
                    .title
                    .as_deref()
                    .and_then(|title| body.strip_prefix(title))
                    .map(|rest| rest.trim_start_matches(['。', ' ']))
                    .unwrap_or(body)
            } else {
                body
            };
            units.push(MeasureUnit {
                node: index,
                id: format!("{}.para{}", node.provision.id, number + 1),
                start,
                end: own[last].end,
                heading_start: own[first].start,
                title: lead_sentence(lead),
                paragraph_of: true,
                division_heading: None,
                row: None,
            });
        }
    }
    units
}

/// The outline of every division of a file and the measures to read, in document order.
///
/// The body's provision ids are as they always were; a further document's and an annex's
/// carry the division's prefix (`c2.p1.s1`, `annex1.i3`). An annex is a part of its own
/// (`附件1 重点任务分工表`) above its items or rows.
fn outline_and_units(
    document_id: &str,
    divisions: &[Division],
    normalized: &super::normalize::Normalized,
    paragraphs: &[Paragraph<'_>],
    has_annotation: &dyn Fn(&str) -> bool,
    warnings: &mut Vec<Warning>,
) -> (Vec<OutlineNode>, Vec<MeasureUnit>) {
    let mut nodes: Vec<OutlineNode> = Vec::new();
    let mut units: Vec<MeasureUnit> = Vec::new();
    for division in divisions {
        let mut local: Vec<OutlineNode> = Vec::new();
        let is_annex = division.kind != DivisionKind::Document;
        if is_annex {
            local.push(annex_node(document_id, division, normalized, paragraphs));
        }
        let mut rows: Vec<TaskRow> = Vec::new();
        match &division.kind {
            DivisionKind::Document | DivisionKind::AnnexItems => {
                let built = build_outline(
                    document_id,
                    normalized,
                    paragraphs,
                    division.range.clone(),
                    warnings,
                );
                let base = local.len();
                for mut node in built {
                    node.provision.parent = match node.provision.parent {
                        Some(parent) => Some(parent + base),
                        None => is_annex.then_some(0),
                    };
                    local.push(node);
                }
            }
            DivisionKind::AnnexTable(table) => {
                for row in &table.rows {
                    local.push(row_node(document_id, row, normalized, paragraphs));
                    rows.push(row.clone());
                }
            }
        }
        if !division.id_prefix.is_empty() {
            for node in local.iter_mut().skip(usize::from(is_annex)) {
                if let Some((_, path)) = node.provision.id.split_once("--") {
                    node.provision.id = format!("{document_id}--{}{path}", division.id_prefix);
                }
            }
        }
        let mut local_units = if rows.is_empty() {
            measure_units(&local, paragraphs, &normalized.text, has_annotation)
        } else {
            // Every row is a measure: its text the task cells, its agencies and times the
            // other cells.
            rows.into_iter()
                .enumerate()
                .filter_map(|(position, row)| {
                    let node = position + 1;
                    let (first, last) = (row.tasks.first()?.clone(), row.tasks.last()?.clone());
                    Some(MeasureUnit {
                        node,
                        id: local[node].provision.id.clone(),
                        start: first.start,
                        end: last.end,
                        heading_start: paragraphs[row.paragraph].start,
                        title: local[node].provision.title.clone(),
                        paragraph_of: false,
                        division_heading: None,
                        row: Some(row),
                    })
                })
                .collect()
        };
        let heading = (!is_annex && !division.id_prefix.is_empty())
            .then(|| {
                [division.label.as_deref(), division.title.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|heading| !heading.is_empty());
        let offset = nodes.len();
        for node in &mut local {
            node.provision.parent = node.provision.parent.map(|parent| parent + offset);
        }
        for unit in &mut local_units {
            unit.node += offset;
            unit.division_heading.clone_from(&heading);
        }
        nodes.extend(local);
        units.extend(local_units);
    }
    (nodes, units)
}

/// The part an annex stands for: `附件1`, titled with the annex's title.
fn annex_node(
    document_id: &str,
    division: &Division,
    normalized: &super::normalize::Normalized,
    paragraphs: &[Paragraph<'_>],
) -> OutlineNode {
    let heading = division.heading.unwrap_or(division.range.start);
    let heading_paragraph = &paragraphs[heading.min(paragraphs.len().saturating_sub(1))];
    let end = division
        .range
        .end
        .checked_sub(1)
        .and_then(|last| paragraphs.get(last))
        .map_or(heading_paragraph.end, |p| p.end)
        .max(heading_paragraph.end);
    let label = division.label.clone().unwrap_or_else(|| "附件".to_string());
    OutlineNode {
        provision: Provision {
            id: format!(
                "{document_id}--{}",
                division.id_prefix.trim_end_matches('.')
            ),
            parent: None,
            level: Level::Part,
            label,
            number: division.number,
            title: division.title.clone(),
            text: String::new(),
            span: normalized.source_span(heading_paragraph.start..end),
        },
        body_start: heading_paragraph.end,
        own_end: heading_paragraph.end,
        subtree_end: end,
        paragraph: heading,
    }
}

/// The item a row of a task table stands for, numbered by its serial.
fn row_node(
    document_id: &str,
    row: &TaskRow,
    normalized: &super::normalize::Normalized,
    paragraphs: &[Paragraph<'_>],
) -> OutlineNode {
    let paragraph = &paragraphs[row.paragraph];
    let task = row
        .tasks
        .first()
        .cloned()
        .unwrap_or(paragraph.start..paragraph.end);
    let text = normalized.text[task.clone()].to_string();
    let title = text
        .find('。')
        .map_or(text.as_str(), |stop| &text[..stop])
        .to_string();
    let title = (title.chars().count() <= 40).then_some(title);
    OutlineNode {
        provision: Provision {
            id: format!("{document_id}--i{}", row.serial.1),
            parent: Some(0),
            level: Level::Item,
            label: if row.serial.0.is_empty() {
                row.serial.1.to_string()
            } else {
                row.serial.0.clone()
            },
            number: row.serial.1,
            title,
            text,
            span: normalized.source_span(paragraph.start..paragraph.end),
        },
        body_start: task.start,
        own_end: paragraph.end,
        subtree_end: paragraph.end,
        paragraph: row.paragraph,
    }
}

/// The first sentence of a paragraph when it reads as its heading (short, ending in `。`).
fn lead_sentence(text: &str) -> Option<String> {
    let stop = text.find('。')?;
    let sentence = &text[..stop];
    let length = sentence.chars().count();
    ((2..=40).contains(&length) && !sentence.contains('（')).then(|| sentence.to_string())
}

/// Reads the annotations, deadlines and plain text of a measure's text.
/// Ranges in the result are byte ranges of the normalized text (`offset` is where `full`
/// starts in it).
fn read_unit(
    full: &str,
    offset: usize,
    is_known_name: &dyn Fn(&str) -> bool,
    document_year: Option<i32>,
) -> ReadUnit {
    let mut annotations = Vec::new();
    let mut unparsed = Vec::new();
    for found in find_annotations(full, is_known_name) {
        match found {
            Found::Parsed(annotation) => annotations.push(annotation),
            Found::Unparsed { range, text } => unparsed.push((range, text)),
        }
    }
    // The text quotes the source: annotations inside it stay, the ones that close it go.
    let mut end = full.trim_end_matches(is_closing).len();
    let mut cut = None;
    for annotation in annotations.iter().rev() {
        if annotation.range.end != end {
            break;
        }
        cut = Some(annotation.range.start);
        end = full[..annotation.range.start]
            .trim_end_matches(is_closing)
            .len();
    }
    let text = full[..cut.unwrap_or(full.len())].trim_end();
    let shift = |range: &mut std::ops::Range<usize>| {
        *range = offset + range.start..offset + range.end;
    };
    for annotation in &mut annotations {
        shift(&mut annotation.range);
        annotation
            .mentions
            .iter_mut()
            .for_each(|m| shift(&mut m.range));
        annotation.deadlines.iter_mut().for_each(shift);
    }
    unparsed.iter_mut().for_each(|(range, _)| shift(range));
    let mut deadlines = find_deadlines(full, document_year);
    deadlines.iter_mut().for_each(|d| shift(&mut d.range));
    ReadUnit {
        annotations,
        unparsed,
        deadlines,
        text: text.to_string(),
    }
}

/// Names a measure said the following measures of its part carry too (`以下均需…落实`).
struct Inherited {
    /// The part they apply in.
    part: Option<usize>,
    /// The names and their role.
    names: Vec<(String, Role)>,
    /// The span of the statement.
    span: SourceSpan,
}

/// Punctuation and space that may follow a closing annotation (`…。（A负责）。`).
fn is_closing(c: char) -> bool {
    matches!(c, '。' | '；' | '\n' | ' ')
}

/// The outermost provision above a node (the node itself when it has no parent).
fn top_ancestor(nodes: &[OutlineNode], index: usize) -> Option<usize> {
    ancestors(nodes, index).first().copied().or(Some(index))
}

/// The year a document speaks from: its date, its number, or a year in its title
/// (`…2021行动方案`, `（2024-2025年）` gives its first year).
fn document_year(
    metadata: &DocumentMetadata,
    inferred: &metadata::InferredMetadata,
) -> Option<i32> {
    let from_date = |date: &Option<String>| {
        date.as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
    };
    from_date(&metadata.date)
        .or_else(|| from_date(&inferred.date))
        .or_else(|| metadata.doc_number.as_ref().map(|n| n.year))
        .or_else(|| title_year(&metadata.title))
}

/// A year printed in a title: `2021`, `2022年`, the first year of `（2024-2025年）`.
pub fn title_year(title: &str) -> Option<i32> {
    let bytes = title.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let window = &title.get(i..i + 4)?;
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (before_ok && after_ok && window.bytes().all(|b| b.is_ascii_digit()))
            .then(|| window.parse::<i32>().ok())
            .flatten()
            .filter(|year| (1949..=2100).contains(year))
    })
}

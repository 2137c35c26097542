//! Plain data structures produced by the corpus parser.
//!
//! Nothing here knows about SQL or HTTP: the `db` layer turns these structs into rows.
//! Every record keeps a [`SourceSpan`] into the document's source text so that it can be
//! quoted and checked against the original.

use serde::Serialize;
use utoipa::ToSchema;

/// A span in a document's source text (the file as received, decoded to UTF-8).
///
/// `start`/`end` are byte offsets into the decoded source (for UTF-8 files these are byte
/// offsets into the raw file); lines are 1-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct SourceSpan {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of the first byte.
    pub line_start: usize,
    /// 1-based line of the last byte.
    pub line_end: usize,
}

/// Whether a document is in force or a consultation draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// Published final text.
    #[default]
    Final,
    /// A draft for consultation (征求意见稿, 送审稿 …).
    Draft,
}

impl DocumentStatus {
    /// Stable string form used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Final => "final",
            DocumentStatus::Draft => "draft",
        }
    }
}

/// A document number such as `渝府办发〔2020〕25号`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocNumber {
    /// The number as normalized: `渝府办发〔2020〕25号`.
    pub text: String,
    /// Issuer code: `渝府办发`.
    pub issuer_code: String,
    /// Year in the brackets.
    pub year: i32,
    /// Serial number.
    pub serial: i32,
}

/// Document metadata, inferred from the text and overridden by the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentMetadata {
    /// Title of the document (without draft markers such as `（征求意见稿）`).
    pub title: String,
    /// Issuing body as printed, if known.
    pub issuer: Option<String>,
    /// Jurisdiction id (see `data/jurisdictions.toml`), if it could be told.
    pub jurisdiction: Option<String>,
    /// Document number, if the document states one.
    pub doc_number: Option<DocNumber>,
    /// Date of issue or publication, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Document kind: 实施方案, 行动计划, 实施意见, 工作方案, 复函, 通知 …
    pub kind: String,
    /// Final or draft.
    pub status: DocumentStatus,
    /// Consultation period (ISO dates) for drafts that state one.
    pub consultation_start: Option<String>,
    /// End of the consultation period.
    pub consultation_end: Option<String>,
}

/// Level of a node in the numbered outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// `一、`
    Part,
    /// `（一）`
    Section,
    /// `1.`
    Item,
    /// `（1）`
    Subitem,
}

impl Level {
    /// Stable string form used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Part => "part",
            Level::Section => "section",
            Level::Item => "item",
            Level::Subitem => "subitem",
        }
    }

    /// Short prefix used in outline ids (`p3.s4.i1`).
    pub fn id_prefix(self) -> char {
        match self {
            Level::Part => 'p',
            Level::Section => 's',
            Level::Item => 'i',
            Level::Subitem => 'u',
        }
    }
}

/// One numbered node of a document's outline (a provision).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    /// Stable id: `{document}--p3.s4.i1`.
    pub id: String,
    /// Index of the parent in [`ParsedDocument::outline`], if any.
    pub parent: Option<usize>,
    /// Level in the hierarchy.
    pub level: Level,
    /// The label as printed, normalized: `一、`, `（四）`, `1.`, `（1）`.
    pub label: String,
    /// The number the label stands for (`（二十五）` → 25).
    pub number: u32,
    /// Heading: the text of the numbered line up to its first full stop, or the whole
    /// line when it is short and has no full stop; `None` for items that are plain text.
    pub title: Option<String>,
    /// Normalized text of this node's own paragraphs (label excluded), children excluded.
    pub text: String,
    /// Span in the source covering the node and all its children.
    pub span: SourceSpan,
}

/// The role of an agency on a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 牵头: leads the measure.
    Lead,
    /// 配合 / 协同: cooperates.
    Cooperating,
    /// 责任部门 / 责任单位 / 负责: responsible.
    Responsible,
    /// 指导: guides.
    Guide,
    /// 参与: participates.
    Participate,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 5] = [
        Role::Lead,
        Role::Cooperating,
        Role::Responsible,
        Role::Guide,
        Role::Participate,
    ];

    /// The string forms of every role, in the order of [`Role::ALL`]: what a `role` filter
    /// takes.
    pub const NAMES: [&'static str; 5] =
        ["lead", "cooperating", "responsible", "guide", "participate"];

    /// Stable string form used in the database and the API.
    pub const fn as_str(self) -> &'static str {
        Role::NAMES[self as usize]
    }

    /// Parses the stable string form.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// One agency named in a measure's annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyMention {
    /// The name exactly as printed (normalized punctuation, no whitespace).
    pub raw_name: String,
    /// Role of the agency on the measure.
    pub role: Role,
    /// Id of the agency: a gazetteer id when resolved, else a provisional id.
    pub agency_id: String,
    /// Whether the name resolved to a gazetteer agency.
    pub resolved: bool,
    /// Span of the name as printed in the source; for a name inherited from a convention
    /// stated earlier (`以下均需…落实`), the span of that statement.
    pub span: SourceSpan,
}

/// A time-bound commitment of a measure: `2019年6月底前`, `到2020年`, `6月底前完成`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The phrase as printed (normalized).
    pub text: String,
    /// The last day of the period it names, ISO `YYYY-MM-DD`; a phrase without a year
    /// takes the document's year. `None` when no year is known.
    pub date: Option<String>,
    /// Span of the phrase in the source.
    pub span: SourceSpan,
}

/// An actionable unit of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Stable id: the id of its provision (`{document}--p3.s4.i1`).
    pub id: String,
    /// Index of the provision in [`ParsedDocument::outline`].
    pub provision: usize,
    /// 1-based position among the document's measures.
    pub ordinal: u32,
    /// The item number where the measure is a numbered item, else `None`.
    pub number: Option<u32>,
    /// The label as printed: `4.` or `（五）`.
    pub label: String,
    /// Title (lead phrase) if the measure has one.
    pub title: Option<String>,
    /// Normalized text, annotation excluded.
    pub text: String,
    /// Headings of the provisions above the measure, outermost first.
    pub path: Vec<String>,
    /// The agency annotations as printed (normalized), in reading order and joined, if any.
    pub annotation: Option<String>,
    /// Agencies named in the measure's annotations, in reading order: the union of its
    /// annotations, each printed name and role once.
    pub agencies: Vec<AgencyMention>,
    /// Time-bound commitments in the measure's text and annotations, in reading order.
    pub deadlines: Vec<Deadline>,
    /// Theme ids the measure is tagged with.
    pub themes: Vec<String>,
    /// Span in the source covering the measure including its annotation.
    pub span: SourceSpan,
}

/// How a goal's value compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// Exactly / a count to reach with no qualifier.
    Eq,
    /// At least (以上, 不低于, 不少于, 达到 …以上).
    Gte,
    /// More than (超过, 突破).
    Gt,
    /// At most (以下, 不超过, 以内).
    Lte,
    /// About (左右, 约).
    Approx,
}

impl Comparator {
    /// Stable string form used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Eq => "eq",
            Comparator::Gte => "gte",
            Comparator::Gt => "gt",
            Comparator::Lte => "lte",
            Comparator::Approx => "approx",
        }
    }
}

/// A quantified target with a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    /// Stable id: `{document}--g3`.
    pub id: String,
    /// 1-based position among the document's goals.
    pub ordinal: u32,
    /// What is measured: `软件和信息服务业产值`.
    pub metric: String,
    /// The value as a number: 2500.
    pub value: f64,
    /// The value as printed: `2500`.
    pub value_text: String,
    /// Unit as printed: `亿元`, `%`, `家`, `个`.
    pub unit: String,
    /// Comparator.
    pub comparator: Comparator,
    /// The words that gave the comparator (`达到…以上`), empty when none.
    pub comparator_text: String,
    /// Target year.
    pub year: Option<i32>,
    /// Value in base units (`2500 亿元` → 2.5e11 yuan).
    pub value_base: Option<f64>,
    /// Base unit: `yuan`, `percent`, `count`, `person` …
    pub base_unit: Option<String>,
    /// The clause the goal was read from.
    pub clause: String,
    /// The sentence the goal came from (normalized).
    pub sentence: String,
    /// Index of the provision the goal stands in, if any.
    pub provision: Option<usize>,
    /// Span of the clause in the source.
    pub span: SourceSpan,
}

/// A citation of another document: by 《title》, by document number, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// 1-based position among the document's citations.
    pub ordinal: u32,
    /// Title without the 《》 (normalized), if cited by title.
    pub title: Option<String>,
    /// Document number, if cited by number.
    pub doc_number: Option<DocNumber>,
    /// The citation as printed (normalized): `《…》（渝府办发〔2020〕25号）`.
    pub raw: String,
    /// The sentence it stands in.
    pub context: String,
    /// Index of the provision it stands in, if any.
    pub provision: Option<usize>,
    /// Span of the citation in the source.
    pub span: SourceSpan,
}

/// Kind of a parser warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An agency name not in the gazetteer (a provisional agency was created).
    UnresolvedAgency,
    /// A measure without agencies in a document whose other measures have annotations.
    MeasureWithoutAgencies,
    /// Item or section numbers that skip or repeat.
    NumberingGap,
    /// Text that looks like an annotation but could not be read.
    UnparsedAnnotation,
    /// The jurisdiction could not be told.
    UnknownJurisdiction,
    /// Signals of the jurisdiction (issuer, number, title, opening) disagree.
    ConflictingJurisdiction,
    /// A reference that could not be tied to a document (e.g. 《指导意见》 with no antecedent).
    UnresolvedReference,
    /// The text was decoded from a legacy encoding.
    LegacyEncoding,
    /// Metadata that could not be inferred (title, date …).
    MissingMetadata,
}

impl WarningKind {
    /// Stable string form.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::UnresolvedAgency => "unresolved_agency",
            WarningKind::MeasureWithoutAgencies => "measure_without_agencies",
            WarningKind::NumberingGap => "numbering_gap",
            WarningKind::UnparsedAnnotation => "unparsed_annotation",
            WarningKind::UnknownJurisdiction => "unknown_jurisdiction",
            WarningKind::ConflictingJurisdiction => "conflicting_jurisdiction",
            WarningKind::UnresolvedReference => "unresolved_reference",
            WarningKind::LegacyEncoding => "legacy_encoding",
            WarningKind::MissingMetadata => "missing_metadata",
        }
    }
}

/// Something the parser noticed and reports, but which does not stop the load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What kind of warning.
    pub kind: WarningKind,
    /// 1-based line in the source, where it applies.
    pub line: Option<usize>,
    /// Human-readable explanation.
    pub message: String,
}

/// A fully parsed document.
#[derive(Debug, Clone, Serialize)]
pub struct ParsedDocument {
    /// Document id: the file stem.
    pub id: String,
    /// File name as found in `data/documents/`.
    pub file_name: String,
    /// The file's bytes exactly as received.
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// Encoding the file's text was stored in (`UTF-8`, `GB18030`, `GBK`; see
    /// [`super::extract::Extracted::encoding`]).
    pub encoding: String,
    /// The text extracted from the file (decoded plain text, an HTML page's article, a
    /// DOCX file's paragraphs, a PDF's text layer); spans index into this.
    pub source: String,
    /// The normalized text.
    pub text: String,
    /// Metadata.
    pub metadata: DocumentMetadata,
    /// The numbered outline, in document order; parents precede children.
    pub outline: Vec<Provision>,
    /// The measures, in document order.
    pub measures: Vec<Measure>,
    /// Quantified goals, in document order.
    pub goals: Vec<Goal>,
    /// Citations of other documents, in document order.
    pub citations: Vec<Citation>,
    /// Warnings, in document order.
    pub warnings: Vec<Warning>,
}

impl ParsedDocument {
    /// The format the document's file was read as (told by its extension).
    pub fn format(&self) -> super::extract::Format {
        super::extract::Format::of_file_name(&self.file_name)
            .ok()
            .flatten()
            .unwrap_or(super::extract::Format::Txt)
    }

    /// The name and version of the extractor that produced [`ParsedDocument::source`].
    pub fn extractor(&self) -> &'static str {
        self.format().extractor()
    }

    /// The document with only what the corpus-wide steps read ([`crate::corpus::assemble`]
    /// and the loader's cross-references and warnings): its id, file name, encoding,
    /// metadata, citations and warnings, and of its outline only the provisions a citation
    /// stands in (texts emptied), each citation's `provision` pointing into that shorter
    /// outline. The file's bytes, its texts, measures and goals are dropped, so that a
    /// loader that has written a document away keeps little of it.
    pub fn without_body(self) -> ParsedDocument {
        let mut outline: Vec<Provision> = Vec::new();
        let mut kept: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        let mut citations = self.citations;
        for citation in &mut citations {
            citation.provision = citation.provision.and_then(|index| {
                let provision = self.outline.get(index)?;
                Some(*kept.entry(index).or_insert_with(|| {
                    outline.push(Provision {
                        id: provision.id.clone(),
                        parent: None,
                        level: provision.level,
                        label: provision.label.clone(),
                        number: provision.number,
                        title: None,
                        text: String::new(),
                        span: provision.span,
                    });
                    outline.len() - 1
                }))
            });
        }
        ParsedDocument {
            raw: Vec::new(),
            source: String::new(),
            text: String::new(),
            outline,
            measures: Vec::new(),
            goals: Vec::new(),
            citations,
            ..self
        }
    }
}

/// A jurisdiction (`data/jurisdictions.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jurisdiction {
    /// Slug id: `chongqing-yubei`.
    pub id: String,
    /// Chinese name: `渝北区`.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// `national`, `province`, `municipality`, `district`, `county`.
    pub level: String,
    /// Parent jurisdiction id.
    pub parent: Option<String>,
    /// Other names that identify it at the start of a title or issuer name.
    pub aliases: Vec<String>,
    /// GB/T 2260 code (`440100`; `000000` for the nation), when known.
    pub code: Option<String>,
}

/// Where an agency record is known from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash, PartialOrd, Ord, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Origin)]
pub enum AgencyOrigin {
    /// The hand gazetteer (`data/agencies.toml`): canonical names, aliases, English names.
    Gazetteer,
    /// The standard-agency model (`data/agency_model.toml`): a department a government of
    /// its level normally has, instantiated for the jurisdiction (省商务厅 in an Anhui
    /// document is 安徽省商务厅), or one of the national bodies or collectives.
    Model,
    /// A name as printed that neither the gazetteer nor the model resolved.
    Provisional,
}

impl AgencyOrigin {
    /// Every origin, in order.
    pub const ALL: [AgencyOrigin; 3] = [
        AgencyOrigin::Gazetteer,
        AgencyOrigin::Model,
        AgencyOrigin::Provisional,
    ];

    /// The string forms of every origin, in the order of [`AgencyOrigin::ALL`]: what an
    /// `origin` filter takes.
    pub const NAMES: [&'static str; 3] = ["gazetteer", "model", "provisional"];

    /// Stable string form used in the database and the API.
    pub const fn as_str(self) -> &'static str {
        AgencyOrigin::NAMES[self as usize]
    }
}

/// An agency: from the gazetteer, from the standard-agency model, or provisional for a
/// name neither knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// Slug id, stable for the same data.
    pub id: String,
    /// Jurisdiction id (`None` only for provisional agencies of documents whose
    /// jurisdiction is unknown).
    pub jurisdiction: Option<String>,
    /// Canonical name (for provisional agencies, the name as printed).
    pub name: String,
    /// English name, if known.
    pub name_en: Option<String>,
    /// Short forms and variants.
    pub aliases: Vec<String>,
    /// Kind: `government_department`, `party_organ`, `collective` …
    pub kind: String,
    /// `false` for provisional agencies created from unresolved names.
    pub resolved: bool,
    /// Where the agency is known from.
    pub origin: AgencyOrigin,
    /// Editorial note (e.g. a reviewed correction).
    pub note: Option<String>,
}

/// A theme of the controlled vocabulary (`data/themes.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Theme {
    /// Slug id: `online-healthcare`.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// What the theme covers.
    pub description: String,
    /// Keywords of which one occurrence tags a measure.
    pub strong: Vec<String>,
    /// Keywords that tag when one is in the title or two different ones are in the text.
    pub weak: Vec<String>,
}

/// A document cited by the corpus, deduplicated across citing documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedDocument {
    /// Slug id, stable for the same corpus.
    pub id: String,
    /// Title, if any citation gave one (the longest form seen).
    pub title: Option<String>,
    /// Document number, if any citation gave one.
    pub doc_number: Option<DocNumber>,
    /// Corpus document id when the cited document is in the corpus.
    pub document: Option<String>,
}

/// One citation of a cited document by a corpus document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossReference {
    /// Stable id: `{document}--r2`.
    pub id: String,
    /// Citing corpus document id.
    pub citing_document: String,
    /// Index into the citing document's `citations`.
    pub citation: usize,
    /// Id of the [`CitedDocument`].
    pub cited: String,
}

/// A warning with the document it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusWarning {
    /// Document id, or `None` for corpus-wide warnings.
    pub document: Option<String>,
    /// File the warning is about (`data/documents/x.txt`, `data/agencies.toml`).
    pub file: String,
    /// The warning.
    pub warning: Warning,
}

/// Everything parsed from a data folder, ready to be written by the loader.
#[derive(Debug, Clone, Serialize)]
pub struct Corpus {
    /// Jurisdictions, in file order.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Gazetteer agencies followed by provisional ones.
    pub agencies: Vec<Agency>,
    /// Themes, in file order.
    pub themes: Vec<Theme>,
    /// Parsed documents, sorted by id.
    pub documents: Vec<ParsedDocument>,
    /// Cited documents, deduplicated.
    pub cited_documents: Vec<CitedDocument>,
    /// Cross-references: each citation tied to its cited document.
    pub references: Vec<CrossReference>,
    /// All warnings of all documents plus corpus-wide ones.
    pub warnings: Vec<CorpusWarning>,
}

#[cfg(test)]
mod tests {
    use super::{AgencyOrigin, Role};

    #[test]
    fn each_name_stands_at_its_variant() {
        for (index, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role as usize, index);
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::Cooperating.as_str(), "cooperating");
        for (index, origin) in AgencyOrigin::ALL.into_iter().enumerate() {
            assert_eq!(origin as usize, index);
        }
        assert_eq!(AgencyOrigin::Provisional.as_str(), "provisional");
    }
}

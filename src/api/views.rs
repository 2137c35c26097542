//! The JSON shapes the API returns, with their OpenAPI schemas.
//!
//! Lists come in a [`ListEnvelope`] (`data`, `meta`, `links`, optional `facets`), single
//! records in an [`Item`] (`data`). Every record that stands for a piece of a document carries
//! a [`Source`]: the document id, the byte span in the document's source text, the lines and
//! the verbatim text, so that it can be quoted and checked.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::queries::agencies::{AgencyDetail, AgencyRecord, Partner, RoleCounts};
use crate::db::queries::documents::{
    DocumentCounts, DocumentDetail, DocumentRecord, OutlineNode, WarningRecord,
};
use crate::db::queries::goals::GoalRecord;
use crate::db::queries::index::Counts;
use crate::db::queries::jurisdictions::JurisdictionRecord;
use crate::db::queries::measures::{MeasureAgency, MeasureDeadline, MeasureRecord, MeasureTheme};
use crate::db::queries::references::{CitedDetail, CitedRecord, ReferenceRecord};
use crate::db::queries::themes::{ThemeDetail, ThemeDocumentCount, ThemeRecord};
use crate::db::queries::SourceRecord;

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

/// A page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListEnvelope<T> {
    /// The records of this page.
    pub data: Vec<T>,
    /// Size and position of the page.
    pub meta: Meta,
    /// Links to this page and the next.
    pub links: Links,
    /// Counts per value for each facet requested with `facet=…`, computed over every
    /// record matching the filters (all pages). Present only when a facet was requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<String, Vec<FacetValue>>>,
}

/// One record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Item<T> {
    /// The record.
    pub data: T,
}

impl<T> Item<T> {
    /// Wraps a record.
    pub fn new(data: T) -> Item<T> {
        Item { data }
    }
}

/// Size and position of a page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    /// Number of records matching the filters, all pages together (exact).
    #[schema(example = 48)]
    pub total: i64,
    /// Page size used.
    #[schema(example = 50)]
    pub limit: u32,
    /// Pass this as `cursor` to get the next page; `null` on the last page.
    #[schema(example = "eyJzIjoiZG9jdW1lbnQsb3JkaW5hbCIsImsiOlsieXViZWkiLDUwLCJ5dWJlaSJdfQ")]
    pub next_cursor: Option<String>,
}

/// Links of a page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Links {
    /// This page.
    #[serde(rename = "self")]
    #[schema(example = "/v1/measures?role=lead")]
    pub self_link: String,
    /// The next page, `null` on the last page.
    pub next: Option<String>,
}

/// One value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The value; pass it to the filter parameter named like the facet to narrow the list.
    #[schema(example = "yubei-economy-it-commission")]
    pub value: String,
    /// Human-readable label: a name or title where the value is an id.
    #[schema(example = "重庆市渝北区经济和信息化委员会")]
    pub label: String,
    /// Number of matching records with this value.
    #[schema(example = 12)]
    pub count: i64,
}

// ---------------------------------------------------------------------------------------------
// Shared parts
// ---------------------------------------------------------------------------------------------

/// Where a record stands in its document: provenance to quote and check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Source {
    /// Id of the document.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Byte offset of the first byte in the document's source text: the text extracted
    /// from its file, served as `/v1/documents/{id}/text?source=true` (for a UTF-8 text file
    /// the file itself).
    pub start: i64,
    /// Byte offset one past the last byte.
    pub end: i64,
    /// First line (1-based).
    pub line_start: i64,
    /// Last line (1-based, inclusive).
    pub line_end: i64,
    /// The source text of the span exactly as received.
    pub verbatim: String,
}

impl From<SourceRecord> for Source {
    fn from(record: SourceRecord) -> Source {
        Source {
            document: record.document,
            start: record.start,
            end: record.end,
            line_start: record.line_start,
            line_end: record.line_end,
            verbatim: record.verbatim,
        }
    }
}

/// The role of an agency on a measure.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
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

// ---------------------------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------------------------

/// An agency named on a measure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureAgencyView {
    /// Agency id (see `/v1/agencies/{id}`).
    #[schema(example = "yubei-urban-management-bureau")]
    pub id: String,
    /// Canonical name.
    #[schema(example = "重庆市渝北区城市管理局")]
    pub name: String,
    /// English name, where known.
    pub name_en: Option<String>,
    /// Role on this measure.
    #[schema(value_type = Role)]
    pub role: String,
    /// The name exactly as the annotation printed it.
    #[schema(example = "区城市管理局")]
    pub raw_name: String,
    /// Where the printed name stands in the document (for a name a document states once for
    /// all measures, such as `以下均需…落实`, that statement).
    pub source: Source,
}

impl From<MeasureAgency> for MeasureAgencyView {
    fn from(record: MeasureAgency) -> MeasureAgencyView {
        MeasureAgencyView {
            id: record.id,
            name: record.name,
            name_en: record.name_en,
            role: record.role,
            raw_name: record.raw_name,
            source: record.source.into(),
        }
    }
}

/// A time-bound commitment of a measure: `2019年6月底前`, `到2020年`, `6月底前完成`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineView {
    /// The phrase as printed.
    #[schema(example = "2019年6月底前")]
    pub text: String,
    /// The last day of the period the phrase names, `YYYY-MM-DD` (a phrase without a year
    /// takes the document's year); `null` when no year is known.
    #[schema(example = "2019-06-30")]
    pub date: Option<String>,
    /// Where the phrase stands in the document.
    pub source: Source,
}

impl From<MeasureDeadline> for DeadlineView {
    fn from(record: MeasureDeadline) -> DeadlineView {
        DeadlineView {
            text: record.text,
            date: record.date,
            source: record.source.into(),
        }
    }
}

/// A theme a measure is tagged with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeRef {
    /// Theme id.
    #[schema(example = "online-healthcare")]
    pub id: String,
    /// Chinese name.
    #[schema(example = "在线医疗")]
    pub name: String,
    /// English name.
    #[schema(example = "Online healthcare")]
    pub name_en: String,
}

impl From<MeasureTheme> for ThemeRef {
    fn from(record: MeasureTheme) -> ThemeRef {
        ThemeRef {
            id: record.id,
            name: record.name,
            name_en: record.name_en,
        }
    }
}

/// A measure: an actionable unit of a document, with the agencies charged with it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureView {
    /// Measure id: the document id and the position in the outline.
    #[schema(example = "yubei-2020-online-economy-plan--p5.s14.i25")]
    pub id: String,
    /// Document id.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Jurisdiction of the document.
    #[schema(example = "chongqing-yubei")]
    pub jurisdiction: Option<String>,
    /// Position among the document's measures (1-based).
    #[schema(example = 25)]
    pub ordinal: i64,
    /// Item number where the measure is a numbered item, else `null`.
    #[schema(example = 25)]
    pub number: Option<i64>,
    /// Label as printed: `25.` or `（五）`.
    #[schema(example = "25.")]
    pub label: String,
    /// Title (lead phrase), or `null`.
    pub title: Option<String>,
    /// Normalized text, agency annotation excluded.
    pub text: String,
    /// Headings of the outline above the measure, outermost first.
    pub path: Vec<String>,
    /// The agency annotation as printed, or `null`.
    pub annotation: Option<String>,
    /// Agencies named in the measure's annotations, in reading order, each with the source
    /// of its printed name.
    pub agencies: Vec<MeasureAgencyView>,
    /// Themes the measure is tagged with.
    pub themes: Vec<ThemeRef>,
    /// Time-bound commitments in the measure, in reading order (`deadline_from` and
    /// `deadline_to` filter by their dates).
    pub deadlines: Vec<DeadlineView>,
    /// Where the measure stands in the document.
    pub source: Source,
}

impl From<MeasureRecord> for MeasureView {
    fn from(record: MeasureRecord) -> MeasureView {
        MeasureView {
            id: record.id,
            document: record.document,
            jurisdiction: record.jurisdiction,
            ordinal: record.ordinal,
            number: record.number,
            label: record.label,
            title: record.title,
            text: record.text,
            path: record.path,
            annotation: record.annotation,
            agencies: record.agencies.into_iter().map(Into::into).collect(),
            themes: record.themes.into_iter().map(Into::into).collect(),
            deadlines: record.deadlines.into_iter().map(Into::into).collect(),
            source: record.source.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/// Counts of what the parser found in a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentCountsView {
    /// Measures.
    pub measures: i64,
    /// Goals.
    pub goals: i64,
    /// References to other documents.
    pub references: i64,
    /// Links between measures and agencies.
    pub agency_links: i64,
    /// Agency names the gazetteer could not resolve.
    pub unresolved_agencies: i64,
    /// Parser warnings.
    pub warnings: i64,
}

impl From<DocumentCounts> for DocumentCountsView {
    fn from(record: DocumentCounts) -> DocumentCountsView {
        DocumentCountsView {
            measures: record.measures,
            goals: record.goals,
            references: record.references,
            agency_links: record.agency_links,
            unresolved_agencies: record.unresolved_agencies,
            warnings: record.warnings,
        }
    }
}

/// A policy document's metadata.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    /// Document id (the file name without `.txt`).
    #[schema(example = "chongqing-2015-internet-plus-plan")]
    pub id: String,
    /// Title.
    #[schema(example = "重庆市“互联网+”行动计划")]
    pub title: String,
    /// Issuing body as printed.
    #[schema(example = "重庆市人民政府办公厅")]
    pub issuer: Option<String>,
    /// Jurisdiction id (see `/v1/jurisdictions`).
    #[schema(example = "chongqing")]
    pub jurisdiction: Option<String>,
    /// Document number (文号).
    #[schema(example = "渝府办发〔2020〕25号")]
    pub doc_number: Option<String>,
    /// Date of issue, `YYYY-MM-DD`.
    #[schema(example = "2015-12-31")]
    pub date: Option<String>,
    /// Year of issue.
    #[schema(example = 2015)]
    pub year: Option<i64>,
    /// Kind of document: 实施方案, 行动计划, 实施意见, 工作方案, 复函 …
    #[schema(example = "行动计划")]
    pub kind: String,
    /// `final`, or `draft` for a consultation draft (征求意见稿).
    #[schema(example = "final")]
    pub status: String,
    /// First day of the consultation period of a draft.
    pub consultation_start: Option<String>,
    /// Last day of the consultation period of a draft.
    pub consultation_end: Option<String>,
    /// File name in the data folder.
    pub file_name: String,
    /// Encoding the file's text was stored in: `UTF-8`, `GB18030` or `GBK` for text and
    /// HTML pages, `UTF-8` for DOCX, `UTF-16BE` (ToUnicode maps) for PDF.
    #[schema(example = "UTF-8")]
    pub encoding: String,
    /// SHA-256 of the file's bytes, to check a copy against.
    pub sha256: String,
    /// Format of the file as received: `txt`, `html` (also `.htm`), `docx` or `pdf`.
    #[schema(example = "txt")]
    pub format: String,
    /// Name and version of the extractor that turned the file into the source text every
    /// span points into (`/v1/documents/{id}/text?source=true`).
    #[schema(example = "zhengce-txt/1")]
    pub extractor: String,
    /// What the parser found.
    pub counts: DocumentCountsView,
}

impl From<DocumentRecord> for DocumentView {
    fn from(record: DocumentRecord) -> DocumentView {
        DocumentView {
            id: record.id,
            title: record.title,
            issuer: record.issuer,
            jurisdiction: record.jurisdiction,
            doc_number: record.doc_number,
            date: record.date,
            year: record.year,
            kind: record.kind,
            status: record.status,
            consultation_start: record.consultation_start,
            consultation_end: record.consultation_end,
            file_name: record.file_name,
            encoding: record.encoding,
            sha256: record.sha256,
            format: record.format,
            extractor: record.extractor,
            counts: record.counts.into(),
        }
    }
}

/// A byte and line span in a document's source text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: i64,
    /// Byte offset one past the last byte.
    pub end: i64,
    /// First line (1-based).
    pub line_start: i64,
    /// Last line (1-based, inclusive).
    pub line_end: i64,
}

/// A node of a document's numbered outline (`一、` → `（一）` → `1.` → `（1）`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutlineNodeView {
    /// Provision id; for a measure also its measure id.
    #[schema(example = "yubei-2020-online-economy-plan--p3")]
    pub id: String,
    /// `part`, `section`, `item` or `subitem`.
    #[schema(example = "part")]
    pub level: String,
    /// Label as printed.
    #[schema(example = "三、")]
    pub label: String,
    /// The number the label stands for (`（二十五）` → 25).
    #[schema(example = 3)]
    pub number: i64,
    /// Heading, or `null`.
    pub title: Option<String>,
    /// The node's own text, children excluded.
    pub text: String,
    /// Whether the node is a measure (see `/v1/measures/{id}`).
    pub is_measure: bool,
    /// Span covering the node and its children.
    pub span: Span,
    /// Nodes below, in document order.
    #[schema(no_recursion)]
    pub children: Vec<OutlineNodeView>,
}

impl From<OutlineNode> for OutlineNodeView {
    fn from(node: OutlineNode) -> OutlineNodeView {
        OutlineNodeView {
            id: node.id,
            level: node.level,
            label: node.label,
            number: node.number,
            title: node.title,
            text: node.text,
            is_measure: node.is_measure,
            span: Span {
                start: node.start,
                end: node.end,
                line_start: node.line_start,
                line_end: node.line_end,
            },
            children: node.children.into_iter().map(Into::into).collect(),
        }
    }
}

/// Something the parser noticed in a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WarningView {
    /// Kind: `unresolved_agency`, `measure_without_agencies`, `numbering_gap`,
    /// `unparsed_annotation`, `unknown_jurisdiction`, `conflicting_jurisdiction` (the
    /// issuer, document number, title or opening point to different jurisdictions),
    /// `unresolved_reference`, `legacy_encoding`, `missing_metadata`.
    #[schema(example = "unresolved_agency")]
    pub kind: String,
    /// Line (1-based), where it applies.
    pub line: Option<i64>,
    /// Explanation.
    pub message: String,
}

impl From<WarningRecord> for WarningView {
    fn from(record: WarningRecord) -> WarningView {
        WarningView {
            kind: record.kind,
            line: record.line,
            message: record.message,
        }
    }
}

/// A document with its outline and the parser's warnings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDetailView {
    /// Metadata.
    #[serde(flatten)]
    pub document: DocumentView,
    /// The numbered outline as a tree.
    pub outline: Vec<OutlineNodeView>,
    /// Parser warnings.
    pub warnings: Vec<WarningView>,
}

impl From<DocumentDetail> for DocumentDetailView {
    fn from(detail: DocumentDetail) -> DocumentDetailView {
        DocumentDetailView {
            document: detail.document.into(),
            outline: detail.outline.into_iter().map(Into::into).collect(),
            warnings: detail.warnings.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------------------------

/// Number of distinct measures per role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleCountsView {
    /// Measures the agency leads (牵头).
    pub lead: i64,
    /// Measures it cooperates on (配合).
    pub cooperating: i64,
    /// Measures it is responsible for (负责).
    pub responsible: i64,
    /// Measures it guides (指导).
    pub guide: i64,
    /// Measures it participates in (参与).
    pub participate: i64,
}

impl From<RoleCounts> for RoleCountsView {
    fn from(record: RoleCounts) -> RoleCountsView {
        RoleCountsView {
            lead: record.lead,
            cooperating: record.cooperating,
            responsible: record.responsible,
            guide: record.guide,
            participate: record.participate,
        }
    }
}

/// Where an agency record is known from.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The hand gazetteer (`data/agencies.toml`): canonical names, aliases, English names.
    Gazetteer,
    /// The standard-agency model (`data/agency_model.toml`): a department a government of
    /// its level normally has, instantiated for the jurisdiction (省商务厅 in an Anhui
    /// document is 安徽省商务厅), or one of the national bodies or collectives.
    Model,
    /// A name as printed that neither the gazetteer nor the model resolved.
    Provisional,
}

/// A government body, party organ, company or collective named in the documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyView {
    /// Agency id.
    #[schema(example = "yubei-urban-management-bureau")]
    pub id: String,
    /// Canonical full name.
    #[schema(example = "重庆市渝北区城市管理局")]
    pub name: String,
    /// English name, where known.
    pub name_en: Option<String>,
    /// Short forms and variants printed in documents.
    pub aliases: Vec<String>,
    /// Kind: `government_department`, `party_organ`, `collective`, `company` …
    #[schema(example = "government_department")]
    pub kind: String,
    /// Jurisdiction id.
    #[schema(example = "chongqing-yubei")]
    pub jurisdiction: Option<String>,
    /// `true` for agencies from the gazetteer or the standard-agency model; `false` for
    /// names neither knows, kept as provisional agencies.
    pub resolved: bool,
    /// Where the agency record is known from.
    #[schema(value_type = Origin, example = "gazetteer")]
    pub origin: String,
    /// Editorial note.
    pub note: Option<String>,
    /// Distinct measures the agency is named on, in any role.
    pub measure_count: i64,
    /// Distinct measures per role.
    pub measure_counts: RoleCountsView,
}

impl From<AgencyRecord> for AgencyView {
    fn from(record: AgencyRecord) -> AgencyView {
        AgencyView {
            id: record.id,
            name: record.name,
            name_en: record.name_en,
            aliases: record.aliases,
            kind: record.kind,
            jurisdiction: record.jurisdiction,
            resolved: record.resolved,
            origin: record.origin,
            note: record.note,
            measure_count: record.measure_count,
            measure_counts: record.measure_counts.into(),
        }
    }
}

/// An agency that shares measures with another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartnerView {
    /// Agency id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Number of measures both are named on.
    pub count: i64,
}

impl From<Partner> for PartnerView {
    fn from(record: Partner) -> PartnerView {
        PartnerView {
            id: record.id,
            name: record.name,
            name_en: record.name_en,
            count: record.count,
        }
    }
}

/// An agency with the agencies it shares measures with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyDetailView {
    /// The agency.
    #[serde(flatten)]
    pub agency: AgencyView,
    /// Agencies named on the same measures, most shared measures first.
    pub partners: Vec<PartnerView>,
}

impl From<AgencyDetail> for AgencyDetailView {
    fn from(detail: AgencyDetail) -> AgencyDetailView {
        AgencyDetailView {
            agency: detail.agency.into(),
            partners: detail.partners.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Goals
// ---------------------------------------------------------------------------------------------

/// A quantified target with a year: `到2018年 … 软件和信息服务业产值达2500亿元`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalView {
    /// Goal id.
    #[schema(example = "chongqing-2015-internet-plus-plan--g4")]
    pub id: String,
    /// Document id.
    #[schema(example = "chongqing-2015-internet-plus-plan")]
    pub document: String,
    /// Position among the document's goals (1-based).
    pub ordinal: i64,
    /// What is measured.
    #[schema(example = "软件和信息服务业产值")]
    pub metric: String,
    /// The target value in the printed unit.
    #[schema(example = 2500.0)]
    pub value: f64,
    /// The value as printed.
    #[schema(example = "2500")]
    pub value_text: String,
    /// Unit as printed.
    #[schema(example = "亿元")]
    pub unit: String,
    /// `eq`, `gte` (at least), `gt` (more than), `lte` (at most) or `approx`.
    #[schema(example = "eq")]
    pub comparator: String,
    /// The words that gave the comparator (`达到`, `以上` …).
    pub comparator_text: String,
    /// Target year.
    #[schema(example = 2018)]
    pub year: Option<i64>,
    /// The value in base units (亿元 → yuan), where the unit converts.
    #[schema(example = 250000000000.0)]
    pub value_base: Option<f64>,
    /// The base unit: `yuan`, `percent`, `count` …
    #[schema(example = "yuan")]
    pub base_unit: Option<String>,
    /// The sentence the goal came from.
    pub text: String,
    /// The clause of the sentence that states the goal.
    pub clause: String,
    /// Where the goal stands in the document.
    pub source: Source,
}

impl From<GoalRecord> for GoalView {
    fn from(record: GoalRecord) -> GoalView {
        GoalView {
            id: record.id,
            document: record.document,
            ordinal: record.ordinal,
            metric: record.metric,
            value: record.value,
            value_text: record.value_text,
            unit: record.unit,
            comparator: record.comparator,
            comparator_text: record.comparator_text,
            year: record.year,
            value_base: record.value_base,
            base_unit: record.base_unit,
            text: record.sentence,
            clause: record.clause,
            source: record.source.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/// A document cited by the corpus; one record per cited document, shared by all citations.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CitedView {
    /// Cited-document id (see `/v1/references/cited/{id}`).
    #[schema(example = "yu-fu-ban-fa-2020-25")]
    pub id: String,
    /// Title, the longest form any citation gave.
    #[schema(example = "重庆市人民政府办公厅关于加快线上业态线上服务线上管理发展的意见")]
    pub title: Option<String>,
    /// Document number.
    #[schema(example = "渝府办发〔2020〕25号")]
    pub doc_number: Option<String>,
    /// Corpus document id when the cited document is in the corpus, else `null`.
    pub document: Option<String>,
}

impl From<CitedRecord> for CitedView {
    fn from(record: CitedRecord) -> CitedView {
        CitedView {
            id: record.id,
            title: record.title,
            doc_number: record.doc_number,
            document: record.document,
        }
    }
}

/// One citation of another document by a corpus document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceView {
    /// Reference id.
    #[schema(example = "yubei-2020-online-economy-plan--r1")]
    pub id: String,
    /// Citing document id.
    #[schema(example = "yubei-2020-online-economy-plan")]
    pub document: String,
    /// Position among the citing document's citations (1-based).
    pub ordinal: i64,
    /// The citation as printed.
    pub raw: String,
    /// Title as this citation printed it.
    pub title: Option<String>,
    /// Document number as this citation printed it.
    pub doc_number: Option<String>,
    /// The cited document.
    pub cited: CitedView,
    /// The sentence the citation stands in.
    pub context: String,
    /// Where the citation stands in the citing document.
    pub source: Source,
}

impl From<ReferenceRecord> for ReferenceView {
    fn from(record: ReferenceRecord) -> ReferenceView {
        ReferenceView {
            id: record.id,
            document: record.document,
            ordinal: record.ordinal,
            raw: record.raw,
            title: record.title,
            doc_number: record.doc_number,
            cited: record.cited.into(),
            context: record.context,
            source: record.source.into(),
        }
    }
}

/// A cited document with every citation of it in the corpus.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CitedDetailView {
    /// The cited document.
    #[serde(flatten)]
    pub cited: CitedView,
    /// Every citation of it, by citing document.
    pub references: Vec<ReferenceView>,
}

impl From<CitedDetail> for CitedDetailView {
    fn from(detail: CitedDetail) -> CitedDetailView {
        CitedDetailView {
            cited: detail.cited.into(),
            references: detail.references.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Themes
// ---------------------------------------------------------------------------------------------

/// The keyword rules that tag a measure with a theme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeywordsView {
    /// One occurrence tags the measure.
    pub strong: Vec<String>,
    /// Tag when one is in the title or two different ones are in the text.
    pub weak: Vec<String>,
}

/// A theme of the controlled vocabulary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeView {
    /// Theme id.
    #[schema(example = "online-healthcare")]
    pub id: String,
    /// Chinese name.
    #[schema(example = "在线医疗")]
    pub name: String,
    /// English name.
    #[schema(example = "Online healthcare")]
    pub name_en: String,
    /// What the theme covers.
    pub description: String,
    /// How measures are tagged with it.
    pub keywords: KeywordsView,
    /// Number of measures tagged with it.
    pub measure_count: i64,
}

impl From<ThemeRecord> for ThemeView {
    fn from(record: ThemeRecord) -> ThemeView {
        ThemeView {
            id: record.id,
            name: record.name,
            name_en: record.name_en,
            description: record.description,
            keywords: KeywordsView {
                strong: record.keywords.strong,
                weak: record.keywords.weak,
            },
            measure_count: record.measure_count,
        }
    }
}

/// How many of a document's measures carry a theme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeDocumentView {
    /// Document id.
    pub document: String,
    /// Document title.
    pub title: String,
    /// Jurisdiction id of the document.
    pub jurisdiction: Option<String>,
    /// Jurisdiction name.
    pub jurisdiction_name: Option<String>,
    /// Measures of the document tagged with the theme.
    pub count: i64,
    /// All measures of the document (for shares).
    pub measures: i64,
}

impl From<ThemeDocumentCount> for ThemeDocumentView {
    fn from(record: ThemeDocumentCount) -> ThemeDocumentView {
        ThemeDocumentView {
            document: record.document,
            title: record.title,
            jurisdiction: record.jurisdiction,
            jurisdiction_name: record.jurisdiction_name,
            count: record.count,
            measures: record.measures,
        }
    }
}

/// A theme with its measure counts per document, for theme × jurisdiction comparisons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeDetailView {
    /// The theme.
    #[serde(flatten)]
    pub theme: ThemeView,
    /// Every document with the number of its measures tagged with the theme (0 included).
    pub documents: Vec<ThemeDocumentView>,
}

impl From<ThemeDetail> for ThemeDetailView {
    fn from(detail: ThemeDetail) -> ThemeDetailView {
        ThemeDetailView {
            theme: detail.theme.into(),
            documents: detail.documents.into_iter().map(Into::into).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Jurisdictions
// ---------------------------------------------------------------------------------------------

/// A place documents and agencies belong to; jurisdictions form a tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JurisdictionView {
    /// Jurisdiction id.
    #[schema(example = "chongqing-yubei")]
    pub id: String,
    /// Chinese name.
    #[schema(example = "渝北区")]
    pub name: String,
    /// English name.
    #[schema(example = "Yubei District, Chongqing")]
    pub name_en: String,
    /// `national`, `province`, `municipality`, `prefecture`, `district` or `county`.
    #[schema(example = "district")]
    pub level: String,
    /// Parent jurisdiction id.
    #[schema(example = "chongqing")]
    pub parent: Option<String>,
    /// Other names that identify it.
    pub aliases: Vec<String>,
    /// GB/T 2260 code of the division (`000000` for the nation), where known.
    #[schema(example = "500112")]
    pub code: Option<String>,
    /// Ids of the jurisdictions directly below.
    pub children: Vec<String>,
    /// Documents of this jurisdiction itself.
    pub document_count: i64,
    /// Documents of this jurisdiction and all below it (what `jurisdiction=` filters match).
    pub document_count_with_children: i64,
}

impl From<JurisdictionRecord> for JurisdictionView {
    fn from(record: JurisdictionRecord) -> JurisdictionView {
        JurisdictionView {
            id: record.id,
            name: record.name,
            name_en: record.name_en,
            level: record.level,
            parent: record.parent,
            aliases: record.aliases,
            code: record.code,
            children: record.children,
            document_count: record.document_count,
            document_count_with_children: record.document_count_with_children,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Index and probes
// ---------------------------------------------------------------------------------------------

/// Number of records per resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountsView {
    /// Documents.
    pub documents: i64,
    /// Measures.
    pub measures: i64,
    /// Agencies.
    pub agencies: i64,
    /// Links between measures and agencies.
    pub agency_links: i64,
    /// Goals.
    pub goals: i64,
    /// Citations.
    pub references: i64,
    /// Distinct cited documents.
    pub cited_documents: i64,
    /// Themes.
    pub themes: i64,
    /// Jurisdictions.
    pub jurisdictions: i64,
}

impl From<Counts> for CountsView {
    fn from(record: Counts) -> CountsView {
        CountsView {
            documents: record.documents,
            measures: record.measures,
            agencies: record.agencies,
            agency_links: record.agency_links,
            goals: record.goals,
            references: record.references,
            cited_documents: record.cited_documents,
            themes: record.themes,
            jurisdictions: record.jurisdictions,
        }
    }
}

/// The loaded dataset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetView {
    /// Version of the data: a hash that changes whenever the loaded data changes.
    #[schema(example = "3f2a9c01d4e5b6a7")]
    pub version: Option<String>,
    /// Every fact the loader recorded (`version`, `loaded_at`, counts …).
    pub facts: BTreeMap<String, String>,
}

/// Where the data comes from and the terms it is offered under.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LicenceView {
    /// The source documents.
    pub source: String,
    /// The legal status of the source documents.
    pub source_status: String,
    /// Licence of the derived data.
    #[schema(example = "CC BY 4.0")]
    pub licence: String,
    /// Text of the licence.
    #[schema(example = "https://creativecommons.org/licenses/by/4.0/")]
    pub licence_url: String,
    /// How to attribute the data.
    pub attribution: String,
}

/// Links to every resource of the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexLinks {
    /// This index.
    #[serde(rename = "self")]
    pub self_link: String,
    /// Documents.
    pub documents: String,
    /// Measures.
    pub measures: String,
    /// Agencies.
    pub agencies: String,
    /// Goals.
    pub goals: String,
    /// Cross-references.
    pub references: String,
    /// Themes.
    pub themes: String,
    /// Jurisdictions.
    pub jurisdictions: String,
    /// Full-text search across measures, documents, goals and agencies: a URI template
    /// (RFC 6570) taking the query `q`.
    #[schema(example = "/v1/search{?q}")]
    pub search: String,
    /// The Atom feed of measures (takes the filters of `/v1/measures`).
    #[schema(example = "/v1/measures.atom")]
    pub measures_feed: String,
    /// The bulk files.
    #[schema(example = "/v1/downloads")]
    pub downloads: String,
    /// The OpenAPI document.
    pub openapi: String,
    /// Interactive documentation.
    pub docs: String,
    /// Liveness probe.
    pub health: String,
    /// Readiness probe.
    pub ready: String,
}

/// Which way of getting the data to use when: the API for queries, feeds for following,
/// bulk files for analysis.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuideView {
    /// When to use the API.
    pub queries: String,
    /// When to use the Atom feeds.
    pub following: String,
    /// When to use the bulk files.
    pub analysis: String,
    /// The formats every list answers in.
    pub formats: String,
}

/// The API's entry point.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexView {
    /// Name of the service.
    #[schema(example = "zhengce")]
    pub name: String,
    /// What the service offers.
    pub description: String,
    /// API version (the path prefix).
    #[schema(example = "v1")]
    pub api_version: String,
    /// Version of the server software.
    pub server_version: String,
    /// The loaded dataset.
    pub dataset: DatasetView,
    /// Number of records per resource.
    pub counts: CountsView,
    /// Source and licence.
    pub licence: LicenceView,
    /// Which way of getting the data to use when.
    pub guide: GuideView,
    /// Links to every resource.
    pub links: IndexLinks,
}

/// Answer of the health and readiness probes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusView {
    /// `ok` or `ready`.
    #[schema(example = "ok")]
    pub status: String,
}

//! The parser's rules on small hand-written documents that the corpus does not contain.
//!
//! Each test writes its own data folder (jurisdictions, gazetteer, themes, optional
//! manifest and documents) into a temporary directory and parses it with `load_corpus`.
//! The folder describes a made-up province 某某省 with a city 甲乙市 and two districts,
//! 东湖区 and 西山区, under the national root 中国. Forms covered: the outline, measures,
//! agency annotations and their resolution, goals, cross-references, metadata, text
//! repairs, encodings and data faults.

mod common;

use std::path::Path;

use common::corpus::{assert_spans_quote_the_source, citation_titled, close};
use tempfile::TempDir;
use zhengce::corpus::normalize::normalize;
use zhengce::corpus::Role::{Cooperating, Guide, Lead, Participate, Responsible};
use zhengce::corpus::{
    load_corpus, AgencyMention, Citation, CitedDocument, Comparator, Corpus, CorpusError,
    DocumentStatus, Level, Measure, ParsedDocument, Role, WarningKind,
};

// ---------------------------------------------------------------------------------------
// The data folder
// ---------------------------------------------------------------------------------------

const JURISDICTIONS: &str = r#"
[[jurisdiction]]
id = "china"
name = "中国"
name_en = "China"
level = "national"
aliases = ["国家", "国务院"]

[[jurisdiction]]
id = "testprov"
name = "某某省"
name_en = "Test Province"
level = "province"
parent = "china"

[[jurisdiction]]
id = "testprov-city"
name = "甲乙市"
name_en = "Jiayi City"
level = "prefecture"
parent = "testprov"

[[jurisdiction]]
id = "testprov-city-east"
name = "东湖区"
name_en = "Donghu District"
level = "district"
parent = "testprov-city"
aliases = ["甲乙市东湖区"]

[[jurisdiction]]
id = "testprov-city-west"
name = "西山区"
name_en = "Xishan District"
level = "district"
parent = "testprov-city"
aliases = ["甲乙市西山区"]
"#;

const AGENCIES: &str = r#"
[[agency]]
id = "china-mee"
jurisdiction = "china"
name = "生态环境部"
name_en = "Ministry of Ecology and Environment"
kind = "government_department"

[[agency]]
id = "china-ndrc"
jurisdiction = "china"
name = "国家发展和改革委员会"
aliases = ["国家发展改革委"]
name_en = "National Development and Reform Commission"
kind = "government_department"

[[agency]]
id = "china-moa"
jurisdiction = "china"
name = "农业农村部"
name_en = "Ministry of Agriculture and Rural Affairs"
kind = "government_department"

[[agency]]
id = "china-samr"
jurisdiction = "china"
name = "国家市场监督管理总局"
aliases = ["市场监管总局"]
name_en = "State Administration for Market Regulation"
kind = "government_department"

[[agency]]
id = "china-miit"
jurisdiction = "china"
name = "工业和信息化部"
name_en = "Ministry of Industry and Information Technology"
kind = "government_department"

[[agency]]
id = "prov-ecology"
jurisdiction = "testprov"
name = "某某省生态环境厅"
aliases = ["省生态环境厅"]
name_en = "Provincial Department of Ecology and Environment"
kind = "government_department"

[[agency]]
id = "city-commerce"
jurisdiction = "testprov-city"
name = "甲乙市商务局"
aliases = ["市商务局"]
name_en = "Jiayi Commerce Bureau"
kind = "government_department"

[[agency]]
id = "city-districts"
jurisdiction = "testprov-city"
name = "各区、县级市"
name_en = "All districts and county-level cities"
kind = "collective"

[[agency]]
id = "east-commerce"
jurisdiction = "testprov-city-east"
name = "东湖区商务委员会"
aliases = ["区商务委"]
name_en = "Donghu Commerce Commission"
kind = "government_department"

[[agency]]
id = "east-development"
jurisdiction = "testprov-city-east"
name = "东湖区发展和改革委员会"
aliases = ["区发展改革委"]
name_en = "Donghu Development and Reform Commission"
kind = "government_department"

[[agency]]
id = "east-office"
jurisdiction = "testprov-city-east"
name = "东湖区人民政府办公室"
aliases = ["区政府办", "区政府办公室"]
name_en = "Donghu District Government Office"
kind = "government_office"

[[agency]]
id = "west-commerce"
jurisdiction = "testprov-city-west"
name = "西山区商务委员会"
aliases = ["区商务委"]
name_en = "Xishan Commerce Commission"
kind = "government_department"

[[agency]]
id = "west-culture"
jurisdiction = "testprov-city-west"
name = "西山区文化和旅游局"
aliases = ["区文旅局"]
name_en = "Xishan Culture and Tourism Bureau"
kind = "government_department"
"#;

const THEMES: &str = r#"
[[theme]]
id = "online-healthcare"
name = "在线医疗"
name_en = "Online healthcare"
strong = ["互联网医院", "在线医疗"]
weak = ["医疗", "问诊"]

[[theme]]
id = "online-education"
name = "在线教育"
name_en = "Online education"
strong = ["在线教育"]
weak = ["教育", "课堂"]
"#;

/// A data folder in a temporary directory.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    /// A folder with the standard jurisdictions, gazetteer and themes, and no documents.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("documents")).expect("documents dir");
        let fixture = Fixture { dir };
        fixture.file("jurisdictions.toml", JURISDICTIONS);
        fixture.file("agencies.toml", AGENCIES);
        fixture.file("themes.toml", THEMES);
        fixture
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file of the data folder (relative path).
    fn bytes(&self, relative: &str, content: &[u8]) -> &Fixture {
        std::fs::write(self.path().join(relative), content).expect("write");
        self
    }

    fn file(&self, relative: &str, content: &str) -> &Fixture {
        self.bytes(relative, content.as_bytes())
    }

    /// Writes `documents/{id}.txt`.
    fn doc(&self, id: &str, text: &str) -> &Fixture {
        self.file(&format!("documents/{id}.txt"), text)
    }

    fn load(&self) -> Corpus {
        load_corpus(self.path()).unwrap_or_else(|e| panic!("load failed: {e}"))
    }

    fn load_err(&self) -> CorpusError {
        match load_corpus(self.path()) {
            Ok(_) => panic!("the load should have failed"),
            Err(error) => error,
        }
    }

    /// Asserts that the folder does not load, the error naming `file`, the `line` where
    /// given, and `reason`.
    fn assert_refused(&self, file: &str, line: Option<usize>, reason: &str) {
        let error = self.load_err();
        assert!(error.file.ends_with(file), "{error}");
        let place = match line {
            Some(line) => {
                assert_eq!(error.line, Some(line), "{error}");
                format!("{file}:{line}")
            }
            None => file.to_owned(),
        };
        assert!(error.reason.contains(reason), "{error}");
        assert!(error.to_string().contains(&place), "{error}");
    }
}

/// Loads a folder holding the given documents.
fn load(documents: &[(&str, &str)]) -> Corpus {
    let fixture = Fixture::new();
    for (id, text) in documents {
        fixture.doc(id, text);
    }
    fixture.load()
}

fn document<'a>(corpus: &'a Corpus, id: &str) -> &'a ParsedDocument {
    by_id(&corpus.documents, id, |d| &d.id)
}

fn warnings_of(corpus: &Corpus, id: &str, kind: WarningKind) -> Vec<String> {
    corpus
        .warnings
        .iter()
        .filter(|w| w.document.as_deref() == Some(id) && w.warning.kind == kind)
        .map(|w| w.warning.message.clone())
        .collect()
}

fn labels(doc: &ParsedDocument) -> Vec<&str> {
    doc.measures.iter().map(|m| m.label.as_str()).collect()
}

fn parent_label<'a>(doc: &'a ParsedDocument, measure: &Measure) -> &'a str {
    let parent = doc.outline[measure.provision]
        .parent
        .expect("measure has a parent");
    &doc.outline[parent].label
}

/// (raw name, role) pairs of a measure.
fn mentions(measure: &Measure) -> Vec<(&str, Role)> {
    measure
        .agencies
        .iter()
        .map(|a| (a.raw_name.as_str(), a.role))
        .collect()
}

fn mention<'a>(measure: &'a Measure, raw_name: &str) -> &'a AgencyMention {
    measure
        .agencies
        .iter()
        .find(|a| a.raw_name == raw_name)
        .unwrap_or_else(|| {
            panic!(
                "{}: no mention of {raw_name}: {:?}",
                measure.id, measure.agencies
            )
        })
}

fn cited_for<'a>(corpus: &'a Corpus, document: &str, citation: usize) -> &'a CitedDocument {
    let reference = corpus
        .references
        .iter()
        .find(|r| r.citing_document == document && r.citation == citation)
        .unwrap_or_else(|| panic!("no reference for {document} citation {citation}"));
    corpus
        .cited_documents
        .iter()
        .find(|c| c.id == reference.cited)
        .expect("cited document exists")
}

/// 1-based line of the first source line that starts with `prefix`.
fn line_starting(source: &str, prefix: &str) -> usize {
    source
        .lines()
        .position(|line| line.starts_with(prefix))
        .map(|index| index + 1)
        .unwrap_or_else(|| panic!("no line starts with {prefix}"))
}

/// The ids of a document's measures, in order.
fn measure_ids(doc: &ParsedDocument) -> Vec<&str> {
    doc.measures.iter().map(|m| m.id.as_str()).collect()
}

/// Asserts that the measures of `doc` are its provisions `provisions` (their ids without the
/// document's id), in order.
fn assert_measures(doc: &ParsedDocument, provisions: &[&str]) {
    let expected: Vec<String> = provisions
        .iter()
        .map(|provision| format!("{}--{provision}", doc.id))
        .collect();
    assert_eq!(measure_ids(doc), expected);
}

/// The names and roles of each measure of a document.
fn mentions_of_each(doc: &ParsedDocument) -> Vec<Vec<(&str, Role)>> {
    doc.measures.iter().map(mentions).collect()
}

/// The mention of `raw_name` in measure `index` of document `id`.
fn mention_in<'a>(
    corpus: &'a Corpus,
    (id, index): (&str, usize),
    raw_name: &str,
) -> &'a AgencyMention {
    mention(&document(corpus, id).measures[index], raw_name)
}

/// The record of `records` whose id (`id_of`) is `id`.
fn by_id<'a, T>(records: &'a [T], id: &str, id_of: impl Fn(&T) -> &str) -> &'a T {
    records
        .iter()
        .find(|record| id_of(record) == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

fn agency_record<'a>(corpus: &'a Corpus, id: &str) -> &'a zhengce::corpus::Agency {
    by_id(&corpus.agencies, id, |a| &a.id)
}

fn jurisdiction_record<'a>(corpus: &'a Corpus, id: &str) -> &'a zhengce::corpus::Jurisdiction {
    by_id(&corpus.jurisdictions, id, |j| &j.id)
}

/// The text, issuer code, year and serial of a citation's document number.
fn number_parts(citation: &Citation) -> (&str, &str, i32, i32) {
    let number = citation.doc_number.as_ref().expect("number");
    (
        number.text.as_str(),
        number.issuer_code.as_str(),
        number.year,
        number.serial,
    )
}

// ---------------------------------------------------------------------------------------
// Outline
// ---------------------------------------------------------------------------------------

const OUTLINE_RESTARTING: &str = "东湖区关于推进数字经济发展的实施方案
为推进数字经济高质量发展，制定本方案。
一、主要任务
(一)培育数字产业
1.建设数字产业园，推动企业集聚发展。（牵头单位：区商务委）
2. 发展软件产业，支持软件企业做大做强。（牵头单位：区发展改革委）
（二） 发展数字服务
1.推广在线服务，具体包括：
（1）推广在线课堂服务；
(2) 推广远程问诊服务。（牵头单位：区商务委）
2.发展智慧物流，建设智能配送网络。（牵头单位：区商务委）
二、保障措施
(三) 加强组织领导
1.建立工作推进机制，定期研究重大问题。（牵头单位：区政府办）
（四）加大资金支持
1.统筹安排专项资金，支持重点项目建设。（牵头单位：区发展改革委）
";

#[test]
fn outline_reads_full_and_half_width_parentheses_with_and_without_space() {
    let corpus = load(&[("outline-restart", OUTLINE_RESTARTING)]);
    let doc = document(&corpus, "outline-restart");
    let sections: Vec<(&str, Option<&str>)> = doc
        .outline
        .iter()
        .filter(|p| p.level == Level::Section)
        .map(|p| (p.label.as_str(), p.title.as_deref()))
        .collect();
    assert_eq!(
        sections,
        vec![
            ("（一）", Some("培育数字产业")),
            ("（二）", Some("发展数字服务")),
            ("（三）", Some("加强组织领导")),
            ("（四）", Some("加大资金支持")),
        ]
    );
    let parts: Vec<&str> = doc
        .outline
        .iter()
        .filter(|p| p.level == Level::Part)
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(parts, ["一、", "二、"]);
    let subitems: Vec<&str> = doc
        .outline
        .iter()
        .filter(|p| p.level == Level::Subitem)
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(subitems, ["（1）", "（2）"]);
}

#[test]
fn item_numbers_restarting_per_section_are_not_a_gap() {
    let corpus = load(&[("outline-restart", OUTLINE_RESTARTING)]);
    let doc = document(&corpus, "outline-restart");
    assert_eq!(labels(doc), ["1.", "2.", "1.", "2.", "1.", "1."]);
    let parents: Vec<&str> = doc.measures.iter().map(|m| parent_label(doc, m)).collect();
    assert_eq!(
        parents,
        ["（一）", "（一）", "（二）", "（二）", "（三）", "（四）"]
    );
    assert!(
        warnings_of(&corpus, "outline-restart", WarningKind::NumberingGap).is_empty(),
        "{:?}",
        corpus.warnings
    );
    let ids: std::collections::HashSet<&str> = measure_ids(doc).into_iter().collect();
    assert_eq!(ids.len(), doc.measures.len(), "measure ids must be unique");
}

#[test]
fn subitems_stay_inside_their_item_measure() {
    let corpus = load(&[("outline-restart", OUTLINE_RESTARTING)]);
    let doc = document(&corpus, "outline-restart");
    assert_eq!(doc.measures.len(), 6, "subitems are not measures");
    let measure = &doc.measures[2];
    assert_eq!(parent_label(doc, measure), "（二）");
    assert!(measure.text.contains("推广在线服务"), "{}", measure.text);
    assert!(
        measure.text.contains("（1）推广在线课堂服务"),
        "{}",
        measure.text
    );
    assert!(
        measure.text.contains("（2）推广远程问诊服务"),
        "{}",
        measure.text
    );
    assert_eq!(mentions(measure), [("区商务委", Lead)]);
    assert!(!measure.text.contains("牵头单位"));
    let subitem = doc
        .outline
        .iter()
        .find(|p| p.level == Level::Subitem)
        .unwrap();
    assert_eq!(subitem.parent, Some(measure.provision));
}

const OUTLINE_RUNNING_ON: &str = "东湖区关于发展线上经济的工作方案
一、重点任务
（一）发展线上业态
1. 培育线上龙头企业。（牵头单位：区商务委）
2. 建设线上服务平台。（牵头单位：区商务委）
（二）创新线上服务
3. 推广线上办公模式。（牵头单位：区商务委）
4. 发展线上文化消费。（牵头单位：区商务委）
";

#[test]
fn item_numbers_running_on_across_sections_are_not_a_gap() {
    let corpus = load(&[("outline-run-on", OUTLINE_RUNNING_ON)]);
    let doc = document(&corpus, "outline-run-on");
    let numbers: Vec<Option<u32>> = doc.measures.iter().map(|m| m.number).collect();
    assert_eq!(numbers, [Some(1), Some(2), Some(3), Some(4)]);
    let parents: Vec<&str> = doc.measures.iter().map(|m| parent_label(doc, m)).collect();
    assert_eq!(parents, ["（一）", "（一）", "（二）", "（二）"]);
    assert!(warnings_of(&corpus, "outline-run-on", WarningKind::NumberingGap).is_empty());
    assert_eq!(doc.measures[0].title.as_deref(), Some("培育线上龙头企业"));
}

#[test]
fn a_real_gap_in_item_numbers_is_reported() {
    let text = "东湖区关于发展线上经济的工作方案
一、重点任务
（一）发展线上业态
1.培育线上龙头企业。（牵头单位：区商务委）
2.建设线上服务平台。（牵头单位：区商务委）
4.推广线上办公模式。（牵头单位：区商务委）
";
    let corpus = load(&[("outline-gap", text)]);
    let gaps: Vec<_> = corpus
        .warnings
        .iter()
        .filter(|w| w.warning.kind == WarningKind::NumberingGap)
        .collect();
    assert_eq!(gaps.len(), 1, "{:?}", corpus.warnings);
    assert_eq!(gaps[0].document.as_deref(), Some("outline-gap"));
    assert_eq!(gaps[0].warning.line, Some(line_starting(text, "4.")));
    assert!(
        gaps[0].file.ends_with("outline-gap.txt"),
        "{}",
        gaps[0].file
    );
    // The measures are still all there.
    assert_eq!(document(&corpus, "outline-gap").measures.len(), 3);
}

// ---------------------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------------------

const SECTIONS_ONLY: &str = "某某省关于加快发展线上经济的实施意见
为加快发展线上经济，制定本意见。
一、指导思想
（一）坚持创新驱动。以创新为第一动力，推动线上经济发展。
二、总体要求
（一）坚持统筹推进。坚持政府引导、市场主导。
（二）坚持融合发展。推动线上线下深度融合。
三、发展目标
（一）产业规模。线上经济规模持续扩大。
四、主要任务
（一）发展在线课堂。支持学校开展网络教学。
（二）发展线上问诊。支持医疗机构开展线上服务。
（三）发展线上文娱。培育数字内容产业。
五、保障措施
（一）加强组织领导。建立协调机制。
（二）加大资金支持。设立专项资金。
";

#[test]
fn sections_under_task_and_safeguard_parts_are_the_measures() {
    let corpus = load(&[("sections-only", SECTIONS_ONLY)]);
    let doc = document(&corpus, "sections-only");
    let found: Vec<(&str, &str, Option<&str>)> = doc
        .measures
        .iter()
        .map(|m| (parent_label(doc, m), m.label.as_str(), m.title.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("四、", "（一）", Some("发展在线课堂")),
            ("四、", "（二）", Some("发展线上问诊")),
            ("四、", "（三）", Some("发展线上文娱")),
            ("五、", "（一）", Some("加强组织领导")),
            ("五、", "（二）", Some("加大资金支持")),
        ]
    );
    for measure in &doc.measures {
        assert_eq!(measure.number, None, "a section has no item number");
        assert_eq!(doc.outline[measure.provision].level, Level::Section);
    }
    assert_eq!(doc.measures[0].path, ["四、主要任务"]);
    assert_eq!(doc.measures[4].path, ["五、保障措施"]);
    assert!(warnings_of(&corpus, "sections-only", WarningKind::NumberingGap).is_empty());
    // The preamble parts are in the outline, but give no measures.
    assert_eq!(
        doc.outline
            .iter()
            .filter(|p| p.level == Level::Section)
            .count(),
        9
    );
}

#[test]
fn items_are_the_measures_where_a_document_has_them() {
    let corpus = load(&[("outline-run-on", OUTLINE_RUNNING_ON)]);
    let doc = document(&corpus, "outline-run-on");
    assert_eq!(doc.measures.len(), 4);
    for measure in &doc.measures {
        assert_eq!(doc.outline[measure.provision].level, Level::Item);
    }
    assert_eq!(doc.measures[2].path, ["一、重点任务", "（二）创新线上服务"]);
}

const CONSULTATION_NOTICE: &str = "按照省领导要求，我厅研究起草了《某某省促进线上服务经济发展实施意见》（征求意见稿）。现向社会公开征求意见，公开征求意见的时间是2021年5月10日至5月20日，可以通过以下途径和方式反馈意见：
1.电子邮箱：test@example.gov.cn。请在邮件主题注明“实施意见”字样。
2.通讯地址：某某省某某市某某路1号。（邮政编码：100000）
3.传真：010-12345678
感谢您的参与和支持！
附件：某某省促进线上服务经济发展实施意见（征求意见稿）
某某省促进线上服务经济发展实施意见
（征求意见稿）
为促进线上服务经济发展，制定本实施意见。
一、重点任务
（一）发展线上会展。支持举办线上展会。
（二）发展线上文娱。培育数字文娱产业。
二、保障措施
（一）加强组织实施。建立工作机制。
";

#[test]
fn items_of_a_consultation_notice_before_the_title_are_not_measures() {
    let corpus = load(&[("notice", CONSULTATION_NOTICE)]);
    let doc = document(&corpus, "notice");
    assert_eq!(doc.metadata.title, "某某省促进线上服务经济发展实施意见");
    assert_eq!(labels(doc), ["（一）", "（二）", "（一）"]);
    assert!(doc
        .outline
        .iter()
        .all(|p| p.level != Level::Item && !p.text.contains("电子邮箱")));
    assert!(doc.measures.iter().all(|m| !m.text.contains("邮政编码")));
    assert!(warnings_of(&corpus, "notice", WarningKind::NumberingGap).is_empty());
}

// ---------------------------------------------------------------------------------------
// Annotations
// ---------------------------------------------------------------------------------------

const ANNOTATIONS: &str = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.推进线上政务服务。（牵头单位：区政府办；配合单位：区商务委、区发展改革委）
2.推进线上商务服务。(牵头单位:区商务委;配合单位:区发展改革委)
3.推进线上金融服务。（牵头单位：区发展改革委，配合单位：区商务委）
4.推进线上文化服务。(牵头单位：区商务委,配合单位：区政府办公室)
5.推进线上健康服务。（责任部门：区商务委、区发展改革委）
6.推进线上养老服务。（责任单位：区政府办公室、区商务委）
7.推进线上家政服务，鼓励发展“无接触配送到家”新模式。

（牵头单位：区商务委；配合单位：区发展改革委）
8.推进线上交通服务。（牵头单位：区商务委）
9.推进线上体育服务。（责任单位：区发展改革委；区政府办）
";

fn annotated() -> Corpus {
    load(&[("annotations", ANNOTATIONS)])
}

#[test]
fn lead_and_cooperating_units_with_full_width_semicolon() {
    let corpus = annotated();
    let measure = &document(&corpus, "annotations").measures[0];
    assert_eq!(
        mentions(measure),
        [
            ("区政府办", Lead),
            ("区商务委", Cooperating),
            ("区发展改革委", Cooperating),
        ]
    );
    let ids: Vec<&str> = measure
        .agencies
        .iter()
        .map(|a| a.agency_id.as_str())
        .collect();
    assert_eq!(ids, ["east-office", "east-commerce", "east-development"]);
    assert!(measure.agencies.iter().all(|a| a.resolved));
    assert_eq!(
        measure.annotation.as_deref(),
        Some("（牵头单位：区政府办；配合单位：区商务委、区发展改革委）")
    );
    assert_eq!(measure.text, "推进线上政务服务。");
}

#[test]
fn half_width_annotation_with_semicolon_is_read() {
    let corpus = annotated();
    let measure = &document(&corpus, "annotations").measures[1];
    assert_eq!(
        mentions(measure),
        [("区商务委", Lead), ("区发展改革委", Cooperating)]
    );
    assert_eq!(
        measure.annotation.as_deref(),
        Some("（牵头单位：区商务委；配合单位：区发展改革委）")
    );
}

#[test]
fn commas_between_labelled_parts_are_read() {
    let corpus = annotated();
    let doc = document(&corpus, "annotations");
    assert_eq!(
        mentions(&doc.measures[2]),
        [("区发展改革委", Lead), ("区商务委", Cooperating)]
    );
    assert_eq!(
        mentions(&doc.measures[3]),
        [("区商务委", Lead), ("区政府办公室", Cooperating)]
    );
}

#[test]
fn responsible_departments_and_units() {
    let corpus = annotated();
    let doc = document(&corpus, "annotations");
    assert_eq!(
        mentions(&doc.measures[4]),
        [("区商务委", Responsible), ("区发展改革委", Responsible)]
    );
    assert_eq!(
        mentions(&doc.measures[5]),
        [("区政府办公室", Responsible), ("区商务委", Responsible)]
    );
    assert_eq!(
        mentions(&doc.measures[8]),
        [("区发展改革委", Responsible), ("区政府办", Responsible)]
    );
    let office: Vec<&str> = [&doc.measures[5], &doc.measures[8]]
        .iter()
        .flat_map(|m| &m.agencies)
        .filter(|a| a.raw_name.starts_with("区政府办"))
        .map(|a| a.agency_id.as_str())
        .collect();
    assert_eq!(
        office,
        ["east-office", "east-office"],
        "variants are one agency"
    );
}

#[test]
fn annotation_on_its_own_line_after_a_blank_line() {
    let corpus = annotated();
    let doc = document(&corpus, "annotations");
    let measure = &doc.measures[6];
    assert_eq!(measure.label, "7.");
    assert_eq!(
        mentions(measure),
        [("区商务委", Lead), ("区发展改革委", Cooperating)]
    );
    assert!(!measure.text.contains("牵头单位"), "{}", measure.text);
    assert!(measure.text.contains("无接触配送到家"));
    assert_eq!(measure.span.line_start, line_starting(ANNOTATIONS, "7."));
    assert_eq!(
        measure.span.line_end,
        line_starting(
            ANNOTATIONS,
            "（牵头单位：区商务委；配合单位：区发展改革委）"
        )
    );
    // The next item keeps its own annotation only.
    assert_eq!(mentions(&doc.measures[7]), [("区商务委", Lead)]);
    assert!(warnings_of(&corpus, "annotations", WarningKind::UnparsedAnnotation).is_empty());
    assert!(warnings_of(&corpus, "annotations", WarningKind::MeasureWithoutAgencies).is_empty());
}

#[test]
fn a_measure_without_agencies_and_an_unreadable_annotation_are_reported() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.推进线上政务服务。（牵头单位：区政府办）
2.推进线上商务服务，培育线上商务企业。
3.推进线上文化服务。（牵头单位区商务委）
";
    let corpus = load(&[("warnings", text)]);
    let doc = document(&corpus, "warnings");
    assert_eq!(doc.measures.len(), 3);
    assert!(doc.measures[1].agencies.is_empty());
    assert!(doc.measures[2].agencies.is_empty());
    let unparsed: Vec<_> = corpus
        .warnings
        .iter()
        .filter(|w| w.warning.kind == WarningKind::UnparsedAnnotation)
        .collect();
    assert_eq!(unparsed.len(), 1, "{:?}", corpus.warnings);
    assert_eq!(unparsed[0].warning.line, Some(line_starting(text, "3.")));
    let without: Vec<_> = corpus
        .warnings
        .iter()
        .filter(|w| w.warning.kind == WarningKind::MeasureWithoutAgencies)
        .map(|w| w.warning.line)
        .collect();
    assert_eq!(
        without,
        [
            Some(line_starting(text, "2.")),
            Some(line_starting(text, "3."))
        ]
    );
}

const INLINE: &str = "某某省关于推进生态和农业数字化的实施意见
一、重点任务
（一）推进生态环境监测数字化。建设生态环境监测网络。（生态环境部牵头，国家发展改革委参与）
（二）发展智慧农业。推广农业物联网应用。（农业农村部指导）
（三）规范线上市场秩序。加强网络交易监管。（市场监管总局、工业和信息化部负责）
";

#[test]
fn inline_annotations_give_lead_participate_guide_and_responsible() {
    let corpus = load(&[("inline", INLINE)]);
    let doc = document(&corpus, "inline");
    assert_eq!(doc.metadata.jurisdiction.as_deref(), Some("testprov"));
    let found: Vec<Vec<(&str, Role, &str)>> = doc
        .measures
        .iter()
        .map(|m| {
            m.agencies
                .iter()
                .map(|a| (a.raw_name.as_str(), a.role, a.agency_id.as_str()))
                .collect()
        })
        .collect();
    assert_eq!(
        found,
        vec![
            vec![
                ("生态环境部", Lead, "china-mee"),
                ("国家发展改革委", Participate, "china-ndrc"),
            ],
            vec![("农业农村部", Guide, "china-moa")],
            vec![
                ("市场监管总局", Responsible, "china-samr"),
                ("工业和信息化部", Responsible, "china-miit"),
            ],
        ]
    );
    assert_eq!(doc.measures[1].text, "发展智慧农业。推广农业物联网应用。");
    assert!(warnings_of(&corpus, "inline", WarningKind::UnresolvedAgency).is_empty());
}

#[test]
fn a_collective_name_is_one_entity() {
    let city = "甲乙市关于推进线上经济发展的工作方案
一、重点任务
（一）推进线上消费。（牵头单位：市商务局；配合单位：各区、县级市）
（二）推进线上招商。（各区、县级市负责）
";
    let province = "某某省关于推进线上经济发展的工作方案
一、重点任务
（一）推进线上消费。（牵头单位：省生态环境厅；配合单位：各区、县级市）
";
    let corpus = load(&[("city-collective", city), ("province-collective", province)]);
    let doc = document(&corpus, "city-collective");
    assert_eq!(
        mentions(&doc.measures[0]),
        [("市商务局", Lead), ("各区、县级市", Cooperating)]
    );
    assert_eq!(
        mention(&doc.measures[0], "各区、县级市").agency_id,
        "city-districts"
    );
    assert_eq!(mentions(&doc.measures[1]), [("各区、县级市", Responsible)]);
    assert_eq!(
        mention(&doc.measures[1], "各区、县级市").agency_id,
        "city-districts"
    );
    // Where the gazetteer does not know the collective, it still stays whole.
    let doc = document(&corpus, "province-collective");
    assert_eq!(
        mentions(&doc.measures[0]),
        [("省生态环境厅", Lead), ("各区、县级市", Cooperating)]
    );
    assert!(!mention(&doc.measures[0], "各区、县级市").resolved);
}

// ---------------------------------------------------------------------------------------
// Agency resolution
// ---------------------------------------------------------------------------------------

const EAST_COMMERCE: &str = "东湖区关于推进线上商务发展的实施方案
一、主要任务
（一）发展线上商务。支持企业开展线上营销。（牵头单位：区商务委；配合单位：区数字经济专班）
（二）加强环境保护。推进生态环境数字化监测。（牵头单位：省生态环境厅；配合单位：市商务局）
（三）发展文旅消费。推广线上旅游产品。（牵头单位：区文旅局）
";
const EAST_SERVICES: &str = "东湖区关于推进线上服务发展的工作方案
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：区数字经济专班）
";
const WEST_COMMERCE: &str = "西山区关于推进线上商务发展的实施方案
一、主要任务
（一）发展线上商务。支持企业开展线上营销。（牵头单位：区商务委；配合单位：区数字经济专班）
（二）发展文旅消费。推广线上旅游产品。（牵头单位：区文旅局）
";

fn districts() -> Corpus {
    load(&[
        ("east-commerce-plan", EAST_COMMERCE),
        ("east-services-plan", EAST_SERVICES),
        ("west-commerce-plan", WEST_COMMERCE),
    ])
}

#[test]
fn an_unknown_name_becomes_one_provisional_agency_per_jurisdiction() {
    let corpus = districts();
    let east_a = mention_in(&corpus, ("east-commerce-plan", 0), "区数字经济专班");
    let east_b = mention_in(&corpus, ("east-services-plan", 0), "区数字经济专班");
    assert!(!east_a.resolved && !east_b.resolved);
    assert_eq!(east_a.role, Cooperating);
    assert_eq!(east_b.role, Lead);
    assert_eq!(east_a.agency_id, east_b.agency_id, "one provisional agency");
    let provisional: Vec<_> = corpus
        .agencies
        .iter()
        .filter(|a| a.name == "区数字经济专班")
        .collect();
    assert_eq!(provisional.len(), 2, "one for 东湖区, one for 西山区");
    let east = provisional
        .iter()
        .find(|a| a.id == east_a.agency_id)
        .expect("the provisional agency is in the corpus");
    assert!(!east.resolved);
    assert_eq!(east.jurisdiction.as_deref(), Some("testprov-city-east"));
    let west = mention_in(&corpus, ("west-commerce-plan", 0), "区数字经济专班");
    assert_ne!(west.agency_id, east_a.agency_id);
    let west_agency = agency_record(&corpus, &west.agency_id);
    assert_eq!(
        west_agency.jurisdiction.as_deref(),
        Some("testprov-city-west")
    );
}

#[test]
fn every_unknown_name_is_reported() {
    let corpus = districts();
    let east_a = warnings_of(&corpus, "east-commerce-plan", WarningKind::UnresolvedAgency);
    assert_eq!(east_a.len(), 2, "{east_a:?}");
    assert!(east_a.iter().any(|m| m.contains("区数字经济专班")));
    assert!(east_a.iter().any(|m| m.contains("区文旅局")));
    let east_b = warnings_of(&corpus, "east-services-plan", WarningKind::UnresolvedAgency);
    assert_eq!(east_b.len(), 1, "{east_b:?}");
    let west = warnings_of(&corpus, "west-commerce-plan", WarningKind::UnresolvedAgency);
    assert_eq!(west.len(), 1, "{west:?}");
    assert!(west[0].contains("区数字经济专班"));
    // Every mention still has an agency.
    for doc in &corpus.documents {
        for measure in &doc.measures {
            for mention in &measure.agencies {
                assert!(corpus.agencies.iter().any(|a| a.id == mention.agency_id));
            }
        }
    }
}

#[test]
fn the_same_alias_in_two_jurisdictions_is_two_agencies() {
    let corpus = districts();
    let east = mention_in(&corpus, ("east-commerce-plan", 0), "区商务委");
    let west = mention_in(&corpus, ("west-commerce-plan", 0), "区商务委");
    assert!(east.resolved && west.resolved);
    assert_eq!(east.agency_id, "east-commerce");
    assert_eq!(west.agency_id, "west-commerce");
}

#[test]
fn a_district_resolves_its_ancestors_agencies_but_not_a_siblings() {
    let corpus = districts();
    let doc = document(&corpus, "east-commerce-plan");
    let province = mention(&doc.measures[1], "省生态环境厅");
    assert!(province.resolved);
    assert_eq!(province.agency_id, "prov-ecology");
    let city = mention(&doc.measures[1], "市商务局");
    assert!(city.resolved);
    assert_eq!(city.agency_id, "city-commerce");
    // 区文旅局 is an alias of 西山区 only.
    let sibling = mention(&doc.measures[2], "区文旅局");
    assert!(!sibling.resolved);
    assert_ne!(sibling.agency_id, "west-culture");
    let provisional = agency_record(&corpus, &sibling.agency_id);
    assert_eq!(
        provisional.jurisdiction.as_deref(),
        Some("testprov-city-east")
    );
    let west = mention_in(&corpus, ("west-commerce-plan", 1), "区文旅局");
    assert!(west.resolved);
    assert_eq!(west.agency_id, "west-culture");
}

#[test]
fn a_document_of_unknown_jurisdiction_loads_with_a_warning() {
    let text = "关于推进线上服务发展的若干措施
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：区商务委）
";
    let corpus = load(&[("nowhere", text)]);
    let doc = document(&corpus, "nowhere");
    assert_eq!(doc.metadata.jurisdiction, None);
    assert_eq!(
        warnings_of(&corpus, "nowhere", WarningKind::UnknownJurisdiction).len(),
        1
    );
    assert_eq!(doc.measures.len(), 1);
    let mention = mention(&doc.measures[0], "区商务委");
    assert!(
        !mention.resolved,
        "区商务委 is not guessed from another jurisdiction"
    );
    assert!(!["east-commerce", "west-commerce"].contains(&mention.agency_id.as_str()));
    let provisional = agency_record(&corpus, &mention.agency_id);
    assert_eq!(provisional.jurisdiction, None);
}

// ---------------------------------------------------------------------------------------
// Goals
// ---------------------------------------------------------------------------------------

const GOALS: &str = "某某省关于加快数字经济发展的实施方案
为加快数字经济发展，制定本方案。
一、发展目标
到2025年，全省政务服务事项网上可办率达到95%以上，数字经济核心产业增加值不低于3000亿元，网络零售额1.5万亿元左右，企业平均研发投入达到800万元。
到2023年，实现以下目标：
——建成10个数字化车间。推动20家企业上云。
——培育20家平台企业。
每年新增5个示范项目。
二、主要任务
（一）发展数字产业。建成100个示范项目。
";

#[test]
fn goals_with_comparators_and_base_units() {
    let corpus = load(&[("goals", GOALS)]);
    let goals = &document(&corpus, "goals").goals;
    let found: Vec<(&str, f64, &str, Comparator, Option<i32>)> = goals
        .iter()
        .map(|g| {
            (
                g.metric.as_str(),
                g.value,
                g.unit.as_str(),
                g.comparator,
                g.year,
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "政务服务事项网上可办率",
                95.0,
                "%",
                Comparator::Gte,
                Some(2025)
            ),
            (
                "数字经济核心产业增加值",
                3000.0,
                "亿元",
                Comparator::Gte,
                Some(2025)
            ),
            ("网络零售额", 1.5, "万亿元", Comparator::Approx, Some(2025)),
            (
                "企业平均研发投入",
                800.0,
                "万元",
                Comparator::Gte,
                Some(2025)
            ),
            ("数字化车间", 10.0, "个", Comparator::Eq, Some(2023)),
            ("平台企业", 20.0, "家", Comparator::Eq, Some(2023)),
        ]
    );
    let base: Vec<(Option<f64>, Option<&str>)> = goals
        .iter()
        .map(|g| (g.value_base, g.base_unit.as_deref()))
        .collect();
    assert!(close(base[0].0.unwrap(), 95.0) && base[0].1 == Some("percent"));
    assert!(close(base[1].0.unwrap(), 3e11) && base[1].1 == Some("yuan"));
    assert!(close(base[2].0.unwrap(), 1.5e12) && base[2].1 == Some("yuan"));
    assert!(close(base[3].0.unwrap(), 8e6) && base[3].1 == Some("yuan"));
    assert!(close(base[4].0.unwrap(), 10.0) && base[4].1 == Some("count"));
    assert_eq!(goals[0].comparator_text, "达到…以上");
    assert_eq!(goals[1].comparator_text, "不低于");
    assert_eq!(goals[2].comparator_text, "左右");
    assert!(goals[0].sentence.starts_with("到2025年"));
}

#[test]
fn no_goal_without_a_year() {
    let corpus = load(&[("goals", GOALS)]);
    let goals = &document(&corpus, "goals").goals;
    assert!(
        goals.iter().all(|g| g.value != 100.0 && g.value != 5.0),
        "a quantity with no target year is not a goal: {goals:#?}"
    );
    assert!(
        goals.iter().all(|g| !g.metric.contains("上云")),
        "only the lead sentence of a bullet states its target: {goals:#?}"
    );
    let text = "某某省关于加快数字经济发展的实施方案
一、主要任务
（一）发展数字产业。建成100个示范项目，培育20家平台企业。
";
    let corpus = load(&[("no-year", text)]);
    assert!(document(&corpus, "no-year").goals.is_empty());
}

#[test]
fn goal_spans_point_at_their_clause() {
    let corpus = load(&[("goals", GOALS)]);
    let doc = document(&corpus, "goals");
    for goal in &doc.goals {
        let slice = &doc.source[goal.span.start..goal.span.end];
        assert_eq!(normalize(slice).text, goal.clause, "{goal:?}");
        assert!(slice.contains(&goal.value_text));
    }
}

// ---------------------------------------------------------------------------------------
// Cross-references
// ---------------------------------------------------------------------------------------

/// A corpus document with its own number.
const PROVINCE_OPINIONS: &str = "某某省人民政府
关于加快数字经济发展的指导意见
某政发〔2021〕8号
各市人民政府，省政府各部门：
为加快数字经济发展，现提出如下意见。
一、主要任务
（一）发展数字产业。落实《某某省人民政府关于加快数字经济发展的指导意见》，推动产业发展。
某某省人民政府
2021年3月5日
";
const EAST_DIGITAL: &str = "东湖区关于加快数字经济发展的实施方案
根据《某某省人民政府关于加快数字经济发展的指导意见》和《某某省人民政府关于促进平台经济发展的意见》精神，按照某政办发〔2021〕3号文件要求，结合我区实际，制定本方案。《指导意见》提出，要加快数字产业化。
一、主要任务
（一）发展数字产业。推动数字产业集聚。（牵头单位：区商务委）
";
const WEST_PLATFORM: &str = "西山区关于促进平台经济发展的实施意见
根据《关于促进平台经济发展的意见》和某政发〔2021〕8号文件精神，结合我区实际，制定本意见。
一、主要任务
（一）发展平台经济。培育平台企业。（牵头单位：区商务委）
";

fn citing() -> Corpus {
    load(&[
        ("province-opinions", PROVINCE_OPINIONS),
        ("east-digital", EAST_DIGITAL),
        ("west-platform", WEST_PLATFORM),
    ])
}

#[test]
fn a_title_with_a_number_and_a_number_alone() {
    let text = "东湖区关于促进线上经济发展的实施方案
根据《某某省人民政府办公厅关于促进线上经济发展的通知》（某政办发〔2020〕12号）文件精神，按照某政发〔2019〕30号要求，制定本方案。
一、主要任务
（一）发展线上经济。（牵头单位：区商务委）
";
    let corpus = load(&[("numbers", text)]);
    let citations = &document(&corpus, "numbers").citations;
    assert_eq!(citations.len(), 2, "{citations:#?}");
    assert_eq!(
        citations[0].title.as_deref(),
        Some("某某省人民政府办公厅关于促进线上经济发展的通知")
    );
    assert_eq!(
        number_parts(&citations[0]),
        ("某政办发〔2020〕12号", "某政办发", 2020, 12)
    );
    assert_eq!(
        citations[0].raw,
        "《某某省人民政府办公厅关于促进线上经济发展的通知》（某政办发〔2020〕12号）"
    );
    assert_eq!(citations[1].title, None);
    assert_eq!(
        number_parts(&citations[1]),
        ("某政发〔2019〕30号", "某政发", 2019, 30)
    );
    let cited = cited_for(&corpus, "numbers", 1);
    assert_eq!(cited.title, None);
    assert_eq!(cited.document, None);
}

#[test]
fn a_number_alone_after_an_ordinary_verb_phrase_keeps_its_issuer_code() {
    let text = "东湖区关于促进线上经济发展的实施方案
为认真贯彻落实国办发〔2020〕32号文件精神，制定本方案。
一、主要任务
（一）发展线上经济。（牵头单位：区商务委）
";
    let corpus = load(&[("verb-number", text)]);
    let citations = &document(&corpus, "verb-number").citations;
    assert_eq!(citations.len(), 1, "{citations:#?}");
    let number = citations[0].doc_number.as_ref().expect("number");
    assert_eq!(number.issuer_code, "国办发");
    assert_eq!(number.text, "国办发〔2020〕32号");
}

#[test]
fn one_outside_document_cited_with_and_without_issuer_is_one_record() {
    let corpus = citing();
    let east = document(&corpus, "east-digital");
    let west = document(&corpus, "west-platform");
    let east_index = citation_titled(east, "某某省人民政府关于促进平台经济发展的意见");
    let west_index = citation_titled(west, "关于促进平台经济发展的意见");
    let from_east = cited_for(&corpus, "east-digital", east_index);
    let from_west = cited_for(&corpus, "west-platform", west_index);
    assert_eq!(from_east.id, from_west.id);
    assert_eq!(
        from_east.title.as_deref(),
        Some("某某省人民政府关于促进平台经济发展的意见")
    );
    assert_eq!(from_east.document, None);
    let records = corpus
        .cited_documents
        .iter()
        .filter(|c| {
            c.title
                .as_deref()
                .is_some_and(|t| t.contains("促进平台经济发展的意见"))
        })
        .count();
    assert_eq!(records, 1);
}

#[test]
fn a_citation_of_a_corpus_document_resolves_to_it() {
    let corpus = citing();
    let province = document(&corpus, "province-opinions");
    assert_eq!(
        province.metadata.title,
        "某某省人民政府关于加快数字经济发展的指导意见"
    );
    assert_eq!(
        province
            .metadata
            .doc_number
            .as_ref()
            .map(|n| n.text.as_str()),
        Some("某政发〔2021〕8号")
    );
    // By title.
    let east = document(&corpus, "east-digital");
    let by_title = citation_titled(east, "某某省人民政府关于加快数字经济发展的指导意见");
    assert_eq!(
        cited_for(&corpus, "east-digital", by_title)
            .document
            .as_deref(),
        Some("province-opinions")
    );
    // By number.
    let west = document(&corpus, "west-platform");
    let by_number = west
        .citations
        .iter()
        .position(|c| {
            c.doc_number
                .as_ref()
                .is_some_and(|n| n.text == "某政发〔2021〕8号")
        })
        .expect("west cites 某政发〔2021〕8号");
    assert_eq!(
        cited_for(&corpus, "west-platform", by_number)
            .document
            .as_deref(),
        Some("province-opinions")
    );
    // Cited by title in one document and by number in another: one cited-document record.
    assert_eq!(
        cited_for(&corpus, "west-platform", by_number).id,
        cited_for(&corpus, "east-digital", by_title).id
    );
    assert_eq!(
        corpus
            .cited_documents
            .iter()
            .filter(|cited| cited.document.as_deref() == Some("province-opinions"))
            .count(),
        1
    );
    // An outside document does not resolve.
    let by_number_alone = east
        .citations
        .iter()
        .position(|c| c.title.is_none())
        .expect("east cites a number alone");
    assert_eq!(
        cited_for(&corpus, "east-digital", by_number_alone).document,
        None
    );
}

#[test]
fn a_self_citation_by_title_is_not_recorded() {
    let text = "某某省关于加快数字经济发展的实施意见
为贯彻落实《某某省关于加快数字经济发展的实施意见》，特制定以下措施。
一、主要任务
（一）发展数字产业。按照《某某省关于加快数字经济发展的实施意见》要求，推动产业发展。
";
    let corpus = load(&[("self-title", text)]);
    assert!(document(&corpus, "self-title").citations.is_empty());
    assert!(corpus.references.is_empty());
    assert!(corpus.cited_documents.is_empty());
}

#[test]
fn a_documents_own_number_is_not_a_citation_of_itself() {
    let corpus = citing();
    let province = document(&corpus, "province-opinions");
    let own: Vec<_> = corpus
        .references
        .iter()
        .filter(|r| r.citing_document == "province-opinions")
        .filter(|r| {
            corpus
                .cited_documents
                .iter()
                .any(|c| c.id == r.cited && c.document.as_deref() == Some("province-opinions"))
        })
        .collect();
    assert!(
        own.is_empty(),
        "province-opinions cites itself: {:#?}",
        province.citations
    );
}

#[test]
fn a_short_title_ties_to_the_full_title_before_it() {
    let corpus = citing();
    let east = document(&corpus, "east-digital");
    let full = east
        .citations
        .iter()
        .position(|c| c.raw == "《某某省人民政府关于加快数字经济发展的指导意见》")
        .expect("full title");
    let short = east
        .citations
        .iter()
        .position(|c| c.raw == "《指导意见》")
        .expect("short title");
    assert!(short > full);
    assert_eq!(
        east.citations[short].title.as_deref(),
        Some("某某省人民政府关于加快数字经济发展的指导意见")
    );
    assert_eq!(
        cited_for(&corpus, "east-digital", short).id,
        cited_for(&corpus, "east-digital", full).id
    );
    assert_eq!(east.citations.len(), 4, "{:#?}", east.citations);
}

// ---------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------

const TWO_LINE_TITLE: &str = "甲乙市人民政府办公室
关于推进线上服务发展的通知
各区人民政府，市政府各部门：
现将有关事项通知如下。
一、主要任务
（一）推进线上服务。加快线上服务发展。（牵头单位：市商务局）
甲乙市人民政府办公室
2021年3月5日
";

#[test]
fn a_title_over_two_lines_and_the_signature() {
    let corpus = load(&[("two-lines", TWO_LINE_TITLE)]);
    let doc = document(&corpus, "two-lines");
    let metadata = &doc.metadata;
    assert_eq!(
        metadata.title,
        "甲乙市人民政府办公室关于推进线上服务发展的通知"
    );
    assert_eq!(metadata.kind, "通知");
    assert_eq!(metadata.issuer.as_deref(), Some("甲乙市人民政府办公室"));
    assert_eq!(metadata.date.as_deref(), Some("2021-03-05"));
    assert_eq!(metadata.jurisdiction.as_deref(), Some("testprov-city"));
    assert_eq!(metadata.status, DocumentStatus::Final);
    assert_eq!(doc.measures.len(), 1);
    assert!(
        !doc.measures[0].text.contains("2021年3月5日"),
        "the signature is not part of the last measure: {}",
        doc.measures[0].text
    );
}

#[test]
fn a_consultation_draft_is_a_draft_with_its_period() {
    let corpus = load(&[("notice", CONSULTATION_NOTICE)]);
    let metadata = &document(&corpus, "notice").metadata;
    assert_eq!(metadata.status, DocumentStatus::Draft);
    assert_eq!(metadata.consultation_start.as_deref(), Some("2021-05-10"));
    assert_eq!(metadata.consultation_end.as_deref(), Some("2021-05-20"));
    assert_eq!(metadata.jurisdiction.as_deref(), Some("testprov"));
    assert_eq!(metadata.kind, "实施意见");
}

#[test]
fn a_draft_marker_on_the_title_line_or_below_it() {
    let same_line = "东湖区关于推进线上服务发展的实施方案（征求意见稿）
一、主要任务
（一）发展线上服务。（牵头单位：区商务委）
";
    let next_line = "东湖区关于推进线上服务发展的工作方案
(征求意见稿)
一、主要任务
（一）发展线上服务。（牵头单位：区商务委）
";
    let final_text = "东湖区关于推进线上服务发展的行动计划
一、主要任务
（一）发展线上服务。（牵头单位：区商务委）
";
    let corpus = load(&[
        ("draft-same-line", same_line),
        ("draft-next-line", next_line),
        ("final", final_text),
    ]);
    let same = &document(&corpus, "draft-same-line").metadata;
    assert_eq!(same.status, DocumentStatus::Draft);
    assert_eq!(same.title, "东湖区关于推进线上服务发展的实施方案");
    let next = &document(&corpus, "draft-next-line").metadata;
    assert_eq!(next.status, DocumentStatus::Draft);
    assert_eq!(next.title, "东湖区关于推进线上服务发展的工作方案");
    let final_metadata = &document(&corpus, "final").metadata;
    assert_eq!(final_metadata.status, DocumentStatus::Final);
    assert_eq!(final_metadata.kind, "行动计划");
}

#[test]
fn the_manifest_overrides_what_the_text_says() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上商务。（牵头单位：区商务委）
东湖区人民政府
2021年3月5日
";
    let fixture = Fixture::new();
    fixture
        .doc("override-doc", text)
        .doc("no-entry-doc", TWO_LINE_TITLE)
        .file(
            "documents.toml",
            r#"
[[document]]
id = "override-doc"
title = "西山区线上服务发展实施方案"
date = "2022-01-02"
status = "draft"
jurisdiction = "testprov-city-west"
"#,
        );
    let corpus = fixture.load();
    let doc = document(&corpus, "override-doc");
    assert_eq!(doc.metadata.title, "西山区线上服务发展实施方案");
    assert_eq!(doc.metadata.date.as_deref(), Some("2022-01-02"));
    assert_eq!(doc.metadata.status, DocumentStatus::Draft);
    assert_eq!(
        doc.metadata.jurisdiction.as_deref(),
        Some("testprov-city-west")
    );
    assert_eq!(doc.metadata.issuer.as_deref(), Some("东湖区人民政府"));
    // Agencies resolve in the manifest's jurisdiction.
    assert_eq!(
        mention(&doc.measures[0], "区商务委").agency_id,
        "west-commerce"
    );
    // A document without a manifest entry is still loaded, from its text alone.
    let other = document(&corpus, "no-entry-doc");
    assert_eq!(
        other.metadata.title,
        "甲乙市人民政府办公室关于推进线上服务发展的通知"
    );
    assert_eq!(other.metadata.date.as_deref(), Some("2021-03-05"));
    assert_eq!(corpus.documents.len(), 2);
}

// ---------------------------------------------------------------------------------------
// Text repairs
// ---------------------------------------------------------------------------------------

const REPAIRS: &str = "东湖区“互联网 ”行动计划
一、主要任务
（一）建设数字东湖
1.坚持整体推进，坚持重点突破，为加快建设“数

字东湖”发挥重要的促进作用。（牵头单位：区商务委）
2.推进互联网 政务服务，发展“互联网 ”医疗。(牵头单位:区商务委;配合单位:区发展改革委)
3.支持企业上云,推动数据共享;加快发展:线上经济(数字经济)。（牵头单位：区商务委）
";

#[test]
fn a_page_break_split_is_joined() {
    let corpus = load(&[("repairs", REPAIRS)]);
    let measure = &document(&corpus, "repairs").measures[0];
    assert_eq!(
        measure.text,
        "坚持整体推进，坚持重点突破，为加快建设“数字东湖”发挥重要的促进作用。"
    );
    assert_eq!(mentions(measure), [("区商务委", Lead)]);
    assert_eq!(measure.span.line_start, line_starting(REPAIRS, "1."));
    assert_eq!(measure.span.line_end, line_starting(REPAIRS, "字东湖"));
}

#[test]
fn the_lost_plus_of_internet_plus_is_restored() {
    let corpus = load(&[("repairs", REPAIRS)]);
    let doc = document(&corpus, "repairs");
    assert_eq!(doc.metadata.title, "东湖区“互联网+”行动计划");
    assert_eq!(doc.metadata.kind, "行动计划");
    assert_eq!(
        doc.measures[1].text,
        "推进互联网+政务服务，发展“互联网+”医疗。"
    );
    // The raw source is untouched.
    assert!(doc.source.contains("“互联网 ”行动计划"));
    assert_eq!(doc.raw, REPAIRS.as_bytes());
}

#[test]
fn half_width_punctuation_in_chinese_text_becomes_full_width() {
    let corpus = load(&[("repairs", REPAIRS)]);
    let doc = document(&corpus, "repairs");
    assert_eq!(
        doc.measures[2].text,
        "支持企业上云，推动数据共享；加快发展：线上经济（数字经济）。"
    );
    assert_eq!(
        doc.measures[1].annotation.as_deref(),
        Some("（牵头单位：区商务委；配合单位：区发展改革委）")
    );
    assert_eq!(
        mentions(&doc.measures[1]),
        [("区商务委", Lead), ("区发展改革委", Cooperating)]
    );
}

#[test]
fn every_measure_span_maps_back_to_the_source() {
    let corpus = load(&[
        ("repairs", REPAIRS),
        ("outline-restart", OUTLINE_RESTARTING),
        ("outline-run-on", OUTLINE_RUNNING_ON),
        ("sections-only", SECTIONS_ONLY),
        ("notice", CONSULTATION_NOTICE),
        ("annotations", ANNOTATIONS),
        ("inline", INLINE),
        ("goals", GOALS),
        ("two-lines", TWO_LINE_TITLE),
    ]);
    let measures: usize = corpus.documents.iter().map(|d| d.measures.len()).sum();
    assert_eq!(measures, 3 + 6 + 4 + 5 + 3 + 9 + 3 + 1 + 1);
    assert_spans_quote_the_source(&corpus);
    let doc = document(&corpus, "repairs");
    let measure = &doc.measures[2];
    assert_eq!(
        &doc.source[measure.span.start..measure.span.end],
        "3.支持企业上云,推动数据共享;加快发展:线上经济(数字经济)。（牵头单位：区商务委）"
    );
}

// ---------------------------------------------------------------------------------------
// Themes
// ---------------------------------------------------------------------------------------

#[test]
fn measures_are_tagged_with_themes() {
    let text = "东湖区关于发展线上服务的实施方案
一、主要任务
（一）发展线上服务
1.支持建设互联网医院。（牵头单位：区商务委）
2.网络课堂。推动优质资源共享。（牵头单位：区商务委）
3.推动教育资源进入网络课堂。（牵头单位：区商务委）
4.提升医疗服务水平，改善群众就诊体验。（牵头单位：区商务委）
";
    let corpus = load(&[("themes", text)]);
    let themes: Vec<Vec<&str>> = document(&corpus, "themes")
        .measures
        .iter()
        .map(|m| m.themes.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        themes,
        vec![
            vec!["online-healthcare"],
            vec!["online-education"],
            vec!["online-education"],
            vec![],
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Encodings and faults
// ---------------------------------------------------------------------------------------

#[test]
fn a_gb18030_document_is_decoded() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(OUTLINE_RUNNING_ON);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    let fixture = Fixture::new();
    fixture.bytes("documents/legacy.txt", &bytes);
    let corpus = fixture.load();
    let doc = document(&corpus, "legacy");
    assert_eq!(doc.encoding, "GB18030");
    assert_eq!(doc.source, OUTLINE_RUNNING_ON);
    assert_eq!(doc.metadata.title, "东湖区关于发展线上经济的工作方案");
    assert_eq!(doc.measures.len(), 4);
    assert_eq!(doc.measures[0].text, "培育线上龙头企业。");
    assert_eq!(
        mention(&doc.measures[0], "区商务委").agency_id,
        "east-commerce"
    );
    assert_eq!(
        warnings_of(&corpus, "legacy", WarningKind::LegacyEncoding).len(),
        1
    );
    assert_spans_quote_the_source(&corpus);
}

#[test]
fn random_bytes_are_refused_naming_the_file() {
    let fixture = Fixture::new();
    fixture.doc("good", OUTLINE_RUNNING_ON);
    let noise: Vec<u8> = (0..400u32).map(|i| (i * 37 % 256) as u8).collect();
    fixture.bytes("documents/noise.txt", &noise);
    fixture.assert_refused("noise.txt", None, "UTF-8");
}

#[test]
fn a_duplicate_alias_in_one_jurisdiction_is_refused_with_its_line() {
    let agencies = r#"[[agency]]
id = "east-commerce"
jurisdiction = "testprov-city-east"
name = "东湖区商务委员会"
aliases = ["区商务委"]
kind = "government_department"

[[agency]]
id = "east-commerce-bureau"
jurisdiction = "testprov-city-east"
name = "东湖区商务局"
aliases = ["区商务局", "区商务委"]
kind = "government_department"
"#;
    let fixture = Fixture::new();
    fixture
        .file("agencies.toml", agencies)
        .doc("good", OUTLINE_RUNNING_ON);
    fixture.assert_refused("agencies.toml", Some(12), "区商务委");
}

#[test]
fn an_unknown_manifest_field_is_refused_with_its_line() {
    let fixture = Fixture::new();
    fixture.doc("good", OUTLINE_RUNNING_ON).file(
        "documents.toml",
        "[[document]]\nid = \"good\"\ntitel = \"东湖区方案\"\n",
    );
    fixture.assert_refused("documents.toml", Some(3), "titel");
}

#[test]
fn a_manifest_entry_without_its_file_is_refused() {
    let fixture = Fixture::new();
    fixture.doc("good", OUTLINE_RUNNING_ON).file(
        "documents.toml",
        "[[document]]\nid = \"good\"\n\n[[document]]\nid = \"missing-doc\"\n",
    );
    fixture.assert_refused("documents.toml", None, "missing-doc");
}

#[test]
fn the_same_alias_in_two_jurisdictions_is_accepted_by_the_gazetteer() {
    let fixture = Fixture::new();
    fixture.doc("good", OUTLINE_RUNNING_ON);
    let corpus = fixture.load();
    let holders: Vec<&str> = corpus
        .agencies
        .iter()
        .filter(|a| a.aliases.iter().any(|alias| alias == "区商务委"))
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(holders, ["east-commerce", "west-commerce"]);
}

// ---------------------------------------------------------------------------------------
// Fixture data for divisions, document-number prefixes and the standard-agency model
// ---------------------------------------------------------------------------------------

/// A small `divisions.tsv`: the rows of the jurisdictions of `jurisdictions.toml` (same
/// ids), a district that file lacks (北岭区) and a second province (丙丁省).
const DIVISIONS: &str = "# Made-up divisions for the tests.
code\tid\tname\tshort\tlevel\tparent\tname_en
000000\tchina\t中国\t\tnational\t\tChina
990000\ttestprov\t某某省\t某某\tprovince\t000000\tTest Province
990100\ttestprov-city\t甲乙市\t甲乙\tprefecture\t990000\tJiayi City
990102\ttestprov-city-east\t东湖区\t东湖\tdistrict\t990100\tDonghu District
990105\ttestprov-city-north\t北岭区\t北岭\tdistrict\t990100\tBeiling District
980000\tbingding\t丙丁省\t丙丁\tprovince\t000000\tBingding Province
";

/// A small `doc_number_prefixes.tsv`: 丙 is 丙丁省; 丁政 is used by several places even
/// though 丁 alone is 丙丁省.
const PREFIXES: &str = "# Made-up issuer codes for the tests.
prefix\tcode\tnote
丙\t980000\t丙丁省
丁\t980000\t丙丁省
丁政\tambiguous\t丙丁省；某地
";

/// A small `agency_model.toml`.
const MODEL: &str = r#"
[[department]]
key = "commerce"
kind = "government_department"
province = "商务厅"
prefecture = "商务局"
short = ["商务厅", "商务局"]
name_en = "Department of Commerce"

[[department]]
key = "transport"
kind = "government_department"
province = "交通运输厅"
prefecture = "交通运输局"
short = ["交通厅", "交通局"]
name_en = "Department of Transport"

[[department]]
key = "party-organization"
kind = "party_organ"
full = "中共{place}委组织部"
printed = ["{L}委组织部"]
name_en = "Organization Department of the CPC Committee"

[[department]]
key = "pboc-central-sub-branch"
kind = "government_department"
full = "中国人民银行{place_short}中心支行"
printed = ["人行{place_short}中心支行"]
name_en = "Central Sub-branch of the People's Bank of China"

[[national]]
key = "development-reform"
name = "国家发展和改革委员会"
aliases = ["国家发展和改革委员会", "国家发展改革委", "发展改革委"]
name_en = "National Development and Reform Commission"
kind = "government_department"

[[national]]
key = "mofcom"
name = "商务部"
aliases = ["商务部"]
name_en = "Ministry of Commerce"
kind = "government_department"

[[collective]]
name = "各有关单位"
aliases = ["各相关单位"]
name_en = "all units concerned"
scope = "any"
"#;

impl Fixture {
    /// The standard folder plus `divisions.tsv` and `doc_number_prefixes.tsv`.
    fn with_divisions() -> Fixture {
        let fixture = Fixture::new();
        fixture
            .file("divisions.tsv", DIVISIONS)
            .file("doc_number_prefixes.tsv", PREFIXES);
        fixture
    }

    /// The folder with divisions, prefixes and the standard-agency model.
    fn with_model() -> Fixture {
        let fixture = Fixture::with_divisions();
        fixture.file("agency_model.toml", MODEL);
        fixture
    }
}

/// Every mention's span slices the source to exactly the printed name.
fn assert_mention_spans_quote_the_name(doc: &ParsedDocument, measure: &Measure) {
    for mention in &measure.agencies {
        let slice = doc
            .source
            .get(mention.span.start..mention.span.end)
            .unwrap_or_else(|| panic!("{}: span {:?} does not slice", measure.id, mention.span));
        assert_eq!(slice, mention.raw_name, "{}: {mention:?}", measure.id);
    }
}

// ---------------------------------------------------------------------------------------
// Annotations anywhere
// ---------------------------------------------------------------------------------------

const SEVERAL_ANNOTATIONS: &str = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.建设线上服务平台（牵头单位：区商务委）推动平台企业集聚。培育线上龙头企业，发展线上文化消费。（区发展改革委负责）推广线上办公模式。（牵头单位：区政府办；配合单位：区商务委）
2.推进线上商务服务。（牵头单位：区商务委）
";

#[test]
fn several_annotations_in_one_measure_are_a_union_with_each_name_spanned() {
    let corpus = load(&[("several", SEVERAL_ANNOTATIONS)]);
    let doc = document(&corpus, "several");
    assert_eq!(doc.measures.len(), 2, "{:#?}", doc.measures);
    let measure = &doc.measures[0];
    assert_eq!(
        mentions(measure),
        [
            ("区商务委", Lead),
            ("区发展改革委", Responsible),
            ("区政府办", Lead),
            ("区商务委", Cooperating),
        ]
    );
    let ids: Vec<&str> = measure
        .agencies
        .iter()
        .map(|a| a.agency_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "east-commerce",
            "east-development",
            "east-office",
            "east-commerce"
        ]
    );
    assert_mention_spans_quote_the_name(doc, measure);
    // The two 区商务委 links point at two different places of the source.
    assert_ne!(
        measure.agencies[0].span.start,
        measure.agencies[3].span.start
    );
    let first = SEVERAL_ANNOTATIONS.find("（牵头单位：区商务委）").unwrap();
    assert_eq!(measure.agencies[0].span.start, first + "（牵头单位：".len());
    // The text quotes the source: the annotations inside it stay, the closing one goes.
    assert_eq!(
        measure.text,
        "建设线上服务平台（牵头单位：区商务委）推动平台企业集聚。培育线上龙头企业，发展线上文化消费。（区发展改革委负责）推广线上办公模式。"
    );
    assert!(SEVERAL_ANNOTATIONS.contains(measure.text.as_str()));
    assert_eq!(
        measure.annotation.as_deref(),
        Some(
            "（牵头单位：区商务委）（区发展改革委负责）（牵头单位：区政府办；配合单位：区商务委）"
        )
    );
    // The next item has its own annotation only.
    assert_eq!(mentions(&doc.measures[1]), [("区商务委", Lead)]);
    assert_mention_spans_quote_the_name(doc, &doc.measures[1]);
    assert!(warnings_of(&corpus, "several", WarningKind::UnparsedAnnotation).is_empty());
    // The measure's span covers the whole item, annotations included.
    let span = measure.span;
    assert_eq!(
        &doc.source[span.start..span.end],
        SEVERAL_ANNOTATIONS.lines().nth(3).unwrap()
    );
}

#[test]
fn labels_with_a_qualifier_and_a_bare_lead_label() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.推进线上商务服务。（牵头责任单位：区商务委；配合责任单位：区发展改革委）
2.推进线上金融服务。（主要责任单位：区发展改革委）
3.推进线上文化服务。（牵头：区政府办；配合：区商务委）
";
    let corpus = load(&[("qualified", text)]);
    let doc = document(&corpus, "qualified");
    let found = mentions_of_each(doc);
    assert_eq!(
        found,
        vec![
            vec![("区商务委", Lead), ("区发展改革委", Cooperating)],
            vec![("区发展改革委", Responsible)],
            vec![("区政府办", Lead), ("区商务委", Cooperating)],
        ]
    );
    for measure in &doc.measures {
        assert!(!measure.text.contains("单位"), "{}", measure.text);
        assert_mention_spans_quote_the_name(doc, measure);
    }
    assert_eq!(doc.measures[2].text, "推进线上文化服务。");
    assert!(warnings_of(&corpus, "qualified", WarningKind::UnparsedAnnotation).is_empty());
}

#[test]
fn inline_verbs_with_modifiers() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.推进线上政务服务。（区商务委、区发展改革委按职责分工负责）
2.推进线上商务服务。（区商务委、区政府办分别负责）
3.推进线上金融服务。（区发展改革委负责落实）
4.推进线上文化服务。（区政府办具体实施）
5.推进线上健康服务。（区商务委会同区发展改革委负责）
6.推进线上养老服务。（由区政府办负责）
";
    let corpus = load(&[("inline-verbs", text)]);
    let doc = document(&corpus, "inline-verbs");
    let found = mentions_of_each(doc);
    assert_eq!(
        found,
        vec![
            vec![("区商务委", Responsible), ("区发展改革委", Responsible)],
            vec![("区商务委", Responsible), ("区政府办", Responsible)],
            vec![("区发展改革委", Responsible)],
            vec![("区政府办", Responsible)],
            vec![("区商务委", Lead), ("区发展改革委", Cooperating)],
            vec![("区政府办", Responsible)],
        ]
    );
    for measure in &doc.measures {
        assert!(measure.agencies.iter().all(|a| a.resolved), "{measure:?}");
        assert_mention_spans_quote_the_name(doc, measure);
        assert!(!measure.text.contains('（'), "{}", measure.text);
    }
    assert!(warnings_of(&corpus, "inline-verbs", WarningKind::UnresolvedAgency).is_empty());
}

#[test]
fn lists_of_names_split_at_commas_conjunctions_and_deng() {
    let text = "甲乙市关于推进线上经济发展的工作方案
一、重点任务
（一）推进线上消费。（市科协和市工商联负责）
（二）推进线上招商。（工业和信息化部、市商务局负责）
（三）推进线上展会。（市商务局、市科协等相关部门按职责分工负责）
（四）推进线上物流。（市商务局等和各省级人民政府负责）
（五）推进线上交通。（交通运输部及各地区按职责分工负责）
（六）推进线上会展。（市商务局、各区、县级市负责）
（七）推进线上文旅。（牵头单位：市商务局；配合单位：市科协、各项目牵头单位）
";
    let corpus = load(&[("lists", text)]);
    let doc = document(&corpus, "lists");
    assert_eq!(doc.metadata.jurisdiction.as_deref(), Some("testprov-city"));
    let found = mentions_of_each(doc);
    assert_eq!(
        found,
        vec![
            vec![("市科协", Responsible), ("市工商联", Responsible)],
            vec![("工业和信息化部", Responsible), ("市商务局", Responsible)],
            vec![
                ("市商务局", Responsible),
                ("市科协", Responsible),
                ("相关部门", Responsible)
            ],
            vec![("市商务局", Responsible), ("各省级人民政府", Responsible)],
            vec![("交通运输部", Responsible), ("各地区", Responsible)],
            vec![("市商务局", Responsible), ("各区、县级市", Responsible)],
            vec![
                ("市商务局", Lead),
                ("市科协", Cooperating),
                ("各项目牵头单位", Cooperating)
            ],
        ]
    );
    assert_eq!(
        mention(&doc.measures[1], "工业和信息化部").agency_id,
        "china-miit"
    );
    assert_eq!(
        mention(&doc.measures[5], "各区、县级市").agency_id,
        "city-districts"
    );
    for measure in &doc.measures {
        assert_mention_spans_quote_the_name(doc, measure);
    }
}

#[test]
fn a_list_with_a_full_width_comma_before_an_inline_verb() {
    let text = "甲乙市关于推进线上经济发展的工作方案
一、重点任务
（一）推进线上服务。（市商务局，市科协负责）
（二）推进线上消费。（市商务局，市科协按职责分工负责）
";
    let corpus = load(&[("comma-list", text)]);
    let doc = document(&corpus, "comma-list");
    for measure in &doc.measures {
        assert_eq!(
            mentions(measure),
            [("市商务局", Responsible), ("市科协", Responsible)],
            "{}: {}",
            measure.id,
            measure.text
        );
        assert!(!measure.text.contains("负责"), "{}", measure.text);
        assert_mention_spans_quote_the_name(doc, measure);
    }
    assert_eq!(
        mention(&doc.measures[0], "市商务局").agency_id,
        "city-commerce"
    );
}

#[test]
fn a_deadline_inside_an_annotation_is_a_deadline_not_an_agency() {
    let text = "甲乙市关于推进老旧小区改造的工作方案
一、重点任务
（一）完成老旧小区改造。推进小区设施更新。（2021年底前完成，牵头单位：市商务局）
";
    let corpus = load(&[("deadline-annotation", text)]);
    let doc = document(&corpus, "deadline-annotation");
    let measure = &doc.measures[0];
    assert_eq!(mentions(measure), [("市商务局", Lead)]);
    assert_eq!(mention(measure, "市商务局").agency_id, "city-commerce");
    let deadlines: Vec<(&str, Option<&str>)> = measure
        .deadlines
        .iter()
        .map(|d| (d.text.as_str(), d.date.as_deref()))
        .collect();
    assert_eq!(deadlines, [("2021年底前完成", Some("2021-12-31"))]);
    let span = measure.deadlines[0].span;
    assert_eq!(&doc.source[span.start..span.end], "2021年底前完成");
    assert_eq!(measure.text, "完成老旧小区改造。推进小区设施更新。");
    assert!(warnings_of(
        &corpus,
        "deadline-annotation",
        WarningKind::UnparsedAnnotation
    )
    .is_empty());
}

#[test]
fn first_listed_leads_convention_applies_to_lists_of_two_or_more() {
    let text = "某某省关于推进线上经济发展的实施意见
一、重点任务
（一）发展线上消费。（省生态环境厅、省商务厅按职责分工负责，列第一位者为牵头单位，下同）
（二）发展线上展会。（省商务厅负责）
（三）发展线上文旅。（省商务厅、省生态环境厅按职责分工负责）
";
    let corpus = load(&[("first-leads", text)]);
    let doc = document(&corpus, "first-leads");
    let found = mentions_of_each(doc);
    assert_eq!(
        found,
        vec![
            vec![
                ("省生态环境厅", Lead),
                ("省生态环境厅", Responsible),
                ("省商务厅", Responsible)
            ],
            vec![("省商务厅", Responsible)],
            vec![
                ("省商务厅", Lead),
                ("省商务厅", Responsible),
                ("省生态环境厅", Responsible)
            ],
        ]
    );
    assert_eq!(
        mention(&doc.measures[0], "省生态环境厅").agency_id,
        "prov-ecology"
    );
    assert!(!doc.measures[0].text.contains("牵头单位"));
    assert_eq!(doc.measures[0].text, "发展线上消费。");
}

#[test]
fn applies_below_convention_reaches_later_measures_of_the_same_part_only() {
    let text = "某某省关于推进生态环境数字化的实施意见
一、重点任务
（一）建设监测网络。完善监测站点布局。（生态环境部牵头）
（二）推进试点示范。开展数字化监测试点。（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）
（三）推广监测设备。推动设备更新换代。（生态环境部负责）
（四）推进数据共享。建设数据共享平台。（省生态环境厅负责）
（五）开展宣传培训。组织专题培训活动。
二、保障措施
（一）加强组织领导。建立协调推进机制。（省生态环境厅负责）
";
    let corpus = load(&[("applies-below", text)]);
    let doc = document(&corpus, "applies-below");
    assert_eq!(doc.measures.len(), 6, "{:?}", labels(doc));
    let holds = |index: usize| {
        doc.measures[index]
            .agencies
            .iter()
            .any(|a| a.raw_name == "试点城市政府" && a.role == Responsible)
    };
    assert!(
        !holds(0),
        "not before the statement: {:?}",
        doc.measures[0].agencies
    );
    assert!(holds(1), "{:?}", doc.measures[1].agencies);
    assert_eq!(
        mentions(&doc.measures[2]),
        [("生态环境部", Responsible), ("试点城市政府", Responsible)]
    );
    assert_eq!(
        mentions(&doc.measures[3]),
        [("省生态环境厅", Responsible), ("试点城市政府", Responsible)]
    );
    // Measures of a later part do not inherit.
    assert_eq!(parent_label(doc, &doc.measures[5]), "二、");
    assert_eq!(mentions(&doc.measures[5]), [("省生态环境厅", Responsible)]);
    // The inherited link points at the statement.
    let inherited = mention(&doc.measures[2], "试点城市政府");
    let statement = doc.source.find("以下均需").unwrap();
    assert!(
        inherited.span.start <= statement && statement < inherited.span.end,
        "{:?}",
        inherited.span
    );
    assert!(doc.measures[1]
        .agencies
        .iter()
        .any(|a| a.raw_name == "生态环境部" && a.role == Guide));
}

#[test]
fn parentheses_that_are_not_annotations_stay_text() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.加强线上服务考核（1分）。
2.建设线上服务平台（以下简称“平台”），推动平台企业集聚。
3.推进“装、树、联”（垃圾焚烧企业依法依规安装自动监测设备、与生态环境部门联网）。
4.推广政府和社会资本合作（PPP）模式。
5.支持首台（套）装备推广应用。
6.由企业所在区（县级市）提供线上服务。
";
    let corpus = load(&[("not-annotations", text)]);
    let doc = document(&corpus, "not-annotations");
    assert_eq!(doc.measures.len(), 6);
    let kept = [
        "（1分）",
        "（以下简称“平台”）",
        "（垃圾焚烧企业依法依规安装自动监测设备、与生态环境部门联网）",
        "（PPP）",
        "首台（套）",
        "区（县级市）提供",
    ];
    for (measure, kept) in doc.measures.iter().zip(kept) {
        assert!(
            measure.agencies.is_empty(),
            "{}: {:?}",
            measure.id,
            measure.agencies
        );
        assert_eq!(measure.annotation, None, "{}", measure.id);
        assert!(
            measure.text.contains(kept),
            "{}: {}",
            measure.id,
            measure.text
        );
    }
    assert!(warnings_of(&corpus, "not-annotations", WarningKind::UnparsedAnnotation).is_empty());
    assert!(warnings_of(&corpus, "not-annotations", WarningKind::UnresolvedAgency).is_empty());
    assert!(
        corpus.agencies.iter().all(|a| a.resolved),
        "no provisional agency"
    );
}

// ---------------------------------------------------------------------------------------
// Outline and measures
// ---------------------------------------------------------------------------------------

#[test]
fn item_dots_of_every_form_with_and_without_space() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务
1.建设线上政务平台。（牵头单位：区商务委）
2. 建设线上商务平台。（牵头单位：区商务委）
3．建设线上金融平台。（牵头单位：区商务委）
4． 建设线上文化平台。（牵头单位：区商务委）
5﹒建设线上健康平台。（牵头单位：区商务委）
6﹒ 建设线上养老平台。（牵头单位：区商务委）
7、建设线上家政平台。（牵头单位：区商务委）
8、 建设线上交通平台。（牵头单位：区商务委）
9.建设线上体育平台。（牵头单位：区商务委）
10.建设线上会展平台。（牵头单位：区商务委）
11.121人才梯队项目。重点培养青年人才。（牵头单位：区商务委）
12.设立线上服务专项资金。
3.5亿元资金用于支持平台建设。（牵头单位：区商务委）
";
    let corpus = load(&[("item-dots", text)]);
    let doc = document(&corpus, "item-dots");
    let numbers: Vec<Option<u32>> = doc.measures.iter().map(|m| m.number).collect();
    assert_eq!(numbers, (1..=12).map(Some).collect::<Vec<_>>());
    assert_eq!(
        labels(doc),
        ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10.", "11.", "12."]
    );
    let titles: Vec<Option<&str>> = doc.measures[..10]
        .iter()
        .map(|m| m.title.as_deref())
        .collect();
    assert_eq!(
        titles,
        [
            "建设线上政务平台",
            "建设线上商务平台",
            "建设线上金融平台",
            "建设线上文化平台",
            "建设线上健康平台",
            "建设线上养老平台",
            "建设线上家政平台",
            "建设线上交通平台",
            "建设线上体育平台",
            "建设线上会展平台",
        ]
        .map(Some)
    );
    let eleven = &doc.measures[10];
    assert_eq!(eleven.title.as_deref(), Some("121人才梯队项目"));
    assert!(
        eleven.text.starts_with("121人才梯队项目。"),
        "{}",
        eleven.text
    );
    // `3.5亿元` opening a paragraph is text of item 12, not an item 3.
    let twelve = &doc.measures[11];
    assert!(twelve.text.contains("3.5亿元资金"), "{}", twelve.text);
    assert_eq!(mentions(twelve), [("区商务委", Lead)]);
    assert!(doc.outline.iter().all(|p| !p.text.starts_with("5亿元")));
    assert!(warnings_of(&corpus, "item-dots", WarningKind::NumberingGap).is_empty());
    // Each measure's span starts at its printed number.
    for measure in &doc.measures {
        let number = measure.number.unwrap().to_string();
        let printed = &doc.source[measure.span.start..measure.span.end];
        assert!(printed.starts_with(&number), "{}: {printed}", measure.id);
        assert_eq!(
            measure.span.line_start,
            line_starting(text, &number),
            "{}",
            measure.id
        );
    }
}

#[test]
fn item_numbers_running_on_across_sections_and_parts() {
    let text = "东湖区关于发展线上经济的工作方案
一、发展线上业态
（一）培育线上企业
1.培育线上龙头企业。（牵头单位：区商务委）
2.建设线上服务平台。（牵头单位：区商务委）
（二）创新线上服务
3.推广线上办公模式。（牵头单位：区商务委）
二、优化发展环境
（三）加强要素保障
4.加大资金支持力度。（牵头单位：区发展改革委）
5.强化人才支撑作用。（牵头单位：区发展改革委）
三、保障措施
6.加强组织领导。（牵头单位：区政府办）
";
    let corpus = load(&[("run-on-parts", text)]);
    let doc = document(&corpus, "run-on-parts");
    let numbers: Vec<Option<u32>> = doc.measures.iter().map(|m| m.number).collect();
    assert_eq!(numbers, (1..=6).map(Some).collect::<Vec<_>>());
    let parents: Vec<&str> = doc.measures.iter().map(|m| parent_label(doc, m)).collect();
    assert_eq!(
        parents,
        ["（一）", "（一）", "（二）", "（三）", "（三）", "三、"]
    );
    for measure in &doc.measures {
        assert_eq!(doc.outline[measure.provision].level, Level::Item);
        assert_eq!(measure.agencies.len(), 1, "{}", measure.id);
    }
    let ids: std::collections::HashSet<&str> = measure_ids(doc).into_iter().collect();
    assert_eq!(ids.len(), 6);
    assert!(
        warnings_of(&corpus, "run-on-parts", WarningKind::NumberingGap).is_empty(),
        "{:?}",
        corpus.warnings
    );
}

#[test]
fn a_running_on_section_with_annotated_paragraphs_is_one_measure_per_paragraph() {
    let text = "东湖区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务。推进线上政务服务，提升办事效率。（牵头单位：区政府办）
推进线上商务服务，培育线上商务企业。（牵头单位：区商务委）
推进线上金融服务，发展数字金融业态。（牵头单位：区发展改革委）
（二）发展线上文化
推广线上文化产品，培育数字内容产业。（牵头单位：区商务委）
发展线上演出业态，支持剧场开展直播。（牵头单位：区发展改革委）
";
    let corpus = load(&[("paragraphs", text)]);
    let doc = document(&corpus, "paragraphs");
    assert_eq!(doc.measures.len(), 4, "{:#?}", doc.measures);
    let section_one = doc
        .outline
        .iter()
        .find(|p| p.level == Level::Section && p.number == 1)
        .unwrap();
    for (index, measure) in doc.measures[..3].iter().enumerate() {
        assert_eq!(measure.id, format!("{}.para{}", section_one.id, index + 1));
        assert_eq!(measure.label, "（一）");
    }
    assert_eq!(mentions(&doc.measures[0]), [("区政府办", Lead)]);
    assert_eq!(mentions(&doc.measures[1]), [("区商务委", Lead)]);
    assert_eq!(mentions(&doc.measures[2]), [("区发展改革委", Lead)]);
    assert!(doc.measures[1].text.starts_with("推进线上商务服务"));
    assert!(!doc.measures[1].text.contains("线上金融"));
    assert!(doc.measures[2].text.contains("线上金融"));
    // A title-only heading: one task told in two paragraphs.
    let whole = &doc.measures[3];
    assert_eq!(whole.label, "（二）");
    assert!(!whole.id.contains(".para"), "{}", whole.id);
    assert_eq!(whole.title.as_deref(), Some("发展线上文化"));
    assert_eq!(
        mentions(whole),
        [("区商务委", Lead), ("区发展改革委", Lead)]
    );
    assert!(whole.text.contains("线上文化产品") && whole.text.contains("线上演出"));
    for measure in &doc.measures {
        assert_mention_spans_quote_the_name(doc, measure);
    }
    let ids: std::collections::HashSet<&str> = measure_ids(doc).into_iter().collect();
    assert_eq!(ids.len(), 4);
}

/// `一、` to `二十、` as Chinese numerals.
fn part_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[(n - 10) as usize]),
        20 => "二十".to_string(),
        _ => unreachable!(),
    }
}

#[test]
fn parts_are_the_measures_of_an_outline_of_parts_only() {
    let mut text =
        String::from("某某省关于加快发展线上经济的若干措施\n为加快发展线上经济，制定以下措施。\n");
    for n in 1..=20 {
        text.push_str(&format!(
            "{}、支持线上业态发展。对第{n}批线上平台给予奖励。\n",
            part_numeral(n)
        ));
    }
    let corpus = load(&[("parts-only", &text)]);
    let doc = document(&corpus, "parts-only");
    assert_eq!(doc.measures.len(), 20, "{:?}", labels(doc));
    let expected: Vec<String> = (1..=20).map(|n| format!("{}、", part_numeral(n))).collect();
    assert_eq!(labels(doc), expected);
    assert!(doc
        .measures
        .iter()
        .all(|m| doc.outline[m.provision].level == Level::Part && m.number.is_none()));
    assert!(
        doc.measures[19].text.contains("第20批"),
        "{}",
        doc.measures[19].text
    );
    assert!(warnings_of(&corpus, "parts-only", WarningKind::NumberingGap).is_empty());
}

#[test]
fn a_part_without_sections_among_parts_with_sections_is_a_measure_only_when_annotated() {
    let text = "某某省关于加快发展线上经济的实施意见
一、重点任务
（一）发展在线课堂。支持学校开展网络教学。（牵头单位：省生态环境厅）
（二）发展线上问诊。支持医疗机构开展线上服务。（牵头单位：省生态环境厅）
二、强化宣传引导。加强政策宣传解读。
三、加强组织实施。建立工作推进机制。（牵头单位：省生态环境厅）
";
    let corpus = load(&[("mixed-parts", text)]);
    let doc = document(&corpus, "mixed-parts");
    assert_eq!(labels(doc), ["（一）", "（二）", "三、"]);
    assert!(doc.measures.iter().all(|m| !m.text.contains("宣传")));
    assert_eq!(mentions(&doc.measures[2]), [("省生态环境厅", Lead)]);
}

#[test]
fn a_box_between_items_belongs_to_no_measure_and_takes_no_annotation() {
    let text = "某某省关于加快发展线上经济的实施意见
一、重点任务
（一）发展线上服务
1.发展在线课堂。支持学校开展网络教学。（牵头单位：省生态环境厅）
专栏1 重点工程
建设一批智慧课堂示范校。（牵头单位：省商务厅）
2.发展线上问诊。支持医疗机构开展线上服务。（牵头单位：省生态环境厅）
";
    let corpus = load(&[("boxed", text)]);
    let doc = document(&corpus, "boxed");
    assert_eq!(labels(doc), ["1.", "2."]);
    for measure in &doc.measures {
        assert!(!measure.text.contains("专栏"), "{}", measure.text);
        assert!(!measure.text.contains("智慧课堂"), "{}", measure.text);
        assert_eq!(mentions(measure), [("省生态环境厅", Lead)]);
    }
    // The first item's span ends before the box.
    let box_line = line_starting(text, "专栏1");
    assert!(doc.measures[0].span.line_end < box_line);
}

const TRANSMITTAL: &str = "某某省人民政府办公厅关于印发线上经济发展实施方案的通知
某政办发〔2021〕12号
各市人民政府，省政府各部门：
《线上经济发展实施方案》已经省政府同意，现印发给你们，请认真贯彻执行。
某某省人民政府办公厅
2021年6月8日
（此件公开发布）
线上经济发展实施方案
为促进线上经济发展，制定本方案。
一、重点任务
（一）发展线上消费。支持企业开展线上营销。（牵头单位：省生态环境厅）
（二）发展线上展会。支持举办线上展会。（牵头单位：省生态环境厅）
";

#[test]
fn a_transmittal_notice_with_its_plan_keeps_the_release_marker_out_of_the_title() {
    let corpus = load(&[("transmittal", TRANSMITTAL)]);
    let doc = document(&corpus, "transmittal");
    let metadata = &doc.metadata;
    assert!(
        !metadata.title.contains("此件公开发布"),
        "title: {}",
        metadata.title
    );
    assert!(
        [
            "某某省人民政府办公厅关于印发线上经济发展实施方案的通知",
            "线上经济发展实施方案"
        ]
        .contains(&metadata.title.as_str()),
        "title: {}",
        metadata.title
    );
    assert_eq!(metadata.date.as_deref(), Some("2021-06-08"));
    assert_eq!(
        metadata.doc_number.as_ref().map(|n| n.text.as_str()),
        Some("某政办发〔2021〕12号")
    );
    assert_eq!(metadata.issuer.as_deref(), Some("某某省人民政府办公厅"));
    assert_eq!(metadata.jurisdiction.as_deref(), Some("testprov"));
    assert_eq!(labels(doc), ["（一）", "（二）"]);
    assert!(doc.measures.iter().all(|m| !m.text.contains("此件")));
}

#[test]
fn a_title_with_a_period_in_parentheses_is_the_title() {
    let text = "某某省线上经济发展行动计划（2024-2025年）
为促进线上经济发展，制定本计划。
一、重点任务
（一）发展线上消费。支持企业开展线上营销。（牵头单位：省生态环境厅）
";
    let corpus = load(&[("period-title", text)]);
    let metadata = &document(&corpus, "period-title").metadata;
    assert_eq!(metadata.title, "某某省线上经济发展行动计划（2024-2025年）");
    assert_eq!(metadata.kind, "行动计划");
    assert_eq!(metadata.jurisdiction.as_deref(), Some("testprov"));
}

#[test]
fn a_page_title_line_publishing_a_document_is_the_title() {
    let text = "某某省人民政府办公厅印发《关于加快线上经济发展的若干意见》
各市人民政府，省政府各部门：
为加快线上经济发展，现提出以下意见。
一、重点任务
（一）发展线上消费。支持企业开展线上营销。（牵头单位：省生态环境厅）
";
    let corpus = load(&[("page-title", text)]);
    let doc = document(&corpus, "page-title");
    assert_eq!(
        doc.metadata.title,
        "某某省人民政府办公厅印发《关于加快线上经济发展的若干意见》"
    );
    assert_eq!(doc.metadata.kind, "意见");
    assert_eq!(doc.metadata.jurisdiction.as_deref(), Some("testprov"));
    assert!(warnings_of(&corpus, "page-title", WarningKind::MissingMetadata).is_empty());
    assert_eq!(doc.measures.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Goals and deadlines
// ---------------------------------------------------------------------------------------

type GoalRow<'a> = (&'a str, f64, &'a str, Option<i32>);

fn goal_rows(doc: &ParsedDocument) -> Vec<GoalRow<'_>> {
    doc.goals
        .iter()
        .map(|g| (g.metric.as_str(), g.value, g.unit.as_str(), g.year))
        .collect()
}

#[test]
fn goals_from_bullets_under_a_year_with_ten_thousand_units() {
    let text = "某某省关于加快数字经济发展的实施方案
一、发展目标
到2023年，实现以下目标：
——培育数字化企业10万家。推动20家企业上云。
——引进数字人才1万名。
——数字经济核心产业增加值达到3000亿元。
二、主要任务
（一）发展数字产业。推动数字产业集聚。
";
    let corpus = load(&[("bullet-goals", text)]);
    let doc = document(&corpus, "bullet-goals");
    assert_eq!(
        goal_rows(doc),
        [
            ("数字化企业", 10.0, "万家", Some(2023)),
            ("数字人才", 1.0, "万名", Some(2023)),
            ("数字经济核心产业增加值", 3000.0, "亿元", Some(2023)),
        ]
    );
    let base: Vec<(f64, &str)> = doc
        .goals
        .iter()
        .map(|g| (g.value_base.unwrap(), g.base_unit.as_deref().unwrap()))
        .collect();
    assert!(close(base[0].0, 1e5) && base[0].1 == "count", "{base:?}");
    assert!(close(base[1].0, 1e4) && base[1].1 == "person", "{base:?}");
    assert!(close(base[2].0, 3e11) && base[2].1 == "yuan", "{base:?}");
    assert_eq!(doc.goals[2].comparator, Comparator::Gte);
}

#[test]
fn distributive_goals_give_one_goal_per_value() {
    let text = "某某省关于加快数字经济发展的实施方案
一、发展目标
全省数字经济规模2024年、2025年分别突破2.2万亿元、2.4万亿元。
到2025年，数字化研发设计工具普及率、关键工序数控化率和工业互联网平台普及率分别达到30%、20%和10%。
二、主要任务
（一）发展数字产业。推动数字产业集聚。
";
    let corpus = load(&[("distributive", text)]);
    let doc = document(&corpus, "distributive");
    let rows = goal_rows(doc);
    assert_eq!(rows.len(), 5, "{:#?}", doc.goals);
    assert_eq!(
        rows[..2]
            .iter()
            .map(|(_, value, unit, year)| (*value, *unit, *year))
            .collect::<Vec<_>>(),
        [(2.2, "万亿元", Some(2024)), (2.4, "万亿元", Some(2025))]
    );
    assert!(doc.goals[..2]
        .iter()
        .all(|g| g.comparator == Comparator::Gt));
    assert!(close(doc.goals[1].value_base.unwrap(), 2.4e12));
    assert_eq!(
        rows[2..],
        [
            ("数字化研发设计工具普及率", 30.0, "%", Some(2025)),
            ("关键工序数控化率", 20.0, "%", Some(2025)),
            ("工业互联网平台普及率", 10.0, "%", Some(2025)),
        ]
    );
    assert!(doc.goals[2..]
        .iter()
        .all(|g| g.comparator == Comparator::Gte));
}

#[test]
fn distributive_goals_by_year_keep_the_metric_printed_before_the_years() {
    let text = "某某省关于加快数字经济发展的实施方案
一、发展目标
全省数字经济规模2024年、2025年分别突破2.2万亿元、2.4万亿元。
2024年、2025年网络零售额分别达到1.2万亿元、1.4万亿元。
二、主要任务
（一）发展数字产业。推动数字产业集聚。
";
    let corpus = load(&[("distributive-metric", text)]);
    let doc = document(&corpus, "distributive-metric");
    assert_eq!(
        goal_rows(doc),
        [
            ("数字经济规模", 2.2, "万亿元", Some(2024)),
            ("数字经济规模", 2.4, "万亿元", Some(2025)),
            ("网络零售额", 1.2, "万亿元", Some(2024)),
            ("网络零售额", 1.4, "万亿元", Some(2025)),
        ]
    );
}

#[test]
fn a_horizon_holds_for_its_sentence_and_recurring_amounts_are_not_goals() {
    let text = "某某省关于加强人才队伍建设的实施方案
一、发展目标
2012年起5年内，引进100名领军人才、200名高端人才和300名青年人才。引进400名技术人才。
到2025年，每年培养100名技能人才。
二、主要任务
（一）加强人才引进。完善人才引进政策。
";
    let corpus = load(&[("horizon", text)]);
    let doc = document(&corpus, "horizon");
    assert_eq!(
        goal_rows(doc),
        [
            ("领军人才", 100.0, "名", Some(2016)),
            ("高端人才", 200.0, "名", Some(2016)),
            ("青年人才", 300.0, "名", Some(2016)),
        ]
    );
    assert!(doc
        .goals
        .iter()
        .all(|g| g.base_unit.as_deref() == Some("person")));
    assert!(doc.goals.iter().all(|g| !g.metric.contains("技能")));
    assert!(doc.goals.iter().all(|g| g.value != 400.0));
}

#[test]
fn deadlines_of_measures_with_their_dates() {
    let text = "某某省关于推进线上服务发展的工作方案
某政办发〔2019〕5号
一、重点任务
（一）建立指标体系。2019年6月底前，研究建立线上服务指标体系。（牵头单位：省生态环境厅）
（二）建成服务平台。到2020年，基本建成线上服务平台。（牵头单位：省生态环境厅）
（三）开展试点示范。2019年上半年完成试点。（牵头单位：省生态环境厅）
（四）完成评估工作。6月底前完成评估工作。（牵头单位：省生态环境厅）
（五）巩固工作成效。2018年以来，成效明显。自2020年起，全面推广。落实2020年3月5日印发的方案。（牵头单位：省生态环境厅）
";
    let corpus = load(&[("deadlines", text)]);
    let doc = document(&corpus, "deadlines");
    assert_eq!(doc.measures.len(), 5);
    let found: Vec<Vec<(&str, Option<&str>)>> = doc
        .measures
        .iter()
        .map(|m| {
            m.deadlines
                .iter()
                .map(|d| (d.text.as_str(), d.date.as_deref()))
                .collect()
        })
        .collect();
    assert_eq!(found[0], [("2019年6月底前", Some("2019-06-30"))]);
    assert_eq!(found[1], [("到2020年", Some("2020-12-31"))]);
    assert_eq!(found[2].len(), 1, "{:?}", found[2]);
    assert!(found[2][0].0.starts_with("2019年上半年"), "{:?}", found[2]);
    assert_eq!(found[2][0].1, Some("2019-06-30"));
    assert_eq!(found[3], [("6月底前完成", Some("2019-06-30"))]);
    assert!(found[4].is_empty(), "not deadlines: {:?}", found[4]);
    for measure in &doc.measures {
        for deadline in &measure.deadlines {
            assert_eq!(
                &doc.source[deadline.span.start..deadline.span.end],
                deadline.text
            );
        }
    }
}

#[test]
fn a_deadline_without_a_year_takes_the_year_of_the_date_line() {
    let text = "甲乙市关于推进线上服务发展的工作方案
一、重点任务
（一）完成评估工作。9月底前完成评估工作。（牵头单位：市商务局）
甲乙市人民政府办公室
2022年3月5日
";
    let corpus = load(&[("dated", text)]);
    let doc = document(&corpus, "dated");
    assert_eq!(doc.metadata.date.as_deref(), Some("2022-03-05"));
    let deadlines: Vec<(&str, Option<&str>)> = doc.measures[0]
        .deadlines
        .iter()
        .map(|d| (d.text.as_str(), d.date.as_deref()))
        .collect();
    assert_eq!(deadlines, [("9月底前完成", Some("2022-09-30"))]);
}

// ---------------------------------------------------------------------------------------
// Every jurisdiction
// ---------------------------------------------------------------------------------------

#[test]
fn divisions_add_jurisdictions_with_codes_and_keep_the_hand_written_ones() {
    let fixture = Fixture::with_divisions();
    fixture.doc(
        "north",
        "北岭区关于推进线上服务发展的实施方案
一、主要任务
（一）发展线上服务。（牵头单位：区商务局）
",
    );
    let corpus = fixture.load();
    // A division jurisdictions.toml lacks: named with its city, the bare name an alias.
    let north = jurisdiction_record(&corpus, "testprov-city-north");
    assert_eq!(north.name, "甲乙市北岭区");
    assert!(north.aliases.iter().any(|a| a == "北岭区"), "{north:?}");
    assert_eq!(north.code.as_deref(), Some("990105"));
    assert_eq!(north.level, "district");
    assert_eq!(north.parent.as_deref(), Some("testprov-city"));
    let second = jurisdiction_record(&corpus, "bingding");
    assert_eq!(second.name, "丙丁省");
    assert_eq!(second.code.as_deref(), Some("980000"));
    assert_eq!(second.parent.as_deref(), Some("china"));
    // An entry of jurisdictions.toml keeps its fields and gains the code and the short name.
    let east = jurisdiction_record(&corpus, "testprov-city-east");
    assert_eq!(east.name, "东湖区");
    assert_eq!(east.name_en, "Donghu District");
    assert_eq!(east.aliases, ["甲乙市东湖区", "东湖"]);
    assert_eq!(east.parent.as_deref(), Some("testprov-city"));
    assert_eq!(east.code.as_deref(), Some("990102"));
    let province = jurisdiction_record(&corpus, "testprov");
    assert_eq!(province.name, "某某省");
    assert_eq!(province.code.as_deref(), Some("990000"));
    assert_eq!(
        jurisdiction_record(&corpus, "china").code.as_deref(),
        Some("000000")
    );
    // 西山区 is not in the divisions file: it stays, without a code.
    assert_eq!(
        jurisdiction_record(&corpus, "testprov-city-west").code,
        None
    );
    // Each id once.
    let ids: std::collections::HashSet<&str> =
        corpus.jurisdictions.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids.len(), corpus.jurisdictions.len());
    assert_eq!(corpus.jurisdictions.len(), 7);
    // A document of the new district is told by its title.
    assert_eq!(
        document(&corpus, "north").metadata.jurisdiction.as_deref(),
        Some("testprov-city-north")
    );
}

/// Loads documents without manifest entries into a folder with divisions and prefixes.
fn load_with_divisions(documents: &[(&str, &str)]) -> Corpus {
    let fixture = Fixture::with_divisions();
    for (id, text) in documents {
        fixture.doc(id, text);
    }
    fixture.load()
}

fn assert_jurisdiction(corpus: &Corpus, id: &str, expected: Option<&str>) {
    assert_eq!(
        document(corpus, id).metadata.jurisdiction.as_deref(),
        expected,
        "{:?}",
        corpus.warnings
    );
}

#[test]
fn jurisdiction_from_the_issuer_in_the_signature() {
    let text = "关于推进线上服务发展的若干措施
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：省商务厅）
丙丁省人民政府办公厅
2021年3月5日
";
    let corpus = load_with_divisions(&[("signed", text)]);
    let doc = document(&corpus, "signed");
    assert_eq!(doc.metadata.issuer.as_deref(), Some("丙丁省人民政府办公厅"));
    assert_jurisdiction(&corpus, "signed", Some("bingding"));
    assert!(warnings_of(&corpus, "signed", WarningKind::UnknownJurisdiction).is_empty());
    assert!(warnings_of(&corpus, "signed", WarningKind::ConflictingJurisdiction).is_empty());
}

#[test]
fn jurisdiction_of_joint_issuers_on_one_chain_is_the_deepest() {
    let text = "关于推进线上服务发展的若干措施
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：区商务委）
某某省科学技术厅
甲乙市东湖区人民政府
2021年3月5日
";
    let corpus = load_with_divisions(&[("joint", text)]);
    let doc = document(&corpus, "joint");
    assert_eq!(
        doc.metadata.issuer.as_deref(),
        Some("某某省科学技术厅、甲乙市东湖区人民政府")
    );
    assert_jurisdiction(&corpus, "joint", Some("testprov-city-east"));
    assert_eq!(
        mention(&doc.measures[0], "区商务委").agency_id,
        "east-commerce"
    );
    assert!(warnings_of(&corpus, "joint", WarningKind::ConflictingJurisdiction).is_empty());
}

#[test]
fn jurisdiction_from_the_document_numbers_issuer_code() {
    let bare = "关于推进线上服务发展的若干措施
丙〔2020〕3号
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：省商务厅）
";
    let coded = "关于推进线上商务发展的若干措施
丙政办发〔2020〕4号
一、主要任务
（一）发展线上商务。支持企业开展线上营销。（牵头单位：省商务厅）
";
    let ambiguous = "关于推进线上文化发展的若干措施
丁政发〔2020〕5号
一、主要任务
（一）发展线上文化。支持企业开展线上演出。（牵头单位：省商务厅）
";
    let corpus = load_with_divisions(&[
        ("number-bare", bare),
        ("number-coded", coded),
        ("number-ambiguous", ambiguous),
    ]);
    assert_eq!(
        document(&corpus, "number-bare")
            .metadata
            .doc_number
            .as_ref()
            .map(|n| n.issuer_code.as_str()),
        Some("丙")
    );
    assert_jurisdiction(&corpus, "number-bare", Some("bingding"));
    assert_jurisdiction(&corpus, "number-coded", Some("bingding"));
    // The longest prefix 丁政 is ambiguous: nothing, even though 丁 alone is 丙丁省.
    assert_eq!(
        document(&corpus, "number-ambiguous")
            .metadata
            .doc_number
            .as_ref()
            .map(|n| n.text.as_str()),
        Some("丁政发〔2020〕5号")
    );
    assert_jurisdiction(&corpus, "number-ambiguous", None);
    assert_eq!(
        warnings_of(
            &corpus,
            "number-ambiguous",
            WarningKind::UnknownJurisdiction
        )
        .len(),
        1
    );
}

#[test]
fn jurisdiction_from_the_titles_first_words() {
    let text = "丙丁省关于推进线上服务发展的若干措施
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：省商务厅）
";
    let corpus = load_with_divisions(&[("titled", text)]);
    assert_jurisdiction(&corpus, "titled", Some("bingding"));
    assert!(warnings_of(&corpus, "titled", WarningKind::UnknownJurisdiction).is_empty());
}

#[test]
fn jurisdiction_from_the_opening_and_the_place_named_in_the_text() {
    let text = "关于推进线上服务发展的若干措施
为推进我省线上服务发展，结合丙丁省实际，制定以下措施。
一、主要任务
（一）发展线上服务。推动全省线上服务发展。（牵头单位：省商务厅）
";
    let corpus = load_with_divisions(&[("opening", text)]);
    let doc = document(&corpus, "opening");
    assert_eq!(doc.metadata.issuer, None);
    assert_jurisdiction(&corpus, "opening", Some("bingding"));
    assert!(warnings_of(&corpus, "opening", WarningKind::UnknownJurisdiction).is_empty());
}

#[test]
fn signals_that_disagree_give_a_conflicting_jurisdiction_warning() {
    let text = "丙丁省关于推进线上服务发展的若干措施
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：省商务厅）
某某省人民政府办公厅
2021年3月5日
";
    let agreeing = "甲乙市关于推进线上服务发展的若干措施
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：市商务局）
某某省人民政府办公厅
2021年3月5日
";
    let corpus = load_with_divisions(&[("conflict", text), ("agreeing", agreeing)]);
    let conflicts = warnings_of(&corpus, "conflict", WarningKind::ConflictingJurisdiction);
    assert_eq!(conflicts.len(), 1, "{:?}", corpus.warnings);
    // The issuer comes first among the signals.
    assert_jurisdiction(&corpus, "conflict", Some("testprov"));
    // A signal pointing at an ancestor agrees.
    assert!(
        warnings_of(&corpus, "agreeing", WarningKind::ConflictingJurisdiction).is_empty(),
        "{:?}",
        corpus.warnings
    );
}

#[test]
fn no_signal_gives_an_unknown_jurisdiction_with_divisions_loaded() {
    let text = "关于推进线上服务发展的若干措施
为推进线上服务发展，制定以下措施。
一、主要任务
（一）发展线上服务。支持企业开展线上服务。（牵头单位：区商务委）
";
    let corpus = load_with_divisions(&[("nowhere", text)]);
    assert_jurisdiction(&corpus, "nowhere", None);
    assert_eq!(
        warnings_of(&corpus, "nowhere", WarningKind::UnknownJurisdiction).len(),
        1
    );
    assert!(warnings_of(&corpus, "nowhere", WarningKind::ConflictingJurisdiction).is_empty());
    assert!(!mention_in(&corpus, ("nowhere", 0), "区商务委").resolved);
}

// ---------------------------------------------------------------------------------------
// Resolution with the standard-agency model
// ---------------------------------------------------------------------------------------

const BINGDING_COMMERCE: &str = "丙丁省关于推进线上商务发展的实施方案
一、重点任务
（一）发展线上商务。支持企业开展线上营销。（牵头单位：省商务厅；配合单位：省交通厅、省交通运输厅、各有关单位）
（二）建设专班机制。建立工作专班。（牵头单位：省某某某办）
";
const BINGDING_LOGISTICS: &str = "丙丁省关于推进线上物流发展的工作方案
一、重点任务
（一）发展线上物流。建设智能配送网络。（牵头单位：省商务厅）
";
const CITY_TALENT: &str = "甲乙市关于加强人才工作的实施方案
一、重点任务
（一）加强人才引进。完善人才引进政策。（牵头单位：市委组织部；配合单位：市商务局）
";
const NATIONAL_SERVICES: &str = "国务院办公厅关于推进线上服务发展的指导意见
一、重点任务
（一）发展线上服务。支持企业开展线上服务。（发展改革委、商务部负责）
";
const PROVINCE_COMMERCE: &str = "某某省关于推进线上商务发展的实施方案
一、重点任务
（一）发展线上商务。支持企业开展线上营销。（牵头单位：省商务厅；配合单位：省生态环境厅）
";
const WEST_SERVICES: &str = "西山区关于推进线上商务发展的工作方案
一、重点任务
（一）发展线上商务。支持企业开展线上营销。（牵头单位：区商务委）
";

fn modelled() -> Corpus {
    let fixture = Fixture::with_model();
    fixture
        .doc("bingding-commerce", BINGDING_COMMERCE)
        .doc("bingding-logistics", BINGDING_LOGISTICS)
        .doc("city-talent", CITY_TALENT)
        .doc("national-services", NATIONAL_SERVICES)
        .doc("province-commerce", PROVINCE_COMMERCE)
        .doc("west-services", WEST_SERVICES);
    fixture.load()
}

#[test]
fn a_model_department_is_instantiated_for_the_documents_province() {
    let corpus = modelled();
    let doc = document(&corpus, "bingding-commerce");
    assert_eq!(doc.metadata.jurisdiction.as_deref(), Some("bingding"));
    let commerce = mention(&doc.measures[0], "省商务厅");
    assert!(commerce.resolved);
    let record = agency_record(&corpus, &commerce.agency_id);
    assert_eq!(record.name, "丙丁省商务厅");
    assert_eq!(record.jurisdiction.as_deref(), Some("bingding"));
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Model);
    assert!(record.resolved);
    assert!(
        warnings_of(&corpus, "bingding-commerce", WarningKind::UnresolvedAgency)
            .iter()
            .all(|w| !w.contains("省商务厅")),
        "{:?}",
        corpus.warnings
    );
}

#[test]
fn a_short_form_and_the_standard_name_are_one_model_agency() {
    let corpus = modelled();
    let doc = document(&corpus, "bingding-commerce");
    let short = mention(&doc.measures[0], "省交通厅");
    let full = mention(&doc.measures[0], "省交通运输厅");
    assert!(short.resolved && full.resolved);
    assert_eq!(short.agency_id, full.agency_id);
    let record = agency_record(&corpus, &short.agency_id);
    assert_eq!(record.name, "丙丁省交通运输厅");
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Model);
    assert_ne!(
        short.agency_id,
        mention(&doc.measures[0], "省商务厅").agency_id
    );
}

#[test]
fn two_documents_of_one_province_share_the_model_agency() {
    let corpus = modelled();
    let first = mention_in(&corpus, ("bingding-commerce", 0), "省商务厅");
    let second = mention_in(&corpus, ("bingding-logistics", 0), "省商务厅");
    assert_eq!(first.agency_id, second.agency_id);
    assert_eq!(
        corpus
            .agencies
            .iter()
            .filter(|a| a.id == first.agency_id)
            .count(),
        1
    );
    assert_eq!(
        corpus
            .agencies
            .iter()
            .filter(|a| a.name == "丙丁省商务厅")
            .count(),
        1
    );
}

#[test]
fn a_printed_party_organ_pattern_gives_its_full_name() {
    let corpus = modelled();
    let doc = document(&corpus, "city-talent");
    assert_eq!(doc.metadata.jurisdiction.as_deref(), Some("testprov-city"));
    let organ = mention(&doc.measures[0], "市委组织部");
    assert!(organ.resolved);
    let record = agency_record(&corpus, &organ.agency_id);
    assert_eq!(record.name, "中共甲乙市委组织部");
    assert_eq!(record.jurisdiction.as_deref(), Some("testprov-city"));
    assert_eq!(record.kind, "party_organ");
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Model);
    // The gazetteer's 市商务局 is still the gazetteer's.
    assert_eq!(
        mention(&doc.measures[0], "市商务局").agency_id,
        "city-commerce"
    );
}

#[test]
fn a_national_alias_in_a_national_document_is_the_national_body() {
    let corpus = modelled();
    let doc = document(&corpus, "national-services");
    assert_eq!(doc.metadata.jurisdiction.as_deref(), Some("china"));
    // The model's body is the gazetteer's record where the gazetteer carries its name.
    let ndrc = mention(&doc.measures[0], "发展改革委");
    assert!(ndrc.resolved);
    assert_eq!(ndrc.agency_id, "china-ndrc");
    // A national body the gazetteer lacks is a model record of the nation.
    let mofcom = mention(&doc.measures[0], "商务部");
    assert!(mofcom.resolved);
    let record = agency_record(&corpus, &mofcom.agency_id);
    assert_eq!(record.name, "商务部");
    assert_eq!(record.jurisdiction.as_deref(), Some("china"));
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Model);
    assert!(warnings_of(&corpus, "national-services", WarningKind::UnresolvedAgency).is_empty());
}

#[test]
fn a_model_collective_resolves_for_the_documents_jurisdiction() {
    let corpus = modelled();
    let doc = document(&corpus, "bingding-commerce");
    let collective = mention(&doc.measures[0], "各有关单位");
    assert_eq!(collective.role, Cooperating);
    assert!(collective.resolved);
    let record = agency_record(&corpus, &collective.agency_id);
    assert_eq!(record.jurisdiction.as_deref(), Some("bingding"));
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Model);
    assert_eq!(record.kind, "collective");
}

#[test]
fn the_gazetteer_wins_over_the_model() {
    let corpus = modelled();
    let doc = document(&corpus, "province-commerce");
    let ecology = mention(&doc.measures[0], "省生态环境厅");
    assert_eq!(ecology.agency_id, "prov-ecology");
    assert!(ecology.resolved);
    assert_eq!(
        agency_record(&corpus, "prov-ecology").origin,
        zhengce::corpus::AgencyOrigin::Gazetteer
    );
}

#[test]
fn a_name_nothing_knows_stays_provisional_with_the_model_loaded() {
    let corpus = modelled();
    let doc = document(&corpus, "bingding-commerce");
    let unknown = mention(&doc.measures[1], "省某某某办");
    assert!(!unknown.resolved);
    let record = agency_record(&corpus, &unknown.agency_id);
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Provisional);
    assert!(!record.resolved);
    assert_eq!(record.jurisdiction.as_deref(), Some("bingding"));
    let unresolved = warnings_of(&corpus, "bingding-commerce", WarningKind::UnresolvedAgency);
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(unresolved[0].contains("省某某某办"));
}

#[test]
fn a_name_never_resolves_across_jurisdictions_with_the_model_loaded() {
    let corpus = modelled();
    let west = mention_in(&corpus, ("west-services", 0), "区商务委");
    assert_eq!(west.agency_id, "west-commerce");
    let province = mention_in(&corpus, ("province-commerce", 0), "省商务厅");
    let bingding = mention_in(&corpus, ("bingding-commerce", 0), "省商务厅");
    assert_ne!(province.agency_id, bingding.agency_id);
    let record = agency_record(&corpus, &province.agency_id);
    assert_eq!(record.name, "某某省商务厅");
    assert_eq!(record.jurisdiction.as_deref(), Some("testprov"));
    assert_eq!(record.origin, zhengce::corpus::AgencyOrigin::Model);
}

// ---------------------------------------------------------------------------------------
// Divisions: further documents and annexes of one file
// ---------------------------------------------------------------------------------------

const NOTICE_WITH_TWO_ANNEXED_PLANS: &str = "东湖区人民政府办公室关于印发两个实施方案的通知
各街道办事处，区政府各部门：
现将《东湖区线上消费实施方案》《东湖区线上展会实施方案》印发给你们，请认真贯彻执行。
附件：1.东湖区线上消费实施方案 2.东湖区线上展会实施方案
东湖区人民政府办公室
2021年6月8日
附件1
东湖区线上消费实施方案
一、总体要求
坚持以人民为中心，推动线上消费发展。
二、重点任务
（一）发展直播电商。支持企业开展直播营销。（牵头单位：区商务委）
（二）发展线上餐饮。推动餐饮企业上线经营。（牵头单位：区商务委；配合单位：区发展改革委）
附件2
东湖区线上展会实施方案
一、总体要求
推动展会线上化。到2022年，培育线上展会企业10家以上。
二、重点任务
（一）建设线上展会平台。2021年底前建成平台。（牵头单位：区发展改革委）
（二）培育线上展会品牌。（牵头单位：区商务委）
";

#[test]
fn a_notice_printing_two_plans_reads_the_measures_of_both() {
    let corpus = load(&[("two-plans", NOTICE_WITH_TWO_ANNEXED_PLANS)]);
    let doc = document(&corpus, "two-plans");
    assert_measures(doc, &["p2.s1", "p2.s2", "annex2.p2.s1", "annex2.p2.s2"]);
    // The second plan's title and annex line belong to no measure of the first.
    assert!(
        !doc.measures[1].text.contains("附件2"),
        "{}",
        doc.measures[1].text
    );
    assert!(
        !doc.measures[1].text.contains("展会"),
        "{}",
        doc.measures[1].text
    );
    assert_eq!(mentions(&doc.measures[2]), [("区发展改革委", Lead)]);
    assert_eq!(
        doc.measures[2].deadlines[0].date.as_deref(),
        Some("2021-12-31")
    );
    assert_eq!(doc.measures[2].path[0], "附件2 东湖区线上展会实施方案");
    assert_eq!(
        doc.measures[2].span.line_start,
        line_starting(NOTICE_WITH_TWO_ANNEXED_PLANS, "（一）建设线上展会平台")
    );
    // The preamble of the second plan is no measure either, but its goal is a goal.
    assert!(doc.measures.iter().all(|m| !m.text.contains("展会线上化")));
    assert!(
        doc.goals
            .iter()
            .any(|g| g.year == Some(2022) && g.value == 10.0 && g.unit == "家"),
        "{:?}",
        doc.goals
    );
    assert_spans_quote_the_source(&corpus);
}

const TWO_PLANS_BACK_TO_BACK: &str = "东湖区线上消费实施方案
一、重点任务
（一）发展直播电商。支持企业开展直播营销。（牵头单位：区商务委）
二、保障措施
（一）加强组织领导。建立工作机制。（牵头单位：区政府办）
东湖区线上展会实施方案
一、重点任务
（一）建设线上展会平台。（牵头单位：区发展改革委）
";

#[test]
fn a_second_title_followed_by_a_new_first_part_starts_a_further_document() {
    let corpus = load(&[("back-to-back", TWO_PLANS_BACK_TO_BACK)]);
    let doc = document(&corpus, "back-to-back");
    assert_measures(doc, &["p1.s1", "p2.s1", "c2.p1.s1"]);
    assert!(
        !doc.measures[1].text.contains("展会"),
        "{}",
        doc.measures[1].text
    );
    assert_eq!(doc.measures[2].path[0], "东湖区线上展会实施方案");
    assert_eq!(mentions(&doc.measures[2]), [("区发展改革委", Lead)]);
    assert!(
        warnings_of(&corpus, "back-to-back", WarningKind::NumberingGap).is_empty(),
        "{:?}",
        corpus.warnings
    );
}

const PLAN_WITH_TASK_TABLE: &str = "东湖区关于推进线上经济发展的实施意见
一、重点任务
（一）发展线上消费。支持企业开展线上营销。
（二）发展线上展会。支持举办线上展会。
二、保障措施
加强组织领导，按照附件分工抓好落实。
附件
重点任务分工表
序号\t重点任务\t牵头单位\t配合单位\t完成时限
1\t建设直播电商基地。\t区商务委\t区发展改革委、区财政局\t2021年底前
2\t举办线上展会。推动展会线上化。\t区发展改革委\t\t2022年6月底前
3\t完善统计监测。\t区统计局\t各街道\t长期坚持
";

#[test]
fn rows_of_a_task_table_in_an_annex_are_measures_with_their_agencies_and_times() {
    let corpus = load(&[("task-table", PLAN_WITH_TASK_TABLE)]);
    let doc = document(&corpus, "task-table");
    let table: Vec<&Measure> = doc
        .measures
        .iter()
        .filter(|m| m.id.starts_with("task-table--annex1."))
        .collect();
    let ids: Vec<&str> = table.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "task-table--annex1.i1",
            "task-table--annex1.i2",
            "task-table--annex1.i3"
        ]
    );
    assert_eq!(table[0].text, "建设直播电商基地。");
    assert_eq!(
        mentions(table[0]),
        [
            ("区商务委", Lead),
            ("区发展改革委", Cooperating),
            ("区财政局", Cooperating)
        ]
    );
    assert_eq!(table[0].deadlines[0].text, "2021年底前");
    assert_eq!(table[0].deadlines[0].date.as_deref(), Some("2021-12-31"));
    assert_eq!(mentions(table[1]), [("区发展改革委", Lead)]);
    assert_eq!(table[1].deadlines[0].date.as_deref(), Some("2022-06-30"));
    assert!(table[2].deadlines.is_empty());
    assert_eq!(table[0].path, ["附件 重点任务分工表"]);
    // Every agency's span quotes its cell.
    for measure in &table {
        for agency in &measure.agencies {
            let quoted = &doc.source[agency.span.start..agency.span.end];
            assert_eq!(quoted, agency.raw_name);
        }
    }
    let row = line_starting(PLAN_WITH_TASK_TABLE, "2\t");
    assert_eq!(table[1].span.line_start, row);
    // The body's sections are measures as before.
    assert_eq!(doc.measures.len(), 5);
}

const PLAN_WITH_ANNEXED_TASK_LIST: &str = "东湖区关于推进线上经济发展的实施意见
一、重点任务
（一）发展线上消费。支持企业开展线上营销。
二、保障措施
按照附件分工抓好落实。
附件：重点任务清单
1.建设直播电商基地。（牵头单位：区商务委）
2.举办线上展会。（牵头单位：区发展改革委；配合单位：各街道）
附件2
申请表
单位名称：
联系人：
";

#[test]
fn annotated_items_of_an_annex_are_measures_and_a_form_annex_is_not_read() {
    let corpus = load(&[("task-list", PLAN_WITH_ANNEXED_TASK_LIST)]);
    let doc = document(&corpus, "task-list");
    assert_measures(doc, &["p1.s1", "annex1.i1", "annex1.i2"]);
    assert_eq!(mentions(&doc.measures[1]), [("区商务委", Lead)]);
    assert_eq!(
        mentions(&doc.measures[2]),
        [("区发展改革委", Lead), ("各街道", Cooperating)]
    );
    assert!(doc.measures.iter().all(|m| !m.text.contains("申请表")));
    let annex = &doc.outline[doc.measures[1].provision.min(doc.outline.len())];
    assert_eq!(annex.level, Level::Item);
    assert_eq!(parent_label(doc, &doc.measures[1]), "附件");
    assert_spans_quote_the_source(&corpus);
}

#[test]
fn the_normalizer_keeps_one_tab_between_the_cells_of_a_row() {
    // Each tab is a cell boundary, an empty cell included; spaces around tabs go.
    assert_eq!(
        normalize("1 \t 建设基地\t\t区商务委 \n").text,
        "1\t建设基地\t\t区商务委"
    );
    // A tab that only indents a paragraph, or follows its numbering, is layout.
    assert_eq!(normalize("\t一、总体要求\t\n").text, "一、总体要求");
    assert_eq!(
        normalize("\t一、\t到2020年，\t完成\n").text,
        "一、到2020年，\t完成"
    );
    assert_eq!(normalize("建设 基地").text, "建设基地");
}

#[test]
fn names_that_end_in_lead_unit_or_member_units_are_names() {
    let text = "东湖区关于推进线上经济发展的实施方案
一、重点任务
（一）建立推进机制。定期会商重大问题。（区线上经济工作领导小组成员单位按职责分工负责）
（二）落实专项任务。逐项细化任务清单。（各专项任务牵头单位负责）
（三）强化督促检查。定期通报进展。（牵头单位：区政府办；配合单位：领导小组各成员单位）
";
    let corpus = load(&[("member-units", text)]);
    let doc = document(&corpus, "member-units");
    assert_eq!(
        mentions(&doc.measures[0]),
        [("区线上经济工作领导小组成员单位", Responsible)]
    );
    assert_eq!(
        mentions(&doc.measures[1]),
        [("各专项任务牵头单位", Responsible)]
    );
    assert_eq!(
        mentions(&doc.measures[2]),
        [("区政府办", Lead), ("领导小组各成员单位", Cooperating)]
    );
}

#[test]
fn a_printed_pattern_with_the_short_place_name_resolves_to_that_place() {
    let fixture = Fixture::with_model();
    fixture.doc(
        "province-bank",
        "某某省关于加强金融支持的实施意见
一、重点任务
（一）加大信贷投放。支持银行机构扩大贷款。（人行甲乙中心支行负责）
",
    );
    let corpus = fixture.load();
    let doc = document(&corpus, "province-bank");
    let bank = mention(&doc.measures[0], "人行甲乙中心支行");
    assert!(bank.resolved, "{:?}", corpus.warnings);
    let record = agency_record(&corpus, &bank.agency_id);
    assert_eq!(record.name, "中国人民银行甲乙中心支行");
    assert_eq!(record.jurisdiction.as_deref(), Some("testprov-city"));
}

#[test]
fn a_task_table_in_markdown_pipe_rows_is_read_like_a_tab_separated_one() {
    let text = "东湖区关于推进线上经济发展的实施意见
一、重点任务
（一）发展线上消费。支持企业开展线上营销。
附件
重点任务分工表
| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |
|---|---|:---:|---|---|
| 1 | 建设直播电商基地。 | 区商务委 | 区发展改革委、区财政局 | 2021年底前 |
| 2 | 举办线上展会。 | 区发展改革委 |  | 2022年6月底前 |
";
    let corpus = load(&[("pipe-table", text)]);
    let doc = document(&corpus, "pipe-table");
    assert_measures(doc, &["p1.s1", "annex1.i1", "annex1.i2"]);
    assert_eq!(doc.measures[1].text, "建设直播电商基地。");
    assert_eq!(
        mentions(&doc.measures[1]),
        [
            ("区商务委", Lead),
            ("区发展改革委", Cooperating),
            ("区财政局", Cooperating)
        ]
    );
    assert_eq!(mentions(&doc.measures[2]), [("区发展改革委", Lead)]);
    assert_eq!(
        doc.measures[2].deadlines[0].date.as_deref(),
        Some("2022-06-30")
    );
    for measure in &doc.measures[1..] {
        for agency in &measure.agencies {
            assert_eq!(
                &doc.source[agency.span.start..agency.span.end],
                agency.raw_name
            );
        }
    }
}

#[test]
fn two_annexes_printed_with_the_same_label_get_ids_of_their_own() {
    let text = "东湖区关于推进线上经济发展的实施意见
一、重点任务
（一）发展线上消费。支持企业开展线上营销。
附件
| 序号 | 重点任务 | 牵头单位 |
|---|---|---|
| 1 | 建设直播电商基地。 | 区商务委 |
附件
重点任务清单
1.举办线上展会。（牵头单位：区发展改革委）
";
    let corpus = load(&[("same-label", text)]);
    let doc = document(&corpus, "same-label");
    assert_measures(doc, &["p1.s1", "annex1.i1", "annex2.i1"]);
    // The table right after the bare annex line is no title.
    assert_eq!(mentions(&doc.measures[1]), [("区商务委", Lead)]);
    let outline_ids: std::collections::HashSet<&str> =
        doc.outline.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(outline_ids.len(), doc.outline.len());
}

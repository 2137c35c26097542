//! Golden tests over the five documents of `data/`: every fact that issue 3 lists under
//! "Facts the five documents must yield", plus corpus-wide invariants (spans that quote
//! the source, unique ids, every agency name resolved, a deterministic parse).
//!
//! The data folder is parsed once and shared by all tests.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use common::corpus::{assert_spans_quote_the_source, citation_titled, close};
use common::data_dir;
use common::documents::{CHONGQING_PLAN, HONGKOU, REPLY, TIANJIN, YUBEI};
use zhengce::corpus::normalize::normalize;
use zhengce::corpus::{
    load_corpus, Agency, Comparator, Corpus, DocumentStatus, Goal, Level, Measure, ParsedDocument,
    Provision, Role, WarningKind,
};

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        load_corpus(&data_dir()).unwrap_or_else(|e| panic!("data/ does not load: {e}"))
    })
}

/// The record of `records` whose id (`id_of`) is `id`.
fn by_id<'a, T>(records: &'a [T], id: &str, id_of: impl Fn(&T) -> &str) -> &'a T {
    records
        .iter()
        .find(|record| id_of(record) == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

fn document(id: &str) -> &'static ParsedDocument {
    by_id(&corpus().documents, id, |d| &d.id)
}

fn agency(id: &str) -> &'static Agency {
    by_id(&corpus().agencies, id, |a| &a.id)
}

/// The measure numbered `number` (an item number) in a document.
fn item(document: &ParsedDocument, number: u32) -> &Measure {
    document
        .measures
        .iter()
        .find(|m| m.number == Some(number))
        .unwrap_or_else(|| panic!("{}: no measure numbered {number}", document.id))
}

fn provision_of<'a>(document: &'a ParsedDocument, measure: &Measure) -> &'a Provision {
    &document.outline[measure.provision]
}

fn parent<'a>(document: &'a ParsedDocument, provision: &Provision) -> &'a Provision {
    let index = provision
        .parent
        .unwrap_or_else(|| panic!("{} has no parent", provision.id));
    &document.outline[index]
}

/// The part (`一、` level) a measure stands under.
fn part_of<'a>(document: &'a ParsedDocument, measure: &Measure) -> &'a Provision {
    let mut provision = provision_of(document, measure);
    while provision.level != Level::Part {
        provision = parent(document, provision);
    }
    provision
}

/// Agency ids that a printed name was resolved to in a document.
fn ids_for_name(document: &ParsedDocument, raw_name: &str) -> BTreeSet<String> {
    document
        .measures
        .iter()
        .flat_map(|m| &m.agencies)
        .filter(|a| a.raw_name == raw_name)
        .map(|a| a.agency_id.clone())
        .collect()
}

fn goals_for_year(document: &ParsedDocument, year: i32) -> Vec<&Goal> {
    document
        .goals
        .iter()
        .filter(|g| g.year == Some(year))
        .collect()
}

fn find_goal<'a>(goals: &[&'a Goal], metric_part: &str, value: f64, unit: &str) -> &'a Goal {
    let found: Vec<&&Goal> = goals
        .iter()
        .filter(|g| g.metric.contains(metric_part) && g.value == value && g.unit == unit)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one goal {metric_part} {value}{unit} in {goals:#?}"
    );
    found[0]
}

/// Asserts that `document` cites a document numbered `number`.
fn assert_cites_number(document: &ParsedDocument, number: &str) {
    assert!(
        document
            .citations
            .iter()
            .any(|c| c.doc_number.as_ref().is_some_and(|n| n.text == number)),
        "{:?}",
        document.citations
    );
}

/// The cited-document id a citation of `document` (by index) was tied to.
fn cited_id(document: &str, citation: usize) -> &'static str {
    corpus()
        .references
        .iter()
        .find(|r| r.citing_document == document && r.citation == citation)
        .map(|r| r.cited.as_str())
        .unwrap_or_else(|| panic!("no cross-reference for {document} citation {citation}"))
}

// ---------------------------------------------------------------------------------------
// Yubei
// ---------------------------------------------------------------------------------------

#[test]
fn yubei_and_tianjin_are_drafts() {
    for id in [YUBEI, TIANJIN] {
        assert_eq!(document(id).metadata.status, DocumentStatus::Draft, "{id}");
    }
}

#[test]
fn yubei_has_48_measures_numbered_1_to_48() {
    let doc = document(YUBEI);
    assert_eq!(doc.measures.len(), 48);
    let numbers: Vec<Option<u32>> = doc.measures.iter().map(|m| m.number).collect();
    let expected: Vec<Option<u32>> = (1..=48).map(Some).collect();
    assert_eq!(numbers, expected);
    for measure in &doc.measures {
        assert_eq!(
            provision_of(doc, measure).level,
            Level::Item,
            "{}",
            measure.id
        );
    }
}

#[test]
fn yubei_measures_stand_in_sections_4_to_25_under_parts_3_to_6() {
    let doc = document(YUBEI);
    let mut sections = Vec::new();
    let mut parts = BTreeSet::new();
    for measure in &doc.measures {
        let section = parent(doc, provision_of(doc, measure));
        assert_eq!(section.level, Level::Section, "{}", measure.id);
        let part = parent(doc, section);
        assert_eq!(part.level, Level::Part, "{}", measure.id);
        assert!(
            (3..=6).contains(&part.number),
            "{} is under part {}",
            measure.id,
            part.label
        );
        if sections.last() != Some(&section.label) {
            sections.push(section.label.clone());
        }
        parts.insert(part.label.clone());
    }
    let expected: Vec<&str> = vec![
        "（四）",
        "（五）",
        "（六）",
        "（七）",
        "（八）",
        "（九）",
        "（十）",
        "（十一）",
        "（十二）",
        "（十三）",
        "（十四）",
        "（十五）",
        "（十六）",
        "（十七）",
        "（十八）",
        "（十九）",
        "（二十）",
        "（二十一）",
        "（二十二）",
        "（二十三）",
        "（二十四）",
        "（二十五）",
    ];
    assert_eq!(sections, expected);
    let expected_parts: BTreeSet<String> = ["三、", "四、", "五、", "六、"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(parts, expected_parts);
}

#[test]
fn yubei_every_measure_has_a_lead_agency() {
    for measure in &document(YUBEI).measures {
        assert!(
            measure.agencies.iter().any(|a| a.role == Role::Lead),
            "measure {} has no lead agency: {:?}",
            measure.label,
            measure.agencies
        );
    }
}

#[test]
fn yubei_measure_25_cooperating_agency_is_the_urban_management_bureau() {
    let doc = document(YUBEI);
    let measure = item(doc, 25);
    let cooperating: Vec<_> = measure
        .agencies
        .iter()
        .filter(|a| a.role == Role::Cooperating)
        .collect();
    assert_eq!(cooperating.len(), 1, "{:?}", measure.agencies);
    let mention = cooperating[0];
    assert_eq!(mention.raw_name, "区城市管理局");
    assert!(mention.resolved);
    let bureau = agency(&mention.agency_id);
    assert_eq!(bureau.jurisdiction.as_deref(), Some("chongqing-yubei"));
    assert!(
        bureau.aliases.iter().any(|a| a == "区城市管理局"),
        "{bureau:?}"
    );
    assert!(measure
        .agencies
        .iter()
        .any(|a| a.role == Role::Lead && a.raw_name == "区大数据发展局"));
    // The annotation separates its labelled parts with `，` where others use `；`.
    let annotation = measure.annotation.as_deref().expect("annotation");
    assert!(annotation.contains("，配合单位"), "{annotation}");
    assert!(!annotation.contains('；'), "{annotation}");
}

#[test]
fn yubei_measure_4_annotation_on_its_own_line_still_gives_the_lead() {
    let doc = document(YUBEI);
    let measure = item(doc, 4);
    let annotation = measure.annotation.as_deref().expect("annotation");
    assert_eq!(annotation, "（牵头单位：区商务委；配合单位：各镇街）");
    let lines: Vec<&str> = doc.source.lines().collect();
    let own_line = (measure.span.line_start + 1..=measure.span.line_end)
        .find(|&line| normalize(lines[line - 1]).text == annotation);
    assert!(
        own_line.is_some(),
        "the annotation is not on a source line of its own within lines {}..={}",
        measure.span.line_start,
        measure.span.line_end
    );
    assert!(
        !normalize(lines[measure.span.line_start - 1])
            .text
            .contains("牵头单位"),
        "the measure's first line should not hold the annotation"
    );
    assert!(!measure.text.contains("牵头单位"));
    let lead: Vec<_> = measure
        .agencies
        .iter()
        .filter(|a| a.role == Role::Lead)
        .collect();
    assert_eq!(lead.len(), 1);
    assert_eq!(lead[0].raw_name, "区商务委");
    let commission = agency(&lead[0].agency_id);
    assert_eq!(commission.jurisdiction.as_deref(), Some("chongqing-yubei"));
    assert!(commission.aliases.iter().any(|a| a == "区商务委"));
}

/// Asserts that the two printed names are resolved to the same one agency in Yubei's plan.
fn assert_one_agency_in_yubei(name: &str, variant: &str) {
    let doc = document(YUBEI);
    let a = ids_for_name(doc, name);
    let b = ids_for_name(doc, variant);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a, b);
}

#[test]
fn yubei_human_resources_variants_are_one_agency() {
    assert_one_agency_in_yubei("区人力社保局", "区人社社保局");
}

#[test]
fn yubei_government_office_variants_are_one_agency() {
    assert_one_agency_in_yubei("区政府办", "区政府办公室");
}

#[test]
fn yubei_cites_the_chongqing_opinions_by_number() {
    let doc = document(YUBEI);
    let citation = doc
        .citations
        .iter()
        .find(|c| {
            c.doc_number
                .as_ref()
                .is_some_and(|n| n.text == "渝府办发〔2020〕25号")
        })
        .expect("citation of 渝府办发〔2020〕25号");
    let number = citation.doc_number.as_ref().unwrap();
    assert_eq!(
        (number.issuer_code.as_str(), number.year, number.serial),
        ("渝府办发", 2020, 25)
    );
}

// ---------------------------------------------------------------------------------------
// Chongqing "Internet Plus" plan
// ---------------------------------------------------------------------------------------

#[test]
fn chongqing_plan_metadata() {
    let metadata = &document(CHONGQING_PLAN).metadata;
    assert_eq!(metadata.issuer.as_deref(), Some("重庆市人民政府办公厅"));
    assert_eq!(metadata.date.as_deref(), Some("2015-12-31"));
    assert_eq!(metadata.title, "重庆市“互联网+”行动计划");
    assert_eq!(metadata.status, DocumentStatus::Final);
}

#[test]
fn chongqing_plan_has_15_measures_from_tasks_and_safeguards() {
    let doc = document(CHONGQING_PLAN);
    assert_eq!(doc.measures.len(), 15);
    let mut by_part: Vec<(String, Vec<u32>)> = Vec::new();
    for measure in &doc.measures {
        let provision = provision_of(doc, measure);
        assert_eq!(provision.level, Level::Section, "{}", measure.id);
        let part = part_of(doc, measure);
        let key = format!("{}{}", part.label, part.title.as_deref().unwrap_or(""));
        match by_part.last_mut() {
            Some((last, numbers)) if *last == key => numbers.push(provision.number),
            _ => by_part.push((key, vec![provision.number])),
        }
    }
    assert_eq!(
        by_part,
        vec![
            ("二、主要任务".to_string(), (1..=11).collect::<Vec<u32>>()),
            ("三、保障措施".to_string(), (1..=4).collect::<Vec<u32>>()),
        ]
    );
}

#[test]
fn chongqing_plan_has_exactly_the_eight_goals() {
    let doc = document(CHONGQING_PLAN);
    assert_eq!(doc.goals.len(), 8, "{:#?}", doc.goals);
    let y2018 = goals_for_year(doc, 2018);
    let y2020 = goals_for_year(doc, 2020);
    assert_eq!(y2018.len(), 6, "{y2018:#?}");
    assert_eq!(y2020.len(), 2, "{y2020:#?}");

    let disclosure = find_goal(&y2018, "政务信息网上公开率", 95.0, "%");
    assert_eq!(disclosure.comparator, Comparator::Gte);
    assert_eq!(disclosure.base_unit.as_deref(), Some("percent"));
    find_goal(&y2018, "互联网骨干企业", 30.0, "家");
    find_goal(&y2018, "大中型互联网", 100.0, "家");
    let software = find_goal(&y2018, "软件和信息服务业产值", 2500.0, "亿元");
    assert!(close(software.value_base.unwrap(), 2.5e11), "{software:?}");
    assert_eq!(software.base_unit.as_deref(), Some("yuan"));
    let commerce = find_goal(&y2018, "电子商务交易额", 14000.0, "亿元");
    assert!(close(commerce.value_base.unwrap(), 1.4e12), "{commerce:?}");
    let bases = find_goal(&y2018, "示范基地", 10.0, "个");
    assert_eq!(bases.comparator, Comparator::Gte);

    find_goal(&y2020, "互联网骨干企业", 50.0, "家");
    let software = find_goal(&y2020, "软件和信息服务业产值", 4000.0, "亿元");
    assert!(close(software.value_base.unwrap(), 4e11), "{software:?}");
    assert_eq!(software.base_unit.as_deref(), Some("yuan"));
}

#[test]
fn chongqing_plan_cites_the_state_council_opinions() {
    assert_cites_number(document(CHONGQING_PLAN), "国发〔2015〕40号");
}

// ---------------------------------------------------------------------------------------
// Hongkou
// ---------------------------------------------------------------------------------------

#[test]
fn hongkou_issued_2020_04_30() {
    assert_eq!(
        document(HONGKOU).metadata.date.as_deref(),
        Some("2020-04-30")
    );
}

#[test]
fn hongkou_has_23_titled_measures_with_responsible_departments() {
    let doc = document(HONGKOU);
    assert_eq!(doc.measures.len(), 23);
    for measure in &doc.measures {
        assert!(
            measure.title.as_deref().is_some_and(|t| !t.is_empty()),
            "measure {} has no title",
            measure.label
        );
        assert!(
            !measure.agencies.is_empty(),
            "measure {} names no agency",
            measure.label
        );
        assert!(
            measure.agencies.iter().all(|a| a.role == Role::Responsible),
            "measure {}: {:?}",
            measure.label,
            measure.agencies
        );
    }
    assert_eq!(item(doc, 8).title.as_deref(), Some("在线医疗"));
}

#[test]
fn hongkou_cites_the_shanghai_action_plan_by_number() {
    assert_cites_number(document(HONGKOU), "沪府办发〔2020〕1号");
}

#[test]
fn hongkou_abbreviations_are_not_yubei_agencies() {
    let hongkou = document(HONGKOU);
    let yubei = document(YUBEI);
    for name in ["区商务委", "区市场监管局", "区政府办公室"] {
        let in_hongkou = ids_for_name(hongkou, name);
        let in_yubei = ids_for_name(yubei, name);
        assert_eq!(in_hongkou.len(), 1, "{name} in Hongkou: {in_hongkou:?}");
        assert_eq!(in_yubei.len(), 1, "{name} in Yubei: {in_yubei:?}");
        assert!(
            in_hongkou.is_disjoint(&in_yubei),
            "{name}: {in_hongkou:?} vs {in_yubei:?}"
        );
        for id in &in_hongkou {
            assert_eq!(
                agency(id).jurisdiction.as_deref(),
                Some("shanghai-hongkou"),
                "{name}"
            );
        }
        for id in &in_yubei {
            assert_eq!(
                agency(id).jurisdiction.as_deref(),
                Some("chongqing-yubei"),
                "{name}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The big-data bureau's reply letter
// ---------------------------------------------------------------------------------------

#[test]
fn reply_is_a_letter_from_the_big_data_bureau() {
    let metadata = &document(REPLY).metadata;
    assert_eq!(metadata.kind, "复函");
    assert_eq!(
        metadata.issuer.as_deref(),
        Some("重庆市大数据应用发展管理局")
    );
    assert_eq!(metadata.date.as_deref(), Some("2020-04-13"));
}

#[test]
fn reply_cites_the_two_opinions() {
    let doc = document(REPLY);
    for title in [
        "关于促进平台经济规范健康发展的指导意见",
        "关于加快线上业态线上服务线上管理发展的意见",
    ] {
        assert!(
            doc.citations
                .iter()
                .any(|c| c.title.as_deref() == Some(title)),
            "no citation of 《{title}》 in {:#?}",
            doc.citations
        );
    }
}

#[test]
fn reply_and_yubei_share_one_cited_document_for_the_chongqing_opinions() {
    let reply = document(REPLY);
    let yubei = document(YUBEI);
    let reply_index = citation_titled(reply, "关于加快线上业态线上服务线上管理发展的意见");
    let yubei_index = yubei
        .citations
        .iter()
        .position(|c| {
            c.doc_number
                .as_ref()
                .is_some_and(|n| n.text == "渝府办发〔2020〕25号")
        })
        .expect("Yubei cites 渝府办发〔2020〕25号");
    let from_reply = cited_id(REPLY, reply_index);
    let from_yubei = cited_id(YUBEI, yubei_index);
    assert_eq!(from_reply, from_yubei);
    let records: Vec<_> = corpus()
        .cited_documents
        .iter()
        .filter(|c| {
            c.doc_number
                .as_ref()
                .is_some_and(|n| n.text == "渝府办发〔2020〕25号")
                || c.title
                    .as_deref()
                    .is_some_and(|t| t.ends_with("关于加快线上业态线上服务线上管理发展的意见"))
        })
        .collect();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_eq!(records[0].id, from_yubei);
    assert_eq!(records[0].document, None);
}

// ---------------------------------------------------------------------------------------
// Tianjin
// ---------------------------------------------------------------------------------------

#[test]
fn tianjin_has_18_measures_10_4_and_4() {
    let doc = document(TIANJIN);
    assert_eq!(doc.measures.len(), 18);
    let mut per_part: Vec<(u32, usize)> = Vec::new();
    for measure in &doc.measures {
        let part = part_of(doc, measure).number;
        match per_part.last_mut() {
            Some((last, count)) if *last == part => *count += 1,
            _ => per_part.push((part, 1)),
        }
    }
    assert_eq!(per_part, vec![(3, 10), (4, 4), (5, 4)]);
    let part_five = part_of(doc, &doc.measures[17]);
    assert!(part_five
        .title
        .as_deref()
        .is_some_and(|t| t.contains("保障措施")));
}

#[test]
fn tianjin_has_exactly_four_goals_for_2022() {
    let doc = document(TIANJIN);
    assert_eq!(doc.goals.len(), 4, "{:#?}", doc.goals);
    let goals = goals_for_year(doc, 2022);
    assert_eq!(goals.len(), 4);
    find_goal(&goals, "新业态", 10.0, "个");
    find_goal(&goals, "场景", 30.0, "个");
    find_goal(&goals, "标杆企业", 50.0, "家");
    find_goal(&goals, "载体", 20.0, "个");
}

// ---------------------------------------------------------------------------------------
// Themes
// ---------------------------------------------------------------------------------------

fn tagged(measure: &Measure, theme: &str) -> bool {
    measure.themes.iter().any(|t| t == theme)
}

/// Asserts that `theme` is a theme of the corpus and tags each of the items `(document, item
/// number)`.
fn assert_theme_tags(theme: &str, items: &[(&str, u32)]) {
    assert!(corpus().themes.iter().any(|t| t.id == theme));
    for (id, number) in items {
        assert!(tagged(item(document(id), *number), theme), "{id} {number}");
    }
}

#[test]
fn online_healthcare_theme() {
    let theme = "online-healthcare";
    assert_theme_tags(theme, &[(YUBEI, 14), (YUBEI, 15), (HONGKOU, 8)]);
    let tianjin = document(TIANJIN);
    let healthcare: Vec<&Measure> = tianjin
        .measures
        .iter()
        .filter(|m| m.title.as_deref() == Some("在线医疗"))
        .collect();
    assert_eq!(healthcare.len(), 1);
    assert!(tagged(healthcare[0], theme));
}

#[test]
fn online_education_theme() {
    assert_theme_tags(
        "online-education",
        &[(YUBEI, 17), (YUBEI, 18), (HONGKOU, 6)],
    );
}

// ---------------------------------------------------------------------------------------
// Corpus-wide invariants
// ---------------------------------------------------------------------------------------

#[test]
fn all_five_documents_load() {
    let ids: BTreeSet<&str> = corpus().documents.iter().map(|d| d.id.as_str()).collect();
    let expected: BTreeSet<&str> = [YUBEI, CHONGQING_PLAN, HONGKOU, REPLY, TIANJIN].into();
    assert_eq!(ids, expected);
}

#[test]
fn every_measure_span_quotes_its_text_from_the_source() {
    assert_spans_quote_the_source(corpus());
}

#[test]
fn measure_ids_are_unique() {
    let mut seen = HashSet::new();
    for doc in &corpus().documents {
        for measure in &doc.measures {
            assert!(
                seen.insert(&measure.id),
                "duplicate measure id {}",
                measure.id
            );
        }
    }
    assert_eq!(seen.len(), 48 + 15 + 23 + 4 + 18);
}

#[test]
fn no_agency_name_is_unresolved() {
    let unresolved: Vec<_> = corpus()
        .warnings
        .iter()
        .filter(|w| w.warning.kind == WarningKind::UnresolvedAgency)
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}");
    for doc in &corpus().documents {
        for measure in &doc.measures {
            for mention in &measure.agencies {
                assert!(mention.resolved, "{}: {mention:?}", measure.id);
            }
        }
    }
    assert!(corpus().agencies.iter().all(|a| a.resolved));
}

#[test]
fn every_mentioned_agency_exists() {
    let ids: HashSet<&str> = corpus().agencies.iter().map(|a| a.id.as_str()).collect();
    let mut mentions = 0;
    for doc in &corpus().documents {
        for measure in &doc.measures {
            for mention in &measure.agencies {
                mentions += 1;
                assert!(
                    ids.contains(mention.agency_id.as_str()),
                    "{}: unknown agency id {}",
                    measure.id,
                    mention.agency_id
                );
            }
        }
    }
    assert!(mentions > 0);
}

#[test]
fn loading_twice_gives_identical_json() {
    let again = load_corpus(&data_dir()).expect("second load");
    let first = serde_json::to_string(corpus()).expect("serialize");
    let second = serde_json::to_string(&again).expect("serialize");
    assert!(first.len() > 1000);
    assert!(first == second, "two loads of data/ differ");
}

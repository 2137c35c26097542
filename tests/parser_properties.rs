//! Property tests for the parser entry points: arbitrary text — built from the genre's own
//! pieces (markers, annotations, goals, citations, page breaks) mixed with arbitrary
//! characters — never panics, and every span points back into the source.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;

use zhengce::corpus::citations::find_citations;
use zhengce::corpus::document::{parse_document, ParseContext, ProvisionalAgencies};
use zhengce::corpus::goals::{goals_in_paragraph, YearScope};
use zhengce::corpus::normalize::normalize;
use zhengce::corpus::outline::parse_marker;
use zhengce::corpus::reference::{load_reference_and_gazetteer, Gazetteer, ReferenceData};

const PIECES: &[&str] = &[
    "一、",
    "二、总体要求",
    "三、主要任务",
    "（一）",
    "(二)",
    "（十一）",
    "1.",
    "2. ",
    "12．",
    "（1）",
    "(牵头单位:区商务委;配合单位:各镇街)",
    "（牵头单位：区经济信息委；配合单位：区大数据发展局、各园区平台公司）",
    "（责任部门：区科委、区商务委）",
    "（生态环境部牵头，国家发展改革委参与）",
    "（农业农村部指导）",
    "牵头单位：",
    "；",
    "，",
    "、",
    "。",
    "：",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\u{3000}",
    "\t",
    "到2020年，",
    "达到",
    "95%",
    "以上",
    "2500亿元",
    "30家",
    "——发展10个新业态。",
    "到2022年，实现以下目标：",
    "《",
    "》",
    "〈",
    "〉",
    "<",
    ">",
    "渝府办发〔2020〕25号",
    "国发[2015]40号",
    "（征求意见稿）",
    "互联网 ”",
    "“",
    "”",
    "互联网 ",
    "数\n\n字渝北",
    "附件",
    "2015年12月31日",
    "重庆市人民政府办公厅",
    "渝北区关于加快线上业态线上服务线上管理发展的实施方案",
    "关于",
    "的通知",
    "5G",
    "AR",
    "O2O",
    "\u{feff}",
    "区城市管理局",
    "各区、县级市",
    "（",
    "）",
    "(",
    ")",
];

fn genre_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[一-龥]{1,6}",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

fn reference() -> &'static (ReferenceData, Gazetteer) {
    static REFERENCE: OnceLock<(ReferenceData, Gazetteer)> = OnceLock::new();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    REFERENCE.get_or_init(|| load_reference_and_gazetteer(&data).expect("reference data loads"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn normalizer_spans_stay_in_the_source(text in genre_text()) {
        let normalized = normalize(&text);
        for paragraph in normalized.paragraphs() {
            prop_assert!(!paragraph.text.is_empty());
            prop_assert_eq!(paragraph.text.trim(), paragraph.text);
            let span = normalized.source_span(paragraph.start..paragraph.end);
            prop_assert!(span.start <= span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            prop_assert!(span.line_start <= span.line_end);
        }
        prop_assert!(!normalized.text.contains("\n\n"));
    }

    #[test]
    fn piecewise_parsers_never_panic(text in genre_text()) {
        let _ = parse_marker(&text);
        let _ = zhengce::corpus::annotation::find_annotations(&text, &|name: &str| name.ends_with('委'));
        let _ = find_citations(&text);
        let mut scope = YearScope::default();
        for line in text.split('\n') {
            let _ = goals_in_paragraph(line, &mut scope);
        }
    }

    #[test]
    fn documents_parse_and_every_span_points_at_its_text(text in genre_text()) {
        let (reference, gazetteer) = reference();
        let context = ParseContext { reference, gazetteer };
        let mut provisional = ProvisionalAgencies::default();
        let result = parse_document("prop", "prop.txt", text.clone().into_bytes(), &context, &mut provisional);
        let parsed = match result {
            Ok(parsed) => parsed,
            Err(reason) => {
                // Text is refused only for a NUL character.
                prop_assert!(text.contains('\0'), "refused: {}", reason);
                return Ok(());
            }
        };
        for measure in &parsed.measures {
            let span = measure.span;
            prop_assert!(span.end <= parsed.source.len());
            let quoted = normalize(&parsed.source[span.start..span.end]).text.replace('\n', "");
            let first_line = measure.text.lines().next().unwrap_or("");
            prop_assert!(
                quoted.contains(first_line),
                "measure {} text {:?} not in its span {:?}", measure.id, first_line, quoted
            );
        }
        for goal in &parsed.goals {
            prop_assert!(goal.span.end <= parsed.source.len());
        }
        for citation in &parsed.citations {
            prop_assert!(citation.span.end <= parsed.source.len());
        }
    }

    #[test]
    fn arbitrary_bytes_are_refused_or_parsed_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (reference, gazetteer) = reference();
        let context = ParseContext { reference, gazetteer };
        let mut provisional = ProvisionalAgencies::default();
        let _ = parse_document("bytes", "bytes.txt", bytes, &context, &mut provisional);
    }
}

//! Documents as they are published: HTML pages, DOCX and PDF files read into paragraphs,
//! the formats that are not taken, and bad input refused with a reason naming the file.

mod formats;

use std::collections::BTreeSet;

use formats::*;
use zhengce::corpus::extract::{extract, ExtractError, Format, MAX_FILE_BYTES};
use zhengce::corpus::{load_corpus, Corpus, ParsedDocument};

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn only_document(corpus: &Corpus) -> &ParsedDocument {
    assert_eq!(corpus.documents.len(), 1, "one document");
    &corpus.documents[0]
}

/// What a document says, without where it says it: measures with their agencies and
/// deadlines, and goals.
fn facts(document: &ParsedDocument) -> (Vec<String>, Vec<String>) {
    let measures = document
        .measures
        .iter()
        .map(|m| {
            let agencies: Vec<String> = m
                .agencies
                .iter()
                .map(|a| format!("{}={}:{}", a.raw_name, a.agency_id, a.role.as_str()))
                .collect();
            let deadlines: Vec<&str> = m.deadlines.iter().map(|d| d.text.as_str()).collect();
            format!(
                "{} {} {:?} | {} | {}",
                m.id,
                m.label,
                m.title,
                agencies.join(", "),
                deadlines.join(", ")
            )
        })
        .collect();
    let goals = document
        .goals
        .iter()
        .map(|g| {
            format!(
                "{} {} {} {:?} {:?} {}",
                g.id, g.metric, g.value_text, g.unit, g.year, g.clause
            )
        })
        .collect();
    (measures, goals)
}

#[test]
fn a_portal_page_gives_its_article_only() {
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let extracted = extract(Format::Html, page.as_bytes()).expect("the page reads");
    let text = &extracted.text;
    for furniture in [
        "当前位置",
        "首页",
        "政务公开",
        "分享到",
        "微信",
        "打印本页",
        "相关文章",
        "版权所有",
        "渝ICP备",
        "统计",
        "站内搜索",
        "字号",
    ] {
        assert!(!text.contains(furniture), "{furniture:?} left in:\n{text}");
    }
    let lines = lines(text);
    assert_eq!(lines[0], TITLE, "{text}");
    assert!(lines.contains(&"一、总体要求"), "{text}");
    assert!(lines.contains(&"（一）加快数字基础设施建设"), "{text}");
    assert!(lines.contains(&"1.推进5G网络建设。到2023年底前建成5G基站3000个，实现城区全覆盖。（牵头单位：区经济信息委；配合单位：区住房城乡建委）"), "{text}");
    // <br> breaks a line inside a <div>.
    assert!(
        lines.contains(&"提升数据治理和应用水平。（责任单位：区大数据发展局）"),
        "{text}"
    );
    // Table rows: one line each, cells separated by TAB, a cell's breaks read as spaces.
    assert!(lines.contains(&"序号\t任务\t牵头单位\t完成时限"), "{text}");
    assert!(
        lines.contains(&"1\t建成5G基站 3000个\t区经济信息委\t2023年底前"),
        "{text}"
    );
    assert!(
        lines.contains(&"2\t建设城市 大数据中心\t区大数据发展局\t2022年底前"),
        "{text}"
    );
    assert_eq!(extracted.encoding, "UTF-8");
    assert_eq!(extracted.hints.title.as_deref(), Some(TITLE));
    assert_eq!(extracted.hints.date.as_deref(), Some("2021-03-15"));
    assert_eq!(
        extracted.hints.issuer.as_deref(),
        Some("重庆市渝北区人民政府办公室")
    );
}

#[test]
fn a_gbk_page_reads_as_its_utf8_twin() {
    let utf8 = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let gbk_page = portal_page(TITLE, ARTICLE_HTML, "gb2312");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&gbk_page);
    assert!(!unmappable, "the page is GBK text");
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the bytes are not UTF-8"
    );
    let from_gbk = extract(Format::Html, &gbk).expect("the GBK page reads");
    let from_utf8 = extract(Format::Html, utf8.as_bytes()).expect("the UTF-8 page reads");
    assert_eq!(from_gbk.text, from_utf8.text);
    assert_eq!(from_gbk.hints, from_utf8.hints);
    assert_eq!(from_gbk.encoding, "GBK");
}

#[test]
fn a_page_parses_into_measures_agencies_goals_and_metadata() {
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let data = data_folder(&[("digital-plan.html", page.as_bytes())]);
    let corpus = load_corpus(data.path()).expect("the folder loads");
    let document = only_document(&corpus);
    assert_eq!(document.id, "digital-plan");
    assert_eq!(document.format(), Format::Html);
    assert!(document.extractor().starts_with("zhengce-html/"));
    assert_eq!(document.metadata.title, TITLE);
    assert_eq!(document.metadata.date.as_deref(), Some("2021-03-15"));
    assert_eq!(
        document.metadata.jurisdiction.as_deref(),
        Some("chongqing-yubei")
    );
    let labels: Vec<&str> = document.measures.iter().map(|m| m.label.as_str()).collect();
    // The two items, then the two rows of the annexed task table.
    assert_eq!(labels, ["1.", "2.", "1", "2"], "{:#?}", document.measures);
    let row = &document.measures[3];
    assert_eq!(row.id, "digital-plan--annex1.i2");
    assert_eq!(row.agencies[0].raw_name, "区大数据发展局");
    assert_eq!(row.deadlines[0].date.as_deref(), Some("2022-12-31"));
    let lead: Vec<&str> = document.measures[0]
        .agencies
        .iter()
        .map(|a| a.raw_name.as_str())
        .collect();
    assert_eq!(lead, ["区经济信息委", "区住房城乡建委"]);
    assert!(document
        .goals
        .iter()
        .any(|g| g.unit == "亿元" && g.year == Some(2025)));
    // Every span points into the extracted text.
    let measure = &document.measures[0];
    let quoted = &document.source[measure.span.start..measure.span.end];
    assert!(quoted.starts_with("1.推进5G网络建设"), "{quoted}");
}

#[test]
fn a_page_without_article_text_is_refused() {
    let page = r#"<html><head><meta charset="utf-8"><title>页面不存在</title>
<script>location.href = "/index.html";</script></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<div class="footer">版权所有：重庆市渝北区人民政府</div></body></html>"#;
    let error = extract(Format::Html, page.as_bytes()).unwrap_err();
    assert_eq!(error, ExtractError::NoArticleText);
    let data = data_folder(&[("empty-page.html", page.as_bytes())]);
    let error = load_corpus(data.path()).unwrap_err();
    assert!(error.file.ends_with("documents/empty-page.html"), "{error}");
    assert!(error.to_string().contains("no article text"), "{error}");
}

#[test]
fn docx_numbering_is_written_out_and_tables_are_rows() {
    let extracted = extract(Format::Docx, &policy_docx()).expect("the DOCX reads");
    let text = &extracted.text;
    assert_eq!(
        lines(text),
        [
            TITLE,
            "为加快数字经济发展，推动数字技术与实体经济深度融合，结合我区实际，制定本方案。",
            "一、总体要求",
            "到2025年，全区数字经济核心产业增加值达到500亿元以上。",
            "二、重点任务",
            "（一）加快数字基础设施建设",
            "1.推进5G网络建设。到2023年底前建成5G基站3000个，实现城区全覆盖。（牵头单位：区经济信息委；配合单位：区住房城乡建委）",
            "2.建设城市大数据中心。整合政务数据资源，推动公共数据有序开放。（责任单位：区大数据发展局）",
            "（二）培育数字产业",
            "1.引进数字企业。到2023年引进数字经济企业100家。（牵头单位：区商务委）",
            "重点引进软件和信息服务企业",
            "附件：任务分工表",
            "序号\t任务\t牵头单位\t完成时限",
            "1\t建成5G基站 3000个\t区经济信息委\t2023年底前",
            "2\t建设城市大数据中心\t区大数据发展局\t2022年底前",
        ]
    );
    assert_eq!(extracted.format, Format::Docx);
}

#[test]
fn docx_parses_into_the_outline_word_numbered() {
    let data = data_folder(&[("digital-plan.docx", &policy_docx())]);
    let corpus = load_corpus(data.path()).expect("the folder loads");
    let document = only_document(&corpus);
    assert_eq!(document.format(), Format::Docx);
    assert_eq!(document.metadata.title, TITLE);
    let ids: Vec<&str> = document.measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "digital-plan--p2.s1.i1",
            "digital-plan--p2.s1.i2",
            "digital-plan--p2.s2.i1",
            "digital-plan--annex1.i1",
            "digital-plan--annex1.i2"
        ]
    );
    assert_eq!(document.measures[2].agencies[0].raw_name, "区商务委");
    assert_eq!(document.measures[3].agencies[0].raw_name, "区经济信息委");
    // The table rows stay TAB-separated through normalization.
    assert!(
        document
            .text
            .contains("\n1\t建成5G基站 3000个\t区经济信息委\t2023年底前\n"),
        "{}",
        document.text
    );
}

#[test]
fn a_broken_zip_is_refused_with_the_reason() {
    let mut bytes = policy_docx();
    bytes.truncate(bytes.len() / 2);
    let error = extract(Format::Docx, &bytes).unwrap_err();
    assert!(matches!(error, ExtractError::BrokenDocx(_)), "{error:?}");
    assert!(error.to_string().contains("ZIP"), "{error}");
    let data = data_folder(&[("broken.docx", &bytes)]);
    let error = load_corpus(data.path()).unwrap_err();
    assert!(error.file.ends_with("documents/broken.docx"), "{error}");
    assert!(
        error.to_string().contains("not a readable DOCX file"),
        "{error}"
    );
}

#[test]
fn a_legacy_word_file_named_docx_is_told_apart() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend([0u8; 504]);
    let error = extract(Format::Docx, &bytes).unwrap_err();
    assert!(error.to_string().contains(".doc"), "{error}");
}

#[test]
fn legacy_and_other_formats_are_refused_naming_the_accepted_ones() {
    for name in ["plan.doc", "plan.wps", "plan.ofd"] {
        let error = Format::of_file_name(name).unwrap_err();
        let message = error.to_string();
        for accepted in [".txt", ".html", ".docx", ".pdf"] {
            assert!(message.contains(accepted), "{name}: {message}");
        }
        let data = data_folder(&[(name, b"\xD0\xCF\x11\xE0")]);
        let error = load_corpus(data.path()).unwrap_err();
        assert!(error.file.ends_with(format!("documents/{name}")), "{error}");
        assert!(error.reason.contains("not taken"), "{error}");
    }
}

#[test]
fn pdf_text_is_read_in_reading_order_with_cjk_through_tounicode() {
    let extracted = extract(Format::Pdf, &fixture("policy.pdf")).expect("the PDF reads");
    let text = &extracted.text;
    let lines = lines(text);
    assert_eq!(lines[0], TITLE, "{text}");
    assert!(lines.contains(&"一、总体要求"), "{text}");
    assert!(lines.contains(&"（一）加快数字基础设施建设"), "{text}");
    // Wrapped lines are one paragraph again.
    assert!(
        lines.iter().any(|l| l.starts_with("1.推进5G网络建设。")
            && l.ends_with("（牵头单位：区经济信息委；配合单位：区住房城乡建委）")),
        "{text}"
    );
    // The paragraph that runs on across the page break is one paragraph too.
    assert!(
        lines.iter().any(|l| l.starts_with("2.建设城市大数据中心。")
            && l.ends_with("（责任单位：区大数据发展局）")),
        "{text}"
    );
    // Page numbers are not text; table rows are TAB-separated cells.
    assert!(
        !lines.iter().any(|l| l.contains("- 1 -") || *l == "1"),
        "{text}"
    );
    assert!(
        lines.contains(&"1\t建成5G基站3000个\t区经济信息委\t2023年底前"),
        "{text}"
    );
}

#[test]
fn a_pdf_parses_into_measures_and_goals() {
    let data = data_folder(&[("digital-plan.pdf", &fixture("policy.pdf"))]);
    let corpus = load_corpus(data.path()).expect("the folder loads");
    let document = only_document(&corpus);
    assert_eq!(document.format(), Format::Pdf);
    assert_eq!(document.metadata.title, TITLE);
    let labels: Vec<&str> = document.measures.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["1.", "2."]);
    let names: BTreeSet<&str> = document
        .measures
        .iter()
        .flat_map(|m| m.agencies.iter().map(|a| a.raw_name.as_str()))
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["区经济信息委", "区住房城乡建委", "区大数据发展局"])
    );
    assert!(document.goals.iter().any(|g| g.year == Some(2025)));
}

/// Asserts that extraction refuses the fixture `name` with `expected`, and that a data folder
/// holding it as `documents/refused.pdf` does not load, naming the file and `reason`.
fn assert_pdf_refused(name: &str, expected: ExtractError, reason: &str) {
    let error = extract(Format::Pdf, &fixture(name)).unwrap_err();
    assert_eq!(error, expected);
    let data = data_folder(&[("refused.pdf", &fixture(name))]);
    let error = load_corpus(data.path()).unwrap_err();
    assert!(error.file.ends_with("documents/refused.pdf"), "{error}");
    assert!(error.reason.contains(reason), "{error}");
}

#[test]
fn an_encrypted_pdf_is_refused() {
    assert_pdf_refused("encrypted.pdf", ExtractError::EncryptedPdf, "encrypted");
}

#[test]
fn a_scanned_pdf_is_refused_not_loaded_empty() {
    assert_pdf_refused(
        "scanned.pdf",
        ExtractError::NoTextLayer { pages: 1 },
        "no text layer",
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let data = data_folder(&[]);
    let path = data.path().join("documents/huge.pdf");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
    let error = load_corpus(data.path()).unwrap_err();
    assert_eq!(error.file, path);
    assert!(error.reason.contains("over the limit"), "{error}");
}

#[test]
fn a_file_name_that_is_not_a_slug_is_refused() {
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let data = data_folder(&[("数字经济 方案.html", page.as_bytes())]);
    let error = load_corpus(data.path()).unwrap_err();
    assert!(
        error.file.ends_with("documents/数字经济 方案.html"),
        "{error}"
    );
    assert!(error.reason.contains("slug"), "{error}");
}

#[test]
fn two_formats_of_one_id_are_refused() {
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let data = data_folder(&[
        ("digital-plan.html", page.as_bytes()),
        ("digital-plan.docx", &policy_docx()),
    ]);
    let error = load_corpus(data.path()).unwrap_err();
    assert!(error.reason.contains("digital-plan"), "{error}");
}

#[test]
fn bad_input_leaves_the_database_untouched() {
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let data = data_folder(&[("digital-plan.html", page.as_bytes())]);
    let db_dir = tempfile::tempdir().expect("temporary directory");
    let db = db_dir.path().join("zhengce.db");
    zhengce::db::load::load_data_dir(data.path(), &db).expect("the first load");
    let before = std::fs::read(&db).expect("database");
    let bad_documents: [(&str, Vec<u8>); 3] = [
        ("broken.docx", b"PK\x03\x04 not a zip".to_vec()),
        ("scan.pdf", fixture("scanned.pdf")),
        ("plan.wps", b"WPS".to_vec()),
    ];
    for (name, bytes) in bad_documents {
        let path = data.path().join("documents").join(name);
        std::fs::write(&path, bytes).expect("bad file");
        let error = zhengce::db::load::load_data_dir(data.path(), &db).unwrap_err();
        assert!(error.to_string().contains(name), "{error}");
        assert_eq!(std::fs::read(&db).expect("database"), before, "{name}");
        std::fs::remove_file(&path).expect("remove");
    }
    // The good document is still there, and still loads.
    let corpus = load_corpus(data.path()).expect("loads again");
    assert_eq!(only_document(&corpus).id, "digital-plan");
}

/// The HTML page of a document's normalized text, one `<p>` per paragraph.
fn html_rendering(document: &ParsedDocument) -> Vec<u8> {
    let article: String = document
        .text
        .lines()
        .map(|line| format!("<p>{}</p>\n", escape(line)))
        .collect();
    portal_page(&document.metadata.title, &article, "utf-8").into_bytes()
}

/// The DOCX file of a document's normalized text: parts `一、` and sections `（一）` that
/// Word would number so are auto-numbered paragraphs (their numbers left out of the text),
/// the rest plain paragraphs.
fn docx_rendering(document: &ParsedDocument) -> Vec<u8> {
    use zhengce::corpus::outline::parse_marker;
    use zhengce::corpus::Level;
    let mut blocks = Vec::new();
    let (mut part, mut section) = (0, 0);
    let mut numbering_holds = true;
    for line in document.text.lines() {
        let marker = parse_marker(line).filter(|m| {
            matches!(m.level, Level::Part | Level::Section) && m.label.ends_with(['、', '）'])
        });
        let Some(marker) = marker else {
            blocks.push(plain(line));
            continue;
        };
        let expected = match marker.level {
            Level::Part => part + 1,
            _ => section + 1,
        };
        if !numbering_holds || marker.number != expected {
            // A document whose numbers Word would not give stays literal from here on.
            numbering_holds = false;
            blocks.push(plain(line));
            continue;
        }
        let rest = line[marker.len..].to_string();
        match marker.level {
            Level::Part => {
                part += 1;
                section = 0;
                blocks.push(heading(&rest));
            }
            _ => {
                section += 1;
                blocks.push(numbered(1, &rest));
            }
        }
    }
    docx(&blocks)
}

#[test]
fn bundled_documents_from_html_and_docx_give_the_same_facts() {
    let bundled = load_corpus(&data_dir()).expect("data/ loads");
    // One document with agency annotations, one with goals.
    let ids = [
        "yubei-2020-online-economy-plan",
        "chongqing-2015-internet-plus-plan",
    ];
    let mut links = 0;
    let mut goal_count = 0;
    for id in ids {
        let original = bundled
            .documents
            .iter()
            .find(|d| d.id == id)
            .expect("the bundled document");
        let (measures, goals) = facts(original);
        assert!(!measures.is_empty(), "{id}");
        links += original
            .measures
            .iter()
            .map(|m| m.agencies.len())
            .sum::<usize>();
        goal_count += goals.len();
        let docx_bytes = docx_rendering(original);
        let extracted = extract(Format::Docx, &docx_bytes).expect("the rendering reads");
        assert!(
            extracted.text.contains("\n一、"),
            "{id}: the parts are numbered by Word"
        );
        let html_name = format!("{id}.html");
        let docx_name = format!("{id}.docx");
        for (name, bytes) in [
            (html_name.as_str(), html_rendering(original)),
            (docx_name.as_str(), docx_bytes),
        ] {
            let data = data_copy_replacing(&[(id, name, &bytes)]);
            let corpus = load_corpus(data.path()).expect("the rendering loads");
            let rendered = corpus
                .documents
                .iter()
                .find(|d| d.id == id)
                .expect("the rendered document");
            assert_eq!(rendered.file_name, name);
            assert_eq!(rendered.metadata.title, original.metadata.title, "{name}");
            assert_eq!(
                rendered.metadata.jurisdiction, original.metadata.jurisdiction,
                "{name}"
            );
            let (rendered_measures, rendered_goals) = facts(rendered);
            assert_eq!(rendered_measures, measures, "{name}");
            assert_eq!(rendered_goals, goals, "{name}");
            assert_eq!(corpus.documents.len(), bundled.documents.len());
        }
    }
    assert!(
        links > 100 && goal_count > 5,
        "{links} links, {goal_count} goals"
    );
}

#[test]
fn bundled_documents_are_plain_text_read_by_the_text_extractor() {
    let corpus = load_corpus(&data_dir()).expect("data/ loads");
    assert_eq!(corpus.documents.len(), 5);
    for document in &corpus.documents {
        assert_eq!(document.format(), Format::Txt, "{}", document.id);
        assert_eq!(document.extractor(), "zhengce-txt/1");
    }
}

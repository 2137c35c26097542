//! Documents of every format through the real server: each records its format and
//! extractor, the raw download returns the original bytes with their media type, and every
//! record's span points into the extracted source text the API serves.

use std::sync::OnceLock;

use crate::common::{self, get_json_at, request_at, with_query};
use crate::formats::*;
use serde_json::Value;

/// A server over a database of one document per format.
fn server() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let page = portal_page(TITLE, ARTICLE_HTML, "gbk");
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        let data = data_folder(&[
            ("page-plan.html", gbk.as_ref()),
            ("word-plan.docx", &policy_docx()),
            ("pdf-plan.pdf", &fixture("policy.pdf")),
            (
                "text-plan.txt",
                "渝北区推进线上服务工作方案\n一、重点任务\n1.发展线上教育。（牵头单位：区教委）\n"
                    .as_bytes(),
            ),
        ]);
        let db = common::scratch_dir("zhengce-formats-").join("zhengce.db");
        common::serve_data_dir(data.path(), &db)
    })
}

fn get(path: &str) -> common::Response {
    request_at(server(), "GET", path)
}

fn json(path: &str) -> Value {
    get_json_at(server(), path)
}

#[test]
fn each_document_records_its_format_and_extractor() {
    let list = json("/v1/documents");
    let formats: Vec<(String, String, String)> = list["data"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["format"].as_str().unwrap_or_default().to_string(),
                d["extractor"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expected = [
        ("page-plan", "html", "zhengce-html/"),
        ("pdf-plan", "pdf", "zhengce-pdf/"),
        ("text-plan", "txt", "zhengce-txt/"),
        ("word-plan", "docx", "zhengce-docx/"),
    ];
    assert_eq!(formats.len(), expected.len(), "{formats:?}");
    for ((id, format, extractor), (want_id, want_format, want_extractor)) in
        formats.iter().zip(expected)
    {
        assert_eq!((id.as_str(), format.as_str()), (want_id, want_format));
        assert!(extractor.starts_with(want_extractor), "{extractor}");
    }
    let one = json("/v1/documents/page-plan");
    assert_eq!(one["data"]["format"], "html");
    assert_eq!(one["data"]["encoding"], "GBK");
    let csv = get("/v1/documents?format=csv");
    assert_eq!(csv.status, 200, "{}", csv.text());
    let header = csv.text().lines().next().unwrap_or_default().to_string();
    assert!(header.contains("format,extractor"), "{header}");
}

#[test]
fn the_raw_file_comes_back_byte_for_byte_with_its_media_type() {
    let cases = [
        (
            "word-plan",
            policy_docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("pdf-plan", fixture("policy.pdf"), "application/pdf"),
    ];
    for (id, bytes, media_type) in cases {
        let response = get(&format!("/v1/documents/{id}/text?raw=true"));
        assert_eq!(response.status, 200);
        assert_eq!(response.content_type, media_type);
        assert_eq!(response.body, bytes, "{id}");
    }
    let page = get("/v1/documents/page-plan/text?raw=true");
    assert_eq!(page.content_type, "text/html; charset=GBK");
    assert!(
        std::str::from_utf8(&page.body).is_err(),
        "the GBK bytes as received"
    );
}

#[test]
fn every_span_points_into_the_served_source_text() {
    for id in ["page-plan", "word-plan", "pdf-plan", "text-plan"] {
        let source = get(&format!("/v1/documents/{id}/text?source=true"));
        assert_eq!(source.status, 200);
        assert_eq!(source.content_type, "text/plain; charset=utf-8");
        let measures = json(&with_query(
            "/v1/measures",
            &[("document", id), ("limit", "500")],
        ));
        let measures = measures["data"].as_array().expect("measures");
        assert!(!measures.is_empty(), "{id} has measures");
        for measure in measures {
            let span = &measure["source"];
            let start = span["start"].as_u64().expect("start") as usize;
            let end = span["end"].as_u64().expect("end") as usize;
            let quoted = std::str::from_utf8(&source.body[start..end]).expect("UTF-8 span");
            assert_eq!(quoted, span["verbatim"].as_str().expect("verbatim"), "{id}");
        }
    }
    // The text file's source is the file itself.
    let raw = get("/v1/documents/text-plan/text?raw=true");
    let source = get("/v1/documents/text-plan/text?source=true");
    assert_eq!(raw.body, source.body);
}

#[test]
fn raw_and_source_together_are_a_400_naming_source() {
    let response = get("/v1/documents/word-plan/text?raw=true&source=true");
    assert_eq!(response.status, 400);
    let problem = response.json();
    assert_eq!(problem["invalid_params"][0]["name"], "source");
}

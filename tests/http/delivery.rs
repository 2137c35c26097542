//! Black-box tests of open-data delivery: CSV and NDJSON exports, Atom feeds, caching and
//! conditional requests, HEAD, CORS, rate limits, security headers, request ids, bulk
//! downloads and the export command.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::documents::YUBEI;
use crate::common::{
    assert_etag_of_dataset, assert_problem, assert_succeeded, base, binary, database, file_names,
    get, get_json, header, invalid_param, parse_csv, scratch_dir, send, start_over_database, total,
    walk, with_query,
};
use zhengce::api::delivery::{RateLimitOptions, ServerOptions};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Every exportable list, with filters that select part of it.
const LISTS: [&str; 11] = [
    "/v1/documents",
    "/v1/measures",
    "/v1/measures?role=lead&theme=e-commerce",
    "/v1/documents/yubei-2020-online-economy-plan/measures",
    "/v1/agencies/yubei-big-data-bureau/measures",
    "/v1/agencies",
    "/v1/goals",
    "/v1/references",
    "/v1/themes",
    "/v1/jurisdictions",
    "/v1/agencies?jurisdiction=chongqing-yubei",
];

fn with_param(path: &str, pair: &str) -> String {
    if path.contains('?') {
        format!("{path}&{pair}")
    } else {
        format!("{path}?{pair}")
    }
}

/// Every record of a list, through its JSON pages.
fn json_records(path: &str) -> Vec<Value> {
    walk(&with_param(path, "limit=500"))
}

/// A CSV answer: header and rows, read with the `csv` crate after checking the BOM.
fn read_csv(body: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(body.starts_with(BOM), "the CSV starts with a UTF-8 BOM");
    parse_csv(&body[BOM.len()..])
}

/// How a JSON value appears in a CSV cell, when it is a plain value or a list of strings.
fn expected_cell(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Array(items) if items.iter().all(Value::is_string) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

#[test]
fn csv_reads_back_to_the_json_records() {
    for path in LISTS {
        let records = json_records(path);
        let first_page = get_json(path);
        let response = get(&with_param(path, "format=csv"));
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert!(
            response.content_type.starts_with("text/csv"),
            "{path}: {}",
            response.content_type
        );
        assert_eq!(
            header(&response, "x-total-count"),
            total(&first_page).to_string()
        );
        // Shorter than one export page (1,000 records): one body with its length. Longer
        // exports (the jurisdictions: every division of China) are streamed, without one
        // (see also tests/synthetic.rs).
        if total(&first_page) <= 1_000 {
            assert_eq!(
                header(&response, "content-length"),
                response.body.len().to_string(),
                "{path}: one body"
            );
        } else {
            assert_eq!(header(&response, "content-length"), "", "{path}: streamed");
        }
        let (columns, rows) = read_csv(&response.body);
        assert_eq!(
            rows.len() as i64,
            total(&first_page),
            "{path}: one row per record"
        );
        assert_eq!(rows.len(), records.len(), "{path}");
        assert_eq!(columns[0], "id", "{path}");
        for (row, record) in rows.iter().zip(&records) {
            assert_eq!(row.len(), columns.len(), "{path}: a cell per column");
            let cells: BTreeMap<&str, &str> = columns
                .iter()
                .map(String::as_str)
                .zip(row.iter().map(String::as_str))
                .collect();
            assert_eq!(cells["id"], record["id"].as_str().expect("id"), "{path}");
            // Every column named like a plain field of the JSON record holds that field.
            for (column, cell) in &cells {
                let Some(value) = record.get(*column) else {
                    continue;
                };
                match value {
                    Value::Number(number) => {
                        let expected = number.as_f64().expect("number");
                        let parsed: f64 = cell.parse().unwrap_or_else(|_| {
                            panic!("{path} {column}: {cell:?} is not a number")
                        });
                        assert_eq!(parsed, expected, "{path} {column}");
                    }
                    other => {
                        if let Some(expected) = expected_cell(other) {
                            assert_eq!(*cell, expected, "{path} {} {column}", cells["id"]);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn csv_flattens_measures_into_columns() {
    let records = json_records(&format!("/v1/measures?document={YUBEI}"));
    let response = get(&format!("/v1/measures?document={YUBEI}&format=csv"));
    let (columns, rows) = read_csv(&response.body);
    for expected in [
        "id",
        "document",
        "jurisdiction",
        "number",
        "label",
        "title",
        "text",
        "path",
        "lead_agencies",
        "cooperating_agencies",
        "responsible_agencies",
        "themes",
        "source_start",
        "source_end",
        "line_start",
        "line_end",
    ] {
        assert!(columns.iter().any(|c| c == expected), "column {expected}");
    }
    let column = |name: &str| columns.iter().position(|c| c == name).expect(name);
    let mut several_agencies = false;
    for (row, record) in rows.iter().zip(&records) {
        let names = |role: &str| -> String {
            record["agencies"]
                .as_array()
                .expect("agencies")
                .iter()
                .filter(|agency| agency["role"] == role)
                .map(|agency| agency["name"].as_str().expect("name"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        assert_eq!(row[column("lead_agencies")], names("lead"));
        assert_eq!(row[column("cooperating_agencies")], names("cooperating"));
        several_agencies |= row[column("cooperating_agencies")].contains("; ");
        let themes: Vec<&str> = record["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .map(|theme| theme["id"].as_str().expect("theme id"))
            .collect();
        assert_eq!(row[column("themes")], themes.join("; "));
        assert_eq!(
            row[column("path")],
            expected_cell(&record["path"]).expect("path")
        );
        let source = &record["source"];
        assert_eq!(row[column("source_start")], source["start"].to_string());
        assert_eq!(row[column("source_end")], source["end"].to_string());
        assert_eq!(row[column("line_start")], source["line_start"].to_string());
        assert_eq!(row[column("line_end")], source["line_end"].to_string());
        assert_eq!(
            row[column("source_verbatim")],
            source["verbatim"].as_str().expect("verbatim")
        );
    }
    assert!(
        several_agencies,
        "some measure has several cooperating agencies"
    );
}

#[test]
fn csv_is_an_attachment_named_after_the_query() {
    let response = get(&format!(
        "/v1/measures?document={YUBEI}&role=lead&format=csv"
    ));
    assert_eq!(
        header(&response, "content-disposition"),
        format!("attachment; filename=\"zhengce-measures-document-{YUBEI}-role-lead.csv\"")
    );
    let response = get(&with_query(
        "/v1/measures",
        &[("q", "直播"), ("format", "csv")],
    ));
    assert_eq!(response.status, 200, "{}", response.text());
    let disposition = header(&response, "content-disposition");
    assert!(disposition.starts_with("attachment; filename=\"zhengce-measures-q.csv\""));
    assert!(disposition.contains("filename*=UTF-8''zhengce-measures-q-%E7%9B%B4%E6%92%AD.csv"));
    let response = get(&format!("/v1/documents/{YUBEI}/measures?format=ndjson"));
    assert_eq!(
        header(&response, "content-disposition"),
        format!("attachment; filename=\"zhengce-documents-{YUBEI}-measures.ndjson\"")
    );
}

#[test]
fn bom_false_drops_the_byte_order_mark() {
    let with = get("/v1/themes?format=csv");
    let without = get("/v1/themes?format=csv&bom=false");
    assert!(with.body.starts_with(BOM));
    assert!(without.body.starts_with(b"id,"));
    assert_eq!(&with.body[BOM.len()..], &without.body[..]);
    let bad = get("/v1/themes?format=csv&bom=maybe");
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("bom"));
}

#[test]
fn accept_headers_choose_the_format() {
    let accepting = |path: &str, accept: &str| send(base(), "GET", path, &[("Accept", accept)]);
    let by_param = get("/v1/goals?format=csv");
    let by_accept = accepting("/v1/goals", "text/csv");
    assert_eq!(by_accept.status, 200);
    assert_eq!(by_accept.body, by_param.body);
    let ndjson = accepting("/v1/goals", "application/x-ndjson");
    assert!(ndjson.content_type.starts_with("application/x-ndjson"));
    let atom = accepting("/v1/measures", "application/atom+xml");
    assert!(atom.content_type.starts_with("application/atom+xml"));
    let browser = accepting(
        "/v1/goals",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    );
    assert!(browser.content_type.starts_with("application/json"));
    // The parameter wins over the header.
    let json = accepting("/v1/goals?format=json", "text/csv");
    assert!(json.content_type.starts_with("application/json"));
    assert!(header(&json, "vary").contains("Accept"));
}

#[test]
fn unknown_formats_are_refused_with_the_allowed_ones() {
    let problem = assert_problem(&get("/v1/measures?format=xml"), 400);
    let reason = invalid_param(&problem, "format");
    assert_eq!(problem["invalid_params"][0]["name"], "format");
    assert!(reason.contains("json, csv, ndjson, atom"), "{reason}");
    let response = get("/v1/documents?format=atom");
    assert_eq!(response.status, 400);
    assert!(
        response.text().contains("measure lists"),
        "{}",
        response.text()
    );
    // Single records and other endpoints take no format.
    assert_eq!(
        get(&format!("/v1/documents/{YUBEI}?format=csv")).status,
        400
    );
}

#[test]
fn exports_hold_the_whole_result_ignore_limit_and_start_at_a_cursor() {
    let all = json_records("/v1/measures");
    assert!(all.len() > 100, "more measures than one page");
    let response = get("/v1/measures?format=csv&limit=5");
    let (_, rows) = read_csv(&response.body);
    assert_eq!(rows.len(), all.len(), "limit does not cut an export");
    let page = get_json("/v1/measures?limit=40");
    let cursor = page["meta"]["next_cursor"].as_str().expect("cursor");
    let response = get(&with_query(
        "/v1/measures",
        &[("format", "ndjson"), ("cursor", cursor)],
    ));
    let ids: Vec<String> = response
        .text()
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).expect("JSON line");
            record["id"].as_str().expect("id").to_owned()
        })
        .collect();
    let expected: Vec<String> = all[40..]
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids, expected, "an export with a cursor starts after it");
}

#[test]
fn exports_larger_than_the_bound_are_refused() {
    let server = start_over_database(ServerOptions {
        max_export_rows: 10,
        ..ServerOptions::default()
    });
    let problem = assert_problem(&send(&server, "GET", "/v1/measures?format=csv", &[]), 400);
    assert_eq!(problem["invalid_params"][0]["name"], "format");
    let reason = invalid_param(&problem, "format");
    assert!(
        reason.contains("at most") || reason.contains("more than"),
        "{reason}"
    );
    assert!(reason.contains("/v1/downloads"), "{reason}");
    let small = send(&server, "GET", "/v1/documents?format=csv", &[]);
    assert_eq!(small.status, 200);
}

// ---------------------------------------------------------------------------------------------
// NDJSON
// ---------------------------------------------------------------------------------------------

#[test]
fn ndjson_lines_equal_the_json_records() {
    for path in LISTS {
        let records = json_records(path);
        let response = get(&with_param(path, "format=ndjson"));
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert!(response.content_type.starts_with("application/x-ndjson"));
        let text = response.text();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{path}: lines end with \\n"
        );
        let lines: Vec<Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is JSON"))
            .collect();
        assert_eq!(lines, records, "{path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Atom
// ---------------------------------------------------------------------------------------------

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let zone = &text[19.min(text.len())..];
    bytes.len() >= 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && bytes[10] == b'T'
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && (zone == "Z"
            || (zone.len() == 6
                && (zone.starts_with('+') || zone.starts_with('-'))
                && zone.as_bytes()[3] == b':'))
}

/// One parsed feed document: the entries' ids, alternate JSON links and the next page.
struct FeedPage {
    id: String,
    entries: Vec<(String, String)>,
    next: Option<String>,
    authors_per_entry: Vec<Vec<String>>,
    categories_per_entry: Vec<Vec<String>>,
}

fn children<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |child| child.is_element() && child.has_tag_name((ATOM, name)))
}

fn one_text(node: roxmltree::Node<'_, '_>, name: &str, context: &str) -> String {
    let found: Vec<_> = children(node, name).collect();
    assert_eq!(found.len(), 1, "{context}: exactly one atom:{name}");
    let text = found[0].text().unwrap_or("").trim().to_owned();
    assert!(!text.is_empty(), "{context}: atom:{name} is not empty");
    text
}

/// Parses a feed with a real XML parser and checks the Atom rules that matter.
fn check_feed(body: &str, context: &str) -> FeedPage {
    let document = roxmltree::Document::parse(body)
        .unwrap_or_else(|error| panic!("{context}: not well-formed XML: {error}"));
    let feed = document.root_element();
    assert!(
        feed.has_tag_name((ATOM, "feed")),
        "{context}: root is atom:feed"
    );
    let id = one_text(feed, "id", context);
    assert!(
        id.starts_with("http://"),
        "{context}: feed id is an IRI: {id}"
    );
    one_text(feed, "title", context);
    let updated = one_text(feed, "updated", context);
    assert!(is_rfc3339(&updated), "{context}: updated {updated}");
    let links: Vec<_> = children(feed, "link").collect();
    let rel =
        |link: &roxmltree::Node<'_, '_>| link.attribute("rel").unwrap_or("alternate").to_owned();
    assert_eq!(
        links.iter().filter(|l| rel(l) == "self").count(),
        1,
        "{context}: one link rel=self"
    );
    assert!(links
        .iter()
        .all(|l| l.attribute("href").is_some_and(|h| !h.is_empty())));
    let feed_author = children(feed, "author").count() > 0;
    let next = links
        .iter()
        .find(|l| rel(l) == "next")
        .and_then(|l| l.attribute("href"))
        .map(str::to_owned);
    let mut entries = Vec::new();
    let mut authors_per_entry = Vec::new();
    let mut categories_per_entry = Vec::new();
    for entry in children(feed, "entry") {
        let entry_id = one_text(entry, "id", context);
        one_text(entry, "title", context);
        let updated = one_text(entry, "updated", context);
        assert!(
            is_rfc3339(&updated),
            "{context} {entry_id}: updated {updated}"
        );
        let authors: Vec<String> = children(entry, "author")
            .map(|author| one_text(author, "name", context))
            .collect();
        assert!(
            feed_author || !authors.is_empty(),
            "{context} {entry_id}: an author in the entry or the feed"
        );
        let entry_links: Vec<_> = children(entry, "link").collect();
        assert!(!entry_links.is_empty(), "{context} {entry_id}: a link");
        let alternates: Vec<(String, String)> = entry_links
            .iter()
            .filter(|l| rel(l) == "alternate")
            .map(|l| {
                (
                    l.attribute("type").unwrap_or("").to_owned(),
                    l.attribute("href").unwrap_or("").to_owned(),
                )
            })
            .collect();
        let types: BTreeSet<&String> = alternates.iter().map(|(t, _)| t).collect();
        assert_eq!(
            types.len(),
            alternates.len(),
            "{context}: alternates differ in type"
        );
        let json = alternates
            .iter()
            .find(|(t, _)| t == "application/json")
            .map(|(_, href)| href.clone())
            .expect("a link to the API record");
        assert!(
            children(entry, "content").count() + children(entry, "summary").count() > 0,
            "{context} {entry_id}: content or summary"
        );
        categories_per_entry.push(
            children(entry, "category")
                .map(|c| c.attribute("term").expect("category term").to_owned())
                .collect(),
        );
        authors_per_entry.push(authors);
        entries.push((entry_id, json));
    }
    let ids: BTreeSet<&String> = entries.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), entries.len(), "{context}: entry ids are unique");
    FeedPage {
        id,
        entries,
        next,
        authors_per_entry,
        categories_per_entry,
    }
}

fn local(url: &str) -> String {
    let rest = url.strip_prefix("http://").expect("absolute URL");
    rest[rest.find('/').expect("path")..].to_owned()
}

/// Follows a feed's pages; returns every entry id and checks each page.
fn walk_feed(path: &str) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    let mut next = Some(path.to_owned());
    let mut pages = 0;
    let mut feed_ids = BTreeSet::new();
    while let Some(path) = next {
        let response = get(&path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert!(
            response.content_type.starts_with("application/atom+xml"),
            "{path}: {}",
            response.content_type
        );
        let page = check_feed(&response.text(), &path);
        feed_ids.insert(page.id);
        entries.extend(page.entries);
        next = page.next.as_deref().map(local);
        pages += 1;
        assert!(pages < 1000, "feed paging ends");
    }
    assert_eq!(feed_ids.len(), 1, "{path}: one feed id on every page");
    entries
}

#[test]
fn atom_feeds_follow_the_rules_and_hold_every_matching_measure() {
    let feeds = [
        ("/v1/measures.atom?limit=25", "/v1/measures"),
        (
            "/v1/measures?format=atom&role=lead&limit=10",
            "/v1/measures?role=lead",
        ),
        (
            "/v1/measures.atom?theme=online-healthcare",
            "/v1/measures?theme=online-healthcare",
        ),
        (
            "/v1/documents/hongkou-2020-online-new-economy-opinions/measures?format=atom",
            "/v1/documents/hongkou-2020-online-new-economy-opinions/measures",
        ),
        (
            "/v1/agencies/yubei-big-data-bureau/measures?format=atom&role=lead",
            "/v1/agencies/yubei-big-data-bureau/measures?role=lead",
        ),
        (
            "/v1/measures.atom?q=%E5%8C%BB%E7%96%97",
            "/v1/measures?q=%E5%8C%BB%E7%96%97",
        ),
    ];
    for (feed, list) in feeds {
        let entries = walk_feed(feed);
        let expected: BTreeSet<String> = json_records(list)
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect();
        assert!(!expected.is_empty(), "{list} has measures");
        let ids: BTreeSet<String> = entries
            .iter()
            .map(|(_, json)| {
                let path = local(json);
                path.strip_prefix("/v1/measures/")
                    .expect("record link")
                    .to_owned()
            })
            .collect();
        assert_eq!(
            ids.len(),
            entries.len(),
            "{feed}: no entry twice across pages"
        );
        assert_eq!(ids, expected, "{feed}: every matching measure, once");
    }
}

#[test]
fn atom_entries_carry_the_record_document_agencies_and_themes() {
    let response = get("/v1/measures.atom?role=lead&limit=30");
    let page = check_feed(&response.text(), "lead feed");
    assert!(!page.entries.is_empty());
    for (index, (id, json)) in page.entries.iter().enumerate() {
        let record = get_json(&local(json));
        let record = &record["data"];
        assert!(id.ends_with(&format!(
            "/v1/measures/{}",
            record["id"].as_str().expect("id")
        )));
        let leads: Vec<String> = record["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .filter(|a| a["role"] == "lead")
            .map(|a| a["name"].as_str().expect("name").to_owned())
            .collect();
        let mut unique_leads = leads.clone();
        unique_leads.dedup();
        assert_eq!(
            page.authors_per_entry[index], unique_leads,
            "{id}: authors are the leads"
        );
        let themes: Vec<String> = record["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .map(|t| t["id"].as_str().expect("theme").to_owned())
            .collect();
        assert_eq!(
            page.categories_per_entry[index], themes,
            "{id}: categories are the themes"
        );
    }
    let text = response.text();
    assert!(
        text.contains("rel=\"related\""),
        "entries link their document"
    );
}

#[test]
fn atom_feeds_list_newest_documents_first_and_refuse_other_formats() {
    let response = get("/v1/measures.atom?limit=500");
    let page = check_feed(&response.text(), "all measures");
    let dates: Vec<Option<String>> = page
        .entries
        .iter()
        .map(|(_, json)| {
            let record = get_json(&local(json));
            let document = record["data"]["document"]
                .as_str()
                .expect("document")
                .to_owned();
            get_json(&format!("/v1/documents/{document}"))["data"]["date"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    let known: Vec<&String> = dates.iter().flatten().collect();
    let mut sorted = known.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(known, sorted, "newest documents first");
    let refused = get("/v1/measures.atom?format=csv");
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("format"));
    let explicit = get("/v1/measures.atom?format=atom&limit=1");
    assert_eq!(explicit.status, 200);
}

// ---------------------------------------------------------------------------------------------
// Link headers
// ---------------------------------------------------------------------------------------------

#[test]
fn paginated_json_names_the_next_page_in_a_link_header() {
    let mut path = "/v1/measures?limit=30&role=lead".to_owned();
    let mut pages = 0;
    loop {
        let response = get(&path);
        let page = response.json();
        let link = header(&response, "link");
        match page["links"]["next"].as_str() {
            Some(next) => {
                assert_eq!(link, format!("<{next}>; rel=\"next\""));
                path = next.to_owned();
            }
            None => {
                assert_eq!(link, "", "no next link on the last page");
                break;
            }
        }
        pages += 1;
        assert!(pages < 100);
    }
    assert!(pages >= 1);
}

// ---------------------------------------------------------------------------------------------
// Caching and conditional requests
// ---------------------------------------------------------------------------------------------

/// GET routes with an example each.
const ROUTES: [&str; 20] = [
    "/v1",
    "/v1/openapi.json",
    "/v1/documents",
    "/v1/documents/yubei-2020-online-economy-plan",
    "/v1/documents/yubei-2020-online-economy-plan/text",
    "/v1/documents/yubei-2020-online-economy-plan/measures",
    "/v1/measures",
    "/v1/measures?format=csv",
    "/v1/measures.atom",
    "/v1/measures/yubei-2020-online-economy-plan--p3.s4.i1",
    "/v1/agencies",
    "/v1/agencies/yubei-big-data-bureau",
    "/v1/agencies/yubei-big-data-bureau/measures",
    "/v1/goals",
    "/v1/references",
    "/v1/themes",
    "/v1/themes/online-healthcare",
    "/v1/jurisdictions",
    "/v1/jurisdictions/chongqing",
    "/v1/downloads",
];

#[test]
fn every_get_has_validators_and_answers_304_when_unchanged() {
    let mut etags = BTreeSet::new();
    for path in ROUTES {
        let response = get(path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        let etag = header(&response, "etag").to_owned();
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "{path}: ETag {etag:?}"
        );
        assert!(
            etags.insert(etag.clone()),
            "{path}: ETags differ between answers"
        );
        let last_modified = header(&response, "last-modified").to_owned();
        assert!(
            last_modified.ends_with(" GMT"),
            "{path}: Last-Modified {last_modified:?}"
        );
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=300",
            "{path}"
        );

        let again = send(base(), "GET", path, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{path}: If-None-Match");
        assert!(again.body.is_empty(), "{path}: 304 has no body");
        assert_eq!(header(&again, "etag"), etag);
        let weak = format!("W/{etag}");
        let listed = format!("\"other\", {weak}");
        assert_eq!(
            send(base(), "GET", path, &[("If-None-Match", &listed)]).status,
            304
        );
        let other = send(base(), "GET", path, &[("If-None-Match", "\"other\"")]);
        assert_eq!(other.status, 200, "{path}: another ETag");

        let since = send(
            base(),
            "GET",
            path,
            &[("If-Modified-Since", &last_modified)],
        );
        assert_eq!(since.status, 304, "{path}: If-Modified-Since");
        let earlier = send(
            base(),
            "GET",
            path,
            &[("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")],
        );
        assert_eq!(earlier.status, 200, "{path}: modified since 2001");
        // If-None-Match takes precedence over If-Modified-Since.
        let both = send(
            base(),
            "GET",
            path,
            &[
                ("If-None-Match", "\"other\""),
                ("If-Modified-Since", &last_modified),
            ],
        );
        assert_eq!(both.status, 200, "{path}");
    }
}

#[test]
fn etags_depend_on_the_format_and_the_query() {
    let etag = |path: &str, headers: &[(&str, &str)]| {
        header(&send(base(), "GET", path, headers), "etag").to_owned()
    };
    let json = etag("/v1/themes", &[]);
    assert_eq!(json, etag("/v1/themes", &[]), "stable");
    assert_ne!(json, etag("/v1/themes", &[("Accept", "text/csv")]));
    assert_ne!(json, etag("/v1/themes?format=ndjson", &[]));
    assert_ne!(json, etag("/v1/themes?limit=3", &[]));
    assert_etag_of_dataset(&json, &get_json("/v1")["data"]["dataset"]["version"]);
}

#[test]
fn errors_and_probes_are_not_cached() {
    let missing = get("/v1/measures/nope");
    assert_eq!(missing.status, 404);
    assert_eq!(header(&missing, "etag"), "");
    let health = get("/health");
    assert_eq!(header(&health, "etag"), "");
    assert_eq!(header(&health, "cache-control"), "no-store");
}

#[test]
fn cache_lifetime_is_configurable() {
    let options = ServerOptions {
        cache_max_age: 60,
        ..ServerOptions::default()
    };
    let response = send(&start_over_database(options), "GET", "/v1/themes", &[]);
    assert_eq!(header(&response, "cache-control"), "public, max-age=60");
}

// ---------------------------------------------------------------------------------------------
// HEAD
// ---------------------------------------------------------------------------------------------

#[test]
fn head_works_wherever_get_does() {
    let mut routes: Vec<&str> = ROUTES.to_vec();
    routes.extend([
        "/v1/measures?format=ndjson",
        "/v1/downloads/zhengce.db",
        "/docs/",
        "/health",
        "/v1/nothing-here",
    ]);
    for path in routes {
        let get = send(base(), "GET", path, &[]);
        let head = send(base(), "HEAD", path, &[]);
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}: HEAD has no body");
        for name in [
            "content-type",
            "etag",
            "last-modified",
            "cache-control",
            "content-disposition",
            "x-total-count",
            "link",
        ] {
            assert_eq!(header(&head, name), header(&get, name), "{path}: {name}");
        }
        if let Some(length) = get.headers.get("content-length") {
            assert_eq!(head.headers.get("content-length"), Some(length), "{path}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CORS
// ---------------------------------------------------------------------------------------------

#[test]
fn cors_preflight_is_answered_for_any_origin() {
    let response = send(
        base(),
        "OPTIONS",
        "/v1/measures?role=lead",
        &[
            ("Origin", "https://portal.example.gov.cn"),
            ("Access-Control-Request-Method", "GET"),
            (
                "Access-Control-Request-Headers",
                "if-none-match, x-request-id",
            ),
        ],
    );
    assert!(matches!(response.status, 200 | 204), "{}", response.status);
    assert_eq!(header(&response, "access-control-allow-origin"), "*");
    let methods = header(&response, "access-control-allow-methods").to_ascii_uppercase();
    for method in ["GET", "HEAD", "OPTIONS"] {
        assert!(methods.contains(method), "{methods}");
    }
    let allowed = header(&response, "access-control-allow-headers").to_ascii_lowercase();
    assert!(allowed.contains("if-none-match"), "{allowed}");
    assert!(!header(&response, "x-request-id").is_empty());
}

#[test]
fn cors_exposes_the_caching_paging_and_rate_limit_headers() {
    let response = send(
        base(),
        "GET",
        "/v1/measures?limit=2",
        &[("Origin", "https://example.org")],
    );
    assert_eq!(header(&response, "access-control-allow-origin"), "*");
    let exposed = header(&response, "access-control-expose-headers").to_ascii_lowercase();
    for name in [
        "etag",
        "link",
        "x-request-id",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "retry-after",
    ] {
        assert!(exposed.contains(name), "{name} exposed: {exposed}");
    }
}

// ---------------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------------

fn limited_server(trust_proxy: bool) -> String {
    start_over_database(ServerOptions {
        rate_limit: Some(RateLimitOptions::new(60, Some(3))),
        trust_proxy,
        ..ServerOptions::default()
    })
}

#[test]
fn rate_limits_answer_429_with_retry_after_and_ratelimit_headers() {
    // The shared server has no limit.
    assert_eq!(header(&get("/v1/themes"), "ratelimit-limit"), "");

    let server = limited_server(false);
    // Probes are not counted.
    for _ in 0..5 {
        assert_eq!(send(&server, "GET", "/health", &[]).status, 200);
    }
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = send(&server, "GET", "/v1/themes", &[]);
        assert_eq!(response.status, 200);
        assert_eq!(header(&response, "ratelimit-limit"), "3");
        remaining.push(header(&response, "ratelimit-remaining").to_owned());
        assert!(header(&response, "ratelimit-reset").parse::<u64>().is_ok());
        assert_eq!(header(&response, "ratelimit-policy"), "60;w=60;burst=3");
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let themes_with =
        |name: &str, value: &str| send(&server, "GET", "/v1/themes", &[(name, value)]);
    let limited = themes_with("Origin", "https://example.org");
    assert_eq!(limited.status, 429);
    assert!(limited.content_type.starts_with("application/problem+json"));
    let problem = limited.json();
    assert_eq!(problem["status"], 429);
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("per minute")));
    let retry: u64 = header(&limited, "retry-after")
        .parse()
        .expect("Retry-After seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(header(&limited, "ratelimit-limit"), "3");
    assert_eq!(header(&limited, "ratelimit-remaining"), "0");
    assert!(header(&limited, "ratelimit-reset").parse::<u64>().is_ok());
    // A browser script may read the 429 and its headers.
    assert_eq!(header(&limited, "access-control-allow-origin"), "*");
    assert!(!header(&limited, "x-request-id").is_empty());
    // Without --trust-proxy, X-Forwarded-For does not make another client.
    let spoofed = themes_with("X-Forwarded-For", "203.0.113.9");
    assert_eq!(spoofed.status, 429);
}

#[test]
fn behind_a_trusted_proxy_clients_are_told_apart_by_x_forwarded_for() {
    let server = limited_server(true);
    let status_forwarded_for =
        |client: &str| send(&server, "GET", "/v1/themes", &[("X-Forwarded-For", client)]).status;
    for _ in 0..3 {
        assert_eq!(status_forwarded_for("203.0.113.1"), 200);
    }
    assert_eq!(status_forwarded_for("203.0.113.1"), 429);
    // The proxy appends the address it saw; that last one is the client.
    assert_eq!(status_forwarded_for("203.0.113.1, 198.51.100.7"), 200);
}

// ---------------------------------------------------------------------------------------------
// Security headers and request ids
// ---------------------------------------------------------------------------------------------

#[test]
fn answers_carry_security_headers_but_the_swagger_ui_keeps_working() {
    for path in [
        "/v1",
        "/v1/measures",
        "/v1/measures?format=csv",
        "/v1/measures.atom",
        "/v1/nothing-here",
        "/v1/measures?rol=lead",
    ] {
        let response = get(path);
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "content-security-policy"),
            "default-src 'none'; frame-ancestors 'none'",
            "{path}"
        );
    }
    let docs = get("/docs/");
    assert_eq!(docs.status, 200);
    assert!(!header(&docs, "content-security-policy").contains("default-src 'none'"));
    assert_eq!(header(&docs, "x-content-type-options"), "nosniff");
}

#[test]
fn every_answer_has_a_request_id_echoed_when_sane() {
    let mut seen = BTreeSet::new();
    for path in ["/v1", "/v1/nothing-here", "/v1/measures?rol=1", "/health"] {
        let response = get(path);
        let id = header(&response, "x-request-id").to_owned();
        assert_eq!(id.len(), 32, "{path}: generated id {id:?}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(seen.insert(id), "ids differ");
    }
    let echoed = send(base(), "GET", "/v1", &[("X-Request-Id", "portal-42.abc")]);
    assert_eq!(header(&echoed, "x-request-id"), "portal-42.abc");
    let insane = send(base(), "GET", "/v1", &[("X-Request-Id", "two words")]);
    let id = header(&insane, "x-request-id");
    assert_ne!(id, "two words");
    assert_eq!(id.len(), 32);
    let etag = header(&get("/v1/themes"), "etag").to_owned();
    let not_modified = send(base(), "GET", "/v1/themes", &[("If-None-Match", &etag)]);
    assert_eq!(not_modified.status, 304);
    assert!(!header(&not_modified, "x-request-id").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Bulk downloads and the export command
// ---------------------------------------------------------------------------------------------

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn zip_entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut entries = BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).expect("entry");
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("entry bytes");
        entries.insert(file.name().to_owned(), content);
    }
    entries
}

#[test]
fn downloads_match_their_listed_size_and_sha256() {
    let listing = get_json("/v1/downloads");
    let files = listing["data"].as_array().expect("data");
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["zhengce.db", "zhengce.db.gz", "zhengce-csv.zip"]);
    let version = get_json("/v1")["data"]["dataset"]["version"].clone();
    assert_eq!(listing["meta"]["dataset_version"], version);
    for file in files {
        for key in [
            "name",
            "url",
            "sha256",
            "format",
            "media_type",
            "description",
        ] {
            assert!(
                file[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} of {file}"
            );
        }
        let response = get(file["url"].as_str().expect("url"));
        assert_eq!(response.status, 200);
        assert_eq!(
            response.content_type,
            file["media_type"].as_str().expect("type")
        );
        assert_eq!(
            response.body.len() as u64,
            file["size"].as_u64().expect("size")
        );
        assert_eq!(
            sha256_hex(&response.body),
            file["sha256"].as_str().expect("sha256")
        );
        assert!(header(&response, "content-disposition").starts_with("attachment; filename="));
    }
    let database_bytes = get("/v1/downloads/zhengce.db").body;
    assert!(database_bytes.starts_with(b"SQLite format 3\0"));
    // The compressed database is the database, smaller.
    let compressed = get("/v1/downloads/zhengce.db.gz").body;
    assert!(
        compressed.len() * 2 < database_bytes.len(),
        "{} bytes",
        compressed.len()
    );
    let mut restored = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(compressed.as_slice()),
        &mut restored,
    )
    .expect("a gzip stream");
    assert!(
        restored == database_bytes,
        "gunzip gives the database byte for byte"
    );
    assert_eq!(
        sha256_hex(&database_bytes),
        sha256_hex(&std::fs::read(database()).expect("database file")),
        "the download is the database the server reads"
    );
    // The same archive on every request.
    let again = get_json("/v1/downloads");
    assert_eq!(again["data"], listing["data"]);
    assert_eq!(get("/v1/downloads/nothing.zip").status, 404);
}

#[test]
fn the_csv_archive_holds_one_readable_csv_per_table() {
    let entries = zip_entries(&get("/v1/downloads/zhengce-csv.zip").body);
    for table in [
        "documents",
        "provisions",
        "measures",
        "agencies",
        "agency_aliases",
        "measure_agencies",
        "deadlines",
        "goals",
        "cited_documents",
        "cross_references",
        "themes",
        "measure_themes",
        "jurisdictions",
        "warnings",
        "dataset",
    ] {
        assert!(entries.contains_key(&format!("{table}.csv")), "{table}.csv");
    }
    assert!(entries.contains_key("README.txt"));
    assert!(!entries.keys().any(|name| name.starts_with("search_")));
    let counts = get_json("/v1")["data"]["counts"].clone();
    for (table, count) in [
        ("measures", "measures"),
        ("documents", "documents"),
        ("goals", "goals"),
    ] {
        let (columns, rows) = read_csv(&entries[&format!("{table}.csv")]);
        assert_eq!(columns[0], "id");
        assert_eq!(
            rows.len() as i64,
            counts[count].as_i64().expect("count"),
            "{table}"
        );
    }
    let (columns, rows) = read_csv(&entries["measure_agencies.csv"]);
    assert_eq!(
        columns,
        [
            "measure_id",
            "position",
            "agency_id",
            "role",
            "raw_name",
            "span_start",
            "span_end",
            "line_start",
            "line_end"
        ]
    );
    assert_eq!(
        rows.len() as i64,
        counts["agency_links"].as_i64().expect("links")
    );
    let (columns, _) = read_csv(&entries["deadlines.csv"]);
    assert_eq!(
        columns,
        [
            "measure_id",
            "position",
            "text",
            "date",
            "span_start",
            "span_end",
            "line_start",
            "line_end"
        ]
    );
}

/// Runs `zhengce export --format FORMAT` over the shared database into a new folder, checks
/// that it succeeds, and returns the folder and what it printed.
fn export(format: &str) -> (PathBuf, String) {
    let out = scratch_dir("zhengce-export-").join(format);
    let output = binary()
        .args(["export", "--format", format, "--out"])
        .arg(&out)
        .arg("--db")
        .arg(database())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run zhengce export");
    assert_succeeded(&output);
    (out, String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn the_export_command_writes_the_files_of_the_archive() {
    let (out, report) = export("csv");
    assert!(report.contains("measures.csv:"), "{report}");
    let entries = zip_entries(&get("/v1/downloads/zhengce-csv.zip").body);
    let written = file_names(&out);
    let archived: BTreeSet<String> = entries.keys().cloned().collect();
    assert_eq!(written, archived);
    for (name, content) in &entries {
        assert_eq!(
            &std::fs::read(out.join(name)).expect("written file"),
            content,
            "{name} is the same in the archive and the export"
        );
    }
}

#[test]
fn the_export_command_writes_ndjson_rows() {
    let (out, _) = export("ndjson");
    let text = std::fs::read_to_string(out.join("measures.ndjson")).expect("measures.ndjson");
    let rows: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect();
    let measures = json_records("/v1/measures");
    assert_eq!(rows.len(), measures.len());
    let ids: BTreeSet<&str> = rows.iter().map(|r| r["id"].as_str().expect("id")).collect();
    let api: BTreeSet<&str> = measures
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, api);
    let first = &rows[0];
    let keys: Vec<&String> = first.as_object().expect("object").keys().collect();
    assert!(keys.iter().any(|k| *k == "document_id"));
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(["export", "--out"])
        .arg(&out)
        .args(["--db", "/nonexistent/zhengce.db"])
        .output()
        .expect("run zhengce export");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));
}

// ---------------------------------------------------------------------------------------------
// Where users are told which to use when
// ---------------------------------------------------------------------------------------------

#[test]
fn the_index_and_the_openapi_document_tell_which_to_use_when() {
    let index = get_json("/v1");
    let data = &index["data"];
    assert_eq!(data["links"]["downloads"], "/v1/downloads");
    assert_eq!(data["links"]["measures_feed"], "/v1/measures.atom");
    for key in ["queries", "following", "analysis", "formats"] {
        assert!(
            data["guide"][key].as_str().is_some_and(|t| t.len() > 40),
            "guide.{key}"
        );
    }
    let spec = get_json("/v1/openapi.json");
    let list = &spec["paths"]["/v1/measures"]["get"];
    let content = &list["responses"]["200"]["content"];
    for media in [
        "application/json",
        "text/csv; charset=utf-8; header=present",
        "application/x-ndjson",
        "application/atom+xml; charset=utf-8",
    ] {
        assert!(content.get(media).is_some(), "{media} documented");
    }
    assert!(list["responses"].get("304").is_some());
    assert!(list["responses"].get("429").is_some());
    assert!(spec["paths"].get("/v1/measures.atom").is_some());
    assert!(spec["paths"].get("/v1/downloads").is_some());
    let themes = &spec["paths"]["/v1/themes"]["get"]["responses"]["200"]["content"];
    assert!(themes.get("application/atom+xml; charset=utf-8").is_none());
}

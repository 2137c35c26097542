//! Black-box tests of the JSON API: the real server on port 0 over a database built from the
//! real `data/` folder, spoken to over HTTP.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::common::documents::{CHONGQING_PLAN, HONGKOU, REPLY, TIANJIN, YUBEI};
use crate::common::{
    self, assert_problem, base, broken_pool, copy_data_dir, counting_pool, data, data_dir,
    database, deadlines_base, facet_counts, facet_sum, get, get_json, get_json_at, ids,
    invalid_param, object_keys, parse_csv, request, request_at, scratch_dir, serve_data_dir, start,
    total, walk, with_query, DEADLINES_DOCUMENT, DEADLINES_TEXT,
};

/// Every list endpoint with the id of a record for its single-record route.
const LISTS: [&str; 7] = [
    "/v1/documents",
    "/v1/measures",
    "/v1/agencies",
    "/v1/goals",
    "/v1/references",
    "/v1/themes",
    "/v1/jurisdictions",
];

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {value}"))
}

/// The document and ordinal of a measure record.
fn document_and_ordinal(measure: &Value) -> (String, i64) {
    (
        str_of(measure, "document").to_owned(),
        measure["ordinal"].as_i64().expect("ordinal"),
    )
}

/// The measures of `parent` (`documents/{id}` or `agencies/{id}`) are 404 for an unknown
/// parent of the kind, and 400 naming the parameter of `filter` (`name=value`), which the
/// path already fixes.
fn assert_measures_of_refuse(parent: &str, filter: &str) {
    let kind = parent.split('/').next().expect("kind");
    assert_problem(&get(&format!("/v1/{kind}/nope/measures")), 404);
    let problem = assert_problem(&get(&format!("/v1/{parent}/measures?{filter}")), 400);
    invalid_param(&problem, filter.split('=').next().expect("name"));
}

fn measures_of(document: &str) -> Vec<Value> {
    let list = get_json(&with_query(
        "/v1/measures",
        &[("document", document), ("limit", "500")],
    ));
    data(&list).clone()
}

fn measure_numbered(document: &str, number: i64) -> Value {
    measures_of(document)
        .into_iter()
        .find(|m| m["number"] == number)
        .unwrap_or_else(|| panic!("{document} has no measure numbered {number}"))
}

fn agency_id_for(name: &str, jurisdiction: &str) -> String {
    let list = get_json(&with_query(
        "/v1/agencies",
        &[("q", name), ("jurisdiction", jurisdiction)],
    ));
    let matches: Vec<&Value> = data(&list)
        .iter()
        .filter(|a| {
            a["name"] == name
                || a["aliases"]
                    .as_array()
                    .is_some_and(|x| x.contains(&name.into()))
        })
        .collect();
    assert_eq!(matches.len(), 1, "{name} in {jurisdiction}: {list}");
    str_of(matches[0], "id").to_owned()
}

// ---------------------------------------------------------------------------------------------
// Index, probes, envelope
// ---------------------------------------------------------------------------------------------

#[test]
fn index_links_every_resource_with_version_counts_and_licence() {
    let index = get_json("/v1");
    let index = &index["data"];
    for list in LISTS {
        let name = list.trim_start_matches("/v1/");
        assert_eq!(index["links"][name], list, "link to {name}");
        assert_eq!(get(list).status, 200, "{list} answers");
    }
    assert_eq!(index["links"]["openapi"], "/v1/openapi.json");
    let version = str_of(&index["dataset"], "version");
    assert!(
        version.len() >= 8 && version.chars().all(|c| c.is_ascii_hexdigit()),
        "{version}"
    );
    let counts = &index["counts"];
    assert_eq!(counts["documents"], 5);
    assert_eq!(counts["measures"], total(&get_json("/v1/measures")));
    assert_eq!(counts["agencies"], total(&get_json("/v1/agencies")));
    assert_eq!(counts["goals"], total(&get_json("/v1/goals")));
    assert_eq!(counts["references"], total(&get_json("/v1/references")));
    assert_eq!(counts["themes"], total(&get_json("/v1/themes")));
    assert_eq!(
        counts["jurisdictions"],
        total(&get_json("/v1/jurisdictions"))
    );
    let licence = index["licence"].to_string();
    assert!(licence.contains("Article 5"), "{licence}");
    assert!(licence.contains("Copyright Law"), "{licence}");
    assert!(licence.contains("CC BY 4.0"), "{licence}");
    assert!(licence.contains("issuing bodies"), "{licence}");
    assert_eq!(get_json("/v1/")["data"]["api_version"], "v1");
}

#[test]
fn health_and_ready_answer() {
    assert_eq!(get_json("/health")["status"], "ok");
    assert_eq!(get_json("/ready")["status"], "ready");
}

#[test]
fn ready_is_503_when_the_database_cannot_be_queried() {
    let broken = start(broken_pool());
    let response = request_at(&broken, "GET", "/ready");
    assert_problem(&response, 503);
    assert_eq!(request_at(&broken, "GET", "/health").status, 200);
    // A list over an unreadable database is an error, never a hang or a panic.
    let response = request_at(&broken, "GET", "/v1/measures");
    assert!(response.status >= 500, "{}", response.status);
    assert!(response
        .content_type
        .starts_with("application/problem+json"));
}

#[test]
fn lists_have_the_envelope_and_single_records_the_item_shape() {
    for list in LISTS {
        let page = get_json(list);
        let keys = object_keys(&page);
        assert_eq!(keys, BTreeSet::from(["data", "links", "meta"]), "{list}");
        assert!(page["data"].is_array());
        assert!(page["meta"]["total"].is_i64());
        assert_eq!(page["meta"]["limit"], 50);
        assert!(page["meta"].get("next_cursor").is_some());
        assert_eq!(page["links"]["self"], list);
        assert!(page["links"].get("next").is_some());
        let first = &data(&page)[0];
        let id = str_of(first, "id");
        let one = get_json(&format!("{list}/{id}"));
        let keys: Vec<&String> = one.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["data"], "{list}/{id}");
        assert_eq!(one["data"]["id"], id);
    }
}

#[test]
fn head_requests_get_headers_without_a_body() {
    let response = request("HEAD", "/v1/measures");
    assert_eq!(response.status, 200);
    assert!(response.body.is_empty());
}

#[test]
fn browsers_on_other_origins_may_read_the_api() {
    let response = common::request_with_origin("/v1/themes", "https://example.org");
    assert_eq!(response.status, 200);
    let allowed = response
        .headers
        .get("access-control-allow-origin")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        allowed == "*" || allowed == "https://example.org",
        "{allowed:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

#[test]
fn documents_list_and_filters() {
    let all = get_json("/v1/documents");
    assert_eq!(total(&all), 5);
    let ids_all: BTreeSet<String> = ids(&all).into_iter().collect();
    assert_eq!(
        ids_all,
        BTreeSet::from([YUBEI, HONGKOU, CHONGQING_PLAN, REPLY, TIANJIN].map(String::from))
    );

    // A parent jurisdiction includes its children.
    let chongqing: BTreeSet<String> = ids(&get_json("/v1/documents?jurisdiction=chongqing"))
        .into_iter()
        .collect();
    assert_eq!(
        chongqing,
        BTreeSet::from([YUBEI, CHONGQING_PLAN, REPLY].map(String::from))
    );
    assert_eq!(
        ids(&get_json("/v1/documents?jurisdiction=chongqing-yubei")),
        [YUBEI]
    );
    assert_eq!(total(&get_json("/v1/documents?jurisdiction=china")), 5);
    // Repeated = OR.
    assert_eq!(
        total(&get_json(
            "/v1/documents?jurisdiction=tianjin&jurisdiction=shanghai"
        )),
        2
    );

    let drafts: BTreeSet<String> = ids(&get_json("/v1/documents?status=draft"))
        .into_iter()
        .collect();
    assert_eq!(drafts, BTreeSet::from([YUBEI, TIANJIN].map(String::from)));
    assert_eq!(total(&get_json("/v1/documents?status=final")), 3);

    let issuer = get_json(&with_query(
        "/v1/documents",
        &[("issuer", "重庆市人民政府办公厅")],
    ));
    assert_eq!(ids(&issuer), [CHONGQING_PLAN]);
    let plan = get_json(&format!("/v1/documents/{CHONGQING_PLAN}"));
    let kind = str_of(&plan["data"], "kind").to_owned();
    let by_kind = get_json(&with_query("/v1/documents", &[("kind", &kind)]));
    assert!(ids(&by_kind).contains(&CHONGQING_PLAN.to_owned()));

    assert_eq!(ids(&get_json("/v1/documents?year=2015")), [CHONGQING_PLAN]);
    let dated_2020 = get_json("/v1/documents?date_from=2020-01-01&date_to=2020-12-31");
    for document in data(&dated_2020) {
        let date = str_of(document, "date");
        assert!(date.starts_with("2020-"), "{date}");
    }
    assert!(ids(&dated_2020).contains(&HONGKOU.to_owned()));
    assert!(ids(&dated_2020).contains(&REPLY.to_owned()));
    assert_eq!(
        ids(&get_json("/v1/documents?date_to=2016-01-01")),
        [CHONGQING_PLAN]
    );
    // Different parameters = AND.
    assert_eq!(
        total(&get_json(
            "/v1/documents?jurisdiction=chongqing&status=draft"
        )),
        1
    );
}

#[test]
fn documents_sort_by_date_descending_with_undated_last() {
    let list = get_json("/v1/documents?sort=-date");
    let dates: Vec<Option<&str>> = data(&list).iter().map(|d| d["date"].as_str()).collect();
    let dated: Vec<&str> = dates.iter().flatten().copied().collect();
    let mut sorted = dated.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dated, sorted);
    if let Some(first_undated) = dates.iter().position(Option::is_none) {
        assert!(
            dates[first_undated..].iter().all(Option::is_none),
            "{dates:?}"
        );
    }
}

#[test]
fn document_record_has_metadata_counts_and_outline_tree() {
    let document = get_json(&format!("/v1/documents/{YUBEI}"));
    let document = &document["data"];
    assert_eq!(document["status"], "draft");
    assert_eq!(document["jurisdiction"], "chongqing-yubei");
    assert_eq!(document["counts"]["measures"], 48);
    let outline = document["outline"].as_array().expect("outline");
    assert!(!outline.is_empty());
    // Parts contain sections contain items; the measures of the tree are the measures.
    fn collect(nodes: &[Value], depth: usize, out: &mut Vec<(usize, Value)>) {
        for node in nodes {
            out.push((depth, node.clone()));
            collect(
                node["children"].as_array().expect("children"),
                depth + 1,
                out,
            );
        }
    }
    let mut nodes = Vec::new();
    collect(outline, 0, &mut nodes);
    assert!(
        nodes.iter().any(|(depth, _)| *depth >= 2),
        "the outline is nested"
    );
    let outline_measures: BTreeSet<String> = nodes
        .iter()
        .filter(|(_, node)| node["is_measure"] == true)
        .map(|(_, node)| str_of(node, "id").to_owned())
        .collect();
    let measures: BTreeSet<String> = measures_of(YUBEI)
        .iter()
        .map(|m| str_of(m, "id").to_owned())
        .collect();
    assert_eq!(outline_measures, measures);
    for (_, node) in &nodes {
        assert!(node["span"]["start"].as_i64() <= node["span"]["end"].as_i64());
    }
    assert!(document["warnings"].is_array());

    let plan = get_json(&format!("/v1/documents/{CHONGQING_PLAN}"));
    assert_eq!(plan["data"]["issuer"], "重庆市人民政府办公厅");
    assert_eq!(plan["data"]["date"], "2015-12-31");
    assert_eq!(plan["data"]["counts"]["goals"], 8);
    assert!(str_of(&plan["data"], "title").contains("互联网+"));
}

#[test]
fn document_text_is_plain_text_and_raw_gives_the_original_bytes() {
    for id in [YUBEI, HONGKOU, CHONGQING_PLAN, REPLY, TIANJIN] {
        let original =
            std::fs::read(data_dir().join("documents").join(format!("{id}.txt"))).expect("file");
        let raw = get(&format!("/v1/documents/{id}/text?raw=true"));
        assert_eq!(raw.status, 200);
        assert!(
            raw.content_type.starts_with("text/plain"),
            "{}",
            raw.content_type
        );
        assert_eq!(raw.body, original, "{id}: raw bytes");

        let text = get(&format!("/v1/documents/{id}/text"));
        assert_eq!(text.status, 200);
        assert_eq!(text.content_type, "text/plain; charset=utf-8");
        assert!(!text.body.is_empty());
        assert_eq!(
            get(&format!("/v1/documents/{id}/text?raw=false")).body,
            text.body
        );
    }
    let plan = get(&format!("/v1/documents/{CHONGQING_PLAN}/text")).text();
    assert!(
        plan.contains("重庆市“互联网+”行动计划"),
        "normalized text restores the +"
    );
    let problem = assert_problem(&get(&format!("/v1/documents/{YUBEI}/text?raw=yes")), 400);
    assert!(invalid_param(&problem, "raw").contains("true, false"));
    assert_problem(&get("/v1/documents/nope/text"), 404);
    assert_problem(&get("/v1/documents/nope/text?raw=true"), 404);
}

#[test]
fn document_measures_sub_resource() {
    let list = get_json(&format!("/v1/documents/{HONGKOU}/measures"));
    assert_eq!(total(&list), 23);
    assert!(data(&list).iter().all(|m| m["document"] == HONGKOU));
    let with_title = data(&list)
        .iter()
        .filter(|m| m["title"].is_string())
        .count();
    assert_eq!(with_title, 23, "every Hongkou measure has a title");
    let eight = data(&list)
        .iter()
        .find(|m| m["ordinal"] == 8)
        .expect("measure 8");
    assert!(str_of(eight, "title").contains("在线医疗"));
    let lead = get_json(&format!("/v1/documents/{YUBEI}/measures?role=lead&limit=1"));
    assert_eq!(total(&lead), 48, "every Yubei measure has a lead agency");
    assert_measures_of_refuse(
        &format!("documents/{YUBEI}"),
        &format!("document={HONGKOU}"),
    );
}

// ---------------------------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------------------------

#[test]
fn measure_records_carry_agencies_themes_and_provenance() {
    let list = get_json("/v1/measures?limit=500");
    assert_eq!(total(&list), 108);
    let mut raw_files: HashMap<String, Vec<u8>> = HashMap::new();
    for measure in data(&list) {
        for key in [
            "id",
            "document",
            "number",
            "label",
            "title",
            "text",
            "path",
            "agencies",
            "themes",
            "deadlines",
            "source",
        ] {
            assert!(measure.get(key).is_some(), "{key} missing in {measure}");
        }
        assert!(measure["deadlines"].is_array(), "{measure}");
        for agency in measure["agencies"].as_array().expect("agencies") {
            for key in ["id", "name", "name_en", "role", "raw_name", "source"] {
                assert!(agency.get(key).is_some(), "{key} missing in {agency}");
            }
        }
        for theme in measure["themes"].as_array().expect("themes") {
            for key in ["id", "name", "name_en"] {
                assert!(theme.get(key).is_some(), "{key} missing in {theme}");
            }
        }
        let source = &measure["source"];
        let document = str_of(source, "document");
        assert_eq!(measure["document"], document);
        let raw = raw_files.entry(document.to_owned()).or_insert_with(|| {
            std::fs::read(data_dir().join("documents").join(format!("{document}.txt")))
                .expect("raw file")
        });
        let start = source["start"].as_u64().expect("start") as usize;
        let end = source["end"].as_u64().expect("end") as usize;
        assert_eq!(
            str_of(source, "verbatim").as_bytes(),
            &raw[start..end],
            "verbatim text of {} is the source span",
            measure["id"]
        );
        assert!(source["line_start"].as_i64() <= source["line_end"].as_i64());
        // Each agency link points at the name as printed (every bundled file is UTF-8).
        for agency in measure["agencies"].as_array().expect("agencies") {
            let link = &agency["source"];
            assert_eq!(link["document"], document, "{agency}");
            let start = link["start"].as_u64().expect("start") as usize;
            let end = link["end"].as_u64().expect("end") as usize;
            assert_eq!(
                &raw[start..end],
                str_of(agency, "raw_name").as_bytes(),
                "{}: {agency}",
                measure["id"]
            );
            assert_eq!(str_of(link, "verbatim"), str_of(agency, "raw_name"));
            let lines = |text: &[u8]| text.iter().filter(|&&b| b == b'\n').count() as i64 + 1;
            assert_eq!(link["line_start"], lines(&raw[..start]), "{agency}");
            assert_eq!(link["line_end"], lines(&raw[..end]), "{agency}");
        }
    }
    let one = &data(&list)[0];
    let single = get_json(&format!("/v1/measures/{}", str_of(one, "id")));
    assert_eq!(&single["data"], one);
    assert_problem(&get("/v1/measures/nope"), 404);
}

#[test]
fn yubei_facts_through_the_api() {
    let document = get_json(&format!("/v1/documents/{YUBEI}"));
    assert_eq!(document["data"]["status"], "draft");
    let measures = measures_of(YUBEI);
    assert_eq!(measures.len(), 48);
    let numbers: Vec<i64> = measures
        .iter()
        .map(|m| m["number"].as_i64().expect("number"))
        .collect();
    assert_eq!(numbers, (1..=48).collect::<Vec<_>>());

    let urban_management = agency_id_for("区城市管理局", "chongqing-yubei");
    let canonical = get_json(&format!("/v1/agencies/{urban_management}"));
    assert_eq!(canonical["data"]["name"], "重庆市渝北区城市管理局");
    let measure = measure_numbered(YUBEI, 25);
    let cooperating: Vec<&Value> = measure["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .filter(|a| a["role"] == "cooperating")
        .collect();
    assert!(
        cooperating
            .iter()
            .any(|a| a["id"] == urban_management.as_str()
                && a["name"] == "重庆市渝北区城市管理局"
                && a["raw_name"] == "区城市管理局"),
        "{measure}"
    );

    // Variants resolve to one agency; abbreviations are scoped by jurisdiction.
    assert_eq!(
        agency_id_for("区人力社保局", "chongqing-yubei"),
        agency_id_for("区人社社保局", "chongqing-yubei")
    );
    assert_eq!(
        agency_id_for("区政府办", "chongqing-yubei"),
        agency_id_for("区政府办公室", "chongqing-yubei")
    );
    for name in ["区商务委", "区市场监管局", "区政府办公室"] {
        assert_ne!(
            agency_id_for(name, "chongqing-yubei"),
            agency_id_for(name, "shanghai-hongkou"),
            "{name}"
        );
    }

    let references = get_json(&format!("/v1/references?document={YUBEI}"));
    assert!(
        data(&references)
            .iter()
            .any(|r| r["cited"]["doc_number"] == "渝府办发〔2020〕25号"),
        "{references}"
    );
}

#[test]
fn measure_filters() {
    let hongkou = get_json(&format!("/v1/measures?document={HONGKOU}"));
    assert_eq!(total(&hongkou), 23);
    let both = get_json(&format!("/v1/measures?document={HONGKOU}&document={YUBEI}"));
    assert_eq!(total(&both), 23 + 48, "a repeated parameter is OR");

    // A parent jurisdiction includes its children.
    let chongqing = get_json("/v1/measures?jurisdiction=chongqing&limit=500");
    let documents: BTreeSet<&str> = data(&chongqing)
        .iter()
        .map(|m| str_of(m, "document"))
        .collect();
    assert!(
        documents.contains(YUBEI),
        "Chongqing includes Yubei measures"
    );
    assert!(documents.contains(CHONGQING_PLAN));
    assert!(!documents.contains(HONGKOU));
    assert_eq!(
        total(&get_json("/v1/measures?jurisdiction=chongqing-yubei")),
        48
    );
    assert_eq!(total(&get_json("/v1/measures?jurisdiction=china")), 108);

    // Roles.
    let lead = get_json("/v1/measures?role=lead&limit=500");
    for measure in data(&lead) {
        assert!(measure["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .any(|a| a["role"] == "lead"));
    }
    let responsible = total(&get_json("/v1/measures?role=responsible"));
    assert_eq!(
        responsible, 23,
        "Hongkou's measures name responsible departments"
    );
    let either = total(&get_json("/v1/measures?role=lead&role=responsible"));
    assert_eq!(either, total(&lead) + responsible);

    // Agency, and agency with role on the same link.
    let urban_management = agency_id_for("区城市管理局", "chongqing-yubei");
    let by_agency = get_json(&format!("/v1/measures?agency={urban_management}&limit=500"));
    assert!(total(&by_agency) >= 1);
    for measure in data(&by_agency) {
        assert!(measure["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .any(|a| a["id"] == urban_management.as_str()));
    }
    let leads = get_json(&format!(
        "/v1/measures?agency={urban_management}&role=lead&limit=500"
    ));
    for measure in data(&leads) {
        assert!(measure["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .any(|a| a["id"] == urban_management.as_str() && a["role"] == "lead"));
    }
    let cooperates = total(&get_json(&format!(
        "/v1/measures?agency={urban_management}&role=cooperating"
    )));
    assert!(cooperates >= 1, "区城市管理局 cooperates on measure 25");

    // Themes.
    let healthcare = get_json("/v1/measures?theme=online-healthcare&limit=500");
    let tagged: BTreeSet<(String, i64)> =
        data(&healthcare).iter().map(document_and_ordinal).collect();
    for number in [14, 15] {
        let id = str_of(&measure_numbered(YUBEI, number), "id").to_owned();
        assert!(
            ids(&healthcare).contains(&id),
            "Yubei {number} is online healthcare"
        );
    }
    assert!(
        tagged.contains(&(HONGKOU.to_owned(), 8)),
        "Hongkou 8 is online healthcare"
    );
    assert!(
        data(&healthcare).iter().any(|m| m["document"] == TIANJIN
            && format!(
                "{} {}",
                m["title"].as_str().unwrap_or(""),
                str_of(m, "text")
            )
            .contains("在线医疗")),
        "Tianjin's 在线医疗 is online healthcare"
    );
    let education = get_json("/v1/measures?theme=online-education&limit=500");
    for number in [17, 18] {
        let id = str_of(&measure_numbered(YUBEI, number), "id").to_owned();
        assert!(
            ids(&education).contains(&id),
            "Yubei {number} is online education"
        );
    }
    assert!(data(&education)
        .iter()
        .any(|m| m["document"] == HONGKOU && m["ordinal"] == 6));

    // Year of the document and substring search.
    assert_eq!(total(&get_json("/v1/measures?year=2015")), 15);
    let q = get_json(&with_query(
        "/v1/measures",
        &[("q", "直播"), ("limit", "500")],
    ));
    assert!(total(&q) >= 1);
    for measure in data(&q) {
        let haystack = format!(
            "{} {}",
            measure["title"].as_str().unwrap_or(""),
            str_of(measure, "text")
        );
        assert!(haystack.contains("直播"), "{haystack}");
    }
    // A query without letters, digits or Chinese characters is refused, naming q.
    for query in ["%", "_"] {
        let response = get(&with_query("/v1/measures", &[("q", query)]));
        invalid_param(&assert_problem(&response, 400), "q");
    }
    // Different parameters AND.
    let and = get_json(&format!(
        "/v1/measures?document={HONGKOU}&theme=online-healthcare"
    ));
    assert!(data(&and).iter().all(|m| m["document"] == HONGKOU));
    assert!(total(&and) < total(&healthcare));
}

#[test]
fn measure_sort_orders() {
    let default = get_json("/v1/measures?limit=500");
    let keys: Vec<(String, i64)> = data(&default).iter().map(document_and_ordinal).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "default order: document, then ordinal");

    let by_number = get_json("/v1/measures?sort=-number&limit=500");
    let numbers: Vec<Option<i64>> = data(&by_number)
        .iter()
        .map(|m| m["number"].as_i64())
        .collect();
    let present: Vec<i64> = numbers.iter().flatten().copied().collect();
    let mut descending = present.clone();
    descending.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(present, descending);
    let first_null = numbers
        .iter()
        .position(Option::is_none)
        .unwrap_or(numbers.len());
    assert!(
        numbers[first_null..].iter().all(Option::is_none),
        "nulls last"
    );
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

#[test]
fn cursor_walk_over_all_measures_has_no_duplicates_and_no_gaps() {
    let everything = get_json("/v1/measures?limit=500");
    let expected: Vec<String> = ids(&everything);
    assert_eq!(expected.len() as i64, total(&everything));
    for limit in [1, 7, 50] {
        let records = walk(&format!("/v1/measures?limit={limit}"));
        let walked: Vec<String> = records.iter().map(|m| str_of(m, "id").to_owned()).collect();
        let unique: BTreeSet<&String> = walked.iter().collect();
        assert_eq!(unique.len(), walked.len(), "limit {limit}: no duplicates");
        assert_eq!(
            walked, expected,
            "limit {limit}: same records in the same order"
        );
    }
}

/// The sort fields a list accepts, read from its 400 answer to an unknown field.
fn sort_fields(list: &str) -> Vec<String> {
    let problem = assert_problem(&get(&format!("{list}?sort=no-such-field")), 400);
    let reason = invalid_param(&problem, "sort");
    let fields = reason
        .split("allowed fields: ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("{reason}"));
    fields.split(", ").map(str::to_owned).collect()
}

#[test]
fn every_sort_of_every_list_pages_without_duplicates_or_gaps() {
    for list in LISTS {
        let everything: BTreeSet<String> = walk(&format!("{list}?limit=500"))
            .iter()
            .map(|r| str_of(r, "id").to_owned())
            .collect();
        // Small pages, so that pages end inside runs of equal keys; larger ones for the
        // thousands of jurisdictions.
        let page_size = if everything.len() > 500 { "100" } else { "4" };
        // `relevance` needs a query; the search tests walk it.
        for field in sort_fields(list).into_iter().filter(|f| f != "relevance") {
            for sort in [field.clone(), format!("-{field}"), format!("{field},-id")] {
                if sort == "id,-id" {
                    continue;
                }
                let full: Vec<String> =
                    walk(&with_query(list, &[("sort", &sort), ("limit", "500")]))
                        .iter()
                        .map(|r| str_of(r, "id").to_owned())
                        .collect();
                let records = walk(&with_query(list, &[("sort", &sort), ("limit", page_size)]));
                let walked: Vec<String> =
                    records.iter().map(|r| str_of(r, "id").to_owned()).collect();
                assert_eq!(
                    walked, full,
                    "{list}?sort={sort}: small pages equal big pages"
                );
                let unique: BTreeSet<String> = walked.iter().cloned().collect();
                assert_eq!(unique, everything, "{list}?sort={sort}: every record once");
            }
        }
    }
}

#[test]
fn next_link_keeps_the_filters() {
    let first = get_json("/v1/measures?role=lead&limit=5&facet=document");
    let next = str_of(&first["links"], "next");
    assert!(next.contains("role=lead"), "{next}");
    assert!(next.contains("facet=document"), "{next}");
    assert_eq!(
        first["links"]["self"],
        "/v1/measures?role=lead&limit=5&facet=document"
    );
    let second = get_json(next);
    assert_eq!(total(&second), total(&first));
    assert!(data(&second).iter().all(|m| m["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .any(|a| a["role"] == "lead")));
    let cursor = str_of(&first["meta"], "next_cursor");
    let again = get_json(&format!("/v1/measures?role=lead&limit=5&cursor={cursor}"));
    assert_eq!(ids(&again), ids(&second));
    let last = get_json("/v1/measures?limit=500");
    assert!(last["meta"]["next_cursor"].is_null());
    assert!(last["links"]["next"].is_null());
}

// ---------------------------------------------------------------------------------------------
// Facets
// ---------------------------------------------------------------------------------------------

/// Facet names a list accepts, read from its 400 answer to an unknown facet.
fn facet_names(list: &str) -> Vec<String> {
    let problem = assert_problem(&get(&format!("{list}?facet=no-such-facet")), 400);
    let reason = invalid_param(&problem, "facet");
    match reason.split("allowed: ").nth(1) {
        Some(names) => names.split(", ").map(str::to_owned).collect(),
        None => Vec::new(),
    }
}

/// For each jurisdiction, itself and every jurisdiction below it.
fn jurisdiction_subtrees() -> HashMap<String, BTreeSet<String>> {
    let list = walk("/v1/jurisdictions?limit=500");
    let parents: HashMap<String, Option<String>> = list
        .iter()
        .map(|j| {
            (
                str_of(j, "id").to_owned(),
                j["parent"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let mut subtrees: HashMap<String, BTreeSet<String>> = HashMap::new();
    for id in parents.keys() {
        let mut current = Some(id.clone());
        while let Some(ancestor) = current {
            subtrees
                .entry(ancestor.clone())
                .or_default()
                .insert(id.clone());
            current = parents.get(&ancestor).cloned().flatten();
        }
    }
    subtrees
}

#[test]
fn facet_counts_add_up_and_match_their_filters() {
    let subtrees = jurisdiction_subtrees();
    for (list, filter) in [
        ("/v1/measures", vec![]),
        ("/v1/measures", vec![("role", "lead")]),
        ("/v1/measures", vec![("jurisdiction", "chongqing")]),
        ("/v1/documents", vec![]),
        ("/v1/agencies", vec![]),
        ("/v1/agencies", vec![("jurisdiction", "chongqing-yubei")]),
        ("/v1/goals", vec![]),
        ("/v1/references", vec![]),
        ("/v1/jurisdictions", vec![]),
        ("/v1/jurisdictions", vec![("has_documents", "true")]),
        ("/v1/agencies", vec![("origin", "gazetteer")]),
    ] {
        let names = facet_names(list);
        assert!(!names.is_empty(), "{list} has facets");
        let mut pairs: Vec<(&str, &str)> = filter.clone();
        for name in &names {
            pairs.push(("facet", name));
        }
        pairs.push(("limit", "1"));
        let page = get_json(&with_query(list, &pairs));
        let all = total(&page);
        let facets = page["facets"]
            .as_object()
            .unwrap_or_else(|| panic!("{list}: {page}"));
        let keys: BTreeSet<&String> = facets.keys().collect();
        assert_eq!(
            keys,
            names.iter().collect(),
            "{list}: every requested facet"
        );
        for (name, values) in facets {
            let values = values.as_array().expect("values");
            let counts: BTreeMap<&str, i64> = values
                .iter()
                .map(|v| (str_of(v, "value"), v["count"].as_i64().expect("count")))
                .collect();
            let mut previous = i64::MAX;
            for value in values {
                assert!(value["label"].is_string());
                let count = value["count"].as_i64().expect("count");
                assert!(
                    count > 0 && count <= previous,
                    "{list} {name}: sorted by count"
                );
                previous = count;
                // A facet value passed to the filter of the same name gives its count
                // (facets of a field the request already filters on are over that filter).
                if filter.iter().any(|(param, _)| param == name) {
                    continue;
                }
                let mut narrowed = filter.clone();
                narrowed.push((name.as_str(), str_of(value, "value")));
                let narrowed_total = total(&get_json(&with_query(list, &narrowed)));
                let expected = if name == "jurisdiction" {
                    subtrees[str_of(value, "value")]
                        .iter()
                        .map(|j| counts.get(j.as_str()).copied().unwrap_or(0))
                        .sum()
                } else {
                    count
                };
                assert_eq!(
                    narrowed_total, expected,
                    "{list} {filter:?} {name}={}",
                    value["value"]
                );
            }
            // Facets of single-valued fields partition the records.
            let single_valued = match list {
                "/v1/measures" => name == "document",
                "/v1/agencies" => ["kind", "resolved", "origin"].contains(&name.as_str()),
                "/v1/references" => true,
                "/v1/documents" => ["status", "kind"].contains(&name.as_str()),
                "/v1/goals" => ["document", "unit"].contains(&name.as_str()),
                "/v1/jurisdictions" => name == "level",
                _ => false,
            };
            if single_valued {
                let sum: i64 = counts.values().sum();
                assert_eq!(
                    sum, all,
                    "{list} {filter:?}: {name} counts add up to the total"
                );
            }
        }
    }
}

#[test]
fn role_lead_facet_agency_counts_the_measures_each_agency_leads() {
    let page = get_json("/v1/measures?role=lead&facet=agency&limit=1");
    let agencies = page["facets"]["agency"].as_array().expect("agency facet");
    assert!(!agencies.is_empty());
    for value in agencies.iter().take(5) {
        let id = str_of(value, "value");
        let agency = get_json(&format!("/v1/agencies/{id}"));
        assert_eq!(
            value["count"], agency["data"]["measure_counts"]["lead"],
            "{id}"
        );
        assert_eq!(value["label"], agency["data"]["name"]);
    }
    let document = get_json("/v1/measures?facet=document&limit=1");
    assert_eq!(facet_sum(&document, "document"), total(&document));
}

// ---------------------------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------------------------

#[test]
fn agencies_filters_records_and_partners() {
    let all = get_json("/v1/agencies?limit=500");
    assert!(total(&all) > 50);
    for agency in data(&all) {
        for key in [
            "id",
            "name",
            "name_en",
            "aliases",
            "kind",
            "jurisdiction",
            "resolved",
            "measure_counts",
            "measure_count",
        ] {
            assert!(agency.get(key).is_some(), "{key} missing in {agency}");
        }
    }
    let yubei = get_json("/v1/agencies?jurisdiction=chongqing-yubei&limit=500");
    assert!(data(&yubei)
        .iter()
        .all(|a| a["jurisdiction"] == "chongqing-yubei"));
    let chongqing = total(&get_json("/v1/agencies?jurisdiction=chongqing"));
    assert!(chongqing > total(&yubei), "a parent includes its children");

    let departments = get_json("/v1/agencies?kind=government_department&limit=500");
    assert!(total(&departments) > 0);
    assert!(data(&departments)
        .iter()
        .all(|a| a["kind"] == "government_department"));

    let leads = get_json("/v1/agencies?role=lead&limit=500");
    assert!(total(&leads) > 0);
    assert!(data(&leads)
        .iter()
        .all(|a| a["measure_counts"]["lead"].as_i64() > Some(0)));

    // q matches canonical names, aliases and English names.
    let by_alias = get_json(&with_query("/v1/agencies", &[("q", "区城市管理局")]));
    assert!(data(&by_alias)
        .iter()
        .any(|a| a["name"] == "重庆市渝北区城市管理局"));
    let by_name = get_json(&with_query("/v1/agencies", &[("q", "渝北区城市管理局")]));
    assert!(total(&by_name) >= 1);
    let english = data(&all)
        .iter()
        .find_map(|a| a["name_en"].as_str())
        .expect("an English name")
        .to_owned();
    let by_english = get_json(&with_query("/v1/agencies", &[("q", &english)]));
    assert!(data(&by_english)
        .iter()
        .any(|a| a["name_en"] == english.as_str()));

    let resolved = total(&get_json("/v1/agencies?resolved=true"));
    let unresolved = total(&get_json("/v1/agencies?resolved=false"));
    assert_eq!(resolved + unresolved, total(&all));

    // The single record adds partners, most shared measures first.
    let busiest = get_json("/v1/agencies?sort=-measures&limit=1");
    let id = str_of(&data(&busiest)[0], "id").to_owned();
    let agency = get_json(&format!("/v1/agencies/{id}"));
    let partners = agency["data"]["partners"].as_array().expect("partners");
    assert!(!partners.is_empty());
    let counts: Vec<i64> = partners
        .iter()
        .map(|p| p["count"].as_i64().expect("count"))
        .collect();
    let mut sorted = counts.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted);
    let partner = str_of(&partners[0], "id");
    let shared = total(&get_json(&format!("/v1/measures?agency={id}&limit=500")));
    let measures = get_json(&format!("/v1/agencies/{id}/measures?limit=500"));
    assert_eq!(total(&measures), shared);
    assert_eq!(agency["data"]["measure_count"], shared);
    let together = data(&measures)
        .iter()
        .filter(|m| {
            m["agencies"]
                .as_array()
                .expect("agencies")
                .iter()
                .any(|a| a["id"] == partner)
        })
        .count() as i64;
    assert_eq!(together, counts[0]);
    assert!(
        partners.iter().all(|p| p["id"] != id.as_str()),
        "not its own partner"
    );
}

#[test]
fn agency_measures_sub_resource() {
    let urban_management = agency_id_for("区城市管理局", "chongqing-yubei");
    let agency = get_json(&format!("/v1/agencies/{urban_management}"));
    let list = get_json(&format!(
        "/v1/agencies/{urban_management}/measures?limit=500"
    ));
    assert_eq!(
        total(&list),
        agency["data"]["measure_count"].as_i64().expect("count")
    );
    let cooperating = get_json(&format!(
        "/v1/agencies/{urban_management}/measures?role=cooperating"
    ));
    assert_eq!(
        total(&cooperating),
        agency["data"]["measure_counts"]["cooperating"]
            .as_i64()
            .expect("count")
    );
    assert!(ids(&cooperating).contains(&str_of(&measure_numbered(YUBEI, 25), "id").to_owned()));
    assert_measures_of_refuse(&format!("agencies/{urban_management}"), "agency=x");
}

// ---------------------------------------------------------------------------------------------
// Goals
// ---------------------------------------------------------------------------------------------

#[test]
fn goals_filters_and_records() {
    let plan = get_json(&format!("/v1/goals?document={CHONGQING_PLAN}"));
    assert_eq!(total(&plan), 8, "the Chongqing plan has 8 goals");
    for goal in data(&plan) {
        for key in [
            "id",
            "document",
            "metric",
            "value",
            "unit",
            "comparator",
            "year",
            "value_base",
            "base_unit",
            "text",
            "source",
        ] {
            assert!(goal.get(key).is_some(), "{key} missing in {goal}");
        }
        assert!(!str_of(goal, "text").is_empty() && !str_of(goal, "clause").is_empty());
        assert!(
            str_of(goal, "text").contains(str_of(goal, "clause")),
            "{goal}"
        );
    }
    let output = data(&plan)
        .iter()
        .find(|g| g["value"] == 2500.0 && g["unit"] == "亿元")
        .expect("软件和信息服务业产值 2500 亿元");
    assert_eq!(output["year"], 2018);
    assert_eq!(output["value_base"], 2.5e11);
    assert_eq!(output["base_unit"], "yuan");
    let single = get_json(&format!("/v1/goals/{}", str_of(output, "id")));
    assert_eq!(&single["data"], output);
    assert_problem(&get("/v1/goals/nope"), 404);

    let y2018 = get_json(&format!("/v1/goals?document={CHONGQING_PLAN}&year=2018"));
    assert_eq!(total(&y2018), 6);
    let y2020 = get_json(&format!("/v1/goals?document={CHONGQING_PLAN}&year=2020"));
    assert_eq!(total(&y2020), 2);
    assert_eq!(
        total(&get_json(&format!(
            "/v1/goals?document={CHONGQING_PLAN}&year=2018&year=2020"
        ))),
        8
    );
    let tianjin = get_json("/v1/goals?jurisdiction=tianjin");
    assert_eq!(total(&tianjin), 4);
    assert!(data(&tianjin).iter().all(|g| g["year"] == 2022));
    assert_eq!(total(&get_json("/v1/goals?jurisdiction=chongqing")), 8);
    let from = get_json("/v1/goals?year_from=2020&limit=500");
    assert!(data(&from).iter().all(|g| g["year"].as_i64() >= Some(2020)));
    assert_eq!(total(&from), 2 + 4);
    let to = get_json("/v1/goals?year_to=2019&limit=500");
    assert!(data(&to).iter().all(|g| g["year"].as_i64() <= Some(2019)));
    assert_eq!(total(&get_json("/v1/goals?year_from=2019&year_to=2021")), 2);
    let yuan = get_json(&with_query("/v1/goals", &[("unit", "亿元")]));
    assert!(data(&yuan).iter().all(|g| g["unit"] == "亿元"));
    assert_eq!(total(&yuan), 3);

    // Provenance: the verbatim text is the source span of the raw file.
    let raw = std::fs::read(
        data_dir()
            .join("documents")
            .join(format!("{CHONGQING_PLAN}.txt")),
    )
    .expect("file");
    for goal in data(&plan) {
        let start = goal["source"]["start"].as_u64().expect("start") as usize;
        let end = goal["source"]["end"].as_u64().expect("end") as usize;
        assert_eq!(
            str_of(&goal["source"], "verbatim").as_bytes(),
            &raw[start..end]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

#[test]
fn references_filters_and_cited_documents() {
    let all = get_json("/v1/references?limit=500");
    for reference in data(&all) {
        for key in ["id", "document", "cited", "context", "source"] {
            assert!(reference.get(key).is_some(), "{key} missing in {reference}");
        }
        for key in ["id", "title", "doc_number", "document"] {
            assert!(reference["cited"].get(key).is_some(), "cited.{key} missing");
        }
    }
    let yubei = get_json(&format!("/v1/references?document={YUBEI}"));
    let shared = data(&yubei)
        .iter()
        .find(|r| r["cited"]["doc_number"] == "渝府办发〔2020〕25号")
        .expect("Yubei cites 渝府办发〔2020〕25号");
    let cited_id = str_of(&shared["cited"], "id").to_owned();
    let cited = get_json(&format!("/v1/references/cited/{cited_id}"));
    let citing: BTreeSet<&str> = cited["data"]["references"]
        .as_array()
        .expect("references")
        .iter()
        .map(|r| str_of(r, "document"))
        .collect();
    assert!(
        citing.contains(YUBEI) && citing.contains(REPLY),
        "{citing:?}: one cited record"
    );
    assert!(str_of(&cited["data"], "title").contains("关于加快线上业态线上服务线上管理发展的意见"));
    let by_cited = get_json(&format!("/v1/references?cited={cited_id}"));
    assert_eq!(
        total(&by_cited) as usize,
        cited["data"]["references"]
            .as_array()
            .expect("references")
            .len()
    );
    let reply = get_json(&format!("/v1/references?document={REPLY}&limit=500"));
    assert!(data(&reply).iter().any(|r| r["cited"]["title"]
        .as_str()
        .is_some_and(|t| t.contains("关于促进平台经济规范健康发展的指导意见"))));
    let plan = get_json(&format!("/v1/references?document={CHONGQING_PLAN}"));
    assert!(data(&plan)
        .iter()
        .any(|r| r["cited"]["doc_number"] == "国发〔2015〕40号"));

    let resolved = get_json("/v1/references?resolved=true&limit=500");
    assert!(data(&resolved)
        .iter()
        .all(|r| r["cited"]["document"].is_string()));
    let outside = get_json("/v1/references?resolved=false&limit=500");
    assert!(data(&outside)
        .iter()
        .all(|r| r["cited"]["document"].is_null()));
    assert_eq!(total(&resolved) + total(&outside), total(&all));

    let first = &data(&all)[0];
    let single = get_json(&format!("/v1/references/{}", str_of(first, "id")));
    assert_eq!(&single["data"], first);
    assert_problem(&get("/v1/references/nope"), 404);
    assert_problem(&get("/v1/references/cited/nope"), 404);
}

// ---------------------------------------------------------------------------------------------
// Themes and jurisdictions
// ---------------------------------------------------------------------------------------------

#[test]
fn themes_and_their_counts_per_document() {
    let list = get_json("/v1/themes?limit=500");
    let count = total(&list);
    assert!((20..=30).contains(&count), "{count} themes");
    let theme = get_json("/v1/themes/online-healthcare");
    let theme = &theme["data"];
    assert_eq!(theme["id"], "online-healthcare");
    assert!(theme["name"].is_string() && theme["name_en"].is_string());
    let documents = theme["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 5, "every document, zero counts included");
    let per_document: HashMap<&str, i64> = documents
        .iter()
        .map(|d| (str_of(d, "document"), d["count"].as_i64().expect("count")))
        .collect();
    assert!(per_document[YUBEI] >= 2);
    assert!(per_document[HONGKOU] >= 1);
    assert!(per_document[TIANJIN] >= 1);
    let sum: i64 = per_document.values().sum();
    assert_eq!(sum, theme["measure_count"].as_i64().expect("measure_count"));
    assert_eq!(
        sum,
        total(&get_json("/v1/measures?theme=online-healthcare"))
    );
    for document in documents {
        assert!(document["jurisdiction"].is_string());
        assert!(document["count"].as_i64() <= document["measures"].as_i64());
    }
    let popular = get_json("/v1/themes?sort=-measures&limit=1");
    let most = data(&popular)[0]["measure_count"].as_i64();
    assert!(data(&list)
        .iter()
        .all(|t| t["measure_count"].as_i64() <= most));
    assert_problem(&get("/v1/themes/nope"), 404);
    let problem = assert_problem(&get("/v1/themes?facet=document"), 400);
    assert!(invalid_param(&problem, "facet").contains("no facets"));
}

/// A data row of `data/divisions.tsv`.
struct Division {
    code: String,
    id: String,
    level: String,
    parent: String,
}

/// The data rows of `data/divisions.tsv`.
fn divisions() -> Vec<Division> {
    let path = data_dir().join("divisions.tsv");
    let text = std::fs::read_to_string(&path).expect("data/divisions.tsv");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("code\t"))
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 7, "{line}");
            Division {
                code: cells[0].to_owned(),
                id: cells[1].to_owned(),
                level: cells[4].to_owned(),
                parent: cells[5].to_owned(),
            }
        })
        .collect()
}

#[test]
fn jurisdictions_tree_and_counts() {
    let divisions = divisions();
    let list = get_json("/v1/jurisdictions");
    assert_eq!(
        total(&list),
        divisions.len() as i64,
        "every division of China"
    );
    let chongqing = get_json("/v1/jurisdictions/chongqing");
    let chongqing = &chongqing["data"];
    assert_eq!(chongqing["name"], "重庆市");
    let children: BTreeSet<&str> = chongqing["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|c| c.as_str().expect("child id"))
        .collect();
    let expected: BTreeSet<&str> = divisions
        .iter()
        .filter(|d| d.parent == "500000")
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(children, expected);
    assert!(children.contains("chongqing-yubei"));
    assert_eq!(chongqing["document_count"], 2);
    assert_eq!(chongqing["document_count_with_children"], 3);
    let yubei = get_json("/v1/jurisdictions/chongqing-yubei");
    assert_eq!(yubei["data"]["parent"], "chongqing");
    assert_eq!(yubei["data"]["level"], "district");
    let count =
        |test: &dyn Fn(&Division) -> bool| divisions.iter().filter(|d| test(d)).count() as i64;
    let districts = get_json("/v1/jurisdictions?level=district");
    assert_eq!(total(&districts), count(&|d| d.level == "district"));
    let prefectures = get_json("/v1/jurisdictions?level=prefecture&level=municipality");
    assert_eq!(
        total(&prefectures),
        count(&|d| d.level == "prefecture" || d.level == "municipality")
    );
    let below_china = get_json("/v1/jurisdictions?parent=china");
    assert_eq!(total(&below_china), count(&|d| d.parent == "000000"));
    assert_problem(&get("/v1/jurisdictions/nope"), 404);
}

#[test]
fn jurisdictions_serve_their_division_codes() {
    for (id, code) in [
        ("china", "000000"),
        ("shanghai", "310000"),
        ("shanghai-hongkou", "310109"),
        ("chongqing-yubei", "500112"),
    ] {
        let item = get_json(&format!("/v1/jurisdictions/{id}"));
        assert_eq!(item["data"]["code"], code, "{id}");
        let list = get_json(&format!("/v1/jurisdictions?code={code}"));
        assert_eq!(ids(&list), [id], "code={code}");
    }
    // Every division of the committed table is served under its id with its code.
    let served: HashMap<String, String> = walk("/v1/jurisdictions?limit=500")
        .iter()
        .map(|j| (str_of(j, "id").to_owned(), str_of(j, "code").to_owned()))
        .collect();
    for division in divisions() {
        assert_eq!(
            served.get(&division.id),
            Some(&division.code),
            "{}",
            division.id
        );
    }
    // A repeated code is OR; with another filter, AND.
    let two = get_json("/v1/jurisdictions?code=310000&code=000000&sort=code");
    assert_eq!(ids(&two), ["china", "shanghai"]);
    assert_eq!(total(&two), 2);
    let none = get_json("/v1/jurisdictions?code=310000&level=district");
    assert_eq!(total(&none), 0);
    // Sorting by code pages like any other order.
    let by_code = get_json("/v1/jurisdictions?sort=code&limit=2");
    assert_eq!(ids(&by_code), ["china", "beijing"]);
    // CSV and NDJSON carry the code.
    let csv = get("/v1/jurisdictions?code=310000&format=csv").text();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    let column = header
        .iter()
        .position(|c| *c == "code")
        .expect("code column");
    assert_eq!(row[column], "310000");
    let ndjson = get("/v1/jurisdictions?code=310000&format=ndjson").text();
    let record: Value = serde_json::from_str(ndjson.trim()).expect("one NDJSON record");
    assert_eq!(record["code"], "310000");
}

#[test]
fn has_documents_lists_exactly_the_jurisdictions_holding_documents() {
    let documents = walk("/v1/documents?limit=500");
    let expected: BTreeSet<String> = documents
        .iter()
        .filter_map(|d| d["jurisdiction"].as_str().map(str::to_owned))
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let with = walk("/v1/jurisdictions?has_documents=true&limit=2");
    let with_ids: BTreeSet<String> = with.iter().map(|j| str_of(j, "id").to_owned()).collect();
    assert_eq!(with_ids, expected);
    assert_eq!(with.len(), expected.len(), "no repeats across pages");
    let page = get_json("/v1/jurisdictions?has_documents=true&facet=level");
    assert_eq!(total(&page), expected.len() as i64);
    let per_document: i64 = with
        .iter()
        .map(|j| j["document_count"].as_i64().expect("document_count"))
        .sum();
    assert_eq!(per_document, documents.len() as i64);

    let all = total(&get_json("/v1/jurisdictions?limit=1"));
    let without = walk("/v1/jurisdictions?has_documents=false&limit=500");
    assert_eq!(without.len() as i64, all - expected.len() as i64);
    assert!(without
        .iter()
        .all(|j| j["document_count"] == 0 && !expected.contains(str_of(j, "id"))));
    // Combined with another filter: the districts holding documents.
    let districts = get_json("/v1/jurisdictions?has_documents=true&level=district");
    assert!(data(&districts)
        .iter()
        .all(|j| j["level"] == "district" && expected.contains(str_of(j, "id"))));
    assert!(ids(&districts).contains(&"chongqing-yubei".to_owned()));
}

/// A Jiangxi document whose agencies come from each source but the gazetteer: 省商务厅 and
/// 省发展改革委 from the standard-agency model (as 江西省商务厅 …), 省数字经济推进专班 from
/// nowhere (provisional). The bundled documents' agencies all come from the gazetteer.
const JIANGXI: &str = "江西省人民政府办公厅关于推进数字经济发展的实施方案

各市、县（区）人民政府，省政府各部门：

一、主要任务

（一）推进数据共享。建设全省数据共享平台。（牵头单位：省商务厅；配合单位：省发展改革委、省数字经济推进专班）

（二）发展在线经济。培育在线消费新业态。（责任单位：省商务厅）

江西省人民政府办公厅
2021年3月1日
";

/// A server over a copy of `data/` with [`JIANGXI`] added.
fn server_with_model_agencies() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = scratch_dir("zhengce-origins-");
        let data = copy_data_dir(&dir.join("data"), |_| true);
        std::fs::write(
            data.join("documents/jiangxi-2021-digital-economy-plan.txt"),
            JIANGXI,
        )
        .expect("write the document");
        serve_data_dir(&data, &dir.join("zhengce.db"))
    })
}

#[test]
fn agencies_serve_their_origin_and_filter_by_it() {
    let base = server_with_model_agencies();
    let json = |path: &str| -> Value {
        let response = request_at(base, "GET", path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        response.json()
    };
    let all = json("/v1/agencies?limit=500");
    assert!(all["links"]["next"].is_null(), "one page");
    let mut per_origin: BTreeMap<String, i64> = BTreeMap::new();
    for agency in data(&all) {
        let origin = str_of(agency, "origin");
        assert!(
            ["gazetteer", "model", "provisional"].contains(&origin),
            "{agency}"
        );
        assert_eq!(
            agency["resolved"],
            origin != "provisional",
            "resolved agrees with origin: {agency}"
        );
        *per_origin.entry(origin.to_owned()).or_default() += 1;
    }
    assert_eq!(per_origin.get("model"), Some(&2), "{per_origin:?}");
    assert_eq!(per_origin.get("provisional"), Some(&1), "{per_origin:?}");
    assert!(per_origin.get("gazetteer") > Some(&50), "{per_origin:?}");

    // Each record says where it comes from, in the list and as an item.
    let commerce = json("/v1/agencies/jiangxi--commerce");
    assert_eq!(commerce["data"]["origin"], "model");
    assert_eq!(commerce["data"]["name"], "江西省商务厅");
    assert_eq!(commerce["data"]["resolved"], true);
    let gazetteer = json("/v1/agencies/yubei-big-data-bureau");
    assert_eq!(gazetteer["data"]["origin"], "gazetteer");
    let provisional = json("/v1/agencies?origin=provisional");
    assert_eq!(data(&provisional)[0]["name"], "省数字经济推进专班");
    assert_eq!(data(&provisional)[0]["resolved"], false);

    for (origin, count) in &per_origin {
        let list = json(&format!("/v1/agencies?origin={origin}&limit=500"));
        assert_eq!(total(&list), *count, "{origin}");
        assert!(data(&list).iter().all(|a| a["origin"] == origin.as_str()));
    }
    // Repeated is OR; with other filters, AND.
    let resolved = json("/v1/agencies?origin=gazetteer&origin=model&limit=1");
    assert_eq!(
        total(&resolved),
        per_origin["gazetteer"] + per_origin["model"]
    );
    assert_eq!(
        total(&json("/v1/agencies?resolved=true&limit=1")),
        total(&resolved)
    );
    assert_eq!(total(&json("/v1/agencies?origin=model&resolved=false")), 0);
    assert_eq!(
        total(&json("/v1/agencies?origin=model&jurisdiction=jiangxi")),
        2
    );
    assert_eq!(
        total(&json("/v1/agencies?origin=model&jurisdiction=chongqing")),
        0
    );
    // The facet counts what the filter finds and partitions the agencies.
    let facet = json("/v1/agencies?facet=origin&limit=1");
    assert_eq!(facet_counts(&facet, "origin"), per_origin);
    let narrowed = json("/v1/agencies?jurisdiction=jiangxi&facet=origin&limit=1");
    assert_eq!(
        narrowed["facets"]["origin"],
        serde_json::json!([
            {"value": "model", "label": "model", "count": 2},
            {"value": "provisional", "label": "provisional", "count": 1},
        ])
    );
    // CSV and NDJSON carry the origin.
    let csv = request_at(base, "GET", "/v1/agencies?origin=model&format=csv").text();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let column = header
        .iter()
        .position(|c| *c == "origin")
        .expect("origin column");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|row| row.split(',').nth(column) == Some("model")));
    let ndjson = request_at(base, "GET", "/v1/agencies?origin=model&format=ndjson").text();
    assert_eq!(ndjson.lines().count(), 2);
    assert!(ndjson.lines().all(|line| {
        serde_json::from_str::<Value>(line).expect("NDJSON record")["origin"] == "model"
    }));
    // The new document's jurisdiction now holds a document.
    let holding = json("/v1/jurisdictions?has_documents=true&code=360000");
    assert_eq!(ids(&holding), ["jiangxi"]);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_parameters_are_400_naming_them_and_listing_the_allowed_ones() {
    for list in LISTS {
        let problem = assert_problem(&get(&format!("{list}?bogus=1&limit=2")), 400);
        let reason = invalid_param(&problem, "bogus");
        for allowed in ["limit", "cursor", "sort", "facet"] {
            assert!(reason.contains(allowed), "{list}: {reason}");
        }
    }
    let problem = assert_problem(&get("/v1/measures?rol=lead"), 400);
    let reason = invalid_param(&problem, "rol");
    for allowed in ["document", "jurisdiction", "agency", "role", "theme", "q"] {
        assert!(reason.contains(allowed), "{reason}");
    }
    for path in [
        format!("/v1/measures/{YUBEI}--p3.s4.i1?x=1"),
        format!("/v1/documents/{YUBEI}?x=1"),
        format!("/v1/documents/{YUBEI}/text?x=1"),
        "/v1?x=1".to_owned(),
        "/v1/themes/online-healthcare?x=1".to_owned(),
    ] {
        let problem = assert_problem(&get(&path), 400);
        invalid_param(&problem, "x");
    }
}

#[test]
fn bad_values_are_400_naming_the_parameter_and_what_is_allowed() {
    #[rustfmt::skip]
    let cases: [(&str, &str, &str); 34] = [
        ("/v1/measures?role=boss",                                     "role",          "lead"),
        ("/v1/measures?year=20x0",                                     "year",          "2020"),
        ("/v1/measures?year=",                                         "year",          "empty"),
        ("/v1/measures?jurisdiction=chonqing",                         "jurisdiction",  "/v1/jurisdictions"),
        ("/v1/measures?theme=healthcare",                              "theme",         "online-healthcare"),
        ("/v1/measures?document=nope",                                 "document",      "/v1/documents"),
        ("/v1/measures?agency=nope",                                   "agency",        "/v1/agencies"),
        ("/v1/measures?limit=0",                                       "limit",         "500"),
        ("/v1/measures?limit=501",                                     "limit",         "500"),
        ("/v1/measures?limit=-1",                                      "limit",         "500"),
        ("/v1/measures?limit=ten",                                     "limit",         "500"),
        ("/v1/measures?limit=10&limit=20",                             "limit",         "once"),
        ("/v1/measures?cursor=not-a-cursor",                           "cursor",        "next_cursor"),
        ("/v1/measures?sort=nope",                                     "sort",          "ordinal"),
        ("/v1/measures?sort=ordinal,ordinal",                          "sort",          "twice"),
        ("/v1/measures?facet=nope",                                    "facet",         "agency"),
        ("/v1/measures?deadline_to=2020-13-01",                        "deadline_to",   "YYYY-MM-DD"),
        ("/v1/measures?deadline_from=2019-02-29",                      "deadline_from", "YYYY-MM-DD"),
        ("/v1/measures?deadline_to=2020-01-01&deadline_to=2021-01-01", "deadline_to",   "once"),
        ("/v1/documents?status=published",                             "status",        "draft"),
        ("/v1/documents?date_from=2020-13-01",                         "date_from",     "YYYY-MM-DD"),
        ("/v1/documents?kind=nope",                                    "kind",          "allowed"),
        ("/v1/agencies?resolved=maybe",                                "resolved",      "true, false"),
        ("/v1/agencies?origin=hand",                                   "origin",        "gazetteer, model, provisional"),
        ("/v1/agencies?origin=",                                       "origin",        "empty"),
        ("/v1/jurisdictions?has_documents=yes",                        "has_documents", "true, false"),
        ("/v1/jurisdictions?has_documents=true&has_documents=false",   "has_documents", "once"),
        ("/v1/jurisdictions?code=31000",                               "code",          "six digits"),
        ("/v1/jurisdictions?code=shanghai",                            "code",          "six digits"),
        ("/v1/jurisdictions?code=999999",                              "code",          "/v1/jurisdictions"),
        ("/v1/jurisdictions?level=city",                               "level",         "prefecture"),
        ("/v1/jurisdictions?parent=atlantis",                          "parent",        "/v1/jurisdictions"),
        ("/v1/goals?year_from=soon",                                   "year_from",     "2020"),
        ("/v1/references?resolved=1",                                  "resolved",      "true, false"),
    ];
    for (path, param, hint) in cases {
        let problem = assert_problem(&get(path), 400);
        let reason = invalid_param(&problem, param);
        assert!(reason.contains(hint), "{path}: {reason}");
    }
    // Every problem of a request is reported at once.
    let problem = assert_problem(&get("/v1/measures?limit=0&role=x&sort=y"), 400);
    for param in ["limit", "role", "sort"] {
        invalid_param(&problem, param);
    }
}

#[test]
fn cursors_of_another_sort_or_tampered_are_refused() {
    let page = get_json("/v1/measures?limit=3");
    let cursor = str_of(&page["meta"], "next_cursor").to_owned();
    let problem = assert_problem(
        &get(&format!("/v1/measures?sort=-ordinal&cursor={cursor}")),
        400,
    );
    assert!(invalid_param(&problem, "cursor").contains("sort"));
    let mut tampered = cursor.clone();
    tampered.insert(3, 'x');
    assert_problem(&get(&format!("/v1/measures?cursor={tampered}")), 400);
    // A cursor of one list is meaningless for another.
    assert_problem(&get(&format!("/v1/goals?cursor={cursor}")), 400);
}

#[test]
fn unknown_ids_and_routes_are_404() {
    for path in [
        "/v1/documents/nope",
        "/v1/measures/nope",
        "/v1/agencies/nope",
        "/v1/goals/nope",
        "/v1/references/nope",
        "/v1/references/cited/nope",
        "/v1/themes/nope",
        "/v1/jurisdictions/nope",
        "/v1/documents/nope/measures",
        "/v1/agencies/nope/measures",
        "/v1/documents/nope/text",
        "/nope",
        "/v2/measures",
        "/v1/measures/a/b/c",
        "/docs/no-such-file.js",
    ] {
        let problem = assert_problem(&get(path), 404);
        assert_eq!(problem["title"], "Not Found");
    }
}

#[test]
fn the_server_is_read_only_other_methods_are_405() {
    let spec = get_json("/v1/openapi.json");
    let paths = spec["paths"].as_object().expect("paths");
    for (path, operations) in paths {
        let methods: Vec<&String> = operations.as_object().expect("operations").keys().collect();
        assert_eq!(methods, ["get"], "{path} has only GET");
        let concrete = path
            .replace("{id}", "x")
            .replace("/v1/documents/x", &format!("/v1/documents/{YUBEI}"));
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            let response = request(method, &concrete);
            let problem = assert_problem(&response, 405);
            assert_eq!(problem["title"], "Method Not Allowed");
            assert_eq!(
                response.headers.get("allow").and_then(|v| v.to_str().ok()),
                Some("GET, HEAD"),
                "{method} {concrete}"
            );
        }
    }
    assert_problem(&request("POST", "/health"), 405);
    assert_problem(&request("DELETE", "/docs/"), 405);
}

/// A cursor with the given JSON body, as the server would encode it.
fn cursor(body: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(body)
}

#[test]
fn no_request_produces_a_server_error() {
    let long = "长".repeat(5000);
    let paths = [
        "/v1/measures?q=%27%3B%20DROP%20TABLE%20measures%3B--".to_owned(),
        "/v1/measures?q=%FF%FE".to_owned(),
        "/v1/measures?q=%00".to_owned(),
        format!("/v1/measures?q={long}"),
        "/v1/measures?document=%27%20OR%201%3D1".to_owned(),
        "/v1/measures?limit=99999999999999999999".to_owned(),
        format!(
            "/v1/measures?cursor={}",
            cursor(r#"{"l":"measures","s":"document,ordinal","k":[null,null,null]}"#)
        ),
        format!(
            "/v1/measures?cursor={}",
            cursor(r#"{"l":"measures","s":"document,ordinal","k":[null,null,"x"]}"#)
        ),
        format!(
            "/v1/measures?cursor={}",
            cursor(r#"{"l":"measures","s":"document,ordinal","k":["x",1.5,"x"]}"#)
        ),
        format!(
            "/v1/measures?cursor={}",
            cursor(r#"{"l":"measures","s":"document,ordinal","k":[1,2,3]}"#)
        ),
        format!(
            "/v1/measures?cursor={}",
            cursor(r#"{"l":"measures","s":"document,ordinal","k":["x",9223372036854775807,"y"]}"#)
        ),
        format!(
            "/v1/goals?sort=value&cursor={}",
            cursor(r#"{"l":"goals","s":"value","k":[1e308,"y"]}"#)
        ),
        format!(
            "/v1/measures?cursor={}",
            cursor(r#"{"l":"measures","s":"document,ordinal"}"#)
        ),
        "/v1/measures?cursor=%3D%3D%3D".to_owned(),
        "/v1/measures?sort=".to_owned(),
        "/v1/measures?sort=-".to_owned(),
        "/v1/measures?sort=,".to_owned(),
        "/v1/measures?facet=".to_owned(),
        "/v1/measures?&&&".to_owned(),
        "/v1/measures?=x".to_owned(),
        "/v1/measures?year=99999".to_owned(),
        "/v1/goals?year_from=0000".to_owned(),
        "/v1/documents?date_from=2020-02-30".to_owned(),
        "/v1/documents/%E4%B8%AD".to_owned(),
        "/v1/documents/%FF".to_owned(),
        "/v1/measures/..%2F..%2Fetc".to_owned(),
        "/v1/agencies?q=%25%25%25".to_owned(),
        "/v1/agencies?jurisdiction=chongqing&jurisdiction=chongqing".to_owned(),
    ];
    for path in paths {
        let response = get(&path);
        assert!(response.status < 500, "{path}: {}", response.status);
        if response.status >= 400 {
            assert!(
                response
                    .content_type
                    .starts_with("application/problem+json"),
                "{path}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A fixed number of SQL statements per request
// ---------------------------------------------------------------------------------------------

#[test]
fn list_requests_run_a_fixed_number_of_sql_statements_whatever_the_page_size() {
    let counter = Arc::new(AtomicUsize::new(0));
    let server = start(counting_pool(database(), counter.clone()));
    let statements = |path: &str| -> (usize, usize) {
        counter.store(0, Ordering::SeqCst);
        let response = request_at(&server, "GET", path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        let rows = response.json()["data"].as_array().map_or(0, Vec::len);
        (counter.load(Ordering::SeqCst), rows)
    };
    // (path, statements: checks of filter values + page + total + related batches + facets;
    // a measure carries its agencies and themes, so measure lists have one related batch:
    // the source texts of the page's documents, which the quotes are cut out of; search
    // pages read the source texts of their documents' hits, to show their text)
    let cases: [(&str, usize); 14] = [
        ("/v1/measures?", 3),
        // Full-text search: the ranking is remembered (one statement reads the database's
        // identity), then one statement reads the page's records off it.
        ("/v1/measures?q=%E5%8C%BB%E7%96%97&facet=document&", 5),
        ("/v1/search?q=%E5%8C%BB%E7%96%97&facet=type&", 5),
        ("/v1/measures?facet=agency&facet=theme&facet=document&", 6),
        (
            "/v1/measures?jurisdiction=chongqing&role=lead&facet=agency&",
            5,
        ),
        ("/v1/documents/yubei-2020-online-economy-plan/measures?", 4),
        ("/v1/documents?facet=status&", 3),
        ("/v1/agencies?", 4),
        ("/v1/agencies?jurisdiction=chongqing-yubei&facet=kind&", 6),
        ("/v1/goals?", 2),
        ("/v1/references?facet=cited&", 3),
        ("/v1/themes?", 2),
        ("/v1/jurisdictions?", 4),
        ("/v1/agencies/yubei-big-data-bureau/measures?", 4),
    ];
    for (path, expected) in cases {
        // Totals and facet counts are kept in memory once computed (one statement then reads
        // the database's identity instead of counting), so each list is asked for once first.
        statements(&format!("{path}limit=2"));
        let (small, small_rows) = statements(&format!("{path}limit=1"));
        let (large, large_rows) = statements(&format!("{path}limit=500"));
        assert_eq!(small_rows, 1, "{path}");
        assert!(large_rows > 1, "{path}: the large page has more rows");
        assert_eq!(
            small, large,
            "{path}: {small_rows} rows vs {large_rows} rows"
        );
        assert_eq!(small, expected, "{path}: {small} statements");
    }
}

// ---------------------------------------------------------------------------------------------
// OpenAPI and documentation
// ---------------------------------------------------------------------------------------------

#[test]
fn committed_openapi_document_equals_the_served_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).expect("openapi/openapi.json exists");
    let served = get("/v1/openapi.json");
    assert_eq!(served.status, 200);
    assert!(served.content_type.starts_with("application/json"));
    assert_eq!(
        committed.trim_end(),
        served.text(),
        "openapi/openapi.json is stale; regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
    assert_eq!(served.text(), zhengce::api::openapi_json());
}

#[test]
fn openapi_documents_exactly_the_parameters_the_server_accepts() {
    let spec = get_json("/v1/openapi.json");
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        let operation = &operations["get"];
        assert!(operation["summary"].is_string(), "{path}: summary");
        assert!(operation["tags"].is_array(), "{path}: tags");
        let documented: BTreeSet<String> = operation["parameters"]
            .as_array()
            .map(|params| {
                params
                    .iter()
                    .filter(|p| p["in"] == "query")
                    .map(|p| {
                        assert!(
                            p["description"].as_str().is_some_and(|d| d.len() > 10),
                            "{path} {}: description",
                            p["name"]
                        );
                        str_of(p, "name").to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        if ["/health", "/ready"].contains(&path.as_str()) {
            continue;
        }
        let concrete = path
            .replace("/v1/documents/{id}", &format!("/v1/documents/{YUBEI}"))
            .replace("/v1/agencies/{id}", "/v1/agencies/yubei-big-data-bureau")
            .replace("{id}", "x");
        let response = get(&format!("{concrete}?no_such_parameter=1"));
        let problem = assert_problem(&response, 400);
        let reason = invalid_param(&problem, "no_such_parameter");
        let accepted: BTreeSet<String> = match reason.split("allowed: ").nth(1) {
            Some(list) => list.split(", ").map(str::to_owned).collect(),
            None => BTreeSet::new(),
        };
        assert_eq!(
            documented, accepted,
            "{path}: documented vs accepted query parameters"
        );

        // Every documented facet and every sort field is accepted.
        if let Some(facet) = operation["parameters"]
            .as_array()
            .and_then(|params| params.iter().find(|p| p["name"] == "facet"))
        {
            let schema = &facet["schema"]["items"];
            let names: Vec<String> = match schema["$ref"].as_str() {
                Some(reference) => {
                    let name = reference.rsplit('/').next().expect("schema name");
                    spec["components"]["schemas"][name]["enum"]
                        .as_array()
                        .or_else(|| spec["components"]["schemas"][name]["oneOf"].as_array())
                        .map(|values| {
                            values
                                .iter()
                                .map(|v| {
                                    v.as_str().map(str::to_owned).unwrap_or_else(|| {
                                        v["enum"][0].as_str().expect("enum").to_owned()
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_else(|| panic!("{path}: facet enum {name}"))
                }
                None => Vec::new(),
            };
            let list = concrete.as_str();
            let accepted: BTreeSet<String> = facet_names(list).into_iter().collect();
            assert_eq!(
                names.iter().cloned().collect::<BTreeSet<_>>(),
                accepted,
                "{path}: facets"
            );
            let sort = operation["parameters"]
                .as_array()
                .and_then(|params| params.iter().find(|p| p["name"] == "sort"))
                .expect("sort documented");
            let description = str_of(sort, "description");
            for field in sort_fields(list) {
                assert!(
                    description.contains(&format!("`{field}`")),
                    "{path}: sort field {field} documented"
                );
            }
        }
    }
}

#[test]
fn swagger_ui_is_served_at_docs() {
    let redirect = get("/docs");
    assert!(matches!(redirect.status, 301 | 302 | 307 | 308));
    assert_eq!(
        redirect
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/docs/")
    );
    let page = get("/docs/");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.text().contains("swagger"), "Swagger UI page");
    let config = get("/docs/swagger-initializer.js");
    assert_eq!(config.status, 200);
    assert!(config.text().contains("/v1/openapi.json"));
}

#[test]
fn serving_does_not_change_the_database() {
    let _ = base();
    let before = std::fs::read(database()).expect("database file");
    for path in [
        "/v1",
        "/v1/measures?facet=agency",
        "/v1/agencies/yubei-big-data-bureau",
        "/ready",
    ] {
        assert_eq!(get(path).status, 200);
    }
    let after = std::fs::read(database()).expect("database file");
    assert!(before == after, "the database file is unchanged");
}

#[test]
fn every_example_in_the_openapi_document_works() {
    let spec = get_json("/v1/openapi.json");
    let scalar = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        let parameters = operations["get"]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut concrete = path.clone();
        for parameter in parameters.iter().filter(|p| p["in"] == "path") {
            let example = parameter
                .get("example")
                .unwrap_or_else(|| panic!("{path}: path parameter without example"));
            concrete = concrete.replace(
                &format!("{{{}}}", str_of(parameter, "name")),
                &scalar(example),
            );
        }
        // Required query parameters take their example in every request.
        let required: Vec<(String, String)> = parameters
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| {
                let example = p
                    .get("example")
                    .unwrap_or_else(|| panic!("{path}: required parameter without example"));
                (str_of(p, "name").to_owned(), scalar(example))
            })
            .collect();
        let base: Vec<(&str, &str)> = required
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let first = with_query(&concrete, &base);
        let response = get(&first);
        assert_eq!(response.status, 200, "{first}: {}", response.text());
        for parameter in parameters
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] != true)
        {
            let Some(example) = parameter.get("example") else {
                continue;
            };
            let name = str_of(parameter, "name");
            let values: Vec<String> = match example {
                Value::Array(values) => values.iter().map(scalar).collect(),
                other => vec![scalar(other)],
            };
            let mut pairs = base.clone();
            pairs.extend(values.iter().map(|v| (name, v.as_str())));
            let url = with_query(&concrete, &pairs);
            let response = get(&url);
            assert_eq!(response.status, 200, "{url}: {}", response.text());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Point lookups when every connection is busy
// ---------------------------------------------------------------------------------------------

#[test]
fn a_point_lookup_waits_for_a_busy_connection_instead_of_failing() {
    let pool = zhengce::db::open_read_only_pool(database(), 1).expect("read-only pool");
    let server = start(pool.clone());
    let id = "yubei-2020-online-economy-plan--p3.s4.i1";
    assert_eq!(
        request_at(&server, "GET", &format!("/v1/measures/{id}")).status,
        200
    );

    // The only connection is taken: the lookup cannot run on the event loop and waits for it.
    let held = pool.get().expect("the idle connection");
    let path = format!("/v1/measures/{id}");
    let base = server.clone();
    let waiting = std::thread::spawn(move || request_at(&base, "GET", &path));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !waiting.is_finished(),
        "the lookup waits while the connection is held"
    );
    drop(held);
    let response = waiting.join().expect("the request thread");
    assert_eq!(response.status, 200);
    assert_eq!(response.json()["data"]["id"], id);
}

// ---------------------------------------------------------------------------------------------
// Deadlines (over a hand-written document: the bundled ones state no deadline in a measure)
// ---------------------------------------------------------------------------------------------

fn deadlines_get(path: &str) -> Value {
    get_json_at(deadlines_base(), path)
}

/// The ids of the list at `path` on the deadlines server, without the document prefix.
fn deadline_ids(path: &str) -> Vec<String> {
    let prefix = format!("{DEADLINES_DOCUMENT}--");
    ids(&deadlines_get(path))
        .into_iter()
        .map(|id| id.strip_prefix(&prefix).unwrap_or(&id).to_owned())
        .collect()
}

#[test]
fn measures_serve_their_deadlines_with_text_date_and_source() {
    let list = deadlines_get(&format!("/v1/documents/{DEADLINES_DOCUMENT}/measures"));
    let measures = data(&list);
    assert_eq!(measures.len(), 3, "{list}");
    let raw = DEADLINES_TEXT.as_bytes();
    let deadlines = |measure: &Value| -> Vec<(String, Option<String>)> {
        measure["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .map(|deadline| {
                // The source is the phrase as printed: bytes, lines and verbatim text.
                let source = &deadline["source"];
                assert_eq!(source["document"], DEADLINES_DOCUMENT);
                let start = source["start"].as_u64().expect("start") as usize;
                let end = source["end"].as_u64().expect("end") as usize;
                assert_eq!(&raw[start..end], str_of(source, "verbatim").as_bytes());
                assert_eq!(str_of(source, "verbatim"), str_of(deadline, "text"));
                let line = raw[..start].iter().filter(|&&b| b == b'\n').count() as i64 + 1;
                assert_eq!(source["line_start"], line, "{deadline}");
                assert_eq!(source["line_end"], line, "{deadline}");
                // Within the measure's own span.
                assert!(start as u64 >= measure["source"]["start"].as_u64().expect("start"));
                assert!(end as u64 <= measure["source"]["end"].as_u64().expect("end"));
                (
                    str_of(deadline, "text").to_owned(),
                    deadline["date"].as_str().map(str::to_owned),
                )
            })
            .collect()
    };

    let first = deadlines(&measures[0]);
    assert_eq!(first.len(), 1, "{}", measures[0]);
    assert!(first[0].0.starts_with("2019年6月底前"), "{first:?}");
    assert_eq!(first[0].1.as_deref(), Some("2019-06-30"));
    let second = deadlines(&measures[1]);
    assert_eq!(second.len(), 2, "{}", measures[1]);
    assert!(second[0].0.contains("2020年底前"), "{second:?}");
    assert_eq!(second[0].1.as_deref(), Some("2020-12-31"));
    assert!(second[1].0.starts_with("2021年上半年"), "{second:?}");
    assert_eq!(second[1].1.as_deref(), Some("2021-06-30"));
    assert_eq!(measures[2]["deadlines"], serde_json::json!([]));

    // The same record everywhere: the item, the measure list, the NDJSON export.
    for measure in measures {
        let id = str_of(measure, "id");
        let item = deadlines_get(&format!("/v1/measures/{id}"));
        assert_eq!(&item["data"], measure);
    }
    let all = deadlines_get("/v1/measures");
    assert_eq!(data(&all), measures);
    let response = request_at(deadlines_base(), "GET", "/v1/measures?format=ndjson");
    assert_eq!(response.status, 200, "{}", response.text());
    let lines: Vec<Value> = response
        .text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("NDJSON line"))
        .collect();
    assert_eq!(&lines, measures);

    // CSV: one cell of `text (date)` joined with `; `, as other lists are.
    let response = request_at(deadlines_base(), "GET", "/v1/measures?format=csv&bom=false");
    assert_eq!(response.status, 200, "{}", response.text());
    let (header, rows) = parse_csv(&response.body);
    let column = header
        .iter()
        .position(|name| name == "deadlines")
        .expect("deadlines column");
    let cells: Vec<String> = rows.into_iter().map(|row| row[column].clone()).collect();
    let cell = |deadlines: &[(String, Option<String>)]| -> String {
        deadlines
            .iter()
            .map(|(text, date)| match date {
                Some(date) => format!("{text} ({date})"),
                None => text.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert_eq!(cells, vec![cell(&first), cell(&second), String::new()]);
    assert!(cells[0].ends_with(" (2019-06-30)"), "{cells:?}");

    // The Atom entry's content lists them with their dates.
    let response = request_at(deadlines_base(), "GET", "/v1/measures.atom");
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(
        response
            .text()
            .contains(&format!("Deadlines: {}", cell(&second))),
        "{}",
        response.text()
    );
}

#[test]
fn agency_links_point_at_the_printed_names() {
    let list = deadlines_get("/v1/measures");
    let raw = DEADLINES_TEXT.as_bytes();
    let mut links = 0;
    for measure in data(&list) {
        for agency in measure["agencies"].as_array().expect("agencies") {
            let source = &agency["source"];
            let start = source["start"].as_u64().expect("start") as usize;
            let end = source["end"].as_u64().expect("end") as usize;
            assert_eq!(&raw[start..end], str_of(agency, "raw_name").as_bytes());
            assert_eq!(str_of(source, "verbatim"), str_of(agency, "raw_name"));
            assert_eq!(source["line_start"], measure["source"]["line_start"]);
            links += 1;
        }
    }
    assert_eq!(links, 4);
    // Two printings of 区商务委 on two lines: each link has its own.
    let commerce: Vec<i64> = data(&list)
        .iter()
        .flat_map(|m| m["agencies"].as_array().expect("agencies").clone())
        .filter(|a| a["raw_name"] == "区商务委")
        .map(|a| a["source"]["line_start"].as_i64().expect("line"))
        .collect();
    assert_eq!(commerce, vec![6, 7]);
}

#[test]
fn deadline_filters_match_measures_with_a_deadline_in_the_range() {
    let cases: [(&str, &[&str]); 11] = [
        ("", &["p1.s1", "p1.s2", "p1.s3"]),
        ("deadline_to=2019-06-30", &["p1.s1"]),
        ("deadline_to=2019-06-29", &[]),
        (
            "deadline_from=2019-06-30&deadline_to=2019-06-30",
            &["p1.s1"],
        ),
        ("deadline_from=2019-07-01", &["p1.s2"]),
        ("deadline_to=2020-12-31", &["p1.s1", "p1.s2"]),
        ("deadline_from=2021-06-30", &["p1.s2"]),
        ("deadline_from=2021-07-01", &[]),
        // A deadline after the start and another before the end are not one in the range.
        ("deadline_from=2021-01-01&deadline_to=2021-05-31", &[]),
        (
            "deadline_from=2020-01-01&deadline_to=2021-12-31",
            &["p1.s2"],
        ),
        // Combined with other filters and with full-text search (ranked by relevance).
        ("q=%E5%B9%B3%E5%8F%B0&deadline_to=2019-12-31", &["p1.s1"]),
    ];
    for (query, expected) in cases {
        let path = format!("/v1/measures?{query}");
        assert_eq!(deadline_ids(&path), expected.to_vec(), "{path}");
        // Totals and facet counts are those of the filtered list.
        let page = deadlines_get(&format!("{path}&limit=1&facet=document&facet=agency"));
        assert_eq!(total(&page), expected.len() as i64, "{path}");
        let documents = page["facets"]["document"].as_array().expect("facet");
        assert_eq!(
            documents
                .iter()
                .map(|v| v["count"].as_i64().expect("count"))
                .sum::<i64>(),
            expected.len() as i64,
            "{path}: {page}"
        );
        // The sub-resources take the same filters.
        let path = format!("/v1/documents/{DEADLINES_DOCUMENT}/measures?{query}");
        assert_eq!(deadline_ids(&path), expected.to_vec(), "{path}");
    }
    // Every link of the list follows the filter.
    let page = deadlines_get("/v1/measures?deadline_to=2020-12-31&limit=1");
    let next = str_of(&page["links"], "next");
    assert!(next.contains("deadline_to=2020-12-31"), "{next}");
    assert_eq!(total(&deadlines_get(next)), 2);

    // An agency's measures: 区商务委 cooperates on the 2019 measure and is responsible for
    // the 2020–2021 one.
    let commerce = data(&deadlines_get("/v1/measures"))[1]["agencies"][0]["id"]
        .as_str()
        .expect("agency id")
        .to_owned();
    let path = format!("/v1/agencies/{commerce}/measures");
    assert_eq!(deadline_ids(&path), vec!["p1.s1", "p1.s2"]);
    assert_eq!(
        deadline_ids(&format!("{path}?deadline_from=2020-01-01")),
        vec!["p1.s2"]
    );
    assert_eq!(
        deadline_ids(&format!("{path}?deadline_to=2019-12-31&role=cooperating")),
        vec!["p1.s1"]
    );
    assert_eq!(
        deadline_ids(&format!("{path}?deadline_to=2019-12-31&role=responsible")),
        Vec::<String>::new()
    );

    // The Atom feed takes them too.
    let response = request_at(
        deadlines_base(),
        "GET",
        "/v1/measures.atom?deadline_to=2019-06-30",
    );
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.text().matches("<entry>").count(), 1);

    // A bad date is a problem naming the parameter, on every measure list.
    for path in [
        "/v1/measures?deadline_to=2020-13-01".to_owned(),
        format!("/v1/documents/{DEADLINES_DOCUMENT}/measures?deadline_to=2020-13-01"),
        format!("/v1/agencies/{commerce}/measures?deadline_to=2020-13-01"),
        "/v1/measures.atom?deadline_to=2020-13-01".to_owned(),
        "/v1/measures?deadline_to=2020-13-01&format=csv".to_owned(),
    ] {
        let problem = assert_problem(&request_at(deadlines_base(), "GET", &path), 400);
        let reason = invalid_param(&problem, "deadline_to");
        assert!(reason.contains("2020-13-01"), "{path}: {reason}");
        assert!(reason.contains("YYYY-MM-DD"), "{path}: {reason}");
    }
    let problem = assert_problem(
        &request_at(
            deadlines_base(),
            "GET",
            "/v1/measures?deadline_from=soon&deadline_to=2019-06-31",
        ),
        400,
    );
    invalid_param(&problem, "deadline_from");
    invalid_param(&problem, "deadline_to");
}

//! Full-text search over HTTP, against the real server and the database built from `data/`:
//! recall of `q` on `/v1/measures` for terms of every shape, each operator, every kind of
//! unsafe input, `q` with filters, facets and sort orders, relevance order and cursor walks,
//! and `/v1/search` with its snippets, highlight offsets and HTML.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::terms::{self, contains, TERMS};
use crate::common::{
    self, assert_problem, data, facet_counts, facet_sum, get, get_json, invalid_param, object_keys,
    record_ids, total, walk, with_query,
};
use zhengce::corpus::{load_corpus, Corpus};

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| load_corpus(&common::data_dir()).expect("the bundled corpus loads"))
}

/// Ids of the measures whose title or text contains the term.
fn measures_containing(term: &str) -> BTreeSet<String> {
    terms::measures_containing(corpus(), term)
}

/// Ids of the goals whose metric or sentence contains the term.
fn goals_containing(term: &str) -> BTreeSet<String> {
    corpus()
        .documents
        .iter()
        .flat_map(|document| &document.goals)
        .filter(|goal| contains(&format!("{}\n{}", goal.metric, goal.sentence), term))
        .map(|goal| goal.id.clone())
        .collect()
}

/// Ids of the documents whose header (title, number, issuer) contains the term, or one of
/// whose measures or goals does: the text of a document is searched through its records.
fn documents_containing(term: &str) -> BTreeSet<String> {
    let measures = measures_containing(term);
    let goals = goals_containing(term);
    corpus()
        .documents
        .iter()
        .filter(|document| {
            let metadata = &document.metadata;
            let header = [
                Some(metadata.title.as_str()),
                metadata
                    .doc_number
                    .as_ref()
                    .map(|number| number.text.as_str()),
                metadata.issuer.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
            contains(&header, term)
                || document
                    .measures
                    .iter()
                    .any(|measure| measures.contains(&measure.id))
                || document.goals.iter().any(|goal| goals.contains(&goal.id))
        })
        .map(|document| document.id.clone())
        .collect()
}

/// Every record of a list (following `links.next`) for these parameters.
fn all(path: &str, pairs: &[(&str, &str)]) -> Vec<Value> {
    let mut pairs = pairs.to_vec();
    pairs.push(("limit", "500"));
    walk(&with_query(path, &pairs))
}

fn id_set(records: &[Value]) -> BTreeSet<String> {
    record_ids(records).into_iter().collect()
}

/// Measure ids `/v1/measures?q=…` returns.
fn measures_found(q: &str) -> BTreeSet<String> {
    id_set(&all("/v1/measures", &[("q", q)]))
}

/// The reason given for parameter `name` in a 400.
fn reason_for(path: &str, name: &str) -> String {
    invalid_param(&assert_problem(&get(path), 400), name).to_owned()
}

fn chars_at(text: &str, range: &Value) -> String {
    let start = range["start"].as_u64().expect("start") as usize;
    let end = range["end"].as_u64().expect("end") as usize;
    assert!(start < end, "empty range {range}");
    let chars: Vec<char> = text.chars().collect();
    assert!(
        end <= chars.len(),
        "range {range} beyond {} characters",
        chars.len()
    );
    chars[start..end].iter().collect()
}

#[test]
fn every_measure_containing_a_term_is_found_through_the_api() {
    assert!(TERMS.len() >= 40);
    let mut found_any = 0;
    for term in TERMS {
        let expected = measures_containing(term);
        let quoted = all("/v1/measures", &[("q", &format!("\"{term}\""))]);
        assert_eq!(
            id_set(&quoted),
            expected,
            "q=\"{term}\": exactly the measures that contain it"
        );
        assert_eq!(quoted.len(), expected.len(), "q=\"{term}\": no duplicates");
        let first = get_json(&with_query(
            "/v1/measures",
            &[("q", &format!("\"{term}\"")), ("limit", "1")],
        ));
        assert_eq!(total(&first), expected.len() as i64, "meta.total of {term}");
        let plain = measures_found(term);
        assert!(
            expected.is_subset(&plain),
            "q={term} missed {:?}",
            expected.difference(&plain).collect::<Vec<_>>()
        );
        found_any += usize::from(!expected.is_empty());
    }
    assert!(
        found_any >= 40,
        "only {found_any} terms occur in the corpus"
    );
    // Not vacuous: two-character words and strings across word boundaries are there.
    assert!(measures_containing("医疗").len() >= 5);
    assert!(!measures_containing("线上业").is_empty());
}

#[test]
fn goals_and_documents_are_found_too() {
    for term in ["亿元", "软件", "医疗", "线上业", "5G", "大数据"] {
        let quoted = format!("\"{term}\"");
        assert_eq!(
            id_set(&all("/v1/goals", &[("q", &quoted)])),
            goals_containing(term),
            "goals q={quoted}"
        );
        assert_eq!(
            id_set(&all("/v1/documents", &[("q", &quoted)])),
            documents_containing(term),
            "documents q={quoted}"
        );
    }
    assert!(!goals_containing("亿元").is_empty());
}

#[test]
fn agencies_are_found_by_name_alias_and_english_name() {
    let by_alias = all("/v1/agencies", &[("q", "\"区医保局\"")]);
    assert!(by_alias
        .iter()
        .any(|a| a["name"] == "重庆市渝北区医疗保障局"));
    for agency in &by_alias {
        let aliases: Vec<&str> = agency["aliases"]
            .as_array()
            .expect("aliases")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            aliases.iter().any(|alias| alias.contains("区医保局"))
                || agency["name"]
                    .as_str()
                    .is_some_and(|n| n.contains("区医保局")),
            "{agency}"
        );
    }
    let english = all("/v1/agencies", &[("q", "healthcare security")]);
    assert!(!english.is_empty());
    assert!(english
        .iter()
        .all(|a| a["name_en"]
            .as_str()
            .is_some_and(|name| contains(name, "healthcare") && contains(name, "security"))));
}

#[test]
fn each_operator() {
    let healthcare = measures_containing("医疗");
    let education = measures_containing("教育");
    let finance = measures_containing("金融");
    let both: BTreeSet<String> = healthcare.intersection(&education).cloned().collect();
    let either: BTreeSet<String> = healthcare.union(&education).cloned().collect();
    let without: BTreeSet<String> = healthcare.difference(&education).cloned().collect();
    assert!(!both.is_empty() && both.len() < either.len() && !without.is_empty());

    // Plain words AND.
    assert_eq!(measures_found("医疗 教育"), both);
    // OR.
    assert_eq!(measures_found("医疗 OR 教育"), either);
    assert_eq!(measures_found("\"医疗\" OR \"教育\""), either);
    // Exclusion, of a word and of a phrase.
    assert_eq!(measures_found("医疗 -教育"), without);
    assert_eq!(measures_found("医疗 -\"教育\""), without);
    // All together: (医疗 OR 教育) AND NOT 金融.
    let combined: BTreeSet<String> = either.difference(&finance).cloned().collect();
    assert_eq!(measures_found("医疗 OR 教育 -金融"), combined);
    // A quoted phrase is one exact string; plain text is split into words (a superset).
    let phrase = measures_containing("在线医疗");
    assert_eq!(measures_found("\"在线医疗\""), phrase);
    assert!(phrase.is_subset(&measures_found("在线医疗")));
    // Latin letters ignore case; symbols of mixed tokens count when quoted.
    assert_eq!(measures_found("app"), measures_found("APP"));
    assert_eq!(
        measures_found("\"互联网+\""),
        measures_containing("互联网+")
    );
    assert!(measures_containing("互联网+").len() < measures_containing("互联网").len());
    // Lowercase OR is a word, not the operator.
    assert!(measures_found("医疗 or 教育").is_subset(&both));
    // A single character is found by scanning the text.
    assert_eq!(measures_found("\"医\""), measures_containing("医"));
}

#[test]
fn unsafe_input_is_a_clear_400_or_a_correct_answer_never_a_500() {
    let long_phrase = format!("\"{}\"", "在线医疗服务".repeat(166)); // 998 + 2 quotes
    assert_eq!(long_phrase.chars().count(), 998);
    let thousand = "医".repeat(1000);
    let words_1000: String = "在线医疗 教育 ".repeat(125);
    assert_eq!(words_1000.chars().count(), 1000);
    let over = "医".repeat(1001);
    // Long enough to pass the URL limit (32 KiB) and reach the query parser.
    let far_over = "长".repeat(3000);
    let answered = [
        "covid-19",
        "a\"b",
        "医疗:",
        "医疗*",
        "*医疗",
        "\"医疗",
        "医疗\"",
        "\"医疗\" \"",
        "NEAR(医疗 教育)",
        "{title_grams body_grams}: 医疗",
        "title_words:医疗",
        "^医疗",
        "医疗 AND 教育",
        "NOT 医疗",
        "医疗 OR",
        "OR 医疗",
        "OR OR 医疗",
        "医疗 -",
        "(医疗)",
        "'; DROP TABLE measures; --",
        "医疗\\",
        "互联网+",
        "C++",
        "5G",
        long_phrase.as_str(),
        thousand.as_str(),
    ];
    let refused = [
        ("", "empty"),
        ("   ", "empty"),
        ("\t\n", "empty"),
        ("*", "searchable"),
        ("\"\"", "searchable"),
        ("\"", "searchable"),
        ("-医疗", "only excludes"),
        ("-医疗 -教育", "only excludes"),
        ("::: ***", "searchable"),
        ("OR", "searchable"),
        ("医疗\u{0}", "control character"),
        (over.as_str(), "at most 1000"),
        (far_over.as_str(), "at most 1000"),
    ];
    for list in [
        "/v1/search",
        "/v1/measures",
        "/v1/documents",
        "/v1/goals",
        "/v1/agencies",
    ] {
        for q in answered.iter().chain([&words_1000.as_str()]) {
            let path = with_query(list, &[("q", q)]);
            let response = get(&path);
            assert!(response.status < 500, "{list} q={q:?}: {}", response.status);
            if response.status == 400 {
                let reason = reason_for(&path, "q");
                assert!(reason.contains("at most"), "{list} q={q:?}: {reason}");
            } else {
                assert_eq!(response.status, 200, "{list} q={q:?}: {}", response.text());
            }
        }
        for (q, why) in refused {
            let reason = reason_for(&with_query(list, &[("q", q)]), "q");
            assert!(reason.contains(why), "{list} q={q:?}: {reason}");
        }
    }
    // Correct answers, not just any answer.
    assert_eq!(
        measures_found("covid-19"),
        measures_found("covid 19"),
        "a hyphen separates words"
    );
    assert_eq!(measures_found("医疗:"), measures_containing("医疗"));
    assert_eq!(measures_found("\"医疗"), measures_containing("医疗"));
    assert_eq!(measures_found("医疗 -"), measures_containing("医疗"));
    // Plain text is split by the segmenter; whatever the words, they all contain 医.
    assert!(measures_found(&thousand).is_subset(&measures_containing("医")));
    assert_eq!(measures_found(&words_1000), measures_found("在线医疗 教育"));
    assert!(measures_found(&long_phrase).is_empty());
}

#[test]
fn repeated_q_is_refused_and_relevance_needs_q() {
    for list in [
        "/v1/measures",
        "/v1/documents",
        "/v1/goals",
        "/v1/agencies",
        "/v1/search",
    ] {
        let reason = reason_for(&with_query(list, &[("q", "医疗"), ("q", "教育")]), "q");
        assert!(
            reason.contains("once") && reason.contains(" OR "),
            "{reason}"
        );
        if list != "/v1/search" {
            let reason = reason_for(&with_query(list, &[("sort", "relevance")]), "sort");
            assert!(reason.contains("q="), "{reason}");
        }
    }
    let reason = reason_for("/v1/search", "q");
    assert!(reason.contains("required"), "{reason}");
}

#[test]
fn q_combines_with_every_other_filter_and_with_facets() {
    // Who talks about healthcare, and how much.
    let healthcare = measures_containing("医疗");
    let list = get_json(&with_query(
        "/v1/measures",
        &[("q", "医疗"), ("facet", "document"), ("limit", "1")],
    ));
    assert_eq!(total(&list), healthcare.len() as i64);
    let counts = facet_counts(&list, "document");
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for document in &corpus().documents {
        let n = document
            .measures
            .iter()
            .filter(|m| healthcare.contains(&m.id))
            .count() as i64;
        if n > 0 {
            expected.insert(document.id.clone(), n);
        }
    }
    assert_eq!(counts, expected);
    assert!(counts.len() >= 3, "several documents talk about healthcare");

    // q AND each other filter equals the intersection of the two lists.
    let measure_filters: &[(&str, &str)] = &[
        ("role", "lead"),
        ("jurisdiction", "chongqing"),
        ("year", "2020"),
        ("theme", "online-healthcare"),
        ("document", "hongkou-2020-online-new-economy-opinions"),
    ];
    for (name, value) in measure_filters {
        let filtered = id_set(&all("/v1/measures", &[(name, value)]));
        let both = id_set(&all(
            "/v1/measures",
            &[("q", "医疗 OR 教育"), (name, value)],
        ));
        let expected: BTreeSet<String> = measures_found("医疗 OR 教育")
            .intersection(&filtered)
            .cloned()
            .collect();
        assert_eq!(both, expected, "q with {name}={value}");
    }
    let agency = "hongkou-commerce-commission";
    if get(&format!("/v1/agencies/{agency}")).status == 200 {
        let scoped = id_set(&all(
            &format!("/v1/agencies/{agency}/measures"),
            &[("q", "服务")],
        ));
        assert!(scoped.is_subset(&measures_found("服务")));
    }
    let scoped = id_set(&all(
        "/v1/documents/hongkou-2020-online-new-economy-opinions/measures",
        &[("q", "医疗")],
    ));
    assert!(!scoped.is_empty());
    assert!(scoped.is_subset(&healthcare));

    // Other lists: filters and facets.
    let goals = get_json(&with_query(
        "/v1/goals",
        &[("q", "\"亿元\""), ("facet", "year"), ("limit", "500")],
    ));
    assert_eq!(facet_sum(&goals, "year"), total(&goals));
    assert_eq!(total(&goals), goals_containing("亿元").len() as i64);
    let documents = get_json(&with_query(
        "/v1/documents",
        &[
            ("q", "医疗"),
            ("status", "final"),
            ("facet", "jurisdiction"),
        ],
    ));
    assert!(data(&documents).iter().all(|d| d["status"] == "final"));
    assert!(total(&documents) >= 1);
    let agencies = get_json(&with_query(
        "/v1/agencies",
        &[
            ("q", "局"),
            ("kind", "government_department"),
            ("facet", "jurisdiction"),
        ],
    ));
    assert!(total(&agencies) >= 1);
    for agency in data(&agencies) {
        assert_eq!(agency["kind"], "government_department");
        let names = format!("{}{}", agency["name"], agency["aliases"]);
        assert!(names.contains('局'), "{agency}");
    }
}

#[test]
fn relevance_is_the_default_with_q_and_puts_title_matches_first() {
    let ranked = all("/v1/measures", &[("q", "在线医疗")]);
    let first = &ranked[0];
    assert!(
        first["title"]
            .as_str()
            .is_some_and(|t| t.contains("在线医疗")),
        "first hit: {first}"
    );
    let in_title: Vec<bool> = ranked
        .iter()
        .map(|m| m["title"].as_str().is_some_and(|t| t.contains("在线医疗")))
        .collect();
    let first_body = in_title
        .iter()
        .position(|hit| !hit)
        .unwrap_or(in_title.len());
    assert!(
        in_title[first_body..].iter().all(|hit| !hit),
        "every title match before every text-only match: {in_title:?}"
    );
    // The same order with sort=relevance given explicitly.
    let explicit = all("/v1/measures", &[("q", "在线医疗"), ("sort", "relevance")]);
    assert_eq!(record_ids(&explicit), record_ids(&ranked));
    // An explicit sort overrides relevance.
    let by_id = all("/v1/measures", &[("q", "在线医疗"), ("sort", "id")]);
    let mut sorted = record_ids(&ranked);
    sorted.sort();
    assert_eq!(record_ids(&by_id), sorted);
    // Across kinds, too.
    let search = get_json(&with_query(
        "/v1/search",
        &[("q", "在线医疗"), ("limit", "3")],
    ));
    let top = data(&search)[0]["title"].as_str().expect("title");
    assert!(top.contains("在线医疗"), "{search}");
}

#[test]
fn cursor_walks_with_q_have_no_duplicates_and_no_gaps() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("/v1/measures", &[("q", "医疗 OR 教育 OR 数据")]),
        ("/v1/measures", &[("q", "服务")]),
        (
            "/v1/measures",
            &[("q", "服务"), ("sort", "-date,relevance")],
        ),
        ("/v1/measures", &[("q", "\"医\"")]),
        ("/v1/documents", &[("q", "发展")]),
        ("/v1/goals", &[("q", "亿元 OR 家")]),
        ("/v1/agencies", &[("q", "局 OR 委员会")]),
        ("/v1/search", &[("q", "医疗 OR 教育")]),
        ("/v1/search", &[("q", "数据"), ("type", "measure,goal")]),
    ];
    for (list, pairs) in cases {
        let mut big = pairs.to_vec();
        big.push(("limit", "500"));
        let full = get_json(&with_query(list, &big));
        let mut small = pairs.to_vec();
        small.push(("limit", "3"));
        let walked = walk(&with_query(list, &small));
        let key = |r: &Value| format!("{}:{}", r["type"].as_str().unwrap_or(""), r["id"]);
        let walked_keys: Vec<String> = walked.iter().map(key).collect();
        let full_keys: Vec<String> = data(&full).iter().map(key).collect();
        assert!(
            walked_keys.len() > 3,
            "{list} {pairs:?}: more than one page"
        );
        assert_eq!(
            walked_keys, full_keys,
            "{list} {pairs:?}: pages equal one big page"
        );
        let unique: BTreeSet<&String> = walked_keys.iter().collect();
        assert_eq!(
            unique.len(),
            walked_keys.len(),
            "{list} {pairs:?}: no duplicates"
        );
        assert_eq!(
            walked_keys.len() as i64,
            total(&full),
            "{list} {pairs:?}: no gaps"
        );
    }
}

#[test]
fn search_lists_every_type_in_one_ranked_envelope() {
    let q = "大数据";
    let page = get_json(&with_query(
        "/v1/search",
        &[("q", q), ("facet", "type"), ("limit", "5")],
    ));
    assert_eq!(
        object_keys(&page),
        BTreeSet::from(["data", "meta", "links", "facets"])
    );
    assert_eq!(page["meta"]["limit"], 5);
    assert!(page["links"]["self"]
        .as_str()
        .is_some_and(|s| s.starts_with("/v1/search?")));
    // meta.total is exact: the sum of the per-type lists, and the facet agrees.
    let per_type = facet_counts(&page, "type");
    let mut sum = 0;
    for (kind, list) in [
        ("measure", "/v1/measures"),
        ("document", "/v1/documents"),
        ("goal", "/v1/goals"),
        ("agency", "/v1/agencies"),
    ] {
        let n = total(&get_json(&with_query(list, &[("q", q), ("limit", "1")])));
        assert_eq!(per_type.get(kind).copied().unwrap_or(0), n, "{kind}");
        sum += n;
    }
    assert_eq!(total(&page), sum);
    assert!(per_type.len() >= 3, "{per_type:?}");
    assert_eq!(
        walk(&with_query("/v1/search", &[("q", q), ("limit", "7")])).len() as i64,
        sum
    );

    // type: comma-separated and repeated, and unknown types refused with the allowed ones.
    let comma = get_json(&with_query(
        "/v1/search",
        &[("q", q), ("type", "measure,agency"), ("limit", "500")],
    ));
    let repeated = get_json(&with_query(
        "/v1/search",
        &[
            ("q", q),
            ("type", "measure"),
            ("type", "agency"),
            ("limit", "500"),
        ],
    ));
    assert_eq!(comma["data"], repeated["data"]);
    assert!(data(&comma)
        .iter()
        .all(|h| h["type"] == "measure" || h["type"] == "agency"));
    assert_eq!(
        total(&comma),
        per_type.get("measure").copied().unwrap_or(0)
            + per_type.get("agency").copied().unwrap_or(0)
    );
    let reason = reason_for(
        &with_query("/v1/search", &[("q", q), ("type", "measures")]),
        "type",
    );
    assert!(
        reason.contains("measure, document, goal, agency"),
        "{reason}"
    );
    let reason = reason_for(
        &with_query("/v1/search", &[("q", q), ("highlight", "bold")]),
        "highlight",
    );
    assert!(reason.contains("html"), "{reason}");
    let reason = reason_for(
        &with_query("/v1/search", &[("q", q), ("facet", "document")]),
        "facet",
    );
    assert!(reason.contains("type"), "{reason}");

    // Each hit has its fields, and its url serves the record.
    for hit in data(&comma).iter().take(20) {
        for field in [
            "type",
            "id",
            "title",
            "snippet",
            "highlights",
            "text_highlights",
            "url",
        ] {
            assert!(hit.get(field).is_some(), "{field} in {hit}");
        }
        let record = get_json(hit["url"].as_str().expect("url"));
        assert_eq!(record["data"]["id"], hit["id"]);
        if hit["type"] == "measure" {
            assert_eq!(record["data"]["document"], hit["document"]);
        } else {
            assert!(hit["document"].is_null());
        }
    }
}

/// The record's whole text that `text_highlights` point into.
fn record_text(hit: &Value) -> String {
    let url = hit["url"].as_str().expect("url");
    match hit["type"].as_str() {
        Some("document") => common::get(&format!("{url}/text")).text(),
        Some("measure") => get_json(url)["data"]["text"]
            .as_str()
            .expect("text")
            .to_owned(),
        Some("goal") => get_json(url)["data"]["sentence"]
            .as_str()
            .expect("sentence")
            .to_owned(),
        Some("agency") => {
            let agency = &get_json(url)["data"];
            let mut lines: Vec<String> = agency["aliases"]
                .as_array()
                .expect("aliases")
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect();
            if let Some(english) = agency["name_en"].as_str() {
                lines.push(english.to_owned());
            }
            lines.join("\n")
        }
        other => panic!("unknown type {other:?}"),
    }
}

#[test]
fn highlights_point_at_the_terms_in_the_snippet_the_title_and_the_text() {
    for (q, terms) in [
        ("医疗 OR 教育", vec!["医疗", "教育"]),
        ("\"线上业\"", vec!["线上业"]),
        ("app OR 5g", vec!["app", "5g"]),
        ("医疗 -互联网", vec!["医疗"]),
    ] {
        let hits = all("/v1/search", &[("q", q)]);
        assert!(!hits.is_empty(), "{q}");
        let mut text_checked = 0;
        for hit in &hits {
            let snippet = hit["snippet"].as_str().expect("snippet");
            let is_term = |found: &str| terms.iter().any(|t| found.eq_ignore_ascii_case(t));
            for range in hit["highlights"].as_array().expect("highlights") {
                let found = chars_at(snippet, range);
                assert!(is_term(&found), "{q}: snippet highlight {found:?} in {hit}");
            }
            let title = hit["title"].as_str().expect("title");
            for range in hit["title_highlights"]
                .as_array()
                .expect("title_highlights")
            {
                let found = chars_at(title, range);
                assert!(is_term(&found), "{q}: title highlight {found:?} in {hit}");
            }
            let text_ranges = hit["text_highlights"].as_array().expect("text_highlights");
            assert!(
                !text_ranges.is_empty()
                    || !hit["title_highlights"].as_array().expect("t").is_empty(),
                "{q}: a hit shows where it matched: {hit}"
            );
            if text_checked < 60 {
                let text = record_text(hit);
                for range in text_ranges {
                    let found = chars_at(&text, range);
                    assert!(
                        is_term(&found),
                        "{q}: text highlight {found:?} of {}",
                        hit["id"]
                    );
                }
                // A Chinese term in the text is always highlighted there.
                if terms.iter().any(|t| !t.is_ascii() && text.contains(t)) {
                    assert!(!text_ranges.is_empty(), "{q}: {}", hit["id"]);
                }
                text_checked += 1;
            }
            // The snippet is a window of the text: its highlights are text highlights shifted.
            if !hit["highlights"].as_array().expect("h").is_empty() {
                assert!(!text_ranges.is_empty(), "{hit}");
            }
        }
        // Excluded words are not highlighted and not matched.
        if q.contains("-互联网") {
            for hit in &hits {
                let title = hit["title"].as_str().expect("title");
                assert!(
                    !title.contains("互联网") && !record_text(hit).contains("互联网"),
                    "{hit}"
                );
            }
        }
    }
}

#[test]
fn html_highlights_are_marked_and_everything_else_is_escaped() {
    // The Hongkou document quotes a plan title between < and >.
    let page = get_json(&with_query(
        "/v1/search",
        &[
            ("q", "\"在线新经济\""),
            ("type", "document"),
            ("highlight", "html"),
        ],
    ));
    let hits = data(&page);
    assert!(!hits.is_empty());
    let mut escaped = false;
    for hit in hits {
        let snippet = hit["snippet"].as_str().expect("snippet");
        let html = hit["snippet_html"].as_str().expect("snippet_html");
        assert_eq!(
            html.matches("<mark>").count(),
            hit["highlights"].as_array().expect("highlights").len()
        );
        assert!(html.contains("<mark>在线新经济</mark>"), "{html}");
        let stripped = html.replace("<mark>", "").replace("</mark>", "");
        assert!(!stripped.contains('<') && !stripped.contains('>'), "{html}");
        let unescaped = stripped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(unescaped, snippet);
        escaped |= html.contains("&lt;") && snippet.contains('<');
    }
    assert!(escaped, "some snippet holds a < to escape: {page}");
    // Without highlight=html there is no snippet_html.
    let plain = get_json(&with_query("/v1/search", &[("q", "在线新经济")]));
    assert!(data(&plain).iter().all(|h| h.get("snippet_html").is_none()));
}

#[test]
fn the_openapi_document_explains_q_and_search() {
    let spec = get_json("/v1/openapi.json");
    let search = &spec["paths"]["/v1/search"]["get"];
    assert!(search.is_object(), "/v1/search is documented");
    let params = search["parameters"].as_array().expect("parameters");
    let q = params.iter().find(|p| p["name"] == "q").expect("q");
    assert_eq!(q["required"], true);
    let description = q["description"].as_str().expect("description");
    for example in ["医疗", "\"线上业\"", "医疗 OR 教育 -金融", "5G"] {
        assert!(description.contains(example), "{example} in {description}");
    }
    assert!(params.iter().any(|p| p["name"] == "type"));
    for list in ["/v1/measures", "/v1/documents", "/v1/goals", "/v1/agencies"] {
        let params = spec["paths"][list]["get"]["parameters"]
            .as_array()
            .expect("parameters");
        let q = params
            .iter()
            .find(|p| p["name"] == "q")
            .unwrap_or_else(|| panic!("q on {list}"));
        assert!(
            q["description"].as_str().is_some_and(|d| d.contains("OR")),
            "{list}"
        );
    }
    assert!(spec["components"]["schemas"]["SearchHitView"].is_object());
}

//! `zhengce add FILE… [--id SLUG]`: files checked against the corpus, copied byte for byte
//! under a slug, a report of what was found, and every refusal naming the file and the
//! reason with nothing copied.

mod common;
mod formats;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use formats::*;

fn zhengce(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run zhengce")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Names of the files in the folder `documents` of `data`.
fn document_files(data: &Path) -> BTreeSet<String> {
    common::file_names(&data.join("documents"))
}

/// The portal page, a data folder holding it as `digital-plan.html`, and an empty folder to
/// add files from.
fn data_with_the_plan() -> (String, tempfile::TempDir, tempfile::TempDir) {
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let data = data_folder(&[("digital-plan.html", page.as_bytes())]);
    let inbox = tempfile::tempdir().expect("temporary directory");
    (page, data, inbox)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.display().to_string()
}

#[test]
fn add_copies_the_file_under_a_slug_of_its_title_and_reports_what_it_found() {
    let data = data_folder(&[]);
    let inbox = tempfile::tempdir().expect("temporary directory");
    let page = portal_page(TITLE, ARTICLE_HTML, "utf-8");
    let file = write(inbox.path(), "Download (3).html", page.as_bytes());
    let data_arg = data.path().display().to_string();
    let output = zhengce(&["add", &file, "--data", &data_arg]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    let id = "yu-bei-qu-tui-jin-shu-zi-jing-ji-fa-zhan-gong-zuo-fang-an";
    let copied = data.path().join("documents").join(format!("{id}.html"));
    assert_eq!(
        std::fs::read(&copied).expect("copied"),
        page.as_bytes(),
        "byte for byte"
    );
    for expected in [
        TITLE,
        "format:       html",
        "jurisdiction: chongqing-yubei",
        "date:         2021-03-15",
        // Two items and the two rows of the annexed task table.
        "4 measures",
        "5 agency links",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in:\n{stdout}");
    }
    // The copy loads like any other document.
    let corpus = zhengce::corpus::load_corpus(data.path()).expect("loads");
    let document = &corpus.documents[0];
    assert_eq!(document.id, id);
    assert!(!document.goals.is_empty());
    let goals = format!("{} goals", document.goals.len());
    assert!(stdout.contains(&goals), "{goals:?} not in:\n{stdout}");
}

#[test]
fn add_takes_an_id_and_prints_gazetteer_entries_for_unresolved_names() {
    let data = data_folder(&[]);
    let inbox = tempfile::tempdir().expect("temporary directory");
    let article = ARTICLE_HTML.replace("区住房城乡建委", "区数字化推进办");
    let page = portal_page(TITLE, &article, "utf-8");
    let file = write(inbox.path(), "page.html", page.as_bytes());
    let data_arg = data.path().display().to_string();
    let output = zhengce(&[
        "add",
        &file,
        "--id",
        "yubei-digital-plan",
        "--data",
        &data_arg,
    ]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(data
        .path()
        .join("documents/yubei-digital-plan.html")
        .exists());
    let entry = stdout
        .split("[[agency]]")
        .nth(1)
        .expect("a gazetteer entry is printed");
    let entry = format!("[[agency]]{}", entry.split("\n\n").next().unwrap_or(entry));
    let value: toml::Value = toml::from_str(&entry).expect("the entry is TOML");
    assert_eq!(value["agency"][0]["name"].as_str(), Some("区数字化推进办"));
    assert_eq!(
        value["agency"][0]["jurisdiction"].as_str(),
        Some("chongqing-yubei")
    );
}

#[test]
fn add_refuses_content_already_in_the_corpus_under_another_id() {
    let (page, data, inbox) = data_with_the_plan();
    let data_arg = data.path().display().to_string();
    let before = document_files(data.path());

    // The same bytes.
    let same = write(inbox.path(), "copy.html", page.as_bytes());
    let output = zhengce(&["add", &same, "--id", "another-id", "--data", &data_arg]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&same), "{stderr}");
    assert!(
        stderr.contains("already in the corpus as \"digital-plan\""),
        "{stderr}"
    );

    // The same text in another format.
    let docx_text = extract_text(&page);
    let txt = write(inbox.path(), "copy.txt", docx_text.as_bytes());
    let output = zhengce(&["add", &txt, "--id", "another-id", "--data", &data_arg]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("the same text is already in the corpus"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(document_files(data.path()), before, "nothing copied");
}

fn extract_text(page: &str) -> String {
    zhengce::corpus::extract::extract(zhengce::corpus::extract::Format::Html, page.as_bytes())
        .expect("the page reads")
        .text
}

#[test]
fn add_refuses_bad_input_naming_the_file_and_copies_nothing() {
    let (page, data, inbox) = data_with_the_plan();
    let data_arg = data.path().display().to_string();
    let before = document_files(data.path());
    let good = write(
        inbox.path(),
        "good.docx",
        &docx(&[
            plain("渝北区加快发展线上服务工作方案"),
            heading("重点任务"),
            numbered(1, "发展线上教育。（牵头单位：区教委）"),
        ]),
    );
    let cases: [(&str, Vec<u8>, &[&str], &str); 6] = [
        (
            "broken.docx",
            b"PK\x03\x04 broken".to_vec(),
            &[],
            "not a readable DOCX file",
        ),
        ("scan.pdf", fixture("scanned.pdf"), &[], "no text layer"),
        ("locked.pdf", fixture("encrypted.pdf"), &[], "encrypted"),
        ("plan.doc", b"\xD0\xCF\x11\xE0".to_vec(), &[], "not taken"),
        (
            "page.html",
            page.as_bytes().to_vec(),
            &["--id", "Not A Slug"],
            "not a slug",
        ),
        (
            "nav.html",
            b"<html><body><div class=\"nav\"><a>\xE9\xA6\x96\xE9\xA1\xB5</a></div></body></html>"
                .to_vec(),
            &[],
            "no article text",
        ),
    ];
    for (name, bytes, extra, reason) in cases {
        let file = write(inbox.path(), name, &bytes);
        // The good file comes first: it is not copied either when a later one fails.
        let mut args = vec!["add"];
        if extra.is_empty() {
            args.push(&good);
        }
        args.push(&file);
        args.extend_from_slice(extra);
        args.extend(["--data", &data_arg]);
        let output = zhengce(&args);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{name} was taken");
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(stderr.contains(reason), "{name}: {stderr}");
        assert_eq!(
            document_files(data.path()),
            before,
            "{name}: nothing copied"
        );
    }
}

#[test]
fn add_refuses_an_id_that_is_taken() {
    let (_, data, inbox) = data_with_the_plan();
    let other = policy_docx();
    let file = write(inbox.path(), "other.docx", &other);
    let data_arg = data.path().display().to_string();
    let output = zhengce(&["add", &file, "--id", "digital-plan", "--data", &data_arg]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("taken by"), "{stderr}");
    assert!(stderr.contains("digital-plan.html"), "{stderr}");
}

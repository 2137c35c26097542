//! The `zhengce` binary as an operator runs it: `serve` builds a missing database, answers
//! over HTTP and stops cleanly on SIGTERM; `openapi` prints the committed document.

use std::path::Path;

use crate::common::{binary, data_dir, request_at, Server};

#[test]
fn openapi_command_prints_the_committed_document() {
    let output = binary()
        .arg("openapi")
        .output()
        .expect("zhengce openapi runs");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json"))
            .expect("openapi/openapi.json exists");
    assert_eq!(
        printed, committed,
        "openapi/openapi.json is stale; regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
    let spec: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
    assert!(spec["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
}

#[test]
fn serve_builds_a_missing_database_answers_and_stops_on_sigterm() {
    let dir = tempfile::Builder::new()
        .prefix("zhengce-serve-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temporary directory");
    let db = dir.path().join("fresh.db");
    let data = data_dir();
    // The log names the address once the server listens.
    let server = Server::start(&db, &["--data", data.to_str().expect("UTF-8 path")]);
    assert!(db.exists(), "serve built the missing database");

    assert_eq!(request_at(&server.base, "GET", "/health").status, 200);
    let measures = request_at(&server.base, "GET", "/v1/measures?limit=1").json();
    assert_eq!(measures["meta"]["total"], 108);

    server.stop();
}

//! The `zhengce` binary as an operator runs it: `serve` builds a missing database, answers
//! over HTTP and stops cleanly on SIGTERM; `openapi` prints the committed document.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

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
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut child = binary()
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(&db)
        .arg("--data")
        .arg(&data)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zhengce serve starts");

    // The log names the address once the server listens.
    let stderr = child.stderr.take().expect("stderr");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("on http://").nth(1) {
                let address = rest.trim_end_matches("/v1").to_owned();
                let _ = sender.send(address);
            }
        }
    });
    let address = match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(address) => address,
        Err(error) => {
            let _ = child.kill();
            panic!("the server did not report its address: {error}");
        }
    };
    assert!(db.exists(), "serve built the missing database");

    let client = reqwest::blocking::Client::new();
    let health = client
        .get(format!("http://{address}/health"))
        .send()
        .expect("health answers");
    assert_eq!(health.status().as_u16(), 200);
    let measures: serde_json::Value = client
        .get(format!("http://{address}/v1/measures?limit=1"))
        .send()
        .expect("measures answer")
        .json()
        .expect("JSON");
    assert_eq!(measures["meta"]["total"], 108);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the server did not stop within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
}

//! Oversized, malformed and slow clients, over raw TCP against the real server: an over-long
//! URL is a 414, over-large headers a 431, a path or query that is not text a 400 — each a
//! problem document — and a client that never finishes its request head is cut off.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common;

/// Sends raw bytes and returns the status code and the whole answer as text.
fn raw_request(request: &[u8]) -> (u16, String) {
    let address = common::base().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn get(target: &str, extra_headers: &str) -> (u16, String) {
    raw_request(
        format!(
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra_headers}\r\n"
        )
        .as_bytes(),
    )
}

fn assert_problem(answer: &str) {
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{answer}"
    );
}

#[test]
fn an_over_long_url_is_414() {
    let (status, answer) = get(&format!("/v1/measures?q={}", "a".repeat(40_000)), "");
    assert_eq!(status, 414, "{answer}");
    assert_problem(&answer);
}

#[test]
fn over_large_headers_are_431() {
    let headers: String = (0..40)
        .map(|i| format!("X-Padding-{i}: {}\r\n", "b".repeat(500)))
        .collect();
    let (status, answer) = get("/v1", &headers);
    assert_eq!(status, 431, "{}", &answer[..answer.len().min(300)]);
    assert_problem(&answer);
}

#[test]
fn paths_and_parameters_that_are_not_text_are_400() {
    for target in [
        "/v1/documents/%FF%FE",
        "/v1/documents/a%00b",
        "/v1/measures/%0A",
        "/v1/measures?q=%E5%8C",
        "/v1/measures?document=%01",
        "/v1/agencies?q=%C0%AF",
    ] {
        let (status, answer) = get(target, "");
        assert_eq!(status, 400, "{target}: {answer}");
        assert_problem(&answer);
        assert!(answer.contains("\"status\":400"), "{target}: {answer}");
    }
}

#[test]
fn a_client_that_never_finishes_its_request_is_cut_off() {
    let address = common::base().trim_start_matches("http://").to_owned();
    let mut slow = TcpStream::connect(&address).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    slow.write_all(b"GET /v1 HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let started = Instant::now();
    // Meanwhile the server answers others.
    let (status, _) = get("/health", "");
    assert_eq!(status, 200);
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(20),
        "the slow client was held for {waited:?}"
    );
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
}

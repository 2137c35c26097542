//! Shared harness of the tests: a database built once per test binary from the real
//! `data/` folder, the real server on port 0 (in the test process, or the `zhengce` binary
//! as an operator runs it), a small blocking HTTP client, and what the corpus tests share
//! (the ids of the bundled documents, search terms, questions asked of parsed documents).

#![allow(dead_code)]

pub mod corpus;
pub mod documents;
pub mod terms;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{ConnectionManager, CustomizeConnection};
use diesel::{Connection, SqliteConnection};
use serde_json::Value;

use zhengce::db::Pool;

/// The repository's data folder.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A new directory under the target's temporary folder that outlives the test process
/// (the server threads may still read it at exit). Directories of the same prefix left by
/// runs more than an hour old are removed first.
pub fn scratch_dir(prefix: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let stale = entry.file_name().to_string_lossy().starts_with(prefix)
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|modified| modified.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(3600));
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(root)
        .expect("temporary directory")
        .keep()
}

/// Names of the entries of the folder `dir`.
pub fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The database built from `data/`, once per test binary.
pub fn database() -> &'static Path {
    static DATABASE: OnceLock<PathBuf> = OnceLock::new();
    DATABASE.get_or_init(|| {
        let db = scratch_dir("zhengce-api-").join("zhengce.db");
        zhengce::db::load::load_data_dir(&data_dir(), &db)
            .unwrap_or_else(|error| panic!("loading data/ failed: {error}"));
        db
    })
}

/// Copies into the new folder `to` the files of `data/` and `data/documents/` whose path
/// relative to `data/` passes `keep`; returns `to`.
pub fn copy_data_dir(to: &Path, keep: impl Fn(&Path) -> bool) -> PathBuf {
    for folder in ["", "documents"] {
        std::fs::create_dir_all(to.join(folder)).expect("data folder");
        for entry in std::fs::read_dir(data_dir().join(folder)).expect("data/") {
            let path = entry.expect("entry of data/").path();
            let relative = Path::new(folder).join(path.file_name().expect("file name"));
            if path.is_file() && keep(&relative) {
                std::fs::copy(&path, to.join(&relative)).expect("copy a data file");
            }
        }
    }
    to.to_path_buf()
}

/// Builds the database `db` from the data folder `data` and starts a server over it (see
/// [`start`]); returns its base URL.
pub fn serve_data_dir(data: &Path, db: &Path) -> String {
    zhengce::db::load::load_data_dir(data, db)
        .unwrap_or_else(|error| panic!("loading {} failed: {error}", data.display()));
    start(zhengce::db::open_read_only_pool(db, 2).expect("read-only pool"))
}

/// Starts the real server over `pool` on 127.0.0.1:0 and returns its base URL once it
/// answers (so that what it reads at startup is done before the first test request).
pub fn start(pool: Pool) -> String {
    start_with(pool, zhengce::api::delivery::ServerOptions::default())
}

/// [`start`] with server options (rate limits, cache lifetime, export bound …).
pub fn start_with(pool: Pool, options: zhengce::api::delivery::ServerOptions) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server =
                zhengce::api::startup::spawn_with(listener, pool, options).expect("server starts");
            server.await.expect("server runs");
        });
    });
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        let answered = client()
            .get(format!("{base}/health"))
            .send()
            .is_ok_and(|response| response.status().is_success());
        if answered {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    base
}

/// A server of its own over [`database`] with `options`.
pub fn start_over_database(options: zhengce::api::delivery::ServerOptions) -> String {
    start_with(
        zhengce::db::open_read_only_pool(database(), 2).expect("read-only pool"),
        options,
    )
}

/// The server every test talks to: the read-only pool over [`database`].
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let pool = zhengce::db::open_read_only_pool(database(), 4).expect("read-only pool");
        start(pool)
    })
}

/// The `zhengce` binary.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

/// Asserts that a command succeeded; what it wrote to stderr is the message if not.
pub fn assert_succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `zhengce serve` on 127.0.0.1:0, killed when dropped ([`Server::stop`] ends it
/// with SIGTERM and checks that it exits cleanly).
pub struct Server {
    child: Child,
    /// Base URL, from the address the log names.
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `zhengce serve --db DB` with `extra` arguments; returns once the log names
    /// the address it listens on.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        let mut child = binary()
            .args(["serve", "--bind", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(extra)
            .env("RUST_LOG", "info,actix_web::middleware::logger=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("zhengce serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (sender, receiver) = mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("on http://").nth(1) {
                    let _ = sender.send(rest.trim_end_matches("/v1").to_owned());
                }
                lines.lock().expect("log").push(line);
            }
        });
        let address = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(address) => address,
            Err(error) => {
                let _ = child.kill();
                panic!("the server did not report its address: {error}");
            }
        };
        Server {
            child,
            base: format!("http://{address}"),
            log,
        }
    }

    /// Sends signal `name` (`HUP`, `TERM` …).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name}");
    }

    /// Whether a line logged so far contains `text`.
    pub fn logged(&self, text: &str) -> bool {
        self.log
            .lock()
            .expect("log")
            .iter()
            .any(|line| line.contains(text))
    }

    /// Waits until a line logged contains `text`; fails, saying `missing`, after 30 s.
    pub fn wait_until_logged(&self, text: &str, missing: &str) {
        let started = Instant::now();
        while !self.logged(text) {
            assert!(started.elapsed() < Duration::from_secs(30), "{missing}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then a clean exit within 30 s.
    pub fn stop(mut self) {
        self.signal("TERM");
        let started = Instant::now();
        loop {
            if let Some(exit) = self.child.try_wait().expect("wait") {
                assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not stop within 30 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A pool over `path` opened read-only whose connections count the SQL statements they run.
pub fn counting_pool(path: &Path, counter: Arc<AtomicUsize>) -> Pool {
    #[derive(Debug)]
    struct Counting(Arc<AtomicUsize>);

    impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Counting {
        fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
            let counter = self.0.clone();
            conn.set_instrumentation(Box::new(move |event: InstrumentationEvent<'_>| {
                if let InstrumentationEvent::StartQuery { .. } = event {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            }) as Box<dyn Instrumentation>);
            Ok(())
        }
    }

    let uri = format!("file:{}?mode=ro", path.display());
    diesel::r2d2::Pool::builder()
        .max_size(1)
        .test_on_check_out(false)
        .connection_customizer(Box::new(Counting(counter)))
        .build(ConnectionManager::<SqliteConnection>::new(uri))
        .expect("counting pool")
}

/// A pool over a file that is not a zhengce database (every query fails).
pub fn broken_pool() -> Pool {
    let path = scratch_dir("zhengce-broken-").join("empty.db");
    SqliteConnection::establish(&path.display().to_string()).expect("create empty database");
    let uri = format!("file:{}?mode=ro", path.display());
    diesel::r2d2::Pool::builder()
        .max_size(1)
        .connection_timeout(Duration::from_secs(5))
        .build(ConnectionManager::<SqliteConnection>::new(uri))
        .expect("pool over an empty database")
}

/// An HTTP response, read completely.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Content-Type header, or empty.
    pub content_type: String,
    /// All headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn client() -> &'static reqwest::blocking::Client {
    static CLIENT: OnceLock<reqwest::blocking::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client")
    })
}

/// Sends `method path` with `headers` to the server at `base` and returns the answer
/// before its body is read.
pub fn send_unread(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> reqwest::blocking::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client().request(method, format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .send()
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Sends `method path` with `headers` to the server at `base`.
pub fn send(base: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let response = send_unread(base, method, path, headers);
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.bytes().expect("body").to_vec();
    Response {
        status,
        content_type,
        headers,
        body,
    }
}

/// Header `name` of `response` as text, or empty.
pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// Sends `method path` to the server at `base`.
pub fn request_at(base: &str, method: &str, path: &str) -> Response {
    send(base, method, path, &[])
}

/// GETs `path` from the shared server with an `Origin` header, as a browser on another
/// site would.
pub fn request_with_origin(path: &str, origin: &str) -> Response {
    send(base(), "GET", path, &[("Origin", origin)])
}

/// Sends `method path` to the shared server.
pub fn request(method: &str, path: &str) -> Response {
    request_at(base(), method, path)
}

/// GETs `path` from the shared server.
pub fn get(path: &str) -> Response {
    request("GET", path)
}

/// GETs `path`, expects 200 and JSON, and returns the JSON.
pub fn get_json(path: &str) -> Value {
    let response = get(path);
    assert_eq!(
        response.status,
        200,
        "GET {path}: {}",
        String::from_utf8_lossy(&response.body)
    );
    assert!(
        response.content_type.starts_with("application/json"),
        "GET {path}: content type {}",
        response.content_type
    );
    response.json()
}

/// GETs `path` from the server at `base`, expects 200, and returns the body as JSON.
pub fn get_json_at(base: &str, path: &str) -> Value {
    let response = request_at(base, "GET", path);
    assert_eq!(response.status, 200, "GET {path}: {}", response.text());
    response.json()
}

/// Asserts that `response` is a problem (RFC 9457) of `status` with its type, title and
/// detail; returns it.
pub fn assert_problem(response: &Response, status: u16) -> Value {
    assert_eq!(response.status, status, "{}", response.text());
    assert!(
        response
            .content_type
            .starts_with("application/problem+json"),
        "content type {} for {}",
        response.content_type,
        response.text()
    );
    let problem = response.json();
    assert_eq!(problem["status"], status);
    assert!(problem["type"].is_string(), "{problem}");
    assert!(problem["title"].is_string(), "{problem}");
    assert!(
        problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{problem}"
    );
    problem
}

/// The reason the problem gives for parameter `name`.
pub fn invalid_param<'a>(problem: &'a Value, name: &str) -> &'a str {
    problem["invalid_params"]
        .as_array()
        .and_then(|params| params.iter().find(|p| p["name"] == name))
        .and_then(|p| p["reason"].as_str())
        .unwrap_or_else(|| panic!("{name} not among invalid_params of {problem}"))
}

/// Asserts that `etag` is an entity tag of the dataset `version` (a JSON string).
pub fn assert_etag_of_dataset(etag: &str, version: &Value) {
    let version = version
        .as_str()
        .unwrap_or_else(|| panic!("no dataset version: {version}"));
    assert!(
        etag.starts_with(&format!("\"{version}-")),
        "{etag} is not of dataset {version}"
    );
}

/// A CSV text: its header and its rows, read with the `csv` crate.
pub fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .expect("CSV header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            record
                .expect("CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    (header, rows)
}

/// `path?query` with the pairs encoded as a form (so `+`, `&`, non-ASCII survive).
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    zhengce::api::listing::link(path, pairs)
}

/// `meta.total` of a list response.
pub fn total(list: &Value) -> i64 {
    list["meta"]["total"]
        .as_i64()
        .unwrap_or_else(|| panic!("no meta.total in {list}"))
}

/// The keys of a JSON object.
pub fn object_keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// The records of a list response.
pub fn data(list: &Value) -> &Vec<Value> {
    list["data"].as_array().expect("data array")
}

/// The ids of a list response's records.
pub fn ids(list: &Value) -> Vec<String> {
    record_ids(
        list["data"]
            .as_array()
            .unwrap_or_else(|| panic!("no data array in {list}")),
    )
}

/// The ids of records, in order.
pub fn record_ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|record| record["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The counts of facet `name` of a list response, by value.
pub fn facet_counts(list: &Value, name: &str) -> BTreeMap<String, i64> {
    facet_values(list, name)
        .iter()
        .map(|v| {
            (
                v["value"].as_str().expect("value").to_owned(),
                v["count"].as_i64().expect("count"),
            )
        })
        .collect()
}

/// The sum of the counts of facet `name` of a list response.
pub fn facet_sum(list: &Value, name: &str) -> i64 {
    facet_values(list, name)
        .iter()
        .map(|v| v["count"].as_i64().expect("count"))
        .sum()
}

fn facet_values<'a>(list: &'a Value, name: &str) -> &'a Vec<Value> {
    list["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("no {name} facet in {list}"))
}

/// Follows `links.next` from `path` to the last page and returns every record.
pub fn walk(path: &str) -> Vec<Value> {
    let mut records = Vec::new();
    let mut next = Some(path.to_owned());
    let mut pages = 0;
    while let Some(path) = next {
        let page = get_json(&path);
        records.extend(page["data"].as_array().expect("data").iter().cloned());
        next = page["links"]["next"].as_str().map(str::to_owned);
        if next.is_some() {
            assert!(
                page["meta"]["next_cursor"].is_string(),
                "next link without next_cursor"
            );
        }
        pages += 1;
        assert!(pages < 10_000, "pagination does not end at {path}");
    }
    records
}

/// Id of the hand-written document of [`deadlines_base`].
pub const DEADLINES_DOCUMENT: &str = "yubei-2019-platform-work-plan";

/// The hand-written document of [`deadlines_base`]: three measures of 渝北区, two of them
/// with deadlines (`2019年6月底前`; `到2020年底前` and `2021年上半年`), one without.
pub const DEADLINES_TEXT: &str = "渝北区推进政务数据平台建设工作方案

为加快政务数据平台建设，制定本方案。

一、主要任务
（一）推进建设。2019年6月底前完成平台建设。（牵头单位：区大数据局；配合单位：区商务委）
（二）推广应用。到2020年底前，平台覆盖全区各部门；2021年上半年完成评估。（责任单位：区商务委）
（三）加强宣传。做好平台宣传工作。（责任单位：区大数据局）

重庆市渝北区人民政府办公室
2019年3月1日
";

/// A server over a data folder holding the real gazetteer, vocabularies and models and only
/// [`DEADLINES_TEXT`] (the bundled documents state no deadline in a measure), once per test
/// binary; returns its base URL.
pub fn deadlines_base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = scratch_dir("zhengce-deadlines-");
        let data = copy_data_dir(&dir.join("data"), |path| {
            path != Path::new("documents.toml") && !path.starts_with("documents")
        });
        std::fs::write(
            data.join("documents.toml"),
            format!(
                "[[document]]\nid = \"{DEADLINES_DOCUMENT}\"\njurisdiction = \"chongqing-yubei\"\n"
            ),
        )
        .expect("manifest");
        std::fs::write(
            data.join("documents")
                .join(format!("{DEADLINES_DOCUMENT}.txt")),
            DEADLINES_TEXT,
        )
        .expect("document");
        serve_data_dir(&data, &dir.join("zhengce.db"))
    })
}

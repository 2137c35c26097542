//! `zhengce serve` picks up a newly built database without a restart: when `zhengce load`
//! (or any rename) replaces the file, and on SIGHUP. Several threads send requests all the
//! while; not one may fail, each answer comes wholly from one database, and once a thread has
//! seen the new data it never sees the old again. A file that is not a database is refused
//! and the previous one stays served.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common::{
    assert_etag_of_dataset, assert_succeeded, binary, copy_data_dir, data_dir, database, header,
    request_at, scratch_dir, send, Server,
};

/// Documents of `data/` left out of the smaller corpora (they have no manifest entry).
const LEFT_OUT: [&str; 2] = [
    "hongkou-2020-online-new-economy-opinions",
    "chongqing-bigdata-2020-reply-0040",
];

/// A copy of `data/` without the first `leave_out` documents of [`LEFT_OUT`].
fn data_without(leave_out: usize, into: &Path) -> PathBuf {
    copy_data_dir(&into.join(format!("data-{leave_out}")), |path| {
        !path
            .file_stem()
            .is_some_and(|stem| LEFT_OUT[..leave_out].iter().any(|id| stem == *id))
    })
}

/// The three corpora (all of `data/`, one and two documents fewer): their data folders and
/// databases. The first is `data/` itself with the shared [`database`]; the others are built
/// once per test binary.
struct Corpora {
    data: Vec<PathBuf>,
    databases: Vec<PathBuf>,
}

fn corpora() -> &'static Corpora {
    static CORPORA: OnceLock<Corpora> = OnceLock::new();
    CORPORA.get_or_init(|| {
        let dir = scratch_dir("zhengce-reload-corpora-");
        let mut data = vec![data_dir()];
        let mut databases = vec![database().to_path_buf()];
        for leave_out in 1..=LEFT_OUT.len() {
            let folder = data_without(leave_out, &dir);
            let db = dir.join(format!("corpus-{leave_out}.db"));
            zhengce::db::load::load_data_dir(&folder, &db)
                .unwrap_or_else(|error| panic!("loading {} failed: {error}", folder.display()));
            data.push(folder);
            databases.push(db);
        }
        Corpora { data, databases }
    })
}

/// Number of documents of corpus `index`.
fn documents_of(index: usize) -> i64 {
    let all = std::fs::read_dir(data_dir().join("documents"))
        .expect("data/documents")
        .count();
    i64::try_from(all - index).expect("count")
}

/// Puts a copy of `source` at `target` the way `zhengce load` does: written beside it, then
/// renamed over it.
fn replace_by_rename(source: &Path, target: &Path) {
    let temporary = target.with_extension("db.new");
    std::fs::copy(source, &temporary).expect("copy the database");
    std::fs::rename(&temporary, target).expect("rename over the served file");
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

/// `meta.total` of `GET /v1/documents?limit=1`.
fn document_total(client: &reqwest::blocking::Client, base: &str) -> i64 {
    let list: serde_json::Value = client
        .get(format!("{base}/v1/documents?limit=1"))
        .send()
        .expect("documents answer")
        .json()
        .expect("JSON");
    list["meta"]["total"].as_i64().expect("meta.total")
}

/// Waits until the server answers with `documents` documents; returns how long it took.
fn wait_for_documents(base: &str, documents: i64) -> Duration {
    let client = client();
    let started = Instant::now();
    loop {
        if document_total(&client, base) == documents {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not serve {documents} documents within 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What the traffic threads saw.
#[derive(Default)]
struct Seen {
    requests: usize,
    failures: Vec<String>,
    slowest: Duration,
}

/// Threads sending requests until [`Traffic::finish`]: lists with counts and facets, a
/// search (a remembered ranking), an export, the downloads and the readiness probe.
struct Traffic {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<Seen>>,
}

const PATHS: [&str; 7] = [
    "/v1/documents?limit=2",
    "/v1/measures?limit=3&facet=role",
    "/v1/search?q=%E6%95%B0%E6%8D%AE",
    "/v1/measures?format=ndjson&limit=500",
    "/v1/agencies?limit=5",
    "/v1/downloads",
    "/ready",
];

impl Traffic {
    fn start(base: &str, threads: usize, documents: &'static [i64]) -> Traffic {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|thread| {
                let stop = stop.clone();
                let base = base.to_owned();
                std::thread::spawn(move || drive(&base, thread, &stop, documents))
            })
            .collect();
        Traffic { stop, threads }
    }

    fn finish(self) -> Seen {
        self.stop.store(true, Ordering::SeqCst);
        let mut seen = Seen::default();
        for thread in self.threads {
            let one = thread.join().expect("traffic thread");
            seen.requests += one.requests;
            seen.failures.extend(one.failures);
            seen.slowest = seen.slowest.max(one.slowest);
        }
        seen
    }
}

/// One traffic thread. `documents` lists the document counts of the databases in the order
/// they are served: a document list must show one of them, never one served before a count
/// this thread has already seen.
fn drive(base: &str, thread: usize, stop: &AtomicBool, documents: &[i64]) -> Seen {
    let client = client();
    let mut seen = Seen::default();
    let mut generation = 0;
    let mut turn = thread;
    while !stop.load(Ordering::SeqCst) {
        let path = PATHS[turn % PATHS.len()];
        turn += 1;
        let started = Instant::now();
        let result = client.get(format!("{base}{path}")).send();
        seen.requests += 1;
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                seen.failures.push(format!("{path}: {error}"));
                continue;
            }
        };
        let status = response.status().as_u16();
        let total_header = response
            .headers()
            .get("x-total-count")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok());
        let body = match response.bytes() {
            Ok(body) => body,
            Err(error) => {
                seen.failures.push(format!("{path}: body: {error}"));
                continue;
            }
        };
        seen.slowest = seen.slowest.max(started.elapsed());
        if status != 200 {
            seen.failures.push(format!(
                "{path}: {status} {}",
                String::from_utf8_lossy(&body)
            ));
            continue;
        }
        if path.contains("format=ndjson") {
            let lines = body.split(|byte| *byte == b'\n').filter(|l| !l.is_empty());
            if Some(lines.count()) != total_header {
                seen.failures.push(format!(
                    "{path}: X-Total-Count {total_header:?} but another number of lines"
                ));
            }
            continue;
        }
        let json: serde_json::Value = match serde_json::from_slice(&body) {
            Ok(json) => json,
            Err(error) => {
                seen.failures.push(format!("{path}: not JSON: {error}"));
                continue;
            }
        };
        if path.starts_with("/v1/documents") {
            let total = json["meta"]["total"].as_i64().unwrap_or(-1);
            match documents.iter().position(|count| *count == total) {
                Some(index) if index >= generation => generation = index,
                Some(index) => seen.failures.push(format!(
                    "{path}: {total} documents (database {index}) after database {generation}"
                )),
                None => seen.failures.push(format!(
                    "{path}: {total} documents, expected one of {documents:?}"
                )),
            }
        }
    }
    seen
}

fn report(name: &str, seen: &Seen) {
    eprintln!(
        "{name}: {} requests, {} failed, slowest {} ms",
        seen.requests,
        seen.failures.len(),
        seen.slowest.as_millis()
    );
    assert!(
        seen.failures.is_empty(),
        "{} of {} requests failed: {:#?}",
        seen.failures.len(),
        seen.requests,
        &seen.failures[..seen.failures.len().min(20)]
    );
    assert!(seen.requests > 50, "too little traffic: {}", seen.requests);
}

#[test]
fn a_database_replaced_by_zhengce_load_is_served_without_a_failed_request() {
    static COUNTS: OnceLock<[i64; 3]> = OnceLock::new();
    let counts = COUNTS.get_or_init(|| [documents_of(0), documents_of(1), documents_of(2)]);
    let corpora = corpora();
    let dir = scratch_dir("zhengce-reload-load-");
    let served = dir.join("zhengce.db");
    std::fs::copy(&corpora.databases[0], &served).expect("copy the first database");
    let server = Server::start(&served, &[]);
    let client = client();
    assert_eq!(document_total(&client, &server.base), counts[0]);

    // Validators of the first data.
    let first = send(&server.base, "GET", "/v1/documents", &[]);
    let first_etag = header(&first, "etag").to_owned();
    assert!(!first_etag.is_empty(), "ETag");

    let traffic = Traffic::start(&server.base, 4, counts);
    std::thread::sleep(Duration::from_millis(500));

    // `zhengce load` writes the smaller corpus over the served file.
    let output = binary()
        .arg("load")
        .arg("--data")
        .arg(&corpora.data[1])
        .arg("--db")
        .arg(&served)
        .output()
        .expect("zhengce load runs");
    assert_succeeded(&output);
    let picked_up = wait_for_documents(&server.base, counts[1]);
    eprintln!(
        "new database served {} ms after zhengce load finished",
        picked_up.as_millis()
    );

    // A file that is not a database is refused; the one served stays.
    std::thread::sleep(Duration::from_millis(300));
    let garbage = dir.join("garbage.db");
    std::fs::write(&garbage, b"this is not an SQLite database").expect("garbage");
    std::fs::rename(&garbage, &served).expect("rename garbage over the served file");
    server.wait_until_logged(
        "cannot serve the new",
        "the refused file is not reported in the log",
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(document_total(&client, &server.base), counts[1]);

    // A rename of the next database is picked up as well.
    replace_by_rename(&corpora.databases[2], &served);
    let picked_up = wait_for_documents(&server.base, counts[2]);
    eprintln!(
        "renamed database served {} ms after the rename",
        picked_up.as_millis()
    );
    std::thread::sleep(Duration::from_millis(500));
    let seen = traffic.finish();
    report("zhengce load, garbage, rename", &seen);

    // The validators follow the data: the old ETag no longer matches, the new one does.
    let revalidate = |etag: &str| {
        send(
            &server.base,
            "GET",
            "/v1/documents",
            &[("If-None-Match", etag)],
        )
    };
    let old = revalidate(&first_etag);
    assert_eq!(old.status, 200, "an ETag of the old data matched");
    let new_etag = header(&old, "etag").to_owned();
    assert!(!new_etag.is_empty(), "ETag");
    assert_ne!(new_etag, first_etag);
    assert_eq!(revalidate(&new_etag).status, 304);
    assert_eq!(request_at(&server.base, "GET", "/ready").status, 200);
    let downloads = request_at(&server.base, "GET", "/v1/downloads").json();
    assert_etag_of_dataset(&new_etag, &downloads["meta"]["dataset_version"]);

    // Old databases are closed once their requests are done.
    server.wait_until_logged(
        "closed the database of dataset",
        "no replaced database was closed",
    );
    server.stop();
}

#[test]
fn sighup_serves_the_database_file_again_without_a_failed_request() {
    static COUNTS: OnceLock<[i64; 2]> = OnceLock::new();
    let counts = COUNTS.get_or_init(|| [documents_of(0), documents_of(1)]);
    let corpora = corpora();
    let dir = scratch_dir("zhengce-reload-hup-");
    let served = dir.join("zhengce.db");
    std::fs::copy(&corpora.databases[0], &served).expect("copy the first database");
    // No polling: only SIGHUP reloads.
    let server = Server::start(&served, &["--reload-interval", "0"]);
    assert!(server.logged("on SIGHUP"));
    let traffic = Traffic::start(&server.base, 4, counts);
    std::thread::sleep(Duration::from_millis(500));

    replace_by_rename(&corpora.databases[1], &served);
    std::thread::sleep(Duration::from_millis(2000));
    let client = client();
    assert_eq!(
        document_total(&client, &server.base),
        counts[0],
        "without polling the file is not reloaded before SIGHUP"
    );

    let sent = Instant::now();
    server.signal("HUP");
    let picked_up = wait_for_documents(&server.base, counts[1]);
    eprintln!(
        "new database served {} ms after SIGHUP",
        picked_up.max(sent.elapsed()).as_millis()
    );

    // SIGHUP with the same file opens it again; nothing changes for clients.
    std::thread::sleep(Duration::from_millis(300));
    server.signal("HUP");
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(document_total(&client, &server.base), counts[1]);
    let seen = traffic.finish();
    report("SIGHUP", &seen);
    server.stop();
}

#[test]
fn a_database_of_another_schema_is_refused_naming_the_migrations() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;

    let corpora = corpora();
    let dir = scratch_dir("zhengce-reload-schema-");
    let open = |path: &Path| {
        zhengce::api::reload::open_generation(path, 1, zhengce::api::startup::AppState::new)
            .map(|_| ())
            .map_err(|error| error.to_string())
    };
    let alter = |name: &str, sql: &str| {
        let path = dir.join(name);
        std::fs::copy(&corpora.databases[0], &path).expect("copy the database");
        let mut conn =
            diesel::SqliteConnection::establish(&path.display().to_string()).expect("open");
        conn.batch_execute(sql).expect("alter the migrations table");
        path
    };
    assert_eq!(open(&corpora.databases[0]), Ok(()));

    let older = alter(
        "older.db",
        "DELETE FROM __diesel_schema_migrations \
         WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)",
    );
    let error = open(&older).expect_err("a database without the last migration");
    assert!(
        error.contains("older.db") && error.contains("migrations missing"),
        "{error}"
    );

    let newer = alter(
        "newer.db",
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('99991231000000')",
    );
    let error = open(&newer).expect_err("a database with a migration unknown to this build");
    assert!(
        error.contains("unknown to this build") && error.contains("99991231000000"),
        "{error}"
    );
}

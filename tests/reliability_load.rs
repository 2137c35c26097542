//! Faults in loading and serving, through the `zhengce` binary as an operator runs it: a
//! document that cannot be read, a truncated file, a gazetteer with a duplicate alias and a
//! loader killed with SIGKILL mid-write all leave the previous database in place and intact;
//! a missing or corrupt database gives a clear startup error.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

fn real_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A copy of the real data folder to break.
fn data_copy(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("documents")).unwrap();
    for entry in std::fs::read_dir(real_data()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
        }
    }
    for entry in std::fs::read_dir(real_data().join("documents")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            data.join("documents").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    data
}

fn sha256(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

fn load(data: &Path, db: &Path) -> std::process::Output {
    binary()
        .args(["load", "--data"])
        .arg(data)
        .arg("--db")
        .arg(db)
        .output()
        .expect("zhengce load runs")
}

fn integrity_ok(db: &Path) -> bool {
    let output = Command::new("sqlite3")
        .arg(db)
        .arg("PRAGMA integrity_check;")
        .output();
    match output {
        Ok(output) => String::from_utf8_lossy(&output.stdout).trim() == "ok",
        // Without the sqlite3 shell, check through diesel.
        Err(_) => {
            use diesel::prelude::*;
            #[derive(QueryableByName)]
            struct Check {
                #[diesel(sql_type = diesel::sql_types::Text)]
                integrity_check: String,
            }
            let mut conn = SqliteConnection::establish(&db.display().to_string()).unwrap();
            let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
                .load(&mut conn)
                .unwrap();
            rows.len() == 1 && rows[0].integrity_check == "ok"
        }
    }
}

/// A database built from the real data, and its hash.
fn good_database(dir: &Path) -> (PathBuf, String) {
    let db = dir.join("zhengce.db");
    let output = load(&real_data(), &db);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hash = sha256(&db);
    (db, hash)
}

fn assert_failed_naming(output: &std::process::Output, needles: &[&str]) {
    assert!(!output.status.success(), "the load should fail");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "error {stderr:?} should name {needle:?}"
        );
    }
}

#[test]
fn invalid_bytes_in_a_document_fail_the_load_and_keep_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db, hash) = good_database(dir.path());
    let data = data_copy(dir.path());
    std::fs::write(
        data.join("documents/broken-2020-plan.txt"),
        [0xff, 0xfe, 0x00, 0x81, 0x20, 0xc3],
    )
    .unwrap();
    let output = load(&data, &db);
    assert_failed_naming(&output, &["broken-2020-plan.txt", "UTF-8"]);
    assert_eq!(sha256(&db), hash);
    assert!(integrity_ok(&db));
}

#[test]
fn a_file_truncated_inside_a_character_fails_the_load_and_keeps_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db, hash) = good_database(dir.path());
    let data = data_copy(dir.path());
    let path = data.join("documents/yubei-2020-online-economy-plan.txt");
    let bytes = std::fs::read(&path).unwrap();
    // Cut one byte into a three-byte character.
    let cut = (1000..bytes.len()).find(|&i| bytes[i] >= 0xE0).unwrap() + 1;
    std::fs::write(&path, &bytes[..cut]).unwrap();
    let output = load(&data, &db);
    assert_failed_naming(&output, &["yubei-2020-online-economy-plan.txt"]);
    assert_eq!(sha256(&db), hash);
}

#[test]
fn a_duplicate_alias_in_the_gazetteer_fails_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let (db, hash) = good_database(dir.path());
    let data = data_copy(dir.path());
    let mut gazetteer = std::fs::read_to_string(data.join("agencies.toml")).unwrap();
    gazetteer.push_str(
        "\n[[agency]]\nid = \"yubei-duplicate\"\njurisdiction = \"chongqing-yubei\"\nname = \"重庆市渝北区另一个委员会\"\naliases = [\"区商务委\"]\nkind = \"government_department\"\n",
    );
    std::fs::write(data.join("agencies.toml"), gazetteer).unwrap();
    let output = load(&data, &db);
    assert_failed_naming(&output, &["agencies.toml:", "区商务委"]);
    assert_eq!(sha256(&db), hash);
}

#[test]
fn a_loader_killed_mid_write_leaves_the_previous_database_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (db, hash) = good_database(dir.path());
    // A corpus large enough that the write takes a while.
    let synthetic = dir.path().join("synthetic");
    let output = binary()
        .args(["synth", "--documents", "120", "--seed", "3", "--out"])
        .arg(&synthetic)
        .arg("--data")
        .arg(real_data())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut killed_mid_write = 0;
    for attempt in 0..3 {
        let mut child = binary()
            .args(["load", "--data"])
            .arg(&synthetic)
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the temporary database exists (the write has begun), then kill.
        let started = Instant::now();
        let temp_exists = || {
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(Result::ok)
                .any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(".zhengce.db.tmp")
                })
        };
        while !temp_exists() && started.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(20 * attempt));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL on Unix
        let _ = child.wait();
        if still_running && temp_exists() {
            killed_mid_write += 1;
        }
        assert_eq!(sha256(&db), hash, "attempt {attempt}: the database changed");
        assert!(
            integrity_ok(&db),
            "attempt {attempt}: integrity check failed"
        );
        for entry in std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
        {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(".zhengce.db.tmp")
            {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
    }
    assert!(
        killed_mid_write > 0,
        "no kill landed while the temporary database was being written"
    );

    // And a complete load afterwards replaces it.
    let output = load(&synthetic, &db);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_ne!(sha256(&db), hash);
    assert!(integrity_ok(&db));
}

fn serve_error(db: &Path) -> String {
    let mut child = binary()
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(Path::new("/nonexistent-data-folder"))
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success(), "serve should refuse to start");
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return stderr;
        }
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("serve kept running on a bad database");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_corrupt_database_is_a_clear_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corrupt.db");
    std::fs::write(&db, b"SQLite format 3\0 this is not a real database page").unwrap();
    let error = serve_error(&db);
    assert!(error.contains("corrupt.db"), "{error}");
    assert!(!error.contains("panicked"), "{error}");
}

#[test]
fn a_missing_database_without_data_is_a_clear_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("missing.db");
    let error = serve_error(&db);
    assert!(
        error.contains("nonexistent-data-folder") || error.contains("missing.db"),
        "{error}"
    );
    assert!(!error.contains("panicked"), "{error}");
    assert!(!db.exists(), "no database is left behind");
}

//! The schema migrations run down as well as up: every `down.sql` undoes its `up.sql`, so
//! that reverting all of them leaves an empty database and running them again gives the
//! same schema.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;

use zhengce::db::MIGRATIONS;

#[derive(QueryableByName)]
struct SchemaRow {
    #[diesel(sql_type = Text)]
    entry: String,
}

/// Every table, index and column of the database, as text, in a stable order.
fn schema(conn: &mut SqliteConnection) -> Vec<String> {
    diesel::sql_query(
        "SELECT m.type || ' ' || m.name || COALESCE(' ' || p.name || ' ' || p.type || \
         CASE WHEN p.\"notnull\" THEN ' not null' ELSE '' END, '') AS entry \
         FROM sqlite_schema m LEFT JOIN pragma_table_info(m.name) p ON m.type = 'table' \
         WHERE m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%' \
         AND m.name NOT LIKE 'search_fts_%' ORDER BY m.type, m.name, p.cid",
    )
    .load::<SchemaRow>(conn)
    .expect("schema")
    .into_iter()
    .map(|row| row.entry)
    .collect()
}

/// A new database file with every migration run, in a temporary folder that lives as long as
/// the first value.
fn migrated_database() -> (tempfile::TempDir, SqliteConnection) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("migrations.db");
    let mut conn =
        SqliteConnection::establish(&path.display().to_string()).expect("create database");
    conn.run_pending_migrations(MIGRATIONS).expect("up");
    (dir, conn)
}

/// Reverts migrations, the latest first, down to and including the one whose version (its
/// name's date and number, without dashes) starts with `version`.
fn revert_through(conn: &mut SqliteConnection, version: &str) {
    loop {
        let reverted = conn.revert_last_migration(MIGRATIONS).expect("down one");
        if reverted.to_string().replace('-', "").starts_with(version) {
            break;
        }
    }
}

#[test]
fn every_migration_reverts_and_runs_again() {
    let (_dir, mut conn) = migrated_database();
    let up = schema(&mut conn);
    assert!(
        up.iter().any(|e| e == "table jurisdictions code TEXT"),
        "{up:#?}"
    );
    assert!(
        up.iter().any(|e| e == "index jurisdictions_code"),
        "{up:#?}"
    );
    assert!(
        up.iter()
            .any(|e| e == "table agencies origin TEXT not null"),
        "{up:#?}"
    );

    conn.revert_all_migrations(MIGRATIONS).expect("down");
    assert_eq!(
        schema(&mut conn),
        Vec::<String>::new(),
        "down leaves nothing"
    );

    conn.run_pending_migrations(MIGRATIONS).expect("up again");
    assert_eq!(schema(&mut conn), up, "up again gives the same schema");
}

#[test]
fn agencies_written_before_their_origin_was_kept_take_it_from_resolved() {
    let (_dir, mut conn) = migrated_database();
    // Down to just before the migration that added `origin`.
    revert_through(&mut conn, "20261125000005");
    conn.batch_execute(
        "INSERT INTO agencies (id, jurisdiction_id, name, name_en, kind, resolved, note) VALUES \
         ('a', NULL, 'A', NULL, 'government', 1, NULL), \
         ('b', NULL, 'B', NULL, 'unknown', 0, NULL)",
    )
    .expect("insert");
    conn.run_pending_migrations(MIGRATIONS).expect("up again");
    let origins: Vec<(String, String)> = zhengce::db::schema::agencies::table
        .select((
            zhengce::db::schema::agencies::id,
            zhengce::db::schema::agencies::origin,
        ))
        .order(zhengce::db::schema::agencies::id)
        .load(&mut conn)
        .expect("origins");
    assert_eq!(
        origins,
        [
            ("a".to_owned(), "gazetteer".to_owned()),
            ("b".to_owned(), "provisional".to_owned())
        ]
    );
}

#[test]
fn the_link_tables_are_their_primary_key_b_trees() {
    let (_dir, mut conn) = migrated_database();
    for table in ["measure_agencies", "measure_themes", "deadlines"] {
        let sql: Vec<SchemaRow> = diesel::sql_query(
            "SELECT sql AS entry FROM sqlite_schema WHERE type = 'table' AND name = ?",
        )
        .bind::<Text, _>(table)
        .load(&mut conn)
        .expect("schema of the table");
        assert_eq!(sql.len(), 1, "{table} exists");
        assert!(
            sql[0].entry.trim_end().ends_with("WITHOUT ROWID"),
            "{table}: {}",
            sql[0].entry
        );
    }
}

#[derive(QueryableByName)]
struct LinkCopies {
    #[diesel(sql_type = Text)]
    agencies: String,
    #[diesel(sql_type = Text)]
    deadlines: String,
}

/// The `agencies` and `deadlines` columns of the one measure, as JSON values.
fn link_copies(conn: &mut SqliteConnection) -> (serde_json::Value, serde_json::Value) {
    let row: LinkCopies = diesel::sql_query("SELECT agencies, deadlines FROM measures")
        .get_result(conn)
        .expect("the measure");
    let parse = |text: &str| serde_json::from_str(text).expect("JSON");
    (parse(&row.agencies), parse(&row.deadlines))
}

#[test]
fn link_copies_written_as_objects_become_arrays_and_back() {
    let (_dir, mut conn) = migrated_database();
    // Down to just before the migration that writes the links as arrays.
    revert_through(&mut conn, "20261203000001");
    let objects = (
        serde_json::json!([
            {"id": "a", "role": "lead", "raw_name": "区发展改革委", "start": 10, "end": 28,
             "line_start": 2, "line_end": 2},
            {"id": "b", "role": "cooperating", "raw_name": "区财政局", "start": 31, "end": 43,
             "line_start": 2, "line_end": 3}
        ]),
        serde_json::json!([
            {"text": "2021年底前", "date": "2021-12-31", "start": 0, "end": 14,
             "line_start": 1, "line_end": 1},
            {"text": "长期", "date": null, "start": 50, "end": 56,
             "line_start": 4, "line_end": 4}
        ]),
    );
    // The measure alone: its document and provision do not matter to the migration.
    conn.batch_execute(&format!(
        "PRAGMA foreign_keys = OFF; INSERT INTO measures (id, document_id, provision_id, ordinal, number, label, title, \
         text, path, annotation, span_start, span_end, line_start, line_end, agencies, themes, \
         deadlines) VALUES ('m', 'd', 'm', 1, 1, '1.', NULL, 'text', '[]', NULL, 0, 60, 1, 4, \
         '{}', '[\"t\"]', '{}')",
        objects.0, objects.1
    ))
    .expect("insert");

    conn.run_pending_migrations(MIGRATIONS).expect("up again");
    assert_eq!(
        link_copies(&mut conn),
        (
            serde_json::json!([
                ["a", "lead", "区发展改革委", 10, 28, 2, 2],
                ["b", "cooperating", "区财政局", 31, 43, 2, 3]
            ]),
            serde_json::json!([
                ["2021年底前", "2021-12-31", 0, 14, 1, 1],
                ["长期", null, 50, 56, 4, 4]
            ])
        )
    );

    revert_through(&mut conn, "20261203000001");
    assert_eq!(link_copies(&mut conn), objects);
}

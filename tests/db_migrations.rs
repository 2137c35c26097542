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
    loop {
        let reverted = conn.revert_last_migration(MIGRATIONS).expect("down one");
        if reverted
            .to_string()
            .replace('-', "")
            .starts_with("20261125000005")
        {
            break;
        }
    }
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

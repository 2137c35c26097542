//! Fuzz target: any query text is parsed into a safe query or refused with a message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengce::db::search::{compile, parse_query};

fuzz_target!(|text: &str| {
    if let Ok(expr) = parse_query(text) {
        let compiled = compile(&expr);
        // Every FTS5 expression is a column filter and a quoted phrase of generated tokens.
        // FTS5 binds start with the gram columns; the others are plain text for instr().
        let fts_binds = compiled
            .binds
            .iter()
            .filter_map(|bind| bind.strip_prefix("{title_grams body_grams} : "));
        for phrase in fts_binds {
            assert!(phrase.starts_with('"') && phrase.ends_with('"'));
            assert!(phrase
                .trim_matches('"')
                .chars()
                .all(|c| c == ' ' || c.is_alphanumeric()));
        }
    }
});

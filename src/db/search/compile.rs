//! A parsed query as SQL over the view `search_texts`: the conditions that decide which
//! records match, and the FTS5 expressions that rank them. User text never reaches FTS5
//! syntax: every term becomes a quoted phrase of generated tokens.

use super::{positive_terms, Expr, DOCUMENT_ENTRY_KINDS};
use crate::corpus::decode::is_han;
use crate::corpus::tokens::{gram_field, grams, grams_are_exact, word_field, Gram};

/// A query compiled to SQL over the view `search_texts` aliased `sd`, with its bind values in
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledQuery {
    /// Boolean condition on `sd`.
    pub condition: String,
    /// Bind values for `condition`, in order.
    pub binds: Vec<String>,
    /// The query over a whole document: each term holds when the document's header, or one
    /// of its measures or goals, contains it (so `医疗 -互联网` is a document that mentions
    /// 医疗 somewhere and 互联网 nowhere). The document id expression stands as
    /// [`DOCUMENT`]; see [`CompiledQuery::document_condition_on`].
    pub document_condition: String,
    /// Bind values for `document_condition`, in order.
    pub document_binds: Vec<String>,
    /// FTS5 expression over all positive terms, for bm25 ranking (`None` when no positive
    /// term is indexable).
    pub rank_match: Option<String>,
    /// FTS5 expression matching positive terms in titles only.
    pub title_match: Option<String>,
    /// Positive terms, for highlighting.
    pub terms: Vec<String>,
}

/// Where the document id expression stands in [`CompiledQuery::document_condition`].
pub const DOCUMENT: &str = "{document}";

impl CompiledQuery {
    /// [`CompiledQuery::document_condition`] over the document id expression `id`.
    pub fn document_condition_on(&self, id: &str) -> String {
        self.document_condition.replace(DOCUMENT, id)
    }
}

/// FTS5 phrase of a term's grams, restricted to the gram columns of `columns`.
fn gram_phrase(term: &str, columns: &str) -> String {
    format!("{{{columns}}} : \"{}\"", gram_field(term))
}

/// Compiles a parsed query.
pub fn compile(expr: &Expr) -> CompiledQuery {
    let mut binds = Vec::new();
    let condition = compile_expr(expr, &mut binds, &|term| term.to_owned());
    let mut document_binds = Vec::new();
    let kinds = DOCUMENT_ENTRY_KINDS
        .map(|kind| format!("'{}'", kind.as_str()))
        .join(", ");
    let document_condition = compile_expr(expr, &mut document_binds, &|term| {
        format!(
            "{DOCUMENT} IN (SELECT sd.document_id FROM search_texts sd \
             WHERE sd.kind IN ({kinds}) AND {term})"
        )
    });
    let terms = positive_terms(expr);
    let exact: Vec<&String> = terms.iter().filter(|term| grams_are_exact(term)).collect();
    let rank_match = (!exact.is_empty()).then(|| {
        exact
            .iter()
            .flat_map(|term| {
                let mut parts = vec![gram_phrase(term, "title_grams body_grams")];
                let words = word_field(term);
                if !words.is_empty() {
                    parts.push(format!("{{title_words body_words}} : \"{words}\""));
                }
                parts
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    });
    let title_match = (!exact.is_empty()).then(|| {
        exact
            .iter()
            .map(|term| gram_phrase(term, "title_grams"))
            .collect::<Vec<_>>()
            .join(" OR ")
    });
    CompiledQuery {
        condition,
        binds,
        document_condition,
        document_binds,
        rank_match,
        title_match,
        terms,
    }
}

/// The condition of `expr`, each term's condition on an entry passed through `wrap`.
fn compile_expr(expr: &Expr, binds: &mut Vec<String>, wrap: &dyn Fn(&str) -> String) -> String {
    match expr {
        Expr::And(items) | Expr::Or(items) => {
            let joiner = if matches!(expr, Expr::And(_)) {
                " AND "
            } else {
                " OR "
            };
            let parts: Vec<String> = items
                .iter()
                .map(|item| compile_expr(item, binds, wrap))
                .collect();
            format!("({})", parts.join(joiner))
        }
        Expr::Not(inner) => format!("NOT {}", compile_expr(inner, binds, wrap)),
        Expr::Term(term) if index_decides(term) => {
            // One bigram or one Latin word: its token is in the index exactly when the text
            // contains the term, so no text needs reading.
            binds.push(gram_phrase(term, "title_grams body_grams"));
            wrap("sd.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)")
        }
        Expr::Term(term) if grams_are_exact(term) => {
            // The index narrows to candidates; the display text confirms the exact string
            // (grams drop symbols such as the `+` of `互联网+`, and spaces).
            binds.push(gram_phrase(term, "title_grams body_grams"));
            binds.push(term.to_ascii_lowercase());
            wrap(
                "(sd.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) \
                 AND instr(lower(sd.title || char(10) || sd.body), ?) > 0)",
            )
        }
        Expr::Term(term) => {
            // A lone Han character (or one beside a Latin word) is not a whole bigram: scan
            // the display text instead, which is exact and, for such short terms, still fast
            // enough.
            binds.push(term.to_ascii_lowercase());
            wrap("instr(lower(sd.title || char(10) || sd.body), ?) > 0")
        }
    }
}

/// Whether the index alone decides whether a text contains the term: the term is a single
/// gram — two Han characters, or one Latin/digit word — and nothing else, so its token is in
/// a text's gram stream exactly when the text contains it (a Latin word as a whole word, as
/// everywhere in the index).
fn index_decides(term: &str) -> bool {
    let single = match grams(term).as_slice() {
        [Gram::Han(pair)] => pair.chars().count() == 2,
        [Gram::Word(_)] => true,
        _ => false,
    };
    single
        && term
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || (is_han(c) && c.is_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::search::parse_query;

    fn terms(expr: &Expr) -> Vec<String> {
        positive_terms(expr)
    }

    #[test]
    fn unsafe_inputs_give_terms_or_clear_errors() {
        for query in [
            "covid-19",
            "a\"b",
            "医疗:",
            "互联网+",
            "5G",
            "O2O",
            "NEAR(a b)",
            "医疗*",
            "{title}:x",
        ] {
            let expr = parse_query(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            let compiled = compile(&expr);
            assert!(!terms(&expr).is_empty(), "{query}");
            // Bind values are generated token phrases, never raw user syntax.
            let fts_binds = compiled
                .binds
                .iter()
                .filter_map(|bind| bind.strip_prefix("{title_grams body_grams} : "));
            for phrase in fts_binds {
                let inner = phrase.trim_matches('"');
                assert!(
                    inner.chars().all(|c| c == ' ' || c.is_alphanumeric()),
                    "{query}: {phrase}"
                );
            }
        }
        // Found by fuzzing: an unassigned code point inside the Han compatibility block.
        let compiled = compile(&parse_query("\"\" `O\"\u{fae5}线").unwrap());
        for bind in compiled
            .binds
            .iter()
            .filter(|bind| bind.starts_with("{title_grams"))
        {
            assert!(!bind.contains('\u{fae5}'), "{bind}");
        }
        for query in ["", "   ", "*", "\"\"", "-医疗", ":::"] {
            assert!(parse_query(query).is_err(), "{query:?} should be refused");
        }
        assert!(parse_query(&"医".repeat(1001)).is_err());
        // Repeated words count once.
        assert_eq!(
            parse_query(&"在线医疗 教育 ".repeat(125)),
            parse_query("在线 医疗 教育")
        );
    }

    #[test]
    fn the_index_alone_decides_single_grams() {
        for term in ["医疗", "5G", "app", "O2O"] {
            assert!(index_decides(term), "{term}");
        }
        for term in [
            "医",
            "医疗卫生",
            "互联网+",
            "5G网络",
            "快5G",
            "a b",
            " 医疗",
        ] {
            assert!(!index_decides(term), "{term}");
        }
        let compiled = compile(&parse_query("医疗").unwrap());
        assert!(
            !compiled.condition.contains("instr"),
            "{}",
            compiled.condition
        );
    }
}

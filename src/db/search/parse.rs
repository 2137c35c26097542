//! The query language: plain words are segmented by jieba and AND-ed; `"quoted phrase"` is
//! one exact phrase; `A OR B`; `-word` excludes.

use crate::corpus::tokens::query_words;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// Most terms a query may hold after segmentation.
pub const MAX_TERMS: usize = 256;

/// A query that cannot be answered, with a message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SearchError(pub String);

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// All must match.
    And(Vec<Expr>),
    /// Any must match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
    /// A string the record's text must contain.
    Term(String),
}

/// Lexical items of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Plain(String),
    Phrase(String),
    Or,
}

/// Splits a query into its lexemes (plain words, quoted phrases and `OR`), each with whether
/// a leading `-` excludes it; a `-` followed by a space excludes nothing.
fn lex(query: &str) -> Vec<(bool, Lexeme)> {
    let mut lexemes = Vec::new();
    let chars: Vec<char> = query.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c.is_whitespace() {
            index += 1;
            continue;
        }
        let negated = (c == '-' || c == '－')
            && chars
                .get(index + 1)
                .is_some_and(|next| !next.is_whitespace());
        if negated {
            index += 1;
        }
        if matches!(chars.get(index), Some('"' | '“' | '”')) {
            // A quoted phrase; an unbalanced quote runs to the end of the query.
            index += 1;
            let start = index;
            while index < chars.len() && !matches!(chars[index], '"' | '“' | '”') {
                index += 1;
            }
            let phrase: String = chars[start..index].iter().collect();
            index += 1;
            lexemes.push((negated, Lexeme::Phrase(phrase)));
            continue;
        }
        let start = index;
        while index < chars.len()
            && !chars[index].is_whitespace()
            && !matches!(chars[index], '"' | '“' | '”')
        {
            index += 1;
        }
        let word: String = chars[start..index].iter().collect();
        if word == "OR" && !negated {
            lexemes.push((false, Lexeme::Or));
        } else {
            lexemes.push((negated, Lexeme::Plain(word)));
        }
    }
    lexemes
}

/// Whether a string holds anything the index can find (Han characters, letters or digits).
fn searchable(text: &str) -> bool {
    text.chars().any(|c| c.is_alphanumeric())
}

/// Turns one lexeme into an expression: a phrase is one term; a plain word is split by jieba
/// into terms that are AND-ed. `None` when nothing searchable is left.
fn lexeme_expr(lexeme: &Lexeme) -> Option<Expr> {
    match lexeme {
        Lexeme::Phrase(text) => searchable(text).then(|| Expr::Term(text.trim().to_string())),
        Lexeme::Plain(text) => {
            let words: Vec<Expr> = query_words(text)
                .into_iter()
                .filter(|word| searchable(word))
                .map(Expr::Term)
                .collect();
            match words.len() {
                0 => None,
                1 => words.into_iter().next(),
                _ => Some(Expr::And(words)),
            }
        }
        Lexeme::Or => None,
    }
}

/// Parses a query. Plain words AND, `OR` between two items, `-item` excludes, quotes make a
/// phrase. Errors say what is wrong in words a user understands.
pub fn parse_query(query: &str) -> Result<Expr, SearchError> {
    let length = query.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(SearchError(format!(
            "the query has {length} characters; at most {MAX_QUERY_CHARS} are accepted"
        )));
    }
    if query.trim().is_empty() {
        return Err(SearchError(
            "the query is empty; give at least one word to search for".into(),
        ));
    }
    let mut items = and_items(or_groups(query));
    if items.is_empty() {
        return Err(SearchError(
            "the query has no searchable characters (letters, digits or Chinese characters)".into(),
        ));
    }
    let terms = count_terms(&Expr::And(items.clone()));
    if terms > MAX_TERMS {
        return Err(SearchError(format!(
            "the query has {terms} terms; at most {MAX_TERMS} are accepted"
        )));
    }
    if !has_positive(&Expr::And(items.clone())) {
        return Err(SearchError(
            "the query only excludes (-word); add at least one word to search for".into(),
        ));
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::And(items)
    })
}

/// The items of a query joined by `OR`, group by group; the groups are AND-ed.
fn or_groups(query: &str) -> Vec<Vec<Expr>> {
    let mut groups: Vec<Vec<Expr>> = Vec::new();
    let mut pending_or = false;
    for (negated, lexeme) in lex(query) {
        if lexeme == Lexeme::Or {
            pending_or = !groups.is_empty();
            continue;
        }
        let Some(expr) = lexeme_expr(&lexeme) else {
            continue;
        };
        let expr = if negated {
            Expr::Not(Box::new(expr))
        } else {
            expr
        };
        match groups.last_mut() {
            Some(group) if pending_or => group.push(expr),
            _ => groups.push(vec![expr]),
        }
        pending_or = false;
    }
    groups
}

/// The AND-ed items of the groups, the words of plain text flattened in, each once (a pasted
/// paragraph repeats words; repeating a condition changes nothing).
fn and_items(groups: Vec<Vec<Expr>>) -> Vec<Expr> {
    let mut items: Vec<Expr> = Vec::new();
    for mut group in groups {
        let item = if group.len() == 1 {
            group.remove(0)
        } else {
            Expr::Or(group)
        };
        let parts = match item {
            Expr::And(parts) => parts,
            other => vec![other],
        };
        for part in parts {
            if !items.contains(&part) {
                items.push(part);
            }
        }
    }
    items
}

/// The number of terms of `expr`, the excluded ones included.
fn count_terms(expr: &Expr) -> usize {
    match expr {
        Expr::And(items) | Expr::Or(items) => items.iter().map(count_terms).sum(),
        Expr::Not(inner) => count_terms(inner),
        Expr::Term(_) => 1,
    }
}

/// Whether `expr` can match on a term it contains rather than only on terms it excludes.
fn has_positive(expr: &Expr) -> bool {
    match expr {
        Expr::And(items) => items.iter().any(has_positive),
        Expr::Or(items) => items.iter().all(has_positive),
        Expr::Not(_) => false,
        Expr::Term(_) => true,
    }
}

/// The positive terms of a query (for ranking and highlighting).
pub fn positive_terms(expr: &Expr) -> Vec<String> {
    match expr {
        Expr::And(items) | Expr::Or(items) => items.iter().flat_map(positive_terms).collect(),
        Expr::Not(_) => Vec::new(),
        Expr::Term(term) => vec![term.clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_and_ed() {
        let expr = parse_query("医疗 教育").unwrap();
        assert_eq!(
            expr,
            Expr::And(vec![Expr::Term("医疗".into()), Expr::Term("教育".into())])
        );
    }

    #[test]
    fn or_binds_neighbours_and_minus_excludes() {
        let expr = parse_query("医疗 OR 教育 -金融").unwrap();
        assert_eq!(
            expr,
            Expr::And(vec![
                Expr::Or(vec![Expr::Term("医疗".into()), Expr::Term("教育".into())]),
                Expr::Not(Box::new(Expr::Term("金融".into()))),
            ])
        );
    }

    #[test]
    fn quoted_phrase_is_one_term_and_unbalanced_quote_runs_to_the_end() {
        assert_eq!(
            parse_query("\"线上业\"").unwrap(),
            Expr::Term("线上业".into())
        );
        assert_eq!(
            parse_query("\"在线医疗").unwrap(),
            Expr::Term("在线医疗".into())
        );
    }
}

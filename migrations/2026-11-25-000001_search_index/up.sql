-- Full-text search. Display text lives in search_docs; the contentless FTS5 table holds only
-- tokens computed by zhengce (jieba search-mode words and character bigrams, see
-- src/corpus/tokens.rs), space-separated, so SQLite's tokenizer only splits on spaces.

CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY NOT NULL,    -- rowid of the entry in search_fts
    kind TEXT NOT NULL,                 -- measure | document | goal | agency
    record_id TEXT NOT NULL,
    document_id TEXT,                   -- the record's document (measures, goals, documents)
    title TEXT NOT NULL,                -- display title (may be empty)
    body TEXT NOT NULL                  -- display text
);
CREATE UNIQUE INDEX search_docs_record ON search_docs(kind, record_id);

CREATE VIRTUAL TABLE search_fts USING fts5(
    title_words,
    body_words,
    title_grams,
    body_grams,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);

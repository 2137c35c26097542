-- Loading and serving at scale (tens of thousands of documents, millions of rows).

-- The search index holds tokens made by zhengce (src/corpus/tokens.rs): Han characters and
-- lower-case ASCII letters and digits, separated by spaces. The `ascii` tokenizer splits such
-- text into exactly the tokens `unicode61` gives, at a fraction of the cost when loading.
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_words,
    body_words,
    title_grams,
    body_grams,
    content = '',
    tokenize = 'ascii'
);

-- Measure lists in their default order (document, ordinal, then id): with the id in the
-- index, a page — the first or one deep behind a cursor — is read straight from the index.
DROP INDEX measures_document;
CREATE INDEX measures_document ON measures(document_id, ordinal, id);

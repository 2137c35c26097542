DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_words,
    body_words,
    title_grams,
    body_grams,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);

DROP INDEX measures_document;
CREATE INDEX measures_document ON measures(document_id, ordinal);

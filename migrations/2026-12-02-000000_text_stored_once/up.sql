-- Each text stored once.
--
-- documents.raw: the file as received, or NULL when the file is its own source text byte for
--   byte (a UTF-8 plain-text file): the bytes are then documents.source. Readers take
--   COALESCE(raw, CAST(source AS BLOB)).
-- documents.text: dropped. The normalized text is a function of the source text (the
--   normalizer of the corpus layer) and is computed when it is asked for.
-- measures.verbatim: dropped: every quote is cut out of documents.source by its span when it
--   is read. The JSON columns of measures keep the links, not copies of what other tables hold:
--   agencies  [{"id", "role", "raw_name", "start", "end", "line_start", "line_end"}] (names
--             are read from agencies),
--   themes    ["theme id", …] (names are read from themes),
--   deadlines [{"text", "date", "start", "end", "line_start", "line_end"}],
--   every span in the measure's own document.
-- search_docs.title, search_docs.body: dropped. search_docs maps a row of the full-text index
--   to its record; the texts it was made from are read from the records themselves, through
--   the view search_texts. A document's entry covers its header (title, number, issuer), not
--   its body again: its measures are entries of their own, and a document is found through
--   them.
CREATE TABLE documents_stored_once (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    issuer TEXT,
    jurisdiction_id TEXT REFERENCES jurisdictions(id),
    doc_number TEXT,
    doc_number_issuer_code TEXT,
    doc_number_year INTEGER,
    doc_number_serial INTEGER,
    date TEXT,
    year INTEGER,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    consultation_start TEXT,
    consultation_end TEXT,
    file_name TEXT NOT NULL,
    encoding TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    raw BLOB,
    source TEXT NOT NULL,
    measure_count INTEGER NOT NULL,
    goal_count INTEGER NOT NULL,
    reference_count INTEGER NOT NULL,
    agency_link_count INTEGER NOT NULL,
    unresolved_count INTEGER NOT NULL,
    warning_count INTEGER NOT NULL,
    format TEXT NOT NULL DEFAULT 'txt',
    extractor TEXT NOT NULL DEFAULT 'zhengce-txt/1'
);
INSERT INTO documents_stored_once
SELECT id, title, issuer, jurisdiction_id, doc_number, doc_number_issuer_code, doc_number_year,
       doc_number_serial, date, year, kind, status, consultation_start, consultation_end,
       file_name, encoding, sha256,
       CASE WHEN raw = CAST(source AS BLOB) THEN NULL ELSE raw END,
       source, measure_count, goal_count, reference_count, agency_link_count,
       unresolved_count, warning_count, format, extractor
FROM documents;
DROP TABLE documents;
ALTER TABLE documents_stored_once RENAME TO documents;
CREATE INDEX documents_jurisdiction ON documents(jurisdiction_id);
CREATE INDEX documents_issuer ON documents(issuer);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_status ON documents(status);
CREATE INDEX documents_year ON documents(year);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_doc_number ON documents(doc_number);
CREATE INDEX documents_format ON documents(format);

ALTER TABLE measures DROP COLUMN verbatim;

-- provisions.text: NULL where a measure stands on the provision and its text is the
--   measure's text followed by its annotation, as it nearly always is; readers take
--   COALESCE(p.text, m.text || COALESCE(m.annotation, '')).
CREATE TABLE provisions_stored_once (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    parent_id TEXT REFERENCES provisions(id),
    position INTEGER NOT NULL,
    level TEXT NOT NULL,
    label TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT,
    text TEXT,
    is_measure BOOLEAN NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL
);
INSERT INTO provisions_stored_once SELECT * FROM provisions;
DROP TABLE provisions;
ALTER TABLE provisions_stored_once RENAME TO provisions;
CREATE INDEX provisions_document ON provisions(document_id, position);
CREATE INDEX provisions_parent ON provisions(parent_id);

ALTER TABLE search_docs DROP COLUMN title;
ALTER TABLE search_docs DROP COLUMN body;

-- The display title and text of every entry of the full-text index, read from its record:
-- a measure's title and text, a document's title and header (number and issuer), a goal's
-- metric and sentence, an agency's name and its printed names (sorted) with its English name,
-- one per line. (Written for SQLite 3.35 and later, so that older shells and libraries open
-- the file: no concat_ws, no ordered group_concat.)
CREATE VIEW search_texts AS
SELECT sd.id AS id, sd.kind AS kind, sd.record_id AS record_id, sd.document_id AS document_id,
    CASE sd.kind
        WHEN 'measure' THEN (SELECT COALESCE(m.title, '') FROM measures m WHERE m.id = sd.record_id)
        WHEN 'document' THEN (SELECT d.title FROM documents d WHERE d.id = sd.record_id)
        WHEN 'goal' THEN (SELECT g.metric FROM goals g WHERE g.id = sd.record_id)
        WHEN 'agency' THEN (SELECT a.name FROM agencies a WHERE a.id = sd.record_id)
        ELSE ''
    END AS title,
    CASE sd.kind
        WHEN 'measure' THEN (SELECT m.text FROM measures m WHERE m.id = sd.record_id)
        WHEN 'document' THEN (SELECT COALESCE(d.doc_number || char(10) || d.issuer,
                                              d.doc_number, d.issuer, '')
                              FROM documents d WHERE d.id = sd.record_id)
        WHEN 'goal' THEN (SELECT g.sentence FROM goals g WHERE g.id = sd.record_id)
        WHEN 'agency' THEN (SELECT COALESCE(n.names || char(10) || n.name_en, n.names,
                                            n.name_en, '')
                            FROM (SELECT a.name_en AS name_en,
                                      (SELECT group_concat(x.alias, char(10))
                                       FROM (SELECT aa.alias AS alias FROM agency_aliases aa
                                             WHERE aa.agency_id = a.id ORDER BY aa.alias) x)
                                      AS names
                                  FROM agencies a WHERE a.id = sd.record_id) n)
        ELSE ''
    END AS body
FROM search_docs sd;

-- The counts and facets of every list without filters, computed once by the loader (the
-- database never changes while it is served): `statement` is the statement as the server
-- runs it, with its values; `rows` its result rows as a JSON array.
CREATE TABLE precomputed (
    statement TEXT PRIMARY KEY NOT NULL,
    rows TEXT NOT NULL
) WITHOUT ROWID;

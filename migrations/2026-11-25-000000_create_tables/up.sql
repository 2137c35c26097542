-- zhengce schema: one row per record the API serves. IDs are stable slugs from the data.

CREATE TABLE dataset (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE jurisdictions (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_id TEXT REFERENCES jurisdictions(id),
    aliases TEXT NOT NULL,              -- JSON array of strings
    position INTEGER NOT NULL
);
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);

CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    issuer TEXT,
    jurisdiction_id TEXT REFERENCES jurisdictions(id),
    doc_number TEXT,
    doc_number_issuer_code TEXT,
    doc_number_year INTEGER,
    doc_number_serial INTEGER,
    date TEXT,                          -- ISO YYYY-MM-DD
    year INTEGER,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,               -- final | draft
    consultation_start TEXT,
    consultation_end TEXT,
    file_name TEXT NOT NULL,
    encoding TEXT NOT NULL,
    sha256 TEXT NOT NULL,               -- of the raw bytes
    raw BLOB NOT NULL,                  -- the file exactly as received
    source TEXT NOT NULL,               -- decoded source text (spans index into it)
    text TEXT NOT NULL,                 -- normalized text
    measure_count INTEGER NOT NULL,
    goal_count INTEGER NOT NULL,
    reference_count INTEGER NOT NULL,
    agency_link_count INTEGER NOT NULL,
    unresolved_count INTEGER NOT NULL,
    warning_count INTEGER NOT NULL
);
CREATE INDEX documents_jurisdiction ON documents(jurisdiction_id);
CREATE INDEX documents_issuer ON documents(issuer);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_status ON documents(status);
CREATE INDEX documents_year ON documents(year);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_doc_number ON documents(doc_number);

CREATE TABLE provisions (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    parent_id TEXT REFERENCES provisions(id),
    position INTEGER NOT NULL,          -- order within the document
    level TEXT NOT NULL,                -- part | section | item | subitem
    label TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    is_measure BOOLEAN NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL
);
CREATE INDEX provisions_document ON provisions(document_id, position);
CREATE INDEX provisions_parent ON provisions(parent_id);

CREATE TABLE measures (
    id TEXT PRIMARY KEY NOT NULL,       -- same as its provision id
    document_id TEXT NOT NULL REFERENCES documents(id),
    provision_id TEXT NOT NULL REFERENCES provisions(id),
    ordinal INTEGER NOT NULL,           -- 1-based within the document
    number INTEGER,
    label TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    path TEXT NOT NULL,                 -- JSON array of headings above the measure
    annotation TEXT,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    verbatim TEXT NOT NULL              -- source text of the span, as received
);
CREATE INDEX measures_document ON measures(document_id, ordinal);

CREATE TABLE agencies (
    id TEXT PRIMARY KEY NOT NULL,
    jurisdiction_id TEXT REFERENCES jurisdictions(id),
    name TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL,
    resolved BOOLEAN NOT NULL,
    note TEXT
);
CREATE INDEX agencies_jurisdiction ON agencies(jurisdiction_id);
CREATE INDEX agencies_kind ON agencies(kind);

CREATE TABLE agency_aliases (
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    alias TEXT NOT NULL,
    PRIMARY KEY (agency_id, alias)
);
CREATE INDEX agency_aliases_alias ON agency_aliases(alias);

CREATE TABLE measure_agencies (
    measure_id TEXT NOT NULL REFERENCES measures(id),
    position INTEGER NOT NULL,          -- order in the annotation
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL,                 -- lead | cooperating | responsible | guide | participate
    raw_name TEXT NOT NULL,
    PRIMARY KEY (measure_id, position)
);
CREATE INDEX measure_agencies_agency ON measure_agencies(agency_id, role, measure_id);
CREATE INDEX measure_agencies_role ON measure_agencies(role, measure_id);

CREATE TABLE goals (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    provision_id TEXT REFERENCES provisions(id),
    ordinal INTEGER NOT NULL,
    metric TEXT NOT NULL,
    value DOUBLE NOT NULL,
    value_text TEXT NOT NULL,
    unit TEXT NOT NULL,
    comparator TEXT NOT NULL,           -- eq | gte | gt | lte | approx
    comparator_text TEXT NOT NULL,
    year INTEGER,
    value_base DOUBLE,
    base_unit TEXT,
    clause TEXT NOT NULL,
    sentence TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL
);
CREATE INDEX goals_document ON goals(document_id, ordinal);
CREATE INDEX goals_year ON goals(year);
CREATE INDEX goals_unit ON goals(unit);

CREATE TABLE cited_documents (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT,
    doc_number TEXT,
    doc_number_issuer_code TEXT,
    doc_number_year INTEGER,
    doc_number_serial INTEGER,
    document_id TEXT REFERENCES documents(id)   -- set when the cited document is in the corpus
);
CREATE INDEX cited_documents_document ON cited_documents(document_id);

CREATE TABLE cross_references (
    id TEXT PRIMARY KEY NOT NULL,
    citing_document_id TEXT NOT NULL REFERENCES documents(id),
    cited_document_id TEXT NOT NULL REFERENCES cited_documents(id),
    provision_id TEXT REFERENCES provisions(id),
    ordinal INTEGER NOT NULL,
    raw TEXT NOT NULL,
    title TEXT,                         -- title as this citation printed it
    doc_number TEXT,                    -- number as this citation printed it
    context TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL
);
CREATE INDEX cross_references_citing ON cross_references(citing_document_id, ordinal);
CREATE INDEX cross_references_cited ON cross_references(cited_document_id);

CREATE TABLE themes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description TEXT NOT NULL,
    keywords TEXT NOT NULL,             -- JSON {"strong": [...], "weak": [...]}
    position INTEGER NOT NULL
);

CREATE TABLE measure_themes (
    measure_id TEXT NOT NULL REFERENCES measures(id),
    theme_id TEXT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (measure_id, theme_id)
);
CREATE INDEX measure_themes_theme ON measure_themes(theme_id, measure_id);

CREATE TABLE warnings (
    id INTEGER PRIMARY KEY NOT NULL,
    document_id TEXT REFERENCES documents(id),
    file TEXT NOT NULL,
    kind TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL
);
CREATE INDEX warnings_document ON warnings(document_id);

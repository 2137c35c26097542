-- The link tables as rowid tables again (same columns, keys and indexes).
CREATE TABLE measure_agencies_rebuilt (
    measure_id TEXT NOT NULL REFERENCES measures(id),
    position INTEGER NOT NULL,          -- order in the annotation
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL,                 -- lead | cooperating | responsible | guide | participate
    raw_name TEXT NOT NULL,
    span_start INTEGER NOT NULL DEFAULT 0,
    span_end INTEGER NOT NULL DEFAULT 0,
    line_start INTEGER NOT NULL DEFAULT 0,
    line_end INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (measure_id, position)
);
INSERT INTO measure_agencies_rebuilt (measure_id, position, agency_id, role, raw_name, span_start, span_end, line_start, line_end) SELECT measure_id, position, agency_id, role, raw_name, span_start, span_end, line_start, line_end FROM measure_agencies;
DROP TABLE measure_agencies;
ALTER TABLE measure_agencies_rebuilt RENAME TO measure_agencies;
CREATE INDEX measure_agencies_agency ON measure_agencies(agency_id, role, measure_id);
CREATE INDEX measure_agencies_role ON measure_agencies(role, measure_id);

CREATE TABLE measure_themes_rebuilt (
    measure_id TEXT NOT NULL REFERENCES measures(id),
    theme_id TEXT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (measure_id, theme_id)
);
INSERT INTO measure_themes_rebuilt (measure_id, theme_id) SELECT measure_id, theme_id FROM measure_themes;
DROP TABLE measure_themes;
ALTER TABLE measure_themes_rebuilt RENAME TO measure_themes;
CREATE INDEX measure_themes_theme ON measure_themes(theme_id, measure_id);

CREATE TABLE deadlines_rebuilt (
    measure_id TEXT NOT NULL REFERENCES measures(id),
    position INTEGER NOT NULL,          -- order in the measure
    text TEXT NOT NULL,                 -- the phrase as printed (normalized)
    date TEXT,                          -- ISO YYYY-MM-DD: the last day of the period named
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    PRIMARY KEY (measure_id, position)
);
INSERT INTO deadlines_rebuilt (measure_id, position, text, date, span_start, span_end, line_start, line_end) SELECT measure_id, position, text, date, span_start, span_end, line_start, line_end FROM deadlines;
DROP TABLE deadlines;
ALTER TABLE deadlines_rebuilt RENAME TO deadlines;
CREATE INDEX deadlines_date ON deadlines(date, measure_id);

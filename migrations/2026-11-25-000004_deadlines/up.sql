-- Deadlines of measures, and where each agency link stands in the source.
--
-- deadlines: the time-bound commitments of each measure (`2019年6月底前`, `到2020年`), as
-- printed, with the ISO date they fall on (NULL when no year is known) and their span. It is
-- the table to filter by (`deadline_from`, `deadline_to`); `date` is indexed for that.
CREATE TABLE deadlines (
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
CREATE INDEX deadlines_date ON deadlines(date, measure_id);

-- The span of each agency name as printed (for a name inherited from a convention stated
-- once for the document, the span of that statement).
ALTER TABLE measure_agencies ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measure_agencies ADD COLUMN span_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measure_agencies ADD COLUMN line_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measure_agencies ADD COLUMN line_end INTEGER NOT NULL DEFAULT 0;

-- A measure's deadlines as the API serves them, kept beside the measure like its agencies
-- and themes (see 000003): a copy of its `deadlines` rows, written by the loader from the same
-- parsed deadlines in the same transaction. JSON array, in reading order, of
--   {"text", "date" (or null), "source": {"document", "start", "end", "line_start",
--    "line_end", "verbatim"}}
-- Each entry of `measures.agencies` now also carries its link's "source", of the same shape.
ALTER TABLE measures ADD COLUMN deadlines TEXT NOT NULL DEFAULT '[]';

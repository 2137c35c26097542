-- A measure's agencies and themes as the API serves them, kept beside the measure.
--
-- `measure_agencies` and `measure_themes` stay the tables to filter and count by; these two
-- columns repeat, per measure, what a reader of one measure needs from them (and from
-- `agencies` and `themes`), so that a page of measures is read in one statement instead of
-- three. The loader writes both from the same parsed links in the same transaction.
--
-- agencies: JSON array, in annotation order, of
--   {"id", "name", "name_en" (or null), "role", "raw_name"}
-- themes:   JSON array, in theme order, of {"id", "name", "name_en"}
ALTER TABLE measures ADD COLUMN agencies TEXT NOT NULL DEFAULT '[]';
ALTER TABLE measures ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';

ALTER TABLE measures DROP COLUMN deadlines;
ALTER TABLE measure_agencies DROP COLUMN line_end;
ALTER TABLE measure_agencies DROP COLUMN line_start;
ALTER TABLE measure_agencies DROP COLUMN span_end;
ALTER TABLE measure_agencies DROP COLUMN span_start;
DROP INDEX deadlines_date;
DROP TABLE deadlines;

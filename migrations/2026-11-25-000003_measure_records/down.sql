ALTER TABLE measures DROP COLUMN themes;
ALTER TABLE measures DROP COLUMN agencies;

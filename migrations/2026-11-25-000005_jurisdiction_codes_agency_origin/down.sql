DROP INDEX agencies_origin;
ALTER TABLE agencies DROP COLUMN origin;
DROP INDEX jurisdictions_code;
ALTER TABLE jurisdictions DROP COLUMN code;

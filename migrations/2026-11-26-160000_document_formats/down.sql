DROP INDEX documents_format;
ALTER TABLE documents DROP COLUMN extractor;
ALTER TABLE documents DROP COLUMN format;

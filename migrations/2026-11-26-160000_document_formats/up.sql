-- Each document's file format and the extractor that turned the file into the source text
-- its spans point into, so that a quote can be checked against what was published.
--
-- documents.format: `txt`, `html`, `docx` or `pdf` (the file's extension; `.htm` is html).
-- documents.extractor: name and version of the extractor (`zhengce-html/1 (scraper 0.29,
--   html5ever)`); the version changes whenever the same file would give another text.
--   Databases written before these columns hold plain-text documents only.
ALTER TABLE documents ADD COLUMN format TEXT NOT NULL DEFAULT 'txt';
ALTER TABLE documents ADD COLUMN extractor TEXT NOT NULL DEFAULT 'zhengce-txt/1';
CREATE INDEX documents_format ON documents(format);

-- Every division of China with its GB/T 2260 code, and where each agency record comes from.
--
-- jurisdictions.code: the 6-digit GB/T 2260 code (`310000`; `000000` for the nation), NULL
--   for a jurisdiction the division table does not know. Indexed for `code=` lookups.
-- agencies.origin: `gazetteer` (data/agencies.toml), `model` (data/agency_model.toml
--   instantiated for a jurisdiction, its national bodies and collectives) or `provisional`
--   (a printed name nothing else resolved). Databases written before this column default
--   to what `resolved` says.
ALTER TABLE jurisdictions ADD COLUMN code TEXT;
CREATE INDEX jurisdictions_code ON jurisdictions(code);
ALTER TABLE agencies ADD COLUMN origin TEXT NOT NULL DEFAULT 'provisional';
UPDATE agencies SET origin = 'gazetteer' WHERE resolved;
CREATE INDEX agencies_origin ON agencies(origin);

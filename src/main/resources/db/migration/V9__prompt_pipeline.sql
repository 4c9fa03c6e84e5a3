-- The prompt pipeline (issue 11). Same rule as V1: only types and syntax both H2 (PostgreSQL
-- mode) and PostgreSQL accept. Every column has a default or is nullable, so rows and keys
-- written before this migration keep their meaning.

-- Pipeline stages a key turns off, comma-separated (chunker, arranger, canonicalizer, hasher,
-- cache_injector, dedup); NULL leaves every stage on.
ALTER TABLE api_keys ADD COLUMN pipeline_off VARCHAR(200);

-- The prompt pipeline (issue 11). Same rule as V1: only types and syntax both H2 (PostgreSQL
-- mode) and PostgreSQL accept. Every column has a default or is nullable, so rows and keys
-- written before this migration keep their meaning.

-- A request answered with another identical request's upstream call (in flight at the same
-- time): it is recorded and charged like any other, and marked so reports can tell the calls
-- that reached a provider from those that shared one.
ALTER TABLE requests ADD COLUMN dedup_hit BOOLEAN NOT NULL DEFAULT FALSE;

-- Prompt-cache writes per user, model and day, next to the reads (saved_tokens); saved_usd (here
-- and in daily_usage, added by V7) is what the reads saved minus what the writes cost above the
-- plain input price.
ALTER TABLE cache_stats ADD COLUMN written_tokens BIGINT NOT NULL DEFAULT 0;

-- Pipeline stages a key turns off, comma-separated (chunker, arranger, canonicalizer, hasher,
-- cache_injector, dedup); NULL leaves every stage on.
ALTER TABLE api_keys ADD COLUMN pipeline_off VARCHAR(200);

-- Providers, model mappings and their settings changed through the admin API, laid over the
-- configuration file's (the file is the base; a stored value wins where one is set). Same rule
-- as V1: only types and syntax both H2 (PostgreSQL mode) and PostgreSQL accept.

-- V3's providers table becomes one row per provider the admin API changed or added. NULL in a
-- column means "as the configuration file says", so type and enabled lose their NOT NULL.
ALTER TABLE providers ALTER COLUMN type DROP NOT NULL;
ALTER TABLE providers ALTER COLUMN enabled DROP DEFAULT;
ALTER TABLE providers ALTER COLUMN enabled DROP NOT NULL;
-- The other changed settings as JSON: timeouts, max_retries, max_connections, weights by model.
ALTER TABLE providers ADD COLUMN settings VARCHAR(4000);
-- TRUE: created through the admin API (it may be deleted there); FALSE: a file provider changed.
ALTER TABLE providers ADD COLUMN added BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE providers ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- A model mapping set through the admin API, replacing or adding to the file's of that name; or,
-- with removed, hiding the file's. definition is the mapping as JSON (aliases, strategy, targets).
CREATE TABLE model_overrides (
  name       VARCHAR(200) PRIMARY KEY,
  definition VARCHAR(8000),
  removed    BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

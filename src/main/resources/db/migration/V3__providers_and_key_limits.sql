-- Seed 004: providers and model mappings kept in the database (the admin API edits them), and
-- per-key limits and budgets. Every new api_keys column is nullable: NULL means "no limit of
-- this kind", so keys created before this migration keep working unchanged.

CREATE TABLE providers (
  id                UUID PRIMARY KEY,
  name              VARCHAR(64) NOT NULL UNIQUE,
  type              VARCHAR(32) NOT NULL,                  -- openai / anthropic / mock
  base_url          VARCHAR(500),
  api_key_encrypted VARCHAR(2000),                         -- NULL: the key comes from the environment
  enabled           BOOLEAN NOT NULL DEFAULT TRUE,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- A client-facing model name served by a provider; lower priority is tried first.
CREATE TABLE model_mappings (
  id             UUID PRIMARY KEY,
  model          VARCHAR(100) NOT NULL,
  provider       VARCHAR(64) NOT NULL,                     -- providers.name
  upstream_model VARCHAR(100) NOT NULL,
  priority       INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT uq_model_mappings_model_provider UNIQUE (model, provider)
);

ALTER TABLE api_keys ADD COLUMN user_id UUID;
ALTER TABLE api_keys ADD COLUMN project VARCHAR(100);
ALTER TABLE api_keys ADD COLUMN rpm_limit INTEGER;
ALTER TABLE api_keys ADD COLUMN tpm_limit INTEGER;
ALTER TABLE api_keys ADD COLUMN max_concurrency INTEGER;
ALTER TABLE api_keys ADD COLUMN daily_budget_usd DECIMAL(14, 6);
ALTER TABLE api_keys ADD COLUMN monthly_budget_usd DECIMAL(14, 6);
CREATE INDEX idx_api_keys_user ON api_keys (user_id);
CREATE INDEX idx_api_keys_project ON api_keys (project);

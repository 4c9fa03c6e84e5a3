-- Seed 000's plans, and the limits a user or a key may carry. Every limit column is nullable:
-- NULL means "no limit of this kind here" (for a user: the plan's value, where the plan has one).

CREATE TABLE plans (
  name                VARCHAR(50) PRIMARY KEY,
  monthly_token_quota BIGINT,                -- NULL: unlimited (enterprise: set per user)
  rpm_limit           INTEGER,               -- NULL: no plan-wide request rate
  price_multiplier    DECIMAL(8, 4) NOT NULL
);
INSERT INTO plans (name, monthly_token_quota, rpm_limit, price_multiplier) VALUES
  ('free',       1000000,  20,   1.0),
  ('pro',        50000000, 120,  0.8),
  ('enterprise', NULL,     NULL, 1.0);

-- users.quota_limit: NULL now means "the plan's quota"; a value overrides it (enterprise custom).
ALTER TABLE users ALTER COLUMN quota_limit DROP DEFAULT;
ALTER TABLE users ALTER COLUMN quota_limit DROP NOT NULL;
UPDATE users SET quota_limit = NULL WHERE plan = 'free' AND quota_limit = 1000000;
ALTER TABLE users ADD COLUMN price_multiplier   DECIMAL(8, 4);
ALTER TABLE users ADD COLUMN rpm_limit          INTEGER;
ALTER TABLE users ADD COLUMN tpm_limit          INTEGER;
ALTER TABLE users ADD COLUMN max_concurrency    INTEGER;
ALTER TABLE users ADD COLUMN burst              INTEGER;
ALTER TABLE users ADD COLUMN max_input_tokens   INTEGER;
ALTER TABLE users ADD COLUMN max_output_tokens  INTEGER;
ALTER TABLE users ADD COLUMN daily_budget_usd   DECIMAL(14, 6);
ALTER TABLE users ADD COLUMN monthly_budget_usd DECIMAL(14, 6);

ALTER TABLE api_keys ADD COLUMN burst             INTEGER;
ALTER TABLE api_keys ADD COLUMN max_input_tokens  INTEGER;
ALTER TABLE api_keys ADD COLUMN max_output_tokens INTEGER;

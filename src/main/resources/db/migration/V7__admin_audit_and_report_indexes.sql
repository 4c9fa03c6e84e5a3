-- The admin API (issue 12): its audit trail, keys that can be disabled and enabled again, and
-- the roll-up columns and indexes behind its reports. Same rule as V1: only types and syntax
-- both H2 (PostgreSQL mode) and PostgreSQL accept.

-- One row per change made through the admin API or the command line: who, what, when.
CREATE TABLE admin_audit (
  id          UUID PRIMARY KEY,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  actor       VARCHAR(100) NOT NULL,        -- "admin" (the admin token), or "cli:<os user>" for direct changes
  action      VARCHAR(32) NOT NULL,         -- create / update / revoke
  resource    VARCHAR(32) NOT NULL,         -- api_key / user / plan
  resource_id VARCHAR(255) NOT NULL,
  details     VARCHAR(10000) NOT NULL,      -- the change as JSON, secrets redacted
  request_id  VARCHAR(64)
);
CREATE INDEX idx_admin_audit_created ON admin_audit (created_at);
CREATE INDEX idx_admin_audit_resource ON admin_audit (resource, resource_id, created_at);

-- Disabled is reversible (PATCH status enabled); revoked is final.
ALTER TABLE api_keys ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX idx_api_keys_created ON api_keys (created_at);

-- Reports by project and the money prompt caching saved, per key, read from the roll-up
-- instead of the requests table. Rows written before this migration have neither (NULL, 0).
ALTER TABLE daily_usage ADD COLUMN project VARCHAR(100);
ALTER TABLE daily_usage ADD COLUMN saved_usd DECIMAL(20, 10) NOT NULL DEFAULT 0;
-- Usage reports select a time range, then group; the per-key and per-user shapes already have
-- (api_key_id, time) and (user_id, time) from V2.
CREATE INDEX idx_daily_usage_time ON daily_usage (time);
CREATE INDEX idx_daily_usage_project_time ON daily_usage (project, time);

-- The recent requests log pages backwards in time, optionally for one key, user or project;
-- (api_key_id, created_at), (user_id, created_at) and (created_at) exist from V1 and V5.
CREATE INDEX idx_requests_project_created ON requests (project, created_at);

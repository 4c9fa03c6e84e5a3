-- One migration set for H2 and PostgreSQL: only types and syntax both accept.

CREATE TABLE api_keys (
  id          UUID PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  key_hash    CHAR(64) NOT NULL UNIQUE,   -- SHA-256 of the raw key, hex; the raw key is never stored
  key_prefix  VARCHAR(16) NOT NULL,       -- shown in listings, never used to authenticate
  models      VARCHAR(2000),              -- comma-separated allowlist; NULL allows every model
  revoked     BOOLEAN NOT NULL DEFAULT FALSE,
  expires_at  TIMESTAMP WITH TIME ZONE,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One lean row per request, stream or not, success or failure. Written in batches.
CREATE TABLE requests (
  id                 UUID PRIMARY KEY,
  request_id         VARCHAR(64) NOT NULL,
  api_key_id         UUID,
  model              VARCHAR(100) NOT NULL,
  provider           VARCHAR(64),
  upstream_model     VARCHAR(100),
  stream             BOOLEAN NOT NULL,
  status             SMALLINT NOT NULL,
  error_type         VARCHAR(64),
  prompt_tokens      INTEGER NOT NULL DEFAULT 0,
  completion_tokens  INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  usage_estimated    BOOLEAN NOT NULL DEFAULT FALSE,
  latency_ms         INTEGER NOT NULL,
  ttft_ms            INTEGER,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX idx_requests_key_created ON requests (api_key_id, created_at);
CREATE INDEX idx_requests_created ON requests (created_at);
CREATE INDEX idx_requests_request_id ON requests (request_id);

-- Responses the Responses API keeps for previous_response_id and GET /v1/responses/{id}, and the
-- byte counts of relayed (custom route) requests. V7 is taken by the admin branch's migration.
-- Same rule as V1: only types and syntax both H2 (PostgreSQL mode) and PostgreSQL accept.

CREATE TABLE stored_responses (
  id          VARCHAR(100) PRIMARY KEY,
  api_key_id  UUID NOT NULL,
  response    TEXT NOT NULL,            -- the response object, JSON
  items       TEXT NOT NULL,            -- the conversation up to and including its output, JSON array
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- retention purges by age
CREATE INDEX idx_stored_responses_created ON stored_responses (created_at);

-- Custom routes are metered per request and by bytes; NULL for the model APIs.
ALTER TABLE requests ADD COLUMN request_bytes BIGINT;
ALTER TABLE requests ADD COLUMN response_bytes BIGINT;

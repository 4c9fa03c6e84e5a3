-- Requests per UTC day and answer status (issue 12, the console's error rate), for every
-- request, refused ones included: daily_usage holds only requests that reached a provider, and
-- reports never scan `requests`. Same rule as V1: only types and syntax both H2 (PostgreSQL mode)
-- and PostgreSQL accept. Appended per batch like daily_usage (partial sums, no unique index).
CREATE TABLE daily_status (
  time          TIMESTAMP WITH TIME ZONE NOT NULL,   -- the UTC day's start
  user_id       UUID,
  api_key_id    UUID,
  project       VARCHAR(100),
  model         VARCHAR(100) NOT NULL,               -- the provider's model name, as in daily_usage; the client's when refused
  provider      VARCHAR(64),                         -- NULL: answered before any provider was tried
  status        SMALLINT NOT NULL,
  request_count INTEGER NOT NULL
);
CREATE INDEX idx_daily_status_time ON daily_status (time);
CREATE INDEX idx_daily_status_key_time ON daily_status (api_key_id, time);
CREATE INDEX idx_daily_status_user_time ON daily_status (user_id, time);
CREATE INDEX idx_daily_status_project_time ON daily_status (project, time);

-- The requests recorded before this migration, so error rates cover them too.
INSERT INTO daily_status (time, user_id, api_key_id, project, model, provider, status, request_count)
SELECT utc_day, user_id, api_key_id, project, model, provider, status, COUNT(*)
FROM (SELECT DATE_TRUNC('day', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS utc_day, user_id, api_key_id,
             project, COALESCE(upstream_model, model) AS model, provider, status
      FROM requests) r
GROUP BY utc_day, user_id, api_key_id, project, model, provider, status;

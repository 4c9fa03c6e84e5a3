-- Fills a migrated TokenRouter database with :rows requests spread over the last :days UTC days,
-- and the roll-ups the gateway writes for them, with generate_series. psql variables: rows, days,
-- users, keys, rollup ('per-request': one daily_usage / daily_status row per request, as the
-- usage recorder appends them when each batch holds one request (under ~1 request a second);
-- 'per-day': one row per day and group, as busy batches or a compaction would leave them).
\set ON_ERROR_STOP on
\timing on

-- the same seed every run: the same rows
SELECT setseed(0.42);

INSERT INTO users (id, email, name, plan, created_at, updated_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid, 'user' || u || '@bench.test', 'User ' || u,
       (ARRAY['free', 'pro', 'enterprise'])[1 + u % 3], now() - interval '60 days', now() - interval '60 days'
FROM generate_series(1, :users) u;

INSERT INTO api_keys (id, name, key_hash, key_prefix, models, revoked, created_at, user_id, project, disabled)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(k), 12, '0'))::uuid, 'key-' || k,
       encode(sha256(('bench-key-' || k)::bytea), 'hex'), 'tr-bench' || (k % 100), NULL, k % 97 = 0,
       now() - interval '60 days' + k * interval '1 second',
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + k % :users), 12, '0'))::uuid, 'project-' || (k % 20), k % 53 = 0
FROM generate_series(1, :keys) k;

-- Models as (client name, provider, provider model, input, output, cache read USD per million).
CREATE TEMP TABLE bench_models (n int, model text, provider text, upstream text, p_in numeric, p_out numeric, p_read numeric);
INSERT INTO bench_models VALUES
  (0, 'gpt-4o-mini', 'openai', 'gpt-4o-mini', 0.15, 0.60, 0.075),
  (1, 'gpt-4o', 'openai', 'gpt-4o-2024-08-06', 2.50, 10.00, 1.25),
  (2, 'gpt-4.1-mini', 'openai', 'gpt-4.1-mini', 0.40, 1.60, 0.10),
  (3, 'claude-sonnet', 'anthropic', 'claude-sonnet-4-5-20250929', 3.00, 15.00, 0.30),
  (4, 'claude-haiku', 'anthropic', 'claude-haiku-4-5-20251001', 1.00, 5.00, 0.10),
  (5, 'deepseek-chat', 'deepseek', 'deepseek-chat', 0.14, 0.28, 0.014),
  (6, 'o4-mini', 'azure', 'o4-mini', 1.10, 4.40, 0.275),
  (7, 'gemini-flash', 'gemini', 'gemini-2.5-flash', 0.30, 2.50, 0.075);

-- One row per request: keys heavy-tailed (a few keys send most), models skewed to the cheap ones,
-- 96% answered 200, refusals (429, 403, 404) without a provider, provider failures (502, 504) with one.
CREATE TEMP TABLE bench_requests AS
SELECT g,
       now() - random() * (:days || ' days')::interval AS created_at,
       1 + floor(:keys * power(random(), 3))::int AS k,
       floor(8 * power(random(), 1.6))::int AS m,
       random() AS r_status, random() AS r_cache,
       200 + floor(random() * 7800)::int AS prompt,
       20 + floor(random() * 980)::int AS completion,
       (50 + random() * 4000)::int AS latency
FROM generate_series(1, :rows) g;

INSERT INTO requests (id, request_id, api_key_id, user_id, project, model, provider, upstream_model, stream, status,
                      error_type, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens,
                      usage_estimated, cost_usd, latency_ms, ttft_ms, created_at)
SELECT md5('req' || b.g)::uuid, 'req_' || md5('id' || b.g),
       ('00000000-0000-4000-9000-' || lpad(to_hex(b.k), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + b.k % :users), 12, '0'))::uuid,
       'project-' || (b.k % 20), m.model,
       CASE WHEN s.refused THEN NULL ELSE m.provider END,
       CASE WHEN s.refused THEN NULL ELSE m.upstream END,
       b.g % 3 = 0, s.status, s.error_type,
       CASE WHEN s.served THEN b.prompt ELSE 0 END,
       CASE WHEN s.served THEN b.completion ELSE 0 END,
       CASE WHEN s.served AND b.r_cache < 0.45 THEN (b.prompt * (0.5 + b.r_cache))::int ELSE 0 END,
       0, false,
       CASE WHEN s.served THEN round((
         (b.prompt - CASE WHEN b.r_cache < 0.45 THEN (b.prompt * (0.5 + b.r_cache))::int ELSE 0 END) * m.p_in
         + CASE WHEN b.r_cache < 0.45 THEN (b.prompt * (0.5 + b.r_cache))::int ELSE 0 END * m.p_read
         + b.completion * m.p_out) / 1000000, 10) ELSE 0 END,
       CASE WHEN s.refused THEN 1 ELSE b.latency END,
       CASE WHEN s.served THEN b.latency / 4 END,
       b.created_at
FROM bench_requests b
JOIN bench_models m ON m.n = b.m
CROSS JOIN LATERAL (SELECT
    CASE WHEN b.r_status < 0.96 THEN 200 WHEN b.r_status < 0.975 THEN 429 WHEN b.r_status < 0.98 THEN 403
         WHEN b.r_status < 0.985 THEN 404 WHEN b.r_status < 0.995 THEN 502 ELSE 504 END AS status,
    CASE WHEN b.r_status < 0.96 THEN NULL WHEN b.r_status < 0.975 THEN 'rate_limit_exceeded'
         WHEN b.r_status < 0.98 THEN 'model_not_allowed' WHEN b.r_status < 0.985 THEN 'model_not_found'
         WHEN b.r_status < 0.995 THEN 'upstream_error' ELSE 'upstream_timeout' END AS error_type,
    b.r_status >= 0.96 AND b.r_status < 0.985 AS refused,
    b.r_status < 0.96 AS served) s;

-- The roll-ups, as the usage recorder writes them (UsageRollups, StatusRollups): daily_usage for
-- requests that reached a provider, under the provider's model name; daily_status for all.
CREATE TEMP TABLE bench_rollup AS
SELECT CASE WHEN :'rollup' = 'per-request' THEN r.id ELSE NULL END AS grp,
       (date_trunc('day', r.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS day, r.*
FROM requests r;

INSERT INTO daily_usage (time, user_id, api_key_id, project, model, provider, prompt_tokens, completion_tokens,
                         cache_read_tokens, cache_write_tokens, request_count, cost_usd, cache_hit_count, saved_usd)
SELECT day, user_id, api_key_id, project, COALESCE(upstream_model, model), provider, SUM(prompt_tokens),
       SUM(completion_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), COUNT(*), SUM(cost_usd),
       SUM(CASE WHEN cache_read_tokens > 0 THEN 1 ELSE 0 END),
       SUM(cache_read_tokens * 0.000001)  -- roughly what the reads saved
FROM bench_rollup WHERE provider IS NOT NULL
GROUP BY grp, day, user_id, api_key_id, project, COALESCE(upstream_model, model), provider;

INSERT INTO daily_status (time, user_id, api_key_id, project, model, provider, status, request_count)
SELECT day, user_id, api_key_id, project, COALESCE(upstream_model, model), provider, status, COUNT(*)
FROM bench_rollup
GROUP BY grp, day, user_id, api_key_id, project, COALESCE(upstream_model, model), provider, status;

VACUUM ANALYZE;
SELECT 'requests' AS "table", COUNT(*) FROM requests UNION ALL SELECT 'daily_usage', COUNT(*) FROM daily_usage
UNION ALL SELECT 'daily_status', COUNT(*) FROM daily_status UNION ALL SELECT 'api_keys', COUNT(*) FROM api_keys
UNION ALL SELECT 'users', COUNT(*) FROM users;

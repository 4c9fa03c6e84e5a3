-- wrk script: POST a small chat request (stream or not) with a bearer key, or (BENCH_API=messages)
-- the same question as an Anthropic Messages request with the key in x-api-key, as Anthropic's SDKs send it,
-- or (BENCH_API=responses) as a Responses API request (no `store`: OpenAI's default keeps the response),
-- or an embeddings or a legacy completions request.
-- Environment: BENCH_KEY (the key), BENCH_MODEL, BENCH_STREAM=1 for a streamed request,
-- BENCH_API=chat|messages|responses|embeddings|completions|agent|agent-chat (agent: BENCH_BODIES/agent-messages.json,
-- agent-chat: BENCH_BODIES/agent-chat.json),
-- BENCH_CLOSE=1 for a new connection per request.
-- Prints one machine-readable line at the end: RESULT requests=.. duration_us=.. p50_us=.. p99_us=.. errors=..
local key = os.getenv("BENCH_KEY") or "bench"
local model = os.getenv("BENCH_MODEL") or "bench-model"
local stream = os.getenv("BENCH_STREAM") == "1"
local api = os.getenv("BENCH_API") or "chat"
-- BENCH_DELAY_MS: each connection waits this long between requests (a fixed, moderate rate);
-- wrk measures a request's latency from its write, so the wait is not counted
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end

wrk.method = "POST"
-- BENCH_CLOSE=1: every request on a new connection (the server closes each one after its answer)
if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end
wrk.headers["Content-Type"] = "application/json"
if api == "messages" then
  wrk.headers["x-api-key"] = key
  wrk.headers["anthropic-version"] = "2023-06-01"
  wrk.body = '{"model":"' .. model .. '","max_tokens":128,'
    .. '"system":"You are a concise assistant. Answer in one short paragraph.",'
    .. '"messages":[{"role":"user","content":"Explain in two sentences what a reverse proxy does for load balancing."}],'
    .. '"temperature":0.2'
    .. (stream and ',"stream":true' or '')
    .. '}'
elseif api == "responses" then
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.body = '{"model":"' .. model .. '",'
    .. '"instructions":"You are a concise assistant. Answer in one short paragraph.",'
    .. '"input":"Explain in two sentences what a reverse proxy does for load balancing.",'
    .. '"temperature":0.2,"max_output_tokens":128'
    .. (stream and ',"stream":true' or '')
    .. '}'
elseif api == "agent" then
  -- an agent's request as Claude Code sends one (bench/gen_bodies.py: agent-messages.json)
  wrk.headers["x-api-key"] = key
  wrk.headers["anthropic-version"] = "2023-06-01"
  local f = assert(io.open(os.getenv("BENCH_BODIES") .. "/agent-messages.json", "rb"))
  wrk.body = f:read("*a")
  f:close()
elseif api == "agent-chat" then
  -- the same agent's request in OpenAI's chat format (bench/gen_bodies.py: agent-chat.json)
  wrk.headers["Authorization"] = "Bearer " .. key
  local f = assert(io.open(os.getenv("BENCH_BODIES") .. "/agent-chat.json", "rb"))
  wrk.body = f:read("*a")
  f:close()
elseif api == "embeddings" then
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.body = '{"model":"' .. model .. '","input":"Explain in two sentences what a reverse proxy does for load balancing."}'
elseif api == "completions" then
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.body = '{"model":"' .. model .. '","prompt":"Explain in two sentences what a reverse proxy does for load balancing.",'
    .. '"temperature":0.2,"max_tokens":128}'
else
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.body = '{"model":"' .. model .. '","messages":['
    .. '{"role":"system","content":"You are a concise assistant. Answer in one short paragraph."},'
    .. '{"role":"user","content":"Explain in two sentences what a reverse proxy does for load balancing."}],'
    .. '"temperature":0.2,"max_tokens":128'
    .. (stream and ',"stream":true,"stream_options":{"include_usage":true}' or '')
    .. '}'
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d connect_err=%d read_err=%d write_err=%d timeout_err=%d status_err=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end

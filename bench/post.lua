-- wrk script: POST a small chat request (stream or not) with a bearer key, or (BENCH_API=messages)
-- the same question as an Anthropic Messages request with the key in x-api-key, as Anthropic's SDKs send it,
-- or (BENCH_API=responses) as a Responses API request (no `store`: OpenAI's default keeps the response),
-- or an embeddings or a legacy completions request.
-- Environment: BENCH_KEY (the key), BENCH_MODEL, BENCH_STREAM=1 for a streamed request,
-- BENCH_API=chat|messages|responses|embeddings|completions|agent|agent-chat|agent-turns|agent-turns-chat|codex-turns
-- (agent: BENCH_BODIES/agent-messages.json, agent-chat: BENCH_BODIES/agent-chat.json; agent-turns,
-- agent-turns-chat and codex-turns: an agent's conversations, each request the next turn of one, built from
-- BENCH_BODIES/agent-turns-messages.txt, agent-turns-chat.txt or agent-turns-responses.txt (Codex's, in the
-- Responses API, streamed); BENCH_CONVERSATIONS=8 per wrk thread),
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
elseif api == "agent-turns" or api == "agent-turns-chat" or api == "codex-turns" then
  -- an agent's conversations as they grow (bench/gen_bodies.py: agent-turns-*.txt): each request is the
  -- next turn of one, its whole conversation resent with one more round, as agents send them, so a
  -- gateway that reuses what it parsed of a conversation's previous turn is measured on new bytes every
  -- time, never on one body repeated. Each thread keeps BENCH_CONVERSATIONS going and sends them in turn;
  -- after its last turn a conversation starts again under a new id, so no body is sent twice, in this
  -- run or (the id holds the run's start second) in the warm-up before it.
  if api == "agent-turns" then
    wrk.headers["x-api-key"] = key
    wrk.headers["anthropic-version"] = "2023-06-01"
  else
    wrk.headers["Authorization"] = "Bearer " .. key
  end
  local files = { ["agent-turns"] = "/agent-turns-messages.txt", ["agent-turns-chat"] = "/agent-turns-chat.txt",
                  ["codex-turns"] = "/agent-turns-responses.txt" }
  local file = os.getenv("BENCH_BODIES") .. files[api]
  local count = tonumber(os.getenv("BENCH_CONVERSATIONS") or "8")
  assert(count and count >= 1, "BENCH_CONVERSATIONS must be a number from 1")
  -- the file's pieces (round i: its messages, each with its comma), each split at its @C@s: joined with
  -- an id as the separator they are that conversation's (string.gsub took 3 ms of wrk's CPU a
  -- conversation, 150 µs a request, about what joining the request itself takes)
  local first, last, head, tail, rounds, asks
  local prefix -- the request line and headers, up to Content-Length's value
  local conversations, current, started, parts = {}, 0, 0, {}

  -- a conversation's rounds with its id, made once when it starts: a request only joins strings
  local function start(k, turn)
    started = started + 1
    -- thread_id and run_stamp come from setup (each thread has its own Lua state and no id of its own)
    local id = string.format("c%08x_%02d_%05d", run_stamp, thread_id, started)
    local c = { turn = turn, rounds = {}, asks = {}, before = {} }
    local sum = 0
    for i = 0, last do
      c.before[i] = sum -- the bytes of rounds 0..i-1
      if i < last then
        c.rounds[i] = table.concat(rounds[i], id)
        sum = sum + #c.rounds[i]
      end
      c.asks[i] = table.concat(asks[i], id)
    end
    conversations[k] = c
  end

  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("thread_id", threads)
    thread:set("run_stamp", os.time())
  end

  local function split(s)
    local pieces, from = {}, 1
    while true do
      local at = s:find("@C@", from, true)
      if not at then
        pieces[#pieces + 1] = s:sub(from)
        return pieces
      end
      pieces[#pieces + 1] = s:sub(from, at - 1)
      from = at + 3
    end
  end

  function init(args)
    local f = assert(io.open(file, "rb"))
    local lines = f:lines()
    local a, b = lines():match("^(%d+) (%d+)$")
    first, last = tonumber(a), tonumber(b)
    head, tail, rounds, asks = lines(), lines(), {}, {}
    for i = 0, last - 1 do
      rounds[i], asks[i] = split(lines()), split(lines())
    end
    asks[last] = split(assert(lines()))
    f:close()
    -- without a body wrk.format ends with the blank line; the length goes before it
    prefix = wrk.format(nil, nil, nil, nil):sub(1, -3) .. "Content-Length: "
    -- the first conversations start spread over the turns, so a short run sends the sizes' whole range
    -- from its first second; each starts again from the first turn
    for k = 1, count do
      start(k, first + math.floor((k - 1) * (last - first + 1) / count))
    end
  end

  -- (wrk calls it once before the run, in the first thread, to check the request: that turn is never sent)
  function request()
    current = current % count + 1
    local c = conversations[current]
    local turn = c.turn
    parts[2] = head
    local n = 2
    for i = 0, turn - 1 do
      n = n + 1
      parts[n] = c.rounds[i]
    end
    parts[n + 1], parts[n + 2] = c.asks[turn], tail
    n = n + 2
    parts[1] = prefix .. (#head + c.before[turn] + #c.asks[turn] + #tail) .. "\r\n\r\n"
    if turn == last then
      start(current, first)
    else
      c.turn = turn + 1
    end
    return table.concat(parts, "", 1, n)
  end
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

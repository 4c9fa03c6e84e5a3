#!/usr/bin/env bash
# TokenRouter bounded load benchmark: direct upstream vs nginx proxy_pass vs the gateway.
#
#   bench/run.sh                  # everything, about 5-6 minutes, results in bench/out/
#   bench/run.sh profile          # JFR profile of the gateway under the same load: bench/out/profile/
#   bench/run.sh asprof           # async-profiler (from Maven Central) CPU samples of every thread, system
#                                 # calls included, by layer and by gateway class: bench/out/asprof/
#                                 # (ASPROF_EVENT=alloc ASPROF_INTERVAL=256k: where the bytes are allocated)
#
# Knobs (environment): DURATION=12 (s per measured wrk run), WARMUP=30 (s per gateway warm-up
# run, per path; scraped and probed every 2 s, as a gateway in service is), CONNS=32, THREADS=2, TTFT_N=100, SCALE2=1 (also run 2 nginx workers vs 2
# event loops), WARN_RUN=1 (also one chat JSON run with the access log off: TOKENROUTER_LOG_LEVEL=WARN;
# the other gateway runs use the default level, INFO, which logs one line per request), PORT_BASE=28080,
# PATHS="cj cs mj ms" (chat JSON, chat stream, Anthropic messages JSON and stream, for the 1x
# rows; also rj, rs: the Responses API, JSON and stream, translated to the chat upstream; ej:
# embeddings; tj: legacy completions; aj: an agent's request, Claude Code-shaped, about 400 KB, to
# the Anthropic-format upstream under another model name; ac: the same in OpenAI's chat format, to
# the chat upstream under another model name; at, ct: the same two, but each request the next turn
# of one of an agent's conversations, from 40 rounds to 60 (306-404 KB; in the chat format 209-307), then a new
# conversation: no body is sent twice, so a gateway that reuses its parse of a conversation's
# previous turn is not flattered by one body repeated; BENCH_CONVERSATIONS=8 conversations per wrk
# thread; xt: Codex's conversations turn by turn in the Responses API, 245-347 KB, streamed, relayed to
# a provider's own /responses under another model name), PATHS2="cj cs" (for the 2x rows),
# UP_WORKERS=1 (fast upstream nginx workers), GW_JAVA_OPTS="-XX:SurvivorRatio=4 -Xmx512m" (the gateway's JVM
# flags; the default is the ./tokenrouter launcher's, so the rows measure the default configuration),
# JAR (the gateway jar; default target/tokenrouter.jar), ROUTE=single|fallback (fallback: every
# model gets a second target, to measure the router's multi-target path), BASE_JAR (a second gateway
# jar, e.g. the build before a change: run side by side with JAR on the same paths, each path
# measured on one then the other, rows `gateway-base`), BASE_JAVA_OPTS (BASE_JAR's JVM flags,
# default GW_JAVA_OPTS: with BASE_JAR=JAR, two JVM settings side by side), BASE_DB_OPTS (appended to
# BASE_JAR's H2 URL, e.g. ";WRITE_DELAY=500": with BASE_JAR=JAR, two database settings side by
# side), ROUNDS=1 (with BASE_JAR: each path's pair of measured rows this many times, base first in
# odd rounds and last in even ones; the summary adds each round's ratio and their median, the
# figure to read when the machine drifts by more than the change), RATE_RUN=1 (also each of RATE_PATHS, default
# PATHS, at about 1,000 requests/s: 10 connections, each waiting 10 ms between requests; rows `1k`,
# for the latency a proxy adds when it is not saturated), FLOORS=0 (1: also two JVM relays without
# the gateway's work, bench/floor/: Netty's HTTP codecs alone (`floor-netty`) and Vert.x's server and
# client as the gateway sets them up (`floor-vertx`), on the same paths, rate rows and TTFT, with the
# gateway's JVM flags: what a JVM relay costs before any gateway work), RATE_WARMUP=6 (s at about
# 1,000 requests/s on each target and path before its 1k row, not counted: a JVM that has only met
# saturation recompiles what the slower pattern takes differently, and the first row at that rate
# measured the JIT's churn), CONN_WARMUP=5 (s of new connections, one request each, on each proxy
# before the TTFT rows, not counted: so the new-connection TTFT measures a proxy that has accepted
# connections before, as one in service has, not code the JIT has met a hundred times).
# Everything listens on 127.0.0.1 only and is stopped on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/out
DURATION=${DURATION:-12}
WARMUP=${WARMUP:-30}
ROUNDS=${ROUNDS:-1}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
TTFT_N=${TTFT_N:-100}
SCALE2=${SCALE2:-1}
WARN_RUN=${WARN_RUN:-1}
RATE_RUN=${RATE_RUN:-1}
BASE_JAR=${BASE_JAR:-}
BASE_DB_OPTS=${BASE_DB_OPTS:-}
UP_WORKERS=${UP_WORKERS:-1}
PORT_BASE=${PORT_BASE:-28080}
PATHS=${PATHS:-cj cs mj ms}
PATHS2=${PATHS2:-cj cs}
RATE_PATHS=${RATE_PATHS:-$PATHS}
FLOORS=${FLOORS:-0}
RATE_WARMUP=${RATE_WARMUP:-6}
CONN_WARMUP=${CONN_WARMUP:-5}
FLOOR_TARGETS=
GW_PORT=$PORT_BASE
UP_PORT=$((PORT_BASE + 1))
NGX_PORT=$((PORT_BASE + 2))
SLOW_PORT=$((PORT_BASE + 3))
BASE_PORT=$((PORT_BASE + 4))
FLOOR_NETTY_PORT=$((PORT_BASE + 5))
FLOOR_VERTX_PORT=$((PORT_BASE + 6))
# The launcher's default (./tokenrouter: -XX:SurvivorRatio=4, then JAVA_OPTS, else -Xmx512m); setting
# GW_JAVA_OPTS replaces all of it. Without a cap the JVM would size its heap from the machine's memory.
GW_JAVA_OPTS=${GW_JAVA_OPTS:--XX:SurvivorRatio=4 -Xmx512m}
# BASE_JAR's JVM flags; set it (with BASE_JAR=JAR) to compare JVM settings side by side in one run
BASE_JAVA_OPTS=${BASE_JAVA_OPTS:-$GW_JAVA_OPTS}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
JAR=${JAR:-$ROOT/target/tokenrouter.jar}
ROUTE=${ROUTE:-single}
TICK=$(getconf CLK_TCK)

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# ---------------------------------------------------------------- processes and cleanup
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  sleep 0.5
  for pid in "${PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() { # stop one process we started, and wait for it
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

wait_port() { # wait_port PORT [PID]: until something accepts on 127.0.0.1:PORT (PID must stay alive)
  local i
  for i in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then log "process $2 exited before listening on $1"; return 1; fi
    sleep 0.1
  done
  log "nothing listens on port $1 after 30 s"; return 1
}

# ---------------------------------------------------------------- tools
ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  command -v python3 >/dev/null || { log "python3 is needed"; exit 1; }
  if [ ! -f "$JAR" ]; then
    log "building $JAR"
    (cd "$ROOT" && PATH=$JAVA_HOME/bin:$PATH mvn -q -DskipTests package)
  fi
  local p
  for p in $GW_PORT $UP_PORT $NGX_PORT $SLOW_PORT $BASE_PORT $FLOOR_NETTY_PORT $FLOOR_VERTX_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      log "port $p is already in use; set PORT_BASE"; exit 1
    fi
  done
}

# ---------------------------------------------------------------- measurement helpers
cpu_ticks() { # summed utime+stime (clock ticks) of the given pids
  local total=0 pid t
  for pid in "$@"; do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo $total
}
hwm_kb() { # summed VmHWM (kB) of the given pids
  local total=0 pid v
  for pid in "$@"; do
    v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo $total
}
thread_ns() { # thread_ns PIDS...: one line per thread, "tid ns", its time on a CPU so far (schedstat, nanoseconds)
  local pid t
  for pid in "$@"; do
    for t in /proc/"$pid"/task/*; do
      printf '%s %s\n' "${t##*/}" "$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null || echo 0)"
    done
  done
}
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
nginx_workers() { pgrep -P "$1" | tr '\n' ' '; }
statuses() { # statuses PORT: a gateway's answered requests by status (its tokenrouter_requests_total series)
  curl -s "http://127.0.0.1:$1/metrics" | grep '^tokenrouter_requests_total' || true
}

# run_wrk LABEL SETUP TARGET PATH(kind) PORT URLPATH MODEL STREAM "PROXY_PIDS" [record]
# Runs one bounded wrk load and appends a row to results.tsv (unless record=no).
run_wrk() {
  local label=$1 setup=$2 target=$3 kind=$4 port=$5 path=$6 model=$7 stream=$8 pids=$9 record=${10:-yes}
  local dur=$DURATION
  [ "$record" = yes ] || dur=$WARMUP
  local up_pids; up_pids=$(nginx_workers "$UP_MASTER")
  local c0 u0 m0 l0 c1 u1 m1 l1 wrkcpu
  local gw=no
  [ "$record" = yes ] && [ "${target#gateway}" != "$target" ] && gw=yes
  # a warm-up is scraped and probed as a gateway in service is (here every 2 s): a measured row
  # begins and ends with a metrics read, and a request of another shape than the load's, met
  # after the JIT compiled the load's path without it, deoptimizes the hot methods it shares.
  # A single read at the warm-up's start did not do: it came before those compilations, and the
  # read before the row then set off a recompilation of the whole request path, hundreds of ms
  # of C2 in the measured row (RESULTS.md, twelfth session)
  local prober=
  if [ "$record" = no ] && [ "${target#gateway}" != "$target" ]; then
    while :; do statuses "$port" > /dev/null; curl -s -o /dev/null "http://127.0.0.1:$port/health/ready"; sleep 2; done &
    prober=$!
  fi
  [ $gw = yes ] && thread_cpu "$pids" > "$OUT/threads-$label.before"
  [ $gw = yes ] && statuses "$port" > "$OUT/statuses-$label.before"
  # shellcheck disable=SC2086
  c0=$(cpu_ticks $pids); u0=$(cpu_ticks $up_pids); m0=$(machine_busy); l0=$(loadavg)
  BENCH_KEY=$KEY BENCH_MODEL=$model BENCH_STREAM=$stream BENCH_API=${kind%% *} BENCH_BODIES=$OUT/bodies python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("WRKCPU %.3f" % (u.ru_utime + u.ru_stime))
sys.exit(r.returncode)' wrk -t"$THREADS" -c"$CONNS" -d"${dur}s" --timeout 5s --latency -s "$HERE/post.lua" \
    "http://127.0.0.1:$port$path" > "$OUT/wrk-$label.txt" 2>&1
  if [ -n "$prober" ]; then kill "$prober"; wait "$prober" 2>/dev/null || true; fi
  # shellcheck disable=SC2086
  c1=$(cpu_ticks $pids); u1=$(cpu_ticks $up_pids); m1=$(machine_busy); l1=$(loadavg)
  if [ $gw = yes ]; then # the gateway's CPU by thread (ticks), for the breakdown table
    statuses "$port" > "$OUT/statuses-$label.after"
    thread_cpu "$pids" > "$OUT/threads-$label.after"
    join -t$'\t' -1 2 -2 2 "$OUT/threads-$label.before" "$OUT/threads-$label.after" \
      | awk -F'\t' '{ d = $3 - $2; if (d > 0) print d "\t" $1 }' | sort -rn > "$OUT/threads-$label.txt"
    rm -f "$OUT/threads-$label.before" "$OUT/threads-$label.after"
  fi
  local result; result=$(grep '^RESULT' "$OUT/wrk-$label.txt" || true)
  wrkcpu=$(awk '/^WRKCPU/ { print $2 }' "$OUT/wrk-$label.txt")
  # shellcheck disable=SC2086
  local rss; rss=$(hwm_kb $pids)
  if [ "$record" = yes ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$setup" "$target" "$kind" "$result" \
      "$((c1 - c0))" "$((u1 - u0))" "$((m1 - m0))" "$wrkcpu" "$TICK" "$rss" "$l0" "$l1" "$CONNS" >> "$OUT/results.tsv"
  fi
  log "$label: $(echo "$result" | tr ' ' '\n' | grep -E '^(requests|p50_us|p99_us|status_err)=' | tr '\n' ' ')proxy_cpu_ticks=$((c1 - c0)) load=$l0->$l1"
}

# ---------------------------------------------------------------- the processes under test
start_upstream() {
  local dir=$OUT/nginx-up
  mkdir -p "$dir/tmp" && chmod 777 "$dir/tmp"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $UP_WORKERS;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy; fastcgi_temp_path $dir/tmp/fcgi;
  uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$UP_PORT backlog=4096;
    location = /v1/chat/completions { default_type application/json; include $OUT/bodies/return-completion.conf; }
    # The SSE body is longer than an nginx config string may be, so it is a static file. Static
    # files refuse POST (405); error_page turns that into an internal GET of the file.
    location = /sse/v1/chat/completions { error_page 405 =200 /static/stream.sse; return 405; }
    # Anthropic's Messages API: the same answer as a message and as Anthropic's event stream
    location = /v1/messages { default_type application/json; include $OUT/bodies/return-message.conf; }
    location = /sse/v1/messages { error_page 405 =200 /static/messages.sse; return 405; }
    # the Responses API's event stream, for Codex's turns (path xt)
    location = /sse/v1/responses { error_page 405 =200 /static/responses.sse; return 405; }
    # embeddings (1,536 floats, a file for the same reason) and legacy completions
    location = /v1/embeddings { error_page 405 =200 /static/embedding.json; return 405; }
    location = /v1/completions { default_type application/json; include $OUT/bodies/return-text-completion.conf; }
    location = /static/embedding.json {
      internal;
      root $OUT/bodies/www;
      default_type application/json;
      open_file_cache max=16 inactive=1h;
      open_file_cache_valid 1h;
      etag off;
    }
    location ~ ^/static/(stream|messages|responses)\.sse\$ {
      internal;
      root $OUT/bodies/www;
      default_type text/event-stream;
      types { }
      add_header Cache-Control no-cache;
      open_file_cache max=16 inactive=1h;
      open_file_cache_valid 1h;
      etag off;
    }
  }
}
EOF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  UP_MASTER=$!; PIDS+=("$UP_MASTER")
  wait_port "$UP_PORT" "$UP_MASTER"
}

start_proxy() { # start_proxy WORKERS
  local dir=$OUT/nginx-proxy
  mkdir -p "$dir/tmp" && chmod 777 "$dir/tmp"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy; fastcgi_temp_path $dir/tmp/fcgi;
  # an agent's request (paths aj, ac, at, ct, xt, up to about 400 KB) is kept in memory, as the gateway keeps it, not spooled to disk
  client_body_buffer_size 1m;
  uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  upstream fast { server 127.0.0.1:$UP_PORT; keepalive 64; keepalive_requests 1000000; }
  upstream slow { server 127.0.0.1:$SLOW_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$NGX_PORT backlog=4096;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location /v1/ { proxy_pass http://fast; }
    location /sse/ { proxy_pass http://fast; proxy_buffering off; }
    location /slow/ { proxy_pass http://slow/; proxy_buffering off; }
  }
}
EOF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  NGX_MASTER=$!; PIDS+=("$NGX_MASTER")
  wait_port "$NGX_PORT" "$NGX_MASTER"
  sleep 0.2
  NGX_WORKERS=$(nginx_workers "$NGX_MASTER")
}

write_gateway_config() { # write_gateway_config EVENT_LOOPS [PORT DATA_DIR NAME]
  local port=${2:-$GW_PORT} data=${3:-$OUT/data} conf=$OUT/${4:-gateway}-el$1.yaml opts=""
  [ "${4:-}" = gateway-base ] && opts=$BASE_DB_OPTS
  cat > "$conf" <<EOF
server: { host: 127.0.0.1, port: $port, event_loops: $1 }
database: { url: "jdbc:h2:file:$data/tokenrouter$opts" }
usage: { spool_dir: "$data/spool" }
providers:
  - { name: up, type: openai, base_url: "http://127.0.0.1:$UP_PORT/v1", api_key: "bench" }
  - { name: up-sse, type: openai, base_url: "http://127.0.0.1:$UP_PORT/sse/v1", api_key: "bench" }
  - { name: slow, type: openai, base_url: "http://127.0.0.1:$SLOW_PORT/v1", api_key: "bench" }
  - { name: anth, type: anthropic, base_url: "http://127.0.0.1:$UP_PORT", api_key: "bench" }
  - { name: anth-sse, type: anthropic, base_url: "http://127.0.0.1:$UP_PORT/sse", api_key: "bench" }
  - { name: up-responses, type: openai, base_url: "http://127.0.0.1:$UP_PORT/sse/v1", api_key: "bench", responses: native }
models:
  - name: bench-model
    targets: [ { provider: up, model: bench-model } ]
  - name: bench-stream
    targets: [ { provider: up-sse, model: bench-model } ]
  - name: slow-model
    targets: [ { provider: slow, model: slow-model } ]
  - name: bench-claude
    targets: [ { provider: anth, model: bench-claude } ]
  - name: bench-claude-stream
    targets: [ { provider: anth-sse, model: bench-claude-stream } ]
  - name: bench-embed
    targets: [ { provider: up, model: text-embedding-3-small } ]
  - name: bench-agent
    targets: [ { provider: anth, model: bench-claude-agent } ]
  - name: bench-agent-chat
    targets: [ { provider: up, model: bench-model-agent } ]
  - name: bench-codex
    targets: [ { provider: up-responses, model: bench-codex-agent } ]
EOF
  if [ "$ROUTE" = fallback ]; then
    # every model gets a second, never needed target: the router's multi-target path
    # (strategy, session hash and pin lookup) instead of its single-target short path
    sed -i -e 's/\(targets: \[ { provider: \([a-z-]*\), model: \([a-z-]*\) }\)/\1, { provider: \2, model: \3-b, priority: 1 }/' \
      "$conf"
  fi
}

start_gateway() { # start_gateway EVENT_LOOPS LOG_LEVEL: the gateway under test (JAR) on GW_PORT, pid in GW_PID
  launch_gateway "$1" "$2" "$JAR" "$GW_PORT" "$OUT/data" gateway
  GW_PID=$LAUNCHED
}

start_base_gateway() { # start_base_gateway EVENT_LOOPS LOG_LEVEL: BASE_JAR on BASE_PORT (its own copy of the data), pid in BASE_PID
  GW_JAVA_OPTS=$BASE_JAVA_OPTS launch_gateway "$1" "$2" "$BASE_JAR" "$BASE_PORT" "$OUT/data-base" gateway-base
  BASE_PID=$LAUNCHED
}

launch_gateway() { # launch_gateway EVENT_LOOPS LOG_LEVEL JAR PORT DATA_DIR NAME -> LAUNCHED=pid
  local port=$4 name=$6
  write_gateway_config "$1" "$port" "$5" "$name"
  # the GC log's pauses are matched with the 1k rows (rate_runs): a pause is a latency the row may show
  # shellcheck disable=SC2086
  TOKENROUTER_LOG_LEVEL=$2 "$JAVA" $GW_JAVA_OPTS "-Xlog:gc:file=$OUT/gc-$name.log:uptime" -jar "$3" serve \
    --config "$OUT/$name-el$1.yaml" \
    > "$OUT/$name-el$1-$2.log" 2>&1 &
  LAUNCHED=$!; PIDS+=("$LAUNCHED")
  wait_port "$port" "$LAUNCHED"
  local i
  for i in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
}

floor_pid() { # floor_pid floor-netty|floor-vertx
  if [ "$1" = floor-netty ]; then echo "$FLOOR_NETTY_PID"; else echo "$FLOOR_VERTX_PID"; fi
}

start_floor() { # start_floor NAME CLASS PORT: bench/floor/CLASS.java on PORT -> LAUNCHED=pid
  # shellcheck disable=SC2086
  "$JAVA" $GW_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$JAR" "$HERE/floor/$2.java" "$3" "$UP_PORT" "$SLOW_PORT" \
    > "$OUT/floor-$1.log" 2>&1 &
  LAUNCHED=$!; PIDS+=("$LAUNCHED")
  wait_port "$3" "$LAUNCHED"
}

start_floors() { # the two JVM relays of bench/floor/, pids in FLOOR_NETTY_PID and FLOOR_VERTX_PID
  start_floor netty NettyRelay "$FLOOR_NETTY_PORT"; FLOOR_NETTY_PID=$LAUNCHED
  start_floor vertx VertxRelay "$FLOOR_VERTX_PORT"; FLOOR_VERTX_PID=$LAUNCHED
}

sanity() { # sanity LABEL PORT URLPATH MODEL STREAM [API]: one request, must be 200 with the whole body
  local label=$1 port=$2 path=$3 model=$4 stream=$5 api=${6:-chat} body code events auth
  local extra=""
  [ "$stream" = 1 ] && extra=',"stream":true'
  if [ "$api" = messages ]; then
    body="{\"model\":\"$model\",\"max_tokens\":64$extra,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
    auth="x-api-key: $KEY"
  elif [ "$api" = agent ]; then
    body=@$OUT/bodies/agent-messages.json
    auth="x-api-key: $KEY"
  elif [ "$api" = agent-chat ]; then
    body=@$OUT/bodies/agent-chat.json
    auth="Authorization: Bearer $KEY"
  elif [ "$api" = agent-turns ]; then # a conversation's first turn, under an id no load run uses
    body=@$OUT/bodies/agent-turn.json
    auth="x-api-key: $KEY"
  elif [ "$api" = agent-turns-chat ]; then
    body=@$OUT/bodies/agent-turn-chat.json
    auth="Authorization: Bearer $KEY"
  elif [ "$api" = codex-turns ]; then
    body=@$OUT/bodies/agent-turn-responses.json
    auth="Authorization: Bearer $KEY"
  elif [ "$api" = responses ] || [ "$api" = embeddings ]; then
    body="{\"model\":\"$model\"$extra,\"input\":\"hi\"}"
    auth="Authorization: Bearer $KEY"
  elif [ "$api" = completions ]; then
    body="{\"model\":\"$model\",\"prompt\":\"hi\"}"
    auth="Authorization: Bearer $KEY"
  else
    body="{\"model\":\"$model\"$extra,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
    auth="Authorization: Bearer $KEY"
  fi
  code=$(curl -s -o "$OUT/sanity-$label.out" -w '%{http_code}' -H "$auth" -H 'anthropic-version: 2023-06-01' \
    -H 'Content-Type: application/json' --data-binary "$body" "http://127.0.0.1:$port$path")
  events=$(grep -c '^data: ' "$OUT/sanity-$label.out" || true)
  log "sanity $label: HTTP $code, $(wc -c < "$OUT/sanity-$label.out") bytes, $events SSE events"
  [ "$code" = 200 ] || { log "sanity check failed for $label"; cat "$OUT/sanity-$label.out" >&2; exit 1; }
}

conn_warmup() { # conn_warmup TARGET: CONN_WARMUP s of chat JSON requests on TARGET, each on a new connection
  BENCH_CLOSE=1 WARMUP=$CONN_WARMUP CONNS=8 load cj "$1" "conn-warm-$1" 1x "" no
}

ttft() { # ttft LABEL PORT URLPATH MODEL ["PIDS"]: 10 warm-up requests, then TTFT_N measured (TTFT_KEEPALIVE=1: one
  # connection). With PIDS, also the proxy's time on a CPU per stream (schedstat): its processes' threads in all
  # (cpu_us) and its busiest thread (loop_us: nginx's worker, a JVM's event loop), with nothing else in flight
  python3 "$HERE/ttft.py" "$1-warmup" "$2" "$3" "$4" "$KEY" 10 > /dev/null
  local cpu=""
  # shellcheck disable=SC2086
  [ -n "${5:-}" ] && thread_ns $5 > "$OUT/ns-$1.before"
  local line; line=$(python3 "$HERE/ttft.py" "$1" "$2" "$3" "$4" "$KEY" "$TTFT_N")
  if [ -n "${5:-}" ]; then
    # shellcheck disable=SC2086
    cpu=$(join <(thread_ns $5 | sort) <(sort "$OUT/ns-$1.before") \
      | awk -v n="$TTFT_N" '{ d = $2 - $3; s += d; if (d > m) m = d } END { printf " cpu_us=%d loop_us=%d", s / n / 1000, m / n / 1000 }')
    rm -f "$OUT/ns-$1.before"
  fi
  echo "$line$cpu" | tee -a "$OUT/ttft.txt" >&2
}

# ---------------------------------------------------------------- the paths
# cj = chat completions JSON, cs = chat completions stream, mj = Anthropic messages JSON,
# ms = Anthropic messages stream (relayed to an Anthropic-format upstream), rj / rs = the Responses
# API, JSON / stream (the gateway translates it to the chat upstream; nginx and the floors relay
# the same request to that upstream's chat answer), ej = embeddings, tj = legacy completions,
# aj / ac = an agent's request, one body repeated, at / ct = an agent's conversations turn by turn
# (post.lua builds each turn), in the messages / the chat format, xt = Codex's conversations turn by
# turn, streamed from a provider's own /responses.
path_spec() { # path_spec PATHKEY TARGET -> "KIND|PORT|URLPATH|MODEL|STREAM"
  local key=$1 target=$2 port
  case $target in
    direct) port=$UP_PORT ;;
    nginx) port=$NGX_PORT ;;
    gateway-base*) port=$BASE_PORT ;;
    floor-netty) port=$FLOOR_NETTY_PORT ;;
    floor-vertx) port=$FLOOR_VERTX_PORT ;;
    *) port=$GW_PORT ;;
  esac
  case $key:$target in
    cj:*) echo "chat JSON|$port|/v1/chat/completions|bench-model|0" ;;
    cs:gateway*) echo "chat stream|$port|/v1/chat/completions|bench-stream|1" ;;
    cs:*) echo "chat stream|$port|/sse/v1/chat/completions|bench-stream|1" ;;
    mj:*) echo "messages JSON|$port|/v1/messages|bench-claude|0" ;;
    ms:gateway*) echo "messages stream|$port|/v1/messages|bench-claude-stream|1" ;;
    ms:*) echo "messages stream|$port|/sse/v1/messages|bench-claude-stream|1" ;;
    rj:gateway*) echo "responses JSON|$port|/v1/responses|bench-model|0" ;;
    rj:*) echo "responses JSON|$port|/v1/chat/completions|bench-model|0" ;;
    rs:gateway*) echo "responses stream|$port|/v1/responses|bench-stream|1" ;;
    rs:*) echo "responses stream|$port|/sse/v1/chat/completions|bench-stream|1" ;;
    ej:*) echo "embeddings JSON|$port|/v1/embeddings|bench-embed|0" ;;
    tj:*) echo "completions JSON|$port|/v1/completions|bench-model|0" ;;
    aj:*) echo "agent messages JSON|$port|/v1/messages|bench-agent|0" ;;
    ac:*) echo "agent-chat JSON|$port|/v1/chat/completions|bench-agent-chat|0" ;;
    at:*) echo "agent-turns messages JSON|$port|/v1/messages|bench-agent|0" ;;
    ct:*) echo "agent-turns-chat JSON|$port|/v1/chat/completions|bench-agent-chat|0" ;;
    xt:gateway*) echo "codex-turns Responses stream|$port|/v1/responses|bench-codex|1" ;;
    xt:*) echo "codex-turns Responses stream|$port|/sse/v1/responses|bench-codex|1" ;;
  esac
}

jvm_uptime() { # jvm_uptime PID: seconds since the process started, as its GC log's uptime counts them (within ms)
  awk -v tick="$TICK" -v start="$(awk '{ print $22 }' "/proc/$1/stat")" '{ printf "%.3f", $1 - start / tick }' /proc/uptime
}

rate_runs() { # rate_runs "GATEWAY TARGETS": each of RATE_PATHS at about 1,000 requests/s, direct, nginx, gateways
  local p t pids from
  for p in $RATE_PATHS; do
    for t in direct nginx $FLOOR_TARGETS $1; do
      case $t in
        direct) pids="" ;; nginx) pids=$NGX_WORKERS ;; gateway-base) pids=$BASE_PID ;;
        floor-*) pids=$(floor_pid "$t") ;; *) pids=$GW_PID ;;
      esac
      WARMUP=$RATE_WARMUP CONNS=10 BENCH_DELAY_MS=10 load "$p" "$t" "rate-warm-$t-$p" 1k "$pids" no
      from=
      if [ "${t#gateway}" != "$t" ]; then from=$(jvm_uptime "$pids"); fi
      CONNS=10 BENCH_DELAY_MS=10 load "$p" "$t" "rate-$t-$p" 1k "$pids"
      if [ -n "$from" ]; then # the row's span in the gateway's GC log, for summarize.py
        printf '%s\t%s\t%s\n' "$t" "$(path_spec "$p" "$t" | cut -d'|' -f1)" "$from $(jvm_uptime "$pids")" \
          >> "$OUT/gc-windows.tsv"
      fi
    done
  done
}

load() { # load PATHKEY TARGET LABEL SETUP "PIDS" [record]: run_wrk on one path
  local kind port path model stream
  IFS='|' read -r kind port path model stream <<< "$(path_spec "$1" "$2")"
  run_wrk "$3" "$4" "$2" "$kind" "$port" "$path" "$model" "$stream" "$5" "${6:-yes}"
}

check() { # check PATHKEY TARGET: one sanity request
  local kind port path model stream
  IFS='|' read -r kind port path model stream <<< "$(path_spec "$1" "$2")"
  sanity "$2-$1" "$port" "$path" "$model" "$stream" "${kind%% *}"
  # an Anthropic client's answer from an Anthropic-format upstream is relayed byte for byte
  local want=
  # and so is a Responses client's from a provider whose own /responses is used (Codex, xt)
  case $1 in
    mj | aj | at) want=$OUT/bodies/message.json ;;
    ms) want=$OUT/bodies/www/static/messages.sse ;;
    xt) want=$OUT/bodies/www/static/responses.sse ;;
  esac
  if [ -n "$want" ] && ! cmp -s "$want" "$OUT/sanity-$2-$1.out"; then
    log "$2 $1: the answer is not the upstream's bytes"; exit 1
  fi
}

# ---------------------------------------------------------------- the run
main() {
  ensure_tools
  rm -rf "$OUT"; mkdir -p "$OUT/data"
  local started; started=$(date +%s)
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "command: $0 $*  (DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS THREADS=$THREADS TTFT_N=$TTFT_N UP_WORKERS=$UP_WORKERS GW_JAVA_OPTS=$GW_JAVA_OPTS${BASE_JAR:+ BASE_JAVA_OPTS=$BASE_JAVA_OPTS})"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r)"
    echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "nginx: $("$NGINX" -v 2>&1)"
    echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
    echo "gateway commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$OUT/machine.txt"
  cat "$OUT/machine.txt" >&2
  python3 "$HERE/gen_bodies.py" "$OUT/bodies" >&2

  # the key, created before the gateway opens the embedded database
  write_gateway_config 1
  KEY=$("$JAVA" -jar "$JAR" keys create --config "$OUT/gateway-el1.yaml" --name bench \
    | awk '/^key:/ { print $2 }')
  [ -n "$KEY" ] || { log "could not create a key"; exit 1; }
  local gws=gateway
  if [ -n "$BASE_JAR" ]; then
    cp -r "$OUT/data" "$OUT/data-base"  # the same key; each gateway its own database file
    gws="gateway-base gateway"
  fi

  start_upstream
  start_proxy 1
  # the default configuration: access log at its default level (INFO, one line per request)
  start_gateway 1 INFO
  [ -n "$BASE_JAR" ] && start_base_gateway 1 INFO
  if [ "$FLOORS" = 1 ]; then
    start_floors
    FLOOR_TARGETS="floor-netty floor-vertx"
  fi
  log "upstream nginx master $UP_MASTER (workers $(nginx_workers "$UP_MASTER")), proxy nginx workers $NGX_WORKERS, gateway pid $GW_PID${BASE_JAR:+, base gateway pid $BASE_PID}"

  local p t
  for t in direct nginx $FLOOR_TARGETS $gws; do
    for p in $PATHS; do check "$p" "$t"; done
  done

  : > "$OUT/results.tsv"
  # --- 1 nginx worker vs 1 gateway event loop
  for p in $PATHS; do load "$p" direct "direct-$p" 1x ""; done
  for p in $PATHS; do load "$p" nginx "nginx1-$p" 1x "$NGX_WORKERS"; done
  for t in $FLOOR_TARGETS; do # warmed up as the gateway is, then measured
    for p in $PATHS; do load "$p" "$t" "warm-$t-$p" 1x "$(floor_pid "$t")" no; done
    for p in $PATHS; do load "$p" "$t" "${t}1-$p" 1x "$(floor_pid "$t")"; done
  done
  log "gateway warm-up (${WARMUP}s per path, not counted)"
  for p in $PATHS; do
    [ -n "$BASE_JAR" ] && load "$p" gateway-base "warm-base-$p" 1x "$BASE_PID" no
    load "$p" gateway "warm-$p" 1x "$GW_PID" no
  done
  for p in $PATHS; do # each path on the base jar, then at once on the jar under test; ROUNDS times,
    # the order swapped each round, so that the machine's drift falls on both jars alike
    for r in $(seq 1 "$ROUNDS"); do
      local round; round=$([ "$r" = 1 ] && echo "" || echo "r$r")
      if [ -n "$BASE_JAR" ] && [ $((r % 2)) = 1 ]; then
        load "$p" gateway-base "gateway-base1$round-$p" 1x "$BASE_PID"
      fi
      load "$p" gateway "gateway1$round-$p" 1x "$GW_PID"
      if [ -n "$BASE_JAR" ] && [ $((r % 2)) = 0 ]; then
        load "$p" gateway-base "gateway-base1$round-$p" 1x "$BASE_PID"
      fi
    done
  done

  # --- added latency at a moderate, fixed rate (about 1,000 requests/s), far from saturation
  if [ "$RATE_RUN" = 1 ]; then rate_runs "$gws"; fi

  # --- time to first token on a slow streaming upstream (no other load)
  python3 "$HERE/slow_upstream.py" "$SLOW_PORT" 50 20 6 &
  PIDS+=("$!")
  wait_port "$SLOW_PORT"
  : > "$OUT/ttft.txt"
  for t in nginx $FLOOR_TARGETS $gws; do conn_warmup "$t"; done
  ttft direct "$SLOW_PORT" /v1/chat/completions slow-model
  ttft nginx "$NGX_PORT" /slow/v1/chat/completions slow-model
  for t in $FLOOR_TARGETS; do ttft "$t" "$(path_spec cj "$t" | cut -d'|' -f2)" /slow/v1/chat/completions slow-model; done
  [ -n "$BASE_JAR" ] && ttft gateway-base "$BASE_PORT" /v1/chat/completions slow-model
  ttft gateway "$GW_PORT" /v1/chat/completions slow-model
  # the same over one kept-alive client connection (no connection set-up per request)
  TTFT_KEEPALIVE=1 ttft direct-ka "$SLOW_PORT" /v1/chat/completions slow-model
  # (and what each spends on a CPU per stream: a stream's few events, each waking a process that slept)
  TTFT_KEEPALIVE=1 ttft nginx-ka "$NGX_PORT" /slow/v1/chat/completions slow-model "$NGX_WORKERS"
  for t in $FLOOR_TARGETS; do
    TTFT_KEEPALIVE=1 ttft "$t-ka" "$(path_spec cj "$t" | cut -d'|' -f2)" /slow/v1/chat/completions slow-model \
      "$(floor_pid "$t")"
  done
  [ -n "$BASE_JAR" ] && TTFT_KEEPALIVE=1 ttft gateway-base-ka "$BASE_PORT" /v1/chat/completions slow-model "$BASE_PID"
  TTFT_KEEPALIVE=1 ttft gateway-ka "$GW_PORT" /v1/chat/completions slow-model "$GW_PID"
  echo "gateway_el1_vmhwm_kb $(hwm_kb "$GW_PID")" >> "$OUT/rss.txt"
  echo "nginx_proxy_1w_vmhwm_kb $(hwm_kb $NGX_WORKERS)" >> "$OUT/rss.txt"
  for t in $FLOOR_TARGETS; do
    echo "${t//-/_}_vmhwm_kb $(hwm_kb "$(floor_pid "$t")")" >> "$OUT/rss.txt"
    stop_pid "$(floor_pid "$t")"
  done
  stop_pid "$GW_PID"
  echo "gateway_el1_access_log_lines $(grep -c '"logger_name":"tokenrouter.access"' "$OUT/gateway-el1-INFO.log")" >> "$OUT/rss.txt"
  if [ -n "$BASE_JAR" ]; then
    echo "gateway_base_el1_vmhwm_kb $(hwm_kb "$BASE_PID")" >> "$OUT/rss.txt"
    stop_pid "$BASE_PID"
  fi

  # --- the cost of the access log: the same setup with it off (one chat JSON run)
  if [ "$WARN_RUN" = 1 ]; then
    start_gateway 1 WARN
    load cj gateway warm-warn 1x "$GW_PID" no
    load cj gateway-WARN-log gateway1-cj-WARN 1x "$GW_PID"
    echo "gateway_el1_warn_vmhwm_kb $(hwm_kb "$GW_PID")" >> "$OUT/rss.txt"
    stop_pid "$GW_PID"
  fi

  # --- 2 nginx workers vs 2 gateway event loops
  if [ "$SCALE2" = 1 ]; then
    stop_pid "$NGX_MASTER"
    start_proxy 2
    for p in $PATHS2; do load "$p" nginx "nginx2-$p" 2x "$NGX_WORKERS"; done
    start_gateway 2 INFO
    for p in $PATHS2; do load "$p" gateway "warm2-$p" 2x "$GW_PID" no; done
    for p in $PATHS2; do load "$p" gateway "gateway2-$p" 2x "$GW_PID"; done
    echo "gateway_el2_vmhwm_kb $(hwm_kb "$GW_PID")" >> "$OUT/rss.txt"
    echo "nginx_proxy_2w_vmhwm_kb $(hwm_kb $NGX_WORKERS)" >> "$OUT/rss.txt"
    stop_pid "$GW_PID"
  fi

  echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
  echo "elapsed: $(( $(date +%s) - started )) s" >> "$OUT/machine.txt"
  python3 "$HERE/summarize.py" "$OUT" | tee "$OUT/summary.md"
}

# ---------------------------------------------------------------- profile mode
thread_cpu() { # one line per thread of PID: "ticks name", summed by thread name (digits stripped)
  local pid=$1 t
  for t in /proc/"$pid"/task/*; do
    # a thread may end between the listing and the read (the JIT starts and stops compiler
    # threads): under set -e a failed read here stopped the whole run without a word
    local name; name=$(sed 's/[0-9#-]*$//' "$t/comm" 2>/dev/null || true)
    awk -v name="$name" '{ sub(/^.*\) /, ""); printf "%s\t%s (user)\n%s\t%s (sys)\n", $12, name, $13, name }' \
      "$t/stat" 2>/dev/null || true
  done | awk -F'\t' '{ s[$2] += $1 } END { for (k in s) print s[k] "\t" k }' | sort -t$'\t' -k2
}

start_profiled() { # start_profiled NAME: OUT becomes OUT/NAME, emptied; the upstream, a key and a gateway
  # whose profiles keep every inlined frame
  local dir=$OUT/$1
  rm -rf "$dir"; mkdir -p "$dir/data"
  OUT=$dir
  python3 "$HERE/gen_bodies.py" "$OUT/bodies" >&2
  write_gateway_config 1
  KEY=$("$JAVA" -jar "$JAR" keys create --config "$OUT/gateway-el1.yaml" --name bench | awk '/^key:/ { print $2 }')
  start_upstream
  GW_JAVA_OPTS="$GW_JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" start_gateway 1 INFO
  : > "$OUT/results.tsv"
}

profile_main() { # bench/run.sh profile: JFR of the gateway under the same load, plus CPU by thread
  ensure_tools
  start_profiled profile
  local P=$OUT kind
  for kind in $PATHS; do load "$kind" gateway "warm-$kind" 1x "$GW_PID" no; done
  for kind in $PATHS; do
    local label; label=$(path_spec "$kind" gateway | cut -d'|' -f1)
    "$JAVA_HOME/bin/jcmd" "$GW_PID" JFR.start name=$kind settings=profile filename="$P/gw-$kind.jfr" >/dev/null
    load "$kind" gateway "profile-$kind" 1x "$GW_PID"
    "$JAVA_HOME/bin/jcmd" "$GW_PID" JFR.stop name=$kind >/dev/null
    { echo "## gateway $label: CPU seconds by thread during the profiled run"
      awk -F'\t' -v tick="$TICK" '{ printf "%8.2f s  %s\n", $1 / tick, $2 }' "$P/threads-profile-$kind.txt"
      python3 "$HERE/jfr_top.py" "$JAVA_HOME/bin/jfr" "$P/gw-$kind.jfr" 30 \
        "$(grep -o 'RESULT requests=[0-9]*' "$P/wrk-profile-$kind.txt" | cut -d= -f2)"; } > "$P/profile-$kind.md"
    log "profile written: $P/profile-$kind.md"
  done
  # system calls per request: strace -c on the proxy while N sequential requests go through it
  stop_pid "$GW_PID"
  start_proxy 1
  start_gateway 1 INFO
  local who port path model stream pids t args n=500
  for who in nginx gateway; do
    for kind in ns st; do
      port=$NGX_PORT; pids=$NGX_WORKERS; path=/v1/chat/completions; model=bench-model; stream=0
      [ $who = gateway ] && { port=$GW_PORT; pids=$GW_PID; }  # -f with -p attaches every thread
      [ $kind = st ] && { model=bench-stream; stream=1; [ $who = nginx ] && path=/sse/v1/chat/completions; }
      python3 "$HERE/seqclient.py" "$port" "$path" "$model" "$KEY" "$stream" 200 > /dev/null  # warm the path
      args=(); for t in $pids; do args+=(-p "$t"); done
      strace -c -f -qq -o "$P/strace-$who-$kind.txt" "${args[@]}" 2>/dev/null &
      local spid=$!
      sleep 1
      python3 "$HERE/seqclient.py" "$port" "$path" "$model" "$KEY" "$stream" $n > /dev/null
      sleep 0.5
      kill -INT "$spid"; wait "$spid" || true
      awk -v n=$n -v who=$who -v kind=$kind '$NF == "total" { printf "%s %s: %.1f syscalls/request", who, kind, $4 / n }
        /^ *[0-9]/ && $NF != "total" { if ($NF ~ /^(write|writev|sendmsg|sendto|send)$/) w += $4;
        if ($NF ~ /^(read|readv|recvfrom|recvmsg|recv)$/) r += $4 }
        END { printf "  writes/request %.1f, reads/request %.1f\n", w / n, r / n }' "$P/strace-$who-$kind.txt" \
        | tee -a "$P/syscalls.txt" >&2
    done
  done
  python3 "$HERE/summarize.py" "$OUT" > "$P/summary.md" || true
  cat "$P/summary.md" >&2
}

ASPROF_VERSION=${ASPROF_VERSION:-4.1}
asprof_lib() { # the async-profiler agent, fetched once from Maven Central into bench/out/tools
  local dir=$HERE/out/tools/async-profiler-$ASPROF_VERSION lib
  lib=$dir/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so
  if [ ! -f "$lib" ]; then
    mkdir -p "$dir"
    (cd "$ROOT" && PATH=$JAVA_HOME/bin:$PATH mvn -q -B -ntp dependency:copy \
      -Dartifact="tools.profiler:async-profiler:$ASPROF_VERSION" -DoutputDirectory="$dir" >&2)
    (cd "$dir" && unzip -q -o "async-profiler-$ASPROF_VERSION.jar" 'linux-*/*')
  fi
  echo "$lib"
}

asprof_main() { # bench/run.sh asprof: CPU samples (itimer: no perf events needed) of the gateway under load
  ensure_tools
  local lib; lib=$(asprof_lib)
  start_profiled asprof
  local P=$OUT kind
  for kind in $PATHS; do
    load "$kind" gateway "warm-$kind" 1x "$GW_PID" no
    # jcmd takes key=value words as its own arguments unless the option string is quoted inside
    "$JAVA_HOME/bin/jcmd" "$GW_PID" JVMTI.agent_load "$lib" "\"start,event=${ASPROF_EVENT:-itimer},interval=${ASPROF_INTERVAL:-1ms},threads\"" >/dev/null
    load "$kind" gateway "asprof-$kind" 1x "$GW_PID"
    "$JAVA_HOME/bin/jcmd" "$GW_PID" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$P/$kind.collapsed\"" >/dev/null
    { echo "## gateway $(path_spec "$kind" gateway | cut -d'|' -f1): CPU seconds by thread during the sampled run"
      awk -F'\t' -v tick="$TICK" '{ printf "%8.2f s  %s\n", $1 / tick, $2 }' "$P/threads-asprof-$kind.txt"
      grep -o 'RESULT requests=[0-9]*' "$P/wrk-asprof-$kind.txt"
      python3 "$HERE/collapsed_top.py" "$P/$kind.collapsed" vert.x-eventloop 15; } > "$P/asprof-$kind.md"
    log "profile written: $P/asprof-$kind.md"
  done
}

# sourced (for ad-hoc experiments): define the functions only
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return 0
fi
if [ "${1:-}" = profile ]; then
  profile_main
elif [ "${1:-}" = asprof ]; then
  asprof_main
else
  main "$@"
fi

#!/usr/bin/env bash
# TokenRouter capacity benchmarks (issue 13): open streams, memory over a soak, start time,
# the usage recorder's cost on PostgreSQL. Results go to bench/capacity/out/<mode>/.
#
#   bench/capacity/run.sh streams    # 9,900 concurrent streams, 1 event/s, each 90 s, all open from 40 s to 90 s (~3 min)
#   bench/capacity/run.sh soak       # 1,000 rotating streams + 20 JSON req/s for 30 min, RSS every 10 s
#   bench/capacity/run.sh startup    # exec -> /health/ready 200, 5 starts per variant
#   bench/capacity/run.sh recorder   # usage recorder on PostgreSQL: CPU per record, by thread
#
# Knobs (environment): MEM=launcher|container|custom (launcher: ./tokenrouter's default heap cap;
# container: the Dockerfile ENTRYPOINT's -XX flags with -XX:MaxRAM=$LIMIT, LIMIT the k8s memory
# limit, default 1g; custom: GW_OPTS), HISTO=1 (streams: a live class histogram of the gateway
# when idle and when every stream is open, for the heap each stream holds), STREAMS=9900 (the most this machine's 20,000 descriptors allow: two a stream), RAMP=250 (streams opened a second), EVENTS=90 (events a
# stream, one a second), SOAK_STREAMS=1000, SOAK_SECONDS=1800, JSON_RPS=20 (soak: with
# -XX:NativeMemoryTracking=summary in GW_OPTS, the JVM's memory by category, growth from 2 min on), STARTS=5,
# RATE=200 and MEASURE_S=60 (recorder: JSON requests a second, measured seconds),
# PG_URL (recorder: default jdbc:postgresql://127.0.0.1:5432/tr_capacity, created if missing),
# TRAIN=1 (a training start before the measured one, so it uses the launcher's class data sharing
# archive; the startup mode measures the training start itself as its first start),
# UPSTREAMS=2 (slow upstream processes sharing its port), PORT_BASE=29180, JAVA_HOME (default Temurin 25), APP (startup: a directory with a launcher and
# target/tokenrouter.jar to measure instead of this checkout's, e.g. an older build).
# The gateway runs through the launcher (./tokenrouter) from a copy of the checkout's launcher
# and jar in out/<mode>/app, so rebuilding the checkout does not disturb a running soak.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODE=${1:-streams}
OUT=$HERE/out/$MODE${MEM:+-$MEM}
MEM=${MEM:-launcher}
LIMIT=${LIMIT:-1g}
STREAMS=${STREAMS:-9900}
RAMP=${RAMP:-250}
EVENTS=${EVENTS:-90}
SOAK_STREAMS=${SOAK_STREAMS:-1000}
SOAK_SECONDS=${SOAK_SECONDS:-1800}
JSON_RPS=${JSON_RPS:-20}
STARTS=${STARTS:-5}
RATE=${RATE:-200}
SECONDS_MEASURED=${MEASURE_S:-60}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/tr_capacity}
PORT_BASE=${PORT_BASE:-29180}
GW_PORT=$PORT_BASE
UP_PORT=$((PORT_BASE + 1))
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java

log() { printf '[capacity %s] %s\n' "$(date +%T)" "$*" >&2; }

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every stream costs the gateway two descriptors (client and upstream side), the client and the
# upstream one each: raise the limit for this shell and its children (root may raise the hard one).
ulimit -Hn 65536 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"

wait_ready() { # wait_ready PID: until /health/ready answers 200
  local i
  for i in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_PORT/health/ready")" = 200 ] && return 0
    kill -0 "$1" 2>/dev/null || { log "the gateway exited; see $OUT/gateway.log"; tail -20 "$OUT/gateway.log" >&2; exit 1; }
    sleep 0.1
  done
  log "the gateway is not ready after 60 s"; exit 1
}

prepare_app() { # a private copy of the launcher and the jar: ./tokenrouter runs it unchanged
  [ -f "$ROOT/target/tokenrouter.jar" ] || (cd "$ROOT" && PATH=$JAVA_HOME/bin:$PATH mvn -q -B -DskipTests package)
  rm -rf "$OUT/app" && mkdir -p "$OUT/app/target" "$OUT/app/src"
  cp "$ROOT/tokenrouter" "$OUT/app/"
  cp "$ROOT/target/tokenrouter.jar" "$OUT/app/target/"
  touch -d '2000-01-01' "$OUT/app/pom.xml" "$OUT/app/src"
  [ "${TRAIN:-1}" = 1 ] || return 0
  # The launcher's first serve/demo start is a class data sharing training run (JDK 25: written
  # when it stops): make it here, on the built-in demo configuration, so the measured gateway
  # starts as every later start does.
  mkdir -p "$OUT/training"
  (cd "$OUT/training" && TOKENROUTER_SERVER_PORT=$GW_PORT exec "$OUT/app/tokenrouter" serve) > "$OUT/training.log" 2>&1 &
  local pid=$!
  wait_ready "$pid"
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$OUT/training"
  log "training start done: $(ls "$OUT/app/target" | tr '\n' ' ')"
}

java_opts() { # the memory settings under test
  if [ "$MEM" = container ]; then
    # the flags of the image's ENTRYPOINT, with the container's limit made visible to the JVM
    # (its AOT cache is stood in for by the launcher's, trained the same way)
    echo "$(grep '^ENTRYPOINT' "$ROOT/Dockerfile" | grep -o '"-XX:[^"]*"' | tr -d '"' | grep -v AOTCache \
      | tr '\n' ' ')-XX:MaxRAM=$LIMIT"
  elif [ "$MEM" = custom ]; then
    echo "$GW_OPTS"
  fi
}

write_config() { # write_config DATABASE_URL
  cat > "$OUT/gateway.yaml" <<YAML
server: { host: 127.0.0.1, port: $GW_PORT }
database: { url: "$1" }
usage: { spool_dir: "$OUT/data/spool" }
providers:
  # connect: the Python upstream accepts late when thousands of connections arrive on a loaded
  # machine (its SYNs are retried after 1, 3, 7 s); the gateway is not what is measured there
  - { name: slow, type: openai, base_url: "http://127.0.0.1:$UP_PORT/v1", api_key: "capacity",
      timeouts: { connect: 30s } }
models:
  - name: cap-stream
    targets: [ { provider: slow, model: cap-model } ]
  - name: cap-json
    targets: [ { provider: slow, model: cap-model } ]
YAML
}

start_gateway() { # the key first (the embedded database is locked while the gateway runs)
  KEY=$("$JAVA" -jar "$OUT/app/target/tokenrouter.jar" keys create --config "$OUT/gateway.yaml" --name capacity \
    | awk '/^key:/ { print $2 }')
  [ -n "$KEY" ] || { log "could not create a key"; exit 1; }
  local opts; opts=$(java_opts)
  log "gateway: ./tokenrouter serve, JAVA_OPTS=${opts:-unset (the launcher default)}"
  if [ -n "$opts" ]; then
    JAVA_OPTS=$opts "$OUT/app/tokenrouter" serve --config "$OUT/gateway.yaml" > "$OUT/gateway.log" 2>&1 &
  else
    (unset JAVA_OPTS; exec "$OUT/app/tokenrouter" serve --config "$OUT/gateway.yaml") > "$OUT/gateway.log" 2>&1 &
  fi
  GW_PID=$!; PIDS+=("$GW_PID")
  wait_ready "$GW_PID"
  echo "$(tr '\0' ' ' < "/proc/$GW_PID/cmdline")" > "$OUT/gateway.cmdline"
  log "gateway pid $GW_PID: $(cat "$OUT/gateway.cmdline")"
}

start_upstream() { # start_upstream EVERY_MS CHUNKS: UPSTREAMS processes on one port
  local i
  for i in $(seq 1 "${UPSTREAMS:-2}"); do
    python3 "$HERE/upstream.py" "$UP_PORT" "$1" "$2" >> "$OUT/upstream.log" 2>&1 &
    PIDS+=("$!")
  done
}

start_sampler() { # start_sampler INTERVAL_S
  "$HERE/sample.sh" "$GW_PID" "$GW_PORT" "$1" "$OUT/samples.txt" &
  PIDS+=("$!")
}

machine() {
  { echo "date: $(date -u +%FT%TZ)"; echo "cores: $(nproc)"; echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java: $("$JAVA" -version 2>&1 | head -1)"; echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)"
    echo "mem: $MEM $(java_opts)"; } > "$OUT/machine.txt"
}

status_line() { # one sample of the gateway, now
  awk '/^VmRSS:|^VmHWM:|^Threads:/ { printf "%s %s ", $1, $2 } END { print "" }' "/proc/$GW_PID/status"
}

histogram() { # histogram NAME: live objects by class (a full GC), when HISTO=1
  [ "${HISTO:-0}" = 1 ] || return 0
  "$JAVA_HOME/bin/jcmd" "$GW_PID" GC.class_histogram > "$OUT/histo-$1.txt" 2>&1 || true
}

mode_streams() {
  start_upstream 1000 "$EVENTS"
  start_gateway
  # warm-up: a few streams and JSON requests, so the idle figure includes loaded classes and JIT
  python3 "$HERE/streams.py" hold "$GW_PORT" "$KEY" cap-stream 200 100 2 > "$OUT/warmup.json"
  sleep 2
  histogram idle
  echo "idle: $(status_line)" > "$OUT/points.txt"
  start_sampler 2
  log "opening $STREAMS streams, $RAMP a second, each $EVENTS events 1 s apart (load $(cut -d' ' -f1 /proc/loadavg))"
  python3 "$HERE/streams.py" hold "$GW_PORT" "$KEY" cap-stream "$STREAMS" "$RAMP" "$EVENTS" \
    > "$OUT/client.json" 2> "$OUT/client.log" &
  local client=$!
  # all streams are open from STREAMS/RAMP s until the first ends, EVENTS s after it opened
  sleep $(( STREAMS / ${RAMP%.*} + (EVENTS - STREAMS / ${RAMP%.*}) / 2 ))
  echo "plateau: $(status_line) fds $(ls /proc/$GW_PID/fd | wc -l) load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/points.txt"
  histogram plateau
  wait "$client"
  sleep 5
  echo "after: $(status_line)" >> "$OUT/points.txt"
  cat "$OUT/points.txt" "$OUT/client.json" >&2
  python3 "$HERE/report.py" streams "$OUT" | tee "$OUT/summary.md"
}

mode_soak() {
  start_upstream 1000 "$EVENTS"
  start_gateway
  start_sampler 10
  log "soak: $SOAK_STREAMS streams rotating + $JSON_RPS JSON req/s for $SOAK_SECONDS s"
  python3 "$HERE/streams.py" soak "$GW_PORT" "$KEY" cap-stream "$SOAK_STREAMS" "$SOAK_SECONDS" "$EVENTS" \
    cap-json "$JSON_RPS" > "$OUT/client.json" 2> "$OUT/client.log" &
  local client=$!
  if [[ "$(java_opts)" == *NativeMemoryTracking* ]]; then
    # what grows: the JVM's own accounting, from the end of the first rotation to the end
    sleep 120
    "$JAVA_HOME/bin/jcmd" "$GW_PID" VM.native_memory baseline > /dev/null
    wait "$client"
    "$JAVA_HOME/bin/jcmd" "$GW_PID" VM.native_memory summary.diff > "$OUT/nmt-diff.txt" 2>&1 || true
  else
    wait "$client"
  fi
  python3 "$HERE/report.py" soak "$OUT" | tee "$OUT/summary.md"
}

mode_recorder() { # a dedicated database, so tests and other benchmarks are not disturbed
  local db=${PG_URL##*/}
  psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname = '$db'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d postgres -c "create database $db" >/dev/null
  write_config "$PG_URL"
  sed -i "s#^database: { url: \"$PG_URL\" }#mode: dev\ndatabase: { url: \"$PG_URL\", username: postgres }#" "$OUT/gateway.yaml"
  start_upstream 1000 "$EVENTS"
  start_gateway
  log "recorder: $RATE JSON requests a second for $SECONDS_MEASURED s on $PG_URL (load $(cut -d' ' -f1 /proc/loadavg))"
  python3 "$HERE/recorder.py" "$GW_PID" "$GW_PORT" "$KEY" cap-json "$RATE" "$SECONDS_MEASURED" "$db" | tee "$OUT/recorder.json"
}

mode_startup() { # each variant STARTS times in a fresh directory: the first start creates the database
  local variant; : > "$OUT/summary.md"
  sed -e "s#https://api\.[a-z.]*#http://127.0.0.1:1#" "$ROOT/config/tokenrouter.example.yaml" > "$OUT/example.yaml"
  for variant in demo serve example; do
    local wd="$OUT/$variant"; rm -rf "$wd"; mkdir -p "$wd"
    local cmd=("$APP/tokenrouter" demo --port "$GW_PORT")
    [ $variant = serve ] && cmd=("$APP/tokenrouter" serve)
    [ $variant = example ] && cmd=("$APP/tokenrouter" serve --config "$OUT/example.yaml")
    log "startup $variant: ${cmd[*]} (load $(cut -d' ' -f1 /proc/loadavg))"
    local result
    result=$(cd "$wd" && TOKENROUTER_SERVER_PORT=$GW_PORT OPENAI_API_KEY=x ANTHROPIC_API_KEY=x DEEPSEEK_API_KEY=x \
      python3 "$HERE/startup.py" "$GW_PORT" "$STARTS" "$wd" -- "${cmd[@]}")
    echo "| $variant | \`${cmd[*]##*/}\` | $result | $(cut -d' ' -f1 /proc/loadavg) |" | tee -a "$OUT/summary.md"
  done
}

# Everything below in one block: bash parses it whole before running it, so editing this file
# while a run goes on (a 30-minute soak) cannot change what that run does next.
{
  mkdir -p "$OUT"
  rm -rf "$OUT/data"
  case "$MODE" in
    streams|soak)
      prepare_app; write_config "jdbc:h2:file:$OUT/data/tokenrouter"; machine; "mode_$MODE" ;;
    startup)
      if [ -z "${APP:-}" ]; then TRAIN=0 prepare_app; APP=$OUT/app; fi
      machine; echo "app: $APP" >> "$OUT/machine.txt"; mode_startup ;;
    recorder)
      prepare_app; machine; mode_recorder ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
  exit
}

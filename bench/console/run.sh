#!/usr/bin/env bash
# The console's page loads with a million requests recorded, on PostgreSQL, in one command:
#   bench/console/run.sh
# Makes a fresh database (DB, default tokenrouter_console_bench) on the local PostgreSQL, starts the
# gateway on it (migrations), fills ROWS requests over DAYS days with generate_series (fill.sql),
# times every page's admin API calls N times (pages.py) on the roll-ups as the recorder appended
# them, times them again once the gateway's own compaction merged the roll-ups' partial rows, then
# restarts it with auto_explain and writes each statement's EXPLAIN ANALYZE. Results in
# bench/console/out/ (pages-before-compaction.md, compaction.txt, pages.md, plans.md).
# Knobs: ROWS (1000000), DAYS (30), USERS (200), KEYS (2000), ROLLUP (per-request | per-day),
# N (10), PORT (18190), PGHOST (127.0.0.1), PGUSER (postgres), PG_LOG (the server's log file),
# FILL (1; 0 times the database a previous run filled).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000} DAYS=${DAYS:-30} USERS=${USERS:-200} KEYS=${KEYS:-2000} ROLLUP=${ROLLUP:-per-request}
N=${N:-10} PORT=${PORT:-18190} DB=${DB:-tokenrouter_console_bench} FILL=${FILL:-1}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
PG_LOG=${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log 2>/dev/null | head -1)}
OUT=bench/console/out
TOKEN=console-bench-admin-token-0123456789
mkdir -p "$OUT"
[ -n "${JAVA_HOME:-}" ] || { [ -f /work/jdk.sh ] && . /work/jdk.sh; }
[ -f target/tokenrouter.jar ] || mvn -B -ntp -q -DskipTests package

[ "$FILL" = 0 ] || psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
cat > "$OUT/gateway.yaml" <<YAML
mode: production
server: { host: 127.0.0.1, port: $PORT }
database: { url: "jdbc:postgresql://$PGHOST:5432/$DB", username: $PGUSER }
usage: { spool_dir: $OUT/spool }
providers: [ { name: mock, type: mock } ]
models: [ { name: gpt-4o-mini, targets: [ { provider: mock, model: gpt-4o-mini } ] } ]
YAML

GW_PID=
start_gateway() {
  TOKENROUTER_ADMIN_TOKEN=$TOKEN TOKENROUTER_LOG_LEVEL=${LOG_LEVEL:-WARN} "$JAVA_HOME/bin/java" \
    -Dtokenrouter.rollup-compaction.first-after-seconds="${COMPACT_AFTER:-86400}" -jar target/tokenrouter.jar serve \
    --config "$OUT/gateway.yaml" > "$OUT/gateway.log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$GW_PID" 2>/dev/null || { cat "$OUT/gateway.log"; exit 1; }
    sleep 0.5
  done
  echo "the gateway did not start"; exit 1
}
stop_gateway() { [ -z "$GW_PID" ] || { kill "$GW_PID" 2>/dev/null; wait "$GW_PID" 2>/dev/null || true; GW_PID=; }; }
trap 'stop_gateway; psql -q -d postgres -c "ALTER DATABASE $DB RESET ALL" >/dev/null 2>&1 || true' EXIT

start_gateway
if [ "$FILL" != 0 ]; then
  echo "== filling $ROWS requests over $DAYS days (roll-ups: $ROLLUP)"
  fill_started=$(date +%s)
  psql -q -d "$DB" -v rows="$ROWS" -v days="$DAYS" -v users="$USERS" -v keys="$KEYS" -v rollup="$ROLLUP" \
    -f bench/console/fill.sql > "$OUT/fill.txt"
  echo "filled in $(( $(date +%s) - fill_started )) s"; tail -8 "$OUT/fill.txt"
fi

machine() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "command: ROWS=$ROWS DAYS=$DAYS USERS=$USERS KEYS=$KEYS ROLLUP=$ROLLUP N=$N FILL=$FILL bench/console/run.sh"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $(psql -tA -d postgres -c 'SHOW server_version') (shared_buffers $(psql -tA -d postgres -c 'SHOW shared_buffers'), work_mem $(psql -tA -d postgres -c 'SHOW work_mem'))"
  psql -tA -F ' ' -d "$DB" -c "SELECT 'rows:', (SELECT COUNT(*) FROM requests), 'requests,', (SELECT COUNT(*) FROM daily_usage), 'daily_usage,', (SELECT COUNT(*) FROM daily_status), 'daily_status,', (SELECT COUNT(*) FROM api_keys), 'keys,', (SELECT COUNT(*) FROM users), 'users'"
}
timed() {
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  python3 bench/console/pages.py "http://127.0.0.1:$PORT" "$TOKEN" "$N"
  echo
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

{ echo "## Roll-ups as the recorder appended them"; echo; machine; timed; } | tee "$OUT/pages-before-compaction.md"

echo "== compaction (the gateway's own, a minute after it starts)"
stop_gateway
LOG_LEVEL=INFO COMPACT_AFTER=0 start_gateway
compaction_started=$(date +%s)
for _ in $(seq 1800); do
  grep -q "compacted the usage roll-ups" "$OUT/gateway.log" && break
  sleep 1
done
grep -h "compacted the usage roll-ups\|compacting the usage roll-ups failed" "$OUT/gateway.log" | tee "$OUT/compaction.txt"
echo "compaction finished $(( $(date +%s) - compaction_started )) s after the gateway started" | tee -a "$OUT/compaction.txt"
# what autovacuum does on its own a minute or so later: drop the merged rows, new statistics
psql -q -d "$DB" -c "VACUUM ANALYZE daily_usage, daily_status"

{ echo "## After compaction"; echo; machine; timed; } | tee "$OUT/pages.md"

if [ -n "$PG_LOG" ] && [ -r "$PG_LOG" ]; then
  echo "== plans (auto_explain, one call of each)"
  stop_gateway
  psql -q -d postgres -c "ALTER DATABASE $DB SET session_preload_libraries = 'auto_explain'" \
    -c "ALTER DATABASE $DB SET auto_explain.log_min_duration = 0" -c "ALTER DATABASE $DB SET auto_explain.log_analyze = on" \
    -c "ALTER DATABASE $DB SET auto_explain.log_buffers = on"
  start_gateway
  python3 bench/console/pages.py "http://127.0.0.1:$PORT" "$TOKEN" 1 > /dev/null  # warm, as timed
  offset=$(stat -c %s "$PG_LOG")
  python3 bench/console/pages.py "http://127.0.0.1:$PORT" "$TOKEN" explain 2> "$OUT/explained-calls.txt"
  sleep 1
  python3 bench/console/plans.py "$PG_LOG" "$offset" > "$OUT/plans.md"
  head -1 "$OUT/plans.md"
else
  echo "no readable PostgreSQL log (PG_LOG): plans skipped"
fi

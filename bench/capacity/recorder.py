#!/usr/bin/env python3
"""The usage recorder's cost per request on PostgreSQL: sends RATE non-streamed requests a second
for SECONDS through the gateway and splits the CPU they cost by thread (the usage writer, the
event loops, the rest of the JVM) and adds the PostgreSQL backends' CPU (the sessions of
DATABASE, from pg_stat_activity). Rows counted in the requests table before and after.

  recorder.py GW_PID PORT KEY MODEL RATE SECONDS DATABASE

Prints one JSON line; utime+stime from /proc, in clock ticks converted to microseconds."""
import asyncio, json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from streams import Stats, json_load  # noqa: E402

pid, port, key, model = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rate, seconds, database = float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
TICK_US = 1e6 / os.sysconf("SC_CLK_TCK")


def ticks(path):
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def threads():
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                name = f.read().strip()
            group = ("usage-writer" if name == "usage-writer" else "event loops" if name.startswith("vert.x-eventloo")
                     else "JIT compiler" if "Compiler" in name else "GC" if name.startswith(("G1", "GC")) else "other")
            out[group] = out.get(group, 0) + ticks("/proc/%d/task/%s/stat" % (pid, tid))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def psql(sql):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql],
                          capture_output=True, text=True, check=True).stdout.split()


def backends():
    total = 0
    for p in psql("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"):
        try:
            total += ticks("/proc/%s/stat" % p)
        except FileNotFoundError:
            pass
    return total


def postgres_all():
    total = 0
    for p in subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split():
        try:
            total += ticks("/proc/%s/stat" % p)
        except FileNotFoundError:
            pass
    return total


async def load(secs):
    stats = Stats()
    await asyncio.gather(*[json_load(port, key, model, rate / 4, time.monotonic() + secs, stats) for _ in range(4)])
    return stats


asyncio.run(load(min(20, seconds)))  # warm-up: JIT, pools, prepared statements
time.sleep(1)
rows0 = int(psql("select count(*) from requests")[0])
t0, b0, a0, p0 = threads(), backends(), postgres_all(), ticks("/proc/%d/stat" % pid)
start = time.monotonic()
stats = asyncio.run(load(seconds))
time.sleep(1)  # the last batch: flush_interval is 200 ms
elapsed = time.monotonic() - start
t1, b1, a1, p1 = threads(), backends(), postgres_all(), ticks("/proc/%d/stat" % pid)
rows = int(psql("select count(*) from requests")[0]) - rows0
per = lambda d: round(d * TICK_US / max(rows, 1), 1)
print(json.dumps({
    "requests_ok": stats.json_ok, "errors": stats.errors, "rows_written": rows, "seconds": round(elapsed, 1),
    "rate_per_s": round(rows / elapsed, 1),
    "us_per_request": dict({k: per(t1.get(k, 0) - t0.get(k, 0)) for k in sorted(t1)},
                           jvm_total=per(p1 - p0), postgres_backends=per(b1 - b0), postgres_all_processes=per(a1 - a0)),
    "cpu_share_of_one_core_pct": {"usage-writer": round((t1["usage-writer"] - t0["usage-writer"]) * TICK_US / 1e4 / elapsed, 2),
                                  "event loops": round((t1["event loops"] - t0["event loops"]) * TICK_US / 1e4 / elapsed, 2),
                                  "postgres_backends": round((b1 - b0) * TICK_US / 1e4 / elapsed, 2)},
    "load": open("/proc/loadavg").read().split()[0]}))

#!/usr/bin/env python3
"""Turns bench/out/{results.tsv,ttft.txt,rss.txt,machine.txt} into the summary table (markdown)."""
import functools
import os
import re
import statistics
import sys

out = sys.argv[1]
nproc = os.cpu_count() or 1
rows = []
for line in open(os.path.join(out, "results.tsv")):
    f = line.rstrip("\n").split("\t")
    label, setup, target, kind, result = f[:5]
    proxy_t, up_t, busy_t, wrk_cpu, tick, rss_kb, l0, l1, conns = f[5:14]
    r = dict(kv.split("=") for kv in result.split()[1:]) if result else {}
    n = int(r.get("requests", 0))
    dur = int(r.get("duration_us", 1)) / 1e6
    tick = int(tick)
    errs = sum(int(r.get(k, 0)) for k in ("connect_err", "read_err", "write_err", "timeout_err", "status_err"))
    proxy_s, up_s, busy_s = int(proxy_t) / tick, int(up_t) / tick, int(busy_t) / tick
    other = busy_s - proxy_s - up_s - float(wrk_cpu or 0)
    rows.append(dict(label=label, setup=setup, target=target, kind=kind, n=n, rps=n / dur,
                     p50=int(r.get("p50_us", 0)) / 1000, p99=int(r.get("p99_us", 0)) / 1000,
                     cpu=(proxy_s * 1e6 / n) if n and target != "direct" else None,
                     up=(up_s * 1e6 / n) if n else None, rss=int(rss_kb) / 1024 if target != "direct" else None,
                     errs=errs, wrk=float(wrk_cpu or 0) / dur * 100, other=other / dur * 100,
                     busy=busy_s / (dur * nproc) * 100, tick=tick, load=f"{l0}→{l1}", conns=conns))

def status_counts(path):
    """{status: count} from a scrape of tokenrouter_requests_total."""
    out = {}
    if os.path.exists(path):
        for line in open(path):
            if 'status="' in line:
                st = line.split('status="', 1)[1].split('"', 1)[0]
                out[st] = out.get(st, 0) + float(line.rsplit(" ", 1)[1])
    return out


for r in rows:
    b = status_counts(os.path.join(out, f"statuses-{r['label']}.before"))
    a = status_counts(os.path.join(out, f"statuses-{r['label']}.after"))
    r["statuses"] = {k: int(a[k] - b.get(k, 0)) for k in a if a[k] - b.get(k, 0) > 0}


def fmt(v, spec):
    return "–" if v is None else format(v, spec)

print("| setup | target | path | req/s | p50 ms | p99 ms | proxy CPU µs/req | proxy peak RSS MB | upstream CPU µs/req | wrk CPU % | other CPU % | errors | load 1m |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    print(f"| {r['setup']} | {r['target']} | {r['kind']} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
          f"{fmt(r['cpu'], '.1f')} | {fmt(r['rss'], '.1f')} | {fmt(r['up'], '.1f')} | {r['wrk']:.0f} | {r['other']:.0f} | "
          f"{r['errs']} | {r['load']} |")
bad = [r for r in rows if r["errs"]]
if bad:
    print()
    print("**Rows with errors: their CPU per request is not comparable (an error costs less than an answer).** "
          + "; ".join(f"{r['target']} {r['kind']}: {r['errs']:,} of {r['n']:,}"
                      + (" (gateway statuses: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(r['statuses'].items())) + ")"
                         if r.get('statuses') else "") for r in bad))
print()
print(f"wrk: {rows[0]['conns'] if rows else '?'} connections, 2 threads. `1x` = nginx `worker_processes 1` vs gateway "
      "`server.event_loops: 1`; `2x` = 2 and 2; `1k` = 10 connections, each waiting 10 ms between requests "
      "(about 1,000 requests/s, far from saturation). CPU % columns are percent of one core over the run; "
      "'other' = machine busy time not spent in wrk, the proxy or the upstream (kernel softirq, other processes).")
print()

def round_of(label, spec="{}"):
    """The round of a measured row (ROUNDS > 1: `gateway1r2-cj` is round 2), formatted; empty for round 1."""
    m = re.match(r"gateway(?:-base)?1r(\d+)-", label)
    return spec.format(m.group(1)) if m else ""


def per_request(r, acc):
    """A row's CPU in µs a request: the event loop's and all its threads'."""
    k = 1e6 / r["tick"] / r["n"]
    return sum(acc["event loop"]) * k, sum(u + s_ for u, s_ in acc.values()) * k


def rounds_table(split_rows):
    """With BASE_JAR and ROUNDS > 1: each round's gateway against its base, and the median of the rounds."""
    per = {}
    for r, acc in split_rows:
        if r["setup"] != "1x" or r["target"] not in ("gateway", "gateway-base"):
            continue
        per.setdefault(r["kind"], {}).setdefault(round_of(r["label"]) or "1", {})[r["target"]] = per_request(r, acc)
    pairs = {kind: [(n, v) for n, v in rounds.items() if len(v) == 2] for kind, rounds in per.items()}
    if not any(len(v) > 1 for v in pairs.values()):
        return
    print("Rounds, gateway against gateway-base (µs/req; ratio = gateway / base):")
    print()
    print("| path | round | event loop | ratio | total | ratio |")
    print("|---|---|---:|---:|---:|---:|")
    for kind, rounds in pairs.items():
        loops, totals = [], []
        for n, v in rounds:
            (bl, bt), (gl, gt) = v["gateway-base"], v["gateway"]
            loops.append(gl / bl)
            totals.append(gt / bt)
            print(f"| {kind} | {n} | {bl:.0f} → {gl:.0f} | {gl / bl:.3f} | {bt:.0f} → {gt:.0f} | {gt / bt:.3f} |")
        print(f"| {kind} | **median** | | **{statistics.median(loops):.3f}** | | **{statistics.median(totals):.3f}** |")
    print()


GROUPS = [("event loop", ("vert.x-eventloo",)), ("usage recorder + H2", ("usage-writer", "H2-", "MVStore")),
          ("access log", ("AsyncAppender", "log-writer")),
          ("JIT", ("C1 Compiler", "C2 Compiler")), ("GC", ("GC Thread", "G1 ")),
          ("other", ("",))]
split_rows = []
for r in rows:
    p = os.path.join(out, f"threads-{r['label']}.txt")
    if not os.path.exists(p) or not r["n"]:
        continue
    tick = r['tick']
    acc = {g: [0, 0] for g, _ in GROUPS}
    for line in open(p):
        ticks, name = line.rstrip("\n").split("\t")
        base, _, mode = name.rpartition(" (")
        for g, prefixes in GROUPS:
            if any(base.startswith(x) for x in prefixes):
                acc[g][0 if mode.startswith("user") else 1] += int(ticks)
                break
    split_rows.append((r, acc))
if split_rows:
    print("Gateway CPU per request by thread (µs/req, user + sys), from /proc/PID/task/*/stat:")
    print()
    print("| setup | run | " + " | ".join(g for g, _ in GROUPS) + " | total |")
    print("|---|---|" + "---:|" * (len(GROUPS) + 1))
    for r, acc in split_rows:
        k = 1e6 / r["tick"] / r["n"]
        cells = [f"{(u + s_) * k:.0f} ({u * k:.0f}+{s_ * k:.0f})" for u, s_ in (acc[g] for g, _ in GROUPS)]
        total = per_request(r, acc)[1]
        print(f"| {r['setup']} | {r['target']} {r['kind']}{round_of(r['label'], ' (round {})')} | "
              + " | ".join(cells) + f" | {total:.0f} |")
    print()
    rounds_table(split_rows)

by = {(r["setup"], r["target"], r["kind"]): r for r in rows}


def verdict(who, met):
    """nginx and the bench/floor relays are yardsticks, not the gateway: their rows meet nothing."""
    return "(reference)" if who == "nginx" else "(floor: no gateway work)" if who.startswith("floor") else met


print("| check | value | target | met |")
print("|---|---|---|---|")
kinds = list(dict.fromkeys(r["kind"] for r in rows))
for setup in ("1x", "2x"):
    for kind in kinds:
        for who in ("floor-netty", "floor-vertx", "gateway-base", "gateway"):
            g, n = by.get((setup, who, kind)), by.get((setup, "nginx", kind))
            if g and n and g["cpu"] and n["cpu"]:
                ratio = g["cpu"] / n["cpu"]
                met = "invalid (errors)" if g["errs"] or n["errs"] else "yes" if ratio <= 2 else "no"
                print(f"| CPU/request {who} vs nginx, {setup} {kind} | {g['cpu']:.1f} vs {n['cpu']:.1f} µs = {ratio:.1f}x "
                      f"| ≤ 2x | {verdict(who, met)} |")


@functools.cache
def gc_log(target):
    """The pauses in a gateway's GC log (-Xlog:gc, uptime decorations): (uptime s, ms) each, read once."""
    path = os.path.join(out, f"gc-{target}.log")
    found = (re.match(r"\[([0-9.]+)s\].* Pause .* ([0-9.]+)ms$", line.strip())
             for line in (open(path) if os.path.exists(path) else ()))
    return [(float(m.group(1)), float(m.group(2))) for m in found if m]


def gc_pauses(target, span):
    """The gateway's pauses within span: count, longest, total ms."""
    start, end = (float(x) for x in span.split())
    ms = [pause for at, pause in gc_log(target) if start <= at <= end]
    return len(ms), max(ms, default=0), sum(ms)


gc_rows = {}
p = os.path.join(out, "gc-windows.tsv")
if os.path.exists(p):
    for line in open(p):
        target, kind, span = line.rstrip("\n").split("\t")
        gc_rows[(target, kind)] = gc_pauses(target, span)
for kind in kinds:
    d = by.get(("1k", "direct", kind))
    for who in ("nginx", "floor-netty", "floor-vertx", "gateway-base", "gateway"):
        t = by.get(("1k", who, kind))
        if d and t:
            added = t["p99"] - d["p99"]
            met = "invalid (errors)" if t["errs"] or d["errs"] else "yes" if added < 1 else "no"
            gc = gc_rows.get((who, kind))
            pauses = f"; {gc[0]} GC pauses, longest {gc[1]:.1f} ms, {gc[2]:.0f} ms in all" if gc else ""
            print(f"| added p99 latency at {t['rps']:,.0f} req/s, {who}, {kind} | {added:+.2f} ms (p50 {t['p50'] - d['p50']:+.2f}; "
                  f"direct p99 {d['p99']:.2f}, {who} {t['p99']:.2f} ms{pauses}) | < 1 ms | {verdict(who, met)} |")
w = by.get(("1x", "gateway-WARN-log", "chat JSON")); g = by.get(("1x", "gateway", "chat JSON"))
if g and w:
    print(f"| access log cost (INFO, the default, vs WARN), 1x chat JSON | {g['cpu']:.1f} vs {w['cpu']:.1f} µs/req "
          f"({g['cpu'] - w['cpu']:+.1f}), {g['rps']:,.0f} vs {w['rps']:,.0f} req/s | (informational) | |")

ttft = {}
p = os.path.join(out, "ttft.txt")
if os.path.exists(p):
    for line in open(p):
        kv = dict(x.split("=") for x in line.split()[1:])
        ttft[kv["label"]] = kv
for suffix, how in (("", "new connection per request"), ("-ka", "kept-alive connection")):
    if "direct" + suffix not in ttft:
        continue
    d = ttft["direct" + suffix]
    for who in ("nginx", "floor-netty", "floor-vertx", "gateway-base", "gateway"):
        if who + suffix in ttft:
            t = ttft[who + suffix]
            a50 = (int(t["p50_us"]) - int(d["p50_us"])) / 1000
            a99 = (int(t["p99_us"]) - int(d["p99_us"])) / 1000
            met = "yes" if a50 < 1 else "no"
            print(f"| added TTFT {who}, {how} (p50 / p99) | {a50:+.2f} / {a99:+.2f} ms (direct {int(d['p50_us'])/1000:.2f} / "
                  f"{int(d['p99_us'])/1000:.2f}, {who} {int(t['p50_us'])/1000:.2f} / {int(t['p99_us'])/1000:.2f} ms; "
                  f"n={t['n']}, errors={t['errors']}) | < 1 ms | {verdict(who, met)} |")
for who in ("nginx", "floor-netty", "floor-vertx", "gateway-base", "gateway"):
    t = ttft.get(who + "-ka")
    if t and "cpu_us" in t:
        print(f"| time on a CPU per slow stream, {who} (one kept-alive connection, one request at a time; busiest thread) "
              f"| {int(t['cpu_us']):,} µs ({int(t['loop_us']):,}) | (informational) | |")
p = os.path.join(out, "rss.txt")
if os.path.exists(p):
    for line in open(p):
        k, v = line.split()
        if k.startswith("gateway") and k.endswith("vmhwm_kb"):
            mb = int(v) / 1024
            print(f"| gateway peak RSS (VmHWM), {k.replace('_vmhwm_kb', '')} | {mb:.0f} MB | < 1 GiB (the container's limit) | {'yes' if mb < 1024 else 'no'} |")
        elif k.startswith("nginx"):
            print(f"| {k.replace('_vmhwm_kb', '')} peak RSS (workers) | {int(v) / 1024:.1f} MB | (reference) | |")
        else:
            print(f"| {k} | {v} | | |")
print()
p = os.path.join(out, "machine.txt")
if os.path.exists(p):
    print("```")
    print(open(p).read().rstrip())
    print("```")

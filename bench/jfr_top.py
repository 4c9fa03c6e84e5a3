#!/usr/bin/env python3
"""Aggregates JFR execution samples: top methods by self samples, top by inclusive samples
(each method counted once per stack), and self samples by library (package prefix); then the
allocation samples (jdk.ObjectAllocationSample, weighted by the bytes each stands for): bytes by
allocated class, by allocating method and by innermost gateway frame.
Usage: jfr_top.py JFR_BIN RECORDING.jfr [TOP] [REQUESTS]  (REQUESTS: requests served during the
recording, to print allocated bytes per request)"""
import collections, json, subprocess, sys

jfr, rec = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
requests = int(sys.argv[4]) if len(sys.argv) > 4 else 0
raw = subprocess.run([jfr, "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", rec],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(raw)["recording"]["events"]

LIBS = [("io.tokenrouter.", "io.tokenrouter (gateway code)"), ("io.netty.", "netty"), ("io.vertx.", "vert.x"),
        ("com.fasterxml.jackson.", "jackson"), ("ch.qos.logback.", "logback"), ("net.logstash.", "logstash encoder"),
        ("org.h2.", "h2 database"), ("com.zaxxer.hikari.", "hikari"), ("io.micrometer.", "micrometer"),
        ("com.knuddels.jtokkit.", "jtokkit"), ("com.github.benmanes.caffeine.", "caffeine"),
        ("java.util.regex.", "java.util.regex"), ("java.util.concurrent.", "java.util.concurrent"),
        ("sun.nio.", "jdk nio"), ("java.", "jdk java.*"), ("jdk.", "jdk jdk.*"), ("sun.", "jdk sun.*")]

def lib(name):
    for prefix, label in LIBS:
        if name.startswith(prefix):
            return label
    return name.rsplit(".", 1)[0] if "." in name else name

self_c, incl_c, lib_c, thread_c, gw_c, loop_c, loop_self, loop_incl = (collections.Counter() for _ in range(8))
n = 0
for e in events:
    st = e["values"].get("stackTrace")
    if not st or not st.get("frames"):
        continue
    n += 1
    frames = [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".") for f in st["frames"]]
    self_c[frames[0]] += 1
    lib_c[lib(frames[0])] += 1
    thread = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
    thread_c[thread.rstrip("0123456789-")] += 1
    if thread.startswith("vert.x-eventloop"):
        loop_c[lib(frames[0])] += 1
        loop_self[frames[0]] += 1
        for f in set(frames):
            if f.startswith("io.tokenrouter."):
                loop_incl[f] += 1
    for f in set(frames):
        incl_c[f] += 1
    first_gw = next((f for f in frames if f.startswith("io.tokenrouter.")), None)
    if first_gw:
        gw_c[first_gw] += 1

def table(title, counter, k):
    print(f"\n{title}")
    print("| samples | % | frame |\n|---:|---:|---|")
    for name, c in counter.most_common(k):
        print(f"| {c} | {100 * c / n:.1f} | `{name}` |")

print(f"{n} execution samples in {rec}")
table("Self time by library (top frame's package)", lib_c, 20)
table("Samples by thread", thread_c, 10)
table("Event-loop thread only: self time by library (Java code only; time in system calls is not sampled)", loop_c, 15)
table(f"Event-loop thread only: top {top} methods, self", loop_self, top)
table(f"Event-loop thread only: top {top} gateway (io.tokenrouter) methods, inclusive", loop_incl, top)
table(f"Top {top} methods, self", self_c, top)
table(f"Top {top} methods, inclusive", incl_c, top)
table("Innermost gateway (io.tokenrouter) frame on the stack", gw_c, 15)


# ---- allocations
# The bytes each thread allocated come from jdk.ThreadAllocationStatistics (exact, cumulative
# per thread: last minus first reading). The samples only say where: a sample's weight is the
# bytes its thread allocated since its previous sample, and now and then one stands for
# gigabytes (a thread's first sample after the recording started), which would swamp the
# tables; so each sample counts as the median weight of its thread's samples, and the tables
# share out each thread's exact total in proportion.
raw = subprocess.run([jfr, "print", "--json", "--events", "jdk.ThreadAllocationStatistics", rec],
                     check=True, capture_output=True, text=True).stdout
first, last = {}, {}
for e in json.loads(raw)["recording"]["events"]:
    v = e["values"]
    t = ((v.get("thread") or {}).get("javaName") or "?")
    first.setdefault(t, int(v.get("allocated") or 0))
    last[t] = int(v.get("allocated") or 0)
exact = collections.Counter()
for t in last:
    exact[t.rstrip("0123456789-")] += last[t] - first[t]
raw = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", "jdk.ObjectAllocationSample", rec],
                     check=True, capture_output=True, text=True).stdout
allocs = json.loads(raw)["recording"]["events"]
weights = collections.defaultdict(list)
for e in allocs:
    v = e["values"]
    weights[((v.get("eventThread") or {}).get("javaName") or "?").rstrip("0123456789-")].append(int(v.get("weight") or 0))
median = {t: sorted(ws)[len(ws) // 2] for t, ws in weights.items()}
scale = {t: (exact[t] / (median[t] * len(weights[t])) if exact.get(t) and median[t] else 1) for t in weights}
by_class, by_method, by_gw, by_thread = (collections.Counter() for _ in range(4))
total = 0
for e in allocs:
    v = e["values"]
    t = ((v.get("eventThread") or {}).get("javaName") or "?").rstrip("0123456789-")
    w = median[t] * scale[t]
    total += w
    cls = ((v.get("objectClass") or {}).get("name") or "?").replace("/", ".")
    by_class[cls] += w
    thread = ((v.get("eventThread") or {}).get("javaName") or "?").rstrip("0123456789-")
    by_thread[thread] += w
    st = v.get("stackTrace")
    frames = [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
              for f in (st or {}).get("frames") or []]
    if frames:
        by_method[frames[0]] += w
        gw = next((f for f in frames if f.startswith("io.tokenrouter.")), None)
        if gw:
            by_gw[gw] += w


def atable(title, counter, k):
    print(f"\n{title}")
    print("| MB | % | " + ("bytes/request | " if requests else "") + "what |\n|---:|---:|" + ("---:|" if requests else "") + "---|")
    for name, c in counter.most_common(k):
        per = f"{c / requests:,.0f} | " if requests else ""
        print(f"| {c / 1e6:,.1f} | {100 * c / max(total, 1):.1f} | {per}`{name}` |")


print(f"\n{len(allocs)} allocation samples, scaled to the {total / 1e6:,.1f} MB the sampled threads allocated"
      + (f" ({total / requests:,.0f} bytes per request over {requests:,} requests)" if requests else ""))
atable("Allocated bytes by thread", by_thread, 8)
atable(f"Top {top} allocated classes", by_class, top)
atable(f"Top {top} allocating methods (top frame)", by_method, top)
atable("Innermost gateway (io.tokenrouter) frame of the allocation", by_gw, top)

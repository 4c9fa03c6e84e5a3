#!/usr/bin/env python3
"""Aggregates JFR execution samples: top methods by self samples, top by inclusive samples
(each method counted once per stack), and self samples by library (package prefix).
Usage: jfr_top.py JFR_BIN RECORDING.jfr [TOP]"""
import collections, json, subprocess, sys

jfr, rec = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
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

self_c, incl_c, lib_c, thread_c, gw_c, loop_c = (collections.Counter() for _ in range(6))
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
table(f"Top {top} methods, self", self_c, top)
table(f"Top {top} methods, inclusive", incl_c, top)
table("Innermost gateway (io.tokenrouter) frame on the stack", gw_c, 15)

#!/usr/bin/env python3
"""Where one thread's CPU goes, from async-profiler's collapsed stacks (`threads` option on).

Usage: collapsed_top.py FILE [THREAD_PREFIX] [N]   (THREAD_PREFIX defaults to vert.x-eventloop)

Prints three tables for the thread:
  - by layer: each sample goes to the layer of its leaf frame (kernel for a system call; JDK
    frames go to the nearest caller outside the JDK), so "kernel" is the system calls' own time;
  - by gateway frame: each sample goes to the deepest io/tokenrouter frame on its stack (what
    our code costs, library calls it makes included);
  - the hottest leaf frames.
With itimer sampling (the only mode where perf events are not available) a system call's time
shows as its libc frame: writev, __GI___send, recv, epoll_pwait2."""
import collections
import sys

SYSCALLS = {"writev", "__GI___send", "send", "sendto", "recv", "recvfrom", "read", "write", "__libc_write",
            "epoll_pwait2", "epoll_wait", "epoll_ctl", "[vdso]", "clock_gettime"}
LAYERS = [("io/tokenrouter/", "gateway"), ("io/netty/", "netty"), ("io/vertx/", "vert.x"),
          ("com/fasterxml/", "jackson"), ("io/micrometer/", "micrometer"), ("io/prometheus/", "micrometer"),
          ("com/github/benmanes/", "caffeine"), ("ch/qos/", "logback"), ("net/logstash/", "logback"),
          ("org/h2/", "h2")]


def layer(frame):
    for prefix, name in LAYERS:
        if frame.startswith(prefix):
            return name
    return None


def main():
    path = sys.argv[1]
    thread = sys.argv[2] if len(sys.argv) > 2 else "vert.x-eventloop"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    layers, owners, leaves = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        frames = stack.split(";")
        if not frames[0].startswith("[" + thread):
            continue
        c = int(count)
        total += c
        leaf = frames[-1]
        leaves[leaf] += c
        if leaf in SYSCALLS:
            layers["kernel (system calls)"] += c
        else:
            name = next((layer(f) for f in reversed(frames[1:]) if layer(f)), None)
            jdk_leaf = leaf.startswith(("java/", "jdk/", "sun/")) or "/" not in leaf
            layers[(name or "jdk/jvm") + (" (via the JDK/JVM)" if jdk_leaf and name else "")] += c
        owner = next((f for f in reversed(frames) if f.startswith("io/tokenrouter/")), None)
        owners[owner or "(no gateway frame: netty/vert.x I/O)"] += c
    if not total:
        print(f"no samples for thread {thread}")
        return
    for title, counter in (("by layer", layers), ("by deepest gateway frame", owners), ("hottest leaf frames", leaves)):
        print(f"### {thread}: {title} ({total} samples)")
        for key, c in counter.most_common(n):
            print(f"{100 * c / total:5.1f}%  {key}")
        print()


if __name__ == "__main__":
    main()

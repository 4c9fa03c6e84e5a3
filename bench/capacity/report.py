#!/usr/bin/env python3
"""Summarises a capacity run (bench/capacity/run.sh) as Markdown: report.py streams|soak OUT_DIR"""
import json, pathlib, re, sys

mode, out = sys.argv[1], pathlib.Path(sys.argv[2])


def samples():
    rows = [l.split() for l in (out / "samples.txt").read_text().splitlines()[1:]]
    return [dict(t=int(r[0]), rss=int(r[1]) / 1024, hwm=int(r[2]) / 1024, threads=int(r[3]), fds=int(r[4]),
                 heap=float(r[5]), nonheap=float(r[6]), direct=float(r[7]), load=float(r[8]))
            for r in rows if len(r) == 9 and r[5] != "-"]


def slope(xs, ys):  # least squares, per x unit
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0


machine = (out / "machine.txt").read_text().strip().replace("\n", "; ")
client = json.loads((out / "client.json").read_text().strip().splitlines()[-1])
s = samples()
print(f"machine: {machine}  ")
print(f"gateway: `{(out / 'gateway.cmdline').read_text().strip()}`\n")
if mode == "streams":
    pts = {}
    for line in (out / "points.txt").read_text().splitlines():
        name, _, rest = line.partition(": ")
        pts[name] = dict(zip(rest.split()[::2], rest.split()[1::2]))
    idle = int(pts["idle"]["VmRSS:"]) / 1024
    plateau = int(pts["plateau"]["VmRSS:"]) / 1024
    peak = max(s, key=lambda r: r["rss"])
    n = client["max_open"]
    print("| streams opened | completed | errors | max open at once | events | first event p50 / p99 | stream length p50 / max |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {client['started']} | {client['completed']} | {client['errors'] or 0} | {n} | {client['events']} "
          f"| {client['first_event_ms_p50']} / {client['first_event_ms_p99']} ms "
          f"| {client.get('stream_s_p50')} / {client.get('stream_s_max')} s |\n")
    print("| gateway | idle (after warm-up) | all streams open | max over the run | after the streams ended |")
    print("|---|---|---|---|---|")
    print(f"| VmRSS MiB | {idle:.0f} | {plateau:.0f} | {peak['rss']:.0f} | {int(pts['after']['VmRSS:']) / 1024:.0f} |")
    print(f"| VmHWM MiB | {int(pts['idle']['VmHWM:']) / 1024:.0f} | {int(pts['plateau']['VmHWM:']) / 1024:.0f} "
          f"| {max(r['hwm'] for r in s):.0f} | {int(pts['after']['VmHWM:']) / 1024:.0f} |")
    print(f"| heap used MiB (max of samples) | | | {max(r['heap'] for r in s):.0f} | |")
    print(f"| non-heap used MiB (max) | | | {max(r['nonheap'] for r in s):.0f} | |")
    print(f"| direct buffers MiB (max) | | | {max(r['direct'] for r in s):.0f} | |")
    print(f"| threads | {pts['idle']['Threads:']} | {pts['plateau']['Threads:']} | {max(r['threads'] for r in s)} | {pts['after']['Threads:']} |")
    print(f"| file descriptors (max) | | {pts['plateau'].get('fds', '')} | {max(r['fds'] for r in s)} | |")
    print(f"\nper open stream: ({plateau:.0f} - {idle:.0f}) MiB / {n} = **{(plateau - idle) * 1024 / max(n, 1):.1f} KiB RSS**"
          f" (peak: {(peak['rss'] - idle) * 1024 / max(n, 1):.1f} KiB); load during the run "
          f"{min(r['load'] for r in s):.2f}-{max(r['load'] for r in s):.2f}")
else:
    t0 = s[0]["t"]
    warm = [r for r in s if r["t"] - t0 >= 120] or s  # after the first rotation of every slot
    xs = [(r["t"] - t0) / 3600 for r in warm]
    rss = [r["rss"] for r in warm]
    half = warm[len(warm) // 2:]
    print(f"| client | streams completed | JSON requests ok | errors | seconds |")
    print("|---|---|---|---|---|")
    print(f"| | {client['completed']} | {client['json_ok']} | {client['errors'] or 0} | {client['seconds']} |\n")
    print("| RSS MiB (from 2 min on) | start | min | max | end | slope MiB/h (all) | slope MiB/h (2nd half) |")
    print("|---|---|---|---|---|---|---|")
    print(f"| | {rss[0]:.0f} | {min(rss):.0f} | {max(rss):.0f} | {rss[-1]:.0f} | {slope(xs, rss):+.1f} "
          f"| {slope([(r['t'] - t0) / 3600 for r in half], [r['rss'] for r in half]):+.1f} |\n")
    heap = [r["heap"] for r in warm]
    print(f"heap used MiB: min {min(heap):.0f}, max {max(heap):.0f}; non-heap max {max(r['nonheap'] for r in warm):.0f}; "
          f"threads {min(r['threads'] for r in warm)}-{max(r['threads'] for r in warm)}; "
          f"VmHWM end {s[-1]['hwm']:.0f} MiB; samples {len(s)} (every 10 s); load "
          f"{min(r['load'] for r in s):.2f}-{max(r['load'] for r in s):.2f}")

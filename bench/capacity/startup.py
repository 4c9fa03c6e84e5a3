#!/usr/bin/env python3
"""Start to ready: runs a gateway command STARTS times and measures the time from exec until
GET /health/ready answers 200 (polled every 5 ms), then stops it with SIGTERM.

  startup.py PORT STARTS LOGDIR -- COMMAND...

Prints one JSON line: the times in ms, min, median, max, and the CPU time (user + system, all
threads) the JVM had used when it was ready: on a loaded machine the wall time waits for a core,
the CPU time does not."""
import http.client, json, os, signal, subprocess, sys, time

port, starts, logdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
command = sys.argv[sys.argv.index("--") + 1:]


def ready():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/health/ready")
        return c.getresponse().status == 200
    except OSError:
        return False


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) * TICK_MS)


times, cpus = [], []
for i in range(starts):
    with open(os.path.join(logdir, "start-%d.log" % i), "w") as log:
        t0 = time.monotonic()
        p = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        while not ready():
            if p.poll() is not None:
                sys.exit("the gateway exited (status %s); see %s" % (p.returncode, log.name))
            if time.monotonic() - t0 > 60:
                p.kill()
                sys.exit("not ready after 60 s")
            time.sleep(0.005)
        times.append(round((time.monotonic() - t0) * 1000))
        cpus.append(cpu_ms(p.pid))
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
s = sorted(times)
c = sorted(cpus)
print(json.dumps({"ms": times, "min": s[0], "median": s[len(s) // 2], "max": s[-1],
                  "cpu_ms": cpus, "cpu_median": c[len(c) // 2]}))

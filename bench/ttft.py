#!/usr/bin/env python3
"""Time to first token: N sequential streamed requests to one target (stdlib sockets only).

Measures from the moment the request is written (connection already open) to the arrival of
the first `data:` line whose delta has non-empty content; reads the rest of the stream so every
request completes. One connection per request (Connection: close), identical for every target; with
TTFT_KEEPALIVE=1 all requests go over one kept-alive connection instead.
Usage: ttft.py LABEL PORT PATH MODEL KEY N  -> prints `TTFT label=.. n=.. p50_us=.. p90_us=.. p99_us=.. min_us=.. errors=..`"""
import os, socket, sys, time, json

label, port, path, model, key, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
body = json.dumps({"model": model, "stream": True,
                   "messages": [{"role": "user", "content": "Say hello, slowly."}]}).encode()
req = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n"
       f"Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: {len(body)}\r\n"
       + ("" if os.environ.get("TTFT_KEEPALIVE") == "1" else "Connection: close\r\n") + "\r\n").encode() + body
keepalive = os.environ.get("TTFT_KEEPALIVE") == "1"
conn = None

samples, errors = [], 0
for i in range(n):
    if conn is None or not keepalive:
        conn = socket.create_connection(("127.0.0.1", port))
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s = conn
    buf = b""
    tail = b""
    first = None
    t0 = time.perf_counter_ns()
    s.sendall(req)
    while True:
        data = s.recv(65536)
        if not data:
            break
        tail = (tail + data)[-256:]
        if first is None:
            buf += data
            # a content chunk: the first event carrying "content":"<something>"
            idx = buf.find(b'"content":"')
            if idx >= 0 and buf[idx + 11:idx + 12] not in (b'"', b""):
                first = time.perf_counter_ns()
        if tail.endswith(b"\r\n0\r\n\r\n"):  # last chunk of a chunked body
            break
    if not keepalive:
        s.close()
    if first is None or b"[DONE]" not in tail or b" 200 " not in buf[:16]:
        errors += 1
    else:
        samples.append((first - t0) / 1000)
samples.sort()

def pct(p):
    return int(samples[min(len(samples) - 1, int(round(p / 100 * len(samples) + 0.5)) - 1)]) if samples else -1

print(f"TTFT label={label} n={len(samples)} p50_us={pct(50)} p90_us={pct(90)} p99_us={pct(99)} "
      f"min_us={int(samples[0]) if samples else -1} errors={errors}")

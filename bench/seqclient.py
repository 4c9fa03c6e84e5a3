#!/usr/bin/env python3
"""N sequential requests on one keep-alive connection (stdlib http.client); reads every body whole.
Used to count a proxy's system calls per request under strace. Usage: seqclient.py PORT PATH MODEL KEY STREAM N"""
import http.client, json, sys

port, path, model, key, stream, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1", int(sys.argv[6])
body = {"model": model, "messages": [{"role": "user", "content": "hi"}]}
if stream:
    body["stream"] = True
data = json.dumps(body)
c = http.client.HTTPConnection("127.0.0.1", port)
ok = 0
for _ in range(n):
    c.request("POST", path, data, {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    ok += r.status == 200
print(f"{ok}/{n} ok")

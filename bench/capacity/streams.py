#!/usr/bin/env python3
"""Opens many concurrent SSE streams through the gateway and counts events and errors
(stdlib asyncio, raw sockets: a stream costs the client one socket and one coroutine).

  streams.py hold PORT KEY MODEL STREAMS RAMP_PER_S EVENTS
      opens STREAMS streams, RAMP_PER_S a second, one connection each; each asks for EVENTS
      events (max_tokens: the upstream sends that many, one a second), must bring them all and
      end with [DONE]. Prints a JSON summary on stdout.
  streams.py soak PORT KEY MODEL CONCURRENCY SECONDS EVENTS JSON_MODEL JSON_PER_S
      keeps CONCURRENCY streams open for SECONDS (each slot opens a new stream, on a new
      connection, when its stream ends) and sends JSON_PER_S non-streamed requests a second
      to JSON_MODEL on one kept-alive connection.

Progress every 10 s on stderr: streams open now, started, completed, errors, events."""
import asyncio, json, sys, time

HOST = "127.0.0.1"


class Stats:
    def __init__(self):
        self.started = self.completed = self.open = self.max_open = self.events = 0
        self.json_ok = 0
        self.errors = {}
        self.first_event_ms = []
        self.duration_s = []

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def read_head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def one_stream(port, key, model, events, stats, timeout):
    body = json.dumps({"model": model, "stream": True, "max_tokens": events,
                       "messages": [{"role": "user", "content": "hold this stream open"}]}).encode()
    request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer %s\r\n"
               b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (key.encode(), len(body), body))
    stats.started += 1
    writer = None
    is_open = False
    try:
        async with asyncio.timeout(timeout):
            t0 = time.monotonic()
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(request)
            status, headers = await read_head(reader)
            if status != 200:
                stats.error("http_%d" % status)
                return
            if headers.get(b"transfer-encoding") != b"chunked":
                stats.error("not_chunked")
                return
            stats.open += 1
            is_open = True
            stats.max_open = max(stats.max_open, stats.open)
            content, done = 0, False
            while True:
                size = int((await reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    await reader.readline()
                    break
                data = await reader.readexactly(size + 2)
                n = data.count(b"data: ")
                if n and content == 0:
                    stats.first_event_ms.append((time.monotonic() - t0) * 1000)
                stats.events += n
                content += data.count(b'"content"')
                if b"data: [DONE]" in data:
                    done = True
            stats.duration_s.append(time.monotonic() - t0)
            if not done:
                stats.error("no_done")
            elif content < events:
                stats.error("short_stream")
            else:
                stats.completed += 1
    except TimeoutError:
        stats.error("timeout")
    except (ConnectionError, asyncio.IncompleteReadError, OSError) as e:
        stats.error(type(e).__name__)
    except ValueError:
        stats.error("bad_framing")
    finally:
        if is_open:
            stats.open -= 1
        if writer is not None:
            writer.close()


async def json_load(port, key, model, per_s, until, stats):
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "hi"}]}).encode()
    request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer %s\r\n"
               b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (key.encode(), len(body), body))
    reader = writer = None
    next_at = time.monotonic()
    while time.monotonic() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(request)
            async with asyncio.timeout(10):
                status, headers = await read_head(reader)
                await reader.readexactly(int(headers.get(b"content-length", b"0")))
            if status == 200:
                stats.json_ok += 1
            else:
                stats.error("json_http_%d" % status)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, OSError) as e:
            stats.error("json_" + type(e).__name__)
            if writer is not None:
                writer.close()
            writer = None
        next_at += 1 / per_s
        await asyncio.sleep(max(0, next_at - time.monotonic()))
    if writer is not None:
        writer.close()


async def progress(stats, t0):
    while True:
        await asyncio.sleep(10)
        print("[streams %6.0fs] open %d started %d completed %d events %d json %d errors %s"
              % (time.monotonic() - t0, stats.open, stats.started, stats.completed, stats.events,
                 stats.json_ok, stats.errors or "{}"), file=sys.stderr, flush=True)


def summary(stats, t0, **extra):
    ttfe = sorted(stats.first_event_ms)
    pct = lambda p: round(ttfe[min(len(ttfe) - 1, int(p * len(ttfe)))], 1) if ttfe else None
    took = sorted(stats.duration_s)
    dur = lambda p: round(took[min(len(took) - 1, int(p * len(took)))], 1) if took else None
    return dict(extra, started=stats.started, completed=stats.completed, max_open=stats.max_open,
                events=stats.events, json_ok=stats.json_ok, errors=stats.errors,
                first_event_ms_p50=pct(0.5), first_event_ms_p99=pct(0.99),
                stream_s_p50=dur(0.5), stream_s_max=dur(1.0),
                seconds=round(time.monotonic() - t0, 1))


async def hold(port, key, model, streams, ramp, events):
    stats, t0 = Stats(), time.monotonic()
    ticker = asyncio.create_task(progress(stats, t0))
    # a stream of EVENTS events lasts EVENTS seconds; on a machine shared with other load it may
    # take longer without anything failing (its length is reported: stream_s_p50, stream_s_max)
    timeout = events * 3.0 + 60
    tasks = []
    for i in range(streams):
        tasks.append(asyncio.create_task(one_stream(port, key, model, events, stats, timeout)))
        await asyncio.sleep(max(0, t0 + (i + 1) / ramp - time.monotonic()))
    await asyncio.gather(*tasks)
    ticker.cancel()
    print(json.dumps(summary(stats, t0, mode="hold", streams=streams, ramp_per_s=ramp)))


async def soak(port, key, model, concurrency, seconds, events, json_model, json_per_s):
    stats, t0 = Stats(), time.monotonic()
    until = t0 + seconds
    ticker = asyncio.create_task(progress(stats, t0))

    async def slot(i):
        await asyncio.sleep(i * events / concurrency)  # spread the slots over one stream's length
        while time.monotonic() < until:
            await one_stream(port, key, model, events, stats, events * 1.0 + 60)

    jobs = [asyncio.create_task(slot(i)) for i in range(concurrency)]
    if json_per_s > 0:
        jobs.append(asyncio.create_task(json_load(port, key, json_model, json_per_s, until, stats)))
    await asyncio.gather(*jobs)
    ticker.cancel()
    print(json.dumps(summary(stats, t0, mode="soak", concurrency=concurrency, json_per_s=json_per_s)))


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "hold":
        asyncio.run(hold(int(a[1]), a[2], a[3], int(a[4]), float(a[5]), int(a[6])))
    elif a and a[0] == "soak":
        asyncio.run(soak(int(a[1]), a[2], a[3], int(a[4]), float(a[5]), int(a[6]), a[7], float(a[8])))
    else:
        sys.exit(__doc__)

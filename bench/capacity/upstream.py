#!/usr/bin/env python3
"""A slow OpenAI-compatible upstream that holds many streams cheaply (stdlib asyncio only).

POST with "stream":true -> 200 text/event-stream (HTTP/1.1 chunked, keep-alive): the head at
once, then one chat.completion.chunk every EVERY_MS (first one after EVERY_MS too), as many as
the request's max_tokens (CHUNKS without it), then a usage chunk and `data: [DONE]`. Any other POST -> a small chat.completion JSON at
once. The listen backlog is large, so thousands of connections opened in a burst are accepted
without SYN retries; several processes may listen on the one port (the kernel spreads the
connections). Usage: upstream.py PORT [EVERY_MS=1000] [CHUNKS=60]"""
import asyncio, json, socket, sys

PORT = int(sys.argv[1])
EVERY = (int(sys.argv[2]) if len(sys.argv) > 2 else 1000) / 1000
CHUNKS = int(sys.argv[3]) if len(sys.argv) > 3 else 60
HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n")
JSON = json.dumps({"id": "chatcmpl-cap", "object": "chat.completion", "created": 1732200000, "model": "cap-model",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there"},
                                "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}}).encode()


def event(delta, finish=None, usage=None):
    c = {"id": "chatcmpl-cap", "object": "chat.completion.chunk", "created": 1732200000, "model": "cap-model",
         "choices": [] if delta is None else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
    if usage:
        c["usage"] = usage
    data = ("data: " + json.dumps(c, separators=(",", ":")) + "\n\n").encode()
    return b"%x\r\n%s\r\n" % (len(data), data)


WORD = event({"content": " word"})


def tail(n):
    return (event({}, finish="stop")
            + event(None, usage={"prompt_tokens": 9, "completion_tokens": n, "total_tokens": 9 + n})
            + b"e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n")


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            body = await reader.readexactly(length) if length else b""
            if b'"stream":true' not in body.replace(b" ", b""):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(JSON), JSON))
                continue
            n = json.loads(body).get("max_tokens") or CHUNKS
            writer.write(HEAD)
            for _ in range(n):
                await asyncio.sleep(EVERY)
                writer.write(WORD)
            writer.write(tail(n))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # several processes share the port
    sock.bind(("127.0.0.1", PORT))
    sock.listen(16384)
    server = await asyncio.start_server(handle, sock=sock)
    async with server:
        await server.serve_forever()

asyncio.run(main())

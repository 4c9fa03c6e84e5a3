#!/usr/bin/env python3
"""A slow OpenAI-compatible streaming upstream (stdlib asyncio only), for time-to-first-token.

POST any path -> 200 text/event-stream (HTTP/1.1 chunked, keep-alive). The head is sent at
once; the first content chunk after FIRST_MS, then one chunk every EVERY_MS, then a usage
chunk and `data: [DONE]`. Usage: slow_upstream.py PORT [FIRST_MS] [EVERY_MS] [CHUNKS]"""
import asyncio, json, sys

PORT = int(sys.argv[1])
FIRST = (int(sys.argv[2]) if len(sys.argv) > 2 else 50) / 1000
EVERY = (int(sys.argv[3]) if len(sys.argv) > 3 else 20) / 1000
CHUNKS = int(sys.argv[4]) if len(sys.argv) > 4 else 6


def event(delta, finish=None, usage=None):
    c = {"id": "chatcmpl-slow", "object": "chat.completion.chunk", "created": 1732200000, "model": "slow-model",
         "choices": [] if delta is None else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
    if usage:
        c["usage"] = usage
    return ("data: " + json.dumps(c, separators=(",", ":")) + "\n\n").encode()


def chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length, close = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
                elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                         b"Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(FIRST)
            writer.write(chunked(event({"role": "assistant", "content": "Hello"})))
            await writer.drain()
            for i in range(CHUNKS):
                await asyncio.sleep(EVERY)
                writer.write(chunked(event({"content": " word%d" % i})))
                await writer.drain()
            writer.write(chunked(event({}, finish="stop")))
            writer.write(chunked(event(None, usage={"prompt_tokens": 20, "completion_tokens": CHUNKS + 1,
                                                    "total_tokens": 21 + CHUNKS})))
            writer.write(chunked(b"data: [DONE]\n\n") + b"0\r\n\r\n")
            await writer.drain()
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT, backlog=128)
    async with server:
        await server.serve_forever()

asyncio.run(main())

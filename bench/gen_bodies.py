#!/usr/bin/env python3
"""Writes the fixed upstream replies used by the fast upstream (an nginx `return 200`):
a chat.completion JSON and a ~30-chunk chat.completion.chunk SSE stream that ends with a
usage chunk and `data: [DONE]`; the same answer as an Anthropic Messages `message` JSON and
as an Anthropic event stream (message_start, content_block_start, ping, one text_delta per
word, content_block_stop, message_delta with the usage, message_stop), each event the size
Anthropic's API sends. Also writes the nginx snippets that return them."""
import base64
import json, os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
CREATED = 1732200000
WORDS = ("Sure! Here is a short answer to your question about load balancing: a reverse proxy "
         "spreads requests across several upstream servers so that no single one is overloaded, "
         "and it retries elsewhere when one fails.").split(" ")

completion = {
    "id": "chatcmpl-bench0000000000000000000001", "object": "chat.completion", "created": CREATED,
    "model": "bench-model", "system_fingerprint": "fp_bench",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": " ".join(WORDS), "refusal": None},
                 "logprobs": None, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 42, "completion_tokens": len(WORDS) + 6, "total_tokens": 42 + len(WORDS) + 6,
              "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}},
}

def chunk(delta, finish=None, usage=None, choices=True):
    c = {"id": "chatcmpl-bench0000000000000000000002", "object": "chat.completion.chunk", "created": CREATED,
         "model": "bench-model", "system_fingerprint": "fp_bench",
         "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else []}
    if usage is not None:
        c["usage"] = usage
    return "data: " + json.dumps(c, separators=(",", ":")) + "\n\n"

events = [chunk({"role": "assistant", "content": "", "refusal": None})]
for i, w in enumerate(WORDS):
    events.append(chunk({"content": (w if i == 0 else " " + w)}))
events.append(chunk({}, finish="stop"))
events.append(chunk(None, usage=completion["usage"], choices=False).replace(',"delta":null', ""))
events.append("data: [DONE]\n\n")
sse = "".join(events)
body = json.dumps(completion, separators=(",", ":"))

def nginx_string(s):
    assert "'" not in s
    return "'" + s.replace("\\", "\\\\").replace("\n", "\\n") + "'"

with open(os.path.join(out, "completion.json"), "w") as f:
    f.write(body)
with open(os.path.join(out, "stream.sse"), "w") as f:
    f.write(sse)
with open(os.path.join(out, "return-completion.conf"), "w") as f:
    f.write("return 200 " + nginx_string(body) + ";\n")
os.makedirs(os.path.join(out, "www", "static"), exist_ok=True)
with open(os.path.join(out, "www", "static", "stream.sse"), "w") as f:
    f.write(sse)

# ---- Anthropic Messages: the same answer in Anthropic's format
TEXT = " ".join(WORDS)
ANTH_USAGE = {"input_tokens": 42, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
              "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
              "output_tokens": len(WORDS) + 6, "service_tier": "standard"}
message = {"id": "msg_01BenchXFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
           "model": "bench-claude", "content": [{"type": "text", "text": TEXT}],
           "stop_reason": "end_turn", "stop_sequence": None, "usage": ANTH_USAGE}
message_body = json.dumps(message, separators=(",", ":"))


def anth_event(name, data):
    return "event: " + name + "\ndata: " + json.dumps(data, separators=(",", ":")) + "\n\n"


start_usage = dict(ANTH_USAGE, output_tokens=1)
anth = [anth_event("message_start", {"type": "message_start", "message": dict(
            message, content=[], stop_reason=None, stop_sequence=None, usage=start_usage)}),
        anth_event("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}}),
        "event: ping\ndata: {\"type\": \"ping\"}\n\n"]
for i, w in enumerate(WORDS):
    anth.append(anth_event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                                   "delta": {"type": "text_delta", "text": w if i == 0 else " " + w}}))
anth.append(anth_event("content_block_stop", {"type": "content_block_stop", "index": 0}))
anth.append(anth_event("message_delta", {"type": "message_delta",
                                         "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                         "usage": {"input_tokens": 42, "cache_creation_input_tokens": 0,
                                                   "cache_read_input_tokens": 0,
                                                   "output_tokens": ANTH_USAGE["output_tokens"]}}))
anth.append(anth_event("message_stop", {"type": "message_stop"}))
anth_sse = "".join(anth)
with open(os.path.join(out, "message.json"), "w") as f:
    f.write(message_body)
with open(os.path.join(out, "return-message.conf"), "w") as f:
    f.write("return 200 " + nginx_string(message_body) + ";\n")
with open(os.path.join(out, "www", "static", "messages.sse"), "w") as f:
    f.write(anth_sse)
# ---- embeddings (text-embedding-3-small's 1,536 dimensions) and a legacy text completion
rnd = random.Random(7)
embedding = {"object": "list", "data": [{"object": "embedding", "index": 0,
                                         "embedding": [round(rnd.uniform(-0.08, 0.08), 9) for _ in range(1536)]}],
             "model": "text-embedding-3-small", "usage": {"prompt_tokens": 15, "total_tokens": 15}}
embedding_body = json.dumps(embedding, separators=(",", ":"))
with open(os.path.join(out, "www", "static", "embedding.json"), "w") as f:
    f.write(embedding_body)
text_completion = {"id": "cmpl-bench0000000000000000000003", "object": "text_completion", "created": CREATED,
                   "model": "bench-model", "system_fingerprint": "fp_bench",
                   "choices": [{"text": " " + TEXT, "index": 0, "logprobs": None, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 16, "completion_tokens": len(WORDS) + 6,
                             "total_tokens": 16 + len(WORDS) + 6}}
text_body = json.dumps(text_completion, separators=(",", ":"))
with open(os.path.join(out, "return-text-completion.conf"), "w") as f:
    f.write("return 200 " + nginx_string(text_body) + ";\n")
# ---- an agent's request, shaped as Claude Code sends one after an hour's work: 60 rounds of reading
# files (tool calls and their results), then instructions and tools marked for caching, about 400 KB
files = random.Random(11)
turns = []
for i in range(60):
    turns.append({"role": "user", "content": [{"type": "text", "text": f"Look at src/f{i}.java and say what it does."}]})
    turns.append({"role": "assistant", "content": [
        {"type": "text", "text": "It reads its configuration, checks it and writes a log line for each step. " * 30},
        {"type": "tool_use", "id": f"toolu_{i:04d}", "name": "Read",
         "input": {"file_path": f"/work/src/f{i}.java", "offset": 0, "limit": 400}}]})
    code = "".join(f"    int field{k} = {files.randrange(10**6)}; // keeps the count of step {k}\n" for k in range(40))
    turns.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"toolu_{i:04d}",
                                               "content": f"public class F{i} {{\n{code}}}\n"}]})
turns.append({"role": "user", "content": [{"type": "text", "text": "Now summarise the module.",
                                           "cache_control": {"type": "ephemeral"}}]})
# (in Claude Code's order and sizes: its messages first, then 24 KB of system and 80 KB of tools)
agent = {"model": "bench-agent", "messages": [],
         "system": [{"type": "text", "text": "You are an interactive agent that helps with software work. " * 400,
                     "cache_control": {"type": "ephemeral"}}],
         "tools": [{"name": f"Tool{k:02d}", "description": f"Does task {k}: reads, edits or runs what it is given. "
                    + "It says when to use it, when not to, and what it returns. " * 68,
                    "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"},
                                                                      "limit": {"type": "integer"}},
                                     "required": ["file_path"], "additionalProperties": False}}
                   for k in range(20)],
         "max_tokens": 32000}
agent["messages"] = turns
agent["tools"][-1]["cache_control"] = {"type": "ephemeral"}
agent_body = json.dumps(agent, separators=(",", ":"))
with open(os.path.join(out, "agent-messages.json"), "w") as f:
    f.write(agent_body)
# ---- the same hour of work from an agent that speaks OpenAI's chat completions (Cline, OpenCode, Aider
# through LiteLLM-style gateways): tool calls in tool_calls with their arguments as JSON text, answers in
# tool messages, about 300 KB
chat_turns = [{"role": "system", "content": "You are an interactive agent that helps with software work. " * 120}]
files = random.Random(11)
for i in range(60):
    chat_turns.append({"role": "user", "content": f"Look at src/f{i}.java and say what it does."})
    chat_turns.append({"role": "assistant",
                       "content": "It reads its configuration, checks it and writes a log line for each step. " * 30,
                       "tool_calls": [{"id": f"call_{i:04d}", "type": "function", "function": {
                           "name": "Read",
                           "arguments": json.dumps({"file_path": f"/work/src/f{i}.java", "offset": 0, "limit": 400})}}]})
    code = "".join(f"    int field{k} = {files.randrange(10**6)}; // keeps the count of step {k}\n" for k in range(40))
    chat_turns.append({"role": "tool", "tool_call_id": f"call_{i:04d}", "content": f"public class F{i} {{\n{code}}}\n"})
chat_turns.append({"role": "user", "content": "Now summarise the module."})
agent_chat = {"model": "bench-agent-chat", "max_tokens": 32000, "messages": chat_turns,
              "tools": [{"type": "function", "function": {
                  "name": f"Tool{k:02d}", "description": f"Does task {k}: reads, edits or runs what it is given.",
                  "parameters": {"type": "object", "properties": {"file_path": {"type": "string"},
                                                                   "limit": {"type": "integer"}},
                                 "required": ["file_path"], "additionalProperties": False}}} for k in range(20)]}
agent_chat_body = json.dumps(agent_chat, separators=(",", ":"))
with open(os.path.join(out, "agent-chat.json"), "w") as f:
    f.write(agent_chat_body)
# ---- the same agent's conversation as it grows, one request per turn (paths at, ct; post.lua builds the
# turns): a turn of r rounds is the r rounds (the user asks about a file, the assistant answers with a Read
# call, the tool's result) and the user's next question, the one the model answers next; the next turn
# resends it all with that answer, its tool round and a new question, as an agent resends its whole
# conversation. Turns from 40 rounds to 60 (aj / ac's size). @C@ stands
# for the conversation's id, in every round (the question, the call's path and id, the code), so no two
# conversations share a message's bytes, while they share the instructions and tools as one agent's do.
# Written one piece per line (compact JSON holds no newline): the first and last turn's rounds, the head
# before the first message, the tail after the last one, then for each round i the round's messages with a
# comma after each (i < last) and question i as the last message of a turn.
TURN_FIRST, TURN_LAST = 40, 60


def turn_pieces(body, system_messages, ask, round_messages, field="messages"):
    # head and tail are the body's own bytes around its messages (a Responses request's `input`), so the
    # instructions and tools are aj's / ac's / the Codex request's
    head, tail = json.dumps(dict(body, **{field: system_messages + ["@M@"]}), separators=(",", ":")).split('"@M@"')
    assert "@C@" not in head + tail
    dump = lambda m: json.dumps(m, separators=(",", ":"))
    files = random.Random(11)
    rounds = ["".join(dump(m) + "," for m in round_messages(i, files)) for i in range(TURN_LAST)]
    return head, tail, rounds, [dump(ask(i, True)) for i in range(TURN_LAST + 1)]


def write_turns(name, sample_name, pieces, whole):
    head, tail, rounds, asks = pieces
    with open(os.path.join(out, name), "w") as f:
        f.write(f"{TURN_FIRST} {TURN_LAST}\n{head}\n{tail}\n")
        for i in range(TURN_LAST):
            f.write(rounds[i] + "\n" + asks[i] + "\n")
        f.write(asks[TURN_LAST] + "\n")
    turn = lambda r, cid: (head + "".join(rounds[:r]) + asks[r] + tail).replace("@C@", cid)
    # the pieces joined as post.lua joins them must be the body json.dumps writes for that turn
    for r in (TURN_FIRST, TURN_LAST):
        assert turn(r, "sanity") == json.dumps(whole(r, "sanity"), separators=(",", ":"))
    # the check's request: the first turn of a conversation no load run has
    with open(os.path.join(out, sample_name), "w") as f:
        f.write(turn(TURN_FIRST, "sanity"))
    return len(turn(TURN_FIRST, "sanity")), len(turn(TURN_LAST, "sanity"))


def code_for(i, files, cid):
    return f"package {cid};\n\npublic class F{i} {{\n" + "".join(
        f"    int field{k} = {files.randrange(10**6)}; // keeps the count of step {k}\n" for k in range(40)) + "}\n"


def messages_ask(i, last, cid="@C@"):
    block = {"type": "text", "text": f"Look at src/{cid}/f{i}.java and say what it does."}
    if last:  # Claude Code moves its cache breakpoint to the newest message every turn
        block["cache_control"] = {"type": "ephemeral"}
    return {"role": "user", "content": [block]}


def messages_round(i, files, cid="@C@"):
    return [messages_ask(i, False, cid),
            {"role": "assistant", "content": [
                {"type": "text", "text": "It reads its configuration, checks it and writes a log line for each step. " * 30},
                {"type": "tool_use", "id": f"toolu_{cid}_{i:04d}", "name": "Read",
                 "input": {"file_path": f"/work/src/{cid}/f{i}.java", "offset": 0, "limit": 400}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"toolu_{cid}_{i:04d}",
                                          "content": code_for(i, files, cid)}]}]


def messages_turn(r, cid):
    files = random.Random(11)
    return dict(agent, messages=[m for i in range(r) for m in messages_round(i, files, cid)] + [messages_ask(r, True, cid)])


def chat_ask(i, last, cid="@C@"):  # (the chat format has no cache breakpoint to move)
    return {"role": "user", "content": f"Look at src/{cid}/f{i}.java and say what it does."}


def chat_round(i, files, cid="@C@"):
    return [chat_ask(i, False, cid),
            {"role": "assistant",
             "content": "It reads its configuration, checks it and writes a log line for each step. " * 30,
             "tool_calls": [{"id": f"call_{cid}_{i:04d}", "type": "function", "function": {
                 "name": "Read", "arguments": json.dumps({"file_path": f"/work/src/{cid}/f{i}.java", "offset": 0, "limit": 400})}}]},
            {"role": "tool", "tool_call_id": f"call_{cid}_{i:04d}", "content": code_for(i, files, cid)}]


def chat_turn(r, cid):
    files = random.Random(11)
    return dict(agent_chat, messages=chat_turns[:1] + [m for i in range(r) for m in chat_round(i, files, cid)]
                + [chat_ask(r, True, cid)])


turns_sizes = write_turns("agent-turns-messages.txt", "agent-turn.json",
                          turn_pieces(agent, [], messages_ask, messages_round), messages_turn)
turns_chat_sizes = write_turns("agent-turns-chat.txt", "agent-turn-chat.json",
                               turn_pieces(agent_chat, chat_turns[:1], chat_ask, chat_round), chat_turn)
# ---- the same hour from Codex, in the Responses API and in Codex CLI 0.171's order and sizes: no
# `instructions` but two developer messages first (18 and 3 KB), then the conversation (reasoning items with
# their encrypted content, the model's message and its function call as three items of one turn, the call's
# output), then 18 KB of tools; about 340 KB (its turns below are the bench path xt)
codex_items = [{"type": "message", "id": "msg_dev_0001", "role": "developer",
                "content": [{"type": "input_text", "text": "You are Codex, a coding agent. Follow the repository's "
                             "conventions. " * 260}]},
               {"type": "message", "id": "msg_dev_0002", "role": "developer",
                "content": [{"type": "input_text", "text": "<environment_context>cwd, shell, sandbox</environment_context> " * 40}]}]
files = random.Random(5)
for i in range(60):
    codex_items.append({"type": "message", "role": "user",
                        "content": [{"type": "input_text", "text": f"Look at src/f{i}.rs and say what it does."}]})
    codex_items.append({"type": "reasoning", "id": f"rs_{i:04d}", "summary": [], "encrypted_content":
                        base64.b64encode(bytes(files.randrange(256) for _ in range(600))).decode()})
    codex_items.append({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text":
                        "It reads its configuration, checks it and writes a log line for each step. " * 20}]})
    codex_items.append({"type": "function_call", "call_id": f"call_{i:04d}", "name": "shell", "arguments":
                        json.dumps({"command": ["cat", f"src/f{i}.rs"], "workdir": "/work", "timeout_ms": 10000})})
    code = "".join(f"    let field{k} = {files.randrange(10**6)}; // keeps the count of step {k}\n" for k in range(40))
    codex_items.append({"type": "function_call_output", "call_id": f"call_{i:04d}", "output": f"fn f{i}() {{\n{code}}}\n"})
codex = {"model": "bench-codex", "stream": True, "input": codex_items,
         "tools": [{"type": "function", "name": f"tool{k}", "strict": False,
                    "description": "Runs a thing in the workspace and returns its output. " * 34,
                    "parameters": {"type": "object", "properties": {"cmd": {"type": "string"},
                                                                    "workdir": {"type": "string"}},
                                   "required": ["cmd"], "additionalProperties": False}} for k in range(9)],
         "tool_choice": "auto", "parallel_tool_calls": True, "reasoning": {"summary": "auto"},
         "store": False, "include": ["reasoning.encrypted_content"], "prompt_cache_key": "c0ffee"}
codex_body = json.dumps(codex, separators=(",", ":"))
with open(os.path.join(out, "agent-responses.json"), "w") as f:
    f.write(codex_body)


# ---- Codex's conversations turn by turn (path xt), as at / ct: each round the user's question, the
# model's reasoning (its encrypted content, as Codex sends it back with `store` off), its message and its
# shell call, and the call's output; the conversation's id in every round
def codex_ask(i, last, cid="@C@"):
    return {"type": "message", "role": "user",
            "content": [{"type": "input_text", "text": f"Look at src/{cid}/f{i}.rs and say what it does."}]}


def codex_round(i, files, cid="@C@"):
    return [codex_ask(i, False, cid),
            {"type": "reasoning", "id": f"rs_{cid}_{i:04d}", "summary": [], "encrypted_content":
             base64.b64encode(bytes(files.randrange(256) for _ in range(600))).decode()},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text":
             "It reads its configuration, checks it and writes a log line for each step. " * 20}]},
            {"type": "function_call", "call_id": f"call_{cid}_{i:04d}", "name": "shell", "arguments":
             json.dumps({"command": ["cat", f"src/{cid}/f{i}.rs"], "workdir": "/work", "timeout_ms": 10000})},
            {"type": "function_call_output", "call_id": f"call_{cid}_{i:04d}", "output": code_for(i, files, cid)}]


def codex_turn(r, cid):
    files = random.Random(11)
    return dict(codex, input=codex_items[:2] + [m for i in range(r) for m in codex_round(i, files, cid)]
                + [codex_ask(r, True, cid)])


# ---- the upstream's answer to a Codex turn, as OpenAI's Responses API streams it: the reasoning item
# (encrypted), the message word by word, then response.completed with the whole response and its usage
RESP_ID = "resp_bench0000000000000000000000000000000000000001"
reasoning_item = {"id": "rs_bench000000000000000000000000000000001", "type": "reasoning", "summary": [],
                  "encrypted_content": base64.b64encode(bytes(random.Random(13).randrange(256) for _ in range(900))).decode()}
message_item = {"id": "msg_bench00000000000000000000000000000001", "type": "message", "status": "completed",
                "role": "assistant", "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": TEXT}]}
RESP_USAGE = {"input_tokens": 78000, "input_tokens_details": {"cached_tokens": 76800},
              "output_tokens": len(WORDS) + 240, "output_tokens_details": {"reasoning_tokens": 240},
              "total_tokens": 78000 + len(WORDS) + 240}
response = {"id": RESP_ID, "object": "response", "created_at": CREATED, "status": "in_progress", "background": False,
            "error": None, "incomplete_details": None, "instructions": None, "max_output_tokens": None,
            "model": "bench-codex-agent", "output": [], "parallel_tool_calls": False, "previous_response_id": None,
            "prompt_cache_key": "c0ffee", "reasoning": {"effort": "medium", "summary": "auto"}, "store": False,
            "temperature": 1.0, "text": {"format": {"type": "text"}, "verbosity": "medium"}, "tool_choice": "auto",
            "tools": [], "top_p": 1.0, "truncation": "disabled", "usage": None, "user": None, "metadata": {}}
resp_events = []


def resp_event(name, data):
    resp_events.append("event: " + name + "\ndata: " + json.dumps(
        dict({"type": name, "sequence_number": len(resp_events)}, **data), separators=(",", ":")) + "\n\n")


resp_event("response.created", {"response": response})
resp_event("response.in_progress", {"response": response})
resp_event("response.output_item.added", {"output_index": 0, "item": dict(reasoning_item, encrypted_content=None)})
resp_event("response.output_item.done", {"output_index": 0, "item": reasoning_item})
resp_event("response.output_item.added", {"output_index": 1, "item": dict(message_item, status="in_progress", content=[])})
resp_event("response.content_part.added", {"item_id": message_item["id"], "output_index": 1, "content_index": 0,
                                           "part": {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}})
for i, w in enumerate(WORDS):
    resp_event("response.output_text.delta", {"item_id": message_item["id"], "output_index": 1, "content_index": 0,
                                              "delta": w if i == 0 else " " + w, "logprobs": []})
resp_event("response.output_text.done", {"item_id": message_item["id"], "output_index": 1, "content_index": 0,
                                         "text": TEXT, "logprobs": []})
resp_event("response.content_part.done", {"item_id": message_item["id"], "output_index": 1, "content_index": 0,
                                          "part": message_item["content"][0]})
resp_event("response.output_item.done", {"output_index": 1, "item": message_item})
resp_event("response.completed", {"response": dict(response, status="completed",
                                                   output=[reasoning_item, message_item], usage=RESP_USAGE)})
resp_sse = "".join(resp_events)
with open(os.path.join(out, "www", "static", "responses.sse"), "w") as f:
    f.write(resp_sse)
turns_codex_sizes = write_turns("agent-turns-responses.txt", "agent-turn-responses.json",
                                turn_pieces(codex, codex_items[:2], codex_ask, codex_round, "input"), codex_turn)
print(f"completion {len(body)} bytes; stream {len(events) - 1} events + [DONE], {len(sse)} bytes; "
      f"message {len(message_body)} bytes; messages stream {len(anth)} events, {len(anth_sse)} bytes; "
      f"embedding {len(embedding_body)} bytes; text completion {len(text_body)} bytes; "
      f"agent request {len(agent_body)} bytes; agent chat request {len(agent_chat_body)} bytes; "
      f"agent Responses request {len(codex_body)} bytes; agent turns {turns_sizes[0]}-{turns_sizes[1]} bytes, "
      f"in the chat format {turns_chat_sizes[0]}-{turns_chat_sizes[1]} bytes, "
      f"in the Responses format {turns_codex_sizes[0]}-{turns_codex_sizes[1]} bytes; "
      f"Responses stream {len(resp_events)} events, {len(resp_sse)} bytes")

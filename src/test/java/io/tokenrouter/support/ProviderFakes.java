package io.tokenrouter.support;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.function.BiConsumer;

/**
 * Scripts for {@link FakeUpstream} that answer as each provider documents its API: a text answer
 * ("Hello from NAME"), or, when the request offers tools and carries no tool result yet, a call
 * of its first tool with {@code {"city":"Paris"}}; whole or streamed, as asked. Every answer
 * reports 20 input tokens (8 of them read from the cache) and 5 output tokens, in the provider's
 * own terms, so that translations of usage can be checked.
 */
public final class ProviderFakes {
  public static final String ARGUMENTS = "{\"city\":\"Paris\"}";

  private ProviderFakes() {}

  private static boolean callsTool(FakeUpstream.Received r, String toolsMarker, String resultMarker) {
    String body = r.text();
    return body.contains(toolsMarker) && !body.contains(resultMarker);
  }

  private static String firstTool(JsonObject request, String... path) {
    Object node = request;
    for (String p : path) {
      node = node instanceof JsonObject o ? o.getValue(p) : ((JsonArray) node).getValue(Integer.parseInt(p));
    }
    return (String) node;
  }

  private static void sse(HttpServerResponse response, String... events) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    for (String e : events) {
      response.write(e);
    }
    response.end();
  }

  private static void json(HttpServerResponse response, JsonObject body) {
    response.putHeader("content-type", "application/json").end(body.encode());
  }

  /** OpenAI chat completions (and Azure OpenAI's, which is the same format). */
  public static BiConsumer<FakeUpstream.Received, HttpServerResponse> chat(String name) {
    return (r, response) -> {
      JsonObject req = new JsonObject(r.body());
      boolean tool = callsTool(r, "\"tools\"", "\"role\":\"tool\"");
      String toolName = tool ? firstTool(req, "tools", "0", "function", "name") : null;
      JsonObject usage = new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 5).put("total_tokens", 25)
          .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 8));
      if (!req.getBoolean("stream", false)) {
        JsonObject message = new JsonObject().put("role", "assistant");
        if (tool) {
          message.putNull("content").put("tool_calls", new JsonArray().add(new JsonObject().put("id", "call_1")
              .put("type", "function").put("function", new JsonObject().put("name", toolName)
                  .put("arguments", ARGUMENTS))));
        } else {
          message.put("content", "Hello from " + name);
        }
        json(response, new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1)
            .put("model", req.getString("model")).put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                .put("message", message).put("finish_reason", tool ? "tool_calls" : "stop")))
            .put("usage", usage));
        return;
      }
      String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
          + req.getString("model") + "\",\"choices\":[";
      String first = tool
          ? "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
              + "\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"" + toolName + "\",\"arguments\":\"\"}}]},"
              + "\"finish_reason\":null}"
          : "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello \"},\"finish_reason\":null}";
      String second = tool
          ? "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
              + Json.encode(ARGUMENTS)
              + "}}]},\"finish_reason\":null}"
          : "{\"index\":0,\"delta\":{\"content\":\"from " + name + "\"},\"finish_reason\":null}";
      String finish = "{\"index\":0,\"delta\":{},\"finish_reason\":\"" + (tool ? "tool_calls" : "stop") + "\"}";
      sse(response, "data: " + head + first + "]}\n\n", "data: " + head + second + "]}\n\n",
          "data: " + head + finish + "]}\n\n",
          "data: " + head + "],\"usage\":" + usage.encode() + "}\n\n", "data: [DONE]\n\n");
    };
  }

  /** Anthropic's Messages API. */
  public static BiConsumer<FakeUpstream.Received, HttpServerResponse> anthropic(String name) {
    return (r, response) -> {
      JsonObject req = new JsonObject(r.body());
      boolean tool = callsTool(r, "\"tools\"", "\"tool_result\"");
      String toolName = tool ? firstTool(req, "tools", "0", "name") : null;
      String usage = "{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":8,"
          + "\"output_tokens\":5}";
      if (!req.getBoolean("stream", false)) {
        String content = tool
            ? "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"" + toolName + "\",\"input\":" + ARGUMENTS + "}]"
            : "[{\"type\":\"text\",\"text\":\"Hello from " + name + "\"}]";
        response.putHeader("content-type", "application/json").end("{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"" + req.getString("model") + "\",\"content\":" + content
            + ",\"stop_reason\":\"" + (tool ? "tool_use" : "end_turn") + "\",\"stop_sequence\":null,\"usage\":"
            + usage + "}");
        return;
      }
      String start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
          + "\"message\",\"role\":\"assistant\",\"model\":\"" + req.getString("model") + "\",\"content\":[],"
          + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,"
          + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":8,\"output_tokens\":1}}}\n\n";
      String block = tool
          ? "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
              + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"" + toolName + "\",\"input\":{}}}\n\n"
              + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
              + "{\"type\":\"input_json_delta\",\"partial_json\":" + Json.encode(ARGUMENTS) + "}}\n\n"
          : "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
              + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
              + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
              + "{\"type\":\"text_delta\",\"text\":\"Hello \"}}\n\n"
              + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
              + "{\"type\":\"text_delta\",\"text\":\"from " + name + "\"}}\n\n";
      sse(response, start, block,
          "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
          "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
              + (tool ? "tool_use" : "end_turn") + "\",\"stop_sequence\":null},\"usage\":" + usage + "}\n\n",
          "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    };
  }

  /** Google's Gemini API ({@code generateContent}, {@code streamGenerateContent?alt=sse}). */
  public static BiConsumer<FakeUpstream.Received, HttpServerResponse> gemini(String name) {
    return (r, response) -> {
      JsonObject req = new JsonObject(r.body());
      boolean tool = callsTool(r, "\"functionDeclarations\"", "\"functionResponse\"");
      JsonObject usage = new JsonObject().put("promptTokenCount", 20).put("candidatesTokenCount", 3)
          .put("thoughtsTokenCount", 2).put("cachedContentTokenCount", 8).put("totalTokenCount", 25);
      if (tool) {
        String toolName = firstTool(req, "tools", "0", "functionDeclarations", "0", "name");
        JsonObject call = new JsonObject().put("functionCall", new JsonObject().put("name", toolName)
            .put("args", new JsonObject(ARGUMENTS)));
        JsonObject body = candidate(new JsonArray().add(call), "STOP").put("usageMetadata", usage);
        if (r.uri().contains(":streamGenerateContent")) {
          sse(response, "data: " + body.encode() + "\r\n\r\n");
        } else {
          json(response, body);
        }
        return;
      }
      if (r.uri().contains(":streamGenerateContent")) {
        sse(response,
            "data: " + candidate(new JsonArray().add(new JsonObject().put("text", "Hello ")), null).encode()
                + "\r\n\r\n",
            "data: " + candidate(new JsonArray().add(new JsonObject().put("text", "from " + name)), "STOP")
                .put("usageMetadata", usage).encode() + "\r\n\r\n");
      } else {
        json(response, candidate(new JsonArray().add(new JsonObject().put("text", "Hello from " + name)), "STOP")
            .put("usageMetadata", usage));
      }
    };
  }

  private static JsonObject candidate(JsonArray parts, String finishReason) {
    JsonObject candidate = new JsonObject().put("content", new JsonObject().put("role", "model").put("parts", parts))
        .put("index", 0);
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    return new JsonObject().put("candidates", new JsonArray().add(candidate)).put("modelVersion", "gemini-2.5-flash")
        .put("responseId", "gem-1");
  }

  /** OpenAI's Responses API. */
  public static BiConsumer<FakeUpstream.Received, HttpServerResponse> responses(String name) {
    return (r, response) -> {
      JsonObject req = new JsonObject(r.body());
      boolean tool = callsTool(r, "\"tools\"", "\"function_call_output\"");
      JsonObject usage = new JsonObject().put("input_tokens", 20)
          .put("input_tokens_details", new JsonObject().put("cached_tokens", 8)).put("output_tokens", 5)
          .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0)).put("total_tokens", 25);
      JsonObject item = tool
          ? new JsonObject().put("type", "function_call").put("id", "fc_up").put("call_id", "call_up")
              .put("name", firstTool(req, "tools", "0", "name")).put("arguments", ARGUMENTS).put("status", "completed")
          : new JsonObject().put("type", "message").put("id", "msg_up").put("status", "completed")
              .put("role", "assistant").put("content", new JsonArray().add(new JsonObject().put("type", "output_text")
                  .put("text", "Hello from " + name).put("annotations", new JsonArray())));
      JsonObject done = new JsonObject().put("id", "resp_up" + System.nanoTime()).put("object", "response")
          .put("created_at", 1).put("status", "completed").putNull("error").putNull("incomplete_details")
          .put("model", req.getString("model")).put("output", new JsonArray().add(item))
          .put("parallel_tool_calls", true).put("tool_choice", "auto").put("tools", new JsonArray())
          .put("usage", usage);
      if (!req.getBoolean("stream", false)) {
        json(response, done);
        return;
      }
      JsonObject created = done.copy().put("status", "in_progress").put("output", new JsonArray()).putNull("usage");
      StringBuilder events = new StringBuilder();
      int[] seq = {0};
      BiConsumer<String, JsonObject> add = (type, data) -> events.append("event: ").append(type)
          .append("\ndata: ").append(data.put("type", type).put("sequence_number", seq[0]++).encode()).append("\n\n");
      add.accept("response.created", new JsonObject().put("response", created));
      add.accept("response.output_item.added", new JsonObject().put("output_index", 0).put("item", item));
      if (!tool) {
        add.accept("response.output_text.delta", new JsonObject().put("item_id", "msg_up").put("output_index", 0)
            .put("content_index", 0).put("delta", "Hello from " + name));
      }
      add.accept("response.output_item.done", new JsonObject().put("output_index", 0).put("item", item));
      add.accept("response.completed", new JsonObject().put("response", done));
      sse(response, events.toString());
    };
  }

  /** OpenAI's embeddings: vectors of {@code [index + 0.5, 0.25]}, as floats or as base64 of little-endian floats. */
  public static BiConsumer<FakeUpstream.Received, HttpServerResponse> embeddings() {
    return (r, response) -> {
      JsonObject req = new JsonObject(r.body());
      Object input = req.getValue("input");
      int count = input instanceof JsonArray a && !(a.getValue(0) instanceof Number) ? a.size() : 1;
      boolean base64 = "base64".equals(req.getString("encoding_format"));
      JsonArray data = new JsonArray();
      for (int i = 0; i < count; i++) {
        float[] vector = {i + 0.5f, 0.25f};
        Object embedding;
        if (base64) {
          ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
          bytes.putFloat(vector[0]).putFloat(vector[1]);
          embedding = Base64.getEncoder().encodeToString(bytes.array());
        } else {
          embedding = new JsonArray().add(vector[0]).add(vector[1]);
        }
        data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", embedding));
      }
      json(response, new JsonObject().put("object", "list").put("data", data).put("model", req.getString("model"))
          .put("usage", new JsonObject().put("prompt_tokens", 6).put("total_tokens", 6)));
    };
  }

  /** OpenAI's legacy completions: "Hello from NAME", whole or as {@code text_completion} chunks. */
  public static BiConsumer<FakeUpstream.Received, HttpServerResponse> completions(String name) {
    return (r, response) -> {
      JsonObject req = new JsonObject(r.body());
      JsonObject usage = new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 5).put("total_tokens", 25);
      if (!req.getBoolean("stream", false)) {
        json(response, completion(req, "Hello from " + name, "stop").put("usage", usage));
        return;
      }
      sse(response, "data: " + completion(req, "Hello ", null).encode() + "\n\n",
          "data: " + completion(req, "from " + name, null).encode() + "\n\n",
          "data: " + completion(req, "", "stop").encode() + "\n\n",
          "data: " + completion(req, "", null).put("choices", new JsonArray()).put("usage", usage).encode() + "\n\n",
          "data: [DONE]\n\n");
    };
  }

  private static JsonObject completion(JsonObject req, String text, String finish) {
    return new JsonObject().put("id", "cmpl-1").put("object", "text_completion").put("created", 1)
        .put("model", req.getString("model")).put("choices", new JsonArray().add(new JsonObject().put("text", text)
            .put("index", 0).putNull("logprobs").put("finish_reason", finish)));
  }
}

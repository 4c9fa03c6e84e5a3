package io.tokenrouter.support;

import static io.tokenrouter.support.FakeAnthropicServer.blockStop;
import static io.tokenrouter.support.FakeAnthropicServer.inputJsonDelta;
import static io.tokenrouter.support.FakeAnthropicServer.message;
import static io.tokenrouter.support.FakeAnthropicServer.messageDelta;
import static io.tokenrouter.support.FakeAnthropicServer.messageStart;
import static io.tokenrouter.support.FakeAnthropicServer.messageStop;
import static io.tokenrouter.support.FakeAnthropicServer.ping;
import static io.tokenrouter.support.FakeAnthropicServer.textBlockStart;
import static io.tokenrouter.support.FakeAnthropicServer.textDelta;
import static io.tokenrouter.support.FakeAnthropicServer.toolUseStart;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-turn tool conversation played by a local upstream in either provider's wire format: on
 * the first turn the model says {@link #PREAMBLE} and calls {@code get_weather} for Paris; once
 * the request carries the tool's answer, it says {@link #ANSWER}. Every reply reports the same
 * usage, cache reads and writes included, in the provider's own terms: 10 uncached input
 * tokens, 20 written to the cache, 30 read from it (60 in all), 5 output tokens. An OpenAI-format
 * model named {@code *reasoner*} also shows {@link #REASONING} in {@code reasoning_content}.
 */
public final class WeatherAgent {
  public static final String PREAMBLE = "Let me check.";
  public static final String ANSWER = "It is 18C and sunny in Paris.";
  public static final String TOOL = "get_weather";
  public static final String ARGUMENTS = "{\"city\":\"Paris\"}";
  public static final String TOOL_RESULT = "18C, sunny";
  /** What a reasoning model (a model named {@code *reasoner*}) thinks before each answer. */
  public static final String REASONING = "The user wants the weather.";
  public static final int UNCACHED = 10;
  public static final int CACHE_WRITE = 20;
  public static final int CACHE_READ = 30;
  public static final int PROMPT = UNCACHED + CACHE_WRITE + CACHE_READ;
  public static final int OUTPUT = 5;

  private WeatherAgent() {}

  /** The Anthropic Messages wire format (also answers count_tokens with 42). */
  public static void anthropic(FakeAnthropicServer.Received request, HttpServerResponse response) {
    if (request.path().startsWith("/v1/messages/count_tokens")) {
      FakeAnthropicServer.writeJson(response, 200, "{\"input_tokens\":42}");
      return;
    }
    JsonNode body = request.body();
    boolean answered = anthropicHasToolResult(body.path("messages"));
    String usage = FakeAnthropicServer.usage(UNCACHED, OUTPUT, CACHE_WRITE, CACHE_READ);
    String id = answered ? "msg_answer" : "msg_call";
    if (!body.path("stream").asBoolean(false)) {
      String content = answered ? "[{\"type\":\"text\",\"text\":\"" + ANSWER + "\"}]"
          : "[{\"type\":\"text\",\"text\":\"" + PREAMBLE + "\"},{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\""
              + TOOL + "\",\"input\":" + ARGUMENTS + "}]";
      FakeAnthropicServer.writeJson(response, 200, message(id, answered ? "end_turn" : "tool_use", content, usage));
      return;
    }
    List<String> events = new ArrayList<>();
    events.add(messageStart(id, FakeAnthropicServer.usage(UNCACHED, 1, CACHE_WRITE, CACHE_READ)));
    events.add(textBlockStart(0));
    events.add(ping());
    if (answered) {
      events.add(textDelta(0, ANSWER.substring(0, 8)));
      events.add(textDelta(0, ANSWER.substring(8)));
      events.add(blockStop(0));
    } else {
      events.add(textDelta(0, PREAMBLE));
      events.add(blockStop(0));
      events.add(toolUseStart(1, "toolu_01", TOOL));
      events.add(inputJsonDelta(1, ""));
      events.add(inputJsonDelta(1, "{\"city\":"));
      events.add(inputJsonDelta(1, "\"Paris\"}"));
      events.add(blockStop(1));
    }
    events.add(messageDelta(answered ? "end_turn" : "tool_use", "{\"output_tokens\":" + OUTPUT + "}"));
    events.add(messageStop());
    FakeAnthropicServer.writeEvents(response, events);
  }

  private static boolean anthropicHasToolResult(JsonNode messages) {
    JsonNode last = messages.path(messages.size() - 1).path("content");
    for (JsonNode block : last) {
      if ("tool_result".equals(block.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  /** OpenAI's chat completions wire format. */
  public static void openAi(JsonObject request, HttpServerResponse response) {
    JsonArray messages = request.getJsonArray("messages");
    boolean answered = "tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
    String model = request.getString("model");
    // a reasoning model (DeepSeek's) shows its reasoning in reasoning_content
    boolean reasoner = model.contains("reasoner");
    JsonObject usage = new JsonObject().put("prompt_tokens", PROMPT).put("completion_tokens", OUTPUT)
        .put("total_tokens", PROMPT + OUTPUT)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", CACHE_READ)
            .put("cache_write_tokens", CACHE_WRITE));
    String id = answered ? "chatcmpl-answer" : "chatcmpl-call";
    JsonObject call = new JsonObject().put("id", "call_01").put("type", "function")
        .put("function", new JsonObject().put("name", TOOL).put("arguments", ARGUMENTS));
    if (!request.getBoolean("stream", false)) {
      JsonObject message = new JsonObject().put("role", "assistant");
      if (reasoner) {
        message.put("reasoning_content", REASONING);
      }
      message.put("content", answered ? ANSWER : PREAMBLE).put("refusal", (Object) null);
      if (!answered) {
        message.put("tool_calls", new JsonArray().add(call));
      }
      JsonObject completion = new JsonObject().put("id", id).put("object", "chat.completion").put("created", 1)
          .put("model", model)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
              .put("logprobs", (Object) null).put("finish_reason", answered ? "stop" : "tool_calls")))
          .put("usage", usage);
      response.putHeader("content-type", "application/json").end(completion.encode());
      return;
    }
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    response.write(chunk(request, id, new JsonObject().put("role", "assistant").put("content", ""), null));
    if (reasoner) {
      response.write(chunk(request, id, new JsonObject().put("reasoning_content", REASONING.substring(0, 9)), null));
      response.write(chunk(request, id, new JsonObject().put("reasoning_content", REASONING.substring(9)), null));
    }
    if (answered) {
      response.write(chunk(request, id, new JsonObject().put("content", ANSWER.substring(0, 8)), null));
      response.write(chunk(request, id, new JsonObject().put("content", ANSWER.substring(8)), null));
    } else {
      response.write(chunk(request, id, new JsonObject().put("content", PREAMBLE), null));
      response.write(chunk(request, id, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
          .put("index", 0).put("id", "call_01").put("type", "function")
          .put("function", new JsonObject().put("name", TOOL).put("arguments", "")))), null));
      response.write(chunk(request, id, toolArguments("{\"city\":"), null));
      response.write(chunk(request, id, toolArguments("\"Paris\"}"), null));
    }
    response.write(chunk(request, id, new JsonObject(), answered ? "stop" : "tool_calls"));
    if (FakeOpenAiServer.wantsUsage(request)) {
      JsonObject last = new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", 1)
          .put("model", model).put("choices", new JsonArray()).put("usage", usage);
      response.write("data: " + last.encode() + "\n\n");
    }
    response.end("data: [DONE]\n\n");
  }

  private static JsonObject toolArguments(String piece) {
    return new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0)
        .put("function", new JsonObject().put("arguments", piece))));
  }

  private static String chunk(JsonObject request, String id, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", (Object) null)
        .put("finish_reason", finishReason);
    JsonObject chunk = new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", 1)
        .put("model", request.getString("model")).put("choices", new JsonArray().add(choice));
    if (FakeOpenAiServer.wantsUsage(request)) {
      chunk.putNull("usage");
    }
    return "data: " + chunk.encode() + "\n\n";
  }
}

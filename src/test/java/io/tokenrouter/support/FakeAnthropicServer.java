package io.tokenrouter.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A stand-in for {@code api.anthropic.com} on 127.0.0.1 and a random port, speaking the
 * Messages wire format as Anthropic documents it. It records every request (path, headers,
 * parsed body) and answers with the scripted reply: a JSON body with a status, or a sequence
 * of Server-Sent Events written one by one.
 */
public final class FakeAnthropicServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the fake received it: {@code raw} is the body's exact bytes. */
  public record Received(String path, MultiMap headers, JsonNode body, byte[] raw) {}

  private final Vertx vertx = Vertx.vertx();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int status = 200;
  private volatile String json = message("msg_default", "end_turn", "[{\"type\":\"text\",\"text\":\"ok\"}]", usage(1, 1, 0, 0));
  private volatile List<String> events;
  private volatile Map<String, String> replyHeaders = Map.of();
  private volatile BiConsumer<Received, HttpServerResponse> handler;

  private FakeAnthropicServer() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    await(server.listen(0, "127.0.0.1").map(s -> null));
  }

  public static FakeAnthropicServer start() {
    return new FakeAnthropicServer();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Answers every following request with this status and JSON body. */
  public void replyJson(int status, String json) {
    replyJson(status, json, Map.of());
  }

  /** Like {@link #replyJson(int, String)}, with these response headers (a {@code retry-after}...). */
  public void replyJson(int status, String json, Map<String, String> headers) {
    this.status = status;
    this.json = json;
    this.events = null;
    this.replyHeaders = Map.copyOf(headers);
    this.handler = null;
  }

  /**
   * Answers every following request with {@code script}, which sees the request and writes the
   * response (with {@link #writeJson} or {@link #writeEvents}, say).
   */
  public void reply(BiConsumer<Received, HttpServerResponse> script) {
    this.handler = script;
  }

  public static void writeJson(HttpServerResponse resp, int status, String json) {
    resp.setStatusCode(status).putHeader("content-type", "application/json").end(json);
  }

  public static void writeEvents(HttpServerResponse resp, List<String> events) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    for (String event : events) {
      resp.write(event);
    }
    resp.end();
  }

  /** Answers every following request with a 200 event stream made of these events. */
  public void replyEvents(List<String> events) {
    this.events = List.copyOf(events);
    this.handler = null;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Received last() {
    if (received.isEmpty()) {
      throw new AssertionError("the fake Anthropic server received no request");
    }
    return received.getLast();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      JsonNode body;
      try {
        body = JSON.readTree(buf.getBytes());
      } catch (Exception e) {
        body = null;
      }
      Received got = new Received(req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body,
          buf.getBytes());
      received.add(got);
      HttpServerResponse resp = req.response();
      BiConsumer<Received, HttpServerResponse> script = handler;
      if (script != null) {
        script.accept(got, resp);
        return;
      }
      List<String> stream = events;
      if (stream == null) {
        replyHeaders.forEach(resp::putHeader);
        writeJson(resp, status, json);
        return;
      }
      writeEvents(resp, stream);
    });
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static void await(io.vertx.core.Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake Anthropic server: " + e, e);
    }
  }

  // The wire format, as in Anthropic's Messages and streaming documentation.

  public static String usage(int input, int output, int cacheCreation, int cacheRead) {
    return "{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheCreation
        + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + output + "}";
  }

  /** A non-streamed reply: {@code content} is the JSON array of content blocks. */
  public static String message(String id, String stopReason, String content, String usage) {
    return "{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\","
        + "\"content\":" + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,\"usage\":" + usage + "}";
  }

  public static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
  }

  public static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  public static String messageStart(String id, String usage) {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":" + usage + "}}");
  }

  public static String textBlockStart(int index) {
    return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
        + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  }

  public static String textDelta(int index, String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
        + ",\"delta\":{\"type\":\"text_delta\",\"text\":" + quote(text) + "}}");
  }

  public static String toolUseStart(int index, String id, String name) {
    return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
        + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":{}}}");
  }

  public static String inputJsonDelta(int index, String partialJson) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
        + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + quote(partialJson) + "}}");
  }

  public static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  public static String messageDelta(String stopReason, String usage) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
        + "\",\"stop_sequence\":null},\"usage\":" + usage + "}");
  }

  public static String messageStop() {
    return event("message_stop", "{\"type\":\"message_stop\"}");
  }

  public static String ping() {
    return event("ping", "{\"type\": \"ping\"}");
  }

  public static String errorEvent(String type, String message) {
    return event("error", error(type, message));
  }

  /** A whole text reply streamed in {@code pieces}, ending normally. */
  public static List<String> textStream(String id, List<String> pieces, String startUsage, String endUsage) {
    List<String> out = new ArrayList<>();
    out.add(messageStart(id, startUsage));
    out.add(textBlockStart(0));
    out.add(ping());
    for (String piece : pieces) {
      out.add(textDelta(0, piece));
    }
    out.add(blockStop(0));
    out.add(messageDelta("end_turn", endUsage));
    out.add(messageStop());
    return out;
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}

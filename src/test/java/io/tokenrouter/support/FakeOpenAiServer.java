package io.tokenrouter.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A local upstream that speaks OpenAI's chat completions wire format (as documented: a
 * {@code chat.completion} object, or {@code chat.completion.chunk} events as SSE ending with
 * {@code data: [DONE]}, a usage-only chunk with empty choices when
 * {@code stream_options.include_usage} is set, and {@code "usage":null} on the other chunks).
 * Each test scripts the reply; every request received is kept for assertions.
 */
public final class FakeOpenAiServer implements AutoCloseable {
  /** What the fake saw of one request. */
  public record Received(Map<String, String> headers, JsonObject body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch connectionClosed = new CountDownLatch(1);
  private volatile BiConsumer<JsonObject, HttpServerResponse> reply = FakeOpenAiServer::echo;

  public FakeOpenAiServer() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  private void handle(HttpServerRequest req) {
    req.connection().closeHandler(v -> connectionClosed.countDown());
    req.body().onSuccess(buf -> {
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
      JsonObject body = new JsonObject(buf);
      received.add(new Received(headers, body));
      reply.accept(body, req.response());
    });
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public Vertx vertx() {
    return vertx;
  }

  public void reply(BiConsumer<JsonObject, HttpServerResponse> script) {
    this.reply = script;
  }

  public List<Received> received() {
    return received;
  }

  /** True once a client connection to the fake closed within the wait. */
  public boolean awaitConnectionClosed(long seconds) throws InterruptedException {
    return connectionClosed.await(seconds, TimeUnit.SECONDS);
  }

  /** The default script: a completion (or stream) whose text is "echo: " + the last message. */
  public static void echo(JsonObject request, HttpServerResponse response) {
    JsonArray messages = request.getJsonArray("messages");
    String text = "echo: " + messages.getJsonObject(messages.size() - 1).getString("content");
    if (request.getBoolean("stream", false)) {
      streamWords(request, response, text, 0);
    } else {
      response.putHeader("content-type", "application/json").end(completion(request.getString("model"), text).encode());
    }
  }

  public static JsonObject completion(String model, String text) {
    return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1)
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", text))
            .put("logprobs", (Object) null).put("finish_reason", "stop")))
        .put("usage", usage(11, 7, 3));
  }

  public static JsonObject usage(int prompt, int completion, int cached) {
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cached));
  }

  /** A chunk as OpenAI writes it (compact JSON; {@code usage:null} when usage was requested). */
  public static String chunk(JsonObject request, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", (Object) null)
        .put("finish_reason", finishReason);
    JsonObject chunk = new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
        .put("created", 1).put("model", request.getString("model")).put("choices", new JsonArray().add(choice));
    if (wantsUsage(request)) {
      chunk.putNull("usage");
    }
    return "data: " + chunk.encode() + "\n\n";
  }

  public static boolean wantsUsage(JsonObject request) {
    JsonObject options = request.getJsonObject("stream_options");
    return options != null && options.getBoolean("include_usage", false);
  }

  /** Streams {@code text} word by word, {@code delayMs} apart, then finish, usage and [DONE]. */
  public static void streamWords(JsonObject request, HttpServerResponse response, String text, long delayMs) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    response.write(chunk(request, new JsonObject().put("role", "assistant").put("content", ""), null));
    String[] words = text.split("(?<= )");
    Vertx vertx = Vertx.currentContext().owner();
    sendWords(vertx, request, response, words, 0, delayMs);
  }

  private static void sendWords(Vertx vertx, JsonObject request, HttpServerResponse response, String[] words, int i,
      long delayMs) {
    if (response.closed()) {
      return;
    }
    if (i == words.length) {
      response.write(chunk(request, new JsonObject(), "stop"));
      if (wantsUsage(request)) {
        JsonObject last = new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
            .put("created", 1).put("model", request.getString("model")).put("choices", new JsonArray())
            .put("usage", usage(11, words.length, 0));
        response.write("data: " + last.encode() + "\n\n");
      }
      response.end("data: [DONE]\n\n");
      return;
    }
    response.write(chunk(request, new JsonObject().put("content", words[i]), null));
    if (delayMs <= 0) {
      sendWords(vertx, request, response, words, i + 1, delayMs);
    } else {
      vertx.setTimer(delayMs, t -> sendWords(vertx, request, response, words, i + 1, delayMs));
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}

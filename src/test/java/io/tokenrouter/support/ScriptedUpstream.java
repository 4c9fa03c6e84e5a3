package io.tokenrouter.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local upstream that speaks both OpenAI's chat completions ({@code /v1/chat/completions}) and
 * Anthropic's Messages ({@code /v1/messages}) and fails on cue: each request takes the next
 * scripted {@link Act}, or the standing one when none is queued. Its answers say who gave them
 * ("from NAME"), so a test can tell which upstream served the client. OpenAI base URL:
 * {@link #openAiUrl()}; Anthropic: {@link #anthropicUrl()}.
 */
public final class ScriptedUpstream implements AutoCloseable {
  /** What the upstream does with one request. */
  @FunctionalInterface
  public interface Act {
    void perform(ScriptedUpstream upstream, Received request, HttpServerResponse response);
  }

  /** One request as received. */
  public record Received(String path, MultiMap headers, JsonObject body) {
    public boolean anthropic() {
      return path.endsWith("/messages");
    }

    public boolean stream() {
      return body.getBoolean("stream", false);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final String name;
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Act> script = new ConcurrentLinkedQueue<>();
  private volatile Act standing = ScriptedUpstream.answer();
  private volatile List<String> models = List.of();

  public ScriptedUpstream(String name) {
    this.name = name;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      if (req.path().endsWith("/models")) {
        JsonObject list = new JsonObject().put("object", "list").put("data", new io.vertx.core.json.JsonArray(
            models.stream().map(id -> new JsonObject().put("id", id).put("object", "model")).toList()));
        req.response().putHeader("content-type", "application/json").end(list.encode());
        return;
      }
      Received r = new Received(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          buf.length() == 0 ? new JsonObject() : new JsonObject(buf));
      received.add(r);
      Act act = script.poll();
      (act != null ? act : standing).perform(this, r, req.response());
    });
  }

  public String openAiUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public String anthropicUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public String name() {
    return name;
  }

  /** The text every successful answer of this upstream carries. */
  public String text() {
    return "from " + name;
  }

  /** Queues acts for the next requests, in order. */
  public ScriptedUpstream then(Act... acts) {
    script.addAll(List.of(acts));
    return this;
  }

  /** What every request gets once the queued acts are used up. */
  public ScriptedUpstream always(Act act) {
    this.standing = act;
    return this;
  }

  /** The model list {@code GET .../models} answers with. */
  public void models(List<String> ids) {
    this.models = List.copyOf(ids);
  }

  public List<Received> received() {
    return received;
  }

  /** Forgets the script and what was received; answers again from now on. */
  public void reset() {
    script.clear();
    received.clear();
    standing = answer();
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  // ---------------------------------------------------------------- acts

  /** A good answer in the request's format, streamed when asked. */
  public static Act answer() {
    return (up, req, resp) -> {
      String text = up.text();
      if (req.anthropic()) {
        if (req.stream()) {
          resp.setChunked(true).putHeader("content-type", "text/event-stream");
          FakeAnthropicServer.textStream("msg_" + up.name, List.of("from ", up.name),
              FakeAnthropicServer.usage(10, 1, 0, 0), "{\"output_tokens\":2}").forEach(resp::write);
          resp.end();
        } else {
          resp.putHeader("content-type", "application/json").end(FakeAnthropicServer.message("msg_" + up.name,
              "end_turn", "[{\"type\":\"text\",\"text\":\"" + text + "\"}]", FakeAnthropicServer.usage(10, 2, 0, 0)));
        }
      } else if (req.stream()) {
        FakeOpenAiServer.streamWords(req.body(), resp, text, 0);
      } else {
        resp.putHeader("content-type", "application/json")
            .end(FakeOpenAiServer.completion(req.body().getString("model"), text).encode());
      }
    };
  }

  /** An error status with a body in the request's format, and these headers (name, value, ...). */
  public static Act status(int status, String... headers) {
    return (up, req, resp) -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        resp.putHeader(headers[i], headers[i + 1]);
      }
      String body = req.anthropic()
          ? FakeAnthropicServer.error(status == 529 ? "overloaded_error" : "api_error", up.name + " failed " + status)
          : "{\"error\":{\"message\":\"" + up.name + " failed " + status + "\",\"type\":\"server_error\"}}";
      resp.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    };
  }

  /** The connection is closed before any byte of an answer. */
  public static Act resetBeforeHead() {
    return (up, req, resp) -> resp.reset();
  }

  /** A success head and the first bytes of the body, then the connection is closed. */
  public static Act resetAfterFirstByte() {
    return (up, req, resp) -> {
      resp.setChunked(true).putHeader("content-type", req.stream() ? "text/event-stream" : "application/json");
      resp.write(req.stream() ? (req.anthropic() ? FakeAnthropicServer.messageStart("msg_cut",
          FakeAnthropicServer.usage(10, 1, 0, 0)) : "data: {\"id\":\"x\",") : "{\"id\":\"chatcmpl-cut\",");
      up.vertx.setTimer(50, t -> resp.reset());
    };
  }

  /** A good answer, after {@code millis}. */
  public static Act slow(long millis) {
    return (up, req, resp) -> up.vertx.setTimer(millis, t -> {
      if (!resp.closed()) {
        answer().perform(up, req, resp);
      }
    });
  }

  /** A 200 whose body (or first event) is not JSON. */
  public static Act invalidJson() {
    return (up, req, resp) -> {
      if (req.stream()) {
        resp.setChunked(true).putHeader("content-type", "text/event-stream")
            .end((req.anthropic() ? "event: message_start\n" : "") + "data: {not json\n\n");
      } else {
        resp.putHeader("content-type", "application/json").end("<html>upstream proxy error</html>");
      }
    };
  }

  /** Never answers. */
  public static Act hang() {
    return (up, req, resp) -> { };
  }
}

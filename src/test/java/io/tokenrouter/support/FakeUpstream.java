package io.tokenrouter.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A local upstream for any provider's wire format: every request (method, path with query,
 * headers, body) is kept, and each test scripts the answer as the provider documents it. Used for
 * the wire formats without a fake of their own (Gemini, Azure OpenAI, OpenAI's Responses,
 * embeddings and completions, custom routes).
 */
public final class FakeUpstream implements AutoCloseable {
  /** What the fake saw of one request. */
  public record Received(String method, String uri, MultiMap headers, Buffer body) {
    public String text() {
      return body.toString();
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<Received, HttpServerResponse> reply =
      (r, response) -> response.setStatusCode(500).end("no reply scripted");

  public FakeUpstream() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
      Received r = new Received(req.method().name(), req.uri(), headers, body);
      received.add(r);
      reply.accept(r, req.response());
    });
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public void reply(BiConsumer<Received, HttpServerResponse> script) {
    this.reply = script;
  }

  /** Answers every request with {@code status} and this JSON. */
  public void replyJson(int status, String json) {
    reply((r, response) -> response.setStatusCode(status).putHeader("content-type", "application/json").end(json));
  }

  /** Answers every request with these Server-Sent Events, written one by one. */
  public void replySse(List<String> events) {
    reply((r, response) -> {
      response.setChunked(true).putHeader("content-type", "text/event-stream");
      events.forEach(response::write);
      response.end();
    });
  }

  public List<Received> received() {
    return received;
  }

  public Received last() {
    return received.getLast();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}

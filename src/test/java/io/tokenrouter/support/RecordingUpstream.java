package io.tokenrouter.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OpenAI-compatible upstream that keeps the exact bytes of every request body, and
 * answers each after a delay with a whole {@code chat.completion} (usage with cached tokens as
 * set), or with a 500 for the requests numbered in {@link #failFirst}.
 */
public final class RecordingUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile long delayMs;
  private volatile int cachedTokens;
  private volatile int failFirst;

  public RecordingUpstream() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
      bodies.add(buf.getBytes());
      int n = count.incrementAndGet();
      HttpServerResponse response = req.response();
      Runnable answer = () -> {
        if (n <= failFirst) {
          response.setStatusCode(500).putHeader("content-type", "application/json")
              .end("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
        } else {
          response.putHeader("content-type", "application/json").end("""
              {"id":"chatcmpl-%d","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
               "message":{"role":"assistant","content":"answer %d"},"finish_reason":"stop"}],
               "usage":{"prompt_tokens":2000,"completion_tokens":5,"total_tokens":2005,
                "prompt_tokens_details":{"cached_tokens":%d}}}""".formatted(n, n, cachedTokens));
        }
      };
      if (delayMs > 0) {
        vertx.setTimer(delayMs, t -> answer.run());
      } else {
        answer.run();
      }
    }));
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Every answer waits this long. */
  public RecordingUpstream delay(long ms) {
    this.delayMs = ms;
    return this;
  }

  public RecordingUpstream cachedTokens(int tokens) {
    this.cachedTokens = tokens;
    return this;
  }

  /** The first {@code n} requests fail with a 500. */
  public RecordingUpstream failFirst(int n) {
    this.failFirst = n;
    return this;
  }

  public int requests() {
    return count.get();
  }

  public List<byte[]> bodies() {
    return bodies;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}

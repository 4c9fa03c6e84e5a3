package io.tokenrouter.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events to a client, each flushed the moment it is written: events written
 * in one event-loop turn (those that arrived in one upstream read) share one write, one system
 * call, as nginx does; an event that arrived alone is flushed alone, at once.
 *
 * <p>One per response, used on its event loop.
 */
public final class SseWriter {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LF = "\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private final HttpServerResponse response;
  private final Context context = Vertx.currentContext();
  private Buffer pending;
  private boolean started;
  private boolean ended;

  public SseWriter(HttpServerResponse response) {
    this.response = response;
  }

  /** Sends the head, once: the client sees 200 as soon as the provider accepted the request. */
  public void begin() {
    if (started) {
      return;
    }
    started = true;
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.writeHead();
  }

  public boolean started() {
    return started;
  }

  /** Queues one event ({@code name} null for an unnamed one) for the flush at the end of this turn. */
  public void event(String name, byte[] data) {
    if (ended) {
      return;
    }
    begin();
    if (pending == null) {
      pending = Buffer.buffer(data.length + 64);
      context.runOnContext(v -> flush());
    }
    if (name != null) {
      pending.appendBytes(EVENT).appendString(name).appendBytes(LF);
    }
    pending.appendBytes(DATA).appendBytes(data).appendBytes(EVENT_END);
  }

  private void flush() {
    Buffer out = pending;
    pending = null;
    if (out != null && !ended && !response.closed()) {
      response.write(out);
    }
  }

  /** Ends the response with what is still queued. */
  public void end() {
    if (ended) {
      return;
    }
    begin();
    ended = true;
    Buffer out = pending;
    pending = null;
    if (response.closed()) {
      return;
    }
    if (out == null) {
      response.end();
    } else {
      response.end(out);
    }
  }

  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  public void drain(Runnable then) {
    response.drainHandler(v -> then.run());
  }
}

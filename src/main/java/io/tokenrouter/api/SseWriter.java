package io.tokenrouter.api;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Server-Sent Events to a client, each flushed the moment it is written: events written
 * in one event-loop turn (those that arrived in one upstream read) share one write, one system
 * call, as nginx does; an event that arrived alone is flushed alone, at once. The head goes out
 * at the end of the turn it was begun in, with that turn's events when the provider's first
 * events came in the same read as its head: one system call instead of two for a short stream.
 *
 * <p>The events of a turn are kept as references to their bytes and copied once, into an array
 * of the exact size, when the turn's write goes out: appending to a growing buffer copied a
 * stream's bytes three times over and made it the largest allocation of a streamed request.
 *
 * <p>One per response, used on its event loop.
 */
public final class SseWriter {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private final HttpServerResponse response;
  private final Context context = Vertx.currentContext();
  /** The pieces of this turn's events, in order, and their total length; empty when nothing waits. */
  private final List<byte[]> pending = new ArrayList<>();
  private int pendingBytes;
  /** The {@code event:} line of the last named event, kept since a stream repeats a few names. */
  private String lastName;
  private byte[] lastNameLine;
  private boolean started;
  private boolean flushQueued;
  private boolean ended;

  public SseWriter(HttpServerResponse response) {
    this.response = response;
  }

  /**
   * Sends the head, once, at the end of this turn: the client sees 200 as soon as the provider
   * accepted the request.
   */
  public void begin() {
    if (started) {
      return;
    }
    started = true;
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    queueFlush();
  }

  private void queueFlush() {
    if (!flushQueued) {
      flushQueued = true;
      context.runOnContext(v -> flush());
    }
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
    queueFlush();
    if (name != null) {
      add(nameLine(name));
    }
    add(DATA);
    add(data);
    add(EVENT_END);
  }

  private byte[] nameLine(String name) {
    if (!name.equals(lastName)) {
      lastName = name;
      lastNameLine = ("event: " + name + "\n").getBytes(StandardCharsets.UTF_8);
    }
    return lastNameLine;
  }

  private void add(byte[] piece) {
    pending.add(piece);
    pendingBytes += piece.length;
  }

  /** This turn's events as one buffer, or null when there are none; nothing waits after. */
  private Buffer take() {
    if (pending.isEmpty()) {
      return null;
    }
    byte[] out = new byte[pendingBytes];
    int at = 0;
    for (byte[] piece : pending) {
      System.arraycopy(piece, 0, out, at, piece.length);
      at += piece.length;
    }
    pending.clear();
    pendingBytes = 0;
    return BufferInternal.buffer(Unpooled.wrappedBuffer(out));
  }

  /** This turn's events, with the head when it has not gone yet (Vert.x sends both in one write). */
  private void flush() {
    flushQueued = false;
    if (ended || response.closed()) {
      return;
    }
    Buffer out = take();
    if (out != null) {
      response.write(out);
    } else if (!response.headWritten()) {
      response.writeHead();
    }
  }

  /** Ends the response with what is still queued. */
  public void end() {
    if (ended) {
      return;
    }
    begin();
    ended = true;
    Buffer out = take();
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

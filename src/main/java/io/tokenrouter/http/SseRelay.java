package io.tokenrouter.http;

import io.tokenrouter.limit.OutputCap;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.StreamHandle;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Relays a provider's chunks to the client as Server-Sent Events, flushed the moment they arrive
 * (events that arrive together in one upstream read share one write). Applies backpressure
 * (pauses the upstream while the client's socket is full), cancels the upstream when the client
 * goes away, and turns a failure after the head into a final error event and a clean end.
 */
final class SseRelay implements ChunkSink {
  /** Recorded as the status of a stream whose client disconnected (nginx's convention). */
  static final int CLIENT_CLOSED = 499;
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final HttpServerResponse response;
  private final CallLedger ledger;
  private final GatewayMetrics metrics;
  private final OutputCap cap;
  private final boolean clientWantsUsage;
  private final Context context = Vertx.currentContext();
  private StreamHandle upstream;
  private Buffer pending;
  private boolean started;
  private boolean clientGone;
  private boolean ended;

  /**
   * @param cap holds the answer to the caller's output token cap, or null when none applies
   */
  SseRelay(HttpServerResponse response, CallLedger ledger, GatewayMetrics metrics, OutputCap cap,
      boolean clientWantsUsage) {
    this.response = response;
    this.ledger = ledger;
    this.metrics = metrics;
    this.cap = cap;
    this.clientWantsUsage = clientWantsUsage;
    response.closeHandler(v -> clientClosed());
  }

  /** The upstream accepted the stream: send the head now, so the client sees 200 at once. */
  void attach(StreamHandle handle) {
    this.upstream = handle;
    if (clientGone || cap != null && cap.reached()) {
      handle.cancel();
      return;
    }
    start();
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    metrics.streamOpened(ledger.provider());
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.writeHead();
  }

  @Override
  public void onChunk(Buffer json, boolean hasContent) {
    if (clientGone || ended) {
      return;
    }
    start();
    if (hasContent) {
      ledger.firstToken();
    }
    Buffer out = cap == null ? json : cap.apply(json);
    if (out == null) {
      return;
    }
    writeEvent(out);
    if (cap != null && cap.reached()) {
      writeEvent(cap.finalChunk());
      if (upstream != null) {
        upstream.cancel();
      }
    }
  }

  /**
   * Queues an event for the flush at the end of this event-loop turn. Events that arrived in one
   * upstream read go out in one write (one system call, as nginx does); an event that arrived
   * alone is flushed alone, at once.
   */
  private void writeEvent(Buffer json) {
    if (pending == null) {
      pending = Buffer.buffer(json.length() + DATA.length + EVENT_END.length);
      context.runOnContext(v -> flush());
    }
    pending.appendBytes(DATA).appendBuffer(json).appendBytes(EVENT_END);
  }

  private void flush() {
    Buffer out = pending;
    pending = null;
    if (out == null || ended || clientGone) {
      return;
    }
    response.write(out);
    if (response.writeQueueFull() && upstream != null) {
      upstream.pause();
      response.drainHandler(v -> upstream.resume());
    }
  }

  /** Ends the response with what is still queued, then the final {@code [DONE]}. */
  private void endWithDone() {
    Buffer out = pending == null ? DONE : pending.appendBuffer(DONE);
    pending = null;
    response.end(out);
  }

  @Override
  public void onEnd(Usage usage, UpstreamException error) {
    if (ended) {
      return;
    }
    ended = true;
    if (started) {
      metrics.streamClosed(ledger.provider());
    }
    if (cap != null && cap.reached() && !clientGone) {
      Usage capped = new Usage(usage.promptTokens(), cap.tokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
          true);
      if (clientWantsUsage) {
        writeEvent(cap.usageChunk(capped));
      }
      endWithDone();
      ledger.finish(200, "output_capped", capped);
      return;
    }
    if (clientGone) {
      ledger.finish(CLIENT_CLOSED, "client_closed", usage);
      return;
    }
    if (error != null) {
      metrics.providerError(ledger.provider(), error.kind().name().toLowerCase());
      start();
      Buffer body = OpenAiErrors.body(error.getMessage(), error.errorType(), null, error.code());
      writeEvent(body);
      endWithDone();
      ledger.finish(error.clientStatus(), error.code(), usage);
      return;
    }
    start();
    endWithDone();
    ledger.finish(200, null, usage);
  }

  private void clientClosed() {
    if (ended || clientGone) {
      return;
    }
    clientGone = true;
    if (upstream != null) {
      upstream.cancel();
    }
  }
}

package io.tokenrouter.provider;

import io.tokenrouter.config.TimeoutConfig;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * One request/response with a provider, after its head arrived. Owns the first-byte, idle and
 * total deadlines: when one passes, the connection is reset and the body consumer is told of a
 * timeout. Everything happens on the event loop that opened it.
 *
 * <p>The three deadlines share one timer, set for the nearest of them; a read only notes its
 * time, and the timer, when it fires, sets itself again for the next deadline. Arming and
 * cancelling a timer per read cost a stream more than its parsing did.
 */
public final class UpstreamExchange {
  private static final GatewayError CANCELLED = GatewayError.of(GatewayError.Kind.UPSTREAM_ERROR, 499, "cancelled",
      "The request was cancelled because the client went away.");
  private final Vertx vertx;
  private final String provider;
  private final HttpClientRequest request;
  private final TimeoutConfig timeouts;
  private final long firstByteNanos;
  private final long idleNanos;
  private final long totalNanos;
  private HttpClientResponse response;
  private Promise<UpstreamExchange> head;
  private long started;
  /** When the body last brought bytes; the idle deadline runs from here while the body streams. */
  private long lastRead;
  private boolean streaming;
  private long timer = -1;
  /** The deadline the timer is set for. */
  private long armedFor;
  private Handler<GatewayError> endHandler;
  private boolean done;

  UpstreamExchange(Vertx vertx, String provider, HttpClientRequest request, TimeoutConfig timeouts) {
    this.vertx = vertx;
    this.provider = provider;
    this.request = request;
    this.timeouts = timeouts;
    this.firstByteNanos = timeouts.firstByte().toNanos();
    this.idleNanos = timeouts.idle().toNanos();
    this.totalNanos = timeouts.total().toNanos();
  }

  void armFirstByte(Promise<UpstreamExchange> head) {
    this.head = head;
    started = System.nanoTime();
    arm(started);
  }

  void headArrived(HttpClientResponse resp, Promise<UpstreamExchange> head) {
    this.response = resp;
    resp.pause();
    resp.exceptionHandler(err -> fail(GatewayError.badResponse(provider, String.valueOf(err.getMessage()))));
    if (!head.tryComplete(this)) {
      request.reset();
      stopTimers();
    }
  }

  void failBeforeHead(Promise<UpstreamExchange> head, Throwable cause) {
    stopTimers();
    head.tryFail(GatewayError.unreachable(provider, String.valueOf(cause.getMessage())));
  }

  /** Stops waiting for the head: the client went away. */
  void abandon(Promise<UpstreamExchange> head) {
    if (head.tryFail(CANCELLED)) {
      stopTimers();
      request.reset();
    }
  }

  public String provider() {
    return provider;
  }

  public int status() {
    return response.statusCode();
  }

  public MultiMap headers() {
    return response.headers();
  }

  /** Reads the whole body, bounded by the idle and total timeouts. */
  public Future<Buffer> body() {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    stream(body::appendBuffer, err -> {
      if (err == null) {
        promise.tryComplete(body);
      } else {
        promise.tryFail(err);
      }
    });
    return promise.future();
  }

  /**
   * Delivers the body piece by piece; {@code onEnd} is called exactly once, with null on a clean
   * end or the failure (timeout, reset, cancel) otherwise.
   */
  public void stream(Handler<Buffer> onData, Handler<GatewayError> onEnd) {
    this.endHandler = onEnd;
    lastRead = System.nanoTime();
    streaming = true;
    if (timer >= 0 && armedFor - (lastRead + idleNanos) > 0) {
      // the timer waits for the first-byte deadline; an idle timeout shorter than that comes first
      stopTimers();
      arm(lastRead);
    }
    response.handler(chunk -> {
      lastRead = System.nanoTime();
      onData.handle(chunk);
    });
    response.endHandler(v -> {
      if (!done) {
        done = true;
        stopTimers();
        onEnd.handle(null);
      }
    });
    response.resume();
  }

  public void pause() {
    response.pause();
  }

  public void resume() {
    response.resume();
  }

  /** Closes the upstream connection; the body consumer is told the exchange was cancelled. */
  public void cancel() {
    fail(CANCELLED);
    request.reset();
  }

  /** Ends the exchange with {@code error} (a provider's error event) and closes the connection. */
  public void abort(GatewayError error) {
    fail(error);
    request.reset();
  }

  private void fail(GatewayError e) {
    if (done) {
      return;
    }
    done = true;
    stopTimers();
    if (endHandler != null) {
      endHandler.handle(e);
    }
  }

  /** Sets the timer for the nearest deadline, as seen at {@code now}. */
  private void arm(long now) {
    long deadline = started + totalNanos;
    if (response == null) {
      deadline = Math.min(deadline, started + firstByteNanos);
    } else if (streaming) {
      deadline = Math.min(deadline, lastRead + idleNanos);
    }
    long millis = Math.max(1, (deadline - now + 999_999) / 1_000_000);
    armedFor = deadline;
    timer = vertx.setTimer(millis, id -> expire());
  }

  private void expire() {
    timer = -1;
    long now = System.nanoTime();
    if (now - (started + totalNanos) >= 0) {
      GatewayError timeout = GatewayError.timeout(provider, "exchange longer than " + timeouts.total());
      if (!head.tryFail(timeout)) {
        fail(timeout);
      }
      request.reset();
    } else if (response == null && now - (started + firstByteNanos) >= 0) {
      if (head.tryFail(GatewayError.timeout(provider, "no response within " + timeouts.firstByte()))) {
        request.reset();
      }
    } else if (streaming && now - (lastRead + idleNanos) >= 0) {
      fail(GatewayError.timeout(provider, "nothing received for " + timeouts.idle()));
      request.reset();
    } else {
      arm(now);
    }
  }

  private void stopTimers() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}

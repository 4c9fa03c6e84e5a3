package io.tokenrouter.provider;

import io.tokenrouter.config.TimeoutConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * One request/response with a provider, after its head arrived. Owns the idle and total
 * timers: when one fires, the connection is reset and the body consumer is told of a timeout.
 * Everything happens on the event loop that opened it.
 */
public final class UpstreamExchange implements StreamHandle {
  private final Vertx vertx;
  private final String provider;
  private final HttpClientRequest request;
  private final TimeoutConfig timeouts;
  private HttpClientResponse response;
  private long firstByteTimer = -1;
  private long idleTimer = -1;
  private long totalTimer = -1;
  private Handler<UpstreamException> failureHandler;
  private boolean done;

  UpstreamExchange(Vertx vertx, String provider, HttpClientRequest request, TimeoutConfig timeouts) {
    this.vertx = vertx;
    this.provider = provider;
    this.request = request;
    this.timeouts = timeouts;
  }

  void armFirstByte(Promise<UpstreamExchange> head) {
    firstByteTimer = vertx.setTimer(timeouts.firstByte().toMillis(), id -> {
      firstByteTimer = -1;
      if (head.tryFail(UpstreamException.timeout(provider, "no response within " + timeouts.firstByte()))) {
        request.reset();
      }
    });
    totalTimer = vertx.setTimer(timeouts.total().toMillis(), id -> {
      totalTimer = -1;
      UpstreamException timeout = UpstreamException.timeout(provider, "exchange longer than " + timeouts.total());
      if (!head.tryFail(timeout)) {
        fail(timeout);
      }
      request.reset();
    });
  }

  void headArrived(HttpClientResponse resp, Promise<UpstreamExchange> head) {
    cancel(firstByteTimer);
    firstByteTimer = -1;
    this.response = resp;
    resp.pause();
    resp.exceptionHandler(err -> fail(UpstreamException.protocol(provider, String.valueOf(err.getMessage()))));
    if (!head.tryComplete(this)) {
      request.reset();
      stopTimers();
    }
  }

  void failBeforeHead(Promise<UpstreamExchange> head, Throwable cause) {
    stopTimers();
    head.tryFail(UpstreamException.connect(provider, String.valueOf(cause.getMessage())));
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.getHeader(name);
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
  public void stream(Handler<Buffer> onData, Handler<UpstreamException> onEnd) {
    this.failureHandler = onEnd;
    armIdle();
    response.handler(chunk -> {
      armIdle();
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

  @Override
  public void pause() {
    response.pause();
  }

  @Override
  public void resume() {
    response.resume();
  }

  /** Closes the upstream connection; the body consumer is told with a STREAM_ERROR of "cancelled". */
  @Override
  public void cancel() {
    if (!done) {
      fail(new UpstreamException(UpstreamException.Kind.STREAM_ERROR, 499, "cancelled", "cancelled",
          "cancelled by the gateway"));
    }
    request.reset();
  }

  private void fail(UpstreamException e) {
    if (done) {
      return;
    }
    done = true;
    stopTimers();
    if (failureHandler != null) {
      failureHandler.handle(e);
    }
  }

  private void armIdle() {
    cancel(idleTimer);
    idleTimer = vertx.setTimer(timeouts.idle().toMillis(), id -> {
      idleTimer = -1;
      fail(UpstreamException.timeout(provider, "nothing received for " + timeouts.idle()));
      request.reset();
    });
  }

  private void stopTimers() {
    cancel(firstByteTimer);
    cancel(idleTimer);
    cancel(totalTimer);
    firstByteTimer = idleTimer = totalTimer = -1;
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}

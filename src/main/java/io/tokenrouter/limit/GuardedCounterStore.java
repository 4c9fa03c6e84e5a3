package io.tokenrouter.limit;

import io.tokenrouter.config.RedisConfig.FailMode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a deadline on every call to a remote counter store and decides what an unreachable store
 * means: with {@link FailMode#OPEN} a window hit or slot is granted, with {@link FailMode#CLOSED}
 * it is refused as {@link CountersUnavailableException}. The store recovers by itself (the Redis
 * client reconnects); this class only reports the transitions, once each, in the log and through
 * {@code onStateChange}.
 */
public final class GuardedCounterStore implements CounterStore {
  private static final Logger log = LoggerFactory.getLogger(GuardedCounterStore.class);
  private final CounterStore store;
  private final Vertx vertx;
  private final FailMode failMode;
  private final long timeoutMs;
  private final StateListener listener;
  private final AtomicBoolean down = new AtomicBoolean();

  /** Told when the store becomes unreachable and when it is back, and of each fallback decision. */
  public interface StateListener {
    void unavailable(boolean down);

    void fellBack(FailMode mode);
  }

  public GuardedCounterStore(CounterStore store, Vertx vertx, FailMode failMode, Duration timeout,
      StateListener listener) {
    this.store = store;
    this.vertx = vertx;
    this.failMode = failMode;
    this.timeoutMs = timeout.toMillis();
    this.listener = listener;
  }

  @Override
  public Future<WindowResult> hit(String key, long cost, long limit, Duration window) {
    return guard(store.hit(key, cost, limit, window), () -> WindowResult.of(true, 0, limit, window));
  }

  @Override
  public Future<WindowResult> charge(String key, long amount, long limit, Duration ttl, Long seed) {
    return guard(store.charge(key, amount, limit, ttl, seed), () -> WindowResult.of(true, 0, limit, ttl));
  }

  @Override
  public Future<Void> adjust(String key, long delta) {
    return guard(store.adjust(key, delta), () -> null).recover(err -> Future.succeededFuture());
  }

  @Override
  public Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl) {
    return guard(store.acquire(key, leaseId, max, ttl), () -> true);
  }

  @Override
  public Future<Void> release(String key, String leaseId) {
    return guard(store.release(key, leaseId), () -> null).recover(err -> Future.succeededFuture());
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }

  private <T> Future<T> guard(Future<T> call, java.util.function.Supplier<T> openAnswer) {
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(new java.util.concurrent.TimeoutException(
        "no answer within " + timeoutMs + " ms")));
    call.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future().transform(ar -> {
      if (ar.succeeded()) {
        if (down.compareAndSet(true, false)) {
          log.info("counter store reachable again");
          listener.unavailable(false);
        }
        return Future.succeededFuture(ar.result());
      }
      if (down.compareAndSet(false, true)) {
        log.warn("counter store unreachable ({}); limits fail {} until it is back", ar.cause().getMessage(),
            failMode.name().toLowerCase());
        listener.unavailable(true);
      }
      listener.fellBack(failMode);
      return failMode == FailMode.OPEN ? Future.succeededFuture(openAnswer.get())
          : Future.failedFuture(new CountersUnavailableException(ar.cause()));
    });
  }
}

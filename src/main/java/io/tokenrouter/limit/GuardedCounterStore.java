package io.tokenrouter.limit;

import io.tokenrouter.config.RedisConfig.FailMode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a deadline on every call to a remote counter store and decides what an unreachable store
 * means: with {@link FailMode#OPEN} a window hit or slot is granted, with {@link FailMode#CLOSED}
 * it is refused as {@link CountersUnavailableException}. The transitions are reported once each,
 * in the log and to the {@link StateListener}.
 *
 * <p>Recovery does not wait for traffic: while the store is down it is pinged once a second, and
 * the first answer (a ping or any command) marks it up again. Slots must not leak across an
 * outage either: a release that fails (a request that ended while the store was away) is queued,
 * as is a release of every lease whose acquire got no answer (it may have been taken all the
 * same), and the queue is replayed as soon as the store answers. Releasing is idempotent, so a
 * release sent twice does no harm. The queue is bounded; leases it cannot hold expire on their
 * own TTL.
 */
public final class GuardedCounterStore implements CounterStore {
  private static final Logger log = LoggerFactory.getLogger(GuardedCounterStore.class);
  private static final long PROBE_MS = 1_000;
  /** Leases waiting to be given back; beyond this, they are left to expire. */
  private static final int MAX_PENDING_RELEASES = 10_000;

  private record Lease(String key, String id) {}

  private final CounterStore store;
  private final Vertx vertx;
  private final FailMode failMode;
  private final long timeoutMs;
  private final StateListener listener;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong probeTimer = new AtomicLong(-1);
  private final Queue<Lease> pendingReleases = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean overflowLogged = new AtomicBoolean();

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
    return guard(store.hit(key, cost, limit, window), () -> WindowResult.of(true, 0, limit, window, cost));
  }

  @Override
  public Future<WindowResult> charge(String key, long min, long max, long limit, Duration ttl, Long seed) {
    return guard(store.charge(key, min, max, limit, ttl, seed), () -> WindowResult.of(true, 0, limit, ttl, max));
  }

  @Override
  public Future<Void> adjust(String key, long delta) {
    return guard(store.adjust(key, delta), () -> null).recover(err -> Future.succeededFuture());
  }

  @Override
  public Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl) {
    return withDeadline(store.acquire(key, leaseId, max, ttl))
        .onFailure(err -> queueRelease(new Lease(key, leaseId)))
        .transform(ar -> decide(ar, () -> true));
  }

  @Override
  public Future<Void> release(String key, String leaseId) {
    return withDeadline(store.release(key, leaseId))
        .onFailure(err -> queueRelease(new Lease(key, leaseId)))
        .transform(ar -> decide(ar, () -> null))
        .recover(err -> Future.succeededFuture());
  }

  @Override
  public Future<Void> ping() {
    return withDeadline(store.ping()).onComplete(ar -> {
      if (ar.succeeded()) {
        markUp();
      }
    });
  }

  @Override
  public Future<Void> close() {
    stopProbing();
    return store.close();
  }

  private <T> Future<T> guard(Future<T> call, Supplier<T> openAnswer) {
    return withDeadline(call).transform(ar -> decide(ar, openAnswer));
  }

  private <T> Future<T> withDeadline(Future<T> call) {
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(new TimeoutException(
        "no answer within " + timeoutMs + " ms")));
    call.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  private <T> Future<T> decide(AsyncResult<T> ar, Supplier<T> openAnswer) {
    if (ar.succeeded()) {
      markUp();
      return Future.succeededFuture(ar.result());
    }
    markDown(ar.cause());
    listener.fellBack(failMode);
    return failMode == FailMode.OPEN ? Future.succeededFuture(openAnswer.get())
        : Future.failedFuture(new CountersUnavailableException(ar.cause()));
  }

  private void markUp() {
    if (down.compareAndSet(true, false)) {
      log.info("counter store reachable again; giving back {} leases released while it was not", pendingCount.get());
      stopProbing();
      listener.unavailable(false);
    }
    if (pendingCount.get() > 0) {
      drainReleases();
    }
  }

  private void markDown(Throwable cause) {
    if (down.compareAndSet(false, true)) {
      log.warn("counter store unreachable ({}); limits fail {} until it is back", cause.getMessage(),
          failMode.name().toLowerCase());
      listener.unavailable(true);
      long timer = vertx.setPeriodic(PROBE_MS, id -> ping());
      if (!probeTimer.compareAndSet(-1, timer)) {
        vertx.cancelTimer(timer);
      }
    }
  }

  private void stopProbing() {
    long timer = probeTimer.getAndSet(-1);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void queueRelease(Lease lease) {
    if (pendingCount.incrementAndGet() > MAX_PENDING_RELEASES) {
      pendingCount.decrementAndGet();
      if (overflowLogged.compareAndSet(false, true)) {
        log.warn("{} leases already wait to be given back; further ones expire on their own TTL",
            MAX_PENDING_RELEASES);
      }
      return;
    }
    pendingReleases.add(lease);
  }

  /** Gives the queued leases back one after the other; one drain at a time. */
  private void drainReleases() {
    if (draining.compareAndSet(false, true)) {
      releaseNext();
    }
  }

  private void releaseNext() {
    Lease lease = pendingReleases.poll();
    if (lease == null) {
      draining.set(false);
      overflowLogged.set(false);
      if (!pendingReleases.isEmpty()) {
        drainReleases();
      }
      return;
    }
    pendingCount.decrementAndGet();
    withDeadline(store.release(lease.key(), lease.id())).onComplete(ar -> {
      if (ar.succeeded()) {
        releaseNext();
      } else {
        queueRelease(lease);
        draining.set(false);
        markDown(ar.cause());
      }
    });
  }
}

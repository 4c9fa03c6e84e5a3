package io.tokenrouter.budget;

import io.tokenrouter.limit.CounterStore;
import io.tokenrouter.limit.WindowResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Charges a calendar-period counter, starting it from the durable record when it does not exist
 * yet. The baseline query runs only on a counter's first use, on {@code blocking} (virtual
 * threads), never on Vert.x's shared worker pool: a slow database must not hold up what else
 * runs there.
 */
final class PeriodCounter {
  /** Counters outlive their period a little, so a request straddling midnight settles in place. */
  private static final Duration GRACE = Duration.ofHours(1);
  private final CounterStore counters;
  private final Vertx vertx;
  private final Executor blocking;

  PeriodCounter(CounterStore counters, Vertx vertx, Executor blocking) {
    this.counters = counters;
    this.vertx = vertx;
    this.blocking = blocking;
  }

  /** Charges between {@code min} and {@code max}, as {@link CounterStore#charge} does. */
  Future<WindowResult> charge(String key, long min, long max, long limit, Period period, Instant now,
      Supplier<Long> baseline) {
    Duration ttl = period.remaining(now).plus(GRACE);
    return counters.charge(key, min, max, limit, ttl, null).compose(first -> {
      if (!first.needsSeed()) {
        return Future.succeededFuture(first);
      }
      return Future.fromCompletionStage(CompletableFuture.supplyAsync(baseline, blocking), vertx.getOrCreateContext())
          .compose(seed -> counters.charge(key, min, max, limit, ttl, seed));
    });
  }

  void adjust(String key, long delta) {
    if (delta != 0) {
      counters.adjust(key, delta);
    }
  }
}

package io.tokenrouter.store;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the daily roll-ups of the days that are over ({@link RollupCompaction}) a minute after
 * start and then every hour, on a worker; one pass at a time. Reports then read about one row
 * per day and group, whatever the traffic was. The first pass's delay can be set in seconds with
 * the system property {@value #FIRST_PROPERTY} (the console's benchmark times the pages before and
 * after it).
 */
public final class RollupCompactor {
  private static final Logger log = LoggerFactory.getLogger(RollupCompactor.class);
  static final String FIRST_PROPERTY = "tokenrouter.rollup-compaction.first-after-seconds";
  static final Duration FIRST = Duration.ofSeconds(Long.getLong(FIRST_PROPERTY, 60));
  static final Duration EVERY = Duration.ofHours(1);
  private final RollupCompaction compaction;
  private final Executor blocking;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();

  public RollupCompactor(RollupCompaction compaction, Executor blocking, Clock clock) {
    this.compaction = compaction;
    this.blocking = blocking;
    this.clock = clock;
  }

  public void start(Vertx vertx) {
    vertx.setTimer(Math.max(1, FIRST.toMillis()), first -> {
      runOnce();
      vertx.setPeriodic(EVERY.toMillis(), id -> runOnce());
    });
  }

  void runOnce() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    blocking.execute(() -> {
      try {
        RollupCompaction.Result r = compaction.compactBefore(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        if (r.rowsRemoved() > 0) {
          log.info("compacted the usage roll-ups of {} days: {} partial rows merged", r.days(), r.rowsRemoved());
        }
      } catch (RuntimeException e) {
        log.warn("compacting the usage roll-ups failed (retried within the hour): {}", e.getMessage());
      } finally {
        running.set(false);
      }
    });
  }
}

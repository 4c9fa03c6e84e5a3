package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Whether the database answers, as last seen by a probe on a thread of its own: a connection
 * from the pool and a ping, once a {@link #INTERVAL}. Readiness reads the verdict and never waits
 * on the database; a probe still running after {@link #DEADLINE} counts as down at once, so a
 * silent database shows within seconds even while the probe itself waits out its timeouts.
 */
final class DatabaseProbe implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** A database that cannot hand out a connection and answer a ping within this is not ready. */
  static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final long IDLE = -1;

  private final DataSource dataSource;
  private final Thread thread;
  private volatile boolean up = true;
  private volatile long runningSinceNanos = IDLE;
  private volatile boolean closed;

  /** Starts probing; the database counts as up until the first probe says otherwise. */
  DatabaseProbe(DataSource dataSource) {
    this.dataSource = dataSource;
    this.thread = Thread.ofPlatform().name("db-probe").daemon(true).start(this::run);
  }

  boolean up() {
    long since = runningSinceNanos;
    return up && (since == IDLE || System.nanoTime() - since < DEADLINE.toNanos());
  }

  private void run() {
    while (!closed) {
      runningSinceNanos = System.nanoTime();
      up = ping();
      runningSinceNanos = IDLE;
      LockSupport.parkNanos(INTERVAL.toNanos());
    }
  }

  private boolean ping() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid((int) TimeUnit.NANOSECONDS.toSeconds(DEADLINE.toNanos()));
    } catch (SQLException e) {
      return false;
    }
  }

  /** Stops probing; a probe under way ends with the pool it uses. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}

package io.tokenrouter.routing;

import io.tokenrouter.config.RoutingConfig;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The circuit breaker of one target. Closed, it lets every call through and opens on
 * {@code failures} consecutive failures, or when the failed share of the calls within the
 * window reaches {@code error_rate} (once there were {@code min_calls}). Open, it lets nothing
 * through for {@code open_for}; then, half open, it lets {@code probes} calls through at once:
 * the first success closes it, a failure opens it again.
 *
 * <p>Every call let through ends in exactly one of {@link #onSuccess}, {@link #onFailure} or
 * {@link #onNeutral} (an answer that says nothing about the target's health: the client's own
 * mistake, a rate limit, a cancelled call), which gives a half-open probe back.
 *
 * <p>Shared by every event loop: its methods are short and synchronized. Times are
 * {@link System#nanoTime()} values.
 */
public final class CircuitBreaker {
  /** Where a breaker stands. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  /** Told when the breaker opens or closes (shared health, logs, metrics). */
  public interface Listener {
    void changed(State state);
  }

  private static final int BUCKETS = 10;
  private final Supplier<RoutingConfig.Breaker> settings;
  private final Listener listener;
  private final long[] bucketIndex = new long[BUCKETS];
  private final int[] calls = new int[BUCKETS];
  private final int[] failed = new int[BUCKETS];
  private State state = State.CLOSED;
  private int consecutive;
  private long openUntil;
  private int probes;
  /** Another instance reported the target open (shared health); honoured while this one is closed. */
  private volatile boolean openElsewhere;

  CircuitBreaker(Supplier<RoutingConfig.Breaker> settings, Listener listener) {
    this.settings = settings;
    this.listener = listener;
  }

  /** Whether a call may go to the target now; a half-open breaker counts it as a probe. */
  public boolean tryAcquire(long now) {
    State changed = null;
    boolean allowed;
    synchronized (this) {
      if (state == State.OPEN && now - openUntil >= 0) {
        state = State.HALF_OPEN;
        probes = 0;
        changed = State.HALF_OPEN;
      }
      if (state == State.CLOSED) {
        allowed = !openElsewhere;
      } else if (state == State.HALF_OPEN && probes < settings.get().probes()) {
        probes++;
        allowed = true;
      } else {
        allowed = false;
      }
    }
    notify(changed);
    return allowed;
  }

  public void onSuccess(long now) {
    State changed = null;
    synchronized (this) {
      record(now, false);
      consecutive = 0;
      if (state != State.CLOSED) {
        close();
        changed = State.CLOSED;
      }
    }
    notify(changed);
  }

  public void onFailure(long now) {
    State changed = null;
    synchronized (this) {
      record(now, true);
      consecutive++;
      if (state == State.HALF_OPEN || state == State.CLOSED && tripped(now)) {
        state = State.OPEN;
        openUntil = now + settings.get().openFor().toNanos();
        changed = State.OPEN;
      }
    }
    notify(changed);
  }

  public synchronized void onNeutral() {
    if (state == State.HALF_OPEN && probes > 0) {
      probes--;
    }
  }

  /** An active health check reached the target: an open breaker lets its probe through now, not after open_for. */
  public synchronized void healthy(long now) {
    if (state == State.OPEN) {
      openUntil = now;
    }
  }

  public synchronized State state() {
    return state;
  }

  /** Nanoseconds until an open breaker lets a probe through; 0 when it is not open. */
  public synchronized long untilProbe(long now) {
    return state == State.OPEN ? Math.max(0, openUntil - now) : 0;
  }

  void openElsewhere(boolean open) {
    this.openElsewhere = open;
  }

  public boolean isOpenElsewhere() {
    return openElsewhere;
  }

  public synchronized int consecutiveFailures() {
    return consecutive;
  }

  private void close() {
    state = State.CLOSED;
    consecutive = 0;
    probes = 0;
    // the failures that opened it must not open it again on the next one
    Arrays.fill(calls, 0);
    Arrays.fill(failed, 0);
  }

  private boolean tripped(long now) {
    RoutingConfig.Breaker s = settings.get();
    if (consecutive >= s.failures()) {
      return true;
    }
    long current = now / bucketNanos(s);
    int total = 0;
    int failures = 0;
    for (int b = 0; b < BUCKETS; b++) {
      long age = current - bucketIndex[b];
      if (age >= 0 && age < BUCKETS) {
        total += calls[b];
        failures += failed[b];
      }
    }
    return total >= s.minCalls() && failures >= s.errorRate() * total;
  }

  private void record(long now, boolean failure) {
    long index = now / bucketNanos(settings.get());
    int b = (int) Math.floorMod(index, (long) BUCKETS);
    if (bucketIndex[b] != index) {
      bucketIndex[b] = index;
      calls[b] = 0;
      failed[b] = 0;
    }
    calls[b]++;
    if (failure) {
      failed[b]++;
    }
  }

  private static long bucketNanos(RoutingConfig.Breaker s) {
    return Math.max(1, s.window().toNanos() / BUCKETS);
  }

  private void notify(State changed) {
    if (changed != null) {
      listener.changed(changed);
    }
  }
}

package io.tokenrouter.limit;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process counters for a single instance. Each key's state is updated inside
 * {@link ConcurrentHashMap#compute}, which makes check-and-update atomic per key across event
 * loops; expired windows and leases are dropped as they are touched and by {@link #sweep()}.
 */
public final class LocalCounterStore implements CounterStore {
  private record Window(long used, long endsAtNanos) {}

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Map<String, Long>> leases = new ConcurrentHashMap<>();

  @Override
  public Future<WindowResult> hit(String key, long cost, long limit, Duration window) {
    return Future.succeededFuture(count(key, cost, cost, limit, window, 0L));
  }

  @Override
  public Future<WindowResult> charge(String key, long min, long max, long limit, Duration ttl, Long seed) {
    return Future.succeededFuture(count(key, min, max, limit, ttl, seed));
  }

  private WindowResult count(String key, long min, long max, long limit, Duration window, Long seed) {
    long now = System.nanoTime();
    long[] granted = {-1};
    Window w = windows.compute(key, (k, current) -> {
      Window live = current != null && current.endsAtNanos() - now > 0 ? current
          : seed == null ? null : new Window(seed, now + window.toNanos());
      if (live == null) {
        return null;
      }
      if (live.used() >= limit || live.used() + min > limit) {
        return live;
      }
      granted[0] = Math.min(max, limit - live.used());
      return new Window(live.used() + granted[0], live.endsAtNanos());
    });
    return w == null ? WindowResult.unseeded(limit)
        : WindowResult.of(granted[0] >= 0, w.used(), limit, Duration.ofNanos(w.endsAtNanos() - now), granted[0]);
  }

  @Override
  public Future<Void> adjust(String key, long delta) {
    windows.computeIfPresent(key, (k, w) -> new Window(Math.max(0, w.used() + delta), w.endsAtNanos()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl) {
    long now = System.nanoTime();
    boolean[] acquired = new boolean[1];
    leases.compute(key, (k, held) -> {
      Map<String, Long> live = held == null ? new HashMap<>() : held;
      live.values().removeIf(expiry -> expiry - now <= 0);
      acquired[0] = live.size() < max;
      if (acquired[0]) {
        live.put(leaseId, now + ttl.toNanos());
      }
      return live.isEmpty() ? null : live;
    });
    return Future.succeededFuture(acquired[0]);
  }

  @Override
  public Future<Void> release(String key, String leaseId) {
    leases.computeIfPresent(key, (k, held) -> {
      held.remove(leaseId);
      return held.isEmpty() ? null : held;
    });
    return Future.succeededFuture();
  }

  /** Drops every expired window and lease, so idle keys do not accumulate. */
  public void sweep() {
    long now = System.nanoTime();
    windows.values().removeIf(w -> w.endsAtNanos() - now <= 0);
    for (String key : leases.keySet()) {
      leases.computeIfPresent(key, (k, held) -> {
        held.values().removeIf(expiry -> expiry - now <= 0);
        return held.isEmpty() ? null : held;
      });
    }
  }
}

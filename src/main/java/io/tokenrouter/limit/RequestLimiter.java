package io.tokenrouter.limit;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.UUID;

/**
 * Applies a caller's request limits before a request goes upstream: concurrent requests first
 * (a slot is leased), then requests per minute (a window hit). A refusal fails the future with
 * {@link RateLimitedException}; an admitted request holds a {@link Permit} that must be released
 * when the request ends, however it ends.
 */
public final class RequestLimiter {
  static final Duration MINUTE = Duration.ofMinutes(1);
  /** Longest a concurrency slot survives an instance that died while holding it. */
  static final Duration LEASE_TTL = Duration.ofMinutes(15);
  private final CounterStore counters;

  public RequestLimiter(CounterStore counters) {
    this.counters = counters;
  }

  /** An admitted request's hold on its limits. */
  public interface Permit {
    /** The requests-per-minute window after this request, or null when no RPM limit applies. */
    WindowResult requests();

    void release();
  }

  /**
   * @param scope whose limits these are, e.g. {@code key:<id>}; also the counter key
   */
  public Future<Permit> admit(String scope, RequestLimits limits) {
    if (limits.maxConcurrency() == null) {
      return hitRpm(scope, limits, () -> { });
    }
    String lease = UUID.randomUUID().toString();
    return counters.acquire(scope, lease, limits.maxConcurrency(), LEASE_TTL).compose(acquired -> {
      if (!acquired) {
        return Future.failedFuture(RateLimitedException.concurrency(limits.maxConcurrency()));
      }
      Runnable release = () -> counters.release(scope, lease);
      return hitRpm(scope, limits, release).onFailure(err -> release.run());
    });
  }

  private Future<Permit> hitRpm(String scope, RequestLimits limits, Runnable release) {
    if (limits.requestsPerMinute() == null) {
      return Future.succeededFuture(permit(null, release));
    }
    return counters.hit(scope + ":rpm", 1, limits.requestsPerMinute(), MINUTE).compose(window -> window.allowed()
        ? Future.succeededFuture(permit(window, release))
        : Future.failedFuture(RateLimitedException.requests(window)));
  }

  private static Permit permit(WindowResult window, Runnable release) {
    return new Permit() {
      private boolean released;

      @Override
      public WindowResult requests() {
        return window;
      }

      @Override
      public void release() {
        if (!released) {
          released = true;
          release.run();
        }
      }
    };
  }
}

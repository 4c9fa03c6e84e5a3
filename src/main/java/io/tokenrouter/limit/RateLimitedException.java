package io.tokenrouter.limit;

import java.time.Duration;

/** A limit refused the request: answered 429 with Retry-After. */
public final class RateLimitedException extends RuntimeException {
  private final Duration retryAfter;
  private final WindowResult window;

  private RateLimitedException(String message, Duration retryAfter, WindowResult window) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
    this.window = window;
  }

  static RateLimitedException requests(WindowResult window) {
    return new RateLimitedException("Rate limit reached: " + window.limit() + " requests per minute. Retry in "
        + Math.max(1, window.resetIn().toSeconds()) + "s.", window.resetIn(), window);
  }

  static RateLimitedException concurrency(int max) {
    return new RateLimitedException("Too many concurrent requests: this key allows " + max + " at once.",
        Duration.ofSeconds(1), null);
  }

  /** When a retry can succeed. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The request window that refused, or null for a concurrency refusal. */
  public WindowResult window() {
    return window;
  }
}

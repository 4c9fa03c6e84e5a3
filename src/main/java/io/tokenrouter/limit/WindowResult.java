package io.tokenrouter.limit;

import java.time.Duration;

/**
 * The outcome of a window hit.
 *
 * @param used the window's total after this hit (or before it, when refused)
 * @param resetIn time until the window ends and the count starts again
 */
public record WindowResult(boolean allowed, long used, long limit, Duration resetIn) {
  public long remaining() {
    return Math.max(0, limit - used);
  }
}

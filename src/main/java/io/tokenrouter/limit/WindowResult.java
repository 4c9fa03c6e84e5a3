package io.tokenrouter.limit;

import java.time.Duration;

/**
 * The outcome of counting against a window.
 *
 * @param used the window's total after this hit (or before it, when refused)
 * @param granted what this hit added (a charge may add less than it asked for, see
 *     {@link CounterStore#charge}); 0 when refused
 * @param resetIn time until the window ends and the count starts again
 * @param needsSeed the counter did not exist and no starting value was given: nothing was
 *     counted, the caller must look up what was already used and try again with it
 */
public record WindowResult(boolean allowed, long used, long limit, Duration resetIn, boolean needsSeed,
    long granted) {
  static WindowResult unseeded(long limit) {
    return new WindowResult(false, 0, limit, Duration.ZERO, true, 0);
  }

  static WindowResult of(boolean allowed, long used, long limit, Duration resetIn, long granted) {
    return new WindowResult(allowed, used, limit, resetIn, false, allowed ? granted : 0);
  }

  public long remaining() {
    return Math.max(0, limit - used);
  }
}

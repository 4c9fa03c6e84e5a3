package io.tokenrouter.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the strategies know of one target, from what its calls did: attempts in flight, time to
 * first token and cache-hit share as moving averages, and a health score (the moving average of
 * its attempts' successes, 1 when all succeed). Updated from every event loop.
 */
public final class TargetStats {
  /** Weight of the newest sample in the latency and cache averages. */
  private static final double ALPHA = 0.2;
  /** Weight of the newest outcome in the health score: about the last ten attempts count. */
  private static final double HEALTH_ALPHA = 0.1;
  private final AtomicInteger inFlight = new AtomicInteger();
  private double ttftMillis = -1;
  private double cacheHit;
  private double health = 1;

  public int inFlight() {
    return inFlight.get();
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void ended() {
    inFlight.decrementAndGet();
  }

  /** Time to first token in milliseconds, averaged; -1 before the first sample. */
  public synchronized double ttftMillis() {
    return ttftMillis;
  }

  synchronized void firstToken(double millis) {
    ttftMillis = ttftMillis < 0 ? millis : ttftMillis + ALPHA * (millis - ttftMillis);
  }

  /** The share of prompt tokens the provider read from its cache, averaged; 0 before any usage. */
  public synchronized double cacheHitRatio() {
    return cacheHit;
  }

  synchronized void cacheHit(double ratio) {
    cacheHit += ALPHA * (ratio - cacheHit);
  }

  /** Between 0 (every recent attempt failed) and 1 (all succeeded). */
  public synchronized double health() {
    return health;
  }

  synchronized void outcome(boolean success) {
    health += HEALTH_ALPHA * ((success ? 1 : 0) - health);
  }
}

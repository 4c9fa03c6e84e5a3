package io.tokenrouter.limit;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Counters that limits are built on, shared by every instance when backed by Redis and
 * in-process otherwise. Every operation is atomic: a check and its update are one step, so
 * concurrent requests (on one instance or many) can never both pass on the last unit. Keys are
 * used as given ({@code ratelimit:...}, {@code concurrency:...}, {@code budget:...}).
 */
public interface CounterStore {
  /**
   * Adds {@code cost} to the window counter {@code key} unless the window would then exceed
   * {@code limit}. A window starts at zero with its first hit and lasts {@code window}.
   */
  Future<WindowResult> hit(String key, long cost, long limit, Duration window);

  /**
   * Like {@link #hit} for a window that ends at a fixed time (a calendar day or month) and may
   * already hold usage from before the counter existed: a new counter starts at {@code seed}
   * and lives {@code ttl}. With a null seed and no counter, nothing is counted and the result
   * {@link WindowResult#needsSeed() needs a seed}.
   *
   * <p>The charge may be partial: it adds as much of {@code max} as the room left under
   * {@code limit} allows, provided that is at least {@code min}, and tells how much in
   * {@link WindowResult#granted()}; with less room than {@code min} it adds nothing and is
   * refused. {@code min == max} charges exactly that amount or nothing.
   */
  Future<WindowResult> charge(String key, long min, long max, long limit, Duration ttl, Long seed);

  /** Adds {@code delta} (negative to give back) to an existing counter, never below zero. */
  Future<Void> adjust(String key, long delta);

  /**
   * Takes one of {@code max} concurrent slots of {@code key} under {@code leaseId}. A lease
   * expires after {@code ttl}, so slots held by an instance that died come back.
   */
  Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl);

  /** Gives the slot back; releasing an unknown or expired lease does nothing. */
  Future<Void> release(String key, String leaseId);

  /** Succeeds when the store answers; in-process stores always do. */
  default Future<Void> ping() {
    return Future.succeededFuture();
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}

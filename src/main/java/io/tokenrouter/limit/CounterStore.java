package io.tokenrouter.limit;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Counters that limits are built on, shared by every instance when backed by Redis and
 * in-process otherwise. Every operation is atomic: a check and its update are one step, so
 * concurrent requests (on one instance or many) can never both pass on the last unit.
 */
public interface CounterStore {
  /**
   * Adds {@code cost} to the window counter {@code key} unless that would exceed {@code limit}.
   * A window starts with its first hit and lasts {@code window} (seed 000's
   * {@code ratelimit:{id}} counter with a TTL).
   */
  Future<WindowResult> hit(String key, long cost, long limit, Duration window);

  /**
   * Takes one of {@code max} concurrent slots of {@code key} under {@code leaseId}. A lease
   * expires after {@code ttl}, so slots held by an instance that died come back.
   */
  Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl);

  /** Gives the slot back; releasing an unknown or expired lease does nothing. */
  Future<Void> release(String key, String leaseId);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}

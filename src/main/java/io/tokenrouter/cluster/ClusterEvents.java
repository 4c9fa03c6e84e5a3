package io.tokenrouter.cluster;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * Events between gateway instances. Delivery is at most once and fast (pub/sub); what must not
 * be lost lives in the database, and caches that miss an event still expire on their TTL.
 */
public interface ClusterEvents {
  /** Sends to every instance, this one included. */
  Future<Void> publish(ClusterEvent event);

  void subscribe(Consumer<ClusterEvent> listener);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}

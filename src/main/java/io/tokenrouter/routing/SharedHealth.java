package io.tokenrouter.routing;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Breaker states shared between gateway instances (Redis' {@code provider:health:{name}}): a
 * target one instance found failing is avoided by the others too, until it recovers there or
 * the report expires. Without Redis there is nothing to share.
 */
public interface SharedHealth {
  /** Nothing shared: one instance. */
  SharedHealth NONE = (provider, model, state) -> { };

  /** This instance's breaker of {@code provider/model} changed. */
  void changed(String provider, String model, CircuitBreaker.State state);

  /** Starts applying other instances' reports to {@code targets} (the current table's). */
  default void start(Supplier<Collection<TargetState>> targets) {
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}

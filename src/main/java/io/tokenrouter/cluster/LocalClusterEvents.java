package io.tokenrouter.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A single instance: events go straight to this process's listeners. */
public final class LocalClusterEvents implements ClusterEvents {
  private final List<Consumer<ClusterEvent>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public Future<Void> publish(ClusterEvent event) {
    listeners.forEach(l -> l.accept(event));
    return Future.succeededFuture();
  }

  @Override
  public void subscribe(Consumer<ClusterEvent> listener) {
    listeners.add(listener);
  }
}

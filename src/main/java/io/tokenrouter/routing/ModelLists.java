package io.tokenrouter.routing;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.OutboundAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the model lists of providers configured with {@code list_models}, at start and every
 * {@code routing.model_list_refresh} after, never on a call's path. A failed fetch keeps the
 * list the provider gave last.
 */
public final class ModelLists {
  private static final Logger log = LoggerFactory.getLogger(ModelLists.class);
  private final Vertx vertx;
  private final Reconfigurer reconfigurer;
  /** Providers already warned about: once each, not on every refresh. */
  private final Set<String> unlisted = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private long timer = -1;

  public ModelLists(Vertx vertx, Reconfigurer reconfigurer) {
    this.vertx = vertx;
    this.reconfigurer = reconfigurer;
  }

  /** Fetches every list now and then keeps refreshing; completes when this first round is over. */
  public Future<Void> start() {
    return refresh().onComplete(v -> schedule());
  }

  private void schedule() {
    if (!stopped) {
      long every = reconfigurer.config().routing().modelListRefresh().toMillis();
      timer = vertx.setTimer(every, id -> refresh().onComplete(v -> schedule()));
    }
  }

  /** Fetches every list now, besides the regular refresh (after a reload, for providers new to it). */
  Future<Void> refresh() {
    RoutingTable table = reconfigurer.router().table();
    List<Future<?>> fetches = new ArrayList<>();
    for (ProviderConfig provider : reconfigurer.config().providers()) {
      OutboundAdapter adapter = table.adapters().get(provider.name());
      if (!provider.listModels() || adapter == null) {
        continue;
      }
      if (!adapter.listsModels()) {
        if (unlisted.add(provider.name())) {
          log.warn("provider {} ({}) has no model list to fetch; its list_models is ignored", provider.name(),
              provider.type());
        }
        continue;
      }
      ProviderKey key = table.keys(provider.name()).pick(-1, System.nanoTime());
      fetches.add(adapter.models(key == null ? "" : key.secret())
          .onSuccess(models -> reconfigurer.listed(provider.name(), models))
          .onFailure(e -> log.warn("cannot fetch the model list of provider {}: {}", provider.name(),
              e.getMessage())));
    }
    return Future.join(fetches).<Void>mapEmpty().otherwiseEmpty();
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }
}

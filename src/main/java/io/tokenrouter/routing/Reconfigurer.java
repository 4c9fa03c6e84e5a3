package io.tokenrouter.routing;

import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a configuration's providers, models and routing into force, and the providers' model
 * lists as they arrive: each change builds a whole new {@link RoutingTable} and swaps it in, so
 * calls in flight finish on the table they started with.
 */
public final class Reconfigurer {
  private final ProviderSet providers;
  private final TargetStates states;
  private final PriceBook prices;
  private final ModelRouter router;
  private GatewayConfig config;
  private Map<String, OutboundAdapter> adapters;
  private Map<String, List<String>> listed = Map.of();

  /** Puts {@code initial} into force; fails with a ConfigException when a provider type is unknown. */
  public Reconfigurer(ProviderSet providers, TargetStates states, PriceBook prices, GatewayConfig initial) {
    this.providers = providers;
    this.states = states;
    this.prices = prices;
    this.config = initial;
    this.adapters = providers.update(initial.providers(), initial.routing().retry().budget());
    states.configure(initial.routing().breaker());
    this.router = new ModelRouter(new RoutingTable(initial, adapters, listed, states, prices));
  }

  public ModelRouter router() {
    return router;
  }

  /** The configuration in force. */
  public synchronized GatewayConfig config() {
    return config;
  }

  /**
   * Puts the providers, models and routing of {@code next} into force; fails with a
   * ConfigException, changing nothing, when a provider type is unknown.
   */
  public synchronized void apply(GatewayConfig next) {
    // calls routed on the running table start attempts for up to its retry budget
    adapters = providers.update(next.providers(), config.routing().retry().budget());
    states.configure(next.routing().breaker());
    Map<String, List<String>> kept = new HashMap<>();
    for (ProviderConfig provider : next.providers()) {
      if (provider.listModels() && listed.containsKey(provider.name())) {
        kept.put(provider.name(), listed.get(provider.name()));
      }
    }
    listed = Map.copyOf(kept);
    config = next;
    rebuild();
  }

  /** A provider listed its models: the table is rebuilt when the list changed. */
  synchronized void listed(String provider, List<String> models) {
    if (models.equals(listed.get(provider))) {
      return;
    }
    Map<String, List<String>> next = new HashMap<>(listed);
    next.put(provider, List.copyOf(models));
    listed = Map.copyOf(next);
    rebuild();
  }

  private void rebuild() {
    router.install(new RoutingTable(config, adapters, listed, states, prices));
  }
}

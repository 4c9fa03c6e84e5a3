package io.tokenrouter.provider;

import io.tokenrouter.config.ProviderConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The adapters of the configured providers, across configuration changes: a provider whose
 * configuration stays the same keeps its adapter (and its pooled connections); one that
 * changed gets a new adapter, and the old one, like that of a provider that is gone, is
 * retired: calls that were routed before the change may still start attempts on it for a
 * while (their retries and fallbacks), then it is closed once the exchanges it carries are
 * over, so no call in flight is dropped.
 */
public final class ProviderSet {
  private final ProviderRegistry registry;
  private final ProviderContext context;
  private Map<String, ProviderConfig> configs = Map.of();
  private Map<String, OutboundAdapter> adapters = Map.of();

  public ProviderSet(ProviderRegistry registry, ProviderContext context) {
    this.registry = registry;
    this.context = context;
  }

  /**
   * Makes {@code next} the configured providers and returns their adapters, by name; fails with
   * a {@link io.tokenrouter.config.ConfigException} (changing nothing) when a type is unknown.
   *
   * @param retireAfter how long retired adapters still take new attempts before they close:
   *     the longest a call routed before the change may go on starting attempts
   */
  public synchronized Map<String, OutboundAdapter> update(List<ProviderConfig> next, Duration retireAfter) {
    registry.check(next);
    Map<String, ProviderConfig> nextConfigs = new LinkedHashMap<>();
    Map<String, OutboundAdapter> nextAdapters = new LinkedHashMap<>();
    for (ProviderConfig config : next) {
      OutboundAdapter kept = config.equals(configs.get(config.name())) ? adapters.get(config.name()) : null;
      nextConfigs.put(config.name(), config);
      nextAdapters.put(config.name(), kept != null ? kept : registry.create(context, config));
    }
    adapters.forEach((name, adapter) -> {
      if (nextAdapters.get(name) != adapter) {
        context.vertx().setTimer(Math.max(1, retireAfter.toMillis()), id -> adapter.close());
      }
    });
    configs = nextConfigs;
    adapters = Map.copyOf(nextAdapters);
    return adapters;
  }
}

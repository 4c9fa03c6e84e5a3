package io.tokenrouter.provider;

import io.tokenrouter.config.ProviderConfig;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The provider types this build knows: every {@link ProviderFactory} on the class path, by type name. */
public final class ProviderRegistry {
  private final Map<String, ProviderFactory> factories = new TreeMap<>();

  public ProviderRegistry() {
    for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class)) {
      factories.put(factory.type(), factory);
    }
  }

  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    String type = config.type().name().toLowerCase(Locale.ROOT);
    ProviderFactory factory = factories.get(type);
    if (factory == null) {
      throw new IllegalArgumentException("provider '" + config.name() + "': no adapter for type '" + type
          + "' (known: " + String.join(", ", factories.keySet()) + ")");
    }
    return factory.create(context, config);
  }
}

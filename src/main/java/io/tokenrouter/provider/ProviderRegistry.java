package io.tokenrouter.provider;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** Fails naming each configured provider whose type no factory knows. */
  public void check(List<ProviderConfig> configs) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      String type = configs.get(i).type();
      if (!factories.containsKey(type)) {
        problems.add("providers[" + i + "].type: '" + type + "' is not one of "
            + String.join(", ", factories.keySet()) + "." + Suggestions.didYouMean(type, factories.keySet()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Every configured provider's adapter, by provider name. */
  public Map<String, OutboundAdapter> createAll(ProviderContext context, List<ProviderConfig> configs) {
    check(configs);
    Map<String, OutboundAdapter> adapters = new LinkedHashMap<>();
    for (ProviderConfig config : configs) {
      adapters.put(config.name(), factories.get(config.type()).create(context, config));
    }
    return adapters;
  }
}

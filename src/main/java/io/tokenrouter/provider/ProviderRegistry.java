package io.tokenrouter.provider;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.Suggestions;
import java.util.ArrayList;
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

  /** The adapter of one provider whose type was {@link #check checked}. */
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    return factories.get(config.type()).create(context, config);
  }
}

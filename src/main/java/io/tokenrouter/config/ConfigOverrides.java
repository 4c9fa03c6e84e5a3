package io.tokenrouter.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Changes made through the admin API and kept in the database, laid over the configuration
 * file's providers and models. The file is the base; where a stored change sets something, the
 * stored change wins. A provider or model the file lacks is added after the file's; a stored
 * removal hides a file's model. Everything else comes from the file alone.
 */
public record ConfigOverrides(List<ProviderChange> providers, List<ModelChange> models) {
  public static final ConfigOverrides NONE = new ConfigOverrides(List.of(), List.of());

  public ConfigOverrides {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
  }

  /**
   * One provider's stored settings; a null field keeps the file's.
   *
   * @param type set only for a provider added through the admin API; a change whose provider is
   *     neither in the file nor added (the file dropped it) is ignored
   * @param apiKeys the provider's keys, decrypted; null keeps the file's
   * @param weights the weight of this provider's targets, by model name (sorted, so two instances
   *     reading the same rows make equal values)
   */
  public record ProviderChange(String name, String type, Boolean enabled, String baseUrl, Duration connect,
      Duration firstByte, Duration idle, Duration total, Integer maxRetries, Integer maxConnections,
      List<String> apiKeys, Map<String, Integer> weights) {
    public ProviderChange {
      apiKeys = apiKeys == null ? null : List.copyOf(apiKeys);
      weights = weights == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(weights));
    }
  }

  /** A model mapping as stored; a null {@code model} removes the file's mapping of that name. */
  public record ModelChange(String name, ModelConfig model) {}

  /** {@code file} with these changes laid over its providers and models; not yet validated. */
  public GatewayConfig over(GatewayConfig file) {
    Map<String, ProviderConfig> byName = new LinkedHashMap<>();
    file.providers().forEach(p -> byName.put(p.name(), p));
    for (ProviderChange change : providers) {
      ProviderConfig base = byName.get(change.name());
      if (base == null && change.type() == null) {
        continue;
      }
      if (base == null) {
        base = new ProviderConfig(change.name(), change.type(), null, null, null, null, null, null, null, null, null,
            null, null, null, null);
      }
      byName.put(change.name(), changed(base, change));
    }
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    file.models().forEach(m -> models.put(m.name(), m));
    for (ModelChange change : this.models) {
      ModelConfig fileModel = models.get(change.name());
      ModelConfig m = change.model();
      if (m == null) {
        models.remove(change.name());
      } else if (m.pipeline() == null && fileModel != null) {
        // the admin API does not set a model's pipeline settings: the file's stay
        models.put(change.name(), new ModelConfig(m.name(), m.aliases(), m.strategy(), m.targets(),
            fileModel.pipeline()));
      } else {
        models.put(change.name(), m);
      }
    }
    for (ProviderChange change : providers) {
      change.weights().forEach((model, weight) -> {
        ModelConfig m = models.get(model);
        if (m != null) {
          models.put(model, weighted(m, change.name(), weight));
        }
      });
    }
    return file.withProvidersAndModels(new ArrayList<>(byName.values()), new ArrayList<>(models.values()));
  }

  private static ProviderConfig changed(ProviderConfig p, ProviderChange c) {
    TimeoutConfig t = p.timeouts();
    TimeoutConfig timeouts = new TimeoutConfig(or(c.connect(), t.connect()), or(c.firstByte(), t.firstByte()),
        or(c.idle(), t.idle()), or(c.total(), t.total()), t.poolIdle());
    boolean keys = c.apiKeys() != null;
    return new ProviderConfig(p.name(), p.type(), or(c.baseUrl(), p.baseUrl()), keys ? null : p.apiKey(), p.headers(),
        or(c.maxConnections(), p.maxConnections()), timeouts, p.mock(), p.responses(), p.apiVersion(),
        keys ? c.apiKeys() : p.apiKeys(), p.keepAlive(), p.listModels(), or(c.enabled(), p.enabled()),
        or(c.maxRetries(), p.maxRetries()));
  }

  private static ModelConfig weighted(ModelConfig m, String provider, int weight) {
    List<TargetConfig> targets = new ArrayList<>();
    for (TargetConfig t : m.targets()) {
      targets.add(t.provider().equals(provider) ? new TargetConfig(t.provider(), t.model(), weight, t.priority()) : t);
    }
    return new ModelConfig(m.name(), m.aliases(), m.strategy(), targets, m.pipeline());
  }

  private static <T> T or(T changed, T file) {
    return changed != null ? changed : file;
  }
}

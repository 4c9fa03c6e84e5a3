package io.tokenrouter.routing;

import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the model name a client sends to the targets that can serve it, in the configured order
 * of preference. Immutable: a configuration change builds a new router.
 */
public final class ModelRouter {
  private final Map<String, List<Target>> targets;

  public ModelRouter(List<ModelConfig> models, Map<String, OutboundAdapter> providers) {
    Map<String, List<Target>> table = new LinkedHashMap<>();
    for (ModelConfig model : models) {
      List<Target> list = new ArrayList<>(model.targets().size());
      for (TargetConfig target : model.targets()) {
        list.add(new Target(target.provider(), providers.get(target.provider()), target.model()));
      }
      table.put(model.name(), List.copyOf(list));
    }
    this.targets = Map.copyOf(table);
  }

  /** The targets for a model, best first; empty when the model is not configured. */
  public List<Target> targets(String model) {
    return targets.getOrDefault(model, List.of());
  }

  /** Every configured model name, sorted. */
  public List<String> modelNames() {
    return targets.keySet().stream().sorted().toList();
  }
}
